#!/usr/bin/env bash
# tests/guest/run.sh [--kernel RELEASE] [--timeout SECONDS] [--smp CPUS] [--tcg single|multi]
#                    [--loglevel N] [--icount] [--save PREFIX FILE] [--copy PATH]... -- COMMAND [ARGS...]
#
# --kernel RELEASE: the Debian kernel to boot (/boot/vmlinuz-RELEASE with its modules in
# /lib/modules/RELEASE), e.g. 6.12.118+deb12-amd64. Default: the newest release of the oldest
# series installed (Debian 12's 6.1 when bookworm-backports' 6.12 is there too), the kernel
# kmod/CMakeLists.txt builds its default modules for. `run.sh --list-kernels` prints the
# installed releases, one a line.
# --smp CPUS: the guest's CPU count (default 1); more than one runs qemu's multi-threaded
# TCG (one host thread per vCPU) unless --tcg single (every vCPU on one host thread, in
# turn). --loglevel N: the console log level (default 4); 8 also
# sets ignore_loglevel, so every kernel message is written to the (slow) serial console.
# --save PREFIX FILE: the guest's output lines that start with PREFIX are written to FILE on
# the host afterwards (e.g. the verifier's counts per kernel: tests/guest/verifier_counts.c).
# --icount: qemu's -icount shift=0,align=off,sleep=off (one vCPU, single-threaded TCG): the
# guest clock advances 1 ns per executed instruction, so guest-measured durations (e.g.
# BPF_PROG_TEST_RUN's) are exact instruction counts, the same run to run (bench/native_cost.sh).
#
# Boots Debian's packaged kernel (found at run time, see --kernel) under qemu with TCG, in an initramfs holding busybox, the kernel modules the tests need
# (veth, sch_ingress, cls_bpf), the tools they call (ip, tc, nc, ping, setpriv, nsenter,
# bpftool, xdp-loader) and every --copy PATH (binaries with their shared libraries, or
# whole build directories) at the same absolute paths, then runs COMMAND as root there.
#
# Exit status: COMMAND's; 124 if the guest hung past the timeout; 125 if the guest kernel
# logged an oops, BUG or WARNING; 126 if the guest did not report at all.
set -euo pipefail

timeout_s=600
kver=
smp=1
tcg=
loglevel=4
icount=0
copies=()
save_prefix=
save_file=
while [ $# -gt 0 ]; do
	case "$1" in
	--timeout) timeout_s=$2; shift 2 ;;
	--kernel) kver=$2; shift 2 ;;
	--list-kernels)
		ls /boot/vmlinuz-*-amd64 2>/dev/null | sed 's|^/boot/vmlinuz-||' | sort -V
		exit 0 ;;
	--smp) smp=$2; shift 2 ;;
	--tcg) tcg=$2; shift 2 ;;
	--loglevel) loglevel=$2; shift 2 ;;
	--icount) icount=1; shift ;;
	--copy) copies+=("$2"); shift 2 ;;
	--save) save_prefix=$2; save_file=$3; shift 3 ;;
	--) shift; break ;;
	*) echo "run.sh: unknown option $1" >&2; exit 2 ;;
	esac
done
[ $# -gt 0 ] || { echo "usage: run.sh [--kernel RELEASE] [--timeout S] [--smp CPUS] [--tcg single|multi] [--loglevel N] [--icount] [--save PREFIX FILE] [--copy PATH]... -- COMMAND" >&2; exit 2; }
case "$smp" in ''|*[!0-9]*|0) echo "run.sh: --smp wants a CPU count, not '$smp'" >&2; exit 2 ;; esac
case "$loglevel" in [0-8]) ;; *) echo "run.sh: --loglevel wants 0-8, not '$loglevel'" >&2; exit 2 ;; esac
case "$tcg" in ''|single|multi) ;; *) echo "run.sh: --tcg wants single or multi, not '$tcg'" >&2; exit 2 ;; esac
[ -n "$tcg" ] || { [ "$smp" -gt 1 ] && tcg=multi || tcg=single; }
accel=tcg,thread=$tcg
qemu_extra=()
if [ "$icount" = 1 ]; then
	[ "$smp" -eq 1 ] || { echo "run.sh: --icount needs one vCPU (qemu's icount is single-threaded TCG), not --smp $smp" >&2; exit 2; }
	qemu_extra=(-icount shift=0,align=off,sleep=off)
