/*
 * sansod - the gateway daemon: a libmilter filter for Postfix and
 * Sendmail that replaces every inbound message by its sanitized text
 * (src/lib-mail via the sandboxed worker, src/sanso/mail_job.c).
 *
 * Fail closed: any failure inside (no worker free in time, a worker
 * crash or timeout, the store or a required scanner down, out of memory)
 * answers 451 tempfail, so the MTA keeps the message in its queue and
 * retries; nothing unsanitized is ever accepted. With Postfix's
 * milter_default_action = tempfail the same holds when sansod itself is
 * down.
 *
 * Which connections are inbound comes from the policy's zones: a client
 * address in the internet zone (or in no zone at all: unknown is
 * treated as the internet) is sanitized; a client in the LGWAN zone is
 * sending out, and its mail is checked against the outbound rules
 * (rejected, held in the MTA's hold queue, or To/Cc rewritten); the
 * マイナンバー zone may not send mail at all.
 *
 * Threads: libmilter runs one thread per SMTP connection. Each message
 * borrows one worker from a bounded pool; while its job runs in a
 * helper thread the milter thread sends smfi_progress() so the MTA
 * does not time out. SIGUSR1 reloads the policy for new connections;
 * SIGTERM (handled by libmilter) stops accepting and ends.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>
#include <strings.h>
#include <getopt.h>
#include <grp.h>
#include <sys/stat.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

#include <libmilter/mfapi.h>

#include "cli.h"
#include "hash.h"
#include "log.h"
#include "mail_job.h"
#include "mail_policy.h"
#include "policy.h"
#include "store.h"

#define SANSOD_ARENA_MAX (512u * 1024 * 1024)
#define SANSOD_PROGRESS_SECONDS 5
#define SANSOD_POOL_WAIT_SECONDS 60

/* Everything a message is processed with; replaced whole on reload. */
struct config {
	struct policy *policy;
	struct limits limits;
	struct cdr_options opts;
	struct mail_options mail;
	uint64_t max_size;
	const char *clamd;
	bool av_required;
	unsigned retention_days;
	unsigned refs;
};

struct pool {
	pthread_mutex_t lock;
	pthread_cond_t freed;
	struct worker **w;
	bool *busy;
	unsigned n;
};

static struct {
	const char *socket;
	const char *worker_path;
	const char *policy_path;
	const char *store_dir;
	const char *socket_group;
	unsigned workers;
	struct store *store;
	pthread_mutex_t store_lock;
	pthread_mutex_t cfg_lock;
	struct config *cfg;
	volatile sig_atomic_t reload;
	struct pool pool;
} g = { .workers = 2 };

/* One SMTP connection / message. */
struct conn {
	struct config *cfg;
	char addr[64];
	const char *zone;
	bool inbound;
	bool outbound;
	bool forbidden;
	int fd;			/* memfd with the message, -1 between messages */
	bool cr;		/* body chunk ended in CR */
	char **hnames;		/* headers seen, for deletion */
	unsigned nh, ah;
	char from[256];
	char rcpt[512];
};

/* ---- configuration ---- */

static void
config_put(struct config *c)
{
	bool last;

	if (c == NULL)
		return;
	pthread_mutex_lock(&g.cfg_lock);
	last = --c->refs == 0;
	pthread_mutex_unlock(&g.cfg_lock);
	if (last) {
		policy_free(c->policy);
		free(c);
	}
}

static struct config *
config_get(void)
{
	struct config *c;

	pthread_mutex_lock(&g.cfg_lock);
	c = g.cfg;
	c->refs++;
	pthread_mutex_unlock(&g.cfg_lock);
	return c;
}

