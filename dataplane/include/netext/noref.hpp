// NoRef: the types that may be read from or written to packet bytes or stored in maps.
//
// A type is NoRef when it is trivially copyable and trivially copy-assignable and,
// recursively through nested structs and arrays, holds no pointer, reference or member
// pointer. Wire<T> (what is copied out of the program's memory into a packet or a map)
// adds that every byte of T is part of its value: no padding, whose bytes would be
// whatever the stack held before.
//
// The trust root is the compiler and the SDK's own headers, nothing an app can customise:
//  * aggregates are inspected field by field by the SDK's own reflection: the fields are
//    counted by aggregate initialisation and their declared types read through a
//    structured binding of the struct's data members. A class type for which
//    std::tuple_size is specialised is refused outright: a structured binding would read
//    the specialisation (the tuple protocol) instead of the members, and so could lie;
//  * a reference member deletes the implicit copy assignment: refused by the
//    copy-assignability check at every level (the structured binding of a reference
//    member is refused too);
//  * SDK types that are not aggregates (byte-order types, netext::array) opt in through
//    trusted_noref, which only SDK headers specialise (netext-check refuses an app's
//    specialisation of any netext or std template);
//  * every call in the reflection is qualified, so no overload an app declares can be
//    found by argument-dependent lookup.
#pragma once

#include <cstddef>
#include <tuple>
#include <type_traits>
#include <utility>

