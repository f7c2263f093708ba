#!/bin/sh
# build-kernel-test.sh NETEXT_CLI NETEXT_NATIVE_CMAKE (native.build_kernel, this machine)
#
# `netext build --backend native --kernel RELEASE` refuses what it cannot build, before
# running anything: a release whose headers are missing (exit 4, names the package
# linux-headers-RELEASE), a release the installed netext has no netext.ko for (exit 4,
# lists those it has), no --kernel when the running kernel is such a release (exit 4:
# never built for another kernel than asked; lists them, names the headers' package),
# something that is not a release (exit 2), --kernel without the native backend (exit 2). The installed package is faked: netextNative.cmake as the build
# wrote it (a real one lists the releases), an empty netextConfig.cmake.
set -u
netext=$1
native_cmake=$2
fails=0
if [ ! -f "$native_cmake" ]; then
	echo "skip: no $native_cmake (this build found no kernel to build modules for)"
	exit 77
fi
check() { # NAME EXPECTED_RC PATTERN -- ARGS...
	name=$1 want=$2 pat=$3
	shift 4
	out=$(NETEXT_CMAKE_DIR=$pkg ASAN_OPTIONS=detect_leaks=0 "$netext" build "$work/app.cpp" "$@" 2>&1)
	rc=$?
	if [ $rc -eq "$want" ] && printf '%s\n' "$out" | grep -qF -- "$pat"; then
		echo "ok   - $name"
	else
		echo "FAIL - $name: exit $rc (want $want), output: $out"
		fails=$((fails + 1))
	fi
}
work=$(mktemp -d /tmp/netext-build-kernel.XXXXXX)
trap 'rm -rf "$work"' EXIT
pkg=$work/pkg
mkdir -p "$pkg"
: > "$pkg/netextConfig.cmake"
printf 'int x;\n' > "$work/app.cpp"
cd "$work"
sed 's/^set(NETEXT_KERNEL_RELEASES .*/set(NETEXT_KERNEL_RELEASES "1.0.0-test-amd64")/' \
	"$native_cmake" > "$pkg/netextNative.cmake"
check "missing headers: refused, the package named" 4 \
	"apt-get install linux-headers-9.9.9-nosuch-amd64" -- --backend native --kernel 9.9.9-nosuch-amd64
# a release whose headers are here but netext has no netext.ko for
have=$(ls /usr/src | sed -n 's/^linux-headers-\(.*-amd64\)$/\1/p' | head -n 1)
if [ -n "$have" ] && [ -f "/usr/src/linux-headers-$have/Makefile" ]; then
	check "no netext.ko for $have: refused, the installed ones listed" 4 \
		"installed for: 1.0.0-test-amd64" -- --backend both --kernel "$have"
fi
# no --kernel, and no netext.ko for the running kernel: refused (never built for another
# kernel), the release named with how to get its module
run=$(uname -r)
check "no netext.ko for the running kernel $run: refused, how to get one named" 4 \
	"no netext.ko for the running kernel $run (installed for: 1.0.0-test-amd64)" -- --backend native
check "... and the headers' package named" 4 "apt-get install linux-headers-$run" -- --backend both
check "not a release: refused" 2 "is not a kernel release" -- --backend native --kernel ../x
check "--kernel with --backend ebpf: refused" 2 "--kernel is for the native backend" \
	-- --backend ebpf --kernel 1.0.0-test-amd64
[ -z "$(ls "$work" | grep -v '^pkg$\|^app.cpp$')" ] || { echo "FAIL - left output behind"; fails=$((fails + 1)); }
exit $((fails > 0))
