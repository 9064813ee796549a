/* export.c - stage 8, further writers: the annotation formats other tools
 * read (docs/exports.md).  Each follows its format's offset convention:
 *
 *   brat standoff, W3C Web Annotation, Label Studio   code points
 *   doccano                                            UTF-16 code units
 *
 * Spans are byte offsets in the document model; an offset index converts
 * them (see struct offindex). */
#include "doc.h"

#include <jansson.h>
#include <stdio.h>
#include <string.h>

/* ---- offsets -------------------------------------------------------------
 *
 * Code points and UTF-16 units before every OFF_STEP-th byte; an offset is
 * the count at its block plus a count over at most OFF_STEP bytes. */

#define OFF_STEP 64

enum unit { UNIT_CP, UNIT_UTF16 };

struct offindex {
	const asc_doc *doc;
	size_t *cp, *u16;
};

/* UTF-16 units of valid UTF-8: one per code point, two for the four-byte
 * sequences (U+10000 and above, emoji among them). */
static size_t utf16_count(const char *s, size_t len)
{
	size_t n = 0;
	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)s[i];
		if ((c & 0xC0) != 0x80)
			n += c >= 0xF0 ? 2 : 1;
	}
	return n;
}

static void offindex_init(struct offindex *ix, const asc_doc *doc)
{
	size_t n = doc->len / OFF_STEP + 1;
	ix->doc = doc;
	ix->cp = xmalloc(n * sizeof *ix->cp);
	ix->u16 = xmalloc(n * sizeof *ix->u16);
	size_t cp = 0, u16 = 0;
	for (size_t i = 0; i < n; i++) {
		ix->cp[i] = cp;
		ix->u16[i] = u16;
		size_t s = i * OFF_STEP, e = s + OFF_STEP < doc->len ? s + OFF_STEP : doc->len;
		cp += utf8_count(doc->text + s, e - s);
		u16 += utf16_count(doc->text + s, e - s);
	}
}

static void offindex_free(struct offindex *ix)
{
	free(ix->cp);
	free(ix->u16);
}

static json_int_t off(const struct offindex *ix, uint32_t byte, enum unit unit)
{
	size_t block = byte / OFF_STEP, s = block * OFF_STEP;
	const char *p = ix->doc->text + s;
	if (unit == UNIT_UTF16)
		return (json_int_t)ix->u16[block] + (json_int_t)utf16_count(p, byte - s);
	return (json_int_t)ix->cp[block] + (json_int_t)utf8_count(p, byte - s);
}

/* ---- spans of an attribution ------------------------------------------- */

enum role { ROLE_SOURCE, ROLE_CUE, ROLE_CONTENT, ROLE_COUNT };
static const char *const role_labels[ROLE_COUNT] = { "Source", "Cue", "Content" };
static const char *const role_ids[ROLE_COUNT] = { "source", "cue", "content" };

typedef ARRAY(struct span) span_list;

/* The words of each role of one attribution, in text order: the whole
 * source phrase; the cue with its verb group and the second part of a
 * split cue; the content and every further piece of a quotation. */
/* The spans of one attribution by role, and where next_parts is in the
 * document's attributions and pieces. */
struct parts {
	span_list at[ROLE_COUNT];
	size_t ai;           /* the attribution the spans are of */
	size_t next;         /* the next attribution to look at */
	size_t next_piece;
};

/* The roles in the order the region-based formats write them: a cue first,
 * so that the source and content regions can point to it. */
static const int cue_first[ROLE_COUNT] = { ROLE_CUE, ROLE_SOURCE, ROLE_CONTENT };

static void add_span(span_list *l, struct span at)
{
	if (at.end > at.start)
		*array_push(l) = at;
}

static int span_cmp(const void *a, const void *b)
{
	const struct span *x = a, *y = b;
	return x->start < y->start ? -1 : x->start > y->start;
}

/* Steps to the next attribution that was not dropped and fills p with its
 * spans, each role's in text order; false after the last.  The pieces of
 * quotations are walked once, as they are in attribution order. */
