/* Unit tests for attribute.c and spot.c with the default rules: source,
 * role, cue and outlet of single sentences. */
#include "helpers.h"

struct want {
	const char *text, *speaker, *cue, *outlet;
	bool anonymous;
};

static void check(const struct want *w)
{
	asc_doc *doc = annotate(w->text);
	const struct sentence *s = &doc->sentences.items[doc->sentences.len - 1];
	const char *name = speaker_name(doc, s);
	if (!name || strcmp(name, w->speaker))
		fail_msg("%s: speaker '%s', want '%s'", w->text, name ? name : "-", w->speaker);
	assert_int_equal(doc->entities.items[s->speaker.entity].anonymous, w->anonymous);
	assert_true(s->attribution >= 0);
	const struct attribution *a = &doc->attributions.items[s->attribution];
	char *cue = xstrndup(doc->text + a->cue.start, a->cue.end - a->cue.start);
	assert_string_equal(cue, w->cue);
	free(cue);
	if (w->outlet) {
		assert_true(s->outlet >= 0);
		assert_string_equal(doc->entities.items[s->outlet].name, w->outlet);
	} else {
		assert_int_equal(s->outlet, -1);
	}
	asc_doc_free(doc);
}

static void direct_quotes_in_every_order(void **state)
{
	(void)state;
	static const struct want w[] = {
		{ "\"We will not sign,\" Anna Berg said.", "Anna Berg", "said", NULL, false },
		{ "\"We will not sign,\" said Anna Berg, a union leader.", "Anna Berg", "said", NULL, false },
		{ "Anna Berg said: \"We will not sign.\"", "Anna Berg", "said", NULL, false },
		{ "\u201cNo,\u201d Anna Berg told reporters, \u201cnever.\u201d", "Anna Berg", "told", NULL, false },
	};
	for (size_t i = 0; i < sizeof w / sizeof *w; i++)
		check(&w[i]);
}

static void indirect_and_prepositional_cues(void **state)
{
	(void)state;
	static const struct want w[] = {
		{ "Anna Berg said that the port would close.", "Anna Berg", "said", NULL, false },
		{ "The port will close, according to Anna Berg.", "Anna Berg", "according to", NULL, false },
		{ "The port will close, local media reported, citing officials.", "officials", "citing", NULL, true },
		{ "The port will close, sources familiar with the talks said.",
		  "sources familiar with the talks", "said", NULL, true },
	};
	for (size_t i = 0; i < sizeof w / sizeof *w; i++)
		check(&w[i]);
}

/* Names that open with a letter outside ASCII are sources too: \b knows
 * only ASCII letters, {WORD_START} every script. */
static void names_in_other_scripts(void **state)
{
	(void)state;
	static const struct want w[] = {
		{ "\u00c5sa Lindqvist said the plan was late.", "\u00c5sa Lindqvist", "said", NULL, false },
		{ "\"We will not wait,\" said \u00c9mile Durand, the mayor.", "\u00c9mile Durand", "said",
		  NULL, false },
		{ "\u00d6gren told reporters that the bridge would close.", "\u00d6gren", "told", NULL, false },
		{ "\u0141ukasz Nowak said that talks would resume.", "\u0141ukasz Nowak", "said", NULL, false },
	};
	for (size_t i = 0; i < sizeof w / sizeof *w; i++)
		check(&w[i]);
}

static void outlets_from_the_gazetteer(void **state)
{
	(void)state;
	static const struct want w[] = {
		{ "The deal is close, a senior official told Reuters.", "senior official", "told", "Reuters", true },
		{ "Rates must rise, Lena Voss wrote for the Financial Times.", "Lena Voss", "wrote for",
		  "Financial Times", false },
		{ "Talks have stalled, the Washington Post asserted.", "The Washington Post", "asserted",
		  "The Washington Post", false },
	};
	for (size_t i = 0; i < sizeof w / sizeof *w; i++)
		check(&w[i]);
}

static void title_before_a_name_is_its_role(void **state)
{
	(void)state;
	asc_doc *doc = annotate("Russian Foreign Minister Sergei Lavrov said the talks had ended.");
	const struct sentence *s = &doc->sentences.items[0];
	assert_string_equal(speaker_name(doc, s), "Sergei Lavrov");
	assert_non_null(strstr(doc->entities.items[s->speaker.entity].role, "Foreign Minister"));
	asc_doc_free(doc);
}

static void appositive_is_the_role(void **state)
{
	(void)state;
	asc_doc *doc = annotate("Tomas Ek, the head of the port authority, said ships were waiting.");
	const struct sentence *s = &doc->sentences.items[0];
	assert_string_equal(speaker_name(doc, s), "Tomas Ek");
	assert_string_equal(doc->entities.items[s->speaker.entity].role,
			    "the head of the port authority");
	asc_doc_free(doc);
}

static void title_and_name_after_a_vague_head_is_a_person(void **state)
{
	(void)state;
	asc_doc *doc = annotate("Finnish aide to the Prime Minister Aino Lehto described the plan as bold.");
	const struct sentence *s = &doc->sentences.items[0];
	assert_string_equal(speaker_name(doc, s), "Aino Lehto");
	assert_false(doc->entities.items[s->speaker.entity].anonymous);
	asc_doc_free(doc);
	doc = annotate("The fares will rise, a spokeswoman for the operator Nordline said.");
	s = &doc->sentences.items[0];
	assert_true(doc->entities.items[s->speaker.entity].anonymous);
	asc_doc_free(doc);
}

