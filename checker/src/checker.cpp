#include "checker.hpp"

#include "rules.hpp"

#include <clang/AST/ASTConsumer.h>
#include <clang/AST/ASTContext.h>
#include <clang/AST/Attr.h>
#include <clang/AST/DeclCXX.h>
#include <clang/AST/ExprCXX.h>
#include <clang/AST/RecursiveASTVisitor.h>
#include <clang/AST/StmtCXX.h>
#include <clang/Basic/Builtins.h>
#include <clang/Basic/SourceManager.h>
#include <clang/Frontend/CompilerInstance.h>
#include <clang/Frontend/FrontendAction.h>
#include <clang/Lex/PPCallbacks.h>
#include <clang/Lex/Preprocessor.h>
#include <llvm/ADT/DenseMap.h>
#include <llvm/ADT/DenseSet.h>
#include <llvm/ADT/SmallString.h>
#include <llvm/Support/FileSystem.h>
#include <llvm/Support/Path.h>
#include <llvm/Support/raw_ostream.h>

#include <algorithm>
#include <chrono>
#include <deque>
#include <map>
#include <set>

using namespace clang;

namespace netext::check {

namespace {

using Clock = std::chrono::steady_clock;

std::string real_path(llvm::StringRef p)
{
	llvm::SmallString<256> out;
	if (llvm::sys::fs::real_path(p, out))
		return p.str();
	return std::string(out);
}

bool under(llvm::StringRef path, llvm::StringRef dir)
{
	if (!path.startswith(dir))
		return false;
	return path.size() == dir.size() || dir.endswith("/") || path[dir.size()] == '/';
}

// The standard headers an app may include: freestanding, no allocation, no I/O.
const char *const kStdIncludes[] = {
	"cstdint", "cstddef", "climits", "type_traits",	     "limits",	"bit",	    "concepts",
	"utility", "array",   "compare", "initializer_list", "version", "stdint.h", "stddef.h"};

// Builtins that only guide the optimiser or compute a value.
const char *const kAllowedBuiltins[] = {
	"__builtin_expect",	"__builtin_expect_with_probability",
	"__builtin_constant_p", "__builtin_is_constant_evaluated",
	"__builtin_bswap16",	"__builtin_bswap32",
	"__builtin_bswap64",	"__builtin_popcount",
	"__builtin_popcountl",	"__builtin_popcountll",
};

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

bool is_std(const Decl *d)
{
	return d->getDeclContext()->isStdNamespace() ||
	       (d->getDeclContext()->getEnclosingNamespaceContext() &&
		d->getDeclContext()->getEnclosingNamespaceContext()->isStdNamespace());
}

// Arrays and references do not hide what they hold.
QualType strip(QualType t)
{
	for (;;) {
		t = t.getCanonicalType();
		if (const auto *r = t->getAs<ReferenceType>())
			t = r->getPointeeType();
		else if (const auto *a = dyn_cast<ArrayType>(t.getTypePtr()))
			t = a->getElementType();
		else
			return t;
	}
}

bool is_function_pointer(QualType t)
{
	t = t.getCanonicalType();
	if (const auto *p = t->getAs<PointerType>())
		return p->getPointeeType()->isFunctionType();
	if (const auto *r = t->getAs<ReferenceType>())
		return r->getPointeeType()->isFunctionType();
	if (const auto *m = t->getAs<MemberPointerType>())
		return m->getPointeeType()->isFunctionType();
	return false;
}

bool has_volatile(QualType t)
{
	for (;;) {
		t = t.getCanonicalType();
		if (t.isVolatileQualified())
			return true;
		if (const auto *r = t->getAs<ReferenceType>())
			t = r->getPointeeType();
		else if (const auto *p = t->getAs<PointerType>())
			t = p->getPointeeType();
		else if (const auto *a = dyn_cast<ArrayType>(t.getTypePtr())) {
			if (a->getElementType().isVolatileQualified())
				return true;
			t = a->getElementType();
		} else
			return false;
	}
}

struct Pending {
	SourceLocation loc;
	std::string rule;
	std::string msg;
};

// What the checker knows about one translation unit while it runs.
class Context {
public:
	Context(const Config &cfg, Totals &totals) : cfg_(cfg), totals_(totals)
	{
		for (const std::string &d : cfg.sdk_dirs)
			sdk_dirs_.push_back(real_path(d));
		for (const std::string &d : cfg.app_dirs)
			app_dirs_.push_back(real_path(d));
		guards_.insert(cfg.guard_types.begin(), cfg.guard_types.end());
	}

	const Config &cfg() const { return cfg_; }
	Totals &totals() { return totals_; }
	void set_source_manager(SourceManager &sm) { sm_ = &sm; }
	void set_diagnostics(DiagnosticsEngine &de) { de_ = &de; }
	SourceManager &sm() { return *sm_; }

	void add_app_dir(llvm::StringRef d) { app_dirs_.push_back(real_path(d)); }

	bool in_sdk_dir(llvm::StringRef path) const
	{
		return std::any_of(sdk_dirs_.begin(), sdk_dirs_.end(),
				   [&](const std::string &d) { return under(path, d); });
	}

