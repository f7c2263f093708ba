#!/usr/bin/env bash
# bench.linerate_smoke: netext-bench-linerate --app bmc runs (short) and every configuration
# answered, checked, with sane non-zero counts and no error; the generator's sink run offers
# frames. No timing is asserted.
# Usage: linerate_smoke.sh BENCH_BINARY [dpdk | lb [with-dpdk]]
#   dpdk: BMC on DPDK alone (bench.linerate_dpdk_smoke); lb: the LB run, with-dpdk: its
#   DPDK configuration is checked too (bench.linerate_lb_smoke)
set -uo pipefail
bench=$1
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
fail=0
bad() { echo "FAIL: $*"; fail=1; }
# keys_per_get,config,answered_rps,...,hit_pct(7),cache_pct(8),...,errors(13),answers(14),values(15)
if [ "${2:-}" = dpdk ]; then
	# BMC on DPDK at the default key space and the 2000 keys that once showed answers
	# checked against a reused request id (now counted as late, not as errors)
	"$bench" --app bmc --short --duration 0.5 --keys-per-get 1,4 --key-space 2000 \
		--configs dpdk-bmc --csv "$dir/d.csv" --png none >"$dir/out" 2>&1 || bad "dpdk run failed"
	cat "$dir/out"
	for k in 1 4; do
		row=$(awk -F, -v k=$k '$1 == k && $2 == "dpdk-bmc"' "$dir/d.csv")
		[ -n "$row" ] || { bad "no dpdk-bmc row, $k keys"; continue; }
		IFS=, read -r _ _ rps _ _ offered hit cache _ _ _ _ errors answers values _ <<<"$row"
		awk -v a="$answers" 'BEGIN { exit !(a > 0) }' || bad "dpdk/$k: no answers"
		awk -v x="$cache" 'BEGIN { exit !(x > 0 && x <= 100.5) }' || bad "dpdk/$k: cache % $cache"
		awk -v h="$hit" 'BEGIN { exit !(h > 50 && h <= 100) }' || bad "dpdk/$k: hit % $hit"
		[ "$errors" = 0 ] || bad "dpdk/$k: $errors answers failed the checks"
	done
	grep -q '^DPDK memory: ' "$dir/out" || bad "no 'DPDK memory:' line"
	[ $fail = 0 ] && echo "linerate dpdk smoke: ok"
	exit $fail
fi
if [ "${2:-}" = lb ]; then
	# the LB, eBPF and on DPDK (when built): every datagram forwarded to a backend, checked,
	# and every flow at the same backend under both
	"$bench" --app lb --short --duration 0.5 --flows 512 --csv "$dir/lb.csv" --png "$dir/lb.png" \
		>"$dir/out" 2>&1 || bad "lb run failed"
	cat "$dir/out"
	# flows,config,forwarded_pps,min,max,offered_pps,serving_cpu,gen_cpu,forwarded,bad,moved
	configs="netext-lb"
	[ -n "${3:-}" ] && configs="netext-lb dpdk-lb"
	for c in $configs; do
		row=$(awk -F, -v c=$c '$2 == c' "$dir/lb.csv")
		[ -n "$row" ] || { bad "no row for $c"; continue; }
		IFS=, read -r _ _ pps _ _ offered _ _ fwd badn moved _ <<<"$row"
		awk -v a="$fwd" 'BEGIN { exit !(a > 0) }' || bad "$c: nothing forwarded"
		awk -v o="$offered" -v r="$pps" 'BEGIN { exit !(o >= r) }' || bad "$c: offered $offered < forwarded $pps"
		[ "$badn" = 0 ] || bad "$c: $badn datagrams failed the checks"
		[ "$moved" = 0 ] || bad "$c: $moved datagrams of a flow at another backend"
	done
	row=$(awk -F, '$2 == "generator->drop"' "$dir/lb.csv")
	IFS=, read -r _ _ _ _ _ offered _ <<<"$row"
	awk -v o="${offered:-0}" 'BEGIN { exit !(o > 0) }' || bad "the generator offered nothing"
	grep -q '^flows seen at a backend: 512 of 512' "$dir/out" || bad "not every flow reached a backend"
	head -c 8 "$dir/lb.png" 2>/dev/null | od -An -tx1 | grep -q '89 50 4e 47' || bad "no PNG"
	[ $fail = 0 ] && echo "linerate lb smoke: ok"
	exit $fail
fi
if ! "$bench" --app bmc --short --duration 0.5 --keys-per-get 1,4 --key-space 2000 \
	--csv "$dir/bmc.csv" --png "$dir/bmc.png" --dpdk none >"$dir/out" 2>&1; then
	cat "$dir/out"; bad "netext-bench-linerate --app bmc failed"
fi
cat "$dir/out"
for k in 1 4; do
	for c in memcached baseline-bmc netext-bmc; do
		row=$(awk -F, -v k=$k -v c=$c '$1 == k && $2 == c' "$dir/bmc.csv")
		[ -n "$row" ] || { bad "no row for $c, $k keys"; continue; }
		IFS=, read -r _ _ rps _ _ offered hit cache _ _ _ _ errors answers values _ <<<"$row"
		awk -v a="$answers" 'BEGIN { exit !(a > 0) }' || bad "$c/$k: no answers"
		awk -v o="$offered" -v r="$rps" 'BEGIN { exit !(o >= r && r > 0) }' || bad "$c/$k: offered $offered < answered $rps"
		awk -v h="$hit" 'BEGIN { exit !(h > 50 && h <= 100) }' || bad "$c/$k: hit % $hit"
		[ "$errors" = 0 ] || bad "$c/$k: $errors answers failed the checks"
		awk -v v="$values" -v a="$answers" -v k=$k 'BEGIN { exit !(v <= a * k) }' || bad "$c/$k: more values than keys asked"
		if [ $c != memcached ]; then
			awk -v x="$cache" 'BEGIN { exit !(x > 0 && x <= 100.5) }' || bad "$c/$k: cache % $cache"
		fi
	done
done
head -c 8 "$dir/bmc.png" 2>/dev/null | od -An -tx1 | grep -q '89 50 4e 47' || bad "no PNG"
"$bench" --app sink --short --duration 0.3 --keys-per-get 32 --csv "$dir/sink.csv" --png none >"$dir/sink" 2>&1 || { cat "$dir/sink"; bad "sink run failed"; }
awk -F, 'NR == 2 { exit !($6 > 0) }' "$dir/sink.csv" || bad "the generator offered nothing"
[ $fail = 0 ] && echo "linerate smoke: ok"
exit $fail
