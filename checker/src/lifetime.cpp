#include "lifetime.hpp"

#include "app_visitor.hpp"
#include "types.hpp"

#include <clang/AST/DeclCXX.h>
#include <clang/AST/DeclTemplate.h>
#include <clang/AST/ExprCXX.h>
#include <clang/AST/StmtCXX.h>
#include <llvm/ADT/DenseMap.h>
#include <llvm/ADT/SmallPtrSet.h>

#include <algorithm>
#include <vector>

using namespace clang;

namespace netext::check {

namespace {

bool is_initializer_list(QualType t)
{
	t = strip(t);
	const auto *rd = t->getAsCXXRecordDecl();
	return rd && rd->getQualifiedNameAsString() == "std::initializer_list";
}

// The context's members that never move the packet (everything else that is not const
// is taken to move it: adjust_head, adjust_tail, change_tail, and what comes next).
const char *const kNonMoving[] = {"redirect",	"fib_lookup4", "fib_lookup6",
				  "fib_result", "load_bytes",  "store_bytes",
				  "set_mark",	"packet",      "ingress_ifindex"};

// Calls, constructions and their direct children, without descending into lambdas' bodies
// when `into_lambdas` is false (a lambda's body runs where the lambda is called).
template <class F>
void walk(const Stmt *s, bool into_lambdas, F &&f)
{
	if (!s)
		return;
	f(s);
	if (const auto *l = dyn_cast<LambdaExpr>(s)) {
		for (const Expr *init : l->capture_inits())
			walk(init, into_lambdas, f);
		if (into_lambdas)
			walk(l->getBody(), into_lambdas, f);
		return;
	}
	for (const Stmt *child : s->children())
		walk(child, into_lambdas, f);
}

class Lifetimes : public AppVisitor<Lifetimes> {
public:
	using AppVisitor::AppVisitor;

	bool VisitFunctionDecl(FunctionDecl *f)
	{
		if (f->isImplicit() || !f->doesThisDeclarationHaveABody() || !f->getBody() ||
		    f->isDependentContext() || !c_.is_user(f->getBody()->getBeginLoc()))
			return true;
		// with its LambdaExpr, but a generic lambda's specialisations (the LambdaExpr
		// holds the pattern; AppVisitor walks them)
		if (const auto *m = dyn_cast<CXXMethodDecl>(f);
		    m && m->getParent()->isLambda() && !m->isFunctionTemplateSpecialization())
			return true;
		function(f, f->getLocation());
		return true;
	}

	bool VisitLambdaExpr(LambdaExpr *e)
	{
		CXXMethodDecl *op = e->getCallOperator();
		if (!op || op->isDependentContext() || !op->getBody())
			return true;
		function(op, e->getBeginLoc());
		return true;
	}

	bool VisitFieldDecl(FieldDecl *d)
	{
		if (!d->getType()->isDependentType() && is_initializer_list(d->getType()) &&
		    c_.is_user(d->getLocation()))
			c_.report(
				d->getLocation(), "dangling",
				"field '" + d->getNameAsString() +
					"' is a std::initializer_list: its array is a temporary of "
					"the expression that made it");
		return true;
	}

	// A local reference, view or Ref never refers into a temporary that dies at the end
	// of the statement (the temporary it is bound to directly lives as long as it does).
	bool VisitVarDecl(VarDecl *v)
	{
		if (!app_variable(v))
			return true;
		if (v->hasLocalStorage() && is_initializer_list(v->getType())) {
			c_.report(v->getLocation(), "dangling",
				  "'" + v->getNameAsString() +
					  "' is a std::initializer_list: its array is a temporary "
					  "(pass braced lists straight to a parameter)");
			return true;
		}
		if (!v->hasLocalStorage() || !holds_handle(v->getType()) || !v->getInit())
			return true;
		if (refers(v->getInit(), false, v, 0))
			c_.report(v->getLocation(), "dangling",
				  "'" + v->getNameAsString() +
					  "' refers into a temporary that dies at the end of its "
					  "declaration (a member or element of one, or what a call "
					  "returned from one)");
		return true;
	}

