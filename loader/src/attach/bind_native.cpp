// Attach, step 4 (native backend): netext.ko and the app's module loaded if they are not,
// the app's maps created from its eBPF object (no program loaded) and bound to the module,
// the module's knobs set. Also the native stubs the hooks run, and the undo of all this.
#include "plan.hpp"

#include <netext/loader/error.hpp>
#include <netext/loader/rodata.hpp>

#include <cerrno>
#include <cstring>
#include <filesystem>

namespace fs = std::filesystem;

namespace netext::loader::attach_steps {

namespace {

// Where the modules are, before anything is loaded.
void find_modules(AttachPlan &plan)
{
	plan.module_dir = native::module_dir();
	plan.app_module = "netext_app_" + plan.record.app;
	plan.app_ko =
		plan.built ? plan.built->module : plan.module_dir + "/" + plan.app_module + ".ko";
	if (!fs::exists(plan.app_ko))
		throw Error("app '" + plan.record.app + "' has no native module (" + plan.app_ko +
				    "); build it with NATIVE in its netext_add_extension()",
			    ExitCode::NotFound);
}

void load_modules(AttachPlan &plan, Rollback &rollback)
{
	for (const std::string &m : {std::string("netext"), plan.app_module}) {
		if (native::module_loaded(m))
			continue;
		native::load_module(m == plan.app_module ? plan.app_ko
							 : plan.module_dir + "/" + m + ".ko");
		plan.record.loaded_modules.push_back(m);
		rollback.add([m] { native::unload_module(m); });
	}
}

// The app's maps from its eBPF object, bound to the module.
void bind_maps(AttachPlan &plan, NativeHandles &native, Rollback &rollback)
{
	const std::string &app = plan.record.app;
	bpf_object *obj = plan.obj();
	bpf_program *p;
	bpf_object__for_each_program(p, obj)
	{
		bpf_program__set_autoload(p, false);
	}
	if (int err = bpf_object__load(obj); err)
		throw Error("cannot create the maps of app '" + app + "': " + err_text(err) + "\n" +
			    plan.messages);
	native.device = std::make_unique<native::Device>();
	bpf_map *m;
	bpf_object__for_each_map(m, obj)
	{
		if (bpf_map__is_internal(m))
			continue;
		std::string name = bpf_map__name(m);
		int rc = native.device->bind(app, name, bpf_map__fd(m));
		if (rc == -ENOENT)
			continue; // the native code does not use it
		if (rc == -EBUSY)
			throw Error("the native module of app '" + app + "' is in use (its map '" +
					    name + "' is bound): one native attachment per app",
				    ExitCode::Conflict);
		if (rc)
			throw Error("cannot bind map '" + name + "' to app '" + app +
				    "'s native module: " + err_text(rc) +
				    (rc == -EINVAL ? " (the module and the eBPF object "
						     "declare it differently)"
						   : ""));
		rollback.add([app, name] { native_unbind(app, {name}); });
	}
}

} // namespace

void bind_native(AttachPlan &plan, NativeHandles &native, Rollback &rollback)
{
	if (!plan.native())
		return;
	find_modules(plan);
	load_modules(plan, rollback);
	fault_point("modules");
	bind_maps(plan, native, rollback);
	fault_point("bind");
	// The module is this attachment's now (its maps bound): its knobs get this
	// attachment's values, set or default, before any of its programs runs.
	set_native_knobs(plan);
}

BpfObjectPtr open_stub(const AttachPlan &plan, const NativeHandles &native,
		       const std::string &program, const char *stub_program)
{
	std::string path = plan.module_dir + "/netext_stub.bpf.o";
	uint32_t slot = native.device->slot(plan.record.app, program);
	BpfObjectPtr obj(bpf_object__open_file(path.c_str(), nullptr), bpf_object__close);
	if (!obj)
		throw Error("cannot open the native stub " + path + ": " + err_text(errno));
	bpf_program *p;
	bpf_object__for_each_program(p, obj.get())
	{
		bpf_program__set_autoload(p, std::strcmp(bpf_program__name(p), stub_program) == 0);
	}
	std::optional<RodataVar> var = find_rodata_var(obj.get(), "netext_slot");
	if (!var || var->size != sizeof(slot))
		throw Error("the native stub " + path + " has no netext_slot");
	if (!var->write(slot))
		throw Error("cannot set the native stub's slot");
	return obj;
}

void native_unbind(const std::string &app, const std::vector<std::string> &maps) noexcept
{
	try {
		native::Device dev;
		for (const std::string &m : maps)
			dev.unbind(app, m);
	} catch (const std::exception &) {
	}
}

std::string native_unload(const std::vector<std::string> &loaded) noexcept
{
	std::string stayed;
	for (auto it = loaded.rbegin(); it != loaded.rend(); ++it) {
		if (*it == "netext") {
			try {
				if (native::Device().apps() != 0)
					continue;
			} catch (const std::exception &) {
			}
		}
		if (!native::unload_module(*it))
			stayed += (stayed.empty() ? "" : ", ") + *it;
	}
	return stayed;
}

} // namespace netext::loader::attach_steps
