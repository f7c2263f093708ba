#!/bin/sh
# A long, bounded run of an app fuzz target, and its figures.
#
#   tests/fuzz/long_run.sh BUILD_DIR bmc|lb OUT_DIR [RUNS] [SECONDS]
#
# Seeds OUT_DIR/corpus (the scripted seeds and tests/fuzz/regress/<app>-*; an existing corpus
# is kept and extended), runs BUILD_DIR/tests/netext-<app>-fuzz at nice 19 until RUNS
# executions (default 10000000) or SECONDS (default 7200), whichever comes first, logs to
# OUT_DIR/<app>.log, saves crashing inputs as OUT_DIR/<app>-crash-*, and prints executions,
# wall time, executions per second, coverage, corpus and crashes. Exit status: libFuzzer's
# (0 when nothing broke).
set -eu
if [ $# -lt 3 ] || { [ "$2" != bmc ] && [ "$2" != lb ]; }; then
	echo "usage: $0 BUILD_DIR bmc|lb OUT_DIR [RUNS] [SECONDS]" >&2
	exit 2
fi
build=$1 app=$2 out=$3 runs=${4:-10000000} secs=${5:-7200}
here=$(cd "$(dirname "$0")" && pwd)
fuzzer=$build/tests/netext-$app-fuzz
seeds=$build/tests/netext-app-fuzz-seeds
for f in "$fuzzer" "$seeds"; do
	[ -x "$f" ] || { echo "$0: no $f (build the netext_${app}_fuzz and netext-app-fuzz-seeds targets)" >&2; exit 2; }
done
mkdir -p "$out/corpus"
"$seeds" "$app" "$out/corpus" >/dev/null
for r in "$here"/regress/"$app"-*; do
	[ -e "$r" ] && cp "$r" "$out/corpus/"
done
log=$out/$app.log
start=$(date +%s)
rc=0
nice -n 19 "$fuzzer" -seed=1 -runs="$runs" -max_total_time="$secs" -entropic=0 -max_len=256 \
	-print_final_stats=1 -artifact_prefix="$out/$app-crash-" "$out/corpus" >"$log" 2>&1 || rc=$?
end=$(date +%s)
execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log")
last=$(grep -E '^#[0-9]+' "$log" | tail -1)
echo "app $app: exit $rc"
echo "executions: ${execs:-?} in $((end - start)) s ($(sed -n 's/^stat::average_exec_per_sec: *//p' "$log") exec/s)"
echo "last status: $last"
echo "corpus files: $(find "$out/corpus" -type f | wc -l)"
echo "crashes: $(find "$out" -maxdepth 1 -name "$app-crash-*" | wc -l)"
exit "$rc"
