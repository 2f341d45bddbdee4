#define _POSIX_C_SOURCE 200809L
/*
 * ka_report_feedback: the feedback section of ka-report (--feedback
 * FILE, survey responses as ka-feedback reads them).
 *
 * The feedback engine (common/ka_feedback.c) runs twice over the file,
 * for the quarter holding the end of the report's period (or --as-of,
 * when earlier), and the two quarters before it:
 *	every answer		the reps flagged reassign or watch, as
 *				`ka-feedback --period Q FILE` flags them
 *	key accounts only	satisfaction (NPS, or CSAT) and the mean
 *				against the quarter before, and the top
 *				complaint categories of the built-in topics
 *				(--accounts ACCOUNTS --tiers A,B --by period
 *				[--quotes 0])
 * Reps are judged on all their answers: a rep's key accounts alone are
 * too few answers a quarter to judge.  The second run reads the scale
 * the first one found, so both speak of the same scale.
 */
#include <sys/stat.h>

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "ka_date.h"
#include "ka_decimal.h"
#include "ka_display.h"
#include "ka_feedback.h"
#include "ka_report_sections.h"
#include "ka_stats.h"
#include "ka_topics.h"

#define TOP_COMPLAINTS	3

/* Which tiers are the key accounts. */
static const char *const key_tiers[] = { "A", "B" };

struct words {
	const char *title, *rep, *flag, *answers, *average;
	const char *before, *change, *reassign, *watch, *none;
};

static const struct words english = {
	"Customer feedback", "rep", "flag", "answers",
	"bayes avg", "prev avg", "change", "reassign", "watch", "n/a"
};

static const struct words chinese = {
	"客户反馈", "销售代表", "标记", "答复数", "贝叶斯均分",
	"上季度均分", "变化", "建议调换", "观察", "无"
};

/* The built-in topics in Chinese; any other name stays as it is. */
static const char *
topic_name(const struct ka_report_inputs *in, const char *name)
{
	static const char *const names[][2] = {
		{ "delivery", "配送" }, { "price", "价格" },
		{ "quality", "质量" }, { "service", "服务" },
		{ "responsiveness", "响应速度" }, { "stock_outs", "缺货" }
	};
	size_t i;

	if (in->lang != KA_LANG_ZH)
		return name;
	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (strcmp(name, names[i][0]) == 0)
			return names[i][1];
	return name;
}

/* "2026-Q4", or "2026年第4季度". */
static void
quarter_text(const struct ka_report_inputs *in, const ka_period *p,
    char *out, size_t size)
{
	int y, m, day;

	if (in->lang != KA_LANG_ZH) {
		ka_period_format(p, out, size);
		return;
	}
	ka_date_to_ymd(p->first, &y, &m, &day);
	snprintf(out, size, "%d年第%d季度", y, (m - 1) / 3 + 1);
}

/* A count grouped like 1,234. */
static void
count_text(unsigned long n, char *out, size_t size)
{
	ka_display_money(ka_dec_from_int((int64_t)n), 0, out, size);
}

/* A statistic rounded to places, with a sign when signed (never "-0"). */
static void
figure_text(double x, int places, int signed_form, char *out, size_t size)
{
	char text[32];

	if (isnan(x)) {
		snprintf(out, size, "%s", "");
		return;
	}
	ka_stats_format(x, places, text, sizeof(text));
	if (signed_form && text[0] != '-' && ka_stats_round(x, places) != 0)
		snprintf(out, size, "+%s", text);
	else
		snprintf(out, size, "%s", text);
}

/* "NPS +13.2" or "CSAT 85.0%" of one period's figures. */
static void
score_text(const struct ka_feedback_report *rep,
    const struct ka_feedback_figures *f, char *out, size_t size)
{
	char value[40];

	if (rep->is_nps) {
		figure_text(f->nps, 1, 1, value, sizeof(value));
		snprintf(out, size, "NPS %s", value);
	} else {
		figure_text(f->csat, 1, 0, value, sizeof(value));
		snprintf(out, size, "CSAT %s%%", value);
	}
}

/*
 * The responses are read twice (every answer, then the key accounts'),
 * so they must be a regular file: -2 for standard input or a pipe, -1
 * when the file cannot be opened.
 */
static int
regular_file(const char *path, char *error, size_t size)
{
	struct stat st;
	FILE *f;

	if (strcmp(path, "-") == 0 || path[0] == '\0') {
		snprintf(error, size, "--feedback needs a file of survey "
		    "responses, not standard input");
		return -2;
	}
	if ((f = fopen(path, "rb")) == NULL) {
		snprintf(error, size, "%s: cannot open: %s", path,
		    strerror(errno));
		return -1;
	}
	if (fstat(fileno(f), &st) < 0 || !S_ISREG(st.st_mode)) {
		fclose(f);
		snprintf(error, size, "--feedback %s: not a regular file (the "
		    "responses are read twice)", path);
		return -2;
	}
	fclose(f);
	return 0;
}

