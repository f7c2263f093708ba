#include "preprocessor.hpp"

#include "allowlist.hpp"

#include <clang/Lex/Lexer.h>
#include <clang/Lex/MacroArgs.h>
#include <clang/Lex/PPCallbacks.h>
#include <clang/Lex/Token.h>

#include <algorithm>
#include <set>
#include <vector>

using namespace clang;

namespace netext::check {

namespace {

// A name the app may not define or undefine as a macro: keywords (`#define private
// public` would open the SDK's classes), reserved names and the SDK's prefixes.
bool protected_macro_name(const IdentifierInfo *ii, const LangOptions &lo)
{
	llvm::StringRef n = ii->getName();
	return ii->isKeyword(lo) || n.startswith("__") ||
	       (n.size() > 1 && n[0] == '_' && n[1] >= 'A' && n[1] <= 'Z') ||
	       n.startswith("NETEXT_") || n.startswith("netext_");
}

class PPWatcher : public PPCallbacks {
public:
	PPWatcher(Context &c, Preprocessor &pp) : c_(c), pp_(pp) {}

	void MacroExpands(const Token &name, const MacroDefinition &md, SourceRange,
			  const MacroArgs *args) override
	{
		c_.note_macro(name.getLocation(), md.getMacroInfo());
		const MacroInfo *mi = md.getMacroInfo();
		// The compiler's own macros differ between Clang (here) and g++ (the native
		// build): app code that expands one is not the code the module gets. Conditions
		// are checked whole by check_condition.
		bool app_site = c_.is_user(name.getLocation());
		if (mi && !pp_.isParsingIfOrElifDirective() && app_site) {
			llvm::StringRef n = name.getIdentifierInfo()->getName();
			if (compiler_macro(mi, name))
				c_.queue(name.getLocation(), "compiler-macro",
					 "'" + n.str() +
						 "' is predefined by the compiler: Clang (the "
						 "checker) and g++ (the native build) give it "
						 "different values");
			else if (!mi->isBuiltinMacro() && // _Pragma: the pragma rule's
				 !c_.macro_defined_by_user(mi) && !sdk_macro(mi) &&
				 !toolchain_macro_allowed(n))
				c_.queue(
					name.getLocation(), "foreign-macro",
					"'" + n.str() +
						"' is a toolchain header's macro: app code expands "
						"only its own macros and the SDK's NETEXT_ ones "
						"(Clang's and g++'s headers may define it "
						"differently, or only one of them at all)");
		}
		if (args && mi && !pp_.isParsingIfOrElifDirective())
			check_arguments(args);
		// An app macro expanded inside an SDK or toolchain header changes trusted code.
		if (!c_.macro_defined_by_user(mi))
			return;
		SourceLocation at = c_.sm().getExpansionLoc(name.getLocation());
		if (at.isValid() && c_.file_origin(c_.sm().getFileID(at)) != Context::Origin::User)
			c_.queue(mi->getDefinitionLoc(), "preprocessor",
				 "macro '" + name.getIdentifierInfo()->getName().str() +
					 "' is expanded inside an SDK or toolchain header, "
					 "changing trusted code");
	}

	void MacroDefined(const Token &name, const MacroDirective *) override
	{
		check_name(name, "defining");
		if (name.getIdentifierInfo() && c_.is_user(name.getLocation()))
			app_macros_.insert(name.getIdentifierInfo()->getName().str());
	}

	// Conditions: Clang parses one branch, g++ compiles the module from whichever its own
	// macros select. Only names both agree on may decide: the app's own macros (their
	// bodies checked the same way) and the SDK's NETEXT_ ones. A name that is no macro
	// here must be one the app defines (an include guard, a default set after the test):
	// the compilers predefine only reserved names (-std=c++20), which the app may not
	// define.
	void If(SourceLocation loc, SourceRange cond, ConditionValueKind) override
	{
		check_condition(loc, cond);
	}
	void Elif(SourceLocation loc, SourceRange cond, ConditionValueKind, SourceLocation) override
	{
		check_condition(loc, cond);
	}
	void Ifdef(SourceLocation loc, const Token &name, const MacroDefinition &) override
	{
		check_tested(loc, name);
	}
	void Ifndef(SourceLocation loc, const Token &name, const MacroDefinition &) override
	{
		check_tested(loc, name);
	}
	void Elifdef(SourceLocation loc, const Token &name, const MacroDefinition &) override
	{
		check_tested(loc, name);
	}
	void Elifdef(SourceLocation loc, SourceRange cond, SourceLocation) override
	{
		check_condition(loc, cond);
	}
	void Elifndef(SourceLocation loc, const Token &name, const MacroDefinition &) override
	{
		check_tested(loc, name);
	}
	void Elifndef(SourceLocation loc, SourceRange cond, SourceLocation) override
	{
		check_condition(loc, cond);
	}

public:
	// After the whole translation unit: the names tested while no macro had them must
	// be the app's own macros, defined later (an include guard, a default).
	void finish()
	{
		for (const auto &[at, name] : undefined_)
			if (!app_macros_.count(name))
				c_.queue(at, "compiler-macro",
					 "'" + name +
						 "' in a preprocessor condition is not a macro the "
						 "app defines: g++ may define it where Clang does "
						 "not");
		undefined_.clear();
	}

