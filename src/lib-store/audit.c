/*
 * audit - keyed hash chain over the audit table, anchor, checkpoints.
 */
#include <errno.h>
#include <fcntl.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>
#include <time.h>
#include <unistd.h>

#include "audit.h"
#include "store_private.h"

#define MAC_BYTES crypto_auth_hmacsha256_BYTES

/* Feed one field, length-prefixed so fields cannot run into each other
   ("ab"+"c" and "a"+"bc" give different MACs). NULL differs from "". */
static void
mac_field(crypto_auth_hmacsha256_state *h, const char *v)
{
	unsigned char len[4];
	uint32_t n = v != NULL ? (uint32_t)strlen(v) : 0xffffffffu;

	len[0] = n >> 24;
	len[1] = n >> 16;
	len[2] = n >> 8;
	len[3] = n;
	crypto_auth_hmacsha256_update(h, len, 4);
	if (v != NULL)
		crypto_auth_hmacsha256_update(h, (const unsigned char *)v, strlen(v));
}

/* MAC of a record chained from prev (hex, "" for the first record). */
static void
audit_mac(const struct store *st, const char *prev, int64_t seq,
    int64_t time, const struct audit_event *ev, char hex[65])
{
	crypto_auth_hmacsha256_state h;
	unsigned char mac[MAC_BYTES];
	char num[48];

	crypto_auth_hmacsha256_init(&h, st->key, AUDIT_KEY_BYTES);
	mac_field(&h, prev);
	snprintf(num, sizeof(num), "%lld:%lld", (long long)seq,
	    (long long)time);
	mac_field(&h, num);
	mac_field(&h, ev->actor);
	mac_field(&h, ev->event);
	mac_field(&h, ev->zone_from);
	mac_field(&h, ev->zone_to);
	mac_field(&h, ev->object_sha);
	mac_field(&h, ev->object_name);
	mac_field(&h, ev->verdict);
	mac_field(&h, ev->findings);
	mac_field(&h, ev->detail);
	crypto_auth_hmacsha256_final(&h, mac);
	sodium_bin2hex(hex, 65, mac, sizeof(mac));
}

/* Signature of a checkpoint (the MAC the first kept record chains to). */
static void
checkpoint_sig(const struct store *st, int64_t seq, const char *mac,
    char hex[65])
{
	struct audit_event ev = { .event = "checkpoint" };

	audit_mac(st, mac, seq, 0, &ev, hex);
}

/* The chain head: last record's seq and MAC, else the checkpoint's. */
static int
audit_head(struct store *st, int64_t *seq, char mac[65])
{
	sqlite3_stmt *s;
	char err[STORE_ERR_SIZE];
	int rc;

	*seq = 0;
	mac[0] = '\0';
	s = store_prepare(st, "SELECT seq, mac FROM audit ORDER BY seq DESC"
	    " LIMIT 1", err, sizeof(err));
	if (s == NULL)
		return -1;
	rc = sqlite3_step(s);
	if (rc == SQLITE_ROW) {
		*seq = sqlite3_column_int64(s, 0);
		snprintf(mac, 65, "%s", (const char *)sqlite3_column_text(s, 1));
	}
	sqlite3_finalize(s);
	if (rc == SQLITE_ROW)
		return 0;
	s = store_prepare(st, "SELECT seq, mac FROM checkpoints ORDER BY seq"
	    " DESC LIMIT 1", err, sizeof(err));
	if (s == NULL)
		return -1;
	if (sqlite3_step(s) == SQLITE_ROW) {
		*seq = sqlite3_column_int64(s, 0);
		snprintf(mac, 65, "%s", (const char *)sqlite3_column_text(s, 1));
	}
	sqlite3_finalize(s);
	return 0;
}

