/*
 * cmd_log - `sanso log verify|report|export|prune`: the audit log for
 * auditors, the SIEM and the periodic 点検・分析 (seed 002 6.1(6)③).
 *
 * verify exits 0 when the chain holds, 1 when it is broken (naming the
 * first bad record), 75 when the store cannot be read.
 */
#include <arpa/inet.h>
#include <getopt.h>
#include <netdb.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

#include "audit.h"
#include "cli.h"
#include "json.h"
#include "logreport.h"
#include "policy.h"

#define EXIT_BROKEN 1
#define EXIT_STORE 75
#define LOG_RETENTION_DEFAULT 1825	/* days: 5 years */

struct log_args {
	const char *store, *policy, *format, *target, *html, *output;
	int64_t since, until, before;
	bool json;
};

static void
log_usage(void)
{
	fprintf(stderr,
	    "usage: sanso log verify [--store DIR] [--json]\n"
	    "       sanso log report [--since YYYY-MM-DD] [--until YYYY-MM-DD] [--html FILE]\n"
	    "       sanso log export --format jsonl|syslog [--target unix:PATH|udp://HOST:PORT|tcp://HOST:PORT]\n"
	    "                        [--since D] [--until D]\n"
	    "       sanso log prune [--before YYYY-MM-DD] (default: policy log.retention_days, else %d days)\n"
	    "all take --store DIR and --policy P.yaml\n", LOG_RETENTION_DEFAULT);
}

/* "YYYY-MM-DD" (UTC midnight) -> unix time; -1 when malformed. */
static int64_t
parse_day(const char *s)
{
	struct tm tm;
	char *end;

	memset(&tm, 0, sizeof(tm));
	end = strptime(s, "%Y-%m-%d", &tm);
	if (end == NULL || *end != '\0')
		return -1;
	return (int64_t)timegm(&tm);
}

static int
log_parse(int argc, char **argv, struct log_args *a)
{
	static const struct option opts[] = {
		{ "store", required_argument, NULL, 's' },
		{ "policy", required_argument, NULL, 'p' },
		{ "format", required_argument, NULL, 'f' },
		{ "target", required_argument, NULL, 't' },
		{ "since", required_argument, NULL, 'S' },
		{ "until", required_argument, NULL, 'U' },
		{ "before", required_argument, NULL, 'B' },
		{ "html", required_argument, NULL, 'H' },
		{ "output", required_argument, NULL, 'o' },
		{ "json", no_argument, NULL, 'j' },
		{ NULL, 0, NULL, 0 },
	};
	int ch;

	memset(a, 0, sizeof(*a));
	a->before = -1;
	optind = 1;
	while ((ch = getopt_long(argc, argv, "o:", opts, NULL)) != -1) {
		switch (ch) {
		case 's': a->store = optarg; break;
		case 'p': a->policy = optarg; break;
		case 'f': a->format = optarg; break;
		case 't': a->target = optarg; break;
		case 'H': a->html = optarg; break;
		case 'o': a->output = optarg; break;
		case 'j': a->json = true; break;
		case 'S':
			if ((a->since = parse_day(optarg)) < 0)
				return -1;
			break;
		case 'U':
			if ((a->until = parse_day(optarg)) < 0)
				return -1;
			break;
		case 'B':
			if ((a->before = parse_day(optarg)) < 0)
				return -1;
			break;
		default:
			return -1;
		}
	}
	return optind == argc ? 0 : -1;
}

static struct store *
log_open(const struct log_args *a)
{
	char err[STORE_ERR_SIZE];
	const char *dir = cli_store_dir(a->store, a->policy);
	struct store *st = dir != NULL ? store_open(dir, err, sizeof(err)) : NULL;

	if (dir != NULL && st == NULL)
		fprintf(stderr, "sanso: %s\n", err);
	return st;
}

static int
log_verify(const struct log_args *a)
{
	struct store *st = log_open(a);
	struct audit_verify v;

	if (st == NULL || audit_verify(st, &v) < 0) {
		store_close(st);
		return EXIT_STORE;
	}
	store_close(st);
	if (a->json)
		printf("{\"ok\":%s,\"records\":%llu,\"first_bad\":%lld,"
		    "\"head\":%lld,\"anchor\":%lld,\"checkpoint\":%lld,"
		    "\"reason\":\"%s\"}\n", v.ok ? "true" : "false",
		    (unsigned long long)v.records, (long long)v.first_bad,
		    (long long)v.head_seq, (long long)v.anchor_seq,
		    (long long)v.checkpoint_seq, v.reason);
	else if (v.ok)
		printf("audit log OK: %llu records, head %lld, anchor %lld%s\n",
		    (unsigned long long)v.records, (long long)v.head_seq,
		    (long long)v.anchor_seq, v.checkpoint_seq > 0 ?
		    " (pruned behind a signed checkpoint)" : "");
	else
		printf("audit log BROKEN at record %lld: %s\n",
		    (long long)v.first_bad, v.reason);
	return v.ok ? 0 : EXIT_BROKEN;
}

