#include "visitor.hpp"

#include "allowlist.hpp"
#include "loops.hpp"
#include "templates.hpp"
#include "types.hpp"

#include <clang/AST/Attr.h>
#include <clang/AST/DeclCXX.h>
#include <clang/AST/DeclTemplate.h>
#include <clang/AST/ExprCXX.h>
#include <clang/AST/ParentMapContext.h>
#include <clang/AST/RecursiveASTVisitor.h>
#include <clang/AST/StmtCXX.h>
#include <clang/Basic/Builtins.h>
#include <llvm/ADT/DenseSet.h>

#include <algorithm>

using namespace clang;

namespace netext::check {

namespace {

// std functions that are builtins in Clang but are plain casts.
const char *const kStdCastBuiltins[] = {"move", "forward", "move_if_noexcept", "as_const",
					"forward_like"};

const char *const kAllocFunctions[] = {"malloc",
				       "calloc",
				       "realloc",
				       "free",
				       "aligned_alloc",
				       "posix_memalign",
				       "alloca",
				       "valloc",
				       "pvalloc",
				       "memalign",
				       "strdup",
				       "strndup",
				       "make_unique",
				       "make_shared",
				       "allocate_shared",
				       "make_unique_for_overwrite",
				       "make_shared_for_overwrite"};

template <size_t N>
bool in(const char *const (&list)[N], llvm::StringRef s)
{
	return std::any_of(list, list + N, [&](const char *x) { return s == x; });
}

bool involves_pointer(QualType a, QualType b)
{
	auto p = [](QualType t) {
		t = t.getCanonicalType();
		return t->isPointerType() || t->isMemberPointerType();
	};
	return p(a) || p(b);
}

bool reinterpreting(CastKind k)
{
	return k == CK_BitCast || k == CK_LValueBitCast || k == CK_IntegralToPointer ||
	       k == CK_PointerToIntegral || k == CK_ReinterpretMemberPointer ||
	       k == CK_BaseToDerived;
}

bool is_arrow_call(const CallExpr *e)
{
	const auto *op = dyn_cast<CXXOperatorCallExpr>(e);
	return op && op->getOperator() == OO_Arrow;
}

// Whether a lambda captures anything by reference (or `this`), or defaults to it.
bool captures_by_reference(const LambdaExpr *e)
{
	if (e->getCaptureDefault() == LCD_ByRef)
		return true;
	for (const LambdaCapture &c : e->captures())
		if (c.capturesThis() || c.capturesVLAType() ||
		    (c.capturesVariable() && c.getCaptureKind() == LCK_ByRef))
			return true;
	return false;
}

class Checker : public RecursiveASTVisitor<Checker> {
public:
	Checker(Context &c, ASTContext &ctx) : c_(c), ctx_(ctx), loops_(c, ctx) {}

	bool shouldVisitTemplateInstantiations() const { return true; }
	bool shouldVisitLambdaBody() const { return true; }

	// Only what sits in the app's files is walked: the SDK and toolchain headers are
	// trusted, and their templates' instantiations are theirs too.
	bool TraverseDecl(Decl *d)
	{
		if (!d)
			return true;
		if (!isa<TranslationUnitDecl>(d) && !c_.expanded_in_user_file(d->getLocation()))
			return true;
		return RecursiveASTVisitor::TraverseDecl(d);
	}

	// A generic lambda's instantiated bodies too (red team round 3 H1).
	bool TraverseLambdaExpr(LambdaExpr *e, DataRecursionQueue *q = nullptr)
	{
		return RecursiveASTVisitor::TraverseLambdaExpr(e, q) &&
		       traverse_lambda_specializations(*this, e);
	}

	std::vector<const FunctionDecl *> functions;

	// ---- the allow-list, by kind ----

	bool VisitDecl(Decl *d)
	{
		if (d->isImplicit())
			return true;
		if (const Entry *e = decl_entry(d->getKind()); !e)
			c_.report(d->getLocation(), "not-allowed",
				  std::string("declaration of kind '") + d->getDeclKindName() +
					  "' is not on the allow-list");
		else if (e->rule && *e->rule)
			c_.report(d->getLocation(), e->rule, e->why);
		for (const Attr *a : d->attrs())
			if (!a->isImplicit() && !a->isInherited())
				check_attr(a);
		check_alignment(d);
		return true;
	}

	bool VisitStmt(Stmt *s)
	{
		if (const Entry *e = stmt_entry(s->getStmtClass()); !e)
			c_.report(s->getBeginLoc(), "not-allowed",
				  std::string("'") + s->getStmtClassName() +
					  "' is not on the allow-list");
		else if (e->rule && *e->rule)
			c_.report(s->getBeginLoc(), e->rule, e->why);
		return true;
	}

	bool VisitAttributedStmt(AttributedStmt *s)
	{
		for (const Attr *a : s->getAttrs())
			check_attr(a);
		return true;
	}

	bool VisitAttributedTypeLoc(AttributedTypeLoc tl)
	{
		if (const Attr *a = tl.getAttr())
			check_attr(a);
		else
			c_.report(tl.getBeginLoc(), "attribute",
				  "type attribute is not on the allow-list");
		return true;
	}

	// ---- types ----

