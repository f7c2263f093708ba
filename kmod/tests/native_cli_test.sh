#!/bin/sh
# native_cli_test.sh NETEXT_CLI (guest.native_cli, in the qemu guest)
#
# The real CLI with --backend native: counter on a veth in a namespace counts pings,
# status says "native", detach unloads the modules attach loaded; failed attaches (unknown
# app, a failure injected at each step) leave no module, pin or program behind.
set -u
netext=$1
. "$(dirname "$0")/../../tests/support/checks.sh"
loaded() { [ -e /sys/module/$1 ]; }
nothing_left() { # after a failed or undone attach: no module, pin or XDP program
	left=""
	for m in netext_app_counter netext; do
		loaded $m && left="$left module $m (refcnt $(cat /sys/module/$m/refcnt));"
	done
	[ -z "$(ls /sys/fs/bpf/netext 2>/dev/null)" ] || left="$left pins;"
	ip -n A link show dev eth0 | grep -q xdp && left="$left XDP;"
	[ -z "$left" ] || echo "left behind:$left"
	[ -z "$left" ]
}
inns() { ip netns exec A "$@"; }

ip netns add A
ip netns add B
ip -n A link add eth0 type veth peer name eth0 netns B
ip -n A addr add 198.18.0.1/24 dev eth0
ip -n B addr add 198.18.0.2/24 dev eth0
ip -n A link set eth0 up
ip -n B link set eth0 up
ip -n A link set lo up
ip -n B link set lo up

# Failures first: nothing loaded before, nothing after.
inns "$netext" attach eth0 nosuch --backend native
check "unknown app: exit 4" [ $? -eq 4 ]
check "unknown app: nothing left" nothing_left
for step in modules bind load tc pin; do
	NETEXT_FAULT_INJECT=$step inns "$netext" attach eth0 counter --backend native >/tmp/out 2>&1
	rc=$?
	check "failure injected after '$step': exit 1" [ $rc -eq 1 ]
	check "failure injected after '$step': nothing left" nothing_left || cat /tmp/out
done
inns "$netext" attach eth0 counter --backend native --set x=1
check "--set with native: usage error" [ $? -eq 2 ]
check "--set with native: nothing left" nothing_left

# The real thing.
inns "$netext" attach eth0 counter --backend native
check "attach counter --backend native" [ $? -eq 0 ]
check "netext.ko and the app module loaded" loaded netext && loaded netext_app_counter
# The guest's clock runs while qemu waits for the host CPU: a budget a busy host cannot hit.
echo 200000 >/sys/module/netext/parameters/watchdog_us
inns "$netext" status eth0 | tee /tmp/status
check "status shows the native backend" grep -q "counter.*native" /tmp/status
check "XDP program attached" sh -c 'ip -n A link show dev eth0 | grep -q xdp'
ip netns exec B ping -c 5 -i 0.2 -W 2 198.18.0.1 >/tmp/ping
check "ping through the native program" grep -q " 0% packet loss" /tmp/ping
inns "$netext" stats eth0 counter --json | tee /tmp/stats
# ICMP echo requests in, replies out (tc egress): both counted
check "stats count the pings" grep -Eq '"packets": *([5-9]|[1-9][0-9]+)' /tmp/stats
cat /dev/netext
check "/dev/netext: invocations" sh -c "grep -E '^[0-9]+ counter count_xdp xdp [1-9]' /dev/netext"
inns "$netext" attach eth0 counter --backend native
check "second attach: conflict (exit 5)" [ $? -eq 5 ]
check "still loaded after the refused attach" loaded netext_app_counter
inns "$netext" detach eth0 counter
check "detach" [ $? -eq 0 ]
check "modules unloaded, pins and programs gone" nothing_left

# A module loaded by someone else stays; its maps are unbound on detach. netext.ko for this
# kernel from where the CLI takes it: NETEXT_MODULE_DIR, else the build tree's
# kmod/<release>/ (another kernel than the build's default) or kmod/.
moddir=${NETEXT_MODULE_DIR:-$(dirname "$netext")/../kmod}
if [ -z "${NETEXT_MODULE_DIR:-}" ] && [ -e "$moddir/$(uname -r)/netext.ko" ]; then
	moddir=$moddir/$(uname -r)
fi
insmod "$moddir/netext.ko"
check "netext.ko loaded by hand ($moddir)" loaded netext
if loaded netext; then
	inns "$netext" attach eth0 counter --backend native >/dev/null
	check "attach with netext.ko already loaded" [ $? -eq 0 ]
	inns "$netext" detach eth0 counter >/dev/null
	check "the app module unloaded, netext.ko kept" sh -c '! [ -e /sys/module/netext_app_counter ] && [ -e /sys/module/netext ]'
	rmmod netext
fi

ip netns del A
ip netns del B
echo "native_cli: $fails failure(s)"
[ $fails -eq 0 ]
