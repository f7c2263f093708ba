#!/bin/sh
# kernel-cflags.sh KDIR
#
# Prints, one a line, the code-generation flags the kernel whose headers are in KDIR
# (/usr/src/linux-headers-RELEASE) compiles its own modules with, as kbuild computes them
# (KBUILD_CFLAGS and KBUILD_CFLAGS_MODULE of an empty external module), kept by an allow-list:
# the ones app code must share with the kernel to be called by it and to call it. The
# native app build (cmake/NetextExtension.cmake) puts the app's own flags after these.
set -eu
kdir=${1:?usage: kernel-cflags.sh KDIR}
if [ ! -f "$kdir/Makefile" ]; then
	echo "kernel-cflags.sh: no kernel headers in $kdir" >&2
	exit 1
fi
probe=$(mktemp -d /tmp/netext-kflags.XXXXXX)
trap 'rm -rf "$probe"' EXIT
printf '%s\n' '$(info NETEXT_KBUILD_CFLAGS $(KBUILD_CFLAGS) $(KBUILD_CFLAGS_MODULE))' 'obj-m :=' \
	> "$probe/Kbuild"
out=$(make -s -C "$kdir" M="$probe" modules 2>&1) || {
	printf '%s\n' "$out" >&2
	echo "kernel-cflags.sh: kbuild failed in $kdir" >&2
	exit 1
}
flags=$(printf '%s\n' "$out" | sed -n 's/^NETEXT_KBUILD_CFLAGS //p' | head -n 1)
[ -n "$flags" ] || { echo "kernel-cflags.sh: kbuild in $kdir printed no flags" >&2; exit 1; }
for f in $flags; do
	case "$f" in
	# the code model and ABI of kernel code: no red zone, no FPU/SIMD registers, the
	# kernel's stack alignment
	-m64 | -mcmodel=* | -mno-red-zone | -mno-sse | -mno-sse2 | -mno-mmx | -mno-80387 | \
	-mno-3dnow | -mno-avx | -mno-fp-ret-in-387 | -mskip-rax-setup | \
	-mpreferred-stack-boundary=* | -mtune=* | -fno-PIE | -fno-common) echo "$f" ;;
	# retpolines, return thunks, straight-line speculation: the kernel's mitigations
	# (objtool then lists the sites, as for the kernel's own objects)
	-mindirect-branch=* | -mindirect-branch-register | -mindirect-branch-cs-prefix | \
	-mfunction-return=* | -mharden-sls=* | -fno-jump-tables) echo "$f" ;;
	# IBT (ENDBR64 at every function that may be called indirectly) and the function
	# padding call-depth tracking and FineIBT patch
	-fcf-protection=* | -fpatchable-function-entry=* | -falign-functions=*) echo "$f" ;;
	# ORC, not .eh_frame, unwinds kernel code (objtool writes it)
	-fno-asynchronous-unwind-tables) echo "$f" ;;
	# the C semantics the kernel relies on and app code gets too
	-fno-strict-aliasing | -fno-strict-overflow | -fno-delete-null-pointer-checks | \
	-fno-allow-store-data-races | -fno-stack-check | -fno-stack-clash-protection | \
	-fconserve-stack) echo "$f" ;;
	# Everything else stays out, among them: -pg/-mfentry/-mrecord-mcount (app code is not
	# ftrace-able: the landing pad abandons its frames), -fstack-protector-* (the app's
	# stack is bounded statically), -funsigned-char and -fshort-wchar (app code means the
	# same on every backend), warnings, -std, -D, -O, -g (the app build's own).
	*) ;;
	esac
done