	// for (x : make().member()): the range is bound like a local reference.
	bool VisitCXXForRangeStmt(CXXForRangeStmt *s)
	{
		const VarDecl *range =
			s->getRangeStmt() && s->getRangeStmt()->isSingleDecl()
				? dyn_cast<VarDecl>(s->getRangeStmt()->getSingleDecl())
				: nullptr;
		if (!range || !range->getInit() || range->getType()->isDependentType())
			return true;
		if (refers(range->getInit(), false, range, 0))
			c_.report(s->getColonLoc(), "dangling",
				  "the range of this loop refers into a temporary that dies before "
				  "the loop runs (a member of one, or what a call returned from "
				  "one)");
		return true;
	}

	bool VisitCXXOperatorCallExpr(CXXOperatorCallExpr *e)
	{
		if (e->getOperator() == OO_Equal && e->getNumArgs() == 2 && !e->isTypeDependent())
			check_assignment(e->getArg(0), e->getArg(1), e->getOperatorLoc());
		return true;
	}

	bool VisitBinaryOperator(BinaryOperator *e)
	{
		if (e->getOpcode() == BO_Assign && !e->isTypeDependent())
			check_assignment(e->getLHS(), e->getRHS(), e->getOperatorLoc());
		return true;
	}

private:
	void check_assignment(const Expr *lhs, const Expr *rhs, SourceLocation at)
	{
		const auto *d = dyn_cast<DeclRefExpr>(lhs->IgnoreParenImpCasts());
		const auto *v = d ? dyn_cast<VarDecl>(d->getDecl()) : nullptr;
		if (!v || !v->hasLocalStorage() || v->getType()->isReferenceType() ||
		    !holds_handle(v->getType()))
			return; // through a reference: a copy into the referent
		if (refers(assigned_value(rhs), false, nullptr, 0))
			c_.report(
				at, "dangling",
				"'" + v->getNameAsString() +
					"' is made to refer into a temporary that dies at the end "
					"of the statement");
	}

	// What an assignment stores: operator='s parameter binds the value as a temporary.
	static const Expr *assigned_value(const Expr *rhs)
	{
		rhs = rhs->IgnoreParenImpCasts();
		if (const auto *m = dyn_cast<MaterializeTemporaryExpr>(rhs))
			return m->getSubExpr();
		return rhs;
	}

	bool sdk_decl(const Decl *d)
	{
		SourceLocation l = c_.sm().getExpansionLoc(d->getLocation());
		return l.isValid() && c_.file_origin(c_.sm().getFileID(l)) == Context::Origin::Sdk;
	}

