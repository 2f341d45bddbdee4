/*
 * ka_progress: "bytes read of total, rate, time left" on standard error,
 * only when standard error is a terminal and the input a regular file,
 * so pipes, logs and cron mail never see it.
 */
#ifndef KA_PROGRESS_H
#define KA_PROGRESS_H

#include <stdint.h>

struct ka_progress {
	int		 active;
	uint64_t	 total;
	double		 started;
	double		 last_shown;
	int		 shown;
};

/* Activates when wanted, stderr is a terminal and total is known. */
void	ka_progress_start(struct ka_progress *p, int wanted, uint64_t total);
void	ka_progress_update(struct ka_progress *p, uint64_t done);
/* Clears the progress line so the next message starts clean. */
void	ka_progress_finish(struct ka_progress *p);

#endif
