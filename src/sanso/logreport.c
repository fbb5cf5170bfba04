/*
 * logreport - aggregate audit records, print text, draw an SVG chart.
 */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "audit.h"
#include "logreport.h"

#define VERDICTS 5
static const char *const verdicts[VERDICTS] = { "clean", "sanitized",
    "held", "blocked", "error" };

struct tally {
	char *key;
	unsigned long n[VERDICTS + 1];	/* per verdict, then total */
};

struct tallies {
	struct tally *v;
	size_t len, alloc;
};

/* The tally for key, created on first use; NULL on out-of-memory. */
static struct tally *
tally_get(struct tallies *t, const char *key)
{
	size_t i;

	for (i = 0; i < t->len; i++) {
		if (strcmp(t->v[i].key, key) == 0)
			return &t->v[i];
	}
	if (t->len == t->alloc) {
		size_t na = t->alloc ? t->alloc * 2 : 32;
		struct tally *nv = realloc(t->v, na * sizeof(*nv));

		if (nv == NULL)
			return NULL;
		t->v = nv;
		t->alloc = na;
	}
	memset(&t->v[t->len], 0, sizeof(t->v[0]));
	t->v[t->len].key = strdup(key);
	return t->v[t->len].key != NULL ? &t->v[t->len++] : NULL;
}

static void
tally_add(struct tallies *t, const char *key, int verdict)
{
	struct tally *e = tally_get(t, key != NULL && key[0] ? key : "-");

	if (e == NULL)
		return;
	if (verdict >= 0)
		e->n[verdict]++;
	e->n[VERDICTS]++;
}

static void
tallies_free(struct tallies *t)
{
	size_t i;

	for (i = 0; i < t->len; i++)
		free(t->v[i].key);
	free(t->v);
}

static int
by_total(const void *a, const void *b)
{
	const struct tally *x = a, *y = b;

	if (x->n[VERDICTS] != y->n[VERDICTS])
		return x->n[VERDICTS] < y->n[VERDICTS] ? 1 : -1;
	return strcmp(x->key, y->key);
}

static int
by_key(const void *a, const void *b)
{
	return strcmp(((const struct tally *)a)->key,
	    ((const struct tally *)b)->key);
}

static int
verdict_index(const char *v)
{
	int i;

	for (i = 0; v != NULL && i < VERDICTS; i++) {
		if (strcmp(v, verdicts[i]) == 0)
			return i;
	}
	return -1;
}

struct report_data {
	struct tallies days, findings, zones, sources;
	unsigned long processed, signin_failed, events;
	struct audit_verify chain;
};

/* Where blocked content came from: "source=..." in the detail, else
   the object's name. */
static const char *
record_source(const struct audit_record *r, char *buf, size_t size)
{
	const char *d = r->ev.detail;

	if (d != NULL && strncmp(d, "source=", 7) == 0) {
		snprintf(buf, size, "%s", d + 7);
		return buf;
	}
	return r->ev.object_name;
}

static void
report_add(struct report_data *d, const struct audit_record *r)
{
	char day[16], src[256], *tok, *save, *codes;
	time_t t = (time_t)r->time;
	struct tm tm;
	int v;

	d->events++;
	if (strcmp(r->ev.event, "signin.failed") == 0) {
		d->signin_failed++;
		return;
	}
	if (strcmp(r->ev.event, "file.processed") != 0 &&
	    strcmp(r->ev.event, "mail.processed") != 0)
		return;
	d->processed++;
	v = verdict_index(r->ev.verdict);
	gmtime_r(&t, &tm);
	strftime(day, sizeof(day), "%Y-%m-%d", &tm);
	tally_add(&d->days, day, v);
	tally_add(&d->zones, r->ev.zone_from, v);
	if (v == 3 || v == 4)
		tally_add(&d->sources, record_source(r, src, sizeof(src)), v);
	codes = strdup(r->ev.findings != NULL ? r->ev.findings : "");
	for (tok = codes ? strtok_r(codes, " ", &save) : NULL; tok != NULL;
	    tok = strtok_r(NULL, " ", &save))
		tally_add(&d->findings, tok, v);
	free(codes);
}

/* A day is anomalous when it has more than three times the mean of the
   seven days before it (and at least 10 items), or when its blocked
   share is 30 points over that week's. */
