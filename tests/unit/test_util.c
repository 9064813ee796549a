/* Unit tests for util.c: buffers, arrays, arena, hash table, UTF-8. */
#include "helpers.h"

#include <limits.h>
#include <math.h>

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

/* Keys of every length up to 40 (kept in the slot below 16 bytes, apart
 * above), each next to keys that differ from it in one byte only: the
 * first, the last, or one in the middle. */
static void strmap_tells_keys_apart_at_every_length(void **state)
{
	(void)state;
	strmap m = { 0 };
	char key[41];
	for (size_t i = 0; i < sizeof key; i++)
		key[i] = (char)('a' + i % 26);
	for (size_t n = 0; n <= 40; n++)
		strmap_put(&m, key, n, (int)n);
	for (size_t n = 0; n <= 40; n++) {
		assert_int_equal(strmap_get(&m, key, n), (int)n);
		size_t ats[] = { 0, n / 2, n - 1 };
		for (size_t k = 0; n && k < 3; k++) {
			char was = key[ats[k]];
			key[ats[k]] = '#';
			assert_int_equal(strmap_get(&m, key, n), -1);
			key[ats[k]] = was;
		}
	}
	size_t pos = 0, seen = 0;
	const char *k;
	int v;
	while (strmap_next(&m, &pos, &k, &v) >= 0) {
		assert_int_equal(strlen(k), (size_t)v);
		assert_memory_equal(k, key, (size_t)v);
		seen++;
	}
	assert_int_equal(seen, 41);
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
	/* ASCII is decided without utf8proc; nothing at all is invalid */
	assert_int_equal(utf8_decode((const unsigned char *)"a\xC3\xA9", 3, &cp), 1);
	assert_int_equal(cp, 'a');
	assert_int_equal(utf8_decode((const unsigned char *)"\x7F", 1, &cp), 1);
	assert_int_equal(cp, 0x7F);
	assert_int_equal(utf8_decode((const unsigned char *)"a", 0, &cp), 1);
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
	/* both sides of the ASCII shortcut: letters, digits, spaces */
	assert_true(cp_is_letter('z'));
	assert_true(cp_is_letter(0xE9));            /* é */
	assert_true(cp_is_letter(0x0301));          /* a combining mark */
	assert_false(cp_is_letter('@'));
	assert_false(cp_is_letter(-1));
	assert_true(cp_is_digit('7'));
	assert_true(cp_is_digit(0x0663));           /* ARABIC-INDIC DIGIT THREE */
	assert_false(cp_is_digit(0xBD));            /* ½ is No, not Nd */
	assert_true(cp_is_space('\v'));
	assert_true(cp_is_space(0x2028));           /* LINE SEPARATOR */
	assert_false(cp_is_space(0x200B));          /* ZERO WIDTH SPACE is Cf */
	assert_int_equal(utf8_count("é“x”", strlen("é“x”")), 4);
}

/* Appends v both ways, then compares: a mismatch names the value. */
static void check_fixed3(double v)
{
	char want[512];
	snprintf(want, sizeof want, "%.3f", v);
	buf b = { 0 };
	buf_adds(&b, "<");
	buf_add_fixed3(&b, v);
	if (strcmp(b.data + 1, want) != 0)
		fail_msg("%a: buf_add_fixed3 wrote %s, snprintf %s", v, b.data + 1, want);
	assert_int_equal(b.len, strlen(want) + 1);
	buf_free(&b);
}

static void check_milli(long milli)
{
	char want[64];
	snprintf(want, sizeof want, "%ld.%03ld", milli / 1000, milli % 1000);
	buf b = { 0 };
	buf_add_milli(&b, milli);
	if (strcmp(b.data, want) != 0)
		fail_msg("%ld: buf_add_milli wrote %s, snprintf %s", milli, b.data, want);
	assert_int_equal(b.len, strlen(want));
	buf_free(&b);
}

/* xorshift64: the same values on every run */
static uint64_t next_random(uint64_t *x)
{
	*x ^= *x << 13;
	*x ^= *x >> 7;
	*x ^= *x << 17;
	return *x;
}

static double from_bits(uint64_t bits)
{
	double v;
	memcpy(&v, &bits, sizeof v);
	return v;
}

