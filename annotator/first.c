/* first.c - the words a rule's matches start with (first.h).
 *
 * The pattern is read once, left to right, carrying every way a match can
 * have begun so far: the start of its first word, lower-cased, whether that
 * word may still go on, and whether a word start was asserted before it.
 * A literal letter lengthens the words that may go on; \b, white space or
 * punctuation ends them; an optional part or an alternation forks them.
 * Anything that could put an unknown letter into a word not yet ended
 * gives up.  Other zero-width assertions are passed over: they only ever
 * take matches away, so the words found stay a superset of those a match
 * can start with, which is all the matcher needs. */

#include <string.h>

#include "first.h"

enum { MAX_WAYS = 4096, CHUNK_MAX_WAYS = 16384, MAX_DEPTH = 40, MAX_REPEAT = 8, MERGE_RUNS = 16 };

struct way {
	char word[FIRST_MAX_WORD];
	unsigned char len;
	unsigned char chunk;  /* chunk mode: the chunk the word is in */
	bool open;   /* the word may go on */
	bool start;  /* a word start was asserted before its first letter */
	bool wild;   /* chunk mode: inside a chunk whose letters are not known */
};

typedef ARRAY(struct way) ways;

struct reader {
	const asc_rules *r;
	struct first_memo *memo;
	bool failed;
	bool multiline;   /* (?m): ^ no longer means the start of the text */
	bool skip_space;  /* white space before the first word is passed over */
	bool chunks;      /* first_word_chunks(): words nobody knows are passed over */
	bool caseless;    /* (?i) was seen: \p{Lu} may match a lower-case letter */
	int depth;
	ways merged;      /* tidy()'s room to merge in */
};

/* How many ways a reading may hold before it gives up. */
static size_t max_ways(const struct reader *rd)
{
	return rd->chunks ? CHUNK_MAX_WAYS : MAX_WAYS;
}

static bool is_word(unsigned c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
	       c == '_';
}

static bool any_open(const ways *w)
{
	for (size_t i = 0; i < w->len; i++)
		if (w->items[i].open)
			return true;
	return false;
}

static void copy_ways(ways *to, const ways *from)
{
	to->len = 0;
	array_reserve(to, from->len + 1);
	if (from->len)
		memcpy(to->items, from->items, from->len * sizeof *from->items);
	to->len = from->len;
}

static void append_ways(ways *to, const ways *from)
{
	array_reserve(to, to->len + from->len + 1);
	if (from->len)
		memcpy(to->items + to->len, from->items, from->len * sizeof *from->items);
	to->len += from->len;
}

static int cmp_way(const void *a, const void *b)
{
	const struct way *x = a, *y = b;
	if (x->open != y->open)
		return x->open - y->open;
	if (x->start != y->start)
		return x->start - y->start;
	if (x->wild != y->wild)
		return x->wild - y->wild;
	if (x->chunk != y->chunk)
		return x->chunk - y->chunk;
	if (x->len != y->len)
		return x->len - y->len;
	return memcmp(x->word, y->word, x->len);
}

/* Finds the runs in order that w is: their starts in b[0, n) and b[n] =
 * w->len, returning n; or MERGE_RUNS + 1 when there are more. */
static size_t find_runs(const ways *w, size_t b[MERGE_RUNS + 1])
{
	size_t n = 1;
	b[0] = 0;
	for (size_t i = 1; i < w->len; i++) {
		if (cmp_way(&w->items[i - 1], &w->items[i]) <= 0)
			continue;
		if (n == MERGE_RUNS)
			return MERGE_RUNS + 1;
		b[n++] = i;
	}
	b[n] = w->len;
	return n;
}

/* Merges the n runs of w that b gives (find_runs()) two by two until one
 * is left. */
static void merge_runs(struct reader *rd, ways *w, size_t b[MERGE_RUNS + 1], size_t n)
{
	array_reserve(&rd->merged, w->len);
	struct way *from = w->items, *to = rd->merged.items;
	while (n > 1) {
		size_t m = 0;
		for (size_t r = 0; r < n; r += 2) {
			/* the last run of an odd number is copied over */
			size_t lo = b[r], mid = b[r + 1], hi = r + 2 <= n ? b[r + 2] : mid;
			size_t i = lo, j = mid, o = lo;
			while (i < mid && j < hi)
				to[o++] = cmp_way(&from[j], &from[i]) < 0 ? from[j++] : from[i++];
			while (i < mid)
				to[o++] = from[i++];
			while (j < hi)
				to[o++] = from[j++];
			b[m++] = lo;
		}
		b[m] = w->len;
		n = m;
		struct way *t = from;
		from = to;
		to = t;
	}
	if (from != w->items)
		memcpy(w->items, from, w->len * sizeof *from);
}

