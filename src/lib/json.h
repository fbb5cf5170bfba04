/*
 * json - writing JSON text into a buffer. sanso writes JSON (reports,
 * CLI output); it never needs to read it back, so there is no parser.
 */
#ifndef SANSO_JSON_H
#define SANSO_JSON_H

#include <stddef.h>

#include "buffer.h"

/* Append str as a JSON string literal (with quotes). Invalid UTF-8
   bytes are written as U+FFFD so the output is always valid JSON.
   A NULL str writes null. Returns 0 or -1 (buffer full). */
int json_append_string(struct buffer *out, const char *str);
/* Same for len bytes that may contain NUL. */
int json_append_stringn(struct buffer *out, const char *str, size_t len);

#endif
