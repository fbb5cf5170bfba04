/* test-policy_check - each rule of policy_check gives its seed clause,
   severity and path (and the line of the key); the nft compiler writes
   the rules the policy allows and refuses a policy with errors. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "buffer.h"
#include "policy.h"
#include "policy_check.h"
#include "policy_nft.h"

/* A policy that passes, in parts that a case can replace. */
enum { ZONES, HOSTS, FLOWS, MAIL, CONSOLE, REST, PARTS };

static const char *const good[PARTS] = {
	"zones:\n"
	"  mynumber: {networks: [10.10.0.0/24], interface: eth1}\n"
	"  lgwan: {networks: [10.20.0.0/16, \"fd00:20::/48\"]}\n"
	"  internet: {networks: [10.30.0.0/16]}\n",
	"hosts:\n"
	"  - {name: juki, zone: mynumber, ip: 10.10.0.10, mac: \"52:54:00:00:00:10\"}\n"
	"  - {name: jlis, zone: lgwan, ip: 10.20.0.5, mac: \"52:54:00:00:00:05\"}\n"
	"  - {name: gw, zone: internet, ip: 10.30.0.25}\n"
	"  - {name: lgmail, zone: lgwan, ip: 10.20.0.25}\n",
	"flows:\n"
	"  - {from: internet, to: lgwan, proto: tcp, port: 25, via: sanitize-mail, relay: gw}\n"
	"  - {from: juki, to: jlis, proto: tcp, port: 443}\n"
	"  - {from: lgmail, to: internet, proto: tcp, port: 25, via: outbound-mail, relay: gw}\n"
	"  - {name: ping, from: lgwan, to: gw, proto: icmp, purpose: monitoring}\n",
	"mail:\n"
	"  max_size: 20MB\n"
	"  outbound: {confidential2: require-encryption, external_recipients_max: 1,\n"
	"    external_recipients_action: bcc, auto_forward: reject}\n",
	"console: {mfa: totp, max_login_attempts: 5, idle_timeout: 15m}\n",
	"log: {retention_days: 1825}\n"
	"av: {clamd: /run/clamav/clamd.ctl, required: true}\n",
};

static struct policy *
load_parts(const char *const parts[PARTS])
{
	char text[8192] = "organization: test\n", err[512];
	struct policy *p;
	int i;

	for (i = 0; i < PARTS; i++)
		strncat(text, parts[i], sizeof(text) - strlen(text) - 1);
	p = policy_load_mem(text, strlen(text), "t.yaml", err, sizeof(err));
	if (p == NULL)
		print_error("%s\n", err);
	assert_non_null(p);
	return p;
}

/* Load good with part k replaced by text. */
static struct policy *
load_with(int k, const char *text)
{
	const char *parts[PARTS];

	memcpy(parts, good, sizeof(parts));
	parts[k] = text;
	return load_parts(parts);
}

static const struct policy_finding *
find(const struct policy_findings *fs, const char *clause,
    enum policy_severity sev, const char *path)
{
	size_t i;

	for (i = 0; i < fs->count; i++)
		if (strcmp(fs->v[i].clause, clause) == 0 &&
		    fs->v[i].severity == sev && strcmp(fs->v[i].path, path) == 0)
			return &fs->v[i];
	return NULL;
}

static void
dump(const struct policy_findings *fs)
{
	size_t i;

	for (i = 0; i < fs->count; i++)
		print_error("  %u: %s %s %s: %s\n", fs->v[i].line, fs->v[i].clause,
		    policy_severity_name(fs->v[i].severity), fs->v[i].path,
		    fs->v[i].message);
}

static void
test_good(void **state)
{
	struct policy_findings fs = { 0 };
	struct policy *p = load_parts(good);

	assert_int_equal(policy_check(p, &fs), 0);
	if (fs.count != 0)
		dump(&fs);
	assert_int_equal(fs.count, 0);
	policy_findings_free(&fs);
	policy_free(p);
}

