/*
 * store - SQLite (WAL) rows + durable blobs + four-eyes workflow.
 */
#include <errno.h>
#include <fcntl.h>
#include <sodium.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "audit.h"
#include "blobstore.h"
#include "store_private.h"

#define STORE_BUSY_MS 10000

static const char *store_schema =
	"CREATE TABLE IF NOT EXISTS items ("
	" id TEXT PRIMARY KEY, time INTEGER NOT NULL, source TEXT NOT NULL,"
	" zone TEXT, name TEXT, summary TEXT, type TEXT, verdict TEXT NOT NULL,"
	" findings TEXT, size INTEGER NOT NULL, sha256 TEXT NOT NULL,"
	" state TEXT NOT NULL, expires INTEGER NOT NULL DEFAULT 0,"
	" requested_by TEXT, request_reason TEXT);"
	"CREATE INDEX IF NOT EXISTS items_state ON items(state, time);"
	"CREATE TABLE IF NOT EXISTS item_history ("
	" item_id TEXT NOT NULL REFERENCES items(id), time INTEGER NOT NULL,"
	" actor TEXT NOT NULL, state TEXT NOT NULL, reason TEXT);"
	"CREATE INDEX IF NOT EXISTS history_item ON item_history(item_id);"
	"CREATE TABLE IF NOT EXISTS users ("
	" name TEXT PRIMARY KEY, role TEXT NOT NULL, disabled INTEGER NOT NULL"
	" DEFAULT 0, created INTEGER NOT NULL);"
	"CREATE TABLE IF NOT EXISTS audit ("
	" seq INTEGER PRIMARY KEY, time INTEGER NOT NULL, actor TEXT NOT NULL,"
	" event TEXT NOT NULL, zone_from TEXT, zone_to TEXT, object_sha TEXT,"
	" object_name TEXT, verdict TEXT, findings TEXT, detail TEXT,"
	" mac TEXT NOT NULL);"
	"CREATE TABLE IF NOT EXISTS checkpoints ("
	" seq INTEGER PRIMARY KEY, mac TEXT NOT NULL, time INTEGER NOT NULL,"
	" sig TEXT NOT NULL);";

static void
seterr(char *err, size_t size, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static void
seterr(char *err, size_t size, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(err, size, fmt, ap);
	va_end(ap);
}

/* Read the audit key, creating it (0400, root-only) on first use. */
static int
store_key(struct store *st, char *err, size_t err_size)
{
	char path[4096];
	ssize_t n;
	int fd;

	snprintf(path, sizeof(path), "%s/audit.key", st->dir);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0 && errno == ENOENT) {
		fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0400);
		if (fd >= 0) {
			crypto_auth_hmacsha256_keygen(st->key);
			if (write(fd, st->key, AUDIT_KEY_BYTES) != AUDIT_KEY_BYTES ||
			    fsync(fd) < 0) {
				close(fd);
				unlink(path);
				seterr(err, err_size, "cannot write %s: %s", path,
				    strerror(errno));
				return -1;
			}
			close(fd);
			return 0;
		}
	}
	if (fd < 0) {
		seterr(err, err_size, "cannot open %s: %s", path, strerror(errno));
		return -1;
	}
	n = read(fd, st->key, AUDIT_KEY_BYTES);
	close(fd);
	if (n != AUDIT_KEY_BYTES) {
		seterr(err, err_size, "%s is not a %d-byte key", path,
		    AUDIT_KEY_BYTES);
		return -1;
	}
	return 0;
}

