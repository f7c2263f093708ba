#!/bin/sh
# netext_build_test.sh BUILD_DIR SOURCE_DIR WORK_DIR (install.netext_build)
#
# `netext build` as a user runs it: netext installed into a scratch prefix, the example app
# (examples/pktcount) copied to a directory outside the source tree, built there with the
# installed CLI for both backends, attached from its build directory to a veth in a
# namespace (eBPF, on this kernel), traffic counted. Bad input fails with a message naming
# the cause, a non-zero exit, and no output. Leaves WORK_DIR/prefix and WORK_DIR/pktcount.netext
# (and pktcount-ebpf.netext) for the guest test (guest.netext_build).
set -u
build=$1 src=$2 work=$3
. "$(dirname "$0")/../support/checks.sh"
# the CLI and the tools are sanitised in CI's build; their exit-time leak reports are not
# what this test is about
export ASAN_OPTIONS=detect_leaks=0

rm -rf "$work"
mkdir -p "$work"
cmake --install "$build" --prefix "$work/prefix" >"$work/install.log" 2>&1 ||
	{ cat "$work/install.log"; echo "FAIL: cmake --install"; exit 1; }
netext=$work/prefix/bin/netext
apps=$(mktemp -d /tmp/netext-user-app.XXXXXX)
ns=nxb$$
cleanup() {
	ip netns del ${ns}a 2>/dev/null
	ip netns del ${ns}b 2>/dev/null
	rm -rf "$apps"
}
trap cleanup EXIT
cp -r "$src/examples/pktcount" "$apps/pktcount"
cp -r "$src/toolchain/tests/gate/bad_pointer" "$src/toolchain/tests/gate/deep_stack" "$apps/"
cd "$work"

# What a build directory holds. The module for netext's default kernel (the guest's, not
# this machine's, which has no netext.ko: a build without --kernel is refused here).
kernel=$(sed -n 's/^[[:space:]]*set(NETEXT_KERNEL_RELEASE "\([^"]*\)")$/\1/p' \
	"$(find "$work/prefix" -name netextNative.cmake | head -n 1)" | head -n 1)
"$netext" build "$apps/pktcount/pktcount.cpp" --backend both --kernel "$kernel" >both.out 2>&1
rc=$?
cat both.out
check "build --backend both: exit 0" [ $rc -eq 0 ]
check "the eBPF object, the module and the manifest" [ -f pktcount.netext/pktcount.bpf.o ] &&
	[ -f pktcount.netext/netext_app_pktcount.ko ] && [ -f pktcount.netext/netext-app.json ]
check "manifest: name, both backends, kernel release" grep -q '"name": "pktcount"' \
	pktcount.netext/netext-app.json && grep -q '"native"' pktcount.netext/netext-app.json &&
	grep -q '"kernel": "[0-9]' pktcount.netext/netext-app.json
check "the module is a kernel module for netext.ko" sh -c \
	"modinfo pktcount.netext/netext_app_pktcount.ko | grep -q 'depends:.*netext'"
check "no scratch directory left" sh -c '! ls -d *.tmp-* 2>/dev/null'
"$netext" build "$apps/pktcount/pktcount.cpp" -o pktcount-ebpf.netext >ebpf.out 2>&1
check "build --backend ebpf (default) into -o DIR" [ $? -eq 0 ] &&
	[ -f pktcount-ebpf.netext/pktcount.bpf.o ] && [ ! -e pktcount-ebpf.netext/netext_app_pktcount.ko ] ||
	cat ebpf.out
"$netext" build "$apps/pktcount/pktcount.cpp" -o pktcount-ebpf.netext >/dev/null 2>&1
check "building again into the same directory replaces it" [ $? -eq 0 ] &&
	[ -f pktcount-ebpf.netext/pktcount.bpf.o ]