/* Drops repeated ways; too many ways to begin is a reason to give up.
 * Most lists are already in order, or a few runs in order (the ways of
 * alternatives put one after the other): those runs are merged, and only
 * a list of many is sorted. */
static void tidy(struct reader *rd, ways *w)
{
	if (w->len > 1) {
		size_t b[MERGE_RUNS + 1] = { 0 };
		size_t runs = find_runs(w, b);
		if (runs > MERGE_RUNS)
			qsort(w->items, w->len, sizeof *w->items, cmp_way);
		else if (runs > 1)
			merge_runs(rd, w, b, runs);
		size_t n = 1;
		for (size_t i = 1; i < w->len; i++)
			if (cmp_way(&w->items[n - 1], &w->items[i]))
				w->items[n++] = w->items[i];
		w->len = n;
	}
	if (w->len > max_ways(rd))
		rd->failed = true;
}

static size_t utf8_encode(int32_t cp, char *out)
{
	if (cp < 0x80) {
		out[0] = (char)cp;
		return 1;
	}
	if (cp < 0x800) {
		out[0] = (char)(0xc0 | (cp >> 6));
		out[1] = (char)(0x80 | (cp & 0x3f));
		return 2;
	}
	if (cp < 0x10000) {
		out[0] = (char)(0xe0 | (cp >> 12));
		out[1] = (char)(0x80 | ((cp >> 6) & 0x3f));
		out[2] = (char)(0x80 | (cp & 0x3f));
		return 3;
	}
	out[0] = (char)(0xf0 | (cp >> 18));
	out[1] = (char)(0x80 | ((cp >> 12) & 0x3f));
	out[2] = (char)(0x80 | ((cp >> 6) & 0x3f));
	out[3] = (char)(0x80 | (cp & 0x3f));
	return 4;
}

static void set_key(struct way *x, const char *key)
{
	x->len = (unsigned char)strlen(key);
	memcpy(x->word, key, x->len);
	x->open = false;
}

static bool is_mark(int32_t cp)
{
	return cp >= 0 && cp < 0x110000 && cp != 0x17f && cp != 0x212a && !cp_is_space(cp) &&
	       !cp_is_letter(cp) && !cp_is_digit(cp) && !(cp < 0x80 && is_word((unsigned)cp));
}

/* One character of the text: cp, or -1 for a character that is not a
 * letter, digit, underscore or white space, not known which. */
static void put_char(struct reader *rd, struct way *x, int32_t cp)
{
	if (!x->open)
		return;
	if (x->wild) {
		/* the chunk goes on up to white space; the next word starts
		 * after it */
		if (cp >= 0 && cp_is_space(cp)) {
			x->wild = false;
			x->start = true;
			if (++x->chunk > FIRST_MAX_CHUNK)
				rd->failed = true;
		}
		return;
	}
	bool word = cp >= 0 && cp < 0x80 && is_word((unsigned)cp);
	if (x->len) {
		if (!word)
			x->open = false;   /* the word ends */
		else if (x->len == FIRST_MAX_WORD)
			rd->failed = true;
		else
			x->word[x->len++] = (char)(cp >= 'A' && cp <= 'Z' ? cp + 32 : cp);
		return;
	}
	if (word) {
		if (!x->start)
			rd->failed = true;   /* may start inside a word */
		else if (cp >= '0' && cp <= '9')
			set_key(x, FIRST_DIGIT);
		else
			x->word[x->len++] = (char)(cp >= 'A' && cp <= 'Z' ? cp + 32 : cp);
		return;
	}
	if (cp >= 0 && cp_is_space(cp) && (rd->skip_space || x->chunk)) {
		x->start = true;   /* a word after white space starts there */
		return;
	}
	/* chunk mode: a word that starts with a letter of another script
	 * does not start with an ASCII lower-case letter */
	if (rd->chunks && !x->chunk && x->start && cp >= 0x80 && !cp_is_space(cp) &&
	    !is_mark(cp)) {
		set_key(x, FIRST_UPPER);
		return;
	}
	/* a match that starts with a mark starts where that mark is; a
	 * later chunk is keyed by its word only */
	if (!is_mark(cp) || x->chunk) {
		rd->failed = true;
		return;
	}
	char key[8];
	size_t n = utf8_encode(cp, key);
	key[n] = '\0';
	set_key(x, key);
}