/* The quarter the section speaks of. */
static ka_period
feedback_quarter(const struct ka_report_inputs *in)
{
	ka_date end = in->period.last;

	if (in->as_of != KA_DATE_NONE && in->as_of < end)
		end = in->as_of;
	return ka_period_of(KA_PERIOD_QUARTER, end);
}

static void
configure(const struct ka_report_inputs *in, const ka_period *quarter,
    struct ka_feedback_config *c)
{
	ka_feedback_config_init(c);
	c->as_of = in->as_of;
	c->has_period = 1;
	c->period = *quarter;
	c->decimal_comma = in->decimal_comma;
	c->date_format = in->date_format;
	c->null_string = in->null_string;
}

/* Satisfaction of the key accounts, now and the quarter before. */
static void
satisfaction_lines(const struct ka_report_inputs *in,
    const struct ka_feedback_report *rep, struct ka_report_section *out)
{
	const int zh = in->lang == KA_LANG_ZH;
	const struct ka_feedback_figures *now = &rep->now, *prev = &rep->prev;
	char period[64], previous[64], as_of[40], when[160];
	char score[64], before[64], n[32], change[40], mean[32], prev_mean[32];

	quarter_text(in, &rep->period, period, sizeof(period));
	quarter_text(in, &rep->previous, previous, sizeof(previous));
	ka_report_date_text(in->lang == KA_LANG_ZH, in->as_of,
	    as_of, sizeof(as_of));
	if (in->as_of < rep->period.last)
		snprintf(when, sizeof(when), zh ? "%s（截至%s）" : "%s to %s",
		    period, as_of);
	else
		snprintf(when, sizeof(when), "%s", period);

	if (now->n == 0) {
		ka_section_line(out, zh ? "大客户（A、B级）%s：无答复。" :
		    "Key accounts (tiers A, B), %s: no answers.", when);
	} else {
		score_text(rep, now, score, sizeof(score));
		count_text(now->n, n, sizeof(n));
		ka_section_line(out, zh ? "大客户（A、B级）%s：%s，%s条答复。" :
		    "Key accounts (tiers A, B), %s: %s from %s answers.", when,
		    score, n);
	}
	if (prev->n == 0) {
		ka_section_line(out, zh ? "%s无大客户答复可比。" :
		    "No key-account answers in %s to compare.", previous);
		return;
	}
	score_text(rep, prev, before, sizeof(before));
	count_text(prev->n, n, sizeof(n));
	if (now->n == 0) {
		ka_section_line(out, zh ? "%s：%s，%s条答复。" :
		    "%s: %s from %s answers.", previous, before, n);
		return;
	}
	figure_text(fabs(rep->change_score), 1, 0, change, sizeof(change));
	figure_text(now->mean, 2, 0, mean, sizeof(mean));
	figure_text(prev->mean, 2, 0, prev_mean, sizeof(prev_mean));
	if (ka_stats_round(rep->change_score, 1) == 0)
		ka_section_line(out, zh ?
		    "与%s持平（%s，%s条答复）；平均分从%s到%s。" :
		    "Level with %s (%s, %s answers); mean %s to %s.",
		    previous, before, n, prev_mean, mean);
	else if (zh)
		ka_section_line(out, "比%s%s%s%s（%s，%s条答复）；平均分从%s到"
		    "%s。", previous, rep->change_score > 0 ? "上升" : "下降",
		    change, rep->is_nps ? "分" : "个百分点", before, n,
		    prev_mean, mean);
	else
		ka_section_line(out, "%s %s points from %s (%s, %s answers); "
		    "mean %s to %s.", rep->change_score > 0 ? "Up" : "Down",
		    change, previous, before, n, prev_mean, mean);
}