	bool VisitTypeLoc(TypeLoc tl)
	{
		QualType t = tl.getType();
		if (t.isNull() || tl.getTypeLocClass() == TypeLoc::Qualified)
			return true;
		const Type *ty = tl.getTypePtr();
		const Entry *e = type_entry(ty->getTypeClass());
		if (!e) {
			c_.report(tl.getBeginLoc(), "not-allowed",
				  "type '" + type_str(t, ctx_) + "' (" + ty->getTypeClassName() +
					  ") is not on the allow-list");
			return true;
		}
		if (const auto *b = dyn_cast<BuiltinType>(ty))
			check_builtin(tl.getBeginLoc(), b, t);
		if (auto p = tl.getAs<PointerTypeLoc>()) {
			if (p.getPointeeLoc().getType()->isFunctionType())
				c_.report(p.getStarLoc(), "function-pointer",
					  "function pointer type '" + type_str(t, ctx_) +
						  "': calls through it are indirect");
			else
				c_.report(p.getStarLoc(), "raw-pointer",
					  "raw pointer type '" + type_str(t, ctx_) +
						  "': it can point anywhere and be used after what "
						  "it points to is gone");
			return true;
		}
		if (auto m = tl.getAs<MemberPointerTypeLoc>()) {
			c_.report(m.getStarLoc(), "function-pointer",
				  "pointer-to-member type '" + type_str(t, ctx_) + "'");
			return true;
		}
		if (e->rule && *e->rule) {
			c_.report(tl.getBeginLoc(), e->rule,
				  std::string(e->why) + ": '" + type_str(t, ctx_) + "'");
			return true;
		}
		if (auto r = tl.getAs<ReferenceTypeLoc>()) {
			if (r.getPointeeLoc().getType()->isFunctionType())
				c_.report(r.getBeginLoc(), "function-pointer",
					  "function reference type '" + type_str(t, ctx_) + "'");
			return true;
		}
		// Sugar that can hide what it names: aliases, auto, decltype, template
		// parameters. What it stands for is checked like a written type.
		if (tl.getAs<TypedefTypeLoc>() || tl.getAs<UsingTypeLoc>() ||
		    tl.getAs<AutoTypeLoc>() || tl.getAs<DecltypeTypeLoc>() ||
		    tl.getAs<SubstTemplateTypeParmTypeLoc>() || tl.getAs<UnaryTransformTypeLoc>() ||
		    (tl.getAs<TemplateSpecializationTypeLoc>() &&
		     tl.getAs<TemplateSpecializationTypeLoc>().getTypePtr()->isTypeAlias()))
			check_sugar(tl, t);
		if (auto ts = tl.getAs<TemplateSpecializationTypeLoc>()) {
			std::vector<TemplateArgumentLoc> args;
			for (unsigned i = 0; i < ts.getNumArgs(); ++i)
				args.push_back(ts.getArgLoc(i));
			check_template_args(args,
					    ts.getTypePtr()->getTemplateName().getAsTemplateDecl());
			if (const TemplateDecl *td =
				    ts.getTypePtr()->getTemplateName().getAsTemplateDecl())
				check_name(ts.getTemplateNameLoc(), td);
		}
		if (auto tag = tl.getAs<TagTypeLoc>())
			check_name(tag.getNameLoc(), tag.getDecl());
		if (auto td = tl.getAs<TypedefTypeLoc>())
			check_name(td.getNameLoc(), td.getTypedefNameDecl());
		if (const CXXRecordDecl *rd = t->getAsCXXRecordDecl()) {
			if (tl.getAs<RecordTypeLoc>() ||
			    tl.getAs<TemplateSpecializationTypeLoc>()) {
				std::string n = rd->getQualifiedNameAsString();
				if (n == "std::function" || n == "std::move_only_function" ||
				    n == "std::function_ref")
					c_.report(tl.getBeginLoc(), "indirect-call",
						  "'" + n + "' calls through a pointer");
			}
		}
		return true;
	}

	// ---- names ----

	bool VisitDeclRefExpr(DeclRefExpr *e)
	{
		if (e->hasExplicitTemplateArgs())
			check_template_args(e->template_arguments(), e->getDecl());
		if (!implicit_refs_.count(e))
			check_name(e->getLocation(), e->getDecl());
		return true;
	}

	bool VisitUsingDecl(UsingDecl *d)
	{
		for (const UsingShadowDecl *s : d->shadows())
			check_name(d->getLocation(), s->getTargetDecl());
		return true;
	}

	bool VisitUsingDirectiveDecl(UsingDirectiveDecl *d)
	{
		check_name(d->getIdentLocation(), d->getNominatedNamespace());
		return true;
	}

	bool VisitNamespaceAliasDecl(NamespaceAliasDecl *d)
	{
		check_name(d->getTargetNameLoc(), d->getNamespace());
		return true;
	}

	// What the app may add to a namespace it does not own (the SDK's, the toolchain's):
	// nothing but a new namespace of its own directly in ::netext (apps live in
	// netext::<app>). Specialisations, deduction guides and overloads placed in std,
	// netext or boost are refused here.
	bool VisitNamespaceDecl(NamespaceDecl *d)
	{
		if (!c_.is_user(d->getLocation().isValid() ? d->getLocation() : d->getBeginLoc()))
			return true;
		if (owned_by_app(d->getOriginalNamespace()))
			return true;
		const auto *parent = dyn_cast<NamespaceDecl>(d->getParent());
		bool sdk_root = d->getName() == "netext" && !parent &&
				isa<TranslationUnitDecl>(d->getParent());
		if (!sdk_root) {
			c_.report(d->getLocation().isValid() ? d->getLocation() : d->getBeginLoc(),
				  "sdk-specialization",
				  "reopening namespace '" + d->getQualifiedNameAsString() +
					  "', which the SDK or the toolchain owns");
			return true;
		}
		for (const Decl *inner : d->decls()) {
			if (inner->isImplicit())
				continue;
			const auto *ns = dyn_cast<NamespaceDecl>(inner);
			if (ns && !ns->isAnonymousNamespace())
				continue; // checked when visited
			c_.report(inner->getLocation(), "sdk-specialization",
				  "declaring something directly in namespace netext: only the "
				  "app's own namespace (netext::<app>) may be added there");
		}
		return true;
	}

	// ---- expressions ----

	bool VisitUnaryOperator(UnaryOperator *e)
	{
		if (e->isTypeDependent())
			return true;
		Expr *sub = e->getSubExpr()->IgnoreParenImpCasts();
		switch (e->getOpcode()) {
		case UO_AddrOf:
			if (e->getType()->isMemberPointerType())
				c_.report(e->getOperatorLoc(), "function-pointer",
					  "taking a pointer to member");
			else if (sub->getType()->isFunctionType())
				c_.report(e->getOperatorLoc(), "function-pointer",
					  "taking the address of a function");
			else
				c_.report(e->getOperatorLoc(), "raw-pointer",
					  "taking an address makes a raw pointer");
			break;
		case UO_Deref:
			if (!isa<CXXThisExpr>(sub) && e->getSubExpr()->getType()->isPointerType())
				c_.report(e->getOperatorLoc(), "raw-pointer",
					  "dereferencing a raw pointer");
			break;
		case UO_PreInc:
		case UO_PreDec:
		case UO_PostInc:
		case UO_PostDec:
			if (e->getSubExpr()->getType()->isPointerType())
				c_.report(e->getOperatorLoc(), "pointer-arithmetic",
					  "incrementing or decrementing a pointer");
			break;
		default: break;
		}
		return true;
	}

	bool VisitBinaryOperator(BinaryOperator *e)
	{
		if (e->isTypeDependent() || e->isValueDependent())
			return true;
		switch (e->getOpcode()) {
		case BO_Add:
		case BO_Sub:
		case BO_AddAssign:
		case BO_SubAssign:
			if (e->getLHS()->getType()->isPointerType() ||
			    e->getRHS()->getType()->isPointerType()) {
				// the array decays are part of this pointer arithmetic
				note_decay(e->getLHS());
				note_decay(e->getRHS());
				c_.report(e->getOperatorLoc(), "pointer-arithmetic",
					  "pointer arithmetic: nothing keeps the result inside "
					  "the object");
			}
			break;
		case BO_PtrMemD:
		case BO_PtrMemI:
			c_.report(e->getOperatorLoc(), "function-pointer",
				  "access through a pointer to member");
			break;
		default:
			// comparing array addresses reads nothing
			if (e->isComparisonOp()) {
				note_decay(e->getLHS());
				note_decay(e->getRHS());
			}
			break;
		}
		return true;
	}