/* One code point that the pattern names. */
static void put_cp(struct reader *rd, ways *w, int32_t cp)
{
	/* caseless, "s" and "k" also match U+017F and U+212A: the matcher
	 * handles text that holds them, and a pattern that names them is not
	 * read */
	if (cp == 0x17f || cp == 0x212a) {
		rd->failed = true;
		return;
	}
	for (size_t i = 0; i < w->len; i++)
		put_char(rd, &w->items[i], cp);
}

static size_t count_open(const ways *w)
{
	size_t n = 0;
	for (size_t i = 0; i < w->len; i++)
		n += w->items[i].open;
	return n;
}

/* What one character of a class or escape may be: the word characters
 * word[0..n), the marks mark[0..nm), and (when other) any other character
 * that is not a letter, digit or underscore. */
struct choice {
	char word[128];
	size_t n;
	int32_t mark[16];
	size_t nm;
	bool space;   /* white space (what \\s and cp_is_space() take) */
	bool other;
};

static void put_choice(struct reader *rd, ways *w, const struct choice *ch)
{
	/* give up before making too many ways, not after */
	if (w->len + count_open(w) * (ch->n + ch->nm + 2) > max_ways(rd)) {
		rd->failed = true;
		return;
	}
	/* \h, \v and \W take white space that would end a chunk */
	for (size_t i = 0; ch->other && i < w->len; i++)
		if (w->items[i].open && w->items[i].wild) {
			rd->failed = true;
			return;
		}
	ways out = { 0 };
	for (size_t i = 0; i < w->len && !rd->failed; i++) {
		const struct way *x = &w->items[i];
		if (!x->open) {
			*array_push(&out) = *x;
			continue;
		}
		size_t n = ch->n + ch->nm;
		for (size_t k = 0; k < n + ch->space + ch->other; k++) {
			struct way y = *x;
			put_char(rd, &y, k < ch->n ? (unsigned char)ch->word[k] :
					 k < n ? ch->mark[k - ch->n] :
					 k == n && ch->space ? ' ' : -1);
			*array_push(&out) = y;
		}
	}
	array_free(w);
	*w = out;
	tidy(rd, w);
}

/* A character the reader cannot list: fine only where every word has
 * ended. */
static void put_unknown(struct reader *rd, const ways *w)
{
	if (any_open(w))
		rd->failed = true;
}

/* A character the reader cannot list that is never white space (\p{L},
 * \w, a class of letters and marks).  Only chunk mode reads on: where a
 * word starts, it starts a chunk nobody knows (or, for \p{Lu}, a word
 * keyed FIRST_UPPER), and a chunk nobody knows goes on. */
static void put_letters(struct reader *rd, ways *w, bool upper)
{
	if (!rd->chunks) {
		put_unknown(rd, w);
		return;
	}
	for (size_t i = 0; i < w->len && !rd->failed; i++) {
		struct way *x = &w->items[i];
		if (!x->open || x->wild)
			continue;
		if (x->len || !x->start || (upper && x->chunk))
			rd->failed = true;
		else if (upper && !rd->caseless)
			set_key(x, FIRST_UPPER);
		else
			x->wild = true;
	}
	tidy(rd, w);
}

/* Whether \p{NAME} takes only letters, marks and digits, never white
 * space. */
static bool letters_only(const char *name, size_t n)
{
	static const char *const ok[] = { "L", "L&", "Ll", "Lu", "Lt", "Lm", "Lo", "M", "Mn",
					  "Mc", "Me", "N", "Nd", "Nl", "No" };
	for (size_t i = 0; i < sizeof ok / sizeof *ok; i++)
		if (strlen(ok[i]) == n && !memcmp(ok[i], name, n))
			return true;
	return false;
}

/* \b: a word starts here, or the word ends. */
static void put_boundary(ways *w)
{
	for (size_t i = 0; i < w->len; i++) {
		struct way *x = &w->items[i];
		if (!x->open)
			continue;
		if (x->len)
			x->open = false;
		else
			x->start = true;
	}
}

/* {WORD_START}: a word, if one starts here, starts here. */
static void put_start(ways *w)
{
	for (size_t i = 0; i < w->len; i++)
		if (w->items[i].open && !w->items[i].len)
			w->items[i].start = true;
}

/* ^, \A: the match starts where the text does. */
static void put_zero(struct reader *rd, ways *w)
{
	for (size_t i = 0; i < w->len; i++) {
		struct way *x = &w->items[i];
		if (x->open && (x->wild || x->chunk))
			rd->failed = true;   /* past the start: not read */
		else if (x->open && !x->len)
			set_key(x, FIRST_AT_START);
	}
}

static const char *alternatives(struct reader *rd, const char *p, ways *w);