static struct config *
config_load(void)
{
	struct config *c = calloc(1, sizeof(*c));
	const char *clamd = NULL;
	char err[512];

	if (c == NULL)
		return NULL;
	c->refs = 1;
	limits_init(&c->limits);
	cdr_options_init(&c->opts);
	c->opts.links = LINKS_DEFANG;
	mail_options_init(&c->mail);
	if (g.policy_path == NULL)
		return c;
	c->policy = policy_load(g.policy_path, err, sizeof(err));
	if (c->policy == NULL ||
	    policy_apply(c->policy, &c->limits, &c->opts, &clamd,
	    &c->av_required, err, sizeof(err)) < 0 ||
	    mail_policy_apply(c->policy, &c->mail, &c->opts, &c->max_size,
	    err, sizeof(err)) < 0) {
		log_error("policy %s: %s", g.policy_path, err);
		policy_free(c->policy);
		free(c);
		return NULL;
	}
	c->clamd = clamd;
	if (c->policy->store != NULL)
		c->retention_days = c->policy->store->retention_days;
	return c;
}

static void
config_maybe_reload(void)
{
	struct config *c, *old;

	if (!g.reload)
		return;
	g.reload = 0;
	c = config_load();
	if (c == NULL) {
		log_error("reload failed; keeping the running policy");
		return;
	}
	pthread_mutex_lock(&g.cfg_lock);
	old = g.cfg;
	g.cfg = c;
	pthread_mutex_unlock(&g.cfg_lock);
	config_put(old);
	log_info("policy reloaded");
}

static void *
signal_thread(void *arg)
{
	sigset_t *set = arg;
	int sig;

	for (;;)
		if (sigwait(set, &sig) == 0 && sig == SIGUSR1)
			g.reload = 1;
	return NULL;
}

/* ---- worker pool ---- */

static int
pool_init(struct pool *p, unsigned n)
{
	unsigned i;

	pthread_mutex_init(&p->lock, NULL);
	pthread_cond_init(&p->freed, NULL);
	p->w = calloc(n, sizeof(*p->w));
	p->busy = calloc(n, sizeof(*p->busy));
	if (p->w == NULL || p->busy == NULL)
		return -1;
	for (i = 0; i < n; i++)
		if ((p->w[i] = worker_new(g.worker_path)) == NULL)
			return -1;
	p->n = n;
	return 0;
}

/* Stop every worker process once the jobs still running (sessions
   libmilter let finish) are done, waiting at most the pool wait. */
static void
pool_free(struct pool *p)
{
	struct timespec dl;
	unsigned i;
	bool busy = true;

	clock_gettime(CLOCK_REALTIME, &dl);
	dl.tv_sec += SANSOD_POOL_WAIT_SECONDS;
	pthread_mutex_lock(&p->lock);
	while (busy) {
		busy = false;
		for (i = 0; i < p->n; i++)
			busy = busy || p->busy[i];
		if (busy && pthread_cond_timedwait(&p->freed, &p->lock,
		    &dl) == ETIMEDOUT)
			break;
	}
	pthread_mutex_unlock(&p->lock);
	if (busy) {
		log_error("jobs still running at exit; leaving their workers");
		return;
	}
	for (i = 0; i < p->n; i++)
		worker_free(p->w[i]);
	free(p->w);
	free(p->busy);
	p->n = 0;
}

/* A free worker's index, waiting at most SANSOD_POOL_WAIT_SECONDS; -1
   when none came free (the message is then tempfailed). */
static int
pool_take(struct pool *p)
{
	struct timespec dl;
	unsigned i;
	int got = -1;

	clock_gettime(CLOCK_REALTIME, &dl);
	dl.tv_sec += SANSOD_POOL_WAIT_SECONDS;
	pthread_mutex_lock(&p->lock);
	while (got < 0) {
		for (i = 0; i < p->n && got < 0; i++)
			if (!p->busy[i])
				got = (int)i;
		if (got >= 0)
			p->busy[got] = true;
		else if (pthread_cond_timedwait(&p->freed, &p->lock, &dl) ==
		    ETIMEDOUT)
			break;
	}
	pthread_mutex_unlock(&p->lock);
	return got;
}

static void
pool_give(struct pool *p, int i)
{
	pthread_mutex_lock(&p->lock);
	p->busy[i] = false;
	pthread_cond_broadcast(&p->freed);
	pthread_mutex_unlock(&p->lock);
}

/* ---- the job, in its own thread ---- */

struct job {
	struct conn *c;
	struct arena *arena;
	struct mail_job_result res;
	int rc;
	bool done;
	pthread_mutex_t lock;
	pthread_cond_t cond;
};

