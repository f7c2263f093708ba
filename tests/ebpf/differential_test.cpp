// One source, two backends, same behaviour: the fixture inputs and thousands of mutants
// through the host runner and through BPF_PROG_TEST_RUN give identical verdicts, bytes
// and counter totals.
#include <netext/host/runtime.hpp>
#include <netext/loader/object.hpp>
#include <netext/maps.hpp>

#include <netext/loader/error.hpp>

#include <bpf/bpf.h>
#include <gtest/gtest.h>
#include <random>
#include <string>
#include <string_view>

#include "counter.hpp"
#include "fixtures.hpp"
#include "kernel_fixture.hpp"

using namespace netext;
using namespace netext::testing;

namespace {

std::vector<uint64_t> kernel_counter_totals(int map_fd)
{
	std::vector<uint64_t> totals;
	for (uint32_t slot = 0; slot < counter::kSlots; slot++)
		for (uint64_t v : loader::map_u64_sums(map_fd, slot, 2)) // packets, bytes
			totals.push_back(v);
	return totals;
}

std::vector<uint64_t> host_counter_totals()
{
	host::MapBase *m = host::find_map("counter", "stats");
	std::vector<uint64_t> totals;
	for (uint32_t slot = 0; slot < counter::kSlots; slot++) {
		uint64_t packets = 0, bytes = 0;
		for (unsigned cpu = 0; cpu < host::kHostCpus; cpu++) {
			auto *c = reinterpret_cast<counter::Counter *>(m->lookup_cpu(&slot, cpu));
			packets += c->packets;
			bytes += c->bytes;
		}
		totals.push_back(packets);
		totals.push_back(bytes);
	}
	return totals;
}

// Is this an IPv4/IPv6 frame (possibly VLAN-tagged) too short to hold its IP header?
bool ip_header_cut_short(const Bytes &pkt)
{
	std::size_t off = 12;
	while (off + 2 <= pkt.size() && (pkt[off] == 0x81 || pkt[off] == 0x88) &&
	       (pkt[off + 1] == 0x00 || pkt[off + 1] == 0xa8))
		off += 4;
	if (off + 2 > pkt.size())
		return false;
	uint16_t type = static_cast<uint16_t>(pkt[off] << 8 | pkt[off + 1]);
	std::size_t l3 = pkt.size() - (off + 2);
	return (type == 0x0800 && l3 < 20) || (type == 0x86dd && l3 < 40);
}

} // namespace

TEST(Differential, HostAndKernelAgreeOnEveryPacket)
{
	NETEXT_REQUIRE_ROOT();
	std::vector<Bytes> corpus = mutated_corpus(100, 20261121);
	for (const Fixture<> &f : app_fixtures())
		corpus.push_back(f.input);
	ASSERT_GT(corpus.size(), 2000u);

	host::find_map("counter", "stats")->clear();
	int stats_fd = KernelApps::get("counter").map_fd("stats");
	std::vector<uint64_t> kernel_before = kernel_counter_totals(stats_fd);

	const std::pair<const char *, const char *> programs[] = {{"counter", "count_xdp"},
								  {"counter", "count_tc_ingress"},
								  {"echo", "echo_xdp"},
								  {"edits", "edits_xdp"},
								  {"edits", "edits_tc"}};
	std::size_t compared = 0, changed = 0, refused = 0;
	for (const auto &[app, prog] : programs) {
		const host::Program *hp = host::find_program(app, prog);
		ASSERT_NE(hp, nullptr);
		int fd = KernelApps::get(app).program_fd(prog);
		for (const Bytes &pkt : corpus) {
			loader::TestRun k;
			try {
				k = loader::test_run(fd, pkt);
			} catch (const Error &e) {
				// The kernel's skb test run refuses frames whose IP header is cut
				// short before any program runs; nothing else may be refused.
				ASSERT_TRUE((std::string_view(prog).starts_with("count_tc") ||
					     std::string_view(prog) == "edits_tc") &&
					    ip_header_cut_short(pkt))
					<< app << "/" << prog << ": " << e.what();
				refused++;
				continue;
			}
			host::RunResult h;
			ASSERT_TRUE(host::run(*hp, pkt, h));
			ASSERT_EQ(h.verdict, static_cast<int32_t>(k.retval))
				<< app << "/" << prog << " packet of " << pkt.size() << " bytes";
			ASSERT_EQ(h.data, k.data) << app << "/" << prog;
			compared++;
			changed += h.data != pkt ? 1 : 0;
		}
	}
	EXPECT_GT(changed, 0u); // the echo replies: bytes really were compared after edits

	EXPECT_LT(refused, corpus.size() / 5); // truncation mutants only

	std::vector<uint64_t> kernel_after = kernel_counter_totals(stats_fd);
	std::vector<uint64_t> host_totals = host_counter_totals();
	for (std::size_t i = 0; i < host_totals.size(); i++)
		EXPECT_EQ(kernel_after[i] - kernel_before[i], host_totals[i])
			<< "counter slot " << i / 2;
	std::printf("differential: %zu runs compared, %zu with rewritten bytes, %zu refused by the "
		    "kernel's test run\n",
		    compared, changed, refused);
}

