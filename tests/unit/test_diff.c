/* test_diff.c - ascribe diff: name merging, the similarity measure, the
 * alignment, and how annotated JSON is read back. */
#include "helpers.h"
#include "diff.h"

#include <jansson.h>

static asc_diff *diff_of(const char *const *texts, size_t n)
{
	asc_diff *d = asc_diff_new(test_rules);
	for (size_t i = 0; i < n; i++) {
		asc_doc *doc = annotate(texts[i]);
		char file[32];
		snprintf(file, sizeof file, "doc%zu.txt", i);
		asc_error err;
		assert_int_equal(asc_diff_add_doc(d, doc, file, &err), ASC_OK);
		asc_doc_free(doc);
	}
	asc_error err;
	assert_int_equal(asc_diff_compute(d, &err), ASC_OK);
	return d;
}

static json_t *report(const asc_diff *d)
{
	char *s = asc_diff_to_json(d, 1);
	assert_non_null(s);
	json_t *j = json_loads(s, 0, NULL);
	free(s);
	assert_non_null(j);
	return j;
}

static void titles_and_roles_are_stripped_from_names(void **state)
{
	(void)state;
	assert_true(diff_same_person(test_rules, "Russian Foreign Minister Sergei Lavrov", NULL,
				     "Sergei Lavrov", NULL));
	assert_true(diff_same_person(test_rules, "Lavrov", NULL, "Sergei Lavrov",
				     "Russian Foreign Minister"));
	assert_true(diff_same_person(test_rules, "Foreign Minister Lavrov", "Foreign Minister",
				     "Sergei Lavrov", NULL));
	assert_true(diff_same_person(test_rules, "Maxim A. Suchkov", NULL, "Maxim Suchkov", NULL));
}

static void different_people_are_not_merged(void **state)
{
	(void)state;
	assert_false(diff_same_person(test_rules, "Sergei Lavrov", NULL, "Anna Lavrov", NULL));
	assert_false(diff_same_person(test_rules, "Sergei Lavrov", NULL, "Sergei Ivanov", NULL));
	assert_false(diff_same_person(test_rules, "Lavrov", NULL, "Lavrova", NULL));
}

static void name_variants_merge_into_one_voice(void **state)
{
	(void)state;
	const char *texts[] = {
		"Russian Foreign Minister Sergei Lavrov said the talks would resume in May.",
		"Lavrov said on Monday that the talks would resume in May.",
	};
	asc_diff *d = diff_of(texts, 2);
	json_t *j = report(d);
	json_t *voices = json_object_get(j, "voices");
	assert_int_equal(json_array_size(voices), 1);
	json_t *v = json_array_get(voices, 0);
	assert_string_equal(json_string_value(json_object_get(v, "name")), "Sergei Lavrov");
	assert_int_equal(json_integer_value(json_array_get(json_object_get(v, "counts"), 1)), 1);
	assert_true(json_is_null(json_object_get(v, "only_in")));
	json_decref(j);
	asc_diff_free(d);
}

static void a_short_name_fitting_two_people_stays_apart(void **state)
{
	(void)state;
	const char *texts[] = {
		"Sergei Lavrov said the talks would resume. Anna Lavrov said the port would reopen.",
		"Lavrov said the talks would resume.",
	};
	asc_diff *d = diff_of(texts, 2);
	assert_int_equal(d->voices.len, 3);
	bool warned = false;
	for (size_t i = 0; i < asc_diff_warning_count(d); i++)
		warned |= strstr(asc_diff_warning(d, i), "fits several people") != NULL;
	assert_true(warned);
	asc_diff_free(d);
}

static void an_unresolved_pronoun_is_never_a_voice(void **state)
{
	(void)state;
	const char *texts[] = {
		"He said the ferry would stop on Monday.",
		"The ferry will stop on Monday, officials said.",
	};
	asc_diff *d = diff_of(texts, 2);
	for (size_t v = 0; v < d->voices.len; v++)
		assert_string_not_equal(d->voices.items[v].name, "He");
	assert_int_equal(d->claims.items[0].sourcing, SRC_UNRESOLVED);
	assert_int_equal(d->claims.items[0].voice, -1);
	asc_diff_free(d);
}

static void inflections_share_a_stem(void **state)
{
	(void)state;
	buf a = { 0 }, b = { 0 };
	diff_stems(test_rules, "The subsidies were cut, closing the plants", &a);
	diff_stems(test_rules, "a subsidy cuts and closed the plant", &b);
	assert_string_equal(a.data, b.data);
	buf_free(&a);
	buf_free(&b);
}

