/* test-arena - alignment, zeroing, the maximum, big allocations. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "arena.h"

static void
test_alloc_and_max(void **state)
{
	struct arena *a = arena_create(1000);
	unsigned char *p, *q;
	size_t i;

	p = arena_alloc(a, 10);
	assert_non_null(p);
	assert_int_equal((uintptr_t)p % 16, 0);
	for (i = 0; i < 10; i++)
		assert_int_equal(p[i], 0);
	q = arena_alloc(a, 900);
	assert_non_null(q);
	assert_null(arena_alloc(a, 200));	/* over the maximum */
	assert_null(arena_alloc(a, SIZE_MAX));	/* overflow */
	assert_true(arena_used(a) <= 1000);
	arena_destroy(a);
}

static void
test_strings(void **state)
{
	struct arena *a = arena_create(1 << 20);
	char *s;

	assert_string_equal(arena_strdup(a, "abc"), "abc");
	assert_string_equal(arena_strndup(a, "abcdef", 3), "abc");
	assert_null(arena_strdup(a, NULL));
	s = arena_printf(a, "%s-%d", "x", 5);
	assert_string_equal(s, "x-5");
	s = arena_alloc(a, 200000);	/* bigger than a chunk */
	assert_non_null(s);
	memset(s, 'z', 200000);
	assert_string_equal(arena_strdup(a, "after"), "after");
	arena_destroy(a);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_alloc_and_max),
		cmocka_unit_test(test_strings),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
