// netext-mcload: a memcached load generator for the BMC benchmarks.
//
// GETs over UDP (memcached's 8-byte frame header, request ids per socket; an answer is
// complete at its END line, since memcached 1.6 sends one datagram per key) with
// sendmmsg/recvmmsg and a window of outstanding requests per thread; keys drawn from a
// Zipf distribution over a fixed key space; an optional warm-up that SETs every key over
// TCP first. Bounded by --duration (at most 600 s) and --max-requests; stops by itself.
// Prints requests/s, hit ratio, p50/p99 latency, and appends a CSV row with --csv.
#include <algorithm>
#include <arpa/inet.h>
#include <atomic>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <netinet/in.h>
#include <poll.h>
#include <random>
#include <string>
#include <sys/socket.h>
#include <thread>
#include <unistd.h>
#include <vector>

#include "../args.hpp"

namespace {

using Clock = std::chrono::steady_clock;

struct Options {
	std::string server = "198.18.0.2";
	uint16_t port = 11211;
	uint32_t keys = 10000;
	uint32_t value_size = 32;
	double zipf = 0.99;
	double duration = 5;
	uint64_t max_requests = 10'000'000;
	unsigned threads = 1;
	unsigned window = 32;
	unsigned keys_per_get = 1;
	bool warmup = false;
	unsigned timeout_ms = 200;
	std::string csv;
	std::string label = "run";
};

[[noreturn]] void usage(const char *why)
{
	std::fprintf(stderr,
		     "netext-mcload: %s\n"
		     "usage: netext-mcload [--server IP] [--port N] [--keys N] [--value-size N]\n"
		     "         [--zipf S] [--duration SECONDS] [--max-requests N] [--threads N]\n"
		     "         [--window N] [--keys-per-get N] [--warmup] [--timeout-ms N]\n"
		     "         [--csv FILE] [--label NAME]\n",
		     why);
	std::exit(2);
}

Options parse(int argc, char **argv)
{
	Options o;
	netext::bench::parse_args(argc, argv, usage, [&](const std::string &a, auto next) {
		if (a == "--server")
			o.server = next();
		else if (a == "--port")
			o.port = static_cast<uint16_t>(std::stoul(next()));
		else if (a == "--keys")
			o.keys = static_cast<uint32_t>(std::stoul(next()));
		else if (a == "--value-size")
			o.value_size = static_cast<uint32_t>(std::stoul(next()));
		else if (a == "--zipf")
			o.zipf = std::stod(next());
		else if (a == "--duration")
			o.duration = std::stod(next());
		else if (a == "--max-requests")
			o.max_requests = std::stoull(next());
		else if (a == "--threads")
			o.threads = static_cast<unsigned>(std::stoul(next()));
		else if (a == "--window")
			o.window = static_cast<unsigned>(std::stoul(next()));
		else if (a == "--keys-per-get")
			o.keys_per_get = static_cast<unsigned>(std::stoul(next()));
		else if (a == "--warmup")
			o.warmup = true;
		else if (a == "--timeout-ms")
			o.timeout_ms = static_cast<unsigned>(std::stoul(next()));
		else if (a == "--csv")
			o.csv = next();
		else if (a == "--label")
			o.label = next();
		else
			return false;
		return true;
	});
	if (o.keys == 0 || o.threads == 0 || o.threads > 64 || o.window == 0 || o.window > 1024 ||
	    o.keys_per_get == 0 || o.keys_per_get > 32 || o.duration <= 0 || o.duration > 600 ||
	    o.value_size > 1 << 20)
		usage("an option is out of range (duration <= 600 s, threads <= 64, window <= "
		      "1024, "
		      "keys-per-get <= 32)");
	return o;
}

std::string key_name(uint32_t k)
{
	char buf[32];
	std::snprintf(buf, sizeof(buf), "key:%08u", k);
	return buf;
}

// Samples key ranks 0..n-1 with P(k) proportional to 1 / (k+1)^s.
class Zipf {
public:
	Zipf(uint32_t n, double s) : cdf_(n)
	{
		double sum = 0;
		for (uint32_t k = 0; k < n; k++)
			cdf_[k] = sum += 1.0 / std::pow(k + 1.0, s);
		for (double &c : cdf_)
			c /= sum;
	}
	uint32_t operator()(std::mt19937_64 &rng) const
	{
		double u = std::uniform_real_distribution<double>(0, 1)(rng);
		return static_cast<uint32_t>(std::lower_bound(cdf_.begin(), cdf_.end(), u) -
					     cdf_.begin());
	}

private:
	std::vector<double> cdf_;
};

sockaddr_storage address(const Options &o, socklen_t &len)
{
	sockaddr_storage ss{};
	if (o.server.find(':') != std::string::npos) {
		auto *a = reinterpret_cast<sockaddr_in6 *>(&ss);
		a->sin6_family = AF_INET6;
		a->sin6_port = htons(o.port);
		if (inet_pton(AF_INET6, o.server.c_str(), &a->sin6_addr) != 1)
			usage("bad --server address");
		len = sizeof(*a);
	} else {
		auto *a = reinterpret_cast<sockaddr_in *>(&ss);
		a->sin_family = AF_INET;
		a->sin_port = htons(o.port);
		if (inet_pton(AF_INET, o.server.c_str(), &a->sin_addr) != 1)
			usage("bad --server address");
		len = sizeof(*a);
	}
	return ss;
}

int connected_socket(const Options &o, int type)
{
	socklen_t len;
	sockaddr_storage ss = address(o, len);
	int fd = socket(ss.ss_family, type, 0);
	if (fd < 0 || connect(fd, reinterpret_cast<sockaddr *>(&ss), len) != 0) {
		std::perror("netext-mcload: connect");
		std::exit(1);
	}
	return fd;
}

// SETs every key over TCP (pipelined in batches), checking each STORED.
void warm_up(const Options &o)
{
	int fd = connected_socket(o, SOCK_STREAM);
	std::string value(o.value_size, 'v');
	const uint32_t batch = 256;
	for (uint32_t first = 0; first < o.keys; first += batch) {
		std::string req;
		uint32_t n = std::min(batch, o.keys - first);
		for (uint32_t k = first; k < first + n; k++)
			req += "set " + key_name(k) + " 0 0 " + std::to_string(o.value_size) +
			       "\r\n" + value + "\r\n";
		if (send(fd, req.data(), req.size(), MSG_NOSIGNAL) !=
		    static_cast<ssize_t>(req.size())) {
			std::perror("netext-mcload: warm-up send");
			std::exit(1);
		}
		std::string reply;
		char buf[65536];
		while (static_cast<uint32_t>(std::count(reply.begin(), reply.end(), '\n')) < n) {
			ssize_t r = recv(fd, buf, sizeof(buf), 0);
			if (r <= 0) {
				std::fprintf(stderr, "netext-mcload: warm-up: connection closed\n");
				std::exit(1);
			}
			reply.append(buf, static_cast<std::size_t>(r));
		}
		if (reply.find("STORED") == std::string::npos ||
		    reply.find("ERROR") != std::string::npos) {
			std::fprintf(stderr, "netext-mcload: warm-up: memcached answered: %.80s\n",
				     reply.c_str());
			std::exit(1);
		}
	}
	close(fd);
}

struct Result {
	uint64_t sent = 0, answered = 0, lost = 0, keys_asked = 0, keys_hit = 0;
	std::vector<uint32_t> latency_us;
};

// One socket, a window of outstanding GETs, request ids as slots.
void worker(const Options &o, const Zipf &zipf, unsigned id, Clock::time_point end,
	    std::atomic<uint64_t> &budget, Result &res)
{
	int fd = connected_socket(o, SOCK_DGRAM);
	std::mt19937_64 rng(0x6e6574657874ull + id);
	struct Slot {
		bool busy = false;
		Clock::time_point sent;
		unsigned keys = 0;
		unsigned hits = 0;
	};
	std::vector<Slot> slots(o.window);
	std::vector<std::string> payloads(o.window);
	std::vector<iovec> iov(o.window);
	std::vector<mmsghdr> msgs(o.window);
	unsigned busy = 0;
	auto fill = [&](unsigned i) {
		std::string &p = payloads[i];
		p.assign(8, '\0');
		p[0] = static_cast<char>(i >> 8);
		p[1] = static_cast<char>(i);
		p[5] = 1; // seq 0 of 1 datagram
		p += "get";
		for (unsigned k = 0; k < o.keys_per_get; k++) {
			p += ' '; // (not " " + name: GCC 12 -O3 warns -Wrestrict on that)
			p += key_name(zipf(rng));
		}
		p += "\r\n";
		slots[i] = {true, Clock::now(), o.keys_per_get, 0};
	};
	char rbuf[64][1500];
	iovec riov[64];
	mmsghdr rmsgs[64];
	while (true) {
		Clock::time_point now = Clock::now();
		bool running = now < end;
		// Send into every free slot while time and budget last.
		unsigned n = 0;
		for (unsigned i = 0; running && i < o.window; i++) {
			if (slots[i].busy)
				continue;
			if (budget.fetch_sub(1) == 0) {
				budget = 0;
				running = false;
				break;
			}
			fill(i);
			iov[n] = {payloads[i].data(), payloads[i].size()};
			msgs[n] = {};
			msgs[n].msg_hdr.msg_iov = &iov[n];
			msgs[n].msg_hdr.msg_iovlen = 1;
			n++;
			busy++;
		}
		for (unsigned done = 0; done < n;) {
			int r = sendmmsg(fd, msgs.data() + done, n - done, 0);
			if (r <= 0)
				break;
			done += static_cast<unsigned>(r);
		}
		res.sent += n;
		if (busy == 0 && !running)
			break;
		pollfd pfd{fd, POLLIN, 0};
		if (poll(&pfd, 1, 10) > 0) {
			for (unsigned i = 0; i < 64; i++) {
				riov[i] = {rbuf[i], sizeof(rbuf[i])};
				rmsgs[i] = {};
				rmsgs[i].msg_hdr.msg_iov = &riov[i];
				rmsgs[i].msg_hdr.msg_iovlen = 1;
			}
			int got = recvmmsg(fd, rmsgs, 64, MSG_DONTWAIT, nullptr);
			Clock::time_point at = Clock::now();
			for (int m = 0; m < got; m++) {
				if (rmsgs[m].msg_len < 8)
					continue;
				const auto *b = reinterpret_cast<const uint8_t *>(rbuf[m]);
				unsigned slot = static_cast<unsigned>(b[0] << 8 | b[1]);
				if (slot >= o.window || !slots[slot].busy)
					continue; // late answer to a request already counted lost
				Slot &s = slots[slot];
				std::string_view text(rbuf[m] + 8, rmsgs[m].msg_len - 8);
				for (std::size_t p = text.find("VALUE ");
				     p != std::string_view::npos; p = text.find("VALUE ", p + 6))
					s.hits++;
				// memcached 1.6 answers a multi-key GET with one datagram per key,
				// each framed "0 of 1", and END after the last: the answer is
				// complete at END.
				if (text.ends_with("END\r\n")) {
					res.answered++;
					res.keys_asked += s.keys;
					res.keys_hit += s.hits;
					res.latency_us.push_back(static_cast<uint32_t>(
						std::chrono::duration_cast<
							std::chrono::microseconds>(at - s.sent)
							.count()));
					s.busy = false;
					busy--;
				}
			}
		}
		// Requests unanswered for too long are lost (UDP); their slots are reused.
		Clock::time_point limit = Clock::now() - std::chrono::milliseconds(o.timeout_ms);
		for (Slot &s : slots)
			if (s.busy && s.sent < limit) {
				s.busy = false;
				busy--;
				res.lost++;
			}
	}
	close(fd);
}

} // namespace