static void function_words_do_not_count(void **state)
{
	(void)state;
	buf a = { 0 };
	diff_stems(test_rules, "It was so, as they had said it would be", &a);
	assert_null(a.data);
	buf_free(&a);
}

/* The pair of documents' first shared pair, or fails. */
static const struct diff_pair *only_pair(const asc_diff *d)
{
	assert_int_equal(d->pairs.len, 1);
	return &d->pairs.items[0];
}

static void a_paraphrase_without_a_shared_run_is_aligned(void **state)
{
	(void)state;
	const char *texts[] = {
		"The harbour authority will charge cruise ships a new landing fee of 12 euros per "
		"passenger from June. Fishing boats were repainted last spring.",
		"From June, every cruise passenger landing in the harbour is to pay a 12-euro fee, "
		"the authority said. The cathedral choir toured Norway.",
	};
	asc_diff *d = diff_of(texts, 2);
	const struct diff_pair *p = only_pair(d);
	assert_true(p->similarity >= ASC_DIFF_THRESHOLD);
	assert_int_equal(d->claims.items[p->a].sentence, 0);
	assert_int_equal(d->claims.items[p->b].sentence, 0);
	assert_true(p->differences & DIFF_SOURCING);
	asc_diff_free(d);
}

static void the_same_quote_from_different_people_differs_in_speaker(void **state)
{
	(void)state;
	const char *texts[] = {
		"\"We will rebuild every school by winter,\" said Mayor Ines Carvalho.",
		"\"We will rebuild every school by winter,\" Governor Tomas Ferreira said.",
	};
	asc_diff *d = diff_of(texts, 2);
	const struct diff_pair *p = only_pair(d);
	assert_true(p->differences & DIFF_SPEAKER);
	assert_false(p->differences & DIFF_QUOTE);
	asc_diff_free(d);
}

static void a_quote_and_its_paraphrase_differ_in_mode(void **state)
{
	(void)state;
	const char *texts[] = {
		"\"The bridge will reopen in March,\" said Mayor Ines Carvalho.",
		"Mayor Ines Carvalho said the bridge would reopen in March.",
	};
	asc_diff *d = diff_of(texts, 2);
	const struct diff_pair *p = only_pair(d);
	assert_true(p->differences & DIFF_QUOTE);
	assert_false(p->differences & DIFF_SPEAKER);
	asc_diff_free(d);
}

static void unrelated_sentences_are_not_aligned(void **state)
{
	(void)state;
	const char *texts[] = {
		"The central bank raised its main interest rate to 4.5 percent on Thursday.",
		"Heavy snow closed three mountain passes and cut power to 2,000 homes.",
	};
	asc_diff *d = diff_of(texts, 2);
	assert_int_equal(d->pairs.len, 0);
	json_t *j = report(d);
	assert_int_equal(json_array_size(json_object_get(j, "unique")), 2);
	json_decref(j);
	asc_diff_free(d);
}

static void alignment_is_one_to_one_per_pair_of_documents(void **state)
{
	(void)state;
	const char *texts[] = {
		"The museum lost three paintings in the night. The museum lost three paintings, "
		"a guard said.",
		"Three paintings were stolen from the museum overnight.",
	};
	asc_diff *d = diff_of(texts, 2);
	assert_int_equal(d->pairs.len, 1);
	asc_diff_free(d);
}

static void identical_documents_pair_every_claim_and_are_named(void **state)
{
	(void)state;
	const char *text = "The ferry stopped on Monday. Officials said the strike would end.";
	const char *texts[] = { text, text };
	asc_diff *d = diff_of(texts, 2);
	assert_int_equal(d->pairs.len, 2);
	for (size_t i = 0; i < d->pairs.len; i++)
		assert_int_equal(d->pairs.items[i].differences, 0);
	bool warned = false;
	for (size_t i = 0; i < asc_diff_warning_count(d); i++)
		warned |= strstr(asc_diff_warning(d, i), "have the same sentences") != NULL;
	assert_true(warned);
	asc_diff_free(d);
}