static void *
job_thread(void *arg)
{
	struct job *j = arg;
	struct conn *c = j->c;
	struct mail_job_config mc;
	char summary[900];
	int wi;

	memset(&mc, 0, sizeof(mc));
	j->rc = -1;
	wi = pool_take(&g.pool);
	if (wi >= 0) {
		mc.worker = g.pool.w[wi];
		mc.opts = &c->cfg->opts;
		mc.limits = &c->cfg->limits;
		mc.mail = &c->cfg->mail;
		mc.max_size = c->cfg->max_size;
		mc.clamd = c->cfg->clamd;
		mc.av_required = c->cfg->av_required;
		mc.store = g.store;
		mc.zone = c->zone != NULL ? c->zone : "internet";
		mc.outbound = c->outbound;
		mc.retention_days = c->cfg->retention_days;
		snprintf(summary, sizeof(summary), "client=%s from=%s to=%s",
		    c->addr, c->from, c->rcpt);
		/* One SQLite connection: jobs take turns to write. */
		mc.store_lock = &g.store_lock;
		j->rc = mail_job_run(&mc, j->arena, c->fd, summary, &j->res);
		pool_give(&g.pool, wi);
	} else
		snprintf(j->res.why, sizeof(j->res.why), "no worker free");
	pthread_mutex_lock(&j->lock);
	j->done = true;
	pthread_cond_signal(&j->cond);
	pthread_mutex_unlock(&j->lock);
	return NULL;
}

/* ---- milter callbacks ---- */

static struct conn *
conn_of(SMFICTX *ctx)
{
	return smfi_getpriv(ctx);
}

static void
conn_reset(struct conn *c)
{
	unsigned i;

	if (c->fd >= 0)
		close(c->fd);
	c->fd = -1;
	c->cr = false;
	for (i = 0; i < c->nh; i++)
		free(c->hnames[i]);
	c->nh = 0;
	c->from[0] = c->rcpt[0] = '\0';
}

static sfsistat
tempfail(SMFICTX *ctx, const char *why)
{
	log_error("tempfail: %s", why);
	smfi_setreply(ctx, "451", "4.3.0",
	    "sanso: temporary failure, try again later");
	return SMFIS_TEMPFAIL;
}

static sfsistat
on_connect(SMFICTX *ctx, char *host, _SOCK_ADDR *sa)
{
	struct conn *c = calloc(1, sizeof(*c));
	const char *zone = NULL;

	(void)host;
	if (c == NULL)
		return tempfail(ctx, "out of memory");
	c->fd = -1;
	config_maybe_reload();
	c->cfg = config_get();
	if (sa != NULL && sa->sa_family == AF_INET)
		inet_ntop(AF_INET, &((struct sockaddr_in *)sa)->sin_addr,
		    c->addr, sizeof(c->addr));
	else if (sa != NULL && sa->sa_family == AF_INET6)
		inet_ntop(AF_INET6, &((struct sockaddr_in6 *)sa)->sin6_addr,
		    c->addr, sizeof(c->addr));
	else
		snprintf(c->addr, sizeof(c->addr), "local");
	if (c->cfg->policy != NULL && c->addr[0] != 'l')
		zone = policy_zone_of_addr(c->cfg->policy, c->addr);
	c->zone = zone;
	c->inbound = zone == NULL || strcmp(zone, "internet") == 0;
	c->outbound = zone != NULL && strcmp(zone, "lgwan") == 0;
	c->forbidden = zone != NULL && strcmp(zone, "mynumber") == 0;
	smfi_setpriv(ctx, c);
	return SMFIS_CONTINUE;
}

