// netext-native-apps-test NETEXT_KO COUNTER_KO ECHO_KO STUB_OBJ COUNTER_BPF ECHO_BPF
//                         [--bmc BMC_KO BMC_BPF] [APP_KO...]
//
// The same app source as eBPF and as native code, in the qemu guest (static binary):
// loads netext.ko and the counter and echo app modules (built from the apps' C++), loads
// the apps' eBPF objects with libbpf twice (one copy runs as eBPF, the other only
// provides the maps bound to the native apps through /dev/netext), and runs the fixture
// corpus and its mutants through both with BPF_PROG_TEST_RUN: identical verdicts, output
// bytes and map totals. Then checks map binding errors, unbinding, per-packet cost, and
// that unloading puts every map reference. Further app modules (APP_KO: apps built natively
// whose corpus is not run here yet) are loaded, checked to register and to refuse to run
// unbound, and unloaded.
//
// BMC (--bmc) is stateful: apps/bmc/tests/bmc_fixtures.hpp's ordered sequence (fills through
// tc egress, hits, misses, invalidations, grace periods) runs step by step through the
// eBPF object and the native module, each with its own fresh maps; every step's verdict
// and bytes must be identical (and as expected where the sequence knows), then the stats
// and the whole cache (time stamps aside). Then mutants of every input, each from the same
// restored cache state on both.
#include <algorithm>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include <cerrno>
#include <cstdarg>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fcntl.h>
#include <linux/bpf.h>
#include <string>
#include <sys/ioctl.h>
#include <sys/syscall.h>
#include <unistd.h>
#include <vector>

#include "bmc_fixtures.hpp"
#include "fixtures.hpp"
#include "guest_bpf.hpp"
#include "modules.h"

using namespace netext::guest;

namespace {

// ---- BMC ---------------------------------------------------------------------------------

namespace bmcfx = netext::testing::bmcfx;

// A test run's result as the fixtures' runners compare it.
netext::testing::FixtureResult result_of(const Run &r)
{
	return {static_cast<int32_t>(r.retval), r.out};
}

// A map's value for each key in [0, entries), raw.
std::vector<Bytes> map_values(int fd, uint32_t entries, uint32_t value_size)
{
	std::vector<Bytes> out(entries, Bytes(value_size));
	for (uint32_t k = 0; k < entries; k++)
		if (bpf_map_lookup_elem(fd, &k, out[k].data()))
			die("lookup key %u", k);
	return out;
}

// bmc_cache entries and bmc_global with their time stamps cleared (bmc.hpp: Entry.inval_tick
// at byte 24, Global.inval_tick at byte 8): what must be identical between the backends.
constexpr size_t kEntryInvalNs = 24, kGlobalInvalNs = 8;

void clear_time(Bytes &v, size_t off)
{
	std::fill(v.begin() + static_cast<long>(off), v.begin() + static_cast<long>(off) + 8, 0);
}

struct BmcSide {
	int rx = -1, tx = -1;
	int cache = -1, global = -1, stats = -1;
	uint32_t entry_size = 0;
	// what restore() puts back before each mutant
	Bytes global_snap;
	std::vector<std::pair<uint32_t, Bytes>> slot_snap;

