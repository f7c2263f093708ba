// NoRef: the types that may be read from or written to packet bytes or stored in maps.
//
// A type is NoRef when it is trivially copyable and, recursively through nested structs
// and arrays, holds no pointer, reference or member pointer. Aggregates are inspected
// field by field with Boost.PFR; SDK types that are not aggregates (byte-order types,
// netext::array) opt in through trusted_noref, which is for the SDK only.
#pragma once

#include <boost/pfr/core.hpp>
#include <cstddef>
#include <type_traits>
#include <utility>

namespace netext {

// Specialised by SDK types whose representation is known to be plain bytes.
template <class T>
struct trusted_noref : std::false_type {};

namespace detail {

// Converts to anything; used to count an aggregate's fields.
struct any_field {
	template <class T>
	constexpr operator T() const noexcept; // NOLINT(google-explicit-constructor)
};

// Counts fields when each one is initialised with its own braces, so a C array field
// counts as one (Boost.PFR counts its elements, through brace elision).
template <class T, class... Braced>
consteval std::size_t braced_field_count()
{
	if constexpr (requires { T{{Braced{}}..., {any_field{}}}; })
		return braced_field_count<T, Braced..., any_field>();
	else
		return sizeof...(Braced);
}

template <class T>
consteval bool noref_impl();

template <class T, std::size_t... I>
consteval bool fields_noref(std::index_sequence<I...>)
{
	return (noref_impl<boost::pfr::tuple_element_t<I, T>>() && ...);
}

template <class T>
consteval bool aggregate_noref()
{
	constexpr std::size_t pfr_count = boost::pfr::tuple_size_v<T>;
	// A mismatch means a raw C array field: PFR cannot see its type. Such structs are
	// rejected; netext::array<T, N> is the reflectable spelling.
	if constexpr (pfr_count != braced_field_count<T>())
		return false;
	else
		return fields_noref<T>(std::make_index_sequence<pfr_count>{});
}

template <class T>
consteval bool noref_impl()
{
	using U = std::remove_cv_t<T>;
	if constexpr (std::is_arithmetic_v<U> || std::is_enum_v<U> || trusted_noref<U>::value)
		return true;
	else if constexpr (std::is_array_v<U>)
		return noref_impl<std::remove_extent_t<U>>();
	else if constexpr (std::is_class_v<U> && std::is_aggregate_v<U> && !std::is_union_v<U>)
		return aggregate_noref<U>();
	else
		// References, pointers, member pointers, nullptr_t; unions (the active member is
		// unknown, so is what it holds); classes with private state the SDK cannot inspect.
		return false;
}

} // namespace detail

template <class T>
concept NoRef =
	std::is_trivially_copyable_v<T> && !std::is_reference_v<T> && detail::noref_impl<T>();

} // namespace netext
