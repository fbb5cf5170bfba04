/*
 * fuzz-report-wire - the parent's reader of worker answers. A
 * compromised worker controls these bytes, so the reader must refuse
 * every malformation without crashing; what it accepts must serialize
 * back to the same bytes.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "report.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct arena *arena = arena_create(64u * 1024 * 1024);
	struct report *r;
	struct buffer again, json;

	r = report_deserialize(arena, data, size, 1000);
	if (r != NULL) {
		buffer_init(&again, 64u * 1024 * 1024);
		buffer_init(&json, 64u * 1024 * 1024);
		if (report_serialize(r, &again) == 0 &&
		    (again.used != size || memcmp(again.data, data, size) != 0))
			abort();
		(void)report_write_json(r, &json);
		buffer_free(&again);
		buffer_free(&json);
	}
	arena_destroy(arena);
	return 0;
}
