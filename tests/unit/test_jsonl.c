/* Unit tests for jsonl.c: the one-pass reader of JSON Lines records, and
 * its agreement with jansson's json_loadb on tests/jsonl/hostile.jsonl. */
#include "helpers.h"

#include <jansson.h>

#include "jsonl.h"
#include "../jsonl/agree.h"

/* Reads a NUL-terminated line; the reader's verdict. */
static bool read_line(jsonl_record *rec, const char *line)
{
	return jsonl_record_read(rec, line, strlen(line));
}

static void reads_used_members_and_skips_the_rest(void **state)
{
	(void)state;
	jsonl_record rec = { 0 };
	const char *line = "{\"id\":\"a1\",\"meta\":{\"x\":[1,2.5,{\"y\":null}],\"z\":\"w\"},"
			   "\"outlet\":\"Harbour Wire\",\"url\":\"https://e.org/1\",\"date\":\"2025-03-01\","
			   "\"title\":\"T\",\"flags\":[true,false],\"text\":\"It rained.\"}";
	assert_true(read_line(&rec, line));
	assert_string_equal(rec.id, "a1");
	assert_string_equal(rec.outlet, "Harbour Wire");
	assert_string_equal(rec.url, "https://e.org/1");
	assert_string_equal(rec.date, "2025-03-01");
	assert_string_equal(rec.title, "T");
	assert_true(rec.has_text);
	assert_int_equal(rec.text_len, 10);
	assert_memory_equal(rec.text, "It rained.", 10);
	/* text without escapes is not copied: it points into the line */
	assert_true(rec.text > line && rec.text < line + strlen(line));
	jsonl_record_free(&rec);
}

static void decodes_every_escape_into_utf8(void **state)
{
	(void)state;
	jsonl_record rec = { 0 };
	assert_true(read_line(&rec, "{\"text\":\"\\\"\\\\\\/\\b\\f\\n\\r\\t|\\u0041\\u00e9\\u00E9"
				    "\\u20AC\\uD83D\\uDE00\\uDBFF\\uDFFF\\u0001\\uFFFF\"}"));
	const char want[] = "\"\\/\b\f\n\r\t|A\xC3\xA9\xC3\xA9\xE2\x82\xAC\xF0\x9F\x98\x80"
			    "\xF4\x8F\xBF\xBF\x01\xEF\xBF\xBF";
	assert_int_equal(rec.text_len, sizeof want - 1);
	assert_memory_equal(rec.text, want, sizeof want - 1);
	/* raw UTF-8 passes through; keys may be spelled with escapes */
	assert_true(read_line(&rec, "{\"\\u0069d\":\"Zo\xC3\xAB \xF0\x9F\x98\x80\",\"t\\u0065xt\":\"x\"}"));
	assert_string_equal(rec.id, "Zo\xC3\xAB \xF0\x9F\x98\x80");
	assert_int_equal(rec.text_len, 1);
	jsonl_record_free(&rec);
}

static void takes_an_integer_id_as_its_decimal_text(void **state)
{
	(void)state;
	static const struct {
		const char *id, *want;
	} cases[] = {
		{ "42", "42" }, { "-7", "-7" }, { "0", "0" }, { "-0", "0" },
		{ "123456789012345678", "123456789012345678" },
		{ "-123456789012345678", "-123456789012345678" },
	};
	jsonl_record rec = { 0 };
	char line[200];
	for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
		snprintf(line, sizeof line, "{\"id\":%s,\"text\":\"x\"}", cases[i].id);
		assert_true(read_line(&rec, line));
		assert_string_equal(rec.id, cases[i].want);
	}
	/* a real, true, null, an object: no id */
	assert_true(read_line(&rec, "{\"id\":1.5,\"text\":\"x\"}"));
	assert_null(rec.id);
	assert_true(read_line(&rec, "{\"id\":1e3,\"text\":\"x\"}"));
	assert_null(rec.id);
	assert_true(read_line(&rec, "{\"id\":[1],\"text\":\"x\"}"));
	assert_null(rec.id);
	/* more digits than a long long surely holds: jansson decides */
	assert_false(read_line(&rec, "{\"id\":1234567890123456789,\"text\":\"x\"}"));
	assert_false(read_line(&rec, "{\"id\":99999999999999999999,\"text\":\"x\"}"));
	jsonl_record_free(&rec);
}