struct store *
store_open(const char *dir, char *err, size_t err_size)
{
	struct store *st;
	char path[4096];
	char *msg = NULL;

	if (sodium_init() < 0) {
		seterr(err, err_size, "libsodium init failed");
		return NULL;
	}
	umask(077);
	if (blob_init(dir) < 0) {
		seterr(err, err_size, "cannot create store %s: %s", dir,
		    strerror(errno));
		return NULL;
	}
	st = calloc(1, sizeof(*st));
	if (st == NULL || (st->dir = strdup(dir)) == NULL) {
		free(st);
		seterr(err, err_size, "out of memory");
		return NULL;
	}
	if (store_key(st, err, err_size) < 0) {
		store_close(st);
		return NULL;
	}
	snprintf(path, sizeof(path), "%s/sanso.db", dir);
	if (sqlite3_open_v2(path, &st->db, SQLITE_OPEN_READWRITE |
	    SQLITE_OPEN_CREATE | SQLITE_OPEN_FULLMUTEX, NULL) != SQLITE_OK) {
		seterr(err, err_size, "cannot open %s: %s", path,
		    st->db ? sqlite3_errmsg(st->db) : "out of memory");
		store_close(st);
		return NULL;
	}
	sqlite3_busy_timeout(st->db, STORE_BUSY_MS);
	/* WAL + synchronous=FULL: a commit is on disk when it returns. */
	if (sqlite3_exec(st->db, "PRAGMA journal_mode=WAL;"
	    "PRAGMA synchronous=FULL; PRAGMA foreign_keys=ON;", NULL, NULL,
	    &msg) != SQLITE_OK ||
	    sqlite3_exec(st->db, store_schema, NULL, NULL, &msg) != SQLITE_OK) {
		seterr(err, err_size, "cannot prepare %s: %s", path,
		    msg ? msg : sqlite3_errmsg(st->db));
		sqlite3_free(msg);
		store_close(st);
		return NULL;
	}
	return st;
}

void
store_close(struct store *st)
{
	if (st == NULL)
		return;
	if (st->db != NULL)
		sqlite3_close_v2(st->db);
	sodium_memzero(st->key, sizeof(st->key));
	free(st->dir);
	free(st);
}

const char *
store_dir(const struct store *st)
{
	return st->dir;
}

int
store_begin(struct store *st, char *err, size_t err_size)
{
	if (sqlite3_exec(st->db, "BEGIN IMMEDIATE", NULL, NULL, NULL) !=
	    SQLITE_OK) {
		seterr(err, err_size, "cannot start transaction: %s",
		    sqlite3_errmsg(st->db));
		return -1;
	}
	st->in_tx = 1;
	return 0;
}

int
store_commit(struct store *st, char *err, size_t err_size)
{
	if (sqlite3_exec(st->db, "COMMIT", NULL, NULL, NULL) != SQLITE_OK) {
		seterr(err, err_size, "commit failed: %s",
		    sqlite3_errmsg(st->db));
		store_rollback(st);
		return -1;
	}
	st->in_tx = 0;
	if (st->pending_seq > 0)
		audit_write_anchor(st, st->pending_seq, st->pending_mac);
	st->pending_seq = 0;
	return 0;
}

void
store_rollback(struct store *st)
{
	(void)sqlite3_exec(st->db, "ROLLBACK", NULL, NULL, NULL);
	st->in_tx = 0;
	st->pending_seq = 0;
}

sqlite3_stmt *
store_prepare(struct store *st, const char *sql, char *err, size_t err_size)
{
	sqlite3_stmt *s = NULL;

	if (sqlite3_prepare_v2(st->db, sql, -1, &s, NULL) != SQLITE_OK) {
		seterr(err, err_size, "%s", sqlite3_errmsg(st->db));
		return NULL;
	}
	return s;
}

const char *
store_col(struct arena *arena, sqlite3_stmt *s, int col)
{
	const unsigned char *t = sqlite3_column_text(s, col);
	const char *r = arena_strdup(arena, t != NULL ? (const char *)t : "");

	return r != NULL ? r : "";
}

struct store_iter *
store_iter_new(struct store *st, sqlite3_stmt *stmt)
{
	struct store_iter *it;

	if (stmt == NULL)
		return NULL;
	it = calloc(1, sizeof(*it));
	if (it == NULL) {
		sqlite3_finalize(stmt);
		return NULL;
	}
	it->st = st;
	it->stmt = stmt;
	return it;
}

void
store_iter_deinit(struct store_iter **it)
{
	if (*it == NULL)
		return;
	sqlite3_finalize((*it)->stmt);
	free(*it);
	*it = NULL;
}

/* Run a statement with text binds (NULL allowed), expecting DONE. */
static int
exec_binds(struct store *st, const char *sql, char *err, size_t err_size,
    int n, ...)
{
	sqlite3_stmt *s = store_prepare(st, sql, err, err_size);
	va_list ap;
	int i, rc;

	if (s == NULL)
		return -1;
	va_start(ap, n);
	for (i = 1; i <= n; i++) {
		const char *v = va_arg(ap, const char *);

		sqlite3_bind_text(s, i, v, -1, SQLITE_TRANSIENT);
	}
	va_end(ap);
	rc = sqlite3_step(s);
	sqlite3_finalize(s);
	if (rc != SQLITE_DONE) {
		seterr(err, err_size, "%s", sqlite3_errmsg(st->db));
		return -1;
	}
	return 0;
}

