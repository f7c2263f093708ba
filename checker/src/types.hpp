// Questions about types and names the rules ask.
#pragma once

#include <clang/AST/ASTContext.h>
#include <clang/AST/Decl.h>
#include <clang/AST/Type.h>

#include <string>

namespace netext::check {

std::string type_str(clang::QualType t, const clang::ASTContext &ctx);

// Declared in namespace std (or one nested in it).
bool is_std(const clang::Decl *d);

// Arrays and references do not hide what they hold.
clang::QualType strip(clang::QualType t);

bool is_function_pointer(clang::QualType t);
bool has_volatile(clang::QualType t);
bool is_va_list(clang::QualType t);

// Whether a value of type t holds a reference to memory anywhere inside it: a reference,
// pointer or member pointer, itself or in a field or base (recursively, private ones too),
// or a vtable pointer. SDK views, Ref<T> and contexts hold one; a NoRef value does not.
// `why` names the first one found.
bool holds_reference(clang::QualType t, std::string *why = nullptr);

// Whether some bit pattern of t's bytes is not a value of t: a bool (2 to 255 is none,
// and g++ assumes 0 or 1), an enumeration over bool, or a type holding one in a field,
// base or array element (recursively). `why` names the first one found.
bool holds_invalid_bits(clang::QualType t, std::string *why = nullptr);

// The program's context type (netext::XdpContext / TcContext), or a reference to it.
bool is_context_type(clang::QualType t);

// A reference, or a type holding one anywhere (holds_reference: a view, a Ref, a struct
// with one), but not a lambda closure that captured by reference (the lambda-capture
// rule's): what the lifetime rules follow.
bool holds_handle(clang::QualType t);

// A reference to the program's context (netext::XdpContext / TcContext): it lives for the
// whole invocation, longer than any object the program makes, and holds a pointer that
// NoRef refuses, so a field of this type neither dangles nor lies to NoRef. (The app
// cannot declare these names: nothing may be added to namespace netext.)
bool is_context_reference(clang::QualType t);

// Whether t holds a reference-typed member anywhere inside it (fields and bases,
// recursively; a lambda's by-reference captures are such members). Pointers inside SDK
// types (views, Ref) are not members of reference type.
bool holds_reference_member(clang::QualType t, std::string *why = nullptr);

// Whether t holds (also through a reference) the closure of a lambda that captured
// something by reference or captured `this`.
bool holds_ref_closure(clang::QualType t);

// The SDK's internals: anything in netext::detail, netext::native, netext::ebpf,
// netext::host (and namespaces inside them), and names beginning netext_ or __.
bool sdk_internal_name(const clang::NamedDecl *d);

} // namespace netext::check