fi
# no_timer_check: the boot-time check that the timer interrupt arrives is timing-based and,
# on a loaded host under TCG, once panicked ("IO-APIC + timer doesn't work!")
append="console=ttyS0 quiet panic=-1 loglevel=$loglevel no_timer_check"
[ "$loglevel" -ge 8 ] && append="$append ignore_loglevel"

if [ -z "$kver" ]; then
	# the newest release of the oldest series (major.minor)
	releases=$(ls /boot/vmlinuz-*-amd64 2>/dev/null | sed 's|^/boot/vmlinuz-||' | sort -V)
	if [ -z "$releases" ]; then
		echo "run.sh: no Debian kernel in /boot (install linux-image-amd64: scripts/install-deps.sh)" >&2
		exit 126
	fi
	series=$(echo "$releases" | head -n 1 | cut -d. -f1-2)
	kver=$(echo "$releases" | awk -v p="$series." 'index($0, p) == 1' | tail -n 1)
fi
kernel=/boot/vmlinuz-$kver
if [ ! -r "$kernel" ] || [ ! -d "/lib/modules/$kver" ]; then
	echo "run.sh: no kernel $kver (/boot/vmlinuz-$kver and /lib/modules/$kver; installed:" \
		$(ls /boot/vmlinuz-*-amd64 2>/dev/null | sed 's|^/boot/vmlinuz-||') \
		"; install linux-image-$kver: scripts/install-deps.sh)" >&2
	exit 126
fi

work=$(mktemp -d /tmp/netext-guest.XXXXXX)
trap 'rm -rf "$work"' EXIT
root=$work/root
mkdir -p "$root"/{usr/bin,usr/sbin,usr/lib,bbin,dev,proc,sys,tmp,run,etc,var,lib64} "$root/usr/lib/modules"
ln -s usr/bin "$root/bin"
ln -s usr/sbin "$root/sbin"
ln -s usr/lib "$root/lib"
ln -s ../run "$root/var/run"

# A file and, for ELF executables and libraries, every shared library it needs.
copy_file() {
	local f=$1
	[ -e "$root$f" ] && return 0
	mkdir -p "$root$(dirname "$f")"
	cp -L "$f" "$root$f"
	if file -L "$f" | grep -q 'ELF.*dynamic'; then
		{ ldd "$f" 2>/dev/null || true; } | { grep -o '/[^ ]*' || true; } | while read -r lib; do
			if [ -e "$lib" ]; then copy_file "$lib"; fi
		done
	fi
}
copy_path() {
	if [ -d "$1" ]; then
		find "$1" -type f \( -perm -u+x -o -name '*.o' \) -print | while read -r f; do
			copy_file "$f"
		done
	else
		copy_file "$1"
	fi
}

# Busybox for the basics, but dash as /bin/sh: Debian's busybox shell runs its own applets
# in preference to PATH, which would shadow iproute2's ip and tc. util-linux's unshare too:
# busybox's runs `sh -c` as its own shell, whose ip is busybox's.
cp /bin/busybox "$root/bin/busybox"
copy_file /usr/bin/dash
ln -s dash "$root/usr/bin/sh" 2>/dev/null || true
for tool in ip tc nc ping setpriv nsenter unshare bpftool xdp-loader cat grep stat; do
	copy_file "$(command -v "$tool")"
done
copy_file /usr/lib/x86_64-linux-gnu/bpf/xdp-dispatcher.o
for p in "${copies[@]}"; do copy_path "$p"; done

