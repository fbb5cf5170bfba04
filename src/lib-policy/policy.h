/*
 * policy - the organization's policy file (YAML, read with libcyaml).
 *
 * One file describes zones, hosts, flows, mail rules, console settings,
 * log retention, the malware scanner and the limits. This module reads
 * it into a struct policy and maps it onto what the engine takes
 * (struct limits, struct cdr_options). Every key is in the schema: an
 * unknown key, a wrong type or a word outside an enumeration (a typo
 * such as `attachments: remve`) is an error with its file, line and
 * column, never a crash and never a silent default.
 *
 * Loading checks the shape and the words: types, enumerations, sizes
 * ("20MB") and durations ("15m"). Whether the values obey the seed's
 * rules (pinned マイナンバー系 endpoints, 無害化 on every
 * internet→LGWAN flow, CIDR and MAC syntax, references between hosts
 * and flows, …) is policy_check()'s job (policy_check.h), so that one
 * run reports every problem at once.
 */
#ifndef SANSO_POLICY_H
#define SANSO_POLICY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "cdr.h"

/* Largest policy file read: a real one is a few kilobytes, and the
   whole file is held in memory twice (libyaml and libcyaml). */
#define POLICY_FILE_MAX		(1024 * 1024)
/* Longest sequences accepted; bound the memory a hostile file costs. */
#define POLICY_HOSTS_MAX	4096
#define POLICY_FLOWS_MAX	4096
#define POLICY_NETWORKS_MAX	256	/* per zone */
#define POLICY_DOMAINS_MAX	1024
#define POLICY_RULES_MAX	64	/* mail.attachment_rules */

/* Every key of struct limits (sanso_limits.h), by the same name. */
struct policy_limits {
	char *file_size;	/* "100MB" */
	char *output_size;
	unsigned xml_nodes;
	unsigned image_pixels;	/* in pixels */
	unsigned rtf_depth;
	char *header_bytes;
	char *line_length;
	unsigned mime_depth;
	unsigned mime_parts;
	unsigned archive_depth;
	unsigned archive_entries;
	unsigned archive_ratio;
	char *archive_total;
	unsigned pdf_objects;
	unsigned xml_depth;
	unsigned job_seconds;
	char *job_memory;
};

/* Booleans are read as a strict enum: libcyaml's own bool takes any
   unknown word as true, and a policy typo must be an error instead. */
enum policy_bool { POLICY_FALSE, POLICY_TRUE };

struct policy_av {
	char *clamd;
	enum policy_bool required;
};

/*
 * Enumerated keys. Each is read as the string written in the file, in
 * the field named like the key (NULL when absent), and checked at load
 * against its word list: a word outside it is a load error with its
 * line and column. The same value is kept as an enum in <key>_id, so
 * that code can switch on it. UNSET means the key is absent;
 * policy_check() reports the ones the seed requires, and a program
 * meeting UNSET uses the default given beside the key.
 */
enum policy_action {
	POLICY_ACTION_UNSET,
	POLICY_ACTION_REMOVE,		/* "remove" */
	POLICY_ACTION_SANITIZE,		/* "sanitize" */
	POLICY_ACTION_HOLD,		/* "hold" */
	POLICY_ACTION_REJECT,		/* "reject" */
	POLICY_ACTION_REQUIRE_ENCRYPTION, /* "require-encryption" */
	POLICY_ACTION_BCC,		/* "bcc" */
	POLICY_ACTION_ALLOW,		/* "allow" */
};

/* mail.links: what happens to URLs in sanitized text. */
enum policy_links {
	POLICY_LINKS_UNSET,	/* the program's default */
	POLICY_LINKS_KEEP,
	POLICY_LINKS_DEFANG,
	POLICY_LINKS_REMOVE,
};

/* mail.output_charset: charset of the text delivered into LGWAN. */
enum policy_charset {
	POLICY_CHARSET_UTF8,		/* "utf-8" (default) */
	POLICY_CHARSET_ISO2022JP,	/* "iso-2022-jp" */
};

/* mail.attachment_rules[].type: file families as an administrator
   thinks of them (the mail code maps them onto filetype.h). */
enum policy_family {
	POLICY_FAMILY_PDF,	/* "pdf" */
	POLICY_FAMILY_OFFICE,	/* "office": OOXML, OLE, RTF */
	POLICY_FAMILY_IMAGE,	/* "image" */
	POLICY_FAMILY_TEXT,	/* "text": plain text, CSV */
	POLICY_FAMILY_ARCHIVE,	/* "archive" */
	POLICY_FAMILY_HTML,	/* "html" */
	POLICY_FAMILY_OTHER,	/* "other": anything not above */
};

