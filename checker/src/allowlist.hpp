// The allow-list: the constructs app code may use, each with the reason it is safe. A
// construct is looked up by its Clang kind (Decl::Kind, Stmt::StmtClass, Type::TypeClass,
// BuiltinType::Kind, CastKind, attr::Kind); one that is not listed is refused with the rule
// `not-allowed`, so what nobody thought of is refused. Some kinds are listed as refused
// with a rule of their own (goto, asm, unions...), for a better hint.
#pragma once

#include <clang/AST/DeclBase.h>
#include <clang/AST/OperationKinds.h>
#include <clang/AST/Stmt.h>
#include <clang/AST/Type.h>
#include <clang/Basic/AttrKinds.h>
#include <llvm/ADT/StringRef.h>
#include <llvm/Support/raw_ostream.h>

namespace netext::check {

struct Entry {
	const char *rule; // nullptr: allowed (further checks may apply); else refused by it
	const char *why;  // allowed: why it is safe; refused: what is wrong with it
};

// nullptr when the kind is not on the list at all.
const Entry *decl_entry(clang::Decl::Kind k);
const Entry *stmt_entry(clang::Stmt::StmtClass k);
const Entry *type_entry(clang::Type::TypeClass k);
const Entry *builtin_type_entry(clang::BuiltinType::Kind k);
const Entry *cast_entry(clang::CastKind k);
const Entry *attr_entry(clang::attr::Kind k);

// An attribute as the app spelled it (`gnu::noinline`, `__noinline__`, `clang::likely`):
// whether its name is on the list. The preprocessor side checks every spelling, so that
// attributes Clang ignores (GCC-only ones such as optimize) are refused too.
bool attribute_spelling_allowed(llvm::StringRef scope, llvm::StringRef name);

// Attributes refused under linkage-attribute (placing, naming or running symbols).
bool attribute_linkage_name(llvm::StringRef name);

// The builtins app code may call (they guide the optimiser or compute a value).
bool builtin_allowed(llvm::StringRef name);

// The standard headers an app may include: freestanding, no allocation, no I/O.
bool std_include_allowed(llvm::StringRef name);

// The toolchain headers' macros app code may expand (besides its own and the SDK's NETEXT_
// ones): <cstdint>'s and <climits>' integer limits and constants.
bool toolchain_macro_allowed(llvm::StringRef name);

// For --list-allowed: every allowed entry with its reason.
void print_allow_list(llvm::raw_ostream &os);

} // namespace netext::check