	bool in_app_dir(llvm::StringRef path) const
	{
		return std::any_of(app_dirs_.begin(), app_dirs_.end(),
				   [&](const std::string &d) { return under(path, d); });
	}

	enum class Origin { User, Sdk, Toolchain };

	Origin file_origin(FileID fid)
	{
		auto it = origins_.find(fid);
		if (it != origins_.end())
			return it->second;
		Origin o = Origin::Toolchain; // <built-in>, <command line>, <scratch space>
		if (auto fe = sm_->getFileEntryRefForID(fid)) {
			std::string path = real_path(fe->getName());
			if (in_sdk_dir(path))
				o = Origin::Sdk;
			else if (SrcMgr::isSystem(sm_->getFileCharacteristic(
					 sm_->getLocForStartOfFile(fid))))
				o = Origin::Toolchain;
			else
				o = Origin::User;
		}
		origins_[fid] = o;
		return o;
	}

	void note_macro(SourceLocation name, const MacroInfo *mi)
	{
		if (!mi)
			return;
		SourceLocation def = mi->getDefinitionLoc();
		bool trusted = def.isValid() && (!def.isFileID() ||
						 file_origin(sm_->getFileID(def)) != Origin::User);
		if (!def.isValid())
			trusted = true; // builtin macros
		macro_trusted_[name.getRawEncoding()] = trusted;
	}

	// The location in the app's code that spelled `loc`, or an invalid location when the
	// SDK or the toolchain did (its headers, or the body of one of its macros). Tokens
	// that came from a macro argument count where the argument was written.
	SourceLocation user(SourceLocation loc)
	{
		while (loc.isValid() && loc.isMacroID()) {
			if (sm_->isMacroArgExpansion(loc)) {
				loc = sm_->getImmediateSpellingLoc(loc);
				continue;
			}
			SourceLocation name = sm_->getImmediateExpansionRange(loc).getBegin();
			auto it = macro_trusted_.find(name.getRawEncoding());
			if (it != macro_trusted_.end() && it->second)
				return {};
			SourceLocation sp = sm_->getImmediateSpellingLoc(loc);
			// Pasted tokens are spelled in scratch space: blame the invocation.
			if (sp.isFileID() && !sm_->getFileEntryRefForID(sm_->getFileID(sp)))
				loc = name;
			else
				loc = sp;
		}
		if (loc.isInvalid())
			return {};
		if (file_origin(sm_->getFileID(loc)) != Origin::User)
			return {};
		return loc;
	}

	bool is_user(SourceLocation loc) { return user(loc).isValid(); }

	// Where a declaration physically sits: decides whether it is traversed at all.
	bool expanded_in_user_file(SourceLocation loc)
	{
		if (loc.isInvalid())
			return false;
		loc = sm_->getExpansionLoc(loc);
		return file_origin(sm_->getFileID(loc)) == Origin::User;
	}

	bool is_guard(QualType t)
	{
		t = t.getCanonicalType();
		if (const auto *r = t->getAs<ReferenceType>())
			t = r->getPointeeType();
		while (const auto *a = dyn_cast<ArrayType>(t.getCanonicalType().getTypePtr()))
			t = a->getElementType();
		const CXXRecordDecl *rd = t->getAsCXXRecordDecl();
		if (!rd)
			return false;
		for (const auto *a : rd->specific_attrs<AnnotateAttr>())
			if (a->getAnnotation() == "netext::guard")
				return true;
		if (guards_.count(rd->getQualifiedNameAsString()))
			return true;
		if (const auto *spec = dyn_cast<ClassTemplateSpecializationDecl>(rd))
			if (guards_.count(
				    spec->getSpecializedTemplate()->getQualifiedNameAsString()))
				return true;
		if (rd->hasDefinition())
			for (const CXXBaseSpecifier &b : rd->bases())
				if (is_guard(b.getType()))
					return true;
		return false;
	}

	// Reports at the app's spelling of `where`; nothing if the SDK spelled it.
	void report(SourceLocation where, llvm::StringRef rule, const llvm::Twine &msg)
	{
		SourceLocation at = user(where);
		if (at.isInvalid())
			return;
		if (!seen_.insert({at.getRawEncoding(), rule.str()}).second)
			return;
		emit(at, where, rule, msg.str());
	}

	// Reports at an already-resolved user location, with notes.
	void report_with_notes(SourceLocation at, llvm::StringRef rule, const std::string &msg,
			       const std::vector<std::pair<SourceLocation, std::string>> &notes)
	{
		if (!seen_.insert({at.getRawEncoding(), rule.str()}).second)
			return;
		emit(at, at, rule, msg, &notes);
	}

	void queue(SourceLocation at, llvm::StringRef rule, std::string msg)
	{
		pending_.push_back({at, rule.str(), std::move(msg)});
	}

	void flush_queue()
	{
		for (const Pending &p : pending_)
			report(p.loc, p.rule, p.msg);
		pending_.clear();
	}

