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
apt-get update -q
apt-get install -y -q --no-install-recommends "${packages[@]}"
