/* test-policy - sizes, durations, mapping onto limits/options, the
   enumerated keys and their defaults, zone lookup, and bad files that
   must give an error with file:line:column, never a crash. */
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

/* Bad files: refused at load with file:line:column and the key. */
static void
test_bad_files(void **state)
{
	static const struct {
		const char *text, *want;
	} cases[] = {
		{ "limits:\n  archive_depth: lots\n", ":2:18: limits.archive_depth" },
		{ "limits:\n  file_size: 1MB\n  archive_dpth: 3\n", "archive_dpth" },
		{ "limits: [1\n", ":2:1: YAML syntax" },
		{ "av: {required: maybe}\n", ":1:16: av.required" },
		{ "\t- nonsense: [\n", ":1:1: YAML syntax" },
		{ "mail: {links: maybe}\n", ":1:8: mail.links: \"maybe\" is not one of" },
		{ "mail:\n  attachments: remve\n", ":2:3: mail.attachments" },
		{ "mail:\n  outbound: {auto_forward: drop}\n",
		    "mail.outbound.auto_forward" },
		{ "mail: {max_size: 20XB}\n", ":1:8: mail.max_size: not a size" },
		{ "limits: {file_size: 12XB}\n", ":1:10: limits.file_size" },
		{ "console: {idle_timeout: 15}\n", "console.idle_timeout: not a duration" },
		{ "hosts:\n  - {name: a, zone: lgwn}\n", ":2:15: hosts[0].zone" },
		{ "flows:\n  - {from: a, to: b}\n  - {from: a}\n",
		    ":3:5: flows[1]: Missing required mapping field: to" },
		{ "zones:\n  dmz: {networks: [10.0.0.0/8]}\n", "Unexpected key: dmz" },
		{ "a: &x [1]\nb: *x\n", "" },
		{ "", "empty policy" },
		{ "[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]\n",
		    "nested too deep" },
	};
	char err[512];
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char *path = write_tmp(cases[i].text);
		struct policy *p = policy_load(path, err, sizeof(err));

		unlink(path);
		if (p != NULL || strstr(err, cases[i].want) == NULL)
			print_error("case %zu: %s\n", i, p ? "loaded" : err);
		assert_null(p);
		assert_non_null(strstr(err, cases[i].want));
		/* Every message starts with the file name. */
		assert_memory_equal(err, "/tmp/sanso-policy-", 18);
	}
	assert_null(policy_load("/nonexistent/policy.yaml", err, sizeof(err)));
	assert_non_null(strstr(err, "No such file"));
}

/* policy_apply keeps its own guard for values set by a program. */
static void
test_bad_values(void **state)
{
	char err[512];
	char *path = write_tmp("limits: {file_size: 12MB}\n");
	struct policy *p = policy_load(path, err, sizeof(err));
	struct limits l;
	struct cdr_options o;
	const char *clamd = NULL;
	bool req = false;

	unlink(path);
	assert_non_null(p);
	free(p->limits->file_size);
	p->limits->file_size = strdup("12XB");
	limits_init(&l);
	cdr_options_init(&o);
	assert_int_equal(policy_apply(p, &l, &o, &clamd, &req, err,
	    sizeof(err)), -1);
	assert_non_null(strstr(err, "limits.file_size"));
	policy_free(p);
}

