/* test-policy - sizes, mapping onto limits/options, and bad files that
   must give an error with a line number, never a crash. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "policy.h"

static char *
write_tmp(const char *text)
{
	static char path[64];
	FILE *fp;
	int fd;

	snprintf(path, sizeof(path), "/tmp/sanso-policy-XXXXXX");
	fd = mkstemp(path);
	assert_true(fd >= 0);
	fp = fdopen(fd, "w");
	fputs(text, fp);
	fclose(fp);
	return path;
}

static void
test_sizes(void **state)
{
	uint64_t b;

	assert_int_equal(policy_parse_size("100MB", &b), 0);
	assert_int_equal(b, 100ULL << 20);
	assert_int_equal(policy_parse_size("20 MiB", &b), 0);
	assert_int_equal(b, 20ULL << 20);
	assert_int_equal(policy_parse_size("512k", &b), 0);
	assert_int_equal(b, 512ULL << 10);
	assert_int_equal(policy_parse_size("7", &b), 0);
	assert_int_equal(b, 7);
	assert_int_equal(policy_parse_size("12XB", &b), -1);
	assert_int_equal(policy_parse_size("MB", &b), -1);
	assert_int_equal(policy_parse_size("99999999999999999999G", &b), -1);
}

static void
test_apply(void **state)
{
	char err[512];
	char *path = write_tmp(
	    "organization: 小諸市\n"
	    "zones:\n  lgwan: {networks: [10.20.0.0/16]}\n"
	    "mail: {max_size: 20MB, links: remove, attachments: remove}\n"
	    "av: {clamd: /run/clamav/clamd.ctl, required: true}\n"
	    "limits: {file_size: 10MB, archive_depth: 3, archive_ratio: 50}\n"
	    "store: {dir: /srv/sanso, retention_days: 90}\n"
	    "log: {retention_days: 1825, syslog: \"udp://127.0.0.1:514\"}\n");
	struct policy *p = policy_load(path, err, sizeof(err));
	struct limits l;
	struct cdr_options o;
	const char *clamd = NULL;
	bool req = false;

	unlink(path);
	assert_non_null(p);
	limits_init(&l);
	cdr_options_init(&o);
	assert_int_equal(policy_apply(p, &l, &o, &clamd, &req, err,
	    sizeof(err)), 0);
	assert_int_equal(l.file_size, 10ULL << 20);
	assert_int_equal(l.archive_depth, 3);
	assert_int_equal(l.archive_ratio, 50);
	assert_int_equal(l.archive_entries, LIMIT_ARCHIVE_ENTRIES_DEFAULT);
	assert_int_equal(o.links, LINKS_REMOVE);
	assert_string_equal(clamd, "/run/clamav/clamd.ctl");
	assert_true(req);
	assert_string_equal(p->store->dir, "/srv/sanso");
	assert_int_equal(p->store->retention_days, 90);
	assert_int_equal(p->log->retention_days, 1825);
	policy_free(p);
}

static void
test_bad_files(void **state)
{
	static const struct {
		const char *text, *want;
	} cases[] = {
		{ "limits:\n  archive_depth: lots\n", "line: 2" },
		{ "limits:\n  file_size: 1MB\n  archive_dpth: 3\n", "archive_dpth" },
		{ "limits: [1\n", "line: 1" },
		{ "av: {required: maybe}\n", "required" },
		{ "\t- nonsense: [\n", "" },
	};
	char err[512];
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char *path = write_tmp(cases[i].text);
		struct policy *p = policy_load(path, err, sizeof(err));

		unlink(path);
		assert_null(p);
		assert_non_null(strstr(err, cases[i].want));
	}
}

static void
test_bad_values(void **state)
{
	char err[512];
	char *path = write_tmp("limits: {file_size: 12XB}\nmail: {links: maybe}\n");
	struct policy *p = policy_load(path, err, sizeof(err));
	struct limits l;
	struct cdr_options o;
	const char *clamd = NULL;
	bool req = false;

	unlink(path);
	assert_non_null(p);
	limits_init(&l);
	cdr_options_init(&o);
	assert_int_equal(policy_apply(p, &l, &o, &clamd, &req, err,
	    sizeof(err)), -1);
	assert_non_null(strstr(err, "limits.file_size"));
	policy_free(p);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_sizes),
		cmocka_unit_test(test_apply),
		cmocka_unit_test(test_bad_files),
		cmocka_unit_test(test_bad_values),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