	// Whether the value of `e` may refer into storage that dies before the value does.
	// frame: into the function's own frame (its automatic variables and every
	// temporary: for a return). Otherwise only into temporaries that die at the end of
	// the statement (for a local bound in the same frame; `binding` is the variable,
	// whose directly bound temporary lives as long as it does).
	bool refers(const Expr *e, bool frame, const VarDecl *binding, int depth)
	{
		if (!e || depth > 40)
			return false;
		++depth;
		e = e->IgnoreParens();
		if (const auto *ewc = dyn_cast<ExprWithCleanups>(e))
			return refers(ewc->getSubExpr(), frame, binding, depth);
		if (const auto *ic = dyn_cast<ImplicitCastExpr>(e)) {
			if (ic->getCastKind() == CK_LValueToRValue)
				return false; // a copy of a scalar
			return refers(ic->getSubExpr(), frame, binding, depth);
		}
		if (const auto *ce = dyn_cast<CastExpr>(e))
			return refers(ce->getSubExpr(), frame, binding, depth);
		if (const auto *m = dyn_cast<MaterializeTemporaryExpr>(e)) {
			if (!frame && binding && m->getExtendingDecl() == binding)
				return refers(m->getSubExpr(), frame, binding, depth);
			return true;
		}
		if (const auto *b = dyn_cast<CXXBindTemporaryExpr>(e))
			return refers(b->getSubExpr(), frame, binding, depth);
		if (const auto *il = dyn_cast<CXXStdInitializerListExpr>(e))
			return frame || refers(il->getSubExpr(), frame, binding, depth);
		if (const auto *d = dyn_cast<DeclRefExpr>(e)) {
			const auto *v = dyn_cast<VarDecl>(d->getDecl());
			if (!v || !v->hasLocalStorage())
				return false;
			if (v->getType()->isReferenceType())
				return frame && !isa<ParmVarDecl>(v) && var_refers(v, depth);
			if (!frame)
				return false;
			// a view or Ref local: what it refers to; any other local: itself
			return holds_handle(v->getType()) ? var_refers(v, depth) : true;
		}
		if (const auto *m = dyn_cast<MemberExpr>(e)) {
			if (isa<CXXThisExpr>(m->getBase()->IgnoreParenImpCasts()))
				return false;
			return refers(m->getBase(), frame, binding, depth);
		}
		if (const auto *a = dyn_cast<ArraySubscriptExpr>(e))
			return refers(a->getBase(), frame, binding, depth);
		if (const auto *c = dyn_cast<AbstractConditionalOperator>(e))
			return refers(c->getTrueExpr(), frame, binding, depth) ||
			       refers(c->getFalseExpr(), frame, binding, depth);
		if (const auto *b = dyn_cast<BinaryOperator>(e)) {
			if (b->getOpcode() == BO_Comma)
				return refers(b->getRHS(), frame, binding, depth);
			if (b->isAssignmentOp())
				return refers(b->getLHS(), frame, binding, depth);
			return false;
		}
		if (const auto *u = dyn_cast<UnaryOperator>(e)) {
			if (u->getOpcode() == UO_PreInc || u->getOpcode() == UO_PreDec)
				return refers(u->getSubExpr(), frame, binding, depth);
			return false;
		}
		if (const auto *call = dyn_cast<CallExpr>(e))
			return call_refers(call, frame, binding, depth);
		if (const auto *ctor = dyn_cast<CXXConstructExpr>(e)) {
			if (!holds_handle(ctor->getType()))
				return false;
			return std::any_of(ctor->arg_begin(), ctor->arg_end(), [&](const Expr *a) {
				return refers(a, frame, binding, depth);
			});
		}
		if (const auto *il = dyn_cast<InitListExpr>(e)) {
			if (!holds_handle(il->getType()))
				return false;
			return std::any_of(il->begin(), il->end(), [&](const Stmt *s) {
				return refers(dyn_cast_or_null<Expr>(s), frame, binding, depth);
			});
		}
		if (const auto *l = dyn_cast<LambdaExpr>(e)) {
			if (frame && std::any_of(l->capture_begin(), l->capture_end(),
						 [](const LambdaCapture &c) {
							 return c.capturesThis() ||
								(c.capturesVariable() &&
								 c.getCaptureKind() == LCK_ByRef);
						 }))
				return true;
			// A closure holding, by value, a view, Ref or reference into the frame
			// is itself frame-bound (red team round 3 l03).
			return std::any_of(l->capture_init_begin(), l->capture_init_end(),
					   [&](const Expr *init) {
						   return init && holds_handle(init->getType()) &&
							  refers(init, frame, nullptr, depth);
					   });
		}
		return false;
	}

	// A call's result refers where its object does (a member function returns into its
	// object), and, for the app's and the toolchain's functions, where any argument it
	// takes by reference (or as a view) does. The SDK's functions return references into
	// their object, a map or the packet only.
	bool call_refers(const CallExpr *call, bool frame, const VarDecl *binding, int depth)
	{
		// (the expression's type drops the reference a function returns)
		if (!holds_handle(call->getCallReturnType(ctx_)))
			return false;
		const FunctionDecl *f = call->getDirectCallee();
		const Expr *object = nullptr;
		unsigned first = 0;
		if (const auto *mc = dyn_cast<CXXMemberCallExpr>(call))
			object = mc->getImplicitObjectArgument();
		else if (isa<CXXOperatorCallExpr>(call) && f && isa<CXXMethodDecl>(f) &&
			 call->getNumArgs() > 0) {
			object = call->getArg(0);
			first = 1;
		}
		if (object && refers(object, frame, binding, depth))
			return true;
		if (!f || sdk_decl(f))
			return false;
		for (unsigned i = first; i < call->getNumArgs(); ++i) {
			unsigned p = i - first;
			QualType pt = p < f->getNumParams() ? f->getParamDecl(p)->getType()
							    : call->getArg(i)->getType();
			if (holds_handle(pt) && refers(call->getArg(i), frame, binding, depth))
				return true;
		}
		return false;
	}