static const char *digits(const char *p, long *out)
{
	long v = 0;
	while (*p >= '0' && *p <= '9' && v < 100000)
		v = v * 10 + (*p++ - '0');
	*out = v;
	return p;
}

/* \x{...}, \xHH, \o{...}: the code point, or -1. */
static int32_t escaped_cp(const char **pp)
{
	const char *p = *pp;   /* at the letter after the backslash */
	int base = *p == 'o' ? 8 : 16;
	p++;
	bool braced = *p == '{';
	if (braced)
		p++;
	int32_t cp = 0;
	int n = 0;
	for (;; p++, n++) {
		int d;
		if (*p >= '0' && *p <= '9')
			d = *p - '0';
		else if (base == 16 && *p >= 'a' && *p <= 'f')
			d = *p - 'a' + 10;
		else if (base == 16 && *p >= 'A' && *p <= 'F')
			d = *p - 'A' + 10;
		else
			break;
		if (d >= base || cp > 0x10ffff || (!braced && n == 2))
			break;
		cp = cp * base + d;
	}
	if (braced) {
		if (*p != '}')
			return -1;
		p++;
	}
	*pp = p;
	return n ? cp : -1;
}

/* What one escape outside a class stands for. */
static const char *escape(struct reader *rd, const char *p, ways *w)
{
	char c = p[1];
	const char *q = p + 2;
	switch (c) {
	case 'b':
		put_boundary(w);
		return q;
	case 'A':
		put_zero(rd, w);
		return q;
	case 'B': case 'z': case 'Z': case 'G': case 'E':
		return q;
	case 'd': {
		struct choice ch = { .word = "0123456789", .n = 10 };
		put_choice(rd, w, &ch);
		return q;
	}
	case 's': {
		struct choice ch = { .space = true };
		put_choice(rd, w, &ch);
		return q;
	}
	case 'n': case 't': case 'r': case 'f':
		put_cp(rd, w, c == 'n' ? '\n' : c == 't' ? '\t' : c == 'r' ? '\r' : '\f');
		return q;
	case 'h': case 'v': case 'e': case 'a': case 'W': {
		/* \h and \v take spaces that \s does not (U+0085): not listed */
		struct choice ch = { .other = true };
		put_choice(rd, w, &ch);
		return q;
	}
	case 'p': case 'P': {
		const char *name = *q == '{' ? q + 1 : q;
		const char *close = *q == '{' ? strchr(q, '}') : *q ? q + 1 : NULL;
		size_t n = close ? (size_t)(close - name) : 0;
		if (c == 'p' && close && letters_only(name, n))
			put_letters(rd, w, n == 2 && !memcmp(name, "Lu", 2));
		else
			put_unknown(rd, w);
		if (*q == '{')
			return close ? close + 1 : q + strlen(q);
		return *q ? q + 1 : q;
	}
	case 'w':
		put_letters(rd, w, false);   /* [A-Za-z0-9_]: PCRE2 without UCP */
		return q;
	case 'x': case 'o': {
		const char *r = p + 1;
		int32_t cp = escaped_cp(&r);
		if (cp < 0) {
			rd->failed = true;
			return q;
		}
		put_cp(rd, w, cp);
		return r;
	}
	case 'Q': {
		const char *e = strstr(q, "\\E");
		const char *end = e ? e : q + strlen(q);
		for (const char *s = q; s < end;) {
			int32_t cp;
			s += utf8_decode((const unsigned char *)s, (size_t)(end - s), &cp);
			put_cp(rd, w, cp);
		}
		return e ? e + 2 : end;
	}
	case '\0':
		rd->failed = true;
		return p + 1;
	case 'K': case 'c':
		rd->failed = true;   /* \K moves the start of the match */
		return q;
	case 'g': case 'k': {
		/* a back-reference: \g{1}, \k<name>, \k'name' */
		const char *close = *q == '{' ? strchr(q, '}') : *q == '<' ? strchr(q, '>') :
				    *q == '\'' ? strchr(q + 1, '\'') : NULL;
		put_unknown(rd, w);
		if (close)
			return close + 1;
		while (*q == '-' || (*q >= '0' && *q <= '9'))
			q++;
		return q;
	}
	default:
		/* \w \S \D \N \R \X \C \H \V, back-references: unknown */
		if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')) {
			put_unknown(rd, w);
			return q;
		}
		put_cp(rd, w, (unsigned char)c);  /* an escaped punctuation mark */
		return q;
	}
}

/* A character class [...]: what one character of it may be (struct
 * choice); unknown when it may hold letters that cannot be listed. */
