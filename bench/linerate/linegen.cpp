#include "linegen.hpp"

#include <netext/loader/error.hpp>
#include <netext/loader/netns.hpp>

#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include <linux/if_link.h>
#include <net/if.h>

#include <algorithm>
#include <arpa/inet.h>
#include <atomic>
#include <chrono>
#include <cmath>
#include <cstring>
#include <ctime>
#include <pthread.h>
#include <sched.h>
#include <thread>

#include "memcached.hpp"

namespace netext::bench {

using netext::testing::McTcpClient;
using netext::testing::Testbed;

namespace {

constexpr uint32_t kMaxKeys = 32;
constexpr uint32_t kMaxKeySpace = 1u << 20;
constexpr uint32_t kHdrLen = 53;
constexpr uint16_t kClientPort = 40000;
enum Counter : uint32_t {
	CAnswers,
	CValues,
	CBadFormat,
	CBadValue,
	CBadId,
	CDatagrams,
	CLatSum,
	CLate,
	CMax
};
constexpr uint32_t kLatBuckets = 1024;

struct GenCfgMap {
	uint32_t key_space;
	uint32_t keys_per_get;
	uint32_t miss_thresh;
	uint32_t zipf;
	uint8_t hdr[56];
};

struct AliasEntry {
	uint32_t prob;
	uint32_t alias;
};

struct GenState {
	uint64_t next_id;
	uint64_t rng;
	uint64_t sent;
};

std::array<uint8_t, 6> parse_mac(const std::string &s)
{
	std::array<uint8_t, 6> m{};
	unsigned v[6];
	if (std::sscanf(s.c_str(), "%x:%x:%x:%x:%x:%x", &v[0], &v[1], &v[2], &v[3], &v[4], &v[5]) !=
	    6)
		throw Error("cannot read a MAC address from '" + s + "'");
	for (int i = 0; i < 6; i++)
		m[i] = static_cast<uint8_t>(v[i]);
	return m;
}

uint16_t ip_checksum(const uint8_t *h, std::size_t n)
{
	uint32_t sum = 0;
	for (std::size_t i = 0; i + 1 < n; i += 2)
		sum += static_cast<uint32_t>(h[i] << 8 | h[i + 1]);
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return static_cast<uint16_t>(~sum);
}

// Vose's alias method over p_i ~ 1 / (i + 1)^s, i < n.
std::vector<AliasEntry> zipf_alias(uint32_t n, double s)
{
	std::vector<double> p(n);
	double total = 0;
	for (uint32_t i = 0; i < n; i++)
		total += p[i] = 1.0 / std::pow(static_cast<double>(i) + 1, s);
	std::vector<uint32_t> small, large;
	for (uint32_t i = 0; i < n; i++) {
		p[i] = p[i] * n / total;
		(p[i] < 1 ? small : large).push_back(i);
	}
	std::vector<AliasEntry> t(n);
	while (!small.empty() && !large.empty()) {
		uint32_t l = small.back(), g = large.back();
		small.pop_back();
		t[l] = {static_cast<uint32_t>(std::min(p[l], 1.0) * 4294967295.0), g};
		p[g] = p[g] + p[l] - 1;
		if (p[g] < 1) {
			large.pop_back();
			small.push_back(g);
		}
	}
	for (uint32_t i : large)
		t[i] = {0xffffffffu, i};
	for (uint32_t i : small)
		t[i] = {0xffffffffu, i};
	return t;
}

void sum_percpu(int fd, uint32_t key, uint64_t &out)
{
	std::vector<uint64_t> v(static_cast<std::size_t>(loader::possible_cpus()));
	out = 0;
	if (bpf_map_lookup_elem(fd, &key, v.data()) == 0)
		for (uint64_t x : v)
			out += x;
}

} // namespace

std::string LineGen::key(uint32_t i)
{
	char b[16];
	std::snprintf(b, sizeof b, "k%07x", i & 0x0fffffffu);
	return b;
}

std::string LineGen::value(uint32_t i)
{
	std::string k = key(i);
	return k + k + k + k;
}

GenCounters GenCounters::operator-(const GenCounters &o) const
{
	GenCounters d = *this;
	d.sent -= o.sent;
	d.answers -= o.answers;
	d.values -= o.values;
	d.bad_format -= o.bad_format;
	d.bad_value -= o.bad_value;
	d.bad_id -= o.bad_id;
	d.datagrams -= o.datagrams;
	d.lat_sum_ns -= o.lat_sum_ns;
	d.late -= o.late;
	for (std::size_t i = 0; i < d.latency_us.size() && i < o.latency_us.size(); i++)
		d.latency_us[i] -= o.latency_us[i];
	return d;
}

double GenCounters::latency_quantile_us(double p) const
{
	uint64_t total = 0;
	for (uint64_t c : latency_us)
		total += c;
	if (total == 0)
		return 0;
	auto want = static_cast<uint64_t>(std::ceil(p * static_cast<double>(total)));
	uint64_t seen = 0;
	for (std::size_t i = 0; i < latency_us.size(); i++) {
		seen += latency_us[i];
		if (seen >= want)
			return static_cast<double>(i) + 0.5;
	}
	return static_cast<double>(latency_us.size());
}

LineGen::LineGen(const Testbed &tb, const GenConfig &cfg)
	: ns_(tb.client()), cfg_(cfg), obj_(loader::BpfObject::open_embedded("linerate_mcgen"))
{
	if (cfg.keys_per_get < 1 || cfg.keys_per_get > kMaxKeys)
		throw Error("keys per GET must be 1..32", ExitCode::Usage);
	if (cfg.key_space < 1 || cfg.key_space > kMaxKeySpace / 2)
		throw Error("key space must be 1..524288 keys", ExitCode::Usage);
	if (!(cfg.miss_ratio >= 0 && cfg.miss_ratio < 1) || !(cfg.zipf >= 0 && cfg.zipf < 5))
		throw Error("miss ratio must be in [0, 1), Zipf exponent in [0, 5)",
			    ExitCode::Usage);
	obj_.load();

	auto cmac = parse_mac(tb.output(tb.client(), "cat /sys/class/net/eth0/address"));
	auto smac = parse_mac(tb.output(tb.server(), "cat /sys/class/net/eth0/address"));
	uint32_t k = cfg.keys_per_get;
	frame_.assign(kHdrLen + 9 * k + 2, 0);
	uint8_t *f = frame_.data();
	std::memcpy(f, smac.data(), 6);
	std::memcpy(f + 6, cmac.data(), 6);
	f[12] = 0x08;
	uint8_t *ip = f + 14;
	auto ip_len = static_cast<uint16_t>(frame_.size() - 14);
	ip[0] = 0x45;
	ip[2] = static_cast<uint8_t>(ip_len >> 8);
	ip[3] = static_cast<uint8_t>(ip_len);
	ip[6] = 0x40; // DF
	ip[8] = 64;
	ip[9] = 17;
	inet_pton(AF_INET, Testbed::kClientIp4, ip + 12);
	inet_pton(AF_INET, Testbed::kServerIp4, ip + 16);
	uint16_t cs = ip_checksum(ip, 20);
	ip[10] = static_cast<uint8_t>(cs >> 8);
	ip[11] = static_cast<uint8_t>(cs);
	uint8_t *udp = ip + 20;
	auto udp_len = static_cast<uint16_t>(ip_len - 20);
	udp[0] = kClientPort >> 8;
	udp[1] = kClientPort & 0xff;
	udp[2] = 11211 >> 8;
	udp[3] = 11211 & 0xff;
	udp[4] = static_cast<uint8_t>(udp_len >> 8);
	udp[5] = static_cast<uint8_t>(udp_len);
	uint8_t *mc = udp + 8;
	mc[5] = 1; // total datagrams
	std::memcpy(mc + 8, "get", 3);
	for (uint32_t i = 0; i < k; i++) {
		f[kHdrLen + 9 * i] = ' ';
		std::memcpy(f + kHdrLen + 9 * i + 1, key(0).data(), 8);
	}
	std::memcpy(f + kHdrLen + 9 * k, "\r\n", 2);

	GenCfgMap c{};
	c.key_space = cfg.key_space;
	c.keys_per_get = k;
	c.miss_thresh = static_cast<uint32_t>(cfg.miss_ratio * 4294967295.0);
	c.zipf = cfg.zipf > 0 ? 1 : 0;
	std::memcpy(c.hdr, f, kHdrLen);
	uint32_t zero = 0;
	if (bpf_map_update_elem(obj_.map_fd("gen_cfg"), &zero, &c, 0))
		throw Error("cannot write the generator's configuration: " +
			    std::string(std::strerror(errno)));
	if (c.zipf) {
		std::vector<AliasEntry> t = zipf_alias(cfg.key_space, cfg.zipf);
		int fd = obj_.map_fd("gen_alias");
		for (uint32_t i = 0; i < t.size(); i++)
			bpf_map_update_elem(fd, &i, &t[i], 0);
	}
	std::vector<GenState> st(static_cast<std::size_t>(loader::possible_cpus()));
	for (std::size_t i = 0; i < st.size(); i++)
		st[i] = {0, 0x9E3779B97F4A7C15ULL * (i + 1) ^ static_cast<uint64_t>(getpid()), 0};
	bpf_map_update_elem(obj_.map_fd("gen_state"), &zero, st.data(), 0);

	loader::NetnsScope in(ns_);
	ifindex_ = static_cast<int>(if_nametoindex(Testbed::kIfname));
	int err = ifindex_ > 0
			  ? bpf_xdp_attach(ifindex_, sink_prog_fd(), XDP_FLAGS_DRV_MODE, nullptr)
			  : -ENODEV;
	if (err)
		throw Error("cannot attach the answer sink (mcsink) to the client's eth0: " +
			    std::string(std::strerror(-err)));
}

LineGen::~LineGen()
{
	try {
		loader::NetnsScope in(ns_);
		bpf_xdp_detach(ifindex_, XDP_FLAGS_DRV_MODE, nullptr);
	} catch (const std::exception &) {
	}
}

int LineGen::sink_prog_fd() const
{
	return obj_.program_fd("mcsink");
}

int LineGen::drop_prog_fd() const
{
	return obj_.program_fd("mcdrop");
}

int LineGen::gen_prog_fd() const
{
	return obj_.program_fd("mcgen");
}

GenCounters LineGen::counters() const
{
	GenCounters c;
	int fd = obj_.map_fd("sink_counters");
	uint64_t *fields[] = {&c.answers, &c.values,	&c.bad_format, &c.bad_value,
			      &c.bad_id,  &c.datagrams, &c.lat_sum_ns, &c.late};
	for (uint32_t i = 0; i < CMax; i++)
		sum_percpu(fd, i, *fields[i]);
	int lfd = obj_.map_fd("sink_latency");
	c.latency_us.resize(kLatBuckets);
	for (uint32_t i = 0; i < kLatBuckets; i++)
		sum_percpu(lfd, i, c.latency_us[i]);
	std::vector<GenState> st(static_cast<std::size_t>(loader::possible_cpus()));
	uint32_t zero = 0;
	if (bpf_map_lookup_elem(obj_.map_fd("gen_state"), &zero, st.data()) == 0)
		for (const GenState &s : st)
			c.sent += s.sent;
	return c;
}

GenRun LineGen::run(double seconds, double rate)
{
	GenRun r;
	GenCounters before = counters();
	std::string error;
	std::thread t([&] {
		try {
			cpu_set_t set;
			CPU_ZERO(&set);
			CPU_SET(cfg_.cpu, &set);
			pthread_setaffinity_np(pthread_self(), sizeof set, &set);
			loader::NetnsScope in(ns_);
			xdp_md md{};
			md.data_end = static_cast<uint32_t>(frame_.size());
			md.ingress_ifindex = static_cast<uint32_t>(ifindex_);
			timespec c0{}, c1{};
			clock_gettime(CLOCK_THREAD_CPUTIME_ID, &c0);
			auto t0 = std::chrono::steady_clock::now();
			auto end = t0 + std::chrono::duration<double>(seconds);
			// Flat out: calls of ~50 ms at the VM's best rate; paced: 1 ms of frames
			// per call, then a sleep until they are due.
			uint32_t chunk = rate > 0
						 ? static_cast<uint32_t>(std::max(1.0, rate / 1000))
						 : 1u << 18;
			while (true) {
				auto now = std::chrono::steady_clock::now();
				if (now >= end)
					break;
				if (rate > 0) {
					auto due =
						t0 + std::chrono::duration<double>(
							     static_cast<double>(r.offered) / rate);
					if (due > now) {
						std::this_thread::sleep_until(std::min(due, end));
						continue;
					}
				}
				LIBBPF_OPTS(bpf_test_run_opts, opts, .data_in = frame_.data(),
					    .data_size_in = static_cast<uint32_t>(frame_.size()),
					    .ctx_in = &md, .ctx_size_in = sizeof md,
					    .repeat = static_cast<int>(chunk),
					    .flags = BPF_F_TEST_XDP_LIVE_FRAMES, .batch_size = 64);
				if (int err = bpf_prog_test_run_opts(gen_prog_fd(), &opts)) {
					error = "BPF_PROG_TEST_RUN (live frames) failed: " +
						std::string(std::strerror(-err)) +
						" (needs kernel >= 5.18)";
					break;
				}
				r.offered += chunk;
			}
			clock_gettime(CLOCK_THREAD_CPUTIME_ID, &c1);
			r.seconds =
				std::chrono::duration<double>(std::chrono::steady_clock::now() - t0)
					.count();
			r.gen_cpu_s = static_cast<double>(c1.tv_sec - c0.tv_sec) +
				      static_cast<double>(c1.tv_nsec - c0.tv_nsec) * 1e-9;
		} catch (const std::exception &e) {
			error = e.what();
		}
	});
	t.join();
	if (!error.empty())
		throw Error("load generator: " + error);
	// answers still in flight (memcached's queue) are counted for this run
	std::this_thread::sleep_for(std::chrono::milliseconds(50));
	r.delta = counters() - before;
	return r;
}

void store_keys(const Testbed &tb, uint32_t n)
{
	Testbed::Enter in(tb.client());
	McTcpClient c(Testbed::kServerIp4);
	std::string batch;
	for (uint32_t i = 0; i < n; i++) {
		batch += "set " + LineGen::key(i) + " 0 0 32 noreply\r\n" + LineGen::value(i) +
			 "\r\n";
		if (batch.size() > 16000 || i + 1 == n) {
			c.send_segment(batch);
			batch.clear();
		}
	}
	std::string got = c.call("get " + LineGen::key(n - 1) + "\r\n");
	std::string want = "VALUE " + LineGen::key(n - 1) + " 0 32\r\n" + LineGen::value(n - 1) +
			   "\r\nEND\r\n";
	if (got != want)
		throw Error("memcached did not store the keys (got '" + got + "')");
}

} // namespace netext::bench