# Bad input: the cause named, non-zero exit, nothing made.
expect_fail() { # description exit-status pattern-in-output args...
	d=$1 want=$2 pat=$3
	shift 3
	before=$(ls)
	"$netext" build "$@" >"$apps/fail.out" 2>&1
	rc=$?
	if [ $rc -eq "$want" ] && grep -q -- "$pat" "$apps/fail.out" && [ "$(ls)" = "$before" ]; then
		ok "$d"
	else
		bad "$d (exit $rc, want $want; output:)"
		cat "$apps/fail.out"
		echo "directory before: $before; after: $(ls)"
	fi
}
expect_fail "checker rejects a raw pointer for native" 1 "error: \[raw-pointer\]" \
	"$apps/bad_pointer/app.cpp" --backend native --name bad_pointer --kernel "$kernel"
expect_fail "stack bound rejects a deep stack for native" 1 \
	"worst stack path [0-9]* bytes exceeds the budget" \
	"$apps/deep_stack/app.cpp" --backend both --name deep_stack --kernel "$kernel"
expect_fail "no such source: exit 4" 4 "no source file" "$apps/nosuch.cpp"
expect_fail "not C++: exit 2" 2 "not a C++ source" "$apps/pktcount/pktcount.hpp"
expect_fail "unknown backend: exit 2" 2 "unknown backend 'rex'" \
	"$apps/pktcount/pktcount.cpp" --backend rex
expect_fail "bad name: exit 2" 2 "cannot name an app" "$apps/pktcount/pktcount.cpp" --name Bad-Name
expect_fail "a built-in app's name: exit 2" 2 "built-in app's name" \
	"$apps/pktcount/pktcount.cpp" --name counter
mkdir -p notmine && echo keep >notmine/file
expect_fail "output over a directory that is not a build: exit 5" 5 \
	"is not a netext build directory" "$apps/pktcount/pktcount.cpp" -o notmine
check "that directory is untouched" grep -q keep notmine/file
rm -rf notmine
# an app that does not compile: the compiler's error, nothing made
printf '#include <netext/xdp.hpp>\nNETEXT_XDP(broken) { return nope; }\n' >"$apps/broken.cpp"
expect_fail "an app that does not compile" 1 "broken.cpp:2:.*error" "$apps/broken.cpp"

# Attached from its build directory, on a veth pair between two namespaces.
ip netns add ${ns}a
ip netns add ${ns}b
ip -n ${ns}a link add nxb0 type veth peer name nxb1 netns ${ns}b
ip -n ${ns}a addr add 198.18.60.1/24 dev nxb0
ip -n ${ns}b addr add 198.18.60.2/24 dev nxb1
ip -n ${ns}a link set nxb0 up
ip -n ${ns}b link set nxb1 up
"$netext" -n ${ns}a attach nxb0 pktcount.netext
check "attach IFACE DIR" [ $? -eq 0 ]
"$netext" -n ${ns}a status nxb0 | tee status.out
check "status shows the app" grep -q "pktcount *ebpf *ok" status.out
ip netns exec ${ns}b ping -c 5 -i 0.2 -W 2 198.18.60.1 >ping.out
check "pings answered" grep -q " 0% packet loss" ping.out
"$netext" -n ${ns}a map nxb0 pktcount dump counts | tee counts.out
check "ICMP counted (key 0, at least 5, summed over CPUs)" \
	grep -Eq '^0: ([5-9]|[1-9][0-9]+)  \(summed over CPUs\)' counts.out
"$netext" -n ${ns}a attach nxb0 pktcount.netext >dup.out 2>&1
check "attaching it twice: conflict (exit 5)" [ $? -eq 5 ]
"$netext" -n ${ns}a detach nxb0 pktcount
check "detach" [ $? -eq 0 ]
check "no XDP program left" sh -c "! ip -n ${ns}a link show dev nxb0 | grep -q xdp"
check "no pins left" sh -c "! ls /sys/fs/bpf/netext/netns:${ns}a 2>/dev/null | grep -q ."
"$netext" -n ${ns}a attach nxb0 "$work" >nodir.out 2>&1
rc=$?
check "a directory that is no build: exit 4, named" [ $rc -eq 4 ] &&
	grep -q "is not a netext build directory" nodir.out

[ $fails -eq 0 ] || { echo "$fails failed"; exit 1; }
echo "all passed"
