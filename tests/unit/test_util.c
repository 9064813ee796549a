/* Unit tests for util.c: buffers, arrays, arena, hash table, UTF-8. */
#include "helpers.h"

static void buf_appends_and_formats(void **state)
{
	(void)state;
	buf b = { 0 };
	buf_adds(&b, "said");
	buf_addc(&b, ' ');
	buf_printf(&b, "%d times", 3);
	assert_string_equal(buf_cstr(&b), "said 3 times");
	assert_int_equal(b.len, 12);
	char *s = buf_detach(&b);
	assert_null(b.data);
	assert_string_equal(s, "said 3 times");
	free(s);
}

static void array_push_grows_and_zeroes(void **state)
{
	(void)state;
	ARRAY(struct span) a = { 0 };
	for (uint32_t i = 0; i < 1000; i++) {
		struct span *s = array_push(&a);
		assert_int_equal(s->start, 0);
		s->start = i;
	}
	assert_int_equal(a.len, 1000);
	assert_int_equal(a.items[999].start, 999);
	array_free(&a);
	assert_null(a.items);
}

static void arena_keeps_strings_until_freed(void **state)
{
	(void)state;
	arena ar = { 0 };
	char *first = arena_strndup(&ar, "Sergei Lavrov", 6);
	for (int i = 0; i < 5000; i++)
		arena_strndup(&ar, "a longer string to fill the chunks", 34);
	assert_string_equal(first, "Sergei");
	arena_free(&ar);
	assert_null(ar.head);
}

static void strmap_puts_gets_overwrites_and_rehashes(void **state)
{
	(void)state;
	strmap m = { 0 };
	char key[32];
	for (int i = 0; i < 1000; i++) {
		snprintf(key, sizeof key, "word%d", i);
		strmap_put(&m, key, strlen(key), i);
	}
	assert_int_equal(m.len, 1000);
	assert_int_equal(strmap_get(&m, "word512", 7), 512);
	assert_int_equal(strmap_get(&m, "word1000", 8), -1);
	strmap_put(&m, "word7", 5, 70);
	assert_int_equal(strmap_get(&m, "word7", 5), 70);
	assert_int_equal(m.len, 1000);
	size_t pos = 0, seen = 0;
	const char *k;
	int v;
	while (strmap_next(&m, &pos, &k, &v) >= 0)
		seen++;
	assert_int_equal(seen, 1000);
	strmap_free(&m);
}

static void utf8_decode_rejects_bad_sequences(void **state)
{
	(void)state;
	int32_t cp;
	assert_int_equal(utf8_decode((const unsigned char *)"\xC3\xA9", 2, &cp), 2);
	assert_int_equal(cp, 0xE9);
	assert_int_equal(utf8_decode((const unsigned char *)"\xF0\x9F\x98\x80", 4, &cp), 4);
	assert_int_equal(cp, 0x1F600);
	/* invalid lead byte, overlong "/", a surrogate, a truncated sequence */
	assert_int_equal(utf8_decode((const unsigned char *)"\xFF", 1, &cp), 1);
	assert_int_equal(cp, -1);
	assert_int_equal(utf8_decode((const unsigned char *)"\xC0\xAF", 2, &cp), 1);
	assert_int_equal(cp, -1);
	assert_int_equal(utf8_decode((const unsigned char *)"\xED\xA0\x80", 3, &cp), 1);
	assert_int_equal(cp, -1);
	assert_int_equal(utf8_decode((const unsigned char *)"\xE2\x80", 2, &cp), 1);
	assert_int_equal(cp, -1);
}

static void utf8_lower_and_classes(void **state)
{
	(void)state;
	buf b = { 0 };
	utf8_lower(&b, "ÓLAFUR Jónsson", strlen("ÓLAFUR Jónsson"));
	assert_string_equal(buf_cstr(&b), "ólafur jónsson");
	buf_free(&b);
	assert_true(cp_is_upper(0xD3));
	assert_true(cp_is_lower(0xF3));
	assert_true(cp_is_space(0xA0));
	assert_true(cp_is_open_quote(0x201C));
	assert_true(cp_is_close_quote(0x201D));
	assert_false(cp_is_letter('3'));
	assert_int_equal(utf8_count("é“x”", strlen("é“x”")), 4);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(buf_appends_and_formats),
		cmocka_unit_test(array_push_grows_and_zeroes),
		cmocka_unit_test(arena_keeps_strings_until_freed),
		cmocka_unit_test(strmap_puts_gets_overwrites_and_rehashes),
		cmocka_unit_test(utf8_decode_rejects_bad_sequences),
		cmocka_unit_test(utf8_lower_and_classes),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