static void fixed3_writes_what_printf_writes(void **state)
{
	(void)state;
	static const double edges[] = {
		0.0, -0.0, 0.0005, -0.0005, 0.0015, 0.0025, 0.0625, -0.0625, 0.1875, 0.4995,
		0.9995, 1.0, -1.0, 0.6, 1.1, 2.675, 999.9995, 1000.0, -1000.0, 1000.0005,
		1e-300, -1e-300, 4.9e-324, 2.2250738585072014e-308, 4503599627370495.5,
		9007199254740991.0, 9007199254740992.0, 1e17, -1e17, 1e300, 1.7976931348623157e308,
	};
	for (size_t i = 0; i < sizeof edges / sizeof *edges; i++)
		check_fixed3(edges[i]);
	/* infinities and NaN, whose text printf chooses */
	check_fixed3(from_bits(UINT64_C(0x7FF0000000000000)));
	check_fixed3(from_bits(UINT64_C(0xFFF0000000000000)));
	check_fixed3(from_bits(UINT64_C(0x7FF8000000000000)));
	check_fixed3(from_bits(UINT64_C(0xFFF8000000000000)));
	/* every thousandth up to +-300, and the doubles either side of it:
	 * the values nearest a rounding boundary */
	for (long k = -300000; k <= 300000; k++) {
		double v = (double)k / 1000;
		check_fixed3(v);
		check_fixed3(nextafter(v, HUGE_VAL));
		check_fixed3(nextafter(v, -HUGE_VAL));
		/* half a thousandth above: a tie when it is exact */
		double half = ((double)k + 0.5) / 1000;
		check_fixed3(half);
		check_fixed3(nextafter(half, HUGE_VAL));
		check_fixed3(nextafter(half, -HUGE_VAL));
	}
	/* exact ties: odd multiples of 2^-j, j = 4..13, which printf rounds
	 * to even */
	for (int j = 4; j <= 13; j++)
		for (long i = -4001; i <= 4001; i += 2)
			check_fixed3(ldexp((double)i, -j));
	/* random bit patterns (every exponent), and random values in the
	 * range of rule weights */
	uint64_t x = UINT64_C(0x9E3779B97F4A7C15);
	for (int i = 0; i < 200000; i++) {
		check_fixed3(from_bits(next_random(&x)));
		check_fixed3((double)(int64_t)next_random(&x) / 9223372036854775808.0 * 2000);
	}
}

static void milli_writes_what_printf_writes(void **state)
{
	(void)state;
	for (long milli = -20000; milli <= 200000; milli++)
		check_milli(milli);
	check_milli(LONG_MAX);
	check_milli(LONG_MIN);
	uint64_t x = UINT64_C(0x2545F4914F6CDD1D);
	for (int i = 0; i < 100000; i++) {
		check_milli((long)next_random(&x));
		check_milli((long)(next_random(&x) >> 40));
	}
}

static void parse_whole_takes_digits_only_up_to_max(void **state)
{
	(void)state;
	uint64_t v = 7;
	assert_true(parse_whole("0", 10, &v));
	assert_int_equal(v, 0);
	assert_true(parse_whole("10", 10, &v));
	assert_int_equal(v, 10);
	assert_true(parse_whole("007", 10, &v));
	assert_int_equal(v, 7);
	assert_true(parse_whole("18446744073709551615", UINT64_MAX, &v));
	assert_true(v == UINT64_MAX);
	v = 3;
	const char *bad[] = { "", "11", "-1", "+1", " 1", "1 ", "1.5", "1e3", "0x1", "x" };
	for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
		assert_false(parse_whole(bad[i], 10, &v));
		assert_int_equal(v, 3);   /* left as it was */
	}
	assert_false(parse_whole("5", 3, &v));
	assert_false(parse_whole("5", 0, &v));
	assert_true(parse_whole("0", 0, &v));
	assert_int_equal(v, 0);
	assert_false(parse_whole("18446744073709551616", UINT64_MAX, &v));
	assert_false(parse_whole("99999999999999999999999", UINT64_MAX, &v));
	assert_true(parse_whole("17592186044415", UINT64_MAX >> 20, &v));
	assert_true(v == UINT64_MAX >> 20);
	assert_false(parse_whole("17592186044416", UINT64_MAX >> 20, &v));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(parse_whole_takes_digits_only_up_to_max),
		cmocka_unit_test(buf_appends_and_formats),
		cmocka_unit_test(array_push_grows_and_zeroes),
		cmocka_unit_test(arena_keeps_strings_until_freed),
		cmocka_unit_test(strmap_puts_gets_overwrites_and_rehashes),
		cmocka_unit_test(strmap_tells_keys_apart_at_every_length),
		cmocka_unit_test(utf8_decode_rejects_bad_sequences),
		cmocka_unit_test(utf8_lower_and_classes),
		cmocka_unit_test(fixed3_writes_what_printf_writes),
		cmocka_unit_test(milli_writes_what_printf_writes),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
