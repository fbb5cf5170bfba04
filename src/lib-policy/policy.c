/*
 * policy - libcyaml schema, loading with positioned errors, and mapping
 * onto engine settings.
 */
#include <cyaml/cyaml.h>
#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "policy.h"
#include "policy_priv.h"

static const cyaml_schema_field_t limits_fields[] = {
	CYAML_FIELD_STRING_PTR("file_size", CYAML_FLAG_POINTER | CYAML_FLAG_OPTIONAL,
	    struct policy_limits, file_size, 1, 32),
	CYAML_FIELD_STRING_PTR("output_size", CYAML_FLAG_POINTER | CYAML_FLAG_OPTIONAL,
	    struct policy_limits, output_size, 1, 32),
	CYAML_FIELD_UINT("xml_nodes", CYAML_FLAG_OPTIONAL, struct policy_limits, xml_nodes),
	CYAML_FIELD_UINT("image_pixels", CYAML_FLAG_OPTIONAL, struct policy_limits, image_pixels),
	CYAML_FIELD_UINT("rtf_depth", CYAML_FLAG_OPTIONAL, struct policy_limits, rtf_depth),
	CYAML_FIELD_STRING_PTR("header_bytes", CYAML_FLAG_POINTER | CYAML_FLAG_OPTIONAL,
	    struct policy_limits, header_bytes, 1, 32),
	CYAML_FIELD_STRING_PTR("line_length", CYAML_FLAG_POINTER | CYAML_FLAG_OPTIONAL,
	    struct policy_limits, line_length, 1, 32),
	CYAML_FIELD_UINT("mime_depth", CYAML_FLAG_OPTIONAL, struct policy_limits, mime_depth),
	CYAML_FIELD_UINT("mime_parts", CYAML_FLAG_OPTIONAL, struct policy_limits, mime_parts),
	CYAML_FIELD_UINT("archive_depth", CYAML_FLAG_OPTIONAL, struct policy_limits, archive_depth),
	CYAML_FIELD_UINT("archive_entries", CYAML_FLAG_OPTIONAL, struct policy_limits, archive_entries),
	CYAML_FIELD_UINT("archive_ratio", CYAML_FLAG_OPTIONAL, struct policy_limits, archive_ratio),
	CYAML_FIELD_STRING_PTR("archive_total", CYAML_FLAG_POINTER | CYAML_FLAG_OPTIONAL,
	    struct policy_limits, archive_total, 1, 32),
	CYAML_FIELD_UINT("pdf_objects", CYAML_FLAG_OPTIONAL, struct policy_limits, pdf_objects),
	CYAML_FIELD_UINT("xml_depth", CYAML_FLAG_OPTIONAL, struct policy_limits, xml_depth),
	CYAML_FIELD_UINT("job_seconds", CYAML_FLAG_OPTIONAL, struct policy_limits, job_seconds),
	CYAML_FIELD_STRING_PTR("job_memory", CYAML_FLAG_POINTER | CYAML_FLAG_OPTIONAL,
	    struct policy_limits, job_memory, 1, 32),
	CYAML_FIELD_END
};

/* Booleans: a strict libcyaml enum, so that a typo is an error. */
static const cyaml_strval_t bool_strings[] = {
	{ "false", POLICY_FALSE }, { "true", POLICY_TRUE },
	{ "no", POLICY_FALSE }, { "yes", POLICY_TRUE },
};

/*
 * The other enumerated keys are read as strings (code compares the
 * words) and checked after loading against these lists, which also give
 * the <key>_id enum. A word outside its list is a load error with the
 * line and column of the key.
 */
struct word {
	const char *str;
	int id;
};

static const struct word attach_strings[] = {
	{ "remove", POLICY_ACTION_REMOVE }, { "sanitize", POLICY_ACTION_SANITIZE },
	{ "hold", POLICY_ACTION_HOLD },
};

static const struct word links_strings[] = {
	{ "keep", POLICY_LINKS_KEEP }, { "defang", POLICY_LINKS_DEFANG },
	{ "remove", POLICY_LINKS_REMOVE },
};

static const struct word charset_strings[] = {
	{ "utf-8", POLICY_CHARSET_UTF8 }, { "iso-2022-jp", POLICY_CHARSET_ISO2022JP },
};

static const struct word family_strings[] = {
	{ "pdf", POLICY_FAMILY_PDF }, { "office", POLICY_FAMILY_OFFICE },
	{ "image", POLICY_FAMILY_IMAGE }, { "text", POLICY_FAMILY_TEXT },
	{ "archive", POLICY_FAMILY_ARCHIVE }, { "html", POLICY_FAMILY_HTML },
	{ "other", POLICY_FAMILY_OTHER },
};

static const struct word conf3_strings[] = {
	{ "reject", POLICY_ACTION_REJECT }, { "hold", POLICY_ACTION_HOLD },
};

static const struct word conf2_strings[] = {
	{ "require-encryption", POLICY_ACTION_REQUIRE_ENCRYPTION },
	{ "hold", POLICY_ACTION_HOLD }, { "reject", POLICY_ACTION_REJECT },
};

