// SPDX-License-Identifier: GPL-2.0
/*
 * netext-resolve-btfids -b VMLINUX MODULE.ko
 *
 * Fills the BTF ids a kernel module's .BTF_ids section asks for (BTF_ID,
 * BTF_SET_START, BTF_SET8_START from <linux/btf_ids.h>), as the kernel's own
 * resolve_btfids does at the end of a module build. Debian's linux-headers
 * packages do not ship that tool, so modules built against them get no kfunc
 * ids; this one is written on libbpf's BTF API and libelf.
 *
 * The module must already carry split BTF (pahole -J --btf_base VMLINUX).
 * Symbols: __BTF_ID__{func,struct,union,typedef}__NAME__N is one u32 to fill;
 * __BTF_ID__set__NAME is {u32 cnt; u32 ids[]} and __BTF_ID__set8__NAME is
 * {u32 cnt; u32 flags; {u32 id; u32 flags} pairs[]}: both get cnt from the
 * symbol size and are sorted by id (the kernel bsearches them).
 */
#include <bpf/btf.h>
#include <errno.h>
#include <fcntl.h>
#include <gelf.h>
#include <libelf.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define PREFIX "__BTF_ID__"

struct idsym {
	char kind[16];
	char name[256];
	uint64_t off;
	uint64_t size;
};

static int cmp_u32(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;

	return x < y ? -1 : x > y;
}

static int cmp_pair(const void *a, const void *b)
{
	return cmp_u32(a, b);
}

static int kind_matches(const struct btf_type *t, const char *kind)
{
	if (!strcmp(kind, "func"))
		return btf_is_func(t);
	if (!strcmp(kind, "struct"))
		return btf_is_struct(t);
	if (!strcmp(kind, "union"))
		return btf_is_union(t);
	if (!strcmp(kind, "typedef"))
		return btf_is_typedef(t);
	return 0;
}

/* The first type of that kind and name, base types included (ids continue). */
static uint32_t find_id(const struct btf *btf, const char *kind, const char *name)
{
	uint32_t n = btf__type_cnt(btf);

	for (uint32_t id = 1; id < n; id++) {
		const struct btf_type *t = btf__type_by_id(btf, id);
		const char *s;

		if (!t || !kind_matches(t, kind))
			continue;
		s = btf__name_by_offset(btf, t->name_off);
		if (s && !strcmp(s, name))
			return id;
	}
	return 0;
}

/* "__BTF_ID__func__foo__12" -> kind "func", name "foo". */
static int parse_sym(const char *sym, struct idsym *out)
{
	const char *p = sym + strlen(PREFIX), *sep, *end;
	size_t klen, nlen;

	sep = strstr(p, "__");
	if (!sep)
		return -1;
	klen = (size_t)(sep - p);
	if (klen >= sizeof(out->kind))
		return -1;
	memcpy(out->kind, p, klen);
	out->kind[klen] = 0;
	p = sep + 2;
	if (!strcmp(out->kind, "set") || !strcmp(out->kind, "set8")) {
		end = p + strlen(p);
	} else {
		/* the trailing __N is a uniquifier; names may contain "__" */
		end = p + strlen(p);
		while (end > p && end[-1] >= '0' && end[-1] <= '9')
			end--;
		if (end - p < 3 || end[-1] != '_' || end[-2] != '_')
			return -1;
		end -= 2;
	}
	nlen = (size_t)(end - p);
	if (nlen >= sizeof(out->name))
		return -1;
	memcpy(out->name, p, nlen);
	out->name[nlen] = 0;
	return 0;
}