static bool next_parts(const asc_doc *doc, struct parts *p)
{
	while (p->next < doc->attributions.len && doc->attributions.items[p->next].dropped)
		p->next++;
	if (p->next >= doc->attributions.len)
		return false;
	size_t ai = p->ai = p->next++;
	const struct attribution *a = &doc->attributions.items[ai];
	for (int r = 0; r < ROLE_COUNT; r++)
		p->at[r].len = 0;
	add_span(&p->at[ROLE_SOURCE], a->source_np.end > a->source_np.start ? a->source_np
									     : a->source.at);
	add_span(&p->at[ROLE_CUE], a->cue_group.end > a->cue_group.start ? a->cue_group : a->cue);
	add_span(&p->at[ROLE_CUE], a->cue2);
	add_span(&p->at[ROLE_CONTENT], a->content);
	size_t k = p->next_piece;
	while (k < doc->pieces.len && doc->pieces.items[k].attribution < (int)ai)
		k++;
	for (; k < doc->pieces.len && doc->pieces.items[k].attribution == (int)ai; k++)
		add_span(&p->at[ROLE_CONTENT], doc->pieces.items[k].at);
	p->next_piece = k;
	for (int r = 0; r < ROLE_COUNT; r++)
		if (p->at[r].len > 1)
			qsort(p->at[r].items, p->at[r].len, sizeof *p->at[r].items, span_cmp);
	return true;
}

static void parts_free(struct parts *p)
{
	for (int r = 0; r < ROLE_COUNT; r++)
		array_free(&p->at[r]);
}

static const struct entity *source_entity(const asc_doc *doc, const struct attribution *a)
{
	return a->source.entity >= 0 ? &doc->entities.items[a->source.entity] : NULL;
}

static const char *rule_id(const asc_doc *doc, int rule)
{
	return doc->rules->rules.items[rule].id;
}

static json_t *text_of(const asc_doc *doc, struct span at)
{
	return json_stringn(doc->text + at.start, at.end - at.start);
}

static json_t *str_or_null(const char *s)
{
	return s ? json_string(s) : json_null();
}

/* Writes root and frees it: pretty, or on one line for a stream. */
static void dump(json_t *root, int flags, FILE *out)
{
	size_t f = JSON_PRESERVE_ORDER | JSON_REAL_PRECISION(4) |
		   ((flags & ASC_WRITE_COMPACT) ? JSON_COMPACT : JSON_INDENT(2));
	json_dumpf(root, out, f);
	fputc('\n', out);
	json_decref(root);
}

/* ---- brat standoff --------------------------------------------------------
 *
 * T lines for the spans (Source, Cue, Content, the labels of PARC and
 * PolNeAR; Fact and Opinion for labelled sentences), R lines from each cue
 * to its source and content, A lines for the attribution type, anonymous
 * sources and check-worthy facts, and a note with the rule ids.  A span
 * that crosses a line break is cut into fragments there: brat keeps one
 * annotation to a line. */

static void brat_fragments(const asc_doc *doc, const struct offindex *ix, const span_list *spans,
			   buf *offsets, buf *text)
{
	bool first = true;
	for (size_t i = 0; i < spans->len; i++) {
		uint32_t s = spans->items[i].start, e = spans->items[i].end;
		while (s < e) {
			const char *nl = memchr(doc->text + s, '\n', e - s);
			uint32_t stop = nl ? (uint32_t)(nl - doc->text) : e;
			uint32_t fs = s, fe = stop;
			while (fe > fs && (doc->text[fe - 1] == '\r' || doc->text[fe - 1] == ' '))
				fe--;
			if (fe > fs) {
				buf_printf(offsets, "%s%lld %lld", first ? "" : ";",
					   (long long)off(ix, fs, UNIT_CP), (long long)off(ix, fe, UNIT_CP));
				if (!first)
					buf_addc(text, ' ');
				for (uint32_t k = fs; k < fe; k++)
					buf_addc(text, doc->text[k] == '\t' ? ' ' : doc->text[k]);
				first = false;
			}
			s = nl ? stop + 1 : e;
		}
	}
}

