#include "context.hpp"

#include "rules.hpp"

#include <clang/AST/Attr.h>
#include <clang/AST/DeclCXX.h>
#include <clang/AST/DeclTemplate.h>
#include <llvm/ADT/SmallString.h>
#include <llvm/Support/FileSystem.h>

#include <algorithm>

using namespace clang;

namespace netext::check {

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

Context::Context(const Config &cfg, Totals &totals) : cfg_(cfg), totals_(totals)
{
	for (const std::string &d : cfg.sdk_dirs)
		sdk_dirs_.push_back(real_path(d));
	for (const std::string &d : cfg.app_dirs)
		app_dirs_.push_back(real_path(d));
	guards_.insert(cfg.guard_types.begin(), cfg.guard_types.end());
}

bool Context::in_sdk_dir(llvm::StringRef path) const
{
	return std::any_of(sdk_dirs_.begin(), sdk_dirs_.end(),
			   [&](const std::string &d) { return under(path, d); });
}

bool Context::in_app_dir(llvm::StringRef path) const
{
	return std::any_of(app_dirs_.begin(), app_dirs_.end(),
			   [&](const std::string &d) { return under(path, d); });
}

Context::Origin Context::file_origin(FileID fid)
{
	auto it = origins_.find(fid);
	if (it != origins_.end())
		return it->second;
	Origin o = Origin::Toolchain; // <built-in>, <command line>, <scratch space>
	if (auto fe = sm_->getFileEntryRefForID(fid)) {
		std::string path = real_path(fe->getName());
		if (in_sdk_dir(path))
			o = Origin::Sdk;
		else if (SrcMgr::isSystem(
				 sm_->getFileCharacteristic(sm_->getLocForStartOfFile(fid))))
			o = Origin::Toolchain;
		else
			o = Origin::User;
	}
	origins_[fid] = o;
	return o;
}

bool Context::macro_defined_by_user(const MacroInfo *mi)
{
	if (!mi)
		return false;
	SourceLocation def = mi->getDefinitionLoc();
	if (!def.isValid())
		return false; // builtin macros
	return def.isFileID() && file_origin(sm_->getFileID(def)) == Origin::User;
}

void Context::note_macro(SourceLocation name, const MacroInfo *mi)
{
	if (!mi)
		return;
	macro_trusted_[name.getRawEncoding()] = !macro_defined_by_user(mi);
}

SourceLocation Context::user(SourceLocation loc)
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

bool Context::made_by_trusted_macro(SourceLocation loc)
{
	while (loc.isValid() && loc.isMacroID()) {
		if (sm_->isMacroArgExpansion(loc)) {
			loc = sm_->getImmediateSpellingLoc(loc);
			continue;
		}
		SourceLocation name = sm_->getImmediateExpansionRange(loc).getBegin();
		auto it = macro_trusted_.find(name.getRawEncoding());
		if (it == macro_trusted_.end() || it->second)
			return true;
		SourceLocation sp = sm_->getImmediateSpellingLoc(loc);
		if (sp.isFileID() && !sm_->getFileEntryRefForID(sm_->getFileID(sp)))
			return false; // pasted by the app's own macro
		loc = sp;
	}
	return loc.isValid() && file_origin(sm_->getFileID(loc)) != Origin::User;
}

bool Context::expanded_in_user_file(SourceLocation loc)
{
	if (loc.isInvalid())
		return false;
	loc = sm_->getExpansionLoc(loc);
	return file_origin(sm_->getFileID(loc)) == Origin::User;
}

bool Context::is_guard(QualType t)
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
		if (guards_.count(spec->getSpecializedTemplate()->getQualifiedNameAsString()))
			return true;
	if (rd->hasDefinition())
		for (const CXXBaseSpecifier &b : rd->bases())
			if (is_guard(b.getType()))
				return true;
	return false;
}

void Context::report(SourceLocation where, llvm::StringRef rule, const llvm::Twine &msg)
{
	SourceLocation at = user(where);
	if (at.isInvalid())
		return;
	if (!seen_.insert({at.getRawEncoding(), rule.str()}).second)
		return;
	emit(at, where, rule, msg.str());
}

void Context::report_with_notes(SourceLocation at, llvm::StringRef rule, const std::string &msg,
				const std::vector<std::pair<SourceLocation, std::string>> &notes)
{
	if (!seen_.insert({at.getRawEncoding(), rule.str()}).second)
		return;
	emit(at, at, rule, msg, &notes);
}

void Context::queue(SourceLocation at, llvm::StringRef rule, std::string msg)
{
	pending_.push_back({at, rule.str(), std::move(msg)});
}

void Context::flush_queue()
{
	for (const Pending &p : pending_)
		report(p.loc, p.rule, p.msg);
	pending_.clear();
}

void Context::emit(SourceLocation at, SourceLocation where, llvm::StringRef rule,
		   const std::string &msg,
		   const std::vector<std::pair<SourceLocation, std::string>> *notes)
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

} // namespace netext::check
