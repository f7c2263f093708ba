#!/usr/bin/env bash
# bench/native_cost.sh [BUILD_DIR [CALLS [CSV]]]
#
# The native backend against eBPF, per packet, in the Debian-kernel qemu guest (the only
# kernel here that loads modules): boots it with netext-native-bench (empty program,
# dispatcher and watchdog shares, counter, BMC), then with the LB's guest test (the LB's
# rows: it configures the LB's maps through libnetext's control plane and a forwarding
# table), prints the table and writes CSV (default bench/results/native_cost.csv). CALLS
# single runs per figure (default 3000). Under TCG absolute nanoseconds mean little; the
# ratios are the figure.
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
build=${1:-$here/build/release}
calls=${2:-3000}
csv=${3:-$here/bench/results/native_cost.csv}
kmod=$build/kmod
[ -f "$kmod/native_bench.args" ] || { echo "native_cost.sh: $kmod/native_bench.args missing: build the tree with the kernel headers installed (scripts/install-deps.sh)" >&2; exit 1; }
out=$(mktemp)
trap 'rm -f "$out"' EXIT
guest() { # args file
	read -r -a args <"$1"
	for i in "${!args[@]}"; do args[$i]=${args[$i]//@CALLS@/$calls}; done
	"$here/tests/guest/run.sh" --timeout 900 "${args[@]}" | tee -a "$out"
}
guest "$kmod/native_bench.args"
[ -f "$kmod/native_lb_bench.args" ] && guest "$kmod/native_lb_bench.args" >/dev/null
mkdir -p "$(dirname "$csv")"
{
	echo "case,ebpf_ns,native_ns,ratio,calls"
	grep '^csv,"' "$out" | sed 's/^csv,//' | tr -d '\r'
} >"$csv"
[ "$(wc -l <"$csv")" -gt 1 ] || { echo "native_cost.sh: no figures" >&2; exit 1; }
echo
echo "all rows (guard rows: the without and with columns), per packet in the TCG guest:"
cat "$csv"
echo "CSV: $csv"