struct policy_attachment_rule {
	char *type;		/* pdf|office|image|text|archive|html|other */
	char *action;		/* remove | sanitize | hold */
	enum policy_family type_id;
	enum policy_action action_id;
};

/* mail.outbound: the rules for mail leaving LGWAN (2.(2)⑦⑨,
   6.1(15)①③). */
struct policy_outbound {
	char *confidential3;	/* reject | hold; absent = reject */
	char *confidential2;	/* require-encryption | hold | reject;
				   absent = hold */
	unsigned external_recipients_max; /* external To/Cc shown; 0 = unset */
	char *external_recipients_action; /* bcc | hold; absent = hold */
	char *auto_forward;	/* reject | hold | allow; absent = reject */
	enum policy_action confidential3_id;
	enum policy_action confidential2_id;
	enum policy_action external_recipients_action_id;
	enum policy_action auto_forward_id;
};

struct policy_mail {
	char *max_size;		/* "20MB"; NULL = not set */
	char *attachments;	/* remove | sanitize | hold; never NULL after
				   load ("remove" when absent) */
	char *links;		/* keep | defang | remove; NULL = not set */
	char *output_charset;	/* utf-8 | iso-2022-jp; NULL = utf-8 */
	char **internal_domains;	/* "city.example.lg.jp" */
	unsigned internal_domains_count;
	struct policy_attachment_rule *attachment_rules; /* by type; none
					     matching: attachments */
	unsigned attachment_rules_count;
	char *classification_header;	/* never NULL after load;
					   default "X-Classification" */
	struct policy_outbound *outbound; /* never NULL after load */
	enum policy_action attachments_id; /* never UNSET after load */
	enum policy_links links_id;
	enum policy_charset output_charset_id;
};

struct policy_store {
	char *dir;
	unsigned retention_days;	/* quarantined originals */
};

struct policy_log {
	unsigned retention_days;
	char *syslog;		/* "udp://127.0.0.1:514", "unix:/dev/log" */
};

/* classification: the label scheme used by the outbound rules. */
enum policy_classification {
	POLICY_CLASS_SEED,	/* "seed": 機密性3/2/1 完全性2/1 可用性2/1 */
	POLICY_CLASS_R6,	/* "r6": 機密性3A/3B/3C/2/1 */
};

/* The seed's three 系 (seed 002 §3). The set is fixed because each
   rule depends on which one a zone is; an organization lists only the
   zones it has (本荘由利 has no lgwan). */
enum policy_zone_id {
	POLICY_ZONE_MYNUMBER,	/* "mynumber": マイナンバー利用事務系 */
	POLICY_ZONE_LGWAN,	/* "lgwan": LGWAN接続系 */
	POLICY_ZONE_INTERNET,	/* "internet": インターネット接続系 */
	POLICY_ZONE_COUNT
};

struct policy_zone {
	char **networks;	/* "10.10.0.0/24", "fd00:10::/64" */
	unsigned networks_count;
	char *interface;	/* the router's interface facing the zone,
				   optional; binds the nft rules to it */
	char *description;
};

struct policy_zones {
	struct policy_zone *mynumber;	/* NULL: the zone does not exist */
	struct policy_zone *lgwan;
	struct policy_zone *internet;
};

struct policy_host {
	char *name;		/* [A-Za-z0-9._-], used in flows and nft */
	char *zone;		/* mynumber | lgwan | internet */
	char *ip;		/* "10.10.0.10" or an IPv6 address */
	char *mac;		/* "52:54:00:00:00:10"; NULL = not pinned */
	char *description;
	enum policy_zone_id zone_id;
};

enum policy_proto {
	POLICY_PROTO_UNSET,
	POLICY_PROTO_TCP,
	POLICY_PROTO_UDP,
	POLICY_PROTO_ICMP,	/* ICMP and ICMPv6 */
	POLICY_PROTO_ANY,	/* accepted so that check can name the rule */
};

