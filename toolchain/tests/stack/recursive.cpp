// expect-rc: 1
// expect: call graph cycle \(recursion\): .*(even|odd).* -> .*(even|odd).* -> .*(even|odd)
// Mutual recursion GCC cannot turn into a loop (its self-recursion it would).
[[gnu::noinline]] int odd(int n);

[[gnu::noinline]] int even(int n)
{
	volatile int k = n;
	return k <= 0 ? 1 : odd(k - 1) * 3 + 1;
}

[[gnu::noinline]] int odd(int n)
{
	volatile int k = n;
	return k <= 0 ? 0 : even(k - 1) * 5 + 2;
}

extern "C" int netext_entry_rec(void *, int n)
{
	return even(n);
}
