/* Unit tests for write.c: the JSON contract and code point offsets. */
#include "helpers.h"

#include <jansson.h>

/* The code points [start, end) of s as a new UTF-8 string. */
static char *cp_slice(const char *s, size_t start, size_t end)
{
	size_t i = 0, cp = 0, from = 0;
	while (s[i] && cp < end) {
		if (cp == start)
			from = i;
		i++;
		while (((unsigned char)s[i] & 0xC0) == 0x80)
			i++;
		cp++;
	}
	if (cp == start)
		from = i;
	return xstrndup(s + from, i - from);
}

static void json_follows_the_contract(void **state)
{
	(void)state;
	asc_doc *doc = annotate("Talks stalled, officials said.");
	char *js = asc_doc_to_json(doc, 1);
	json_error_t err;
	json_t *root = json_loads(js, 0, &err);
	assert_non_null(root);
	assert_string_equal(json_string_value(json_object_get(root, "ascribe")), ASC_SCHEMA_VERSION);
	assert_true(json_is_object(json_object_get(root, "document")));
	json_t *s = json_array_get(json_object_get(root, "sentences"), 0);
	assert_non_null(s);
	static const char *const members[] = {
		"index", "paragraph", "start", "end", "text", "kind", "label", "speaker",
		"outlet", "cue", "reasons",
	};
	for (size_t i = 0; i < sizeof members / sizeof *members; i++)
		assert_non_null(json_object_get(s, members[i]));
	json_t *sp = json_object_get(s, "speaker");
	assert_string_equal(json_string_value(json_object_get(sp, "name")), "officials");
	assert_true(json_is_true(json_object_get(sp, "anonymous")));
	assert_int_equal(json_array_size(json_object_get(root, "attributions")), 1);
	json_decref(root);
	free(js);
	asc_doc_free(doc);
}

static void offsets_are_code_points(void **state)
{
	(void)state;
	const char *text = "Zoë 😀 arrived. “Prices rose,” said José Núñez.";
	asc_doc *doc = annotate(text);
	char *js = asc_doc_to_json(doc, 1);
	json_t *root = json_loads(js, 0, NULL);
	json_t *sents = json_object_get(root, "sentences");
	assert_int_equal(json_array_size(sents), 2);
	for (size_t i = 0; i < json_array_size(sents); i++) {
		json_t *s = json_array_get(sents, i);
		size_t a = (size_t)json_integer_value(json_object_get(s, "start"));
		size_t b = (size_t)json_integer_value(json_object_get(s, "end"));
		char *slice = cp_slice(text, a, b);
		assert_string_equal(slice, json_string_value(json_object_get(s, "text")));
		free(slice);
	}
	json_t *sp = json_object_get(json_array_get(sents, 1), "speaker");
	char *name = cp_slice(text, (size_t)json_integer_value(json_object_get(sp, "start")),
			      (size_t)json_integer_value(json_object_get(sp, "end")));
	assert_string_equal(name, "José Núñez");
	free(name);
	json_decref(root);
	free(js);
	asc_doc_free(doc);
}

/* Every character a string may hold survives the writer: quotes,
 * backslashes, control characters, tabs, non-ASCII, both layouts. */
static void strings_are_escaped(void **state)
{
	(void)state;
	const char *text = "He wrote \"C:\\temp\"\tand\x01 left \xe2\x80\xa8 \xf0\x9f\x98\x80.";
	asc_doc *doc = annotate(text);
	for (int compact = 0; compact <= 1; compact++) {
		char *js = asc_doc_to_json(doc, compact);
		json_error_t err;
		json_t *root = json_loads(js, 0, &err);
		assert_non_null(root);
		json_t *s = json_array_get(json_object_get(root, "sentences"), 0);
		assert_string_equal(json_string_value(json_object_get(s, "text")), text);
		assert_true(json_is_real(json_object_get(s, "label_score")));
		assert_int_equal(strchr(js, '\t') == NULL, 1);
		assert_int_equal(strchr(js, '\x01') == NULL, 1);
		assert_int_equal(strchr(js, '\n') == NULL, compact);
		json_decref(root);
		free(js);
	}
	asc_doc_free(doc);
}

static void error_record_is_valid_json(void **state)
{
	(void)state;
	char *rec = asc_error_record("r\"7", "record has no \"text\"");
	json_t *root = json_loads(rec, 0, NULL);
	assert_non_null(root);
	assert_string_equal(json_string_value(json_object_get(json_object_get(root, "document"), "id")),
			    "r\"7");
	assert_non_null(json_object_get(json_object_get(root, "error"), "message"));
	json_decref(root);
	free(rec);
}

static void text_view_has_one_line_per_sentence(void **state)
{
	(void)state;
	asc_doc *doc = annotate("One. Two. Three.");
	char *out = NULL;
	size_t size = 0;
	FILE *f = open_memstream(&out, &size);
	assert_int_equal(asc_doc_write(doc, ASC_FORMAT_TEXT, 0, f), ASC_OK);
	fclose(f);
	size_t lines = 0;
	for (size_t i = 0; i < size; i++)
		lines += out[i] == '\n';
	assert_int_equal(lines, 3);
	assert_null(strchr(out, '\033'));
	free(out);
	asc_doc_free(doc);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(json_follows_the_contract),
		cmocka_unit_test(offsets_are_code_points),
		cmocka_unit_test(strings_are_escaped),
		cmocka_unit_test(error_record_is_valid_json),
		cmocka_unit_test(text_view_has_one_line_per_sentence),
	};
	return cmocka_run_group_tests(tests, setup_rules, teardown_rules);
}
