#!/usr/bin/env bash
# The README's main-job command: installs what is needed, builds, and runs the BMC demo on
# a throwaway testbed (two network namespaces joined by a veth pair, removed afterwards):
# a real memcached in one namespace, the load generator in the other, a short load against
# memcached alone, with the eBPF-C BMC baseline, and with netext's BMC, and the comparison.
# Run as root from a clone: sudo ./scripts/demo.sh
source "$(dirname "$0")/common.sh"
require_root "attaching XDP/tc programs and creating namespaces"
./scripts/install-deps.sh
build build/release "netext-bench-bmc-e2e netext-mcload netext netext-demo netext-bench-linerate" \
	-DCMAKE_BUILD_TYPE=Release -DNETEXT_BUILD_TESTS=OFF
build/release/bench/netext-bench-bmc-e2e --short "$@"
# The same configurations at line rate: the load made in the kernel (BPF_PROG_TEST_RUN,
# XDP live frames), so the client is never the limit.
echo
echo "== line rate: netext-bench-linerate --app bmc --short =="
exec build/release/bench/netext-bench-linerate --app bmc --short
