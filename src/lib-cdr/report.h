/*
 * report - what sanso found in one object and what it did about it.
 *
 * A report is a tree: one node per object (the file, and one child per
 * archive member). Each node has a type, the input and output digests
 * and a list of findings. All memory comes from the job's arena.
 *
 * The verdict is derived, never stored by hand: error beats blocked
 * beats held beats sanitized beats clean. A child that was blocked,
 * held or failed is not passed on: the archive code drops it and adds
 * archive.member_dropped (removed) to the parent. A child that was
 * sanitized makes its parent sanitized too, so "clean" always means the
 * whole tree came through unchanged in substance.
 */
#ifndef SANSO_REPORT_H
#define SANSO_REPORT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "arena.h"
#include "buffer.h"
#include "finding.h"

enum verdict {
	VERDICT_CLEAN,
	VERDICT_SANITIZED,
	VERDICT_HELD,
	VERDICT_BLOCKED,
	VERDICT_ERROR,
};

struct report_finding {
	const char *code;
	enum finding_action action;
	const char *location;	/* where in the object; may be NULL */
	const char *detail;	/* human text; may be NULL */
	struct report_finding *next;
};

struct report {
	struct arena *arena;
	const char *name;	/* member or file name as given */
	const char *type;	/* detected type name (filetype_name) */
	const char *new_ext;	/* extension of the output when it changed */
	uint64_t in_size;
	char in_sha256[65];	/* "" when unknown */
	bool has_output;
	const char *out_name;	/* output file name when it differs */
	uint64_t out_size;
	char out_sha256[65];
	const char *error;	/* set when the object could not be processed */
	const char *quarantine_id;	/* where the original is kept, if any */
	struct report_finding *findings, *findings_tail;
	unsigned finding_count;
	struct report *children, *children_tail, *next;
};

/* A new, empty report for an object called name (may be NULL).
   Returns NULL when the arena is exhausted. */
struct report *report_new(struct arena *arena, const char *name);
/* A new child (archive member) appended to parent; NULL on exhaustion. */
struct report *report_add_child(struct report *parent, const char *name);
/* Record a finding. code must be in the findings table (or "av.*");
   location and detail are copied. An arena failure is recorded as the
   report's error, so a finding is never lost silently. */
void report_add(struct report *r, const char *code,
    enum finding_action action, const char *location, const char *fmt, ...)
	__attribute__((format(printf, 5, 6)));
/* Mark the object as unprocessable (verdict error); msg is copied. */
void report_set_error(struct report *r, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/* Set type name (static string) and optional new extension. */
void report_set_type(struct report *r, const char *type);
void report_set_new_ext(struct report *r, const char *ext);
/* Record input / output size and digest (hex strings are copied). */
void report_set_input(struct report *r, uint64_t size, const char *sha256);
void report_set_output(struct report *r, uint64_t size, const char *sha256);
void report_clear_output(struct report *r);
/* Record the quarantine id of the kept original; copied. */
void report_set_quarantine_id(struct report *r, const char *id);
/* Name the output (e.g. the file written); copied. */
void report_set_output_name(struct report *r, const char *name);

/* The derived verdict of this node (sanitized children count). */
enum verdict report_verdict(const struct report *r);
/* Name of a verdict as written in reports ("clean", ...). */
const char *verdict_name(enum verdict v);
/* True when any finding of this node has the given action. */
bool report_has_action(const struct report *r, enum finding_action action);
/* True when this node has a finding with the given code. */
bool report_has_code(const struct report *r, const char *code);

/* Write the report as JSON (the contract in README "Report JSON").
   Returns 0 or -1 when out is full. */
int report_write_json(const struct report *r, struct buffer *out);

/* Serialize to the worker wire format / read it back. The reader is
   strict: any malformation (bad length, unknown code, depth > 16, more
   than max_nodes nodes) returns NULL, because a worker that sends
   garbage is broken or compromised and its answer is not trusted. */
int report_serialize(const struct report *r, struct buffer *out);
struct report *report_deserialize(struct arena *arena,
    const unsigned char *data, size_t len, unsigned max_nodes);

#endif
