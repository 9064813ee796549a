/* write.c - stage 8: the output contract of DESIGN.md as JSON,
 * JSON Lines, and a one-line-per-sentence text view.
 *
 * Offsets written are code points of doc->text, end exclusive.  They are
 * computed from a sparse index: the code point count at every 64th byte,
 * and the bytes after it counted eight at a time unless the block is all
 * ASCII. */
#include "doc.h"

#include <jansson.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define CP_STEP 64

struct cpindex {
	const asc_doc *doc;
	size_t *at;   /* code points before byte i * CP_STEP, and at the end */
	size_t total; /* code points in the text */
};

/* Code points in s[0..n): the bytes that are not UTF-8 continuation bytes
 * (10xxxxxx), counted eight at a time.  The same count as utf8_count. */
static size_t count_code_points(const char *s, size_t n)
{
	const uint64_t ones = UINT64_C(0x0101010101010101);
	size_t continuation = 0, i = 0;
	for (; i + 8 <= n; i += 8) {
		uint64_t x;
		memcpy(&x, s + i, sizeof x);
		/* bit 7 of each byte: set when bit 7 is and bit 6 is not */
		uint64_t c = x & ~(x << 1) & (ones * 0x80);
		continuation += (size_t)(((c >> 7) * ones) >> 56);
	}
	for (; i < n; i++)
		continuation += ((unsigned char)s[i] & 0xC0) == 0x80;
	return n - continuation;
}

static void cpindex_init(struct cpindex *ix, const asc_doc *doc)
{
	size_t n = doc->len / CP_STEP + 1;
	ix->doc = doc;
	ix->at = xmalloc((n + 1) * sizeof *ix->at);
	size_t count = 0;
	for (size_t i = 0; i < n; i++) {
		ix->at[i] = count;
		size_t s = i * CP_STEP, e = s + CP_STEP < doc->len ? s + CP_STEP : doc->len;
		count += count_code_points(doc->text + s, e - s);
	}
	ix->at[n] = count;
	ix->total = count;
}

/* A whole block of CP_STEP code points is ASCII (in news text, most are):
 * its offsets need no counting. */
static size_t cp(const struct cpindex *ix, uint32_t byte)
{
	size_t block = byte / CP_STEP;
	size_t s = block * CP_STEP;
	if (ix->at[block + 1] - ix->at[block] == CP_STEP)
		return ix->at[block] + (byte - s);
	return ix->at[block] + count_code_points(ix->doc->text + s, byte - s);
}

/* ---- JSON writer -------------------------------------------------------
 *
 * The document is written straight into one buffer, never built as a tree:
 * output is a large part of the work of annotating, and a tree of small objects
 * costs more to build than the text it serialises to.  The bytes are those
 * of a conventional serialiser: members in contract order, two-space
 * indentation (or none, for JSON Lines), strings escaped as RFC 8259
 * requires and nothing more (non-ASCII is written as UTF-8).
 *
 * Each value makes room once for all its bytes (jw_room), fills them
 * through a pointer and sets the length once (jw_end).  The buffer is
 * NUL-terminated only when doc_json returns. */

enum { JW_MAX_DEPTH = 16 };
/* The most bytes before a value: a comma, a newline and the indentation. */
enum { JW_SEP_MAX = 2 + 2 * JW_MAX_DEPTH };
/* The most bytes of a written integer: a sign and 19 digits. */
enum { JW_INT_MAX = 20 };

struct jw {
	buf *b;
	FILE *f;             /* when set, the buffer is emptied into it as it fills */
	bool compact;
	int depth;
	size_t count[JW_MAX_DEPTH];   /* values written at each depth */
};

/* A member name as the writers take it: the name in quotes followed by
 * ": ", and the length of that (JSON Lines leaves the space out).  Names
 * are the contract's own string literals, plain ASCII: nothing to escape,
 * and the length is known when compiling.  The writers most called with
 * one are inline, so that there it is a constant and its copy two moves. */
#define KEY(name) "\"" name "\": ", sizeof(name) + 3

