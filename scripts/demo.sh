#!/usr/bin/env bash
# The README's main-job command: installs what is needed, builds, and runs the demo on a
# throwaway testbed (two network namespaces joined by a veth pair, removed afterwards).
# Run as root from a clone: sudo ./scripts/demo.sh
set -euo pipefail
cd "$(dirname "$0")/.."

if [ "$(id -u)" -ne 0 ]; then
	echo "demo: attaching XDP/tc programs and creating namespaces needs root (sudo $0)" >&2
	exit 1
fi

./scripts/install-deps.sh
build=build/release
cmake -S . -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=Release \
	-DCMAKE_C_COMPILER=gcc-12 -DCMAKE_CXX_COMPILER=g++-12 -DNETEXT_BUILD_TESTS=OFF
cmake --build "$build" -j "$(nproc)" --target netext-demo
exec "$build/demo/netext-demo"
