/*
 * Unit tests of common/ka_writer.c.  Each format is written to a file
 * with -o semantics (ka_writer_open(path), then ka_writer_close) and
 * read back; the expected bytes are written out by hand.  The failure
 * paths (a full disk, a fatal error or a signal while writing, a closed
 * pipe) run in a child process, since they exit.
 */
#define _XOPEN_SOURCE 700	/* mknod */
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/types.h>
#include <sys/wait.h>

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "check.h"
#include "ka_msg.h"
#include "ka_writer.h"

static char folder[256];	/* a fresh temporary folder for the run */

static const char *
path_in_folder(const char *name)
{
	static char path[4][512];
	static int next;

	next = (next + 1) % 4;
	snprintf(path[next], sizeof(path[next]), "%s/%s", folder, name);
	return path[next];
}

/* The whole file, NUL-terminated; *length without the NUL.  Free it. */
static char *
slurp(const char *path, size_t *length)
{
	FILE *f = fopen(path, "rb");
	char *text = NULL;
	size_t used = 0, capacity = 0, n;

	if (f == NULL)
		return NULL;
	for (;;) {
		if (capacity - used < 65536) {
			capacity = capacity * 2 + 65536;
			text = realloc(text, capacity + 1);
			if (text == NULL)
				break;
		}
		n = fread(text + used, 1, capacity - used, f);
		used += n;
		if (n == 0)
			break;
	}
	fclose(f);
	if (text != NULL)
		text[used] = '\0';
	if (length != NULL)
		*length = used;
	return text;
}

/* Compares a file's content with want, showing both when they differ. */
static void
check_file(const char *path, const char *want, int line)
{
	size_t length;
	char *got = slurp(path, &length);

	if (got == NULL) {
		printf("  line %d: cannot read %s\n", line, path);
		check_failures++;
		return;
	}
	if (length != strlen(want) || memcmp(got, want, length) != 0) {
		printf("  line %d: %s is\n---\n%s---\n  want\n---\n%s---\n",
		    line, path, got, want);
		check_failures++;
	}
	free(got);
}

#define CHECK_FILE(path, want) check_file((path), (want), __LINE__)

/* Leftover temporary files in the folder. */
static int
temporaries(void)
{
	DIR *d = opendir(folder);
	struct dirent *e;
	int n = 0;

	if (d == NULL)
		return -1;
	while ((e = readdir(d)) != NULL)
		if (strncmp(e->d_name, ".ka-tmp.", 8) == 0)
			n++;
	closedir(d);
	return n;
}

static int
exists(const char *path)
{
	struct stat st;

	return stat(path, &st) == 0;
}

/* ---- a child process for what exits ---- */

struct child {
	int	 exited, status, signal;
	char	 err[4096];
};

static void
read_all(int fd, char *buf, size_t size)
{
	size_t used = 0;
	ssize_t n;

	while (used < size - 1 &&
	    (n = read(fd, buf + used, size - 1 - used)) > 0)
		used += (size_t)n;
	buf[used] = '\0';
}

static void
run_child(void (*body)(void *), void *arg, struct child *c)
{
	int pipe_err[2], wstatus;
	pid_t pid;

	memset(c, 0, sizeof(*c));
	c->status = -1;
	fflush(stdout);
	fflush(stderr);
	if (pipe(pipe_err) < 0 || (pid = fork()) < 0) {
		perror("pipe or fork");
		return;
	}
	if (pid == 0) {
		dup2(pipe_err[1], STDERR_FILENO);
		close(pipe_err[0]);
		close(pipe_err[1]);
		ka_set_program("ka-test");
		body(arg);
		fflush(stderr);
		_exit(99);
	}
	close(pipe_err[1]);
	read_all(pipe_err[0], c->err, sizeof(c->err));
	close(pipe_err[0]);
	if (waitpid(pid, &wstatus, 0) == pid) {
		if (WIFEXITED(wstatus)) {
			c->exited = 1;
			c->status = WEXITSTATUS(wstatus);
		} else if (WIFSIGNALED(wstatus)) {
			c->signal = WTERMSIG(wstatus);
		}
	}
}

/* ---- the sample table every text format gets ---- */

