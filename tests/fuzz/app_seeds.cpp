// Writes the app fuzz targets' seed inputs: scripted event sequences in the ops of
// app_fuzz.hpp that reach the paths worth mutating from (BMC: keys cached and hit over
// every encapsulation, changed over TCP in split segments and over UDP, fragments,
// retransmissions; LB: VIPs with weighted backends, flows, drains and deletions).
//   netext-app-fuzz-seeds bmc|lb DIR
#include <cstdio>
#include <fstream>
#include <string>
#include <vector>

#include "app_fuzz.hpp"

using namespace netext::fuzz;

namespace {

// ---- BMC ----------------------------------------------------------------------------------
namespace b = bmcop;

// Command encodings (bmc_fuzz.cpp's command()): kind, key, opt, then the value's selector.
Writer &set_cmd(Writer &w, unsigned key, unsigned value, unsigned kind = b::Set)
{
	return w.u8(kind).u8(key).u8(0).u8(value);
}

Writer &tcp_set(Writer &w, unsigned e, unsigned key, unsigned value, unsigned split)
{
	w.u8(b::TcpCmd).u8(e);
	set_cmd(w, key, value);
	return w.u8(b::TcpSend).u8(e).u8(0).u16(split);
}

Writer &get(Writer &w, unsigned client, unsigned encap, unsigned flags, std::vector<unsigned> keys)
{
	w.u8(b::UdpGet).u8(client).u8(encap).u8(flags).u8(static_cast<unsigned>(keys.size()) - 1);
	for (unsigned k : keys)
		w.u8(k);
	return w;
}

// A 21 ms step (past the grace period) and memcached runs what it has.
Writer &settle(Writer &w)
{
	return w.u8(b::Advance).u8(6).u8(b::Process).u8(0);
}

std::vector<std::vector<uint8_t>> bmc_seeds()
{
	std::vector<std::vector<uint8_t>> out;
	// Cached over TCP, then hit from every client and encapsulation.
	for (unsigned encap = 0; encap < 4; encap++) {
		Writer w;
		w.u8(2); // 64 entries, default limits
		w.u8(b::TcpOpen).u8(0).u8(0).u16(1);
		tcp_set(w, 0, 0, 1, 1399);
		tcp_set(w, 0, 3, 5, 1399);
		settle(w);
		for (unsigned c = 0; c < 4; c++) {
			get(w, c, encap, 0, {0, 3}).u8(b::Process).u8(0);
			get(w, c, encap, 2, {0, 3});
		}
		out.push_back(w.out);
	}
	// A value changed over a connection cut into small segments, time moving on between
	// them; gets (cas) hits; incr/decr on numbers; delete; flush_all.
	{
		Writer w;
		w.u8(2).u8(b::TcpOpen).u8(1).u8(0).u16(7);
		tcp_set(w, 1, 4, 3, 1399);
		settle(w);
		get(w, 0, 0, 1, {4}).u8(b::Process).u8(0);
		get(w, 0, 0, 1, {4});
		w.u8(b::TcpCmd).u8(1);
		set_cmd(w, 4, 5);
		for (int i = 0; i < 4; i++)
			w.u8(b::TcpSend).u8(1).u8(0).u16(11).u8(b::Advance).u8(3);
		get(w, 0, 0, 0, {4});
		w.u8(b::TcpSend).u8(1).u8(0).u16(1399);
		get(w, 0, 0, 0, {4});
		settle(w);
		get(w, 0, 0, 0, {4}).u8(b::Process).u8(0);
		get(w, 0, 0, 0, {4});
		w.u8(b::TcpCmd).u8(1).u8(b::Incr).u8(4).u8(0);
		w.u8(b::TcpCmd).u8(1).u8(b::Decr).u8(4).u8(4);
		w.u8(b::TcpCmd).u8(1).u8(b::Delete).u8(0).u8(1);
		w.u8(b::TcpSend).u8(1).u8(0).u16(1399);
		settle(w);
		get(w, 0, 0, 0, {4}).u8(b::Process).u8(0);
		get(w, 0, 0, 0, {4});
		w.u8(b::TcpCmd).u8(1).u8(b::GetOrFlush).u8(0).u8(2);
		w.u8(b::TcpSend).u8(1).u8(0).u16(1399);
		get(w, 0, 0, 0, {4});
		out.push_back(w.out);
	}
	// Changed over UDP, in IPv4 fragments, and by commands BMC cannot follow; a
	// retransmission and a gap; a connection BMC did not see start.
	{
		Writer w;
		w.u8(2).u8(b::TcpOpen).u8(2).u8(0).u16(3);
		tcp_set(w, 2, 1, 1, 1399);
		tcp_set(w, 2, 2, 0, 1399);
		settle(w);
		get(w, 1, 0, 0, {1, 2}).u8(b::Process).u8(0);
		get(w, 1, 0, 0, {1, 2});
		w.u8(b::UdpCmd).u8(0).u8(0).u8(1);
		set_cmd(w, 1, 3);
		settle(w);
		get(w, 1, 0, 0, {1}).u8(b::Process).u8(0);
		get(w, 1, 0, 0, {1});
		w.u8(b::Fragment).u8(0).u8(1).u8(1);
		set_cmd(w, 2, 8);
		get(w, 1, 0, 0, {2});
		settle(w);
		get(w, 1, 0, 0, {2}).u8(b::Process).u8(0);
		get(w, 1, 0, 0, {2});
		w.u8(b::TcpCmd).u8(2).u8(b::Delete).u8(1).u8(0);
		w.u8(b::TcpOdd).u8(2).u8(0).u8(5).u16(30);
		w.u8(b::TcpOdd).u8(2).u8(1).u8(3).u16(30);
		w.u8(b::TcpSend).u8(2).u8(0).u16(1399);
		settle(w);
		w.u8(b::TcpOpen).u8(3).u8(1).u16(9);
		tcp_set(w, 3, 1, 2, 5);
		w.u8(b::TcpSend).u8(3).u8(0).u16(1399);
		w.u8(b::Garbage).u8(1).u16(60).u8(0x0d);
		w.u8(b::Garbage).u8(0).u8(40).bytes(std::string(54, 'g'));
		out.push_back(w.out);
	}
	return out;
}

// ---- LB -----------------------------------------------------------------------------------
namespace l = lbop;

std::vector<std::vector<uint8_t>> lb_seeds()
{
	std::vector<std::vector<uint8_t>> out;
	for (unsigned vip = 0; vip < 4; vip++) {
		Writer w;
		w.u8(0); // configuration: ring size
		w.u8(l::AddVip).u8(vip);
		for (unsigned be = 0; be < 3; be++)
			w.u8(l::AddBackend).u8(vip).u8(be).u8(be + 1);
		for (unsigned f = 0; f < 6; f++)
			w.u8(l::Packet).u8(vip).u8(f).u8(f % 3).u8(f);
		w.u8(l::Drain).u8(vip).u8(1);
		for (unsigned f = 0; f < 6; f++)
			w.u8(l::Packet).u8(vip).u8(f).u8(1).u8(f);
		w.u8(l::IcmpTooBig).u8(vip).u8(2);
		w.u8(l::DelBackend).u8(vip).u8(0);
		for (unsigned f = 0; f < 6; f++)
			w.u8(l::Packet).u8(vip).u8(f).u8(0).u8(f);
		w.u8(l::AddBackend).u8(vip).u8(4).u8(5);
		w.u8(l::Mutant).u8(vip).u8(1).u8(20).u8(0xff);
		w.u8(l::DelVip).u8(vip);
		for (unsigned f = 0; f < 3; f++)
			w.u8(l::Packet).u8(vip).u8(f).u8(1).u8(f);
		w.u8(l::AddVip).u8(vip);
		w.u8(l::Packet).u8(vip).u8(0).u8(1).u8(0);
		w.u8(l::Garbage).u8(30).bytes(std::string(44, 'x'));
		out.push_back(w.out);
	}
	{ // The small backend table (16 slots) filled, then slots freed by a deleted backend
	  // and a deleted VIP, and taken again.
		Writer w;
		w.u8(4); // configuration: 16 backend slots, ring size 13
		for (unsigned vip : {0u, 1u, 4u})
			w.u8(l::AddVip).u8(vip);
		for (unsigned vip : {0u, 1u})
			for (unsigned be = 0; be < 8; be++)
				w.u8(l::AddBackend).u8(vip).u8(be).u8(1);
		w.u8(l::AddBackend).u8(4).u8(0).u8(1); // full
		w.u8(l::AddBackend).u8(0).u8(3).u8(5); // a weight change needs no slot
		w.u8(l::Drain).u8(0).u8(2);
		w.u8(l::AddBackend).u8(4).u8(0).u8(1); // draining keeps its slot: full
		w.u8(l::DelBackend).u8(0).u8(2);
		w.u8(l::AddBackend).u8(4).u8(0).u8(1);
		w.u8(l::Packet).u8(4).u8(1).u8(0).u8(0);
		w.u8(l::DelVip).u8(1);
		for (unsigned be = 1; be < 8; be++)
			w.u8(l::AddBackend).u8(4).u8(be).u8(2);
		w.u8(l::AddBackend).u8(0).u8(2).u8(1);
		for (unsigned f = 0; f < 4; f++)
			w.u8(l::Packet).u8(f % 2 ? 4 : 0).u8(f).u8(0).u8(f);
		out.push_back(w.out);
	}
	return out;
}

} // namespace

int main(int argc, char **argv)
{
	if (argc != 3 || (std::string(argv[1]) != "bmc" && std::string(argv[1]) != "lb")) {
		std::fprintf(stderr, "usage: netext-app-fuzz-seeds bmc|lb DIR\n");
		return 2;
	}
	std::string app = argv[1];
	auto seeds = app == "bmc" ? bmc_seeds() : lb_seeds();
	int n = 0;
	for (const auto &s : seeds)
		std::ofstream(std::string(argv[2]) + "/" + app + "-seed-" + std::to_string(n++),
			      std::ios::binary)
			.write(reinterpret_cast<const char *>(s.data()),
			       static_cast<std::streamsize>(s.size()));
	std::printf("%d %s seeds in %s\n", n, app.c_str(), argv[2]);
	return 0;
}
