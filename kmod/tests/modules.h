/* Loading and unloading kernel modules from the guest tests (C and C++). */
#pragma once

#include <errno.h>
#include <fcntl.h>
#include <sys/syscall.h>
#include <unistd.h>

/* 0, or -errno; params as insmod takes them ("name=value ..."). */
static inline int load_module_params(const char *path, const char *params)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC), rc;

	if (fd < 0)
		return -errno;
	rc = (int)syscall(SYS_finit_module, fd, params, 0);
	rc = rc ? -errno : 0;
	close(fd);
	return rc;
}

static inline int load_module(const char *path)
{
	return load_module_params(path, "");
}

/* Stubs are freed after an RCU grace period: their module references linger briefly. */
static inline int unload_module(const char *name)
{
	for (int i = 0; i < 500; i++) {
		if (!syscall(SYS_delete_module, name, O_NONBLOCK))
			return 0;
		if (errno != EBUSY && errno != EAGAIN)
			return -errno;
		usleep(10000);
	}
	return -EBUSY;
}