static void
write_sample(ka_writer *w)
{
	static const char *const names[] = { "name", "note", "amount" };

	ka_writer_header(w, names, 3);
	ka_writer_string(w, "ACME, Inc.");
	ka_writer_string(w, "say \"hi\"");
	ka_writer_number(w, "1234.50", 7);
	ka_writer_end_row(w);
	ka_writer_text(w, "line1\nline2", 11);
	ka_writer_text(w, "cr\rhere", 7);
	ka_writer_integer(w, -5);
	ka_writer_end_row(w);
	ka_writer_string(w, " lead");
	ka_writer_string(w, "trail ");
	ka_writer_decimal(w, 125000, 2);		/* 12.5 */
	ka_writer_end_row(w);
	ka_writer_string(w, "");
	ka_writer_string(w, "tab\there");
	ka_writer_number(w, "", 0);
	ka_writer_end_row(w);
	ka_writer_string(w, "上海");
	ka_writer_string(w, "a|b");
	ka_writer_decimal(w, -12345, -1);		/* -1.2345 */
	ka_writer_end_row(w);
}

static void
write_sample_to(const char *path, enum ka_format format)
{
	ka_writer *w = ka_writer_open(path, format);

	write_sample(w);
	ka_writer_close(w);
}

static void
test_csv_minimal_quoting(void)
{
	const char *path = path_in_folder("sample.csv");

	write_sample_to(path, KA_FORMAT_CSV);
	CHECK_FILE(path,
	    "name,note,amount\n"
	    "\"ACME, Inc.\",\"say \"\"hi\"\"\",1234.50\n"
	    "\"line1\nline2\",\"cr\rhere\",-5\n"
	    " lead,trail ,12.50\n"
	    ",tab\there,\n"
	    "上海,a|b,-1.2345\n");
}

static void
test_csv_header_and_edge_fields(void)
{
	static const char *const names[] = { "x,y", "q\"", "plain" };
	const char *path = path_in_folder("edges.csv");
	ka_writer *w = ka_writer_open(path, KA_FORMAT_CSV);

	ka_writer_header(w, names, 3);
	ka_writer_string(w, "\"");
	ka_writer_string(w, "\"\"");
	ka_writer_string(w, ",");
	ka_writer_end_row(w);
	ka_writer_string(w, "\r\n");
	ka_writer_string(w, "'single'");
	ka_writer_string(w, "semi;colon");
	ka_writer_end_row(w);
	/* One empty field is written "", so the row is no blank line a
	   reader would skip; two empty fields are a lone comma. */
	ka_writer_string(w, "");
	ka_writer_end_row(w);
	ka_writer_string(w, "");
	ka_writer_string(w, "");
	ka_writer_end_row(w);
	ka_writer_close(w);
	CHECK_FILE(path,
	    "\"x,y\",\"q\"\"\",plain\n"
	    "\"\"\"\",\"\"\"\"\"\",\",\"\n"
	    "\"\r\n\",'single',semi;colon\n"
	    "\"\"\n"
	    ",\n");
}

/* The format NONE writes CSV. */
static void
test_format_none_is_csv(void)
{
	const char *path = path_in_folder("none.out");
	ka_writer *w = ka_writer_open(path, KA_FORMAT_NONE);

	ka_writer_string(w, "a,b");
	ka_writer_integer(w, 7);
	ka_writer_end_row(w);
	ka_writer_close(w);
	CHECK_FILE(path, "\"a,b\",7\n");
}

static void
test_tsv_escapes(void)
{
	const char *path = path_in_folder("sample.tsv");

	write_sample_to(path, KA_FORMAT_TSV);
	CHECK_FILE(path,
	    "name\tnote\tamount\n"
	    "ACME, Inc.\tsay \"hi\"\t1234.50\n"
	    "line1\\nline2\tcr\\rhere\t-5\n"
	    " lead\ttrail \t12.50\n"
	    "\ttab\\there\t\n"
	    "上海\ta|b\t-1.2345\n");
}

static void
test_tsv_escapes_at_the_ends(void)
{
	const char *path = path_in_folder("ends.tsv");
	ka_writer *w = ka_writer_open(path, KA_FORMAT_TSV);

	ka_writer_string(w, "\t");
	ka_writer_string(w, "\n\n");
	ka_writer_string(w, "\r\n");
	ka_writer_string(w, "\tx\t");
	ka_writer_end_row(w);
	ka_writer_close(w);
	CHECK_FILE(path, "\\t\t\\n\\n\t\\r\\n\t\\tx\\t\n");
}