static const struct {
	int part;
	const char *text, *clause, *path;
	enum policy_severity sev;
} cases[] = {
	/* 3.(1)①: a whole zone, the internet, no MAC, no port, a range. */
	{ FLOWS, "flows: [{from: juki, to: lgwan, proto: tcp, port: 443}]\n",
	    "3.(1)①", "flows[0].to", POLICY_SEV_ERROR },
	{ FLOWS, "flows: [{from: juki, to: gw, proto: tcp, port: 443}]\n",
	    "3.(1)①", "flows[0].to", POLICY_SEV_ERROR },
	{ FLOWS, "flows: [{from: juki, to: lgmail, proto: tcp, port: 443}]\n",
	    "3.(1)①", "hosts[3].mac", POLICY_SEV_ERROR },
	{ FLOWS, "flows: [{from: juki, to: jlis, proto: tcp}]\n",
	    "3.(1)①", "flows[0].port", POLICY_SEV_ERROR },
	{ FLOWS, "flows: [{from: juki, to: jlis, proto: tcp, port: 400-500}]\n",
	    "3.(1)①", "flows[0].port", POLICY_SEV_ERROR },
	{ FLOWS, "flows: [{from: jlis, to: juki, proto: icmp}]\n",
	    "3.(1)①", "flows[0].proto", POLICY_SEV_ERROR },
	{ FLOWS, "flows: [{from: mynumber, to: jlis, proto: tcp, port: 443}]\n",
	    "3.(1)①", "flows[0].from", POLICY_SEV_ERROR },
	/* 3.(2)①: direct, wrong via, no relay, relay aside; LGWAN out. */
	{ FLOWS, "flows: [{from: internet, to: lgwan, proto: tcp, port: 25}]\n",
	    "3.(2)①", "flows[0].via", POLICY_SEV_ERROR },
	{ FLOWS, "flows: [{from: internet, to: lgwan, proto: tcp, port: 25, via: outbound-mail, relay: gw}]\n",
	    "3.(2)①", "flows[0].via", POLICY_SEV_ERROR },
	{ FLOWS, "flows: [{from: internet, to: lgwan, proto: tcp, port: 25, via: sanitize-mail}]\n",
	    "3.(2)①", "flows[0]", POLICY_SEV_ERROR },
	{ FLOWS, "flows: [{from: internet, to: lgmail, proto: tcp, port: 25, via: sanitize-mail, relay: jlis}]\n",
	    "3.(2)①", "flows[0].relay", POLICY_SEV_ERROR },
	{ FLOWS, "flows: [{from: lgwan, to: internet, proto: tcp, port: 443}]\n",
	    "3.(2)①", "flows[0]", POLICY_SEV_WARNING },
	/* 6.1(8)②: any, no proto, references, networks, hosts. */
	{ FLOWS, "flows: [{from: lgwan, to: gw, proto: any, purpose: x}]\n",
	    "6.1(8)②", "flows[0].proto", POLICY_SEV_ERROR },
	{ FLOWS, "flows: [{from: lgwan, to: gw, proto: tcp, port: any, purpose: x}]\n",
	    "6.1(8)②", "flows[0].port", POLICY_SEV_ERROR },
	{ FLOWS, "flows: [{from: lgwan, to: gw, proto: udp, port: 1-65535, purpose: x}]\n",
	    "6.1(8)②", "flows[0].port", POLICY_SEV_ERROR },
	{ FLOWS, "flows: [{from: lgwan, to: gw, port: 53, purpose: x}]\n",
	    "6.1(8)②", "flows[0].proto", POLICY_SEV_ERROR },
	{ FLOWS, "flows: [{from: lgwan, to: nosuch, proto: tcp, port: 1}]\n",
	    "6.1(8)②", "flows[0].to", POLICY_SEV_ERROR },
	{ FLOWS, "flows: [{from: lgwan, to: gw, proto: tcp, port: 70000, purpose: x}]\n",
	    "6.1(8)②", "flows[0].port", POLICY_SEV_ERROR },
	{ FLOWS, "flows: [{from: lgwan, to: gw, proto: icmp, port: 8, purpose: x}]\n",
	    "6.1(8)②", "flows[0].port", POLICY_SEV_ERROR },
	{ FLOWS, "flows: [{from: lgwan, to: gw, proto: tcp, port: 8, relay: gw, purpose: x}]\n",
	    "6.1(8)②", "flows[0].relay", POLICY_SEV_ERROR },
	{ ZONES, "zones:\n  mynumber: {networks: [10.10.0.0/24]}\n"
	    "  lgwan: {networks: [10.0.0.0/8]}\n  internet: {networks: [10.30.0.0/16]}\n",
	    "6.1(8)②", "zones.lgwan.networks[0]", POLICY_SEV_ERROR },
	{ ZONES, "zones:\n  mynumber: {networks: [10.10.0.0/24]}\n"
	    "  lgwan: {networks: [10.20.0.0/16]}\n  internet: {networks: [10.30.0.0/33]}\n",
	    "6.1(8)②", "zones.internet.networks[0]", POLICY_SEV_ERROR },
	{ ZONES, "zones:\n  mynumber: {networks: [10.10.0.0/24]}\n"
	    "  lgwan: {networks: [10.20.0.0/16]}\n  internet: {networks: [10.30.0.1/16]}\n",
	    "6.1(8)②", "zones.internet.networks[0]", POLICY_SEV_ERROR },
	{ ZONES, "zones:\n  mynumber: {networks: [10.10.0.0/24], interface: \"eth 1\"}\n"
	    "  lgwan: {networks: [10.20.0.0/16]}\n  internet: {networks: [10.30.0.0/16]}\n",
	    "6.1(8)②", "zones.mynumber.interface", POLICY_SEV_ERROR },
	{ HOSTS, "hosts:\n  - {name: juki, zone: mynumber, ip: 10.20.0.10, mac: \"52:54:00:00:00:10\"}\n"
	    "  - {name: jlis, zone: lgwan, ip: 10.20.0.5, mac: \"52:54:00:00:00:05\"}\n"
	    "  - {name: gw, zone: internet, ip: 10.30.0.25}\n"
	    "  - {name: lgmail, zone: lgwan, ip: 10.20.0.25}\n",
	    "6.1(8)②", "hosts[0].ip", POLICY_SEV_ERROR },
	{ HOSTS, "hosts:\n  - {name: juki, zone: mynumber, ip: 10.10.0.10, mac: \"52:54:00:00:00:1\"}\n"
	    "  - {name: jlis, zone: lgwan, ip: 10.20.0.5, mac: \"52:54:00:00:00:05\"}\n"
	    "  - {name: gw, zone: internet, ip: 10.30.0.25}\n"
	    "  - {name: lgmail, zone: lgwan, ip: 10.20.0.25}\n",
	    "6.1(8)②", "hosts[0].mac", POLICY_SEV_ERROR },
	{ HOSTS, "hosts:\n  - {name: juki, zone: mynumber, ip: 10.10.0.10, mac: \"52:54:00:00:00:10\"}\n"
	    "  - {name: jlis, zone: lgwan, ip: 10.20.0.5, mac: \"52:54:00:00:00:10\"}\n"
	    "  - {name: gw, zone: internet, ip: 10.30.0.25}\n"
	    "  - {name: lgmail, zone: lgwan, ip: 10.20.0.25}\n",
	    "6.1(8)②", "hosts[1].mac", POLICY_SEV_ERROR },
	{ HOSTS, "hosts:\n  - {name: juki, zone: mynumber, ip: 10.10.0.10, mac: \"52:54:00:00:00:10\"}\n"
	    "  - {name: jlis, zone: lgwan, ip: 10.20.0.5, mac: \"52:54:00:00:00:05\"}\n"
	    "  - {name: gw, zone: internet, ip: 10.30.0.25}\n"
	    "  - {name: lgmail, zone: lgwan, ip: 10.20.0.25}\n"
	    "  - {name: gw, zone: internet, ip: 10.30.0.26}\n",
	    "6.1(8)②", "hosts[4].name", POLICY_SEV_ERROR },
	{ HOSTS, "hosts:\n  - {name: juki, zone: mynumber, ip: 10.10.0.10, mac: \"52:54:00:00:00:10\"}\n"
	    "  - {name: jlis, zone: lgwan, ip: 10.20.0.5, mac: \"52:54:00:00:00:05\"}\n"
	    "  - {name: gw, zone: internet, ip: 10.30.0.25}\n"
	    "  - {name: lgmail, zone: lgwan, ip: 10.20.0.25}\n"
	    "  - {name: \"a;b\", zone: internet, ip: 10.30.0.26}\n",
	    "6.1(8)②", "hosts[4].name", POLICY_SEV_ERROR },
	/* Mail. */
	{ MAIL, "mail: {outbound: {confidential2: hold, external_recipients_max: 1,"
	    " external_recipients_action: bcc, auto_forward: reject}}\n",
	    "6.1(14)③", "mail.max_size", POLICY_SEV_ERROR },
	{ MAIL, "mail: {max_size: 1MB, outbound: {confidential2: hold, external_recipients_max: 1,"
	    " external_recipients_action: bcc}}\n",
	    "6.1(15)①", "mail.outbound.auto_forward", POLICY_SEV_ERROR },
	{ MAIL, "mail: {max_size: 1MB, outbound: {confidential2: hold, external_recipients_max: 1,"
	    " external_recipients_action: bcc, auto_forward: allow}}\n",
	    "6.1(15)①", "mail.outbound.auto_forward", POLICY_SEV_ERROR },
	{ MAIL, "mail: {max_size: 1MB, outbound: {confidential2: hold, external_recipients_max: 1,"
	    " external_recipients_action: bcc, auto_forward: hold}}\n",
	    "6.1(15)①", "mail.outbound.auto_forward", POLICY_SEV_WARNING },
	{ MAIL, "mail: {max_size: 1MB, outbound: {confidential2: hold,"
	    " external_recipients_action: bcc, auto_forward: reject}}\n",
	    "6.1(15)③", "mail.outbound.external_recipients_max", POLICY_SEV_ERROR },
	{ MAIL, "mail: {max_size: 1MB, outbound: {external_recipients_max: 1,"
	    " external_recipients_action: bcc, auto_forward: reject}}\n",
	    "2.(2)⑦", "mail.outbound.confidential2", POLICY_SEV_ERROR },
	/* Console, logs, AV. */
	{ CONSOLE, "console: {mfa: none, max_login_attempts: 5, idle_timeout: 15m}\n",
	    "4.4④", "console.mfa", POLICY_SEV_ERROR },
	{ CONSOLE, "console: {mfa: totp, idle_timeout: 15m}\n",
	    "6.2(4)", "console.max_login_attempts", POLICY_SEV_ERROR },
	{ CONSOLE, "console: {mfa: totp, max_login_attempts: 5}\n",
	    "6.2(4)", "console.idle_timeout", POLICY_SEV_ERROR },
	{ CONSOLE, "", "4.4④", "console.mfa", POLICY_SEV_ERROR },
	{ REST, "av: {clamd: /run/clamav/clamd.ctl, required: true}\n",
	    "6.1(6)②", "log.retention_days", POLICY_SEV_ERROR },
	{ REST, "log: {retention_days: 1825}\nav: {clamd: /run/clamav/clamd.ctl}\n",
	    "6.4(1)①", "av.required", POLICY_SEV_ERROR },
	{ REST, "log: {retention_days: 1825}\nav: {required: true}\n",
	    "6.4(1)①", "av.clamd", POLICY_SEV_ERROR },
};

