/* test-store - blobs are whole and checked, items and their history,
   the four-eyes rules, and the audit chain over a fresh store. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "audit.h"
#include "blobstore.h"
#include "hash.h"
#include "store.h"

static char dir[64];

static int
setup(void **state)
{
	snprintf(dir, sizeof(dir), "/tmp/sanso-test-store-XXXXXX");
	assert_non_null(mkdtemp(dir));
	return 0;
}

static int
teardown(void **state)
{
	char cmd[128];

	snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
	return system(cmd) == 0 ? 0 : -1;
}

static void
test_blobs(void **state)
{
	struct buffer b;
	char sha[65], path[4096];
	FILE *fp;

	assert_int_equal(blob_init(dir), 0);
	assert_int_equal(blob_put(dir, "hello", 5, sha), 0);
	assert_string_equal(sha,
	    "2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824");
	assert_int_equal(blob_put(dir, "hello", 5, sha), 0);	/* idempotent */
	buffer_init(&b, 1024);
	assert_int_equal(blob_get(dir, sha, &b), 0);
	assert_memory_equal(b.data, "hello", 5);
	/* A changed blob is refused, never returned. */
	assert_int_equal(blob_path(dir, sha, path, sizeof(path)), 0);
	fp = fopen(path, "w");
	fputs("jello", fp);
	fclose(fp);
	buffer_reset(&b);
	assert_int_equal(blob_get(dir, sha, &b), -1);
	assert_int_equal(errno, EBADMSG);
	assert_int_equal(blob_path(dir, "../etc/passwd", path, sizeof(path)), -1);
	buffer_free(&b);
}

static void
test_items_and_four_eyes(void **state)
{
	struct store_new_item it = { "file", "internet", "a.docm", NULL, "docm",
	    "sanitized", "[]", 30, NULL, NULL };
	char err[STORE_ERR_SIZE], id[STORE_ID_LEN + 1];
	struct store *st = store_open(dir, err, sizeof(err));
	struct arena *a = arena_create(1 << 20);
	struct store_item item;
	struct store_iter *iter;
	struct store_history h;
	struct audit_verify v;
	int n = 0;

	assert_non_null(st);
	assert_int_equal(store_quarantine(st, &it, "original", 8, "sanso", id,
	    err, sizeof(err)), 0);
	assert_int_equal(store_item_get(st, id, a, &item, err, sizeof(err)), 0);
	assert_string_equal(item.state, "held");
	assert_int_equal(item.size, 8);
	assert_true(item.expires > item.time);
	assert_int_equal(store_item_get(st, "nope", a, &item, err,
	    sizeof(err)), 1);

	assert_int_equal(store_user_add(st, "op", STORE_ROLE_OPERATOR, "root",
	    err, sizeof(err)), 0);
	assert_int_equal(store_user_add(st, "ap", STORE_ROLE_APPROVER, "root",
	    err, sizeof(err)), 0);
	assert_int_equal(store_user_add(st, "ap2", STORE_ROLE_APPROVER, "root",
	    err, sizeof(err)), 0);
	assert_int_equal(store_user_add(st, "bad name", STORE_ROLE_ADMIN,
	    "root", err, sizeof(err)), -1);
	assert_int_equal(store_request_release(st, id, "ap", "case 1", err,
	    sizeof(err)), 0);
	assert_int_equal(store_approve(st, id, "ap", "/dev/null", err,
	    sizeof(err)), -1);
	assert_non_null(strstr(err, "four-eyes"));
	assert_int_equal(store_approve(st, id, "op", "/dev/null", err,
	    sizeof(err)), -1);
	assert_int_equal(store_reject(st, id, "ap2", "no", err, sizeof(err)), 0);
	assert_int_equal(store_item_get(st, id, a, &item, err, sizeof(err)), 0);
	assert_string_equal(item.state, "rejected");

	iter = store_history_init(st, id);
	while (store_history_next(iter, a, &h) == 1)
		n++;
	store_iter_deinit(&iter);
	assert_int_equal(n, 3);

	assert_int_equal(audit_verify(st, &v), 0);
	assert_true(v.ok);
	assert_true(v.records >= 7);
	assert_int_equal(v.anchor_seq, v.head_seq);
	arena_destroy(a);
	store_close(st);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_blobs, setup, teardown),
		cmocka_unit_test_setup_teardown(test_items_and_four_eyes, setup,
		    teardown),
	};
	if (hash_init() < 0)
		return 1;
	return cmocka_run_group_tests(tests, NULL, NULL);
}
