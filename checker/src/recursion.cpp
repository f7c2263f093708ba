#include "recursion.hpp"

#include <clang/AST/ExprCXX.h>
#include <clang/AST/RecursiveASTVisitor.h>
#include <llvm/Support/Path.h>

#include <algorithm>
#include <deque>
#include <map>
#include <set>

using namespace clang;

namespace netext::check {

namespace {

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

} // namespace

void check_recursion(Context &c, ASTContext &ctx, const std::vector<const FunctionDecl *> &roots)
{
	Recursion r(c, ctx);
	r.run(roots);
}

} // namespace netext::check