static void participle_appositive_is_no_name(void **state)
{
	(void)state;
	asc_doc *doc = annotate("Foreign Minister Ivo Petrov arrived on Monday.\n\n"
			       "The minister, speaking to reporters in Vienna, said the deal was dead.");
	const struct sentence *s = sentence_with(doc, "speaking to reporters");
	assert_string_equal(speaker_name(doc, s), "Ivo Petrov");
	asc_doc_free(doc);
}

static void lower_case_word_before_a_role_noun_is_part_of_the_title(void **state)
{
	(void)state;
	asc_doc *doc = annotate("\"The figures are wrong,\" said union leader Maja Holm.");
	const struct sentence *s = &doc->sentences.items[0];
	assert_string_equal(speaker_name(doc, s), "Maja Holm");
	assert_string_equal(doc->entities.items[s->speaker.entity].role, "union leader");
	asc_doc_free(doc);
}

static void report_in_an_outlet_is_the_outlet_speaking(void **state)
{
	(void)state;
	static const struct want w[] = {
		{ "According to a report in The New York Times, the talks collapsed.",
		  "The New York Times", "According to", "The New York Times", false },
		{ "A former aide to the mayor, who asked not to be named, said the money was gone.",
		  "former aide to the mayor", "said", NULL, true },
	};
	for (size_t i = 0; i < sizeof w / sizeof *w; i++)
		check(&w[i]);
}

static void plain_action_has_no_speaker(void **state)
{
	(void)state;
	asc_doc *doc = annotate("The minister flew to Oslo on Monday.");
	assert_int_equal(doc->sentences.items[0].speaker.entity, -1);
	assert_int_equal(doc->sentences.items[0].attribution, -1);
	asc_doc_free(doc);
}

/* The text of span at, or "" when it is empty. */
static char *span_text(const asc_doc *doc, struct span at)
{
	return xstrndup(doc->text + at.start, at.end > at.start ? at.end - at.start : 0);
}

struct want_spans {
	const char *text;
	const char *source, *cue, *cue2, *content;
};

/* The first attribution of the last sentence has these spans
 * (docs/attribution.md); NULL skips a role. */
static void check_spans(const struct want_spans *w)
{
	asc_doc *doc = annotate(w->text);
	assert_true(doc->attributions.len > 0);
	uint32_t last = (uint32_t)doc->sentences.len - 1;
	const struct attribution *a = NULL;
	for (size_t i = 0; i < doc->attributions.len && !a; i++)
		if (doc->attributions.items[i].sentence == last && !doc->attributions.items[i].dropped)
			a = &doc->attributions.items[i];
	assert_non_null(a);
	struct { const char *want; struct span at; } roles[] = {
		{ w->source, a->source_np }, { w->cue, a->cue_group }, { w->cue2, a->cue2 },
		{ w->content, a->content },
	};
	for (size_t i = 0; i < sizeof roles / sizeof *roles; i++) {
		if (!roles[i].want)
			continue;
		char *got = span_text(doc, roles[i].at);
		assert_string_equal(got, roles[i].want);
		free(got);
	}
	asc_doc_free(doc);
}

static void spans_follow_the_conventions(void **state)
{
	(void)state;
	static const struct want_spans cases[] = {
		{ "Petr Orlov, the head of the academy, has repeatedly said that the offensive had stalled.",
		  "Petr Orlov, the head of the academy", "has repeatedly said", NULL,
		  "the offensive had stalled" },
		{ "The port closed on Monday, senior officials said Saturday.",
		  "senior officials", "said", NULL, "The port closed on Monday" },
		{ "According to the ministry, 40 people were hurt.",
		  NULL, "According to", NULL, "40 people were hurt" },
		{ "The ministry said on Tuesday in a statement that the bridge would reopen.",
		  "The ministry", "said", "in a statement", "the bridge would reopen" },
		{ "Mayor Dana Ruiz said the city had \"no painless options left.\"",
		  "Mayor Dana Ruiz", "said", NULL, "the city had \"no painless options left" },
		{ "The council leader did not say whether the pool would reopen.",
		  "The council leader", "did not say", NULL, "whether the pool would reopen" },
	};
	for (size_t i = 0; i < sizeof cases / sizeof *cases; i++)
		check_spans(&cases[i]);
}

/* A quotation that goes on in the next sentence adds a piece to its
 * attribution's content. */
static void quotation_goes_on_as_a_piece(void **state)
{
	(void)state;
	asc_doc *doc = annotate("\"We tested the water every week,\" said Lucy Penhaligon. "
				"\"Nobody from the company asked to see our results.\"");
	assert_int_equal(doc->attributions.len, 1);
	assert_int_equal(doc->pieces.len, 1);
	assert_int_equal(doc->pieces.items[0].attribution, 0);
	char *got = span_text(doc, doc->pieces.items[0].at);
	assert_string_equal(got, "Nobody from the company asked to see our results");
	free(got);
	asc_doc_free(doc);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(direct_quotes_in_every_order),
		cmocka_unit_test(indirect_and_prepositional_cues),
		cmocka_unit_test(names_in_other_scripts),
		cmocka_unit_test(outlets_from_the_gazetteer),
		cmocka_unit_test(title_before_a_name_is_its_role),
		cmocka_unit_test(appositive_is_the_role),
		cmocka_unit_test(title_and_name_after_a_vague_head_is_a_person),
		cmocka_unit_test(participle_appositive_is_no_name),
		cmocka_unit_test(lower_case_word_before_a_role_noun_is_part_of_the_title),
		cmocka_unit_test(report_in_an_outlet_is_the_outlet_speaking),
		cmocka_unit_test(plain_action_has_no_speaker),
		cmocka_unit_test(spans_follow_the_conventions),
		cmocka_unit_test(quotation_goes_on_as_a_piece),
	};
	return cmocka_run_group_tests(tests, setup_rules, teardown_rules);
}
