#!/usr/bin/env bash
# bench/plot.sh sdk-cost CSV PNG   - instructions and ns/packet, netext C++ vs hand-written C
# bench/plot.sh mcload  CSV PNG    - requests/s per label (e.g. memcached alone vs with BMC)
# bench/plot.sh bmc-cost CSV PNG   - ns per request, netext BMC vs the eBPF-C baseline
#                                    (bench/results/bmc_cost.csv, netext-bench-bmc-cost)
# bench/plot.sh bmc-e2e CSV PNG    - requests/s and latency per configuration
#                                    (bench/results/bmc_e2e.csv, netext-bench-bmc-e2e)
# Draws PNG bar charts from the benchmarks' CSV files with gnuplot.
set -euo pipefail
[ $# -eq 3 ] || { echo "usage: bench/plot.sh sdk-cost|mcload|bmc-cost|bmc-e2e CSV PNG" >&2; exit 2; }
kind=$1 csv=$2 png=$3
command -v gnuplot >/dev/null || { echo "plot.sh: gnuplot is missing (scripts/install-deps.sh)" >&2; exit 1; }
[ -r "$csv" ] || { echo "plot.sh: cannot read $csv" >&2; exit 1; }
data=$(mktemp)
trap 'rm -f "$data"' EXIT
# Requests/s beside p50/p99 latency, from "$data" rows: label, req/s, p50, p99.
# rate_latency_chart SIZE TITLE EXTRA_GNUPLOT_SETTINGS
rate_latency_chart() {
	gnuplot <<GP
set terminal pngcairo size $1 noenhanced
set output "$png"
set multiplot layout 1,2 title "$2"
$3
set style data histograms
set style fill solid 0.8 border -1
set key outside bottom center horizontal
set yrange [0:*]
set grid ytics
set title "requests per second"
plot "$data" using 2:xtic(1) notitle
set title "latency (us)"
set style histogram clustered gap 1
plot "$data" using 3:xtic(1) title "p50", "" using 4 title "p99"
unset multiplot
GP
}
case "$kind" in
sdk-cost)
	# program,impl,xlated_insns,jited_bytes,verified_insns,packet,ns_per_packet -> one row per
	# program and packet: label, C++ insns, C insns, C++ ns, C ns
	awk -F, 'NR > 1 { k = $1 " " $6; if ($2 == "hand C") { ci[k] = $3; cn[k] = $7 } else { xi[k] = $3; xn[k] = $7 } ; keys[k] = 1 }
		END { for (k in keys) printf "\"%s\" %s %s %s %s\n", k, xi[k], ci[k], xn[k], cn[k] }' "$csv" | sort > "$data"
	gnuplot <<GP
set terminal pngcairo size 1100,520 noenhanced
set output "$png"
set multiplot layout 1,2 title "netext SDK vs hand-written C (counter app)"
set style data histograms
set style histogram clustered gap 1
set style fill solid 0.8 border -1
set xtics rotate by 25 right font ",9"
set key outside bottom center horizontal
set yrange [0:*]
set grid ytics
set title "translated eBPF instructions"
plot "$data" using 2:xtic(1) title "netext C++", "" using 3 title "hand C"
set title "ns per packet (BPF_PROG_TEST_RUN)"
plot "$data" using 4:xtic(1) title "netext C++", "" using 5 title "hand C"
unset multiplot
GP
	;;
mcload)
	# label,sent,answered,lost,req_per_s,hit_ratio,p50_us,p99_us,...
	awk -F, 'NR > 1 { printf "\"%s\" %s %s %s\n", $1, $5, $7, $8 }' "$csv" > "$data"
	rate_latency_chart 900,420 "memcached GETs over UDP (netext-mcload)" ""
	;;
bmc-cost)
	# case,impl,ns_median,ns_p10,ns_p90,ns_empty_median,ns_median_minus_empty,runs,
	# calls_per_run,method,note
	# -> per case (in file order), the repeat=1 figures minus the empty program: netext,
	# baseline ("?" = not measured, e.g. a case the baseline cannot serve)
	awk -F, 'NR > 1 && $10 ~ /^repeat=1 / && ($2 == "netext" || $2 == "baseline") {
			if (!($1 in seen)) { seen[$1] = 1; order[n++] = $1 }
			v[$1, $2] = ($11 ~ /^NOT/) ? "?" : $7 }
		END { for (i = 0; i < n; i++) { c = order[i]
			nx = ((c, "netext") in v) ? v[c, "netext"] : "?"
			bl = ((c, "baseline") in v) ? v[c, "baseline"] : "?"
			printf "\"%s\" %s %s\n", c, nx, bl } }' "$csv" > "$data"
	gnuplot <<GP
set terminal pngcairo size 900,480 noenhanced
set output "$png"
set title "BMC: ns per request (BPF_PROG_TEST_RUN, repeat=1 per call, median, empty program subtracted)" font ",10"
set style data histograms
set style histogram clustered gap 1
set style fill solid 0.8 border -1
set datafile missing "?"
set xtics font ",9"
set key outside bottom center horizontal
set yrange [0:*]
set grid ytics
set ylabel "ns"
plot "$data" using 2:xtic(1) title "netext C++", "" using 3 title "eBPF-C baseline"
GP
	;;
bmc-e2e)
	# config,req_per_s,hit_ratio,p50_us,p99_us,...
	awk -F, 'NR > 1 { printf "\"%s\" %s %s %s\n", $1, $2, $4, $5 }' "$csv" > "$data"
	rate_latency_chart 1000,440 "memcached UDP GETs over veth: alone, eBPF-C BMC, netext BMC" \
		'set xtics font ",9"'
	;;
*) echo "plot.sh: unknown kind $kind (sdk-cost, mcload, bmc-cost or bmc-e2e)" >&2; exit 2 ;;
esac
echo "wrote $png"