static void
test_jsonl(void)
{
	const char *path = path_in_folder("sample.jsonl");

	write_sample_to(path, KA_FORMAT_JSONL);
	CHECK_FILE(path,
	    "{\"name\":\"ACME, Inc.\",\"note\":\"say \\\"hi\\\"\","
	    "\"amount\":1234.50}\n"
	    "{\"name\":\"line1\\nline2\",\"note\":\"cr\\rhere\","
	    "\"amount\":-5}\n"
	    "{\"name\":\" lead\",\"note\":\"trail \",\"amount\":12.50}\n"
	    "{\"name\":\"\",\"note\":\"tab\\there\",\"amount\":null}\n"
	    "{\"name\":\"上海\",\"note\":\"a|b\",\"amount\":-1.2345}\n");
}

static void
test_jsonl_escapes_and_keys(void)
{
	static const char *const names[] = { "say \"k\"", "back\\slash" };
	const char *path = path_in_folder("escapes.jsonl");
	ka_writer *w = ka_writer_open(path, KA_FORMAT_JSONL);

	ka_writer_header(w, names, 2);
	ka_writer_string(w, "t\t n\n r\r b\\ q\" c\x01\x1f d\x7f");
	ka_writer_text(w, "nul\0x", 5);
	/* Past the header: the key is the 1-based column number. */
	ka_writer_integer(w, 3);
	ka_writer_string(w, "extra");
	ka_writer_end_row(w);
	/* A row with no fields is an empty object. */
	ka_writer_end_row(w);
	ka_writer_close(w);
	CHECK_FILE(path,
	    "{\"say \\\"k\\\"\":\"t\\t n\\n r\\r b\\\\ q\\\" c\\u0001\\u001f "
	    "d\x7f\",\"back\\\\slash\":\"nul\\u0000x\",\"3\":3,"
	    "\"4\":\"extra\"}\n"
	    "{}\n");
}

/*
 * Markdown: widths counted in terminal columns (CJK 2, a combining mark
 * 0), numbers right-aligned under ---:, '|' escaped, a line break
 * shown as <br> and a CR dropped.
 */
static void
test_markdown_alignment(void)
{
	static const char *const names[] = { "customer", "city", "revenue",
		"note" };
	const char *path = path_in_folder("table.md");
	ka_writer *w = ka_writer_open(path, KA_FORMAT_MD);

	ka_writer_header(w, names, 4);
	ka_writer_string(w, "上海贸易");
	ka_writer_string(w, "Zürich");
	ka_writer_number(w, "1234.5", 6);
	ka_writer_string(w, "a|b");
	ka_writer_end_row(w);
	ka_writer_string(w, "ACME");
	ka_writer_string(w, "Cafe\xcc\x81");	/* Café, e + U+0301 */
	ka_writer_integer(w, 7);
	ka_writer_string(w, "x\r\ny");
	ka_writer_end_row(w);
	ka_writer_string(w, "東京");
	ka_writer_string(w, "北京");
	ka_writer_number(w, "", 0);		/* empty keeps it numeric */
	ka_writer_string(w, "");
	ka_writer_end_row(w);
	ka_writer_close(w);
	CHECK_FILE(path,
	    "| customer | city   | revenue | note   |\n"
	    "| -------- | ------ | ------: | ------ |\n"
	    "| 上海贸易 | Zürich |  1234.5 | a\\|b   |\n"
	    "| ACME     | Cafe\xcc\x81   |       7 | x<br>y |\n"
	    "| 東京     | 北京   |         |        |\n");
}

/* A column with any text in it is text, left-aligned; width at least 3. */
static void
test_markdown_mixed_and_narrow(void)
{
	static const char *const names[] = { "a", "n", "t" };
	const char *path = path_in_folder("mixed.md");
	ka_writer *w = ka_writer_open(path, KA_FORMAT_MD);

	ka_writer_header(w, names, 3);
	ka_writer_integer(w, 1);
	ka_writer_integer(w, 10);
	ka_writer_string(w, "12");	/* digits, but given as text */
	ka_writer_end_row(w);
	ka_writer_string(w, "x");
	ka_writer_integer(w, 2);
	ka_writer_string(w, "3");
	ka_writer_end_row(w);
	ka_writer_close(w);
	CHECK_FILE(path,
	    "| a   | n   | t   |\n"
	    "| --- | --: | --- |\n"
	    "| 1   |  10 | 12  |\n"
	    "| x   |   2 | 3   |\n");
}

