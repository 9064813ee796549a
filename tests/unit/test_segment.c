/* Unit tests for segment.c with the default rules: where sentences end. */
#include "helpers.h"

static size_t count(const char *text)
{
	asc_doc *doc = annotate(text);
	size_t n = doc->sentences.len;
	asc_doc_free(doc);
	return n;
}

static void abbreviations_and_titles_do_not_split(void **state)
{
	(void)state;
	assert_int_equal(count("Gen. Ivo Petrov and Col.-Gen. Ana Ruiz met Mr. Dahl on Jan. 4 in the city."), 1);
	assert_int_equal(count("The U.S. Navy said it had no comment on the report."), 1);
}

static void ambiguous_abbreviation_splits_before_a_sentence_starter(void **state)
{
	(void)state;
	assert_int_equal(count("The talks moved to the U.S. The delegates left on Friday."), 2);
}

static void initials_and_decimals_do_not_split(void **state)
{
	(void)state;
	assert_int_equal(count("Maxim A. Suchkov said growth was 3.5 percent this year."), 1);
	assert_int_equal(count("R. K. Menon arrived at 9 a.m. on the first day."), 1);
}

static void inner_ellipsis_does_not_split(void **state)
{
	(void)state;
	assert_int_equal(count("The plan ... was never put to a vote, officials said."), 1);
	assert_int_equal(count("He waited... The doors did not open."), 2);
}

static void full_stops_split_and_quotes_stay_with_their_sentence(void **state)
{
	(void)state;
	asc_doc *doc = annotate("\"We will not sign.\" The minister left. She said nothing.");
	assert_int_equal(doc->sentences.len, 3);
	const struct sentence *s = &doc->sentences.items[0];
	assert_int_equal(s->end - s->start, strlen("\"We will not sign.\""));
	asc_doc_free(doc);
	assert_int_equal(count("“It is over.” Then he left."), 2);
}

static void line_endings_make_paragraphs(void **state)
{
	(void)state;
	asc_doc *doc = annotate("First line.\r\nSecond line.\rThird line.\n\nFourth.");
	assert_int_equal(doc->paragraphs.len, 4);
	assert_int_equal(doc->sentences.len, 4);
	asc_doc_free(doc);
}

static void lower_case_continuation_joins_the_line_before(void **state)
{
	(void)state;
	asc_doc *doc = annotate("The minister said on Monday that the long-delayed talks with the union\nwould resume in March.");
	assert_int_equal(doc->paragraphs.len, 1);
	assert_int_equal(doc->sentences.len, 1);
	asc_doc_free(doc);
}

static void non_breaking_spaces_separate_words(void **state)
{
	(void)state;
	asc_doc *doc = annotate("Prices rose.\xC2\xA0Mr.\xC2\xA0" "Dahl said so.");
	assert_int_equal(doc->sentences.len, 2);
	asc_doc_free(doc);
}

static void quotation_depth_is_tracked(void **state)
{
	(void)state;
	asc_doc *doc = annotate("\"One. Two,\" she said.");
	assert_int_equal(doc->sentences.len, 2);
	assert_int_equal(doc->sentences.items[0].quote_depth, 0);
	assert_int_equal(doc->sentences.items[1].quote_depth, 1);
	asc_doc_free(doc);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(abbreviations_and_titles_do_not_split),
		cmocka_unit_test(ambiguous_abbreviation_splits_before_a_sentence_starter),
		cmocka_unit_test(initials_and_decimals_do_not_split),
		cmocka_unit_test(inner_ellipsis_does_not_split),
		cmocka_unit_test(full_stops_split_and_quotes_stay_with_their_sentence),
		cmocka_unit_test(line_endings_make_paragraphs),
		cmocka_unit_test(lower_case_continuation_joins_the_line_before),
		cmocka_unit_test(non_breaking_spaces_separate_words),
		cmocka_unit_test(quotation_depth_is_tracked),
	};
	return cmocka_run_group_tests(tests, setup_rules, teardown_rules);
}
