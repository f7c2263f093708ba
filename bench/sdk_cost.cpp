// netext-bench-sdk-cost: what the SDK costs in eBPF. Loads the counter app (C++ on the
// SDK) and the same program hand-written in C, and prints, per program: translated
// instructions, JIT bytes, instructions the verifier processed, and ns/packet through
// BPF_PROG_TEST_RUN (repeat 1e5, median of 7 runs; the counter does not rewrite the
// packet, so repeating on the same buffer measures the right path).
// Writes bench/results/sdk_cost.csv.
#include <netext/loader/error.hpp>
#include <netext/loader/object.hpp>

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "packet_builder.hpp"

using namespace netext;
using namespace netext::testing;

namespace {

constexpr uint32_t kRepeat = 100000;
constexpr int kRuns = 7;

uint32_t median_ns(int fd, const Bytes &pkt)
{
	std::vector<uint32_t> v;
	for (int i = 0; i < kRuns; i++)
		v.push_back(loader::test_run(fd, pkt, kRepeat).duration_ns);
	std::sort(v.begin(), v.end());
	return v[v.size() / 2];
}

} // namespace

int main(int argc, char **argv)
{
	std::string out_dir = argc > 1 ? argv[1] : "bench/results";
	try {
		loader::BpfObject sdk = loader::BpfObject::open_embedded("counter");
		loader::BpfObject c = loader::BpfObject::open_embedded("handwritten_counter");
		sdk.load();
		c.load();

		PacketSpec udp4;
		udp4.payload = text("payload");
		PacketSpec tcp6_ext;
		tcp6_ext.net = PacketSpec::Net::Ipv6;
		tcp6_ext.proto = 6;
		tcp6_ext.vlan_tpids = {0x8100};
		tcp6_ext.ipv6_ext = {{0, 8}, {60, 16}};
		const std::pair<const char *, Bytes> packets[] = {
			{"ipv4/udp", build(udp4)}, {"vlan+ipv6+ext/tcp", build(tcp6_ext)}};

		std::filesystem::create_directories(out_dir);
		std::ofstream csv(out_dir + "/sdk_cost.csv");
		csv << "program,impl,xlated_insns,jited_bytes,verified_insns,packet,ns_per_"
		       "packet\n";
		std::printf("%-17s %-11s %7s %7s %9s  %-18s %8s\n", "program", "impl", "insns",
			    "jited", "verified", "packet", "ns/pkt");
		for (const char *prog : {"count_xdp", "count_tc_ingress"}) {
			for (auto [impl, obj] :
			     {std::pair{"netext C++", &sdk}, std::pair{"hand C", &c}}) {
				int fd = obj->program_fd(prog);
				loader::ProgramInfo info = loader::program_info(fd);
				for (const auto &[pname, pkt] : packets) {
					uint32_t ns = median_ns(fd, pkt);
					std::printf("%-17s %-11s %7u %7u %9u  %-18s %8u\n", prog,
						    impl, info.xlated_insns, info.jited_bytes,
						    info.verified_insns, pname, ns);
					csv << prog << "," << impl << "," << info.xlated_insns
					    << "," << info.jited_bytes << "," << info.verified_insns
					    << "," << pname << "," << ns << "\n";
				}
			}
		}
		std::printf("\nmethod: BPF_PROG_TEST_RUN, repeat %u, median of %d runs; CSV: "
			    "%s/sdk_cost.csv\n",
			    kRepeat, kRuns, out_dir.c_str());
	} catch (const Error &e) {
		std::fprintf(stderr, "netext-bench-sdk-cost: %s\n", e.what());
		return 1;
	}
	return 0;
}
