#define _XOPEN_SOURCE 700
#define PCRE2_CODE_UNIT_WIDTH 8
#include <errno.h>
#include <pcre2.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ka_msg.h"
#include "ka_topics.h"

/* The same limits as --where (common/ka_filter.c). */
#define MATCH_LIMIT	1000000
#define DEPTH_LIMIT	100000
#define NAME_MAX_BYTES	64

struct topic {
	char		*name;
	size_t		 count;		/* alternatives */
	char		**pattern;
	pcre2_code	**code;
};

struct ka_topics {
	struct topic	 topic[KA_TOPICS_MAX];
	size_t		 count;
	pcre2_match_data *match_data;
	pcre2_match_context *match_context;
};

/*
 * The built-in categories.  English words are whole words (\b), with
 * their usual endings; Chinese has no word boundaries, so its words
 * match anywhere, and single characters that also start common polite
 * phrases (贵 in 贵公司, "your company") are only taken in phrases that
 * mean the price.
 */
static const char *const default_topics[][2] = {
	{ "delivery",
	  "\\b(?:deliver(?:y|ies|ed|ing|s)?|ship(?:ping|ment|ments|ped)?|"
	  "late|lateness|delay(?:s|ed)?|on[ -]time|lead[ -]times?|"
	  "arriv(?:e|ed|es|al))\\b|"
	  "送货|配送|交货|发货|物流|到货|延迟|延误|迟到|准时" },
	{ "price",
	  "\\b(?:prices?|priced|pricing|expensive|cheap(?:er)?|costs?|"
	  "costly|discounts?|rebates?|invoiced?|margins?)\\b|"
	  "价格|价钱|报价|太贵|偏贵|很贵|较贵|昂贵|便宜|折扣|涨价|返利|费用" },
	{ "quality",
	  "\\b(?:quality|defects?|defective|damaged?|broken|expired|stale|"
	  "fresh(?:ness)?|faulty|spoil(?:ed|t)?|leak(?:s|ing|ed)?)\\b|"
	  "质量|品质|破损|过期|次品|变质|损坏|新鲜" },
	{ "service",
	  "\\b(?:service|support|friendly|unfriendly|rude|helpful|unhelpful|"
	  "attitude|professional|polite|courteous)\\b|"
	  "服务|态度|热情|专业|客服|礼貌" },
	{ "responsiveness",
	  "\\b(?:respon(?:d|ds|ded|ding|sive|siveness|se|ses)|"
	  "repl(?:y|ies|ied)|call(?:s|ed)? back|callbacks?|unreachable|"
	  "no answer|follow(?:ed)?[ -]?ups?|slow to)\\b|"
	  "回复|回应|响应|联系不上|不回|跟进|及时" },
	{ "stock_outs",
	  "\\b(?:out of stock|stock[ -]?outs?|shortages?|unavailable|"
	  "back[ -]?order(?:s|ed)?|sold out|r[au]n out)\\b|"
	  "缺货|断货|没货|库存不足|补货|脱销" },
};

ka_topics *
ka_topics_new(void)
{
	ka_topics *t = calloc(1, sizeof(*t));

	if (t == NULL)
		ka_die(KA_EXIT_DATA, "out of memory");
	return t;
}

ka_topics *
ka_topics_default(void)
{
	ka_topics *t = ka_topics_new();
	char error[512];
	size_t i;

	for (i = 0; i < sizeof(default_topics) / sizeof(default_topics[0]);
	    i++)
		if (ka_topics_add(t, default_topics[i][0],
		    default_topics[i][1], error, sizeof(error)) < 0)
			ka_die(KA_EXIT_DATA, "built-in topics: %s", error);
	return t;
}

void
ka_topics_free(ka_topics *t)
{
	size_t i;

	if (t == NULL)
		return;
	for (i = 0; i < t->count; i++) {
		size_t j;

		for (j = 0; j < t->topic[i].count; j++) {
			free(t->topic[i].pattern[j]);
			pcre2_code_free(t->topic[i].code[j]);
		}
		free(t->topic[i].name);
		free(t->topic[i].pattern);
		free(t->topic[i].code);
	}
	pcre2_match_data_free(t->match_data);
	pcre2_match_context_free(t->match_context);
	free(t);
}

static char *
copy(const char *text)
{
	char *p = strdup(text);

	if (p == NULL)
		ka_die(KA_EXIT_DATA, "out of memory");
	return p;
}

static pcre2_code *
compile(const char *pattern, char *error, size_t error_size)
{
	pcre2_code *code;
	PCRE2_SIZE offset;
	int status;

	code = pcre2_compile((PCRE2_SPTR)pattern, PCRE2_ZERO_TERMINATED,
	    PCRE2_UTF | PCRE2_MATCH_INVALID_UTF | PCRE2_CASELESS, &status,
	    &offset, NULL);
	if (code == NULL) {
		PCRE2_UCHAR message[256];

		pcre2_get_error_message(status, message, sizeof(message));
		snprintf(error, error_size, "pattern error at offset %zu: %s",
		    (size_t)offset, (char *)message);
		return NULL;
	}
	/* Without JIT the interpreter does the same work, slower. */
	(void)pcre2_jit_compile(code, PCRE2_JIT_COMPLETE);
	return code;
}

