// Where the app's declarations may live (issue 19, red team round 3 H4): in the global
// namespace, in the app's own namespaces (netext::<app>, anonymous ones) and in its own
// classes and functions. Never in a namespace or class the SDK or the toolchain declared
// (netext, std, boost, __gnu_cxx, __cxxabiv1 and whatever else their headers declare),
// also not by a qualified out-of-line definition (`struct netext::csum::detail::Access
// {...}` defined the SDK's friend of PacketView, red team z26) or an explicit
// specialisation written with a qualified name.
#pragma once

#include "context.hpp"

#include <clang/AST/ASTContext.h>

namespace netext::check {

void check_namespaces(Context &c, clang::ASTContext &ctx);

} // namespace netext::check
