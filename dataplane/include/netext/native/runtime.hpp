// The native backend's ABI with netext.ko (kmod/include/netext_kmod.h): the context the
// dispatcher passes, the registration records the app module's glue hands over, and the
// runtime helpers netext.ko exports. Layouts must match the C declarations exactly.
#pragma once

#if !defined(NETEXT_NATIVE)
#error "netext/native/runtime.hpp is for the native backend only"
#endif

#include <cstddef>
#include <cstdint>

namespace netext::native {

// struct netext_ctx
struct Ctx {
	void *data;
	void *data_end;
	void *kctx; // struct xdp_buff * or struct sk_buff *
	void *skb;  // tc only
	uint32_t ifindex;
	uint32_t hook;
};

using Entry = int (*)(Ctx *);

// enum netext_hook
inline constexpr uint32_t kHookXdp = 1;
inline constexpr uint32_t kHookTc = 2;

// enum netext_fault_reason
enum class Fault : uint32_t { Bounds = 1, Panic = 2, Stack = 3, Resource = 4, Unbound = 7 };

// struct netext_prog_desc: one per NETEXT_XDP / NETEXT_TC, found by the module glue
// under the symbol netext_prog_rec_<name>.
struct ProgDesc {
	const char *name;
	uint32_t hook;
	Entry entry;
	uint32_t flags;
	int fault_verdict;
};

// struct netext_map_desc: one per NETEXT_MAP (symbol netext_map_desc_<name>); netext.ko
// sets map while a BPF map is bound to it.
struct MapDesc {
	const char *name;
	uint32_t type;
	uint32_t key_size;
	uint32_t value_size;
	uint32_t max_entries;
	uint32_t flags;
	void *map;
};

// struct netext_fib: bpf_fib_lookup's parameters the SDK uses (addresses in network order,
// IPv4 in the first word).
struct Fib {
	uint32_t family; // 2 AF_INET, 10 AF_INET6
	uint32_t ifindex;
	uint32_t tot_len;
	uint32_t mtu_result;
	uint32_t src[4];
	uint32_t dst[4];
	uint8_t smac[6];
	uint8_t dmac[6];
};
// BPF_FIB_LKUP_RET_SUCCESS / _NO_NEIGH
inline constexpr int kFibSuccess = 0;
inline constexpr int kFibNoNeigh = 7;

static_assert(sizeof(Fib) == 60 && offsetof(Fib, dmac) == 54);
static_assert(sizeof(Ctx) == 40 && offsetof(Ctx, ifindex) == 32);
static_assert(sizeof(ProgDesc) == 32 && offsetof(ProgDesc, fault_verdict) == 28);
static_assert(sizeof(MapDesc) == 40 && offsetof(MapDesc, map) == 32);

} // namespace netext::native

extern "C" {
// The landing pad: ends the invocation with the program's fault verdict. Not [[noreturn]]
// here, so that fault() below can put a ud2 after the call: objtool, which checks the app
// like any kernel object, knows no external function as noreturn but those on its own list
// (6.12 reads no annotation for it) and would otherwise follow the call into the next code.
void netext_fault(uint32_t reason);

void *netext_map_lookup(netext::native::MapDesc *d, const void *key);
long netext_map_update(netext::native::MapDesc *d, const void *key, const void *value,
		       uint64_t flags);
long netext_map_delete(netext::native::MapDesc *d, const void *key);

int netext_xdp_adjust_head(netext::native::Ctx *ctx, int offset);
int netext_xdp_adjust_tail(netext::native::Ctx *ctx, int offset);
uint32_t netext_xdp_rx_queue_index(const netext::native::Ctx *ctx);
int netext_xdp_redirect(netext::native::Ctx *ctx, uint32_t ifindex);
int netext_xdp_fib_lookup(const netext::native::Ctx *ctx, netext::native::Fib *params);

uint32_t netext_skb_len(const netext::native::Ctx *ctx);
uint32_t netext_skb_ifindex(const netext::native::Ctx *ctx);
uint32_t netext_skb_mark(const netext::native::Ctx *ctx);
void netext_skb_set_mark(netext::native::Ctx *ctx, uint32_t mark);
int netext_skb_load_bytes(const netext::native::Ctx *ctx, uint32_t offset, void *to, uint32_t len);

int netext_skb_pull(netext::native::Ctx *ctx, uint32_t len);

// netext::try_lock / unlock: an app-level lock taken and recorded (released by the landing
// pad if the program faults first), and released and forgotten, each in one call.
bool netext_trylock(uint32_t *word);
void netext_unlock(uint32_t *word);

uint64_t netext_now_ns();
uint64_t netext_coarse_now_ns();
uint64_t netext_ticks();
uint64_t netext_tick_ns();
uint32_t netext_random_u32();
uint32_t netext_cpu_id();
}

namespace netext::native {
// Always inlined, like detail::bounds_fault: an out-of-line copy would be a weak symbol,
// which objtool never takes for noreturn.
[[noreturn]] [[gnu::always_inline]] inline void fault(Fault reason) noexcept
{
	netext_fault(static_cast<uint32_t>(reason));
	__builtin_trap(); // never reached: netext_fault does not return (a ud2, for objtool)
}
} // namespace netext::native