void
audit_write_anchor(struct store *st, int64_t seq, const char *mac)
{
	char path[4096], tmp[4200], line[128];
	int fd, n;

	snprintf(path, sizeof(path), "%s/audit.anchor", st->dir);
	snprintf(tmp, sizeof(tmp), "%s.tmp", path);
	n = snprintf(line, sizeof(line), "%lld %s\n", (long long)seq, mac);
	fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	if (fd >= 0) {
		if (write(fd, line, (size_t)n) == n && fsync(fd) == 0 &&
		    close(fd) == 0)
			(void)rename(tmp, path);
		else
			close(fd);
	}
	/* A second witness outside the store folder: the head in syslog. */
	openlog("sanso", LOG_NDELAY, LOG_AUTHPRIV);
	syslog(LOG_INFO, "audit head seq=%lld mac=%s", (long long)seq, mac);
	closelog();
}

static int
audit_insert(struct store *st, const struct audit_event *ev, int64_t *seq_r,
    char mac[65], char *err, size_t err_size)
{
	sqlite3_stmt *s;
	int64_t seq, now = time(NULL);
	char prev[65];
	int rc;

	if (audit_head(st, &seq, prev) < 0) {
		snprintf(err, err_size, "cannot read audit head: %s",
		    sqlite3_errmsg(st->db));
		return -1;
	}
	seq++;
	audit_mac(st, prev, seq, now, ev, mac);
	s = store_prepare(st, "INSERT INTO audit(seq, time, actor, event,"
	    " zone_from, zone_to, object_sha, object_name, verdict, findings,"
	    " detail, mac) VALUES (?,?,?,?,?,?,?,?,?,?,?,?)", err, err_size);
	if (s == NULL)
		return -1;
	sqlite3_bind_int64(s, 1, seq);
	sqlite3_bind_int64(s, 2, now);
	sqlite3_bind_text(s, 3, ev->actor, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(s, 4, ev->event, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(s, 5, ev->zone_from, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(s, 6, ev->zone_to, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(s, 7, ev->object_sha, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(s, 8, ev->object_name, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(s, 9, ev->verdict, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(s, 10, ev->findings, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(s, 11, ev->detail, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(s, 12, mac, -1, SQLITE_TRANSIENT);
	rc = sqlite3_step(s);
	sqlite3_finalize(s);
	if (rc != SQLITE_DONE) {
		snprintf(err, err_size, "cannot append audit record: %s",
		    sqlite3_errmsg(st->db));
		return -1;
	}
	*seq_r = seq;
	st->pending_seq = seq;
	snprintf(st->pending_mac, sizeof(st->pending_mac), "%s", mac);
	return 0;
}

int
audit_append(struct store *st, const struct audit_event *ev, char *err,
    size_t err_size)
{
	int64_t seq;
	char mac[65];

	if (ev->actor == NULL || ev->event == NULL) {
		snprintf(err, err_size, "audit record needs actor and event");
		return -1;
	}
	/* Inside a store operation the record joins its transaction, and
	   store_commit() moves the anchor. */
	if (st->in_tx)
		return audit_insert(st, ev, &seq, mac, err, err_size);
	if (store_begin(st, err, err_size) < 0)
		return -1;
	if (audit_insert(st, ev, &seq, mac, err, err_size) < 0) {
		store_rollback(st);
		return -1;
	}
	return store_commit(st, err, err_size);
}

static void
event_from_row(sqlite3_stmt *s, struct arena *a, struct audit_event *ev,
    int first)
{
	const char **f[] = { &ev->actor, &ev->event, &ev->zone_from,
	    &ev->zone_to, &ev->object_sha, &ev->object_name, &ev->verdict,
	    &ev->findings, &ev->detail };
	size_t i;

	for (i = 0; i < sizeof(f) / sizeof(f[0]); i++) {
		const unsigned char *t = sqlite3_column_text(s, first + (int)i);

		*f[i] = t != NULL ? arena_strdup(a, (const char *)t) : NULL;
	}
}

#define AUDIT_COLS "seq, time, actor, event, zone_from, zone_to," \
	" object_sha, object_name, verdict, findings, detail, mac"

/* Read the anchor file; -1 seq when there is none. */
static void
read_anchor(struct store *st, int64_t *seq, char mac[65])
{
	char path[4096];
	long long s = -1;
	FILE *fp;

	*seq = -1;
	mac[0] = '\0';
	snprintf(path, sizeof(path), "%s/audit.anchor", st->dir);
	fp = fopen(path, "r");
	if (fp == NULL)
		return;
	if (fscanf(fp, "%lld %64s", &s, mac) == 2)
		*seq = s;
	fclose(fp);
}

static int
verify_checkpoint(struct store *st, struct audit_verify *res, char prev[65])
{
	char err[STORE_ERR_SIZE], sig[65];
	sqlite3_stmt *s;

	prev[0] = '\0';
	s = store_prepare(st, "SELECT seq, mac, sig FROM checkpoints ORDER BY"
	    " seq DESC LIMIT 1", err, sizeof(err));
	if (s == NULL)
		return -1;
	if (sqlite3_step(s) == SQLITE_ROW) {
		res->checkpoint_seq = sqlite3_column_int64(s, 0);
		snprintf(prev, 65, "%s", (const char *)sqlite3_column_text(s, 1));
		checkpoint_sig(st, res->checkpoint_seq, prev, sig);
		if (strcmp(sig, (const char *)sqlite3_column_text(s, 2)) != 0) {
			res->ok = false;
			res->first_bad = res->checkpoint_seq;
			snprintf(res->reason, sizeof(res->reason),
			    "checkpoint at %lld has a bad signature",
			    (long long)res->checkpoint_seq);
		}
	}
	sqlite3_finalize(s);
	return 0;
}

int
audit_verify(struct store *st, struct audit_verify *res)
{
	struct arena *a = arena_create(64u << 20);
	struct audit_event ev;
	char err[STORE_ERR_SIZE], prev[65], mac[65], amac[65];
	sqlite3_stmt *s;
	int64_t expect;
	int rc;

	memset(res, 0, sizeof(*res));
	res->ok = true;
	res->first_bad = -1;
	if (a == NULL || verify_checkpoint(st, res, prev) < 0) {
		arena_destroy(a);
		return -1;
	}
	expect = res->checkpoint_seq + 1;
	res->head_seq = res->checkpoint_seq;
	s = store_prepare(st, "SELECT " AUDIT_COLS " FROM audit ORDER BY seq",
	    err, sizeof(err));
	if (s == NULL) {
		arena_destroy(a);
		return -1;
	}
	while (res->ok && (rc = sqlite3_step(s)) == SQLITE_ROW) {
		int64_t seq = sqlite3_column_int64(s, 0);

		event_from_row(s, a, &ev, 2);
		res->records++;
		if (seq != expect) {
			res->ok = false;
			res->first_bad = seq < expect ? seq : expect;
			snprintf(res->reason, sizeof(res->reason), seq > expect ?
			    "record %lld is missing (deleted)" :
			    "record %lld is out of order", (long long)
			    res->first_bad);
			break;
		}
		audit_mac(st, prev, seq, sqlite3_column_int64(s, 1), &ev, mac);
		if (strcmp(mac, (const char *)sqlite3_column_text(s, 11)) != 0) {
			res->ok = false;
			res->first_bad = seq;
			snprintf(res->reason, sizeof(res->reason),
			    "record %lld was changed, inserted or reordered"
			    " (MAC mismatch)", (long long)seq);
			break;
		}
		snprintf(prev, sizeof(prev), "%s", mac);
		res->head_seq = seq;
		expect++;
	}
	sqlite3_finalize(s);
	arena_destroy(a);
	read_anchor(st, &res->anchor_seq, amac);
	if (!res->ok)
		return 0;
	if (res->anchor_seq > res->head_seq) {
		res->ok = false;
		res->first_bad = res->head_seq + 1;
		snprintf(res->reason, sizeof(res->reason), "log ends at %lld but"
		    " the anchor saw %lld: the tail was cut",
		    (long long)res->head_seq, (long long)res->anchor_seq);
	} else if (res->anchor_seq == res->head_seq && res->head_seq > 0 &&
	    strcmp(amac, prev) != 0) {
		res->ok = false;
		res->first_bad = res->head_seq;
		snprintf(res->reason, sizeof(res->reason), "last record %lld"
		    " differs from the anchor", (long long)res->head_seq);
	} else if (res->head_seq > 0 && res->anchor_seq < res->head_seq) {
		/* A crash between a commit and its anchor write leaves the
		   anchor one step behind a valid chain: bring it forward. */
		audit_write_anchor(st, res->head_seq, prev);
		res->anchor_seq = res->head_seq;
	}
	return 0;
}

struct store_iter *
audit_records_init(struct store *st, int64_t since, int64_t until)
{
	char err[STORE_ERR_SIZE];
	sqlite3_stmt *s = store_prepare(st, "SELECT " AUDIT_COLS " FROM audit"
	    " WHERE time >= ?1 AND (?2 = 0 OR time < ?2) ORDER BY seq", err,
	    sizeof(err));

	if (s != NULL) {
		sqlite3_bind_int64(s, 1, since);
		sqlite3_bind_int64(s, 2, until);
	}
	return store_iter_new(st, s);
}

int
audit_records_next(struct store_iter *it, struct arena *arena,
    struct audit_record *rec)
{
	int rc = sqlite3_step(it->stmt);

	if (rc != SQLITE_ROW)
		return rc == SQLITE_DONE ? 0 : -1;
	rec->seq = sqlite3_column_int64(it->stmt, 0);
	rec->time = sqlite3_column_int64(it->stmt, 1);
	event_from_row(it->stmt, arena, &rec->ev, 2);
	snprintf(rec->mac, sizeof(rec->mac), "%s",
	    (const char *)sqlite3_column_text(it->stmt, 11));
	return 1;
}

int
audit_prune(struct store *st, int64_t before, uint64_t *count_r, char *err,
    size_t err_size)
{
	struct audit_verify v;
	struct audit_event ev = { 0 };
	sqlite3_stmt *s;
	int64_t last = 0;
	char mac[65] = "", sig[65], detail[96];
	int rc;

	*count_r = 0;
	/* Never cut a chain that is already broken: that would hide it. */
	if (audit_verify(st, &v) < 0 || !v.ok) {
		snprintf(err, err_size, "audit log does not verify; not pruning%s%s",
		    v.reason[0] ? ": " : "", v.reason);
		return -1;
	}
	if (store_begin(st, err, err_size) < 0)
		return -1;
	s = store_prepare(st, "SELECT seq, mac FROM audit WHERE time < ?"
	    " ORDER BY seq DESC LIMIT 1", err, err_size);
	if (s == NULL)
		goto fail;
	sqlite3_bind_int64(s, 1, before);
	rc = sqlite3_step(s);
	if (rc == SQLITE_ROW) {
		last = sqlite3_column_int64(s, 0);
		snprintf(mac, sizeof(mac), "%s",
		    (const char *)sqlite3_column_text(s, 1));
	}
	sqlite3_finalize(s);
	if (last > 0) {
		checkpoint_sig(st, last, mac, sig);
		s = store_prepare(st, "INSERT INTO checkpoints(seq, mac, time,"
		    " sig) VALUES (?,?,?,?)", err, err_size);
		if (s == NULL)
			goto fail;
		sqlite3_bind_int64(s, 1, last);
		sqlite3_bind_text(s, 2, mac, -1, SQLITE_TRANSIENT);
		sqlite3_bind_int64(s, 3, time(NULL));
		sqlite3_bind_text(s, 4, sig, -1, SQLITE_TRANSIENT);
		rc = sqlite3_step(s);
		sqlite3_finalize(s);
		if (rc != SQLITE_DONE)
			goto fail;
		s = store_prepare(st, "DELETE FROM audit WHERE seq <= ?", err,
		    err_size);
		if (s == NULL)
			goto fail;
		sqlite3_bind_int64(s, 1, last);
		rc = sqlite3_step(s);
		sqlite3_finalize(s);
		if (rc != SQLITE_DONE)
			goto fail;
		*count_r = (uint64_t)sqlite3_changes(st->db);
	}
	snprintf(detail, sizeof(detail), "%llu records before %lld pruned",
	    (unsigned long long)*count_r, (long long)before);
	ev.actor = "sanso";
	ev.event = "log.pruned";
	ev.detail = detail;
	if (audit_append(st, &ev, err, err_size) < 0)
		goto fail;
	return store_commit(st, err, err_size);
fail:
	if (err[0] == '\0')
		snprintf(err, err_size, "%s", sqlite3_errmsg(st->db));
	store_rollback(st);
	return -1;
}