/* Room for n more bytes (and the final NUL): returns where they go. */
static inline char *jw_room(struct jw *w, size_t n)
{
	buf *b = w->b;
	if (b->cap - b->len <= n)
		buf_grow(b, n);
	return b->data + b->len;
}

/* The bytes up to p, which jw_room gave, are written. */
static inline void jw_end(struct jw *w, const char *p)
{
	w->b->len = (size_t)(p - w->b->data);
}

/* n bytes of s at p; returns the end.  The bytes are not a C string. */
static inline char *put_bytes(char *p, const char *s, size_t n)
{
	memcpy(p, s, n);
	return p + n;
}

static char *jw_newline(char *p, int depth)
{
	*p++ = '\n';
	memset(p, ' ', 2 * (size_t)depth);
	return p + 2 * depth;
}

/* Before a value in an array, or before a key in an object: at most
 * JW_SEP_MAX bytes. */
static inline char *jw_sep(struct jw *w, char *p)
{
	if (w->count[w->depth]++)
		*p++ = ',';
	if (!w->compact)
		p = jw_newline(p, w->depth);
	return p;
}

/* The separator and a KEY(): at most JW_SEP_MAX + klen bytes.  A KEY() is
 * 5 to 16 bytes long for every name of the contract: two copies of 4 or 8
 * bytes that overlap cover it without a call to memcpy. */
static inline char *jw_key(struct jw *w, char *p, const char *key, size_t klen)
{
	p = jw_sep(w, p);
	if (klen >= 8 && klen <= 16) {
		uint64_t head, tail;
		memcpy(&head, key, 8);
		memcpy(&tail, key + (klen - 8), 8);
		memcpy(p, &head, 8);
		memcpy(p + klen - 8, &tail, 8);
	} else if (klen >= 4 && klen < 8) {
		uint32_t head, tail;
		memcpy(&head, key, 4);
		memcpy(&tail, key + (klen - 4), 4);
		memcpy(p, &head, 4);
		memcpy(p + klen - 4, &tail, 4);
	} else {
		memcpy(p, key, klen);
	}
	return p + klen - w->compact;
}

static void jw_open(struct jw *w, char *p, char c)
{
	*p++ = c;
	jw_end(w, p);
	w->depth++;
	w->count[w->depth] = 0;
}

static void jw_close(struct jw *w, char c)
{
	char *p = jw_room(w, JW_SEP_MAX);
	bool any = w->count[w->depth] > 0;
	w->depth--;
	if (any && !w->compact)
		p = jw_newline(p, w->depth);
	*p++ = c;
	jw_end(w, p);
}

/* Whether a byte of x is a control character, '"' or '\\'.  Each test is
 * the "has a zero byte" test of x - k; a borrow can only flag a byte above
 * one that needs escaping, so the answer for the word is exact. */
static inline bool needs_escape8(uint64_t x)
{
	const uint64_t ones = UINT64_C(0x0101010101010101);
	uint64_t quote = x ^ (ones * '"'), backslash = x ^ (ones * '\\');
	return (((x - ones * 0x20) | (quote - ones) | (backslash - ones)) & ~x &
		(ones * 0x80)) != 0;
}

static inline bool needs_escape(unsigned char c)
{
	return c < 0x20 || c == '"' || c == '\\';
}

/* s[0..n) in quotes, escaped, at p, which has room for n + 2 bytes; an
 * escape makes room for its own extra bytes.  Eight bytes that need no
 * escape are copied at once.  So are the last few, with the eight bytes
 * that end the string, when none of those needs an escape: the ones
 * before i were then written as they are, just before p, and writing them
 * again changes nothing.  Other bytes go one by one.  Returns the end. */
