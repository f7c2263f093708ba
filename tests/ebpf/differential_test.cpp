// One source, two backends, same behaviour: the fixture inputs and thousands of mutants
// through the host runner and through BPF_PROG_TEST_RUN give identical verdicts, bytes
// and counter totals.
#include <netext/host/runtime.hpp>
#include <netext/loader/object.hpp>
#include <netext/maps.hpp>

#include <netext/loader/error.hpp>

#include <gtest/gtest.h>
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
	for (uint32_t slot = 0; slot < counter::kSlots; slot++) {
		std::vector<uint8_t> v;
		loader::map_lookup(map_fd, {reinterpret_cast<uint8_t *>(&slot), 4}, v);
		uint64_t packets = 0, bytes = 0;
		for (std::size_t off = 0; off + 16 <= v.size(); off += 16) {
			auto *c = reinterpret_cast<const counter::Counter *>(v.data() + off);
			packets += c->packets;
			bytes += c->bytes;
		}
		totals.push_back(packets);
		totals.push_back(bytes);
	}
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
	for (const Fixture &f : app_fixtures())
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
