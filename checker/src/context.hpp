// What the checker knows about one translation unit while it runs: where each file comes
// from (the app, the SDK, the toolchain), which macros are trusted, and how a violation is
// reported (once, at the app's spelling, with the rule's hint).
#pragma once

#include "checker.hpp"

#include <clang/Basic/Diagnostic.h>
#include <clang/Basic/SourceManager.h>
#include <clang/Lex/MacroInfo.h>
#include <llvm/ADT/DenseMap.h>
#include <llvm/ADT/StringRef.h>
#include <llvm/ADT/Twine.h>

#include <set>
#include <string>
#include <utility>
#include <vector>

namespace netext::check {

std::string real_path(llvm::StringRef p);
bool under(llvm::StringRef path, llvm::StringRef dir);

class Context {
public:
	Context(const Config &cfg, Totals &totals);

	const Config &cfg() const { return cfg_; }
	Totals &totals() { return totals_; }
	void set_source_manager(clang::SourceManager &sm) { sm_ = &sm; }
	void set_diagnostics(clang::DiagnosticsEngine &de) { de_ = &de; }
	clang::SourceManager &sm() { return *sm_; }

	void add_app_dir(llvm::StringRef d) { app_dirs_.push_back(real_path(d)); }
	bool in_sdk_dir(llvm::StringRef path) const;
	bool in_app_dir(llvm::StringRef path) const;

	enum class Origin { User, Sdk, Toolchain };
	Origin file_origin(clang::FileID fid);

	// Records whether the macro expanded at `name` is the app's or a trusted one.
	void note_macro(clang::SourceLocation name, const clang::MacroInfo *mi);
	bool macro_defined_by_user(const clang::MacroInfo *mi);

	// The location in the app's code that spelled `loc`, or an invalid location when the
	// SDK or the toolchain did (its headers, or the body of one of its macros). Tokens
	// that came from a macro argument count where the argument was written.
	clang::SourceLocation user(clang::SourceLocation loc);
	bool is_user(clang::SourceLocation loc) { return user(loc).isValid(); }

	// Whether a name was made by a trusted macro (its body, or a token it pasted) rather
	// than written by the app, even when the macro was invoked in the app's file.
	bool made_by_trusted_macro(clang::SourceLocation loc);

	// Where a declaration physically sits: decides whether it is traversed at all.
	bool expanded_in_user_file(clang::SourceLocation loc);

	bool is_guard(clang::QualType t);

	// Reports at the app's spelling of `where`; nothing if the SDK spelled it.
	void report(clang::SourceLocation where, llvm::StringRef rule, const llvm::Twine &msg);
	// Reports at an already-resolved user location, with notes.
	void
	report_with_notes(clang::SourceLocation at, llvm::StringRef rule, const std::string &msg,
			  const std::vector<std::pair<clang::SourceLocation, std::string>> &notes);

	// The preprocessor runs before diagnostics can be emitted in order: queued.
	void queue(clang::SourceLocation at, llvm::StringRef rule, std::string msg);
	void flush_queue();

	unsigned violations() const { return violations_; }

private:
	struct Pending {
		clang::SourceLocation loc;
		std::string rule;
		std::string msg;
	};

	void
	emit(clang::SourceLocation at, clang::SourceLocation where, llvm::StringRef rule,
	     const std::string &msg,
	     const std::vector<std::pair<clang::SourceLocation, std::string>> *notes = nullptr);

	const Config &cfg_;
	Totals &totals_;
	clang::SourceManager *sm_ = nullptr;
	clang::DiagnosticsEngine *de_ = nullptr;
	std::vector<std::string> sdk_dirs_, app_dirs_;
	std::set<std::string> guards_;
	llvm::DenseMap<clang::FileID, Origin> origins_;
	llvm::DenseMap<unsigned, bool> macro_trusted_;
	std::set<std::pair<unsigned, std::string>> seen_;
	std::vector<Pending> pending_;
	unsigned violations_ = 0;
};

} // namespace netext::check
