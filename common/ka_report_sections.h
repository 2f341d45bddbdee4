/*
 * ka_report_sections: the report sections other engines contribute,
 * one function each (common/ka_report_<name>.c), called by ka-report
 * when its option is given.  Each reads its own inputs as described by
 * struct ka_report_inputs (ka_report.h), computes with its engine, and
 * fills a section (ka_section_*), in English or Chinese as in->lang
 * says.  Returns 0; -1 for bad data (exit 1) or -2 for a usage error
 * (exit 2), with a message ("FILE:LINE: ...") in error.
 */
#ifndef KA_REPORT_SECTIONS_H
#define KA_REPORT_SECTIONS_H

#include <stddef.h>

#include "ka_report.h"

/* --visits [--events --visitors]: visit compliance, executive time. */
int	ka_report_visits(const struct ka_report_inputs *in,
	    struct ka_report_section *out, char *error, size_t size);
/* --feedback: reps to reassign or watch, satisfaction, complaints. */
int	ka_report_feedback(const struct ka_report_inputs *in,
	    struct ka_report_section *out, char *error, size_t size);
/* --stock [--orders --peak --lead]: stock-outs ahead, skus to order. */
int	ka_report_stock(const struct ka_report_inputs *in,
	    struct ka_report_section *out, char *error, size_t size);
/* --rebates [--settled --near]: accruals, accounts near a tier. */
int	ka_report_rebates(const struct ka_report_inputs *in,
	    struct ka_report_section *out, char *error, size_t size);
/* --promos: promotions ended in the period, net effect and ROI. */
int	ka_report_promos(const struct ka_report_inputs *in,
	    struct ka_report_section *out, char *error, size_t size);

#endif