	// a[i] on an array: the index must be a constant inside the array, or masked
	// below its size; anything else goes through a checked accessor.
	bool VisitArraySubscriptExpr(ArraySubscriptExpr *e)
	{
		if (e->isTypeDependent() || e->isValueDependent())
			return true;
		const Expr *base = e->getBase()->IgnoreParens();
		if (const auto *ic = dyn_cast<ImplicitCastExpr>(base);
		    ic && ic->getCastKind() == CK_ArrayToPointerDecay) {
			decay_ok_.insert(ic);
			QualType at = ic->getSubExpr()->getType().getCanonicalType();
			const auto *cat = dyn_cast<ConstantArrayType>(at.getTypePtr());
			check_index(e->getIdx(), cat ? cat->getSize().getZExtValue() : 0,
				    e->getRBracketLoc(), "array");
			return true;
		}
		if (base->getType()->isPointerType())
			c_.report(e->getRBracketLoc(), "pointer-arithmetic",
				  "subscripting a raw pointer: nothing bounds the index");
		return true;
	}

	bool VisitMemberExpr(MemberExpr *e)
	{
		if (e->hasExplicitTemplateArgs())
			check_template_args(e->template_arguments(), e->getMemberDecl());
		if (!isa<CXXConversionDecl>(e->getMemberDecl()) && !implicit_members_.count(e))
			check_name(e->getMemberLoc(), e->getMemberDecl());
		if (!e->isArrow())
			return true;
		const Expr *base = e->getBase()->IgnoreParenImpCasts();
		// this-> and a handle's overloaded operator-> (Ref<T>) are fine.
		if (isa<CXXThisExpr>(base) || isa<CXXOperatorCallExpr>(base))
			return true;
		if (base->getType()->isPointerType())
			c_.report(e->getOperatorLoc(), "raw-pointer",
				  "member access through a raw pointer");
		return true;
	}

	bool VisitImplicitCastExpr(ImplicitCastExpr *e)
	{
		CastKind k = e->getCastKind();
		if (k == CK_FunctionToPointerDecay) {
			if (!callees_.count(e))
				c_.report(e->getBeginLoc(), "function-pointer",
					  "function used as a value (a function pointer)");
			return true;
		}
		if (k == CK_ArrayToPointerDecay) {
			if (!decay_ok_.count(e) && !is_va_list(e->getSubExpr()->getType()))
				c_.report(e->getBeginLoc(), "raw-pointer",
					  "an array used as a value decays to a raw pointer");
			return true;
		}
		check_cast_kind(e);
		return true;
	}

	bool VisitCallExpr(CallExpr *e)
	{
		if (auto *ic = dyn_cast<ImplicitCastExpr>(e->getCallee()->IgnoreParens()))
			if (ic->getCastKind() == CK_FunctionToPointerDecay ||
			    ic->getCastKind() == CK_BuiltinFnToFnPtr) {
				callees_.insert(ic);
				if (isa<CXXOperatorCallExpr>(e))
					if (auto *d = dyn_cast<DeclRefExpr>(
						    ic->getSubExpr()->IgnoreParens()))
						implicit_refs_.insert(d);
			}
		if (e->isTypeDependent() || e->getCallee()->isTypeDependent())
			return true;
		SourceLocation loc = e->getBeginLoc();
		if (const auto *op = dyn_cast<CXXOperatorCallExpr>(e))
			loc = op->getOperatorLoc();
		else if (const auto *me = dyn_cast<MemberExpr>(e->getCallee()->IgnoreParens()))
			loc = me->getMemberLoc();
		const FunctionDecl *f = e->getDirectCallee();
		if (!f) {
			if (isa<CXXPseudoDestructorExpr>(e->getCallee()->IgnoreParens()))
				c_.report(loc, "guard-escape", "explicit destructor call");
			else
				c_.report(loc, "indirect-call",
					  "indirect call (through a pointer, member pointer or "
					  "callable value)");
			return true;
		}
		bool cast_call = false;
		check_callee(e, f, loc, cast_call);
		if (!cast_call && e->getType()->isPointerType() && !is_arrow_call(e))
			c_.report(loc, "raw-pointer",
				  "call to '" + f->getNameAsString() + "' yields a raw pointer");
		return true;
	}

	bool VisitCStyleCastExpr(CStyleCastExpr *e)
	{
		if (e->getType()->isVoidType())
			return true;
		c_.report(e->getLParenLoc(), "c-style-cast",
			  "C-style cast to '" + type_str(e->getType(), ctx_) +
				  "': it may silently act as reinterpret_cast or const_cast");
		return true;
	}

	bool VisitCXXFunctionalCastExpr(CXXFunctionalCastExpr *e)
	{
		if (e->isTypeDependent())
			return true;
		// T{x} cannot narrow or reinterpret.
		if (!e->isListInitialization() &&
		    (involves_pointer(e->getType(), e->getSubExpr()->getType()) ||
		     reinterpreting(e->getCastKind()))) {
			c_.report(e->getBeginLoc(), "c-style-cast",
				  "functional cast to '" + type_str(e->getType(), ctx_) +
					  "' converts a pointer (a C-style cast)");
			return true;
		}
		check_cast_kind(e);
		return true;
	}

	bool VisitCXXStaticCastExpr(CXXStaticCastExpr *e)
	{
		if (e->isTypeDependent())
			return true;
		CastKind k = e->getCastKind();
		if (involves_pointer(e->getType(), e->getSubExpr()->getType()) ||
		    k == CK_BaseToDerived || k == CK_BaseToDerivedMemberPointer) {
			c_.report(e->getOperatorLoc(), "pointer-static-cast",
				  "static_cast to '" + type_str(e->getType(), ctx_) +
					  "' converts pointers or downcasts unchecked");
			return true;
		}
		check_cast_kind(e);
		return true;
	}

	bool VisitCXXConstructExpr(CXXConstructExpr *e)
	{
		const CXXConstructorDecl *ctor = e->getConstructor();
		if (ctor && ctor->isCopyOrMoveConstructor() && c_.is_guard(e->getType()))
			c_.report(e->getBeginLoc(), "guard-escape",
				  "copying or moving guard '" + type_str(e->getType(), ctx_) +
					  "' lets it outlive (or end) its scope");
		return true;
	}

	bool VisitCXXOperatorCallExpr(CXXOperatorCallExpr *e)
	{
		if (e->getOperator() == OO_Equal && e->getNumArgs() > 0 &&
		    c_.is_guard(e->getArg(0)->getType()))
			c_.report(e->getOperatorLoc(), "guard-escape",
				  "assigning to a guard ends the guarded section it held");
		if (e->getOperator() == OO_Subscript && e->getNumArgs() == 2 &&
		    !e->isTypeDependent() && !e->isValueDependent())
			check_class_subscript(e);
		return true;
	}

