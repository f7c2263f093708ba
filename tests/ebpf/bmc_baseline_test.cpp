// The eBPF-C BMC baseline (bench/baseline) on the running kernel: it loads, and through
// BPF_PROG_TEST_RUN it answers GETs from its cache with the right bytes, passes what it
// cannot answer untouched, fills at tc egress and invalidates on TCP SETs. Then the same
// end to end on a veth testbed against a real memcached.
#include "baseline.hpp"

#include <netext/loader/error.hpp>
#include <netext/loader/object.hpp>

#include <arpa/inet.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include <csignal>
#include <fstream>
#include <gtest/gtest.h>
#include <linux/if_link.h>
#include <net/if.h>
#include <netinet/in.h>
#include <set>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include "kernel_fixture.hpp"
#include "memcached.hpp"
#include "packet_builder.hpp"
#include "testbed.hpp"

using namespace netext;
using namespace netext::testing;
using netext::bench::BaselineBmc;

namespace {

constexpr uint16_t kPort = 11211;
constexpr uint16_t kClientPort = 40000;
constexpr int kTcActOk = 0;

Bytes frame_header(uint16_t request_id)
{
	return {static_cast<uint8_t>(request_id >> 8),
		static_cast<uint8_t>(request_id),
		0,
		0,
		0,
		1,
		0,
		0};
}

Bytes with_header(uint16_t request_id, const std::string &text)
{
	Bytes b = frame_header(request_id);
	for (char c : text) // (insert() trips a GCC 12 -Wstringop-overread false positive)
		b.push_back(static_cast<uint8_t>(c));
	return b;
}

// Client 198.18.0.1:40000 -> server 198.18.0.2:11211.
Bytes get_request(const std::vector<std::string> &keys, uint16_t request_id = 0x1234)
{
	std::string text = "get";
	for (const std::string &k : keys)
		text += " " + k;
	text += "\r\n";
	PacketSpec s;
	s.sport = kClientPort;
	s.dport = kPort;
	s.payload = with_header(request_id, text);
	return build(s);
}

std::string item(const std::string &key, const std::string &value, uint32_t flags = 0)
{
	return "VALUE " + key + " " + std::to_string(flags) + " " + std::to_string(value.size()) +
	       "\r\n" + value + "\r\n";
}

// An answer from memcached to the client: its items and END after the frame header.
PacketSpec answer_spec(const std::string &items, uint16_t request_id)
{
	PacketSpec s;
	s.src4 = 0xc6120002;
	s.dst4 = 0xc6120001;
	s.sport = kPort;
	s.dport = kClientPort;
	s.payload = with_header(request_id, items + "END\r\n");
	return s;
}

// memcached's answer, server -> client, as it leaves through tc egress.
Bytes memcached_reply(const std::string &items, uint16_t request_id = 0x1234)
{
	return build(answer_spec(items, request_id));
}

// What BMC must send back for a GET: the request's frame with Ethernet, IPv4 and UDP
// addresses swapped, the same frame header, the items and END; UDP checksum 0.
Bytes expected_reply(const std::string &items, uint16_t request_id = 0x1234)
{
	PacketSpec s = answer_spec(items, request_id);
	s.udp_zero_checksum = true;
	Bytes b = build(s);
	for (int i = 0; i < 6; i++)
		std::swap(b[i], b[6 + i]);
	return b;
}

Bytes tcp_segment(const std::string &payload)
{
	PacketSpec s;
	s.proto = 6;
	s.sport = kClientPort;
	s.dport = kPort;
	s.payload = text(payload);
	return build(s);
}

uint32_t fnv1a(const std::string &key)
{
	uint32_t h = 2166136261u;
	for (unsigned char c : key) {
		h ^= c;
		h *= 16777619u;
	}
	return h;
}

std::string printable(const Bytes &b)
{
	std::string s;
	for (uint8_t c : b)
		s += c >= 32 && c < 127 ? static_cast<char>(c) : '.';
	return s;
}

class BmcBaseline : public ::testing::Test {
protected:
	void SetUp() override
	{
		NETEXT_REQUIRE_ROOT();
		bmc_ = std::make_unique<BaselineBmc>();
	}