static void tells_a_missing_text_from_one_not_a_string(void **state)
{
	(void)state;
	jsonl_record rec = { 0 };
	assert_true(read_line(&rec, "{\"id\":\"a\"}"));
	assert_false(rec.has_text);
	assert_null(rec.text);
	assert_true(read_line(&rec, "{\"text\":null}"));
	assert_true(rec.has_text);
	assert_null(rec.text);
	assert_true(read_line(&rec, "{\"text\":[\"a\"],\"outlet\":3}"));
	assert_true(rec.has_text);
	assert_null(rec.text);
	assert_null(rec.outlet);
	assert_true(read_line(&rec, "{\"text\":\"\"}"));
	assert_non_null(rec.text);
	assert_int_equal(rec.text_len, 0);
	assert_true(read_line(&rec, "{}"));
	assert_false(rec.has_text);
	jsonl_record_free(&rec);
}

static void lets_the_last_of_duplicate_members_win(void **state)
{
	(void)state;
	jsonl_record rec = { 0 };
	assert_true(read_line(&rec, "{\"text\":\"one\\n\",\"id\":\"a\",\"text\":\"two\",\"id\":7}"));
	assert_string_equal(rec.id, "7");
	assert_int_equal(rec.text_len, 3);
	assert_memory_equal(rec.text, "two", 3);
	assert_true(read_line(&rec, "{\"text\":\"one\",\"text\":false,\"title\":\"t\\u00e9\",\"title\":1}"));
	assert_true(rec.has_text);
	assert_null(rec.text);
	assert_null(rec.title);
	jsonl_record_free(&rec);
}

static void leaves_to_jansson_what_it_is_not_sure_of(void **state)
{
	(void)state;
	static const char *const lines[] = {
		"{\"text\":\"a \\uD83D b\"}",        /* lone high surrogate */
		"{\"text\":\"a \\uDE00 b\"}",        /* lone low surrogate */
		"{\"text\":\"a \\uD83D\\u0041\"}",   /* high surrogate, no low */
		"{\"text\":\"a \\u0000 b\"}",        /* NUL */
		"{\"x\":\"\\u0000\",\"text\":\"a\"}",
		"{\"text\":\"a \\x b\"}",            /* unknown escape */
		"{\"text\":\"a \\u12\"}",            /* short \u */
		"{\"text\":\"a \xFF b\"}",           /* invalid UTF-8 */
		"{\"text\":\"a \xC0\xAF b\"}",       /* overlong */
		"{\"text\":\"a \xED\xA0\x80 b\"}",   /* encoded surrogate */
		"{\"text\":\"a \xF4\x90\x80\x80\"}", /* over U+10FFFF */
		"{\"text\":\"a \xE2\x80\"}",         /* truncated */
		"{\"text\":\"a\tb\"}",               /* raw control character */
		"{\"x\":1e400,\"text\":\"a\"}",      /* real that may overflow */
		"{\"x\":1e100,\"text\":\"a\"}",
		"{\"x\":01,\"text\":\"a\"}",
		"{\"x\":1.,\"text\":\"a\"}",
		"{\"x\":-,\"text\":\"a\"}",
		"{\"x\":truex,\"text\":\"a\"}",
		"{\"text\":\"a\",}",
		"{\"x\":[1,],\"text\":\"a\"}",
		"{\"text\":\"a\"} x",                /* trailing bytes */
		"{\"text\":\"a\"}{}",
		"\xEF\xBB\xBF{\"text\":\"a\"}",      /* a BOM */
		"[{\"text\":\"a\"}]",                /* not an object */
		"\"text\"",
		"",
		"{\"text\":\"a\"",
	};
	jsonl_record rec = { 0 };
	for (size_t i = 0; i < sizeof lines / sizeof *lines; i++)
		if (read_line(&rec, lines[i]))
			fail_msg("took \"%s\"", lines[i]);
	/* nesting: the record and depth arrays in it, up to JSONL_MAX_DEPTH levels it
	 * reads, deeper it declines */
	buf line = { 0 };
	for (int depth = JSONL_MAX_DEPTH - 1; depth <= JSONL_MAX_DEPTH; depth++) {
		buf_reset(&line);
		buf_adds(&line, "{\"x\":");
		for (int i = 0; i < depth; i++)
			buf_addc(&line, '[');
		for (int i = 0; i < depth; i++)
			buf_addc(&line, ']');
		buf_adds(&line, ",\"text\":\"a\"}");
		assert_int_equal(read_line(&rec, line.data), depth < JSONL_MAX_DEPTH);
	}
	buf_free(&line);
	/* JSON whitespace around and inside is fine */
	assert_true(read_line(&rec, " \t\r\n{ \"text\" :\r\"a\" ,\t\"id\":\"b\" } \r\n"));
	assert_string_equal(rec.id, "b");
	jsonl_record_free(&rec);
}