static void
test_rules(void **state)
{
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct policy_findings fs = { 0 };
		struct policy *p = load_with(cases[i].part, cases[i].text);

		assert_int_equal(policy_check(p, &fs), 0);
		if (find(&fs, cases[i].clause, cases[i].sev, cases[i].path) == NULL) {
			print_error("case %zu: want %s %s %s, got:\n", i,
			    cases[i].clause, policy_severity_name(cases[i].sev),
			    cases[i].path);
			dump(&fs);
		}
		assert_non_null(find(&fs, cases[i].clause, cases[i].sev,
		    cases[i].path));
		if (cases[i].sev == POLICY_SEV_ERROR)
			assert_true(fs.errors > 0);
		policy_findings_free(&fs);
		policy_free(p);
	}
}

/* Findings carry the line of their key, or of the section a missing
   key belongs to, and come out in line order. */
static void
test_lines(void **state)
{
	struct policy_findings fs = { 0 };
	const struct policy_finding *f;
	struct policy *p;
	size_t i;

	p = load_with(FLOWS, "flows:\n"
	    "  - {from: juki, to: jlis, proto: tcp, port: 443}\n"
	    "  - {from: internet, to: lgwan, proto: tcp,\n"
	    "     port: 25}\n");
	assert_int_equal(policy_check(p, &fs), 0);
	/* organization(1) + zones(4) + hosts(5): flows: is line 11. */
	f = find(&fs, "3.(2)①", POLICY_SEV_ERROR, "flows[1].via");
	assert_non_null(f);
	assert_int_equal(f->line, 13);	/* no via: the entry's line */
	assert_int_equal(f->column, 5);
	policy_findings_free(&fs);
	policy_free(p);

	p = load_with(MAIL, "mail:\n  max_size: 1MB\n");
	assert_int_equal(policy_check(p, &fs), 0);
	f = find(&fs, "6.1(15)①", POLICY_SEV_ERROR, "mail.outbound.auto_forward");
	assert_non_null(f);
	assert_true(f->line > 0);	/* the mail: line */
	for (i = 1; i < fs.count; i++)
		assert_true(fs.v[i].line == 0 || (fs.v[i - 1].line != 0 &&
		    fs.v[i - 1].line <= fs.v[i].line));
	policy_findings_free(&fs);
	policy_free(p);
}

