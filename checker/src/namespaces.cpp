#include "namespaces.hpp"

#include "app_visitor.hpp"

#include <clang/AST/DeclCXX.h>
#include <clang/AST/DeclFriend.h>
#include <clang/AST/DeclTemplate.h>

using namespace clang;

namespace netext::check {

namespace {

class Namespaces : public AppVisitor<Namespaces> {
public:
	using AppVisitor::AppVisitor;

	// Declarations as written: an instantiation lives where its pattern does.
	bool shouldVisitTemplateInstantiations() const { return false; }

	bool VisitNamedDecl(NamedDecl *d)
	{
		// A namespace the app opens is the namespace rule's (sdk-specialization in the
		// visitor); template parameters and function parameters live in their template
		// or function.
		if (d->isImplicit() ||
		    isa<NamespaceDecl, TemplateTypeParmDecl, NonTypeTemplateParmDecl,
			TemplateTemplateParmDecl, ParmVarDecl>(d))
			return true;
		SourceLocation at = d->getLocation();
		if (at.isInvalid() || !c_.is_user(at) || c_.made_by_trusted_macro(at))
			return true;
		// A friend declaration adds nothing to the namespace it names: it only lets
		// that entity into the app's class (a friend definition is in the class).
		if (d->getFriendObjectKind() != Decl::FOK_None)
			return true;
		const Decl *home = owner(d->getDeclContext());
		if (!home)
			return true;
		if (owned_by_app(home))
			return true;
		const auto *nd = dyn_cast<NamedDecl>(home);
		c_.report(at, "sdk-specialization",
			  "'" + d->getQualifiedNameAsString() + "' is declared in " +
				  (isa<NamespaceDecl>(home) ? "namespace '" : "class '") +
				  (nd ? nd->getQualifiedNameAsString() : std::string("?")) +
				  "', which the SDK or the toolchain declared: the app's "
				  "declarations belong in its own namespace");
		return true;
	}

private:
	// The namespace or class a declaration is a member of (nullptr: the global
	// namespace, or a function's body: its own).
	static const Decl *owner(const DeclContext *dc)
	{
		for (; dc; dc = dc->getParent()) {
			if (dc->isFunctionOrMethod() || isa<TranslationUnitDecl>(dc) ||
			    isa<LinkageSpecDecl>(dc) || isa<ExportDecl>(dc) ||
			    isa<RequiresExprBodyDecl>(dc))
				return isa<LinkageSpecDecl, ExportDecl>(dc) ? owner(dc->getParent())
									    : nullptr;
			if (isa<NamespaceDecl, RecordDecl, EnumDecl>(dc))
				return cast<Decl>(dc);
		}
		return nullptr;
	}

	bool owned_by_app(const Decl *home)
	{
		const Decl *first = home;
		if (const auto *ns = dyn_cast<NamespaceDecl>(home))
			first = ns->getOriginalNamespace();
		else
			first = home->getCanonicalDecl();
		// an anonymous namespace is the translation unit's own
		if (const auto *ns = dyn_cast<NamespaceDecl>(first);
		    ns && ns->isAnonymousNamespace())
			return c_.expanded_in_user_file(ns->getLocation()) || !ns->getParent() ||
			       isa<TranslationUnitDecl>(ns->getParent());
		return !first->isImplicit() && c_.expanded_in_user_file(first->getLocation()) &&
		       !c_.made_by_trusted_macro(first->getLocation());
	}
};

} // namespace

void check_namespaces(Context &c, ASTContext &ctx)
{
	Namespaces v(c, ctx);
	v.run();
}

} // namespace netext::check
