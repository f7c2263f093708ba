// Generic code (issue 19, red team round 3 H1/H2). Every piece of code the app wrote is
// checked, whatever a compiler decides to instantiate:
//  * the instantiations: including the specialisations of a generic lambda's call operator
//    (or of a lambda with a template parameter list), which RecursiveASTVisitor never
//    reaches on its own (a lambda's class is walked only through its LambdaExpr, whose body
//    is the pattern);
//  * the patterns (function and class templates, generic lambdas, both branches of every
//    `if constexpr`, every overload), where a construct whose meaning depends on a template
//    argument is allowed only if it is safe for every argument (check_generic_code). The
//    checker (Clang 16) and the native build (g++ 12) do not always pick the same branch or
//    overload: whatever they pick, it was checked.
#pragma once

#include "context.hpp"

#include <clang/AST/ASTContext.h>
#include <clang/AST/DeclTemplate.h>
#include <clang/AST/ExprCXX.h>

namespace netext::check {

// Walks the bodies of every specialisation of a generic lambda's call operator with `v`.
template <class V>
bool traverse_lambda_specializations(V &v, clang::LambdaExpr *e)
{
	const clang::CXXMethodDecl *op = e->getCallOperator();
	const clang::FunctionTemplateDecl *t = op ? op->getDescribedFunctionTemplate() : nullptr;
	if (!t)
		return true;
	for (clang::FunctionDecl *spec : t->specializations())
		if (!v.TraverseDecl(spec))
			return false;
	return true;
}

// The patterns' dependent constructs, and the constructs whose value the two compilers may
// decide differently (`__builtin_constant_p`, `if consteval`, std::is_constant_evaluated).
void check_generic_code(Context &c, clang::ASTContext &ctx);

} // namespace netext::check
