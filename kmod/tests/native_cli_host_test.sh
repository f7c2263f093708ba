#!/bin/sh
# native_cli_host_test.sh NETEXT_CLI (native.cli_refused, on the development machine)
#
# On a kernel that cannot load modules, `attach --backend native` fails at once with a
# message naming the cause and exit 6, leaving nothing behind. Skipped (77) elsewhere.
set -u
netext=$1
[ "$(id -u)" -eq 0 ] || { echo "skipped: needs root"; exit 77; }
if [ -e /proc/modules ] && ! grep -qs '\[integrity\]\|\[confidentiality\]' \
	/sys/kernel/security/lockdown && [ "$(cat /proc/sys/kernel/modules_disabled)" != 1 ]; then
	echo "skipped: this kernel can load modules (the guest tests cover it)"
	exit 77
fi
before=$(ls /sys/fs/bpf/netext 2>/dev/null)
out=$("$netext" attach lo counter --backend native 2>&1)
rc=$?
echo "$out"
[ $rc -eq 6 ] || { echo "FAIL: exit $rc, expected 6"; exit 1; }
echo "$out" | grep -q "does not allow loading modules\|cannot load modules" ||
	{ echo "FAIL: the message does not name the cause"; exit 1; }
echo "$out" | grep -q -- "--backend ebpf" || { echo "FAIL: no hint"; exit 1; }
[ "$(ls /sys/fs/bpf/netext 2>/dev/null)" = "$before" ] || { echo "FAIL: pins left"; exit 1; }
ip link show dev lo | grep -q xdp && { echo "FAIL: XDP left on lo"; exit 1; }
echo "ok"