	// A local reference, view or Ref: whether it was made to refer into the frame.
	bool var_refers(const VarDecl *v, int depth)
	{
		auto it = var_memo_.find(v);
		if (it != var_memo_.end())
			return it->second;
		var_memo_[v] = false; // a cycle adds nothing
		bool r = v->getInit() && refers(v->getInit(), true, nullptr, depth);
		if (!v->getType()->isReferenceType()) {
			for (const Expr *rhs : assigned_[v])
				r = r || refers(assigned_value(rhs), true, nullptr, depth);
			for (const Store &st : handed_[v])
				r = r || handed_refers(st, depth);
		}
		var_memo_[v] = r;
		return r;
	}

	void collect_assignments(const Stmt *body)
	{
		walk(body, true, [&](const Stmt *s) {
			const Expr *lhs = nullptr, *rhs = nullptr;
			if (const auto *b = dyn_cast<BinaryOperator>(s);
			    b && b->getOpcode() == BO_Assign) {
				lhs = b->getLHS();
				rhs = b->getRHS();
			} else if (const auto *o = dyn_cast<CXXOperatorCallExpr>(s);
				   o && o->getOperator() == OO_Equal && o->getNumArgs() == 2) {
				lhs = o->getArg(0);
				rhs = o->getArg(1);
			}
			if (lhs) {
				if (const VarDecl *v = stored_root(lhs))
					assigned_[v].push_back(rhs);
				return;
			}
			// A call given a local by non-const reference may store into it what
			// its other arguments refer to.
			if (const auto *call = dyn_cast<CallExpr>(s))
				for (const Store &st : call_stores(call))
					if (const VarDecl *v = stored_root(st.dest))
						handed_[v].push_back(st);
		});
	}

	// ---- stores of frame-bound references into what outlives the frame ----

	// The variable a store into `e` lands in: the object its members and elements belong
	// to; nullptr when the store goes through `this`, a pointer, a call's result...
	static const VarDecl *stored_root(const Expr *e)
	{
		for (;;) {
			e = e->IgnoreParenImpCasts();
			if (const auto *m = dyn_cast<MemberExpr>(e); m && !m->isArrow())
				e = m->getBase();
			else if (const auto *a = dyn_cast<ArraySubscriptExpr>(e))
				e = a->getBase();
			else
				break;
		}
		const auto *d = dyn_cast<DeclRefExpr>(e);
		return d ? dyn_cast<VarDecl>(d->getDecl()) : nullptr;
	}

	// A temporary object (IgnoreParenImpCasts would skip the materialisation).
	static bool is_temporary(const Expr *e)
	{
		for (;;) {
			e = e->IgnoreParens();
			if (const auto *ic = dyn_cast<ImplicitCastExpr>(e))
				e = ic->getSubExpr();
			else if (const auto *fe = dyn_cast<FullExpr>(e))
				e = fe->getSubExpr();
			else
				return isa<MaterializeTemporaryExpr, CXXBindTemporaryExpr>(e);
		}
	}

	// An object of f's own frame: a local or by-value parameter of f itself (not one
	// a lambda captured from the function around it, not a reference to something else).
	static bool frame_local(const VarDecl *v, const FunctionDecl *f)
	{
		if (!v || !v->hasLocalStorage() || v->getType()->isReferenceType())
			return false;
		const auto *owner = dyn_cast_or_null<FunctionDecl>(v->getParentFunctionOrMethod());
		return owner && owner->getCanonicalDecl() == f->getCanonicalDecl();
	}

	// A store destination: an object of a type that can hold a reference, view or Ref
	// (the program's context excepted: the SDK's, it holds no app memory).
	static bool handle_holder(QualType t)
	{
		return !t.isNull() && !t->isDependentType() &&
		       holds_reference(t.getNonReferenceType()) && !is_context_type(t);
	}