struct class_set {
	bool word[128];
	struct choice ch;
	bool unknown;
	bool blank;   /* unknown members may be white space */
};

static void class_add(struct class_set *cs, int32_t cp)
{
	if (cp == 0x17f || cp == 0x212a) {
		cs->unknown = true;
	} else if (cp >= 0 && cp < 0x80 && is_word((unsigned)cp)) {
		cs->word[cp] = true;
	} else if (is_mark(cp) && cs->ch.nm < sizeof cs->ch.mark / sizeof *cs->ch.mark) {
		for (size_t k = 0; k < cs->ch.nm; k++)
			if (cs->ch.mark[k] == cp)
				return;
		cs->ch.mark[cs->ch.nm++] = cp;
	} else if (cp_is_letter(cp) || cp_is_digit(cp)) {
		cs->unknown = true;   /* a letter of another script, cased or not */
	} else if (cp >= 0 && cp_is_space(cp)) {
		cs->ch.space = true;
	} else {
		cs->ch.other = true;
	}
}

/* One member of a class: a code point, or -1 after a class escape. */
static int32_t class_member(const char **pp, struct class_set *cs)
{
	const char *p = *pp;
	if (*p == '\\') {
		char c = p[1];
		*pp = p + 2;
		switch (c) {
		case 'd':
			for (int d = '0'; d <= '9'; d++)
				cs->word[d] = true;
			return -1;
		case 's':
			cs->ch.space = true;
			return -1;
		case 'h': case 'v': case 'W':
			cs->ch.other = true;
			cs->blank = true;
			return -1;
		case 'n': return '\n';
		case 't': return '\t';
		case 'r': return '\r';
		case 'f': return '\f';
		case 'e': return 27;
		case 'a': return 7;
		case 'b': return 8;
		case 'x': case 'o': {
			const char *r = p + 1;
			int32_t cp = escaped_cp(&r);
			*pp = r;
			if (cp < 0)
				cs->unknown = true;
			return cp;
		}
		case 'p': case 'P':
			cs->unknown = true;
			if (p[2] == '{') {
				const char *close = strchr(p + 2, '}');
				*pp = close ? close + 1 : p + strlen(p);
				if (c == 'P' || !close || !letters_only(p + 3, (size_t)(close - p - 3)))
					cs->blank = true;
			} else if (p[2]) {
				*pp = p + 3;
				if (c == 'P' || !letters_only(p + 2, 1))
					cs->blank = true;
			} else {
				cs->blank = true;
			}
			return -1;
		case '\0':
			cs->unknown = true;
			cs->blank = true;
			*pp = p + 1;
			return -1;
		case 'w':
			cs->unknown = true;
			return -1;
		default:
			if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')) {
				cs->unknown = true;
				cs->blank = true;
				return -1;
			}
			return (unsigned char)c;
		}
	}
	if (p[0] == '[' && p[1] == ':') {   /* [:alpha:] */
		const char *close = strstr(p + 2, ":]");
		cs->unknown = true;
		cs->blank = true;
		*pp = close ? close + 2 : p + strlen(p);
		return -1;
	}
	int32_t cp;
	int n = utf8_decode((const unsigned char *)p, strnlen(p, 4), &cp);
	*pp = p + n;
	return cp;
}

static const char *char_class(struct reader *rd, const char *p, ways *w)
{
	struct class_set cs = { 0 };
	p++;
	bool negated = *p == '^';
	if (negated)
		p++;
	bool first = true;
	while (*p && (*p != ']' || first)) {
		first = false;
		int32_t lo = class_member(&p, &cs);
		if (*p == '-' && p[1] && p[1] != ']' && lo >= 0) {
			p++;
			int32_t hi = class_member(&p, &cs);
			if (hi < lo || hi - lo > 128)
				cs.unknown = cs.blank = true;
			else
				for (int32_t c = lo; c <= hi && !cs.unknown; c++)
					class_add(&cs, c);
			continue;
		}
		if (lo >= 0)
			class_add(&cs, lo);
	}
	if (*p != ']') {
		rd->failed = true;
		return p;
	}
	if (!negated && cs.unknown && !cs.blank && !cs.ch.space && !cs.ch.other) {
		put_letters(rd, w, false);
		return p + 1;
	}
	if (negated || cs.unknown) {
		put_unknown(rd, w);
		return p + 1;
	}
	for (int c = 0; c < 128; c++)
		if (cs.word[c] && !(c >= 'A' && c <= 'Z' && cs.word[c + 32]))
			cs.ch.word[cs.ch.n++] = (char)c;
	put_choice(rd, w, &cs.ch);
	return p + 1;
}

