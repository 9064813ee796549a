/* Unit tests for read.c: the text is made valid UTF-8 and every repair is
 * a warning with its byte offset. */
#include "helpers.h"

static void invalid_bytes_become_replacement_characters(void **state)
{
	(void)state;
	const char in[] = "ab\xFF" "cd";
	asc_doc *doc = doc_read(in, sizeof in - 1, NULL);
	assert_string_equal(doc->text, "ab\xEF\xBF\xBD" "cd");
	assert_int_equal(doc->warnings.len, 1);
	assert_int_equal(doc->warnings.items[0].offset, 2);
	assert_non_null(strstr(doc->warnings.items[0].message, "0xFF"));
	asc_doc_free(doc);
}

static void nul_bytes_are_replaced_and_reported_once(void **state)
{
	(void)state;
	const char in[] = "a\0b\0c";
	asc_doc *doc = doc_read(in, 5, NULL);
	assert_int_equal(doc->len, 9);
	assert_int_equal(strlen(doc->text), 9);
	assert_int_equal(doc->warnings.items[0].offset, 1);
	assert_int_equal(doc->warnings.len, 2);   /* the first, then the count */
	asc_doc_free(doc);
}

static void truncated_sequence_at_end(void **state)
{
	(void)state;
	const char in[] = "end\xE2\x80";
	asc_doc *doc = doc_read(in, sizeof in - 1, NULL);
	assert_string_equal(doc->text, "end\xEF\xBF\xBD\xEF\xBF\xBD");
	assert_int_equal(doc->warnings.items[0].offset, 3);
	asc_doc_free(doc);
}

static void bom_is_dropped_and_valid_text_kept(void **state)
{
	(void)state;
	const char in[] = "\xEF\xBB\xBF“Zoë” said 😀";
	asc_doc *doc = doc_read(in, sizeof in - 1, NULL);
	assert_string_equal(doc->text, "“Zoë” said 😀");
	assert_int_equal(doc->warnings.len, 0);
	asc_doc_free(doc);
}

static void many_bad_bytes_are_summed_up(void **state)
{
	(void)state;
	char in[100];
	memset(in, 0xFE, sizeof in);
	asc_doc *doc = doc_read(in, sizeof in, NULL);
	assert_int_equal(doc->warnings.len, 21);
	assert_non_null(strstr(doc->warnings.items[20].message, "80 more"));
	asc_doc_free(doc);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(invalid_bytes_become_replacement_characters),
		cmocka_unit_test(nul_bytes_are_replaced_and_reported_once),
		cmocka_unit_test(truncated_sequence_at_end),
		cmocka_unit_test(bom_is_dropped_and_valid_text_kept),
		cmocka_unit_test(many_bad_bytes_are_summed_up),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
