#!/bin/sh
# toolchain.native_ub_flags: compiles ub_probe.cpp with the native flags (all arguments
# after CXX) and checks in the assembly that g++ kept the side-effect-free loop (a branch back
# to a local label in netext_probe_spin) and did not fold a signed `x + 1 > x` to true (a
# compare in netext_probe_wraps). Fails, naming the flag, if either optimisation happened.
set -eu
cxx=$1
shift
asm=$("$cxx" "$@" -S -o - "$(dirname "$0")/ub_probe.cpp")
body() {
	printf '%s\n' "$asm" | awk -v f="$1:" '$0 == f { on = 1; next } on && /^[a-z_]+:/ { exit } on && /\.size/ { exit } on { print }'
}
spin=$(body netext_probe_spin)
wraps=$(body netext_probe_wraps)
rc=0
if ! printf '%s\n' "$spin" | grep -Eq '^[[:space:]]+j[a-z]+[[:space:]]+\.L[0-9]+'; then
	echo "FAIL: g++ deleted a side-effect-free loop (the native flags need -fno-finite-loops):" >&2
	printf '%s\n' "$spin" >&2
	rc=1
fi
if ! printf '%s\n' "$wraps" | grep -Eq '^[[:space:]]+cmp'; then
	echo "FAIL: g++ folded signed overflow away (the native flags need -fno-strict-overflow):" >&2
	printf '%s\n' "$wraps" >&2
	rc=1
fi
[ $rc -eq 0 ] && echo "ok: loop kept, signed overflow wraps"
exit $rc