	void MacroUndefined(const Token &name, const MacroDefinition &md,
			    const MacroDirective *) override
	{
		if (md && c_.macro_defined_by_user(md.getMacroInfo()))
			return;
		check_name(name, "undefining");
	}

	void PragmaDirective(SourceLocation loc, PragmaIntroducerKind kind) override
	{
		if (kind == PIK_HashPragma && pragma_once(loc))
			return;
		c_.queue(loc, "pragma",
			 kind == PIK_HashPragma
				 ? "#pragma changes how the code is compiled; only #pragma once "
				   "is allowed"
				 : "_Pragma changes how the code is compiled");
	}

	void FileChanged(SourceLocation loc, FileChangeReason reason, SrcMgr::CharacteristicKind,
			 FileID) override
	{
		if (reason == RenameFile)
			c_.queue(loc, "preprocessor",
				 "#line and line markers make diagnostics name another file");
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
		const auto &extra = c_.cfg().allowed_includes;
		if (angled && SrcMgr::isSystem(kind) &&
		    (std_include_allowed(file_name) ||
		     std::find(extra.begin(), extra.end(), file_name.str()) != extra.end()))
			return;
		std::string shown =
			angled ? "<" + file_name.str() + ">" : "\"" + file_name.str() + "\"";
		c_.queue(hash, "forbidden-include",
			 "#include " + shown + " is outside the allow-list (SDK headers, the " +
				 "app's directory, a few freestanding standard headers)");
	}

private:
	bool sdk_macro(const MacroInfo *mi)
	{
		SourceLocation def = mi->getDefinitionLoc();
		return def.isValid() && def.isFileID() &&
		       c_.file_origin(c_.sm().getFileID(def)) == Context::Origin::Sdk;
	}

	// A name in a macro argument (of any macro, written in app code) that is no macro
	// for Clang but is reserved to the implementation (__x, _X): g++ or its library may
	// define it as a macro, and then a stringified (#) or pasted (##) argument differs
	// between the checker and the native build (red team round 2 p01, p05: a divisor that
	// is 24 for Clang and 0 for g++). Keywords and builtins are the language's; the app
	// may not define such names itself (preprocessor rule).
	void check_arguments(const MacroArgs *args)
	{
		for (unsigned i = 0, n = args->getNumMacroArguments(); i < n; ++i) {
			const Token *t = args->getUnexpArgument(i);
			for (; t && t->isNot(tok::eof); ++t) {
				IdentifierInfo *ii = t->getIdentifierInfo();
				if (!ii || !reserved_name(ii->getName()) ||
				    ii->hasMacroDefinition() || ii->isKeyword(pp_.getLangOpts()) ||
				    ii->getBuiltinID() || ii->getName() == "__VA_ARGS__" ||
				    ii->getName() == "__VA_OPT__" || !c_.is_user(t->getLocation()))
					continue;
				c_.queue(t->getLocation(), "foreign-macro",
					 "'" + ii->getName().str() +
						 "' in a macro argument is a name reserved to the "
						 "compiler and its library, and no macro for "
						 "Clang: g++ "
						 "may define it, and a stringified or pasted "
						 "argument "
						 "would then differ in the native build");
			}
		}
	}

	static bool reserved_name(llvm::StringRef n)
	{
		return n.startswith("__") ||
		       (n.size() > 1 && n[0] == '_' && n[1] >= 'A' && n[1] <= 'Z');
	}

	// Predefined by the compiler (its predefines buffer) or built into it (__has_include,
	// __has_builtin, __LINE__, __COUNTER__...). __LINE__ is compiler-dependent too: in a macro
	// call spanning lines, g++ gives the line of the macro's name and Clang the line of the
	// closing parenthesis (red team round 2, p08); __COUNTER__ depends on what each
	// compiler's headers expanded before.
	bool compiler_macro(const MacroInfo *mi, const Token &name)
	{
		if (mi->isBuiltinMacro()) {
			llvm::StringRef n = name.getIdentifierInfo()->getName();
			return n != "_Pragma"; // pragma rule
		}
		SourceLocation def = mi->getDefinitionLoc();
		return def.isValid() && c_.sm().isWrittenInBuiltinFile(def);
	}