/* {NAME}: a macro is read in place; a lexicon is any of its entries. */
static const char *reference(struct reader *rd, const char *p, size_t n, ways *w)
{
	const asc_rules *r = rd->r;
	if (!any_open(w))
		return p + n + 2;   /* nothing to read it for */
	int mi = strmap_get(&r->macro_index, p + 1, n);
	if (mi >= 0) {
		/* a macro read from the very start of a word that gave up once
		 * gives up again: {SPEAKER} opens many rules */
		unsigned bit = 0;
		if (w->len == 1 && w->items[0].open && !w->items[0].len && rd->memo &&
		    (size_t)mi < rd->memo->len)
			bit = (w->items[0].start ? 2u : 1u) << (rd->skip_space ? 2 : 0);
		if (bit && (rd->memo->gave_up[mi] & bit)) {
			rd->failed = true;
			return p + n + 2;
		}
		if (++rd->depth > MAX_DEPTH) {
			rd->failed = true;
			return p + n + 2;
		}
		const char *end = alternatives(rd, r->macros.items[mi].source, w);
		if (*end)
			rd->failed = true;
		rd->depth--;
		if (bit && rd->failed)
			rd->memo->gave_up[mi] |= (unsigned char)bit;
		return p + n + 2;
	}
	int li = strmap_get(&r->lexicon_index, p + 1, n);
	if (li < 0) {
		rd->failed = true;
		return p + n + 2;
	}
	const struct lexicon *lex = &r->lexicons.items[li];
	if (w->len + count_open(w) * lex->words.len > MAX_WAYS) {
		rd->failed = true;
		return p + n + 2;
	}
	ways out = { 0 };
	for (size_t i = 0; i < w->len && !rd->failed; i++) {
		const struct way *x = &w->items[i];
		if (!x->open) {
			*array_push(&out) = *x;
			continue;
		}
		for (size_t k = 0; k < lex->words.len && !rd->failed; k++) {
			struct way *y = array_push(&out);
			*y = *x;
			for (const char *s = lex->words.items[k]; *s && y->open && !rd->failed;) {
				int32_t cp;
				s += utf8_decode((const unsigned char *)s, strnlen(s, 4), &cp);
				if (cp == 0x17f || cp == 0x212a)
					rd->failed = true;
				put_char(rd, y, cp);
			}
		}
	}
	array_free(w);
	*w = out;
	tidy(rd, w);
	return p + n + 2;
}

/* Past the first c at or after p; at the end, having given up, when there
 * is none. */
static const char *skip_past(struct reader *rd, const char *p, char c)
{
	const char *close = strchr(p, c);
	if (close)
		return close + 1;
	rd->failed = true;
	return p + strlen(p);
}

