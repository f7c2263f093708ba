#include "templates.hpp"

#include "allowlist.hpp"
#include "app_visitor.hpp"
#include "types.hpp"

#include <clang/AST/ExprConcepts.h>
#include <clang/AST/ParentMapContext.h>
#include <clang/AST/StmtCXX.h>
#include <clang/Basic/Builtins.h>
#include <llvm/ADT/StringSet.h>

using namespace clang;

namespace netext::check {

namespace {

// The standard functions generic app code may call by an unresolved name: they move,
// compare or pick values and never make or follow a pointer.
const char *const kStdGeneric[] = {"move",  "forward",	"swap", "exchange", "min",	    "max",
				   "clamp", "as_const", "get",	"declval",  "to_underlying"};

bool divergent_builtin(unsigned id)
{
	return id == Builtin::BI__builtin_constant_p ||
	       id == Builtin::BI__builtin_is_constant_evaluated;
}

class GenericCode : public AppVisitor<GenericCode> {
public:
	using AppVisitor::AppVisitor;

	// The patterns: instantiations are the other passes' (and Clang's choice).
	bool shouldVisitTemplateInstantiations() const { return false; }

	// ---- compiler divergence, in every piece of code ----

	bool VisitIfStmt(IfStmt *s)
	{
		if (s->isConsteval())
			c_.report(s->getIfLoc(), "compiler-divergence",
				  "`if consteval`: whether a call is constant-evaluated is decided "
				  "differently by Clang (this checker) and g++ (the native build)");
		return true;
	}

	bool VisitDeclRefExpr(DeclRefExpr *e)
	{
		const auto *f = dyn_cast<FunctionDecl>(e->getDecl());
		if (!f)
			return true;
		if (divergent_builtin(f->getBuiltinID()) ||
		    (is_std(f) && f->getDeclName().isIdentifier() &&
		     f->getName() == "is_constant_evaluated"))
			c_.report(
				e->getLocation(), "compiler-divergence",
				"'" + f->getNameAsString() +
					"': its value depends on how far each compiler's constant "
					"evaluator goes (Clang's and g++'s step limits differ), so "
					"the checker and the native build would compile different "
					"code");
		return true;
	}

	// ---- the patterns' dependent constructs ----

	bool VisitArraySubscriptExpr(ArraySubscriptExpr *e)
	{
		// Also by a constant: the array's size may depend on what a compiler decided
		// (a type picked by a concept); the SDK's accessors check at run time.
		if (dependent(e) && evaluated(e))
			refuse(e->getRBracketLoc(),
			       "a subscript whose array or index depends on a template argument");
		return true;
	}

	bool VisitUnaryOperator(UnaryOperator *e)
	{
		if (!e->getSubExpr()->isTypeDependent() || !evaluated(e))
			return true;
		switch (e->getOpcode()) {
		case UO_AddrOf: refuse(e->getOperatorLoc(), "taking an address"); break;
		case UO_Deref: refuse(e->getOperatorLoc(), "unary * (a dereference)"); break;
		case UO_PreInc:
		case UO_PreDec:
		case UO_PostInc:
		case UO_PostDec: refuse(e->getOperatorLoc(), "++/-- (pointer arithmetic)"); break;
		default: break;
		}
		return true;
	}

	bool VisitBinaryOperator(BinaryOperator *e)
	{
		if (!(e->isTypeDependent() || e->isValueDependent()))
			return true;
		check_binary(e->getOpcode(), e->getLHS(), e->getRHS(), e->getOperatorLoc(), e);
		return true;
	}

	bool VisitCXXOperatorCallExpr(CXXOperatorCallExpr *e)
	{
		if (!dependent(e) || !evaluated(e))
			return true;
		SourceLocation at = e->getOperatorLoc();
		unsigned n = e->getNumArgs();
		switch (e->getOperator()) {
		case OO_Subscript:
			refuse(at, "a subscript whose array or index depends on a template "
				   "argument");
			break;
		case OO_Arrow: refuse(at, "-> (a dereference)"); break;
		case OO_ArrowStar: refuse(at, "->* (a member pointer)"); break;
		case OO_Amp:
			if (n == 1)
				refuse(at, "taking an address");
			break;
		case OO_Star:
			if (n == 1)
				refuse(at, "unary * (a dereference)");
			break;
		case OO_PlusPlus:
		case OO_MinusMinus: refuse(at, "++/-- (pointer arithmetic)"); break;
		default:
			if (n == 2)
				check_binary(BinaryOperator::getOverloadedOpcode(e->getOperator()),
					     e->getArg(0), e->getArg(1), at, nullptr);
			break;
		}
		return true;
	}

