// SPDX-License-Identifier: GPL-2.0
/*
 * netext-endbr-check MODULE.ko
 *
 * Proves, on the object file, that a kernel module can be entered by an indirect
 * call on a kernel with IBT (CONFIG_X86_KERNEL_IBT: an indirect call or jump must
 * land on ENDBR64, or the CPU raises a control-protection fault). The qemu guest
 * does not enforce IBT, so this is checked at build time.
 *
 * Every address of code stored in the module's data (sections .data*, .rodata*,
 * .init.data*, .exit.data*, .ref.data* and .gnu.linkonce.this_module: function
 * pointers, among them each app program's entry in its netext_prog_rec_* record
 * and the module's init/exit) is a place the kernel may call indirectly; each must
 * start with ENDBR64 (f3 0f 1e fa) and must not be listed in .ibt_endbr_seal
 * (objtool's list of ENDBRs the module loader overwrites with NOPs). Every
 * netext_prog_rec_* record must hold at least one such address (no vacuous pass).
 *
 * Prints one line per address; exit 0 when all pass, 1 when one fails, 2 on a
 * bad file.
 */
#include <fcntl.h>
#include <gelf.h>
#include <libelf.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static const unsigned char endbr64[4] = { 0xf3, 0x0f, 0x1e, 0xfa };

struct target {
	size_t sec;
	uint64_t off;
};

static Elf *elf;
static size_t shstrndx;
static Elf_Scn *symscn;
static GElf_Shdr symhdr;
static Elf_Data *symdata;

static const char *sec_name(size_t idx)
{
	GElf_Shdr sh;
	Elf_Scn *scn = elf_getscn(elf, idx);

	if (!scn || !gelf_getshdr(scn, &sh))
		return "?";
	return elf_strptr(elf, shstrndx, sh.sh_name);
}

static int prefixed(const char *s, const char *p)
{
	return strncmp(s, p, strlen(p)) == 0;
}

/* the sections that hold data the kernel may read a code address from */
static int pointer_section(const char *name)
{
	return prefixed(name, ".data") || prefixed(name, ".rodata") ||
	       prefixed(name, ".init.data") || prefixed(name, ".exit.data") ||
	       prefixed(name, ".ref.data") || !strcmp(name, ".gnu.linkonce.this_module");
}

static int executable(size_t idx)
{
	GElf_Shdr sh;
	Elf_Scn *scn = elf_getscn(elf, idx);

	return scn && gelf_getshdr(scn, &sh) && (sh.sh_flags & SHF_EXECINSTR);
}

/* the name of the function symbol at sec+off, or NULL */
static const char *func_at(size_t sec, uint64_t off)
{
	size_t n = symhdr.sh_size / symhdr.sh_entsize;

	for (size_t i = 0; i < n; i++) {
		GElf_Sym s;

		if (!gelf_getsym(symdata, (int)i, &s))
			continue;
		if (GELF_ST_TYPE(s.st_info) == STT_FUNC && s.st_shndx == sec && s.st_value == off)
			return elf_strptr(elf, symhdr.sh_link, s.st_name);
	}
	return NULL;
}

/* relocations of SECTION idx: callback per (offset in section, target) */
typedef void (*reloc_fn)(size_t relsec_target, uint64_t where, struct target t, void *arg);

static void for_relocs(size_t target_sec, reloc_fn fn, void *arg)
{
	Elf_Scn *scn = NULL;

	while ((scn = elf_nextscn(elf, scn))) {
		GElf_Shdr sh;
		Elf_Data *d;

		if (!gelf_getshdr(scn, &sh) || sh.sh_type != SHT_RELA || sh.sh_info != target_sec)
			continue;
		d = elf_getdata(scn, NULL);
		for (size_t i = 0; d && i < sh.sh_size / sh.sh_entsize; i++) {
			GElf_Rela r;
			GElf_Sym s;
			struct target t;

			if (!gelf_getrela(d, (int)i, &r) ||
			    !gelf_getsym(symdata, (int)GELF_R_SYM(r.r_info), &s))
				continue;
			if (s.st_shndx == SHN_UNDEF || s.st_shndx >= SHN_LORESERVE)
				continue; /* outside the module: the kernel's own code */
			t.sec = s.st_shndx;
			t.off = s.st_value + (uint64_t)r.r_addend;
			fn(target_sec, r.r_offset, t, arg);
		}
	}
}

/* .ibt_endbr_seal: addresses of ENDBRs the loader seals */
static struct target *sealed;
static size_t nsealed;

static void add_sealed(size_t s, uint64_t w, struct target t, void *arg)
{
	(void)s;
	(void)w;
	(void)arg;
	sealed = realloc(sealed, (nsealed + 1) * sizeof(*sealed));
	if (!sealed)
		exit(2);
	sealed[nsealed++] = t;
}