static void the_json_does_not_depend_on_the_order_of_work(void **state)
{
	(void)state;
	const char *texts[] = {
		"Officials said the plant would close in 2027. The union was not consulted.",
		"The plant will close in 2027, the minister said. Workers were not consulted.",
		"Closing the plant in 2027 is a mistake.",
	};
	asc_diff *d = diff_of(texts, 3);
	char *first = asc_diff_to_json(d, 0);
	asc_diff_set_threshold(d, 0.5);
	asc_error err;
	assert_int_equal(asc_diff_compute(d, &err), ASC_OK);
	asc_diff_set_threshold(d, ASC_DIFF_THRESHOLD);
	assert_int_equal(asc_diff_compute(d, &err), ASC_OK);
	char *second = asc_diff_to_json(d, 0);
	assert_string_equal(first, second);
	free(first);
	free(second);
	asc_diff_free(d);
}

static asc_status add(asc_diff *d, const char *json, asc_error *err)
{
	return asc_diff_add_json(d, json, strlen(json), "in.json", err);
}

static void input_that_is_not_ascribe_json_is_refused(void **state)
{
	(void)state;
	asc_diff *d = asc_diff_new(NULL);
	asc_error err;
	assert_int_equal(add(d, "hello", &err), ASC_ERR_INPUT);
	assert_string_equal(err.file, "in.json");
	assert_non_null(strstr(err.message, "not ascribe JSON"));
	assert_int_equal(add(d, "{\"sentences\": []}", &err), ASC_ERR_INPUT);
	assert_non_null(strstr(err.message, "schema version"));
	assert_int_equal(add(d, "", &err), ASC_ERR_INPUT);
	assert_int_equal(add(d, "[1, 2]", &err), ASC_ERR_INPUT);
	assert_int_equal(asc_diff_document_count(d), 0);
	assert_int_equal(asc_diff_compute(d, &err), ASC_ERR_INPUT);
	asc_diff_free(d);
}

static void an_unknown_major_version_is_refused(void **state)
{
	(void)state;
	asc_diff *d = asc_diff_new(NULL);
	asc_error err;
	assert_int_equal(add(d, "{\"ascribe\": \"2.0\", \"sentences\": []}", &err), ASC_ERR_SCHEMA);
	assert_non_null(strstr(err.message, "\"2.0\" is not supported"));
	asc_diff_free(d);
}

static void unknown_members_are_ignored_and_optional_ones_may_be_missing(void **state)
{
	(void)state;
	asc_diff *d = asc_diff_new(NULL);
	asc_error err;
	assert_int_equal(add(d, "{\"ascribe\": \"1.4\", \"future\": {\"x\": 1}, \"sentences\": ["
			     "{\"text\": \"The dam burst at noon.\", \"label\": \"fact\", "
			     "\"voice\": \"active\", \"checkworthy\": 0.9, \"evidence\": [1]}]}\n"
			     "{\"ascribe\": \"1.0\", \"document\": {\"id\": \"b\"}, \"sentences\": ["
			     "{\"index\": 0, \"start\": 0, \"end\": 21, \"text\": \"The dam burst at noon.\", "
			     "\"kind\": \"body\", \"label\": \"fact\", \"speaker\": null}], "
			     "\"attributions\": []}\n"
			     "{\"ascribe\": \"1.0\", \"document\": {\"id\": \"c\"}, "
			     "\"error\": {\"message\": \"record has no text\"}}\n", &err), ASC_OK);
	assert_int_equal(asc_diff_document_count(d), 2);
	assert_int_equal(asc_diff_compute(d, &err), ASC_OK);
	assert_int_equal(d->pairs.len, 1);
	bool skipped = false, versions = false;
	for (size_t i = 0; i < asc_diff_warning_count(d); i++) {
		skipped |= strstr(asc_diff_warning(d, i), "in.json:3: an error record") != NULL;
		versions |= strstr(asc_diff_warning(d, i), "schema versions 1.4") != NULL;
	}
	assert_true(skipped);
	assert_true(versions);
	asc_diff_free(d);
}

