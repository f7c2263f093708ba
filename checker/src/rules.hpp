// The safe subset's rules: stable ids (what diagnostics and --list-rules print), what each
// rejects, and the SDK way to do the same thing.
#pragma once

#include <string_view>

namespace netext::check {

struct Rule {
	std::string_view id;
	std::string_view what;
	std::string_view hint;
};

// nullptr for an unknown id; the checker only reports ids from this table.
const Rule *find_rule(std::string_view id);

// Every rule, in --list-rules order.
const Rule *rules_begin();
const Rule *rules_end();

} // namespace netext::check
