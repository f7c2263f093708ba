// netext-bench-bmc-cost: what one memcached request costs in the kernel, netext's BMC app
// (apps/bmc) against the eBPF-C baseline written from the published BMC (bench/baseline),
// both through BPF_PROG_TEST_RUN on this kernel, in one run.
//
// Cases: GET hit of 1 key, GET hit of 10 keys, GET miss, SET invalidation (TCP; a 5-byte
// value, and a 32-byte one as in the other cases), cache fill
// (the tc egress program on memcached's answer).
//
// Method (see FIELD-NOTES "Measuring and baselines"): a hit rewrites the packet into its
// reply and a fill consumes its lease, so BPF_PROG_TEST_RUN with repeat > 1 would measure
// the wrong path on its second iteration. Every case is therefore measured with repeat = 1,
// many calls (default 5 runs x 20000 calls), taking the kernel-reported duration of each
// call; the median (and p10/p90) of those is reported raw and with the median of an empty
// XDP / tc program measured the same way subtracted. netext, the baseline and the empty
// program take turns within each case (blocks of 500 calls), so that background load on
// the machine falls on all three alike. A fill call is preceded, unmeasured,
// by the GET miss that grants its lease (a fresh key and request id each time), and the
// fills are checked to have stored. The miss rewrites nothing and needs
// no fresh state: it is also measured with repeat = 100000 (median of 7 runs of the
// kernel's per-repetition average, the empty program's subtracted the same way). A SET
// must come as the next segment of its connection: repeat = 1 only (see there).
//
// Also prints each program's verifier-processed instructions and translated/JIT sizes, and
// the source lines of both implementations. Writes bench/results/bmc_cost.csv,
// bmc_programs.csv and bmc_lines.csv. Asserts nothing.
#include <netext/loader/error.hpp>
#include <netext/loader/object.hpp>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <functional>
#include <map>
#include <sched.h>
#include <string>
#include <thread>
#include <vector>

#include "args.hpp"
#include "baseline.hpp"
#include "bmc.hpp"
#include "packet_builder.hpp"
#include "test_run_cost.hpp"

using namespace netext;
using namespace netext::testing;

#ifndef NETEXT_SOURCE_DIR
#define NETEXT_SOURCE_DIR "."
#endif

using bench::Figure;
using bench::fmt;
using bench::kBlock;
using bench::kWarmCalls;
using bench::Subject;

