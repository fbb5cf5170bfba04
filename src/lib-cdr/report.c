/*
 * report - findings tree, its JSON form and its worker wire form.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "json.h"
#include "filetype.h"
#include "report.h"

#define REPORT_WIRE_MAGIC 0x53524550u	/* "SREP" */
#define REPORT_WIRE_MAX_DEPTH 16
#define REPORT_WIRE_MAX_STR 65536

struct report *
report_new(struct arena *arena, const char *name)
{
	struct report *r = arena_alloc(arena, sizeof(*r));

	if (r == NULL)
		return NULL;
	r->arena = arena;
	r->name = arena_strdup(arena, name);
	r->type = "unknown";
	return r;
}

struct report *
report_add_child(struct report *parent, const char *name)
{
	struct report *c = report_new(parent->arena, name);

	if (c == NULL) {
		report_set_error(parent, "out of job memory");
		return NULL;
	}
	if (parent->children_tail == NULL)
		parent->children = c;
	else
		parent->children_tail->next = c;
	parent->children_tail = c;
	return c;
}

void
report_set_error(struct report *r, const char *fmt, ...)
{
	va_list ap;
	char *msg;

	if (r->error != NULL)
		return;		/* the first cause is the one that matters */
	va_start(ap, fmt);
	msg = arena_vprintf(r->arena, fmt, ap);
	va_end(ap);
	/* A static fallback keeps the error visible even when the arena
	   itself is what ran out. */
	r->error = msg != NULL ? msg : "out of job memory";
}

void
report_add(struct report *r, const char *code, enum finding_action action,
    const char *location, const char *fmt, ...)
{
	struct report_finding *f;
	va_list ap;

	f = arena_alloc(r->arena, sizeof(*f));
	if (f == NULL) {
		report_set_error(r, "out of job memory recording %s", code);
		return;
	}
	f->code = arena_strdup(r->arena, code);
	f->action = action;
	f->location = arena_strdup(r->arena, location);
	if (fmt != NULL) {
		va_start(ap, fmt);
		f->detail = arena_vprintf(r->arena, fmt, ap);
		va_end(ap);
	}
	if (f->code == NULL) {
		report_set_error(r, "out of job memory recording %s", code);
		return;
	}
	if (r->findings_tail == NULL)
		r->findings = f;
	else
		r->findings_tail->next = f;
	r->findings_tail = f;
	r->finding_count++;
}

void
report_set_type(struct report *r, const char *type)
{
	r->type = type;
}

void
report_set_new_ext(struct report *r, const char *ext)
{
	r->new_ext = arena_strdup(r->arena, ext);
}

void
report_set_input(struct report *r, uint64_t size, const char *sha256)
{
	r->in_size = size;
	snprintf(r->in_sha256, sizeof(r->in_sha256), "%s", sha256);
}

void
report_set_output(struct report *r, uint64_t size, const char *sha256)
{
	r->has_output = true;
	r->out_size = size;
	snprintf(r->out_sha256, sizeof(r->out_sha256), "%s", sha256);
}

void
report_set_quarantine_id(struct report *r, const char *id)
{
	r->quarantine_id = arena_strdup(r->arena, id);
}

void
report_set_output_name(struct report *r, const char *name)
{
	r->out_name = arena_strdup(r->arena, name);
}

void
report_clear_output(struct report *r)
{
	r->has_output = false;
	r->out_size = 0;
	r->out_sha256[0] = '\0';
}

bool
report_has_action(const struct report *r, enum finding_action action)
{
	const struct report_finding *f;

	for (f = r->findings; f != NULL; f = f->next) {
		if (f->action == action)
			return true;
	}
	return false;
}

bool
report_has_code(const struct report *r, const char *code)
{
	const struct report_finding *f;

	for (f = r->findings; f != NULL; f = f->next) {
		if (strcmp(f->code, code) == 0)
			return true;
	}
	return false;
}

enum verdict
report_verdict(const struct report *r)
{
	const struct report *c;

	if (r->error != NULL)
		return VERDICT_ERROR;
	if (report_has_action(r, FINDING_BLOCKED))
		return VERDICT_BLOCKED;
	if (report_has_action(r, FINDING_HELD))
		return VERDICT_HELD;
	if (report_has_action(r, FINDING_REMOVED))
		return VERDICT_SANITIZED;
	for (c = r->children; c != NULL; c = c->next) {
		if (report_verdict(c) == VERDICT_SANITIZED)
			return VERDICT_SANITIZED;
	}
	return VERDICT_CLEAN;
}

const char *
verdict_name(enum verdict v)
{
	switch (v) {
	case VERDICT_CLEAN:
		return "clean";
	case VERDICT_SANITIZED:
		return "sanitized";
	case VERDICT_HELD:
		return "held";
	case VERDICT_BLOCKED:
		return "blocked";
	case VERDICT_ERROR:
		return "error";
	}
	return "error";
}