static char *jw_escaped(struct jw *w, char *p, const char *s, size_t n)
{
	static const char hex[] = "0123456789ABCDEF";
	*p++ = '"';
	size_t i = 0;
	while (i < n) {
		uint64_t x;
		if (n - i >= 8) {
			memcpy(&x, s + i, sizeof x);
			if (!needs_escape8(x)) {
				memcpy(p, &x, sizeof x);
				p += 8;
				i += 8;
				continue;
			}
		} else if (n >= 8) {
			memcpy(&x, s + (n - 8), sizeof x);
			if (!needs_escape8(x)) {
				memcpy(p - (i - (n - 8)), &x, sizeof x);
				p += n - i;
				break;
			}
		}
		for (size_t end = n - i >= 8 ? i + 8 : n; i < end; i++) {
			unsigned char c = (unsigned char)s[i];
			if (!needs_escape(c)) {
				*p++ = (char)c;
				continue;
			}
			jw_end(w, p);
			p = jw_room(w, 6 + (n - i - 1) + 1);
			*p++ = '\\';
			switch (c) {
			case '"':  *p++ = '"'; break;
			case '\\': *p++ = '\\'; break;
			case '\b': *p++ = 'b'; break;
			case '\f': *p++ = 'f'; break;
			case '\n': *p++ = 'n'; break;
			case '\r': *p++ = 'r'; break;
			case '\t': *p++ = 't'; break;
			default:
				p = put_bytes(p, "u00", 3);
				*p++ = hex[c >> 4];
				*p++ = hex[c & 15];
			}
		}
	}
	*p++ = '"';
	return p;
}

static inline void jw_strn(struct jw *w, const char *key, size_t klen, const char *s, size_t n)
{
	char *p = jw_room(w, JW_SEP_MAX + klen + n + 2);
	p = jw_key(w, p, key, klen);
	jw_end(w, jw_escaped(w, p, s, n));
}

/* A string of n bytes as an array element. */
static void jw_string_itemn(struct jw *w, const char *s, size_t n)
{
	char *p = jw_room(w, JW_SEP_MAX + n + 2);
	p = jw_sep(w, p);
	jw_end(w, jw_escaped(w, p, s, n));
}

static inline void jw_null(struct jw *w, const char *key, size_t klen)
{
	char *p = jw_room(w, JW_SEP_MAX + klen + 4);
	p = jw_key(w, p, key, klen);
	jw_end(w, put_bytes(p, "null", 4));
}

/* A string, or null for NULL. */
static inline void jw_str(struct jw *w, const char *key, size_t klen, const char *s)
{
	if (s)
		jw_strn(w, key, klen, s, strlen(s));
	else
		jw_null(w, key, klen);
}

/* v in decimal at p, which has room for JW_INT_MAX bytes: the digits are
 * counted first and written from the last. */
static char *put_int(char *p, long long v)
{
	unsigned long long u = v < 0 ? 0 - (unsigned long long)v : (unsigned long long)v;
	if (v < 0)
		*p++ = '-';
	size_t digits = 1;
	for (unsigned long long t = u; t >= 10; t /= 10)
		digits++;
	char *d = p + digits;
	do
		*--d = (char)('0' + u % 10);
	while (u /= 10);
	return p + digits;
}

static inline void jw_int(struct jw *w, const char *key, size_t klen, long long v)
{
	char *p = jw_room(w, JW_SEP_MAX + klen + JW_INT_MAX);
	p = jw_key(w, p, key, klen);
	jw_end(w, put_int(p, v));
}

/* An integer as an array element. */
static void jw_int_item(struct jw *w, long long v)
{
	char *p = jw_room(w, JW_SEP_MAX + JW_INT_MAX);
	p = jw_sep(w, p);
	jw_end(w, put_int(p, v));
}

static void jw_bool(struct jw *w, const char *key, size_t klen, bool v)
{
	char *p = jw_room(w, JW_SEP_MAX + klen + 5);
	p = jw_key(w, p, key, klen);
	jw_end(w, v ? put_bytes(p, "true", 4) : put_bytes(p, "false", 5));
}

/* Drops the trailing zeros of the number written from start on, keeping
 * one decimal: "0.750" becomes "0.75", "1.000" becomes "1.0". */