	loader::TestRun xdp(const Bytes &frame) const
	{
		return loader::test_run(bmc_->xdp_fd(), frame);
	}
	void fill(const std::string &items)
	{
		loader::TestRun r = loader::test_run(bmc_->tc_fd(), memcached_reply(items));
		ASSERT_EQ(static_cast<int>(r.retval), kTcActOk);
	}
	uint64_t stat(const std::string &name) const { return bmc_->stats().at(name); }

	// Keys whose cache slots differ from each other (and from "k1"), so that one
	// fill does not evict another in the direct-mapped cache.
	std::vector<std::string> distinct_keys(std::size_t n) const
	{
		std::vector<std::string> keys;
		std::set<uint32_t> slots = {fnv1a("k1") % bmc_->entries()};
		for (int i = 0; keys.size() < n; i++) {
			std::string k = "key" + std::to_string(i);
			if (slots.insert(fnv1a(k) % bmc_->entries()).second)
				keys.push_back(k);
		}
		return keys;
	}

	std::unique_ptr<BaselineBmc> bmc_;
};

TEST_F(BmcBaseline, LoadsWithBtfAndReportsVerifierCounts)
{
	const loader::BpfObject &obj = bmc_->object();
	EXPECT_TRUE(obj.btf_loaded()) << obj.log();
	EXPECT_EQ(bmc_->entries(), BaselineBmc::kDefaultEntries);
	EXPECT_EQ(bpf_map__max_entries(obj.map("map_kcache")), BaselineBmc::kDefaultEntries);
	for (const std::string &p : obj.program_names()) {
		loader::ProgramInfo info = loader::program_info(obj.program_fd(p));
		EXPECT_GT(info.xlated_insns, 0u) << p;
		std::printf("[ info ] %-22s xlated %5u insns, verifier processed %7u insns, jited "
			    "%6u bytes\n",
			    p.c_str(), info.xlated_insns, info.verified_insns, info.jited_bytes);
		RecordProperty(p + ".verified_insns", static_cast<int>(info.verified_insns));
	}
}

TEST_F(BmcBaseline, CacheSizeIsSetBeforeLoad)
{
	BaselineBmc small(1024);
	EXPECT_EQ(bpf_map__max_entries(small.object().map("map_kcache")), 1024u);
	// Filled and hit through a 1024-entry cache: the program's modulus is the map's size.
	std::string items = item("k1", "small");
	ASSERT_EQ(loader::test_run(small.tc_fd(), memcached_reply(items)).retval, 0u);
	loader::TestRun r = loader::test_run(small.xdp_fd(), get_request({"k1"}));
	EXPECT_EQ(r.retval, static_cast<uint32_t>(XDP_TX));
	EXPECT_EQ(r.data, expected_reply(items));
	EXPECT_THROW(BaselineBmc(0), Error);
}

// 1. Before any fill a GET misses and goes to memcached untouched.
TEST_F(BmcBaseline, GetBeforeFillPassesUntouched)
{
	Bytes get = get_request({"k1"});
	loader::TestRun r = xdp(get);
	EXPECT_EQ(r.retval, static_cast<uint32_t>(XDP_PASS));
	EXPECT_EQ(r.data, get);
	EXPECT_EQ(stat("get_recv_count"), 1u);
	EXPECT_EQ(stat("miss_count"), 1u);
	EXPECT_EQ(stat("hit_count"), 0u);
}

// 2. memcached's reply fills the cache at tc egress; the next GET is answered from XDP.
TEST_F(BmcBaseline, FillThenGetIsAnsweredFromXdp)
{
	std::string items = item("k1", "hello");
	fill(items);
	EXPECT_EQ(stat("get_resp_count"), 1u);
	EXPECT_EQ(stat("update_count"), 1u);

	loader::TestRun r = xdp(get_request({"k1"}));
	ASSERT_EQ(r.retval, static_cast<uint32_t>(XDP_TX)) << printable(r.data);
	Bytes want = expected_reply(items);
	EXPECT_EQ(r.data, want) << printable(r.data) << "\nwant " << printable(want);
	// IP header checksum verifies, total and UDP lengths match the frame.
	ASSERT_GE(r.data.size(), 42u);
	EXPECT_EQ(ref_sum(&r.data[14], 20), 0xffff);
	EXPECT_EQ(r.data[16] << 8 | r.data[17], static_cast<int>(r.data.size() - 14));
	EXPECT_EQ(r.data[38] << 8 | r.data[39], static_cast<int>(r.data.size() - 34));
	EXPECT_EQ(r.data[40] << 8 | r.data[41], 0); // UDP checksum: none (legal for IPv4)
	EXPECT_EQ(stat("hit_count"), 1u);

	// A reply to another client port or not from memcached's port fills nothing.
	PacketSpec other;
	other.src4 = 0xc6120002;
	other.dst4 = 0xc6120001;
	other.sport = 11212;
	other.dport = kClientPort;
	other.payload = with_header(1, item("k9", "x") + "END\r\n");
	EXPECT_EQ(loader::test_run(bmc_->tc_fd(), build(other)).retval, 0u);
	EXPECT_EQ(stat("update_count"), 1u);
}

// 3. Multi-key GETs, all filled: one reply with every value, in request order.
TEST_F(BmcBaseline, MultiKeyGetsAreAnsweredInOrder)
{
	for (std::size_t n : {2u, 10u}) {
		std::vector<std::string> keys = distinct_keys(n);
		std::string items;
		for (const std::string &k : keys) {
			std::string v = "value-of-" + k;
			fill(item(k, v, 7));
			items += item(k, v, 7);
		}
		loader::TestRun r = xdp(get_request(keys, static_cast<uint16_t>(n)));
		ASSERT_EQ(r.retval, static_cast<uint32_t>(XDP_TX)) << n << " keys";
		EXPECT_EQ(r.data, expected_reply(items, static_cast<uint16_t>(n)))
			<< printable(r.data);
	}
	// Each key written once more in reverse order: still request order in the reply.
	std::vector<std::string> keys = distinct_keys(3);
	std::vector<std::string> rev(keys.rbegin(), keys.rend());
	std::string items;
	for (const std::string &k : rev)
		items += item(k, "value-of-" + k, 7);
	loader::TestRun r = xdp(get_request(rev));
	ASSERT_EQ(r.retval, static_cast<uint32_t>(XDP_TX));
	EXPECT_EQ(r.data, expected_reply(items));
}

// The tail-call budget (MAX_TAIL_CALL_CNT 33) bounds the keys per GET: 16 are answered,
// a GET of more keys goes to memcached untouched, never half answered.
TEST_F(BmcBaseline, KeyLimitFromTheTailCallBudget)
{
	std::vector<std::string> keys = distinct_keys(24);
	for (const std::string &k : keys)
		fill(item(k, "v" + k));
	uint32_t served = 0;
	for (std::size_t n = 1; n <= keys.size(); n++) {
		std::vector<std::string> some(keys.begin(), keys.begin() + static_cast<long>(n));
		Bytes get = get_request(some);
		loader::TestRun r = xdp(get);
		if (r.retval == XDP_TX) {
			std::string items;
			for (const std::string &k : some)
				items += item(k, "v" + k);
			EXPECT_EQ(r.data, expected_reply(items)) << n << " keys";
			served = static_cast<uint32_t>(n);
		} else {
			EXPECT_EQ(r.retval, static_cast<uint32_t>(XDP_PASS)) << n << " keys";
			EXPECT_EQ(r.data, get) << n << " keys";
		}
	}
	std::printf("[ info ] largest GET answered: %u keys\n", served);
	RecordProperty("max_keys_served", static_cast<int>(served));
	EXPECT_EQ(served, BaselineBmc::kMaxKeysServed);
}

// 4. A SET over TCP invalidates the key: the segment goes on to memcached, the next GET too.
TEST_F(BmcBaseline, TcpSetInvalidates)
{
	std::string items = item("k1", "hello");
	fill(items);
	ASSERT_EQ(xdp(get_request({"k1"})).retval, static_cast<uint32_t>(XDP_TX));

	Bytes set = tcp_segment("set k1 0 0 5\r\nworld\r\n");
	loader::TestRun r = xdp(set);
	EXPECT_EQ(r.retval, static_cast<uint32_t>(XDP_PASS));
	EXPECT_EQ(r.data, set);
	EXPECT_EQ(stat("set_recv_count"), 1u);
	EXPECT_EQ(stat("invalidation_count"), 1u);

	Bytes get = get_request({"k1"});
	r = xdp(get);
	EXPECT_EQ(r.retval, static_cast<uint32_t>(XDP_PASS));
	EXPECT_EQ(r.data, get);

	// Filled again by memcached's next answer.
	fill(item("k1", "world"));
	r = xdp(get);
	EXPECT_EQ(r.retval, static_cast<uint32_t>(XDP_TX));
	EXPECT_EQ(r.data, expected_reply(item("k1", "world")));

	// Pipelined commands in one segment: every SET line counts, a GET line is skipped.
	std::vector<std::string> keys = distinct_keys(2);
	fill(item(keys[0], "a"));
	fill(item(keys[1], "b"));
	r = xdp(tcp_segment("set " + keys[0] + " 0 0 1\r\nx\r\nget k1\r\nset " + keys[1] +
			    " 1 0 1\r\ny\r\n"));
	EXPECT_EQ(r.retval, static_cast<uint32_t>(XDP_PASS));
	EXPECT_EQ(xdp(get_request({keys[0]})).retval, static_cast<uint32_t>(XDP_PASS));
	EXPECT_EQ(xdp(get_request({keys[1]})).retval, static_cast<uint32_t>(XDP_PASS));
	EXPECT_EQ(xdp(get_request({"k1"})).retval, static_cast<uint32_t>(XDP_TX));
}

// 5. Some keys cached, some not: memcached answers the whole request.
TEST_F(BmcBaseline, PartialHitPassesUntouched)
{
	std::vector<std::string> keys = distinct_keys(2);
	fill(item(keys[0], "cached"));
	for (const std::vector<std::string> &order :
	     {std::vector<std::string>{keys[0], keys[1]}, {keys[1], keys[0]}}) {
		Bytes get = get_request(order);
		loader::TestRun r = xdp(get);
		EXPECT_EQ(r.retval, static_cast<uint32_t>(XDP_PASS));
		EXPECT_EQ(r.data, get);
	}
}

// Values up to BMC_MAX_VAL_LENGTH are cached and answered (the reply grows past the request
// with bpf_xdp_adjust_tail); a reply that would exceed one 1500-byte datagram is passed.
TEST_F(BmcBaseline, LargeValuesAndReplySize)
{
	std::vector<std::string> keys = distinct_keys(3);
	std::string big(1000, 'x');
	for (std::size_t i = 0; i < big.size(); i++)
		big[i] = static_cast<char>('a' + i % 26);
	fill(item(keys[0], big));
	fill(item(keys[1], big));
	EXPECT_EQ(stat("update_count"), 2u);
	loader::TestRun r = xdp(get_request({keys[0]}));
	ASSERT_EQ(r.retval, static_cast<uint32_t>(XDP_TX));
	EXPECT_EQ(r.data, expected_reply(item(keys[0], big)));

	// Two such items do not fit one datagram: memcached answers.
	Bytes get = get_request({keys[0], keys[1]});
	r = xdp(get);
	EXPECT_EQ(r.retval, static_cast<uint32_t>(XDP_PASS));
	EXPECT_EQ(r.data, get);

	// An item larger than an entry (BMC_MAX_CACHE_DATA_SIZE, 1303 bytes) is not cached.
	fill(item(keys[2], std::string(1290, 'y')));
	EXPECT_EQ(stat("update_count"), 2u);
	get = get_request({keys[2]});
	r = xdp(get);
	EXPECT_EQ(r.retval, static_cast<uint32_t>(XDP_PASS));
	EXPECT_EQ(r.data, get);
}

// The published fill stops at the second "\n" of the reply, so a value holding a "\n" was
// cached cut short and served so. Such a value is not cached; the GET goes to memcached.
TEST_F(BmcBaseline, ValueWithNewlineIsNotCachedCut)
{
	fill(item("k1", "two\nlines"));
	EXPECT_EQ(stat("update_count"), 0u);
	Bytes get = get_request({"k1"});
	loader::TestRun r = xdp(get);
	EXPECT_EQ(r.retval, static_cast<uint32_t>(XDP_PASS));
	EXPECT_EQ(r.data, get);
	// In a multi-item reply the first item is cached (the next item follows it).
	fill(item("k1", "one") + item("k2", "two"));
	EXPECT_EQ(stat("update_count"), 1u);
	EXPECT_EQ(xdp(get).data, expected_reply(item("k1", "one")));
}

// Requests BMC does not serve reach memcached untouched.
TEST_F(BmcBaseline, OtherRequestsPassUntouched)
{
	fill(item("k1", "hello"));
	std::vector<Bytes> frames;
	for (const std::string &text :
	     {std::string("gets k1\r\n"), std::string("get k1"), std::string("get k1 \r\n"),
	      std::string("delete k1\r\n"), std::string("get ") + std::string(251, 'a') + "\r\n"}) {
		PacketSpec s;
		s.sport = kClientPort;
		s.dport = kPort;
		s.payload = with_header(1, text);
		frames.push_back(build(s));
	}
	PacketSpec other_port;
	other_port.sport = kClientPort;
	other_port.dport = 11212;
	other_port.payload = with_header(1, "get k1\r\n");
	frames.push_back(build(other_port));
	PacketSpec v6 = other_port;
	v6.net = PacketSpec::Net::Ipv6;
	v6.dport = kPort;
	frames.push_back(build(v6));
	PacketSpec options = other_port;
	options.dport = kPort;
	options.ipv4_options = {1, 1, 1, 1};
	frames.push_back(build(options));
	for (const Bytes &f : frames) {
		loader::TestRun r = xdp(f);
		EXPECT_EQ(r.retval, static_cast<uint32_t>(XDP_PASS)) << printable(f);
		EXPECT_EQ(r.data, f) << printable(f);
	}
	EXPECT_EQ(stat("hit_count"), 0u);
}

// ---------------------------------------------------------------------------------------
// End to end: BMC attached to the server's veth (native XDP + tc egress) in front of a real
// memcached; the client's veth has an XDP_PASS program (XDP_TX on veth needs one on the
// peer, see FIELD-NOTES).

sockaddr_in server_addr()
{
	sockaddr_in a{};
	a.sin_family = AF_INET;
	a.sin_port = htons(kPort);
	inet_pton(AF_INET, Testbed::kServerIp4, &a.sin_addr);
	return a;
}

void set_timeout(int fd)
{
	timeval tv{1, 0};
	setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
}

std::string tcp_command(const std::string &cmd)
{
	int fd = socket(AF_INET, SOCK_STREAM, 0);
	set_timeout(fd);
	sockaddr_in a = server_addr();
	std::string out;
	if (connect(fd, reinterpret_cast<sockaddr *>(&a), sizeof(a)) == 0 &&
	    send(fd, cmd.data(), cmd.size(), 0) == static_cast<ssize_t>(cmd.size())) {
		char buf[256];
		ssize_t n = recv(fd, buf, sizeof(buf), 0);
		if (n > 0)
			out.assign(buf, static_cast<std::size_t>(n));
	}
	close(fd);
	return out;
}

// One UDP GET; the payload of the answer after its frame header ("" on timeout).
std::string udp_get(int fd, const std::string &key, uint16_t id)
{
	Bytes req = with_header(id, "get " + key + "\r\n");
	sockaddr_in a = server_addr();
	sendto(fd, req.data(), req.size(), 0, reinterpret_cast<sockaddr *>(&a), sizeof(a));
	char buf[2048];
	ssize_t n = recv(fd, buf, sizeof(buf), 0);
	if (n < 8)
		return "";
	return std::string(buf + 8, static_cast<std::size_t>(n) - 8);
}

TEST(BmcBaselineTestbed, AnswersFromXdpInFrontOfMemcached)
{
	NETEXT_REQUIRE_ROOT();
	Testbed tb;
	MemcachedServer mc(tb);
	BaselineBmc bmc(4096);
	loader::BpfObject pass = loader::BpfObject::open_embedded("xdp_pass");
	pass.load();
	{
		Testbed::Enter in(tb.client());
		int ifindex = static_cast<int>(if_nametoindex(Testbed::kIfname));
		ASSERT_EQ(bpf_xdp_attach(ifindex, pass.program_fd("xdp_pass"), XDP_FLAGS_DRV_MODE,
					 nullptr),
			  0);
	}
	{
		Testbed::Enter in(tb.server());
		bmc.attach(static_cast<int>(if_nametoindex(Testbed::kIfname)));
		EXPECT_THROW(bmc.attach(1), Error);
	}
	EXPECT_EQ(bmc.xdp_mode(), "native");
	EXPECT_NE(tb.output(tb.server(), "ip link show dev eth0").find("xdp"), std::string::npos);
	EXPECT_NE(tb.output(tb.server(), "tc filter show dev eth0 egress").find("bmc_tx_filter"),
		  std::string::npos);

	{
		Testbed::Enter in(tb.client());
		EXPECT_EQ(tcp_command("set e2e 0 0 5\r\nhello\r\n"), "STORED\r\n");
		int fd = socket(AF_INET, SOCK_DGRAM, 0);
		set_timeout(fd);
		std::string want = item("e2e", "hello") + "END\r\n";
		EXPECT_EQ(udp_get(fd, "e2e", 1), want); // memcached answers, tc egress fills
		EXPECT_EQ(bmc.stats().at("update_count"), 1u);
		uint64_t hits = bmc.stats().at("hit_count");
		EXPECT_EQ(udp_get(fd, "e2e", 2), want); // answered from XDP
		EXPECT_EQ(bmc.stats().at("hit_count"), hits + 1);

		EXPECT_EQ(tcp_command("set e2e 0 0 5\r\nworld\r\n"), "STORED\r\n");
		EXPECT_GE(bmc.stats().at("invalidation_count"), 1u);
		want = item("e2e", "world") + "END\r\n";
		EXPECT_EQ(udp_get(fd, "e2e", 3), want); // memcached again, refilled
		EXPECT_EQ(udp_get(fd, "e2e", 4), want); // XDP again
		EXPECT_EQ(bmc.stats().at("hit_count"), hits + 2);
		close(fd);
	}

	bmc.detach();
	bmc.detach(); // idempotent
	EXPECT_EQ(tb.output(tb.server(), "ip link show dev eth0").find("xdp"), std::string::npos);
	EXPECT_EQ(tb.output(tb.server(), "tc qdisc show dev eth0").find("clsact"),
		  std::string::npos);
}

} // namespace
