// SPDX-License-Identifier: Apache-2.0
/*
 * Triggers for the behavioural-rule tests that no standard tool provides.
 *   memfd-exec PATH       copy PATH into a memfd and execute it (fileless)
 *   ptrace-attach         fork a child and PTRACE_ATTACH to it (then detach)
 *   ptrace-traceme        PTRACE_TRACEME in a child: tracing oneself, the lookalike
 *   unshare FLAGS         unshare(2) with FLAGS (hex), e.g. 0x40000000 (net) or 0x400 (CLONE_FILES)
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/ptrace.h>
#include <sys/sendfile.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

extern char **environ;

static int memfd_exec(const char *path)
{
	int in = open(path, O_RDONLY), fd = memfd_create("payload", MFD_CLOEXEC);
	struct stat st;
	char *argv[] = { "payload", NULL };

	if (in < 0 || fd < 0 || fstat(in, &st) || sendfile(fd, in, NULL, st.st_size) != st.st_size) {
		perror("memfd-exec");
		return 1;
	}
	fexecve(fd, argv, environ);
	perror("fexecve");
	return 1;
}

static int ptrace_attach(void)
{
	pid_t child = fork();
	int status;

	if (child == 0) {
		pause();
		_exit(0);
	}
	if (ptrace(PTRACE_ATTACH, child, NULL, NULL) != 0) {
		perror("PTRACE_ATTACH");
		kill(child, SIGKILL);
		return 1;
	}
	waitpid(child, &status, 0);
	ptrace(PTRACE_DETACH, child, NULL, NULL);
	kill(child, SIGKILL);
	waitpid(child, &status, 0);
	return 0;
}

static int ptrace_traceme(void)
{
	pid_t child = fork();
	int status;

	if (child == 0) {
		ptrace(PTRACE_TRACEME, 0, NULL, NULL);
		_exit(0);
	}
	waitpid(child, &status, 0);
	return 0;
}

int main(int argc, char **argv)
{
	if (argc >= 3 && strcmp(argv[1], "memfd-exec") == 0)
		return memfd_exec(argv[2]);
	if (argc >= 2 && strcmp(argv[1], "ptrace-attach") == 0)
		return ptrace_attach();
	if (argc >= 2 && strcmp(argv[1], "ptrace-traceme") == 0)
		return ptrace_traceme();
	if (argc >= 3 && strcmp(argv[1], "unshare") == 0) {
		if (unshare((int)strtol(argv[2], NULL, 16)) != 0) {
			perror("unshare");
			return 1;
		}
		return 0;
	}
	fprintf(stderr, "usage: rule-helpers memfd-exec PATH | ptrace-attach | ptrace-traceme | unshare FLAGS\n");
	return 2;
}
