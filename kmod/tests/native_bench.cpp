// netext-native-bench CALLS NETEXT_KO STUB_OBJ FAULTS_KO APP... (in the qemu guest; run by
// bench/native_cost.sh, and with few calls by the ctest bench.native_cost_smoke)
//
// The native backend's per-packet cost next to eBPF's, through BPF_PROG_TEST_RUN in the
// guest: an empty eBPF XDP program; the stub calling an empty native program (the
// dispatcher); the watchdog's share; and the apps on both backends, each APP given as
// NAME=MODULE.ko:OBJECT.bpf.o (counter, bmc, lb when built natively). Every figure is the
// median of CALLS single runs (repeat=1) on a fresh copy of the packet, so programs that
// rewrite it (BMC hits, LB) are measured like the others. bench/native_cost.sh boots the
// guest under qemu's -icount shift=0: the guest clock then advances 1 ns per executed
// instruction, so each "ns" figure here is the exact number of instructions one run
// executes. Prints a table and "csv," lines.
#include "guest_bpf.hpp"
#include "modules.h"

#include <functional>
#include <map>
#include <string>

using namespace netext::guest;
using netext::testing::build;
using netext::testing::PacketSpec;

namespace {

struct Row {
	std::string name;
	uint32_t ebpf = 0, native = 0; // ns per packet
};

std::vector<Row> rows;
int calls = 2000;

void row(const std::string &name, uint32_t ebpf, uint32_t native)
{
	rows.push_back({name, ebpf, native});
}

// A runtime guard's share: the same run with it and without (or against eBPF's empty
// program for the dispatcher). In the CSV as case "guard: ...", with | without.
struct Guard {
	std::string name;
	uint32_t with = 0, without = 0;
};
std::vector<Guard> guards;

void guard(const std::string &name, uint32_t with, uint32_t without)
{
	guards.push_back({name, with, without});
}

// ---- memcached UDP (BMC) ------------------------------------------------------------------

constexpr uint16_t kMemcachedPort = 11211;

Bytes memcached(const std::string &text, uint16_t id, bool answer)
{
	PacketSpec s;
	s.proto = 17;
	s.sport = answer ? kMemcachedPort : 40000;
	s.dport = answer ? 40000 : kMemcachedPort;
	if (answer)
		std::swap(s.src4, s.dst4);
	// the frame header: request id, sequence 0, 1 datagram, reserved
	s.payload.assign(8 + text.size(), 0);
	s.payload[0] = static_cast<uint8_t>(id >> 8);
	s.payload[1] = static_cast<uint8_t>(id);
	s.payload[5] = 1;
	std::copy(text.begin(), text.end(), s.payload.begin() + 8);
	return build(s);
}

std::string key(int i)
{
	return "bench:key:" + std::to_string(i);
}

// A miss leases the key for that request; memcached's answer to it fills the entry.
void fill(int rx, int tx, int keys)
{
	for (int i = 0; i < keys; i++) {
		uint16_t id = static_cast<uint16_t>(100 + i);
		std::string data(100, static_cast<char>('a' + i % 26));
		Run m = test_run(rx, memcached("get " + key(i) + "\r\n", id, false));
		Run f = test_run(tx,
				 memcached("VALUE " + key(i) + " 0 100\r\n" + data + "\r\nEND\r\n",
					   id, true));
		if (m.err || f.err || m.retval != XDP_PASS)
			die("filling BMC's cache (key %d)", i);
	}
}

std::string get_line(int keys)
{
	std::string line = "get";
	for (int i = 0; i < keys; i++)
		line += " " + key(i);
	return line + "\r\n";
}

// ---- apps ------------------------------------------------------------------------------------

struct App {
	std::string name, ko, obj;
};

struct Loaded {
	Object ebpf, native; // the native copy only provides the maps bound to the module
	std::vector<Object> stubs;
	int stub(const std::string &app, const char *prog, const char *kind)
	{
		return load_stub(find_slot(app.c_str(), prog), kind, stubs);
	}
};

} // namespace

