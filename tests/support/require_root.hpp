// Tests that load BPF programs or make network namespaces need root (CAP_BPF,
// CAP_NET_ADMIN); the README's test command runs as root. Fails the test, never skips it.
#pragma once

#include <gtest/gtest.h>
#include <unistd.h>

#define NETEXT_REQUIRE_ROOT()                                                                      \
	do {                                                                                       \
		if (geteuid() != 0)                                                                \
			GTEST_FAIL() << "needs root (CAP_BPF, CAP_NET_ADMIN, namespaces): "        \
					"run the README's test command as root";                   \
	} while (0)
