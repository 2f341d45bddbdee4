#include <math.h>
#include <stdio.h>
#include <string.h>

#include "ka_svg.h"

#define WIDTH	640.0
#define HEIGHT	260.0
#define LEFT	56.0
#define RIGHT	16.0
#define TOP	28.0
#define BOTTOM	40.0

/* Colours that survive greyscale printing by lightness, too. */
static const char *const palette[] = { "#1f4e79", "#c55a11", "#548235",
	"#7030a0", "#bf9000", "#2e75b6", "#a5a5a5", "#843c0c" };

static void
open_svg(struct ka_buf *b, const char *title, double height)
{
	ka_buf_printf(b, "<svg xmlns=\"http://www.w3.org/2000/svg\" "
	    "viewBox=\"0 0 %.0f %.0f\" role=\"img\" class=\"chart\">"
	    "<title>", WIDTH, height);
	ka_html_escape(b, title, strlen(title));
	ka_buf_puts(b, "</title>\n");
	ka_buf_puts(b, "<text x=\"8\" y=\"18\" class=\"chart-title\">");
	ka_html_escape(b, title, strlen(title));
	ka_buf_puts(b, "</text>\n");
}

static void
text_at(struct ka_buf *b, double x, double y, const char *anchor,
    const char *text)
{
	ka_buf_printf(b, "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"%s\">",
	    x, y, anchor);
	ka_html_escape(b, text, strlen(text));
	ka_buf_puts(b, "</text>\n");
}

/* A round step for about five grid lines up to high. */
static double
nice_step(double high)
{
	double raw = high / 5.0, power, fraction;

	if (raw <= 0)
		return 1;
	power = pow(10, floor(log10(raw)));
	fraction = raw / power;
	if (fraction <= 1)
		return power;
	if (fraction <= 2)
		return 2 * power;
	if (fraction <= 5)
		return 5 * power;
	return 10 * power;
}

static void
axis_number(char *out, size_t size, double v)
{
	double a = fabs(v);

	if (a >= 1e9)
		snprintf(out, size, "%.3gG", v / 1e9);
	else if (a >= 1e6)
		snprintf(out, size, "%.3gM", v / 1e6);
	else if (a >= 1e3)
		snprintf(out, size, "%.3gk", v / 1e3);
	else
		snprintf(out, size, "%.3g", v);
}

void
ka_svg_lines(struct ka_buf *b, const char *title,
    const struct ka_svg_series *series, size_t nseries, size_t npoints,
    const char *const *x_labels)
{
	double low = 0, high = 0, step, y, plot_w = WIDTH - LEFT - RIGHT;
	double plot_h = HEIGHT - TOP - BOTTOM, x;
	size_t s, i, every;
	char label[32];

	for (s = 0; s < nseries; s++)
		for (i = 0; i < npoints; i++) {
			if (series[s].values[i] > high)
				high = series[s].values[i];
			if (series[s].values[i] < low)
				low = series[s].values[i];
		}
	if (high <= low)
		high = low + 1;
	step = nice_step(high - low);
	high = ceil(high / step) * step;
	low = floor(low / step) * step;
	open_svg(b, title, HEIGHT + 18.0 * (double)((nseries + 2) / 3));
	for (y = low; y <= high + step / 2; y += step) {
		double py = TOP + plot_h - (y - low) / (high - low) * plot_h;

		ka_buf_printf(b, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" "
		    "y2=\"%.1f\" class=\"grid\"/>\n", LEFT, py, WIDTH - RIGHT,
		    py);
		axis_number(label, sizeof(label), y);
		text_at(b, LEFT - 6, py + 4, "end", label);
	}
	/* Labels about 7 characters wide need about 70 units each. */
	every = 1;
	while (npoints / every > 1 && plot_w / (double)((npoints + every - 1) /
	    every) < 70)
		every++;
	for (i = 0; i < npoints && x_labels != NULL; i += every) {
		x = LEFT + (npoints > 1 ? plot_w * (double)i /
		    (double)(npoints - 1) : plot_w / 2);
		text_at(b, x, HEIGHT - BOTTOM + 18, "middle", x_labels[i]);
	}
	for (s = 0; s < nseries; s++) {
		const char *colour = palette[s % 8];

		ka_buf_printf(b, "<polyline fill=\"none\" stroke=\"%s\" "
		    "stroke-width=\"%s\" points=\"", colour, s == 0 ? "2.5" :
		    "1.5");
		for (i = 0; i < npoints; i++) {
			x = LEFT + (npoints > 1 ? plot_w * (double)i /
			    (double)(npoints - 1) : plot_w / 2);
			y = TOP + plot_h - (series[s].values[i] - low) /
			    (high - low) * plot_h;
			ka_buf_printf(b, "%s%.1f,%.1f", i ? " " : "", x, y);
		}
		ka_buf_puts(b, "\"/>\n");
		/* Legend: three entries a row under the plot. */
		x = LEFT + (double)(s % 3) * (plot_w / 3);
		y = HEIGHT - 6 + 18.0 * (double)(s / 3);
		ka_buf_printf(b, "<rect x=\"%.1f\" y=\"%.1f\" width=\"12\" "
		    "height=\"4\" fill=\"%s\"/>\n", x, y - 6, colour);
		text_at(b, x + 16, y, "start", series[s].label);
	}
	ka_buf_puts(b, "</svg>\n");
}

