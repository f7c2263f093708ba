#!/usr/bin/env bash
# bench/native_flag_cost.sh [BUILD_DIR [CALLS [CSV]]]
#
# What each of the native build's defence-in-depth measures costs per packet (issue 19,
# item 4), in instructions (qemu -icount, as bench/native_cost.sh). For the measurement
# only: the apps (counter, bmc, lb) are compiled again from BUILD_DIR's own gate command
# (BUILD_DIR/build.ninja, the default kernel's) with one measure taken out, into
# BUILD_DIR/native_flags/VARIANT/ (or $NETEXT_FLAGS_OUT/VARIANT/), and linked into modules there; the build's own flags
# and modules are not touched. Variants:
#   all                      the build's flags as they are
#   no-auto-var-init         without -ftrivial-auto-var-init=zero
#   no-general-regs-only     without -mgeneral-regs-only
#   no-bounds-trap           the SDK's failed-check trap (netext::detail::bounds_fault)
#                            made __builtin_unreachable(), so g++ drops the checks it guards
#                            (a copy of netext/ref.hpp found first on the include path)
# -Werror=... flags change no code (compile-time diagnostics only).
# NETEXT_FLAGS_SRC=DIR compiles the apps (native and eBPF) from the source tree DIR (e.g. a
# `git worktree add --detach DIR HEAD`: every variant from the same sources, whatever else
# changes in the working tree meanwhile); default: this tree.
# Then one guest boot runs netext-native-bench once per variant whose code differs from
# 'all' (identical .text: cost 0 exactly, not run) and writes CSV
# (default bench/results/native_flag_cost.csv): variant,case,ebpf_insns,native_insns.
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
build=$(cd "${1:-$here/build/release}" && pwd)
calls=${2:-100}
csv=${3:-$here/bench/results/native_flag_cost.csv}
ninja=$build/build.ninja
kmod=$build/kmod
for f in "$ninja" "$kmod/netext.ko" "$kmod/netext-native-bench" "$kmod/netext_stub.bpf.o" \
	"$kmod/netext_app_faults.ko" "$kmod/Module.symvers"; do
	[ -f "$f" ] || { echo "native_flag_cost.sh: $f missing: build BUILD_DIR's netext_native_bench target first" >&2; exit 1; }
done
out=${NETEXT_FLAGS_OUT:-$build/native_flags}
src=$(cd "${NETEXT_FLAGS_SRC:-$here}" && pwd)
rm -rf "$out"
mkdir -p "$out/sdk/netext"
# the SDK's header with the trap made unreachable (measurement only)
ref=$src/dataplane/include/netext/ref.hpp
grep -q 'native::fault(native::Fault::Bounds);' "$ref" ||
	{ echo "native_flag_cost.sh: $ref no longer has the bounds trap this script replaces" >&2; exit 1; }
sed 's/native::fault(native::Fault::Bounds);/__builtin_unreachable();/' "$ref" >"$out/sdk/netext/ref.hpp"

# COMMAND of the ninja rule that builds PATH (the default kernel's, not kmod/<release>/)
rule_command() {
	awk -v t="build $1" 'index($0, t) == 1 { hit = 1; next } hit && /^  COMMAND = / { sub(/^  COMMAND = /, ""); print; exit }' "$ninja"
}

variants="all no-auto-var-init no-general-regs-only no-bounds-trap"
apps=""
for app in counter bmc lb; do
	[ -f "$kmod/netext_app_$app.ko" ] && apps="$apps $app"
