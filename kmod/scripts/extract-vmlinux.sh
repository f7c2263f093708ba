#!/bin/sh
# extract-vmlinux.sh BZIMAGE OUT: the ELF vmlinux inside a packaged x86 bzImage, whose .BTF
# section is the base that module BTF is split against. Debian's payload is XZ: try each
# XZ magic (FD 37 7A 58 5A 00) until one decompresses to an ELF with a .BTF section.
set -eu
img=$1
out=$2
tmp=$out.tmp
for off in $(LC_ALL=C grep -obUaP '\xfd7zXZ\x00' "$img" | cut -d: -f1); do
	tail -c +$((off + 1)) "$img" | xz -dcq --single-stream > "$tmp" 2>/dev/null || true
	if [ -s "$tmp" ] && head -c 4 "$tmp" | grep -q 'ELF' &&
		readelf -S "$tmp" 2>/dev/null | grep -q '\.BTF '; then
		mv "$tmp" "$out"
		exit 0
	fi
done
rm -f "$tmp"
echo "extract-vmlinux: no XZ-compressed ELF with .BTF in $img" >&2
exit 1