int main(int argc, char **argv)
{
	if (argc < 5) {
		std::fprintf(stderr,
			     "usage: %s CALLS NETEXT_KO STUB_OBJ FAULTS_KO [NAME=KO:OBJ]...\n",
			     argv[0]);
		return 2;
	}
	calls = std::atoi(argv[1]);
	stub_path = argv[3];
	libbpf_set_print(nullptr);
	for (const char *ko : {argv[2], argv[4]})
		if (int rc = load_module(ko))
			errno = -rc, die("finit_module %s", ko);
	std::map<std::string, App> apps;
	for (int i = 5; i < argc; i++) {
		std::string a = argv[i];
		size_t eq = a.find('='), colon = a.find(':');
		if (eq == std::string::npos || colon == std::string::npos)
			die("bad app argument %s", argv[i]);
		App app{a.substr(0, eq), a.substr(eq + 1, colon - eq - 1), a.substr(colon + 1)};
		if (int rc = load_module(app.ko.c_str()))
			errno = -rc, die("finit_module %s", app.ko.c_str());
		apps[app.name] = app;
	}
	open_device();
	// A budget a busy host cannot hit (qemu's clock runs while the host is busy elsewhere).
	set_watchdog_us(200000);

	Bytes udp = build(PacketSpec{});
	std::vector<Object> keep;
	Object empty = load_object(stub_path, "netext_empty");
	int pass_fd = load_stub(find_slot("faults", "pass"), "netext_xdp", keep);
	uint32_t empty_ns = median_duration(empty.prog("netext_empty"), udp, calls);
	uint32_t pass_ns = median_duration(pass_fd, udp, calls);
	row("empty program (native: stub -> netext.ko -> empty program)", empty_ns, pass_ns);
	guard("dispatcher: kfunc, slot, extension stack, landing-pad setup, counters "
	      "(empty native vs empty eBPF)",
	      pass_ns, empty_ns);

	std::map<std::string, Loaded> loaded;
	for (auto &[name, app] : apps) {
		Loaded &l = loaded[name];
		l.ebpf = load_object(app.obj.c_str());
		l.native = load_object(app.obj.c_str());
		bind_all(name.c_str(), l.native);
	}

	if (loaded.contains("counter")) {
		Loaded &l = loaded["counter"];
		int e = l.ebpf.prog("count_xdp"), n = l.stub("counter", "count_xdp", "netext_xdp");
		row("counter count_xdp (UDP packet)", median_duration(e, udp, calls),
		    median_duration(n, udp, calls));
		// The watchdog's share: the same native program with it off.
		set_watchdog_us(500);
		uint32_t on = median_duration(n, udp, calls);
		set_watchdog_us(0);
		uint32_t off = median_duration(n, udp, calls);
		set_watchdog_us(200000);
		guard("watchdog at 500 us (counter native, on vs off)", on, off);
	}
	if (loaded.contains("bmc")) {
		Loaded &l = loaded["bmc"];
		int erx = l.ebpf.prog("bmc_rx"), etx = l.ebpf.prog("bmc_tx");
		int nrx = l.stub("bmc", "bmc_rx", "netext_xdp"),
		    ntx = l.stub("bmc", "bmc_tx", "netext_tc");
		fill(erx, etx, 10);
		fill(nrx, ntx, 10);
		Bytes hit1 = memcached(get_line(1), 7, false),
		      hit10 = memcached(get_line(10), 7, false);
		Bytes miss = memcached("get bench:absent\r\n", 7, false);
		for (int fd : {erx, nrx}) {
			Run a = test_run(fd, hit1), b = test_run(fd, hit10), c = test_run(fd, miss);
			check(a.retval == XDP_TX && b.retval == XDP_TX && c.retval == XDP_PASS,
			      "BMC (%s): 1- and 10-key GETs hit (XDP_TX), the absent key misses",
			      fd == erx ? "eBPF" : "native");
		}
		row("bmc_rx GET hit, 1 key", median_duration(erx, hit1, calls),
		    median_duration(nrx, hit1, calls));
		row("bmc_rx GET hit, 10 keys", median_duration(erx, hit10, calls),
		    median_duration(nrx, hit10, calls));
		row("bmc_rx GET miss", median_duration(erx, miss, calls),
		    median_duration(nrx, miss, calls));
	}

	std::printf("\nnative backend per-packet cost, qemu TCG guest, BPF_PROG_TEST_RUN, median "
		    "of %d single runs (guest ns: instructions under qemu -icount shift=0)\n",
		    calls);
	std::printf("%-80s %9s %9s %7s\n", "case", "eBPF", "native", "ratio");
	for (const Row &r : rows) {
		std::printf("%-80s %9u %9u %6.2fx\n", r.name.c_str(), r.ebpf, r.native,
			    r.ebpf ? static_cast<double>(r.native) / r.ebpf : 0.0);
	}
	std::printf("\nruntime guards, per packet\n%-80s %9s %9s %7s\n", "guard", "with", "without",
		    "cost");
	for (const Guard &g : guards)
		std::printf("%-80s %9u %9u %+7d\n", g.name.c_str(), g.with, g.without,
			    static_cast<int>(g.with) - static_cast<int>(g.without));
	std::printf("\ncsv,case,ebpf_ns,native_ns,ratio,calls\n");
	for (const Row &r : rows)
		std::printf("csv,\"%s\",%u,%u,%.3f,%d\n", r.name.c_str(), r.ebpf, r.native,
			    r.ebpf ? static_cast<double>(r.native) / r.ebpf : 0.0, calls);
	for (const Guard &g : guards) // with | without in the two columns
		std::printf("csv,\"guard: %s\",%u,%u,%.3f,%d\n", g.name.c_str(), g.without, g.with,
			    g.without ? static_cast<double>(g.with) / g.without : 0.0, calls);

	for (Object &o : keep)
		bpf_object__close(o.obj);
	bpf_object__close(empty.obj);
	for (auto &[name, l] : loaded) {
		for (Object &o : l.stubs)
			bpf_object__close(o.obj);
		bpf_object__close(l.ebpf.obj);
		bpf_object__close(l.native.obj);
	}
	close(dev);
	for (auto &[name, app] : apps)
		unload_module(("netext_app_" + name).c_str());
	unload_module("netext_app_faults");
	unload_module("netext");
	std::printf("%s\n", failures ? "FAILED" : "done");
	return failures ? 1 : 0;
}