int
ka_topics_add(ka_topics *t, const char *name, const char *pattern,
    char *error, size_t error_size)
{
	struct topic *topic = NULL;
	pcre2_code *code;
	size_t i, length;

	length = strlen(name);
	if (length == 0 || length > NAME_MAX_BYTES ||
	    strpbrk(name, " \t\r\n,") != NULL) {
		snprintf(error, error_size, "bad topic name \"%s\": 1 to %d "
		    "bytes, no spaces or commas", name, NAME_MAX_BYTES);
		return -1;
	}
	if (pattern[0] == '\0') {
		snprintf(error, error_size, "topic \"%s\" has no pattern",
		    name);
		return -1;
	}
	for (i = 0; i < t->count; i++)
		if (strcmp(t->topic[i].name, name) == 0)
			topic = &t->topic[i];
	if (topic == NULL && t->count == KA_TOPICS_MAX) {
		snprintf(error, error_size, "too many topics: at most %d",
		    KA_TOPICS_MAX);
		return -1;
	}
	if ((code = compile(pattern, error, error_size)) == NULL)
		return -1;
	if (topic == NULL) {
		topic = &t->topic[t->count++];
		topic->name = copy(name);
	}
	/* Each alternative stays its own pattern: inline options and
	   comments in one cannot leak into another. */
	topic->pattern = realloc(topic->pattern,
	    (topic->count + 1) * sizeof(*topic->pattern));
	topic->code = realloc(topic->code,
	    (topic->count + 1) * sizeof(*topic->code));
	if (topic->pattern == NULL || topic->code == NULL)
		ka_die(KA_EXIT_DATA, "out of memory");
	topic->pattern[topic->count] = copy(pattern);
	topic->code[topic->count] = code;
	topic->count++;
	return 0;
}

static size_t
trim_end(char *s, size_t n)
{
	while (n > 0 && (s[n - 1] == ' ' || s[n - 1] == '\t' ||
	    s[n - 1] == '\r' || s[n - 1] == '\n'))
		n--;
	s[n] = '\0';
	return n;
}

int
ka_topics_load(ka_topics *t, const char *path, char *error,
    size_t error_size)
{
	FILE *f;
	char *line = NULL, *p, *name, *pattern, message[512];
	size_t capacity = 0;
	unsigned long number = 0;
	ssize_t got;
	int status = 0;

	if ((f = fopen(path, "r")) == NULL) {
		snprintf(error, error_size, "%s: %s", path, strerror(errno));
		return -1;
	}
	while ((got = getline(&line, &capacity, f)) >= 0) {
		number++;
		trim_end(line, (size_t)got);
		p = line;
		/* A UTF-8 byte-order mark on the first line is no name. */
		if (number == 1 && strncmp(p, "\xef\xbb\xbf", 3) == 0)
			p += 3;
		while (*p == ' ' || *p == '\t')
			p++;
		if (*p == '\0' || *p == '#')
			continue;
		name = p;
		while (*p != '\0' && *p != ' ' && *p != '\t')
			p++;
		if (*p != '\0')
			*p++ = '\0';
		while (*p == ' ' || *p == '\t')
			p++;
		pattern = p;
		if (*pattern == '\0') {
			snprintf(error, error_size, "%s:%lu: topic \"%s\" has "
			    "no pattern (NAME, spaces, PATTERN)", path, number,
			    name);
			status = -1;
			break;
		}
		if (ka_topics_add(t, name, pattern, message,
		    sizeof(message)) < 0) {
			snprintf(error, error_size, "%s:%lu: %s", path, number,
			    message);
			status = -1;
			break;
		}
	}
	if (status == 0 && ferror(f)) {
		snprintf(error, error_size, "%s: read error", path);
		status = -1;
	}
	if (status == 0 && t->count == 0) {
		snprintf(error, error_size, "%s: no topics (one a line: NAME "
		    "PATTERN)", path);
		status = -1;
	}
	free(line);
	fclose(f);
	return status;
}

size_t
ka_topics_count(const ka_topics *t)
{
	return t->count;
}

const char *
ka_topics_name(const ka_topics *t, size_t i)
{
	return t->topic[i].name;
}

size_t
ka_topics_patterns(const ka_topics *t, size_t i)
{
	return t->topic[i].count;
}

const char *
ka_topics_pattern(const ka_topics *t, size_t i, size_t j)
{
	return t->topic[i].pattern[j];
}

int
ka_topics_match(ka_topics *t, const char *text, size_t length,
    uint64_t *mask, char *error, size_t error_size)
{
	size_t i;
	int rc;

	*mask = 0;
	if (t->match_data == NULL) {
		t->match_data = pcre2_match_data_create(1, NULL);
		t->match_context = pcre2_match_context_create(NULL);
		if (t->match_data == NULL || t->match_context == NULL)
			ka_die(KA_EXIT_DATA, "out of memory");
		pcre2_set_match_limit(t->match_context, MATCH_LIMIT);
		pcre2_set_depth_limit(t->match_context, DEPTH_LIMIT);
	}
	for (i = 0; i < t->count; i++) {
		size_t j;

		rc = PCRE2_ERROR_NOMATCH;
		for (j = 0; j < t->topic[i].count; j++) {
			rc = pcre2_match(t->topic[i].code[j], (PCRE2_SPTR)text,
			    length, 0, 0, t->match_data, t->match_context);
			if (rc != PCRE2_ERROR_NOMATCH)
				break;
		}
		if (rc >= 0) {
			*mask |= UINT64_C(1) << i;
			continue;
		}
		if (rc == PCRE2_ERROR_NOMATCH)
			continue;
		if (rc == PCRE2_ERROR_MATCHLIMIT ||
		    rc == PCRE2_ERROR_DEPTHLIMIT ||
		    rc == PCRE2_ERROR_HEAPLIMIT) {
			snprintf(error, error_size, "topic \"%s\": the pattern "
			    "hit its match limit; simplify the pattern",
			    t->topic[i].name);
		} else {
			PCRE2_UCHAR message[256];

			pcre2_get_error_message(rc, message, sizeof(message));
			snprintf(error, error_size, "topic \"%s\": %s",
			    t->topic[i].name, (char *)message);
		}
		return -1;
	}
	return 0;
}