/* One node and its subtree as JSON. */
static int
report_json_node(const struct report *r, struct buffer *out)
{
	const struct report_finding *f;
	const struct report *c;
	int ret = 0;

	ret |= buffer_append_str(out, "{\"verdict\":");
	ret |= json_append_string(out, verdict_name(report_verdict(r)));
	ret |= buffer_append_str(out, ",\"type\":");
	ret |= json_append_string(out, r->type);
	ret |= buffer_append_str(out, ",\"input\":{\"name\":");
	ret |= json_append_string(out, r->name);
	ret |= buffer_printf(out, ",\"size\":%llu,\"sha256\":",
	    (unsigned long long)r->in_size);
	ret |= json_append_string(out, r->in_sha256[0] ? r->in_sha256 : NULL);
	ret |= buffer_append_str(out, "},\"output\":");
	if (r->has_output) {
		ret |= buffer_append_str(out, "{\"name\":");
		ret |= json_append_string(out, r->out_name != NULL ?
		    r->out_name : r->name);
		ret |= buffer_printf(out, ",\"size\":%llu,\"sha256\":",
		    (unsigned long long)r->out_size);
		ret |= json_append_string(out, r->out_sha256);
		if (r->new_ext != NULL) {
			ret |= buffer_append_str(out, ",\"new_extension\":");
			ret |= json_append_string(out, r->new_ext);
		}
		ret |= buffer_append_str(out, "}");
	} else
		ret |= buffer_append_str(out, "null");
	if (r->quarantine_id != NULL) {
		ret |= buffer_append_str(out, ",\"quarantine_id\":");
		ret |= json_append_string(out, r->quarantine_id);
	}
	if (r->error != NULL) {
		ret |= buffer_append_str(out, ",\"error\":");
		ret |= json_append_string(out, r->error);
	}
	ret |= buffer_append_str(out, ",\"findings\":[");
	for (f = r->findings; f != NULL; f = f->next) {
		ret |= buffer_append_str(out, "{\"code\":");
		ret |= json_append_string(out, f->code);
		ret |= buffer_append_str(out, ",\"action\":");
		ret |= json_append_string(out, finding_action_name(f->action));
		ret |= buffer_append_str(out, ",\"location\":");
		ret |= json_append_string(out, f->location);
		ret |= buffer_append_str(out, ",\"detail\":");
		ret |= json_append_string(out, f->detail);
		ret |= buffer_append_str(out, f->next != NULL ? "}," : "}");
	}
	ret |= buffer_append_str(out, "],\"children\":[");
	for (c = r->children; c != NULL && ret == 0; c = c->next) {
		ret |= report_json_node(c, out);
		if (c->next != NULL)
			ret |= buffer_append_str(out, ",");
	}
	ret |= buffer_append_str(out, "]}");
	return ret == 0 ? 0 : -1;
}

int
report_write_json(const struct report *r, struct buffer *out)
{
	if (report_json_node(r, out) < 0)
		return -1;
	return buffer_append_str(out, "\n");
}

/*
 * Wire form: little-endian u32 lengths, strings as (u32 len, bytes)
 * with 0xffffffff for NULL. Node: name type new_ext error in_sha
 * out_sha | u64 in_size | u8 has_output | u64 out_size | u32 nfindings
 * { code u8 action location detail } | u32 nchildren { node }.
 */
static int
wire_u32(struct buffer *out, uint32_t v)
{
	unsigned char b[4] = { v, v >> 8, v >> 16, v >> 24 };

	return buffer_append(out, b, 4);
}

static int
wire_u64(struct buffer *out, uint64_t v)
{
	return wire_u32(out, (uint32_t)v) | wire_u32(out, (uint32_t)(v >> 32));
}

static int
wire_str(struct buffer *out, const char *s)
{
	size_t len;

	if (s == NULL)
		return wire_u32(out, 0xffffffffu);
	len = strlen(s);
	if (len > REPORT_WIRE_MAX_STR)
		len = REPORT_WIRE_MAX_STR;	/* detail text only; codes are short */
	return wire_u32(out, (uint32_t)len) | buffer_append(out, s, len);
}

static int
report_wire_node(const struct report *r, struct buffer *out)
{
	const struct report_finding *f;
	const struct report *c;
	uint32_t n = 0;
	int ret = 0;

	ret |= wire_str(out, r->name) | wire_str(out, r->type);
	ret |= wire_str(out, r->new_ext) | wire_str(out, r->error);
	ret |= wire_str(out, r->in_sha256) | wire_str(out, r->out_sha256);
	ret |= wire_u64(out, r->in_size);
	ret |= buffer_append(out, r->has_output ? "\1" : "\0", 1);
	ret |= wire_u64(out, r->out_size);
	ret |= wire_u32(out, r->finding_count);
	for (f = r->findings; f != NULL; f = f->next) {
		unsigned char a = (unsigned char)f->action;

		ret |= wire_str(out, f->code) | buffer_append(out, &a, 1);
		ret |= wire_str(out, f->location) | wire_str(out, f->detail);
	}
	for (c = r->children; c != NULL; c = c->next)
		n++;
	ret |= wire_u32(out, n);
	for (c = r->children; c != NULL && ret == 0; c = c->next)
		ret |= report_wire_node(c, out);
	return ret == 0 ? 0 : -1;
}