static const struct word recipients_strings[] = {
	{ "bcc", POLICY_ACTION_BCC }, { "hold", POLICY_ACTION_HOLD },
};

static const struct word forward_strings[] = {
	{ "reject", POLICY_ACTION_REJECT }, { "hold", POLICY_ACTION_HOLD },
	{ "allow", POLICY_ACTION_ALLOW },
};

static const struct word class_strings[] = {
	{ "seed", POLICY_CLASS_SEED }, { "r6", POLICY_CLASS_R6 },
};

static const struct word zone_strings[] = {
	{ "mynumber", POLICY_ZONE_MYNUMBER }, { "lgwan", POLICY_ZONE_LGWAN },
	{ "internet", POLICY_ZONE_INTERNET },
};

static const struct word proto_strings[] = {
	{ "tcp", POLICY_PROTO_TCP }, { "udp", POLICY_PROTO_UDP },
	{ "icmp", POLICY_PROTO_ICMP }, { "any", POLICY_PROTO_ANY },
};

static const struct word via_strings[] = {
	{ "sanitize-mail", POLICY_VIA_SANITIZE_MAIL },
	{ "sanitize-file", POLICY_VIA_SANITIZE_FILE },
	{ "screen-transfer", POLICY_VIA_SCREEN_TRANSFER },
	{ "outbound-mail", POLICY_VIA_OUTBOUND_MAIL },
};

static const struct word mfa_strings[] = {
	{ "none", POLICY_MFA_NONE }, { "totp", POLICY_MFA_TOTP },
	{ "webauthn", POLICY_MFA_WEBAUTHN },
};

#define ENUM_FIELD(key, st, member, strings, flags) \
	CYAML_FIELD_ENUM(key, (flags) | CYAML_FLAG_STRICT, st, member, \
	    strings, CYAML_ARRAY_LEN(strings))
/* An enumerated key, read as a string and checked by check_words(). */
#define WORD_FIELD(key, st, member, flags) \
	CYAML_FIELD_STRING_PTR(key, (flags) | CYAML_FLAG_POINTER, st, member, 1, 32)
#define OPT	CYAML_FLAG_OPTIONAL
#define OPT_PTR	(CYAML_FLAG_POINTER | CYAML_FLAG_OPTIONAL)

static const cyaml_schema_field_t av_fields[] = {
	CYAML_FIELD_STRING_PTR("clamd", OPT_PTR, struct policy_av, clamd, 1, 256),
	ENUM_FIELD("required", struct policy_av, required, bool_strings, OPT),
	CYAML_FIELD_END
};

/* A domain or a network in a sequence. */
static const cyaml_schema_value_t short_string = {
	CYAML_VALUE_STRING(CYAML_FLAG_POINTER, char, 1, 255),
};

static const cyaml_schema_field_t rule_fields[] = {
	WORD_FIELD("type", struct policy_attachment_rule, type,
	    CYAML_FLAG_DEFAULT),
	WORD_FIELD("action", struct policy_attachment_rule, action,
	    CYAML_FLAG_DEFAULT),
	CYAML_FIELD_END
};

static const cyaml_schema_value_t rule_entry = {
	CYAML_VALUE_MAPPING(CYAML_FLAG_DEFAULT, struct policy_attachment_rule,
	    rule_fields),
};

static const cyaml_schema_field_t outbound_fields[] = {
	WORD_FIELD("confidential3", struct policy_outbound, confidential3, OPT),
	WORD_FIELD("confidential2", struct policy_outbound, confidential2, OPT),
	CYAML_FIELD_UINT("external_recipients_max", OPT, struct policy_outbound,
	    external_recipients_max),
	WORD_FIELD("external_recipients_action", struct policy_outbound,
	    external_recipients_action, OPT),
	WORD_FIELD("auto_forward", struct policy_outbound, auto_forward, OPT),
	CYAML_FIELD_END
};

static const cyaml_schema_field_t mail_fields[] = {
	CYAML_FIELD_STRING_PTR("max_size", OPT_PTR, struct policy_mail, max_size, 1, 32),
	WORD_FIELD("attachments", struct policy_mail, attachments, OPT),
	WORD_FIELD("links", struct policy_mail, links, OPT),
	WORD_FIELD("output_charset", struct policy_mail, output_charset, OPT),
	CYAML_FIELD_SEQUENCE("internal_domains", OPT_PTR, struct policy_mail,
	    internal_domains, &short_string, 0, POLICY_DOMAINS_MAX),
	CYAML_FIELD_SEQUENCE("attachment_rules", OPT_PTR, struct policy_mail,
	    attachment_rules, &rule_entry, 0, POLICY_RULES_MAX),
	CYAML_FIELD_STRING_PTR("classification_header", OPT_PTR,
	    struct policy_mail, classification_header, 1, 64),
	CYAML_FIELD_MAPPING_PTR("outbound", OPT_PTR, struct policy_mail,
	    outbound, outbound_fields),
	CYAML_FIELD_END
};

static const cyaml_schema_field_t store_fields[] = {
	CYAML_FIELD_STRING_PTR("dir", OPT_PTR, struct policy_store, dir, 1, 1024),
	CYAML_FIELD_UINT("retention_days", OPT, struct policy_store, retention_days),
	CYAML_FIELD_END
};

