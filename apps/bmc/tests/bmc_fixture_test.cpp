// The BMC app on fixtures, through the host runner and through BPF_PROG_TEST_RUN on the
// running kernel (the same tests, parametrised by backend): hits build exactly memcached's
// answer with valid checksums, misses and everything malformed pass untouched, fills need
// a lease, invalidations win over fills.
#include <netext/host/runtime.hpp>
#include <netext/loader/object.hpp>
#include <netext/maps.hpp>
#include <netext/verdict.hpp>

#include <gtest/gtest.h>

#include <chrono>
#include <string>
#include <thread>

#include "bmc.hpp"
#include "bmc_fixtures.hpp"
#include "kernel_fixture.hpp"
#include "packet_builder.hpp"

using namespace netext;
using namespace netext::testing;
using namespace netext::testing::bmcfx;

namespace {

struct Result {
	int verdict = -1;
	Bytes data;
};

class Backend {
public:
	virtual ~Backend() = default;
	virtual Result rx(const Bytes &in) = 0;
	virtual Result tx(const Bytes &in) = 0;
	virtual uint64_t stat(bmc::Stat s) = 0;
};

class HostBackend : public Backend {
public:
	Result rx(const Bytes &in) override { return run("bmc_rx", in); }
	Result tx(const Bytes &in) override { return run("bmc_tx", in); }
	uint64_t stat(bmc::Stat s) override
	{
		host::MapBase *m = host::find_map("bmc", "bmc_stats");
		uint32_t k = s;
		uint64_t total = 0;
		for (unsigned cpu = 0; cpu < host::kHostCpus; cpu++)
			total += *reinterpret_cast<uint64_t *>(m->lookup_cpu(&k, cpu));
		return total;
	}

private:
	static Result run(const char *prog, const Bytes &in)
	{
		const host::Program *p = host::find_program("bmc", prog);
		EXPECT_NE(p, nullptr);
		host::RunResult r;
		EXPECT_TRUE(p && host::run(*p, in, r));
		return {r.verdict, r.data};
	}
};

class KernelBackend : public Backend {
public:
	Result rx(const Bytes &in) override { return run("bmc_rx", in); }
	Result tx(const Bytes &in) override { return run("bmc_tx", in); }
	uint64_t stat(bmc::Stat s) override
	{
		return loader::map_u64_sums(obj().map_fd("bmc_stats"), s, 1).at(0);
	}

private:
	static loader::BpfObject &obj() { return KernelApps::get("bmc"); }
	static Result run(const char *prog, const Bytes &in)
	{
		loader::TestRun r = loader::test_run(obj().program_fd(prog), in);
		return {static_cast<int>(r.retval), r.data};
	}
};

uint16_t get16(const Bytes &b, std::size_t off)
{
	return static_cast<uint16_t>(b.at(off) << 8 | b.at(off + 1));
}

// Checks that `out` is the reply to `in` carrying exactly `text`: addresses and ports
// swapped, lengths right, IPv4 header and UDP checksums valid (by the reference sum).
void expect_reply(const Bytes &in, const Bytes &out, Variant v, const std::string &text,
		  uint16_t id = 7)
{
	PacketSpec s = spec_for(v);
	std::size_t l3 = l3_offset(s), l4 = l4_offset(s);
	ASSERT_EQ(out.size(), l4 + 8 + 8 + text.size()) << variant_name(v);
	EXPECT_TRUE(std::equal(out.begin(), out.begin() + 6, in.begin() + 6));
	EXPECT_TRUE(std::equal(out.begin() + 6, out.begin() + 12, in.begin()));
	EXPECT_TRUE(
		std::equal(out.begin() + 12, out.begin() + static_cast<long>(l3), in.begin() + 12));
	uint32_t pseudo = 0;
	std::size_t udp_len = out.size() - l4;
	if (v == Variant::Ipv6) {
		EXPECT_TRUE(std::equal(out.begin() + l3 + 8, out.begin() + l3 + 24,
				       in.begin() + l3 + 24));
		EXPECT_TRUE(std::equal(out.begin() + l3 + 24, out.begin() + l3 + 40,
				       in.begin() + l3 + 8));
		EXPECT_EQ(get16(out, l3 + 4), out.size() - l3 - 40);
		pseudo = ref_sum(out.data() + l3 + 8, 32);
	} else {
		std::size_t ihl = (out[l3] & 0x0f) * 4u;
		EXPECT_TRUE(std::equal(out.begin() + l3 + 12, out.begin() + l3 + 16,
				       in.begin() + l3 + 16));
		EXPECT_TRUE(std::equal(out.begin() + l3 + 16, out.begin() + l3 + 20,
				       in.begin() + l3 + 12));
		EXPECT_EQ(get16(out, l3 + 2), out.size() - l3);
		EXPECT_EQ(ref_sum(out.data() + l3, ihl), 0xffff) << "IPv4 header checksum";
		pseudo = ref_sum(out.data() + l3 + 12, 8);
	}
	pseudo += 17 + static_cast<uint32_t>(udp_len);
	EXPECT_EQ(get16(out, l4), get16(in, l4 + 2));
	EXPECT_EQ(get16(out, l4 + 2), get16(in, l4));
	EXPECT_EQ(get16(out, l4 + 4), udp_len);
	EXPECT_NE(get16(out, l4 + 6), 0);
	EXPECT_EQ(ref_sum(out.data() + l4, udp_len, pseudo), 0xffff) << "UDP checksum";
	EXPECT_EQ(Bytes(out.begin() + static_cast<long>(l4) + 8, out.end()),
		  with_text(frame_header(id), text));
}

class BmcFixture : public ::testing::TestWithParam<std::string> {
protected:
	void SetUp() override
	{
		if (GetParam() == "kernel") {
			NETEXT_REQUIRE_ROOT();
			b_ = std::make_unique<KernelBackend>();
		} else {
			b_ = std::make_unique<HostBackend>();
		}
		// Start from an empty cache, then wait out the grace period a flush starts.
		Result r = b_->rx(tcp_request("flush_all\r\n"));
		ASSERT_EQ(r.verdict, static_cast<int>(XdpAction::Pass));
		wait_grace();
	}
	// The grace period, plus the tick of the coarse clock BMC time-stamps with.
	static void wait_grace()
	{
		std::this_thread::sleep_for(
			std::chrono::milliseconds(bmc::kDefaultGraceMs + bmc::kGraceTickMs + 5));
	}
	// GET miss (lease), memcached's answer through tc (fill): the keys are then cached.
	void cache(const std::vector<std::pair<std::string, std::string>> &kv,
		   Variant v = Variant::Ipv4, const std::string &cas = "")
	{
		std::string get = cas.empty() ? "get" : "gets";
		for (const auto &[k, d] : kv)
			get += " " + k;
		get += "\r\n";
		Bytes req = request(get, 99, v);
		Result r = b_->rx(req);
		ASSERT_EQ(r.verdict, static_cast<int>(XdpAction::Pass)) << "expected a miss";
		ASSERT_EQ(r.data, req);
		for (std::size_t i = 0; i < kv.size(); i++) {
			std::string t = value_line(kv[i].first, kv[i].second, cas);
			if (i + 1 == kv.size())
				t += "END\r\n";
			Result f = b_->tx(answer(t, 99, v));
			ASSERT_EQ(f.verdict, static_cast<int>(TcAction::Ok));
		}
	}
	Result get(const std::string &text, Variant v = Variant::Ipv4, uint16_t id = 7)
	{
		return b_->rx(request(text, id, v));
	}
	// `text` in one segment of a new connection BMC follows (memcached's SYN-ACK first),
	// passed untouched.
	void tcp(const std::string &text, Variant v = Variant::Ipv4)
	{
		Connection c{v};
		EXPECT_EQ(b_->tx(c.syn_ack()).verdict, static_cast<int>(TcAction::Ok));
		expect_pass(c.segment(text));
	}
	void expect_pass(const Bytes &in)
	{
		Result r = b_->rx(in);
		EXPECT_EQ(r.verdict, static_cast<int>(XdpAction::Pass));
		EXPECT_EQ(r.data, in);
	}
	std::unique_ptr<Backend> b_;
};

constexpr int kTx = static_cast<int>(XdpAction::Tx);
constexpr int kPass = static_cast<int>(XdpAction::Pass);
constexpr int kTcOk = static_cast<int>(TcAction::Ok);

TEST_P(BmcFixture, HitOneKeyEveryEncapsulation)
{
	for (Variant v :
	     {Variant::Ipv4, Variant::Ipv6, Variant::Vlan, Variant::QinQ, Variant::Ipv4Options}) {
		std::string key = "key-" + variant_name(v);
		cache({{key, "hello world"}}, v);
		Bytes req = request("get " + key + "\r\n", 1234, v);
		uint64_t hits = b_->stat(bmc::Hits);
		Result r = b_->rx(req);
		ASSERT_EQ(r.verdict, kTx) << variant_name(v);
		expect_reply(req, r.data, v, value_line(key, "hello world") + "END\r\n", 1234);
		EXPECT_EQ(b_->stat(bmc::Hits), hits + 1);
	}
}

TEST_P(BmcFixture, HitManyKeysUpTo32InOrder)
{
	for (std::size_t n : {2u, 10u, 32u}) {
		std::vector<std::pair<std::string, std::string>> kv;
		std::string get = "get", expect;
		for (std::size_t i = 0; i < n; i++) {
			// odd and even lengths, so that pieces land at both alignments
			kv.emplace_back("k" + std::to_string(n) + "_" + std::to_string(i),
					std::string(i % 3 + 1, static_cast<char>('a' + i % 26)));
		}
		cache(kv);
		for (auto it = kv.rbegin(); it != kv.rend(); ++it) { // another order than filled
			get += " " + it->first;
			expect += value_line(it->first, it->second);
		}
		Bytes req = request(get + "\r\n", 5);
		Result r = b_->rx(req);
		ASSERT_EQ(r.verdict, kTx) << n << " keys";
		expect_reply(req, r.data, Variant::Ipv4, expect + "END\r\n", 5);
	}
}

TEST_P(BmcFixture, LongKeyAndLargestValue)
{
	std::string key(250, 'K');
	std::string data(bmc::kDefaultValueLimit, 'v');
	cache({{key, data}});
	Bytes req = request("get " + key + "\r\n");
	Result r = b_->rx(req);
	ASSERT_EQ(r.verdict, kTx);
	expect_reply(req, r.data, Variant::Ipv4, value_line(key, data) + "END\r\n");
	// one byte more than the limit is not cached
	cache({{"big", std::string(bmc::kDefaultValueLimit + 1, 'v')}});
	expect_pass(request("get big\r\n"));
}

TEST_P(BmcFixture, EveryPieceLengthIsStoredAndSummed)
{
	// A cached answer's pieces (its line, the cas, the data) are copied and summed a word
	// at a time when short, by the kernel's helpers when long: every length from 0 to
	// past 64 bytes, at both parities, in both paths.
	int n = 0;
	auto unique_key = [&n](std::size_t len) {
		std::string k = "p" + std::to_string(n++);
		return std::string(len > k.size() ? len - k.size() : 0, 'x') + k;
	};
	for (std::size_t klen : {4u, 7u, 8u, 9u, 16u, 41u}) {
		for (std::size_t dlen = 0; dlen <= 70; dlen++) {
			std::string key = unique_key(klen);
			std::string data(dlen, static_cast<char>('a' + dlen % 26));
			if (dlen > 2)
				data[dlen / 2] = static_cast<char>(0xff - dlen); // odd bytes too
			cache({{key, data}});
			Bytes req = request("get " + key + "\r\n", 3);
			Result r = b_->rx(req);
			ASSERT_EQ(r.verdict, kTx) << "key " << klen << " B, value " << dlen << " B";
			expect_reply(req, r.data, Variant::Ipv4, value_line(key, data) + "END\r\n",
				     3);
		}
	}
	for (std::string cas : {"1", "12", "1234567", "12345678", "123456789012345"}) {
		for (std::size_t dlen : {0u, 1u, 5u, 33u, 59u, 60u, 200u}) {
			std::string key = unique_key(9);
			std::string data(dlen, 'c');
			cache({{key, data}}, Variant::Ipv4, cas);
			for (std::string cmd : {"gets", "get"}) {
				Bytes req = request(cmd + " " + key + "\r\n", 4);
				Result r = b_->rx(req);
				ASSERT_EQ(r.verdict, kTx)
					<< cmd << ", cas " << cas << ", value " << dlen;
				expect_reply(req, r.data, Variant::Ipv4,
					     value_line(key, data, cmd == "gets" ? cas : "") +
						     "END\r\n",
					     4);
			}
		}
	}
}

TEST_P(BmcFixture, ReplyLargerThanTheMtuPasses)
{
	cache({{"a", std::string(900, 'a')}, {"b", std::string(900, 'b')}});
	EXPECT_EQ(get("get a\r\n").verdict, kTx);
	EXPECT_EQ(get("get b\r\n").verdict, kTx);
	expect_pass(request("get a b\r\n")); // 1800+ bytes: memcached splits it, not BMC
}

TEST_P(BmcFixture, GetsNeedsTheCas)
{
	cache({{"plain", "x"}});
	expect_pass(request("gets plain\r\n")); // cached without a cas: memcached answers
	cache({{"withcas", "yz"}}, Variant::Ipv4, "4242");
	Bytes req = request("gets withcas\r\n");
	Result r = b_->rx(req);
	ASSERT_EQ(r.verdict, kTx);
	expect_reply(req, r.data, Variant::Ipv4, value_line("withcas", "yz", "4242") + "END\r\n");
	Bytes req2 = request("get withcas\r\n");
	r = b_->rx(req2);
	ASSERT_EQ(r.verdict, kTx);
	expect_reply(req2, r.data, Variant::Ipv4, value_line("withcas", "yz") + "END\r\n");
}

TEST_P(BmcFixture, MissAndPartialHitPassUntouched)
{
	cache({{"here", "1"}});
	uint64_t misses = b_->stat(bmc::Misses);
	expect_pass(request("get nothere\r\n"));
	expect_pass(request("get here nothere\r\n"));
	expect_pass(request("get nothere here\r\n"));
	EXPECT_EQ(b_->stat(bmc::Misses), misses + 3);
}

// Malformed requests pass untouched, never answered. A datagram BMC cannot read as one GET
// may still be something memcached acts on, so it also invalidates the whole cache.
TEST_P(BmcFixture, MalformedRequestsPassUntouched)
{
	cache({{"k", "v"}});
	EXPECT_EQ(get("get k\r\n").verdict, kTx);
	uint64_t errors = b_->stat(bmc::Errors);
	expect_pass(request("get k"));				       // no "\r\n"
	expect_pass(request("get k\r"));			       // no "\n"
	expect_pass(request("get \r\n"));			       // no key
	expect_pass(request("get " + std::string(251, 'k') + "\r\n")); // key too long
	expect_pass(request("get k\x01\r\n"));			       // control character
	expect_pass(request("GET k\r\n"));			       // commands are lower case
	expect_pass(request("get k\r\nget k\r\n"));		       // two requests in one
	std::string many = "get";
	for (int i = 0; i < 33; i++)
		many += " k";
	expect_pass(request(many + "\r\n")); // 33 keys
	PacketSpec s = spec_for(Variant::Ipv4);
	s.dport = bmc::kDefaultPort;
	s.payload = {0, 7, 0, 0, 0}; // truncated frame header
	expect_pass(build(s));
	s.payload =
		with_text(frame_header(7, 0, 2), "get k\r\n"); // part of a multi-datagram request
	expect_pass(build(s));
	s.payload = with_text(frame_header(7, 1, 1), "get k\r\n"); // seq >= count
	expect_pass(build(s));
	EXPECT_GE(b_->stat(bmc::Errors), errors + 8);
	expect_pass(request("get k\r\n")); // flushed
}

TEST_P(BmcFixture, FillNeedsTheLeaseOfThatRequest)
{
	// An answer nobody asked BMC about (no GET miss) is not cached.
	b_->tx(answer(value_line("unasked", "1") + "END\r\n", 3));
	expect_pass(request("get unasked\r\n", 4));
	// The lease belongs to request 4 from port 40000: another id or port does not fill.
	b_->tx(answer(value_line("unasked", "1") + "END\r\n", 5));
	b_->tx(answer(value_line("unasked", "1") + "END\r\n", 4, Variant::Ipv4, 40001));
	expect_pass(request("get unasked\r\n", 6));
	b_->tx(answer(value_line("unasked", "1") + "END\r\n", 6));
	EXPECT_EQ(get("get unasked\r\n").verdict, kTx);
}

TEST_P(BmcFixture, EveryModifyingCommandInvalidates)
{
	for (Variant v : {Variant::Ipv4, Variant::Ipv6}) {
		for (const char *c : bmcfx::kModifyingCommands) {
			cache({{"victim", "old"}, {"bystander", "b"}});
			ASSERT_EQ(get("get victim\r\n").verdict, kTx);
			char line[128];
			std::snprintf(line, sizeof line, c, "victim");
			uint64_t inv = b_->stat(bmc::Invalidations), fl = b_->stat(bmc::Flushes);
			Connection conn{v};
			EXPECT_EQ(b_->tx(conn.syn_ack()).verdict, kTcOk);
			Bytes seg = conn.segment(line);
			Result r = b_->rx(seg);
			EXPECT_EQ(r.verdict, kPass);
			EXPECT_EQ(r.data, seg);
			EXPECT_GT(b_->stat(bmc::Invalidations), inv) << line;
			EXPECT_EQ(b_->stat(bmc::Flushes), fl) << line << ": followed, one key";
			expect_pass(request("get victim\r\n"));
			EXPECT_EQ(get("get bystander\r\n").verdict, kTx) << line;
			wait_grace();
		}
	}
}

TEST_P(BmcFixture, FlushAllAndWhatCannotBeFollowedInvalidateEverything)
{
	// Each in a segment of a connection BMC follows. The storage lines: memcached refuses
	// them and runs their "data block" as commands (BMC cannot tell which). The line ended
	// by a '\n' alone: a delete BMC cannot read. Then lines split at the segment's end.
	for (std::string seg :
	     {"flush_all\r\n", "ms a 1\r\nx\r\n", "garbage", "set a abc 0 11\r\ndelete k1\r\n",
	      "set a 0 0 11 noreply x\r\ndelete k1\r\n", "delete a b\nset k1 0 0 8\r\n", "delete k",
	      "incr k1 1", "set k1 0 0 1", "se", " get k1\r\n"}) {
		cache({{"k1", "1"}, {"k2", "2"}});
		ASSERT_EQ(get("get k1 k2\r\n").verdict, kTx);
		uint64_t fl = b_->stat(bmc::Flushes);
		tcp(seg);
		EXPECT_GT(b_->stat(bmc::Flushes), fl) << seg;
		expect_pass(request("get k1\r\n"));
		expect_pass(request("get k2\r\n"));
		wait_grace();
	}
	// Any segment of a connection BMC did not see start.
	cache({{"k1", "1"}, {"k2", "2"}});
	uint64_t fl = b_->stat(bmc::Flushes);
	b_->rx(tcp_request("get k1\r\n"));
	EXPECT_EQ(b_->stat(bmc::Flushes), fl + 1);
	expect_pass(request("get k2\r\n"));
	wait_grace();
	// Pipelined commands are each followed: only their keys go.
	cache({{"k1", "1"}, {"k2", "2"}, {"a", "a"}, {"b", "b"}, {"zz", "z"}});
	fl = b_->stat(bmc::Flushes);
	tcp("set a 0 0 1\r\nx\r\nset b 0 0 1\r\ny\r\nget k1\r\ndelete zz\r\n");
	EXPECT_EQ(b_->stat(bmc::Flushes), fl);
	for (const char *k : {"a", "b", "zz"})
		expect_pass(request("get " + std::string(k) + "\r\n"));
	EXPECT_EQ(get("get k1 k2\r\n").verdict, kTx);
	wait_grace();
	// A GET over TCP changes nothing.
	cache({{"t1", "1"}});
	tcp("get t1\r\n");
	EXPECT_EQ(get("get t1\r\n").verdict, kTx);
	// A SET over UDP invalidates like one over TCP.
	b_->rx(request("set t1 0 0 1\r\nz\r\n"));
	expect_pass(request("get t1\r\n"));
}

TEST_P(BmcFixture, NoFillWithinTheGracePeriodOfAnInvalidation)
{
	cache({{"hot", "v1"}});
	tcp("set hot 0 0 2\r\nv2\r\n");
	// memcached may still hold v1 for a request that arrived before the set: its answer
	// must not refill the entry, even if a GET asks meanwhile.
	expect_pass(request("get hot\r\n", 11));
	b_->tx(answer(value_line("hot", "v1") + "END\r\n", 11));
	expect_pass(request("get hot\r\n", 12));
	wait_grace();
	expect_pass(request("get hot\r\n", 13)); // lease granted now
	b_->tx(answer(value_line("hot", "v2") + "END\r\n", 13));
	Bytes req = request("get hot\r\n", 14);
	Result r = b_->rx(req);
	ASSERT_EQ(r.verdict, kTx);
	expect_reply(req, r.data, Variant::Ipv4, value_line("hot", "v2") + "END\r\n", 14);
}

TEST_P(BmcFixture, AnInvalidationBetweenLeaseAndFillWins)
{
	expect_pass(request("get racy\r\n", 21)); // lease
	tcp("delete racy\r\n");
	b_->tx(answer(value_line("racy", "stale") + "END\r\n", 21)); // read before the delete
	expect_pass(request("get racy\r\n", 22));
}

// Two keys in one slot: the stored key decides, never the slot.
TEST_P(BmcFixture, KeysSharingASlotAreTold)
{
	std::string a = "collide-0", b;
	for (int i = 1; b.empty(); i++) {
		std::string c = "collide-" + std::to_string(i);
		if (bmcfx::slot_of(c) == bmcfx::slot_of(a))
			b = c;
	}
	cache({{a, "A"}});
	expect_pass(request("get " + b + "\r\n"));
	Bytes req = request("get " + a + "\r\n");
	Result r = b_->rx(req);
	// b's miss leased the slot; a is still cached there until b's answer fills it
	ASSERT_EQ(r.verdict, kTx);
	expect_reply(req, r.data, Variant::Ipv4, value_line(a, "A") + "END\r\n");
}

TEST_P(BmcFixture, OtherTrafficPasses)
{
	PacketSpec udp = spec_for(Variant::Ipv4);
	udp.dport = 11212;
	udp.payload = with_text(frame_header(1), "get k\r\n");
	expect_pass(build(udp));
	PacketSpec arp;
	arp.net = Net::Arp;
	expect_pass(build(arp));
	Bytes cut = request("get k\r\n");
	cut.resize(30);
	expect_pass(cut);
}

// The ordered sequence the guest test runs through BMC's eBPF object and its native module
// (bmc_fixtures.hpp): every step's expected verdict and bytes, here.
TEST_P(BmcFixture, SharedStepSequence)
{
	std::size_t checked = 0;
	for (const Step &st : bmc_steps()) {
		std::this_thread::sleep_for(std::chrono::milliseconds(st.wait_ms));
		if (!st.has_frame())
			continue;
		Result r = st.program == kRxProgram ? b_->rx(st.input) : b_->tx(st.input);
		EXPECT_EQ(fixture_mismatch(st, {r.verdict, r.data}), "") << st.name;
		checked++;
	}
	EXPECT_GT(checked, 300u);
}

INSTANTIATE_TEST_SUITE_P(Backends, BmcFixture, ::testing::Values("host", "kernel"),
			 [](const auto &info) { return info.param; });

} // namespace
