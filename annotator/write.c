/* write.c - stage 8: the output contract of DESIGN.md as JSON,
 * JSON Lines, and a one-line-per-sentence text view.
 *
 * Offsets written are code points of doc->text, end exclusive.  They are
 * computed from a sparse index: the code point count at every 64th byte. */
#include "doc.h"

#include <jansson.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define CP_STEP 64

struct cpindex {
	const asc_doc *doc;
	size_t *at;   /* code points before byte i * CP_STEP */
};

static void cpindex_init(struct cpindex *ix, const asc_doc *doc)
{
	size_t n = doc->len / CP_STEP + 1;
	ix->doc = doc;
	ix->at = xmalloc(n * sizeof *ix->at);
	size_t count = 0;
	for (size_t i = 0; i < n; i++) {
		ix->at[i] = count;
		size_t s = i * CP_STEP, e = s + CP_STEP < doc->len ? s + CP_STEP : doc->len;
		count += utf8_count(doc->text + s, e - s);
	}
}

static size_t cp(const struct cpindex *ix, uint32_t byte)
{
	size_t block = byte / CP_STEP;
	size_t s = block * CP_STEP;
	return ix->at[block] + utf8_count(ix->doc->text + s, byte - s);
}

/* ---- JSON writer -------------------------------------------------------
 *
 * The document is written straight into one buffer, never built as a tree:
 * output is a third of the work of annotating, and a tree of small objects
 * costs more to build than the text it serialises to.  The bytes are those
 * of a conventional serialiser: members in contract order, two-space
 * indentation (or none, for JSON Lines), strings escaped as RFC 8259
 * requires and nothing more (non-ASCII is written as UTF-8). */

enum { JW_MAX_DEPTH = 16 };

struct jw {
	buf *b;
	FILE *f;             /* when set, the buffer is emptied into it as it fills */
	bool compact;
	int depth;
	size_t count[JW_MAX_DEPTH];   /* values written at each depth */
};

static void jw_newline(struct jw *w)
{
	buf_addc(w->b, '\n');
	for (int i = 0; i < w->depth; i++)
		buf_add(w->b, "  ", 2);
}

/* Before a value in an array, or before a key in an object. */
static void jw_next(struct jw *w)
{
	if (w->count[w->depth]++)
		buf_addc(w->b, ',');
	if (!w->compact)
		jw_newline(w);
}

static void jw_open(struct jw *w, char c)
{
	buf_addc(w->b, c);
	w->depth++;
	w->count[w->depth] = 0;
}

static void jw_close(struct jw *w, char c)
{
	bool any = w->count[w->depth] > 0;
	w->depth--;
	if (any && !w->compact)
		jw_newline(w);
	buf_addc(w->b, c);
}

static void jw_string(struct jw *w, const char *s, size_t n)
{
	static const char hex[] = "0123456789ABCDEF";
	buf_grow(w->b, n + 2);
	buf_addc(w->b, '"');
	size_t run = 0;
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		if (c >= 0x20 && c != '"' && c != '\\')
			continue;
		buf_add(w->b, s + run, i - run);
		run = i + 1;
		switch (c) {
		case '"':  buf_add(w->b, "\\\"", 2); break;
		case '\\': buf_add(w->b, "\\\\", 2); break;
		case '\b': buf_add(w->b, "\\b", 2); break;
		case '\f': buf_add(w->b, "\\f", 2); break;
		case '\n': buf_add(w->b, "\\n", 2); break;
		case '\r': buf_add(w->b, "\\r", 2); break;
		case '\t': buf_add(w->b, "\\t", 2); break;
		default: {
			char esc[6] = { '\\', 'u', '0', '0', hex[c >> 4], hex[c & 15] };
			buf_add(w->b, esc, 6);
		}
		}
	}
	buf_add(w->b, s + run, n - run);
	buf_addc(w->b, '"');
}

/* Member names are the contract's own, plain ASCII: written as they are. */
static void jw_key(struct jw *w, const char *key)
{
	jw_next(w);
	buf_addc(w->b, '"');
	buf_adds(w->b, key);
	buf_add(w->b, w->compact ? "\":" : "\": ", w->compact ? 2 : 3);
}

static void jw_str(struct jw *w, const char *key, const char *s)
{
	jw_key(w, key);
	if (s)
		jw_string(w, s, strlen(s));
	else
		buf_add(w->b, "null", 4);
}

static void jw_strn(struct jw *w, const char *key, const char *s, size_t n)
{
	jw_key(w, key);
	jw_string(w, s, n);
}

static void jw_null(struct jw *w, const char *key)
{
	jw_key(w, key);
	buf_add(w->b, "null", 4);
}

