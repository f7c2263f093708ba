#!/usr/bin/env bash
# The README's test command: installs what is needed, builds with AddressSanitizer and
# UBSan, and runs the whole suite (unit, negative-compile, eBPF on this kernel,
# differential, CLI on testbeds, install, the Debian-kernel guest, style).
# Run as root from a clone: sudo ./scripts/test.sh
source "$(dirname "$0")/common.sh"
require_root "the suite loads BPF programs and creates network namespaces; it"
./scripts/install-deps.sh
build build/test all -DCMAKE_BUILD_TYPE=RelWithDebInfo -DNETEXT_SANITIZE=ON
cd build/test
ctest --output-on-failure -j "$(nproc)"