	void check_tested(SourceLocation loc, const Token &name)
	{
		if (!c_.is_user(loc) || !name.getIdentifierInfo())
			return;
		std::set<const MacroInfo *> seen;
		check_ident(name.getLocation(), name.getIdentifierInfo()->getName(), "", seen);
	}

	// Every identifier of the condition, lexed raw from the directive's line(s): from its
	// keyword (`loc`), which is skipped, to the end of the line.
	void check_condition(SourceLocation loc, SourceRange)
	{
		if (!c_.is_user(loc) || !loc.isFileID())
			return;
		SourceManager &sm = c_.sm();
		FileID fid = sm.getFileID(loc);
		bool invalid = false;
		llvm::StringRef buf = sm.getBufferData(fid, &invalid);
		if (invalid)
			return;
		Lexer raw(sm.getLocForStartOfFile(fid), pp_.getLangOpts(), buf.begin(),
			  buf.begin() + sm.getFileOffset(loc), buf.end());
		std::set<const MacroInfo *> seen;
		Token t;
		raw.LexFromRawLexer(t); // if, elif, elifdef, elifndef
		for (;;) {
			raw.LexFromRawLexer(t);
			if (t.is(tok::eof) || t.isAtStartOfLine())
				break;
			if (t.is(tok::raw_identifier) &&
			    !check_ident(t.getLocation(), t.getRawIdentifier(), "", seen))
				break; // one report per directive
		}
	}

	// A name in a condition: an app macro (whose body is checked too), a NETEXT_ macro,
	// `defined`, true/false, or no macro at all (then the app must define it somewhere).
	bool check_ident(SourceLocation at, llvm::StringRef name, const std::string &via,
			 std::set<const MacroInfo *> &seen)
	{
		if (name == "defined" || name == "true" || name == "false" ||
		    name.startswith("NETEXT_") || name == "__VA_ARGS__" || name == "__VA_OPT__")
			return true;
		IdentifierInfo *ii = pp_.getIdentifierInfo(name);
		const MacroInfo *mi = pp_.getMacroInfo(ii);
		std::string shown = "'" + name.str() + "'" + via;
		if (!mi) {
			undefined_.emplace_back(at, name.str());
			return true;
		}
		if (!c_.macro_defined_by_user(mi)) {
			c_.queue(at, "compiler-macro",
				 shown + (mi->isBuiltinMacro()
						  ? " in a preprocessor condition is a compiler "
						    "query "
						    "(__has_include, __has_attribute, "
						    "__has_builtin...): "
						    "Clang and g++ answer it differently"
						  : " in a preprocessor condition is the "
						    "compiler's or a "
						    "toolchain header's macro: Clang (the checker) "
						    "and g++ "
						    "(the native build) define different ones"));
			return false;
		}
		if (!seen.insert(mi).second)
			return true;
		std::string inner = " (in the body of the app's macro '" + name.str() + "')";
		for (const Token &b : mi->tokens()) {
			const IdentifierInfo *bi = b.getIdentifierInfo();
			if (!bi || mi->getParameterNum(bi) >= 0)
				continue;
			if (!check_ident(at, bi->getName(), inner, seen))
				return false;
		}
		return true;
	}

	void check_name(const Token &name, const char *what)
	{
		const IdentifierInfo *ii = name.getIdentifierInfo();
		if (!ii || !c_.is_user(name.getLocation()) ||
		    !protected_macro_name(ii, pp_.getLangOpts()))
			return;
		c_.queue(name.getLocation(), "preprocessor",
			 std::string(what) + " macro '" + ii->getName().str() +
				 "': keywords, reserved names and the SDK's NETEXT_/netext_ "
				 "names are not the app's to redefine");
	}

	// `#pragma once` and nothing else on the line.
	bool pragma_once(SourceLocation loc)
	{
		bool invalid = false;
		const char *p = c_.sm().getCharacterData(loc, &invalid);
		if (invalid || !p)
			return false;
		auto skip = [&] {
			while (*p == ' ' || *p == '\t')
				++p;
		};
		if (*p == '#')
			++p;
		skip();
		if (llvm::StringRef(p).startswith("pragma"))
			p += 6;
		else
			return false;
		skip();
		if (!llvm::StringRef(p).startswith("once"))
			return false;
		p += 4;
		skip();
		return *p == '\n' || *p == '\r' || *p == '\0';
	}

	Context &c_;
	Preprocessor &pp_;
	std::set<std::string> app_macros_;
	std::vector<std::pair<SourceLocation, std::string>> undefined_;
};

// Reads every attribute the app spells, from the final token stream (macros expanded):
// __attribute__((a, b(x))), [[a, ns::b(x)]], [[using ns: a]] and __declspec(...).
class AttributeScanner {
public:
	explicit AttributeScanner(Context &c) : c_(c) {}