static void jw_int(struct jw *w, const char *key, long long v)
{
	if (key)
		jw_key(w, key);
	else
		jw_next(w);
	char num[24], *p = num + sizeof num;
	unsigned long long u = v < 0 ? 0 - (unsigned long long)v : (unsigned long long)v;
	do
		*--p = (char)('0' + u % 10);
	while (u /= 10);
	if (v < 0)
		*--p = '-';
	buf_add(w->b, p, (size_t)(num + sizeof num - p));
}

static void jw_bool(struct jw *w, const char *key, bool v)
{
	jw_key(w, key);
	buf_adds(w->b, v ? "true" : "false");
}

/* Drops the trailing zeros of the number written from start on, keeping
 * one decimal: "0.750" becomes "0.75", "1.000" becomes "1.0". */
static void trim_decimals(buf *b, size_t start)
{
	while (b->len - start > 3 && b->data[b->len - 1] == '0' && b->data[b->len - 2] != '.')
		b->len--;
	b->data[b->len] = '\0';
}

/* A score in [0, 1] with three decimals, shortest form ("0.75", "1.0"). */
static void jw_score(struct jw *w, const char *key, double v)
{
	jw_key(w, key);
	size_t start = w->b->len;
	buf_add_milli(w->b, (long)(v * 1000 + 0.5));
	trim_decimals(w->b, start);
}

/* A rule weight as written in a rule file: up to three decimals, shortest
 * form, signed. */
static void jw_weight(struct jw *w, const char *key, double v)
{
	jw_key(w, key);
	size_t start = w->b->len;
	buf_add_fixed3(w->b, v);
	trim_decimals(w->b, start);
}

static void jw_object(struct jw *w, const char *key)
{
	if (key)
		jw_key(w, key);
	else
		jw_next(w);
	jw_open(w, '{');
}

static void jw_array(struct jw *w, const char *key)
{
	jw_key(w, key);
	jw_open(w, '[');
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
		      struct span at)
{
	jw_object(w, key);
	jw_strn(w, "text", ix->doc->text + at.start, at.end - at.start);
	jw_int(w, "start", (long long)cp(ix, at.start));
	jw_int(w, "end", (long long)cp(ix, at.end));
}

static void speaker_json(struct jw *w, const struct cpindex *ix, const struct speaker *sp)
{
	const asc_doc *doc = ix->doc;
	if (sp->entity < 0) {
		jw_null(w, "speaker");
		return;
	}
	const struct entity *e = &doc->entities.items[sp->entity];
	jw_object(w, "speaker");
	jw_str(w, "name", e->name);
	jw_str(w, "role", e->role);
	jw_str(w, "type", entity_type_names[e->type]);
	jw_bool(w, "anonymous", e->anonymous);
	jw_int(w, "start", (long long)cp(ix, sp->at.start));
	jw_int(w, "end", (long long)cp(ix, sp->at.end));
	jw_str(w, "resolved", resolution_names[sp->resolved]);
	jw_close(w, '}');
}

static void outlet_json(struct jw *w, const struct cpindex *ix, int outlet, struct span at)
{
	if (outlet < 0) {
		jw_null(w, "outlet");
		return;
	}
	jw_object(w, "outlet");
	jw_str(w, "name", ix->doc->entities.items[outlet].name);
	jw_int(w, "start", (long long)cp(ix, at.start));
	jw_int(w, "end", (long long)cp(ix, at.end));
	jw_close(w, '}');
}

static void cue_json(struct jw *w, const struct cpindex *ix, const struct attribution *a,
		     bool group)
{
	text_span(w, ix, "cue", group && a->cue_group.end > a->cue_group.start ? a->cue_group
									      : a->cue);
	if (a->cue2.end > a->cue2.start) {
		text_span(w, ix, "second", a->cue2);
		jw_close(w, '}');
	}
	jw_close(w, '}');
}

static void document_json(struct jw *w, const asc_doc *doc)
{
	jw_object(w, "document");
	jw_str(w, "id", doc->id);
	jw_str(w, "outlet", doc->outlet);
	jw_str(w, "url", doc->url);
	jw_str(w, "date", doc->date);
	jw_str(w, "title", doc->title);
	if (doc->source)
		jw_str(w, "source", doc->source);
	jw_int(w, "length", (long long)utf8_count(doc->text, doc->len));
	jw_close(w, '}');
}