static sfsistat
on_envfrom(SMFICTX *ctx, char **argv)
{
	struct conn *c = conn_of(ctx);

	if (c == NULL)
		return tempfail(ctx, "no connection state");
	conn_reset(c);
	if (c->forbidden) {
		smfi_setreply(ctx, "550", "5.7.1", "sanso: the My Number zone"
		    " may not send mail (policy 3.(1)1)");
		return SMFIS_REJECT;
	}
	if (!c->inbound && !c->outbound)
		return SMFIS_ACCEPT;
	snprintf(c->from, sizeof(c->from), "%s", argv[0] != NULL ? argv[0] :
	    "");
	c->fd = memfd_create("sansod-msg", MFD_CLOEXEC);
	return c->fd < 0 ? tempfail(ctx, "memfd_create failed") :
	    SMFIS_CONTINUE;
}

static sfsistat
on_envrcpt(SMFICTX *ctx, char **argv)
{
	struct conn *c = conn_of(ctx);
	size_t n;

	if (c == NULL)
		return tempfail(ctx, "no connection state");
	n = strlen(c->rcpt);
	if (argv[0] != NULL && n + strlen(argv[0]) + 2 < sizeof(c->rcpt))
		snprintf(c->rcpt + n, sizeof(c->rcpt) - n, "%s%s",
		    n > 0 ? "," : "", argv[0]);
	return SMFIS_CONTINUE;
}

