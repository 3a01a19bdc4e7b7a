// SPDX-License-Identifier: Apache-2.0
/*
 * Times one syscall pattern and prints nanoseconds per operation.
 *   getpid N        raw getpid(2), thread CPU time
 *   open-close N    open+close of one path, thread CPU time
 *   exec N PATH     posix_spawn+wait of a static binary, CPU time of this process and its children
 *   open-distinct N PREFIX   open N different paths PREFIX0..PREFIX(N-1): N novel file observations
 *   pingpong N      N round trips of one byte between two processes over pipes: two context
 *                   switches and four syscalls each, CPU time of both processes
 * CPU time, not wall time: the machine is shared, and time spent waiting for a
 * core is not overhead of the code under test.
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

extern char **environ;

static double thread_cpu_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
	return ts.tv_sec * 1e9 + ts.tv_nsec;
}

static double process_and_children_cpu_ns(void)
{
	struct rusage self, children;

	getrusage(RUSAGE_SELF, &self);
	getrusage(RUSAGE_CHILDREN, &children);
	return (self.ru_utime.tv_sec + self.ru_stime.tv_sec + children.ru_utime.tv_sec + children.ru_stime.tv_sec) * 1e9 +
	       (self.ru_utime.tv_usec + self.ru_stime.tv_usec + children.ru_utime.tv_usec + children.ru_stime.tv_usec) * 1e3;
}

int main(int argc, char **argv)
{
	long n;
	double start, end;

	if (argc < 3) {
		fprintf(stderr, "usage: syscall-bench getpid|open-close|exec N [PATH]\n");
		return 2;
	}
	n = atol(argv[2]);
	if (strcmp(argv[1], "getpid") == 0) {
		for (long i = 0; i < n / 10; i++)
			syscall(SYS_getpid);
		start = thread_cpu_ns();
		for (long i = 0; i < n; i++)
			syscall(SYS_getpid);
		end = thread_cpu_ns();
	} else if (strcmp(argv[1], "open-close") == 0) {
		const char *path = argc > 3 ? argv[3] : "/etc/hostname";

		for (long i = 0; i < n / 10; i++)
			close(open(path, O_RDONLY));
		start = thread_cpu_ns();
		for (long i = 0; i < n; i++)
			close(open(path, O_RDONLY));
		end = thread_cpu_ns();
	} else if (strcmp(argv[1], "open-distinct") == 0 && argc > 3) {
		char path[4096];

		start = thread_cpu_ns();
		for (long i = 0; i < n; i++) {
			int fd;

			snprintf(path, sizeof(path), "%s%ld", argv[3], i);
			fd = open(path, O_RDONLY);
			if (fd >= 0)
				close(fd);
		}
		end = thread_cpu_ns();
	} else if (strcmp(argv[1], "pingpong") == 0) {
		int there[2], back[2];
		char byte = 0;
		pid_t pid;
		int status;

		if (pipe(there) || pipe(back))
			return 1;
		pid = fork();
		if (pid == 0) {
			for (long i = 0; i < n; i++) {
				if (read(there[0], &byte, 1) != 1 || write(back[1], &byte, 1) != 1)
					_exit(1);
			}
			_exit(0);
		}
		start = process_and_children_cpu_ns();
		for (long i = 0; i < n; i++) {
			if (write(there[1], &byte, 1) != 1 || read(back[0], &byte, 1) != 1)
				return 1;
		}
		waitpid(pid, &status, 0);
		end = process_and_children_cpu_ns();
	} else if (strcmp(argv[1], "exec") == 0 && argc > 3) {
		char *child_argv[] = { argv[3], NULL };
		pid_t pid;
		int status;

		start = process_and_children_cpu_ns();
		for (long i = 0; i < n; i++) {
			if (posix_spawn(&pid, argv[3], NULL, NULL, child_argv, environ) != 0)
				return 1;
			waitpid(pid, &status, 0);
		}
		end = process_and_children_cpu_ns();
	} else {
		fprintf(stderr, "syscall-bench: unknown mode %s\n", argv[1]);
		return 2;
	}
	printf("%.1f\n", (end - start) / n);
	return 0;
}