static void trim_decimals(buf *b, size_t start)
{
	while (b->len - start > 3 && b->data[b->len - 1] == '0' && b->data[b->len - 2] != '.')
		b->len--;
}

/* A score in [0, 1] with three decimals, shortest form ("0.75", "1.0"). */
static void jw_score(struct jw *w, const char *key, size_t klen, double v)
{
	jw_end(w, jw_key(w, jw_room(w, JW_SEP_MAX + klen), key, klen));
	size_t start = w->b->len;
	buf_add_milli(w->b, (long)(v * 1000 + 0.5));
	trim_decimals(w->b, start);
}

/* A rule weight as written in a rule file: up to three decimals, shortest
 * form, signed. */
static void jw_weight(struct jw *w, const char *key, size_t klen, double v)
{
	jw_end(w, jw_key(w, jw_room(w, JW_SEP_MAX + klen), key, klen));
	size_t start = w->b->len;
	buf_add_fixed3(w->b, v);
	trim_decimals(w->b, start);
}

static void jw_object(struct jw *w, const char *key, size_t klen)
{
	char *p = jw_room(w, JW_SEP_MAX + klen + 1);
	jw_open(w, jw_key(w, p, key, klen), '{');
}

/* An object as an array element. */
static void jw_object_item(struct jw *w)
{
	char *p = jw_room(w, JW_SEP_MAX + 1);
	jw_open(w, jw_sep(w, p), '{');
}

static void jw_array(struct jw *w, const char *key, size_t klen)
{
	char *p = jw_room(w, JW_SEP_MAX + klen + 1);
	jw_open(w, jw_key(w, p, key, klen), '[');
}

static void jw_flush(struct jw *w, bool always)
{
	if (w->f && (always || w->b->len >= (1u << 18))) {
		fwrite(w->b->data, 1, w->b->len, w->f);
		w->b->len = 0;
	}
}

/* {"text", "start", "end"} of a span, left open for more members. */
static void text_span(struct jw *w, const struct cpindex *ix, const char *key,
		      size_t klen, struct span at)
{
	jw_object(w, key, klen);
	jw_strn(w, KEY("text"), ix->doc->text + at.start, at.end - at.start);
	jw_int(w, KEY("start"), (long long)cp(ix, at.start));
	jw_int(w, KEY("end"), (long long)cp(ix, at.end));
}

static void speaker_json(struct jw *w, const struct cpindex *ix, const struct speaker *sp)
{
	const asc_doc *doc = ix->doc;
	if (sp->entity < 0) {
		jw_null(w, KEY("speaker"));
		return;
	}
	const struct entity *e = &doc->entities.items[sp->entity];
	jw_object(w, KEY("speaker"));
	jw_str(w, KEY("name"), e->name);
	jw_str(w, KEY("role"), e->role);
	jw_str(w, KEY("type"), entity_type_names[e->type]);
	jw_bool(w, KEY("anonymous"), e->anonymous);
	jw_int(w, KEY("start"), (long long)cp(ix, sp->at.start));
	jw_int(w, KEY("end"), (long long)cp(ix, sp->at.end));
	jw_str(w, KEY("resolved"), resolution_names[sp->resolved]);
	jw_close(w, '}');
}

static void outlet_json(struct jw *w, const struct cpindex *ix, int outlet, struct span at)
{
	if (outlet < 0) {
		jw_null(w, KEY("outlet"));
		return;
	}
	jw_object(w, KEY("outlet"));
	jw_str(w, KEY("name"), ix->doc->entities.items[outlet].name);
	jw_int(w, KEY("start"), (long long)cp(ix, at.start));
	jw_int(w, KEY("end"), (long long)cp(ix, at.end));
	jw_close(w, '}');
}

static void cue_json(struct jw *w, const struct cpindex *ix, const struct attribution *a,
		     bool group)
{
	text_span(w, ix, KEY("cue"), group && a->cue_group.end > a->cue_group.start ? a->cue_group
									      : a->cue);
	if (a->cue2.end > a->cue2.start) {
		text_span(w, ix, KEY("second"), a->cue2);
		jw_close(w, '}');
	}
	jw_close(w, '}');
}

