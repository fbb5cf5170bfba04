/*
 * fuzz-htmltext - libFuzzer target for htmltext_convert().
 *
 * The first byte picks the link policy (keep, defang, remove, in turn);
 * the rest is the HTML. Besides crashes, leaks and hangs it checks the
 * output contract: valid UTF-8, no controls but LF and tab, no blank
 * line first, no trailing blanks, never two blank lines in a row, one
 * final LF; with defang and remove, no link a mail client would follow
 * (fuzz-mailtext-check.h). With remove, converting the output again as
 * HTML must find no link at all, when the output holds no '<' or '&':
 * those are text the reader sees, which only becomes markup (entities,
 * tags) if someone wrongly parses text as HTML.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz-mailtext-check.h"
#include "htmltext.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* The output contract of htmltext.h; aborts when it is broken. */
static void
check_shape(const unsigned char *s, size_t n)
{
	size_t i;

	if (n == 0)
		return;
	if (!fz_utf8(s, n) || s[n - 1] != '\n' || s[0] == '\n')
		abort();
	for (i = 0; i < n; i++) {
		if ((s[i] < 0x20 && s[i] != '\n' && s[i] != '\t') ||
		    s[i] == 0x7f)
			abort();
		if (s[i] == '\n' && i > 0 &&
		    (s[i - 1] == ' ' || s[i - 1] == '\t'))
			abort();
		if (s[i] == '\n' && i >= 2 && s[i - 1] == '\n' &&
		    s[i - 2] == '\n')
			abort();
		/* C1 controls, UTF-8 C2 80..9F. */
		if (s[i] == 0xc2 && i + 1 < n && s[i + 1] >= 0x80 &&
		    s[i + 1] <= 0x9f)
			abort();
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct htmltext_opts o;
	struct buffer out, out2;
	struct arena *arena;
	struct report *r, *r2;
	int ret;

	if (size < 1)
		return 0;
	memset(&o, 0, sizeof(o));
	o.links = (enum link_policy)(data[0] % 3);
	/* Small enough that tree and output bombs hit the limits fast. */
	o.max_mem = 256 * 1024 * 1024;
	o.max_out = 16 * 1024 * 1024;
	o.location = "fuzz";
	if ((arena = arena_create(64 * 1024 * 1024)) == NULL)
		return 0;
	if ((r = report_new(arena, "fuzz")) == NULL ||
	    (r2 = report_new(arena, "fuzz2")) == NULL)
		abort();
	buffer_init(&out, 64 * 1024 * 1024);
	buffer_init(&out2, 64 * 1024 * 1024);
	ret = htmltext_convert((const char *)data + 1, size - 1, &o, &out, r);
	if (ret == 0 && !report_has_action(r, FINDING_BLOCKED)) {
		if (!report_has_code(r, "mail.html"))
			abort();
		check_shape(out.data, out.used);
		if (o.links != LINKS_KEEP &&
		    live_link((const char *)out.data, out.used,
			o.links == LINKS_REMOVE) != NULL)
			abort();
		if (o.links == LINKS_REMOVE && out.used > 0 &&
		    memchr(out.data, '<', out.used) == NULL &&
		    memchr(out.data, '&', out.used) == NULL) {
			ret = htmltext_convert(
			    (const char *)out.data, out.used, &o, &out2, r2);
			if (ret == 0 && report_has_code(r2, "mail.link"))
				abort();
		}
	}
	buffer_free(&out);
	buffer_free(&out2);
	arena_destroy(arena);
	return 0;
}
