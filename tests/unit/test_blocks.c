/* Unit tests for blocks.c with the default rules: what each line is. */
#include "helpers.h"

static int kind_of(const asc_doc *doc, const char *needle)
{
	return sentence_with(doc, needle)->kind;
}

static const char *page =
	"10:15 GMT 03.04.2025\n"
	"Listen Live\n"
	"Harbour pilots extend strike as talks stall\n"
	"By Mira Halvorsen\n"
	"Get short URL\n"
	"Dock workers wait beside idle cranes at the container terminal in Bergen on April 2, 2025\n"
	"BERGEN, April 3 (Harbour Wire) - Pilots extended their strike on Thursday. The union said talks had failed.\n"
	"Dock workers wait beside idle cranes at the container terminal in Bergen on April 2, 2025\n"
	"\xC2\xA9 Harbour Photo / Ola Berg\n"
	"The backlog grew to 40 ships by evening.\n"
	"Ferry Operators Count the Cost\n"
	"Union Rejects Latest Offer\n"
	"What the Strike Means for Exporters\n"
	"strike, pilots, Bergen, ports, shipping, unions\n"
	"Comment via Facebook\n";

static void widgets_are_boilerplate(void **state)
{
	(void)state;
	asc_doc *doc = annotate(page);
	assert_int_equal(kind_of(doc, "Listen Live"), KIND_BOILERPLATE);
	assert_int_equal(kind_of(doc, "Get short URL"), KIND_BOILERPLATE);
	assert_int_equal(kind_of(doc, "Comment via Facebook"), KIND_BOILERPLATE);
	assert_int_equal(kind_of(doc, "Harbour Photo"), KIND_BOILERPLATE);
	asc_doc_free(doc);
}

static void caption_then_its_repeat(void **state)
{
	(void)state;
	asc_doc *doc = annotate(page);
	size_t captions = 0, repeats = 0;
	for (size_t i = 0; i < doc->sentences.len; i++) {
		const struct sentence *s = &doc->sentences.items[i];
		if (strncmp(doc->text + s->start, "Dock workers wait", 17))
			continue;
		captions += s->kind == KIND_CAPTION;
		repeats += s->kind == KIND_BOILERPLATE;
	}
	assert_int_equal(captions, 1);
	assert_int_equal(repeats, 1);
	asc_doc_free(doc);
}

static void headline_byline_dateline(void **state)
{
	(void)state;
	asc_doc *doc = annotate(page);
	assert_int_equal(kind_of(doc, "10:15 GMT"), KIND_DATELINE);
	assert_int_equal(kind_of(doc, "Harbour pilots extend"), KIND_HEADLINE);
	assert_int_equal(kind_of(doc, "By Mira"), KIND_BYLINE);
	const struct sentence *d = sentence_with(doc, "BERGEN");
	assert_int_equal(d->kind, KIND_DATELINE);
	assert_int_equal(d->end - d->start, strlen("BERGEN, April 3 (Harbour Wire) -"));
	assert_int_equal(kind_of(doc, "Pilots extended"), KIND_BODY);
	assert_int_equal(kind_of(doc, "The union said"), KIND_BODY);
	asc_doc_free(doc);
}

static void related_list_and_tags_after_the_story(void **state)
{
	(void)state;
	asc_doc *doc = annotate(page);
	assert_int_equal(kind_of(doc, "Ferry Operators Count"), KIND_BOILERPLATE);
	assert_int_equal(kind_of(doc, "Union Rejects"), KIND_BOILERPLATE);
	assert_int_equal(kind_of(doc, "strike, pilots"), KIND_BOILERPLATE);
	assert_int_equal(kind_of(doc, "The backlog grew"), KIND_BODY);
	asc_doc_free(doc);
}

static void a_non_body_line_is_one_segment(void **state)
{
	(void)state;
	asc_doc *doc = annotate("Syria. Aleppo seen from the citadel.\n\xC2\xA9 Agency / Name\n"
			       "Syria. Aleppo seen from the citadel.\nThe talks ended.");
	assert_int_equal(doc->sentences.len, 4);
	assert_int_equal(doc->sentences.items[0].kind, KIND_CAPTION);
	assert_int_equal(doc->sentences.items[2].kind, KIND_BOILERPLATE);
	assert_int_equal(doc->sentences.items[3].kind, KIND_BODY);
	asc_doc_free(doc);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(widgets_are_boilerplate),
		cmocka_unit_test(caption_then_its_repeat),
		cmocka_unit_test(headline_byline_dateline),
		cmocka_unit_test(related_list_and_tags_after_the_story),
		cmocka_unit_test(a_non_body_line_is_one_segment),
	};
	return cmocka_run_group_tests(tests, setup_rules, teardown_rules);
}