static void document_json(struct jw *w, const struct cpindex *ix)
{
	const asc_doc *doc = ix->doc;
	jw_object(w, KEY("document"));
	jw_str(w, KEY("id"), doc->id);
	jw_str(w, KEY("outlet"), doc->outlet);
	jw_str(w, KEY("url"), doc->url);
	jw_str(w, KEY("date"), doc->date);
	jw_str(w, KEY("title"), doc->title);
	if (doc->source)
		jw_str(w, KEY("source"), doc->source);
	jw_int(w, KEY("length"), (long long)ix->total);
	jw_close(w, '}');
}

static void sentence_json(struct jw *w, const struct cpindex *ix, size_t i)
{
	const asc_doc *doc = ix->doc;
	const asc_rules *r = doc->rules;
	const struct sentence *s = &doc->sentences.items[i];
	jw_object_item(w);
	jw_int(w, KEY("index"), (long long)i);
	jw_int(w, KEY("paragraph"), s->paragraph);
	jw_int(w, KEY("start"), (long long)cp(ix, s->start));
	jw_int(w, KEY("end"), (long long)cp(ix, s->end));
	jw_strn(w, KEY("text"), doc->text + s->start, s->end - s->start);
	jw_str(w, KEY("kind"), kind_names[s->kind]);
	jw_str(w, KEY("label"), s->label == LABEL_NONE ? NULL :
			   s->label == LABEL_FACT ? "fact" : "opinion");
	if (s->label != LABEL_NONE) {
		jw_score(w, KEY("label_score"), s->label_score);
		jw_str(w, KEY("voice"), label_side_names[s->voice]);
		jw_bool(w, KEY("checkworthy"), s->checkworthy > 0);
	} else {
		jw_null(w, KEY("voice"));
		jw_null(w, KEY("checkworthy"));
	}
	speaker_json(w, ix, &s->speaker);
	outlet_json(w, ix, s->outlet, s->outlet_at);
	if (s->attribution >= 0 && s->speaker.resolved != RES_QUOTE)
		cue_json(w, ix, &doc->attributions.items[s->attribution], false);
	else
		jw_null(w, KEY("cue"));
	jw_array(w, KEY("reasons"));
	for (uint32_t k = 0; k < s->reasons_count; k++) {
		size_t n;
		const char *id = rule_id_of(r, (size_t)doc->reasons.items[s->reasons_first + k], &n);
		jw_string_itemn(w, id, n);
	}
	jw_close(w, ']');
	jw_array(w, KEY("evidence"));
	for (uint32_t k = 0; k < s->evidence_count; k++) {
		const struct evidence *e = &doc->evidence.items[s->evidence_first + k];
		jw_object_item(w);
		size_t n;
		const char *id = rule_id_of(r, (size_t)e->rule, &n);
		jw_strn(w, KEY("rule"), id, n);
		jw_str(w, KEY("side"), label_side_names[e->side]);
		jw_weight(w, KEY("weight"), e->weight);
		jw_int(w, KEY("start"), (long long)cp(ix, e->at.start));
		jw_int(w, KEY("end"), (long long)cp(ix, e->at.end));
		jw_strn(w, KEY("text"), doc->text + e->at.start, e->at.end - e->at.start);
		jw_close(w, '}');
	}
	jw_close(w, ']');
	jw_close(w, '}');
}

/* [start, end] of a span, in code points, as an array element. */
static void jw_pair(struct jw *w, const struct cpindex *ix, struct span at)
{
	char *p = jw_room(w, JW_SEP_MAX + 1);
	jw_open(w, jw_sep(w, p), '[');
	jw_int_item(w, (long long)cp(ix, at.start));
	jw_int_item(w, (long long)cp(ix, at.end));
	jw_close(w, ']');
}

/* "content": its span and, when the quotation goes on in other sentences,
 * "pieces": every piece as [start, end], in order. */