done
# the eBPF objects from the same sources (the bench binds the native module to their maps)
mkdir -p "$out/src"
for app in $apps; do
	sed "s|#include \"$here/|#include \"$src/|" "$build/apps/$app/${app}_unity.cpp" >"$out/src/${app}_unity.cpp"
	bpf=$(rule_command "apps/$app/$app.bpf.o" | sed 's/ && /\n/g' | grep -e '-target bpf')
	bpf=${bpf// -I$here\// -I$src\/}
	bpf=${bpf//$build\/apps\/$app\/${app}_unity.cpp/$out\/src\/${app}_unity.cpp}
	bpf=${bpf//-o $build\/apps\/$app\/$app.raw.bpf.o/-o $out\/src\/$app.raw.bpf.o}
	echo "native_flag_cost.sh: compiling $app for eBPF"
	sh -c "$bpf"
	"$build/toolchain/netext-btf-sanitize" "$out/src/$app.raw.bpf.o" "$out/src/$app.bpf.o"
done
for v in $variants; do
	for app in $apps; do
		gate=$(rule_command "kmod/gate_app_$app/app.o")
		ko=$(rule_command "kmod/netext_app_$app.ko")
		[ -n "$gate" ] && [ -n "$ko" ] || { echo "native_flag_cost.sh: no build rule for $app's native module in $ninja" >&2; exit 1; }
		d=$out/$v
		mkdir -p "$d"
		# the g++ step of the gate only (not netext-check, not the stack bound)
		cxx=$(printf '%s\n' "$gate" | sed 's/ && /\n/g' | grep -e ' -c ' | grep "gate_app_$app/app.o.tmp")
		cxx=${cxx//-fstack-usage -fcallgraph-info=su /}
		cxx=${cxx//-dumpbase $kmod\/gate_app_$app\/app/-dumpbase $d\/$app}
		cxx=${cxx//-o $kmod\/gate_app_$app\/app.o.tmp/-o $d\/$app.o}
		cxx=${cxx// -I$here\// -I$src\/}
		cxx=${cxx//$build\/apps\/$app\/${app}_unity.cpp/$out\/src\/${app}_unity.cpp}
		case $v in
		no-auto-var-init) cxx=${cxx//-ftrivial-auto-var-init=zero /} ;;
		no-general-regs-only) cxx=${cxx//-mgeneral-regs-only /} ;;
		no-bounds-trap) cxx=${cxx/ -std=c++20 / -I$out/sdk -std=c++20 } ;;
		esac
		echo "native_flag_cost.sh: $v: compiling $app"
		sh -c "$cxx"
		# link it as the build does, in this directory
		ko=${ko//$kmod\/gate_app_$app\/app.o/$d\/$app.o}
		ko=${ko//$kmod\/kbuild_app_$app/$d\/kbuild_app_$app}
		ko=${ko//netext_app_$app.ko $kmod\//netext_app_$app.ko $d\/}
		ko=${ko//rm -rf $d\/kbuild_app_$app $kmod\/netext_app_$app.ko/rm -rf $d\/kbuild_app_$app}
		case $ko in *"$kmod/netext_app_$app.ko"*) echo "native_flag_cost.sh: could not redirect $app's module link: $ko" >&2; exit 1 ;; esac
		sh -c "$ko" >/dev/null
	done
done

# identical code (symbol names aside: identical-code folding may keep either alias): no cost
same() { # VARIANT APP
	cmp -s <(objdump -d --no-show-raw-insn "$out/all/$2.o" | tail -n +4 | sed 's/<[^>]*>//g') \
		<(objdump -d --no-show-raw-insn "$out/$1/$2.o" | tail -n +4 | sed 's/<[^>]*>//g')
}
copies=(--copy "$kmod/netext-native-bench" --copy "$kmod/netext.ko" --copy "$kmod/netext_stub.bpf.o"
	--copy "$kmod/netext_app_faults.ko")
script=""
for v in $variants; do
	list=""
	differs=0
	for app in $apps; do
		obj=$out/src/$app.bpf.o
		list="$list $app=$out/$v/netext_app_$app.ko:$obj"
		copies+=(--copy "$out/$v/netext_app_$app.ko")
		[ "$v" = all ] && copies+=(--copy "$obj")
		if [ "$v" = all ] || ! same "$v" "$app"; then differs=1; else echo "native_flag_cost.sh: $v: $app's code is identical to all's"; fi
	done
	if [ "$differs" = 1 ]; then
		script="$script echo variant=$v; $kmod/netext-native-bench $calls $kmod/netext.ko $kmod/netext_stub.bpf.o $kmod/netext_app_faults.ko$list || exit 1;"
	else
		echo "variant=$v identical" >>"$out/identical"
	fi
done
"$here/tests/guest/run.sh" --icount --timeout 3000 "${copies[@]}" -- sh -c "$script" | tee "$out/guest.log"
mkdir -p "$(dirname "$csv")"
{
	echo "variant,case,ebpf_insns,native_insns"
	tr -d '\r' <"$out/guest.log" | awk '/^variant=/ { v = substr($0, 9) } /^csv,"/ { n = split($0, f, ","); print v "," substr($0, 5, length($0) - 4 - length(f[n]) - length(f[n - 1]) - 2) }'
	[ -f "$out/identical" ] && sed 's/^variant=\(.*\) identical$/\1,"(every app'"'"'s code identical to all: no cost)",,/' "$out/identical"
} >"$csv"
echo "CSV: $csv"
cat "$csv"
