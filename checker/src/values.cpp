#include "values.hpp"

#include "app_visitor.hpp"
#include "types.hpp"

#include <clang/AST/DeclCXX.h>
#include <clang/AST/ExprCXX.h>

#include <set>

using namespace clang;

namespace netext::check {

namespace {

class Values : public AppVisitor<Values> {
public:
	using AppVisitor::AppVisitor;

	// x / y and x % y trap natively (#DE in softirq) for y == 0 and for INT_MIN / -1:
	// the divisor must be a constant that is neither (-1 only for unsigned division).
	bool VisitBinaryOperator(BinaryOperator *e)
	{
		BinaryOperatorKind op = e->getOpcode();
		if (op != BO_Div && op != BO_Rem && op != BO_DivAssign && op != BO_RemAssign)
			return true;
		if (e->isTypeDependent() || e->isValueDependent())
			return true;
		const auto *ca = dyn_cast<CompoundAssignOperator>(e);
		QualType t = ca ? ca->getComputationLHSType() : e->getType();
		if (t.isNull() || !t->isIntegerType())
			return true; // floating point has its own rule
		Expr::EvalResult whole;
		if (!ca && e->EvaluateAsInt(whole, ctx_))
			return true; // folded at compile time: nothing divides at run time
		const char *sym = op == BO_Div || op == BO_DivAssign ? "division" : "remainder";
		Expr::EvalResult r;
		if (!e->getRHS()->EvaluateAsInt(r, ctx_)) {
			c_.report(e->getOperatorLoc(), "division",
				  std::string(sym) +
					  " by a value that is not a constant: natively a zero "
					  "divisor (or INT_MIN / -1) traps in the kernel");
			return true;
		}
		const llvm::APSInt &v = r.Val.getInt();
		if (v.isZero())
			c_.report(e->getOperatorLoc(), "division",
				  std::string(sym) + " by the constant 0");
		else if (t->isSignedIntegerType() && v.isAllOnes() && v.isSigned())
			c_.report(e->getOperatorLoc(), "division",
				  std::string("signed ") + sym +
					  " by -1: INT_MIN / -1 traps natively");
		return true;
	}

	// Every automatic variable starts with known bytes: an initialiser, or a class whose
	// default construction sets every field.
	bool VisitVarDecl(VarDecl *v)
	{
		if (!app_variable(v) || !v->hasLocalStorage() || isa<DecompositionDecl>(v) ||
		    v->isExceptionVariable())
			return true;
		QualType t = v->getType();
		if (t->isReferenceType() || is_va_list(t) || t->isVariableArrayType())
			return true; // va_list: c-varargs; a VLA: dynamic-alloc
		const Expr *init = v->getInit();
		if (!init) {
			c_.report(v->getLocation(), "uninitialized",
				  "'" + v->getNameAsString() + "' of type '" + type_str(t, ctx_) +
					  "' is not initialised: it holds stale stack bytes");
			return true;
		}
		if (const auto *ewc = dyn_cast<ExprWithCleanups>(init))
			init = ewc->getSubExpr();
		const auto *ce = dyn_cast<CXXConstructExpr>(init);
		if (!ce || ce->getNumArgs() != 0 || ce->requiresZeroInitialization())
			return true;
		std::string why;
		std::set<const CXXRecordDecl *> seen;
		if (!complete_by_default(t, why, seen))
			c_.report(v->getLocation(), "uninitialized",
				  "'" + v->getNameAsString() + "' of type '" + type_str(t, ctx_) +
					  "' is default-constructed, which leaves " + why +
					  " unset: write '" + v->getNameAsString() + "{}'");
		return true;
	}

	// std::bit_cast copies padding bytes too, and nothing ever initialises them (not T{},
	// not an initialiser for every field): the source type must have none.
	bool VisitCallExpr(CallExpr *e)
	{
		const FunctionDecl *f = e->getDirectCallee();
		if (!f || e->isTypeDependent() || e->getNumArgs() != 1 || !is_std(f) ||
		    !f->getDeclName().isIdentifier() || f->getName() != "bit_cast")
			return true;
		QualType from = e->getArg(0)->getType();
		if (from->isDependentType() || ctx_.hasUniqueObjectRepresentations(from))
			return true;
		c_.report(e->getBeginLoc(), "padding",
			  "std::bit_cast from '" + type_str(from, ctx_) +
				  "', which has padding bytes: they are never initialised and "
				  "would be copied");
		return true;
	}

private:
	// Whether default construction of t sets every byte the program can read.
	bool complete_by_default(QualType t, std::string &why,
				 std::set<const CXXRecordDecl *> &seen)
	{
		t = ctx_.getBaseElementType(t.getCanonicalType());
		const CXXRecordDecl *rd = t->getAsCXXRecordDecl();
		if (!rd) {
			why = "a '" + type_str(t, ctx_) + "'";
			return false;
		}
		if (!rd->hasDefinition())
			return false;
		rd = rd->getDefinition();
		if (rd->isLambda() || !seen.insert(rd).second)
			return true;
		const CXXConstructorDecl *user_default = nullptr;
		for (const CXXConstructorDecl *ctor : rd->ctors())
			if (ctor->isDefaultConstructor() && ctor->isUserProvided())
				user_default = ctor;
		// The SDK's own constructors set what they hold (trusted like the rest of it).
		if (user_default &&
		    c_.file_origin(c_.sm().getFileID(c_.sm().getExpansionLoc(rd->getLocation()))) ==
			    Context::Origin::Sdk)
			return true;
		std::set<const FieldDecl *> written;
		if (user_default)
			for (const CXXCtorInitializer *ci : user_default->inits())
				if (ci->isWritten() && ci->getMember())
					written.insert(ci->getMember());
		for (const CXXBaseSpecifier &b : rd->bases())
			if (!complete_by_default(b.getType(), why, seen))
				return false;
		for (const FieldDecl *f : rd->fields()) {
			if (f->hasInClassInitializer() || written.count(f) ||
			    f->isUnnamedBitfield())
				continue;
			std::string inner;
			if (complete_by_default(f->getType(), inner, seen))
				continue;
			why = "field '" + rd->getNameAsString() + "::" + f->getNameAsString() + "'";
			return false;
		}
		return true;
	}
};

} // namespace

void check_values(Context &c, ASTContext &ctx)
{
	Values(c, ctx).run();
}

} // namespace netext::check