	Run run(const bmcfx::Step &st) const
	{
		return test_run(st.program == bmcfx::kRxProgram ? rx : tx, st.input);
	}
	void snapshot(const std::vector<uint32_t> &slots)
	{
		global_snap = map_values(global, 1, map_info(global).value_size)[0];
		slot_snap.clear();
		for (uint32_t s : slots) {
			Bytes v(entry_size);
			if (bpf_map_lookup_elem(cache, &s, v.data()))
				die("lookup slot %u", s);
			slot_snap.emplace_back(s, std::move(v));
		}
	}
	void restore() const
	{
		uint32_t zero = 0;
		if (bpf_map_update_elem(global, &zero, global_snap.data(), BPF_ANY))
			die("restore bmc_global");
		for (const auto &[s, v] : slot_snap)
			if (bpf_map_update_elem(cache, &s, v.data(), BPF_ANY))
				die("restore slot %u", s);
	}
	std::vector<Bytes> cache_state() const
	{
		std::vector<Bytes> c = map_values(cache, map_info(cache).max_entries, entry_size);
		for (Bytes &e : c)
			clear_time(e, kEntryInvalNs);
		Bytes g = map_values(global, 1, map_info(global).value_size)[0];
		clear_time(g, kGlobalInvalNs);
		c.push_back(g);
		return c;
	}
};

std::string hex_head(const Bytes &b, size_t n = 24)
{
	std::string s;
	char buf[4];
	for (size_t i = 0; i < b.size() && i < n; i++) {
		std::snprintf(buf, sizeof(buf), "%02x", b[i]);
		s += buf;
	}
	return s + (b.size() > n ? "..." : "");
}

// Where two runs' outputs first differ, for the report.
std::string first_difference(const Run &e, const Run &n)
{
	if (e.err != n.err || e.retval != n.retval || e.out.size() != n.out.size())
		return "";
	for (size_t i = 0; i < e.out.size(); i++)
		if (e.out[i] != n.out[i]) {
			char buf[96];
			std::snprintf(buf, sizeof(buf), ", first differing byte %zu: %02x vs %02x",
				      i, e.out[i], n.out[i]);
			return buf;
		}
	return "";
}

void report_difference(const char *where, const bmcfx::Step &st, const Run &e, const Run &n)
{
	check(false,
	      "bmc %s %s (%s, %zu bytes in: %s): ebpf %d/%u (%zu bytes), native %d/%u (%zu "
	      "bytes)%s",
	      where, st.name.c_str(), st.program.c_str(), st.input.size(),
	      hex_head(st.input).c_str(), e.err, e.retval, e.out.size(), n.err, n.retval,
	      n.out.size(), first_difference(e, n).c_str());
}

// The BMC counters by name (bmc.hpp's Stat order), and the native side's where it differs.
std::string bmc_stats_text(const std::vector<uint64_t> &e, const std::vector<uint64_t> &n)
{
	const auto &names = netext::bmc::kStatNames;
	std::string t;
	for (size_t i = 0; i < e.size(); i++) {
		t += (i ? ", " : "") + std::string(i < std::size(names) ? names[i] : "?") + " " +
		     std::to_string(e[i]);
		if (i >= n.size() || n[i] != e[i])
			t += " (native " + (i < n.size() ? std::to_string(n[i]) : "none") + ")";
	}
	return t;
}

void run_bmc(const char *bmc_ko, const char *bmc_bpf)
{
	if (int rc = load_module(bmc_ko))
		errno = -rc, die("finit_module %s", bmc_ko);
	uint32_t rx_slot = find_slot("bmc", "bmc_rx"), tx_slot = find_slot("bmc", "bmc_tx");
	std::vector<Object> stubs;
	BmcSide ebpf, native;
	native.rx = load_stub(rx_slot, "netext_xdp", stubs);
	native.tx = load_stub(tx_slot, "netext_tc", stubs);
	// Two copies: one runs as eBPF, the other's maps (no program loaded) go to the module.
	Object eo = load_object(bmc_bpf), no = load_object(bmc_bpf, "");
	ebpf.rx = eo.prog("bmc_rx");
	ebpf.tx = eo.prog("bmc_tx");
	std::vector<uint32_t> map_ids;
	for (BmcSide *side : {&ebpf, &native}) {
		const Object &o = side == &ebpf ? eo : no;
		side->cache = o.map("bmc_cache");
		side->global = o.map("bmc_global");
		side->stats = o.map("bmc_stats");
		side->entry_size = map_info(side->cache).value_size;
	}
	// Every map of the app (not .rodata and .bss: the module has its own).
	bool bound = true;
	bpf_map *m = nullptr;
	bpf_object__for_each_map(m, no.obj)
	{
		if (bpf_map__is_internal(m))
			continue;
		int fd = bpf_map__fd(m);
		bound = bind_map(NETEXT_IOC_MAP_BIND, "bmc", bpf_map__name(m), fd) == 0 && bound;
		map_ids.push_back(map_info(fd).id);
	}
	check(bound && map_info(native.cache).max_entries == bmcfx::kEntries,
	      "bmc: module loaded, bmc_rx in slot %u, bmc_tx in slot %u, %zu maps bound", rx_slot,
	      tx_slot, map_ids.size());
	const uint32_t nstats = map_info(ebpf.stats).max_entries;

	// The ordered sequence, step by step on both (so both see the same clock).
	int before = failures;
	size_t steps = 0, waits = 0, expected = 0, differ = 0, unexpected = 0, hits = 0;
	for (const bmcfx::Step &st : bmcfx::bmc_steps()) {
		if (st.wait_ms) {
			usleep(st.wait_ms * 1000);
			waits++;
		}
		if (!st.has_frame())
			continue;
		Run e = ebpf.run(st), n = native.run(st);
		steps++;
		if (!(e == n)) {
			if (differ++ < 10)
				report_difference("step", st, e, n);
			continue;
		}
		std::string why = e.err ? "the test run failed"
					: netext::testing::fixture_mismatch(st, result_of(e));
		hits += e.retval == XDP_TX && st.program == bmcfx::kRxProgram ? 1 : 0;
		expected += !st.verdict.any() || st.output ? 1 : 0;
		if (!why.empty() && unexpected++ < 10)
			check(false, "bmc step %s: both %d/%u (%zu bytes): %s", st.name.c_str(),
			      e.err, e.retval, e.out.size(), why.c_str());
	}
	check(failures == before && steps > 0,
	      "bmc: %zu steps (%zu hits answered, %zu waits): identical on eBPF and native, %zu "
	      "checked against expected verdicts and bytes",
	      steps, hits, waits, expected);
	std::vector<uint64_t> se = percpu_totals(ebpf.stats, nstats, 8),
			      sn = percpu_totals(native.stats, nstats, 8);
	check(se == sn && se.size() == netext::bmc::kStats && se[netext::bmc::Hits] > 0 &&
		      se[netext::bmc::Fills] > 0,
	      "bmc stats after the sequence identical: %s", bmc_stats_text(se, sn).c_str());
	std::vector<Bytes> ce = ebpf.cache_state(), cn = native.cache_state();
	size_t filled = 0, diff_slots = 0;
	for (size_t i = 0; i < ce.size(); i++) {
		diff_slots += ce[i] != cn[i] ? 1 : 0;
		filled += i + 1 < ce.size() && ce[i] != Bytes(ce[i].size(), 0) ? 1 : 0;
	}
	check(diff_slots == 0 && filled > 0,
	      "bmc cache after the sequence identical (%zu of %zu slots used, %zu differ)", filled,
	      ce.size() - 1, diff_slots);

	// The mutated corpus, each mutant from the state the sequence left (the corpus keys
	// cached), restored on both before each one.
	std::vector<uint32_t> slots;
	for (const auto &[k, d] : bmcfx::corpus_keys())
		slots.push_back(bmcfx::slot_of(k));
	ebpf.snapshot(slots);
	native.snapshot(slots);
	std::vector<bmcfx::Step> corpus = bmcfx::mutated_corpus(50, 20261122);
	size_t compared = 0, changed = 0, refused = 0, mdiffer = 0, mhits = 0;
	for (const bmcfx::Step &st : corpus) {
		ebpf.restore();
		native.restore();
		Run e = ebpf.run(st), n = native.run(st);
		if (!(e == n)) {
			if (mdiffer++ < 10)
				report_difference("mutant", st, e, n);
			continue;
		}
		compared++;
		refused += e.err ? 1 : 0;
		changed += !e.err && e.out != st.input ? 1 : 0;
		mhits += !e.err && e.retval == XDP_TX && st.program == bmcfx::kRxProgram ? 1 : 0;
	}
	check(mdiffer == 0 && mhits > 0,
	      "bmc corpus of %zu mutants (of %zu inputs): %zu identical (%zu answered from the "
	      "cache, %zu rewritten, %zu refused by the test run on both), %zu different",
	      corpus.size(), bmcfx::mutation_bases().size(), compared, mhits, changed, refused,
	      mdiffer);
	se = percpu_totals(ebpf.stats, nstats, 8);
	sn = percpu_totals(native.stats, nstats, 8);
	check(se == sn, "bmc stats after the corpus identical: %s", bmc_stats_text(se, sn).c_str());
	ce = ebpf.cache_state();
	cn = native.cache_state();
	diff_slots = 0;
	for (size_t i = 0; i < ce.size(); i++)
		diff_slots += ce[i] != cn[i] ? 1 : 0;
	check(diff_slots == 0, "bmc cache after the corpus identical (%zu slots differ)",
	      diff_slots);
	netext_prog_info ri = info_of(rx_slot), ti = info_of(tx_slot);
	check(ri.faults == 0 && ti.faults == 0 && ri.invocations > 0 && ti.invocations > 0,
	      "bmc native: %llu + %llu invocations, %llu + %llu faults",
	      (unsigned long long)ri.invocations, (unsigned long long)ti.invocations,
	      (unsigned long long)ri.faults, (unsigned long long)ti.faults);

	// Unloading puts the bound maps.
	for (Object &o : stubs)
		bpf_object__close(o.obj);
	bpf_object__close(eo.obj);
	bpf_object__close(no.obj);
	int rc = unload_module("netext_app_bmc");
	bool gone = false;
	for (int i = 0; i < 300 && !gone && rc == 0; i++) {
		gone = true;
		for (uint32_t id : map_ids) {
			int fd = bpf_map_get_fd_by_id(id);
			if (fd >= 0) {
				gone = false;
				close(fd);
			}
		}
		if (!gone)
			usleep(10000);
	}
	check(rc == 0 && gone, "bmc module unloaded, its bound maps freed");
}

long meminfo_kb(const char *key)
{
	FILE *f = std::fopen("/proc/meminfo", "r");
	if (!f)
		die("/proc/meminfo");
	char line[256];
	long v = -1;
	size_t n = std::strlen(key);
	while (std::fgets(line, sizeof(line), f))
		if (!std::strncmp(line, key, n) && line[n] == ':')
			v = std::strtol(line + n + 1, nullptr, 10);
	std::fclose(f);
	return v;
}

} // namespace

