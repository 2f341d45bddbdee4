#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <time.h>
#include <unistd.h>

#include "ka_msg.h"
#include "ka_progress.h"

static double
now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

void
ka_progress_start(struct ka_progress *p, int wanted, uint64_t total)
{
	p->active = wanted && total > 0 && isatty(STDERR_FILENO);
	p->total = total;
	p->started = p->last_shown = now();
	p->shown = 0;
}

void
ka_progress_update(struct ka_progress *p, uint64_t done)
{
	double t, elapsed, rate, left;

	if (!p->active)
		return;
	t = now();
	/* Nothing for the first second: short runs should stay silent. */
	if (t - p->last_shown < 0.25 || t - p->started < 1.0)
		return;
	p->last_shown = t;
	elapsed = t - p->started;
	rate = (double)done / elapsed;
	left = rate > 0 ? (double)(p->total - (done < p->total ? done : p->total)) / rate : 0;
	fprintf(stderr, "\r%s: %.0f of %.0f MB, %.0f MB/s, %d:%02d left  ",
	    ka_program(), (double)done / 1e6, (double)p->total / 1e6,
	    rate / 1e6, (int)left / 60, (int)left % 60);
	p->shown = 1;
}

void
ka_progress_finish(struct ka_progress *p)
{
	if (p->active && p->shown)
		fprintf(stderr, "\r\033[K");
	p->active = 0;
}
