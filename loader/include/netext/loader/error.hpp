// Errors a user can cause: the message names the cause and the fix.
#pragma once

#include <stdexcept>
#include <string>

namespace netext {

class Error : public std::runtime_error {
public:
	using std::runtime_error::runtime_error;
};

} // namespace netext