/* Absent keys read as their documented defaults; words get their ids. */
static void
test_defaults_and_words(void **state)
{
	char err[512];
	char *path = write_tmp("organization: x\n");
	struct policy *p = policy_load(path, err, sizeof(err));
	uint64_t secs;

	unlink(path);
	assert_non_null(p);
	assert_non_null(p->zones);
	assert_null(p->zones->lgwan);
	assert_non_null(p->mail);
	assert_non_null(p->mail->outbound);
	assert_string_equal(p->mail->attachments, "remove");
	assert_int_equal(p->mail->attachments_id, POLICY_ACTION_REMOVE);
	assert_null(p->mail->links);
	assert_int_equal(p->mail->links_id, POLICY_LINKS_UNSET);
	assert_string_equal(p->mail->classification_header, "X-Classification");
	assert_int_equal(p->mail->outbound->auto_forward_id, POLICY_ACTION_UNSET);
	assert_int_equal(p->classification_id, POLICY_CLASS_SEED);
	assert_null(policy_zone_of_addr(p, "10.0.0.1"));
	policy_free(p);

	path = write_tmp(
	    "classification: r6\n"
	    "hosts: [{name: h, zone: mynumber, ip: 10.0.0.1}]\n"
	    "flows: [{from: h, to: lgwan, proto: udp, port: 53, via: outbound-mail}]\n"
	    "mail:\n"
	    "  attachments: hold\n"
	    "  links: keep\n"
	    "  output_charset: iso-2022-jp\n"
	    "  classification_header: X-Label\n"
	    "  internal_domains: [a.example.lg.jp, b.example.lg.jp]\n"
	    "  attachment_rules: [{type: office, action: sanitize}, {type: other, action: remove}]\n"
	    "  outbound: {confidential3: hold, confidential2: require-encryption,\n"
	    "    external_recipients_max: 3, external_recipients_action: bcc,\n"
	    "    auto_forward: allow}\n"
	    "console: {mfa: webauthn, idle_timeout: 2h}\n");
	p = policy_load(path, err, sizeof(err));
	unlink(path);
	assert_non_null(p);
	assert_int_equal(p->classification_id, POLICY_CLASS_R6);
	assert_int_equal(p->hosts[0].zone_id, POLICY_ZONE_MYNUMBER);
	assert_int_equal(p->flows[0].proto_id, POLICY_PROTO_UDP);
	assert_int_equal(p->flows[0].via_id, POLICY_VIA_OUTBOUND_MAIL);
	assert_string_equal(p->flows[0].port, "53");
	assert_int_equal(p->mail->attachments_id, POLICY_ACTION_HOLD);
	assert_string_equal(p->mail->links, "keep");
	assert_int_equal(p->mail->links_id, POLICY_LINKS_KEEP);
	assert_int_equal(p->mail->output_charset_id, POLICY_CHARSET_ISO2022JP);
	assert_string_equal(p->mail->classification_header, "X-Label");
	assert_int_equal(p->mail->internal_domains_count, 2);
	assert_string_equal(p->mail->internal_domains[1], "b.example.lg.jp");
	assert_int_equal(p->mail->attachment_rules_count, 2);
	assert_string_equal(p->mail->attachment_rules[0].type, "office");
	assert_int_equal(p->mail->attachment_rules[0].type_id, POLICY_FAMILY_OFFICE);
	assert_int_equal(p->mail->attachment_rules[0].action_id, POLICY_ACTION_SANITIZE);
	assert_int_equal(p->mail->attachment_rules[1].type_id, POLICY_FAMILY_OTHER);
	assert_int_equal(p->mail->outbound->confidential3_id, POLICY_ACTION_HOLD);
	assert_int_equal(p->mail->outbound->confidential2_id,
	    POLICY_ACTION_REQUIRE_ENCRYPTION);
	assert_int_equal(p->mail->outbound->external_recipients_max, 3);
	assert_int_equal(p->mail->outbound->external_recipients_action_id,
	    POLICY_ACTION_BCC);
	assert_int_equal(p->mail->outbound->auto_forward_id, POLICY_ACTION_ALLOW);
	assert_int_equal(p->console->mfa_id, POLICY_MFA_WEBAUTHN);
	assert_int_equal(policy_parse_duration(p->console->idle_timeout, &secs), 0);
	assert_int_equal(secs, 7200);
	policy_free(p);
}

static void
test_durations(void **state)
{
	uint64_t s;

	assert_int_equal(policy_parse_duration("90s", &s), 0);
	assert_int_equal(s, 90);
	assert_int_equal(policy_parse_duration("15m", &s), 0);
	assert_int_equal(s, 900);
	assert_int_equal(policy_parse_duration("1h", &s), 0);
	assert_int_equal(s, 3600);
	assert_int_equal(policy_parse_duration("7d", &s), 0);
	assert_int_equal(s, 7 * 86400);
	assert_int_equal(policy_parse_duration("15", &s), -1);
	assert_int_equal(policy_parse_duration("m", &s), -1);
	assert_int_equal(policy_parse_duration("-1m", &s), -1);
	assert_int_equal(policy_parse_duration("15 weeks", &s), -1);
	assert_int_equal(policy_parse_duration("99999999999999999999d", &s), -1);
}

/* Most specific prefix wins; IPv6 and mapped IPv4 work; junk is NULL. */
static void
test_zone_of_addr(void **state)
{
	char err[512];
	char *path = write_tmp(
	    "zones:\n"
	    "  lgwan: {networks: [10.0.0.0/8, \"fd00:20::/48\"]}\n"
	    "  mynumber: {networks: [10.10.0.0/24]}\n"
	    "  internet: {networks: [10.30.0.0/16, not-a-net, 10.31.0.5/16]}\n");
	struct policy *p = policy_load(path, err, sizeof(err));

	unlink(path);
	assert_non_null(p);
	assert_string_equal(policy_zone_of_addr(p, "10.10.0.7"), "mynumber");
	assert_string_equal(policy_zone_of_addr(p, "10.20.1.1"), "lgwan");
	assert_string_equal(policy_zone_of_addr(p, "10.30.9.9"), "internet");
	assert_string_equal(policy_zone_of_addr(p, "::ffff:10.10.0.7"), "mynumber");
	assert_string_equal(policy_zone_of_addr(p, "fd00:20::5"), "lgwan");
	assert_string_equal(policy_zone_of_addr(p, "[fd00:20::5]"), "lgwan");
	/* A network with host bits set counts as its masked network. */
	assert_string_equal(policy_zone_of_addr(p, "10.31.7.7"), "internet");
	assert_null(policy_zone_of_addr(p, "192.168.0.1"));
	assert_null(policy_zone_of_addr(p, "fd00:21::1"));
	assert_null(policy_zone_of_addr(p, "lgwan"));
	assert_null(policy_zone_of_addr(p, ""));
	assert_null(policy_zone_of_addr(p, NULL));
	assert_null(policy_zone_of_addr(NULL, "10.0.0.1"));
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
		cmocka_unit_test(test_defaults_and_words),
		cmocka_unit_test(test_durations),
		cmocka_unit_test(test_zone_of_addr),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
