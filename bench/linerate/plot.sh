#!/usr/bin/env bash
# bench/linerate/plot.sh CSV PNG: answered requests (or packets) per second per configuration
# and keys per GET, from netext-bench-linerate's CSV (bench/results/linerate_<app>.csv).
set -euo pipefail
[ $# -eq 2 ] || { echo "usage: bench/linerate/plot.sh CSV PNG" >&2; exit 2; }
csv=$1 png=$2
command -v gnuplot >/dev/null || { echo "plot.sh: gnuplot is missing (scripts/install-deps.sh)" >&2; exit 1; }
[ -r "$csv" ] || { echo "plot.sh: cannot read $csv" >&2; exit 1; }
data=$(mktemp)
trap 'rm -f "$data"' EXIT
# keys_per_get,config,answered_rps,answered_min,answered_max,... -> one row per keys value,
# one column per configuration (in the order they first appear)
awk -F, 'NR > 1 { if (!($2 in seen)) { seen[$2] = 1; cfg[nc++] = $2 }
		if (!($1 in kseen)) { kseen[$1] = 1; ks[nk++] = $1 }
		v[$1, $2] = $3 }
	END { printf "keys"; for (c = 0; c < nc; c++) printf " \"%s\"", cfg[c]; printf "\n"
		for (i = 0; i < nk; i++) { printf "\"%s\"", ks[i]
			for (c = 0; c < nc; c++) { x = ((ks[i], cfg[c]) in v) ? v[ks[i], cfg[c]] : "?"; printf " %s", x }
			printf "\n" } }' "$csv" > "$data"
ncols=$(head -1 "$data" | wc -w)
gnuplot <<GP
set terminal pngcairo size 1000,480 noenhanced
set output "$png"
set title "line rate: answered per second (netext-bench-linerate)"
set style data histograms
set style histogram clustered gap 1
set style fill solid 0.8 border -1
set datafile missing "?"
set key outside bottom center horizontal autotitle columnhead
set xlabel "keys per GET (LB: packets)"
set yrange [0:*]
set grid ytics
set format y "%.1s%c"
plot for [i=2:$ncols] "$data" using i:xtic(1)
GP
echo "wrote $png"