static void
test_nft(void **state)
{
	struct policy *p = load_parts(good);
	struct buffer b;
	char err[256];
	const char *s;

	buffer_init(&b, 1 << 20);
	assert_int_equal(policy_nft(p, "t.yaml", &b, err, sizeof(err)), 0);
	s = (const char *)b.data;
	assert_non_null(strstr(s, "type filter hook forward priority filter; policy drop;"));
	assert_non_null(strstr(s, "ct state established,related accept"));
	/* MAC pinning before the established rule. */
	assert_non_null(strstr(s, "ip saddr 10.10.0.10 ether saddr != 52:54:00:00:00:10 counter log prefix \"sanso drop spoof juki: \" drop"));
	assert_true(strstr(s, "spoof juki") < strstr(s, "established"));
	assert_non_null(strstr(s, "iifname != \"eth1\" ip saddr 10.10.0.0/24 counter log prefix \"sanso drop spoof mynumber: \" drop"));
	/* The relay replaces the internet zone; the v6 LGWAN network has
	   no v4 peer, so only one rule. */
	assert_non_null(strstr(s, "ip saddr 10.30.0.25 ip daddr 10.20.0.0/16 tcp dport 25 counter accept comment \"flows[0] internet->lgwan tcp/25 via sanitize-mail relay gw\""));
	assert_non_null(strstr(s, "iifname \"eth1\" ip saddr 10.10.0.10 ether saddr 52:54:00:00:00:10 ip daddr 10.20.0.5 tcp dport 443 counter accept"));
	assert_non_null(strstr(s, "ip saddr 10.20.0.25 ip daddr 10.30.0.25 tcp dport 25 counter accept"));
	assert_non_null(strstr(s, "ip saddr 10.20.0.0/16 ip daddr 10.30.0.25 meta l4proto icmp counter accept comment \"ping lgwan->gw icmp\""));
	assert_null(strstr(s, "ip6 saddr fd00:20::/48 ip daddr"));
	assert_non_null(strstr(s, "ip6 saddr fd00:20::/48 ip6 daddr fd00:20::/48 counter log prefix \"sanso drop lgwan-lgwan: \" drop"));
	assert_non_null(strstr(s, "ip saddr 10.30.0.0/16 ip daddr 10.20.0.0/16 counter log prefix \"sanso drop internet-lgwan: \" drop"));
	assert_non_null(strstr(s, "counter log prefix \"sanso drop default: \" drop\n\t}\n}\n"));
	buffer_free(&b);
	policy_free(p);

	/* A policy with errors is refused, nothing written. */
	p = load_with(FLOWS, "flows: [{from: internet, to: lgwan, proto: tcp, port: 25}]\n");
	buffer_init(&b, 1 << 20);
	assert_int_equal(policy_nft(p, "t.yaml", &b, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "error"));
	assert_int_equal(b.used, 0);
	buffer_free(&b);
	policy_free(p);
}