int main(int argc, char **argv)
{
	if (argc < 7) {
		std::fprintf(stderr,
			     "usage: %s NETEXT_KO COUNTER_KO ECHO_KO STUB_OBJ COUNTER_BPF "
			     "ECHO_BPF [--bmc BMC_KO BMC_BPF] [APP_KO...]\n",
			     argv[0]);
		return 2;
	}
	const char *netext_ko = argv[1], *counter_ko = argv[2], *echo_ko = argv[3];
	stub_path = argv[4];
	const char *counter_bpf = argv[5], *echo_bpf = argv[6];
	const char *bmc_ko = nullptr, *bmc_bpf = nullptr;
	std::vector<const char *> extra_kos;
	for (int i = 7; i < argc; i++) {
		if (!std::strcmp(argv[i], "--bmc") && i + 2 < argc) {
			bmc_ko = argv[++i];
			bmc_bpf = argv[++i];
		} else {
			extra_kos.push_back(argv[i]);
		}
	}
	libbpf_set_print(nullptr);

	for (const char *ko : {netext_ko, counter_ko, echo_ko})
		if (int rc = load_module(ko))
			errno = -rc, die("finit_module %s", ko);
	// The guest's clock runs while qemu waits for the host CPU: a generous budget, so a
	// busy host cannot end a fixture (guest.native_kmod tests the watchdog).
	set_watchdog_us(200000);
	open_device();

	struct Pair {
		const char *app, *prog, *stub;
		int ebpf_fd = -1, native_fd = -1;
		uint32_t slot = 0;
	};
	std::vector<Pair> pairs = {{"counter", "count_xdp", "netext_xdp"},
				   {"counter", "count_tc_ingress", "netext_tc"},
				   {"counter", "count_tc_egress", "netext_tc"},
				   {"echo", "echo_xdp", "netext_xdp"}};
	std::vector<Object> stubs;
	for (Pair &p : pairs) {
		p.slot = find_slot(p.app, p.prog);
		p.native_fd = load_stub(p.slot, p.stub, stubs);
	}

	// Unbound maps: the app does not run; the fault verdict, counted.
	Bytes probe = netext::testing::app_fixtures().front().input;
	{
		netext_prog_info before = info_of(pairs[0].slot);
		Run r = test_run(pairs[0].native_fd, probe);
		netext_prog_info after = info_of(pairs[0].slot);
		check(r.err == 0 && r.retval == XDP_PASS && after.faults == before.faults + 1 &&
			      after.last_fault_reason == NETEXT_FAULT_UNBOUND,
		      "counter with its map unbound: not run, fault verdict %u, fault counted "
		      "(reason %u)",
		      r.retval, after.last_fault_reason);
	}

	// Two copies of each eBPF object: one runs, the other's maps go to the native app.
	Object ebpf_counter = load_object(counter_bpf), native_counter = load_object(counter_bpf);
	Object ebpf_echo = load_object(echo_bpf), native_echo = load_object(echo_bpf);
	for (Pair &p : pairs)
		p.ebpf_fd = (std::strcmp(p.app, "counter") ? ebpf_echo : ebpf_counter).prog(p.prog);

	int nstats = native_counter.map("stats"), necho = native_echo.map("echo_stats");
	check(bind_map(NETEXT_IOC_MAP_BIND, "counter", "stats", necho) == -EINVAL,
	      "bind refuses a map of another shape (EINVAL)");
	check(bind_map(NETEXT_IOC_MAP_BIND, "counter", "nosuch", nstats) == -ENOENT,
	      "bind refuses an unknown map (ENOENT)");
	check(bind_map(NETEXT_IOC_MAP_BIND, "nosuch", "stats", nstats) == -ENOENT,
	      "bind refuses an unknown app (ENOENT)");
	check(bind_map(NETEXT_IOC_MAP_BIND, "counter", "stats", -1) == -EBADF,
	      "bind refuses a bad fd (EBADF)");
	check(bind_map(NETEXT_IOC_MAP_BIND, "counter", "stats", nstats) == 0, "bind counter/stats");
	check(bind_map(NETEXT_IOC_MAP_BIND, "counter", "stats", nstats) == -EBUSY,
	      "bind twice refused (EBUSY)");
	check(bind_map(NETEXT_IOC_MAP_BIND, "echo", "echo_stats", necho) == 0,
	      "bind echo/echo_stats");
	uint32_t stats_id = map_info(nstats).id, echo_id = map_info(necho).id;
	uint32_t stats_entries = map_info(nstats).max_entries;
	uint32_t stats_vsize = map_info(nstats).value_size;
	uint32_t echo_entries = map_info(necho).max_entries;

	// The fixtures: expected verdicts and bytes, on both.
	size_t fixtures = 0;
	for (const auto &f : netext::testing::app_fixtures()) {
		for (const Pair &p : pairs) {
			if (f.app != p.app || f.program != p.prog)
				continue;
			Run e = test_run(p.ebpf_fd, f.input), n = test_run(p.native_fd, f.input);
			std::string why =
				e.err	    ? "the test run failed"
				: !(n == e) ? "eBPF and native differ"
					    : netext::testing::fixture_mismatch(f, result_of(e));
			if (!why.empty())
				check(false, "fixture %s (%s/%s): ebpf %d/%u, native %d/%u: %s",
				      f.name.c_str(), p.app, p.prog, e.err, e.retval, n.err,
				      n.retval, why.c_str());
			fixtures++;
		}
	}
	check(fixtures > 0 && failures == 0, "%zu fixtures: eBPF and native as expected", fixtures);

	// The mutated corpus: identical results whatever they are.
	std::vector<Bytes> corpus = netext::testing::mutated_corpus(100, 20261121);
	for (const auto &f : netext::testing::app_fixtures())
		corpus.push_back(f.input);
	size_t compared = 0, changed = 0, refused = 0, differ = 0;
	for (const Pair &p : pairs) {
		for (const Bytes &pkt : corpus) {
			Run e = test_run(p.ebpf_fd, pkt), n = test_run(p.native_fd, pkt);
			if (!(e == n)) {
				if (differ++ < 5)
					check(false,
					      "%s/%s, packet of %zu bytes: ebpf %d/%u (%zu bytes), "
					      "native %d/%u (%zu bytes)",
					      p.app, p.prog, pkt.size(), e.err, e.retval,
					      e.out.size(), n.err, n.retval, n.out.size());
				continue;
			}
			compared++;
			refused += e.err ? 1 : 0;
			changed += !e.err && e.out != pkt ? 1 : 0;
		}
	}
	check(differ == 0 && changed > 0,
	      "corpus of %zu packets x %zu programs: %zu identical (%zu rewritten, %zu refused by "
	      "the test run on both), %zu different",
	      corpus.size(), pairs.size(), compared, changed, refused, differ);

	std::vector<uint64_t> te = percpu_totals(ebpf_counter.map("stats"), stats_entries,
						 stats_vsize),
			      tn = percpu_totals(nstats, stats_entries, stats_vsize);
	uint64_t packets = 0;
	for (size_t i = 0; i < tn.size(); i += 2)
		packets += tn[i];
	check(te == tn && packets > 0, "counter totals identical (%llu packets counted)",
	      static_cast<unsigned long long>(packets));
	check(percpu_totals(ebpf_echo.map("echo_stats"), echo_entries, 8) ==
		      percpu_totals(necho, echo_entries, 8),
	      "echo totals identical");

	// Per-packet cost (repeat on the same buffer: counter leaves it unchanged).
	{
		const int repeat = 100000;
		Object empty = load_object(stub_path, "netext_empty");
		uint32_t e = best_duration(pairs[0].ebpf_fd, probe, repeat, 3);
		uint32_t n = best_duration(pairs[0].native_fd, probe, repeat, 3);
		uint32_t z = best_duration(empty.prog("netext_empty"), probe, repeat, 3);
		std::printf("perf: counter count_xdp, %zu-byte packet, repeat %d, best of 3 (TCG): "
			    "eBPF %u ns, native %u ns, empty XDP program %u ns per run\n",
			    probe.size(), repeat, e, n, z);
		// With the default budget and without the watchdog (netext.ko's watchdog_us).
		set_watchdog_us(500);
		uint32_t n5 = best_duration(pairs[0].native_fd, probe, repeat, 3);
		set_watchdog_us(0);
		uint32_t n0 = best_duration(pairs[0].native_fd, probe, repeat, 3);
		set_watchdog_us(200000);
		std::printf("perf: counter count_xdp native: %u ns with the watchdog (500 us), "
			    "%u ns without (%+d ns)\n",
			    n5, n0, static_cast<int>(n5) - static_cast<int>(n0));
		bpf_object__close(empty.obj);
	}

	if (bmc_ko)
		run_bmc(bmc_ko, bmc_bpf);

	// Unbind: the app stops running; unbinding twice fails.
	check(bind_map(NETEXT_IOC_MAP_UNBIND, "counter", "stats", -1) == 0, "unbind counter/stats");
	check(bind_map(NETEXT_IOC_MAP_UNBIND, "counter", "stats", -1) == -ENOENT,
	      "unbind twice refused (ENOENT)");
	{
		netext_prog_info before = info_of(pairs[0].slot);
		Run r = test_run(pairs[0].native_fd, probe);
		netext_prog_info after = info_of(pairs[0].slot);
		check(r.retval == XDP_PASS && after.faults == before.faults + 1 &&
			      after.last_fault_reason == NETEXT_FAULT_UNBOUND,
		      "counter after unbind: not run, fault counted");
	}
	// Other native apps: they register, and do not run with their maps unbound.
	for (const char *ko : extra_kos) {
		std::string mod = ko;
		mod = mod.substr(mod.rfind('/') + 1);
		mod = mod.substr(0, mod.size() - 3); // .ko
		std::string app = mod.substr(std::string("netext_app_").size());
		if (int rc = load_module(ko))
			errno = -rc, die("finit_module %s", ko);
		netext_prog_info info;
		uint32_t slot = NETEXT_MAX_SLOTS, nprogs = 0;
		for (uint32_t s = 0; s < NETEXT_MAX_SLOTS; s++)
			if (prog_info(s, info) && app == info.app) {
				nprogs++;
				if (info.hook == NETEXT_HOOK_XDP && slot == NETEXT_MAX_SLOTS)
					slot = info.slot; // the handle the stub is given
			}
		bool ran_unbound = true;
		if (slot != NETEXT_MAX_SLOTS) {
			std::vector<Object> keep;
			netext_prog_info before = info_of(slot);
			Run r = test_run(load_stub(slot, "netext_xdp", keep), probe);
			netext_prog_info after = info_of(slot);
			ran_unbound = r.err || after.faults != before.faults + 1 ||
				      after.last_fault_reason != NETEXT_FAULT_UNBOUND;
			bpf_object__close(keep.back().obj);
		}
		int rc = unload_module(mod.c_str());
		check(nprogs > 0 && !ran_unbound && rc == 0,
		      "%s: %u native program(s) registered, not run unbound, unloaded", mod.c_str(),
		      nprogs);
	}

	// echo stays bound: unregistering (module unload) must put it.
	for (Object &o : stubs)
		bpf_object__close(o.obj);
	for (Object *o : {&ebpf_counter, &native_counter, &ebpf_echo, &native_echo})
		bpf_object__close(o->obj);
	close(dev);
	for (const char *m : {"netext_app_echo", "netext_app_counter", "netext"})
		if (int rc = unload_module(m))
			errno = -rc, die("delete_module %s", m);
	check(true, "modules unloaded");

	// No reference left: the maps go away (freed from a workqueue: poll).
	bool gone = false;
	for (int i = 0; i < 300 && !gone; i++) {
		int a = bpf_map_get_fd_by_id(stats_id), b = bpf_map_get_fd_by_id(echo_id);
		gone = a < 0 && b < 0;
		if (a >= 0)
			close(a);
		if (b >= 0)
			close(b);
		if (!gone)
			usleep(10000);
	}
	check(gone, "the bound maps were freed (no reference kept after unbind/unregister)");

	// 100 load/unload cycles of netext.ko with every app module: nothing grows (vmalloc'd
	// extension stacks, per-CPU state, module memory); the harness fails on any warning.
	{
		std::vector<const char *> kos = {netext_ko, counter_ko, echo_ko};
		if (bmc_ko)
			kos.push_back(bmc_ko);
		kos.insert(kos.end(), extra_kos.begin(), extra_kos.end());
		auto module_name = [](const char *path) {
			std::string m = path;
			m = m.substr(m.rfind('/') + 1);
			return m.substr(0, m.size() - 3);
		};
		auto cycle = [&] {
			for (const char *ko : kos)
				if (int rc = load_module(ko))
					errno = -rc, die("finit_module %s", ko);
			for (size_t i = kos.size(); i-- > 0;)
				if (int rc = unload_module(module_name(kos[i]).c_str()))
					errno = -rc, die("delete_module %s", kos[i]);
		};
		cycle(); // a first cycle warms up what the kernel allocates once
		long vm0 = meminfo_kb("VmallocUsed"), pc0 = meminfo_kb("Percpu");
		const int cycles = 100;
		for (int i = 0; i < cycles; i++)
			cycle();
		long vm1 = meminfo_kb("VmallocUsed"), pc1 = meminfo_kb("Percpu");
		check(vm1 - vm0 < 256 && pc1 - pc0 < 64,
		      "%d load/unload cycles of netext.ko and %zu app modules: VmallocUsed %+ld "
		      "kB, "
		      "Percpu %+ld kB",
		      cycles, kos.size() - 1, vm1 - vm0, pc1 - pc0);
	}

	std::printf("%s: %d failure(s)\n", failures ? "FAILED" : "PASSED", failures);
	return failures ? 1 : 0;
}