static bool
day_anomalous(const struct tallies *days, size_t i, char *why, size_t size)
{
	double mean = 0, bshare = 0, share;
	size_t k, n = 0;
	const unsigned long *c = days->v[i].n;

	for (k = i >= 7 ? i - 7 : 0; k < i; k++, n++) {
		mean += days->v[k].n[VERDICTS];
		bshare += days->v[k].n[VERDICTS] ? (double)days->v[k].n[3] /
		    days->v[k].n[VERDICTS] : 0;
	}
	if (n == 0)
		return false;
	mean /= n;
	bshare /= n;
	share = c[VERDICTS] ? (double)c[3] / c[VERDICTS] : 0;
	if (c[VERDICTS] >= 10 && c[VERDICTS] > 3 * mean) {
		snprintf(why, size, "%lu items, %.1f a day the week before",
		    c[VERDICTS], mean);
		return true;
	}
	if (c[VERDICTS] >= 10 && share > bshare + 0.30) {
		snprintf(why, size, "%.0f%% blocked, %.0f%% the week before",
		    share * 100, bshare * 100);
		return true;
	}
	return false;
}

static void
print_text(struct report_data *d, FILE *out)
{
	char why[128];
	size_t i;
	int v;

	fprintf(out, "sanso log report — 点検・分析 (6.1(6)③)\n\n");
	fprintf(out, "audit chain: %s (%llu records checked, head %lld)%s%s\n",
	    d->chain.ok ? "OK" : "BROKEN", (unsigned long long)d->chain.records,
	    (long long)d->chain.head_seq, d->chain.ok ? "" : ": ",
	    d->chain.ok ? "" : d->chain.reason);
	fprintf(out, "items processed: %lu   failed sign-ins: %lu   events: %lu\n",
	    d->processed, d->signin_failed, d->events);
	fprintf(out, "\n%-12s", "day");
	for (v = 0; v < VERDICTS; v++)
		fprintf(out, " %9s", verdicts[v]);
	fprintf(out, " %9s\n", "total");
	for (i = 0; i < d->days.len; i++) {
		fprintf(out, "%-12s", d->days.v[i].key);
		for (v = 0; v <= VERDICTS; v++)
			fprintf(out, " %9lu", d->days.v[i].n[v]);
		if (day_anomalous(&d->days, i, why, sizeof(why)))
			fprintf(out, "  ANOMALY: %s", why);
		fprintf(out, "\n");
	}
	fprintf(out, "\n%-28s %9s %9s\n", "finding", "count", "blocked");
	for (i = 0; i < d->findings.len; i++)
		fprintf(out, "%-28s %9lu %9lu\n", d->findings.v[i].key,
		    d->findings.v[i].n[VERDICTS], d->findings.v[i].n[3]);
	fprintf(out, "\n%-28s %9s %9s\n", "zone", "items", "blocked");
	for (i = 0; i < d->zones.len; i++)
		fprintf(out, "%-28s %9lu %9lu\n", d->zones.v[i].key,
		    d->zones.v[i].n[VERDICTS], d->zones.v[i].n[3]);
	fprintf(out, "\ntop sources of blocked content\n");
	for (i = 0; i < d->sources.len && i < 10; i++)
		fprintf(out, "  %6lu  %s\n", d->sources.v[i].n[VERDICTS],
		    d->sources.v[i].key);
}

static void
html_escape(FILE *fp, const char *s)
{
	for (; *s != '\0'; s++) {
		switch (*s) {
		case '<': fputs("&lt;", fp); break;
		case '>': fputs("&gt;", fp); break;
		case '&': fputs("&amp;", fp); break;
		case '"': fputs("&quot;", fp); break;
		default: fputc(*s, fp);
		}
	}
}

