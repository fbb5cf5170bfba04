/* test-json - escaping, and invalid UTF-8 never leaks into JSON. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>
#include <cmocka.h>

#include "json.h"

static void
check(const char *in, size_t len, const char *want)
{
	struct buffer b;

	buffer_init(&b, 4096);
	assert_int_equal(json_append_stringn(&b, in, len), 0);
	assert_string_equal((char *)b.data, want);
	buffer_free(&b);
}

static void
test_escapes(void **state)
{
	check("a\"b\\c\n\t\x01", 8, "\"a\\\"b\\\\c\\n\\t\\u0001\"");
	check("日本", strlen("日本"), "\"日本\"");
	check("a\0b", 3, "\"a\\u0000b\"");
}

static void
test_invalid_utf8(void **state)
{
	check("\xff", 1, "\"\xef\xbf\xbd\"");
	check("\xc0\xaf", 2, "\"\xef\xbf\xbd\xef\xbf\xbd\"");	/* overlong */
	check("\xed\xa0\x80", 3,
	    "\"\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd\"");	/* surrogate */
	check("\xe6\x97", 2, "\"\xef\xbf\xbd\xef\xbf\xbd\"");	/* truncated */
}

static void
test_null(void **state)
{
	struct buffer b;

	buffer_init(&b, 16);
	assert_int_equal(json_append_string(&b, NULL), 0);
	assert_string_equal((char *)b.data, "null");
	assert_int_equal(json_append_string(&b, "0123456789abcdef"), -1);
	buffer_free(&b);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_escapes),
		cmocka_unit_test(test_invalid_utf8),
		cmocka_unit_test(test_null),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
