// SPDX-License-Identifier: Apache-2.0
/*
 * Benchmark helper: loads a BPF object file, attaches every program in it, prints
 * "attached" and holds them until stdin closes. Used to measure baselines (the
 * empty sys_enter floor) with the same toolchain as the sensor.
 */
#include <stdio.h>
#include <unistd.h>
#include <bpf/libbpf.h>

int main(int argc, char **argv)
{
	struct bpf_object *obj;
	struct bpf_program *prog;
	char buf[64];

	if (argc != 2) {
		fprintf(stderr, "usage: attach-object FILE.bpf.o\n");
		return 2;
	}
	obj = bpf_object__open_file(argv[1], NULL);
	if (!obj || bpf_object__load(obj)) {
		fprintf(stderr, "attach-object: cannot load %s\n", argv[1]);
		return 1;
	}
	bpf_object__for_each_program(prog, obj) {
		if (!bpf_program__attach(prog)) {
			fprintf(stderr, "attach-object: cannot attach %s\n", bpf_program__name(prog));
			return 1;
		}
	}
	printf("attached\n");
	fflush(stdout);
	while (read(STDIN_FILENO, buf, sizeof(buf)) > 0)
		;
	return 0;
}