static void
make_id(char id[STORE_ID_LEN + 1], time_t now)
{
	unsigned char rnd[8];
	struct tm tm;

	/* q + UTC time + 64 random bits: sortable, unguessable, 32 chars. */
	gmtime_r(&now, &tm);
	id[0] = 'q';
	strftime(id + 1, 15, "%Y%m%d%H%M%S", &tm);
	id[15] = '-';
	randombytes_buf(rnd, sizeof(rnd));
	sodium_bin2hex(id + 16, 17, rnd, sizeof(rnd));
}

void
store_new_id(char id[STORE_ID_LEN + 1])
{
	make_id(id, time(NULL));
}

static int
add_history(struct store *st, const char *id, int64_t now, const char *actor,
    const char *state, const char *reason, char *err, size_t err_size)
{
	sqlite3_stmt *s = store_prepare(st, "INSERT INTO item_history"
	    "(item_id, time, actor, state, reason) VALUES (?,?,?,?,?)", err,
	    err_size);
	int rc;

	if (s == NULL)
		return -1;
	sqlite3_bind_text(s, 1, id, -1, SQLITE_TRANSIENT);
	sqlite3_bind_int64(s, 2, now);
	sqlite3_bind_text(s, 3, actor, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(s, 4, state, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(s, 5, reason, -1, SQLITE_TRANSIENT);
	rc = sqlite3_step(s);
	sqlite3_finalize(s);
	if (rc != SQLITE_DONE) {
		seterr(err, err_size, "%s", sqlite3_errmsg(st->db));
		return -1;
	}
	return 0;
}

int
store_quarantine(struct store *st, const struct store_new_item *item,
    const void *data, size_t len, const char *actor,
    char id[STORE_ID_LEN + 1], char *err, size_t err_size)
{
	struct audit_event ev = { 0 };
	sqlite3_stmt *s;
	char sha[65];
	time_t now = time(NULL);
	int rc;

	if (blob_put(st->dir, data, len, sha) < 0) {
		seterr(err, err_size, "cannot store original: %s",
		    strerror(errno));
		return -1;
	}
	if (item->id != NULL && strlen(item->id) == STORE_ID_LEN)
		memcpy(id, item->id, STORE_ID_LEN + 1);
	else
		make_id(id, now);
	if (store_begin(st, err, err_size) < 0)
		return -1;
	s = store_prepare(st, "INSERT INTO items(id, time, source, zone, name,"
	    " summary, type, verdict, findings, size, sha256, state, expires)"
	    " VALUES (?,?,?,?,?,?,?,?,?,?,?,'held',?)", err, err_size);
	if (s == NULL)
		goto fail;
	sqlite3_bind_text(s, 1, id, -1, SQLITE_TRANSIENT);
	sqlite3_bind_int64(s, 2, now);
	sqlite3_bind_text(s, 3, item->source, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(s, 4, item->zone, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(s, 5, item->name, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(s, 6, item->summary, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(s, 7, item->type, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(s, 8, item->verdict, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(s, 9, item->findings_json, -1, SQLITE_TRANSIENT);
	sqlite3_bind_int64(s, 10, (sqlite3_int64)len);
	sqlite3_bind_text(s, 11, sha, -1, SQLITE_TRANSIENT);
	sqlite3_bind_int64(s, 12, item->retention_days == 0 ? 0 :
	    now + (int64_t)item->retention_days * 86400);
	rc = sqlite3_step(s);
	sqlite3_finalize(s);
	if (rc != SQLITE_DONE) {
		seterr(err, err_size, "cannot record item: %s",
		    sqlite3_errmsg(st->db));
		goto fail;
	}
	if (add_history(st, id, now, actor, "held", NULL, err, err_size) < 0)
		goto fail;
	ev.actor = actor;
	ev.event = "quarantine.stored";
	ev.zone_from = item->zone;
	ev.object_sha = sha;
	ev.object_name = item->name;
	ev.verdict = item->verdict;
	ev.detail = id;
	if (audit_append(st, &ev, err, err_size) < 0 ||
	    (item->also != NULL && audit_append(st, item->also, err,
	    err_size) < 0))
		goto fail;
	return store_commit(st, err, err_size);
fail:
	store_rollback(st);
	return -1;
}

#define ITEM_COLS "id, time, source, zone, name, summary, type, verdict," \
	" findings, size, sha256, state, expires, requested_by, request_reason"

static void
item_from_row(sqlite3_stmt *s, struct arena *a, struct store_item *it)
{
	snprintf(it->id, sizeof(it->id), "%s", store_col(a, s, 0));
	it->time = sqlite3_column_int64(s, 1);
	it->source = store_col(a, s, 2);
	it->zone = store_col(a, s, 3);
	it->name = store_col(a, s, 4);
	it->summary = store_col(a, s, 5);
	it->type = store_col(a, s, 6);
	it->verdict = store_col(a, s, 7);
	it->findings_json = store_col(a, s, 8);
	it->size = (uint64_t)sqlite3_column_int64(s, 9);
	snprintf(it->sha256, sizeof(it->sha256), "%s", store_col(a, s, 10));
	it->state = store_col(a, s, 11);
	it->expires = sqlite3_column_int64(s, 12);
	it->requested_by = store_col(a, s, 13);
	it->request_reason = store_col(a, s, 14);
}

int
store_item_get(struct store *st, const char *id, struct arena *arena,
    struct store_item *item, char *err, size_t err_size)
{
	sqlite3_stmt *s = store_prepare(st, "SELECT " ITEM_COLS
	    " FROM items WHERE id = ?", err, err_size);
	int rc;

	if (s == NULL)
		return -1;
	sqlite3_bind_text(s, 1, id, -1, SQLITE_TRANSIENT);
	rc = sqlite3_step(s);
	if (rc == SQLITE_ROW)
		item_from_row(s, arena, item);
	else if (rc != SQLITE_DONE)
		seterr(err, err_size, "%s", sqlite3_errmsg(st->db));
	sqlite3_finalize(s);
	return rc == SQLITE_ROW ? 0 : rc == SQLITE_DONE ? 1 : -1;
}

struct store_iter *
store_items_init(struct store *st, const char *state)
{
	char err[STORE_ERR_SIZE];
	sqlite3_stmt *s = store_prepare(st, "SELECT " ITEM_COLS " FROM items"
	    " WHERE ?1 IS NULL OR state = ?1 ORDER BY time DESC, id DESC", err,
	    sizeof(err));

	if (s != NULL)
		sqlite3_bind_text(s, 1, state, -1, SQLITE_TRANSIENT);
	return store_iter_new(st, s);
}

int
store_items_next(struct store_iter *it, struct arena *arena,
    struct store_item *item)
{
	int rc = sqlite3_step(it->stmt);

	if (rc == SQLITE_ROW) {
		item_from_row(it->stmt, arena, item);
		return 1;
	}
	return rc == SQLITE_DONE ? 0 : -1;
}

struct store_iter *
store_history_init(struct store *st, const char *id)
{
	char err[STORE_ERR_SIZE];
	sqlite3_stmt *s = store_prepare(st, "SELECT time, actor, state, reason"
	    " FROM item_history WHERE item_id = ? ORDER BY rowid", err,
	    sizeof(err));

	if (s != NULL)
		sqlite3_bind_text(s, 1, id, -1, SQLITE_TRANSIENT);
	return store_iter_new(st, s);
}

int
store_history_next(struct store_iter *it, struct arena *arena,
    struct store_history *h)
{
	int rc = sqlite3_step(it->stmt);

	if (rc != SQLITE_ROW)
		return rc == SQLITE_DONE ? 0 : -1;
	h->time = sqlite3_column_int64(it->stmt, 0);
	h->actor = store_col(arena, it->stmt, 1);
	h->state = store_col(arena, it->stmt, 2);
	h->reason = store_col(arena, it->stmt, 3);
	return 1;
}

const char *
store_role_name(enum store_role role)
{
	switch (role) {
	case STORE_ROLE_OPERATOR:
		return "operator";
	case STORE_ROLE_APPROVER:
		return "approver";
	case STORE_ROLE_AUDITOR:
		return "auditor";
	case STORE_ROLE_ADMIN:
		return "admin";
	}
	return "operator";
}

int
store_role_parse(const char *name, enum store_role *role_r)
{
	enum store_role r;

	for (r = STORE_ROLE_OPERATOR; r <= STORE_ROLE_ADMIN; r++) {
		if (strcmp(store_role_name(r), name) == 0) {
			*role_r = r;
			return 0;
		}
	}
	return -1;
}

/* Look up an enabled account; 0 ok, -1 refused (err says why). */
static int
user_check(struct store *st, const char *name, enum store_role *role_r,
    char *err, size_t err_size)
{
	sqlite3_stmt *s = store_prepare(st, "SELECT role, disabled FROM users"
	    " WHERE name = ?", err, err_size);
	int rc, ret = -1;

	if (s == NULL)
		return -1;
	sqlite3_bind_text(s, 1, name, -1, SQLITE_TRANSIENT);
	rc = sqlite3_step(s);
	if (rc != SQLITE_ROW)
		seterr(err, err_size, "unknown account %s", name);
	else if (sqlite3_column_int(s, 1) != 0)
		seterr(err, err_size, "account %s is disabled", name);
	else if (store_role_parse((const char *)sqlite3_column_text(s, 0),
	    role_r) < 0)
		seterr(err, err_size, "account %s has an unknown role", name);
	else
		ret = 0;
	sqlite3_finalize(s);
	return ret;
}

/* Audit a refused step in its own transaction, keeping err intact. */
static void
audit_refusal(struct store *st, const char *event, const char *by,
    const char *id, const char *why)
{
	struct audit_event ev = { 0 };
	char e2[STORE_ERR_SIZE];

	if (st->in_tx)
		store_rollback(st);
	ev.actor = by;
	ev.event = event;
	ev.object_name = id;
	ev.detail = why;
	(void)audit_append(st, &ev, e2, sizeof(e2));
}

/* Change an item's state inside a transaction, with history + audit. */
static int
item_transition(struct store *st, const char *id, const char *by,
    const char *from_state, const char *to_state, const char *reason,
    const char *event, const char *sha, char *err, size_t err_size)
{
	struct audit_event ev = { 0 };
	int64_t now = time(NULL);

	if (exec_binds(st, "UPDATE items SET state = ? WHERE id = ? AND"
	    " state = ?", err, err_size, 3, to_state, id, from_state) < 0)
		return -1;
	if (sqlite3_changes(st->db) == 0) {
		seterr(err, err_size, "item %s is not %s", id, from_state);
		return -1;
	}
	if (add_history(st, id, now, by, to_state, reason, err, err_size) < 0)
		return -1;
	ev.actor = by;
	ev.event = event;
	ev.object_sha = sha;
	ev.object_name = id;
	ev.detail = reason;
	return audit_append(st, &ev, err, err_size);
}

int
store_request_release(struct store *st, const char *id, const char *by,
    const char *reason, char *err, size_t err_size)
{
	struct arena *a = arena_create(1 << 20);
	struct store_item it;
	enum store_role role;
	int rc = -1;

	if (a == NULL || store_begin(st, err, err_size) < 0)
		goto out;
	if (user_check(st, by, &role, err, err_size) < 0)
		goto refuse;
	if (role == STORE_ROLE_AUDITOR) {
		seterr(err, err_size, "account %s (auditor) may not request"
		    " releases", by);
		goto refuse;
	}
	if (reason == NULL || reason[0] == '\0') {
		seterr(err, err_size, "a reason is required");
		goto refuse;
	}
	rc = store_item_get(st, id, a, &it, err, err_size);
	if (rc != 0) {
		if (rc == 1)
			seterr(err, err_size, "no item %s", id);
		rc = -1;
		goto refuse;
	}
	rc = -1;
	if (exec_binds(st, "UPDATE items SET requested_by = ?,"
	    " request_reason = ? WHERE id = ?", err, err_size, 3, by, reason,
	    id) < 0 ||
	    item_transition(st, id, by, "held", "release-requested", reason,
	    "release.requested", it.sha256, err, err_size) < 0)
		goto refuse;
	rc = store_commit(st, err, err_size);
	goto out;
refuse:
	audit_refusal(st, "release.request-refused", by, id, err);
out:
	arena_destroy(a);
	return rc;
}

/* Check that by may decide on item id's request. */
static int
decider_check(struct store *st, const char *id, const char *by,
    struct arena *a, struct store_item *it, char *err, size_t err_size)
{
	enum store_role role;
	int rc;

	if (user_check(st, by, &role, err, err_size) < 0)
		return -1;
	if (role != STORE_ROLE_APPROVER && role != STORE_ROLE_ADMIN) {
		seterr(err, err_size, "account %s (%s) may not approve or reject",
		    by, store_role_name(role));
		return -1;
	}
	rc = store_item_get(st, id, a, it, err, err_size);
	if (rc != 0) {
		if (rc == 1)
			seterr(err, err_size, "no item %s", id);
		return -1;
	}
	if (strcmp(it->state, "release-requested") != 0) {
		seterr(err, err_size, "item %s is %s, not release-requested",
		    id, it->state);
		return -1;
	}
	/* 兼務の禁止 (1.(8)①): the one who asked never decides. */
	if (strcmp(it->requested_by, by) == 0) {
		seterr(err, err_size, "%s requested this release and may not"
		    " decide on it (four-eyes rule)", by);
		return -1;
	}
	return 0;
}

int
store_approve(struct store *st, const char *id, const char *by,
    const char *out_path, char *err, size_t err_size)
{
	struct arena *a = arena_create(1 << 20);
	struct store_item it;
	struct buffer blob;
	char tmp[4096];
	int fd, rc = -1;

	buffer_init(&blob, SIZE_MAX / 2);
	if (a == NULL || store_begin(st, err, err_size) < 0)
		goto out;
	if (decider_check(st, id, by, a, &it, err, err_size) < 0)
		goto refuse;
	if (blob_get(st->dir, it.sha256, &blob) < 0) {
		seterr(err, err_size, "original %s unreadable: %s", it.sha256,
		    strerror(errno));
		goto refuse;
	}
	snprintf(tmp, sizeof(tmp), "%s.sanso-tmp", out_path);
	fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	if (fd < 0 || write(fd, blob.data, blob.used) != (ssize_t)blob.used ||
	    fsync(fd) < 0 || close(fd) < 0 || rename(tmp, out_path) < 0) {
		seterr(err, err_size, "cannot write %s: %s", out_path,
		    strerror(errno));
		if (fd >= 0)
			unlink(tmp);
		goto refuse;
	}
	if (item_transition(st, id, by, "release-requested", "released",
	    out_path, "release.approved", it.sha256, err, err_size) < 0) {
		unlink(out_path);
		goto refuse;
	}
	rc = store_commit(st, err, err_size);
	if (rc < 0)
		unlink(out_path);
	goto out;
refuse:
	audit_refusal(st, "release.approve-refused", by, id, err);
out:
	buffer_free(&blob);
	arena_destroy(a);
	return rc;
}

int
store_reject(struct store *st, const char *id, const char *by,
    const char *reason, char *err, size_t err_size)
{
	struct arena *a = arena_create(1 << 20);
	struct store_item it;
	int rc = -1;

	if (a == NULL || store_begin(st, err, err_size) < 0)
		goto out;
	if (reason == NULL || reason[0] == '\0') {
		seterr(err, err_size, "a reason is required");
		goto refuse;
	}
	if (decider_check(st, id, by, a, &it, err, err_size) < 0 ||
	    item_transition(st, id, by, "release-requested", "rejected",
	    reason, "release.rejected", it.sha256, err, err_size) < 0)
		goto refuse;
	rc = store_commit(st, err, err_size);
	goto out;
refuse:
	audit_refusal(st, "release.reject-refused", by, id, err);
out:
	arena_destroy(a);
	return rc;
}

int
store_expire(struct store *st, int64_t now, char *err, size_t err_size)
{
	struct audit_event ev = { 0 };
	char detail[64];
	sqlite3_stmt *s;
	int n;

	if (store_begin(st, err, err_size) < 0)
		return -1;
	s = store_prepare(st, "INSERT INTO item_history(item_id, time, actor,"
	    " state, reason) SELECT id, ?1, 'sanso', 'expired', 'retention'"
	    " FROM items WHERE state = 'held' AND expires > 0 AND expires <= ?1",
	    err, err_size);
	if (s == NULL)
		goto fail;
	sqlite3_bind_int64(s, 1, now);
	if (sqlite3_step(s) != SQLITE_DONE) {
		sqlite3_finalize(s);
		goto fail;
	}
	sqlite3_finalize(s);
	s = store_prepare(st, "UPDATE items SET state = 'expired' WHERE"
	    " state = 'held' AND expires > 0 AND expires <= ?", err, err_size);
	if (s == NULL)
		goto fail;
	sqlite3_bind_int64(s, 1, now);
	if (sqlite3_step(s) != SQLITE_DONE) {
		sqlite3_finalize(s);
		goto fail;
	}
	sqlite3_finalize(s);
	n = sqlite3_changes(st->db);
	snprintf(detail, sizeof(detail), "%d items", n);
	ev.actor = "sanso";
	ev.event = "quarantine.expired";
	ev.detail = detail;
	if (n > 0 && audit_append(st, &ev, err, err_size) < 0)
		goto fail;
	return store_commit(st, err, err_size) < 0 ? -1 : n;
fail:
	if (err[0] == '\0')
		seterr(err, err_size, "%s", sqlite3_errmsg(st->db));
	store_rollback(st);
	return -1;
}

int
store_user_add(struct store *st, const char *name, enum store_role role,
    const char *actor, char *err, size_t err_size)
{
	struct audit_event ev = { 0 };
	char created[32];
	size_t i;

	for (i = 0; name[i] != '\0'; i++) {
		if (!(name[i] == '-' || name[i] == '_' || name[i] == '.' ||
		    (name[i] >= 'a' && name[i] <= 'z') ||
		    (name[i] >= 'A' && name[i] <= 'Z') ||
		    (name[i] >= '0' && name[i] <= '9')) || i >= 64) {
			seterr(err, err_size, "account names use a-z A-Z 0-9"
			    " . _ - (at most 64)");
			return -1;
		}
	}
	if (i == 0) {
		seterr(err, err_size, "empty account name");
		return -1;
	}
	if (store_begin(st, err, err_size) < 0)
		return -1;
	snprintf(created, sizeof(created), "%lld", (long long)time(NULL));
	if (exec_binds(st, "INSERT INTO users(name, role, created) VALUES"
	    " (?, ?, CAST(? AS INTEGER))", err, err_size, 3, name,
	    store_role_name(role), created) < 0) {
		if (strstr(err, "UNIQUE") != NULL)
			seterr(err, err_size, "account %s exists", name);
		store_rollback(st);
		return -1;
	}
	ev.actor = actor;
	ev.event = "user.added";
	ev.object_name = name;
	ev.detail = store_role_name(role);
	if (audit_append(st, &ev, err, err_size) < 0) {
		store_rollback(st);
		return -1;
	}
	return store_commit(st, err, err_size);
}

int
store_user_disable(struct store *st, const char *name, const char *actor,
    char *err, size_t err_size)
{
	struct audit_event ev = { 0 };

	if (store_begin(st, err, err_size) < 0)
		return -1;
	if (exec_binds(st, "UPDATE users SET disabled = 1 WHERE name = ?",
	    err, err_size, 1, name) < 0)
		goto fail;
	if (sqlite3_changes(st->db) == 0) {
		seterr(err, err_size, "unknown account %s", name);
		goto fail;
	}
	ev.actor = actor;
	ev.event = "user.disabled";
	ev.object_name = name;
	if (audit_append(st, &ev, err, err_size) < 0)
		goto fail;
	return store_commit(st, err, err_size);
fail:
	store_rollback(st);
	return -1;
}

struct store_iter *
store_users_init(struct store *st)
{
	char err[STORE_ERR_SIZE];

	return store_iter_new(st, store_prepare(st, "SELECT name, role,"
	    " disabled, created FROM users ORDER BY name", err, sizeof(err)));
}

int
store_users_next(struct store_iter *it, struct arena *arena,
    struct store_user *u)
{
	int rc = sqlite3_step(it->stmt);

	if (rc != SQLITE_ROW)
		return rc == SQLITE_DONE ? 0 : -1;
	u->name = store_col(arena, it->stmt, 0);
	if (store_role_parse(store_col(arena, it->stmt, 1), &u->role) < 0)
		u->role = STORE_ROLE_OPERATOR;
	u->disabled = sqlite3_column_int(it->stmt, 2) != 0;
	u->created = sqlite3_column_int64(it->stmt, 3);
	return 1;
}