/* Writes a T line; returns its number, or 0 when nothing was left. */
static int brat_t(FILE *out, const asc_doc *doc, const struct offindex *ix, int *t,
		  const char *type, const span_list *spans)
{
	buf offsets = { 0 }, text = { 0 };
	brat_fragments(doc, ix, spans, &offsets, &text);
	int id = 0;
	if (offsets.len) {
		id = ++*t;
		fprintf(out, "T%d\t%s %s\t%s\n", id, type, offsets.data, text.len ? text.data : "");
	}
	buf_free(&offsets);
	buf_free(&text);
	return id;
}

static void write_brat(const asc_doc *doc, FILE *out)
{
	struct offindex ix;
	offindex_init(&ix, doc);
	int t = 0, r = 0, a = 0, note = 0;
	span_list one = { 0 };
	for (size_t i = 0; i < doc->sentences.len; i++) {
		const struct sentence *s = &doc->sentences.items[i];
		if (s->label == LABEL_NONE)
			continue;
		one.len = 0;
		add_span(&one, (struct span){ s->start, s->end });
		int id = brat_t(out, doc, &ix, &t, s->label == LABEL_FACT ? "Fact" : "Opinion", &one);
		if (id && s->checkworthy > 0)
			fprintf(out, "A%d\tCheckworthy T%d\n", ++a, id);
	}
	array_free(&one);
	struct parts p = { 0 };
	while (next_parts(doc, &p)) {
		const struct attribution *at = &doc->attributions.items[p.ai];
		int ids[ROLE_COUNT];
		for (int role = 0; role < ROLE_COUNT; role++)
			ids[role] = brat_t(out, doc, &ix, &t, role_labels[role], &p.at[role]);
		const struct entity *e = source_entity(doc, at);
		if (ids[ROLE_CUE]) {
			if (ids[ROLE_SOURCE])
				fprintf(out, "R%d\tHasSource Arg1:T%d Arg2:T%d\n", ++r, ids[ROLE_CUE],
					ids[ROLE_SOURCE]);
			if (ids[ROLE_CONTENT])
				fprintf(out, "R%d\tHasContent Arg1:T%d Arg2:T%d\n", ++r, ids[ROLE_CUE],
					ids[ROLE_CONTENT]);
			fprintf(out, "A%d\tAttributionType T%d %s\n", ++a, ids[ROLE_CUE],
				attribution_types[at->type]);
			fprintf(out, "#%d\tAnnotatorNotes T%d\trule %s", ++note, ids[ROLE_CUE],
				rule_id(doc, at->rule));
			if (e)
				fprintf(out, "; speaker %s", e->name);
			fputc('\n', out);
		}
		if (ids[ROLE_SOURCE] && e && e->anonymous)
			fprintf(out, "A%d\tAnonymous T%d\n", ++a, ids[ROLE_SOURCE]);
	}
	parts_free(&p);
	offindex_free(&ix);
}

/* ---- W3C Web Annotation -------------------------------------------------- */

/* The IRI the annotations target: the document's url, else a URN made of
 * its id (percent-encoded). */
static char *target_iri(const asc_doc *doc)
{
	if (doc->url && *doc->url)
		return xstrdup(doc->url);
	buf b = { 0 };
	buf_adds(&b, "urn:ascribe:doc:");
	const char *id = doc->id && *doc->id ? doc->id : "document";
	for (const unsigned char *p = (const unsigned char *)id; *p; p++) {
		if ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') ||
		    *p == '-' || *p == '.' || *p == '_' || *p == '~')
			buf_addc(&b, (char)*p);
		else
			buf_printf(&b, "%%%02X", *p);
	}
	return buf_detach(&b);
}

