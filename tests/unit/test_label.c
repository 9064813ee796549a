/* Unit tests for label.c with the default rules. */
#include "helpers.h"

#include <math.h>

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

static const struct evidence *evidence_of(const asc_doc *doc, const struct sentence *s,
					   const char *id)
{
	for (uint32_t k = 0; k < s->evidence_count; k++) {
		const struct evidence *e = &doc->evidence.items[s->evidence_first + k];
		if (!strcmp(doc->rules->rules.items[e->rule].id, id))
			return e;
	}
	return NULL;
}

static void evidence_holds_the_words_that_fired(void **state)
{
	(void)state;
	const char *text = "The so-called reform changes nothing.";
	asc_doc *doc = annotate(text);
	const struct sentence *s = &doc->sentences.items[0];
	const struct evidence *e = evidence_of(doc, s, "label.loaded");
	assert_non_null(e);
	assert_int_equal(e->side, SIDE_OPINION);
	assert_string_equal(label_side_names[e->side], "opinion");
	assert_int_equal(e->at.start, 4);
	assert_int_equal(e->at.end, 13);
	assert_true(e->weight > 0);
	/* every side's evidence is kept, the losing side's too */
	assert_non_null(evidence_of(doc, s, "label.prior-fact"));
	assert_false(has_reason(doc, s, "label.prior-fact"));
	asc_doc_free(doc);
}

static void a_reported_sentence_has_the_attributed_voice(void **state)
{
	(void)state;
	asc_doc *doc = annotate("Police arrested 14 people in Lyon on Tuesday, the ministry said. "
				"The ferry left at noon. "
				"The director allegedly moved three million euros into a private account.");
	assert_int_equal(doc->sentences.items[0].voice, SIDE_ATTRIBUTED);
	assert_int_equal(doc->sentences.items[1].voice, SIDE_AUTHOR);
	assert_int_equal(doc->sentences.items[2].voice, SIDE_ATTRIBUTED);
	assert_true(has_reason(doc, &doc->sentences.items[2], "voice.passed-on"));
	asc_doc_free(doc);
}

static void a_quotation_that_runs_on_keeps_the_attributed_voice(void **state)
{
	(void)state;
	asc_doc *doc = annotate("\"We came with a fair offer,\" said Eirik Dahl. \"Nobody listened.\"");
	assert_int_equal(doc->sentences.len, 2);
	assert_int_equal(doc->sentences.items[1].voice, SIDE_ATTRIBUTED);
	asc_doc_free(doc);
}

static void quantities_and_acts_are_checkworthy(void **state)
{
	(void)state;
	static const char *const checkworthy[] = {
		"Police charged two men with arson on Monday.",
		"The scheme cost 4.2 billion euros, the audit office said.",
		"Unemployment rose to 5.2 percent in March, the largest rise since 2009.",
	};
	for (size_t i = 0; i < sizeof checkworthy / sizeof *checkworthy; i++) {
		asc_doc *doc = annotate(checkworthy[i]);
		const struct sentence *s = &doc->sentences.items[0];
		if (s->checkworthy != 1)
			fail_msg("not check-worthy: %s", checkworthy[i]);
		asc_doc_free(doc);
	}
}

static void trivia_process_and_opinion_are_not_checkworthy(void **state)
{
	(void)state;
	static const char *const not_checkworthy[] = {
		"The two ministers met in Oslo on Tuesday.",
		"The ministry declined to comment.",
		"It was not clear whether anyone was hurt.",
		"Unemployment will probably hit 10 percent by spring.",
		"Who, exactly, is this tram for?",
	};
	for (size_t i = 0; i < sizeof not_checkworthy / sizeof *not_checkworthy; i++) {
		asc_doc *doc = annotate(not_checkworthy[i]);
		const struct sentence *s = &doc->sentences.items[0];
		if (s->checkworthy != 0)
			fail_msg("check-worthy: %s", not_checkworthy[i]);
		asc_doc_free(doc);
	}
}

static void unlabelled_segments_have_no_voice_or_check(void **state)
{
	(void)state;
	asc_doc *doc = annotate("Listen Live\nThe ferry left at noon.");
	assert_int_equal(doc->sentences.items[0].voice, -1);
	assert_int_equal(doc->sentences.items[0].checkworthy, -1);
	assert_int_equal(doc->sentences.items[0].evidence_count, 0);
	asc_doc_free(doc);
}

static void the_score_follows_the_calibration(void **state)
{
	(void)state;
	asc_doc *doc = annotate("The ferry left at noon.");
	const struct sentence *s = &doc->sentences.items[0];
	const struct calibration *cal = &doc->rules->calibration[LF_LABEL];
	double margin = 0;
	for (uint32_t k = 0; k < s->evidence_count; k++) {
		const struct evidence *e = &doc->evidence.items[s->evidence_first + k];
		margin += e->side == SIDE_OPINION ? e->weight : e->side == SIDE_FACT ? -e->weight : 0;
	}
	double p_opinion = 1.0 / (1.0 + exp(-(cal->slope * margin + cal->intercept)));
	assert_int_equal(s->label, LABEL_FACT);
	assert_float_equal(s->label_score, 1.0 - p_opinion, 1e-9);
	asc_doc_free(doc);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(opinion_markers_make_opinion),
		cmocka_unit_test(reported_numbers_are_fact),
		cmocka_unit_test(reasons_name_the_rules_that_decided),
		cmocka_unit_test(boilerplate_has_no_label),
		cmocka_unit_test(evidence_holds_the_words_that_fired),
		cmocka_unit_test(a_reported_sentence_has_the_attributed_voice),
		cmocka_unit_test(a_quotation_that_runs_on_keeps_the_attributed_voice),
		cmocka_unit_test(quantities_and_acts_are_checkworthy),
		cmocka_unit_test(trivia_process_and_opinion_are_not_checkworthy),
		cmocka_unit_test(unlabelled_segments_have_no_voice_or_check),
		cmocka_unit_test(the_score_follows_the_calibration),
	};
	return cmocka_run_group_tests(tests, setup_rules, teardown_rules);
}