	// A lambda that captured by reference (or `this`) may be written only as an argument
	// of a call (it then lives until the call's full expression ends), and only of a
	// call whose result cannot carry it away. Stored in a variable, returned or put in
	// an aggregate, it could outlive the frame its references point into.
	bool VisitLambdaExpr(LambdaExpr *e)
	{
		if (!captures_by_reference(e) || e->isTypeDependent())
			return true;
		if (passed_to_call(e))
			return true;
		c_.report(e->getBeginLoc(), "lambda-capture",
			  "a lambda that captures by reference (or captures this) is kept beyond "
			  "the call it is passed to: its references could outlive their frame");
		return true;
	}

	// ---- declarations ----

	bool VisitRecordDecl(RecordDecl *d)
	{
		if (d->isImplicit())
			return true;
		if (d->isUnion())
			c_.report(d->getLocation().isValid() ? d->getLocation() : d->getBeginLoc(),
				  "union",
				  "union: reading a member other than the last one written "
				  "reinterprets memory");
		if (const auto *rd = dyn_cast<CXXRecordDecl>(d); rd && rd->hasDefinition())
			for (const CXXBaseSpecifier &b : rd->bases())
				if (b.isVirtual())
					c_.report(b.getBeginLoc(), "virtual-function",
						  "virtual base class");
		return true;
	}

	bool VisitClassTemplateSpecializationDecl(ClassTemplateSpecializationDecl *d)
	{
		if (d->getSpecializationKind() == TSK_ImplicitInstantiation ||
		    d->getSpecializationKind() == TSK_Undeclared)
			return true;
		check_specialised(d->getLocation(), d->getSpecializedTemplate());
		return true;
	}

	bool VisitVarTemplateSpecializationDecl(VarTemplateSpecializationDecl *d)
	{
		if (d->getSpecializationKind() == TSK_ImplicitInstantiation ||
		    d->getSpecializationKind() == TSK_Undeclared)
			return true;
		check_specialised(d->getLocation(), d->getSpecializedTemplate());
		return true;
	}

	bool VisitFieldDecl(FieldDecl *d)
	{
		check_decl_type(d, d->getType());
		QualType t = d->getType();
		if (c_.is_guard(t) && !t->isReferenceType()) {
			c_.report(d->getLocation(), "guard-escape",
				  "a guard as a field outlives the scope it guards");
			return true;
		}
		if (t->isDependentType() || !c_.is_user(d->getLocation()))
			return true;
		// A guard (SDK or --guard-type) is held by reference: its own rules keep it in
		// its scope.
		if (const auto *parent = dyn_cast<CXXRecordDecl>(d->getParent());
		    parent && c_.is_guard(ctx_.getRecordType(parent)))
			return true;
		std::string why;
		if (is_context_reference(t))
			return true;
		if (t->isReferenceType())
			c_.report(d->getLocation(), "reference-member",
				  "reference field '" + d->getNameAsString() +
					  "': the object can outlive what it refers to, and a "
					  "reflection of it (NoRef) sees the referent's type");
		else if (holds_reference_member(t, &why))
			c_.report(d->getLocation(), "reference-member",
				  "field '" + d->getNameAsString() + "' of type '" +
					  type_str(t, ctx_) + "' holds " + why +
					  ": the object can outlive what it refers to");
		else if (holds_ref_closure(t))
			c_.report(
				d->getLocation(), "reference-member",
				"field '" + d->getNameAsString() +
					"' holds a lambda that captured by reference or this: the "
					"object can outlive what it refers to");
		return true;
	}

	bool VisitTypedefNameDecl(TypedefNameDecl *d)
	{
		check_decl_type(d, d->getUnderlyingType());
		return true;
	}

	bool VisitFunctionDecl(FunctionDecl *f)
	{
		if (f->isImplicit() || f->getBuiltinID())
			return true;
		bool user =
			c_.is_user(f->getLocation()) && !c_.made_by_trusted_macro(f->getLocation());
		if (f->isVariadic() && c_.is_user(f->getLocation()))
			c_.report(f->getLocation(), "c-varargs",
				  "C variadic function '" + f->getNameAsString() +
					  "': arguments are not type checked");
		OverloadedOperatorKind op = f->getOverloadedOperator();
		if (op == OO_New || op == OO_Delete || op == OO_Array_New || op == OO_Array_Delete)
			c_.report(f->getLocation(), "dynamic-alloc",
				  "declaring an allocation function");
		if (const auto *m = dyn_cast<CXXMethodDecl>(f); m && m->isVirtual())
			c_.report(f->getLocation(), "virtual-function",
				  "virtual function '" + f->getNameAsString() +
					  "': calls to it are indirect");
		if (has_volatile(f->getReturnType()) && c_.is_user(f->getBeginLoc()))
			c_.report(f->getLocation(), "volatile", "volatile return type");
		if (c_.is_guard(f->getReturnType()) && !f->getReturnType()->isReferenceType() &&
		    !isa<CXXConstructorDecl>(f))
			c_.report(f->getLocation(), "guard-escape",
				  "returning a guard moves it out of the scope it guards");
		for (const ParmVarDecl *p : f->parameters())
			if (c_.is_guard(p->getType()) && !p->getType()->isReferenceType())
				c_.report(p->getLocation(), "guard-escape",
					  "a guard passed by value is moved out of its scope");
		if (!f->getReturnType()->isDependentType() && holds_ref_closure(f->getReturnType()))
			c_.report(f->getLocation(), "lambda-capture",
				  "'" + f->getNameAsString() +
					  "' returns a lambda that captured by reference: its "
					  "references would outlive their frame");
		if (user)
			check_function_declaration(f);
		if (f->doesThisDeclarationHaveABody() && f->getBody() &&
		    c_.is_user(f->getBody()->getBeginLoc()))
			functions.push_back(f);
		return true;
	}

	bool VisitParmVarDecl(ParmVarDecl *p)
	{
		if (!p->getType()->isDependentType() && isa<DecayedType>(p->getType()))
			c_.report(p->getLocation(), "raw-pointer",
				  "parameter '" + p->getNameAsString() +
					  "' is written as an array or function but is a pointer");
		return true;
	}

