// Everything a tc program needs (the same SDK as XDP; the context differs).
#pragma once

#include <netext/xdp.hpp>