/* (?...) and (...): groups, look-arounds, options, verbs. */
static const char *group(struct reader *rd, const char *p, ways *w)
{
	p++;
	if (*p == '*') {   /* (*VERB) */
		const char *close = strchr(p, ')');
		if (!close) {
			rd->failed = true;
			return p + strlen(p);
		}
		size_t n = (size_t)(close - p - 1);
		if ((n == 4 && !strncmp(p + 1, "FAIL", 4)) || (n == 1 && p[1] == 'F')) {
			/* this path cannot match: ways that went on end here */
			size_t k = 0;
			for (size_t i = 0; i < w->len; i++)
				if (!w->items[i].open)
					w->items[k++] = w->items[i];
			w->len = k;
		} else {
			/* (*SKIP), (*COMMIT), (*PRUNE) change where a search goes
			 * on; (*ACCEPT) ends a match early */
			rd->failed = true;
		}
		return close + 1;
	}
	bool zero_width = false, word_start = false, ahead = false;
	if (*p == '?') {
		p++;
		switch (*p) {
		case ':': case '>': case '|':
			p++;
			break;
		case '=': case '!':
			zero_width = true;
			ahead = *p == '=';
			p++;
			break;
		case '<':
			if (p[1] == '=' || p[1] == '!') {
				zero_width = true;
				/* (?<![\p{L}\p{M}\p{N}_]), {WORD_START}: no letter, digit
				 * or underscore before, so an ASCII word starts here */
				if (p[1] == '!' && p[2] == '[' && p[3] != '^') {
					const char *close = strchr(p + 3, ']');
					size_t n = close ? (size_t)(close - p) : 0;
					bool w = n && memmem(p, n, "\\w", 2);
					word_start = close && close[1] == ')' &&
						     (w || memmem(p, n, "\\p{L}", 5)) &&
						     (w || memmem(p, n, "\\p{N}", 5) || memmem(p, n, "\\d", 2)) &&
						     (w || memchr(p, '_', n));
				}
				p += 2;
			} else {
				p = skip_past(rd, p, '>');   /* (?<name> */
			}
			break;
		case '\'':
			p = skip_past(rd, p + 1, '\'');   /* (?'name' */
			break;
		case 'P':
			if (p[1] != '<') {
				rd->failed = true;   /* (?P=name), (?P>name) */
				return p + 1;
			}
			p = skip_past(rd, p, '>');   /* (?P<name> */
			break;
		case '#': case 'C': {
			const char *close = strchr(p, ')');
			return close ? close + 1 : p + strlen(p);
		}
		default: {
			/* (?i) (?-i) (?i:...): options; a subroutine call, a
			 * condition or (?x) are not read */
			const char *q = p;
			bool off = false;
			while ((*q >= 'a' && *q <= 'z') || (*q >= 'A' && *q <= 'Z') || *q == '-' ||
			       *q == '^') {
				if (*q == '-')
					off = true;
				else if (*q == 'x' && !off)
					rd->failed = true;
				else if (*q == 'm' && !off)
					rd->multiline = true;
				else if (*q == 'i' && !off)
					rd->caseless = true;
				q++;
			}
			if (q == p || rd->failed || (*q != ')' && *q != ':')) {
				rd->failed = true;
				return q;
			}
			if (*q == ')')
				return q + 1;
			p = q + 1;
		}
		}
	}
	if (zero_width && ahead && rd->chunks && any_open(w) && !rd->failed) {
		/* chunk mode: where what a lookahead asks for keys every way, a
		 * match must have one of those keys */
		ways seen = { 0 };
		copy_ways(&seen, w);
		const char *end = alternatives(rd, p, &seen);
		if (!rd->failed && *end == ')' && seen.len && !any_open(&seen)) {
			array_free(w);
			*w = seen;
			return end + 1;
		}
		array_free(&seen);
		rd->failed = false;
	}
	if (zero_width) {
		ways none = { 0 };
		p = alternatives(rd, p, &none);
		array_free(&none);
		if (word_start)
			put_start(w);
	} else {
		p = alternatives(rd, p, w);
	}
	if (*p != ')') {
		rd->failed = true;
		return p;
	}
	return p + 1;
}

/* One atom, applied once. */
static const char *atom(struct reader *rd, const char *p, ways *w)
{
	switch (*p) {
	case '(':
		return group(rd, p, w);
	case '[':
		return char_class(rd, p, w);
	case '\\':
		return escape(rd, p, w);
	case '.':
		put_unknown(rd, w);
		return p + 1;
	case '^':
		if (!rd->multiline)
			put_zero(rd, w);
		return p + 1;
	case '$':
		return p + 1;
	case '{': {
		const char *q = p + 1;
		while ((*q >= 'A' && *q <= 'Z') || (*q >= '0' && *q <= '9') || *q == '_')
			q++;
		if (q > p + 1 && p[1] >= 'A' && p[1] <= 'Z' && *q == '}')
			return reference(rd, p, (size_t)(q - p - 1), w);
		put_cp(rd, w, '{');
		return p + 1;
	}
	default: {
		int32_t cp;
		int n = utf8_decode((const unsigned char *)p, strnlen(p, 4), &cp);
		put_cp(rd, w, cp);
		return p + n;
	}
	}
}

/* A quantifier at p: its bounds (max -1: no bound); p when there is none. */
static const char *quantifier(const char *p, long *min, long *max)
{
	const char *q = p;
	switch (*p) {
	case '?': *min = 0; *max = 1; q = p + 1; break;
	case '*': *min = 0; *max = -1; q = p + 1; break;
	case '+': *min = 1; *max = -1; q = p + 1; break;
	case '{':
		if (!(p[1] >= '0' && p[1] <= '9'))
			return p;
		q = digits(p + 1, min);
		*max = *min;
		if (*q == ',') {
			q++;
			if (*q >= '0' && *q <= '9')
				q = digits(q, max);
			else
				*max = -1;
		}
		if (*q != '}')
			return p;
		q++;
		break;
	default:
		return p;
	}
	if (*q == '?' || *q == '+')
		q++;
	return q;
}