void
ka_svg_pareto(struct ka_buf *b, const char *title, const double *cum_share,
    size_t n, const double *cutoffs, const char *const *cutoff_labels,
    size_t ncutoffs, const char *x_label, const char *y_label)
{
	double plot_w = WIDTH - LEFT - RIGHT, plot_h = HEIGHT - TOP - BOTTOM;
	double x, y;
	size_t i, c;
	char label[32];

	open_svg(b, title, HEIGHT);
	for (i = 0; i <= 4; i++) {
		y = TOP + plot_h - plot_h * (double)i / 4;
		ka_buf_printf(b, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" "
		    "y2=\"%.1f\" class=\"grid\"/>\n", LEFT, y, WIDTH - RIGHT, y);
		snprintf(label, sizeof(label), "%zu%%", i * 25);
		text_at(b, LEFT - 6, y + 4, "end", label);
		x = LEFT + plot_w * (double)i / 4;
		text_at(b, x, HEIGHT - BOTTOM + 18, "middle", label);
	}
	text_at(b, LEFT + plot_w / 2, HEIGHT - 4, "middle", x_label);
	ka_buf_printf(b, "<text x=\"12\" y=\"%.1f\" text-anchor=\"middle\" "
	    "transform=\"rotate(-90 12 %.1f)\">", TOP + plot_h / 2,
	    TOP + plot_h / 2);
	ka_html_escape(b, y_label, strlen(y_label));
	ka_buf_puts(b, "</text>\n");
	for (c = 0; c < ncutoffs; c++) {
		y = TOP + plot_h - cutoffs[c] / 100 * plot_h;
		ka_buf_printf(b, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" "
		    "y2=\"%.1f\" class=\"cutoff\" stroke-dasharray=\"5,4\"/>\n",
		    LEFT, y, WIDTH - RIGHT, y);
		text_at(b, LEFT + 6, y - 4, "start", cutoff_labels[c]);
	}
	ka_buf_printf(b, "<polyline fill=\"none\" stroke=\"%s\" "
	    "stroke-width=\"2.5\" class=\"pareto\" points=\"%.1f,%.1f",
	    palette[0], LEFT, TOP + plot_h);
	for (i = 0; i < n; i++) {
		x = LEFT + plot_w * (double)(i + 1) / (double)n;
		y = TOP + plot_h - cum_share[i] / 100 * plot_h;
		ka_buf_printf(b, " %.1f,%.1f", x, y);
	}
	ka_buf_puts(b, "\"/>\n</svg>\n");
}

void
ka_svg_bars(struct ka_buf *b, const char *title, const char *const *labels,
    const double *values, size_t n)
{
	double high = 0, row = 24, height = TOP + row * (double)n + 12;
	double left = 150, plot_w = WIDTH - left - 70, w, y;
	size_t i;
	char label[32];

	for (i = 0; i < n; i++)
		if (values[i] > high)
			high = values[i];
	open_svg(b, title, height);
	for (i = 0; i < n; i++) {
		y = TOP + row * (double)i;
		w = high > 0 ? values[i] / high * plot_w : 0;
		text_at(b, left - 8, y + 15, "end", labels[i]);
		ka_buf_printf(b, "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" "
		    "height=\"%.1f\" fill=\"%s\"/>\n", left, y + 3, w,
		    row - 8, palette[i % 8]);
		snprintf(label, sizeof(label), "%g", values[i]);
		text_at(b, left + w + 6, y + 15, "start", label);
	}
	ka_buf_puts(b, "</svg>\n");
}
