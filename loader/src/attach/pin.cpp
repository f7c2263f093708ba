// Attach, step 7: what outlives the process is pinned under the attachment's directory:
// maps by name, programs (the app's, or native stubs) as prog_<name>.
#include "plan.hpp"

#include <netext/loader/error.hpp>

#include <filesystem>

#include <unistd.h>

namespace fs = std::filesystem;

namespace netext::loader::attach_steps {

namespace {

void pin_programs(bpf_object *obj, const std::string &dir, const std::string *as,
		  Rollback &rollback)
{
	bpf_program *p;
	bpf_object__for_each_program(p, obj)
	{
		if (bpf_program__fd(p) < 0)
			continue;
		std::string path = dir + "/prog_" + (as ? *as : std::string(bpf_program__name(p)));
		if (int e = bpf_program__pin(p, path.c_str()))
			throw Error("cannot pin program at " + path + ": " + err_text(e));
		rollback.add([path] { unlink(path.c_str()); });
	}
}

} // namespace

void pin(AttachPlan &plan, const NativeHandles &native, Rollback &rollback)
{
	// Each pin is undone at once, before the earlier steps' undo: a pinned native stub
	// holds netext.ko, which bind_native's undo unloads (begin_record's undo, which removes
	// the directory, runs last).
	const std::string &dir = plan.dir;
	std::error_code ec;
	fs::create_directories(dir, ec);
	if (ec)
		throw Error("cannot create " + dir + ": " + ec.message());
	bpf_map *m;
	bpf_object__for_each_map(m, plan.obj())
	{
		if (bpf_map__is_internal(m))
			continue;
		std::string path = dir + "/" + bpf_map__name(m);
		if (int e = bpf_map__pin(m, path.c_str()))
			throw Error("cannot pin map at " + path + ": " + err_text(e));
		rollback.add([path] { unlink(path.c_str()); });
		plan.record.maps.emplace_back(bpf_map__name(m));
	}
	pin_programs(plan.obj(), dir, nullptr, rollback);
	for (const auto &[program, stub] : native.stubs)
		pin_programs(stub.get(), dir, &program, rollback);
}

std::string remove_pins(const std::string &dir)
{
	std::error_code ec;
	fs::remove_all(dir, ec);
	if (ec)
		return ec.message();
	// Remove emptied parents up to and including .../netext (remove() keeps non-empty ones).
	for (fs::path p = fs::path(dir).parent_path(); !p.empty(); p = p.parent_path()) {
		bool top = p.filename() == "netext";
		if (!fs::remove(p, ec) || top)
			break;
	}
	return "";
}

} // namespace netext::loader::attach_steps