namespace netext {

// Specialised by SDK types whose representation is known to be plain bytes.
template <class T>
struct trusted_noref : std::false_type {};

namespace detail {

// Converts to anything; used to count an aggregate's fields.
struct any_field {
	// Named in unevaluated initialisations only, never called.
	template <class T>
	constexpr operator T() const noexcept // NOLINT(google-explicit-constructor)
	{
		__builtin_unreachable();
	}
};

// Counts fields when each one is initialised with its own braces, so a C array field
// counts as one (brace elision would count its elements).
template <class T, class... Braced>
consteval std::size_t braced_field_count()
{
	if constexpr (requires { T{{Braced{}}..., {any_field{}}}; })
		return braced_field_count<T, Braced..., any_field>();
	else
		return sizeof...(Braced);
}

// Does the tuple protocol apply to T (a std::tuple_size specialisation)?
template <class T>
concept tuple_like = requires
{
	std::tuple_size<T>::value;
};

template <class T>
consteval bool noref_impl();

// A field's declared type: no reference, no C array (netext::array is the checked
// spelling), itself NoRef.
template <class F>
consteval bool field_noref()
{
	if constexpr (std::is_reference_v<F> || std::is_array_v<F>)
		return false;
	else
		return noref_impl<F>();
}

template <class... F>
struct type_list {
	static constexpr bool noref = (field_noref<F>() && ...);
};

template <std::size_t N>
using field_count = std::integral_constant<std::size_t, N>;

inline constexpr std::size_t kMaxReflectedFields = 32;

// The declared types of an aggregate's N data members (never called: read by decltype).
template <class T>
auto field_types(T &t, field_count<1> /*unused*/)
{
	auto &[f0] = t;
	return type_list<decltype(f0)>{};
}
template <class T>
auto field_types(T &t, field_count<2> /*unused*/)
{
	auto &[f0, f1] = t;
	return type_list<decltype(f0), decltype(f1)>{};
}
template <class T>
auto field_types(T &t, field_count<3> /*unused*/)
{
	auto &[f0, f1, f2] = t;
	return type_list<decltype(f0), decltype(f1), decltype(f2)>{};
}
template <class T>
auto field_types(T &t, field_count<4> /*unused*/)
{
	auto &[f0, f1, f2, f3] = t;
	return type_list<decltype(f0), decltype(f1), decltype(f2), decltype(f3)>{};
}
template <class T>
auto field_types(T &t, field_count<5> /*unused*/)
{
	auto &[f0, f1, f2, f3, f4] = t;
	return type_list<decltype(f0), decltype(f1), decltype(f2), decltype(f3), decltype(f4)>{};
}
template <class T>
auto field_types(T &t, field_count<6> /*unused*/)
{
	auto &[f0, f1, f2, f3, f4, f5] = t;
	return type_list<decltype(f0), decltype(f1), decltype(f2), decltype(f3), decltype(f4),
			 decltype(f5)>{};
}
template <class T>
auto field_types(T &t, field_count<7> /*unused*/)
{
	auto &[f0, f1, f2, f3, f4, f5, f6] = t;
	return type_list<decltype(f0), decltype(f1), decltype(f2), decltype(f3), decltype(f4),
			 decltype(f5), decltype(f6)>{};
}
template <class T>
auto field_types(T &t, field_count<8> /*unused*/)
{
	auto &[f0, f1, f2, f3, f4, f5, f6, f7] = t;
	return type_list<decltype(f0), decltype(f1), decltype(f2), decltype(f3), decltype(f4),
			 decltype(f5), decltype(f6), decltype(f7)>{};
}
template <class T>
auto field_types(T &t, field_count<9> /*unused*/)
{
	auto &[f0, f1, f2, f3, f4, f5, f6, f7, f8] = t;
	return type_list<decltype(f0), decltype(f1), decltype(f2), decltype(f3), decltype(f4),
			 decltype(f5), decltype(f6), decltype(f7), decltype(f8)>{};
}
template <class T>
auto field_types(T &t, field_count<10> /*unused*/)
{
	auto &[f0, f1, f2, f3, f4, f5, f6, f7, f8, f9] = t;
	return type_list<decltype(f0), decltype(f1), decltype(f2), decltype(f3), decltype(f4),
			 decltype(f5), decltype(f6), decltype(f7), decltype(f8), decltype(f9)>{};
}
template <class T>
auto field_types(T &t, field_count<11> /*unused*/)
{
	auto &[f0, f1, f2, f3, f4, f5, f6, f7, f8, f9, f10] = t;
	return type_list<decltype(f0), decltype(f1), decltype(f2), decltype(f3), decltype(f4),
			 decltype(f5), decltype(f6), decltype(f7), decltype(f8), decltype(f9),
			 decltype(f10)>{};
}
template <class T>
auto field_types(T &t, field_count<12> /*unused*/)
{
	auto &[f0, f1, f2, f3, f4, f5, f6, f7, f8, f9, f10, f11] = t;
	return type_list<decltype(f0), decltype(f1), decltype(f2), decltype(f3), decltype(f4),
			 decltype(f5), decltype(f6), decltype(f7), decltype(f8), decltype(f9),
			 decltype(f10), decltype(f11)>{};
}
template <class T>
auto field_types(T &t, field_count<13> /*unused*/)
{
	auto &[f0, f1, f2, f3, f4, f5, f6, f7, f8, f9, f10, f11, f12] = t;
	return type_list<decltype(f0), decltype(f1), decltype(f2), decltype(f3), decltype(f4),
			 decltype(f5), decltype(f6), decltype(f7), decltype(f8), decltype(f9),
			 decltype(f10), decltype(f11), decltype(f12)>{};
}
template <class T>
auto field_types(T &t, field_count<14> /*unused*/)
{
	auto &[f0, f1, f2, f3, f4, f5, f6, f7, f8, f9, f10, f11, f12, f13] = t;
	return type_list<decltype(f0), decltype(f1), decltype(f2), decltype(f3), decltype(f4),
			 decltype(f5), decltype(f6), decltype(f7), decltype(f8), decltype(f9),
			 decltype(f10), decltype(f11), decltype(f12), decltype(f13)>{};
}
template <class T>
auto field_types(T &t, field_count<15> /*unused*/)
{
	auto &[f0, f1, f2, f3, f4, f5, f6, f7, f8, f9, f10, f11, f12, f13, f14] = t;
	return type_list<decltype(f0), decltype(f1), decltype(f2), decltype(f3), decltype(f4),
			 decltype(f5), decltype(f6), decltype(f7), decltype(f8), decltype(f9),
			 decltype(f10), decltype(f11), decltype(f12), decltype(f13),
			 decltype(f14)>{};
}
template <class T>
auto field_types(T &t, field_count<16> /*unused*/)
{
	auto &[f0, f1, f2, f3, f4, f5, f6, f7, f8, f9, f10, f11, f12, f13, f14, f15] = t;
	return type_list<decltype(f0), decltype(f1), decltype(f2), decltype(f3), decltype(f4),
			 decltype(f5), decltype(f6), decltype(f7), decltype(f8), decltype(f9),
			 decltype(f10), decltype(f11), decltype(f12), decltype(f13), decltype(f14),
			 decltype(f15)>{};
}
template <class T>
auto field_types(T &t, field_count<17> /*unused*/)
{
	auto &[f0, f1, f2, f3, f4, f5, f6, f7, f8, f9, f10, f11, f12, f13, f14, f15, f16] = t;
	return type_list<decltype(f0), decltype(f1), decltype(f2), decltype(f3), decltype(f4),
			 decltype(f5), decltype(f6), decltype(f7), decltype(f8), decltype(f9),
			 decltype(f10), decltype(f11), decltype(f12), decltype(f13), decltype(f14),
			 decltype(f15), decltype(f16)>{};
}
template <class T>
auto field_types(T &t, field_count<18> /*unused*/)
{
	auto &[f0, f1, f2, f3, f4, f5, f6, f7, f8, f9, f10, f11, f12, f13, f14, f15, f16, f17] = t;
	return type_list<decltype(f0), decltype(f1), decltype(f2), decltype(f3), decltype(f4),
			 decltype(f5), decltype(f6), decltype(f7), decltype(f8), decltype(f9),
			 decltype(f10), decltype(f11), decltype(f12), decltype(f13), decltype(f14),
			 decltype(f15), decltype(f16), decltype(f17)>{};
}
template <class T>
auto field_types(T &t, field_count<19> /*unused*/)
{
	auto &[f0, f1, f2, f3, f4, f5, f6, f7, f8, f9, f10, f11, f12, f13, f14, f15, f16, f17,
	       f18] = t;
	return type_list<decltype(f0), decltype(f1), decltype(f2), decltype(f3), decltype(f4),
			 decltype(f5), decltype(f6), decltype(f7), decltype(f8), decltype(f9),
			 decltype(f10), decltype(f11), decltype(f12), decltype(f13), decltype(f14),
			 decltype(f15), decltype(f16), decltype(f17), decltype(f18)>{};
}
template <class T>
auto field_types(T &t, field_count<20> /*unused*/)
{
	auto &[f0, f1, f2, f3, f4, f5, f6, f7, f8, f9, f10, f11, f12, f13, f14, f15, f16, f17, f18,
	       f19] = t;
	return type_list<decltype(f0), decltype(f1), decltype(f2), decltype(f3), decltype(f4),
			 decltype(f5), decltype(f6), decltype(f7), decltype(f8), decltype(f9),
			 decltype(f10), decltype(f11), decltype(f12), decltype(f13), decltype(f14),
			 decltype(f15), decltype(f16), decltype(f17), decltype(f18),
			 decltype(f19)>{};
}
template <class T>
auto field_types(T &t, field_count<21> /*unused*/)
{
	auto &[f0, f1, f2, f3, f4, f5, f6, f7, f8, f9, f10, f11, f12, f13, f14, f15, f16, f17, f18,
	       f19, f20] = t;
	return type_list<decltype(f0), decltype(f1), decltype(f2), decltype(f3), decltype(f4),
			 decltype(f5), decltype(f6), decltype(f7), decltype(f8), decltype(f9),
			 decltype(f10), decltype(f11), decltype(f12), decltype(f13), decltype(f14),
			 decltype(f15), decltype(f16), decltype(f17), decltype(f18), decltype(f19),
			 decltype(f20)>{};
}
template <class T>
auto field_types(T &t, field_count<22> /*unused*/)
{
	auto &[f0, f1, f2, f3, f4, f5, f6, f7, f8, f9, f10, f11, f12, f13, f14, f15, f16, f17, f18,
	       f19, f20, f21] = t;
	return type_list<decltype(f0), decltype(f1), decltype(f2), decltype(f3), decltype(f4),
			 decltype(f5), decltype(f6), decltype(f7), decltype(f8), decltype(f9),
			 decltype(f10), decltype(f11), decltype(f12), decltype(f13), decltype(f14),
			 decltype(f15), decltype(f16), decltype(f17), decltype(f18), decltype(f19),
			 decltype(f20), decltype(f21)>{};
}
template <class T>
auto field_types(T &t, field_count<23> /*unused*/)
{
	auto &[f0, f1, f2, f3, f4, f5, f6, f7, f8, f9, f10, f11, f12, f13, f14, f15, f16, f17, f18,
	       f19, f20, f21, f22] = t;
	return type_list<decltype(f0), decltype(f1), decltype(f2), decltype(f3), decltype(f4),
			 decltype(f5), decltype(f6), decltype(f7), decltype(f8), decltype(f9),
			 decltype(f10), decltype(f11), decltype(f12), decltype(f13), decltype(f14),
			 decltype(f15), decltype(f16), decltype(f17), decltype(f18), decltype(f19),
			 decltype(f20), decltype(f21), decltype(f22)>{};
}
template <class T>
auto field_types(T &t, field_count<24> /*unused*/)
{
	auto &[f0, f1, f2, f3, f4, f5, f6, f7, f8, f9, f10, f11, f12, f13, f14, f15, f16, f17, f18,
	       f19, f20, f21, f22, f23] = t;
	return type_list<decltype(f0), decltype(f1), decltype(f2), decltype(f3), decltype(f4),
			 decltype(f5), decltype(f6), decltype(f7), decltype(f8), decltype(f9),
			 decltype(f10), decltype(f11), decltype(f12), decltype(f13), decltype(f14),
			 decltype(f15), decltype(f16), decltype(f17), decltype(f18), decltype(f19),
			 decltype(f20), decltype(f21), decltype(f22), decltype(f23)>{};
}
template <class T>
auto field_types(T &t, field_count<25> /*unused*/)
{
	auto &[f0, f1, f2, f3, f4, f5, f6, f7, f8, f9, f10, f11, f12, f13, f14, f15, f16, f17, f18,
	       f19, f20, f21, f22, f23, f24] = t;
	return type_list<decltype(f0), decltype(f1), decltype(f2), decltype(f3), decltype(f4),
			 decltype(f5), decltype(f6), decltype(f7), decltype(f8), decltype(f9),
			 decltype(f10), decltype(f11), decltype(f12), decltype(f13), decltype(f14),
			 decltype(f15), decltype(f16), decltype(f17), decltype(f18), decltype(f19),
			 decltype(f20), decltype(f21), decltype(f22), decltype(f23),
			 decltype(f24)>{};
}
template <class T>
auto field_types(T &t, field_count<26> /*unused*/)
{
	auto &[f0, f1, f2, f3, f4, f5, f6, f7, f8, f9, f10, f11, f12, f13, f14, f15, f16, f17, f18,
	       f19, f20, f21, f22, f23, f24, f25] = t;
	return type_list<decltype(f0), decltype(f1), decltype(f2), decltype(f3), decltype(f4),
			 decltype(f5), decltype(f6), decltype(f7), decltype(f8), decltype(f9),
			 decltype(f10), decltype(f11), decltype(f12), decltype(f13), decltype(f14),
			 decltype(f15), decltype(f16), decltype(f17), decltype(f18), decltype(f19),
			 decltype(f20), decltype(f21), decltype(f22), decltype(f23), decltype(f24),
			 decltype(f25)>{};
}
template <class T>
auto field_types(T &t, field_count<27> /*unused*/)
{
	auto &[f0, f1, f2, f3, f4, f5, f6, f7, f8, f9, f10, f11, f12, f13, f14, f15, f16, f17, f18,
	       f19, f20, f21, f22, f23, f24, f25, f26] = t;
	return type_list<decltype(f0), decltype(f1), decltype(f2), decltype(f3), decltype(f4),
			 decltype(f5), decltype(f6), decltype(f7), decltype(f8), decltype(f9),
			 decltype(f10), decltype(f11), decltype(f12), decltype(f13), decltype(f14),
			 decltype(f15), decltype(f16), decltype(f17), decltype(f18), decltype(f19),
			 decltype(f20), decltype(f21), decltype(f22), decltype(f23), decltype(f24),
			 decltype(f25), decltype(f26)>{};
}
template <class T>
auto field_types(T &t, field_count<28> /*unused*/)
{
	auto &[f0, f1, f2, f3, f4, f5, f6, f7, f8, f9, f10, f11, f12, f13, f14, f15, f16, f17, f18,
	       f19, f20, f21, f22, f23, f24, f25, f26, f27] = t;
	return type_list<decltype(f0), decltype(f1), decltype(f2), decltype(f3), decltype(f4),
			 decltype(f5), decltype(f6), decltype(f7), decltype(f8), decltype(f9),
			 decltype(f10), decltype(f11), decltype(f12), decltype(f13), decltype(f14),
			 decltype(f15), decltype(f16), decltype(f17), decltype(f18), decltype(f19),
			 decltype(f20), decltype(f21), decltype(f22), decltype(f23), decltype(f24),
			 decltype(f25), decltype(f26), decltype(f27)>{};
}
template <class T>
auto field_types(T &t, field_count<29> /*unused*/)
{
	auto &[f0, f1, f2, f3, f4, f5, f6, f7, f8, f9, f10, f11, f12, f13, f14, f15, f16, f17, f18,
	       f19, f20, f21, f22, f23, f24, f25, f26, f27, f28] = t;
	return type_list<decltype(f0), decltype(f1), decltype(f2), decltype(f3), decltype(f4),
			 decltype(f5), decltype(f6), decltype(f7), decltype(f8), decltype(f9),
			 decltype(f10), decltype(f11), decltype(f12), decltype(f13), decltype(f14),
			 decltype(f15), decltype(f16), decltype(f17), decltype(f18), decltype(f19),
			 decltype(f20), decltype(f21), decltype(f22), decltype(f23), decltype(f24),
			 decltype(f25), decltype(f26), decltype(f27), decltype(f28)>{};
}
template <class T>
auto field_types(T &t, field_count<30> /*unused*/)
{
	auto &[f0, f1, f2, f3, f4, f5, f6, f7, f8, f9, f10, f11, f12, f13, f14, f15, f16, f17, f18,
	       f19, f20, f21, f22, f23, f24, f25, f26, f27, f28, f29] = t;
	return type_list<decltype(f0), decltype(f1), decltype(f2), decltype(f3), decltype(f4),
			 decltype(f5), decltype(f6), decltype(f7), decltype(f8), decltype(f9),
			 decltype(f10), decltype(f11), decltype(f12), decltype(f13), decltype(f14),
			 decltype(f15), decltype(f16), decltype(f17), decltype(f18), decltype(f19),
			 decltype(f20), decltype(f21), decltype(f22), decltype(f23), decltype(f24),
			 decltype(f25), decltype(f26), decltype(f27), decltype(f28),
			 decltype(f29)>{};
}
template <class T>
auto field_types(T &t, field_count<31> /*unused*/)
{
	auto &[f0, f1, f2, f3, f4, f5, f6, f7, f8, f9, f10, f11, f12, f13, f14, f15, f16, f17, f18,
	       f19, f20, f21, f22, f23, f24, f25, f26, f27, f28, f29, f30] = t;
	return type_list<decltype(f0), decltype(f1), decltype(f2), decltype(f3), decltype(f4),
			 decltype(f5), decltype(f6), decltype(f7), decltype(f8), decltype(f9),
			 decltype(f10), decltype(f11), decltype(f12), decltype(f13), decltype(f14),
			 decltype(f15), decltype(f16), decltype(f17), decltype(f18), decltype(f19),
			 decltype(f20), decltype(f21), decltype(f22), decltype(f23), decltype(f24),
			 decltype(f25), decltype(f26), decltype(f27), decltype(f28), decltype(f29),
			 decltype(f30)>{};
}
template <class T>
auto field_types(T &t, field_count<32> /*unused*/)
{
	auto &[f0, f1, f2, f3, f4, f5, f6, f7, f8, f9, f10, f11, f12, f13, f14, f15, f16, f17, f18,
	       f19, f20, f21, f22, f23, f24, f25, f26, f27, f28, f29, f30, f31] = t;
	return type_list<decltype(f0), decltype(f1), decltype(f2), decltype(f3), decltype(f4),
			 decltype(f5), decltype(f6), decltype(f7), decltype(f8), decltype(f9),
			 decltype(f10), decltype(f11), decltype(f12), decltype(f13), decltype(f14),
			 decltype(f15), decltype(f16), decltype(f17), decltype(f18), decltype(f19),
			 decltype(f20), decltype(f21), decltype(f22), decltype(f23), decltype(f24),
			 decltype(f25), decltype(f26), decltype(f27), decltype(f28), decltype(f29),
			 decltype(f30), decltype(f31)>{};
}

template <class T>
consteval bool aggregate_noref()
{
	constexpr std::size_t n = braced_field_count<T>();
	if constexpr (n == 0)
		return true;
	else if constexpr (n > kMaxReflectedFields)
		return false; // more fields than the reflection reads: split the struct
	else
		return decltype(detail::field_types(std::declval<T &>(), field_count<n>{}))::noref;
}

template <class T>
consteval bool noref_impl()
{
	using U = std::remove_cv_t<T>;
	if constexpr (std::is_reference_v<T> || !std::is_trivially_copyable_v<U>)
		// NOLINTNEXTLINE(bugprone-branch-clone)
		return false;
	else if constexpr (std::is_arithmetic_v<U> || std::is_enum_v<U>)
		// NOLINTNEXTLINE(bugprone-branch-clone)
		return true;
	else if constexpr (std::is_bounded_array_v<U>)
		return noref_impl<std::remove_extent_t<U>>();
	else if constexpr (!std::is_class_v<U> || std::is_union_v<U>)
		// Pointers, member pointers, nullptr_t, unbounded arrays; unions (the active
		// member is unknown, so is what it holds).
		return false;
	else if constexpr (!std::is_trivially_copy_assignable_v<U> || tuple_like<U>)
		// A reference member (or a const one) deletes the copy assignment; the tuple
		// protocol could describe other members than the real ones.
		return false;
	else if constexpr (trusted_noref<U>::value)
		return true;
	else if constexpr (std::is_aggregate_v<U>)
		return aggregate_noref<U>();
	else
		// Classes with private state the SDK cannot inspect.
		return false;
}

} // namespace detail

template <class T>
concept NoRef = !std::is_reference_v<T> && detail::noref_impl<T>();

// A NoRef type all of whose bytes belong to its value (no padding): what may be copied
// from the program's memory into a packet or a map without carrying stale stack bytes.
// Padding is spelled as an explicit field (`uint16_t pad;`), set like any other.
template <class T>
concept Wire = NoRef<T> && std::has_unique_object_representations_v<std::remove_cv_t<T>>;

} // namespace netext