static const cyaml_schema_field_t log_fields[] = {
	CYAML_FIELD_UINT("retention_days", OPT, struct policy_log, retention_days),
	CYAML_FIELD_STRING_PTR("syslog", OPT_PTR, struct policy_log, syslog, 1, 256),
	CYAML_FIELD_END
};

static const cyaml_schema_field_t zone_fields[] = {
	CYAML_FIELD_SEQUENCE("networks", OPT_PTR, struct policy_zone, networks,
	    &short_string, 0, POLICY_NETWORKS_MAX),
	CYAML_FIELD_STRING_PTR("interface", OPT_PTR, struct policy_zone,
	    interface, 1, 15),	/* IFNAMSIZ - 1 */
	CYAML_FIELD_STRING_PTR("description", OPT_PTR, struct policy_zone,
	    description, 0, 1024),
	CYAML_FIELD_END
};

static const cyaml_schema_field_t zones_fields[] = {
	CYAML_FIELD_MAPPING_PTR("mynumber", OPT_PTR, struct policy_zones,
	    mynumber, zone_fields),
	CYAML_FIELD_MAPPING_PTR("lgwan", OPT_PTR, struct policy_zones, lgwan,
	    zone_fields),
	CYAML_FIELD_MAPPING_PTR("internet", OPT_PTR, struct policy_zones,
	    internet, zone_fields),
	CYAML_FIELD_END
};

static const cyaml_schema_field_t host_fields[] = {
	CYAML_FIELD_STRING_PTR("name", CYAML_FLAG_POINTER, struct policy_host,
	    name, 1, 64),
	WORD_FIELD("zone", struct policy_host, zone, CYAML_FLAG_DEFAULT),
	CYAML_FIELD_STRING_PTR("ip", OPT_PTR, struct policy_host, ip, 1, 64),
	CYAML_FIELD_STRING_PTR("mac", OPT_PTR, struct policy_host, mac, 1, 32),
	CYAML_FIELD_STRING_PTR("description", OPT_PTR, struct policy_host,
	    description, 0, 1024),
	CYAML_FIELD_END
};

static const cyaml_schema_value_t host_entry = {
	CYAML_VALUE_MAPPING(CYAML_FLAG_DEFAULT, struct policy_host, host_fields),
};

static const cyaml_schema_field_t flow_fields[] = {
	CYAML_FIELD_STRING_PTR("name", OPT_PTR, struct policy_flow, name, 1, 64),
	CYAML_FIELD_STRING_PTR("from", CYAML_FLAG_POINTER, struct policy_flow,
	    from, 1, 64),
	CYAML_FIELD_STRING_PTR("to", CYAML_FLAG_POINTER, struct policy_flow,
	    to, 1, 64),
	WORD_FIELD("proto", struct policy_flow, proto, OPT),
	CYAML_FIELD_STRING_PTR("port", OPT_PTR, struct policy_flow, port, 1, 16),
	WORD_FIELD("via", struct policy_flow, via, OPT),
	CYAML_FIELD_STRING_PTR("relay", OPT_PTR, struct policy_flow, relay, 1, 64),
	CYAML_FIELD_STRING_PTR("purpose", OPT_PTR, struct policy_flow, purpose,
	    1, 1024),
	CYAML_FIELD_END
};

static const cyaml_schema_value_t flow_entry = {
	CYAML_VALUE_MAPPING(CYAML_FLAG_DEFAULT, struct policy_flow, flow_fields),
};

static const cyaml_schema_field_t console_fields[] = {
	WORD_FIELD("mfa", struct policy_console, mfa, OPT),
	CYAML_FIELD_UINT("max_login_attempts", OPT, struct policy_console,
	    max_login_attempts),
	CYAML_FIELD_STRING_PTR("idle_timeout", OPT_PTR, struct policy_console,
	    idle_timeout, 1, 16),
	CYAML_FIELD_STRING_PTR("privileged_session_max", OPT_PTR,
	    struct policy_console, privileged_session_max, 1, 16),
	CYAML_FIELD_UINT("unused_account_days", OPT, struct policy_console,
	    unused_account_days),
	CYAML_FIELD_END
};

static const cyaml_schema_field_t policy_fields[] = {
	CYAML_FIELD_STRING_PTR("organization", OPT_PTR, struct policy,
	    organization, 0, 256),
	WORD_FIELD("classification", struct policy, classification, OPT),
	CYAML_FIELD_MAPPING_PTR("zones", OPT_PTR, struct policy, zones,
	    zones_fields),
	CYAML_FIELD_SEQUENCE("hosts", OPT_PTR, struct policy, hosts,
	    &host_entry, 0, POLICY_HOSTS_MAX),
	CYAML_FIELD_SEQUENCE("flows", OPT_PTR, struct policy, flows,
	    &flow_entry, 0, POLICY_FLOWS_MAX),
	CYAML_FIELD_MAPPING_PTR("store", OPT_PTR, struct policy, store, store_fields),
	CYAML_FIELD_MAPPING_PTR("log", OPT_PTR, struct policy, log, log_fields),
	CYAML_FIELD_MAPPING_PTR("limits", OPT_PTR, struct policy, limits,
	    limits_fields),
	CYAML_FIELD_MAPPING_PTR("av", OPT_PTR, struct policy, av, av_fields),
	CYAML_FIELD_MAPPING_PTR("mail", OPT_PTR, struct policy, mail, mail_fields),
	CYAML_FIELD_MAPPING_PTR("console", OPT_PTR, struct policy, console,
	    console_fields),
	CYAML_FIELD_END
};

