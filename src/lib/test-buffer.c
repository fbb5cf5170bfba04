/* test-buffer - the hard maximum holds, formatting and stealing work. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "buffer.h"
#include "sizeops.h"

static void
test_max_enforced(void **state)
{
	struct buffer b;

	buffer_init(&b, 10);
	assert_int_equal(buffer_append(&b, "0123456789", 10), 0);
	assert_int_equal(b.used, 10);
	assert_int_equal(buffer_append(&b, "x", 1), -1);
	assert_int_equal(errno, EFBIG);
	assert_int_equal(b.used, 10);
	assert_memory_equal(b.data, "0123456789", 11);
	assert_true(b.alloc <= 11);
	buffer_free(&b);
}

static void
test_printf_and_steal(void **state)
{
	struct buffer b;
	unsigned char *p;
	size_t len;

	buffer_init(&b, 1 << 20);
	assert_int_equal(buffer_printf(&b, "%d-%s", 42, "x"), 0);
	assert_int_equal(buffer_printf(&b, "%0300d", 7), 0);
	assert_int_equal(b.used, 4 + 300);
	assert_memory_equal(b.data, "42-x000", 7);
	p = buffer_steal(&b, &len);
	assert_int_equal(len, 304);
	assert_null(b.data);
	assert_int_equal(b.used, 0);
	free(p);
	buffer_init(&b, 5);
	assert_int_equal(buffer_printf(&b, "%s", "toolong"), -1);
	assert_int_equal(b.used, 0);
	buffer_free(&b);
}

static void
test_size_ops(void **state)
{
	size_t r = 5;

	assert_int_equal(size_add(SIZE_MAX, 1, &r), -1);
	assert_int_equal(r, 5);
	assert_int_equal(size_mul(SIZE_MAX / 2, 3, &r), -1);
	assert_int_equal(r, 5);
	assert_int_equal(size_mul(6, 7, &r), 0);
	assert_int_equal(r, 42);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_max_enforced),
		cmocka_unit_test(test_printf_and_steal),
		cmocka_unit_test(test_size_ops),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