	bool VisitVarDecl(VarDecl *v)
	{
		if (v->isImplicit())
			return true;
		check_decl_type(v, v->getType());
		if (v->getTLSKind() != VarDecl::TLS_None) {
			c_.report(v->getLocation(), "thread-local",
				  "thread_local '" + v->getNameAsString() + "'");
			return true;
		}
		if (isa<ParmVarDecl>(v))
			return true;
		bool user =
			c_.is_user(v->getLocation()) && !c_.made_by_trusted_macro(v->getLocation());
		if (user && (v->hasExternalStorage() || !owned_by_app(v->getCanonicalDecl()))) {
			c_.report(v->getLocation(), "external-declaration",
				  "'" + v->getNameAsString() +
					  "' is declared here but defined outside the app (extern, "
					  "or the SDK's or toolchain's variable)");
			return true;
		}
		if (!v->hasGlobalStorage())
			return true;
		if (c_.is_guard(v->getType()))
			c_.report(v->getLocation(), "guard-escape",
				  "a guard with static storage is never released");
		// SDK maps and knobs are declared by SDK macros: the declaration begins there.
		if (!c_.is_user(v->getBeginLoc()))
			return true;
		QualType t = v->getType();
		check_global_reference(v, t);
		// Clang (this checker) may constant-evaluate an initialiser that g++ (the native
		// build) gives up on and leaves to a static constructor, which a kernel module
		// never runs: the global is then 0 natively. constexpr and constinit make g++
		// refuse that. (A global that is not const is refused as mutable-global below.)
		if (!v->isStaticLocal() && !v->isConstexpr() && !v->hasAttr<ConstInitAttr>() &&
		    ctx_.getBaseElementType(t.getNonReferenceType()).isConstQualified())
			c_.report(v->getLocation(), "global-init",
				  "global '" + v->getNameAsString() +
					  "' is neither constexpr nor constinit: its value must be "
					  "fixed at compile time by every compiler");
		if (t->isReferenceType())
			t = t->getPointeeType();
		// const (or constexpr) is immutable only without `mutable` members inside
		if ((v->isConstexpr() || ctx_.getBaseElementType(t).isConstQualified()) &&
		    !has_mutable_field(ctx_.getBaseElementType(t)))
			return true;
		const char *kind = v->isStaticLocal()	     ? "static local variable"
				   : v->isStaticDataMember() ? "static data member"
							     : "namespace-scope variable";
		c_.report(v->getLocation(), "mutable-global",
			  std::string("mutable ") + kind + " '" + v->getNameAsString() +
				  (ctx_.getBaseElementType(t).isConstQualified() || v->isConstexpr()
					   ? "' (const, but with a `mutable` member)"
					   : "'") +
				  ": shared by every packet and CPU without synchronisation");
		return true;
	}

	// ---- loops (--strict-loops) ----

	bool VisitForStmt(ForStmt *s)
	{
		if (!c_.cfg().strict_loops)
			return true;
		std::string why;
		if (!loops_.bounded_for(s, why))
			c_.report(s->getForLoc(), "unbounded-loop",
				  "loop trip count is not bounded by a constant or the packet "
				  "length: " +
					  why);
		return true;
	}

	bool VisitCXXForRangeStmt(CXXForRangeStmt *s)
	{
		std::string why;
		if (c_.cfg().strict_loops && !loops_.bounded_range_for(s, why))
			c_.report(s->getForLoc(), "unbounded-loop", why);
		return true;
	}

	bool VisitWhileStmt(WhileStmt *s)
	{
		if (c_.cfg().strict_loops && !loops_.constant_false(s->getCond()))
			c_.report(s->getWhileLoc(), "unbounded-loop",
				  "while loop: its trip count is not bounded; use a for loop with "
				  "a constant bound");
		return true;
	}

	bool VisitDoStmt(DoStmt *s)
	{
		if (c_.cfg().strict_loops && !loops_.constant_false(s->getCond()))
			c_.report(s->getDoLoc(), "unbounded-loop",
				  "do-while loop: its trip count is not bounded; use a for loop "
				  "with a constant bound");
		return true;
	}

private:
	bool owned_by_app(const Decl *first)
	{
		return first && !first->isImplicit() &&
		       c_.expanded_in_user_file(first->getLocation());
	}

	void check_attr(const Attr *a)
	{
		std::string name = isa<AsmLabelAttr>(a) ? std::string("asm label")
							: std::string(a->getSpelling());
		const Entry *e = attr_entry(a->getKind());
		if (!e)
			c_.report(
				a->getLocation(), "attribute",
				"attribute '" + name +
					"' is not on the attribute allow-list (it may change code "
					"generation)");
		else if (e->rule && std::string_view(e->rule) == "linkage-attribute")
			c_.report(a->getLocation(), e->rule,
				  "attribute '" + name +
					  "' changes where or how the symbol is placed, named or "
					  "run");
		else if (e->rule && *e->rule)
			c_.report(a->getLocation(), e->rule, "attribute '" + name + "': " + e->why);
	}

	// No declaration or type of the app is aligned beyond a cache line (kMaxAlign). The
	// kernel's stack is 8-byte aligned, so g++ realigns the frame of a function with an
	// over-aligned local (`and $-N, %rsp`): alignas(65536) moves the stack pointer up to 64
	// KiB below the frame, past the extension stack (red team round 2 x01). A cache line
	// is the largest alignment a data-plane value has a use for, and realigning to it
	// costs a frame at most 56 bytes, which the stack bound counts.
	static constexpr int64_t kMaxAlign = 64;

	void check_alignment(const Decl *d)
	{
		if (d->isImplicit() || d->isInvalidDecl() || !c_.is_user(d->getLocation()))
			return;
		for (const auto *a : d->specific_attrs<AlignedAttr>())
			if (!a->isAlignmentDependent() &&
			    a->getAlignment(ctx_) / ctx_.getCharWidth() > uint64_t(kMaxAlign)) {
				c_.report(a->getLocation(), "alignment",
					  "alignment of " +
						  std::to_string(a->getAlignment(ctx_) /
								 ctx_.getCharWidth()) +
						  " bytes: more than a cache line (64)");
				return;
			}
		// A template's pattern has no layout: its instantiations are checked.
		if (d->isTemplated() || d->getDeclContext()->isDependentContext())
			return;
		QualType t;
		if (const auto *v = dyn_cast<ValueDecl>(d); v && (isa<VarDecl, FieldDecl>(v)))
			t = v->getType();
		else if (const auto *td = dyn_cast<TypeDecl>(d); td && td->getTypeForDecl())
			t = QualType(td->getTypeForDecl(), 0);
		else if (const auto *tn = dyn_cast<TypedefNameDecl>(d))
			t = tn->getUnderlyingType();
		if (t.isNull() || t->isDependentType() || t->isIncompleteType() ||
		    t->isReferenceType())
			return;
		int64_t align = isa<ValueDecl>(d) ? ctx_.getDeclAlign(d).getQuantity()
						  : ctx_.getTypeAlignInChars(t).getQuantity();
		if (align > kMaxAlign)
			c_.report(d->getLocation(), "alignment",
				  "'" + type_str(t, ctx_) + "' is aligned to " +
					  std::to_string(align) +
					  " bytes: more than a cache line (64)");
	}

	void check_builtin(SourceLocation at, const BuiltinType *b, QualType t)
	{
		const Entry *e = builtin_type_entry(b->getKind());
		if (!e)
			c_.report(at, "not-allowed",
				  "type '" + type_str(t, ctx_) + "' is not on the allow-list");
		else if (e->rule && *e->rule)
			c_.report(at, e->rule,
				  std::string(e->why) + " '" + type_str(t, ctx_) +
					  "': the kernel does not save FPU state for programs");
	}

