// An app's descriptor derived from an eBPF object file (for apps that are not built in):
// its hooks from the programs' sections and names, its knobs from .rodata, its maps.
#include <netext/loader/attach.hpp>
#include <netext/loader/error.hpp>

#include <bpf/btf.h>
#include <bpf/libbpf.h>

#include <cerrno>
#include <cstring>
#include <filesystem>

namespace fs = std::filesystem;

namespace netext::loader {

AppDescriptor describe_object(const std::string &path)
{
	bpf_object *obj = bpf_object__open_file(path.c_str(), nullptr);
	if (!obj)
		throw Error("'" + path +
			    "' is neither a built-in app nor a readable eBPF object (" +
			    std::strerror(errno) + "; see 'netext apps')");
	AppDescriptor d;
	d.name = fs::path(path).stem().string();
	if (auto dot = d.name.find('.'); dot != std::string::npos)
		d.name.resize(dot);
	d.summary = "eBPF object " + path;
	bpf_program *p;
	bpf_object__for_each_program(p, obj)
	{
		std::string_view sec = bpf_program__section_name(p);
		std::string name = bpf_program__name(p);
		if (sec == "xdp" || sec.starts_with("xdp/"))
			d.hooks.push_back({HookPoint::Xdp, name});
		else if (sec == "tc/ingress" || sec == "classifier/ingress" ||
			 name.ends_with("_ingress"))
			d.hooks.push_back({HookPoint::TcIngress, name});
		else if (sec == "tc/egress" || sec == "classifier/egress" ||
			 name.ends_with("_egress"))
			d.hooks.push_back({HookPoint::TcEgress, name});
	}
	if (const btf *b = bpf_object__btf(obj)) {
		int sec = btf__find_by_name_kind(b, ".rodata", BTF_KIND_DATASEC);
		if (sec >= 0) {
			const btf_type *t = btf__type_by_id(b, static_cast<uint32_t>(sec));
			const btf_var_secinfo *vs = btf_var_secinfos(t);
			for (uint16_t i = 0; i < btf_vlen(t); i++, vs++) {
				const btf_type *var = btf__type_by_id(b, vs->type);
				if (vs->size <= 8)
					d.knobs.push_back(
						{btf__name_by_offset(b, var->name_off),
						 "read-only variable", Knob::Kind::Rodata, "", 0,
						 vs->size == 8 ? UINT64_MAX
							       : (1ull << (vs->size * 8)) - 1});
			}
		}
	}
	bpf_map *m;
	bpf_object__for_each_map(m, obj)
	{
		if (!bpf_map__is_internal(m))
			d.maps.push_back({bpf_map__name(m), "", {}, {}});
	}
	bpf_object__close(obj);
	if (d.hooks.empty())
		throw Error("'" + path +
			    "' has no program for XDP (section \"xdp\") or tc "
			    "(section \"tc/ingress\", \"tc/egress\", or a tc program named "
			    "*_ingress / *_egress)");
	return d;
}

} // namespace netext::loader
