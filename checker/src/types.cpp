#include "types.hpp"

#include <clang/AST/DeclCXX.h>

#include <set>

using namespace clang;

namespace netext::check {

std::string type_str(QualType t, const ASTContext &ctx)
{
	return t.getAsString(ctx.getPrintingPolicy());
}

bool is_std(const Decl *d)
{
	const DeclContext *dc = d->getDeclContext();
	for (; dc; dc = dc->getParent())
		if (dc->isStdNamespace())
			return true;
	return false;
}

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

bool is_va_list(QualType t)
{
	for (QualType cur = t; !cur.isNull();) {
		if (const auto *td = cur->getAs<TypedefType>()) {
			llvm::StringRef n = td->getDecl()->getName();
			if (n == "va_list" || n == "__builtin_va_list" || n == "__gnuc_va_list")
				return true;
			cur = td->desugar();
		} else
			break;
	}
	return false;
}

namespace {

bool holds_ref(QualType t, std::string *why, std::set<const RecordDecl *> &seen)
{
	t = t.getCanonicalType();
	if (t->isReferenceType()) {
		if (why)
			*why = "a reference";
		return true;
	}
	if (t->isPointerType() || t->isMemberPointerType() || t->isBlockPointerType() ||
	    t->isNullPtrType()) {
		if (why)
			*why = "a pointer";
		return true;
	}
	if (const auto *a = dyn_cast<ArrayType>(t.getTypePtr()))
		return holds_ref(a->getElementType(), why, seen);
	const auto *rd = t->getAsRecordDecl();
	if (!rd)
		return false;
	if (!rd->getDefinition())
		return true; // incomplete: cannot tell
	rd = rd->getDefinition();
	if (!seen.insert(rd).second)
		return false;
	if (const auto *cxx = dyn_cast<CXXRecordDecl>(rd)) {
		if (cxx->isPolymorphic()) {
			if (why)
				*why = "a vtable pointer";
			return true;
		}
		for (const CXXBaseSpecifier &b : cxx->bases())
			if (holds_ref(b.getType(), why, seen))
				return true;
	}
	for (const FieldDecl *f : rd->fields())
		if (holds_ref(f->getType(), why, seen)) {
			if (why)
				*why += " (field '" + f->getNameAsString() + "' of '" +
					rd->getNameAsString() + "')";
			return true;
		}
	return false;
}

} // namespace

bool is_context_type(QualType t)
{
	const auto *rd = t.getNonReferenceType().getCanonicalType()->getAsCXXRecordDecl();
	if (!rd)
		return false;
	std::string n = rd->getQualifiedNameAsString();
	return n == "netext::XdpContext" || n == "netext::TcContext";
}

bool is_context_reference(QualType t)
{
	return t->isReferenceType() && is_context_type(t);
}

namespace {

bool ref_member(QualType t, std::string *why, std::set<const RecordDecl *> &seen)
{
	t = t.getCanonicalType();
	if (const auto *a = dyn_cast<ArrayType>(t.getTypePtr()))
		return ref_member(a->getElementType(), why, seen);
	const auto *rd = t->getAsRecordDecl();
	if (!rd || !rd->getDefinition())
		return false;
	rd = rd->getDefinition();
	if (!seen.insert(rd).second)
		return false;
	if (const auto *cxx = dyn_cast<CXXRecordDecl>(rd))
		for (const CXXBaseSpecifier &b : cxx->bases())
			if (ref_member(b.getType(), why, seen))
				return true;
	for (const FieldDecl *f : rd->fields()) {
		if ((f->getType()->isReferenceType() && !is_context_reference(f->getType())) ||
		    ref_member(f->getType(), why, seen)) {
			if (why && why->empty())
				*why = "a reference (field '" + f->getNameAsString() + "' of '" +
				       rd->getNameAsString() + "')";
			return true;
		}
	}
	return false;
}

bool ref_closure(QualType t, std::set<const RecordDecl *> &seen)
{
	t = t.getCanonicalType();
	if (const auto *r = t->getAs<ReferenceType>())
		return ref_closure(r->getPointeeType(), seen);
	if (const auto *a = dyn_cast<ArrayType>(t.getTypePtr()))
		return ref_closure(a->getElementType(), seen);
	const auto *rd = t->getAsCXXRecordDecl();
	if (!rd || !rd->getDefinition())
		return false;
	rd = rd->getDefinition();
	if (!seen.insert(rd).second)
		return false;
	if (rd->isLambda())
		for (const LambdaCapture &c : rd->captures())
			if (c.capturesThis() || c.capturesVLAType() ||
			    (c.capturesVariable() && c.getCaptureKind() == LCK_ByRef))
				return true;
	for (const CXXBaseSpecifier &b : rd->bases())
		if (ref_closure(b.getType(), seen))
			return true;
	for (const FieldDecl *f : rd->fields())
		if (ref_closure(f->getType(), seen))
			return true;
	return false;
}

} // namespace

bool holds_reference(QualType t, std::string *why)
{
	std::set<const RecordDecl *> seen;
	return holds_ref(t, why, seen);
}

bool holds_reference_member(QualType t, std::string *why)
{
	std::set<const RecordDecl *> seen;
	return ref_member(t, why, seen);
}

bool holds_ref_closure(QualType t)
{
	std::set<const RecordDecl *> seen;
	return ref_closure(t, seen);
}

bool holds_handle(QualType t)
{
	return !t.isNull() && !t->isDependentType() &&
	       (t->isReferenceType() || holds_reference(t)) && !holds_ref_closure(t);
}

bool sdk_internal_name(const NamedDecl *d)
{
	if (const IdentifierInfo *ii = d->getIdentifier()) {
		llvm::StringRef n = ii->getName();
		if (n.startswith("netext_") || n.startswith("__"))
			return true;
	}
	for (const DeclContext *dc = d->getDeclContext(); dc; dc = dc->getParent()) {
		const auto *ns = dyn_cast<NamespaceDecl>(dc);
		if (!ns)
			continue;
		llvm::StringRef n = ns->getName();
		if (n.startswith("__"))
			return true;
		const auto *parent = dyn_cast<NamespaceDecl>(ns->getParent());
		if (parent && parent->getName() == "netext" &&
		    isa<TranslationUnitDecl>(parent->getParent()) &&
		    (n == "detail" || n == "native" || n == "ebpf" || n == "host"))
			return true;
	}
	return false;
}

bool holds_invalid_bits(clang::QualType t, std::string *why)
{
	t = t.getCanonicalType();
	while (const auto *at = llvm::dyn_cast<clang::ArrayType>(t.getTypePtr()))
		t = at->getElementType().getCanonicalType();
	if (const auto *et = t->getAs<clang::EnumType>()) {
		const clang::EnumDecl *ed = et->getDecl();
		if (ed->getIntegerType().isNull() || !ed->getIntegerType()->isBooleanType())
			return false;
		if (why)
			*why = "an enumeration over bool";
		return true;
	}
	if (t->isBooleanType()) {
		if (why)
			*why = "a bool";
		return true;
	}
	const clang::CXXRecordDecl *rd = t->getAsCXXRecordDecl();
	if (!rd || !rd->hasDefinition())
		return false;
	rd = rd->getDefinition();
	for (const clang::CXXBaseSpecifier &b : rd->bases())
		if (holds_invalid_bits(b.getType(), why))
			return true;
	for (const clang::FieldDecl *f : rd->fields())
		if (holds_invalid_bits(f->getType(), why))
			return true;
	return false;
}

} // namespace netext::check