	// What a sugar type stands for: the same checks as a written type, through
	// references and arrays (a pointer found inside is reported at the sugar).
	void check_sugar(TypeLoc tl, QualType t)
	{
		if (t->isDependentType())
			return;
		if (is_va_list(t)) {
			c_.report(tl.getBeginLoc(), "c-varargs",
				  "va_list: C varargs are not type checked");
			return;
		}
		QualType s = strip(t);
		if (s->isPointerType() || s->isMemberPointerType()) {
			bool fn = is_function_pointer(s);
			std::string what = fn ? "function pointer" : "raw pointer";
			std::string canon = type_str(t.getCanonicalType(), ctx_);
			if (auto st = tl.getAs<SubstTemplateTypeParmTypeLoc>())
				c_.report(tl.getBeginLoc(), fn ? "function-pointer" : "raw-pointer",
					  "template parameter '" +
						  st.getTypePtr()
							  ->getReplacedParameter()
							  ->getName()
							  .str() +
						  "' is the " + what + " '" + canon +
						  "' in an instantiation");
			else
				c_.report(tl.getBeginLoc(), fn ? "function-pointer" : "raw-pointer",
					  "type '" + type_str(t, ctx_) + "' is a " + what + " ('" +
						  canon + "')");
			return;
		}
		const Type *ty = s.getTypePtr();
		const Entry *e = type_entry(ty->getTypeClass());
		if (!e)
			c_.report(tl.getBeginLoc(), "not-allowed",
				  "type '" + type_str(t, ctx_) + "' stands for '" +
					  type_str(s, ctx_) + "' (" + ty->getTypeClassName() +
					  "), which is not on the allow-list");
		else if (e->rule && *e->rule)
			c_.report(tl.getBeginLoc(), e->rule,
				  std::string(e->why) + ": '" + type_str(t, ctx_) + "'");
		else if (const auto *b = dyn_cast<BuiltinType>(ty))
			check_builtin(tl.getBeginLoc(), b, t);
	}

	void check_cast_kind(const CastExpr *e)
	{
		CastKind k = e->getCastKind();
		const Entry *entry = cast_entry(k);
		if (!entry)
			c_.report(e->getBeginLoc(), "not-allowed",
				  std::string("conversion '") + e->getCastKindName() +
					  "' is not on the allow-list");
		else if (entry->rule && *entry->rule)
			c_.report(e->getBeginLoc(), entry->rule,
				  std::string(entry->why) + " (to '" +
					  type_str(e->getType(), ctx_) + "')");
	}

	void note_decay(const Expr *e)
	{
		if (const auto *ic = dyn_cast<ImplicitCastExpr>(e->IgnoreParens());
		    ic && ic->getCastKind() == CK_ArrayToPointerDecay)
			decay_ok_.insert(ic);
	}

	// An index that cannot leave [0, n): a constant below n, `x & m` with m < n, or an
	// unsigned `x % m` with m <= n. n == 0: the array's size is unknown.
	bool index_in_range(const Expr *idx, uint64_t n)
	{
		idx = idx->IgnoreParenImpCasts();
		if (n == 0)
			return false;
		if (isa<ArrayInitIndexExpr>(idx))
			return true; // the compiler's own copy loop
		Expr::EvalResult r;
		if (idx->EvaluateAsInt(r, ctx_)) {
			const llvm::APSInt &v = r.Val.getInt();
			return !v.isNegative() && v.getLimitedValue() < n;
		}
		const auto *b = dyn_cast<BinaryOperator>(idx);
		if (!b)
			return false;
		auto constant = [&](const Expr *x, llvm::APSInt &out) {
			Expr::EvalResult er;
			if (!x->EvaluateAsInt(er, ctx_))
				return false;
			out = er.Val.getInt();
			return true;
		};
		llvm::APSInt m;
		if (b->getOpcode() == BO_And)
			return (constant(b->getRHS(), m) || constant(b->getLHS(), m)) &&
			       !m.isNegative() && m.getLimitedValue() < n;
		if (b->getOpcode() == BO_Rem && b->getType()->isUnsignedIntegerType())
			return constant(b->getRHS(), m) && !m.isNegative() && !m.isZero() &&
			       m.getLimitedValue() <= n;
		return false;
	}

	void check_index(const Expr *idx, uint64_t n, SourceLocation at, const char *what)
	{
		if (index_in_range(idx, n))
			return;
		Expr::EvalResult r;
		if (idx->EvaluateAsInt(r, ctx_))
			c_.report(at, "subscript",
				  std::string("constant index ") + toString(r.Val.getInt(), 10) +
					  " is outside the " + what + " of " + std::to_string(n));
		else
			c_.report(at, "subscript",
				  std::string("subscript of an ") + what +
					  " with an index that is not a constant: nothing checks "
					  "it natively");
	}

	// operator[] of a toolchain class (std::array): not checked by anything. The SDK's
	// own operator[] checks its index; the app's is app code, checked where it indexes.
	void check_class_subscript(CXXOperatorCallExpr *e)
	{
		const FunctionDecl *f = e->getDirectCallee();
		if (!f)
			return;
		SourceLocation loc = f->getLocation();
		if (c_.expanded_in_user_file(loc))
			return;
		if (c_.file_origin(c_.sm().getFileID(c_.sm().getExpansionLoc(loc))) ==
		    Context::Origin::Sdk)
			return;
		uint64_t n = 0;
		if (const auto *spec = dyn_cast_or_null<ClassTemplateSpecializationDecl>(
			    e->getArg(0)->getType().getNonReferenceType()->getAsCXXRecordDecl()))
			if (spec->getQualifiedNameAsString() == "std::array" &&
			    spec->getTemplateArgs().size() == 2 &&
			    spec->getTemplateArgs()[1].getKind() == TemplateArgument::Integral)
				n = spec->getTemplateArgs()[1].getAsIntegral().getLimitedValue();
		check_index(e->getArg(1), n, e->getOperatorLoc(), "array");
	}

	bool passed_to_call(const Expr *e)
	{
		const Expr *cur = e;
		for (int depth = 0; depth < 8; ++depth) {
			DynTypedNodeList ps = ctx_.getParents(*cur);
			if (ps.size() != 1)
				return false;
			const Expr *p = ps[0].get<Expr>();
			if (!p)
				return false;
			if (isa<ImplicitCastExpr, MaterializeTemporaryExpr, CXXBindTemporaryExpr,
				ParenExpr>(p)) {
				cur = p;
				continue;
			}
			if (const auto *call = dyn_cast<CallExpr>(p)) {
				bool arg = std::any_of(call->arg_begin(), call->arg_end(),
						       [&](const Expr *a) { return a == cur; });
				return arg && !holds_ref_closure(call->getType());
			}
			if (const auto *ctor = dyn_cast<CXXConstructExpr>(p)) {
				if (ctor->getConstructor() &&
				    ctor->getConstructor()->isCopyOrMoveConstructor()) {
					cur = p; // the lambda copied into a by-value parameter
					continue;
				}
				return std::any_of(ctor->arg_begin(), ctor->arg_end(),
						   [&](const Expr *a) { return a == cur; }) &&
				       !isa<CXXTemporaryObjectExpr>(ctor) &&
				       !holds_ref_closure(ctor->getType());
			}
			return false;
		}
		return false;
	}

