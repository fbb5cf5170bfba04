/*
 * policy - libcyaml schema and mapping onto engine settings.
 */
#include <cyaml/cyaml.h>
#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "policy.h"

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

static const cyaml_strval_t bool_strings[] = {
	{ "false", POLICY_FALSE }, { "true", POLICY_TRUE },
	{ "no", POLICY_FALSE }, { "yes", POLICY_TRUE },
};

static const cyaml_schema_field_t av_fields[] = {
	CYAML_FIELD_STRING_PTR("clamd", CYAML_FLAG_POINTER | CYAML_FLAG_OPTIONAL,
	    struct policy_av, clamd, 1, 256),
	CYAML_FIELD_ENUM("required", CYAML_FLAG_OPTIONAL | CYAML_FLAG_STRICT,
	    struct policy_av, required, bool_strings,
	    CYAML_ARRAY_LEN(bool_strings)),
	CYAML_FIELD_END
};


static const cyaml_schema_field_t mail_fields[] = {
	CYAML_FIELD_STRING_PTR("max_size", CYAML_FLAG_POINTER | CYAML_FLAG_OPTIONAL,
	    struct policy_mail, max_size, 1, 32),
	CYAML_FIELD_STRING_PTR("attachments", CYAML_FLAG_POINTER | CYAML_FLAG_OPTIONAL,
	    struct policy_mail, attachments, 1, 16),
	CYAML_FIELD_STRING_PTR("links", CYAML_FLAG_POINTER | CYAML_FLAG_OPTIONAL,
	    struct policy_mail, links, 1, 16),
	/* Read by the mail capabilities, skipped here. */
	CYAML_FIELD_IGNORE("internal_domains", CYAML_FLAG_OPTIONAL),
	CYAML_FIELD_IGNORE("outbound", CYAML_FLAG_OPTIONAL),
	CYAML_FIELD_IGNORE("output_charset", CYAML_FLAG_OPTIONAL),
	CYAML_FIELD_END
};

static const cyaml_schema_field_t store_fields[] = {
	CYAML_FIELD_STRING_PTR("dir", CYAML_FLAG_POINTER | CYAML_FLAG_OPTIONAL,
	    struct policy_store, dir, 1, 1024),
	CYAML_FIELD_UINT("retention_days", CYAML_FLAG_OPTIONAL,
	    struct policy_store, retention_days),
	CYAML_FIELD_END
};

static const cyaml_schema_field_t log_fields[] = {
	CYAML_FIELD_UINT("retention_days", CYAML_FLAG_OPTIONAL,
	    struct policy_log, retention_days),
	CYAML_FIELD_STRING_PTR("syslog", CYAML_FLAG_POINTER | CYAML_FLAG_OPTIONAL,
	    struct policy_log, syslog, 1, 256),
	CYAML_FIELD_END
};

static const cyaml_schema_field_t policy_fields[] = {
	CYAML_FIELD_MAPPING_PTR("store", CYAML_FLAG_POINTER | CYAML_FLAG_OPTIONAL,
	    struct policy, store, store_fields),
	CYAML_FIELD_MAPPING_PTR("log", CYAML_FLAG_POINTER | CYAML_FLAG_OPTIONAL,
	    struct policy, log, log_fields),
	CYAML_FIELD_STRING_PTR("organization", CYAML_FLAG_POINTER | CYAML_FLAG_OPTIONAL,
	    struct policy, organization, 0, 256),
	CYAML_FIELD_MAPPING_PTR("limits", CYAML_FLAG_POINTER | CYAML_FLAG_OPTIONAL,
	    struct policy, limits, limits_fields),
	CYAML_FIELD_MAPPING_PTR("av", CYAML_FLAG_POINTER | CYAML_FLAG_OPTIONAL,
	    struct policy, av, av_fields),
	CYAML_FIELD_MAPPING_PTR("mail", CYAML_FLAG_POINTER | CYAML_FLAG_OPTIONAL,
	    struct policy, mail, mail_fields),
	/* Zone, console and log settings belong to other capabilities. */
	CYAML_FIELD_IGNORE("classification", CYAML_FLAG_OPTIONAL),
	CYAML_FIELD_IGNORE("zones", CYAML_FLAG_OPTIONAL),
	CYAML_FIELD_IGNORE("hosts", CYAML_FLAG_OPTIONAL),
	CYAML_FIELD_IGNORE("flows", CYAML_FLAG_OPTIONAL),
	CYAML_FIELD_IGNORE("console", CYAML_FLAG_OPTIONAL),
	CYAML_FIELD_END
};

static const cyaml_schema_value_t policy_schema = {
	CYAML_VALUE_MAPPING(CYAML_FLAG_POINTER, struct policy, policy_fields),
};

/* libcyaml reports errors through its log callback; keep the last
   error line (it names the line and column) for the caller. */
static char policy_last_log[512];

static void
policy_log(cyaml_log_t level, void *ctx, const char *fmt, va_list args)
{
	char line[512];
	size_t n;

	if (level < CYAML_LOG_ERROR)
		return;
	vsnprintf(line, sizeof(line), fmt, args);
	n = strlen(line);
	while (n > 0 && (line[n - 1] == '\n' || line[n - 1] == ' '))
		line[--n] = '\0';
	if (n == 0)
		return;
	if (policy_last_log[0] != '\0' &&
	    strlen(policy_last_log) + n + 3 < sizeof(policy_last_log)) {
		strcat(policy_last_log, "; ");
		strcat(policy_last_log, line);
	} else if (policy_last_log[0] == '\0')
		snprintf(policy_last_log, sizeof(policy_last_log), "%s", line);
}

static const cyaml_config_t policy_cfg = {
	.log_fn = policy_log,
	.mem_fn = cyaml_mem,
	.log_level = CYAML_LOG_ERROR,
	.flags = CYAML_CFG_DEFAULT,
};

struct policy *
policy_load(const char *path, char *err, size_t err_size)
{
	struct policy *p = NULL;
	cyaml_err_t e;

	policy_last_log[0] = '\0';
	e = cyaml_load_file(path, &policy_cfg, &policy_schema,
	    (cyaml_data_t **)&p, NULL);
	if (e != CYAML_OK) {
		snprintf(err, err_size, "%s: %s%s%s", path, cyaml_strerror(e),
		    policy_last_log[0] ? ": " : "", policy_last_log);
		return NULL;
	}
	if (p == NULL)
		snprintf(err, err_size, "%s: empty policy", path);
	return p;
}

void
policy_free(struct policy *p)
{
	if (p != NULL)
		cyaml_free(&policy_cfg, &policy_schema, p, 0);
}

int
policy_parse_size(const char *s, uint64_t *bytes_r)
{
	unsigned long long v;
	uint64_t mul = 1;
	char *end;

	if (s == NULL || !isdigit((unsigned char)*s))
		return -1;
	v = strtoull(s, &end, 10);
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
	if (p->mail != NULL && p->mail->links != NULL) {
		if (strcmp(p->mail->links, "keep") == 0)
			opts->links = LINKS_KEEP;
		else if (strcmp(p->mail->links, "defang") == 0)
			opts->links = LINKS_DEFANG;
		else if (strcmp(p->mail->links, "remove") == 0)
			opts->links = LINKS_REMOVE;
		else {
			snprintf(err, err_size,
			    "mail.links: must be keep, defang or remove");
			return -1;
		}
	}
	if (p->av != NULL) {
		*clamd_r = p->av->clamd;
		*av_required_r = p->av->required == POLICY_TRUE;
	}
	return 0;
}
