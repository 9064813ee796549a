/* Unit tests for label.c with the default rules. */
#include "helpers.h"

static bool has_reason(const asc_doc *doc, const struct sentence *s, const char *id)
{
	for (uint32_t k = 0; k < s->reasons_count; k++)
		if (!strcmp(doc->rules->rules.items[doc->reasons.items[s->reasons_first + k]].id, id))
			return true;
	return false;
}

static void opinion_markers_make_opinion(void **state)
{
	(void)state;
	static const char *const opinions[] = {
		"The minister is apparently trying to delay the vote.",
		"The so-called reform changes nothing.",
		"\"I think the plan will fail,\" she said.",
		"It is unlikely that the two sides will agree this year.",
		"Why would anyone trust such a promise?",
	};
	for (size_t i = 0; i < sizeof opinions / sizeof *opinions; i++) {
		asc_doc *doc = annotate(opinions[i]);
		const struct sentence *s = &doc->sentences.items[0];
		if (s->label != LABEL_OPINION)
			fail_msg("not an opinion: %s", opinions[i]);
		assert_true(s->label_score > 0.5 && s->label_score <= 1.0);
		asc_doc_free(doc);
	}
}

static void reported_numbers_are_fact(void **state)
{
	(void)state;
	asc_doc *doc = annotate("Police arrested 14 people in Lyon on Tuesday, the ministry said.");
	const struct sentence *s = &doc->sentences.items[0];
	assert_int_equal(s->label, LABEL_FACT);
	assert_true(has_reason(doc, s, "label.quantity"));
	assert_true(has_reason(doc, s, "label.date"));
	assert_false(has_reason(doc, s, "label.hedge"));
	asc_doc_free(doc);
}

static void reasons_name_the_rules_that_decided(void **state)
{
	(void)state;
	asc_doc *doc = annotate("The so-called reform changes nothing.");
	assert_true(has_reason(doc, &doc->sentences.items[0], "label.loaded"));
	asc_doc_free(doc);
}

static void boilerplate_has_no_label(void **state)
{
	(void)state;
	asc_doc *doc = annotate("Listen Live\nThe ferry left at noon.");
	assert_int_equal(doc->sentences.items[0].kind, KIND_BOILERPLATE);
	assert_int_equal(doc->sentences.items[0].label, LABEL_NONE);
	assert_true(has_reason(doc, &doc->sentences.items[0], "block.widget"));
	asc_doc_free(doc);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(opinion_markers_make_opinion),
		cmocka_unit_test(reported_numbers_are_fact),
		cmocka_unit_test(reasons_name_the_rules_that_decided),
		cmocka_unit_test(boilerplate_has_no_label),
	};
	return cmocka_run_group_tests(tests, setup_rules, teardown_rules);
}