static void content_json(struct jw *w, const struct cpindex *ix, const struct attribution *a,
			 size_t ai, size_t *next_piece)
{
	const asc_doc *doc = ix->doc;
	size_t first = *next_piece;
	while (first < doc->pieces.len && doc->pieces.items[first].attribution < (int)ai)
		first++;
	size_t last = first;
	while (last < doc->pieces.len && doc->pieces.items[last].attribution == (int)ai)
		last++;
	*next_piece = last;
	bool has = a->content.end > a->content.start;
	if (!has && first == last) {
		jw_null(w, KEY("content"));
		return;
	}
	text_span(w, ix, KEY("content"), has ? a->content : doc->pieces.items[first].at);
	if (first < last) {
		jw_array(w, KEY("pieces"));
		/* the pieces are in order; the rule's own span goes among them */
		bool main_done = !has;
		for (size_t k = first; k < last; k++) {
			struct span at = doc->pieces.items[k].at;
			if (!main_done && a->content.start <= at.start) {
				jw_pair(w, ix, a->content);
				main_done = true;
			}
			jw_pair(w, ix, at);
		}
		if (!main_done)
			jw_pair(w, ix, a->content);
		jw_close(w, ']');
	}
	jw_close(w, '}');
}

static void attribution_json(struct jw *w, const struct cpindex *ix, size_t ai,
			     size_t *next_piece)
{
	const asc_doc *doc = ix->doc;
	const struct attribution *a = &doc->attributions.items[ai];
	jw_object_item(w);
	jw_int(w, KEY("sentence"), a->sentence);
	if (a->source_np.end > a->source_np.start) {
		text_span(w, ix, KEY("source"), a->source_np);
		if (a->source.entity >= 0)
			jw_str(w, KEY("name"), doc->entities.items[a->source.entity].name);
		jw_close(w, '}');
	} else if (a->source.at.end > a->source.at.start) {
		text_span(w, ix, KEY("source"), a->source.at);
		if (a->source.entity >= 0)
			jw_str(w, KEY("name"), doc->entities.items[a->source.entity].name);
		jw_close(w, '}');
	} else {
		jw_null(w, KEY("source"));
	}
	cue_json(w, ix, a, true);
	content_json(w, ix, a, ai, next_piece);
	outlet_json(w, ix, a->outlet, a->outlet_at);
	jw_str(w, KEY("type"), attribution_types[a->type]);
	jw_str(w, KEY("rule"), doc->rules->rules.items[a->rule].id);
	jw_close(w, '}');
}

/* Appends the document's JSON (no trailing newline) to b, or, given f,
 * writes it to f a piece at a time. */
static void doc_json(const asc_doc *doc, bool compact, buf *b, FILE *f)
{
	struct cpindex ix;
	cpindex_init(&ix, doc);
	struct jw w = { .b = b, .f = f, .compact = compact };
	buf_grow(b, f ? (1u << 18) + 4096 : doc->len * 2 + 1024);
	jw_open(&w, jw_room(&w, 1), '{');
	jw_str(&w, KEY("ascribe"), ASC_SCHEMA_VERSION);
	document_json(&w, &ix);
	jw_array(&w, KEY("sentences"));
	for (size_t i = 0; i < doc->sentences.len; i++) {
		sentence_json(&w, &ix, i);
		jw_flush(&w, false);
	}
	jw_close(&w, ']');
	jw_array(&w, KEY("attributions"));
	size_t next_piece = 0;
	for (size_t i = 0; i < doc->attributions.len; i++) {
		if (doc->attributions.items[i].dropped)
			continue;
		attribution_json(&w, &ix, i, &next_piece);
		jw_flush(&w, false);
	}
	jw_close(&w, ']');
	if (doc->warnings.len) {
		jw_array(&w, KEY("warnings"));
		for (size_t i = 0; i < doc->warnings.len; i++) {
			const struct warning *wa = &doc->warnings.items[i];
			jw_object_item(&w);
			if (wa->offset < 0)
				jw_null(&w, KEY("offset"));
			else
				jw_int(&w, KEY("offset"), wa->offset);
			jw_str(&w, KEY("message"), wa->message);
			jw_close(&w, '}');
		}
		jw_close(&w, ']');
	}
	jw_close(&w, '}');
	b->data[b->len] = '\0';   /* jw_room kept a byte for it */
	free(ix.at);
}

