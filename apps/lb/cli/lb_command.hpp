// `netext lb`: the LB's own CLI command, declared in its descriptor (lb_descriptor.cpp).
#pragma once

#include <netext/loader/command.hpp>

namespace netext::lb {

loader::Command lb_command();

} // namespace netext::lb