int main(int argc, char **argv)
{
	Options o = parse(argc, argv);
	if (o.warmup)
		warm_up(o);
	Zipf zipf(o.keys, o.zipf);
	std::atomic<uint64_t> budget{o.max_requests};
	std::vector<Result> results(o.threads);
	std::vector<std::thread> threads;
	Clock::time_point start = Clock::now();
	Clock::time_point end = start + std::chrono::duration_cast<Clock::duration>(
						std::chrono::duration<double>(o.duration));
	for (unsigned t = 0; t < o.threads; t++)
		threads.emplace_back(worker, std::cref(o), std::cref(zipf), t, end,
				     std::ref(budget), std::ref(results[t]));
	for (std::thread &t : threads)
		t.join();
	double secs = std::chrono::duration<double>(Clock::now() - start).count();
	Result all;
	for (Result &r : results) {
		all.sent += r.sent;
		all.answered += r.answered;
		all.lost += r.lost;
		all.keys_asked += r.keys_asked;
		all.keys_hit += r.keys_hit;
		all.latency_us.insert(all.latency_us.end(), r.latency_us.begin(),
				      r.latency_us.end());
	}
	std::sort(all.latency_us.begin(), all.latency_us.end());
	auto pct = [&](double q) {
		return all.latency_us.empty()
			       ? 0u
			       : all.latency_us[std::min(
					 all.latency_us.size() - 1,
					 static_cast<std::size_t>(q * all.latency_us.size()))];
	};
	double rps = all.answered / secs;
	double hit = all.keys_asked ? static_cast<double>(all.keys_hit) / all.keys_asked : 0;
	std::printf("%-12s %10s %10s %8s %10s %8s %8s %8s\n", "label", "sent", "answered", "lost",
		    "req/s", "hit", "p50_us", "p99_us");
	std::printf("%-12s %10lu %10lu %8lu %10.0f %8.4f %8u %8u\n", o.label.c_str(), all.sent,
		    all.answered, all.lost, rps, hit, pct(0.5), pct(0.99));
	if (!o.csv.empty()) {
		bool fresh = !std::ifstream(o.csv).good();
		std::ofstream csv(o.csv, std::ios::app);
		if (fresh)
			csv << "label,sent,answered,lost,req_per_s,hit_ratio,p50_us,p99_us,threads,"
			       "window,"
			       "keys,keys_per_get,zipf\n";
		csv << o.label << "," << all.sent << "," << all.answered << "," << all.lost << ","
		    << rps << "," << hit << "," << pct(0.5) << "," << pct(0.99) << "," << o.threads
		    << "," << o.window << "," << o.keys << "," << o.keys_per_get << "," << o.zipf
		    << "\n";
	}
	return all.answered > 0 ? 0 : 1;
}