	unsigned violations() const { return violations_; }

private:
	void emit(SourceLocation at, SourceLocation where, llvm::StringRef rule,
		  const std::string &msg,
		  const std::vector<std::pair<SourceLocation, std::string>> *notes = nullptr)
	{
		const Rule *r = find_rule(rule);
		unsigned err = de_->getCustomDiagID(DiagnosticsEngine::Error, "[%0] %1");
		unsigned note = de_->getCustomDiagID(DiagnosticsEngine::Note, "%0");
		de_->Report(at, err) << rule << msg;
		if (where.isMacroID()) {
			SourceLocation exp = sm_->getExpansionLoc(where);
			if (exp != at && is_user(exp))
				de_->Report(exp, note) << "in this macro expansion";
		}
		if (notes)
			for (const auto &[loc, text] : *notes)
				de_->Report(loc, note) << text;
		if (r)
			de_->Report(SourceLocation(), note) << ("hint: " + std::string(r->hint));
		++violations_;
	}

	const Config &cfg_;
	Totals &totals_;
	SourceManager *sm_ = nullptr;
	DiagnosticsEngine *de_ = nullptr;
	std::vector<std::string> sdk_dirs_, app_dirs_;
	std::set<std::string> guards_;
	llvm::DenseMap<FileID, Origin> origins_;
	llvm::DenseMap<unsigned, bool> macro_trusted_;
	std::set<std::pair<unsigned, std::string>> seen_;
	std::vector<Pending> pending_;
	unsigned violations_ = 0;
};

// Preprocessor side: which macros are the SDK's, and what the app includes.
class PPWatcher : public PPCallbacks {
public:
	explicit PPWatcher(Context &c) : c_(c) {}

	void MacroExpands(const Token &name, const MacroDefinition &md, SourceRange,
			  const MacroArgs *) override
	{
		c_.note_macro(name.getLocation(), md.getMacroInfo());
	}

	void InclusionDirective(SourceLocation hash, const Token &, StringRef file_name,
				bool angled, CharSourceRange, OptionalFileEntryRef file, StringRef,
				StringRef, const Module *, SrcMgr::CharacteristicKind kind) override
	{
		if (!c_.is_user(hash) || !file)
			return; // a missing file is the compiler's error
		std::string path = real_path(file->getName());
		if (c_.in_sdk_dir(path) || c_.in_app_dir(path))
			return;
		if (angled && SrcMgr::isSystem(kind) &&
		    (in(kStdIncludes, file_name) ||
		     std::find(c_.cfg().allowed_includes.begin(), c_.cfg().allowed_includes.end(),
			       file_name.str()) != c_.cfg().allowed_includes.end()))
			return;
		std::string shown =
			angled ? "<" + file_name.str() + ">" : "\"" + file_name.str() + "\"";
		c_.queue(hash, "forbidden-include",
			 "#include " + shown + " is outside the allow-list (SDK headers, the " +
				 "app's directory, a few freestanding standard headers)");
	}

private:
	Context &c_;
};

std::string type_str(QualType t, const ASTContext &ctx)
{
	return t.getAsString(ctx.getPrintingPolicy());
}

std::string fn_name(const FunctionDecl *f, ASTContext &ctx)
{
	if (const auto *m = dyn_cast<CXXMethodDecl>(f); m && m->getParent()->isLambda()) {
		PresumedLoc p = ctx.getSourceManager().getPresumedLoc(
			ctx.getSourceManager().getExpansionLoc(m->getParent()->getLocation()));
		if (p.isValid())
			return "lambda at " +
			       std::string(llvm::sys::path::filename(p.getFilename())) + ":" +
			       std::to_string(p.getLine()) + ":" + std::to_string(p.getColumn());
		return "lambda";
	}
	std::string s;
	llvm::raw_string_ostream os(s);
	f->getNameForDiagnostic(os, ctx.getPrintingPolicy(), true);
	return os.str();
}

// Direct calls made by one function's own body (a lambda's body belongs to its operator(),
// a local class's to its members).
class CalleeCollector : public RecursiveASTVisitor<CalleeCollector> {
public:
	std::vector<std::pair<const FunctionDecl *, SourceLocation>> out;

	bool TraverseLambdaExpr(LambdaExpr *e)
	{
		for (Expr *init : e->capture_inits())
			if (init)
				TraverseStmt(init);
		return true;
	}
	bool TraverseCXXRecordDecl(CXXRecordDecl *) { return true; }

