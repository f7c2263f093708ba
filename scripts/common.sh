# Sourced by test.sh and demo.sh: run from the repository root, as root, with the
# dependencies installed, and configure + build a tree.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

# require_root WHAT: exit with a message naming why root is needed.
require_root() {
	if [ "$(id -u)" -ne 0 ]; then
		echo "$(basename "$0"): $1 needs root (sudo $0)" >&2
		exit 1
	fi
}

# build DIR "TARGET..." CMAKE-ARGS...: configure with gcc-12/g++-12 and Ninja, build TARGETs.
build() {
	local dir=$1 targets=$2
	shift 2
	cmake -S . -B "$dir" -G Ninja -DCMAKE_C_COMPILER=gcc-12 -DCMAKE_CXX_COMPILER=g++-12 "$@"
	# shellcheck disable=SC2086 # a list of target names
	cmake --build "$dir" -j "$(nproc)" --target $targets
}
