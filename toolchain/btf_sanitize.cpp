// netext-btf-sanitize: makes the BTF that clang emits for C++ loadable by the kernel.
//
// clang names BTF types after their C++ spelling ("Map<2U, unsigned int, Counter, 8U>",
// "operator()"), and the kernel rejects any type, member, parameter or variable name that
// is not a C identifier; libbpf then silently loads the object without BTF, which breaks
// spin locks in map values, libxdp's dispatcher and BTF-based tooling. This tool rewrites
// every such name in place (each offending byte becomes '_'), so string offsets and the
// section size do not change. Section names (DATASEC) are left as they are.
//
// usage: netext-btf-sanitize IN.o OUT.o
#include <linux/btf.h>

#include <cerrno>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <fcntl.h>
#include <gelf.h>
#include <libelf.h>
#include <set>
#include <string>
#include <unistd.h>
#include <vector>

namespace {

[[noreturn]] void die(const std::string &msg)
{
	std::fprintf(stderr, "netext-btf-sanitize: %s\n", msg.c_str());
	std::exit(1);
}

bool ident_char(char c, bool first)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' ||
	       (!first && c >= '0' && c <= '9');
}

// Bytes after the fixed btf_type for each kind (linux/btf.h).
std::size_t extra_size(const btf_type &t)
{
	uint32_t vlen = BTF_INFO_VLEN(t.info);
	switch (BTF_INFO_KIND(t.info)) {
	case BTF_KIND_INT: return sizeof(uint32_t);
	case BTF_KIND_ARRAY: return sizeof(btf_array);
	case BTF_KIND_STRUCT:
	case BTF_KIND_UNION: return vlen * sizeof(btf_member);
	case BTF_KIND_ENUM: return vlen * sizeof(btf_enum);
	case BTF_KIND_FUNC_PROTO: return vlen * sizeof(btf_param);
	case BTF_KIND_VAR: return sizeof(btf_var);
	case BTF_KIND_DATASEC: return vlen * sizeof(btf_var_secinfo);
	case BTF_KIND_DECL_TAG: return sizeof(btf_decl_tag);
	case BTF_KIND_ENUM64: return vlen * sizeof(btf_enum64);
	case BTF_KIND_PTR:
	case BTF_KIND_FWD:
	case BTF_KIND_TYPEDEF:
	case BTF_KIND_VOLATILE:
	case BTF_KIND_CONST:
	case BTF_KIND_RESTRICT:
	case BTF_KIND_FUNC:
	case BTF_KIND_FLOAT:
	case BTF_KIND_TYPE_TAG: return 0;
	default: die("unknown BTF kind " + std::to_string(BTF_INFO_KIND(t.info)));
	}
}

// Collects the string offsets that must be identifiers.
std::set<uint32_t> identifier_names(const uint8_t *types, uint32_t len)
{
	std::set<uint32_t> names;
	uint32_t off = 0;
	while (off + sizeof(btf_type) <= len) {
		btf_type t;
		std::memcpy(&t, types + off, sizeof(t));
		const uint8_t *extra = types + off + sizeof(btf_type);
		uint32_t kind = BTF_INFO_KIND(t.info), vlen = BTF_INFO_VLEN(t.info);
		if (kind != BTF_KIND_DATASEC && t.name_off != 0)
			names.insert(t.name_off);
		auto each = [&](std::size_t stride) {
			for (uint32_t i = 0; i < vlen; i++) {
				uint32_t name_off;
				std::memcpy(&name_off, extra + i * stride, sizeof(name_off));
				if (name_off != 0)
					names.insert(name_off);
			}
		};
		if (kind == BTF_KIND_STRUCT || kind == BTF_KIND_UNION)
			each(sizeof(btf_member));
		else if (kind == BTF_KIND_ENUM)
			each(sizeof(btf_enum));
		else if (kind == BTF_KIND_ENUM64)
			each(sizeof(btf_enum64));
		else if (kind == BTF_KIND_FUNC_PROTO)
			each(sizeof(btf_param));
		off += sizeof(btf_type) + extra_size(t);
	}
	if (off != len)
		die("BTF type section is truncated");
	return names;
}

} // namespace

int main(int argc, char **argv)
{
	if (argc != 3)
		die("usage: netext-btf-sanitize IN.o OUT.o");
	if (elf_version(EV_CURRENT) == EV_NONE)
		die("libelf is too old");

	// Work on a copy: OUT starts as IN, then its .BTF strings are edited in place.
	{
		FILE *in = std::fopen(argv[1], "rb");
		if (!in)
			die(std::string("cannot open ") + argv[1] + ": " + std::strerror(errno));
		std::vector<char> bytes;
		char buf[65536];
		std::size_t n;
		while ((n = std::fread(buf, 1, sizeof(buf), in)) > 0)
			bytes.insert(bytes.end(), buf, buf + n);
		std::fclose(in);
		FILE *out = std::fopen(argv[2], "wb");
		if (!out || std::fwrite(bytes.data(), 1, bytes.size(), out) != bytes.size() ||
		    std::fclose(out) != 0)
			die(std::string("cannot write ") + argv[2]);
	}

	int fd = open(argv[2], O_RDWR);
	if (fd < 0)
		die(std::string("cannot open ") + argv[2]);
	Elf *elf = elf_begin(fd, ELF_C_RDWR, nullptr);
	if (!elf)
		die(std::string("not an ELF file: ") + argv[1]);
	elf_flagelf(elf, ELF_C_SET, ELF_F_LAYOUT); // keep the layout: only bytes change

	std::size_t shstrndx;
	if (elf_getshdrstrndx(elf, &shstrndx) != 0)
		die("no section header string table");
	Elf_Scn *scn = nullptr;
	int renamed = 0;
	while ((scn = elf_nextscn(elf, scn)) != nullptr) {
		GElf_Shdr sh;
		gelf_getshdr(scn, &sh);
		const char *name = elf_strptr(elf, shstrndx, sh.sh_name);
		if (!name || std::strcmp(name, ".BTF") != 0)
			continue;
		Elf_Data *data = elf_getdata(scn, nullptr);
		if (!data || data->d_size < sizeof(btf_header))
			die(".BTF section is empty");
		auto *base = static_cast<uint8_t *>(data->d_buf);
		btf_header hdr;
		std::memcpy(&hdr, base, sizeof(hdr));
		if (hdr.magic != BTF_MAGIC)
			die(".BTF has a bad magic number");
		const uint8_t *types = base + hdr.hdr_len + hdr.type_off;
		char *strs = reinterpret_cast<char *>(base + hdr.hdr_len + hdr.str_off);
		for (uint32_t off : identifier_names(types, hdr.type_len)) {
			if (off >= hdr.str_len)
				die("BTF name offset out of range");
			bool changed = false;
			for (char *p = strs + off; *p != '\0'; p++) {
				if (!ident_char(*p, p == strs + off)) {
					*p = '_';
					changed = true;
				}
			}
			renamed += changed ? 1 : 0;
		}
		elf_flagdata(data, ELF_C_SET, ELF_F_DIRTY);
	}
	if (elf_update(elf, ELF_C_WRITE) < 0)
		die(std::string("cannot write ELF: ") + elf_errmsg(-1));
	elf_end(elf);
	close(fd);
	std::printf("netext-btf-sanitize: %s: %d names rewritten\n", argv[2], renamed);
	return 0;
}