static void
test_markdown_header_only(void)
{
	static const char *const names[] = { "customer_id", "revenue" };
	const char *path = path_in_folder("empty.md");
	ka_writer *w = ka_writer_open(path, KA_FORMAT_MD);

	ka_writer_header(w, names, 2);
	ka_writer_close(w);
	CHECK_FILE(path,
	    "| customer_id | revenue |\n"
	    "| ----------- | ------- |\n");
}

/* A short row gets empty cells: the rows after it stay in their columns. */
static void
test_markdown_short_row(void)
{
	static const char *const names[] = { "id", "name", "qty" };
	const char *path = path_in_folder("short.md");
	ka_writer *w = ka_writer_open(path, KA_FORMAT_MD);

	ka_writer_header(w, names, 3);
	ka_writer_string(w, "C1");
	ka_writer_string(w, "ACME");
	ka_writer_end_row(w);
	ka_writer_string(w, "C2");
	ka_writer_string(w, "Zeta");
	ka_writer_integer(w, 12);
	ka_writer_end_row(w);
	ka_writer_close(w);
	CHECK_FILE(path,
	    "| id  | name | qty |\n"
	    "| --- | ---- | --: |\n"
	    "| C1  | ACME |     |\n"
	    "| C2  | Zeta |  12 |\n");
}

/* More than the 256 KiB buffer, in many rows and in single fields. */
static void
test_large_output(void)
{
	enum { ROWS = 100000, BIG = 300 * 1024 };
	const char *path = path_in_folder("large.csv");
	ka_writer *w = ka_writer_open(path, KA_FORMAT_CSV);
	char *big = malloc(BIG), *got, line[64];
	size_t length, want_length, at;
	int i, wrong = 0;

	if (big == NULL) {
		CHECK(big != NULL);
		return;
	}
	for (i = 0; i < ROWS; i++) {
		ka_writer_integer(w, i);
		ka_writer_string(w, "C-0042");
		ka_writer_end_row(w);
	}
	memset(big, 'x', BIG);
	ka_writer_text(w, big, BIG);		/* unquoted */
	ka_writer_end_row(w);
	big[BIG / 2] = '"';
	ka_writer_text(w, big, BIG);		/* quoted, quote doubled */
	ka_writer_end_row(w);
	ka_writer_close(w);

	got = slurp(path, &length);
	CHECK(got != NULL);
	if (got == NULL) {
		free(big);
		return;
	}
	/* Rows "i,C-0042\n": 10 one-digit, 90 two-digit, ... */
	want_length = 10 * 9 + 90 * 10 + 900 * 11 + 9000 * 12 + 90000 * 13;
	want_length += BIG + 1 + BIG + 1 + 3;
	CHECK_INT(length, want_length);
	at = 0;
	for (i = 0; i < ROWS && at < length; i++) {
		int n = snprintf(line, sizeof(line), "%d,C-0042\n", i);

		if (memcmp(got + at, line, (size_t)n) != 0)
			wrong++;
		at += (size_t)n;
	}
	CHECK_INT(wrong, 0);
	if (length == want_length) {
		CHECK(got[at] == 'x' && got[at + BIG - 1] == 'x');
		CHECK(got[at + BIG] == '\n');
		at += BIG + 1;
		CHECK(got[at] == '"');
		CHECK(got[at + 1 + BIG / 2] == '"' &&
		    got[at + 2 + BIG / 2] == '"');
		CHECK(got[at + BIG + 2] == '"' && got[at + BIG + 3] == '\n');
	}
	free(got);
	free(big);
}

/* ---- atomic -o ---- */

static void
check_atomic_with_umask(mode_t mask, mode_t want_mode)
{
	const char *path = path_in_folder("atomic.csv");
	mode_t old = umask(mask);
	struct stat st;
	ka_writer *w;

	unlink(path);
	w = ka_writer_open(path, KA_FORMAT_CSV);
	ka_writer_string(w, "a");
	ka_writer_end_row(w);
	/* While writing, the target is not there; its temporary is. */
	CHECK(!exists(path));
	CHECK_INT(temporaries(), 1);
	ka_writer_close(w);
	umask(old);
	CHECK(stat(path, &st) == 0);
	CHECK_INT(st.st_mode & 07777, want_mode);
	CHECK(S_ISREG(st.st_mode));
	CHECK_INT(temporaries(), 0);
	CHECK_FILE(path, "a\n");
}

