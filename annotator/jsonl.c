/* jsonl.c - the members of a JSON Lines record that `ascribe annotate` uses,
 * read in one pass (jsonl.h).
 *
 * The reader accepts what json_loadb accepts with flags 0, or less, and
 * then gives the same values: every string, used or not, is checked as
 * jansson's lexer checks it (UTF-8, escapes, surrogate pairs, no
 * "\u0000"), numbers are lexed by the same grammar, a later member of the
 * same name replaces an earlier one, and nothing but JSON whitespace may
 * follow the object.  Where jansson would fail, or might (an integer of
 * more than 18 digits, a real that might overflow, deep nesting), the
 * reader returns false and the caller asks jansson, so every message stays
 * jansson's. */
#include "jsonl.h"

#include <stdint.h>
#include <stdio.h>

enum field { F_ID, F_OUTLET, F_URL, F_DATE, F_TITLE, F_TEXT, F_OTHER };

static const struct {
	const char *name;
	size_t len;
} field_names[F_OTHER] = {
	[F_ID] = { "id", 2 },       [F_OUTLET] = { "outlet", 6 }, [F_URL] = { "url", 3 },
	[F_DATE] = { "date", 4 },   [F_TITLE] = { "title", 5 },   [F_TEXT] = { "text", 4 },
};

/* Where the value of a used member is until the record is read. */
struct value {
	enum { V_ABSENT, V_OTHER, V_LINE, V_STORE, V_INTEGER } kind;
	size_t off, len;     /* V_LINE: bytes of the line; V_STORE: of rec->store */
	long long integer;   /* V_INTEGER */
};

struct scan {
	const unsigned char *line, *p, *end;
	buf *store;
};

/* Integers of at most this many digits fit a long long, as strtoll (and so
 * jansson) reads them; longer ones go to jansson, which may overflow. */
enum { INTEGER_DIGITS = 18 };

/* A real whose integer part has at most REAL_DIGITS digits and whose
 * exponent has at most EXPONENT_DIGITS is below 10^299 and cannot make
 * strtod overflow, which jansson reports; others go to jansson. */
enum { REAL_DIGITS = 200, EXPONENT_DIGITS = 2 };

static bool is_digit(unsigned c)
{
	return c - '0' < 10;
}

static void skip_space(struct scan *s)
{
	while (s->p < s->end && (*s->p == ' ' || *s->p == '\t' || *s->p == '\n' || *s->p == '\r'))
		s->p++;
}

/* The ':' after a member's name, with the white space around it. */
static bool scan_colon(struct scan *s)
{
	skip_space(s);
	if (s->p == s->end || *s->p != ':')
		return false;
	s->p++;
	skip_space(s);
	return true;
}

/* The length of the well-formed UTF-8 sequence of two or more bytes at p,
 * or 0: no overlong forms, no surrogates, nothing above U+10FFFF. */
static size_t utf8_sequence(const unsigned char *p, const unsigned char *end)
{
	size_t left = (size_t)(end - p);
	unsigned c = p[0];
	if (c < 0xC2)
		return 0;
	if (c < 0xE0)
		return left >= 2 && (p[1] & 0xC0) == 0x80 ? 2 : 0;
	if (c < 0xF0) {
		if (left < 3 || (p[1] & 0xC0) != 0x80 || (p[2] & 0xC0) != 0x80)
			return 0;
		if ((c == 0xE0 && p[1] < 0xA0) || (c == 0xED && p[1] >= 0xA0))
			return 0;
		return 3;
	}
	if (c < 0xF5) {
		if (left < 4 || (p[1] & 0xC0) != 0x80 || (p[2] & 0xC0) != 0x80 ||
		    (p[3] & 0xC0) != 0x80)
			return 0;
		if ((c == 0xF0 && p[1] < 0x90) || (c == 0xF4 && p[1] >= 0x90))
			return 0;
		return 4;
	}
	return 0;
}

