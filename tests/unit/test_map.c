/*
 * Unit tests of common/ka_map.c: a file's bytes mapped from any offset,
 * given back and read again; what declines a mapping; a file that
 * shrinks under its map reads as zeros and says so instead of raising
 * SIGBUS; and a SIGBUS that is not a map's still ends the process.
 */
#define _DEFAULT_SOURCE
#include <sys/mman.h>
#include <sys/wait.h>

#include <fcntl.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "check.h"
#include "ka_map.h"

static char dir[] = "/tmp/ka-test-map-XXXXXX";
static char path[128];

#define FILE_SIZE (5 * 65536 + 123)

/* The byte the test file holds at offset i. */
static char
byte_at(size_t i)
{
	return (char)('a' + (i * 7 + i / 4096) % 26);
}

/* Writes the test file afresh and opens it for reading. */
static int
open_test_file(void)
{
	static char data[FILE_SIZE];
	FILE *f;
	size_t i;
	int fd;

	for (i = 0; i < sizeof(data); i++)
		data[i] = byte_at(i);
	if ((f = fopen(path, "wb")) == NULL ||
	    fwrite(data, 1, sizeof(data), f) != sizeof(data) ||
	    fclose(f) != 0) {
		perror(path);
		exit(2);
	}
	if ((fd = open(path, O_RDONLY)) < 0) {
		perror(path);
		exit(2);
	}
	return fd;
}

/* Where data differs from the file from offset, or length. */
static size_t
first_difference(const char *data, size_t offset, size_t length)
{
	size_t i;

	for (i = 0; i < length; i++)
		if (data[i] != byte_at(offset + i))
			return i;
	return length;
}

static void
test_offsets(void)
{
	static const size_t offsets[] = { 0, 1, 4095, 4096, 4097, 65536 * 3 + 5 };
	struct ka_map map;
	int fd = open_test_file();
	size_t i;

	for (i = 0; i < sizeof(offsets) / sizeof(offsets[0]); i++) {
		size_t length = FILE_SIZE - offsets[i];

		CHECK_INT(ka_map_open(&map, fd, offsets[i], length), 0);
		CHECK_INT(map.length, length);
		CHECK_INT(first_difference(map.data, offsets[i], length),
		    length);
		CHECK_INT(ka_map_shrunk(&map), 0);
		ka_map_close(&map);
		CHECK(map.data == NULL);
	}
	/* Part of a file, from the middle. */
	CHECK_INT(ka_map_open(&map, fd, 10000, 300), 0);
	CHECK_INT(first_difference(map.data, 10000, 300), 300);
	ka_map_close(&map);
	close(fd);
}

static void
test_release(void)
{
	struct ka_map map;
	int fd = open_test_file();

	CHECK_INT(ka_map_open(&map, fd, 100, FILE_SIZE - 100), 0);
	ka_map_release(&map, 3 * 65536);
	CHECK_INT(map.released, 3 * 65536);
	/* Given back is not gone: the pages come again from the file. */
	CHECK_INT(first_difference(map.data, 100, FILE_SIZE - 100),
	    FILE_SIZE - 100);
	ka_map_release(&map, FILE_SIZE - 100);
	CHECK_INT(first_difference(map.data + 5000, 5100, 100), 100);
	/* Beyond the end: nothing happens. */
	ka_map_release(&map, FILE_SIZE);
	CHECK_INT(map.released, FILE_SIZE - 100);
	ka_map_close(&map);
	close(fd);
}

static void
test_declined(void)
{
	struct ka_map map;
	struct ka_map many[KA_MAP_SLOTS + 1];
	int fd = open_test_file(), pipes[2], i, opened = 0;

	CHECK_INT(ka_map_open(&map, fd, 0, 0), -1);
	CHECK_INT(map.slot, -1);
	setenv("KA_NO_MMAP", "1", 1);
	CHECK_INT(ka_map_open(&map, fd, 0, 10), -1);
	unsetenv("KA_NO_MMAP");
	/* A pipe cannot be mapped. */
	if (pipe(pipes) != 0) {
		perror("pipe");
		exit(2);
	}
	CHECK_INT(ka_map_open(&map, pipes[0], 0, 10), -1);
	close(pipes[0]);
	close(pipes[1]);
	/* KA_MAP_SLOTS maps at once, then no more until one is closed. */
	for (i = 0; i < KA_MAP_SLOTS + 1; i++)
		if (ka_map_open(&many[i], fd, 0, 4096) == 0)
			opened++;
	CHECK_INT(opened, KA_MAP_SLOTS);
	CHECK_INT(many[KA_MAP_SLOTS].slot, -1);
	ka_map_close(&many[3]);
	CHECK_INT(ka_map_open(&many[3], fd, 8192, 4096), 0);
	CHECK_INT(first_difference(many[3].data, 8192, 4096), 4096);
	for (i = 0; i < KA_MAP_SLOTS; i++)
		ka_map_close(&many[i]);
	close(fd);
}

