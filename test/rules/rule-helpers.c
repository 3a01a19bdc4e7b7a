// SPDX-License-Identifier: Apache-2.0
/*
 * Triggers for the behavioural-rule tests that no standard tool provides.
 *   memfd-exec PATH          copy PATH into a memfd and execute it (fileless)
 *   memfd-then-exec PATH     copy PATH into a memfd, keep it open, and execute PATH itself:
 *                            the lookalike (a runtime that stages a memfd but runs a file)
 *   deleted-exec PATH COPY   copy PATH to COPY, open it, unlink it, and execute it through
 *                            the open fd (fexecve): a binary with no name left on disk
 *   open-append PATH         open PATH with O_WRONLY|O_APPEND (never O_CREAT), write nothing,
 *                            close: a write attempt that changes no file
 *   open-read PATH           open PATH read-only and close it: the lookalike
 *   ptrace-attach            fork a child and PTRACE_ATTACH to it (then detach)
 *   ptrace-traceme           PTRACE_TRACEME in a child: tracing oneself, the lookalike
 *   unshare FLAGS            unshare(2) with FLAGS (hex), e.g. 0x40000000 (net) or 0x400 (CLONE_FILES)
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

/* Copies the file at path into out; returns -1 (having said why) on failure. */
static int copy_into(const char *path, int out)
{
	int in = open(path, O_RDONLY | O_CLOEXEC);
	struct stat st;

	if (in < 0 || fstat(in, &st) || sendfile(out, in, NULL, st.st_size) != st.st_size) {
		perror(path);
		return -1;
	}
	close(in);
	return 0;
}

static int memfd_exec(const char *path)
{
	int fd = memfd_create("payload", MFD_CLOEXEC);
	char *argv[] = { "payload", NULL };

	if (fd < 0 || copy_into(path, fd))
		return 1;
	fexecve(fd, argv, environ);
	perror("fexecve");
	return 1;
}

static int memfd_then_exec(const char *path)
{
	/* No MFD_CLOEXEC: the memfd, holding a copy of the binary, stays open across the exec. */
	int fd = memfd_create("payload", 0);
	char *argv[] = { (char *)path, NULL };

	if (fd < 0 || copy_into(path, fd))
		return 1;
	execv(path, argv);
	perror("execv");
	return 1;
}

static int deleted_exec(const char *path, const char *copy)
{
	int out = open(copy, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0700), fd;
	char *argv[] = { "payload", NULL };

	if (out < 0 || copy_into(path, out)) {
		perror(copy);
		return 1;
	}
	/* A writer left open would make the exec fail with ETXTBSY. */
	close(out);
	fd = open(copy, O_RDONLY | O_CLOEXEC);
	if (fd < 0 || unlink(copy)) {
		perror(copy);
		return 1;
	}
	fexecve(fd, argv, environ);
	perror("fexecve");
	return 1;
}

static int open_close(const char *path, int flags)
{
	int fd = open(path, flags | O_CLOEXEC);

	/* A missing file is fine: the attempt is what the sensor sees, at syscall entry. */
	if (fd >= 0)
		close(fd);
	return 0;
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
	if (argc >= 3 && strcmp(argv[1], "memfd-then-exec") == 0)
		return memfd_then_exec(argv[2]);
	if (argc >= 4 && strcmp(argv[1], "deleted-exec") == 0)
		return deleted_exec(argv[2], argv[3]);
	if (argc >= 3 && strcmp(argv[1], "open-append") == 0)
		return open_close(argv[2], O_WRONLY | O_APPEND);
	if (argc >= 3 && strcmp(argv[1], "open-read") == 0)
		return open_close(argv[2], O_RDONLY);
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
	fprintf(stderr, "usage: rule-helpers memfd-exec PATH | memfd-then-exec PATH | deleted-exec PATH COPY | open-append PATH |\n"
			"       open-read PATH | ptrace-attach | ptrace-traceme | unshare FLAGS\n");
	return 2;
}
