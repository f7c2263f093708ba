// The walk the AST passes share: the app's own declarations, the instantiations of its
// templates and its lambdas' bodies. The SDK's and the toolchain's headers are trusted and
// not walked (their templates' instantiations are theirs too).
#pragma once

#include "context.hpp"
#include "templates.hpp"

#include <clang/AST/RecursiveASTVisitor.h>

namespace netext::check {

template <class Derived>
class AppVisitor : public clang::RecursiveASTVisitor<Derived> {
public:
	AppVisitor(Context &c, clang::ASTContext &ctx) : c_(c), ctx_(ctx) {}

	bool shouldVisitTemplateInstantiations() const { return true; }
	bool shouldVisitLambdaBody() const { return true; }

	bool TraverseDecl(clang::Decl *d)
	{
		if (!d)
			return true;
		if (!clang::isa<clang::TranslationUnitDecl>(d) &&
		    !c_.expanded_in_user_file(d->getLocation()))
			return true;
		return clang::RecursiveASTVisitor<Derived>::TraverseDecl(d);
	}

	// A generic lambda's instantiated bodies (RecursiveASTVisitor reaches only the
	// pattern, through the LambdaExpr).
	bool TraverseLambdaExpr(
		clang::LambdaExpr *e,
		typename clang::RecursiveASTVisitor<Derived>::DataRecursionQueue *q = nullptr)
	{
		if (!clang::RecursiveASTVisitor<Derived>::TraverseLambdaExpr(e, q))
			return false;
		if (!static_cast<Derived *>(this)->shouldVisitTemplateInstantiations())
			return true;
		return traverse_lambda_specializations(*static_cast<Derived *>(this), e);
	}

	// Walks the whole translation unit.
	void run() { TraverseDecl(ctx_.getTranslationUnitDecl()); }

protected:
	// A variable the app wrote itself (not a parameter, not one a trusted macro made).
	bool app_variable(const clang::VarDecl *v)
	{
		return !v->isImplicit() && !clang::isa<clang::ParmVarDecl>(v) &&
		       !v->getType()->isDependentType() && c_.is_user(v->getLocation()) &&
		       !c_.made_by_trusted_macro(v->getLocation());
	}

	Context &c_;
	clang::ASTContext &ctx_;
};

} // namespace netext::check