	bool VisitCXXDependentScopeMemberExpr(CXXDependentScopeMemberExpr *e)
	{
		if (!evaluated(e))
			return true;
		if (e->isArrow() && !e->isImplicitAccess() &&
		    !isa<CXXThisExpr>(e->getBase()->IgnoreParenImpCasts()))
			refuse(e->getOperatorLoc(), "-> (a dereference)");
		check_member_name(e->getMemberLoc(), e->getMember());
		return true;
	}

	bool VisitUnresolvedMemberExpr(UnresolvedMemberExpr *e)
	{
		if (!evaluated(e))
			return true;
		if (e->isArrow() && !e->isImplicitAccess() &&
		    !isa<CXXThisExpr>(e->getBase()->IgnoreParenImpCasts()))
			refuse(e->getOperatorLoc(), "-> (a dereference)");
		check_member_name(e->getMemberLoc(), e->getMemberName());
		for (const NamedDecl *d : e->decls())
			check_candidate(e->getMemberLoc(), d);
		return true;
	}

	bool VisitDependentScopeDeclRefExpr(DependentScopeDeclRefExpr *e)
	{
		if (evaluated(e))
			check_member_name(e->getLocation(), e->getDeclName());
		return true;
	}

	bool VisitUnresolvedLookupExpr(UnresolvedLookupExpr *e)
	{
		if (!evaluated(e))
			return true;
		if (e->decls_begin() == e->decls_end()) {
			if (e->requiresADL())
				refuse(e->getNameLoc(),
				       "a call to '" + e->getName().getAsString() +
					       "' that only argument-dependent lookup can resolve "
					       "(it may find the SDK's internal functions)");
			return true;
		}
		for (const NamedDecl *d : e->decls())
			check_candidate(e->getNameLoc(), d);
		return true;
	}

	// A builtin called with dependent arguments: its call is not resolved, so the
	// builtin rule (which reads resolved calls) never saw it.
	bool VisitCallExpr(CallExpr *e)
	{
		if (!dependent(e) || !evaluated(e))
			return true;
		const auto *d = dyn_cast<DeclRefExpr>(e->getCallee()->IgnoreParenImpCasts());
		const auto *f = d ? dyn_cast<FunctionDecl>(d->getDecl()) : nullptr;
		if (f && f->getBuiltinID() && !divergent_builtin(f->getBuiltinID()) &&
		    !builtin_allowed(f->getName()) && !is_std(f))
			refuse(e->getBeginLoc(),
			       "a call of the builtin '" + f->getNameAsString() + "'");
		return true;
	}

	// ---- casts: only to a written arithmetic type ----

	bool VisitExplicitCastExpr(ExplicitCastExpr *e)
	{
		if (!dependent_cast(e->getTypeAsWritten(), e->getSubExpr()) || !evaluated(e))
			return true;
		QualType to = e->getTypeAsWritten();
		if (to->isVoidType())
			return true; // (void)x discards
		if (isa<CXXStaticCastExpr>(e) && !to->isDependentType() &&
		    (to->isArithmeticType() || to->isEnumeralType()))
			return true;
		if (const auto *f = dyn_cast<CXXFunctionalCastExpr>(e);
		    f && f->isListInitialization())
			return true;
		refuse(e->getBeginLoc(), std::string("a ") + e->getStmtClassName() +
						 " whose type or operand is a template parameter");
		return true;
	}

	bool VisitCXXUnresolvedConstructExpr(CXXUnresolvedConstructExpr *e)
	{
		// T(x) with one argument is a C-style cast; T{x}, T() and T(a, b) construct.
		if (e->isListInitialization() || e->getNumArgs() != 1 || !evaluated(e))
			return true;
		refuse(e->getBeginLoc(), "a functional cast T(x) to a template parameter's type "
					 "(it may act as a C-style cast)");
		return true;
	}

private:
	static bool dependent(const Expr *e)
	{
		return e->isTypeDependent() || e->isValueDependent();
	}

