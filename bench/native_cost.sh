#!/usr/bin/env bash
# bench/native_cost.sh [--wall] [--check CSV] [BUILD_DIR [CALLS [CSV]]]
#
# The native backend against eBPF, per packet, in the Debian-kernel qemu guest (the only
# kernel here that loads modules): boots it with netext-native-bench (empty program,
# dispatcher and watchdog shares, counter, BMC), then with the LB's guest test (the LB's
# rows: it configures the LB's maps through libnetext's control plane and a forwarding
# table), prints the table and writes CSV (default bench/results/native_cost.csv).
#
# The figure is an instruction count: the guest runs under qemu's
# -icount shift=0,align=off,sleep=off (tests/guest/run.sh --icount), where the guest clock
# advances one nanosecond per executed guest instruction, so BPF_PROG_TEST_RUN's duration
# is the number of x86 instructions one run of the program executes (the kernel's
# test-run loop around it included, the same for both backends). It is exact and the same
# from run to run and on a loaded host. Each figure is the median of CALLS single runs
# (default 200; a timer interrupt landing inside a run is the only variation).
#
# --wall: also boot the guest without -icount and add its TCG wall-clock nanoseconds as
# two more columns (noisy and distorted by TCG: a second opinion only).
# --check CSV: after measuring, fail (exit 1) if a "guard: dispatcher" row's native
# figure exceeds the one recorded in CSV by more than NETEXT_DISPATCH_SLACK instructions
# (default 4), or if its eBPF figure changed (then the recorded table is out of date).
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
wall=0
check=
while [ $# -gt 0 ]; do
	case "$1" in
	--wall) wall=1; shift ;;
	--check) check=$2; shift 2 ;;
	--*) echo "native_cost.sh: unknown option $1" >&2; exit 2 ;;
	*) break ;;
	esac
done
build=${1:-$here/build/release}
calls=${2:-200}
csv=${3:-$here/bench/results/native_cost.csv}
kmod=$build/kmod
[ -f "$kmod/native_bench.args" ] || { echo "native_cost.sh: $kmod/native_bench.args missing: build the tree with the kernel headers installed (scripts/install-deps.sh)" >&2; exit 1; }
[ -z "$check" ] || [ -f "$check" ] || { echo "native_cost.sh: --check $check: no such file" >&2; exit 2; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
guest() { # OUT ARGS_FILE RUN_SH_OPTIONS...
	local out=$1 file=$2
	shift 2
	read -r -a args <"$file"
	for i in "${!args[@]}"; do args[$i]=${args[$i]//@CALLS@/$calls}; done
	"$here/tests/guest/run.sh" --timeout 1500 "$@" "${args[@]}" | tee -a "$out"
}
# the csv lines of one boot of each test: "NAME",EBPF,NATIVE,RATIO,CALLS
measure() { # OUT RUN_SH_OPTIONS...
	local out=$1
	shift
	guest "$out.log" "$kmod/native_bench.args" "$@"
	[ -f "$kmod/native_lb_bench.args" ] && guest "$out.log" "$kmod/native_lb_bench.args" "$@" >/dev/null
	grep '^csv,"' "$out.log" | sed 's/^csv,//' | tr -d '\r' >"$out"
	[ -s "$out" ] || { echo "native_cost.sh: no figures" >&2; exit 1; }
}
measure "$work/icount" --icount
mkdir -p "$(dirname "$csv")"
if [ "$wall" = 1 ]; then
	measure "$work/wall"
	# join on the case name (the first, quoted field)
	awk -F'"' 'NR == FNR { split($3, f, ","); w[$2] = f[2] "," f[3]; next }
		{ print $0 "," ($2 in w ? w[$2] : ",") }' "$work/wall" "$work/icount" >"$work/rows"
	echo "case,ebpf_insns,native_insns,ratio,calls,ebpf_wall_ns,native_wall_ns" >"$csv"
else
	cp "$work/icount" "$work/rows"
	echo "case,ebpf_insns,native_insns,ratio,calls" >"$csv"
fi
cat "$work/rows" >>"$csv"
echo
echo "per packet, in x86 instructions executed (qemu -icount; guard rows: the without and with columns):"
awk -F'"' 'NR > 1 { split($3, f, ","); printf "%-100s %8s %8s %7s\n", $2, f[2], f[3], f[4] "x" }
	NR == 1 { printf "%-100s %8s %8s %7s\n", "case", "eBPF", "native", "ratio" }' "$csv"
echo "CSV: $csv"
if [ -n "$check" ]; then
	slack=${NETEXT_DISPATCH_SLACK:-4}
	awk -F'"' -v slack="$slack" '
		NR == FNR { if ($2 ~ /^guard: dispatcher/) { split($3, f, ","); e[$2] = f[2]; n[$2] = f[3] } next }
		$2 ~ /^guard: dispatcher/ {
			split($3, f, ","); seen++
			if (!($2 in n)) { printf "native_cost.sh: %s: not in the recorded table\n", $2; bad = 1; next }
			if (f[2] != e[$2]) { printf "native_cost.sh: %s: eBPF baseline %s, recorded %s: the recorded table is out of date (bench/native_cost.sh rewrites it)\n", $2, f[2], e[$2]; bad = 1 }
			if (f[3] > n[$2] + slack) { printf "native_cost.sh: %s: %s instructions, recorded %s (+%d allowed): the dispatcher grew\n", $2, f[3], n[$2], slack; bad = 1 }
			else printf "native_cost.sh: %s: %s instructions, recorded %s: ok\n", $2, f[3], n[$2]
		}
		END { if (!seen) { print "native_cost.sh: no dispatcher row measured"; bad = 1 } exit bad }' "$check" "$csv"
fi