namespace {

constexpr uint32_t kValueSize = 32;
constexpr int kXdpTx = 3;
constexpr int kXdpPass = 2;

struct Options : bench::CostOptions {
	std::string source_dir = NETEXT_SOURCE_DIR;
	std::string only; // run only the cases whose name contains this (e.g. "fill")
	[[nodiscard]] bool wants(const std::string &cas) const
	{
		return only.empty() || cas.find(only) != std::string::npos;
	}
};

[[noreturn]] void usage(const char *why)
{
	std::fprintf(stderr,
		     "netext-bench-bmc-cost: %s\n"
		     "usage: netext-bench-bmc-cost [--out DIR] [--runs N] [--calls N] [--cpu N]\n"
		     "         [--source-dir DIR] [--case TEXT]\n"
		     "  per-request cost of netext's BMC and the eBPF-C baseline through\n"
		     "  BPF_PROG_TEST_RUN; CSV to DIR (default bench/results)\n"
		     "  --case TEXT: only the cases whose name contains TEXT (e.g. \"miss\",\n"
		     "  \"fill\"), to profile one path with perf\n",
		     why);
	std::exit(2);
}

Options parse(int argc, char **argv)
{
	Options o;
	bench::parse_args(argc, argv, usage, [&](const std::string &a, auto next) {
		if (a == "--source-dir")
			o.source_dir = next();
		else if (a == "--case")
			o.only = next();
		else if (a == "-h" || a == "--help")
			usage("help");
		else
			return o.take(a, next);
		return true;
	});
	o.check(usage);
	return o;
}

// ---- packets (IPv4 without options: what the baseline serves) ---------------------------

Bytes frame_header(uint16_t id)
{
	return {static_cast<uint8_t>(id >> 8), static_cast<uint8_t>(id), 0, 0, 0, 1, 0, 0};
}

Bytes with_text(Bytes head, const std::string &t)
{
	head.insert(head.end(), t.begin(), t.end());
	return head;
}

// A datagram from the client (198.18.0.1:sport) to memcached (198.18.0.2:11211).
Bytes request(const std::string &t, uint16_t id, uint16_t sport = 40000)
{
	PacketSpec s;
	s.sport = sport;
	s.dport = bmc::kDefaultPort;
	s.payload = with_text(frame_header(id), t);
	return build(s);
}

// memcached's answer to it, as it leaves the server.
Bytes answer(const std::string &t, uint16_t id, uint16_t cport = 40000)
{
	PacketSpec s;
	s.sport = bmc::kDefaultPort;
	s.dport = cport;
	std::swap(s.src4, s.dst4);
	s.payload = with_text(frame_header(id), t);
	return build(s);
}

Bytes tcp_request(const std::string &t)
{
	PacketSpec s;
	s.proto = 6;
	s.dport = bmc::kDefaultPort;
	s.payload = text(t);
	return build(s);
}

// memcached's SYN-ACK to that client, acknowledging `ack`.
Bytes tcp_syn_ack(uint32_t ack)
{
	PacketSpec s;
	s.proto = 6;
	s.sport = bmc::kDefaultPort;
	s.dport = 40000;
	std::swap(s.src4, s.dst4);
	s.tcp_flags = 0x12;
	s.tcp_ack = ack;
	return build(s);
}

// Sets the sequence number of a segment built by tcp_request.
void put_seq(Bytes &b, uint32_t seq)
{
	std::size_t at = l4_offset(PacketSpec{}) + 4;
	for (int i = 0; i < 4; i++)
		b[at + static_cast<std::size_t>(i)] = static_cast<uint8_t>(seq >> (24 - 8 * i));
}

std::string key_name(const char *prefix, uint32_t i)
{
	char buf[48];
	std::snprintf(buf, sizeof buf, "%s%08u", prefix, i);
	return buf;
}

// memcached 1.6's answer for one key: one datagram per key, END after it.
std::string value_answer(const std::string &key)
{
	return "VALUE " + key + " 0 " + std::to_string(kValueSize) + "\r\n" +
	       std::string(kValueSize, 'v') + "\r\nEND\r\n";
}

// ---- the two implementations ---------------------------------------------------------------

struct Impl {
	std::string name;
	int rx = -1, tx = -1;
	std::function<uint64_t()> fills; // entries stored so far
	std::function<uint64_t()> hits;	 // GETs (netext) / keys (baseline) answered so far
	std::vector<std::pair<std::string, int>> programs;
};

std::string item_keys(const std::vector<std::string> &keys)
{
	std::string s;
	for (const std::string &k : keys)
		s += " " + k;
	return s;
}

// Caches `keys` the way the traffic does: the GET that misses (its lease), then memcached's
// answer for each key through tc egress.
void cache_keys(const Impl &impl, const std::vector<std::string> &keys, uint16_t id)
{
	(void)loader::test_run(impl.rx, request("get" + item_keys(keys) + "\r\n", id));
	for (const std::string &k : keys)
		(void)loader::test_run(impl.tx, answer(value_answer(k), id));
}

// Does the GET of `keys` come back as the reply (XDP_TX) with every key's value and END?
std::string check_hit(const Impl &impl, const std::vector<std::string> &keys)
{
	loader::TestRun r = loader::test_run(impl.rx, request("get" + item_keys(keys) + "\r\n", 1));
	if (r.retval != kXdpTx)
		return "answered " + std::to_string(r.retval) + " (not XDP_TX)";
	std::string out(r.data.begin(), r.data.end());
	for (const std::string &k : keys)
		if (out.find("VALUE " + k + " 0 " + std::to_string(kValueSize) + "\r\n") ==
		    std::string::npos)
			return "XDP_TX without the value of " + k;
	if (!out.ends_with("END\r\n"))
		return "XDP_TX without END";
	return "";
}

// ---- source lines ------------------------------------------------------------------------

// Lines with code: neither blank nor only comments (// and /* */; string and character
// literals are skipped so that "//" inside them is no comment).
long code_lines(const std::string &path)
{
	std::ifstream f(path);
	if (!f)
		return -1;
	std::string line;
	bool in_block = false;
	long n = 0;
	while (std::getline(f, line)) {
		bool code = false;
		for (std::size_t i = 0; i < line.size(); i++) {
			char c = line[i];
			if (in_block) {
				if (c == '*' && i + 1 < line.size() && line[i + 1] == '/') {
					in_block = false;
					i++;
				}
				continue;
			}
			if (c == '/' && i + 1 < line.size() && line[i + 1] == '/')
				break;
			if (c == '/' && i + 1 < line.size() && line[i + 1] == '*') {
				in_block = true;
				i++;
				continue;
			}
			if (c == '"' || c == '\'') {
				code = true;
				for (i++; i < line.size() && line[i] != c; i++)
					if (line[i] == '\\')
						i++;
				continue;
			}
			if (c != ' ' && c != '\t' && c != '\r')
				code = true;
		}
		n += code ? 1 : 0;
	}
	return n;
}

} // namespace