/* Up to n code points of the text before byte at (or after it). */
static json_t *context(const asc_doc *doc, uint32_t at, int n, bool before)
{
	uint32_t s = at, e = at;
	if (before) {
		for (int k = 0; k < n && s > 0; k++) {
			s--;
			while (s > 0 && ((unsigned char)doc->text[s] & 0xC0) == 0x80)
				s--;
		}
	} else {
		for (int k = 0; k < n && e < doc->len; k++) {
			e++;
			while (e < doc->len && ((unsigned char)doc->text[e] & 0xC0) == 0x80)
				e++;
		}
	}
	return json_stringn(doc->text + s, e - s);
}

enum { WA_CONTEXT = 32 };

static json_t *wa_target(const asc_doc *doc, const struct offindex *ix, const char *iri,
			 struct span at)
{
	json_t *quote = json_object();
	json_object_set_new(quote, "type", json_string("TextQuoteSelector"));
	json_object_set_new(quote, "exact", text_of(doc, at));
	json_object_set_new(quote, "prefix", context(doc, at.start, WA_CONTEXT, true));
	json_object_set_new(quote, "suffix", context(doc, at.end, WA_CONTEXT, false));
	json_t *pos = json_object();
	json_object_set_new(pos, "type", json_string("TextPositionSelector"));
	json_object_set_new(pos, "start", json_integer(off(ix, at.start, UNIT_CP)));
	json_object_set_new(pos, "end", json_integer(off(ix, at.end, UNIT_CP)));
	json_t *target = json_object();
	json_object_set_new(target, "source", json_string(iri));
	json_object_set_new(target, "selector", json_pack("[oo]", quote, pos));
	return target;
}

static json_t *wa_body(const char *purpose, const char *value)
{
	return json_pack("{s:s,s:s,s:s}", "type", "TextualBody", "purpose", purpose, "value", value);
}

static json_t *wa_annotation(const char *iri, const char *id, const char *motivation)
{
	json_t *o = json_object();
	json_object_set_new(o, "id", json_sprintf("%s#%s", iri, id));
	json_object_set_new(o, "type", json_string("Annotation"));
	json_object_set_new(o, "motivation", json_string(motivation));
	return o;
}

static void write_webanno(const asc_doc *doc, int flags, FILE *out)
{
	struct offindex ix;
	offindex_init(&ix, doc);
	char *iri = target_iri(doc);
	const asc_rules *rules = doc->rules;
	json_t *items = json_array();
	char id[64];
	for (size_t i = 0; i < doc->sentences.len; i++) {
		const struct sentence *s = &doc->sentences.items[i];
		if (s->label == LABEL_NONE)
			continue;
		snprintf(id, sizeof id, "ascribe-s%zu", i);
		json_t *o = wa_annotation(iri, id, "classifying");
		json_t *body = json_array();
		json_array_append_new(body, wa_body("classifying",
						    s->label == LABEL_FACT ? "fact" : "opinion"));
		if (s->checkworthy > 0)
			json_array_append_new(body, wa_body("tagging", "checkworthy"));
		for (uint32_t k = 0; k < s->reasons_count; k++)
			json_array_append_new(body, wa_body("tagging",
				rules->rules.items[doc->reasons.items[s->reasons_first + k]].id));
		json_object_set_new(o, "body", body);
		json_object_set_new(o, "target", wa_target(doc, &ix, iri, (struct span){ s->start, s->end }));
		json_array_append_new(items, o);
	}
	struct parts p = { 0 };
	while (next_parts(doc, &p)) {
		const struct attribution *a = &doc->attributions.items[p.ai];
		const struct entity *e = source_entity(doc, a);
		for (int role = 0; role < ROLE_COUNT; role++) {
			if (!p.at[role].len)
				continue;
			snprintf(id, sizeof id, "ascribe-a%zu-%s", p.ai, role_ids[role]);
			json_t *o = wa_annotation(iri, id, role == ROLE_SOURCE ? "identifying" : "tagging");
			json_t *body = json_array();
			json_array_append_new(body, wa_body("tagging", role_ids[role]));
			if (e)
				json_array_append_new(body, wa_body("identifying", e->name));
			if (role == ROLE_SOURCE && e && e->anonymous)
				json_array_append_new(body, wa_body("tagging", "anonymous"));
			json_array_append_new(body, wa_body("tagging", attribution_types[a->type]));
			json_array_append_new(body, wa_body("tagging", rule_id(doc, a->rule)));
			json_object_set_new(o, "body", body);
			json_t *targets = json_array();
			for (size_t k = 0; k < p.at[role].len; k++)
				json_array_append_new(targets, wa_target(doc, &ix, iri, p.at[role].items[k]));
			if (json_array_size(targets) == 1) {
				json_object_set(o, "target", json_array_get(targets, 0));
				json_decref(targets);
			} else {
				json_object_set_new(o, "target", targets);
			}
			json_array_append_new(items, o);
		}
	}
	parts_free(&p);
	json_t *page = json_object();
	json_object_set_new(page, "type", json_string("AnnotationPage"));
	json_object_set_new(page, "startIndex", json_integer(0));
	json_object_set_new(page, "items", items);
	json_t *root = json_object();
	json_object_set_new(root, "@context", json_string("http://www.w3.org/ns/anno.jsonld"));
	json_object_set_new(root, "id", json_sprintf("%s#ascribe", iri));
	json_object_set_new(root, "type", json_string("AnnotationCollection"));
	json_object_set_new(root, "label", json_sprintf("ascribe %s: %s", ASC_VERSION,
						      doc->title ? doc->title : doc->id ? doc->id : iri));
	json_object_set_new(root, "total", json_integer((json_int_t)json_array_size(items)));
	json_object_set_new(root, "first", page);
	free(iri);
	offindex_free(&ix);
	dump(root, flags, out);
}

