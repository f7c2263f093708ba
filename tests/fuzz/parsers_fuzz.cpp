// libFuzzer target for the parsers (the host build of the same headers eBPF uses): any
// input, at a driver's NET_IP_ALIGN, in an exactly-sized buffer under ASan/UBSan. Besides
// not crashing, every Ok result must describe the packet consistently: offsets ordered and
// inside the bytes present, lengths matching the headers they came from.
#include <netext/parsers.hpp>

#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <string>

#include "memcached_model.hpp"

using namespace netext;

namespace {

void check(bool ok, const char *what)
{
	if (!ok) {
		__builtin_printf("invariant broken: %s\n", what);
		std::abort();
	}
}

// The fast paths accept only what the general parse accepts, and read it the same way.
void check_fast_paths(const PacketView &v, uint32_t off, memcached::Status st,
		      const memcached::Request &req)
{
	memcached::Request fast;
	bool get = memcached::parse_plain_get(v, off, v.size(), fast);
	bool set = !get && memcached::parse_plain_set(v, off, v.size(), fast);
	if (!get && !set)
		return;
	memcached::Key a = fast.keys.at_or(0, memcached::Key{}),
		       b = req.keys.at_or(0, memcached::Key{});
	check(st == memcached::Status::Ok && req.cmd == fast.cmd && req.nkeys == 1 &&
		      fast.nkeys == 1 && req.line_end == fast.line_end &&
		      req.data_len == fast.data_len && a.off == b.off && a.len == b.len &&
		      a.hash == b.hash,
	      "fast path agrees with parse_request");
}

void check_memcached(const PacketView &v, uint32_t off)
{
	memcached::Request req;
	memcached::Status st = memcached::parse_request(v, off, req);
	check_fast_paths(v, off, st, req);
	if (st != memcached::Status::Ok)
		return;
	check(req.line_end + 2 <= v.size(), "request line end inside the packet");
	check(v.byte(req.line_end) == '\r' && v.byte(req.line_end + 1) == '\n',
	      "line ends in CRLF");
	check(req.nkeys <= memcached::kMaxGetKeys, "key count bounded");
	check(req.cmd == memcached::Command::FlushAll || req.nkeys > 0, "keyed command has a key");
	// memcached reads it the same way: where the line ends, the key, a storage line taken
	// with the same data block (else a cache would skip commands memcached runs).
	std::string text;
	for (uint32_t i = off; i < v.size(); i++)
		text.push_back(static_cast<char>(v.byte(i)));
	testing::McReading m = testing::memcached_reads(text.data(), text.size());
	check(m.line && off + m.line_end == req.line_end, "line ends where memcached ends it");
	bool multi = req.cmd == memcached::Command::Get || req.cmd == memcached::Command::Gets;
	if (req.nkeys > 0 && !multi) {
		memcached::Key k = req.keys.at_or(0, memcached::Key{});
		check(m.tokens.size() >= 2 && text.compare(k.off - off, k.len, m.tokens[1]) == 0,
		      "the key is memcached's second token");
	}
	if (memcached::stores(req.cmd))
		check(m.stores && static_cast<long>(req.data_len) == m.data_len,
		      "memcached takes the storage line, with the same data block");
	for (uint32_t i = 0; i < req.nkeys; i++) {
		memcached::Key k = req.keys.at_or(i, memcached::Key{});
		check(k.len > 0 && k.len <= memcached::kMaxKeyLen, "key length in 1..250");
		check(k.off > off && k.off + k.len <= req.line_end, "key inside the request line");
		for (uint32_t j = 0; j < k.len; j++) {
			int b = v.byte(k.off + j);
			check(b > 0x20 && b < 0x7f, "key bytes printable");
		}
	}
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, std::size_t size)
{
	if (size > 9000)
		return 0;
	std::unique_ptr<uint8_t[]> mem(new uint8_t[size + 2]); // NET_IP_ALIGN
	std::memcpy(mem.get() + 2, data, size);
	PacketView v(mem.get() + 2, mem.get() + 2 + size);

	PacketInfo info;
	if (parse_packet(v, info) == Parse::Ok) {
		check(info.l2.l3_off >= 14 && info.l2.l3_off <= 22,
		      "L3 after Ethernet and <= 2 tags");
		if (info.l3 != L3::None) {
			check(info.l3_off < info.l3_end && info.l3_end <= size,
			      "L3 inside the packet");
			if (info.l3 == L3::Ipv4)
				check(info.v4.header_len >= 20 && info.v4.header_len <= 60,
				      "IHL 5..15");
		}
		if (info.l4 == L4::Udp || info.l4 == L4::Tcp || info.l4 == L4::Icmp ||
		    info.l4 == L4::Icmpv6) {
			const L4Info &l4 = info.l4info;
			check(!info.fragment, "no L4 in fragments");
			check(l4.off >= info.l3_off && l4.payload_off >= l4.off, "L4 after L3");
			check(l4.payload_off + l4.payload_len <= info.l3_end,
			      "payload inside the datagram");
			if (info.l4 == L4::Udp) {
				Ref<UdpHdr> udp = v.get<UdpHdr>(l4.off);
				check(udp && udp->len.host() == l4.payload_len + 8,
				      "UDP length matches");
				memcached::UdpFrame f;
				if (memcached::parse_udp_frame(v, l4.payload_off, f))
					check_memcached(v, f.payload_off);
			}
			if (info.l4 == L4::Tcp)
				check_memcached(v, l4.payload_off);
		}
	}
	check_memcached(v, 0); // the text parser on raw bytes too
	return 0;
}