static int
write_html(struct report_data *d, const char *path)
{
	static const char *colors[VERDICTS] = { "#4c9a2a", "#2a6f9a",
	    "#d9a400", "#c0392b", "#7f1d1d" };
	unsigned long max = 1;
	size_t i;
	int v, w, bar = 24;
	FILE *fp = fopen(path, "w");
	char why[128];

	if (fp == NULL)
		return -1;
	for (i = 0; i < d->days.len; i++)
		if (d->days.v[i].n[VERDICTS] > max)
			max = d->days.v[i].n[VERDICTS];
	w = 60 + (int)d->days.len * (bar + 6);
	fprintf(fp, "<!DOCTYPE html><html lang=\"ja\"><head><meta charset=\"utf-8\">"
	    "<title>sanso 点検・分析</title><style>body{font-family:sans-serif;margin:2em}"
	    "table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:2px 8px;"
	    "text-align:right}th:first-child,td:first-child{text-align:left}"
	    ".bad{color:#c0392b;font-weight:bold}</style></head><body>"
	    "<h1>ログの点検・分析 (6.1(6)③)</h1><p>監査ログの改ざん検知: <span class=\"%s\">%s</span>"
	    " (%llu records)%s",
	    d->chain.ok ? "" : "bad", d->chain.ok ? "OK" : "BROKEN",
	    (unsigned long long)d->chain.records, d->chain.ok ? "" : " — ");
	if (!d->chain.ok)
		html_escape(fp, d->chain.reason);
	fprintf(fp, "</p><p>処理件数 %lu ・ サインイン失敗 %lu</p>"
	    "<h2>日別の判定</h2><svg width=\"%d\" height=\"240\" role=\"img\""
	    " aria-label=\"items per day by verdict\">", d->processed,
	    d->signin_failed, w);
	for (i = 0; i < d->days.len; i++) {
		double y = 200;

		for (v = 0; v < VERDICTS; v++) {
			double h = 180.0 * d->days.v[i].n[v] / max;

			if (h <= 0)
				continue;
			y -= h;
			fprintf(fp, "<rect x=\"%d\" y=\"%.1f\" width=\"%d\" height=\"%.1f\""
			    " fill=\"%s\"><title>%s %s: %lu</title></rect>",
			    50 + (int)i * (bar + 6), y, bar, h, colors[v],
			    d->days.v[i].key, verdicts[v], d->days.v[i].n[v]);
		}
		fprintf(fp, "<text x=\"%d\" y=\"215\" font-size=\"9\">%.5s</text>",
		    50 + (int)i * (bar + 6), d->days.v[i].key + 5);
	}
	fprintf(fp, "<text x=\"0\" y=\"25\" font-size=\"10\">%lu</text>"
	    "<line x1=\"45\" y1=\"200\" x2=\"%d\" y2=\"200\" stroke=\"#333\"/></svg><p>",
	    max, w);
	for (v = 0; v < VERDICTS; v++)
		fprintf(fp, "<span style=\"color:%s\">■</span> %s ", colors[v],
		    verdicts[v]);
	fprintf(fp, "</p><table><tr><th>day</th>");
	for (v = 0; v < VERDICTS; v++)
		fprintf(fp, "<th>%s</th>", verdicts[v]);
	fprintf(fp, "<th>total</th><th>anomaly</th></tr>");
	for (i = 0; i < d->days.len; i++) {
		fprintf(fp, "<tr><td>%s</td>", d->days.v[i].key);
		for (v = 0; v <= VERDICTS; v++)
			fprintf(fp, "<td>%lu</td>", d->days.v[i].n[v]);
		fprintf(fp, "<td class=\"bad\">");
		if (day_anomalous(&d->days, i, why, sizeof(why)))
			html_escape(fp, why);
		fprintf(fp, "</td></tr>");
	}
	fprintf(fp, "</table><h2>検知の内訳</h2><table><tr><th>finding</th><th>count</th></tr>");
	for (i = 0; i < d->findings.len; i++) {
		fprintf(fp, "<tr><td>");
		html_escape(fp, d->findings.v[i].key);
		fprintf(fp, "</td><td>%lu</td></tr>", d->findings.v[i].n[VERDICTS]);
	}
	fprintf(fp, "</table><h2>遮断の多い送信元</h2><table><tr><th>source</th><th>items</th></tr>");
	for (i = 0; i < d->sources.len && i < 10; i++) {
		fprintf(fp, "<tr><td>");
		html_escape(fp, d->sources.v[i].key);
		fprintf(fp, "</td><td>%lu</td></tr>", d->sources.v[i].n[VERDICTS]);
	}
	fprintf(fp, "</table></body></html>\n");
	return fclose(fp);
}

int
logreport_run(struct store *st, int64_t since, int64_t until,
    const char *html_path, FILE *out)
{
	struct report_data d;
	struct store_iter *it;
	struct audit_record r;
	struct arena *a;
	int rc;

	memset(&d, 0, sizeof(d));
	if (audit_verify(st, &d.chain) < 0)
		return -1;
	it = audit_records_init(st, since, until);
	if (it == NULL)
		return -1;
	for (;;) {
		/* A small arena per record keeps memory flat over years. */
		a = arena_create(1u << 20);
		if (a == NULL)
			break;
		rc = audit_records_next(it, a, &r);
		if (rc == 1)
			report_add(&d, &r);
		arena_destroy(a);
		if (rc != 1)
			break;
	}
	store_iter_deinit(&it);
	qsort(d.days.v, d.days.len, sizeof(*d.days.v), by_key);
	qsort(d.findings.v, d.findings.len, sizeof(*d.findings.v), by_total);
	qsort(d.zones.v, d.zones.len, sizeof(*d.zones.v), by_total);
	qsort(d.sources.v, d.sources.len, sizeof(*d.sources.v), by_total);
	print_text(&d, out);
	rc = 0;
	if (html_path != NULL && write_html(&d, html_path) != 0) {
		fprintf(stderr, "sanso: cannot write %s\n", html_path);
		rc = -1;
	}
	tallies_free(&d.days);
	tallies_free(&d.findings);
	tallies_free(&d.zones);
	tallies_free(&d.sources);
	return rc;
}
