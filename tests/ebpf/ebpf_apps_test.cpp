// The example apps' eBPF objects on the running kernel: they load with BTF accepted, and
// BPF_PROG_TEST_RUN gives the fixture corpus's verdicts and bytes.
#include <netext/host/runtime.hpp>
#include <netext/loader/embedded.hpp>
#include <netext/loader/error.hpp>
#include <netext/loader/object.hpp>
#include <netext/loader/rodata.hpp>
#include <netext/maps.hpp>

#include <bpf/bpf.h>
#include <bpf/btf.h>
#include <bpf/libbpf.h>
#include <gtest/gtest.h>

#include <cstring>
#include <ctime>
#include <optional>
#include <set>

#include "counter.hpp"
#include "fixtures.hpp"
#include "kernel_fixture.hpp"

using namespace netext;
using namespace netext::testing;

TEST(Ebpf, EveryEmbeddedAppLoadsWithBtf)
{
	NETEXT_REQUIRE_ROOT();
	ASSERT_GE(loader::embedded_objects().size(), 2u);
	for (const loader::EmbeddedObject &e : loader::embedded_objects()) {
		loader::BpfObject &obj = KernelApps::get(e.app);
		EXPECT_TRUE(obj.btf_loaded()) << e.app << ": the kernel rejected its BTF\n"
					      << obj.log();
		EXPECT_EQ(obj.log().find("Error loading .BTF"), std::string::npos) << obj.log();
		for (const std::string &p : obj.program_names()) {
			loader::ProgramInfo info = loader::program_info(obj.program_fd(p));
			EXPECT_NE(info.btf_id, 0u) << e.app << "/" << p;
			EXPECT_GT(info.xlated_insns, 0u);
		}
		bpf_map *m;
		bpf_object__for_each_map(m, obj.get())
		{
			EXPECT_NE(bpf_map__btf_value_type_id(m), 0u)
				<< e.app << "/" << bpf_map__name(m) << " has no BTF value type";
		}
	}
}

TEST(Ebpf, UnknownAppNamesTheBuiltIns)
{
	try {
		loader::BpfObject::open_embedded("no-such-app");
		FAIL() << "expected an error";
	} catch (const Error &e) {
		EXPECT_NE(std::string(e.what()).find("unknown app 'no-such-app'"),
			  std::string::npos);
		EXPECT_NE(std::string(e.what()).find("counter"), std::string::npos);
	}
}

TEST(Ebpf, TheLoaderTellsEveryObjectHowLongATickIs)
{
	// netext::tick_ns() on eBPF is .rodata's netext_tick_ns, written at open from the
	// coarse clock's resolution (one jiffy); the object itself holds 1 ms.
	timespec res{};
	ASSERT_EQ(clock_getres(CLOCK_MONOTONIC_COARSE, &res), 0);
	ASSERT_GT(res.tv_nsec, 0);
	loader::BpfObject obj = loader::BpfObject::open_embedded("counter"); // any SDK object
	std::optional<loader::RodataVar> var = loader::find_rodata_var(obj.get(), "netext_tick_ns");
	ASSERT_TRUE(var);
	ASSERT_EQ(var->size, 8u);
	uint64_t tick = var->read();
	EXPECT_EQ(tick, static_cast<uint64_t>(res.tv_nsec));
	EXPECT_GE(tick, 1'000'000u);  // HZ <= 1000
	EXPECT_LE(tick, 10'000'000u); // HZ >= 100
}

TEST(Ebpf, FixtureCorpus)
{
	NETEXT_REQUIRE_ROOT();
	for (const Fixture<> &f : app_fixtures()) {
		loader::BpfObject &obj = KernelApps::get(f.app);
		loader::TestRun r = loader::test_run(obj.program_fd(f.program), f.input);
		EXPECT_EQ(fixture_mismatch(f, {static_cast<int32_t>(r.retval), r.data}), "")
			<< f.name << " " << f.program;
	}
}

