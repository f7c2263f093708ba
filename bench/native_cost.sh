#!/usr/bin/env bash
# bench/native_cost.sh [BUILD_DIR [CALLS [CSV]]]
#
# The native backend against eBPF, per packet, in the Debian-kernel qemu guest (the only
# kernel here that loads modules): boots it with netext-native-bench, prints the table and
# writes CSV (default bench/results/native_cost.csv). CALLS single runs per figure
# (default 3000). Under TCG absolute nanoseconds mean little; the ratios are the figure.
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
build=${1:-$here/build/release}
calls=${2:-3000}
csv=${3:-$here/bench/results/native_cost.csv}
args_file=$build/kmod/native_bench.args
[ -f "$args_file" ] || { echo "native_cost.sh: $args_file missing: build the tree with the kernel headers installed (scripts/install-deps.sh)" >&2; exit 1; }
read -r -a args <"$args_file"
for i in "${!args[@]}"; do [ "${args[$i]}" = CALLS ] && args[$i]=$calls; done
out=$(mktemp)
trap 'rm -f "$out"' EXIT
"$here/tests/guest/run.sh" --timeout 900 "${args[@]}" | tee "$out"
mkdir -p "$(dirname "$csv")"
grep '^csv,' "$out" | sed 's/^csv,//' | tr -d '\r' >"$csv"
[ "$(wc -l <"$csv")" -gt 1 ] || { echo "native_cost.sh: no figures" >&2; exit 1; }
echo "CSV: $csv"