static void
test_shrunk(void)
{
	struct ka_map map, other;
	int fd = open_test_file();
	size_t i, zeros = 0;

	CHECK_INT(ka_map_open(&map, fd, 0, FILE_SIZE), 0);
	CHECK_INT(ka_map_open(&other, fd, 0, 4096), 0);
	if (truncate(path, 2 * 65536 + 10) != 0) {
		perror(path);
		exit(2);
	}
	/* Up to the new end: the file; the rest of its last page and all
	 * the pages after it: zeros, without a signal. */
	CHECK_INT(first_difference(map.data, 0, 2 * 65536 + 10),
	    2 * 65536 + 10);
	for (i = 2 * 65536 + 10; i < FILE_SIZE; i++)
		zeros += map.data[i] == '\0';
	CHECK_INT(zeros, FILE_SIZE - (2 * 65536 + 10));
	CHECK_INT(ka_map_shrunk(&map), 1);
	/* Only the map that faulted is marked. */
	CHECK_INT(ka_map_shrunk(&other), 0);
	ka_map_close(&other);
	ka_map_close(&map);
	CHECK_INT(ka_map_shrunk(&map), 0);
	/* A new map of the same file is not marked. */
	CHECK_INT(ka_map_open(&map, fd, 0, 4096), 0);
	CHECK_INT(ka_map_shrunk(&map), 0);
	ka_map_close(&map);
	close(fd);
}

/* The areas of /proc/self/maps that overlap [from, to), or -1. */
static int
areas_within(uintptr_t from, uintptr_t to)
{
	FILE *maps = fopen("/proc/self/maps", "r");
	unsigned long start, end;
	char line[512];
	int n = 0;

	if (maps == NULL)
		return -1;
	while (fgets(line, sizeof(line), maps) != NULL)
		if (sscanf(line, "%lx-%lx", &start, &end) == 2 &&
		    start < to && end > from)
			n++;
	fclose(maps);
	return n;
}

/*
 * A map is one area of memory per KA_MAP_WINDOW bytes, so that the
 * kernel never maps more than a window of it in one fault: 3.5 windows
 * from a page into a file are four areas.
 */
static void
test_windows(void)
{
	char big[160];
	struct ka_map map;
	size_t length = 3 * KA_MAP_WINDOW + KA_MAP_WINDOW / 2;
	uintptr_t base;
	int fd;

	snprintf(big, sizeof(big), "%s/big", dir);
	if ((fd = open(big, O_RDWR | O_CREAT | O_TRUNC, 0600)) < 0 ||
	    ftruncate(fd, (off_t)(length + 8192)) != 0) {
		perror(big);
		exit(2);
	}
	CHECK_INT(ka_map_open(&map, fd, 4096, length), 0);
	if (areas_within((uintptr_t)map.base, (uintptr_t)map.base +
	    map.base_length) < 0)
		printf("SKIP test_windows: no /proc/self/maps\n");
	else
		CHECK_INT(areas_within((uintptr_t)map.base,
		    (uintptr_t)map.base + map.base_length), 4);
	CHECK_INT(map.data[length - 1], 0);
	base = (uintptr_t)map.base;
	ka_map_close(&map);
	/* Closed: none left. */
	CHECK_INT(areas_within(base, base + length), 0);
	close(fd);
	unlink(big);
}

/*
 * A SIGBUS that is not a map's, once a map has put its handler in: the
 * process still dies of it, as it would have without ka_map.
 */
static void
test_foreign_sigbus(void)
{
	struct ka_map map;
	int fd = open_test_file(), status;
	pid_t child;

	CHECK_INT(ka_map_open(&map, fd, 0, 4096), 0);
	fflush(stdout);
	if ((child = fork()) < 0) {
		perror("fork");
		exit(2);
	}
	if (child == 0) {
		/* A mapping of its own, not registered, past the end. */
		int own = open(path, O_RDWR), null = open("/dev/null", O_WRONLY);
		volatile char *p;

		/* A sanitizer's report of the fault is not for the log. */
		if (null >= 0)
			dup2(null, STDERR_FILENO);
		if (own < 0 || ftruncate(own, 8192) != 0)
			_exit(3);
		/* Past the page the end is in, whatever the page size. */
		p = mmap(NULL, 4 * 65536, PROT_READ, MAP_PRIVATE, own, 0);
		if (p == MAP_FAILED)
			_exit(4);
		(void)p[2 * 65536];
		_exit(0);
	}
	if (waitpid(child, &status, 0) != child) {
		perror("waitpid");
		exit(2);
	}
#ifdef __SANITIZE_ADDRESS__
	/* AddressSanitizer's handler was there before: it reports the
	 * fault and exits 1. */
	CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 1);
#else
	CHECK(WIFSIGNALED(status));
	if (WIFSIGNALED(status))
		CHECK_INT(WTERMSIG(status), SIGBUS);
	else
		CHECK_INT(WEXITSTATUS(status), -1);
#endif
	ka_map_close(&map);
	close(fd);
}

int
main(void)
{
	if (mkdtemp(dir) == NULL) {
		perror("mkdtemp");
		return 2;
	}
	snprintf(path, sizeof(path), "%s/data", dir);
	RUN(test_offsets);
	RUN(test_release);
	RUN(test_declined);
	RUN(test_shrunk);
	RUN(test_windows);
	RUN(test_foreign_sigbus);
	unlink(path);
	rmdir(dir);
	return CHECK_EXIT();
}
