// --strict-loops: whether a loop's trip count is bounded by a constant or by the packet's
// length.
#pragma once

#include "context.hpp"

#include <clang/AST/ASTContext.h>
#include <clang/AST/StmtCXX.h>

#include <string>

namespace netext::check {

class LoopBounds {
public:
	LoopBounds(Context &c, clang::ASTContext &ctx) : c_(c), ctx_(ctx) {}

	// `while (0)`-style conditions (macro idioms); dependent ones are checked when
	// instantiated.
	bool constant_false(const clang::Expr *cond);

	// A for loop `for (v = ...; v < bound; ++v)` whose body leaves v alone; else `why`.
	bool bounded_for(clang::ForStmt *s, std::string &why);

	// A range-for over a fixed-size range; else `why`.
	bool bounded_range_for(clang::CXXForRangeStmt *s, std::string &why);

private:
	const clang::VarDecl *var_of(const clang::Expr *e);
	bool bound_expr(const clang::Expr *e);
	bool bounded_cond(const clang::Expr *c, const clang::VarDecl *&v, int &dir);
	bool steps(const clang::Expr *inc, const clang::VarDecl *v, int dir);

	Context &c_;
	clang::ASTContext &ctx_;
};

} // namespace netext::check
