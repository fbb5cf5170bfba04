/*
 * yamlpos - one pass over libyaml's events recording each node's path
 * and position; a sorted table answers lookups.
 */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <yaml.h>

#include "yamlpos.h"

struct yamlpos_entry {
	char *path;
	unsigned line, col;
};

struct yamlpos {
	struct yamlpos_entry *v;
	size_t count, alloc;
};

struct frame {
	bool mapping;
	bool want_key;		/* mapping: the next node is a key */
	bool unnamed;		/* this container's path is not recorded */
	bool key_bad;		/* mapping: the last key cannot be a path */
	unsigned long index;	/* sequence: the next item's index */
	size_t path_len;	/* length of this container's own path */
	char key[64];		/* mapping: the last key */
};

struct walk {
	struct yamlpos *y;
	struct frame stack[YAMLPOS_DEPTH_MAX];
	unsigned depth;
	/* The paths of the open containers are prefixes of each other,
	   so one buffer holds them all; a child is written after its
	   parent's length. */
	char path[YAMLPOS_PATH_MAX + 1];
};

static int
record(struct yamlpos *y, const char *path, const yaml_mark_t *m)
{
	struct yamlpos_entry *e;

	if (y->count == y->alloc) {
		size_t n = y->alloc ? y->alloc * 2 : 64;

		e = realloc(y->v, n * sizeof(*e));
		if (e == NULL)
			return -1;
		y->v = e;
		y->alloc = n;
	}
	e = &y->v[y->count];
	e->path = strdup(path);
	if (e->path == NULL)
		return -1;
	e->line = (unsigned)m->line + 1;
	e->col = (unsigned)m->column + 1;
	y->count++;
	return 0;
}

/* Write parent path + component into w->path; false when it does not
   fit. */
static bool
path_child(struct walk *w, const struct frame *parent, const char *comp,
    bool is_index)
{
	size_t plen = parent->path_len, clen = strlen(comp);
	bool dot = !is_index && plen > 0;

	if (parent->unnamed || plen + dot + clen > YAMLPOS_PATH_MAX)
		return false;
	if (dot)
		w->path[plen++] = '.';
	memcpy(w->path + plen, comp, clen + 1);
	return true;
}

static int
push(struct walk *w, const yaml_event_t *ev, bool named)
{
	if (w->depth == YAMLPOS_DEPTH_MAX)
		return -2;
	w->stack[w->depth++] = (struct frame){
		.mapping = ev->type == YAML_MAPPING_START_EVENT,
		.want_key = true, .unnamed = !named,
		.path_len = named ? strlen(w->path) : 0 };
	return 0;
}

/* A node starts (scalar, alias, mapping or sequence). */
static int
node(struct walk *w, const yaml_event_t *ev)
{
	struct frame *top = w->depth > 0 ? &w->stack[w->depth - 1] : NULL;
	bool container = ev->type == YAML_MAPPING_START_EVENT ||
	    ev->type == YAML_SEQUENCE_START_EVENT;
	char idx[32];
	bool named;

	if (top != NULL && top->mapping && top->want_key) {
		/* A key: it names the value that follows, and its position
		   is the entry's. */
		top->want_key = false;
		top->key_bad = ev->type != YAML_SCALAR_EVENT ||
		    ev->data.scalar.length >= sizeof(top->key) ||
		    memchr(ev->data.scalar.value, '\0',
		    ev->data.scalar.length) != NULL;
		if (!top->key_bad) {
			memcpy(top->key, ev->data.scalar.value,
			    ev->data.scalar.length);
			top->key[ev->data.scalar.length] = '\0';
			if (path_child(w, top, top->key, false) &&
			    record(w->y, w->path, &ev->start_mark) < 0)
				return -1;
		}
		/* A complex key's own contents are not addressable. */
		return container ? push(w, ev, false) : 0;
	}
	if (top == NULL) {
		w->path[0] = '\0';
		named = true;
		if (record(w->y, "", &ev->start_mark) < 0)
			return -1;
	} else if (top->mapping) {
		/* The value of the key just seen (recorded with the key). */
		top->want_key = true;
		named = !top->key_bad && path_child(w, top, top->key, false);
	} else {
		snprintf(idx, sizeof(idx), "[%lu]", top->index++);
		named = path_child(w, top, idx, true);
		if (named && record(w->y, w->path, &ev->start_mark) < 0)
			return -1;
	}
	return container ? push(w, ev, named) : 0;
}

static int
entry_cmp(const void *a, const void *b)
{
	const struct yamlpos_entry *x = a, *y = b;
	int c = strcmp(x->path, y->path);

	if (c != 0)
		return c;
	/* Keep the first of duplicate keys first. */
	if (x->line != y->line)
		return x->line < y->line ? -1 : 1;
	return x->col < y->col ? -1 : x->col > y->col;
}