	// A global (namespace scope, static member, static local; const and constexpr
	// too) whose type holds a reference, pointer, view or Ref: what it refers to does
	// not live as long as it does (a packet, a map value, a local).
	void check_global_reference(const VarDecl *v, QualType t)
	{
		if (t->isDependentType())
			return;
		QualType s = t.getCanonicalType();
		while (const auto *a = dyn_cast<ArrayType>(s.getTypePtr()))
			s = a->getElementType().getCanonicalType();
		if (s->isPointerType() || s->isMemberPointerType())
			return; // raw-pointer / function-pointer
		std::string why;
		if (holds_reference(t, &why))
			c_.report(v->getLocation(), "global-reference",
				  "global '" + v->getNameAsString() + "' of type '" +
					  type_str(t, ctx_) + "' holds " + why +
					  ": it outlives the packet, map value or local it refers "
					  "to");
	}

	// Functions: the app defines every function it declares, and redeclares nothing of
	// the SDK's or the toolchain's (no extern "C" prototypes of kernel functions, no
	// builtins with other signatures, no explicit specialisations of their templates).
	void check_function_declaration(const FunctionDecl *f)
	{
		if (f->getLexicalDeclContext()->isFunctionOrMethod()) {
			c_.report(f->getLocation(), "external-declaration",
				  "block-scope declaration of function '" + f->getNameAsString() +
					  "'");
			return;
		}
		if (f->getTemplateSpecializationKind() == TSK_ExplicitSpecialization ||
		    f->getTemplateSpecializationKind() == TSK_ExplicitInstantiationDefinition ||
		    f->getTemplateSpecializationKind() == TSK_ExplicitInstantiationDeclaration) {
			const Decl *from = f->getPrimaryTemplate();
			if (!from)
				from = f->getInstantiatedFromMemberFunction();
			if (from && !owned_by_app(from->getCanonicalDecl()))
				c_.report(f->getLocation(), "sdk-specialization",
					  "specialising '" + f->getQualifiedNameAsString() +
						  "', a template of the SDK or the toolchain");
			return;
		}
		if (f->isTemplateInstantiation())
			return;
		if (!owned_by_app(f->getCanonicalDecl())) {
			c_.report(f->getLocation(), "external-declaration",
				  "'" + f->getQualifiedNameAsString() +
					  "' redeclares a function of the SDK, the toolchain or a "
					  "builtin");
			return;
		}
		// a deduction guide has no body: it only guides deduction
		if (f->doesThisDeclarationHaveABody() || f->isDefaulted() || f->isDeleted() ||
		    f->isPure() || isa<CXXDeductionGuideDecl>(f))
			return;
		const FunctionDecl *def = f->getDefinition();
		if (const FunctionTemplateDecl *ft = f->getDescribedFunctionTemplate())
			for (const RedeclarableTemplateDecl *r : ft->redecls())
				if (const auto *rf = dyn_cast<FunctionTemplateDecl>(r);
				    rf && rf->getTemplatedDecl()->doesThisDeclarationHaveABody())
					def = rf->getTemplatedDecl();
		if (!def || !owned_by_app(def))
			c_.report(f->getLocation(), "external-declaration",
				  "function '" + f->getQualifiedNameAsString() +
					  "' is declared but the app does not define it");
	}

	void check_specialised(SourceLocation at, const TemplateDecl *t)
	{
		if (!t || owned_by_app(t->getCanonicalDecl()))
			return;
		c_.report(at, "sdk-specialization",
			  "specialising '" + t->getQualifiedNameAsString() +
				  "', a template of the SDK or the toolchain, can make its checks "
				  "lie");
	}

	// A name the app spelled: not the SDK's internals, and not an object an SDK macro
	// made (other than the handle the app named).
	void check_name(SourceLocation at, const NamedDecl *d)
	{
		if (!d || at.isInvalid() || d->isImplicit())
			return;
		if (const auto *f = dyn_cast<FunctionDecl>(d); f && f->getBuiltinID())
			return; // the builtin rule
		if (c_.expanded_in_user_file(d->getLocation())) {
			// the objects a macro made: its functions and variables (not the
			// parameters it names for the body, ctx and args)
			const auto *v = dyn_cast<VarDecl>(d);
			bool object = isa<FunctionDecl>(d) || (v && !isa<ParmVarDecl>(v));
			if (object && c_.made_by_trusted_macro(d->getLocation()))
				c_.report(at, "sdk-internal",
					  "'" + d->getNameAsString() +
						  "' was declared by an SDK macro: use the handle "
						  "the "
						  "macro declares under the name you gave it");
			return;
		}
		if (sdk_internal_name(d))
			c_.report(at, "sdk-internal",
				  "'" + d->getQualifiedNameAsString() +
					  "' is internal to the SDK or the toolchain");
	}

	// A function named as a template argument is a constant, called directly, but only
	// the SDK's loop<step> needs one: everywhere else it is reported like a function
	// pointer, so that a template cannot turn it into one out of sight.
	void check_template_args(llvm::ArrayRef<TemplateArgumentLoc> args, const NamedDecl *templ)
	{
		for (const TemplateArgumentLoc &a : args) {
			if (a.getArgument().getKind() != TemplateArgument::Expression)
				continue;
			const Expr *x = a.getSourceExpression();
			if (!x)
				continue;
			x = x->IgnoreParenImpCasts();
			if (const auto *u = dyn_cast<UnaryOperator>(x);
			    u && u->getOpcode() == UO_AddrOf)
				continue; // &f: reported as taking a function's address
			const auto *d = dyn_cast<DeclRefExpr>(x);
			if (!d || !isa<FunctionDecl>(d->getDecl()))
				continue;
			if (const auto *ic = dyn_cast<ImplicitCastExpr>(a.getSourceExpression()))
				callees_.insert(ic);
			if (sdk_loop(templ))
				continue;
			c_.report(
				a.getLocation(), "function-pointer",
				"function '" + d->getDecl()->getNameAsString() +
					"' as a template argument: only netext::loop<step> takes a "
					"function");
		}
	}

	bool sdk_loop(const NamedDecl *templ)
	{
		if (!templ)
			return false;
		if (const auto *f = dyn_cast<FunctionDecl>(templ))
			if (const FunctionTemplateDecl *t = f->getPrimaryTemplate())
				templ = t;
		return templ->getQualifiedNameAsString() == "netext::loop" &&
		       !c_.expanded_in_user_file(templ->getLocation());
	}