// The memcached request parser (bpf_loop scans on eBPF, plain loops on the host) gives the
// same command, status, keys and line end on both, over valid lines and mutants.
TEST(Differential, MemcachedParserAgrees)
{
	NETEXT_REQUIRE_ROOT();
	const host::Program *hp = host::find_program("mcparse", "mcparse_xdp");
	ASSERT_NE(hp, nullptr);
	loader::BpfObject &obj = KernelApps::get("mcparse");
	int fd = obj.program_fd("mcparse_xdp");
	int map_fd = obj.map_fd("mc_result");
	host::MapBase *hm = host::find_map("mcparse", "mc_result");
	ASSERT_NE(hm, nullptr);

	std::vector<std::string> lines = {
		"get foo\r\n",	      "gets a bb  ccc\r\n", "get  x   y \r\n",
		"set k1 0 0 5\r\n",   "cas k 0 0 1 9\r\n",  "delete k noreply\r\n",
		"incr n 1\r\n",	      "touch t 10\r\n",	    "flush_all\r\n",
		"flush_all 5\r\n",    "get \r\n",	    "get\r\n",
		"get fo\x01o\r\n",    "get a\rb\r\n",	    "get foo",
		"GET / HTTP/1.1\r\n", "version\r\n",	    "getx a\r\n"};
	std::string many = "get";
	for (int i = 0; i < 13; i++)
		many += " " + std::string(249, static_cast<char>('a' + i)) + "Z";
	lines.push_back(many + "\r\n"); // 13 keys of 250 bytes: 3.3 KB, near the frame limit
	std::string max_keys = "gets";
	for (int i = 0; i < 33; i++)
		max_keys += " k" + std::to_string(i);
	lines.push_back(max_keys + "\r\n"); // one key too many
	lines.push_back(std::string("get ") + std::string(251, 'x') + "\r\n");

	std::mt19937 rng(42);
	const char alphabet[] = " \r\nabcdegst_\x01\x7f"
				"0";
	std::vector<std::string> corpus = lines;
	for (const std::string &l : lines)
		for (int m = 0; m < 40; m++) {
			std::string s = l;
			for (int k = 0, n = 1 + static_cast<int>(rng() % 3); k < n && !s.empty();
			     k++)
				s[rng() % s.size()] = alphabet[rng() % (sizeof(alphabet) - 1)];
			if (rng() % 4 == 0)
				s.resize(rng() % (s.size() + 1));
			corpus.push_back(s);
		}
	std::size_t compared = 0;
	for (const std::string &line : corpus) {
		Bytes pkt(14, 0x02); // an Ethernet-sized prefix; the parser starts at 14
		pkt.insert(pkt.end(), line.begin(), line.end());
		uint32_t key = 0;
		std::vector<uint8_t> zero(hm->value_size(), 0);
		ASSERT_EQ(bpf_map_update_elem(map_fd, &key, zero.data(), 0), 0);
		hm->clear();
		loader::TestRun k = loader::test_run(fd, pkt);
		host::RunResult h;
		ASSERT_TRUE(host::run(*hp, pkt, h));
		ASSERT_EQ(static_cast<int32_t>(k.retval), h.verdict);
		std::vector<uint8_t> kv;
		ASSERT_TRUE(loader::map_lookup(map_fd, {reinterpret_cast<uint8_t *>(&key), 4}, kv));
		std::vector<uint8_t> hv(hm->lookup_cpu(&key, 0),
					hm->lookup_cpu(&key, 0) + hm->value_size());
		ASSERT_EQ(kv, hv) << "line: " << ::testing::PrintToString(line);
		compared++;
	}
	std::printf("memcached parser: %zu lines compared\n", compared);
}