	// What a call may store where: pairs (destination, argument) for each argument the
	// callee takes by non-const reference (or as its non-const object) whose type can
	// hold a reference, view or Ref, and each other argument that may hand it something
	// in the caller's frame -- a view or Ref value, or (but for the SDK's functions,
	// which store only values) an object of class or array type taken by reference.
	// Scalars are left out: nothing makes a Ref to a scalar variable.
	struct Store {
		const Expr *dest;
		const Expr *arg;
		bool by_ref; // the argument is taken by reference
	};

	std::vector<Store> call_stores(const CallExpr *call)
	{
		std::vector<Store> out;
		const FunctionDecl *f = call->getDirectCallee();
		if (!f || call->isTypeDependent())
			return out;
		if (const auto *op = dyn_cast<CXXOperatorCallExpr>(call);
		    op && op->getOperator() == OO_Equal)
			return out; // an assignment: check_stores and collect_assignments
		bool trusted = sdk_decl(f);
		std::vector<const Expr *> dests;
		std::vector<std::pair<const Expr *, QualType>> args; // with the parameter type
		unsigned first = 0;
		const auto *m = dyn_cast<CXXMethodDecl>(f);
		if (const auto *mc = dyn_cast<CXXMemberCallExpr>(call)) {
			if (m && !m->isConst() && !m->isStatic() &&
			    handle_holder(mc->getImplicitObjectArgument()->getType()))
				dests.push_back(mc->getImplicitObjectArgument());
		} else if (isa<CXXOperatorCallExpr>(call) && m && call->getNumArgs() > 0) {
			first = 1;
			if (!m->isConst() && handle_holder(call->getArg(0)->getType()))
				dests.push_back(call->getArg(0));
		}
		for (unsigned i = first; i < call->getNumArgs(); ++i) {
			unsigned p = i - first;
			QualType pt = p < f->getNumParams() ? f->getParamDecl(p)->getType()
							    : call->getArg(i)->getType();
			args.emplace_back(call->getArg(i), pt);
			if (pt->isLValueReferenceType() &&
			    !pt.getNonReferenceType().isConstQualified() && handle_holder(pt))
				dests.push_back(call->getArg(i));
		}
		for (const Expr *d : dests)
			for (const auto &[a, pt] : args) {
				if (a == d)
					continue;
				QualType at = a->getType().getCanonicalType();
				bool handle = holds_handle(at);
				bool object = !trusted && pt->isReferenceType() &&
					      (at->isRecordType() || at->isArrayType());
				if (handle || object)
					out.push_back({d, a, pt->isReferenceType()});
			}
		return out;
	}

	// Whether an argument a call may store (see call_stores) refers into the frame: the
	// view or Ref value into it, or, taken by reference, the object itself a local or a
	// temporary.
	bool handed_refers(const Store &st, int depth)
	{
		const Expr *a = st.arg;
		if (holds_handle(a->getType()) && refers(assigned_value(a), true, nullptr, depth))
			return true;
		QualType t = a->getType().getCanonicalType();
		if (!st.by_ref || (!t->isRecordType() && !t->isArrayType()))
			return false;
		if (is_temporary(a))
			return true;
		const VarDecl *v = stored_root(a);
		return v && v->hasLocalStorage() && !v->getType()->isReferenceType();
	}

