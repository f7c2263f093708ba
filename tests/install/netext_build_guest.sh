#!/bin/sh
# netext_build_guest.sh WORK_DIR (guest.netext_build, in the qemu guest)
#
# The user's app that install.netext_build built with the installed netext (WORK_DIR/prefix),
# run from its build directory with --backend native: the installed CLI loads the installed
# netext.ko and the app's own module, a veth pair in namespaces carries pings, the app's
# map counts them, detach unloads both modules. Also: the same build directory on the
# eBPF backend of this kernel, and a directory built for eBPF only refused for native.
set -u
work=$1
netext=$work/prefix/bin/netext
. "$(dirname "$0")/../support/checks.sh"
loaded() { [ -e /sys/module/$1 ]; }
nothing_left() {
	left=""
	for m in netext_app_pktcount netext; do loaded $m && left="$left module $m;"; done
	[ -z "$(ls /sys/fs/bpf/netext 2>/dev/null)" ] || left="$left pins;"
	ip -n A link show dev eth0 | grep -q xdp && left="$left XDP;"
	[ -z "$left" ] || echo "left behind:$left"
	[ -z "$left" ]
}
inns() { ip netns exec A "$@"; }
cd "$work"

ip netns add A
ip netns add B
ip -n A link add eth0 type veth peer name eth0 netns B
ip -n A addr add 198.18.0.1/24 dev eth0
ip -n B addr add 198.18.0.2/24 dev eth0
ip -n A link set eth0 up
ip -n B link set eth0 up

inns "$netext" attach eth0 pktcount-ebpf.netext --backend native >refused.out 2>&1
rc=$?
cat refused.out
check "an eBPF-only build refused for native: exit 2" [ $rc -eq 2 ] &&
	grep -q "built for the eBPF backend only" refused.out
check "refused: nothing loaded or left" nothing_left

inns "$netext" attach eth0 pktcount.netext --backend native
check "attach IFACE DIR --backend native" [ $? -eq 0 ]
check "netext.ko (installed) and the app's module (its build) loaded" loaded netext &&
	loaded netext_app_pktcount
# The guest's clock runs while qemu waits for the host CPU: a budget a busy host cannot hit.
echo 200000 >/sys/module/netext/parameters/watchdog_us
inns "$netext" status eth0 | tee status.out
check "status shows pktcount on the native backend" grep -q "pktcount *native" status.out
ip netns exec B ping -c 5 -i 0.2 -W 2 198.18.0.1 >ping.out
check "pings answered through the native program" grep -q " 0% packet loss" ping.out
inns "$netext" map eth0 pktcount dump counts | tee counts.out
check "ICMP counted by the native code (key 0, at least 5)" \
	grep -Eq '^0: ([5-9]|[1-9][0-9]+)  \(summed over CPUs\)' counts.out
check "/dev/netext: invocations of pktcount_xdp" \
	sh -c "grep -E '^[0-9]+ pktcount pktcount_xdp xdp [1-9]' /dev/netext"
inns "$netext" detach eth0 pktcount
check "detach" [ $? -eq 0 ]
check "both modules unloaded, nothing left" nothing_left

inns "$netext" attach eth0 pktcount.netext
check "the same directory on the eBPF backend of this kernel" [ $? -eq 0 ]
ip netns exec B ping -c 3 -i 0.2 -W 2 198.18.0.1 >/dev/null
inns "$netext" map eth0 pktcount dump counts | tee counts.out
check "ICMP counted by the eBPF program" grep -Eq '^0: [3-9]' counts.out
inns "$netext" detach eth0 pktcount
check "detach (eBPF)" nothing_left

ip netns del A
ip netns del B
[ $fails -eq 0 ] || { echo "$fails failed"; exit 1; }
echo "all passed"
