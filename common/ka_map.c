#define _DEFAULT_SOURCE
#include <sys/mman.h>

#include <errno.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ka_map.h"

/*
 * The live maps, where the SIGBUS handler can see them without a lock:
 * start is 0 for a free slot and 1 while one is being claimed.
 */
static struct {
	atomic_uintptr_t start;
	atomic_size_t	 length;
	atomic_int	 shrunk;
} slots[KA_MAP_SLOTS];

static atomic_int handler_state;	/* 0 none, 1 installing, 2 installed */
static struct sigaction previous;
static uintptr_t page_size;		/* set before the handler is in */

static void
on_sigbus(int sig, siginfo_t *info, void *context)
{
	uintptr_t at = (uintptr_t)info->si_addr;
	int i, saved_errno = errno;

	(void)context;
	for (i = 0; i < KA_MAP_SLOTS; i++) {
		uintptr_t start = atomic_load(&slots[i].start);
		size_t length = atomic_load(&slots[i].length);

		if (start > 1 && at >= start && at - start < length) {
			/* The file is shorter than when it was mapped: what
			 * is missing reads as zeros from now on. */
			uintptr_t zero = at & ~(page_size - 1);

			if (mmap((void *)zero, start + length - zero,
			    PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED,
			    -1, 0) == MAP_FAILED)
				break;
			atomic_store(&slots[i].shrunk, 1);
			errno = saved_errno;
			return;
		}
	}
	/* Not one of ours: what was there before takes it (the faulting
	 * access runs again on return). */
	sigaction(sig, &previous, NULL);
	errno = saved_errno;
}

static int
install_handler(void)
{
	struct sigaction action;
	int expected = 0;

	if (atomic_compare_exchange_strong(&handler_state, &expected, 1)) {
		long page = sysconf(_SC_PAGESIZE);

		memset(&action, 0, sizeof(action));
		action.sa_sigaction = on_sigbus;
		action.sa_flags = SA_SIGINFO;
		sigemptyset(&action.sa_mask);
		page_size = page > 0 ? (uintptr_t)page : 0;
		if (page <= 0 || sigaction(SIGBUS, &action, &previous) != 0) {
			atomic_store(&handler_state, 0);
			return -1;
		}
		atomic_store(&handler_state, 2);
	}
	while (atomic_load(&handler_state) == 1)
		;
	return atomic_load(&handler_state) == 2 ? 0 : -1;
}

/*
 * The kernel maps a file's page-cache folio, up to some megabytes, in
 * one fault where the mapping holds it whole, so that a process's size
 * would depend on how the file came into the page cache.  Every other
 * window marked differently makes the mapping one area per window, and
 * no fault maps past its window.  (Where the marking fails, as past
 * the limit on areas, only the size is affected.)
 */
static void
split_mapping(char *base, size_t length)
{
	size_t at;

	for (at = KA_MAP_WINDOW; at < length; at += 2 * KA_MAP_WINDOW)
		(void)madvise(base + at, length - at < KA_MAP_WINDOW ?
		    length - at : KA_MAP_WINDOW, MADV_NOHUGEPAGE);
}

static int
claim_slot(void)
{
	int i;

	for (i = 0; i < KA_MAP_SLOTS; i++) {
		uintptr_t expected = 0;

		if (atomic_compare_exchange_strong(&slots[i].start, &expected,
		    1))
			return i;
	}
	return -1;
}

int
ka_map_open(struct ka_map *map, int fd, uint64_t offset, size_t length)
{
	const char *off = getenv("KA_NO_MMAP");
	uint64_t skip;
	void *base;
	int slot;

	memset(map, 0, sizeof(*map));
	map->slot = -1;
	if ((off != NULL && *off != '\0') || length == 0 ||
	    install_handler() < 0)
		return -1;
	skip = offset % page_size;
	if (length > SIZE_MAX - skip || (slot = claim_slot()) < 0)
		return -1;
	base = mmap(NULL, length + (size_t)skip, PROT_READ, MAP_PRIVATE, fd,
	    (off_t)(offset - skip));
	if (base == MAP_FAILED) {
		atomic_store(&slots[slot].start, 0);
		return -1;
	}
	/* Read once, front to back: the kernel reads ahead further. */
	(void)madvise(base, length + (size_t)skip, MADV_SEQUENTIAL);
	split_mapping(base, length + (size_t)skip);
	map->base = base;
	map->base_length = length + (size_t)skip;
	map->data = map->base + skip;
	map->length = length;
	map->slot = slot;
	atomic_store(&slots[slot].shrunk, 0);
	atomic_store(&slots[slot].length, map->base_length);
	atomic_store(&slots[slot].start, (uintptr_t)base);
	return 0;
}

int
ka_map_shrunk(const struct ka_map *map)
{
	return map->slot >= 0 && atomic_load_explicit(&slots[map->slot].shrunk,
	    memory_order_relaxed);
}

void
ka_map_release(struct ka_map *map, size_t upto)
{
	size_t from, to;

	if (map->base == NULL || upto > map->length)
		return;
	/* Whole pages: page_size is set, since a map exists. */
	from = (size_t)(map->data - map->base) + map->released;
	from &= ~(page_size - 1);
	to = ((size_t)(map->data - map->base) + upto) & ~(page_size - 1);
	if (to > from)
		(void)madvise(map->base + from, to - from, MADV_DONTNEED);
	map->released = upto;
}

void
ka_map_close(struct ka_map *map)
{
	if (map->base == NULL)
		return;
	atomic_store(&slots[map->slot].start, 0);
	munmap(map->base, map->base_length);
	memset(map, 0, sizeof(*map));
	map->slot = -1;
}
