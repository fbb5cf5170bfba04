/* test-report - verdict derivation, JSON shape, the worker wire form
   round trip, and a strict reader that refuses every truncation. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>
#include <cmocka.h>

#include "report.h"

static struct report *
sample(struct arena *a)
{
	struct report *r = report_new(a, "invoice.docm");
	struct report *c;

	report_set_type(r, "docm");
	report_set_input(r, 1234, "ab");
	report_set_output(r, 1000, "cd");
	report_set_new_ext(r, "docx");
	report_add(r, "ooxml.vba", FINDING_REMOVED, "word/vbaProject.bin",
	    "VBA project of %d bytes", 77);
	report_add(r, "ooxml.hyperlink", FINDING_REPORTED, NULL, NULL);
	c = report_add_child(r, "inner.exe");
	report_set_type(c, "pe");
	report_add(c, "type.executable", FINDING_BLOCKED, NULL, "PE");
	return r;
}

static void
test_verdicts(void **state)
{
	struct arena *a = arena_create(1 << 20);
	struct report *r = report_new(a, "x");

	assert_int_equal(report_verdict(r), VERDICT_CLEAN);
	report_add(r, "pdf.uri", FINDING_REPORTED, NULL, NULL);
	assert_int_equal(report_verdict(r), VERDICT_CLEAN);
	report_add(r, "pdf.javascript", FINDING_REMOVED, NULL, NULL);
	assert_int_equal(report_verdict(r), VERDICT_SANITIZED);
	report_add(r, "pdf.encrypted", FINDING_HELD, NULL, NULL);
	assert_int_equal(report_verdict(r), VERDICT_HELD);
	report_add(r, "type.executable", FINDING_BLOCKED, NULL, NULL);
	assert_int_equal(report_verdict(r), VERDICT_BLOCKED);
	report_set_error(r, "boom %d", 1);
	report_set_error(r, "second");
	assert_int_equal(report_verdict(r), VERDICT_ERROR);
	assert_string_equal(r->error, "boom 1");
	assert_true(report_has_code(r, "pdf.uri"));
	assert_false(report_has_code(r, "ooxml.vba"));
	arena_destroy(a);
}

static void
test_json_shape(void **state)
{
	struct arena *a = arena_create(1 << 20);
	struct buffer b;
	const char *s;

	buffer_init(&b, 1 << 20);
	assert_int_equal(report_write_json(sample(a), &b), 0);
	s = (const char *)b.data;
	assert_non_null(strstr(s, "{\"verdict\":\"sanitized\",\"type\":\"docm\","
	    "\"input\":{\"name\":\"invoice.docm\",\"size\":1234,"
	    "\"sha256\":\"ab\"},\"output\":{\"name\":\"invoice.docm\","
	    "\"size\":1000,\"sha256\":\"cd\",\"new_extension\":\"docx\"}"));
	assert_non_null(strstr(s, "{\"code\":\"ooxml.vba\",\"action\":\"removed\","
	    "\"location\":\"word/vbaProject.bin\","
	    "\"detail\":\"VBA project of 77 bytes\"}"));
	assert_non_null(strstr(s, "\"children\":[{\"verdict\":\"blocked\","
	    "\"type\":\"pe\""));
	buffer_free(&b);
	arena_destroy(a);
}

static void
test_wire_round_trip(void **state)
{
	struct arena *a = arena_create(1 << 20);
	struct buffer w1, w2, j1, j2;
	struct report *back;
	size_t cut;

	buffer_init(&w1, 1 << 20);
	buffer_init(&w2, 1 << 20);
	buffer_init(&j1, 1 << 20);
	buffer_init(&j2, 1 << 20);
	assert_int_equal(report_serialize(sample(a), &w1), 0);
	back = report_deserialize(a, w1.data, w1.used, 100);
	assert_non_null(back);
	assert_int_equal(report_serialize(back, &w2), 0);
	assert_int_equal(w1.used, w2.used);
	assert_memory_equal(w1.data, w2.data, w1.used);
	report_write_json(sample(a), &j1);
	report_write_json(back, &j2);
	assert_string_equal((char *)j1.data, (char *)j2.data);

	/* Every truncation and a trailing byte are refused. */
	for (cut = 0; cut < w1.used; cut++)
		assert_null(report_deserialize(a, w1.data, cut, 100));
	buffer_append(&w1, "x", 1);
	assert_null(report_deserialize(a, w1.data, w1.used, 100));
	/* Too many nodes for the caller's bound. */
	assert_null(report_deserialize(a, w2.data, w2.used, 1));
	buffer_free(&w1);
	buffer_free(&w2);
	buffer_free(&j1);
	buffer_free(&j2);
	arena_destroy(a);
}

static void
test_wire_rejects_unknown_code(void **state)
{
	struct arena *a = arena_create(1 << 20);
	struct report *r = report_new(a, "x");
	struct buffer w;
	unsigned char *p;

	buffer_init(&w, 1 << 20);
	report_add(r, "pdf.uri", FINDING_REPORTED, NULL, NULL);
	assert_int_equal(report_serialize(r, &w), 0);
	p = memmem(w.data, w.used, "pdf.uri", 7);
	assert_non_null(p);
	memcpy(p, "pdf.urx", 7);
	assert_null(report_deserialize(a, w.data, w.used, 100));
	memcpy(p, "av.Eicr", 7);	/* av.* codes are open-ended */
	assert_non_null(report_deserialize(a, w.data, w.used, 100));
	buffer_free(&w);
	arena_destroy(a);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_verdicts),
		cmocka_unit_test(test_json_shape),
		cmocka_unit_test(test_wire_round_trip),
		cmocka_unit_test(test_wire_rejects_unknown_code),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
