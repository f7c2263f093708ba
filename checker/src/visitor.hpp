// The AST side of the checker: walks the app's declarations (and the instantiations of
// its templates) and checks every declaration, statement, type, conversion and attribute
// against the allow-list, then the rules that need more than a node's kind.
#pragma once

#include "context.hpp"

#include <clang/AST/ASTContext.h>
#include <clang/AST/Decl.h>

#include <vector>

namespace netext::check {

// Checks the translation unit; returns the app's functions that have a body (the roots
// of the recursion check).
std::vector<const clang::FunctionDecl *> check_translation_unit(Context &c, clang::ASTContext &ctx);

} // namespace netext::check