	static bool maybe_pointer(const Expr *x)
	{
		x = x->IgnoreParenImpCasts();
		return x->isTypeDependent() && !isa<CallExpr>(x);
	}

	static bool dependent_cast(QualType to, const Expr *sub)
	{
		return to->isDependentType() || sub->isTypeDependent() || sub->isValueDependent();
	}

	void check_binary(BinaryOperatorKind op, const Expr *l, const Expr *r, SourceLocation at,
			  const Expr *whole)
	{
		switch (op) {
		case BO_Add:
		case BO_Sub:
		case BO_AddAssign:
		case BO_SubAssign:
			// A call's result is no pointer: the app's functions returning one are
			// refused where declared, the SDK's and the toolchain's where named.
			if ((maybe_pointer(l) || maybe_pointer(r)) && (!whole || evaluated(whole)))
				refuse(at,
				       "+/- on an operand whose type is a template parameter (it "
				       "may be pointer arithmetic)");
			break;
		case BO_Div:
		case BO_Rem:
		case BO_DivAssign:
		case BO_RemAssign: {
			if (whole && !evaluated(whole))
				break;
			Expr::EvalResult v;
			if (r->isValueDependent() || r->isTypeDependent() ||
			    !r->EvaluateAsInt(v, ctx_) || v.Val.getInt().isZero() ||
			    (v.Val.getInt().isSigned() && v.Val.getInt().isAllOnes()))
				refuse(at, "/ or % whose divisor is not a non-zero constant other "
					   "than -1");
			break;
		}
		case BO_PtrMemD:
		case BO_PtrMemI: refuse(at, ".* / ->* (a member pointer)"); break;
		default: break;
		}
	}

	void refuse(SourceLocation at, const std::string &what)
	{
		c_.report(at, "generic-code",
			  what + " in generic code (a template, a generic lambda or a lambda "
				 "with template parameters): what it does depends on the "
				 "template argument, and g++ may instantiate what Clang did not");
	}

	// A candidate of an unresolved call: the app's own functions (their bodies are
	// checked), the SDK's public functions that yield no pointer, a few std functions.
	void check_candidate(SourceLocation at, const NamedDecl *d)
	{
		d = d->getUnderlyingDecl();
		const FunctionDecl *f = d->getAsFunction();
		if (c_.expanded_in_user_file(d->getLocation()))
			return;
		if (!f) {
			refuse(at, "'" + d->getNameAsString() + "' (not a function) called");
			return;
		}
		if (f->getBuiltinID()) {
			if (!builtin_allowed(f->getName()) && !divergent_builtin(f->getBuiltinID()))
				refuse(at, "a call of the builtin '" + f->getNameAsString() + "'");
			return;
		}
		std::string name = f->getNameAsString();
		if (sdk_internal_name(f) || f->getOverloadedOperator() == OO_Arrow) {
			refuse(at, "'" + f->getQualifiedNameAsString() +
					   "', internal to the SDK or "
					   "the toolchain,");
			return;
		}
		QualType ret = f->getReturnType();
		if (!ret.isNull() && (ret->isPointerType() || ret->isMemberPointerType())) {
			refuse(at,
			       "'" + f->getQualifiedNameAsString() + "', which yields a pointer,");
			return;
		}
		auto origin = c_.file_origin(
			c_.sm().getFileID(c_.sm().getExpansionLoc(f->getLocation())));
		if (origin == Context::Origin::Sdk)
			return;
		for (const char *s : kStdGeneric)
			if (name == s)
				return;
		refuse(at, "'" + f->getQualifiedNameAsString() +
				   "' (a toolchain function not on the generic-code list)");
	}

	// A member named in a dependent expression is looked up at instantiation: refused
	// when any class of the SDK or the toolchain has a member of that name that yields
	// or holds a pointer, or the name is reserved.
	void check_member_name(SourceLocation at, DeclarationName n)
	{
		if (n.getNameKind() == DeclarationName::CXXOperatorName) {
			if (n.getCXXOverloadedOperator() == OO_Arrow)
				refuse(at, "calling operator-> (a raw pointer)");
			return;
		}
		if (!n.isIdentifier())
			return;
		llvm::StringRef s = n.getAsIdentifierInfo()->getName();
		if (s.startswith("__") || s.startswith("netext_") || s.endswith("_")) {
			refuse(at, "member '" + s.str() + "' (a reserved or SDK-internal name)");
			return;
		}
		if (pointer_members().contains(s))
			refuse(at, "member '" + s.str() +
					   "' (a member of that name in the SDK or the toolchain "
					   "yields or holds a raw pointer)");
	}