/* The key accounts' top complaint categories, now and before. */
static void
complaint_lines(const struct ka_report_inputs *in, const ka_feedback *fb,
    const struct ka_feedback_report *rep, struct ka_report_section *out)
{
	const int zh = in->lang == KA_LANG_ZH;
	struct ka_buf now = { 0 }, before = { 0 };
	char period[64], previous[64];
	size_t i, shown = 0;

	if (rep->now.n == 0)
		return;		/* "no answers" says it */
	quarter_text(in, &rep->period, period, sizeof(period));
	quarter_text(in, &rep->previous, previous, sizeof(previous));
	if (ka_feedback_topics(fb) == NULL) {
		ka_section_line(out, zh ? "答复没有评论列，无法归类投诉。" :
		    "The answers have no comment column to sort into "
		    "complaints.");
		return;
	}
	for (i = 0; i < rep->ntopics && shown < TOP_COMPLAINTS; i++) {
		const struct ka_feedback_report_topic *t = &rep->topics[i];
		const char *name = topic_name(in, t->topic);
		char a[32], b[32];

		if (t->complaints == 0)
			break;
		count_text(t->complaints, a, sizeof(a));
		count_text(t->prev_complaints, b, sizeof(b));
		if (zh) {
			ka_buf_printf(&now, "%s%s%s条", shown ? "，" : "",
			    name, a);
			ka_buf_printf(&before, "%s%s%s条", shown ? "，" : "",
			    name, b);
		} else {
			ka_buf_printf(&now, "%s%s %s", shown ? ", " : "", name,
			    a);
			ka_buf_printf(&before, "%s%s %s", shown ? ", " : "",
			    name, b);
		}
		shown++;
	}
	if (shown == 0)
		ka_section_line(out, zh ? "%s大客户无投诉。" :
		    "No complaints from key accounts in %s.", period);
	else {
		ka_section_line(out, zh ? "%s大客户主要投诉：%s。" :
		    "Top complaints in %s: %s.", period, now.text);
		ka_section_line(out, zh ? "%s同类投诉：%s。" :
		    "The same in %s: %s.", previous, before.text);
	}
	ka_buf_free(&now);
	ka_buf_free(&before);
}

/* The previous quarter's row of a rep in the engine of every answer. */
static const struct ka_feedback_row *
rep_row(const ka_feedback *fb, const char *rep)
{
	const struct ka_feedback_row *rows;
	size_t count, i;

	rows = ka_feedback_rows(fb, &count);
	for (i = 0; i < count; i++)
		if (strcmp(rows[i].key[0], rep) == 0)
			return &rows[i];
	return NULL;
}

/* The reps flagged on every answer, with the rule, and their table. */
static void
rep_lines(const struct ka_report_inputs *in, const ka_feedback *fb,
    const struct ka_feedback_report *rep,
    const struct ka_feedback_config *c, struct ka_report_section *out)
{
	const int zh = in->lang == KA_LANG_ZH;
	const struct words *w = zh ? &chinese : &english;
	const struct ka_feedback_row *rows;
	const char *names[6];
	static const int numeric[6] = { 0, 0, 1, 1, 1, 1 };
	char period[64], threshold[32], n[32], number[32], few[96];
	size_t count, i, reassign = 0, watch = 0, insufficient = 0;

	quarter_text(in, &rep->period, period, sizeof(period));
	figure_text(rep->threshold, 2, 0, threshold, sizeof(threshold));
	count_text(ka_feedback_overall(fb, 0)->n, n, sizeof(n));
	rows = ka_feedback_rows(fb, &count);
	for (i = 0; i < count; i++)
		insufficient += rows[i].flag == KA_FEEDBACK_INSUFFICIENT;
	for (i = 0; i < rep->nflagged; i++) {
		reassign += rep->flagged[i].flag == KA_FEEDBACK_REASSIGN;
		watch += rep->flagged[i].flag == KA_FEEDBACK_WATCH;
	}
	if (ka_feedback_overall(fb, 0)->n == 0) {
		ka_section_line(out, zh ? "销售代表：%s无答复。" :
		    "Reps: no answers in %s.", period);
		return;
	}
	few[0] = '\0';
	if (insufficient > 0) {
		count_text(insufficient, number, sizeof(number));
		snprintf(few, sizeof(few), zh ? "，%s人答复太少" :
		    ", %s with too few answers", number);
	}
	if (rep->nflagged == 0)
		ka_section_line(out, zh ? "销售代表（按全部%s条答复）："
		    "无需调换或观察%s。" : "Reps, on all %s answers: none to "
		    "reassign or watch%s.", n, few);
	else
		ka_section_line(out, zh ? "销售代表（按全部%s条答复）：%zu人"
		    "建议调换，%zu人需观察%s。" : "Reps, on all %s answers: %zu "
		    "to reassign, %zu to watch%s.", n, reassign, watch, few);
	if (rep->nflagged == 0)
		return;
	if (zh) {
		ka_section_line(out, "建议调换：贝叶斯平均分连续%u个季度低于"
		    "%s。", c->periods, threshold);
		ka_section_line(out, "观察：%s低于%s，但并非连续%u个季度。",
		    period, threshold, c->periods);
	} else {
		ka_section_line(out, "Reassign: Bayesian average under %s in "
		    "each of the last %u quarters.", threshold, c->periods);
		ka_section_line(out, "Watch: under %s in %s, not yet in all "
		    "%u quarters.", threshold, period, c->periods);
	}
	names[0] = w->rep;
	names[1] = w->flag;
	names[2] = w->answers;
	names[3] = w->average;
	names[4] = w->before;
	names[5] = w->change;
	ka_section_columns(out, names, numeric, 6);
	for (i = 0; i < rep->nflagged; i++) {
		const struct ka_feedback_report_flag *f = &rep->flagged[i];
		const struct ka_feedback_row *row = rep_row(fb, f->rep);
		char a[32], b[32], d[32];

		count_text(f->n, n, sizeof(n));
		figure_text(f->bayes_avg, 2, 0, a, sizeof(a));
		if (row != NULL && row->prev != NULL && row->prev->n > 0)
			figure_text(row->prev->bayes_avg, 2, 0, b, sizeof(b));
		else
			snprintf(b, sizeof(b), "%s", w->none);
		if (row != NULL && !isnan(row->change))
			figure_text(row->change, 2, 1, d, sizeof(d));
		else
			snprintf(d, sizeof(d), "%s", w->none);
		ka_section_cell(out, "%s", f->rep);
		ka_section_cell(out, "%s", f->flag == KA_FEEDBACK_REASSIGN ?
		    w->reassign : w->watch);
		ka_section_cell(out, "%s", n);
		ka_section_cell(out, "%s", a);
		ka_section_cell(out, "%s", b);
		ka_section_cell(out, "%s", d);
	}
}