	// A `mutable` member anywhere in a class type (its bases and members, arrays too):
	// writable through a const object.
	static bool has_mutable_field(QualType t, int depth = 0)
	{
		const auto *rd = t->getAsCXXRecordDecl();
		if (!rd || !rd->hasDefinition() || depth > 16)
			return false;
		rd = rd->getDefinition();
		for (const FieldDecl *f : rd->fields()) {
			if (f->isMutable())
				return true;
			QualType ft = f->getType();
			while (const auto *at = ft->getAsArrayTypeUnsafe())
				ft = at->getElementType();
			if (has_mutable_field(ft, depth + 1))
				return true;
		}
		for (const CXXBaseSpecifier &b : rd->bases())
			if (has_mutable_field(b.getType(), depth + 1))
				return true;
		return false;
	}

	void check_decl_type(const Decl *d, QualType t)
	{
		if (t.isNull() || t->isDependentType())
			return;
		// The volatile qualifier has no location of its own: blame the declaration
		// when the app wrote it (NETEXT_CONFIG's volatile is the SDK's).
		if (has_volatile(t) && c_.is_user(d->getBeginLoc()))
			c_.report(d->getLocation(), "volatile",
				  "volatile type '" + type_str(t, ctx_) +
					  "': access order is not the program's to rely on");
	}

	void check_callee(CallExpr *e, const FunctionDecl *f, SourceLocation loc, bool &cast_call)
	{
		llvm::StringRef name = f->getDeclName().isIdentifier() ? f->getName() : "";
		bool in_std = is_std(f);
		if (const auto *mc = dyn_cast<CXXMemberCallExpr>(e)) {
			const CXXMethodDecl *m = mc->getMethodDecl();
			if (m && isa<CXXDestructorDecl>(m))
				c_.report(loc, "guard-escape",
					  "explicit destructor call ends an object's life early");
			const auto *me = dyn_cast<MemberExpr>(mc->getCallee()->IgnoreParens());
			if (m && m->isVirtual() && !(me && me->hasQualifier()))
				c_.report(loc, "indirect-call",
					  "virtual call to '" + m->getNameAsString() +
						  "' goes through the vtable");
			if (me && m && isa<CXXConversionDecl>(m))
				implicit_members_.insert(me);
		}
		if (const auto *op = dyn_cast<CXXOperatorCallExpr>(e);
		    op && op->getOperator() == OO_Call) {
			if (const CXXRecordDecl *rd =
				    e->getArg(0)->getType()->getAsCXXRecordDecl()) {
				std::string n = rd->getQualifiedNameAsString();
				if (n == "std::function" || n == "std::move_only_function")
					c_.report(loc, "indirect-call", "calling a " + n);
			}
		}
		OverloadedOperatorKind op = f->getOverloadedOperator();
		if (op == OO_New || op == OO_Delete || op == OO_Array_New ||
		    op == OO_Array_Delete) {
			c_.report(loc, "dynamic-alloc", "calling an allocation function");
			return;
		}
		if (in_std && (name == "launder")) {
			c_.report(loc, "guard-escape",
				  "std::launder defeats object lifetime rules");
			return;
		}
		if (in_std && name == "bit_cast") {
			cast_call = true;
			if (e->getType()->isPointerType()) {
				c_.report(loc, "guard-escape", "std::bit_cast to a pointer type");
				return;
			}
			std::string why;
			QualType from = e->getNumArgs() ? e->getArg(0)->getType() : QualType();
			if (holds_reference(e->getType(), &why) ||
			    (!from.isNull() && holds_reference(from, &why)))
				c_.report(loc, "bit-cast",
					  "std::bit_cast between '" +
						  (from.isNull() ? std::string("?")
								 : type_str(from, ctx_)) +
						  "' and '" + type_str(e->getType(), ctx_) +
						  "': one of them holds " + why);
			else if (holds_invalid_bits(e->getType(), &why))
				c_.report(
					loc, "bit-cast",
					"std::bit_cast to '" + type_str(e->getType(), ctx_) +
						"', which holds " + why +
						": not every bit pattern is a value of it, and g++ "
						"assumes the bytes hold one");
			return;
		}
		if (in_std && (name == "move" || name == "forward" || name == "swap" ||
			       name == "exchange" || name == "move_if_noexcept")) {
			for (const Expr *a : e->arguments())
				if (c_.is_guard(a->getType())) {
					c_.report(loc, "guard-escape",
						  "std::" + name.str() +
							  " on a guard moves it out of its scope");
					break;
				}
		}
		if ((f->isExternC() || in_std || f->getDeclContext()->isTranslationUnit()) &&
		    in(kAllocFunctions, name)) {
			c_.report(loc, "dynamic-alloc",
				  "'" + name.str() + "' allocates or frees dynamic memory");
			return;
		}
		if (unsigned id = f->getBuiltinID()) {
			if (in_std && in(kStdCastBuiltins, name)) {
				cast_call = true;
				return;
			}
			if (id == Builtin::BI__builtin_va_start ||
			    id == Builtin::BI__builtin_va_end ||
			    id == Builtin::BI__builtin_va_copy || id == Builtin::BI__va_start ||
			    id == Builtin::BI__builtin_stdarg_start) {
				c_.report(loc, "c-varargs", "'" + name.str() + "': C varargs");
				return;
			}
			if (id == Builtin::BI__builtin_alloca || id == Builtin::BIalloca ||
			    id == Builtin::BI__builtin_alloca_with_align) {
				c_.report(loc, "dynamic-alloc",
					  "'" + name.str() +
						  "' allocates on the stack dynamically");
				return;
			}
			if (builtin_allowed(name))
				return;
			c_.report(loc, "builtin",
				  "compiler builtin '" + name.str() + "' is not on the allow-list");
			return;
		}
		if (const auto *fp = f->getType()->getAs<FunctionProtoType>();
		    fp && fp->isVariadic())
			c_.report(loc, "c-varargs",
				  "call to C variadic function '" + name.str() + "'");
		// A call that the linker would resolve outside the program (the kernel exports
		// thousands of functions a module can link to).
		if (!f->isDefined() && !f->isDefaulted() && !f->isDeleted() && !f->isTrivial() &&
		    !f->isConstexpr())
			c_.report(loc, "external-declaration",
				  "'" + f->getQualifiedNameAsString() +
					  "' has no definition in the program: the call would be "
					  "resolved outside the SDK");
	}

	Context &c_;
	ASTContext &ctx_;
	LoopBounds loops_;
	llvm::DenseSet<const Expr *> callees_, decay_ok_, implicit_refs_, implicit_members_;
};

} // namespace

std::vector<const FunctionDecl *> check_translation_unit(Context &c, ASTContext &ctx)
{
	Checker v(c, ctx);
	v.TraverseDecl(ctx.getTranslationUnitDecl());
	return std::move(v.functions);
}

} // namespace netext::check
