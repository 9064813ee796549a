/* Unit tests for resolve.c with the default rules: pronouns, short names,
 * nominal mentions and quotations that run on. */
#include "helpers.h"

static void pronoun_takes_the_last_person_who_spoke(void **state)
{
	(void)state;
	asc_doc *doc = annotate(
		"Colonel-General Leonid Ivashov said Kerry was to blame.\n\n"
		"The ministry did not comment.\n\n"
		"\"I think the plan has failed,\" he said.");
	const struct sentence *s = sentence_with(doc, "he said");
	assert_string_equal(speaker_name(doc, s), "Leonid Ivashov");
	assert_int_equal(s->speaker.resolved, RES_PRONOUN);
	asc_doc_free(doc);
}

static void short_name_takes_the_full_one(void **state)
{
	(void)state;
	asc_doc *doc = annotate(
		"Kerry met Russian Foreign Minister Sergei Lavrov in Rome.\n\n"
		"Lavrov said the talks would continue.");
	const struct sentence *s = sentence_with(doc, "Lavrov said");
	assert_string_equal(speaker_name(doc, s), "Sergei Lavrov");
	assert_int_equal(s->speaker.resolved, RES_NAME);
	asc_doc_free(doc);
}

static void newspaper_takes_the_outlet_named_before(void **state)
{
	(void)state;
	asc_doc *doc = annotate(
		"Talks stalled over the weekend, the Washington Post reported.\n\n"
		"The newspaper described the mission as quiet.");
	const struct sentence *s = sentence_with(doc, "The newspaper");
	assert_string_equal(speaker_name(doc, s), "The Washington Post");
	assert_int_equal(s->speaker.resolved, RES_NOMINAL);
	assert_true(s->outlet >= 0);
	asc_doc_free(doc);
}

static void role_nominal_takes_the_person_with_that_role(void **state)
{
	(void)state;
	asc_doc *doc = annotate(
		"Foreign Minister Sergei Lavrov arrived in Rome.\n\n"
		"Russia's top diplomat said the deal was close.");
	const struct sentence *s = sentence_with(doc, "top diplomat");
	assert_string_equal(speaker_name(doc, s), "Sergei Lavrov");
	asc_doc_free(doc);
}

static void quotation_attributed_at_its_end(void **state)
{
	(void)state;
	asc_doc *doc = annotate(
		"\"These contacts have produced results. But the same problem remains,\" "
		"Anna Berg said.\n\n\"We will try again next week.\"");
	const struct sentence *first = sentence_with(doc, "These contacts");
	assert_string_equal(speaker_name(doc, first), "Anna Berg");
	assert_int_equal(first->speaker.resolved, RES_QUOTE);
	const struct sentence *next = sentence_with(doc, "try again");
	assert_string_equal(speaker_name(doc, next), "Anna Berg");
	assert_int_equal(next->speaker.resolved, RES_QUOTE);
	asc_doc_free(doc);
}

static void unquoted_sentence_after_a_quote_has_no_speaker(void **state)
{
	(void)state;
	asc_doc *doc = annotate("\"We will win,\" Anna Berg said. The vote is on Monday.");
	assert_int_equal(sentence_with(doc, "The vote")->speaker.entity, -1);
	asc_doc_free(doc);
}

/* A long document's entities are found through an index (doc.h); these
 * check that what it finds is what walking every entity finds.  crowd()
 * puts people enough before the text for the index to be made. */
static asc_doc *crowd(const char *before, int people, const char *text)
{
	buf b = { 0 };
	buf_adds(&b, before);
	for (int i = 0; i < people; i++)
		buf_printf(&b, "Councillor Pat%c%c Mor%c%c said item %d was settled.\n\n",
			   'a' + i % 26, 'a' + i / 26 % 26, 'a' + i / 26 % 26, 'a' + i % 26, i);
	buf_adds(&b, text);
	asc_doc *doc = annotate(buf_cstr(&b));
	buf_free(&b);
	return doc;
}

static void role_nominal_finds_a_role_given_later(void **state)
{
	(void)state;
	/* the second, longer description replaces the first: "judge" is
	 * only in it */
	for (int people = 0; people <= 100; people += 100) {
		asc_doc *doc = crowd("", people,
			"Transport Minister Ana Ruiz said the ferries would run.\n\n"
			"Ana Ruiz, a judge of the supreme court until last year, said the ruling "
			"was fair.\n\n"
			"The judge said the appeal would fail.");
		assert_int_equal(doc->entity_indexed, people > 0);
		const struct sentence *s = sentence_with(doc, "The judge said");
		assert_string_equal(speaker_name(doc, s), "Ana Ruiz");
		assert_int_equal(s->speaker.resolved, RES_NOMINAL);
		asc_doc_free(doc);
	}
}

static void short_name_after_the_name_grew(void **state)
{
	(void)state;
	for (int people = 0; people <= 100; people += 100) {
		asc_doc *doc = crowd("", people,
			"Lavrov said the talks would go on.\n\n"
			"Sergei Lavrov said the deal was close.\n\n"
			"Lavrov said nothing more.");
		assert_int_equal(doc->entity_indexed, people > 0);
		assert_string_equal(speaker_name(doc, sentence_with(doc, "talks would")),
				    "Sergei Lavrov");
		assert_string_equal(speaker_name(doc, sentence_with(doc, "nothing more")),
				    "Sergei Lavrov");
		int lavrovs = 0;
		for (size_t i = 0; i < doc->entities.len; i++)
			lavrovs += strstr(doc->entities.items[i].name, "Lavrov") != NULL;
		assert_int_equal(lavrovs, 1);
		asc_doc_free(doc);
	}
}

static void nominal_reaches_back_past_many_people(void **state)
{
	(void)state;
	/* 400 people speak between the outlet and "the newspaper"; the
	 * newest person who was a mayor is the one "the mayor" means */
	asc_doc *doc = crowd("Talks stalled, the Washington Post reported.\n\n"
			     "Mayor Lena Holt said the budget was tight.\n\n",
			     400,
			     "Mayor Omar Said said the vote would wait.\n\n"
			     "The newspaper said the council met late.\n\n"
			     "The mayor said the delay was short.");
	assert_true(doc->entity_indexed);
	const struct sentence *s = sentence_with(doc, "The newspaper said");
	assert_string_equal(speaker_name(doc, s), "The Washington Post");
	s = sentence_with(doc, "The mayor said");
	assert_string_equal(speaker_name(doc, s), "Omar Said");
	asc_doc_free(doc);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(pronoun_takes_the_last_person_who_spoke),
		cmocka_unit_test(short_name_takes_the_full_one),
		cmocka_unit_test(newspaper_takes_the_outlet_named_before),
		cmocka_unit_test(role_nominal_takes_the_person_with_that_role),
		cmocka_unit_test(quotation_attributed_at_its_end),
		cmocka_unit_test(unquoted_sentence_after_a_quote_has_no_speaker),
		cmocka_unit_test(role_nominal_finds_a_role_given_later),
		cmocka_unit_test(short_name_after_the_name_grew),
		cmocka_unit_test(nominal_reaches_back_past_many_people),
	};
	return cmocka_run_group_tests(tests, setup_rules, teardown_rules);
}
