// expect: compiler-macro
// flags: -DNETEXT_NATIVE
// Red team (issue 19), misc/05_code_model_split.cpp, accepted by netext-check at 64df7b4b56 (11:49
// UTC) and compiled by the native flags. misc: #ifdef __code_model_kernel__ (defined by g++
// -mcmodel=kernel only): extern "C" kernel function call and a write to kernel data, invisible to
// the checker. The native gate passes -DNETEXT_NATIVE; the corpus runs without it, so it is set
// here.
#include <netext/xdp.hpp>
using namespace netext;

#ifdef __code_model_kernel__
extern "C" uint64_t jiffies;
#endif

NETEXT_XDP(cmodel_split)
{
#ifdef __code_model_kernel__
	jiffies = 0;
#endif
	return XdpAction::Pass;
}