static void
test_atomic_output(void)
{
	check_atomic_with_umask(022, 0644);
	check_atomic_with_umask(027, 0640);
	check_atomic_with_umask(077, 0600);
	check_atomic_with_umask(0, 0666);
}

/* An existing file is replaced whole, never written in place. */
static void
test_atomic_replaces_existing(void)
{
	const char *path = path_in_folder("existing.csv");
	const char *link_path = path_in_folder("hardlink.csv");
	FILE *f = fopen(path, "w");
	ka_writer *w;

	CHECK(f != NULL);
	if (f == NULL)
		return;
	fputs("old,content,that,is,longer\n", f);
	fclose(f);
	/* A hard link keeps the old inode in sight. */
	unlink(link_path);
	CHECK(link(path, link_path) == 0);
	w = ka_writer_open(path, KA_FORMAT_CSV);
	ka_writer_string(w, "new");
	ka_writer_end_row(w);
	CHECK_FILE(path, "old,content,that,is,longer\n");
	ka_writer_close(w);
	CHECK_FILE(path, "new\n");
	CHECK_FILE(link_path, "old,content,that,is,longer\n");
	CHECK_INT(temporaries(), 0);
}

/* -o through a symbolic link: the link stays, the file it names is new. */
static void
test_atomic_through_symlink(void)
{
	const char *target = path_in_folder("target.csv");
	const char *link_path = path_in_folder("link.csv");
	struct stat st;
	FILE *f = fopen(target, "w");
	ka_writer *w;

	CHECK(f != NULL);
	if (f == NULL)
		return;
	fputs("old\n", f);
	fclose(f);
	unlink(link_path);
	CHECK(symlink("target.csv", link_path) == 0);
	w = ka_writer_open(link_path, KA_FORMAT_CSV);
	ka_writer_string(w, "new");
	ka_writer_end_row(w);
	CHECK_FILE(target, "old\n");
	ka_writer_close(w);
	CHECK(lstat(link_path, &st) == 0 && S_ISLNK(st.st_mode));
	CHECK_FILE(target, "new\n");
	CHECK_FILE(link_path, "new\n");
	CHECK_INT(temporaries(), 0);
	unlink(link_path);
}

struct die_args {
	const char	*path;
	int		 how;	/* 0 ka_die, 1 SIGTERM */
};

/*
 * A writer a child leaves open when it exits: kept here so a leak
 * checker (make check-valgrind) sees it as reachable, not lost.
 */
static ka_writer *volatile child_writer;

static void
die_while_writing(void *arg)
{
	struct die_args *a = arg;
	ka_writer *w = child_writer = ka_writer_open(a->path, KA_FORMAT_CSV);

	ka_writer_string(w, "half");
	ka_writer_end_row(w);
	if (a->how == 0)
		ka_die(KA_EXIT_DATA, "bad row");
	raise(SIGTERM);
}

/* A fatal error or a signal while writing leaves nothing behind. */
static void
test_no_half_written_file(void)
{
	struct die_args a;
	struct child c;

	a.path = path_in_folder("dies.csv");
	unlink(a.path);
	a.how = 0;
	run_child(die_while_writing, &a, &c);
	CHECK_INT(c.exited, 1);
	CHECK_INT(c.status, 1);
	CHECK_STR(c.err, "ka-test: bad row\n");
	CHECK(!exists(a.path));
	CHECK_INT(temporaries(), 0);

	a.how = 1;
	run_child(die_while_writing, &a, &c);
	CHECK_INT(c.signal, SIGTERM);
	CHECK(!exists(a.path));
	CHECK_INT(temporaries(), 0);
}

static void
open_in_missing_folder(void *arg)
{
	ka_writer_open(arg, KA_FORMAT_CSV);
}

static void
test_cannot_create(void)
{
	char path[600], want[800];
	struct child c;

	snprintf(path, sizeof(path), "%s/no/such/folder/out.csv", folder);
	run_child(open_in_missing_folder, path, &c);
	CHECK_INT(c.status, 1);
	snprintf(want, sizeof(want), "ka-test: %s: cannot create a file "
	    "beside it: No such file or directory\n", path);
	CHECK_STR(c.err, want);
}

/* ---- a full disk and a closed pipe ---- */

static void
write_to_full_stdout(void *arg)
{
	int fd = open("/dev/full", O_WRONLY);
	ka_writer *w;

	(void)arg;
	if (fd < 0 || dup2(fd, STDOUT_FILENO) < 0)
		_exit(97);
	w = child_writer = ka_writer_open(NULL, KA_FORMAT_CSV);
	ka_writer_string(w, "a");
	ka_writer_end_row(w);
	ka_writer_close(w);
}