	void check_stores(const FunctionDecl *f)
	{
		const char *outlives = " which outlives this function's frame (an out-parameter, a "
				       "field of a by-reference argument or of the object, a "
				       "variable captured by reference, a global)";
		walk(f->getBody(), false, [&](const Stmt *s) {
			const Expr *lhs = nullptr, *rhs = nullptr;
			SourceLocation at;
			if (const auto *b = dyn_cast<BinaryOperator>(s);
			    b && b->getOpcode() == BO_Assign) {
				lhs = b->getLHS();
				rhs = b->getRHS();
				at = b->getOperatorLoc();
			} else if (const auto *o = dyn_cast<CXXOperatorCallExpr>(s);
				   o && o->getOperator() == OO_Equal && o->getNumArgs() == 2) {
				lhs = o->getArg(0);
				rhs = o->getArg(1);
				at = o->getOperatorLoc();
			}
			if (lhs) {
				if (lhs->isTypeDependent() || !handle_holder(lhs->getType()) ||
				    frame_local(stored_root(lhs), f))
					return;
				if (refers(assigned_value(rhs), true, nullptr, 0))
					c_.report(at, "dangling",
						  "stores a reference, view or Ref into this "
						  "function's frame (a local, a by-value parameter "
						  "or "
						  "a temporary) into an object" +
							  std::string(outlives));
				return;
			}
			const auto *call = dyn_cast<CallExpr>(s);
			if (!call)
				return;
			for (const Store &st : call_stores(call)) {
				const Expr *other = st.arg;
				const VarDecl *v = stored_root(st.dest);
				if (frame_local(v, f)) {
					// the local lives on: not into a temporary
					if (is_temporary(other) && !holds_handle(other->getType()))
						c_.report(
							other->getBeginLoc(), "dangling",
							"a temporary passed with '" +
								v->getNameAsString() +
								"' to a call that may store a "
								"reference into it there: the "
								"temporary dies at the end of the "
								"statement");
					continue;
				}
				if (handed_refers(st, 0)) {
					c_.report(
						other->getBeginLoc(), "dangling",
						"passes a reference, view or Ref into this "
						"function's frame (or a local or temporary by "
						"reference) to '" +
							call->getDirectCallee()->getNameAsString() +
							"' together with an object it may store it "
							"in," +
							std::string(outlives));
					return;
				}
			}
		});
		// Members set by a constructor outlive it: the object is the caller's.
		if (const auto *ctor = dyn_cast<CXXConstructorDecl>(f))
			for (const CXXCtorInitializer *ci : ctor->inits())
				if (ci->isWritten() && ci->getInit() && ci->getMember() &&
				    handle_holder(ci->getMember()->getType()) &&
				    refers(ci->getInit(), true, nullptr, 0))
					c_.report(
						ci->getSourceLocation(), "dangling",
						"member '" + ci->getMember()->getNameAsString() +
							"' is made to refer into the constructor's "
							"frame (a by-value parameter, a "
							"temporary), "
							"but the object outlives it");
	}

	// ---- one function (or lambda) ----

	void function(const FunctionDecl *f, SourceLocation at)
	{
		collect_assignments(f->getBody());
		QualType rt = f->getReturnType();
		if (is_initializer_list(rt))
			c_.report(at, "dangling",
				  "'" + f->getNameAsString() +
					  "' returns a std::initializer_list: its array dies with "
					  "the "
					  "function's frame");
		else if (holds_handle(rt) && !is_context_type(rt))
			check_returns(f, f->getBody(), rt);
		check_stores(f);
		check_packet_moves(f);
	}

	void check_returns(const FunctionDecl *f, const Stmt *s, QualType rt)
	{
		if (!s || isa<LambdaExpr>(s))
			return;
		if (const auto *r = dyn_cast<ReturnStmt>(s)) {
			const Expr *e = r->getRetValue();
			if (e && (names_own_object(e, rt) || refers(e, true, nullptr, 0)))
				c_.report(r->getReturnLoc(), "dangling",
					  "'" + f->getNameAsString() +
						  "' returns a reference, view or Ref into its own "
						  "frame (a local, a temporary or a braced list), "
						  "which "
						  "dies when it returns");
			return;
		}
		for (const Stmt *child : s->children())
			check_returns(f, child, rt);
	}

	// `return local;` (or a member or element of it) from a function returning a
	// reference.
	static bool names_own_object(const Expr *e, QualType rt)
	{
		if (!rt->isReferenceType())
			return false;
		const VarDecl *v = stored_root(e);
		return v && v->hasLocalStorage() && !v->getType()->isReferenceType();
	}

	// ---- the packet moving under views ----