static const cyaml_schema_value_t policy_schema = {
	CYAML_VALUE_MAPPING(CYAML_FLAG_POINTER, struct policy, policy_fields),
};

/*
 * libcyaml reports errors through its log callback, one line at a time:
 * the problem, then a backtrace from the innermost node outwards, each
 * with "(line: L, column: C)". Keep the lines so that the loader can
 * say "file:L:C: key.path: problem". Static, so policy_load is not
 * thread-safe; the programs load their policy once, at start.
 */
#define LOG_LINES	16
static char policy_log_lines[LOG_LINES][256];
static unsigned policy_log_count;

static void policy_log(cyaml_log_t level, void *ctx, const char *fmt,
    va_list args) __attribute__((format(printf, 3, 0)));

static void
policy_log(cyaml_log_t level, void *ctx, const char *fmt, va_list args)
{
	char line[256];
	size_t n;

	if (level < CYAML_LOG_ERROR || policy_log_count == LOG_LINES)
		return;
	vsnprintf(line, sizeof(line), fmt, args);
	n = strlen(line);
	while (n > 0 && (line[n - 1] == '\n' || line[n - 1] == ' '))
		line[--n] = '\0';
	if (n == 0)
		return;
	memcpy(policy_log_lines[policy_log_count++], line, n + 1);
}

/* Aliases are refused: a policy never needs them, and replaying one
   alias many times is the classic "billion laughs" memory bomb. */
static const cyaml_config_t policy_cfg = {
	.log_fn = policy_log,
	.mem_fn = cyaml_mem,
	.log_level = CYAML_LOG_ERROR,
	.flags = CYAML_CFG_NO_ALIAS,
};

/* Turn libcyaml's log lines into "name:L:C: path: problem". */
static void
format_cyaml_error(cyaml_err_t e, const struct policy_index *ix, char *err,
    size_t err_size)
{
	const char *name = ix->name;
	char path[256] = "", comp[80], tmp[64];
	size_t cl, pl, sep;
	unsigned first_bt = LOG_LINES;
	const char *problem = NULL, *s, *q;
	unsigned i, line = 0, col = 0, l, c;

	for (i = 0; i < policy_log_count; i++) {
		s = policy_log_lines[i];
		if (strncmp(s, "Load: ", 6) == 0)
			s += 6;
		while (*s == ' ')
			s++;
		if (strncmp(s, "in ", 3) == 0) {
			/* Backtrace entry, innermost first. */
			if (first_bt == LOG_LINES)
				first_bt = i;
			q = strstr(s, "(line: ");
			if (q != NULL && line == 0 &&
			    sscanf(q, "(line: %u, column: %u)", &l, &c) == 2) {
				line = l;
				col = c;
			}
			comp[0] = '\0';
			/* For a missing field, the backtrace's innermost
			   field is the last one seen, not the missing one. */
			if (i == first_bt && problem != NULL &&
			    strncmp(problem, "Missing required", 16) == 0)
				;
			else if (sscanf(s, "in mapping field '%63[^']'", tmp) == 1)
				snprintf(comp, sizeof(comp), "%s", tmp);
			else if (sscanf(s, "in sequence entry '%u'", &l) == 1 &&
			    l > 0)
				/* libcyaml counts entries from 1. */
				snprintf(comp, sizeof(comp), "[%u]", l - 1);
			/* Outer components come later: prepend. */
			cl = strlen(comp);
			pl = strlen(path);
			sep = pl > 0 && path[0] != '[';
			if (cl > 0 && cl + sep + pl < sizeof(path)) {
				memmove(path + cl + sep, path, pl + 1);
				memcpy(path, comp, cl);
				if (sep)
					path[cl] = '.';
			}
		} else if (problem == NULL && strcmp(s, "Backtrace:") != 0)
			problem = s;
	}
	if (problem == NULL)
		problem = cyaml_strerror(e);
	/* libcyaml places a missing field at the end of its mapping;
	   the mapping's start is where a reader looks. */
	if (strncmp(problem, "Missing required", 16) == 0 && path[0] != '\0')
		(void)yamlpos_find(ix->pos, path, &line, &col);
	/* And an unknown key where its mapping is: find the key itself. */
	if (strncmp(problem, "Unexpected key: ", 16) == 0) {
		char key[sizeof(path) + 80];

		snprintf(key, sizeof(key), "%s%s%s", path, path[0] ? "." : "",
		    problem + 16);
		(void)yamlpos_find(ix->pos, key, &line, &col);
	}
	if (line > 0)
		snprintf(err, err_size, "%s:%u:%u: %s%s%s", name, line, col,
		    path, path[0] ? ": " : "", problem);
	else
		snprintf(err, err_size, "%s: %s%s%s", name, path,
		    path[0] ? ": " : "", problem);
}

