// The preprocessor side of the checker: which macros are the SDK's, what the app includes,
// its pragmas and macro definitions, and every attribute it spells (also the ones Clang
// ignores, such as GCC's optimize).
#pragma once

#include "context.hpp"

#include <clang/Lex/Preprocessor.h>

#include <functional>

namespace netext::check {

// Installs the callbacks and the token watcher on `pp`; violations are queued in `c`.
// The function returned queues what can be decided only at the end of the translation
// unit (call it before flushing the queue).
std::function<void()> watch_preprocessor(clang::Preprocessor &pp, Context &c);

} // namespace netext::check