/* Free text reaches only "#" comments, on one line. */
static void
test_nft_injection(void **state)
{
	const char *parts[PARTS];
	char text[8192], err[256];
	struct policy *p;
	struct buffer b;

	memcpy(parts, good, sizeof(parts));
	snprintf(text, sizeof(text), "organization: \"x\\nflush ruleset\"\n");
	strncat(text, good[ZONES], sizeof(text) - strlen(text) - 1);
	strncat(text, good[HOSTS], sizeof(text) - strlen(text) - 1);
	strncat(text, good[FLOWS], sizeof(text) - strlen(text) - 1);
	strncat(text, good[MAIL], sizeof(text) - strlen(text) - 1);
	strncat(text, good[CONSOLE], sizeof(text) - strlen(text) - 1);
	strncat(text, good[REST], sizeof(text) - strlen(text) - 1);
	p = policy_load_mem(text, strlen(text), "evil\nflush ruleset", err,
	    sizeof(err));
	assert_non_null(p);
	buffer_init(&b, 1 << 20);
	assert_int_equal(policy_nft(p, "evil\nflush ruleset", &b, err,
	    sizeof(err)), 0);
	assert_null(strstr((const char *)b.data, "\nflush"));
	buffer_free(&b);
	policy_free(p);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_good),
		cmocka_unit_test(test_rules),
		cmocka_unit_test(test_lines),
		cmocka_unit_test(test_nft),
		cmocka_unit_test(test_nft_injection),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