static int
msg_write(struct conn *c, const void *p, size_t len)
{
	const unsigned char *s = p;
	ssize_t n;

	while (len > 0) {
		n = write(c->fd, s, len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return -1;
		s += n;
		len -= (size_t)n;
	}
	return 0;
}

static sfsistat
on_header(SMFICTX *ctx, char *name, char *value)
{
	struct conn *c = conn_of(ctx);
	char **nv;

	if (c == NULL || c->fd < 0)
		return tempfail(ctx, "no message state");
	if (c->nh == c->ah) {
		c->ah = c->ah == 0 ? 32 : c->ah * 2;
		nv = realloc(c->hnames, c->ah * sizeof(*nv));
		if (nv == NULL)
			return tempfail(ctx, "out of memory");
		c->hnames = nv;
	}
	c->hnames[c->nh] = strdup(name);
	if (c->hnames[c->nh] == NULL)
		return tempfail(ctx, "out of memory");
	c->nh++;
	/* Postfix hands values without the space after the colon. */
	if (msg_write(c, name, strlen(name)) < 0 || msg_write(c, ": ", 2) < 0 ||
	    msg_write(c, value, strlen(value)) < 0 || msg_write(c, "\n", 1) < 0)
		return tempfail(ctx, "cannot buffer the message");
	return SMFIS_CONTINUE;
}

static sfsistat
on_eoh(SMFICTX *ctx)
{
	struct conn *c = conn_of(ctx);

	if (c == NULL || c->fd < 0 || msg_write(c, "\n", 1) < 0)
		return tempfail(ctx, "cannot buffer the message");
	return SMFIS_CONTINUE;
}

/* The body arrives with CRLF line ends; keep it as LF, like a file. */
static sfsistat
on_body(SMFICTX *ctx, unsigned char *p, size_t len)
{
	struct conn *c = conn_of(ctx);
	size_t i, start = 0;

	if (c == NULL || c->fd < 0)
		return tempfail(ctx, "no message state");
	if (c->cr && len > 0 && p[0] != '\n' && msg_write(c, "\r", 1) < 0)
		return tempfail(ctx, "cannot buffer the message");
	c->cr = false;
	for (i = 0; i < len; i++) {
		if (p[i] != '\r')
			continue;
		if (i + 1 == len) {
			if (msg_write(c, p + start, i - start) < 0)
				return tempfail(ctx, "cannot buffer");
			c->cr = true;
			start = len;
			break;
		}
		if (p[i + 1] == '\n') {
			if (msg_write(c, p + start, i - start) < 0)
				return tempfail(ctx, "cannot buffer");
			start = i + 1;
		}
	}
	if (start < len && msg_write(c, p + start, len - start) < 0)
		return tempfail(ctx, "cannot buffer the message");
	return SMFIS_CONTINUE;
}

/* Replace the headers: delete every one the MTA showed us, add ours
   (without Bcc: the envelope already has those recipients, and the
   header would show them to everyone). */
static int
apply_headers(SMFICTX *ctx, struct conn *c, const char *hdr, size_t len)
{
	const char *p = hdr, *end = hdr + len, *colon, *nl;
	unsigned i, j, idx;
	char name[128];
	char *value;

	for (i = c->nh; i-- > 0;) {
		/* Occurrence number of this name among the headers. */
		for (idx = 0, j = 0; j <= i; j++)
			if (strcasecmp(c->hnames[j], c->hnames[i]) == 0)
				idx++;
		if (smfi_chgheader(ctx, c->hnames[i], (int)idx, NULL) !=
		    MI_SUCCESS)
			return -1;
	}
	while (p < end) {
		colon = memchr(p, ':', (size_t)(end - p));
		if (colon == NULL || (size_t)(colon - p) >= sizeof(name))
			return -1;
		memcpy(name, p, (size_t)(colon - p));
		name[colon - p] = '\0';
		/* A header runs to the first newline not followed by WSP. */
		for (nl = colon; nl < end; nl++)
			if (*nl == '\n' && (nl + 1 >= end ||
			    (nl[1] != ' ' && nl[1] != '\t')))
				break;
		colon++;
		while (colon < nl && *colon == ' ')
			colon++;
		p = nl + 1;
		if (strcasecmp(name, "Bcc") == 0)
			continue;
		value = strndup(colon, (size_t)(nl - colon));
		if (value == NULL)
			return -1;
		if (smfi_addheader(ctx, name, value) != MI_SUCCESS) {
			free(value);
			return -1;
		}
		free(value);
	}
	return 0;
}

/* Replace the body, with CRLF line ends as the milter protocol wants. */
static int
apply_body(SMFICTX *ctx, const unsigned char *b, size_t len)
{
	unsigned char chunk[65536];
	size_t i, n = 0;

	for (i = 0; i < len; i++) {
		if (b[i] == '\n')
			chunk[n++] = '\r';
		chunk[n++] = b[i];
		if (n >= sizeof(chunk) - 2 || i + 1 == len) {
			if (smfi_replacebody(ctx, chunk, (int)n) != MI_SUCCESS)
				return -1;
			n = 0;
		}
	}
	return len == 0 ? (smfi_replacebody(ctx, (unsigned char *)"", 0) ==
	    MI_SUCCESS ? 0 : -1) : 0;
}

static sfsistat
deliver(SMFICTX *ctx, struct conn *c, const struct mail_job_result *res)
{
	const unsigned char *out = res->output;
	const unsigned char *sep = memmem(out, res->output_len, "\n\n", 2);
	size_t hlen;

	if (sep == NULL)
		return tempfail(ctx, "sanitized message has no body");
	hlen = (size_t)(sep - out) + 1;
	if (c->outbound) {
		/* Passed as it was, or with its recipients' headers
		   rewritten: the body is the sender's own. */
		if (report_verdict(res->report) != VERDICT_CLEAN &&
		    apply_headers(ctx, c, (const char *)out, hlen) < 0)
			return tempfail(ctx, "cannot change the headers");
		return SMFIS_CONTINUE;
	}
	if (apply_headers(ctx, c, (const char *)out, hlen) < 0 ||
	    apply_body(ctx, sep + 2, res->output_len - hlen - 1) < 0)
		return tempfail(ctx, "cannot change the message");
	return SMFIS_CONTINUE;
}

static sfsistat
on_eom(SMFICTX *ctx)
{
	struct conn *c = conn_of(ctx);
	struct job j;
	struct timespec dl;
	pthread_t t;
	sfsistat rs;

	if (c == NULL || c->fd < 0)
		return tempfail(ctx, "no message state");
	memset(&j, 0, sizeof(j));
	j.c = c;
	j.arena = arena_create(SANSOD_ARENA_MAX);
	pthread_mutex_init(&j.lock, NULL);
	pthread_cond_init(&j.cond, NULL);
	if (j.arena == NULL || pthread_create(&t, NULL, job_thread, &j) != 0) {
		arena_destroy(j.arena);
		return tempfail(ctx, "cannot start the job");
	}
	pthread_mutex_lock(&j.lock);
	while (!j.done) {
		clock_gettime(CLOCK_REALTIME, &dl);
		dl.tv_sec += SANSOD_PROGRESS_SECONDS;
		if (pthread_cond_timedwait(&j.cond, &j.lock, &dl) == ETIMEDOUT &&
		    !j.done)
			(void)smfi_progress(ctx);
	}
	pthread_mutex_unlock(&j.lock);
	pthread_join(t, NULL);
	if (j.rc < 0)
		rs = tempfail(ctx, j.res.why[0] != '\0' ? j.res.why : "job failed");
	else if (j.res.status == MAIL_JOB_REJECT) {
		smfi_setreply(ctx, "554", "5.7.1", c->outbound ?
		    "sanso: rejected by the outbound mail policy" :
		    "sanso: message larger than the policy allows");
		rs = SMFIS_REJECT;
	} else if (j.res.status == MAIL_JOB_HOLD) {
		rs = smfi_quarantine(ctx, "sanso: held by an outbound rule") ==
		    MI_SUCCESS ? SMFIS_CONTINUE : tempfail(ctx, "cannot hold");
	} else if (j.res.status == MAIL_JOB_TEMPFAIL)
		rs = tempfail(ctx, j.res.why);
	else
		rs = deliver(ctx, c, &j.res);
	if (rs == SMFIS_CONTINUE)
		log_info("%s: %s -> %s", c->addr, c->from,
		    j.res.report != NULL ?
		    verdict_name(report_verdict(j.res.report)) : "?");
	mail_job_result_free(&j.res);
	arena_destroy(j.arena);
	conn_reset(c);
	return rs == SMFIS_CONTINUE ? SMFIS_ACCEPT : rs;
}

static sfsistat
on_abort(SMFICTX *ctx)
{
	struct conn *c = conn_of(ctx);

	if (c != NULL)
		conn_reset(c);
	return SMFIS_CONTINUE;
}

static sfsistat
on_close(SMFICTX *ctx)
{
	struct conn *c = conn_of(ctx);

	if (c != NULL) {
		conn_reset(c);
		free(c->hnames);
		config_put(c->cfg);
		free(c);
		smfi_setpriv(ctx, NULL);
	}
	return SMFIS_CONTINUE;
}

static struct smfiDesc sansod_desc = {
	"sansod", SMFI_VERSION,
	SMFIF_ADDHDRS | SMFIF_CHGHDRS | SMFIF_CHGBODY | SMFIF_QUARANTINE,
	on_connect, NULL, on_envfrom, on_envrcpt, on_header, on_eoh, on_body,
	on_eom, on_abort, on_close, NULL, NULL, NULL,
};

/*
 * libmilter answers a message with many small writes (one per header
 * change, then the body chunks); on TCP, Nagle's algorithm holds each
 * one until the MTA's delayed ACK, which added about 40 ms twice per
 * message. libmilter has no option for it, so set TCP_NODELAY on its
 * listening socket (accepted sockets inherit it on Linux); unix
 * sockets need nothing.
 */
/* A unix socket is made by root with the umask's mode; the MTA runs as
   its own user (postfix), so give the socket to that group. */
static void
socket_grant(void)
{
	const char *path = g.socket;
	struct group *gr;

	if (strncmp(path, "unix:", 5) == 0)
		path += 5;
	else if (strncmp(path, "local:", 6) == 0)
		path += 6;
	else
		return;
	if (g.socket_group == NULL)
		return;
	gr = getgrnam(g.socket_group);
	if (gr == NULL || chown(path, (uid_t)-1, gr->gr_gid) < 0 ||
	    chmod(path, 0660) < 0)
		log_fatal("cannot give %s to group %s", path, g.socket_group);
}

static void
listen_nodelay(void)
{
	int fd, on = 1, listening;
	socklen_t len;
	struct sockaddr_storage ss;

	for (fd = 3; fd < 1024; fd++) {
		len = sizeof(listening);
		if (getsockopt(fd, SOL_SOCKET, SO_ACCEPTCONN, &listening,
		    &len) < 0 || !listening)
			continue;
		len = sizeof(ss);
		if (getsockname(fd, (struct sockaddr *)&ss, &len) < 0 ||
		    (ss.ss_family != AF_INET && ss.ss_family != AF_INET6))
			continue;
		(void)setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &on, sizeof(on));
	}
}

