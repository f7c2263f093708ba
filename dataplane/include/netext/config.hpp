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

#include <type_traits>

namespace netext {
// What a knob may be: an integer or an enumeration of 1, 2, 4 or 8 bytes, and not bool
// (the loader, a module parameter or .rodata may hold any byte: 2 to 255 is no bool), nor
// anything holding an address (a Ref knob would let whoever sets it choose where the
// program writes).
template <class T>
concept KnobType = std::is_same_v<T, std::remove_cv_t<T>> &&
		   ((std::is_integral_v<T> && !std::is_same_v<T, bool>) ||
		    (std::is_enum_v<T> && !std::is_same_v<std::underlying_type_t<T>, bool>)) &&
		   (sizeof(T) == 1 || sizeof(T) == 2 || sizeof(T) == 4 || sizeof(T) == 8);
} // namespace netext

// Each backend's NETEXT_CONFIG starts with this check.
#define NETEXT_DETAIL_KNOB_TYPE(type)                                                              \
	static_assert(::netext::KnobType<type>, "NETEXT_CONFIG: a knob's type is an integer or "   \
						"an enumeration of 1, 2, 4 or 8 bytes, not bool")

#if !NETEXT_BACKEND_EBPF
namespace netext::detail {
// A knob as the program sees it: a read-only accessor of the storage the loader writes
// (netext_knob_storage_<name>, an SDK-internal name netext-check refuses in an app). It
// converts to the knob's type; it cannot be written, copied or rebound.
template <class T, auto &Storage>
struct Knob {
	constexpr Knob() noexcept = default;
	Knob(const Knob &) = delete;
	Knob &operator=(const Knob &) = delete;
	[[nodiscard]] NETEXT_INLINE T value() const noexcept { return Storage; }
	NETEXT_INLINE operator T() const noexcept
	{
		return Storage;
	} // NOLINT(google-explicit-constructor)
};
} // namespace netext::detail
#endif

#if NETEXT_BACKEND_EBPF

#define NETEXT_CONFIG(type, name, value)                                                           \
	NETEXT_DETAIL_KNOB_TYPE(type);                                                             \
	extern "C" __attribute__((section(".rodata"), used)) const volatile type name = value

#elif NETEXT_BACKEND_NATIVE

// Native: the value lives in the app module under the symbol netext_knob_<name>, which the
// module glue makes a parameter (/sys/module/netext_app_<app>/parameters/<name>); the
// loader writes it (`netext attach ... --backend native --set name=value`) before the app
// runs. The app reads it through an accessor (detail::Knob), so it cannot write it and
// the compiler cannot fold it.
#define NETEXT_CONFIG(type, name, value)                                                           \
	NETEXT_DETAIL_KNOB_TYPE(type);                                                             \
	[[gnu::used]] type netext_knob_storage_##name asm("netext_knob_" #name) = value;           \
	[[maybe_unused]] static constexpr ::netext::detail::Knob<type, netext_knob_storage_##name> \
		name                                                                               \
	{}

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
	NETEXT_DETAIL_KNOB_TYPE(type);                                                             \
	static volatile type netext_knob_storage_##name = value;                                   \
	static const ::netext::host::ConfigRegistration netext_knob_registration_##name{           \
		NETEXT_APP_NAME_STR, #name, &netext_knob_storage_##name, sizeof(type)};            \
	[[maybe_unused]] static constexpr ::netext::detail::Knob<type, netext_knob_storage_##name> \
		name                                                                               \
	{}

#endif
