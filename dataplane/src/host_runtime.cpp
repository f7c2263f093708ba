// The host runner: executes a registered program on a copy of a packet laid out in a
// frame like the kernel's test-run frame.
#include <netext/config.hpp>
#include <netext/host/runtime.hpp>
#include <netext/maps.hpp>

#include <algorithm>
#include <array>
#include <cstring>

namespace netext::host {

namespace {

std::vector<Program> &registry()
{
	static std::vector<Program> progs;
	return progs;
}

} // namespace

ProgramRegistration::ProgramRegistration(const char *app, const char *name, XdpFn fn)
{
	registry().push_back({app, name, Hook::Xdp, fn, nullptr});
}

ProgramRegistration::ProgramRegistration(const char *app, const char *name, TcFn fn)
{
	registry().push_back({app, name, Hook::Tc, nullptr, fn});
}

const std::vector<Program> &programs()
{
	return registry();
}

namespace {
struct Knob {
	const char *app;
	const char *name;
	volatile void *var;
	std::size_t size;
};
std::vector<Knob> &knobs()
{
	static std::vector<Knob> k;
	return k;
}
} // namespace

ConfigRegistration::ConfigRegistration(const char *app, const char *name, volatile void *var,
				       std::size_t size)
{
	knobs().push_back({app, name, var, size});
}

bool set_config(std::string_view app, std::string_view name, uint64_t value)
{
	for (const Knob &k : knobs()) {
		if (app != k.app || name != k.name)
			continue;
		switch (k.size) {
		case 1:
			*static_cast<volatile uint8_t *>(k.var) = static_cast<uint8_t>(value);
			return true;
		case 2:
			*static_cast<volatile uint16_t *>(k.var) = static_cast<uint16_t>(value);
			return true;
		case 4:
			*static_cast<volatile uint32_t *>(k.var) = static_cast<uint32_t>(value);
			return true;
		case 8: *static_cast<volatile uint64_t *>(k.var) = value; return true;
		default: return false;
		}
	}
	return false;
}

const Program *find_program(std::string_view app, std::string_view name)
{
	for (const Program &p : registry())
		if (app == p.app && name == p.name)
			return &p;
	return nullptr;
}

bool run(const Program &prog, std::span<const uint8_t> packet, RunResult &out,
	 const RunOptions &opts)
{
	if (packet.size() < kEthHeaderLen || packet.size() > kFrameSize - kHeadroom - kTailroom)
		return false;
	// A fresh buffer per run, so nothing carries over between packets but map state.
	// The frame starts 2 bytes into an aligned buffer (NET_IP_ALIGN), so that the IP
	// header behind a 14-byte Ethernet header is 4-byte aligned, as drivers arrange it.
	constexpr std::size_t kIpAlign = 2;
	auto buf = std::make_unique<std::array<uint8_t, kFrameSize + kIpAlign>>();
	buf->fill(0);
	Frame f;
	f.hard_start = buf->data() + kIpAlign;
	f.hard_end = f.hard_start + kFrameSize - kTailroom;
	f.data = f.data_meta = f.hard_start + kHeadroom;
	f.data_end = f.data + packet.size();
	f.ingress_ifindex = opts.ingress_ifindex;
	f.rx_queue_index = opts.rx_queue_index;
	std::memcpy(&f.protocol, packet.data() + 12, sizeof(f.protocol));
	std::copy(packet.begin(), packet.end(), f.data);

	unsigned saved_cpu = current_cpu();
	set_current_cpu(opts.cpu);
	if (prog.hook == Hook::Xdp) {
		XdpContext ctx(&f);
		out.verdict = static_cast<int32_t>(prog.xdp(ctx));
	} else {
		TcContext ctx(&f);
		out.verdict = static_cast<int32_t>(prog.tc(ctx));
	}
	set_current_cpu(saved_cpu);
	out.data.assign(f.data, f.data_end);
	out.redirect_ifindex = f.redirect_ifindex;
	return true;
}

} // namespace netext::host
