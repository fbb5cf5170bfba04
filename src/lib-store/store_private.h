/*
 * store_private - what store.c and audit.c share: the open database,
 * the audit key and the transaction helpers. Not for other modules.
 */
#ifndef SANSO_STORE_PRIVATE_H
#define SANSO_STORE_PRIVATE_H

#include <sqlite3.h>

#include "store.h"

#define AUDIT_KEY_BYTES 32

struct store {
	char *dir;
	sqlite3 *db;
	unsigned char key[AUDIT_KEY_BYTES];
	int in_tx;
	/* Head appended in the open transaction: the anchor is written
	   once the transaction commits. */
	int64_t pending_seq;
	char pending_mac[65];
};

struct store_iter {
	struct store *st;
	sqlite3_stmt *stmt;
};

/* BEGIN IMMEDIATE / COMMIT / ROLLBACK; 0 or -1 with err. */
int store_begin(struct store *st, char *err, size_t err_size);
int store_commit(struct store *st, char *err, size_t err_size);
void store_rollback(struct store *st);
/* Prepare a statement; NULL with err set. */
sqlite3_stmt *store_prepare(struct store *st, const char *sql, char *err,
    size_t err_size);
/* Write the anchor after a committed append (seq, mac hex). */
void audit_write_anchor(struct store *st, int64_t seq, const char *mac);
/* Copy a column as a string into the arena ("" for NULL). */
const char *store_col(struct arena *arena, sqlite3_stmt *s, int col);
struct store_iter *store_iter_new(struct store *st, sqlite3_stmt *stmt);

#endif
