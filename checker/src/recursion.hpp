// The call graph from the app's functions: a cycle through an app function (direct or
// mutual recursion, through instantiations, lambdas and the SDK's templates) is refused,
// so that the stack depth is bounded.
#pragma once

#include "context.hpp"

#include <clang/AST/ASTContext.h>
#include <clang/AST/Decl.h>

#include <vector>

namespace netext::check {

// Reports every cycle of the call graph that contains one of `roots` (the app's
// functions with a body), once.
void check_recursion(Context &c, clang::ASTContext &ctx,
		     const std::vector<const clang::FunctionDecl *> &roots);

} // namespace netext::check