/* ---- against jansson ----------------------------------------------------- */

/* Every record of tests/jsonl/hostile.jsonl: the reader takes only what
 * jansson takes, and gives the same values. */
static void agrees_with_jansson_on_hostile_records(void **state)
{
	(void)state;
	char *data = NULL;
	size_t len = 0;
	FILE *f = fopen("tests/jsonl/hostile.jsonl", "rb");
	if (!f)
		fail_msg("tests/jsonl/hostile.jsonl: run the test from the source tree");
	FILE *mem = open_memstream(&data, &len);
	assert_non_null(mem);
	char chunk[4096];
	size_t got;
	while ((got = fread(chunk, 1, sizeof chunk, f)) > 0)
		fwrite(chunk, 1, got, mem);
	fclose(f);
	fclose(mem);

	jsonl_record rec = { 0 };
	size_t records = 0, taken = 0;
	const char *pos = data, *line;
	size_t n;
	while (jsonl_next_record(&pos, data + len, &line, &n)) {
		records++;
		char why[400];
		bool took;
		const char *differs = jsonl_disagreement(&rec, line, n, &took, why, sizeof why);
		if (differs)
			fail_msg("record %zu: %s", records, differs);
		taken += took;
	}
	jsonl_record_free(&rec);
	free(data);
	/* pinned, so that a reader that declined everything would fail: of
	 * the 70 objects, it leaves to jansson the 13 that nest deeper than
	 * JSONL_MAX_DEPTH or hold an integer of 19 digits or a real with an
	 * exponent of 3 digits */
	assert_int_equal(records, 160);
	assert_int_equal(taken, 57);
}

/* A quote, a backslash, a control character or a non-ASCII byte at every
 * place of the eight-byte words the reader skips plain bytes by. */
static void finds_special_bytes_anywhere_in_a_word(void **state)
{
	(void)state;
	static const struct {
		const char *raw, *decoded;
		bool taken;
	} specials[] = {
		{ "\\n", "\n", true },
		{ "\\\"", "\"", true },
		{ "\\\\", "\\", true },
		{ "\xC3\xA9", "\xC3\xA9", true },
		{ "\x7F", "\x7F", true },
		{ "\x1F", NULL, false },
		{ "\xFF", NULL, false },
		{ "\xC3", NULL, false },   /* cut short by the next byte */
	};
	jsonl_record rec = { 0 };
	buf line = { 0 }, want = { 0 };
	for (size_t k = 0; k < sizeof specials / sizeof *specials; k++) {
		for (int at = 0; at < 20; at++) {
			buf_reset(&line);
			buf_reset(&want);
			buf_adds(&line, "{\"text\":\"");
			for (int i = 0; i < at; i++)
				buf_addc(&line, (char)('a' + i));
			buf_adds(&line, specials[k].raw);
			buf_adds(&line, "tail of the text\"}");
			bool took = jsonl_record_read(&rec, line.data, line.len);
			if (took != specials[k].taken)
				fail_msg("\"%s\" at %d: %s", line.data, at, took ? "taken" : "declined");
			if (!took)
				continue;
			for (int i = 0; i < at; i++)
				buf_addc(&want, (char)('a' + i));
			buf_adds(&want, specials[k].decoded);
			buf_adds(&want, "tail of the text");
			assert_int_equal(rec.text_len, want.len);
			assert_memory_equal(rec.text, want.data, want.len);
		}
	}
	buf_free(&line);
	buf_free(&want);
	jsonl_record_free(&rec);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(reads_used_members_and_skips_the_rest),
		cmocka_unit_test(decodes_every_escape_into_utf8),
		cmocka_unit_test(takes_an_integer_id_as_its_decimal_text),
		cmocka_unit_test(tells_a_missing_text_from_one_not_a_string),
		cmocka_unit_test(lets_the_last_of_duplicate_members_win),
		cmocka_unit_test(leaves_to_jansson_what_it_is_not_sure_of),
		cmocka_unit_test(finds_special_bytes_anywhere_in_a_word),
		cmocka_unit_test(agrees_with_jansson_on_hostile_records),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