/* Line and column (in bytes) of byte offset off. */
static void
offset_pos(const void *data, size_t len, size_t off, unsigned *line_r,
    unsigned *col_r)
{
	const unsigned char *s = data;
	size_t i;

	*line_r = *col_r = 1;
	for (i = 0; i < off && i < len; i++) {
		if (s[i] == '\n') {
			++*line_r;
			*col_r = 1;
		} else
			++*col_r;
	}
}

struct yamlpos *
yamlpos_parse(const void *data, size_t len, unsigned *line_r,
    unsigned *col_r, char *err, size_t err_size)
{
	yaml_parser_t parser;
	yaml_event_t ev;
	struct walk *w;
	struct yamlpos *y;
	unsigned long nodes = 0;
	bool done = false;
	int rc;

	*line_r = *col_r = 0;
	y = calloc(1, sizeof(*y));
	w = calloc(1, sizeof(*w));
	if (y == NULL || w == NULL || !yaml_parser_initialize(&parser)) {
		free(y);
		free(w);
		snprintf(err, err_size, "out of memory");
		return NULL;
	}
	w->y = y;
	yaml_parser_set_input_string(&parser, data, len);
	while (!done) {
		if (!yaml_parser_parse(&parser, &ev)) {
			if (parser.error == YAML_READER_ERROR)
				/* The reader gives a byte offset only. */
				offset_pos(data, len, parser.problem_offset,
				    line_r, col_r);
			else {
				*line_r = (unsigned)parser.problem_mark.line + 1;
				*col_r = (unsigned)parser.problem_mark.column + 1;
			}
			snprintf(err, err_size, "YAML syntax: %s%s%s",
			    parser.problem ? parser.problem : "error",
			    parser.context ? " " : "",
			    parser.context ? parser.context : "");
			goto fail;
		}
		rc = 0;
		switch (ev.type) {
		case YAML_SCALAR_EVENT:
		case YAML_ALIAS_EVENT:
		case YAML_MAPPING_START_EVENT:
		case YAML_SEQUENCE_START_EVENT:
			if (++nodes > YAMLPOS_NODES_MAX)
				rc = -3;
			else
				rc = node(w, &ev);
			break;
		case YAML_MAPPING_END_EVENT:
		case YAML_SEQUENCE_END_EVENT:
			if (w->depth > 0)
				w->depth--;
			break;
		case YAML_DOCUMENT_END_EVENT:
		case YAML_STREAM_END_EVENT:
			/* Only the first document counts (as for libcyaml). */
			done = true;
			break;
		default:
			break;
		}
		if (rc < 0) {
			*line_r = (unsigned)ev.start_mark.line + 1;
			*col_r = (unsigned)ev.start_mark.column + 1;
			snprintf(err, err_size, "%s", rc == -2 ?
			    "nested too deep" : rc == -3 ? "too many nodes" :
			    "out of memory");
			yaml_event_delete(&ev);
			goto fail;
		}
		yaml_event_delete(&ev);
	}
	yaml_parser_delete(&parser);
	free(w);
	if (y->count > 1)
		qsort(y->v, y->count, sizeof(y->v[0]), entry_cmp);
	return y;
fail:
	yaml_parser_delete(&parser);
	free(w);
	yamlpos_free(y);
	return NULL;
}

static const struct yamlpos_entry *
lookup(const struct yamlpos *y, const char *path)
{
	size_t lo = 0, hi = y->count;

	/* The first entry with this path (duplicates sort by position). */
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (strcmp(y->v[mid].path, path) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo < y->count && strcmp(y->v[lo].path, path) == 0)
		return &y->v[lo];
	return NULL;
}

int
yamlpos_find(const struct yamlpos *y, const char *path, unsigned *line_r,
    unsigned *col_r)
{
	char buf[YAMLPOS_PATH_MAX + 1];
	const struct yamlpos_entry *e;
	size_t n;
	bool exact = true;

	if (y == NULL || strlen(path) > YAMLPOS_PATH_MAX)
		return -1;
	snprintf(buf, sizeof(buf), "%s", path);
	for (;;) {
		e = lookup(y, buf);
		/* The document root is no place for a missing key. */
		if (e != NULL && (exact || buf[0] != '\0')) {
			*line_r = e->line;
			*col_r = e->col;
			return exact ? 1 : 0;
		}
		if (buf[0] == '\0')
			return -1;
		/* Drop the last component: ".key" or "[N]". */
		n = strlen(buf);
		while (n > 0 && buf[n - 1] != '.' && buf[n - 1] != '[')
			n--;
		buf[n > 0 ? n - 1 : 0] = '\0';
		exact = false;
	}
}

void
yamlpos_free(struct yamlpos *y)
{
	size_t i;

	if (y == NULL)
		return;
	for (i = 0; i < y->count; i++)
		free(y->v[i].path);
	free(y->v);
	free(y);
}