static const char *const zone_names[POLICY_ZONE_COUNT] = {
	"mynumber", "lgwan", "internet",
};

const char *
policy_zone_name(enum policy_zone_id id)
{
	return (unsigned)id < POLICY_ZONE_COUNT ? zone_names[id] : "?";
}

int
policy_zone_by_name(const char *name)
{
	int i;

	for (i = 0; i < POLICY_ZONE_COUNT; i++)
		if (name != NULL && strcmp(name, zone_names[i]) == 0)
			return i;
	return -1;
}

const struct policy_zone *
policy_zone(const struct policy *p, enum policy_zone_id id)
{
	switch (id) {
	case POLICY_ZONE_MYNUMBER:
		return p->zones->mynumber;
	case POLICY_ZONE_LGWAN:
		return p->zones->lgwan;
	case POLICY_ZONE_INTERNET:
		return p->zones->internet;
	default:
		return NULL;
	}
}

const struct policy_host *
policy_host_by_name(const struct policy *p, const char *name)
{
	unsigned i;

	for (i = 0; i < p->hosts_count; i++)
		if (name != NULL && strcmp(p->hosts[i].name, name) == 0)
			return &p->hosts[i];
	return NULL;
}

/* Fill what an absent key means, so that readers need not test for
   NULL (the header says which fields are never NULL). Allocations use
   malloc, which libcyaml's default allocator frees. */
static int
fill_defaults(struct policy *p)
{
	struct policy_mail *m;

	if (p->zones == NULL && (p->zones = calloc(1, sizeof(*p->zones))) == NULL)
		return -1;
	if (p->mail == NULL && (p->mail = calloc(1, sizeof(*p->mail))) == NULL)
		return -1;
	m = p->mail;
	if (m->outbound == NULL &&
	    (m->outbound = calloc(1, sizeof(*m->outbound))) == NULL)
		return -1;
	if (m->classification_header == NULL &&
	    (m->classification_header = strdup("X-Classification")) == NULL)
		return -1;
	if (m->attachments == NULL && (m->attachments = strdup("remove")) == NULL)
		return -1;
	return 0;
}

/* Look the word s up in list and store its id. Returns 0, or -1 with
   "name:L:C: path: "x" is not one of: a, b" in err. */
static int
word_id(const struct policy_index *ix, const char *path, const char *s,
    const struct word *list, size_t n, int *id, char *err, size_t err_size)
{
	char words[256] = "";
	unsigned line, col;
	size_t i, used;

	for (i = 0; i < n; i++)
		if (strcmp(s, list[i].str) == 0) {
			*id = list[i].id;
			return 0;
		}
	for (i = 0; i < n; i++) {
		used = strlen(words);
		snprintf(words + used, sizeof(words) - used, "%s%s",
		    i > 0 ? ", " : "", list[i].str);
	}
	if (yamlpos_find(ix->pos, path, &line, &col) > 0)
		snprintf(err, err_size, "%s:%u:%u: %s: \"%s\" is not one of: %s",
		    ix->name, line, col, path, s, words);
	else
		snprintf(err, err_size, "%s: %s: \"%s\" is not one of: %s",
		    ix->name, path, s, words);
	return -1;
}

#define WORD(path, s, list, dst) do { \
	int id_ = (int)(dst); \
	if ((s) != NULL && word_id(ix, (path), (s), (list), \
	    sizeof(list) / sizeof((list)[0]), &id_, err, err_size) < 0) \
		return -1; \
	(dst) = id_; \
} while (0)

/* Check every enumerated key and fill its <key>_id. */
static int
check_words(struct policy *p, const struct policy_index *ix, char *err,
    size_t err_size)
{
	struct policy_mail *m = p->mail;
	struct policy_outbound *o = m->outbound;
	char path[64];
	unsigned i;

	WORD("classification", p->classification, class_strings,
	    p->classification_id);
	for (i = 0; i < p->hosts_count; i++) {
		snprintf(path, sizeof(path), "hosts[%u].zone", i);
		WORD(path, p->hosts[i].zone, zone_strings, p->hosts[i].zone_id);
	}
	for (i = 0; i < p->flows_count; i++) {
		snprintf(path, sizeof(path), "flows[%u].proto", i);
		WORD(path, p->flows[i].proto, proto_strings, p->flows[i].proto_id);
		snprintf(path, sizeof(path), "flows[%u].via", i);
		WORD(path, p->flows[i].via, via_strings, p->flows[i].via_id);
	}
	WORD("mail.attachments", m->attachments, attach_strings,
	    m->attachments_id);
	WORD("mail.links", m->links, links_strings, m->links_id);
	WORD("mail.output_charset", m->output_charset, charset_strings,
	    m->output_charset_id);
	for (i = 0; i < m->attachment_rules_count; i++) {
		struct policy_attachment_rule *r = &m->attachment_rules[i];

		snprintf(path, sizeof(path), "mail.attachment_rules[%u].type", i);
		WORD(path, r->type, family_strings, r->type_id);
		snprintf(path, sizeof(path), "mail.attachment_rules[%u].action", i);
		WORD(path, r->action, attach_strings, r->action_id);
	}
	WORD("mail.outbound.confidential3", o->confidential3, conf3_strings,
	    o->confidential3_id);
	WORD("mail.outbound.confidential2", o->confidential2, conf2_strings,
	    o->confidential2_id);
	WORD("mail.outbound.external_recipients_action",
	    o->external_recipients_action, recipients_strings,
	    o->external_recipients_action_id);
	WORD("mail.outbound.auto_forward", o->auto_forward, forward_strings,
	    o->auto_forward_id);
	if (p->console != NULL)
		WORD("console.mfa", p->console->mfa, mfa_strings,
		    p->console->mfa_id);
	return 0;
}