int main(int argc, char **argv)
{
	Options o = parse(argc, argv);
	try {
		bench::pin(o.cpu);
		loader::BpfObject empty = loader::BpfObject::open_embedded("empty_progs");
		empty.load();
		loader::BpfObject nx = loader::BpfObject::open_embedded("bmc");
		nx.load();
		// The same number of slots for both (netext's default).
		bench::BaselineBmc base(bmc::kDefaultEntries);

		int nx_stats = nx.map_fd("bmc_stats");
		Impl impls[2];
		impls[0].name = "netext";
		impls[0].rx = nx.program_fd("bmc_rx");
		impls[0].tx = nx.program_fd("bmc_tx");
		impls[0].fills = [&] { return loader::map_u64_sums(nx_stats, bmc::Fills, 1)[0]; };
		impls[0].hits = [&] { return loader::map_u64_sums(nx_stats, bmc::Hits, 1)[0]; };
		for (const std::string &p : nx.program_names())
			impls[0].programs.emplace_back(p, nx.program_fd(p));
		impls[1].name = "baseline";
		impls[1].rx = base.xdp_fd();
		impls[1].tx = base.tc_fd();
		impls[1].fills = [&] { return base.stats().at("update_count"); };
		impls[1].hits = [&] { return base.stats().at("hit_count"); };
		for (const std::string &p : base.object().program_names())
			impls[1].programs.emplace_back(p, base.object().program_fd(p));
		const int empty_xdp = empty.program_fd("empty_xdp");
		const int empty_tc = empty.program_fd("empty_tc");

		std::filesystem::create_directories(o.out_dir);

		// ---- static figures ----
		std::ofstream pcsv(o.out_dir + "/bmc_programs.csv");
		pcsv << "impl,program,verified_insns,xlated_insns,jited_bytes\n";
		std::printf("\n%-9s %-22s %9s %8s %8s\n", "impl", "program", "verified", "xlated",
			    "jited");
		for (const Impl &impl : impls) {
			uint64_t tv = 0, tx = 0, tj = 0;
			for (const auto &[name, fd] : impl.programs) {
				loader::ProgramInfo pi = loader::program_info(fd);
				std::printf("%-9s %-22s %9u %8u %8u\n", impl.name.c_str(),
					    name.c_str(), pi.verified_insns, pi.xlated_insns,
					    pi.jited_bytes);
				pcsv << impl.name << "," << name << "," << pi.verified_insns << ","
				     << pi.xlated_insns << "," << pi.jited_bytes << "\n";
				tv += pi.verified_insns;
				tx += pi.xlated_insns;
				tj += pi.jited_bytes;
			}
			std::printf("%-9s %-22s %9lu %8lu %8lu\n", impl.name.c_str(),
				    "(all programs)", tv, tx, tj);
			pcsv << impl.name << ",(all)," << tv << "," << tx << "," << tj << "\n";
		}
		std::printf("(verified = instructions the verifier processed; xlated = translated "
			    "eBPF instructions; jited = bytes of x86 code)\n");

		struct LineSet {
			const char *impl;
			const char *part;
			std::vector<std::string> files;
		};
		const LineSet line_sets[] = {
			{"netext", "eBPF program", {"apps/bmc/bmc.cpp", "apps/bmc/bmc.hpp"}},
			{"baseline", "eBPF program", {"bench/baseline/bmc_baseline.bpf.c"}},
			{"netext", "user space", {"apps/bmc/bmc_descriptor.cpp"}},
			{"baseline",
			 "user space",
			 {"bench/baseline/baseline.cpp", "bench/baseline/baseline.hpp"}},
		};
		std::ofstream lcsv(o.out_dir + "/bmc_lines.csv");
		lcsv << "impl,part,files,code_lines\n";
		std::printf("\nsource lines (non-blank, non-comment), from %s:\n",
			    o.source_dir.c_str());
		for (const LineSet &ls : line_sets) {
			long total = 0;
			std::string names;
			for (const std::string &f : ls.files) {
				long n = code_lines(o.source_dir + "/" + f);
				if (n < 0) {
					std::printf("  cannot read %s (use --source-dir)\n",
						    f.c_str());
					total = -1;
					break;
				}
				total += n;
				names += (names.empty() ? "" : " + ") + f;
			}
			if (total < 0)
				continue;
			std::printf("  %-9s %-13s %5ld  %s\n", ls.impl, ls.part, total,
				    names.c_str());
			lcsv << ls.impl << "," << ls.part << "," << names << "," << total << "\n";
		}
		std::printf("  (user space: netext's descriptor only; attaching, pinning and "
			    "config are the generic loader's. The baseline's: its own loader.)\n");

		struct Row {
			std::string cas, impl;
			Figure f;
			double empty = 0; // the empty program's median, same case, same method
			std::string note;
			[[nodiscard]] bool measured() const { return note.rfind("NOT", 0) != 0; }
			[[nodiscard]] double minus_empty() const { return f.median - empty; }
		};
		std::vector<Row> rows;
		auto skip = [&](const std::string &cas, const Impl &impl, const std::string &why) {
			Figure f;
			f.method = "repeat=1 per-call median";
			rows.push_back({cas, impl.name, f, 0, "NOT MEASURED: " + why});
		};
		Bytes plain = request("get nothing\r\n", 1);
		auto empty_subject = [&](bool tc) {
			return Subject{tc ? empty_tc : empty_xdp,
				       [&](long) -> const Bytes & { return plain; }};
		};
		// Times the case for the implementations in `who` (with their notes) and the
		// empty program of the same hook, taking turns; adds the rows.
		auto time_case = [&](const std::string &cas, bool tc, std::vector<const Impl *> who,
				     std::vector<Subject> subjects,
				     const std::function<std::string(const Impl &)> &note) {
			subjects.push_back(empty_subject(tc));
			std::vector<Figure> f = bench::per_call(o.runs, o.calls, subjects);
			for (std::size_t i = 0; i < who.size(); i++)
				rows.push_back({cas, who[i]->name, f[i], f.back().median,
						note ? note(*who[i]) : ""});
		};
		auto time_repeated = [&](const std::string &cas, std::vector<const Impl *> who,
					 const Bytes &pkt) {
			std::vector<std::pair<int, const Bytes *>> subjects;
			for (const Impl *impl : who)
				subjects.emplace_back(impl->rx, &pkt);
			subjects.emplace_back(empty_xdp, &plain);
			std::vector<Figure> f = bench::repeated(subjects);
			for (std::size_t i = 0; i < who.size(); i++)
				rows.push_back({cas, who[i]->name, f[i], f.back().median, ""});
		};
		const uint64_t per_subject =
			kWarmCalls + static_cast<uint64_t>(o.runs) * static_cast<uint64_t>(o.calls);

		// ---- GET hits ----
		std::vector<std::string> one = {"key:00000001"};
		std::vector<std::string> ten;
		for (uint32_t i = 100; i < 110; i++)
			ten.push_back(key_name("key:", i));
		for (Impl &impl : impls) {
			cache_keys(impl, one, 91);
			cache_keys(impl, ten, 92);
		}
		for (auto [cas, keys] :
		     {std::pair{"GET hit 1 key", &one}, std::pair{"GET hit 10 keys", &ten}}) {
			if (!o.wants(cas))
				continue;
			Bytes get = request("get" + item_keys(*keys) + "\r\n", 5);
			std::vector<const Impl *> who;
			std::vector<Subject> subjects;
			std::map<std::string, uint64_t> h0;
			for (Impl &impl : impls) {
				std::string bad = check_hit(impl, *keys);
				if (!bad.empty()) {
					skip(cas, impl, "the GET " + bad);
					continue;
				}
				who.push_back(&impl);
				subjects.push_back(
					{impl.rx, [&](long) -> const Bytes & { return get; }});
				h0[impl.name] = impl.hits();
			}
			time_case(cas, false, who, subjects, [&](const Impl &impl) {
				uint64_t served = impl.hits() - h0[impl.name];
				// netext counts GETs answered, the baseline keys answered.
				uint64_t expect =
					per_subject * (impl.name == "baseline" ? keys->size() : 1);
				return served == expect
					       ? std::string("verified XDP_TX; every call a hit")
					       : "only " + std::to_string(served) + " of " +
							 std::to_string(expect) + " hits counted";
			});
		}

		// ---- GET miss ----
		Bytes miss = request("get key:99999999\r\n", 6);
		if (o.wants("GET miss")) {
			std::vector<const Impl *> who;
			std::vector<Subject> subjects;
			for (Impl &impl : impls) {
				loader::TestRun r = loader::test_run(impl.rx, miss);
				if (r.retval != kXdpPass || r.data != miss) {
					skip("GET miss", impl, "the miss did not pass untouched");
					continue;
				}
				who.push_back(&impl);
				subjects.push_back(
					{impl.rx, [&](long) -> const Bytes & { return miss; }});
			}
			time_case("GET miss", false, who, subjects, nullptr);
			time_repeated("GET miss", who, miss);
		}

		// ---- SET invalidation ----
		// A 5-byte value, and the value size of the other cases (the baseline reads the
		// whole segment, value included; netext the request line only). Each call's
		// segment is the next one of a connection netext follows from memcached's SYN-ACK
		// (run through its tc program first): netext checks and records where each
		// segment starts, so the same segment again would be a retransmission, which it
		// flushes on -- hence no repeat = 100000 figure for these. Checked: the global
		// generation (bumped by every flush) does not move during the case.
		const std::string key32 = "key:00000001";
		int nx_global = nx.map_fd("bmc_global");
		auto generation = [&] {
			std::vector<uint8_t> v;
			uint32_t zero = 0;
			auto *k = reinterpret_cast<const uint8_t *>(&zero);
			return loader::map_lookup(nx_global, {k, 4}, v) && v.size() >= 4
				       ? uint32_t{v[0]} | uint32_t{v[1]} << 8 |
						 uint32_t{v[2]} << 16 | uint32_t{v[3]} << 24
				       : ~0u;
		};
		for (auto [cas, key, text] :
		     {std::tuple<std::string, std::string, std::string>{"SET invalidation", "k",
									"set k 0 0 5\r\nhello\r\n"},
		      {"SET 32 B value", key32,
		       "set " + key32 + " 0 0 " + std::to_string(kValueSize) + "\r\n" +
			       std::string(kValueSize, 'v') + "\r\n"}}) {
			if (!o.wants(cas))
				continue;
			constexpr uint32_t kIsn = 1000;
			Bytes syn_ack = tcp_syn_ack(kIsn + 1);
			std::map<std::string, Bytes> seg;
			std::vector<const Impl *> who;
			std::vector<Subject> subjects;
			for (Impl &impl : impls) {
				cache_keys(impl, {key}, 93);
				(void)loader::test_run(impl.tx, syn_ack);
				Bytes &b = seg[impl.name] = tcp_request(text);
				who.push_back(&impl);
				subjects.push_back(
					{impl.rx,
					 [&b, n = static_cast<uint32_t>(text.size())](
						 long i) -> const Bytes & {
						 put_seq(b,
							 kIsn + 1 + static_cast<uint32_t>(i) * n);
						 return b;
					 }});
			}
			uint32_t g0 = generation();
			time_case(cas, false, who, subjects, [&](const Impl &impl) {
				if (impl.name != "netext")
					return std::string();
				return generation() == g0 ? std::string("followed: no flush")
							  : std::string("FLUSHED: the connection "
									"was not followed");
			});
		}
		// Leases are refused for a while after an invalidation.
		std::this_thread::sleep_for(
			std::chrono::milliseconds(bmc::kDefaultGraceMs + bmc::kGraceTickMs + 10));

		// ---- cache fill ----
		// Each measured answer fills a key never seen before (its slot empty or holding
		// another key), after its GET miss (unmeasured) took the lease: request id and
		// client port unique per call.
		if (o.wants("cache fill")) {
			struct FillBuf {
				Bytes get, ans;
				bool miss_failed = false;
				uint64_t f0 = 0;
			};
			std::vector<const Impl *> who;
			std::vector<Subject> subjects;
			std::map<std::string, FillBuf> buf;
			for (Impl &impl : impls) {
				FillBuf &b = buf[impl.name];
				b.f0 = impl.fills();
				who.push_back(&impl);
				subjects.push_back(
					{impl.tx, [&impl, &b](long i) -> const Bytes & {
						 std::string key = key_name(
							 "fill:", static_cast<uint32_t>(i));
						 auto id = static_cast<uint16_t>(i);
						 auto port =
							 static_cast<uint16_t>(20000 + (i >> 16));
						 b.get = request("get " + key + "\r\n", id, port);
						 if (loader::test_run(impl.rx, b.get).retval !=
						     kXdpPass)
							 b.miss_failed = true;
						 b.ans = answer(value_answer(key), id, port);
						 return b.ans;
					 }});
			}
			time_case("cache fill", true, who, subjects, [&](const Impl &impl) {
				const FillBuf &b = buf[impl.name];
				uint64_t stored = impl.fills() - b.f0;
				std::string note = stored == per_subject
							   ? "every answer stored (fills counter)"
							   : "ONLY " + std::to_string(stored) +
								     " of " +
								     std::to_string(per_subject) +
								     " answers stored";
				if (b.miss_failed)
					note += "; a preceding GET did not miss";
				return note;
			});
		}

		// ---- report ----
		std::ofstream csv(o.out_dir + "/bmc_cost.csv");
		csv << "case,impl,ns_median,ns_p10,ns_p90,ns_empty_median,ns_median_minus_empty,"
		       "runs,calls_per_run,method,note\n";
		for (const Row &r : rows)
			csv << r.cas << "," << r.impl << "," << r.f.median << "," << r.f.p10 << ","
			    << r.f.p90 << "," << r.empty << "," << r.minus_empty() << ","
			    << r.f.runs << "," << r.f.calls << "," << r.f.method << "," << r.note
			    << "\n";

		std::printf(
			"\nns per request, BPF_PROG_TEST_RUN on this kernel (repeat=1: %d runs x "
			"%d calls per figure)\n",
			o.runs, o.calls);
		std::printf("%-17s %-6s %-9s %6s %6s %6s %6s %7s %8s  %s\n", "case", "method",
			    "impl", "p10", "median", "p90", "empty", "-empty", "nx/base", "note");
		auto method_tag = [](const Figure &f) {
			return f.method.rfind("repeat=1 ", 0) == 0 ? "call" : "rep1e5";
		};
		for (const Row &r : rows) {
			if (!r.measured()) {
				std::printf("%-17s %-6s %-9s %6s %6s %6s %6s %7s %8s  %s\n",
					    r.cas.c_str(), method_tag(r.f), r.impl.c_str(), "-",
					    "-", "-", "-", "-", "", r.note.c_str());
				continue;
			}
			std::string ratio;
			if (r.impl == "netext")
				for (const Row &b : rows)
					if (b.impl == "baseline" && b.cas == r.cas &&
					    b.f.method == r.f.method && b.measured() &&
					    b.minus_empty() > 0) {
						char buf[32];
						std::snprintf(buf, sizeof buf, "%.2f",
							      r.minus_empty() / b.minus_empty());
						ratio = buf;
					}
			std::printf("%-17s %-6s %-9s %6s %6s %6s %6s %7s %8s  %s\n", r.cas.c_str(),
				    method_tag(r.f), r.impl.c_str(), fmt(r.f.p10).c_str(),
				    fmt(r.f.median).c_str(), fmt(r.f.p90).c_str(),
				    fmt(r.empty).c_str(), fmt(r.minus_empty()).c_str(),
				    ratio.c_str(), r.note.c_str());
		}
		std::printf(
			"\nmethods: call   = repeat=1, one BPF_PROG_TEST_RUN per request (fresh "
			"input every call):\n"
			"                 median (p10, p90) of the kernel-reported duration of "
			"each call\n"
			"         rep1e5 = repeat=100000 on one buffer: the kernel's average per "
			"repetition,\n"
			"                 median (min, max) of 7 runs; only for the paths that "
			"leave packet and\n"
			"                 state as they found them (miss, invalidation)\n"
			"empty   = the empty XDP (tc for the fill) program's median, same method, "
			"timed in turn\n"
			"          with the case (blocks of %d calls / run by run)\n"
			"-empty  = median - empty; nx/base = netext -empty / baseline -empty.\n"
			"Each fill call follows an unmeasured GET miss of its key (the lease).\n"
			"CSV: %s/bmc_cost.csv, bmc_programs.csv, bmc_lines.csv\n",
			kBlock, o.out_dir.c_str());
	} catch (const Error &e) {
		std::fprintf(stderr, "netext-bench-bmc-cost: %s\n", e.what());
		return 1;
	}
	return 0;
}
