# Sourced by the shell tests (on this machine and in the qemu guest): one line per check,
# a count of failures, and the verdict at the end.
fails=0
ok() { echo "ok: $*"; }
bad() { echo "FAIL: $*"; fails=$((fails + 1)); }
check() { # description command...
	d=$1
	shift
	if "$@"; then ok "$d"; else bad "$d"; return 1; fi
}
