/*
 * ka_msg: diagnostics and exit statuses shared by every program.
 * Messages go to standard error as "ka-PROG: text"; data never does.
 */
#ifndef KA_MSG_H
#define KA_MSG_H

enum ka_exit {
	KA_EXIT_OK = 0,
	KA_EXIT_DATA = 1,	/* bad data or I/O failure */
	KA_EXIT_USAGE = 2,	/* bad command line */
	KA_EXIT_ALERT = 3	/* a --fail-on condition holds */
};

void		 ka_set_program(const char *name);
const char	*ka_program(void);

/* "ka-PROG: text" on standard error. */
void		 ka_warn(const char *format, ...)
		    __attribute__((format(printf, 1, 2)));
/* The same, then exit with status. */
_Noreturn void	 ka_die(int status, const char *format, ...)
		    __attribute__((format(printf, 2, 3)));

/*
 * Called before exiting on an error, so an atomic output file in
 * progress is removed; ka_writer registers itself here.
 */
void		 ka_on_fatal(void (*cleanup)(void));

#endif