/* ---- Label Studio and doccano --------------------------------------------- */

static json_t *document_data(const asc_doc *doc)
{
	json_t *data = json_object();
	json_object_set_new(data, "text", json_stringn(doc->text, doc->len));
	json_object_set_new(data, "id", str_or_null(doc->id));
	json_object_set_new(data, "outlet", str_or_null(doc->outlet));
	json_object_set_new(data, "url", str_or_null(doc->url));
	json_object_set_new(data, "date", str_or_null(doc->date));
	json_object_set_new(data, "title", str_or_null(doc->title));
	return data;
}

static json_t *ls_region(const asc_doc *doc, const struct offindex *ix, const char *id,
			 const char *from, const char *label, struct span at)
{
	json_t *value = json_object();
	json_object_set_new(value, "start", json_integer(off(ix, at.start, UNIT_CP)));
	json_object_set_new(value, "end", json_integer(off(ix, at.end, UNIT_CP)));
	json_object_set_new(value, "text", text_of(doc, at));
	json_object_set_new(value, "labels", json_pack("[s]", label));
	json_t *o = json_object();
	json_object_set_new(o, "id", json_string(id));
	json_object_set_new(o, "from_name", json_string(from));
	json_object_set_new(o, "to_name", json_string("text"));
	json_object_set_new(o, "type", json_string("labels"));
	json_object_set_new(o, "value", value);
	return o;
}

static json_t *ls_relation(const char *from, const char *to, const char *label)
{
	return json_pack("{s:s,s:s,s:s,s:s,s:[s]}", "type", "relation", "from_id", from,
			 "to_id", to, "direction", "right", "labels", label);
}