char *asc_doc_to_json(const asc_doc *doc, int compact)
{
	buf b = { 0 };
	doc_json(doc, compact != 0, &b, NULL);
	return buf_detach(&b);
}

char *asc_error_record(const char *id, const char *message)
{
	json_t *root = json_object();
	json_object_set_new(root, "ascribe", json_string(ASC_SCHEMA_VERSION));
	json_t *d = json_object();
	json_object_set_new(d, "id", id ? json_string(id) : json_null());
	json_object_set_new(root, "document", d);
	json_t *e = json_object();
	json_object_set_new(e, "message", json_string(message));
	json_object_set_new(root, "error", e);
	char *s = json_dumps(root, JSON_PRESERVE_ORDER | JSON_COMPACT);
	json_decref(root);
	return s;
}

/* ---- text view ---------------------------------------------------------- */

struct palette {
	const char *dim, *fact, *opinion, *who, *cue, *off;
};

static void write_text(const asc_doc *doc, int flags, FILE *out)
{
	static const struct palette plain = { "", "", "", "", "", "" };
	static const struct palette color = {
		"\033[2m", "\033[32m", "\033[33m", "\033[1;36m", "\033[35m", "\033[0m"
	};
	const struct palette *c = (flags & ASC_WRITE_COLOR) ? &color : &plain;
	for (size_t i = 0; i < doc->sentences.len; i++) {
		const struct sentence *s = &doc->sentences.items[i];
		const char *label = s->label == LABEL_NONE ? "-" :
				    s->label == LABEL_FACT ? "fact" : "opinion";
		bool dim = s->kind == KIND_BOILERPLATE;
		fprintf(out, "%s%4zu %-11s %s%-7s%s ", dim ? c->dim : "", i, kind_names[s->kind],
			s->label == LABEL_OPINION ? c->opinion : s->label == LABEL_FACT ? c->fact : "",
			label, dim ? "" : c->off);
		if (s->speaker.entity >= 0) {
			const struct entity *e = &doc->entities.items[s->speaker.entity];
			fprintf(out, "%s%s%s", c->who, e->name, c->off);
			if (e->role)
				fprintf(out, " (%s)", e->role);
			if (e->anonymous)
				fputs(" [anonymous]", out);
			if (s->speaker.resolved != RES_EXPLICIT)
				fprintf(out, " <%s>", resolution_names[s->speaker.resolved]);
		} else {
			fputs("-", out);
		}
		if (s->outlet >= 0)
			fprintf(out, " @ %s", doc->entities.items[s->outlet].name);
		if (s->attribution >= 0 && s->speaker.resolved != RES_QUOTE) {
			const struct attribution *a = &doc->attributions.items[s->attribution];
			fprintf(out, " %s\"%.*s\"%s", c->cue, (int)(a->cue.end - a->cue.start),
				doc->text + a->cue.start, c->off);
		}
		fprintf(out, "%s | %.*s%s\n", dim ? c->dim : "", (int)(s->end - s->start),
			doc->text + s->start, dim ? c->off : "");
	}
}

asc_status asc_doc_write(const asc_doc *doc, asc_format format, int flags, FILE *out)
{
	if (format == ASC_FORMAT_HTML)
		return html_write(doc, out);
	if (format > ASC_FORMAT_HTML)
		return export_write(doc, format, flags, out);
	if (format == ASC_FORMAT_TEXT) {
		write_text(doc, flags, out);
	} else {
		buf b = { 0 };
		doc_json(doc, format == ASC_FORMAT_JSONL, &b, out);
		buf_addc(&b, '\n');
		fwrite(b.data, 1, b.len, out);
		buf_free(&b);
	}
	return ferror(out) ? ASC_ERR_IO : ASC_OK;
}