/* An atom with its quantifier: every count of repeats it allows. */
static const char *piece(struct reader *rd, const char *p, ways *w)
{
	/* where the atom ends, read with no ways to change */
	ways none = { 0 };
	const char *end = atom(rd, p, &none);
	array_free(&none);
	long min = 1, max = 1;
	const char *after = quantifier(end, &min, &max);
	/* where every word has ended, nothing here changes them */
	if (!any_open(w))
		return after;
	if (after == end || rd->failed)
		return atom(rd, p, w);
	ways acc = { 0 }, prev = { 0 };
	if (min == 0)
		copy_ways(&acc, w);
	for (long k = 1; !rd->failed; k++) {
		copy_ways(&prev, w);
		atom(rd, p, w);
		tidy(rd, w);
		bool open = any_open(w);
		/* once a repeat changes nothing, more repeats change nothing */
		bool same = k > 1 && prev.len == w->len;
		for (size_t i = 0; same && i < w->len; i++)
			same = !cmp_way(&prev.items[i], &w->items[i]);
		if (k >= min || !open || same)
			append_ways(&acc, w);
		if ((max >= 0 && k >= max) || !open || same)
			break;
		if (k >= MAX_REPEAT)
			rd->failed = true;   /* a word that may grow and grow */
	}
	array_free(&prev);
	array_free(w);
	*w = acc;
	tidy(rd, w);
	return after;
}

/* Alternatives up to a ')' or the end: each starts from the ways open
 * before it. */
static const char *alternatives(struct reader *rd, const char *p, ways *w)
{
	ways in = { 0 }, out = { 0 }, cur = { 0 };
	for (size_t i = 0; i < w->len; i++)
		*array_push(w->items[i].open ? &in : &out) = w->items[i];
	for (;;) {
		copy_ways(&cur, &in);
		while (*p && *p != '|' && *p != ')' && !rd->failed)
			p = piece(rd, p, &cur);
		append_ways(&out, &cur);
		if (*p != '|' || rd->failed)
			break;
		p++;
	}
	array_free(&in);
	array_free(&cur);
	array_free(w);
	*w = out;
	tidy(rd, w);
	return p;
}

void first_memo_init(struct first_memo *memo, const asc_rules *r)
{
	memo->len = r->macros.len;
	memo->gave_up = xcalloc(memo->len + 1, 1);
}

void first_memo_free(struct first_memo *memo)
{
	free(memo->gave_up);
	memo->gave_up = NULL;
	memo->len = 0;
}

static bool read_starts(const asc_rules *r, struct first_memo *memo, const char *pattern,
			bool skip_space, bool at_start, bool chunks, str_list *out)
{
	/* the memo holds what gave up outside chunk mode */
	struct reader rd = { .r = r, .memo = chunks ? NULL : memo, .skip_space = skip_space,
			     .chunks = chunks };
	ways w = { 0 };
	struct way *x = array_push(&w);
	x->open = true;
	/* a tail starts where its head or lead ends: where that is inside a
	 * word, the matcher does not look its starts up; a word at the start
	 * of the text starts there */
	x->start = skip_space || at_start;
	const char *end = alternatives(&rd, pattern, &w);
	bool ok = !rd.failed && !*end && w.len;
	for (size_t i = 0; ok && i < w.len; i++)
		if ((w.items[i].open && !chunks) || w.items[i].wild || !w.items[i].len)
			ok = false;   /* a match could end inside its first word */
	/* tidy() left each word once: a word that has begun had its start
	 * asserted, so only the word tells two closed ways apart */
	for (size_t i = 0; ok && i < w.len; i++) {
		const struct way *x = &w.items[i];
		if (!chunks) {
			*array_push(out) = xstrndup(x->word, x->len);
			continue;
		}
		/* a match that ends inside the word has its start as a prefix */
		char *key = xmalloc((size_t)x->len + 3);
		key[0] = (char)('0' + x->chunk);
		key[1] = x->open ? FIRST_PREFIX : FIRST_WHOLE;
		memcpy(key + 2, x->word, x->len);
		key[x->len + 2] = '\0';
		*array_push(out) = key;
	}
	array_free(&w);
	array_free(&rd.merged);
	return ok;
}

bool first_words(const asc_rules *r, struct first_memo *memo, const char *pattern,
		 str_list *out)
{
	return read_starts(r, memo, pattern, false, false, false, out);
}

bool first_words_after_space(const asc_rules *r, struct first_memo *memo, const char *pattern,
			     str_list *out)
{
	return read_starts(r, memo, pattern, true, false, false, out);
}

bool first_words_at_start(const asc_rules *r, struct first_memo *memo, const char *pattern,
			  str_list *out)
{
	if (pattern[0] != '^')
		return false;
	return read_starts(r, memo, pattern + 1, false, true, false, out);
}

bool first_word_chunks(const asc_rules *r, const char *pattern, str_list *out)
{
	return read_starts(r, NULL, pattern, false, false, true, out);
}
