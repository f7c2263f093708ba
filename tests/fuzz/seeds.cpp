// Writes the fuzzer's seed corpus: the app fixtures' packets, and memcached GET/SET
// requests over UDP (with the frame header) and TCP, IPv4 and IPv6, with VLAN tags.
#include <cstdio>
#include <fstream>
#include <string>

#include "fixtures.hpp"
#include "packet_builder.hpp"

using namespace netext::testing;

int main(int argc, char **argv)
{
	if (argc != 2) {
		std::fprintf(stderr, "usage: netext-fuzz-seeds DIR\n");
		return 2;
	}
	int n = 0;
	auto write = [&](const Bytes &b) {
		std::ofstream(std::string(argv[1]) + "/seed-" + std::to_string(n++),
			      std::ios::binary)
			.write(reinterpret_cast<const char *>(b.data()),
			       static_cast<std::streamsize>(b.size()));
	};
	for (const Fixture<> &f : app_fixtures())
		write(f.input);
	for (auto net : {PacketSpec::Net::Ipv4, PacketSpec::Net::Ipv6})
		for (std::vector<uint16_t> tags : {std::vector<uint16_t>{}, {0x8100}}) {
			PacketSpec udp;
			udp.net = net;
			udp.vlan_tpids = tags;
			udp.dport = 11211;
			udp.payload = {0, 1, 0, 0, 0, 1, 0, 0};
			for (const char *line :
			     {"get key:1\r\n", "gets a bb  ccc\r\n", "get k1 k2 k3 k4\r\n"}) {
				Bytes p = udp.payload;
				Bytes t = text(line);
				p.insert(p.end(), t.begin(), t.end());
				PacketSpec s = udp;
				s.payload = p;
				write(build(s));
			}
			PacketSpec tcp = udp;
			tcp.proto = 6;
			for (const char *line :
			     {"set k 0 0 1\r\nx\r\n", "delete k noreply\r\n", "flush_all\r\n",
			      "cas k 1 -1 5 99 noreply\r\n", "append k 4294967295 0 2147483645\r\n",
			      "incr k 1\r\n"}) {
				tcp.payload = text(line);
				write(build(tcp));
			}
		}
	std::printf("%d seeds in %s\n", n, argv[1]);
	return 0;
}