static void
write_to_path(void *arg)
{
	ka_writer *w = child_writer = ka_writer_open(arg, KA_FORMAT_TSV);

	ka_writer_string(w, "a");
	ka_writer_end_row(w);
	ka_writer_close(w);
}

static void
test_full_disk_through_stdout(void)
{
	struct child c;

	run_child(write_to_full_stdout, NULL, &c);
	CHECK_INT(c.exited, 1);
	CHECK_INT(c.status, 1);
	CHECK_STR(c.err, "ka-test: standard output: write error: No space "
	    "left on device\n");
}

/*
 * -o naming /dev/full: the write fails with status 1, and the device
 * is written in place, never replaced by a renamed temporary file.  As
 * root (who could replace /dev/full) the test uses a private copy of
 * the device node, so a regression cannot break the machine.
 */
static void
test_full_disk_through_path(void)
{
	const char *node = path_in_folder("full");
	char want[600];
	struct child c;
	struct stat st;
	int fd;

	unlink(node);
	/* The copy must open: a folder on a nodev mount refuses it. */
	if (mknod(node, S_IFCHR | 0666, makedev(1, 7)) == 0) {
		if ((fd = open(node, O_WRONLY)) >= 0) {
			close(fd);
		} else {
			unlink(node);
			node = NULL;
		}
	} else {
		node = NULL;
	}
	if (node == NULL) {
		if (access("/dev", W_OK) == 0) {
			printf("  cannot use a private device node; not writing "
			    "to a replaceable /dev/full\n");
			return;
		}
		node = "/dev/full";
	}
	run_child(write_to_path, (void *)node, &c);
	CHECK_INT(c.exited, 1);
	CHECK_INT(c.status, 1);
	snprintf(want, sizeof(want), "ka-test: %s: write error: No space left "
	    "on device\n", node);
	CHECK_STR(c.err, want);
	CHECK(stat(node, &st) == 0 && S_ISCHR(st.st_mode));
	CHECK_INT(temporaries(), 0);
	if (strcmp(node, "/dev/full") != 0)
		unlink(node);
}

/* -o naming a FIFO writes into it and leaves it a FIFO. */
static void
test_output_to_fifo(void)
{
	const char *fifo = path_in_folder("fifo");
	char buf[64];
	struct stat st;
	pid_t pid;
	int fd, wstatus = -1;

	unlink(fifo);
	if (mkfifo(fifo, 0600) < 0) {
		printf("  mkfifo: %s\n", strerror(errno));
		check_failures++;
		return;
	}
	fflush(stdout);
	if ((pid = fork()) == 0) {
		alarm(10);
		write_to_path((void *)fifo);
		_exit(0);
	}
	alarm(10);
	fd = open(fifo, O_RDONLY);
	read_all(fd, buf, sizeof(buf));
	close(fd);
	waitpid(pid, &wstatus, 0);
	alarm(0);
	CHECK(WIFEXITED(wstatus) && WEXITSTATUS(wstatus) == 0);
	CHECK_STR(buf, "a\n");
	CHECK(stat(fifo, &st) == 0 && S_ISFIFO(st.st_mode));
	CHECK_INT(temporaries(), 0);
	unlink(fifo);
}

static void
write_to_closed_pipe(void *arg)
{
	int fds[2], i;
	ka_writer *w;

	(void)arg;
	if (pipe(fds) < 0 || dup2(fds[1], STDOUT_FILENO) < 0)
		_exit(97);
	close(fds[0]);		/* the reader (| head) has gone */
	close(fds[1]);
	w = child_writer = ka_writer_open("-", KA_FORMAT_CSV);
	for (i = 0; i < 100000; i++) {
		ka_writer_string(w, "row");
		ka_writer_end_row(w);
	}
	ka_writer_close(w);
	_exit(98);		/* the write should have ended it */
}

static void
test_closed_pipe_is_quiet(void)
{
	struct child c;

	run_child(write_to_closed_pipe, NULL, &c);
	CHECK_INT(c.exited, 1);
	CHECK_INT(c.status, 0);
	CHECK_STR(c.err, "");
}

/* ---- formats by name and by extension ---- */