int
ka_report_feedback(const struct ka_report_inputs *in,
    struct ka_report_section *out, char *error, size_t size)
{
	struct ka_feedback_config all, key;
	struct ka_feedback_report every = { 0 }, keyed = { 0 };
	struct ka_reader_options read;
	ka_feedback *fb_all = NULL, *fb_key = NULL;
	ka_topics *topics;
	const char *files[1];
	ka_period quarter;
	char as_of[KA_DATE_BUFSIZE], period[KA_PERIOD_BUFSIZE];
	size_t i;
	int rc;

	if (in->as_of == KA_DATE_NONE) {
		snprintf(error, size, "--feedback needs --as-of");
		return -2;
	}
	if ((rc = regular_file(in->feedback, error, size)) < 0)
		return rc;
	files[0] = in->feedback;
	/* The responses are a file of their own: its own delimiter and
	   header, the sales' encoding. */
	memset(&read, 0, sizeof(read));
	if (in->read != NULL)
		read.encoding = in->read->encoding;
	read.delimiter = ka_delimiter_from_name(in->feedback);
	quarter = feedback_quarter(in);

	/* Every answer: the reps' flags. */
	configure(in, &quarter, &all);
	if (ka_feedback_report_files(&all, files, 1, &read, NULL, &fb_all,
	    &every, error, size) < 0)
		return -1;

	/* Key accounts only, on the same scale: satisfaction, complaints. */
	configure(in, &quarter, &key);
	key.scale = every.is_nps ? KA_FEEDBACK_SCALE_NPS :
	    every.scale != NULL && strcmp(every.scale, "csat") == 0 ?
	    KA_FEEDBACK_SCALE_CSAT : KA_FEEDBACK_SCALE_AUTO;
	key.ntiers = sizeof(key_tiers) / sizeof(key_tiers[0]);
	for (i = 0; i < key.ntiers; i++)
		key.tiers[i] = key_tiers[i];
	topics = ka_topics_default();
	key.topics = topics;
	if (ka_feedback_report_files(&key, files, 1, &read, in->accounts,
	    &fb_key, &keyed, error, size) < 0) {
		ka_topics_free(topics);
		ka_feedback_report_free(&every);
		ka_feedback_free(fb_all);
		return -1;
	}

	ka_section_init(out, "feedback", in->lang == KA_LANG_ZH ?
	    chinese.title : english.title);
	satisfaction_lines(in, &keyed, out);
	complaint_lines(in, fb_key, &keyed, out);
	/* The reps' lines come last, next to their table. */
	rep_lines(in, fb_all, &every, &all, out);
	ka_date_format(in->as_of, as_of);
	ka_period_format(&quarter, period, sizeof(period));
	ka_section_line(out, in->lang == KA_LANG_ZH ?
	    "复核：ka-feedback --as-of %s --period %s %s" :
	    "Check: ka-feedback --as-of %s --period %s %s", as_of, period,
	    in->feedback);
	ka_section_line(out, in->lang == KA_LANG_ZH ?
	    "大客户：另加 --accounts ACCOUNTS --tiers A,B --by period "
	    "[--quotes 0]" : "Key accounts: add --accounts ACCOUNTS "
	    "--tiers A,B --by period [--quotes 0]");

	ka_feedback_report_free(&keyed);
	ka_feedback_report_free(&every);
	ka_feedback_free(fb_key);
	ka_feedback_free(fb_all);
	ka_topics_free(topics);
	return 0;
}