	const llvm::StringSet<> &pointer_members()
	{
		if (!pointer_members_built_) {
			pointer_members_built_ = true;
			collect(ctx_.getTranslationUnitDecl(), 0);
		}
		return pointer_members_;
	}

	void collect(const DeclContext *dc, int depth)
	{
		if (depth > 32)
			return;
		for (const Decl *d : dc->decls()) {
			if (const auto *t = dyn_cast<ClassTemplateDecl>(d))
				d = t->getTemplatedDecl();
			if (const auto *t = dyn_cast<FunctionTemplateDecl>(d))
				d = t->getTemplatedDecl();
			if (const auto *ns = dyn_cast<NamespaceDecl>(d)) {
				collect(ns, depth + 1);
				continue;
			}
			if (const auto *ls = dyn_cast<LinkageSpecDecl>(d)) {
				collect(ls, depth + 1);
				continue;
			}
			if (const auto *rd = dyn_cast<CXXRecordDecl>(d)) {
				if (rd->isThisDeclarationADefinition() &&
				    !c_.expanded_in_user_file(rd->getLocation()))
					collect(rd, depth + 1);
				continue;
			}
			if (!isa<CXXRecordDecl>(dc))
				continue;
			const auto *v = dyn_cast<ValueDecl>(d);
			if (!v || !v->getDeclName().isIdentifier())
				continue;
			QualType t = v->getType();
			if (const auto *m = dyn_cast<CXXMethodDecl>(v))
				t = m->getReturnType();
			if (t.isNull())
				continue;
			t = t.getNonReferenceType();
			while (const auto *a = t->getAsArrayTypeUnsafe())
				t = a->getElementType();
			if (t->isPointerType() || t->isMemberPointerType())
				pointer_members_.insert(v->getName());
		}
	}

	// Whether `e` is code that runs: not inside a requires-expression, a concept, a
	// sizeof/alignof, noexcept(), decltype, static_assert or a requires-clause (those are
	// compile-time predicates over types). A lambda's body runs wherever the lambda is.
	bool evaluated(const Expr *e)
	{
		DynTypedNode n = DynTypedNode::create(*e);
		for (int depth = 0; depth < 256; ++depth) {
			DynTypedNodeList ps = ctx_.getParents(n);
			if (ps.empty())
				return true;
			const DynTypedNode &p = ps[0];
			if (const auto *s = p.get<Stmt>()) {
				if (isa<LambdaExpr>(s))
					return true;
				if (isa<RequiresExpr, ConceptSpecializationExpr,
					UnaryExprOrTypeTraitExpr, CXXNoexceptExpr>(s))
					return false;
				if (const auto *t = dyn_cast<CXXTypeidExpr>(s);
				    t && !t->isPotentiallyEvaluated())
					return false;
			} else if (const auto *d = p.get<Decl>()) {
				if (isa<ConceptDecl, StaticAssertDecl, TemplateTypeParmDecl,
					NonTypeTemplateParmDecl, TemplateTemplateParmDecl>(d))
					return false;
				if (const auto *f = dyn_cast<FunctionDecl>(d)) {
					const Stmt *s = n.get<Stmt>();
					return !(s && s == f->getTrailingRequiresClause());
				}
				if (isa<FunctionTemplateDecl, ClassTemplateDecl,
					ClassTemplatePartialSpecializationDecl, VarTemplateDecl>(d))
					return false; // a template parameter list's requires-clause
				if (isa<VarDecl, FieldDecl>(d))
					return true;
			} else if (const auto *tl = p.get<TypeLoc>()) {
				if (tl->getAs<DecltypeTypeLoc>() || tl->getAs<TypeOfExprTypeLoc>())
					return false;
			}
			n = p;
		}
		return true;
	}

	llvm::StringSet<> pointer_members_;
	bool pointer_members_built_ = false;
};

} // namespace

void check_generic_code(Context &c, ASTContext &ctx)
{
	GenericCode v(c, ctx);
	v.run();
}

} // namespace netext::check
