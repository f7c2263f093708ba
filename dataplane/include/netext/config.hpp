// Configuration knobs: read-only globals the loader sets before the program is loaded.
//
//   NETEXT_CONFIG(uint16_t, port, 7);   ...   if (udp.dest == hton16(port)) ...
//
// On eBPF the knob is a `const volatile` variable in .rodata: libbpf writes the value the
// user chose (`netext attach ... --set port=9`) into the map before load, the map is then
// frozen, and the verifier treats the value as a constant. On the host it is a variable
// the runner can set (host::set_config).
#pragma once

#include <netext/backend.hpp>

#if NETEXT_BACKEND_EBPF

#define NETEXT_CONFIG(type, name, value)                                                           \
	extern "C" __attribute__((section(".rodata"), used)) const volatile type name = value

#elif NETEXT_BACKEND_NATIVE

// Native: the value lives in the app module under the symbol netext_knob_<name>, which the
// module glue makes a parameter (/sys/module/netext_app_<app>/parameters/<name>); the
// loader writes it (`netext attach ... --backend native --set name=value`) before the app
// runs. The app reads it through a const reference, so it cannot write it and the
// compiler cannot fold it.
#define NETEXT_CONFIG(type, name, value)                                                           \
	[[gnu::used]] type netext_knob_storage_##name asm("netext_knob_" #name) = value;           \
	[[maybe_unused]] static const type &name = netext_knob_storage_##name

#else

#include <cstddef>
#include <cstdint>
#include <string_view>

namespace netext::host {

struct ConfigRegistration {
	ConfigRegistration(const char *app, const char *name, volatile void *var, std::size_t size);
};

// Sets a knob of a linked-in app (integer knobs of 1, 2, 4 or 8 bytes); false if unknown.
bool set_config(std::string_view app, std::string_view name, uint64_t value);

} // namespace netext::host

#define NETEXT_CONFIG(type, name, value)                                                           \
	static volatile type name = value;                                                         \
	static const ::netext::host::ConfigRegistration name##_config_registration                 \
	{                                                                                          \
		NETEXT_APP_NAME_STR, #name, &name, sizeof(type)                                    \
	}

#endif
