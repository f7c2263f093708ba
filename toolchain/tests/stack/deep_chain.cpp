// expect-rc: 1
// expect: deep: worst stack path [0-9]+ bytes exceeds the budget
// Four frames of 4 KiB each: over the 14 KiB budget.
#define FRAME(name, next)                                                                          \
	[[gnu::noinline]] int name(int i)                                                          \
	{                                                                                          \
		volatile char buf[4096];                                                           \
		buf[i & 4095] = static_cast<char>(i);                                              \
		return next(i + 1) + buf[(i * 7) & 4095];                                          \
	}

[[gnu::noinline]] int leaf(int i)
{
	return i * 3;
}
FRAME(d3, leaf)
FRAME(d2, d3)
FRAME(d1, d2)
FRAME(d0, d1)

extern "C" int netext_entry_deep(void *)
{
	return d0(1);
}

// A shallow program in the same object is within budget.
extern "C" int netext_entry_shallow(void *)
{
	return leaf(2);
}
