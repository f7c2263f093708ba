#include "allowlist.hpp"

#include <algorithm>
#include <iterator>

using namespace clang;

namespace netext::check {

namespace {

template <class K>
struct Row {
	K kind;
	const char *name;
	Entry entry;
};

// Allowed; refused with a rule of its own; refused by a check in the visitor whose rule
// depends on the context (an empty rule).
#define ALLOW(ns, k, why)                                                                          \
	{                                                                                          \
		ns::k, #k,                                                                         \
		{                                                                                  \
			nullptr, why                                                               \
		}                                                                                  \
	}
#define REFUSE(ns, k, rule, why)                                                                   \
	{                                                                                          \
		ns::k, #k,                                                                         \
		{                                                                                  \
			rule, why                                                                  \
		}                                                                                  \
	}

const Row<Decl::Kind> kDecls[] = {
	ALLOW(Decl, Namespace,
	      "a scope for names (what the app may add to the SDK's and the "
	      "toolchain's namespaces is checked)"),
	ALLOW(Decl, UsingDirective, "name lookup only"),
	ALLOW(Decl, Using, "name lookup only (what it names is checked)"),
	ALLOW(Decl, UsingShadow, "name lookup only"),
	ALLOW(Decl, ConstructorUsingShadow, "inheriting constructors: calls checked as calls"),
	ALLOW(Decl, UsingEnum, "name lookup only"),
	ALLOW(Decl, NamespaceAlias, "name lookup only (what it names is checked)"),
	ALLOW(Decl, Typedef, "a name for a type: the type is checked wherever it is used"),
	ALLOW(Decl, TypeAlias, "a name for a type: the type is checked wherever it is used"),
	ALLOW(Decl, TypeAliasTemplate, "a name for types: each use is checked"),
	ALLOW(Decl, Enum, "integer constants"),
	ALLOW(Decl, EnumConstant, "an integer constant"),
	ALLOW(Decl, CXXRecord,
	      "structs and classes: unions, virtual members, reference and "
	      "view fields are checked"),
	ALLOW(Decl, ClassTemplate, "the app's class templates: each instantiation is checked"),
	ALLOW(Decl, ClassTemplateSpecialization,
	      "specialisations of the app's own templates (the SDK's and the toolchain's may "
	      "not be specialised)"),
	ALLOW(Decl, ClassTemplatePartialSpecialization,
	      "partial specialisations of the app's own templates"),
	ALLOW(Decl, Field, "a field: reference, pointer and view types are checked"),
	ALLOW(Decl, IndirectField, "a member of an anonymous struct (unions are refused)"),
	ALLOW(Decl, Function,
	      "functions the app defines (declarations without a definition "
	      "are refused)"),
	ALLOW(Decl, CXXMethod, "member functions the app defines (virtual ones are refused)"),
	ALLOW(Decl, CXXConstructor, "constructors the app defines"),
	ALLOW(Decl, CXXDestructor, "destructors the app defines"),
	ALLOW(Decl, CXXConversion, "conversion functions the app defines"),
	ALLOW(Decl, CXXDeductionGuide,
	      "deduction guides for the app's own templates (others would have to be declared "
	      "in the SDK's or the toolchain's namespace, which is refused)"),
	ALLOW(Decl, FunctionTemplate,
	      "the app's function templates: each instantiation is "
	      "checked"),
	ALLOW(Decl, ParmVar, "parameters (an array parameter, a pointer, is refused)"),
	ALLOW(Decl, Var, "variables: globals, static and thread-local storage are checked"),
	ALLOW(Decl, Decomposition, "structured bindings of the app's values"),
	ALLOW(Decl, Binding, "a name bound by a structured binding"),
	ALLOW(Decl, VarTemplate, "the app's variable templates"),
	ALLOW(Decl, VarTemplateSpecialization, "specialisations of the app's variable templates"),
	ALLOW(Decl, VarTemplatePartialSpecialization,
	      "partial specialisations of the app's variable templates"),
	ALLOW(Decl, TemplateTypeParm, "a template parameter: each argument is checked"),
	ALLOW(Decl, NonTypeTemplateParm,
	      "a template parameter (a function as argument is "
	      "refused but for netext::loop)"),
	ALLOW(Decl, TemplateTemplateParm, "a template parameter"),
	ALLOW(Decl, Concept, "a compile-time predicate"),
	ALLOW(Decl, RequiresExprBody, "a compile-time predicate"),
	ALLOW(Decl, ImplicitConceptSpecialization, "a compile-time predicate"),
	ALLOW(Decl, StaticAssert, "a compile-time check"),
	ALLOW(Decl, Empty, "a stray semicolon"),
	ALLOW(Decl, AccessSpec, "public/private/protected"),
	ALLOW(Decl, Friend, "access only (a friend function must still be defined by the app)"),
	ALLOW(Decl, LifetimeExtendedTemporary, "a temporary bound to a local reference"),
	ALLOW(Decl, UnresolvedUsingValue,
	      "a dependent using-declaration: instantiations are "
	      "checked"),
	ALLOW(Decl, UnresolvedUsingTypename, "a dependent using-declaration"),
	REFUSE(Decl, LinkageSpec, "external-declaration",
	       "extern \"C\" / extern \"C++\" declares or links symbols outside the SDK"),
	REFUSE(Decl, FileScopeAsm, "inline-asm", "file-scope asm"),
	REFUSE(Decl, Label, "goto", "a label exists to be jumped to"),
	REFUSE(Decl, PragmaComment, "pragma", "#pragma comment"),
	REFUSE(Decl, PragmaDetectMismatch, "pragma", "#pragma detect_mismatch"),
};

const Row<Stmt::StmtClass> kStmts[] = {
	ALLOW(Stmt, CompoundStmtClass, "a block"),
	ALLOW(Stmt, DeclStmtClass, "declarations (each one is checked)"),
	ALLOW(Stmt, NullStmtClass, "an empty statement"),
	ALLOW(Stmt, ReturnStmtClass, "structured control flow"),
	ALLOW(Stmt, IfStmtClass, "structured control flow"),
	ALLOW(Stmt, SwitchStmtClass,
	      "structured control flow (a jump table is bounds-checked by "
	      "the compiler)"),
	ALLOW(Stmt, CaseStmtClass, "structured control flow"),
	ALLOW(Stmt, DefaultStmtClass, "structured control flow"),
	ALLOW(Stmt, BreakStmtClass, "structured control flow"),
	ALLOW(Stmt, ContinueStmtClass, "structured control flow"),
	ALLOW(Stmt, ForStmtClass,
	      "a loop: netext.ko's watchdog bounds its time natively, the "
	      "verifier on eBPF; --strict-loops checks the bound"),
	ALLOW(Stmt, WhileStmtClass, "a loop (as for)"),
	ALLOW(Stmt, DoStmtClass, "a loop (as for)"),
	ALLOW(Stmt, CXXForRangeStmtClass, "a loop over a range (as for)"),
	ALLOW(Stmt, AttributedStmtClass, "a statement with attributes (each one is checked)"),
	ALLOW(Stmt, IntegerLiteralClass, "a constant"),
	ALLOW(Stmt, CharacterLiteralClass, "a constant"),
	ALLOW(Stmt, CXXBoolLiteralExprClass, "a constant"),
	ALLOW(Stmt, StringLiteralClass,
	      "a constant array (its decay to a pointer is refused where it happens)"),
	ALLOW(Stmt, CXXNullPtrLiteralExprClass,
	      "nullptr (converting it to a raw pointer is refused)"),
	ALLOW(Stmt, UserDefinedLiteralClass, "a call to the app's literal operator"),
	ALLOW(Stmt, DeclRefExprClass, "a name (SDK-internal names are refused)"),
	ALLOW(Stmt, MemberExprClass, "a member (through a raw pointer is refused)"),
	ALLOW(Stmt, ParenExprClass, "parentheses"),
	ALLOW(Stmt, UnaryOperatorClass,
	      "arithmetic and logic (address-of and dereference of "
	      "raw pointers are refused)"),
	ALLOW(Stmt, BinaryOperatorClass, "arithmetic and logic (pointer arithmetic is refused)"),
	ALLOW(Stmt, CompoundAssignOperatorClass, "arithmetic assignment"),
	ALLOW(Stmt, ConditionalOperatorClass, "c ? a : b"),
	ALLOW(Stmt, ArraySubscriptExprClass,
	      "a[i] on an array with a constant index in range, or an index masked below the "
	      "array's size (other indices go through a checked accessor)"),
	ALLOW(Stmt, CallExprClass,
	      "a direct call (indirect calls, builtins outside their list "
	      "and functions with no definition are refused)"),
	ALLOW(Stmt, CXXMemberCallExprClass, "a direct member call (virtual calls are refused)"),
	ALLOW(Stmt, CXXOperatorCallExprClass, "an overloaded operator, a direct call"),
	ALLOW(Stmt, CXXConstructExprClass, "constructing an object"),
	ALLOW(Stmt, CXXTemporaryObjectExprClass, "constructing a temporary"),
	ALLOW(Stmt, CXXInheritedCtorInitExprClass, "an inherited constructor"),
	ALLOW(Stmt, CXXFunctionalCastExprClass,
	      "T(x) and T{x} (conversions of pointers are refused)"),
	ALLOW(Stmt, CXXStaticCastExprClass,
	      "static_cast between values (pointers and downcasts are refused)"),
	ALLOW(Stmt, ImplicitCastExprClass, "an implicit conversion (its kind is checked)"),
	ALLOW(Stmt, CStyleCastExprClass, "only (void)x; other C-style casts are refused"),
	ALLOW(Stmt, CXXDefaultArgExprClass, "a default argument"),
	ALLOW(Stmt, CXXDefaultInitExprClass, "a default member initialiser"),
	ALLOW(Stmt, MaterializeTemporaryExprClass, "a temporary"),
	ALLOW(Stmt, ExprWithCleanupsClass, "the end of temporaries' lives"),
	ALLOW(Stmt, CXXBindTemporaryExprClass, "a temporary with a destructor"),
	ALLOW(Stmt, ConstantExprClass, "a constant expression"),
	ALLOW(Stmt, SubstNonTypeTemplateParmExprClass, "a template argument's value"),
	ALLOW(Stmt, SubstNonTypeTemplateParmPackExprClass, "template arguments' values"),
	ALLOW(Stmt, FunctionParmPackExprClass, "a parameter pack"),
	ALLOW(Stmt, InitListExprClass, "brace initialisation"),
	ALLOW(Stmt, ImplicitValueInitExprClass, "zero-initialisation"),
	ALLOW(Stmt, DesignatedInitExprClass, "designated initialisation"),
	ALLOW(Stmt, CXXParenListInitExprClass, "aggregate initialisation with parentheses"),
	ALLOW(Stmt, ArrayInitLoopExprClass, "the compiler's element-wise copy of an array"),
	ALLOW(Stmt, ArrayInitIndexExprClass, "the compiler's element-wise copy of an array"),
	ALLOW(Stmt, OpaqueValueExprClass, "a compiler-generated reference to a value"),
	ALLOW(Stmt, CXXScalarValueInitExprClass, "T(): a zero"),
	ALLOW(Stmt, CXXThisExprClass, "this (capturing it in an escaping lambda is refused)"),
	ALLOW(Stmt, LambdaExprClass,
	      "a lambda (reference captures only when passed straight to a call)"),
	ALLOW(Stmt, CXXStdInitializerListExprClass, "a braced list"),
	ALLOW(Stmt, UnaryExprOrTypeTraitExprClass, "sizeof / alignof"),
	ALLOW(Stmt, CXXNoexceptExprClass, "a compile-time query"),
	ALLOW(Stmt, TypeTraitExprClass, "a compile-time query"),
	ALLOW(Stmt, OffsetOfExprClass, "a compile-time constant"),
	ALLOW(Stmt, CXXRewrittenBinaryOperatorClass, "a comparison rewritten by C++20"),
	ALLOW(Stmt, ConceptSpecializationExprClass, "a compile-time predicate"),
	ALLOW(Stmt, RequiresExprClass, "a compile-time predicate"),
	ALLOW(Stmt, SizeOfPackExprClass, "a compile-time constant"),
	ALLOW(Stmt, PackExpansionExprClass, "a pack expansion: instantiations are checked"),
	ALLOW(Stmt, CXXFoldExprClass, "a fold expression"),
	ALLOW(Stmt, ParenListExprClass, "a dependent form: instantiations are checked"),
	ALLOW(Stmt, CXXUnresolvedConstructExprClass,
	      "a dependent form: instantiations are "
	      "checked"),
	ALLOW(Stmt, CXXDependentScopeMemberExprClass,
	      "a dependent form: instantiations are "
	      "checked"),
	ALLOW(Stmt, UnresolvedLookupExprClass, "a dependent form: instantiations are checked"),
	ALLOW(Stmt, UnresolvedMemberExprClass, "a dependent form: instantiations are checked"),
	ALLOW(Stmt, DependentScopeDeclRefExprClass,
	      "a dependent form: instantiations are "
	      "checked"),
	REFUSE(Stmt, GotoStmtClass, "goto", "goto can jump past guards and bounds checks"),
	REFUSE(Stmt, IndirectGotoStmtClass, "goto", "computed goto"),
	REFUSE(Stmt, LabelStmtClass, "goto", "a label exists to be jumped to"),
	REFUSE(Stmt, AddrLabelExprClass, "goto", "taking a label's address"),
	REFUSE(Stmt, GCCAsmStmtClass, "inline-asm", "inline asm is not checked by anything"),
	REFUSE(Stmt, MSAsmStmtClass, "inline-asm", "inline asm is not checked by anything"),
	REFUSE(Stmt, CXXTryStmtClass, "exceptions", "try: data-plane code has no unwinder"),
	REFUSE(Stmt, CXXCatchStmtClass, "exceptions", "catch: data-plane code has no unwinder"),
	REFUSE(Stmt, CXXThrowExprClass, "exceptions", "throw: data-plane code has no unwinder"),
	REFUSE(Stmt, CXXTypeidExprClass, "rtti", "typeid needs run-time type information"),
	REFUSE(Stmt, CXXDynamicCastExprClass, "rtti",
	       "dynamic_cast needs run-time type information"),
	REFUSE(Stmt, CXXNewExprClass, "dynamic-alloc", "new allocates dynamically"),
	REFUSE(Stmt, CXXDeleteExprClass, "dynamic-alloc", "delete frees dynamic memory"),
	REFUSE(Stmt, CXXReinterpretCastExprClass, "reinterpret-cast",
	       "reinterpret_cast reads memory as a type it does not hold"),
	REFUSE(Stmt, CXXConstCastExprClass, "const-cast", "const_cast writes through const"),
	REFUSE(Stmt, CXXPseudoDestructorExprClass, "guard-escape", "explicit destructor call"),
	REFUSE(Stmt, VAArgExprClass, "c-varargs", "va_arg reads an untyped argument"),
	REFUSE(Stmt, AtomicExprClass, "builtin", "atomic builtin"),
	REFUSE(Stmt, FloatingLiteralClass, "floating-point", "a floating-point constant"),
	REFUSE(Stmt, ImaginaryLiteralClass, "floating-point", "an imaginary constant"),
};

const Row<Type::TypeClass> kTypes[] = {
	ALLOW(Type, Builtin, "integers, bool, characters, void (its kind is checked)"),
	ALLOW(Type, LValueReference,
	      "references for parameters and locals (fields, globals and escaping lambdas are "
	      "checked)"),
	ALLOW(Type, RValueReference, "as lvalue references"),
	ALLOW(Type, ConstantArray, "a fixed-size array (subscripts are checked)"),
	ALLOW(Type, IncompleteArray, "an array sized by its initialiser (a parameter is refused)"),
	ALLOW(Type, DependentSizedArray, "a dependent form: instantiations are checked"),
	ALLOW(Type, FunctionProto, "a function's type (pointers to functions are refused)"),
	ALLOW(Type, Typedef, "a name for a type: what it names is checked"),
	ALLOW(Type, Using, "a name for a type: what it names is checked"),
	ALLOW(Type, Elaborated, "a qualified name for a type"),
	ALLOW(Type, Paren, "parentheses in a type"),
	ALLOW(Type, MacroQualified, "a type attribute spelled through a macro (checked)"),
	ALLOW(Type, Attributed, "a type with attributes (each one is checked)"),
	ALLOW(Type, Decltype, "decltype: what it names is checked"),
	ALLOW(Type, UnaryTransform,
	      "a type trait (__underlying_type...): what it yields is "
	      "checked"),
	ALLOW(Type, Record, "a class type"),
	ALLOW(Type, Enum, "an enumeration"),
	ALLOW(Type, TemplateTypeParm, "a template parameter: each argument is checked"),
	ALLOW(Type, SubstTemplateTypeParm, "a template argument: what it names is checked"),
	ALLOW(Type, SubstTemplateTypeParmPack, "template arguments"),
	ALLOW(Type, TemplateSpecialization, "a template's instance"),
	ALLOW(Type, Auto, "auto: what it deduces is checked"),
	ALLOW(Type, DeducedTemplateSpecialization, "class template argument deduction"),
	ALLOW(Type, InjectedClassName, "a class's own name inside it"),
	ALLOW(Type, DependentName, "a dependent form: instantiations are checked"),
	ALLOW(Type, DependentTemplateSpecialization, "a dependent form"),
	ALLOW(Type, PackExpansion, "a pack expansion"),
	ALLOW(Type, UnresolvedUsing, "a dependent form"),
	REFUSE(Type, Pointer, "", "raw and function pointers (raw-pointer, function-pointer)"),
	REFUSE(Type, MemberPointer, "function-pointer", "pointer-to-member type"),
	REFUSE(Type, VariableArray, "dynamic-alloc",
	       "variable-length array: a stack size known only at run time"),
};

const Row<BuiltinType::Kind> kBuiltins[] = {
	ALLOW(BuiltinType, Void, "no value"),
	ALLOW(BuiltinType, Bool, "an integer"),
	ALLOW(BuiltinType, Char_U, "an integer"),
	ALLOW(BuiltinType, Char_S, "an integer"),
	ALLOW(BuiltinType, UChar, "an integer"),
	ALLOW(BuiltinType, SChar, "an integer"),
	ALLOW(BuiltinType, WChar_U, "an integer"),
	ALLOW(BuiltinType, WChar_S, "an integer"),
	ALLOW(BuiltinType, Char8, "an integer"),
	ALLOW(BuiltinType, Char16, "an integer"),
	ALLOW(BuiltinType, Char32, "an integer"),
	ALLOW(BuiltinType, UShort, "an integer"),
	ALLOW(BuiltinType, Short, "an integer"),
	ALLOW(BuiltinType, UInt, "an integer"),
	ALLOW(BuiltinType, Int, "an integer"),
	ALLOW(BuiltinType, ULong, "an integer"),
	ALLOW(BuiltinType, Long, "an integer"),
	ALLOW(BuiltinType, ULongLong, "an integer"),
	ALLOW(BuiltinType, LongLong, "an integer"),
	ALLOW(BuiltinType, UInt128, "an integer"),
	ALLOW(BuiltinType, Int128, "an integer"),
	ALLOW(BuiltinType, NullPtr, "nullptr's type (conversions to pointers are refused)"),
	ALLOW(BuiltinType, Dependent, "a dependent form: instantiations are checked"),
	ALLOW(BuiltinType, Overload, "an overload set (the call chosen is checked)"),
	ALLOW(BuiltinType, BoundMember, "a member function being called"),
	ALLOW(BuiltinType, BuiltinFn, "a builtin being called (checked by name)"),
	REFUSE(BuiltinType, Half, "floating-point", "a floating-point type"),
	REFUSE(BuiltinType, Float, "floating-point", "a floating-point type"),
	REFUSE(BuiltinType, Double, "floating-point", "a floating-point type"),
	REFUSE(BuiltinType, LongDouble, "floating-point", "a floating-point type"),
	REFUSE(BuiltinType, Float16, "floating-point", "a floating-point type"),
	REFUSE(BuiltinType, BFloat16, "floating-point", "a floating-point type"),
	REFUSE(BuiltinType, Float128, "floating-point", "a floating-point type"),
	REFUSE(BuiltinType, Ibm128, "floating-point", "a floating-point type"),
};

const Row<CastKind> kCasts[] = {
	ALLOW(clang, CK_Dependent, "a dependent form: instantiations are checked"),
	ALLOW(clang, CK_NoOp, "adds const or changes nothing"),
	ALLOW(clang, CK_LValueToRValue, "reads a value"),
	ALLOW(clang, CK_IntegralCast, "between integer types"),
	ALLOW(clang, CK_IntegralToBoolean, "an integer tested"),
	ALLOW(clang, CK_BooleanToSignedIntegral, "a bool as an integer"),
	ALLOW(clang, CK_DerivedToBase, "a class to its base (by value or reference)"),
	ALLOW(clang, CK_UncheckedDerivedToBase, "a class to its base (by value or reference)"),
	ALLOW(clang, CK_UserDefinedConversion, "a conversion function or constructor (a call)"),
	ALLOW(clang, CK_ConstructorConversion, "a converting constructor (a call)"),
	ALLOW(clang, CK_ToVoid, "a discarded value"),
	ALLOW(clang, CK_FunctionToPointerDecay,
	      "only as the callee of a direct call (a function as a value is refused)"),
	ALLOW(clang, CK_BuiltinFnToFnPtr, "the callee of a builtin call (checked by name)"),
	ALLOW(clang, CK_ArrayToPointerDecay,
	      "only as the base of a subscript (other decays make a raw pointer and are "
	      "refused)"),
	REFUSE(clang, CK_BitCast, "raw-pointer", "a conversion between pointer types"),
	REFUSE(clang, CK_LValueBitCast, "reinterpret-cast", "a reference reinterpreted"),
	REFUSE(clang, CK_LValueToRValueBitCast, "reinterpret-cast", "a value reinterpreted"),
	REFUSE(clang, CK_NullToPointer, "raw-pointer", "a null raw pointer"),
	REFUSE(clang, CK_PointerToBoolean, "raw-pointer", "a raw pointer tested"),
	REFUSE(clang, CK_IntegralToPointer, "reinterpret-cast", "an integer made a pointer"),
	REFUSE(clang, CK_PointerToIntegral, "reinterpret-cast", "a pointer made an integer"),
	REFUSE(clang, CK_BaseToDerived, "pointer-static-cast", "an unchecked downcast"),
	REFUSE(clang, CK_Dynamic, "rtti", "dynamic_cast"),
	REFUSE(clang, CK_ToUnion, "union", "a conversion to a union"),
	REFUSE(clang, CK_NullToMemberPointer, "function-pointer", "a member pointer"),
	REFUSE(clang, CK_BaseToDerivedMemberPointer, "function-pointer", "a member pointer"),
	REFUSE(clang, CK_DerivedToBaseMemberPointer, "function-pointer", "a member pointer"),
	REFUSE(clang, CK_ReinterpretMemberPointer, "function-pointer", "a member pointer"),
	REFUSE(clang, CK_MemberPointerToBoolean, "function-pointer", "a member pointer tested"),
	REFUSE(clang, CK_IntegralToFloating, "floating-point", "a conversion to floating point"),
	REFUSE(clang, CK_FloatingToIntegral, "floating-point", "a conversion from floating point"),
	REFUSE(clang, CK_FloatingToBoolean, "floating-point", "a floating-point value tested"),
	REFUSE(clang, CK_FloatingCast, "floating-point", "a floating-point conversion"),
};

const Row<attr::Kind> kAttrs[] = {
	ALLOW(attr, AlwaysInline, "inlining only (the stack bound sees the result)"),
	ALLOW(attr, NoInline, "inlining only (the stack bound sees the result)"),
	ALLOW(attr, Unused, "maybe_unused / unused: silences a warning"),
	ALLOW(attr, WarnUnusedResult, "nodiscard: adds a warning"),
	ALLOW(attr, Likely, "a branch weight"),
	ALLOW(attr, Unlikely, "a branch weight"),
	ALLOW(attr, FallThrough, "silences a warning"),
	ALLOW(attr, Const,
	      "the result depends on the arguments only (every SDK access still "
	      "checks its bounds)"),
	ALLOW(attr, Pure, "the result depends on the arguments and memory only"),
	ALLOW(attr, Cold, "a branch weight for the callers"),
	ALLOW(attr, Deprecated, "adds a warning"),
	ALLOW(attr, Aligned,
	      "alignas / aligned up to 64 bytes (a cache line; more is refused as alignment): a "
	      "layout choice, the frame realigned by at most 56 bytes, which the stack bound "
	      "counts"),
	ALLOW(attr, Packed, "a layout choice: fields are read unaligned"),
	ALLOW(attr, Final, "final: a class or function cannot be derived from or overridden"),
	ALLOW(attr, Override, "override: a compile-time check"),
	ALLOW(attr, ConstInit, "constinit: a compile-time check"),
	ALLOW(attr, LifetimeBound, "adds a dangling-reference warning"),
	REFUSE(attr, Section, "linkage-attribute", "places a symbol"),
	REFUSE(attr, CodeSeg, "linkage-attribute", "places a symbol"),
	REFUSE(attr, Alias, "linkage-attribute", "names another symbol"),
	REFUSE(attr, IFunc, "linkage-attribute", "resolves a symbol at load time"),
	REFUSE(attr, Weak, "linkage-attribute", "lets a symbol be replaced"),
	REFUSE(attr, WeakRef, "linkage-attribute", "names another symbol"),
	REFUSE(attr, WeakImport, "linkage-attribute", "lets a symbol be missing"),
	REFUSE(attr, Visibility, "linkage-attribute", "exports a symbol"),
	REFUSE(attr, TypeVisibility, "linkage-attribute", "exports a symbol"),
	REFUSE(attr, Used, "linkage-attribute", "keeps a symbol the program does not use"),
	REFUSE(attr, Retain, "linkage-attribute", "keeps a section"),
	REFUSE(attr, Constructor, "linkage-attribute", "runs code outside a program"),
	REFUSE(attr, Destructor, "linkage-attribute", "runs code outside a program"),
	REFUSE(attr, InitPriority, "linkage-attribute", "runs code outside a program"),
	REFUSE(attr, Cleanup, "linkage-attribute", "calls a function by name at scope exit"),
	REFUSE(attr, Naked, "linkage-attribute", "a function without prologue: asm only"),
	REFUSE(attr, AsmLabel, "linkage-attribute", "renames a symbol"),
	REFUSE(attr, SelectAny, "linkage-attribute", "merges symbols"),
};

#undef ALLOW
#undef REFUSE

template <class K, size_t N>
const Entry *lookup(const Row<K> (&rows)[N], K k)
{
	for (const Row<K> &r : rows)
		if (r.kind == k)
			return &r.entry;
	return nullptr;
}

// Attribute names as written, without __x__ and without a gnu:: or clang:: scope.
const char *const kAttributeNames[] = {
	"noinline",	 "always_inline", "maybe_unused",
	"unused",	 "nodiscard",	  "warn_unused_result",
	"likely",	 "unlikely",	  "fallthrough",
	"const",	 "pure",	  "cold",
	"deprecated",	 "aligned",	  "packed",
	"lifetimebound",
};

// Refused under linkage-attribute (as the AST side does), so both report the same rule.
const char *const kLinkageAttributeNames[] = {
	"section",    "alias", "ifunc",	    "weak",	   "weakref",	     "weak_import",
	"visibility", "used",  "retain",    "constructor", "destructor",     "init_priority",
	"cleanup",    "naked", "selectany", "code_seg",	   "type_visibility"};

const char *const kAllowedBuiltins[] = {
	"__builtin_expect",    "__builtin_expect_with_probability",
	"__builtin_bswap16",   "__builtin_bswap32",
	"__builtin_bswap64",   "__builtin_popcount",
	"__builtin_popcountl", "__builtin_popcountll",
};

const char *const kStdIncludes[] = {
	"cstdint", "cstddef", "climits", "type_traits",	     "limits",	"bit",	    "concepts",
	"utility", "array",   "compare", "initializer_list", "version", "stdint.h", "stddef.h"};

// Their values are fixed by the x86-64 ABI (LP64), the same whichever compiler's header
// defines them, and each expands to a literal or a cast of one.
const char *const kToolchainMacros[] = {
	"CHAR_BIT",  "SCHAR_MIN", "SCHAR_MAX",	"UCHAR_MAX",  "CHAR_MIN",    "CHAR_MAX",
	"SHRT_MIN",  "SHRT_MAX",  "USHRT_MAX",	"INT_MIN",    "INT_MAX",     "UINT_MAX",
	"LONG_MIN",  "LONG_MAX",  "ULONG_MAX",	"LLONG_MIN",  "LLONG_MAX",   "ULLONG_MAX",
	"INT8_MIN",  "INT16_MIN", "INT32_MIN",	"INT64_MIN",  "INT8_MAX",    "INT16_MAX",
	"INT32_MAX", "INT64_MAX", "UINT8_MAX",	"UINT16_MAX", "UINT32_MAX",  "UINT64_MAX",
	"INT8_C",    "INT16_C",	  "INT32_C",	"INT64_C",    "UINT8_C",     "UINT16_C",
	"UINT32_C",  "UINT64_C",  "INTMAX_MIN", "INTMAX_MAX", "UINTMAX_MAX", "SIZE_MAX",
};

template <size_t N>
bool in(const char *const (&list)[N], llvm::StringRef s)
{
	return std::any_of(list, list + N, [&](const char *x) { return s == x; });
}

template <class K, size_t N>
void print(llvm::raw_ostream &os, const char *what, const Row<K> (&rows)[N])
{
	for (const Row<K> &r : rows)
		if (!r.entry.rule)
			os << what << " " << r.name << "\n    " << r.entry.why << "\n";
}

} // namespace

const Entry *decl_entry(Decl::Kind k)
{
	return lookup(kDecls, k);
}
const Entry *stmt_entry(Stmt::StmtClass k)
{
	return lookup(kStmts, k);
}
const Entry *type_entry(Type::TypeClass k)
{
	return lookup(kTypes, k);
}
const Entry *builtin_type_entry(BuiltinType::Kind k)
{
	return lookup(kBuiltins, k);
}
const Entry *cast_entry(CastKind k)
{
	return lookup(kCasts, k);
}
const Entry *attr_entry(attr::Kind k)
{
	return lookup(kAttrs, k);
}

bool attribute_linkage_name(llvm::StringRef name)
{
	return in(kLinkageAttributeNames, name);
}

bool attribute_spelling_allowed(llvm::StringRef scope, llvm::StringRef name)
{
	if (!scope.empty() && scope != "gnu" && scope != "__gnu__" && scope != "clang" &&
	    scope != "_Clang")
		return false;
	if (name.size() > 4 && name.startswith("__") && name.endswith("__"))
		name = name.drop_front(2).drop_back(2);
	return in(kAttributeNames, name);
}

bool builtin_allowed(llvm::StringRef name)
{
	return in(kAllowedBuiltins, name);
}

bool toolchain_macro_allowed(llvm::StringRef name)
{
	return in(kToolchainMacros, name);
}

bool std_include_allowed(llvm::StringRef name)
{
	return in(kStdIncludes, name);
}

void print_allow_list(llvm::raw_ostream &os)
{
	print(os, "declaration", kDecls);
	print(os, "statement/expression", kStmts);
	print(os, "type", kTypes);
	print(os, "builtin type", kBuiltins);
	print(os, "conversion", kCasts);
	print(os, "attribute", kAttrs);
	os << "builtin functions";
	for (const char *b : kAllowedBuiltins)
		os << " " << b;
	os << "\nstandard headers";
	for (const char *h : kStdIncludes)
		os << " <" << h << ">";
	os << "\npragmas #pragma once\n";
	os << "macros expanded in app code (also inside macro arguments): the app's own, the "
	      "SDK's NETEXT_ ones, and the integer limits of <cstdint>/<climits>:";
	for (const char *m : kToolchainMacros)
		os << " " << m;
	os << "\n    the same code for Clang (the checker) and g++ (the native build): every "
	      "other macro is the compiler's or a toolchain header's, which the two may define "
	      "differently or not at all (the limits are fixed by the x86-64 ABI); a reserved "
	      "name (__x, _X) in a macro argument must be a keyword, a builtin or a macro here\n";
	// The rules that are not a node's kind: what they allow, and why it is safe.
	os << "preprocessor conditions: the app's own macros (their bodies alike), NETEXT_ "
	      "macros, defined, true, false\n    Clang (the checker) and g++ (the native "
	      "build) agree on them, so both compile the same branch\n";
	os << "integer / and %: by a non-zero constant (not -1 in signed arithmetic); "
	      "netext::div and netext::mod otherwise\n    no divisor can be 0 and no "
	      "INT_MIN / -1 can trap\n";
	os << "automatic variables: initialised at their declaration (T x{}, T x = v), or "
	      "default-constructed from a class whose every field has a default member "
	      "initialiser (SDK types with a constructor count)\n    no stale stack bytes "
	      "reach a packet or a map\n";
	os << "std::bit_cast: from types without padding\n    padding is never "
	      "initialised\n";
	os << "returning references, views, Refs: into what the function was given (its "
	      "parameters' referents, its object), maps or the packet\n    never into its "
	      "own frame, which dies when it returns\n";
	os << "binding a local reference, view or Ref: to a named object, or to a temporary "
	      "it keeps alive itself\n    never into a temporary that dies at the end of "
	      "the statement\n";
	os << "storing references, views, Refs (assignment, member initialisers, calls taking "
	      "an object by non-const reference): into a local of the same frame, or into what "
	      "outlives the frame when they refer to what outlives it too (the caller's objects, "
	      "maps, the packet)\n    nothing outside a frame is left referring into it when it "
	      "returns\n";
	os << "generic code (templates, generic lambdas, lambdas with template parameters), "
	      "constructs that depend on a template argument: assignment, comparison, logical, "
	      "bitwise and shift operators, `.` member access to names no SDK or toolchain class "
	      "uses for a pointer, static_cast to an arithmetic type, T{x}, calls of the app's "
	      "functions, the SDK's public functions that yield no pointer, std::move/forward/"
	      "swap/exchange/min/max/clamp/as_const/get/declval/to_underlying\n    safe whatever "
	      "the argument: every pattern (each if constexpr branch, each overload) is checked, "
	      "so what g++ instantiates and Clang did not was checked too (the rest: "
	      "generic-code)\n";
	os << "declarations: in the global namespace, the app's own namespaces (netext::<app>) "
	      "and its own classes and functions\n    no app code inside the SDK's or the "
	      "toolchain's namespaces and classes, whose friends and internals trust it\n";
	os << "constant evaluation: __builtin_constant_p, is_constant_evaluated and if consteval "
	      "are not allowed\n    Clang and g++ stop constant-evaluating at different "
	      "limits, so their values would differ between the checker and the native build\n";
	os << "views, Refs and references into the packet: used before any call that moves "
	      "the packet (adjust_head, adjust_tail, change_tail), new ones taken after it\n"
	      "    nothing reads or writes where the packet was\n";
}

} // namespace netext::check