static void
test_format_parse(void)
{
	CHECK_INT(ka_format_parse("csv"), KA_FORMAT_CSV);
	CHECK_INT(ka_format_parse("tsv"), KA_FORMAT_TSV);
	CHECK_INT(ka_format_parse("md"), KA_FORMAT_MD);
	CHECK_INT(ka_format_parse("jsonl"), KA_FORMAT_JSONL);
	CHECK_INT(ka_format_parse("CSV"), KA_FORMAT_CSV);
	CHECK_INT(ka_format_parse("Tsv"), KA_FORMAT_TSV);
	CHECK_INT(ka_format_parse("markdown"), KA_FORMAT_MD);
	CHECK_INT(ka_format_parse("json"), KA_FORMAT_JSONL);
	CHECK_INT(ka_format_parse(""), KA_FORMAT_NONE);
	CHECK_INT(ka_format_parse("xml"), KA_FORMAT_NONE);
	CHECK_INT(ka_format_parse("csv "), KA_FORMAT_NONE);
	CHECK_INT(ka_format_parse("tab"), KA_FORMAT_NONE);
}

static void
test_format_from_name(void)
{
	CHECK_INT(ka_format_from_name("out.csv"), KA_FORMAT_CSV);
	CHECK_INT(ka_format_from_name("out.tsv"), KA_FORMAT_TSV);
	CHECK_INT(ka_format_from_name("out.tab"), KA_FORMAT_TSV);
	CHECK_INT(ka_format_from_name("report.md"), KA_FORMAT_MD);
	CHECK_INT(ka_format_from_name("rows.jsonl"), KA_FORMAT_JSONL);
	CHECK_INT(ka_format_from_name("rows.json"), KA_FORMAT_JSONL);
	CHECK_INT(ka_format_from_name("/tmp/x/OUT.CSV"), KA_FORMAT_CSV);
	CHECK_INT(ka_format_from_name("a.b.tsv"), KA_FORMAT_TSV);
	CHECK_INT(ka_format_from_name("out.txt"), KA_FORMAT_NONE);
	CHECK_INT(ka_format_from_name("out.csv.gz"), KA_FORMAT_NONE);
	CHECK_INT(ka_format_from_name("noextension"), KA_FORMAT_NONE);
	CHECK_INT(ka_format_from_name("out."), KA_FORMAT_NONE);
	/* A dot in a folder name is no extension. */
	CHECK_INT(ka_format_from_name("reports.csv/out"), KA_FORMAT_NONE);
	CHECK_INT(ka_format_from_name("-"), KA_FORMAT_NONE);
	CHECK_INT(ka_format_from_name(NULL), KA_FORMAT_NONE);
}

static void
remove_folder(void)
{
	DIR *d = opendir(folder);
	struct dirent *e;
	char path[600];

	if (d == NULL)
		return;
	while ((e = readdir(d)) != NULL) {
		if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
			continue;
		snprintf(path, sizeof(path), "%s/%s", folder, e->d_name);
		unlink(path);
	}
	closedir(d);
	rmdir(folder);
}

int
main(void)
{
	const char *tmp = getenv("TMPDIR");

	snprintf(folder, sizeof(folder), "%s/test_writer.XXXXXX",
	    tmp != NULL && *tmp != '\0' ? tmp : "/tmp");
	if (mkdtemp(folder) == NULL) {
		perror(folder);
		return 1;
	}
	ka_set_program("ka-test");
	RUN(test_csv_minimal_quoting);
	RUN(test_csv_header_and_edge_fields);
	RUN(test_format_none_is_csv);
	RUN(test_tsv_escapes);
	RUN(test_tsv_escapes_at_the_ends);
	RUN(test_jsonl);
	RUN(test_jsonl_escapes_and_keys);
	RUN(test_markdown_alignment);
	RUN(test_markdown_mixed_and_narrow);
	RUN(test_markdown_header_only);
	RUN(test_markdown_short_row);
	RUN(test_large_output);
	RUN(test_atomic_output);
	RUN(test_atomic_replaces_existing);
	RUN(test_atomic_through_symlink);
	RUN(test_no_half_written_file);
	RUN(test_cannot_create);
	RUN(test_full_disk_through_stdout);
	RUN(test_full_disk_through_path);
	RUN(test_output_to_fifo);
	RUN(test_closed_pipe_is_quiet);
	RUN(test_format_parse);
	RUN(test_format_from_name);
	remove_folder();
	return CHECK_EXIT();
}