/* Parse every zone network once for policy_zone_of_addr(). */
static int
build_index(struct policy *p, struct policy_index *ix)
{
	const struct policy_zone *z;
	size_t total = 0;
	unsigned i;
	int id;

	for (id = 0; id < POLICY_ZONE_COUNT; id++)
		if ((z = policy_zone(p, id)) != NULL)
			total += z->networks_count;
	ix->nets = calloc(total ? total : 1, sizeof(*ix->nets));
	if (ix->nets == NULL)
		return -1;
	for (id = 0; id < POLICY_ZONE_COUNT; id++) {
		if ((z = policy_zone(p, id)) == NULL)
			continue;
		for (i = 0; i < z->networks_count; i++) {
			struct policy_net *n = &ix->nets[ix->nets_count];

			/* A network with host bits set is still used as
			   its masked form; check reports it. */
			if (netaddr_parse_cidr(z->networks[i], &n->net) == -1)
				continue;
			n->zone = id;
			ix->nets_count++;
		}
	}
	return 0;
}

/* Report "name:L:C: path: what" for a value that does not parse. */
static void
value_error(const struct policy_index *ix, const char *path,
    const char *value, const char *what, char *err, size_t err_size)
{
	unsigned line, col;

	if (yamlpos_find(ix->pos, path, &line, &col) > 0)
		snprintf(err, err_size, "%s:%u:%u: %s: %s: \"%s\"", ix->name,
		    line, col, path, what, value);
	else
		snprintf(err, err_size, "%s: %s: %s: \"%s\"", ix->name, path,
		    what, value);
}

/*
 * Sizes and durations are strings in YAML ("20MB", "15m") but typed
 * values to sanso: a typo in one is a load error with its position,
 * like a word in an integer field, not something found later.
 */
static int
check_values(const struct policy *p, const struct policy_index *ix,
    char *err, size_t err_size)
{
	static const char size_what[] = "not a size (e.g. 20MB, 512KiB, 1G)";
	static const char dur_what[] = "not a duration (e.g. 90s, 15m, 1h, 7d)";
	const struct policy_limits *l = p->limits;
	const struct {
		const char *path, *value, *what;
		bool duration;
	} v[] = {
		{ "limits.file_size", l ? l->file_size : NULL, size_what, false },
		{ "limits.output_size", l ? l->output_size : NULL, size_what, false },
		{ "limits.header_bytes", l ? l->header_bytes : NULL, size_what, false },
		{ "limits.line_length", l ? l->line_length : NULL, size_what, false },
		{ "limits.archive_total", l ? l->archive_total : NULL, size_what, false },
		{ "limits.job_memory", l ? l->job_memory : NULL, size_what, false },
		{ "mail.max_size", p->mail->max_size, size_what, false },
		{ "console.idle_timeout",
		    p->console ? p->console->idle_timeout : NULL, dur_what, true },
		{ "console.privileged_session_max",
		    p->console ? p->console->privileged_session_max : NULL,
		    dur_what, true },
	};
	uint64_t n;
	size_t i;
	int rc;

	for (i = 0; i < sizeof(v) / sizeof(v[0]); i++) {
		if (v[i].value == NULL)
			continue;
		rc = v[i].duration ? policy_parse_duration(v[i].value, &n) :
		    policy_parse_size(v[i].value, &n);
		if (rc < 0 || n == 0) {
			value_error(ix, v[i].path, v[i].value, v[i].what, err,
			    err_size);
			return -1;
		}
	}
	return 0;
}

static void
index_free(struct policy_index *ix)
{
	if (ix == NULL)
		return;
	free(ix->nets);
	yamlpos_free(ix->pos);
	free(ix->name);
	free(ix);
}

