// `netext lb IFACE vip|backend OP ...`: the LB control plane (balancer.hpp) from the CLI.
#include "lb_command.hpp"

#include <netext/lb/balancer.hpp>
#include <netext/lb/config.hpp>
#include <netext/loader/error.hpp>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <iostream>
#include <iterator>
#include <net/if.h>
#include <nlohmann/json.hpp>
#include <optional>

namespace netext::lb {

namespace {

using json = nlohmann::json;
using loader::CommandLine;
using loader::Option;

[[noreturn]] void usage_error(const std::string &msg)
{
	throw Error(msg, ExitCode::Usage);
}

void print_vips(Balancer &lb, const std::string &ifname, bool as_json)
{
	std::vector<VipStatus> vs = lb.vips();
	if (as_json) {
		json out = json::array();
		for (const VipStatus &v : vs)
			out.push_back({{"vip", v.service.str()},
				       {"index", v.index},
				       {"backends", v.backends},
				       {"packets", v.packets},
				       {"bytes", v.bytes}});
		std::printf("%s\n", out.dump(2).c_str());
		return;
	}
	std::printf("%-48s %8s %14s %14s\n", "VIP", "backends", "packets", "bytes");
	for (const VipStatus &v : vs)
		std::printf("%-48s %8u %14lu %14lu\n", v.service.str().c_str(), v.backends,
			    v.packets, v.bytes);
	if (vs.empty())
		std::printf("(no VIPs; add one with 'netext lb %s vip add ADDR:PORT/PROTO')\n",
			    ifname.c_str());
}

void print_backends(Balancer &lb, const std::string &ifname, const Service &svc, bool as_json)
{
	std::vector<BackendStatus> bs = lb.backends(svc);
	if (as_json) {
		json out = json::array();
		for (const BackendStatus &b : bs)
			out.push_back({{"backend", b.addr.str()},
				       {"id", b.id},
				       {"state", b.state},
				       {"weight", b.weight},
				       {"entries", b.entries},
				       {"share", static_cast<double>(b.entries) / lb.ring_size()},
				       {"packets", b.packets},
				       {"bytes", b.bytes}});
		std::printf("%s\n", out.dump(2).c_str());
		return;
	}
	std::printf("%-40s %5s %-9s %6s %8s %7s %14s %14s\n", "backend", "id", "state", "weight",
		    "entries", "share", "packets", "bytes");
	for (const BackendStatus &b : bs)
		std::printf("%-40s %5u %-9s %6u %8u %6.2f%% %14lu %14lu\n", b.addr.str().c_str(),
			    b.id, b.state.c_str(), b.weight, b.entries,
			    100.0 * b.entries / lb.ring_size(), b.packets, b.bytes);
	if (bs.empty())
		std::printf("(no backends; add one with 'netext lb %s backend add %s ADDR')\n",
			    ifname.c_str(), svc.str().c_str());
}

void check_interface(const std::string &ifname)
{
	if (if_nametoindex(ifname.c_str()) == 0)
		throw Error("interface '" + ifname + "' does not exist (see 'ip link')",
			    ExitCode::NotFound);
}

// A configuration file's text; "-" is standard input.
std::string read_text(const std::string &path)
{
	if (path == "-")
		return {std::istreambuf_iterator<char>(std::cin), std::istreambuf_iterator<char>()};
	std::ifstream in(path, std::ios::binary);
	if (!in)
		throw Error("cannot read " + path + ": " + std::strerror(errno) +
				    " (give the configuration file, or - for standard input)",
			    ExitCode::NotFound);
	return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

// `lb IFACE apply FILE [--dry-run]` and `lb IFACE export`: the whole configuration (config.hpp).
int run_config(const CommandLine &cl)
{
	const std::vector<std::string> &p = cl.args;
	const std::string &ifname = p[0], &verb = p[1];
	if (verb == "export" && p.size() != 2)
		usage_error("'lb IFACE export' takes no more arguments (it writes the "
			    "configuration to standard output)");
	if (verb == "apply" && p.size() != 3)
		usage_error("'lb IFACE apply' takes one file (or - for standard input)");
	if (cl.options.has("weight"))
		usage_error("--weight goes with 'backend add'");
	const bool dry_run = cl.options.flag("dry-run");
	if (dry_run && verb != "apply")
		usage_error("--dry-run goes with 'apply'");
	// The whole file is checked before the attachment is touched.
	LbConfig want;
	if (verb == "apply") {
		try {
			want = parse_config(read_text(p[2]), p[2] == "-" ? "(stdin)" : p[2]);
		} catch (const Error &e) {
			throw Error(std::string(e.what()) + " (nothing was changed)", e.code());
		}
	}
	check_interface(ifname);
	Balancer lb = Balancer::open(ifname);
	if (verb == "export") {
		std::fputs(format_config(current_config(lb)).c_str(), stdout);
		return 0;
	}
	ConfigPlan plan = dry_run ? plan_config(current_config(lb), want) : apply_config(lb, want);
	if (cl.options.flag("json")) {
		json changes = json::array();
		for (const ConfigStep &s : plan.steps)
			for (const std::string &c : s.changes)
				changes.push_back({{"vip", s.want.service.str()}, {"change", c}});
		json out = {{"changed", !plan.empty() && !dry_run},
			    {"dry_run", dry_run},
			    {"changes", changes},
			    {"entries_written", plan.entries_written}};
		std::printf("%s\n", out.dump(2).c_str());
		return 0;
	}
	if (plan.empty()) {
		std::size_t backends = 0;
		for (const VipConfig &v : want.vips)
			backends += v.backends.size();
		std::printf(
			"no changes: the lb on %s has this configuration already (%zu VIPs, %zu "
			"backends)\n",
			ifname.c_str(), want.vips.size(), backends);
		return 0;
	}
	std::size_t n = 0;
	for (const ConfigStep &s : plan.steps)
		for (const std::string &c : s.changes) {
			std::printf("%s: %s%s\n", s.want.service.str().c_str(),
				    dry_run ? "would " : "", c.c_str());
			n++;
		}
	auto plural = [](std::size_t k) { return k == 1 ? "" : "s"; };
	if (dry_run)
		std::printf("dry run: %zu change%s to %zu VIP%s, nothing changed\n", n, plural(n),
			    plan.steps.size(), plural(plan.steps.size()));
	else
		std::printf("applied %zu change%s to %zu VIP%s (%u table entries written)\n", n,
			    plural(n), plan.steps.size(), plural(plan.steps.size()),
			    plan.entries_written);
	return 0;
}

int run(const CommandLine &cl)
{
	const std::vector<std::string> &p = cl.args;
	if (p[1] == "apply" || p[1] == "export")
		return run_config(cl);
	if (p.size() < 3)
		usage_error("'lb IFACE " + p[1] + "' needs an operation (see 'netext lb --help')");
	const std::string &ifname = p[0], &what = p[1], &op = p[2];
	auto need = [&](std::size_t n, const char *shape) {
		if (p.size() != n)
			usage_error("'lb " + what + " " + op + "' takes " + shape +
				    " (see 'netext lb --help')");
	};
	if (what != "vip" && what != "backend")
		usage_error("unknown lb object '" + what + "' (vip, backend, apply or export)");
	if (cl.options.flag("dry-run"))
		usage_error("--dry-run goes with 'apply'");
	if (what == "vip" && op != "add" && op != "del" && op != "list")
		usage_error("unknown vip operation '" + op + "' (add, del, list)");
	if (what == "backend" && op != "add" && op != "del" && op != "drain" && op != "list")
		usage_error("unknown backend operation '" + op + "' (add, del, drain, list)");
	uint16_t weight = 1;
	if (std::optional<uint64_t> w = cl.options.count("weight")) {
		weight = static_cast<uint16_t>(*w);
		if (what != "backend" || op != "add")
			usage_error("--weight goes with 'backend add'");
	}
	// Parse everything before touching the attachment.
	if (what == "vip")
		need(op == "list" ? 3 : 4, op == "list" ? "no more arguments" : "one VIP");
	else
		need(op == "list" ? 4 : 5, op == "list" ? "a VIP" : "a VIP and a backend address");
	std::optional<Service> svc;
	if (p.size() >= 4)
		svc = Service::parse(p[3]);
	std::optional<IpAddress> addr;
	if (p.size() >= 5)
		addr = IpAddress::parse(p[4]);
	check_interface(ifname);
	Balancer lb = Balancer::open(ifname);
	const bool as_json = cl.options.flag("json");
	if (what == "vip" && op == "add") {
		lb.add_vip(*svc);
		std::printf("added VIP %s\n", svc->str().c_str());
	} else if (what == "vip" && op == "del") {
		lb.del_vip(*svc);
		std::printf("deleted VIP %s\n", svc->str().c_str());
	} else if (what == "vip") {
		print_vips(lb, ifname, as_json);
	} else if (op == "add") {
		lb.add_backend(*svc, *addr, weight);
		std::printf("backend %s of %s: active, weight %u\n", addr->str().c_str(),
			    svc->str().c_str(), weight);
	} else if (op == "del") {
		lb.del_backend(*svc, *addr);
		std::printf("deleted backend %s of %s\n", addr->str().c_str(), svc->str().c_str());
	} else if (op == "drain") {
		lb.drain_backend(*svc, *addr);
		std::printf("backend %s of %s: draining (no new flows)\n", addr->str().c_str(),
			    svc->str().c_str());
	} else {
		print_backends(lb, ifname, *svc, as_json);
	}
	return 0;
}

} // namespace

loader::Command lb_command()
{
	return {
		.name = "lb",
		.synopsis =
			"IFACE vip add|del VIP | vip list | backend add VIP ADDR [--weight N] | "
			"backend del|drain VIP ADDR | backend list VIP | apply FILE [--dry-run] | "
			"export",
		.summary = "configure the load balancer (app 'lb') attached to an interface",
		.details =
			"VIP is ADDR:PORT/PROTO, e.g. 198.18.1.10:80/tcp or "
			"[2001:db8::10]:443/udp.\n"
			"Backends of an IPv4 VIP are IPv4 (IP-in-IP), of an IPv6 VIP IPv6 "
			"(IPv6-in-IPv6).\n"
			"Changes apply to the live attachment: a VIP's Maglev table is rewritten "
			"only where\n"
			"it changes. 'drain' stops new flows to a backend and keeps its flows; "
			"'del' "
			"moves\n"
			"its flows to the others. 'backend add' of an existing backend sets its "
			"weight\n"
			"and ends a drain.\n"
			"'apply FILE' (- for standard input) makes the whole configuration in "
			"FILE (JSON,\n"
			"as 'export' writes it) the lb's: it changes only what differs, one "
			"table rebuild\n"
			"per VIP, and applying the same file again changes nothing. A bad file "
			"changes\n"
			"nothing and is reported with its line, column and field.",
		.options = {loader::json_option(),
			    {.name = "weight",
			     .short_name = 'w',
			     .arg = "N",
			     .type = Option::Type::Count,
			     .help = "backend weight, 1..65535 (default 1)",
			     .min = 1,
			     .max = 65535},
			    {.name = "dry-run",
			     .short_name = 0,
			     .arg = nullptr,
			     .type = Option::Type::Flag,
			     .help = "apply: print what would change, change nothing"}},
		.min_args = 2,
		.max_args = 5,
		.run = run,
	};
}

} // namespace netext::lb
