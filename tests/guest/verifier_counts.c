// SPDX-License-Identifier: GPL-2.0
/*
 * netext-verifier-counts NAME=OBJECT...
 *
 * Loads every program of each app's eBPF object (as the eBPF backend would, with libbpf)
 * into the running kernel and prints, one CSV line each, what its verifier did:
 *   verifier,KERNEL_RELEASE,APP,PROGRAM,VERIFIED_INSNS,XLATED_INSNS,JITED_BYTES
 * (bpf_prog_info: verified_insns, instructions the verifier processed; xlated, after its
 * rewrites; the JIT's bytes). Run in the qemu guest on each Debian kernel
 * (tests/guest/run.sh --kernel): the verifier changes between kernels (6.1, 6.12), so an
 * app must load on each, and its counts are recorded per kernel
 * (tests/guest/verifier-counts.sh keeps the lines). Exit 1 if any object fails to load.
 * Static, plain flags.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/utsname.h>

#include <bpf/bpf.h>
#include <bpf/libbpf.h>

static char log_buf[1 << 16];

static int print_quiet(enum libbpf_print_level level, const char *fmt, va_list ap)
{
	return level == LIBBPF_WARN ? vfprintf(stdout, fmt, ap) : 0;
}

int main(int argc, char **argv)
{
	struct utsname u;
	int failures = 0;

	if (argc < 2) {
		fprintf(stderr, "usage: %s NAME=OBJECT...\n", argv[0]);
		return 2;
	}
	setvbuf(stdout, NULL, _IOLBF, 0);
	libbpf_set_print(print_quiet);
	uname(&u);
	for (int i = 1; i < argc; i++) {
		char name[64];
		const char *eq = strchr(argv[i], '='), *path;
		struct bpf_object *obj;
		struct bpf_program *prog;
		int err;

		if (!eq || eq == argv[i] || (size_t)(eq - argv[i]) >= sizeof(name)) {
			fprintf(stderr, "%s: '%s' is not NAME=OBJECT\n", argv[0], argv[i]);
			return 2;
		}
		memcpy(name, argv[i], eq - argv[i]);
		name[eq - argv[i]] = 0;
		path = eq + 1;
		obj = bpf_object__open_file(path, NULL);
		if (!obj) {
			printf("FAIL - %s: cannot open %s (errno %d: %s)\n", name, path, errno,
			       strerror(errno));
			failures++;
			continue;
		}
		bpf_object__for_each_program(prog, obj)
			bpf_program__set_log_buf(prog, log_buf, sizeof(log_buf));
		err = bpf_object__load(obj);
		if (err) {
			printf("FAIL - %s: the %s verifier refused %s (%d); its log:\n%s\n", name,
			       u.release, path, err, log_buf);
			failures++;
			bpf_object__close(obj);
			continue;
		}
		bpf_object__for_each_program(prog, obj) {
			struct bpf_prog_info info = { 0 };
			__u32 len = sizeof(info);

			if (bpf_obj_get_info_by_fd(bpf_program__fd(prog), &info, &len)) {
				printf("FAIL - %s/%s: no prog info (errno %d)\n", name,
				       bpf_program__name(prog), errno);
				failures++;
				continue;
			}
			printf("verifier,%s,%s,%s,%u,%u,%u\n", u.release, name, bpf_program__name(prog),
			       info.verified_insns, info.xlated_prog_len / 8, info.jited_prog_len);
		}
		printf("ok   - %s loads on %s\n", name, u.release);
		bpf_object__close(obj);
	}
	printf("%s: %d app(s) refused\n", failures ? "FAILED" : "PASSED", failures);
	return failures ? 1 : 0;
}
