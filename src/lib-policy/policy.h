/*
 * policy - the organization's policy file (YAML, read with libcyaml).
 *
 * One file describes zones, hosts, flows, mail rules, console settings,
 * log retention, the malware scanner and the limits. This module reads
 * it into a struct policy and maps it onto what the engine takes
 * (struct limits, struct cdr_options). Keys not yet used by any
 * capability are accepted and skipped so that one file serves every
 * sanso version; a key with a wrong type or value is an error with its
 * line, never a crash.
 */
#ifndef SANSO_POLICY_H
#define SANSO_POLICY_H

#include <stdbool.h>
#include <stdint.h>

#include "cdr.h"

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

struct policy_mail {
	char *max_size;
	char *attachments;	/* remove | sanitize | hold */
	char *links;		/* keep | defang | remove */
};

struct policy_store {
	char *dir;
	unsigned retention_days;	/* quarantined originals */
};

struct policy_log {
	unsigned retention_days;
	char *syslog;		/* "udp://127.0.0.1:514", "unix:/dev/log" */
};

struct policy {
	char *organization;
	struct policy_store *store;
	struct policy_log *log;
	struct policy_limits *limits;
	struct policy_av *av;
	struct policy_mail *mail;
};

/* Load path. Returns the policy (free with policy_free()) or NULL with a
   message (file, line and what is wrong) in err (err_size bytes). */
struct policy *policy_load(const char *path, char *err, size_t err_size);
void policy_free(struct policy *p);

/* Apply the policy's limits, links and AV settings. Returns 0, or -1
   with a message in err when a value is out of range (e.g. "12XB"). */
int policy_apply(const struct policy *p, struct limits *limits,
    struct cdr_options *opts, const char **clamd_r, bool *av_required_r,
    char *err, size_t err_size);

/* "100MB", "20 MiB", "512k", "1000" -> bytes. Returns 0 or -1. */
int policy_parse_size(const char *s, uint64_t *bytes_r);

#endif