struct policy *
policy_load_mem(const void *data, size_t len, const char *name, char *err,
    size_t err_size)
{
	struct policy_index *ix;
	struct policy *p = NULL;
	unsigned line, col;
	char msg[256];
	cyaml_err_t e;

	if (len > POLICY_FILE_MAX) {
		snprintf(err, err_size, "%s: larger than %u bytes", name,
		    POLICY_FILE_MAX);
		return NULL;
	}
	ix = calloc(1, sizeof(*ix));
	if (ix == NULL || (ix->name = strdup(name)) == NULL) {
		snprintf(err, err_size, "%s: out of memory", name);
		index_free(ix);
		return NULL;
	}
	/* libyaml first: its syntax errors carry a position that
	   libcyaml does not pass on. */
	ix->pos = yamlpos_parse(data, len, &line, &col, msg, sizeof(msg));
	if (ix->pos == NULL) {
		if (line > 0)
			snprintf(err, err_size, "%s:%u:%u: %s", name, line, col, msg);
		else
			snprintf(err, err_size, "%s: %s", name, msg);
		index_free(ix);
		return NULL;
	}
	policy_log_count = 0;
	e = cyaml_load_data(data, len, &policy_cfg, &policy_schema,
	    (cyaml_data_t **)&p, NULL);
	if (e != CYAML_OK) {
		format_cyaml_error(e, ix, err, err_size);
		index_free(ix);
		return NULL;
	}
	if (p == NULL) {
		snprintf(err, err_size, "%s: empty policy", name);
		index_free(ix);
		return NULL;
	}
	if (fill_defaults(p) < 0 || build_index(p, ix) < 0) {
		snprintf(err, err_size, "%s: out of memory", name);
		index_free(ix);
		policy_free(p);
		return NULL;
	}
	if (check_words(p, ix, err, err_size) < 0 ||
	    check_values(p, ix, err, err_size) < 0) {
		index_free(ix);
		policy_free(p);
		return NULL;
	}
	p->priv = ix;
	return p;
}

struct policy *
policy_load(const char *path, char *err, size_t err_size)
{
	struct policy *p;
	unsigned char *buf;
	size_t len = 0;
	FILE *fp;
	int saved;

	fp = fopen(path, "rb");
	if (fp == NULL) {
		snprintf(err, err_size, "%s: %s", path, strerror(errno));
		return NULL;
	}
	/* One byte more than the maximum tells "too large" from "full". */
	buf = malloc(POLICY_FILE_MAX + 1);
	if (buf == NULL) {
		fclose(fp);
		snprintf(err, err_size, "%s: out of memory", path);
		return NULL;
	}
	len = fread(buf, 1, POLICY_FILE_MAX + 1, fp);
	saved = errno;
	if (ferror(fp)) {
		snprintf(err, err_size, "%s: %s", path, strerror(saved));
		fclose(fp);
		free(buf);
		return NULL;
	}
	fclose(fp);
	p = policy_load_mem(buf, len, path, err, err_size);
	free(buf);
	return p;
}

void
policy_free(struct policy *p)
{
	if (p == NULL)
		return;
	index_free(p->priv);
	p->priv = NULL;
	cyaml_free(&policy_cfg, &policy_schema, p, 0);
}

const char *
policy_zone_of_addr(const struct policy *p, const char *ip_text)
{
	const struct policy_net *best = NULL;
	struct netaddr a;
	size_t i;

	if (p == NULL || p->priv == NULL || netaddr_parse_ip(ip_text, &a) < 0)
		return NULL;
	for (i = 0; i < p->priv->nets_count; i++) {
		const struct policy_net *n = &p->priv->nets[i];

		if (netaddr_contains(&n->net, &a) &&
		    (best == NULL || n->net.prefix > best->net.prefix))
			best = n;
	}
	return best != NULL ? zone_names[best->zone] : NULL;
}

void
policy_endpoint(const struct policy *p, const char *name,
    struct policy_endpoint *ep)
{
	const struct policy_host *h;
	int z;

	memset(ep, 0, sizeof(*ep));
	if ((z = policy_zone_by_name(name)) >= 0) {
		ep->is_zone = true;
		ep->zone = z;
		ep->known = policy_zone(p, z) != NULL;
	} else if ((h = policy_host_by_name(p, name)) != NULL) {
		ep->known = true;
		ep->host = h;
		ep->host_index = (unsigned)(h - p->hosts);
		ep->zone = h->zone_id;
	}
}

int
policy_port_parse(const char *s, unsigned *lo_r, unsigned *hi_r)
{
	unsigned long lo, hi;
	char *end;

	if (s == NULL)
		return -1;
	if (strcasecmp(s, "any") == 0 || strcmp(s, "*") == 0 ||
	    strcasecmp(s, "all") == 0)
		return -2;
	if (!isdigit((unsigned char)*s) || strlen(s) > 11)
		return -1;
	lo = strtoul(s, &end, 10);
	hi = lo;
	if (*end == '-') {
		if (!isdigit((unsigned char)end[1]))
			return -1;
		hi = strtoul(end + 1, &end, 10);
	}
	if (*end != '\0' || lo == 0 || lo > 65535 || hi > 65535 || hi < lo)
		return -1;
	*lo_r = (unsigned)lo;
	*hi_r = (unsigned)hi;
	return 0;
}

/* ASCII only: isalnum() would follow the locale. */
static bool
name_char(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	    (c >= '0' && c <= '9');
}

bool
policy_name_ok(const char *s)
{
	size_t i, n;

	if (s == NULL || (n = strlen(s)) == 0 || n > 32 || !name_char(s[0]))
		return false;
	for (i = 0; i < n; i++)
		if (!name_char(s[i]) && s[i] != '.' && s[i] != '_' && s[i] != '-')
			return false;
	return true;
}

