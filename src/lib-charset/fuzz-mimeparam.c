/* fuzz-mimeparam - parse a raw Content-Type / Content-Disposition
   value; every decoded value must be valid UTF-8 without controls. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "charset.h"
#include "mimeparam.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct arena *a;
	struct mime_value v;
	const struct mime_param *p;
	size_t i, n;

	charset_prewarm();
	if ((a = arena_create(256u << 20)) == NULL)
		return 0;
	if (mimeparam_parse(a, (const char *)data, size, &v) == 0) {
		if (v.token == NULL)
			abort();
		for (p = v.params; p != NULL; p = p->next) {
			if (p->name == NULL || p->value == NULL)
				abort();
			if (strcmp(p->name, "boundary") == 0)
				continue;
			n = strlen(p->value);
			if (!charset_is_utf8((const unsigned char *)p->value, n))
				abort();
			for (i = 0; i < n; i++)
				if ((unsigned char)p->value[i] < 0x20 &&
				    p->value[i] != '\t')
					abort();
			if (mimeparam_first(&v, p->name) == NULL ||
			    mimeparam_count(&v, p->name) == 0)
				abort();
		}
	}
	arena_destroy(a);
	return 0;
}
