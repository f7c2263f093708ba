// The host backend: a registry of the programs and maps of every app linked into the
// process, and a runner that executes a program on a byte buffer the way
// BPF_PROG_TEST_RUN does (same headroom and tailroom), returning verdict and bytes.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include <netext/context.hpp>
#include <netext/verdict.hpp>

namespace netext::host {

using XdpFn = XdpAction (*)(XdpContext &);
using TcFn = TcAction (*)(TcContext &);

struct Program {
	const char *app;
	const char *name;
	Hook hook;
	XdpFn xdp;
	TcFn tc;
};

// Made by NETEXT_XDP / NETEXT_TC at static-initialisation time.
struct ProgramRegistration {
	ProgramRegistration(const char *app, const char *name, XdpFn fn);
	ProgramRegistration(const char *app, const char *name, TcFn fn);
};

const std::vector<Program> &programs();
// nullptr if the app or program is not linked in.
const Program *find_program(std::string_view app, std::string_view name);

struct RunOptions {
	uint32_t ingress_ifindex = 1;
	uint32_t rx_queue_index = 0;
	unsigned cpu = 0; // the current CPU seen by per-CPU maps
};

struct RunResult {
	int32_t verdict = 0;	   // XdpAction or TcAction as an integer
	std::vector<uint8_t> data; // the packet after the program
	uint32_t redirect_ifindex = 0;
};

// Runs prog once on a copy of packet. Packets longer than the frame allows are refused
// (returns false), as the kernel's test run refuses them.
bool run(const Program &prog, std::span<const uint8_t> packet, RunResult &out,
	 const RunOptions &opts = {});

} // namespace netext::host