# Modules and what they depend on, decompressed for busybox insmod, in load order.
modules=()
add_module() {
	local name=$1 path dep
	path=$(modinfo -k "$kver" -n "$name" 2>/dev/null) || { echo "run.sh: no module $name in $kver" >&2; exit 126; }
	for dep in $(modinfo -k "$kver" -F depends "$name" | tr ',' ' '); do add_module "$dep"; done
	case " ${modules[*]} " in *" $name "*) return ;; esac
	modules+=("$name")
	case "$path" in
	*.xz) xz -dc "$path" > "$root/lib/modules/$name.ko" ;;
	*.zst) zstd -dcq "$path" > "$root/lib/modules/$name.ko" ;;
	*) cp "$path" "$root/lib/modules/$name.ko" ;;
	esac
}
for m in veth sch_ingress cls_bpf ipip ip6_tunnel bridge; do add_module "$m"; done

# Users for programs that drop privileges (memcached -u nobody).
printf 'root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/nonexistent:/bin/false\n' > "$root/etc/passwd"
printf 'root:x:0:\nnogroup:x:65534:\n' > "$root/etc/group"

printf '%q ' "$@" > "$root/command"
cat > "$root/init" <<INIT
#!/bin/busybox sh
/bin/busybox --install -s /bbin
export PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/bbin
mount -t proc proc /proc
mount -t sysfs sys /sys
mount -t devtmpfs dev /dev
mount -t tmpfs run /run
chmod 1777 /tmp # the initramfs root is writable already; a tmpfs here would hide copies under /tmp
mount -t bpf bpf /sys/fs/bpf
mount --make-rshared /
for m in ${modules[*]}; do insmod /lib/modules/\$m.ko || echo "NETEXT_GUEST: insmod \$m failed"; done
ip link set lo up
echo "NETEXT_GUEST_BEGIN kernel \$(uname -r)"
/bin/sh /command
echo "NETEXT_GUEST_EXIT=\$?"
if dmesg | grep -E "Oops|BUG:|WARNING:|Call Trace" >/dev/null; then
	dmesg | grep -E -A20 "Oops|BUG:|WARNING:" | head -60
	echo "NETEXT_GUEST_KERNEL_PROBLEM"
fi
poweroff -f
INIT
chmod +x "$root/init"
(cd "$root" && find . | cpio -o -H newc --quiet | gzip -1) > "$work/initramfs.gz"

log=$work/console.log
set +e
timeout "$timeout_s" qemu-system-x86_64 -accel "$accel" -cpu max -m 2048 -smp "$smp" ${qemu_extra[@]+"${qemu_extra[@]}"} \
	-kernel "$kernel" -initrd "$work/initramfs.gz" \
	-append "$append" \
	-nographic -no-reboot -monitor none -serial stdio < /dev/null | tee "$log"
qemu_rc=${PIPESTATUS[0]}
set -e
if [ -n "$save_file" ]; then
	{ tr -d '\r' < "$log" | grep -- "^$save_prefix" || true; } > "$save_file"
fi
if [ "$qemu_rc" -eq 124 ]; then
	echo "run.sh: the guest hung for ${timeout_s}s" >&2
	exit 124
fi
# the guest's own check, or a panic that ended the guest before it could report
if grep -q NETEXT_GUEST_KERNEL_PROBLEM "$log" || grep -Eq 'Oops|BUG:|WARNING:|Kernel panic' "$log"; then
	echo "run.sh: the guest kernel logged an oops/BUG/WARNING" >&2
	exit 125
fi
code=$({ grep -o 'NETEXT_GUEST_EXIT=[0-9]*' "$log" || true; } | tail -n 1 | cut -d= -f2)
if [ -z "$code" ]; then
	echo "run.sh: the guest did not report (see the console log above)" >&2
	exit 126
fi
exit "$code"
