#!/usr/bin/env bash
# The README's test command: installs what is needed, builds with AddressSanitizer and
# UBSan, and runs the whole suite (unit, negative-compile, eBPF-on-this-kernel,
# differential, testbed). Run as root from a clone: sudo ./scripts/test.sh
set -euo pipefail
cd "$(dirname "$0")/.."

if [ "$(id -u)" -ne 0 ]; then
	echo "test: the suite loads BPF programs and creates network namespaces: run as root (sudo $0)" >&2
	exit 1
fi

./scripts/install-deps.sh
build=build/test
cmake -S . -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
	-DCMAKE_C_COMPILER=gcc-12 -DCMAKE_CXX_COMPILER=g++-12 -DNETEXT_SANITIZE=ON
cmake --build "$build" -j "$(nproc)"
cd "$build"
ctest --output-on-failure -j "$(nproc)"