static void sentence_json(struct jw *w, const struct cpindex *ix, size_t i)
{
	const asc_doc *doc = ix->doc;
	const asc_rules *r = doc->rules;
	const struct sentence *s = &doc->sentences.items[i];
	jw_object(w, NULL);
	jw_int(w, "index", (long long)i);
	jw_int(w, "paragraph", s->paragraph);
	jw_int(w, "start", (long long)cp(ix, s->start));
	jw_int(w, "end", (long long)cp(ix, s->end));
	jw_strn(w, "text", doc->text + s->start, s->end - s->start);
	jw_str(w, "kind", kind_names[s->kind]);
	jw_str(w, "label", s->label == LABEL_NONE ? NULL :
			   s->label == LABEL_FACT ? "fact" : "opinion");
	if (s->label != LABEL_NONE) {
		jw_score(w, "label_score", s->label_score);
		jw_str(w, "voice", label_side_names[s->voice]);
		jw_bool(w, "checkworthy", s->checkworthy > 0);
	} else {
		jw_null(w, "voice");
		jw_null(w, "checkworthy");
	}
	speaker_json(w, ix, &s->speaker);
	outlet_json(w, ix, s->outlet, s->outlet_at);
	if (s->attribution >= 0 && s->speaker.resolved != RES_QUOTE)
		cue_json(w, ix, &doc->attributions.items[s->attribution], false);
	else
		jw_null(w, "cue");
	jw_array(w, "reasons");
	for (uint32_t k = 0; k < s->reasons_count; k++) {
		const char *id = r->rules.items[doc->reasons.items[s->reasons_first + k]].id;
		jw_next(w);
		jw_string(w, id, strlen(id));
	}
	jw_close(w, ']');
	jw_array(w, "evidence");
	for (uint32_t k = 0; k < s->evidence_count; k++) {
		const struct evidence *e = &doc->evidence.items[s->evidence_first + k];
		jw_object(w, NULL);
		jw_str(w, "rule", r->rules.items[e->rule].id);
		jw_str(w, "side", label_side_names[e->side]);
		jw_weight(w, "weight", e->weight);
		jw_int(w, "start", (long long)cp(ix, e->at.start));
		jw_int(w, "end", (long long)cp(ix, e->at.end));
		jw_strn(w, "text", doc->text + e->at.start, e->at.end - e->at.start);
		jw_close(w, '}');
	}
	jw_close(w, ']');
	jw_close(w, '}');
}

/* [start, end] of a span, in code points, as an array element. */
static void jw_pair(struct jw *w, const struct cpindex *ix, struct span at)
{
	jw_next(w);
	jw_open(w, '[');
	jw_int(w, NULL, (long long)cp(ix, at.start));
	jw_int(w, NULL, (long long)cp(ix, at.end));
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
		jw_null(w, "content");
		return;
	}
	text_span(w, ix, "content", has ? a->content : doc->pieces.items[first].at);
	if (first < last) {
		jw_array(w, "pieces");
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
	jw_object(w, NULL);
	jw_int(w, "sentence", a->sentence);
	if (a->source_np.end > a->source_np.start) {
		text_span(w, ix, "source", a->source_np);
		if (a->source.entity >= 0)
			jw_str(w, "name", doc->entities.items[a->source.entity].name);
		jw_close(w, '}');
	} else if (a->source.at.end > a->source.at.start) {
		text_span(w, ix, "source", a->source.at);
		if (a->source.entity >= 0)
			jw_str(w, "name", doc->entities.items[a->source.entity].name);
		jw_close(w, '}');
	} else {
		jw_null(w, "source");
	}
	cue_json(w, ix, a, true);
	content_json(w, ix, a, ai, next_piece);
	outlet_json(w, ix, a->outlet, a->outlet_at);
	jw_str(w, "type", attribution_types[a->type]);
	jw_str(w, "rule", doc->rules->rules.items[a->rule].id);
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
	jw_open(&w, '{');
	jw_str(&w, "ascribe", ASC_SCHEMA_VERSION);
	document_json(&w, doc);
	jw_array(&w, "sentences");
	for (size_t i = 0; i < doc->sentences.len; i++) {
		sentence_json(&w, &ix, i);
		jw_flush(&w, false);
	}
	jw_close(&w, ']');
	jw_array(&w, "attributions");
	size_t next_piece = 0;
	for (size_t i = 0; i < doc->attributions.len; i++) {
		if (doc->attributions.items[i].dropped)
			continue;
		attribution_json(&w, &ix, i, &next_piece);
		jw_flush(&w, false);
	}
	jw_close(&w, ']');
	if (doc->warnings.len) {
		jw_array(&w, "warnings");
		for (size_t i = 0; i < doc->warnings.len; i++) {
			const struct warning *wa = &doc->warnings.items[i];
			jw_object(&w, NULL);
			if (wa->offset < 0)
				jw_null(&w, "offset");
			else
				jw_int(&w, "offset", wa->offset);
			jw_str(&w, "message", wa->message);
			jw_close(&w, '}');
		}
		jw_close(&w, ']');
	}
	jw_close(&w, '}');
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