static void write_labelstudio(const asc_doc *doc, int flags, FILE *out)
{
	struct offindex ix;
	offindex_init(&ix, doc);
	json_t *result = json_array();
	char id[64], cue[64], other[64];
	for (size_t i = 0; i < doc->sentences.len; i++) {
		const struct sentence *s = &doc->sentences.items[i];
		if (s->label == LABEL_NONE)
			continue;
		snprintf(id, sizeof id, "s%zu", i);
		json_t *o = ls_region(doc, &ix, id, "statement", s->label == LABEL_FACT ? "Fact" : "Opinion",
				      (struct span){ s->start, s->end });
		json_object_set_new(o, "score", json_real(s->label_score));
		json_array_append_new(result, o);
	}
	struct parts p = { 0 };
	while (next_parts(doc, &p)) {
		/* a region is one run of text: a split cue or a quotation in
		 * pieces gives several, each related to the first cue region */
		cue[0] = '\0';
		for (int ri = 0; ri < ROLE_COUNT; ri++) {
			int role = cue_first[ri];
			for (size_t k = 0; k < p.at[role].len; k++) {
				snprintf(id, sizeof id, "a%zu-%s%zu", p.ai, role_ids[role], k);
				json_array_append_new(result, ls_region(doc, &ix, id, "attribution",
									role_labels[role], p.at[role].items[k]));
				if (role == ROLE_CUE && k == 0) {
					snprintf(cue, sizeof cue, "%s", id);
				} else if (cue[0]) {
					snprintf(other, sizeof other, "%s", id);
					json_array_append_new(result, ls_relation(cue, other,
						role == ROLE_CUE ? "cue" : role_ids[role]));
				}
			}
		}
	}
	parts_free(&p);
	json_t *prediction = json_object();
	json_object_set_new(prediction, "model_version", json_string("ascribe " ASC_VERSION));
	json_object_set_new(prediction, "result", result);
	json_t *task = json_object();
	json_object_set_new(task, "data", document_data(doc));
	json_object_set_new(task, "predictions", json_pack("[o]", prediction));
	offindex_free(&ix);
	dump(task, flags, out);
}

static void write_doccano(const asc_doc *doc, FILE *out)
{
	struct offindex ix;
	offindex_init(&ix, doc);
	json_t *entities = json_array(), *relations = json_array();
	json_int_t next = 1, rel = 1;
	for (size_t i = 0; i < doc->sentences.len; i++) {
		const struct sentence *s = &doc->sentences.items[i];
		if (s->label == LABEL_NONE)
			continue;
		json_array_append_new(entities, json_pack("{s:I,s:s,s:I,s:I}", "id", next++, "label",
			s->label == LABEL_FACT ? "Fact" : "Opinion",
			"start_offset", off(&ix, s->start, UNIT_UTF16),
			"end_offset", off(&ix, s->end, UNIT_UTF16)));
	}
	struct parts p = { 0 };
	while (next_parts(doc, &p)) {
		json_int_t cue = 0;
		for (int ri = 0; ri < ROLE_COUNT; ri++) {
			int role = cue_first[ri];
			for (size_t k = 0; k < p.at[role].len; k++) {
				json_int_t id = next++;
				json_array_append_new(entities, json_pack("{s:I,s:s,s:I,s:I}", "id", id,
					"label", role_labels[role],
					"start_offset", off(&ix, p.at[role].items[k].start, UNIT_UTF16),
					"end_offset", off(&ix, p.at[role].items[k].end, UNIT_UTF16)));
				if (role == ROLE_CUE && k == 0)
					cue = id;
				else if (cue)
					json_array_append_new(relations, json_pack("{s:I,s:I,s:I,s:s}",
						"id", rel++, "from_id", cue, "to_id", id,
						"type", role == ROLE_CUE ? "cue" : role_ids[role]));
			}
		}
	}
	parts_free(&p);
	json_t *root = json_object();
	json_object_set_new(root, "text", json_stringn(doc->text, doc->len));
	json_object_set_new(root, "entities", entities);
	json_object_set_new(root, "relations", relations);
	json_object_set_new(root, "document", json_pack("{s:o,s:o,s:o,s:o,s:o}",
		"id", str_or_null(doc->id), "outlet", str_or_null(doc->outlet),
		"url", str_or_null(doc->url), "date", str_or_null(doc->date),
		"title", str_or_null(doc->title)));
	offindex_free(&ix);
	dump(root, ASC_WRITE_COMPACT, out);
}