/* One record as a JSON line. */
static void
record_jsonl(const struct audit_record *r, struct buffer *b)
{
	const char *names[] = { "actor", "event", "zone_from", "zone_to",
	    "object_sha", "object_name", "verdict", "findings", "detail" };
	const char *vals[] = { r->ev.actor, r->ev.event, r->ev.zone_from,
	    r->ev.zone_to, r->ev.object_sha, r->ev.object_name, r->ev.verdict,
	    r->ev.findings, r->ev.detail };
	char ts[32];
	time_t t = (time_t)r->time;
	struct tm tm;
	size_t i;

	gmtime_r(&t, &tm);
	strftime(ts, sizeof(ts), "%Y-%m-%dT%H:%M:%SZ", &tm);
	buffer_printf(b, "{\"seq\":%lld,\"time\":\"%s\"", (long long)r->seq, ts);
	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		buffer_printf(b, ",\"%s\":", names[i]);
		json_append_string(b, vals[i]);
	}
	buffer_printf(b, ",\"mac\":\"%s\"}\n", r->mac);
}

/* RFC 5424 structured-data value: escape ", \ and ]. */
static void
sd_value(struct buffer *b, const char *v)
{
	for (; v != NULL && *v != '\0'; v++) {
		if (*v == '"' || *v == '\\' || *v == ']')
			buffer_append(b, "\\", 1);
		buffer_append(b, v, 1);
	}
}

/* One record as an RFC 5424 message (no trailing newline). */
static void
record_syslog(const struct audit_record *r, const char *host,
    struct buffer *b)
{
	const char *names[] = { "actor", "zone_from", "zone_to", "object_sha",
	    "object_name", "verdict", "findings" };
	const char *vals[] = { r->ev.actor, r->ev.zone_from, r->ev.zone_to,
	    r->ev.object_sha, r->ev.object_name, r->ev.verdict, r->ev.findings };
	time_t t = (time_t)r->time;
	struct tm tm;
	char ts[32];
	size_t i;

	gmtime_r(&t, &tm);
	strftime(ts, sizeof(ts), "%Y-%m-%dT%H:%M:%SZ", &tm);
	/* facility authpriv (10), severity notice (5): 10*8+5 = 85 */
	buffer_printf(b, "<85>1 %s %s sanso - %s [sanso@32473 seq=\"%lld\"",
	    ts, host, r->ev.event, (long long)r->seq);
	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		if (vals[i] == NULL || vals[i][0] == '\0')
			continue;
		buffer_printf(b, " %s=\"", names[i]);
		sd_value(b, vals[i]);
		buffer_append_str(b, "\"");
	}
	buffer_printf(b, " mac=\"%s\"]", r->mac);
	if (r->ev.detail != NULL && r->ev.detail[0] != '\0') {
		/* BOM marks the free-form part as UTF-8 (RFC 5424 6.4). */
		buffer_append_str(b, " \xef\xbb\xbf");
		buffer_append_str(b, r->ev.detail);
	}
}

/* Connect to unix:PATH, udp://H:P or tcp://H:P; *stream_r tells TCP. */
static int
syslog_connect(const char *target, bool *stream_r)
{
	struct addrinfo hints = { 0 }, *ai;
	char host[256], *port;
	int fd;

	*stream_r = false;
	if (strncmp(target, "unix:", 5) == 0) {
		struct sockaddr_un sun = { .sun_family = AF_UNIX };

		if (strlen(target + 5) >= sizeof(sun.sun_path))
			return -1;
		strcpy(sun.sun_path, target + 5);
		fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
		if (fd >= 0 && connect(fd, (struct sockaddr *)&sun,
		    sizeof(sun)) < 0) {
			close(fd);
			return -1;
		}
		return fd;
	}
	if (strncmp(target, "udp://", 6) == 0)
		hints.ai_socktype = SOCK_DGRAM;
	else if (strncmp(target, "tcp://", 6) == 0) {
		hints.ai_socktype = SOCK_STREAM;
		*stream_r = true;
	} else
		return -1;
	snprintf(host, sizeof(host), "%s", target + 6);
	port = strrchr(host, ':');
	if (port == NULL)
		return -1;
	*port++ = '\0';
	if (getaddrinfo(host, port, &hints, &ai) != 0)
		return -1;
	fd = socket(ai->ai_family, ai->ai_socktype | SOCK_CLOEXEC, 0);
	if (fd >= 0 && connect(fd, ai->ai_addr, ai->ai_addrlen) < 0) {
		close(fd);
		fd = -1;
	}
	freeaddrinfo(ai);
	return fd;
}

