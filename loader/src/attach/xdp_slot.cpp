// Attach, step 2: XDP goes through libxdp, which can add a program beside others attached
// through libxdp (its dispatcher) but not beside one attached some other way.
#include "plan.hpp"

#include <netext/loader/error.hpp>

#include <bpf/libbpf.h>
#include <xdp/libxdp.h>

namespace netext::loader::attach_steps {

void check_xdp_slot(const AttachPlan &plan)
{
	if (!plan.wants_xdp)
		return;
	const Attachment &a = plan.record;
	LIBBPF_OPTS(bpf_xdp_query_opts, q);
	if (bpf_xdp_query(static_cast<int>(a.ifindex), 0, &q) != 0 || q.prog_id == 0)
		return;
	xdp_multiprog *mp = xdp_multiprog__get_from_ifindex(static_cast<int>(a.ifindex));
	bool legacy = !mp || libxdp_get_error(mp) || xdp_multiprog__is_legacy(mp);
	if (mp && !libxdp_get_error(mp))
		xdp_multiprog__close(mp);
	if (legacy)
		throw Error(a.ifname + " already has an XDP program (id " +
				    std::to_string(q.prog_id) +
				    ") that was not attached through libxdp, so another cannot run "
				    "beside it; remove it first (ip link set dev " +
				    a.ifname + " xdp off) or load it with xdp-loader",
			    ExitCode::Conflict);
}

} // namespace netext::loader::attach_steps