/* The channel a flow must pass (3.(2)① (ア)(イ)(ウ)). */
enum policy_via {
	POLICY_VIA_NONE,
	POLICY_VIA_SANITIZE_MAIL,	/* (ア) メールテキスト化 */
	POLICY_VIA_SANITIZE_FILE,	/* (ウ) 危険因子の除去 */
	POLICY_VIA_SCREEN_TRANSFER,	/* (イ) 画面転送 */
	POLICY_VIA_OUTBOUND_MAIL,	/* outbound rules (mail leaving LGWAN) */
};

/*
 * One allowed flow. from and to name a zone ("lgwan") or a host. When
 * via is set, relay names the host that carries it (the sanitizing
 * gateway): the relay replaces the zone on its own side, so the
 * firewall lets only the relay cross (docs/policy.md, policy_nft.h).
 */
struct policy_flow {
	char *name;		/* optional label for nft comments */
	char *from;
	char *to;
	char *proto;		/* tcp | udp | icmp | any */
	char *port;		/* "25" or "8000-8010"; NULL for icmp */
	char *via;		/* sanitize-mail | sanitize-file |
				   screen-transfer | outbound-mail */
	char *relay;		/* host name, with via */
	char *purpose;		/* why the flow exists (free text) */
	enum policy_proto proto_id;
	enum policy_via via_id;
};

enum policy_mfa {
	POLICY_MFA_UNSET,
	POLICY_MFA_NONE,	/* "none" */
	POLICY_MFA_TOTP,	/* "totp" */
	POLICY_MFA_WEBAUTHN,	/* "webauthn" */
};

struct policy_console {
	char *mfa;			/* none | totp | webauthn */
	unsigned max_login_attempts;	/* 0 = not set */
	char *idle_timeout;		/* "15m"; policy_parse_duration() */
	char *privileged_session_max;	/* "60m" */
	unsigned unused_account_days;	/* 0 = not set */
	enum policy_mfa mfa_id;
};

struct policy_index;

struct policy {
	char *organization;
	char *classification;		/* seed | r6; NULL = seed */
	enum policy_classification classification_id;
	struct policy_zones *zones;	/* never NULL after load */
	struct policy_host *hosts;
	unsigned hosts_count;
	struct policy_flow *flows;
	unsigned flows_count;
	struct policy_store *store;
	struct policy_log *log;
	struct policy_limits *limits;
	struct policy_av *av;
	struct policy_mail *mail;	/* never NULL after load */
	struct policy_console *console;
	/* Built by policy_load from the fields above; private. */
	struct policy_index *priv;
};

/* Load path. Returns the policy (free with policy_free()) or NULL with a
   message "path:line:column: what is wrong" in err (err_size bytes).
   Files over POLICY_FILE_MAX and YAML aliases are refused. */
struct policy *policy_load(const char *path, char *err, size_t err_size);
/* The same from len bytes of memory; name stands for the file in
   messages. */
struct policy *policy_load_mem(const void *data, size_t len,
    const char *name, char *err, size_t err_size);
void policy_free(struct policy *p);

/* Apply the policy's limits, links and AV settings. Returns 0, or -1
   with a message in err when a value is out of range (e.g. "12XB"). */
int policy_apply(const struct policy *p, struct limits *limits,
    struct cdr_options *opts, const char **clamd_r, bool *av_required_r,
    char *err, size_t err_size);

/* "100MB", "20 MiB", "512k", "1000" -> bytes. Returns 0 or -1. */
int policy_parse_size(const char *s, uint64_t *bytes_r);
/* "90s", "15m", "1h", "7d" -> seconds. A bare number is refused (is
   it seconds or minutes?). Returns 0 or -1. */
int policy_parse_duration(const char *s, uint64_t *seconds_r);

/* "mynumber", "lgwan", "internet" (static). */
const char *policy_zone_name(enum policy_zone_id id);
/* The zone called name, or -1 when name is not a zone word. */
int policy_zone_by_name(const char *name);
/* The zone's settings, or NULL when the organization has no such zone. */
const struct policy_zone *policy_zone(const struct policy *p,
    enum policy_zone_id id);
/* The host called name, or NULL. */
const struct policy_host *policy_host_by_name(const struct policy *p,
    const char *name);

/* The name of the zone whose networks contain the IPv4 or IPv6 address
   ip_text ("10.20.0.5", "fd00::1", "::ffff:10.20.0.5", "[fd00::1]"); the
   most specific prefix wins when networks nest. NULL when no zone
   contains it or ip_text is not an address. Static string. Networks
   that do not parse are skipped (policy_check() reports them). */
const char *policy_zone_of_addr(const struct policy *p, const char *ip_text);

#endif