int
report_serialize(const struct report *r, struct buffer *out)
{
	if (wire_u32(out, REPORT_WIRE_MAGIC) < 0)
		return -1;
	return report_wire_node(r, out);
}

struct wire_reader {
	struct arena *arena;
	const unsigned char *p, *end;
	unsigned nodes, max_nodes;
};

static int
rd_u32(struct wire_reader *w, uint32_t *v)
{
	if (w->end - w->p < 4)
		return -1;
	*v = (uint32_t)w->p[0] | (uint32_t)w->p[1] << 8 |
	    (uint32_t)w->p[2] << 16 | (uint32_t)w->p[3] << 24;
	w->p += 4;
	return 0;
}

static int
rd_u64(struct wire_reader *w, uint64_t *v)
{
	uint32_t lo, hi;

	if (rd_u32(w, &lo) < 0 || rd_u32(w, &hi) < 0)
		return -1;
	*v = (uint64_t)hi << 32 | lo;
	return 0;
}

static int
rd_u8(struct wire_reader *w, unsigned char *v)
{
	if (w->p >= w->end)
		return -1;
	*v = *w->p++;
	return 0;
}

/* Read a string; *s is NULL for the NULL marker. */
static int
rd_str(struct wire_reader *w, const char **s)
{
	uint32_t len;

	if (rd_u32(w, &len) < 0)
		return -1;
	if (len == 0xffffffffu) {
		*s = NULL;
		return 0;
	}
	if (len > REPORT_WIRE_MAX_STR || (size_t)(w->end - w->p) < len ||
	    memchr(w->p, '\0', len) != NULL)
		return -1;
	*s = arena_strndup(w->arena, (const char *)w->p, len);
	if (*s == NULL)
		return -1;
	w->p += len;
	return 0;
}

/* The type name must be one of ours: it is printed and compared. */
static const char *
rd_type(const char *name)
{
	int t;

	if (name == NULL)
		return NULL;
	for (t = 0; t < FT_COUNT; t++) {
		if (strcmp(filetype_name((enum file_type)t), name) == 0)
			return filetype_name((enum file_type)t);
	}
	return NULL;
}

static struct report *
rd_node(struct wire_reader *w, unsigned depth)
{
	const char *name, *type, *ext, *err, *insha, *outsha;
	struct report *r;
	uint32_t n, i;
	unsigned char has_out;

	if (depth > REPORT_WIRE_MAX_DEPTH || ++w->nodes > w->max_nodes)
		return NULL;
	if (rd_str(w, &name) < 0 || rd_str(w, &type) < 0 ||
	    rd_str(w, &ext) < 0 || rd_str(w, &err) < 0 ||
	    rd_str(w, &insha) < 0 || rd_str(w, &outsha) < 0)
		return NULL;
	if (insha == NULL || outsha == NULL || strlen(insha) > 64 ||
	    strlen(outsha) > 64 || (type = rd_type(type)) == NULL)
		return NULL;
	r = report_new(w->arena, NULL);
	if (r == NULL)
		return NULL;
	r->name = name;
	r->type = type;
	r->new_ext = ext;
	r->error = err;
	snprintf(r->in_sha256, sizeof(r->in_sha256), "%s", insha);
	snprintf(r->out_sha256, sizeof(r->out_sha256), "%s", outsha);
	if (rd_u64(w, &r->in_size) < 0 || rd_u8(w, &has_out) < 0 ||
	    has_out > 1 || rd_u64(w, &r->out_size) < 0 || rd_u32(w, &n) < 0)
		return NULL;
	r->has_output = has_out == 1;
	for (i = 0; i < n; i++) {
		const char *code, *loc, *detail;
		unsigned char action;

		if (rd_str(w, &code) < 0 || rd_u8(w, &action) < 0 ||
		    rd_str(w, &loc) < 0 || rd_str(w, &detail) < 0)
			return NULL;
		if (code == NULL || !finding_code_known(code) ||
		    action > FINDING_REPORTED)
			return NULL;
		report_add(r, code, (enum finding_action)action, loc,
		    detail != NULL ? "%s" : NULL, detail);
		if (r->error != err)
			return NULL;
	}
	if (rd_u32(w, &n) < 0)
		return NULL;
	for (i = 0; i < n; i++) {
		struct report *c = rd_node(w, depth + 1);

		if (c == NULL)
			return NULL;
		if (r->children_tail == NULL)
			r->children = c;
		else
			r->children_tail->next = c;
		r->children_tail = c;
	}
	return r;
}

struct report *
report_deserialize(struct arena *arena, const unsigned char *data,
    size_t len, unsigned max_nodes)
{
	struct wire_reader w = { arena, data, data + len, 0, max_nodes };
	struct report *r;
	uint32_t magic;

	if (rd_u32(&w, &magic) < 0 || magic != REPORT_WIRE_MAGIC)
		return NULL;
	r = rd_node(&w, 0);
	if (r == NULL || w.p != w.end)
		return NULL;
	return r;
}