int main(int argc, char **argv)
{
	const char *vmlinux = NULL, *path;
	struct btf *base = NULL, *btf = NULL;
	Elf *elf = NULL;
	Elf_Scn *scn = NULL, *ids_scn = NULL, *sym_scn = NULL;
	GElf_Shdr ids_sh = { 0 }, sym_sh = { 0 }, sh;
	size_t shstrndx;
	unsigned char *buf = NULL;
	int fd = -1, rc = 1, unresolved = 0, opt;

	while ((opt = getopt(argc, argv, "b:")) != -1) {
		if (opt != 'b')
			goto usage;
		vmlinux = optarg;
	}
	if (!vmlinux || optind != argc - 1) {
usage:
		fprintf(stderr, "usage: %s -b VMLINUX MODULE.ko\n", argv[0]);
		return 2;
	}
	path = argv[optind];

	base = btf__parse(vmlinux, NULL);
	if (!base) {
		fprintf(stderr, "resolve-btfids: no BTF in %s: %s\n", vmlinux, strerror(errno));
		goto out;
	}
	btf = btf__parse_split(path, base);
	if (!btf) {
		fprintf(stderr, "resolve-btfids: no split BTF in %s (run pahole -J --btf_base first): %s\n",
			path, strerror(errno));
		goto out;
	}

	elf_version(EV_CURRENT);
	fd = open(path, O_RDWR);
	if (fd < 0) {
		perror(path);
		goto out;
	}
	elf = elf_begin(fd, ELF_C_READ, NULL);
	if (!elf || elf_getshdrstrndx(elf, &shstrndx)) {
		fprintf(stderr, "resolve-btfids: %s: %s\n", path, elf_errmsg(-1));
		goto out;
	}
	while ((scn = elf_nextscn(elf, scn))) {
		const char *name;

		if (!gelf_getshdr(scn, &sh))
			continue;
		name = elf_strptr(elf, shstrndx, sh.sh_name);
		if (name && !strcmp(name, ".BTF_ids")) {
			ids_scn = scn;
			ids_sh = sh;
		} else if (sh.sh_type == SHT_SYMTAB) {
			sym_scn = scn;
			sym_sh = sh;
		}
	}
	if (!ids_scn || !sym_scn) {
		/* nothing to resolve: not an error, like resolve_btfids --no-fail */
		rc = 0;
		goto out;
	}
	if (ids_sh.sh_type == SHT_NOBITS || ids_sh.sh_size == 0) {
		rc = 0;
		goto out;
	}
	buf = malloc(ids_sh.sh_size);
	if (!buf || pread(fd, buf, ids_sh.sh_size, (off_t)ids_sh.sh_offset) != (ssize_t)ids_sh.sh_size) {
		perror("resolve-btfids: reading .BTF_ids");
		goto out;
	}

	{
		Elf_Data *syms = elf_getdata(sym_scn, NULL);
		size_t n = sym_sh.sh_entsize ? sym_sh.sh_size / sym_sh.sh_entsize : 0;
		size_t ids_ndx = elf_ndxscn(ids_scn);
		int pass;

		/* ids first, then sets, so sets sort resolved values */
		for (pass = 0; pass < 2; pass++) {
			for (size_t i = 0; i < n; i++) {
				GElf_Sym sym;
				const char *name;
				struct idsym is;
				int is_set;

				if (!gelf_getsym(syms, (int)i, &sym) || sym.st_shndx != ids_ndx)
					continue;
				name = elf_strptr(elf, sym_sh.sh_link, sym.st_name);
				if (!name || strncmp(name, PREFIX, strlen(PREFIX)))
					continue;
				if (parse_sym(name, &is)) {
					fprintf(stderr, "resolve-btfids: cannot parse %s\n", name);
					goto out;
				}
				is.off = sym.st_value - ids_sh.sh_addr;
				is.size = sym.st_size;
				is_set = !strcmp(is.kind, "set") || !strcmp(is.kind, "set8");
				if (is_set != pass)
					continue;
				if (!is_set) {
					uint32_t id = find_id(btf, is.kind, is.name);

					if (is.off + 4 > ids_sh.sh_size)
						goto bounds;
					if (!id) {
						fprintf(stderr, "resolve-btfids: unresolved %s %s\n",
							is.kind, is.name);
						unresolved++;
					}
					memcpy(buf + is.off, &id, 4);
				} else if (!strcmp(is.kind, "set")) {
					uint32_t cnt = (uint32_t)(is.size / 4) - 1;

					if (is.size < 4 || is.off + is.size > ids_sh.sh_size)
						goto bounds;
					memcpy(buf + is.off, &cnt, 4);
					qsort(buf + is.off + 4, cnt, 4, cmp_u32);
				} else {
					uint32_t cnt = (uint32_t)((is.size - 8) / 8);

					if (is.size < 8 || is.off + is.size > ids_sh.sh_size)
						goto bounds;
					memcpy(buf + is.off, &cnt, 4);
					qsort(buf + is.off + 8, cnt, 8, cmp_pair);
				}
			}
		}
	}
	if (unresolved)
		goto out;
	if (pwrite(fd, buf, ids_sh.sh_size, (off_t)ids_sh.sh_offset) != (ssize_t)ids_sh.sh_size) {
		perror("resolve-btfids: writing .BTF_ids");
		goto out;
	}
	rc = 0;
	goto out;
bounds:
	fprintf(stderr, "resolve-btfids: symbol outside .BTF_ids\n");
out:
	free(buf);
	if (elf)
		elf_end(elf);
	if (fd >= 0)
		close(fd);
	btf__free(btf);
	btf__free(base);
	return rc;
}