TEST(Ebpf, CounterCountsPerClassAcrossCpus)
{
	NETEXT_REQUIRE_ROOT();
	loader::BpfObject &obj = KernelApps::get("counter");
	int map = obj.map_fd("stats");
	auto packets = [&](uint32_t slot) { return loader::map_u64_sums(map, slot, 1)[0]; };
	uint32_t slot = counter::slot(counter::HookTcIngress, counter::Ipv6Udp);
	uint64_t before = packets(slot);
	PacketSpec s;
	s.net = PacketSpec::Net::Ipv6;
	Bytes b = build(s);
	for (int i = 0; i < 25; i++)
		loader::test_run(obj.program_fd("count_tc_ingress"), b);
	EXPECT_EQ(packets(slot) - before, 25u);
}

// random_u32() and cpu_id() on both backends: 64 draws, nearly all different (the chance
// of a repeat among 64 fair 32-bit draws is below 1e-6), on a CPU that exists.
TEST(Ebpf, RandomNumbersAndCpuIdFromTheRuntime)
{
	struct Draw {
		uint32_t random, cpu;
	};
	auto check_draws = [](const std::vector<Draw> &d, unsigned cpus, const char *where) {
		std::set<uint32_t> distinct;
		for (const Draw &x : d) {
			distinct.insert(x.random);
			EXPECT_LT(x.cpu, cpus) << where;
		}
		EXPECT_GE(distinct.size(), d.size() - 1) << where;
	};
	PacketSpec s;
	std::vector<Draw> host(64);
	const host::Program *p = host::find_program("rtinfo", "rtinfo_xdp");
	ASSERT_NE(p, nullptr);
	for (uint32_t i = 0; i < host.size(); i++) {
		s.payload = {static_cast<uint8_t>(i)};
		host::RunResult r;
		ASSERT_TRUE(host::run(*p, build(s), r));
		uint32_t k = i;
		std::memcpy(&host[i], host::find_map("rtinfo", "draws")->lookup(&k), 8);
	}
	check_draws(host, 1, "host");

	NETEXT_REQUIRE_ROOT();
	loader::BpfObject &obj = KernelApps::get("rtinfo");
	std::vector<Draw> kernel(64);
	for (uint32_t i = 0; i < kernel.size(); i++) {
		s.payload = {static_cast<uint8_t>(i)};
		EXPECT_EQ(loader::test_run(obj.program_fd("rtinfo_xdp"), build(s)).retval,
			  static_cast<uint32_t>(XdpAction::Pass));
		ASSERT_EQ(bpf_map_lookup_elem(obj.map_fd("draws"), &i, &kernel[i]), 0);
	}
	check_draws(kernel, static_cast<unsigned>(libbpf_num_possible_cpus()), "kernel");
}

// The SDK-cost benchmark compares the counter app with a hand-written C version; this
// checks they are the same program in behaviour, so the comparison is like for like.
TEST(Ebpf, HandWrittenCounterCountsTheSame)
{
	NETEXT_REQUIRE_ROOT();
	loader::BpfObject &sdk = KernelApps::get("counter");
	loader::BpfObject &c = KernelApps::get("handwritten_counter");
	auto totals = [](int map) {
		std::vector<uint64_t> t;
		for (uint32_t slot = 0; slot < counter::kSlots; slot++)
			t.push_back(loader::map_u64_sums(map, slot, 1)[0]);
		return t;
	};
	std::vector<uint64_t> sdk_before = totals(sdk.map_fd("stats"));
	std::vector<uint64_t> c_before = totals(c.map_fd("stats"));
	std::vector<Bytes> corpus = mutated_corpus(40, 7);
	for (const Bytes &pkt : corpus) {
		EXPECT_EQ(loader::test_run(sdk.program_fd("count_xdp"), pkt).retval,
			  loader::test_run(c.program_fd("count_xdp"), pkt).retval);
	}
	std::vector<uint64_t> sdk_after = totals(sdk.map_fd("stats"));
	std::vector<uint64_t> c_after = totals(c.map_fd("stats"));
	for (uint32_t slot = 0; slot < counter::kSlots; slot++)
		EXPECT_EQ(sdk_after[slot] - sdk_before[slot], c_after[slot] - c_before[slot])
			<< "class " << counter::kClassNames[slot % counter::kClasses];
}
