#!/bin/sh
# guest-native-checks.sh CMD [ARGS...] [--next CMD [ARGS...]]...
#
# Runs several test commands in turn in one qemu guest boot (tests/guest/run.sh), e.g. the
# native backend's main checks on a second kernel (guest.6.12.native: netext.ko's faults,
# locks and reload cycles, the apps as eBPF and native, the CLI), so that kernel costs one
# boot. Every command runs even when one before it failed; each one's exit status and
# wall time are printed; the exit status is the first failing command's (0 if none).
set -u
first=0
run_one() {
	echo "== guest-native-checks: $*"
	start=$(date +%s)
	"$@"
	rc=$?
	echo "== guest-native-checks: exit $rc after $(($(date +%s) - start)) s: $1"
	if [ $rc -ne 0 ] && [ $first -eq 0 ]; then first=$rc; fi
}
while [ $# -gt 0 ]; do
	n=0
	for a in "$@"; do
		[ "$a" = "--next" ] && break
		n=$((n + 1))
	done
	cmd=""
	i=0
	# the next command's arguments, quoted for eval
	for a in "$@"; do
		[ $i -lt $n ] || break
		cmd="$cmd '$(printf '%s' "$a" | sed "s/'/'\\\\''/g")'"
		i=$((i + 1))
	done
	eval "run_one $cmd"
	shift $n
	[ $# -gt 0 ] && shift # --next
done
exit $first
