/* write.c - stage 8: the output contract of DESIGN.md as JSON (jansson),
 * JSON Lines, and a one-line-per-sentence text view.
 *
 * Offsets written are code points of doc->text, end exclusive.  They are
 * computed from a sparse index: the code point count at every 256th byte. */
#include "doc.h"

#include <jansson.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define CP_STEP 256

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

static json_t *str_or_null(const char *s)
{
	return s ? json_string(s) : json_null();
}

static json_t *text_span(const struct cpindex *ix, struct span at)
{
	const asc_doc *doc = ix->doc;
	json_t *o = json_object();
	json_object_set_new(o, "text", json_stringn(doc->text + at.start, at.end - at.start));
	json_object_set_new(o, "start", json_integer((json_int_t)cp(ix, at.start)));
	json_object_set_new(o, "end", json_integer((json_int_t)cp(ix, at.end)));
	return o;
}

static json_t *speaker_json(const struct cpindex *ix, const struct speaker *sp)
{
	const asc_doc *doc = ix->doc;
	if (sp->entity < 0)
		return json_null();
	const struct entity *e = &doc->entities.items[sp->entity];
	json_t *o = json_object();
	json_object_set_new(o, "name", json_string(e->name));
	json_object_set_new(o, "role", str_or_null(e->role));
	json_object_set_new(o, "type", json_string(entity_type_names[e->type]));
	json_object_set_new(o, "anonymous", json_boolean(e->anonymous));
	json_object_set_new(o, "start", json_integer((json_int_t)cp(ix, sp->at.start)));
	json_object_set_new(o, "end", json_integer((json_int_t)cp(ix, sp->at.end)));
	json_object_set_new(o, "resolved", json_string(resolution_names[sp->resolved]));
	return o;
}

static json_t *outlet_json(const struct cpindex *ix, int outlet, struct span at)
{
	if (outlet < 0)
		return json_null();
	json_t *o = json_object();
	json_object_set_new(o, "name", json_string(ix->doc->entities.items[outlet].name));
	json_object_set_new(o, "start", json_integer((json_int_t)cp(ix, at.start)));
	json_object_set_new(o, "end", json_integer((json_int_t)cp(ix, at.end)));
	return o;
}

static json_t *cue_json(const struct cpindex *ix, const struct attribution *a)
{
	json_t *o = text_span(ix, a->cue);
	if (a->cue2.end > a->cue2.start)
		json_object_set_new(o, "second", text_span(ix, a->cue2));
	return o;
}

static json_t *document_json(const asc_doc *doc)
{
	json_t *d = json_object();
	json_object_set_new(d, "id", str_or_null(doc->id));
	json_object_set_new(d, "outlet", str_or_null(doc->outlet));
	json_object_set_new(d, "url", str_or_null(doc->url));
	json_object_set_new(d, "date", str_or_null(doc->date));
	json_object_set_new(d, "title", str_or_null(doc->title));
	if (doc->source)
		json_object_set_new(d, "source", json_string(doc->source));
	json_object_set_new(d, "length", json_integer((json_int_t)utf8_count(doc->text, doc->len)));
	return d;
}

static json_t *doc_json(const asc_doc *doc)
{
	struct cpindex ix;
	cpindex_init(&ix, doc);
	const asc_rules *r = doc->rules;
	json_t *root = json_object();
	json_object_set_new(root, "ascribe", json_string(ASC_SCHEMA_VERSION));
	json_object_set_new(root, "document", document_json(doc));
	json_t *sents = json_array();
	for (size_t i = 0; i < doc->sentences.len; i++) {
		const struct sentence *s = &doc->sentences.items[i];
		json_t *o = json_object();
		json_object_set_new(o, "index", json_integer((json_int_t)i));
		json_object_set_new(o, "paragraph", json_integer(s->paragraph));
		json_object_set_new(o, "start", json_integer((json_int_t)cp(&ix, s->start)));
		json_object_set_new(o, "end", json_integer((json_int_t)cp(&ix, s->end)));
		json_object_set_new(o, "text", json_stringn(doc->text + s->start, s->end - s->start));
		json_object_set_new(o, "kind", json_string(kind_names[s->kind]));
		json_object_set_new(o, "label", s->label == LABEL_NONE ? json_null() :
				    json_string(s->label == LABEL_FACT ? "fact" : "opinion"));
		if (s->label != LABEL_NONE)
			json_object_set_new(o, "label_score",
					    json_real((double)(long)(s->label_score * 1000 + 0.5) / 1000));
		json_object_set_new(o, "speaker", speaker_json(&ix, &s->speaker));
		json_object_set_new(o, "outlet", outlet_json(&ix, s->outlet, s->outlet_at));
		json_object_set_new(o, "cue", s->attribution >= 0 && s->speaker.resolved != RES_QUOTE ?
				    cue_json(&ix, &doc->attributions.items[s->attribution]) :
				    json_null());
		json_t *reasons = json_array();
		for (uint32_t k = 0; k < s->reasons_count; k++)
			json_array_append_new(reasons, json_string(
				r->rules.items[doc->reasons.items[s->reasons_first + k]].id));
		json_object_set_new(o, "reasons", reasons);
		json_array_append_new(sents, o);
	}
	json_object_set_new(root, "sentences", sents);
	json_t *attrs = json_array();
	for (size_t i = 0; i < doc->attributions.len; i++) {
		const struct attribution *a = &doc->attributions.items[i];
		json_t *o = json_object();
		json_object_set_new(o, "sentence", json_integer(a->sentence));
		json_t *src = a->source.at.end > a->source.at.start ?
			      text_span(&ix, a->source.at) : json_null();
		if (json_is_object(src) && a->source.entity >= 0)
			json_object_set_new(src, "name",
					    json_string(doc->entities.items[a->source.entity].name));
		json_object_set_new(o, "source", src);
		json_object_set_new(o, "cue", cue_json(&ix, a));
		json_object_set_new(o, "content", a->content.end > a->content.start ?
				    text_span(&ix, a->content) : json_null());
		json_object_set_new(o, "outlet", outlet_json(&ix, a->outlet, a->outlet_at));
		json_object_set_new(o, "type", json_string(attribution_types[a->type]));
		json_object_set_new(o, "rule", json_string(r->rules.items[a->rule].id));
		json_array_append_new(attrs, o);
	}
	json_object_set_new(root, "attributions", attrs);
	if (doc->warnings.len) {
		json_t *w = json_array();
		for (size_t i = 0; i < doc->warnings.len; i++) {
			json_t *o = json_object();
			json_object_set_new(o, "offset", doc->warnings.items[i].offset < 0 ? json_null() :
					    json_integer(doc->warnings.items[i].offset));
			json_object_set_new(o, "message", json_string(doc->warnings.items[i].message));
			json_array_append_new(w, o);
		}
		json_object_set_new(root, "warnings", w);
	}
	free(ix.at);
	return root;
}

char *asc_doc_to_json(const asc_doc *doc, int compact)
{
	json_t *root = doc_json(doc);
	char *s = json_dumps(root, JSON_PRESERVE_ORDER |
			     (compact ? JSON_COMPACT : JSON_INDENT(2)));
	json_decref(root);
	return s;
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
	if (format == ASC_FORMAT_TEXT) {
		write_text(doc, flags, out);
	} else {
		char *s = asc_doc_to_json(doc, format == ASC_FORMAT_JSONL);
		if (!s)
			return ASC_ERR_NOMEM;
		fputs(s, out);
		fputc('\n', out);
		free(s);
	}
	return ferror(out) ? ASC_ERR_IO : ASC_OK;
}
