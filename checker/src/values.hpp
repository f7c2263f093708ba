// Rules about values the app computes: integer division that cannot trap natively, and
// automatic variables that hold no stale stack bytes.
#pragma once

#include "context.hpp"

#include <clang/AST/ASTContext.h>

namespace netext::check {

void check_values(Context &c, clang::ASTContext &ctx);

} // namespace netext::check
