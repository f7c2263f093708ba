// Google Benchmark micro-benchmarks of the SDK's parsers and checksums on the host
// (the same code that is compiled to eBPF). Run with --benchmark_out=FILE
// --benchmark_out_format=csv to keep the figures.
#include <netext/parsers.hpp>

#include <benchmark/benchmark.h>
#include <string>

#include "frame.hpp"
#include "packet_builder.hpp"

using namespace netext;
using namespace netext::testing;

namespace {

void parse(benchmark::State &state, PacketSpec spec)
{
	Frame f(build(spec));
	PacketView v = f.view();
	for (auto _ : state) {
		PacketInfo info;
		benchmark::DoNotOptimize(parse_packet(v, info));
		benchmark::DoNotOptimize(info);
	}
}

PacketSpec udp4()
{
	PacketSpec s;
	s.payload = text("hello");
	return s;
}

PacketSpec tcp6_ext_vlan()
{
	PacketSpec s;
	s.net = PacketSpec::Net::Ipv6;
	s.proto = 6;
	s.vlan_tpids = {0x88a8, 0x8100};
	s.ipv6_ext = {{0, 8}, {60, 16}, {43, 24}};
	return s;
}

void BM_ParseUdp4(benchmark::State &state)
{
	parse(state, udp4());
}
void BM_ParseQinQTcp6Ext(benchmark::State &state)
{
	parse(state, tcp6_ext_vlan());
}

void BM_MemcachedGet(benchmark::State &state)
{
	std::string line = "get";
	for (int i = 0; i < state.range(0); i++)
		line += " key:" + std::to_string(100000 + i);
	line += "\r\n";
	Frame f(text(line));
	PacketView v = f.view();
	for (auto _ : state) {
		memcached::Request req;
		benchmark::DoNotOptimize(memcached::parse_request(v, 0, req));
		benchmark::DoNotOptimize(req);
	}
	state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * line.size()));
}

void BM_Checksum(benchmark::State &state)
{
	Bytes b(static_cast<std::size_t>(state.range(0)), 0xa5);
	Frame f(b);
	PacketView v = f.view();
	for (auto _ : state)
		benchmark::DoNotOptimize(csum::partial<csum::kMaxSumLen>(v, 0, v.size()));
	state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * b.size()));
}

} // namespace

BENCHMARK(BM_ParseUdp4);
BENCHMARK(BM_ParseQinQTcp6Ext);
BENCHMARK(BM_MemcachedGet)->Arg(1)->Arg(10)->Arg(32);
BENCHMARK(BM_Checksum)->Arg(64)->Arg(1500);
BENCHMARK_MAIN();
