// Lifetimes: references, views and Refs that could outlive what they refer to (a frame's
// locals, temporaries, braced lists), and views into the packet kept across a call that
// moves the packet (adjust_head/adjust_tail).
#pragma once

#include "context.hpp"

#include <clang/AST/ASTContext.h>

namespace netext::check {

void check_lifetimes(Context &c, clang::ASTContext &ctx);

} // namespace netext::check