	bool call_moves(const Stmt *s)
	{
		if (const auto *ctor = dyn_cast<CXXConstructExpr>(s)) {
			const CXXConstructorDecl *cd = ctor->getConstructor();
			return cd && c_.expanded_in_user_file(cd->getLocation()) &&
			       function_moves(cd);
		}
		const auto *call = dyn_cast<CallExpr>(s);
		if (!call)
			return false;
		const FunctionDecl *f = call->getDirectCallee();
		if (!f)
			return false;
		if (const auto *m = dyn_cast<CXXMethodDecl>(f);
		    m && is_context_type(ctx_.getRecordType(m->getParent()))) {
			if (m->isConst() || isa<CXXConstructorDecl>(m) || isa<CXXDestructorDecl>(m))
				return false;
			llvm::StringRef n = m->getDeclName().isIdentifier() ? m->getName() : "";
			return std::none_of(std::begin(kNonMoving), std::end(kNonMoving),
					    [&](const char *x) { return n == x; });
		}
		if (c_.expanded_in_user_file(f->getLocation()))
			return function_moves(f);
		// The SDK's or the toolchain's: moves if what it is given to call moves (a
		// lambda, netext::loop<step>'s step).
		if (const TemplateArgumentList *ta = f->getTemplateSpecializationArgs())
			for (const TemplateArgument &a : ta->asArray())
				if (a.getKind() == TemplateArgument::Declaration)
					if (const auto *fd = dyn_cast<FunctionDecl>(a.getAsDecl());
					    fd && function_moves(fd))
						return true;
		for (const Expr *a : call->arguments()) {
			const auto *rd = a->getType().getNonReferenceType()->getAsCXXRecordDecl();
			if (rd && rd->isLambda())
				if (const CXXMethodDecl *op = rd->getLambdaCallOperator();
				    op && function_moves(op))
					return true;
		}
		return false;
	}

	bool function_moves(const FunctionDecl *f)
	{
		if (const FunctionDecl *def = f->getDefinition())
			f = def;
		auto it = moves_.find(f);
		if (it != moves_.end())
			return it->second;
		moves_[f] = false; // recursion is refused elsewhere
		bool r = false;
		walk(f->getBody(), false, [&](const Stmt *s) { r = r || call_moves(s); });
		moves_[f] = r;
		return r;
	}

	// Whether an expression involves the packet: a context, or a variable that does.
	bool mentions_packet(const Stmt *s, const llvm::SmallPtrSetImpl<const VarDecl *> &tainted)
	{
		bool r = false;
		walk(s, true, [&](const Stmt *x) {
			if (const auto *d = dyn_cast<DeclRefExpr>(x))
				if (const auto *v = dyn_cast<VarDecl>(d->getDecl()))
					r = r || tainted.count(v) || is_context_type(v->getType());
		});
		return r;
	}

	bool before(SourceLocation a, SourceLocation b)
	{
		return c_.sm().isBeforeInTranslationUnit(c_.sm().getExpansionLoc(a),
							 c_.sm().getExpansionLoc(b));
	}

	bool within(SourceLocation l, SourceRange r)
	{
		return !before(l, r.getBegin()) && !before(r.getEnd(), l);
	}

