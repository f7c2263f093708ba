// expect-rc: 1
// expect: indirect call in
using Fn = int (*)(int);
[[gnu::noinline]] int one(int x)
{
	return x + 1;
}
volatile Fn table[1] = {one};

extern "C" int netext_entry_ind(void *, int n)
{
	return table[0](n);
}