static int
log_export(const struct log_args *a)
{
	struct store *st;
	struct arena *ar;
	struct store_iter *it;
	struct audit_record r;
	struct buffer b;
	char host[256] = "-";
	bool syslog_fmt, stream = false;
	int fd = -1, rc = 0, n;

	if (a->format == NULL || (strcmp(a->format, "jsonl") != 0 &&
	    strcmp(a->format, "syslog") != 0))
		return EXIT_USAGE;
	syslog_fmt = strcmp(a->format, "syslog") == 0;
	if (a->target != NULL && !syslog_fmt)
		return EXIT_USAGE;
	st = log_open(a);
	if (st == NULL)
		return EXIT_STORE;
	gethostname(host, sizeof(host) - 1);
	if (a->target != NULL && (fd = syslog_connect(a->target, &stream)) < 0) {
		fprintf(stderr, "sanso: cannot reach %s\n", a->target);
		store_close(st);
		return EXIT_STORE;
	}
	ar = arena_create(1u << 30);
	buffer_init(&b, 1u << 20);
	it = audit_records_init(st, a->since, a->until);
	while (ar != NULL && it != NULL && (n = audit_records_next(it, ar, &r)) == 1) {
		buffer_reset(&b);
		if (!syslog_fmt)
			record_jsonl(&r, &b);
		else
			record_syslog(&r, host, &b);
		if (fd < 0) {
			if (syslog_fmt)
				buffer_append_str(&b, "\n");
			fwrite(b.data, 1, b.used, stdout);
		} else if (stream) {
			/* RFC 6587 octet counting over TCP. */
			char len[24];
			int l = snprintf(len, sizeof(len), "%zu ", b.used);

			if (write(fd, len, (size_t)l) != l ||
			    write(fd, b.data, b.used) != (ssize_t)b.used)
				rc = EXIT_STORE;
		} else if (send(fd, b.data, b.used, 0) != (ssize_t)b.used)
			rc = EXIT_STORE;
	}
	store_iter_deinit(&it);
	buffer_free(&b);
	arena_destroy(ar);
	if (fd >= 0)
		close(fd);
	store_close(st);
	return rc;
}

static int
log_prune(const struct log_args *a)
{
	char err[STORE_ERR_SIZE] = "";
	struct store *st;
	struct policy *p = NULL;
	uint64_t count;
	int64_t before = a->before;
	unsigned days = LOG_RETENTION_DEFAULT;

	if (before < 0) {
		if (a->policy != NULL) {
			p = policy_load(a->policy, err, sizeof(err));
			if (p == NULL) {
				fprintf(stderr, "sanso: policy: %s\n", err);
				return EXIT_USAGE;
			}
			if (p->log != NULL && p->log->retention_days > 0)
				days = p->log->retention_days;
			policy_free(p);
		}
		before = (int64_t)time(NULL) - (int64_t)days * 86400;
	}
	st = log_open(a);
	if (st == NULL)
		return EXIT_STORE;
	if (audit_prune(st, before, &count, err, sizeof(err)) < 0) {
		fprintf(stderr, "sanso: prune: %s\n", err);
		store_close(st);
		return EXIT_STORE;
	}
	store_close(st);
	printf("%llu records pruned behind a signed checkpoint\n",
	    (unsigned long long)count);
	return 0;
}

static int
log_report_cmd(const struct log_args *a)
{
	struct store *st = log_open(a);
	int rc;

	if (st == NULL)
		return EXIT_STORE;
	rc = logreport_run(st, a->since, a->until, a->html, stdout);
	store_close(st);
	return rc < 0 ? EXIT_STORE : 0;
}

int
cmd_log(int argc, char **argv)
{
	struct log_args a;
	int rc;

	if (argc < 2 || log_parse(argc - 1, argv + 1, &a) < 0) {
		log_usage();
		return EXIT_USAGE;
	}
	if (strcmp(argv[1], "verify") == 0)
		rc = log_verify(&a);
	else if (strcmp(argv[1], "export") == 0)
		rc = log_export(&a);
	else if (strcmp(argv[1], "prune") == 0)
		rc = log_prune(&a);
	else if (strcmp(argv[1], "report") == 0)
		rc = log_report_cmd(&a);
	else
		rc = EXIT_USAGE;
	if (rc == EXIT_USAGE)
		log_usage();
	return rc;
}