/* ---- schema.org ClaimReview drafts --------------------------------------- */

static void write_claimreview(const asc_doc *doc, int flags, FILE *out)
{
	json_t *graph = json_array();
	struct parts p = { 0 };
	while (next_parts(doc, &p)) {
		const struct attribution *a = &doc->attributions.items[p.ai];
		const struct entity *e = source_entity(doc, a);
		if (!p.at[ROLE_CONTENT].len || !e)
			continue;
		buf claim = { 0 };
		for (size_t k = 0; k < p.at[ROLE_CONTENT].len; k++) {
			struct span at = p.at[ROLE_CONTENT].items[k];
			if (k)
				buf_adds(&claim, " \xE2\x80\xA6 ");   /* an ellipsis between pieces */
			buf_add(&claim, doc->text + at.start, at.end - at.start);
		}
		json_t *author = json_object();
		json_object_set_new(author, "@type", json_string(e->type == ET_PERSON ? "Person"
								 : "Organization"));
		json_object_set_new(author, "name", json_string(e->name));
		if (e->role)
			json_object_set_new(author, e->type == ET_PERSON ? "jobTitle" : "description",
					    json_string(e->role));
		if (e->anonymous)
			json_object_set_new(author, "description",
					    json_string("anonymous source: not named in the article"));
		json_t *appearance = json_object();
		json_object_set_new(appearance, "@type", json_string("NewsArticle"));
		if (doc->url)
			json_object_set_new(appearance, "url", json_string(doc->url));
		if (doc->title)
			json_object_set_new(appearance, "headline", json_string(doc->title));
		if (doc->date)
			json_object_set_new(appearance, "datePublished", json_string(doc->date));
		if (doc->outlet)
			json_object_set_new(appearance, "publisher",
					    json_pack("{s:s,s:s}", "@type", "Organization", "name", doc->outlet));
		if (doc->id)
			json_object_set_new(appearance, "identifier", json_string(doc->id));
		json_t *item = json_object();
		json_object_set_new(item, "@type", json_string("Claim"));
		json_object_set_new(item, "author", author);
		json_object_set_new(item, "appearance", appearance);
		json_t *review = json_object();
		json_object_set_new(review, "@type", json_string("ClaimReview"));
		json_object_set_new(review, "claimReviewed", json_stringn(claim.data, claim.len));
		json_object_set_new(review, "itemReviewed", item);
		json_object_set_new(review, "creativeWorkStatus", json_string("Draft"));
		json_object_set_new(review, "description",
			json_sprintf("Drafted by ascribe %s (%s attribution, rule %s); no rating given.",
				     ASC_VERSION, attribution_types[a->type], rule_id(doc, a->rule)));
		json_array_append_new(graph, review);
		buf_free(&claim);
	}
	parts_free(&p);
	json_t *root = json_object();
	json_object_set_new(root, "@context", json_string("https://schema.org"));
	json_object_set_new(root, "@graph", graph);
	dump(root, flags, out);
}

/* ---- entry points -------------------------------------------------------- */

const char *asc_doc_text(const asc_doc *doc, size_t *len)
{
	if (len)
		*len = doc->len;
	return doc->text;
}

asc_status export_write(const asc_doc *doc, asc_format format, int flags, FILE *out)
{
	switch (format) {
	case ASC_FORMAT_BRAT:
		write_brat(doc, out);
		break;
	case ASC_FORMAT_WEBANNO:
		write_webanno(doc, flags, out);
		break;
	case ASC_FORMAT_LABELSTUDIO:
		write_labelstudio(doc, flags, out);
		break;
	case ASC_FORMAT_DOCCANO:
		write_doccano(doc, out);
		break;
	case ASC_FORMAT_CLAIMREVIEW:
		write_claimreview(doc, flags, out);
		break;
	default:
		return ASC_ERR_INPUT;
	}
	return ferror(out) ? ASC_ERR_IO : ASC_OK;
}
