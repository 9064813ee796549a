/* Unit tests for write.c: the JSON contract and code point offsets. */
#include "helpers.h"

#include <jansson.h>
#include <limits.h>

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

/* Offsets come from a count at every 64th byte, and blocks that are all
 * ASCII are not counted again: sentences of every length, some with
 * two-, three- and four-byte characters, put boundaries everywhere in and
 * between such blocks.  Every span written must slice its own text. */
static void offsets_in_ascii_and_utf8_blocks(void **state)
{
	(void)state;
	static const char *const words[] = { "rain", "fell", "on", "Zoë", "“hard”", "😀", "today" };
	buf text = { 0 };
	for (size_t i = 0; i < 120; i++) {
		buf_adds(&text, "Officials said the");
		for (size_t k = 0; k < i % 13; k++) {
			buf_addc(&text, ' ');
			buf_adds(&text, i % 3 ? words[(k * 5 + i) % 3] : words[(k + i) % 7]);
		}
		buf_adds(&text, i % 4 ? ". " : ".\n\n");
	}
	asc_doc *doc = annotate(buf_cstr(&text));
	char *js = asc_doc_to_json(doc, 1);
	json_t *root = json_loads(js, 0, NULL);
	assert_non_null(root);
	assert_int_equal(json_integer_value(json_object_get(json_object_get(root, "document"),
							    "length")),
			 utf8_count(text.data, text.len));
	json_t *sents = json_object_get(root, "sentences");
	assert_true(json_array_size(sents) > 100);
	size_t spans = 0;
	for (size_t i = 0; i < json_array_size(sents); i++) {
		json_t *s = json_array_get(sents, i);
		json_t *evidence = json_object_get(s, "evidence");
		for (size_t k = 0; k <= json_array_size(evidence); k++) {
			json_t *o = k ? json_array_get(evidence, k - 1) : s;
			size_t a = (size_t)json_integer_value(json_object_get(o, "start"));
			size_t b = (size_t)json_integer_value(json_object_get(o, "end"));
			char *slice = cp_slice(text.data, a, b);
			assert_string_equal(slice, json_string_value(json_object_get(o, "text")));
			free(slice);
			spans++;
		}
	}
	assert_true(spans > 300);
	json_decref(root);
	free(js);
	asc_doc_free(doc);
	buf_free(&text);
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

/* s as the writer must write it: RFC 8259's short escapes, \u00XX for
 * the other control characters, every other byte as it is. */
static void escape_reference(buf *b, const char *s, size_t n)
{
	buf_addc(b, '"');
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		switch (c) {
		case '"':  buf_adds(b, "\\\""); break;
		case '\\': buf_adds(b, "\\\\"); break;
		case '\b': buf_adds(b, "\\b"); break;
		case '\f': buf_adds(b, "\\f"); break;
		case '\n': buf_adds(b, "\\n"); break;
		case '\r': buf_adds(b, "\\r"); break;
		case '\t': buf_adds(b, "\\t"); break;
		default:
			if (c < 0x20)
				buf_printf(b, "\\u%04X", c);
			else
				buf_addc(b, (char)c);
		}
	}
	buf_addc(b, '"');
}

/* Writes title[0..n) as the document's title, in both layouts, and
 * compares the bytes after the member name with the reference escaping.
 * title has room for the NUL that ends it. */
static void check_title(asc_doc *doc, char *title, size_t n)
{
	title[n] = '\0';
	buf want = { 0 };
	escape_reference(&want, title, n);
	doc->title = title;
	for (int compact = 0; compact <= 1; compact++) {
		char *js = asc_doc_to_json(doc, compact);
		const char *name = compact ? "\"title\":" : "\"title\": ";
		const char *at = strstr(js, name);
		assert_non_null(at);
		at += strlen(name);
		if (strncmp(at, want.data, want.len) != 0 || at[want.len] != ',')
			fail_msg("title of %zu bytes: wrote %.*s, want %s", n, (int)want.len + 1,
				 at, want.data);
		free(js);
	}
	buf_free(&want);
}

/* The escaper copies eight bytes at a time and the last few by an
 * overlapping word: a byte to escape at every position of strings of
 * every length up to 40, next to plain ASCII and UTF-8, is written as
 * the byte-by-byte reference writes it. */
