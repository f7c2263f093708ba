// attach(): the steps of plan.hpp in order, all or nothing. Each step registers the undo
// of what it did with the rollback; any failure (or NETEXT_FAULT_INJECT after a step)
// unwinds them newest first, leaving the interface as it was.
#include "plan.hpp"

#include "../lib_log.hpp"

namespace netext::loader {

using namespace attach_steps;

Attachment attach(const AttachRequest &req)
{
	AttachPlan plan(req);
	LibLog log(plan.messages); // libbpf's and libxdp's output, for error messages
	resolve_app(plan);
	check_xdp_slot(plan);
	apply_knobs(plan);

	Rollback rollback;
	NativeHandles native; // closed before the rollback unloads the modules they use
	bind_native(plan, native, rollback);
	attach_xdp(plan, native, rollback);
	fault_point("load");
	attach_tc(plan, native, rollback);
	fault_point("tc");
	pin(plan, native, rollback);
	fault_point("pin");
	write_record(plan);
	rollback.commit();
	plan.record.pin_dir = plan.dir;
	return plan.record;
}

} // namespace netext::loader