/* ---- main ---- */

static void
usage(void)
{
	fprintf(stderr,
	    "usage: sansod --socket unix:PATH|inet:PORT@127.0.0.1 [--policy P.yaml]\n"
	    "              [--store DIR] [--workers N] [--worker PATH] [--foreground]\n"
	    "              [--socket-group postfix]   (unix socket: group, mode 0660)\n"
	    "SIGUSR1 reloads the policy; SIGTERM stops.\n");
}

int
main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "socket", required_argument, NULL, 's' },
		{ "policy", required_argument, NULL, 'p' },
		{ "store", required_argument, NULL, 'd' },
		{ "workers", required_argument, NULL, 'n' },
		{ "worker", required_argument, NULL, 'w' },
		{ "foreground", no_argument, NULL, 'f' },
		{ "socket-group", required_argument, NULL, 'g' },
		{ NULL, 0, NULL, 0 },
	};
	sigset_t set, all;
	pthread_t st;
	char err[STORE_ERR_SIZE];
	int ch, ret;

	log_init("sansod");
	while ((ch = getopt_long(argc, argv, "s:p:d:n:w:fg:", opts, NULL)) != -1) {
		switch (ch) {
		case 's': g.socket = optarg; break;
		case 'p': g.policy_path = optarg; break;
		case 'd': g.store_dir = optarg; break;
		case 'n': g.workers = (unsigned)atoi(optarg); break;
		case 'w': g.worker_path = optarg; break;
		case 'f': break;	/* always in the foreground */
		case 'g': g.socket_group = optarg; break;
		default: usage(); return EXIT_USAGE;
		}
	}
	if (g.socket == NULL || g.workers == 0 || g.workers > 256) {
		usage();
		return EXIT_USAGE;
	}
	if (hash_init() < 0)
		log_fatal("libsodium init failed");
	if (g.worker_path == NULL)
		g.worker_path = cli_worker_path();
	pthread_mutex_init(&g.cfg_lock, NULL);
	pthread_mutex_init(&g.store_lock, NULL);
	g.cfg = config_load();
	if (g.cfg == NULL)
		return EXIT_USAGE;
	if (g.store_dir == NULL && g.cfg->policy != NULL &&
	    g.cfg->policy->store != NULL)
		g.store_dir = g.cfg->policy->store->dir;
	if (g.store_dir != NULL) {
		g.store = store_open(g.store_dir, err, sizeof(err));
		if (g.store == NULL)
			log_fatal("store %s: %s", g.store_dir, err);
	}
	if (pool_init(&g.pool, g.workers) < 0)
		log_fatal("out of memory");
	/* SIGUSR1 is waited for in its own thread; SIGTERM, SIGINT and
	   SIGHUP by libmilter's, which stops accepting and lets smfi_main()
	   return. Block them all in every thread before any starts, or the
	   default action would kill the daemon in the middle of a message. */
	sigemptyset(&all);
	sigaddset(&all, SIGUSR1);
	sigaddset(&all, SIGTERM);
	sigaddset(&all, SIGINT);
	sigaddset(&all, SIGHUP);
	pthread_sigmask(SIG_BLOCK, &all, NULL);
	sigemptyset(&set);
	sigaddset(&set, SIGUSR1);
	signal(SIGPIPE, SIG_IGN);
	if (pthread_create(&st, NULL, signal_thread, &set) != 0)
		log_fatal("cannot start the signal thread");
	if (smfi_setconn((char *)g.socket) != MI_SUCCESS ||
	    smfi_register(sansod_desc) != MI_SUCCESS ||
	    smfi_opensocket(true) != MI_SUCCESS)
		log_fatal("cannot listen on %s", g.socket);
	listen_nodelay();
	socket_grant();
	log_info("listening on %s with %u workers", g.socket, g.workers);
	ret = smfi_main();
	log_info("stopped");
	pool_free(&g.pool);
	store_close(g.store);
	return ret == MI_SUCCESS ? 0 : 1;
}
