// Undefined behaviour g++ exploits unless told not to, compiled with the native flags by
// toolchain.native_ub_flags (ub_flags.sh reads the assembly). Red team round 3, e01: with
// -ffinite-loops (g++'s default at -O2 for C++11 on) a loop with no side effect is assumed
// to end, so `while (i >= 2) {}` is deleted along with the range check after it that it
// made redundant, and a packet byte chose the stack word written. The native flags keep the
// loop (-fno-finite-loops: the watchdog ends it) and make signed overflow wrap
// (-fno-strict-overflow, as the kernel): `x + 1 > x` is not folded to true.
extern "C" unsigned netext_probe_spin(unsigned i)
{
	while (i >= 2) {
	}
	return i;
}

extern "C" bool netext_probe_wraps(int x)
{
	return x + 1 > x;
}