	bool VisitCallExpr(CallExpr *e)
	{
		if (const FunctionDecl *f = e->getDirectCallee()) {
			out.push_back({f, e->getBeginLoc()});
			// netext::loop<step>: on eBPF the SDK only takes the step's address (for
			// bpf_loop), so the call to the step is an edge of the caller's.
			if (const TemplateArgumentList *args = f->getTemplateSpecializationArgs())
				for (const TemplateArgument &a : args->asArray())
					if (a.getKind() == TemplateArgument::Declaration)
						if (const auto *g =
							    dyn_cast<FunctionDecl>(a.getAsDecl()))
							out.push_back({g, e->getBeginLoc()});
		}
		return true;
	}
	bool VisitCXXConstructExpr(CXXConstructExpr *e)
	{
		out.push_back({e->getConstructor(), e->getBeginLoc()});
		add_dtor(e->getType(), e->getBeginLoc());
		return true;
	}
	bool VisitCXXInheritedCtorInitExpr(CXXInheritedCtorInitExpr *e)
	{
		out.push_back({e->getConstructor(), e->getBeginLoc()});
		return true;
	}

private:
	void add_dtor(QualType t, SourceLocation loc)
	{
		if (const CXXRecordDecl *rd = t->getAsCXXRecordDecl())
			if (rd->hasDefinition())
				if (const CXXDestructorDecl *d = rd->getDestructor())
					out.push_back({d, loc});
	}
};

class Checker : public RecursiveASTVisitor<Checker> {
public:
	Checker(Context &c, ASTContext &ctx) : c_(c), ctx_(ctx) {}

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

	const std::vector<const FunctionDecl *> &user_functions() const { return functions_; }

	// ---- types ----

	bool VisitTypeLoc(TypeLoc tl)
	{
		QualType t = tl.getType();
		if (t.isNull())
			return true;
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
		if (auto r = tl.getAs<ReferenceTypeLoc>()) {
			if (r.getPointeeLoc().getType()->isFunctionType())
				c_.report(r.getBeginLoc(), "function-pointer",
					  "function reference type '" + type_str(t, ctx_) + "'");
			return true;
		}
		// Sugar that can hide a pointer: aliases, auto, decltype, template parameters.
		if (tl.getAs<TypedefTypeLoc>() || tl.getAs<UsingTypeLoc>() ||
		    tl.getAs<AutoTypeLoc>() || tl.getAs<DecltypeTypeLoc>() ||
		    tl.getAs<SubstTemplateTypeParmTypeLoc>() || tl.getAs<TypeOfTypeLoc>() ||
		    tl.getAs<TypeOfExprTypeLoc>() ||
		    (tl.getAs<TemplateSpecializationTypeLoc>() &&
		     tl.getAs<TemplateSpecializationTypeLoc>().getTypePtr()->isTypeAlias())) {
			if (t->isDependentType())
				return true;
			if (is_va_list(t)) {
				c_.report(tl.getBeginLoc(), "c-varargs",
					  "va_list: C varargs are not type checked");
				return true;
			}
			QualType s = strip(t);
			if (s->isPointerType() || s->isMemberPointerType()) {
				bool fn = is_function_pointer(s);
				std::string what = fn ? "function pointer" : "raw pointer";
				std::string canon = type_str(t.getCanonicalType(), ctx_);
				if (auto st = tl.getAs<SubstTemplateTypeParmTypeLoc>())
					c_.report(tl.getBeginLoc(),
						  fn ? "function-pointer" : "raw-pointer",
						  "template parameter '" +
							  st.getTypePtr()
								  ->getReplacedParameter()
								  ->getName()
								  .str() +
							  "' is the " + what + " '" + canon +
							  "' in an instantiation");
				else
					c_.report(tl.getBeginLoc(),
						  fn ? "function-pointer" : "raw-pointer",
						  "type '" + type_str(t, ctx_) + "' is a " + what +
							  " ('" + canon + "')");
			}
		}
		if (auto ts = tl.getAs<TemplateSpecializationTypeLoc>()) {
			std::vector<TemplateArgumentLoc> args;
			for (unsigned i = 0; i < ts.getNumArgs(); ++i)
				args.push_back(ts.getArgLoc(i));
			check_template_args(args,
					    ts.getTypePtr()->getTemplateName().getAsTemplateDecl());
		}
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
			    e->getRHS()->getType()->isPointerType())
				c_.report(e->getOperatorLoc(), "pointer-arithmetic",
					  "pointer arithmetic: nothing keeps the result inside "
					  "the object");
			break;
		case BO_PtrMemD:
		case BO_PtrMemI:
			c_.report(e->getOperatorLoc(), "function-pointer",
				  "access through a pointer to member");
			break;
		default: break;
		}
		return true;
	}

	bool VisitArraySubscriptExpr(ArraySubscriptExpr *e)
	{
		if (e->isTypeDependent())
			return true;
		const Expr *base = e->getBase()->IgnoreParens();
		if (const auto *ic = dyn_cast<ImplicitCastExpr>(base);
		    ic && ic->getCastKind() == CK_ArrayToPointerDecay)
			return true;
		if (base->getType()->isPointerType())
			c_.report(e->getRBracketLoc(), "pointer-arithmetic",
				  "subscripting a raw pointer: nothing bounds the index");
		return true;
	}

	bool VisitDeclRefExpr(DeclRefExpr *e)
	{
		if (e->hasExplicitTemplateArgs())
			check_template_args(e->template_arguments(), e->getDecl());
		return true;
	}

	bool VisitMemberExpr(MemberExpr *e)
	{
		if (e->hasExplicitTemplateArgs())
			check_template_args(e->template_arguments(), e->getMemberDecl());
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
		if (e->getCastKind() == CK_FunctionToPointerDecay && !callees_.count(e))
			c_.report(e->getBeginLoc(), "function-pointer",
				  "function used as a value (a function pointer)");
		return true;
	}

