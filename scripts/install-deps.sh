#!/usr/bin/env bash
# Installs every Debian 12 package netext needs to build, test and demo.
# Idempotent: apt-get skips what is already installed. Run as root.
set -euo pipefail

if [ "$(id -u)" -ne 0 ]; then
	echo "install-deps: must run as root (apt-get needs it); try: sudo $0" >&2
	exit 1
fi

packages=(
	# build
	build-essential cmake ninja-build pkg-config gcc-12 g++-12 git clang-format clang-tidy
	# eBPF toolchain: clang-16 compiles extensions to BPF; llvm-16 for llvm-objdump/strip
	clang-16 llvm-16 lld-16
	# libFuzzer for the parser fuzz target
	clang-14 libclang-rt-14-dev
	# kernel-side libraries and tools
	libbpf-dev libxdp-dev xdp-tools bpftool libelf-dev zlib1g-dev libzstd-dev libpcap-dev
	# C++ libraries: Boost 1.81 has PFR (1.74 does not)
	libboost1.81-dev libgtest-dev libgmock-dev libbenchmark-dev nlohmann-json3-dev
	# the qemu guest that runs the tests on Debian's packaged kernel
	linux-image-amd64 qemu-system-x86 busybox-static cpio file xz-utils zstd
	# the native backend's kernel modules: kbuild for that kernel, pahole for module BTF
	linux-headers-amd64 dwarves
	# netext-check, the safe-subset checker: Clang's tooling libraries
	libclang-cpp16-dev libclang-16-dev llvm-16-dev
	# networking test harness
	iproute2 iputils-ping ethtool netcat-openbsd kmod util-linux libcap2-bin
	# benchmarks and plots
	gnuplot-nox memcached
	# the DPDK baseline (bench/dpdk: netext-dpdk-bump), DPDK 22.11 found by pkg-config libdpdk
	dpdk-dev libdpdk-dev
)

export DEBIAN_FRONTEND=noninteractive

# The second guest kernel: Debian's 6.12 (Debian 13's series, IBT and return thunks on) from
# bookworm-backports, next to stable's 6.1 (the native backend is built and tested on both).
backports=/etc/apt/sources.list.d/netext-bookworm-backports.list
backports_line='deb http://deb.debian.org/debian bookworm-backports main'
if ! grep -qsxF "$backports_line" "$backports"; then
	echo "$backports_line" > "$backports"
fi

apt-get update -q
apt-get install -y -q --no-install-recommends "${packages[@]}"

# The newest 6.12 image and its headers, by the versioned names (the backports metapackage
# linux-image-amd64 would replace stable's 6.1 one); the release is discovered here, never
# written down.
kernel612=$(apt-cache search --names-only '^linux-image-6\.12\.[0-9]+\+deb12-amd64$' |
	cut -d' ' -f1 | sort -V | tail -n 1)
if [ -z "$kernel612" ]; then
	echo "install-deps: no linux-image-6.12.*+deb12-amd64 in bookworm-backports ($backports)" >&2
	exit 1
fi
apt-get install -y -q --no-install-recommends -t bookworm-backports \
	"$kernel612" "${kernel612/linux-image-/linux-headers-}"
