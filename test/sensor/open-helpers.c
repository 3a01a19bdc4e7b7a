// SPDX-License-Identifier: Apache-2.0
/*
 * Opens that no standard tool makes, for the sensor end-to-end test. MODE is r (O_RDONLY),
 * rw (O_RDWR) or wct (O_WRONLY|O_CREAT|O_TRUNC).
 *   openat2 PATH MODE             openat2(AT_FDCWD, PATH) (glibc 2.36 has no wrapper: raw syscall)
 *   openat-dirfd DIR REL MODE     open DIR, chdir to /, then openat(dirfd, REL)
 *   openat2-dirfd DIR REL MODE    the same with openat2(dirfd, REL)
 * The chdir makes a relative path resolved against the cwd instead of the dirfd land
 * somewhere else, so the test can tell the two apart. Exits 1 if an open fails.
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <linux/openat2.h>
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

static int mode_flags(const char *mode)
{
	if (strcmp(mode, "r") == 0)
		return O_RDONLY;
	if (strcmp(mode, "rw") == 0)
		return O_RDWR;
	if (strcmp(mode, "wct") == 0)
		return O_WRONLY | O_CREAT | O_TRUNC;
	fprintf(stderr, "open-helpers: unknown mode %s\n", mode);
	return -1;
}

static int do_openat2(int dirfd, const char *path, int flags)
{
	struct open_how how;

	memset(&how, 0, sizeof(how));
	how.flags = (unsigned long long)flags;
	how.mode = (flags & O_CREAT) ? 0644 : 0;
	return (int)syscall(SYS_openat2, dirfd, path, &how, sizeof(how));
}

static int open_dir_then_leave(const char *dir)
{
	int dirfd = open(dir, O_RDONLY | O_DIRECTORY);

	if (dirfd < 0) {
		perror(dir);
		return -1;
	}
	if (chdir("/") != 0) {
		perror("chdir /");
		return -1;
	}
	return dirfd;
}

int main(int argc, char **argv)
{
	int flags, dirfd, fd;

	if (argc == 4 && strcmp(argv[1], "openat2") == 0) {
		flags = mode_flags(argv[3]);
		if (flags < 0)
			return 2;
		fd = do_openat2(AT_FDCWD, argv[2], flags);
	} else if (argc == 5 && (strcmp(argv[1], "openat-dirfd") == 0 || strcmp(argv[1], "openat2-dirfd") == 0)) {
		flags = mode_flags(argv[4]);
		if (flags < 0)
			return 2;
		dirfd = open_dir_then_leave(argv[2]);
		if (dirfd < 0)
			return 1;
		fd = strcmp(argv[1], "openat-dirfd") == 0 ? openat(dirfd, argv[3], flags, 0644) : do_openat2(dirfd, argv[3], flags);
		close(dirfd);
	} else {
		fprintf(stderr, "usage: open-helpers openat2 PATH MODE | openat-dirfd DIR REL MODE | openat2-dirfd DIR REL MODE\n");
		return 2;
	}
	if (fd < 0) {
		perror(argv[argc - 2]);
		return 1;
	}
	close(fd);
	return 0;
}