/* The four hex digits at p as a number, or -1. */
static long hex4(const unsigned char *p)
{
	long v = 0;
	for (int i = 0; i < 4; i++) {
		unsigned c = p[i];
		v <<= 4;
		if (is_digit(c))
			v |= c - '0';
		else if ((c | 0x20) - 'a' < 6)
			v |= (c | 0x20) - 'a' + 10;
		else
			return -1;
	}
	return v;
}

static void add_utf8(buf *b, unsigned long cp)
{
	char u[4];
	size_t n;
	if (cp < 0x80) {
		u[0] = (char)cp;
		n = 1;
	} else if (cp < 0x800) {
		u[0] = (char)(0xC0 | (cp >> 6));
		u[1] = (char)(0x80 | (cp & 0x3F));
		n = 2;
	} else if (cp < 0x10000) {
		u[0] = (char)(0xE0 | (cp >> 12));
		u[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
		u[2] = (char)(0x80 | (cp & 0x3F));
		n = 3;
	} else {
		u[0] = (char)(0xF0 | (cp >> 18));
		u[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
		u[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
		u[3] = (char)(0x80 | (cp & 0x3F));
		n = 4;
	}
	buf_add(b, u, n);
}

/* The escape at s->p (a backslash) as a code point, with s->p moved past
 * it; -1 for one jansson rejects: unknown, short of hex digits, \u0000, a
 * lone or unpaired surrogate. */
static long scan_escape(struct scan *s)
{
	const unsigned char *p = s->p;
	if (s->end - p < 2)
		return -1;
	static const char short_forms[] = "\"\\/bfnrt", meanings[] = "\"\\/\b\f\n\r\t";
	const char *form = p[1] ? strchr(short_forms, p[1]) : NULL;
	if (form) {
		s->p += 2;
		return meanings[form - short_forms];
	}
	long cp;
	if (p[1] == 'u') {
		if (s->end - p < 6 || (cp = hex4(p + 2)) <= 0)
			return -1;
		if (cp >= 0xDC00 && cp <= 0xDFFF)
			return -1;
		if (cp >= 0xD800 && cp <= 0xDBFF) {
			long low;
			if (s->end - p < 12 || p[6] != '\\' || p[7] != 'u' ||
			    (low = hex4(p + 8)) < 0xDC00 || low > 0xDFFF)
				return -1;
			cp = 0x10000 + ((cp - 0xD800) << 10) + (low - 0xDC00);
			s->p += 6;
		}
		s->p += 6;
		return cp;
	}
	return -1;
}

/* A byte that stands for itself inside a JSON string: printable ASCII
 * (DEL included) but the quote and the backslash. */
static bool is_plain(unsigned c)
{
	return c - 0x20 < 0x60 && c != '"' && c != '\\';
}

/* Moves s->p over plain bytes, eight at a time while it can.  For a word
 * x, (x - 0x0101..) & ~x & 0x8080.. is nonzero exactly when a byte of x is
 * zero, and (x - 0x2020..) & ~x & 0x8080.. when a byte is below 0x20; so
 * w ^ 0x2222.. finds a quote, w ^ 0x5C5C.. a backslash, and w's own high
 * bits a byte of 0x80 or more.  A word holding any of them is left to the
 * byte loop, which stops in it. */
static void skip_plain(struct scan *s)
{
	const uint64_t ones = 0x0101010101010101u, highs = ones * 0x80;
	while (s->end - s->p >= 8) {
		uint64_t w;
		memcpy(&w, s->p, sizeof w);
		uint64_t quote = w ^ (ones * '"'), backslash = w ^ (ones * '\\');
		uint64_t special = ((quote - ones) & ~quote) | ((backslash - ones) & ~backslash) |
				   ((w - ones * 0x20) & ~w) | w;
		if (special & highs)
			break;
		s->p += sizeof w;
	}
	while (s->p < s->end && is_plain(*s->p))
		s->p++;
}

/* Scans the string at s->p (its opening quote) to past its closing quote.
 * With v, says where its value is: in the line when it has no escapes,
 * else decoded into the store and followed there by a NUL. */
static bool scan_string(struct scan *s, struct value *v)
{
	const unsigned char *run = ++s->p;
	bool decoded = false;
	for (;;) {
		skip_plain(s);
		if (s->p == s->end || *s->p < 0x20)
			return false;
		if (*s->p == '"')
			break;
		if (*s->p >= 0x80) {
			size_t n = utf8_sequence(s->p, s->end);
			if (!n)
				return false;
			s->p += n;
			continue;
		}
		if (v && !decoded) {
			decoded = true;
			v->off = s->store->len;
		}
		if (v)
			buf_add(s->store, run, (size_t)(s->p - run));
		long cp = scan_escape(s);
		if (cp < 0)
			return false;
		if (v)
			add_utf8(s->store, (unsigned long)cp);
		run = s->p;
	}
	if (v && decoded) {
		buf_add(s->store, run, (size_t)(s->p - run));
		v->kind = V_STORE;
		v->len = s->store->len - v->off;
		buf_addc(s->store, '\0');   /* counted in len: it ends this string */
	} else if (v) {
		v->kind = V_LINE;
		v->off = (size_t)(run - s->line);
		v->len = (size_t)(s->p - run);
	}
	s->p++;
	return true;
}

/* Scans the number at s->p as jansson's lexer does.  An integer that fits
 * goes into v as V_INTEGER when v is given; any other number makes v
 * V_OTHER. */
static bool scan_number(struct scan *s, struct value *v)
{
	bool negative = s->p < s->end && *s->p == '-';
	s->p += negative;
	if (s->p == s->end || !is_digit(*s->p))
		return false;
	size_t digits = 0;
	unsigned long long magnitude = 0;
	if (*s->p == '0') {
		s->p++;
		digits = 1;
		if (s->p < s->end && is_digit(*s->p))
			return false;
	} else {
		for (; s->p < s->end && is_digit(*s->p); s->p++, digits++)
			if (digits < INTEGER_DIGITS)
				magnitude = magnitude * 10 + (*s->p - '0');
	}
	bool real = false;
	if (s->p < s->end && *s->p == '.') {
		real = true;
		s->p++;
		if (s->p == s->end || !is_digit(*s->p))
			return false;
		while (s->p < s->end && is_digit(*s->p))
			s->p++;
	}
	if (s->p < s->end && (*s->p == 'e' || *s->p == 'E')) {
		real = true;
		s->p++;
		if (s->p < s->end && (*s->p == '+' || *s->p == '-'))
			s->p++;
		size_t exponent_digits = 0;
		for (; s->p < s->end && is_digit(*s->p); s->p++)
			exponent_digits++;
		if (!exponent_digits || exponent_digits > EXPONENT_DIGITS)
			return false;
	}
	if (real ? digits > REAL_DIGITS : digits > INTEGER_DIGITS)
		return false;
	if (v && !real) {
		v->kind = V_INTEGER;
		v->integer = negative ? -(long long)magnitude : (long long)magnitude;
	} else if (v) {
		v->kind = V_OTHER;
	}
	return true;
}

static bool scan_word(struct scan *s, const char *word, size_t len)
{
	if ((size_t)(s->end - s->p) < len || memcmp(s->p, word, len))
		return false;
	s->p += len;
	return true;
}

/* Scans any value at s->p; depth counts the objects and arrays it is in. */
static bool scan_value(struct scan *s, int depth)
{
	if (s->p == s->end)
		return false;
	switch (*s->p) {
	case '"':
		return scan_string(s, NULL);
	case 't':
		return scan_word(s, "true", 4);
	case 'f':
		return scan_word(s, "false", 5);
	case 'n':
		return scan_word(s, "null", 4);
	case '{':
	case '[': {
		if (depth >= JSONL_MAX_DEPTH)
			return false;
		bool object = *s->p == '{';
		unsigned char close = object ? '}' : ']';
		s->p++;
		skip_space(s);
		if (s->p < s->end && *s->p == close) {
			s->p++;
			return true;
		}
		for (;;) {
			if (object) {
				if (s->p == s->end || *s->p != '"' || !scan_string(s, NULL) ||
				    !scan_colon(s))
					return false;
			}
			if (!scan_value(s, depth + 1))
				return false;
			skip_space(s);
			if (s->p == s->end)
				return false;
			if (*s->p == close) {
				s->p++;
				return true;
			}
			if (*s->p != ',')
				return false;
			s->p++;
			skip_space(s);
		}
	}
	default:
		return scan_number(s, NULL);
	}
}

/* Which used member the key at s->p names (F_OTHER for none), with s->p
 * moved past it; false when it is not a valid string. */
static bool scan_key(struct scan *s, enum field *field)
{
	size_t mark = s->store->len;
	struct value key = { 0 };
	if (!scan_string(s, &key))
		return false;
	const char *name = key.kind == V_LINE ? (const char *)s->line + key.off
					      : s->store->data + key.off;
	*field = F_OTHER;
	for (int f = 0; f < F_OTHER; f++)
		if (key.len == field_names[f].len && !memcmp(name, field_names[f].name, key.len))
			*field = (enum field)f;
	s->store->len = mark;
	return true;
}

/* The value of a used member: a string, for the id an integer as well;
 * anything else is scanned and stands for "not a string". */
static bool scan_member(struct scan *s, enum field field, struct value *v)
{
	if (s->p < s->end && *s->p == '"')
		return scan_string(s, v);
	if (field == F_ID && s->p < s->end && (*s->p == '-' || is_digit(*s->p)))
		return scan_number(s, v);
	v->kind = V_OTHER;
	return scan_value(s, 1);
}

static bool scan_record(struct scan *s, struct value *values)
{
	skip_space(s);
	if (s->p == s->end || *s->p != '{')
		return false;
	s->p++;
	skip_space(s);
	if (s->p < s->end && *s->p == '}') {
		s->p++;
	} else {
		for (;;) {
			enum field field;
			if (s->p == s->end || *s->p != '"' || !scan_key(s, &field) || !scan_colon(s))
				return false;
			/* a later member of the same name replaces the earlier,
			 * as in jansson's object */
			bool ok = field == F_OTHER ? scan_value(s, 1)
						   : scan_member(s, field, &values[field]);
			if (!ok)
				return false;
			skip_space(s);
			if (s->p == s->end)
				return false;
			if (*s->p == '}') {
				s->p++;
				break;
			}
			if (*s->p != ',')
				return false;
			s->p++;
			skip_space(s);
		}
	}
	skip_space(s);
	return s->p == s->end;
}

bool jsonl_record_read(jsonl_record *rec, const char *line, size_t len)
{
	buf_reset(&rec->store);
	struct scan s = {
		.line = (const unsigned char *)line, .p = (const unsigned char *)line,
		.end = (const unsigned char *)line + len, .store = &rec->store,
	};
	struct value values[F_OTHER] = { 0 };
	if (!scan_record(&s, values))
		return false;

	/* the strings but the text need their NUL: copy them into the store,
	 * then point into it once it has stopped moving */
	for (int f = F_ID; f < F_TEXT; f++) {
		struct value *v = &values[f];
		size_t off = rec->store.len;
		if (v->kind == V_LINE)
			buf_add(&rec->store, line + v->off, v->len);
		else if (v->kind == V_INTEGER)
			buf_printf(&rec->store, "%lld", v->integer);
		else
			continue;
		buf_addc(&rec->store, '\0');
		v->kind = V_STORE;
		v->off = off;
	}
	const char **strings[F_TEXT] = {
		[F_ID] = &rec->id, [F_OUTLET] = &rec->outlet, [F_URL] = &rec->url,
		[F_DATE] = &rec->date, [F_TITLE] = &rec->title,
	};
	for (int f = F_ID; f < F_TEXT; f++)
		*strings[f] = values[f].kind == V_STORE ? rec->store.data + values[f].off : NULL;

	const struct value *text = &values[F_TEXT];
	rec->has_text = text->kind != V_ABSENT;
	rec->text = text->kind == V_LINE    ? line + text->off
		    : text->kind == V_STORE ? rec->store.data + text->off
					    : NULL;
	rec->text_len = rec->text ? text->len : 0;
	return true;
}

void jsonl_record_free(jsonl_record *rec)
{
	buf_free(&rec->store);
}