	void check_packet_moves(const FunctionDecl *f)
	{
		const Stmt *body = f->getBody();
		std::vector<const Stmt *> moving, loops, returns;
		std::vector<const VarDecl *> locals;
		walk(body, false, [&](const Stmt *s) {
			if (isa<ReturnStmt>(s))
				returns.push_back(s);
			if (s != body && call_moves(s))
				moving.push_back(s);
			if (isa<ForStmt, WhileStmt, DoStmt, CXXForRangeStmt>(s))
				loops.push_back(s);
			if (const auto *ds = dyn_cast<DeclStmt>(s))
				for (const Decl *d : ds->decls())
					if (const auto *v = dyn_cast<VarDecl>(d))
						locals.push_back(v);
		});
		if (moving.empty())
			return;
		// Views, Refs and references that may point into the packet: such parameters
		// (but the context), and locals made from the context or from such variables.
		llvm::SmallPtrSet<const VarDecl *, 16> tainted;
		for (const ParmVarDecl *p : f->parameters())
			if (!is_context_type(p->getType()) &&
			    holds_reference(p->getType().getNonReferenceType()))
				tainted.insert(p);
		for (bool changed = true; changed;) {
			changed = false;
			for (const VarDecl *v : locals) {
				if (tainted.count(v) || !holds_handle(v->getType()) ||
				    is_context_type(v->getType()))
					continue;
				bool t = v->getInit() && mentions_packet(v->getInit(), tainted);
				for (const Expr *rhs : assigned_[v])
					t = t || mentions_packet(rhs, tainted);
				if (t)
					changed = tainted.insert(v).second || changed;
			}
		}
		// A by-reference argument into the packet, given to a function that moves it.
		for (const Stmt *s : moving) {
			const auto *call = dyn_cast<CallExpr>(s);
			const FunctionDecl *callee = call ? call->getDirectCallee() : nullptr;
			if (!callee || !c_.expanded_in_user_file(callee->getLocation()))
				continue;
			unsigned first =
				isa<CXXOperatorCallExpr>(call) && isa<CXXMethodDecl>(callee);
			for (unsigned i = first; i < call->getNumArgs(); ++i) {
				unsigned p = i - first;
				if (p >= callee->getNumParams())
					break;
				QualType pt = callee->getParamDecl(p)->getType();
				if (!pt->isReferenceType() || is_context_type(pt) ||
				    holds_reference(pt.getNonReferenceType()))
					continue;
				if (mentions_packet(call->getArg(i), tainted) &&
				    !is_context_type(call->getArg(i)->getType()))
					c_.report(call->getArg(i)->getBeginLoc(), "packet-move",
						  "a reference into the packet passed to '" +
							  callee->getNameAsString() +
							  "', which moves the packet: it dangles "
							  "there after the move");
			}
		}
		// Uses after a move: later in the source, or anywhere in a loop around it.
		llvm::SmallPtrSet<const VarDecl *, 16> reported;
		walk(body, true, [&](const Stmt *s) {
			const auto *d = dyn_cast<DeclRefExpr>(s);
			const auto *v = d ? dyn_cast<VarDecl>(d->getDecl()) : nullptr;
			if (!v || !tainted.count(v) || reported.count(v))
				return;
			for (const Stmt *m : moving) {
				if (!before(v->getLocation(), m->getBeginLoc()) &&
				    !isa<ParmVarDecl>(v))
					continue;
				bool after = before(m->getEndLoc(), d->getLocation());
				// a move in a return statement: only the rest of that statement
				// runs
				bool in_return = std::any_of(
					returns.begin(), returns.end(), [&](const Stmt *r) {
						return within(m->getBeginLoc(),
							      r->getSourceRange());
					});
				if (in_return) {
					after = after &&
						std::any_of(returns.begin(), returns.end(),
							    [&](const Stmt *r) {
								    SourceRange rr =
									    r->getSourceRange();
								    return within(m->getBeginLoc(),
										  rr) &&
									   within(d->getLocation(),
										  rr);
							    });
				}
				bool looped = false;
				for (const Stmt *l : loops) {
					SourceRange lr = l->getSourceRange();
					if (!within(m->getBeginLoc(), lr) ||
					    !within(d->getLocation(), lr))
						continue;
					const Stmt *lb = nullptr;
					if (const auto *fs = dyn_cast<ForStmt>(l))
						lb = fs->getBody();
					else if (const auto *ws = dyn_cast<WhileStmt>(l))
						lb = ws->getBody();
					else if (const auto *ds = dyn_cast<DoStmt>(l))
						lb = ds->getBody();
					else if (const auto *rs = dyn_cast<CXXForRangeStmt>(l))
						lb = rs->getBody();
					if (!in_return && (!lb || !within(v->getLocation(),
									  lb->getSourceRange())))
						looped = true;
				}
				if (!after && !looped)
					continue;
				reported.insert(v);
				c_.report(
					d->getLocation(), "packet-move",
					"'" + v->getNameAsString() +
						"' may refer into the packet and was made before a "
						"call that moves the packet, but is used " +
						(after ? "after it"
						       : "again in the loop around it") +
						": it may point at bytes that are no longer the "
						"packet's");
				return;
			}
		});
	}

	llvm::DenseMap<const VarDecl *, bool> var_memo_;
	llvm::DenseMap<const VarDecl *, std::vector<const Expr *>> assigned_;
	llvm::DenseMap<const VarDecl *, std::vector<Store>> handed_;
	llvm::DenseMap<const FunctionDecl *, bool> moves_;
};

} // namespace

void check_lifetimes(Context &c, ASTContext &ctx)
{
	Lifetimes(c, ctx).run();
}

} // namespace netext::check