static int is_sealed(struct target t)
{
	for (size_t i = 0; i < nsealed; i++)
		if (sealed[i].sec == t.sec && sealed[i].off == t.off)
			return 1;
	return 0;
}

static int failures, checked;

static void check_target(size_t from_sec, uint64_t where, struct target t, void *arg)
{
	Elf_Scn *scn = elf_getscn(elf, t.sec);
	Elf_Data *d = scn ? elf_getdata(scn, NULL) : NULL;
	const char *name;
	int ok;

	(void)arg;
	if (!executable(t.sec))
		return;
	name = func_at(t.sec, t.off);
	checked++;
	ok = d && d->d_buf && t.off + 4 <= d->d_size &&
	     !memcmp((unsigned char *)d->d_buf + t.off, endbr64, 4);
	if (!ok) {
		printf("MISSING ENDBR64: %s (%s+0x%llx), its address is in %s+0x%llx\n",
		       name ? name : "?", sec_name(t.sec), (unsigned long long)t.off,
		       sec_name(from_sec), (unsigned long long)where);
		failures++;
	} else if (is_sealed(t)) {
		printf("SEALED ENDBR64: %s (%s+0x%llx) is in .ibt_endbr_seal: the loader removes it\n",
		       name ? name : "?", sec_name(t.sec), (unsigned long long)t.off);
		failures++;
	} else {
		printf("ok: %s (%s+0x%llx)\n", name ? name : "?", sec_name(t.sec),
		       (unsigned long long)t.off);
	}
}

/* records: does [lo, hi) of section sec hold a code address? */
struct range {
	size_t sec;
	uint64_t lo, hi;
	int found;
};

static void in_range(size_t from_sec, uint64_t where, struct target t, void *arg)
{
	struct range *r = arg;

	if (from_sec == r->sec && where >= r->lo && where < r->hi && executable(t.sec))
		r->found = 1;
}

int main(int argc, char **argv)
{
	Elf_Scn *scn = NULL;
	size_t n, records = 0;
	int fd;

	if (argc != 2) {
		fprintf(stderr, "usage: netext-endbr-check MODULE.ko\n");
		return 2;
	}
	elf_version(EV_CURRENT);
	fd = open(argv[1], O_RDONLY);
	if (fd < 0) {
		perror(argv[1]);
		return 2;
	}
	elf = elf_begin(fd, ELF_C_READ, NULL);
	if (!elf || elf_kind(elf) != ELF_K_ELF || elf_getshdrstrndx(elf, &shstrndx)) {
		fprintf(stderr, "netext-endbr-check: %s is not an ELF object\n", argv[1]);
		return 2;
	}
	while ((scn = elf_nextscn(elf, scn))) {
		if (gelf_getshdr(scn, &symhdr) && symhdr.sh_type == SHT_SYMTAB) {
			symscn = scn;
			break;
		}
	}
	if (!symscn || !(symdata = elf_getdata(symscn, NULL))) {
		fprintf(stderr, "netext-endbr-check: %s has no symbol table\n", argv[1]);
		return 2;
	}
	scn = NULL;
	while ((scn = elf_nextscn(elf, scn)))
		if (!strcmp(sec_name(elf_ndxscn(scn)), ".ibt_endbr_seal"))
			for_relocs(elf_ndxscn(scn), add_sealed, NULL);

	scn = NULL;
	while ((scn = elf_nextscn(elf, scn))) {
		GElf_Shdr sh;
		size_t idx = elf_ndxscn(scn);

		if (gelf_getshdr(scn, &sh) && (sh.sh_flags & SHF_ALLOC) &&
		    !(sh.sh_flags & SHF_EXECINSTR) && pointer_section(sec_name(idx)))
			for_relocs(idx, check_target, NULL);
	}

	n = symhdr.sh_size / symhdr.sh_entsize;
	for (size_t i = 0; i < n; i++) {
		GElf_Sym s;
		const char *name;
		struct range r;

		if (!gelf_getsym(symdata, (int)i, &s))
			continue;
		name = elf_strptr(elf, symhdr.sh_link, s.st_name);
		if (!name || !prefixed(name, "netext_prog_rec_") || s.st_shndx == SHN_UNDEF)
			continue;
		records++;
		r = (struct range){ s.st_shndx, s.st_value, s.st_value + s.st_size, 0 };
		for_relocs(s.st_shndx, in_range, &r);
		if (!r.found) {
			printf("NO ENTRY: %s holds no code address (no program entry found)\n", name);
			failures++;
		}
	}
	printf("%s: %d code addresses checked, %zu program records, %zu sealed ENDBRs, %d failures\n",
	       argv[1], checked, records, nsealed, failures);
	free(sealed);
	elf_end(elf);
	close(fd);
	if (!checked) {
		printf("no code address found in the module's data: nothing proven\n");
		return 1;
	}
	return failures ? 1 : 0;
}
