#include "loops.hpp"

#include "types.hpp"

#include <clang/AST/ExprCXX.h>
#include <clang/AST/RecursiveASTVisitor.h>

using namespace clang;

namespace netext::check {

namespace {

// Whether a statement writes a variable (or lets something else write it).
class Writes : public RecursiveASTVisitor<Writes> {
public:
	explicit Writes(const VarDecl *v) : v_(v) {}
	bool found = false;
	bool VisitBinaryOperator(BinaryOperator *b)
	{
		if (b->isAssignmentOp() && refers(b->getLHS()))
			found = true;
		return true;
	}
	bool VisitUnaryOperator(UnaryOperator *u)
	{
		if ((u->isIncrementDecrementOp() || u->getOpcode() == UO_AddrOf) &&
		    refers(u->getSubExpr()))
			found = true;
		return true;
	}

private:
	bool refers(const Expr *e)
	{
		const auto *d = dyn_cast<DeclRefExpr>(e->IgnoreParenImpCasts());
		return d && d->getDecl() == v_;
	}
	const VarDecl *v_;
};

} // namespace

bool LoopBounds::constant_false(const Expr *cond)
{
	if (!cond || cond->isValueDependent())
		return cond != nullptr;
	bool v = true;
	return cond->EvaluateAsBooleanCondition(v, ctx_) && !v;
}

const VarDecl *LoopBounds::var_of(const Expr *e)
{
	if (const auto *d = dyn_cast<DeclRefExpr>(e->IgnoreParenImpCasts()))
		return dyn_cast<VarDecl>(d->getDecl());
	return nullptr;
}

// A bound: a constant, a PacketView's size, or arithmetic on those.
bool LoopBounds::bound_expr(const Expr *e)
{
	e = e->IgnoreParenImpCasts();
	if (e->isValueDependent())
		return false;
	if (e->isIntegerConstantExpr(ctx_))
		return true;
	if (const auto *mc = dyn_cast<CXXMemberCallExpr>(e)) {
		const CXXMethodDecl *m = mc->getMethodDecl();
		const CXXRecordDecl *rd = m ? m->getParent() : nullptr;
		if (rd && (m->getName() == "size" || m->getName() == "length") &&
		    rd->getName() == "PacketView" && !c_.is_user(rd->getLocation()))
			return true;
	}
	if (const auto *b = dyn_cast<BinaryOperator>(e)) {
		switch (b->getOpcode()) {
		case BO_Add:
		case BO_Sub:
		case BO_Mul:
		case BO_Div:
		case BO_Shr:
		case BO_Rem:
		case BO_And: return bound_expr(b->getLHS()) && bound_expr(b->getRHS());
		default: return false;
		}
	}
	return false;
}

// One conjunct `v < bound` (or the mirrored forms); sets v and the direction.
bool LoopBounds::bounded_cond(const Expr *c, const VarDecl *&v, int &dir)
{
	c = c->IgnoreParenImpCasts();
	const auto *b = dyn_cast<BinaryOperator>(c);
	if (!b)
		return false;
	if (b->getOpcode() == BO_LAnd)
		return bounded_cond(b->getLHS(), v, dir) || bounded_cond(b->getRHS(), v, dir);
	const Expr *l = b->getLHS(), *r = b->getRHS();
	const VarDecl *lv = var_of(l), *rv = var_of(r);
	switch (b->getOpcode()) {
	case BO_LT:
	case BO_LE:
		if (lv && bound_expr(r)) {
			v = lv, dir = 1;
			return true;
		}
		if (rv && bound_expr(l)) {
			v = rv, dir = -1;
			return true;
		}
		return false;
	case BO_GT:
	case BO_GE:
		if (lv && bound_expr(r)) {
			v = lv, dir = -1;
			return true;
		}
		if (rv && bound_expr(l)) {
			v = rv, dir = 1;
			return true;
		}
		return false;
	case BO_NE:
		if (lv && bound_expr(r)) {
			v = lv, dir = 0;
			return true;
		}
		if (rv && bound_expr(l)) {
			v = rv, dir = 0;
			return true;
		}
		return false;
	default: return false;
	}
}

// The step moves v towards the bound by a constant: ++v, v++, v += c (or down).
bool LoopBounds::steps(const Expr *inc, const VarDecl *v, int dir)
{
	if (!inc)
		return false;
	inc = inc->IgnoreParenImpCasts();
	// `k++, i += 8`: one side steps v, the other leaves it alone.
	if (const auto *c = dyn_cast<BinaryOperator>(inc); c && c->getOpcode() == BO_Comma) {
		auto untouched = [&](const Expr *e) {
			Writes w(v);
			w.TraverseStmt(const_cast<Expr *>(e));
			return !w.found;
		};
		return (steps(c->getLHS(), v, dir) && untouched(c->getRHS())) ||
		       (steps(c->getRHS(), v, dir) && untouched(c->getLHS()));
	}
	if (const auto *u = dyn_cast<UnaryOperator>(inc)) {
		if (var_of(u->getSubExpr()) != v)
			return false;
		if (u->isIncrementOp())
			return dir >= 0;
		if (u->isDecrementOp())
			return dir <= 0;
		return false;
	}
	if (const auto *b = dyn_cast<CompoundAssignOperator>(inc)) {
		if (var_of(b->getLHS()) != v || !b->getRHS()->isIntegerConstantExpr(ctx_))
			return false;
		auto k = b->getRHS()->getIntegerConstantExpr(ctx_);
		if (!k || k->isZero())
			return false;
		bool up = (b->getOpcode() == BO_AddAssign) == !k->isNegative();
		if (b->getOpcode() != BO_AddAssign && b->getOpcode() != BO_SubAssign)
			return false;
		return dir == 0 ? (k->abs() == 1) : (up ? dir > 0 : dir < 0);
	}
	return false;
}

bool LoopBounds::bounded_for(ForStmt *s, std::string &why)
{
	if (!s->getCond()) {
		why = "it has no condition";
		return false;
	}
	if (s->getCond()->isValueDependent())
		return true; // checked in each instantiation
	if (constant_false(s->getCond()))
		return true;
	const VarDecl *v = nullptr;
	int dir = 0;
	if (!bounded_cond(s->getCond(), v, dir)) {
		why = "its condition does not compare a variable with a constant or "
		      "PacketView::size()";
		return false;
	}
	if (!v->getType()->isIntegerType()) {
		why = "its induction variable is not an integer";
		return false;
	}
	if (!steps(s->getInc(), v, dir)) {
		why = "its increment does not step '" + v->getNameAsString() +
		      "' towards the bound by a constant";
		return false;
	}
	Writes w(v);
	w.TraverseStmt(s->getBody());
	if (w.found) {
		why = "the body changes '" + v->getNameAsString() + "'";
		return false;
	}
	return true;
}

bool LoopBounds::bounded_range_for(CXXForRangeStmt *s, std::string &why)
{
	if (!s->getRangeInit())
		return true;
	QualType t = s->getRangeInit()->getType();
	if (t->isDependentType())
		return true;
	// for (x : {a, b, c}): a braced list has the size it is written with.
	if (isa<CXXStdInitializerListExpr>(s->getRangeInit()->IgnoreImplicit()))
		return true;
	t = t.getNonReferenceType().getCanonicalType();
	if (isa<ConstantArrayType>(t.getTypePtr()))
		return true;
	if (const CXXRecordDecl *rd = t->getAsCXXRecordDecl()) {
		if (rd->getQualifiedNameAsString() == "std::array")
			return true;
		// SDK ranges have a fixed size.
		if (!c_.is_user(rd->getLocation()) &&
		    !c_.expanded_in_user_file(rd->getLocation()) && !is_std(rd))
			return true;
	}
	why = "range-for over '" + type_str(t, ctx_) + "', which has no fixed size";
	return false;
}

} // namespace netext::check