static void offsets_outside_the_text_are_null(void **state)
{
	(void)state;
	asc_diff *d = asc_diff_new(NULL);
	asc_error err;
	/* negative, reversed, past the length; kept; near LONG_MAX */
	assert_int_equal(add(d, "{\"ascribe\": \"1.0\", \"document\": {\"length\": 140}, "
			     "\"sentences\": ["
			     "{\"index\": -4, \"start\": -5, \"end\": 3, \"label\": \"fact\", "
			     "\"text\": \"Prices rose.\"},"
			     "{\"start\": 120, \"end\": 141, \"label\": \"fact\", \"text\": \"Prices rose.\"},"
			     "{\"start\": 9, \"end\": 2, \"label\": \"fact\", \"text\": \"Prices rose.\"},"
			     "{\"start\": 100, \"end\": 122, \"label\": \"fact\", "
			     "\"text\": \"Berg said prices rose.\", "
			     "\"speaker\": {\"name\": \"Berg\", \"start\": 100, \"end\": 104}}],"
			     "\"attributions\": [{\"sentence\": 0, \"content\": {\"start\": 0, \"end\": 141}},"
			     "{\"sentence\": 3, \"content\": {\"start\": 110, \"end\": 121}}]}\n"
			     "{\"ascribe\": \"1.0\", \"document\": {\"length\": 9223372036854775807}, "
			     "\"sentences\": [{\"start\": 9223372036854775806, \"end\": 9223372036854775807, "
			     "\"label\": \"fact\", \"text\": \"Markets fell.\"}]}\n", &err), ASC_OK);
	assert_int_equal(asc_diff_compute(d, &err), ASC_OK);
	assert_int_equal(d->claims.len, 5);
	for (size_t i = 0; i < 3; i++) {
		assert_int_equal(d->claims.items[i].start, -1);
		assert_int_equal(d->claims.items[i].content_start, -1);
	}
	assert_int_equal(d->claims.items[0].sentence, 0);   /* its place, not -4 */
	assert_int_equal(d->claims.items[3].start, 100);
	assert_int_equal(d->claims.items[3].content_start, 110);
	/* the speaker's span is skipped: "Berg" is no term */
	assert_true(strmap_get(&d->terms, "berg", 4) < 0);
	assert_int_equal(d->claims.items[4].start, 9223372036854775806L);
	json_t *j = report(d);
	size_t i;
	json_t *c;
	json_array_foreach(json_object_get(j, "unique"), i, c) {
		bool known = i >= 3;
		assert_true(json_is_null(json_object_get(c, "start")) != known);
		assert_true(json_is_null(json_object_get(c, "end")) != known);
		assert_true(json_is_null(json_object_get(c, "content")) == (i != 3));
	}
	json_decref(j);
	asc_diff_free(d);
}

static void one_document_gives_a_report_with_a_warning(void **state)
{
	(void)state;
	const char *texts[] = { "Officials said the port would reopen on Friday." };
	asc_diff *d = diff_of(texts, 1);
	json_t *j = report(d);
	assert_int_equal(json_array_size(json_object_get(j, "shared")), 0);
	assert_int_equal(json_array_size(json_object_get(j, "unique")), 1);
	assert_int_equal(json_array_size(json_object_get(j, "profiles")), 1);
	assert_true(asc_diff_warning_count(d) >= 1);
	json_decref(j);
	asc_diff_free(d);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(titles_and_roles_are_stripped_from_names),
		cmocka_unit_test(different_people_are_not_merged),
		cmocka_unit_test(name_variants_merge_into_one_voice),
		cmocka_unit_test(a_short_name_fitting_two_people_stays_apart),
		cmocka_unit_test(an_unresolved_pronoun_is_never_a_voice),
		cmocka_unit_test(inflections_share_a_stem),
		cmocka_unit_test(function_words_do_not_count),
		cmocka_unit_test(a_paraphrase_without_a_shared_run_is_aligned),
		cmocka_unit_test(the_same_quote_from_different_people_differs_in_speaker),
		cmocka_unit_test(a_quote_and_its_paraphrase_differ_in_mode),
		cmocka_unit_test(unrelated_sentences_are_not_aligned),
		cmocka_unit_test(alignment_is_one_to_one_per_pair_of_documents),
		cmocka_unit_test(identical_documents_pair_every_claim_and_are_named),
		cmocka_unit_test(the_json_does_not_depend_on_the_order_of_work),
		cmocka_unit_test(input_that_is_not_ascribe_json_is_refused),
		cmocka_unit_test(an_unknown_major_version_is_refused),
		cmocka_unit_test(unknown_members_are_ignored_and_optional_ones_may_be_missing),
		cmocka_unit_test(offsets_outside_the_text_are_null),
		cmocka_unit_test(one_document_gives_a_report_with_a_warning),
	};
	return cmocka_run_group_tests(tests, setup_rules, teardown_rules);
}
