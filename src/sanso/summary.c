/*
 * summary - batch counters and their display.
 */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "json.h"
#include "log.h"
#include "summary.h"

#define SUMMARY_BAR_WIDTH 30

struct summary_code {
	char *code;
	unsigned long count;
};

struct summary {
	unsigned long files;
	unsigned long verdicts[VERDICT_ERROR + 1];
	struct summary_code *codes;
	size_t ncodes, acodes;
	bool tty;
};

struct summary *
summary_new(void)
{
	struct summary *s = calloc(1, sizeof(*s));

	if (s == NULL)
		log_fatal("out of memory");
	s->tty = isatty(STDERR_FILENO) == 1;
	return s;
}

void
summary_free(struct summary *s)
{
	size_t i;

	if (s == NULL)
		return;
	for (i = 0; i < s->ncodes; i++)
		free(s->codes[i].code);
	free(s->codes);
	free(s);
}

static void
summary_count_code(struct summary *s, const char *code)
{
	size_t i;

	for (i = 0; i < s->ncodes; i++) {
		if (strcmp(s->codes[i].code, code) == 0) {
			s->codes[i].count++;
			return;
		}
	}
	if (s->ncodes == s->acodes) {
		s->acodes = s->acodes == 0 ? 32 : s->acodes * 2;
		s->codes = realloc(s->codes, s->acodes * sizeof(*s->codes));
		if (s->codes == NULL)
			log_fatal("out of memory");
	}
	s->codes[s->ncodes].code = strdup(code);
	if (s->codes[s->ncodes].code == NULL)
		log_fatal("out of memory");
	s->codes[s->ncodes++].count = 1;
}

static void
summary_count_findings(struct summary *s, const struct report *r)
{
	const struct report_finding *f;
	const struct report *c;

	for (f = r->findings; f != NULL; f = f->next)
		summary_count_code(s, f->code);
	for (c = r->children; c != NULL; c = c->next)
		summary_count_findings(s, c);
}

void
summary_add(struct summary *s, const struct report *r)
{
	s->files++;
	s->verdicts[report_verdict(r)]++;
	summary_count_findings(s, r);
}

void
summary_progress(struct summary *s, size_t done, size_t total,
    const char *name, bool quiet)
{
	char bar[SUMMARY_BAR_WIDTH + 1];
	size_t fill, i;

	if (!s->tty || quiet || total == 0)
		return;
	if (done >= total) {
		fprintf(stderr, "\r\033[K");
		return;
	}
	fill = done * SUMMARY_BAR_WIDTH / total;
	for (i = 0; i < SUMMARY_BAR_WIDTH; i++)
		bar[i] = i < fill ? '#' : '.';
	bar[SUMMARY_BAR_WIDTH] = '\0';
	fprintf(stderr, "\r\033[K[%s] %zu/%zu %.40s", bar, done, total,
	    name != NULL ? name : "");
	fflush(stderr);
}

static int
cmp_code(const void *a, const void *b)
{
	const struct summary_code *x = a, *y = b;

	if (x->count != y->count)
		return x->count < y->count ? 1 : -1;
	return strcmp(x->code, y->code);
}

void
summary_print(const struct summary *s, FILE *fp)
{
	enum verdict v;
	size_t i;

	qsort(s->codes, s->ncodes, sizeof(*s->codes), cmp_code);
	fprintf(fp, "%-26s %8s\n", "verdict", "files");
	for (v = VERDICT_CLEAN; v <= VERDICT_ERROR; v++)
		fprintf(fp, "%-26s %8lu\n", verdict_name(v), s->verdicts[v]);
	fprintf(fp, "%-26s %8lu\n", "total", s->files);
	if (s->ncodes == 0)
		return;
	fprintf(fp, "\n%-26s %8s\n", "finding", "count");
	for (i = 0; i < s->ncodes; i++)
		fprintf(fp, "%-26s %8lu\n", s->codes[i].code, s->codes[i].count);
}

int
summary_write_json(const struct summary *s, struct buffer *out)
{
	enum verdict v;
	size_t i;
	int ret;

	ret = buffer_printf(out, "{\"files\":%lu,\"verdicts\":{", s->files);
	for (v = VERDICT_CLEAN; v <= VERDICT_ERROR; v++)
		ret |= buffer_printf(out, "%s\"%s\":%lu", v > 0 ? "," : "",
		    verdict_name(v), s->verdicts[v]);
	ret |= buffer_append_str(out, "},\"findings\":{");
	for (i = 0; i < s->ncodes; i++) {
		if (i > 0)
			ret |= buffer_append_str(out, ",");
		ret |= json_append_string(out, s->codes[i].code);
		ret |= buffer_printf(out, ":%lu", s->codes[i].count);
	}
	ret |= buffer_append_str(out, "}}");
	return ret == 0 ? 0 : -1;
}