int
policy_parse_duration(const char *s, uint64_t *seconds_r)
{
	unsigned long long v;
	uint64_t mul;
	char *end;

	if (s == NULL || !isdigit((unsigned char)*s))
		return -1;
	errno = 0;
	v = strtoull(s, &end, 10);
	if (errno != 0)
		return -1;
	while (*end == ' ')
		end++;
	if (strcmp(end, "s") == 0 || strcmp(end, "sec") == 0)
		mul = 1;
	else if (strcmp(end, "m") == 0 || strcmp(end, "min") == 0)
		mul = 60;
	else if (strcmp(end, "h") == 0)
		mul = 3600;
	else if (strcmp(end, "d") == 0)
		mul = 86400;
	else
		return -1;
	if (__builtin_mul_overflow((uint64_t)v, mul, seconds_r))
		return -1;
	return 0;
}

int
policy_parse_size(const char *s, uint64_t *bytes_r)
{
	unsigned long long v;
	uint64_t mul = 1;
	char *end;

	if (s == NULL || !isdigit((unsigned char)*s))
		return -1;
	errno = 0;
	v = strtoull(s, &end, 10);
	if (errno != 0)
		return -1;
	while (*end == ' ')
		end++;
	if (*end == '\0' || strcasecmp(end, "B") == 0)
		mul = 1;
	else if (strcasecmp(end, "K") == 0 || strcasecmp(end, "KB") == 0 ||
	    strcasecmp(end, "KiB") == 0)
		mul = 1024;
	else if (strcasecmp(end, "M") == 0 || strcasecmp(end, "MB") == 0 ||
	    strcasecmp(end, "MiB") == 0)
		mul = 1024 * 1024;
	else if (strcasecmp(end, "G") == 0 || strcasecmp(end, "GB") == 0 ||
	    strcasecmp(end, "GiB") == 0)
		mul = 1024ULL * 1024 * 1024;
	else
		return -1;
	if (__builtin_mul_overflow((uint64_t)v, mul, bytes_r))
		return -1;
	return 0;
}

static int
apply_size(const char *key, const char *val, uint64_t *dst, char *err,
    size_t err_size)
{
	if (val == NULL)
		return 0;
	if (policy_parse_size(val, dst) < 0 || *dst == 0) {
		snprintf(err, err_size, "%s: not a size: \"%s\"", key, val);
		return -1;
	}
	return 0;
}

static int
apply_size_t(const char *key, const char *val, size_t *dst, char *err,
    size_t err_size)
{
	uint64_t v;

	if (val == NULL)
		return 0;
	if (apply_size(key, val, &v, err, err_size) < 0)
		return -1;
	if (v > SIZE_MAX) {
		snprintf(err, err_size, "%s: too large", key);
		return -1;
	}
	*dst = (size_t)v;
	return 0;
}

/* Copy a non-zero unsigned setting. */
static void
apply_uint(unsigned val, unsigned *dst)
{
	if (val != 0)
		*dst = val;
}

int
policy_apply(const struct policy *p, struct limits *limits,
    struct cdr_options *opts, const char **clamd_r, bool *av_required_r,
    char *err, size_t err_size)
{
	const struct policy_limits *l = p->limits;

	if (l != NULL) {
		if (apply_size("limits.file_size", l->file_size,
		    &limits->file_size, err, err_size) < 0 ||
		    apply_size("limits.archive_total", l->archive_total,
		    &limits->archive_total, err, err_size) < 0 ||
		    apply_size("limits.job_memory", l->job_memory,
		    &limits->job_memory, err, err_size) < 0 ||
		    apply_size("limits.output_size", l->output_size,
		    &limits->output_size, err, err_size) < 0)
			return -1;
		if (apply_size_t("limits.header_bytes", l->header_bytes,
		    &limits->header_bytes, err, err_size) < 0 ||
		    apply_size_t("limits.line_length", l->line_length,
		    &limits->line_length, err, err_size) < 0)
			return -1;
		if (l->xml_nodes != 0)
			limits->xml_nodes = l->xml_nodes;
		if (l->image_pixels != 0)
			limits->image_pixels = l->image_pixels;
		apply_uint(l->rtf_depth, &limits->rtf_depth);
		apply_uint(l->mime_depth, &limits->mime_depth);
		apply_uint(l->mime_parts, &limits->mime_parts);
		apply_uint(l->archive_depth, &limits->archive_depth);
		apply_uint(l->archive_entries, &limits->archive_entries);
		apply_uint(l->archive_ratio, &limits->archive_ratio);
		apply_uint(l->pdf_objects, &limits->pdf_objects);
		apply_uint(l->xml_depth, &limits->xml_depth);
		apply_uint(l->job_seconds, &limits->job_seconds);
	}
	/* mail.links is checked by the schema; only a set value changes the
	   engine default. */
	if (p->mail != NULL) {
		switch (p->mail->links_id) {
		case POLICY_LINKS_KEEP:
			opts->links = LINKS_KEEP;
			break;
		case POLICY_LINKS_DEFANG:
			opts->links = LINKS_DEFANG;
			break;
		case POLICY_LINKS_REMOVE:
			opts->links = LINKS_REMOVE;
			break;
		case POLICY_LINKS_UNSET:
			break;
		}
	}
	if (p->av != NULL) {
		*clamd_r = p->av->clamd;
		*av_required_r = p->av->required == POLICY_TRUE;
	}
	return 0;
}