static void escapes_at_every_position(void **state)
{
	(void)state;
	static const char specials[] = "\"\\\b\f\n\r\t\x01\x1f";
	asc_doc *doc = annotate("Talks stalled, officials said.");
	char *saved = doc->title;
	char s[64];
	for (size_t n = 0; n <= 40; n++) {
		for (size_t k = 0; k < n; k++) {
			for (size_t c = 0; c < sizeof specials - 1; c++) {
				for (size_t i = 0; i < n; i++)
					s[i] = (char)(i % 3 ? 'a' + i % 26 : 0xC3);
				s[k] = specials[c];
				check_title(doc, s, n);
				/* and a second one, further on */
				s[(k * 7 + 3) % n] = specials[(c + 1) % (sizeof specials - 1)];
				check_title(doc, s, n);
			}
		}
		for (size_t i = 0; i < n; i++)
			s[i] = (char)('A' + i);
		check_title(doc, s, n);
	}
	/* random bytes, escapes dense and sparse */
	uint64_t x = UINT64_C(0x9E3779B97F4A7C15);
	for (int t = 0; t < 3000; t++) {
		size_t n = (size_t)(t % 64);
		for (size_t i = 0; i < n; i++) {
			x ^= x << 13;
			x ^= x >> 7;
			x ^= x << 17;
			unsigned char c = (unsigned char)(x >> 24);
			s[i] = (char)(t % 2 && c >= 0x20 ? 'a' + c % 26 : c);
			if (!s[i])
				s[i] = ' ';
		}
		check_title(doc, s, n);
	}
	doc->title = saved;
	asc_doc_free(doc);
}

/* A score and a weight are written as snprintf's three decimals would be,
 * with the trailing zeros dropped down to one: 0.5 is "0.5", 1 is "1.0". */
static void scores_and_weights_are_shortest(void **state)
{
	(void)state;
	asc_doc *doc = annotate("The plan is a disgrace, the mayor said on Monday.");
	struct sentence *s = NULL;
	for (size_t i = 0; i < doc->sentences.len && !s; i++)
		if (doc->sentences.items[i].label != LABEL_NONE &&
		    doc->sentences.items[i].evidence_count > 0)
			s = &doc->sentences.items[i];
	assert_non_null(s);
	struct evidence *e = &doc->evidence.items[s->evidence_first];
	static const double values[] = {
		0.0, 1.0, 0.5, 0.75, 0.692, 0.9995, 0.0004, 0.0005, 0.0625, 0.1, 0.12, 0.123,
		0.999, 0.001, 0.01,
	};
	static const double weights[] = {
		0.0, -0.0, 1.0, -1.0, 0.6, -0.6, 2.5, 3.0, 0.0625, -0.0625, 0.0005, -0.0004,
		1.125, 12.5, -100.0, 1000.0, 0.333333,
	};
	for (size_t i = 0; i < sizeof values / sizeof *values; i++) {
		s->label_score = values[i];
		long milli = (long)(values[i] * 1000 + 0.5);
		char want[64];
		int n = snprintf(want, sizeof want, "\"label_score\":%ld.%03ld,", milli / 1000,
				 milli % 1000);
		while (want[n - 2] == '0' && want[n - 3] != '.')
			want[--n - 1] = ',', want[n] = '\0';
		char *js = asc_doc_to_json(doc, 1);
		if (!strstr(js, want))
			fail_msg("label_score %g: no %s", values[i], want);
		free(js);
	}
	for (size_t i = 0; i < sizeof weights / sizeof *weights; i++) {
		e->weight = weights[i];
		char want[64];
		int n = snprintf(want, sizeof want, "\"weight\":%.3f,", weights[i]);
		while (want[n - 2] == '0' && want[n - 3] != '.')
			want[--n - 1] = ',', want[n] = '\0';
		char *js = asc_doc_to_json(doc, 1);
		if (!strstr(js, want))
			fail_msg("weight %g: no %s", weights[i], want);
		free(js);
	}
	asc_doc_free(doc);
}

/* Integers are written digit by digit where they go: the warnings'
 * offsets, at every number of digits. */
static void integers_are_decimal(void **state)
{
	(void)state;
	static const long offsets[] = {
		0, 7, 9, 10, 99, 100, 101, 999, 1000, 65535, 1234567, 999999999999, LONG_MAX,
	};
	asc_doc *doc = annotate("Talks stalled, officials said.");
	for (size_t i = 0; i < sizeof offsets / sizeof *offsets; i++) {
		struct warning *wa = array_push(&doc->warnings);
		wa->offset = offsets[i];
		wa->message = xstrdup("made up");
	}
	char *js = asc_doc_to_json(doc, 1);
	for (size_t i = 0; i < sizeof offsets / sizeof *offsets; i++) {
		char want[64];
		snprintf(want, sizeof want, "{\"offset\":%ld,\"message\":\"made up\"}", offsets[i]);
		if (!strstr(js, want))
			fail_msg("no %s", want);
	}
	free(js);
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
		cmocka_unit_test(offsets_in_ascii_and_utf8_blocks),
		cmocka_unit_test(strings_are_escaped),
		cmocka_unit_test(escapes_at_every_position),
		cmocka_unit_test(scores_and_weights_are_shortest),
		cmocka_unit_test(integers_are_decimal),
		cmocka_unit_test(error_record_is_valid_json),
		cmocka_unit_test(text_view_has_one_line_per_sentence),
	};
	return cmocka_run_group_tests(tests, setup_rules, teardown_rules);
}