	bool VisitCallExpr(CallExpr *e)
	{
		if (auto *ic = dyn_cast<ImplicitCastExpr>(e->getCallee()->IgnoreParens()))
			if (ic->getCastKind() == CK_FunctionToPointerDecay)
				callees_.insert(ic);
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

	bool VisitCXXReinterpretCastExpr(CXXReinterpretCastExpr *e)
	{
		c_.report(e->getOperatorLoc(), "reinterpret-cast",
			  "reinterpret_cast reads memory as a type it does not hold");
		return true;
	}

	bool VisitCXXConstCastExpr(CXXConstCastExpr *e)
	{
		c_.report(e->getOperatorLoc(), "const-cast", "const_cast writes through const");
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
		// T{x} cannot narrow or reinterpret.
		if (e->isTypeDependent() || e->isListInitialization())
			return true;
		if (involves_pointer(e->getType(), e->getSubExpr()->getType()) ||
		    reinterpreting(e->getCastKind()))
			c_.report(e->getBeginLoc(), "c-style-cast",
				  "functional cast to '" + type_str(e->getType(), ctx_) +
					  "' converts a pointer (a C-style cast)");
		return true;
	}

	bool VisitCXXStaticCastExpr(CXXStaticCastExpr *e)
	{
		if (e->isTypeDependent())
			return true;
		CastKind k = e->getCastKind();
		if (involves_pointer(e->getType(), e->getSubExpr()->getType()) ||
		    k == CK_BaseToDerived || k == CK_BaseToDerivedMemberPointer)
			c_.report(e->getOperatorLoc(), "pointer-static-cast",
				  "static_cast to '" + type_str(e->getType(), ctx_) +
					  "' converts pointers or downcasts unchecked");
		return true;
	}

	bool VisitCXXDynamicCastExpr(CXXDynamicCastExpr *e)
	{
		c_.report(e->getOperatorLoc(), "rtti",
			  "dynamic_cast needs run-time type information");
		return true;
	}

	bool VisitCXXTypeidExpr(CXXTypeidExpr *e)
	{
		c_.report(e->getBeginLoc(), "rtti", "typeid needs run-time type information");
		return true;
	}

	bool VisitCXXNewExpr(CXXNewExpr *e)
	{
		c_.report(e->getBeginLoc(), "dynamic-alloc",
			  e->getNumPlacementArgs() ? "placement new constructs at a raw address"
						   : "new allocates dynamically");
		return true;
	}

	bool VisitCXXDeleteExpr(CXXDeleteExpr *e)
	{
		c_.report(e->getBeginLoc(), "dynamic-alloc", "delete frees dynamic memory");
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
		return true;
	}

	bool VisitGCCAsmStmt(GCCAsmStmt *s)
	{
		c_.report(s->getAsmLoc(), "inline-asm", "inline asm is not checked by anything");
		return true;
	}

	bool VisitMSAsmStmt(MSAsmStmt *s)
	{
		c_.report(s->getAsmLoc(), "inline-asm", "inline asm is not checked by anything");
		return true;
	}

	bool VisitFileScopeAsmDecl(FileScopeAsmDecl *d)
	{
		c_.report(d->getAsmLoc(), "inline-asm", "file-scope asm");
		return true;
	}

	bool VisitGotoStmt(GotoStmt *s)
	{
		c_.report(s->getGotoLoc(), "goto", "goto can jump past guards and bounds checks");
		return true;
	}

	bool VisitIndirectGotoStmt(IndirectGotoStmt *s)
	{
		c_.report(s->getGotoLoc(), "goto", "computed goto");
		return true;
	}

	bool VisitAddrLabelExpr(AddrLabelExpr *e)
	{
		c_.report(e->getAmpAmpLoc(), "goto", "taking a label's address");
		return true;
	}

	bool VisitVAArgExpr(VAArgExpr *e)
	{
		c_.report(e->getBuiltinLoc(), "c-varargs", "va_arg reads an untyped argument");
		return true;
	}

	bool VisitAtomicExpr(AtomicExpr *e)
	{
		c_.report(e->getBuiltinLoc(), "builtin", "atomic builtin");
		return true;
	}

	bool VisitCXXThrowExpr(CXXThrowExpr *e)
	{
		c_.report(e->getThrowLoc(), "exceptions", "throw: data-plane code has no unwinder");
		return true;
	}

	bool VisitCXXTryStmt(CXXTryStmt *s)
	{
		c_.report(s->getTryLoc(), "exceptions", "try: data-plane code has no unwinder");
		return true;
	}

	// ---- declarations ----

	bool VisitDecl(Decl *d)
	{
		if (d->isImplicit())
			return true;
		for (const Attr *a : d->attrs()) {
			if (a->isImplicit() || a->isInherited() || !banned_attr(a))
				continue;
			std::string name = isa<AsmLabelAttr>(a) ? std::string("asm label")
								: std::string(a->getSpelling());
			c_.report(a->getLocation(), "linkage-attribute",
				  "attribute '" + name +
					  "' changes where or how the symbol is placed, "
					  "named or run");
		}
		return true;
	}

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

	bool VisitFieldDecl(FieldDecl *d)
	{
		check_decl_type(d, d->getType());
		if (c_.is_guard(d->getType()) && !d->getType()->isReferenceType())
			c_.report(d->getLocation(), "guard-escape",
				  "a guard as a field outlives the scope it guards");
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
		if (f->doesThisDeclarationHaveABody() && f->getBody() &&
		    c_.is_user(f->getBody()->getBeginLoc()))
			functions_.push_back(f);
		return true;
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
		if (!v->hasGlobalStorage())
			return true;
		if (c_.is_guard(v->getType()))
			c_.report(v->getLocation(), "guard-escape",
				  "a guard with static storage is never released");
		// SDK maps and knobs are declared by SDK macros: the declaration begins there.
		if (!c_.is_user(v->getBeginLoc()))
			return true;
		QualType t = v->getType();
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
		if (!bounded_for(s, why))
			c_.report(s->getForLoc(), "unbounded-loop",
				  "loop trip count is not bounded by a constant or the packet "
				  "length: " +
					  why);
		return true;
	}

	bool VisitCXXForRangeStmt(CXXForRangeStmt *s)
	{
		if (!c_.cfg().strict_loops || !s->getRangeInit())
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
		c_.report(s->getForLoc(), "unbounded-loop",
			  "range-for over '" + type_str(t, ctx_) + "', which has no fixed size");
		return true;
	}

	bool VisitWhileStmt(WhileStmt *s)
	{
		if (c_.cfg().strict_loops && !constant_false(s->getCond()))
			c_.report(s->getWhileLoc(), "unbounded-loop",
				  "while loop: its trip count is not bounded; use a for loop with "
				  "a constant bound");
		return true;
	}

	bool VisitDoStmt(DoStmt *s)
	{
		if (c_.cfg().strict_loops && !constant_false(s->getCond()))
			c_.report(s->getDoLoc(), "unbounded-loop",
				  "do-while loop: its trip count is not bounded; use a for loop "
				  "with a constant bound");
		return true;
	}

private:
	static bool involves_pointer(QualType a, QualType b)
	{
		auto p = [](QualType t) {
			t = t.getCanonicalType();
			return t->isPointerType() || t->isMemberPointerType();
		};
		return p(a) || p(b);
	}

	static bool reinterpreting(CastKind k)
	{
		return k == CK_BitCast || k == CK_LValueBitCast || k == CK_IntegralToPointer ||
		       k == CK_PointerToIntegral || k == CK_ReinterpretMemberPointer ||
		       k == CK_BaseToDerived;
	}

	static bool banned_attr(const Attr *a)
	{
		return isa<SectionAttr, CodeSegAttr, AliasAttr, IFuncAttr, WeakAttr, WeakRefAttr,
			   WeakImportAttr, VisibilityAttr, TypeVisibilityAttr, UsedAttr, RetainAttr,
			   ConstructorAttr, DestructorAttr, InitPriorityAttr, CleanupAttr,
			   NakedAttr, AsmLabelAttr, SelectAnyAttr>(a);
	}

	static bool is_va_list(QualType t)
	{
		for (QualType cur = t; !cur.isNull();) {
			if (const auto *td = cur->getAs<TypedefType>()) {
				llvm::StringRef n = td->getDecl()->getName();
				if (n == "va_list" || n == "__builtin_va_list" ||
				    n == "__gnuc_va_list")
					return true;
				cur = td->desugar();
			} else
				break;
		}
		return false;
	}

	// A function named as a template argument is a constant, called directly, but only the
	// SDK's loop<step> needs one: everywhere else it is reported like a function pointer,
	// so that a template cannot turn it into one out of sight.
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

	bool is_arrow_call(const CallExpr *e)
	{
		const auto *op = dyn_cast<CXXOperatorCallExpr>(e);
		return op && op->getOperator() == OO_Arrow;
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
		if (in_std && name == "bit_cast" && e->getType()->isPointerType()) {
			c_.report(loc, "guard-escape", "std::bit_cast to a pointer type");
			cast_call = true;
			return;
		}
		if (in_std && (name == "move" || name == "forward" || name == "swap" ||
			       name == "exchange" || name == "move_if_noexcept")) {
			for (const Expr *a : e->arguments())
				if (c_.is_guard(a->getType())) {
					c_.report(loc, "guard-escape",
						  "std::" + name.str() +
							  " on a guard moves it out of "
							  "its scope");
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
			if (in(kAllowedBuiltins, name))
				return;
			c_.report(loc, "builtin",
				  "compiler builtin '" + name.str() + "' is not on the allow-list");
			return;
		}
		if (const auto *fp = f->getType()->getAs<FunctionProtoType>();
		    fp && fp->isVariadic())
			c_.report(loc, "c-varargs",
				  "call to C variadic function '" + name.str() + "'");
	}

	// `while (0)`-style conditions (macro idioms); dependent ones are checked when
	// instantiated.
	bool constant_false(const Expr *cond)
	{
		if (!cond || cond->isValueDependent())
			return cond != nullptr;
		bool v = true;
		return cond->EvaluateAsBooleanCondition(v, ctx_) && !v;
	}

	const VarDecl *var_of(const Expr *e)
	{
		if (const auto *d = dyn_cast<DeclRefExpr>(e->IgnoreParenImpCasts()))
			return dyn_cast<VarDecl>(d->getDecl());
		return nullptr;
	}

	// A bound: a constant, a PacketView's size, or arithmetic on those.
	bool bound_expr(const Expr *e)
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
	bool bounded_cond(const Expr *c, const VarDecl *&v, int &dir)
	{
		c = c->IgnoreParenImpCasts();
		const auto *b = dyn_cast<BinaryOperator>(c);
		if (!b)
			return false;
		if (b->getOpcode() == BO_LAnd)
			return bounded_cond(b->getLHS(), v, dir) ||
			       bounded_cond(b->getRHS(), v, dir);
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
	bool steps(const Expr *inc, const VarDecl *v, int dir)
	{
		if (!inc)
			return false;
		inc = inc->IgnoreParenImpCasts();
		// `k++, i += 8`: one side steps v, the other leaves it alone.
		if (const auto *c = dyn_cast<BinaryOperator>(inc);
		    c && c->getOpcode() == BO_Comma) {
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

	// Whether the body writes the induction variable (or lets something else write it).
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

	bool bounded_for(ForStmt *s, std::string &why)
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

	Context &c_;
	ASTContext &ctx_;
	llvm::DenseSet<const Expr *> callees_;
	std::vector<const FunctionDecl *> functions_;
};

// The call graph from the app's functions (through the SDK's and the toolchain's ones, so
// that a cycle closed by an SDK template calling back a lambda counts too); any cycle
// containing an app function is reported once.
class Recursion {
public:
	Recursion(Context &c, ASTContext &ctx) : c_(c), ctx_(ctx) {}

	void run(const std::vector<const FunctionDecl *> &roots)
	{
		for (const FunctionDecl *f : roots)
			if (!index_.count(key(f)))
				strong(key(f));
	}

private:
	struct Edge {
		const FunctionDecl *to;
		SourceLocation at;
	};

	static const FunctionDecl *key(const FunctionDecl *f) { return f->getCanonicalDecl(); }

	const std::vector<Edge> &edges(const FunctionDecl *k)
	{
		auto it = edges_.find(k);
		if (it != edges_.end())
			return it->second;
		std::vector<Edge> out;
		const FunctionDecl *def = nullptr;
		if (k->hasBody(def) && def->getBody()) {
			CalleeCollector cc;
			cc.TraverseStmt(def->getBody());
			if (const auto *ctor = dyn_cast<CXXConstructorDecl>(def))
				for (const CXXCtorInitializer *i : ctor->inits())
					if (i->getInit())
						cc.TraverseStmt(i->getInit());
			for (auto &[f, at] : cc.out)
				out.push_back({key(f), at});
		}
		return edges_[k] = std::move(out);
	}

	// Tarjan's strongly connected components.
	void strong(const FunctionDecl *v)
	{
		index_[v] = low_[v] = next_++;
		stack_.push_back(v);
		on_stack_.insert(v);
		for (const Edge &e : edges(v)) {
			if (!index_.count(e.to)) {
				strong(e.to);
				low_[v] = std::min(low_[v], low_[e.to]);
			} else if (on_stack_.count(e.to))
				low_[v] = std::min(low_[v], index_[e.to]);
		}
		if (low_[v] != index_[v])
			return;
		std::vector<const FunctionDecl *> scc;
		const FunctionDecl *w;
		do {
			w = stack_.back();
			stack_.pop_back();
			on_stack_.erase(w);
			scc.push_back(w);
		} while (w != v);
		report(scc);
	}

	bool user_fn(const FunctionDecl *k)
	{
		const FunctionDecl *def = nullptr;
		return k->hasBody(def) && def->getBody() &&
		       c_.is_user(def->getBody()->getBeginLoc());
	}

	SourceLocation where(const FunctionDecl *k)
	{
		const FunctionDecl *def = nullptr;
		k->hasBody(def);
		const FunctionDecl *f = def ? def : k;
		SourceLocation l = c_.user(f->getLocation());
		return l.isValid() ? l : c_.user(f->getBody()->getBeginLoc());
	}

	void report(const std::vector<const FunctionDecl *> &scc)
	{
		std::set<const FunctionDecl *> in(scc.begin(), scc.end());
		bool self = false;
		for (const Edge &e : edges(scc.front()))
			self |= e.to == scc.front();
		if (scc.size() == 1 && !self)
			return;
		const FunctionDecl *start = nullptr;
		for (const FunctionDecl *f : scc)
			if (user_fn(f) &&
			    (!start || ctx_.getSourceManager().isBeforeInTranslationUnit(
					       where(f), where(start))))
				start = f;
		if (!start)
			return;
		// The shortest way round from start back to start, within the component.
		std::map<const FunctionDecl *, std::pair<const FunctionDecl *, SourceLocation>>
			prev;
		std::deque<const FunctionDecl *> q{start};
		bool done = false;
		while (!q.empty() && !done) {
			const FunctionDecl *v = q.front();
			q.pop_front();
			for (const Edge &e : edges(v)) {
				if (!in.count(e.to))
					continue;
				if (e.to == start) {
					prev[nullptr] = {v, e.at};
					done = true;
					break;
				}
				if (!prev.count(e.to)) {
					prev[e.to] = {v, e.at};
					q.push_back(e.to);
				}
			}
		}
		std::vector<std::pair<const FunctionDecl *, SourceLocation>> path; // caller, call
		for (auto cur = prev[nullptr]; cur.first;) {
			path.push_back(cur);
			if (cur.first == start)
				break;
			cur = prev[cur.first];
		}
		std::reverse(path.begin(), path.end());
		std::string cycle = fn_name(start, ctx_);
		std::vector<std::pair<SourceLocation, std::string>> notes;
		for (size_t i = 0; i < path.size(); ++i) {
			const FunctionDecl *callee =
				i + 1 < path.size() ? path[i + 1].first : start;
			cycle += " -> " + fn_name(callee, ctx_);
			SourceLocation at = c_.user(path[i].second);
			if (at.isValid())
				notes.push_back({at, "'" + fn_name(path[i].first, ctx_) +
							     "' calls '" + fn_name(callee, ctx_) +
							     "' here"});
		}
		c_.report_with_notes(where(start), "recursion",
				     "recursive call cycle: " + cycle +
					     " (stack depth must be bounded; the eBPF verifier "
					     "rejects recursion)",
				     notes);
	}

	Context &c_;
	ASTContext &ctx_;
	std::map<const FunctionDecl *, std::vector<Edge>> edges_;
	std::map<const FunctionDecl *, unsigned> index_, low_;
	std::vector<const FunctionDecl *> stack_;
	std::set<const FunctionDecl *> on_stack_;
	unsigned next_ = 0;
};

class Consumer : public ASTConsumer {
public:
	Consumer(Context &c, Clock::time_point start, std::string file)
		: c_(c), start_(start), file_(std::move(file))
	{}

	void HandleTranslationUnit(ASTContext &ctx) override
	{
		DiagnosticsEngine &de = ctx.getDiagnostics();
		c_.totals().files++;
		if (de.hasErrorOccurred()) {
			c_.totals().failed_compiles++;
			llvm::errs()
				<< "netext-check: " << file_ << ": does not compile; not checked\n";
			return;
		}
		Clock::time_point parsed = Clock::now();
		de.setErrorLimit(0);
		c_.set_diagnostics(de);
		unsigned before = c_.violations();
		c_.flush_queue();
		Checker v(c_, ctx);
		v.TraverseDecl(ctx.getTranslationUnitDecl());
		Recursion r(c_, ctx);
		r.run(v.user_functions());
		c_.totals().violations += c_.violations() - before;
		if (c_.cfg().time) {
			auto ms = [](Clock::duration d) {
				return std::chrono::duration<double, std::milli>(d).count();
			};
			Clock::time_point end = Clock::now();
			char buf[160];
			snprintf(buf, sizeof buf, "%.1f ms (parse %.1f ms, check %.1f ms)",
				 ms(end - start_), ms(parsed - start_), ms(end - parsed));
			llvm::errs() << "netext-check: " << file_ << ": " << buf << "\n";
		}
	}

private:
	Context &c_;
	Clock::time_point start_;
	std::string file_;
};

class Action : public ASTFrontendAction {
public:
	Action(const Config &cfg, Totals &totals) : c_(cfg, totals) {}

	std::unique_ptr<ASTConsumer> CreateASTConsumer(CompilerInstance &ci,
						       StringRef file) override
	{
		c_.set_source_manager(ci.getSourceManager());
		c_.set_diagnostics(ci.getDiagnostics());
		// The app's own directory: the main file's.
		c_.add_app_dir(llvm::sys::path::parent_path(real_path(file)));
		ci.getPreprocessor().addPPCallbacks(std::make_unique<PPWatcher>(c_));
		return std::make_unique<Consumer>(c_, start_, file.str());
	}

	bool BeginSourceFileAction(CompilerInstance &) override
	{
		start_ = Clock::now();
		return true;
	}

private:
	Context c_;
	Clock::time_point start_ = Clock::now();
};

class Factory : public tooling::FrontendActionFactory {
public:
	Factory(const Config &cfg, Totals &totals) : cfg_(cfg), totals_(totals) {}
	std::unique_ptr<FrontendAction> create() override
	{
		return std::make_unique<Action>(cfg_, totals_);
	}

private:
	const Config &cfg_;
	Totals &totals_;
};

} // namespace

std::unique_ptr<tooling::FrontendActionFactory> make_factory(const Config &cfg, Totals &totals)
{
	return std::make_unique<Factory>(cfg, totals);
}

} // namespace netext::check
