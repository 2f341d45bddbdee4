/*
 * ka_map: a regular file's bytes mapped into memory, read only, for the
 * reader (no copy through read(), which costs a sixth of a plain read).
 *
 * A mapped file that shrinks while it is read would kill the program
 * with SIGBUS.  Instead, a handler maps zero bytes over the page that
 * faulted and marks the map: ka_map_shrunk() then says so, and the
 * reader stops with a message.  Up to KA_MAP_SLOTS maps are live at
 * once (threads reading pieces of one file each have one); beyond that,
 * or where mapping fails, ka_map_open() returns -1 and the caller reads
 * with read() instead.
 */
#ifndef KA_MAP_H
#define KA_MAP_H

#include <stddef.h>
#include <stdint.h>

#define KA_MAP_SLOTS 64
/* The most of a map the kernel maps in at once (see ka_map.c). */
#define KA_MAP_WINDOW (1u << 20)

struct ka_map {
	const char	*data;		/* the bytes asked for */
	size_t		 length;
	char		*base;		/* the mapping: page-aligned */
	size_t		 base_length;
	size_t		 released;	/* bytes of data given back */
	int		 slot;
};

/*
 * Maps length bytes of fd from offset (any offset: the mapping starts
 * at the page before it).  0, or -1 when the file cannot be mapped
 * (length 0, too large, a mapping refused, or KA_NO_MMAP set in the
 * environment), with nothing to undo.
 */
int	ka_map_open(struct ka_map *map, int fd, uint64_t offset, size_t length);

/* Whether a part of the file was gone when it was read (read as NULs). */
int	ka_map_shrunk(const struct ka_map *map);

/*
 * Gives back the memory of data[0..upto), which is not read again, so
 * that a process's memory does not grow with the file.  Whole pages
 * only; reading them again would still work.
 */
void	ka_map_release(struct ka_map *map, size_t upto);

void	ka_map_close(struct ka_map *map);

#endif