	void on_token(const Token &t)
	{
		switch (state_) {
		case State::Idle:
			if (t.is(tok::kw___attribute)) {
				state_ = State::GnuOpen1;
			} else if (t.is(tok::kw___declspec)) {
				c_.queue(t.getLocation(), "attribute",
					 "__declspec is not on the attribute allow-list");
			} else if (t.is(tok::l_square) && prev_l_square_) {
				state_ = State::CxxList;
				depth_ = 0;
				expect_name_ = true;
				scope_.clear();
				using_scope_.clear();
			}
			break;
		case State::GnuOpen1:
			state_ = t.is(tok::l_paren) ? State::GnuOpen2 : State::Idle;
			break;
		case State::GnuOpen2:
			if (t.is(tok::l_paren)) {
				state_ = State::GnuList;
				depth_ = 0;
				expect_name_ = true;
			} else
				state_ = State::Idle;
			break;
		case State::GnuList: gnu(t); break;
		case State::CxxList: cxx(t); break;
		}
		prev_l_square_ = t.is(tok::l_square) && state_ == State::Idle;
	}

private:
	enum class State { Idle, GnuOpen1, GnuOpen2, GnuList, CxxList };

	void gnu(const Token &t)
	{
		if (depth_ > 0) {
			if (t.is(tok::l_paren))
				++depth_;
			else if (t.is(tok::r_paren))
				--depth_;
			return;
		}
		if (t.is(tok::l_paren))
			++depth_;
		else if (t.is(tok::comma))
			expect_name_ = true;
		else if (t.is(tok::r_paren))
			state_ = State::Idle; // the second ')' is harmless in Idle
		else if (expect_name_ && t.getIdentifierInfo()) {
			check("", t);
			expect_name_ = false;
		}
	}

	void cxx(const Token &t)
	{
		if (depth_ > 0) {
			if (t.is(tok::l_paren))
				++depth_;
			else if (t.is(tok::r_paren))
				--depth_;
			return;
		}
		flush_pending(t);
		if (t.is(tok::l_paren)) {
			++depth_;
		} else if (t.is(tok::comma)) {
			expect_name_ = true;
			scope_.clear();
		} else if (t.is(tok::r_square)) {
			state_ = State::Idle;
		} else if (t.is(tok::coloncolon)) {
			scope_ = last_;
			expect_name_ = true;
		} else if (t.is(tok::colon)) {
			using_scope_ = last_; // [[using ns: ...]]
			expect_name_ = true;
		} else if (expect_name_ && t.getIdentifierInfo()) {
			llvm::StringRef n = t.getIdentifierInfo()->getName();
			last_ = n.str();
			if (n == "using" && scope_.empty() && using_scope_.empty())
				return;
			expect_name_ = false;
			// The name is complete unless '::' follows: decided on the next token.
			pending_ = t;
			check_later_ = true;
		}
	}

	void flush_pending(const Token &next)
	{
		if (!check_later_)
			return;
		check_later_ = false;
		if (next.is(tok::coloncolon) || next.is(tok::colon))
			return; // it was a scope
		check(!scope_.empty() ? scope_ : using_scope_, pending_);
		scope_.clear();
	}

	void check(const std::string &scope, const Token &t)
	{
		llvm::StringRef name = t.getIdentifierInfo()->getName();
		llvm::StringRef bare = name;
		if (bare.size() > 4 && bare.startswith("__") && bare.endswith("__"))
			bare = bare.drop_front(2).drop_back(2);
		std::string shown = scope.empty() ? name.str() : scope + "::" + name.str();
		if (attribute_linkage_name(bare))
			c_.queue(t.getLocation(), "linkage-attribute",
				 "attribute '" + shown +
					 "' changes where or how the symbol is placed, named or "
					 "run");
		else if (!attribute_spelling_allowed(scope, name))
			c_.queue(t.getLocation(), "attribute",
				 "attribute '" + shown +
					 "' is not on the attribute allow-list (it may change "
					 "code generation, or Clang may ignore what GCC obeys)");
	}

	Context &c_;
	State state_ = State::Idle;
	bool prev_l_square_ = false;
	int depth_ = 0;
	bool expect_name_ = false;
	std::string scope_, using_scope_, last_;
	Token pending_;
	bool check_later_ = false;
};

} // namespace

std::function<void()> watch_preprocessor(Preprocessor &pp, Context &c)
{
	auto watcher = std::make_unique<PPWatcher>(c, pp);
	PPWatcher *w = watcher.get(); // the preprocessor owns it, and outlives the check
	pp.addPPCallbacks(std::move(watcher));
	auto scanner = std::make_shared<AttributeScanner>(c);
	pp.setTokenWatcher([scanner](const Token &t) { scanner->on_token(t); });
	return [w] { w->finish(); };
}

} // namespace netext::check
