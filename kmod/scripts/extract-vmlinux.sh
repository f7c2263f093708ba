#!/bin/sh
# extract-vmlinux.sh BZIMAGE OUT: the ELF vmlinux inside a packaged x86 bzImage, whose .BTF
# section is the base that module BTF is split against. Debian 12's 6.1 payload is XZ, the
# 6.12 one (bookworm-backports, Debian 13) ZSTD: try each XZ (FD 37 7A 58 5A 00) and ZSTD
# (28 B5 2F FD) magic until one decompresses to an ELF with a .BTF section.
set -eu
img=$1
out=$2
tmp=$out.tmp
try() { # DECOMPRESSOR... < payload
	"$@" > "$tmp" 2>/dev/null || true # trailing bytes after the payload are no error here
	[ -s "$tmp" ] && head -c 4 "$tmp" | grep -q 'ELF' &&
		readelf -S "$tmp" 2>/dev/null | grep -q '\.BTF '
}
for off in $(LC_ALL=C grep -obUaP '\xfd7zXZ\x00' "$img" | cut -d: -f1); do
	if tail -c +$((off + 1)) "$img" | try xz -dcq --single-stream; then
		mv "$tmp" "$out"
		exit 0
	fi
done
for off in $(LC_ALL=C grep -obUaP '\x28\xb5\x2f\xfd' "$img" | cut -d: -f1); do
	if tail -c +$((off + 1)) "$img" | try zstd -dcq; then
		mv "$tmp" "$out"
		exit 0
	fi
done
rm -f "$tmp"
echo "extract-vmlinux: no XZ- or ZSTD-compressed ELF with .BTF in $img" >&2
exit 1
