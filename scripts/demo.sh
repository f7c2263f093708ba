#!/usr/bin/env bash
# The README's main-job command: installs what is needed, builds, and runs the demo on a
# throwaway testbed (two network namespaces joined by a veth pair, removed afterwards).
# Run as root from a clone: sudo ./scripts/demo.sh
source "$(dirname "$0")/common.sh"
require_root "attaching XDP/tc programs and creating namespaces"
./scripts/install-deps.sh
build build/release "netext-demo netext" -DCMAKE_BUILD_TYPE=Release -DNETEXT_BUILD_TESTS=OFF
exec build/release/demo/netext-demo
