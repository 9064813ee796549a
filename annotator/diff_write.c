/* diff_write.c - the computed diff as JSON (docs/diff.md, stable) and as a
 * side-by-side text report for a terminal. */
#include "diff.h"

#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- JSON --------------------------------------------------------------- */

static json_t *str_or_null(const char *s)
{
	return s ? json_string(s) : json_null();
}

/* Shares and similarities are rounded to three places: the same bytes on
 * every machine. */
static json_t *real3(double x)
{
	return json_real(round(x * 1000.0) / 1000.0);
}

static json_t *span_or_null(long start, long end)
{
	if (start < 0 || end < start)
		return json_null();
	json_t *o = json_object();
	json_object_set_new(o, "start", json_integer(start));
	json_object_set_new(o, "end", json_integer(end));
	return o;
}

static json_t *claim_json(const asc_diff *d, const struct diff_claim *c)
{
	json_t *o = json_object();
	json_object_set_new(o, "document", json_integer(c->doc));
	json_object_set_new(o, "sentence", json_integer(c->sentence));
	/* null when the document gives no offsets, or none within its text */
	json_object_set_new(o, "start", c->start >= 0 ? json_integer(c->start) : json_null());
	json_object_set_new(o, "end", c->start >= 0 ? json_integer(c->end) : json_null());
	json_object_set_new(o, "text", json_string(c->text));
	json_object_set_new(o, "kind", json_string(c->kind));
	json_object_set_new(o, "label", json_string(diff_label_names[c->label]));
	json_object_set_new(o, "speaker", str_or_null(c->speaker));
	json_object_set_new(o, "voice", c->voice >= 0 ? json_integer(c->voice) : json_null());
	json_object_set_new(o, "sourcing", json_string(diff_sourcing_names[c->sourcing]));
	json_object_set_new(o, "mode", json_string(diff_mode_names[c->mode]));
	json_object_set_new(o, "content", span_or_null(c->content_start, c->content_end));
	(void)d;
	return o;
}

static const char *mode_word(enum diff_mode m)
{
	return m == MODE_QUOTE ? "quote" : m == MODE_NONE ? "none" : "paraphrase";
}

static const char *speaker_or_none(const asc_diff *d, const struct diff_claim *c)
{
	return c->voice >= 0 ? d->voices.items[c->voice].name : c->speaker ? c->speaker : "none";
}

static void add_difference(json_t *list, const char *kind, const char *a, const char *b)
{
	json_t *o = json_object();
	json_object_set_new(o, "kind", json_string(kind));
	json_object_set_new(o, "a", json_string(a));
	json_object_set_new(o, "b", json_string(b));
	json_array_append_new(list, o);
}

static json_t *differences_json(const asc_diff *d, const struct diff_pair *p)
{
	const struct diff_claim *a = &d->claims.items[p->a], *b = &d->claims.items[p->b];
	json_t *list = json_array();
	if (p->differences & DIFF_LABEL)
		add_difference(list, "label", diff_label_names[a->label], diff_label_names[b->label]);
	if (p->differences & DIFF_SOURCING)
		add_difference(list, "sourcing", diff_sourcing_names[a->sourcing],
			       diff_sourcing_names[b->sourcing]);
	if (p->differences & DIFF_SPEAKER)
		add_difference(list, "speaker", speaker_or_none(d, a), speaker_or_none(d, b));
	if (p->differences & DIFF_QUOTE)
		add_difference(list, "quote", mode_word(a->mode), mode_word(b->mode));
	return list;
}

static double share(int part, size_t whole)
{
	return whole ? (double)part / (double)whole : 0.0;
}

static json_t *diff_json(const asc_diff *d)
{
	json_t *root = json_object();
	json_object_set_new(root, "ascribe_diff", json_string(ASC_DIFF_SCHEMA_VERSION));
	json_t *sim = json_object();
	json_object_set_new(sim, "measure", json_string("idf-weighted cosine of content-word stems"));
	json_object_set_new(sim, "threshold", real3(d->threshold));
	json_object_set_new(root, "similarity", sim);

	json_t *docs = json_array();
	for (size_t i = 0; i < d->docs.len; i++) {
		const struct diff_document *doc = &d->docs.items[i];
		json_t *o = json_object();
		json_object_set_new(o, "index", json_integer((json_int_t)i));
		json_object_set_new(o, "label", json_string(doc->label));
		json_object_set_new(o, "id", str_or_null(doc->id));
		json_object_set_new(o, "outlet", str_or_null(doc->outlet));
		json_object_set_new(o, "title", str_or_null(doc->title));
		json_object_set_new(o, "file", json_string(doc->file));
		json_object_set_new(o, "line", doc->line ? json_integer(doc->line) : json_null());
		json_object_set_new(o, "schema", json_string(doc->schema));
		json_object_set_new(o, "sentences", json_integer((json_int_t)doc->nsentences));
		json_object_set_new(o, "claims", json_integer((json_int_t)doc->nclaims));
		json_array_append_new(docs, o);
	}
	json_object_set_new(root, "documents", docs);

	json_t *voices = json_array();
	for (size_t v = 0; v < d->voices.len; v++) {
		const struct diff_voice *vo = &d->voices.items[v];
		json_t *o = json_object();
		json_object_set_new(o, "index", json_integer((json_int_t)v));
		json_object_set_new(o, "name", json_string(vo->name));
		json_object_set_new(o, "type", json_string(vo->type));
		json_object_set_new(o, "anonymous", json_boolean(vo->anonymous));
		json_t *variants = json_array(), *roles = json_array(), *counts = json_array();
		for (size_t k = 0; k < vo->mentions.len; k++) {
			const struct diff_mention *m = &d->mentions.items[vo->mentions.items[k]];
			bool seen = false, seen_role = !m->role;
			for (size_t j = 0; j < k; j++) {
				const struct diff_mention *e = &d->mentions.items[vo->mentions.items[j]];
				seen |= !strcmp(e->name, m->name);
				seen_role |= m->role && e->role && !strcmp(e->role, m->role);
			}
			if (!seen)
				json_array_append_new(variants, json_string(m->name));
			if (!seen_role)
				json_array_append_new(roles, json_string(m->role));
		}
		for (size_t i = 0; i < d->docs.len; i++)
			json_array_append_new(counts, json_integer(vo->counts[i]));
		json_object_set_new(o, "variants", variants);
		json_object_set_new(o, "roles", roles);
		json_object_set_new(o, "counts", counts);
		json_object_set_new(o, "total", json_integer(vo->total));
		json_t *only = json_null();
		if (vo->documents == 1 && d->docs.len > 1)
			for (size_t i = 0; i < d->docs.len; i++)
				if (vo->counts[i])
					only = json_integer((json_int_t)i);
		json_object_set_new(o, "only_in", only);
		json_array_append_new(voices, o);
	}
	json_object_set_new(root, "voices", voices);

	json_t *shared = json_array();
	for (size_t i = 0; i < d->pairs.len; i++) {
		const struct diff_pair *p = &d->pairs.items[i];
		json_t *o = json_object();
		json_object_set_new(o, "similarity", real3(p->similarity));
		json_object_set_new(o, "differences", differences_json(d, p));
		json_object_set_new(o, "a", claim_json(d, &d->claims.items[p->a]));
		json_object_set_new(o, "b", claim_json(d, &d->claims.items[p->b]));
		json_array_append_new(shared, o);
	}
	json_object_set_new(root, "shared", shared);

	json_t *unique = json_array();
	for (size_t c = 0; c < d->claims.len; c++)
		if (!d->claims.items[c].shared)
			json_array_append_new(unique, claim_json(d, &d->claims.items[c]));
	json_object_set_new(root, "unique", unique);

	json_t *profiles = json_array();
	for (size_t i = 0; i < d->docs.len; i++) {
		const struct diff_document *doc = &d->docs.items[i];
		json_t *o = json_object();
		json_object_set_new(o, "document", json_integer((json_int_t)i));
		json_object_set_new(o, "claims", json_integer((json_int_t)doc->nclaims));
		json_object_set_new(o, "attributed", json_integer(doc->attributed));
		json_object_set_new(o, "anonymous", json_integer(doc->anonymous));
		json_object_set_new(o, "opinion", json_integer(doc->opinion));
		json_object_set_new(o, "attributed_share", real3(share(doc->attributed, doc->nclaims)));
		json_object_set_new(o, "anonymous_share", real3(share(doc->anonymous, doc->nclaims)));
		json_object_set_new(o, "opinion_share", real3(share(doc->opinion, doc->nclaims)));
		json_object_set_new(o, "voices", json_integer(doc->voices));
		json_object_set_new(o, "named_voices", json_integer(doc->named_voices));
		json_array_append_new(profiles, o);
	}
	json_object_set_new(root, "profiles", profiles);

	json_t *warnings = json_array();
	for (size_t i = 0; i < d->warnings.len; i++)
		json_array_append_new(warnings, json_string(d->warnings.items[i]));
	json_object_set_new(root, "warnings", warnings);
	return root;
}

char *asc_diff_to_json(const asc_diff *d, int compact)
{
	json_t *root = diff_json(d);
	if (!root)
		return NULL;
	size_t flags = JSON_PRESERVE_ORDER | JSON_REAL_PRECISION(10) |
		       (compact ? JSON_COMPACT : JSON_INDENT(2));
	char *s = json_dumps(root, flags);
	json_decref(root);
	return s;
}

/* ---- text ---------------------------------------------------------------- */

typedef ARRAY(char *) line_list;

enum { C_BOLD, C_DIM, C_FACT, C_OPINION, C_DIFF, C_ANON, C_RESET };

struct painter {
	FILE *out;
	bool color;
};

static const char *paint(const struct painter *p, int c)
{
	static const char *const codes[] = { "\033[1m", "\033[2m", "\033[32m", "\033[35m",
					     "\033[33m", "\033[31m", "\033[0m" };
	return p->color ? codes[c] : "";
}

/* The code points of s: its width on a terminal for the text we print. */
static size_t cp_len(const char *s, size_t n)
{
	return utf8_count(s, n);
}

/* Wraps text into lines of at most width code points, breaking at spaces. */
static void wrap(const char *text, size_t width, line_list *lines)
{
	const char *p = text;
	while (*p) {
		while (*p == ' ')
			p++;
		if (!*p)
			break;
		const char *line = p, *brk = NULL, *q = p;
		size_t cols = 0;
		while (*q && cols < width) {
			if (*q == ' ')
				brk = q;
			int32_t cp;
			int k = utf8_decode((const unsigned char *)q, strlen(q), &cp);
			q += k;
			cols++;
		}
		const char *end = !*q ? q : (*q == ' ' ? q : (brk && brk > line ? brk : q));
		*array_push(lines) = xstrndup(line, (size_t)(end - line));
		p = end;
	}
}

static void lines_free(line_list *lines)
{
	for (size_t i = 0; i < lines->len; i++)
		free(lines->items[i]);
	array_free(lines);
}

static void pad(FILE *out, size_t n)
{
	for (size_t i = 0; i < n; i++)
		fputc(' ', out);
}

static char doc_letter(size_t i, char *out)
{
	/* A..Z, then a number: short marks for the columns */
	if (i < 26)
		snprintf(out, 24, "%c", (char)('A' + i));
	else
		snprintf(out, 24, "%zu", i + 1);
	return out[0];
}

static void claim_head(const asc_diff *d, const struct diff_claim *c, buf *b)
{
	buf_printf(b, "#%d %s", c->sentence, diff_label_names[c->label]);
	if (c->sourcing == SRC_NAMED || c->sourcing == SRC_ANONYMOUS)
		buf_printf(b, ", %s%s, %s", speaker_or_none(d, c),
			   c->sourcing == SRC_ANONYMOUS ? " (anonymous)" : "", mode_word(c->mode));
	else if (c->sourcing == SRC_UNRESOLVED)
		buf_printf(b, ", unnamed, %s", mode_word(c->mode));
}

static void side_by_side(const struct painter *pt, const char *left, const char *right,
			 size_t col, int color_left, int color_right)
{
	line_list l = { 0 }, r = { 0 };
	wrap(left, col, &l);
	wrap(right, col, &r);
	size_t n = l.len > r.len ? l.len : r.len;
	for (size_t i = 0; i < n; i++) {
		const char *a = i < l.len ? l.items[i] : "", *b = i < r.len ? r.items[i] : "";
		fprintf(pt->out, "    %s%s%s", color_left >= 0 ? paint(pt, color_left) : "", a,
			color_left >= 0 ? paint(pt, C_RESET) : "");
		pad(pt->out, col - cp_len(a, strlen(a)));
		fprintf(pt->out, " %s|%s %s%s%s\n", paint(pt, C_DIM), paint(pt, C_RESET),
			color_right >= 0 ? paint(pt, color_right) : "", b,
			color_right >= 0 ? paint(pt, C_RESET) : "");
	}
	lines_free(&l);
	lines_free(&r);
}

static int label_color(enum diff_label l)
{
	return l == CLAIM_OPINION ? C_OPINION : C_FACT;
}

static void write_text(const asc_diff *d, const struct painter *pt)
{
	FILE *out = pt->out;
	size_t nd = d->docs.len;
	size_t width = (size_t)d->width;
	size_t col = (width - 7) / 2;
	char mark[24], mark2[24];

	fprintf(out, "%sascribe diff%s: %zu document%s; claims are shared at similarity >= %.2f\n",
		paint(pt, C_BOLD), paint(pt, C_RESET), nd, nd == 1 ? "" : "s", d->threshold);
	for (size_t i = 0; i < nd; i++) {
		const struct diff_document *doc = &d->docs.items[i];
		doc_letter(i, mark);
		fprintf(out, "  %s%-2s%s %s  %s(%s", paint(pt, C_BOLD), mark, paint(pt, C_RESET),
			doc->label, paint(pt, C_DIM), doc->file);
		if (doc->line)
			fprintf(out, ":%ld", doc->line);
		fprintf(out, ", %zu claims)%s\n", doc->nclaims, paint(pt, C_RESET));
	}
	for (size_t i = 0; i < d->warnings.len; i++)
		fprintf(out, "  %swarning:%s %s\n", paint(pt, C_DIFF), paint(pt, C_RESET),
			d->warnings.items[i]);

	/* voices */
	fprintf(out, "\n%sVOICES%s", paint(pt, C_BOLD), paint(pt, C_RESET));
	size_t namew = 34;
	pad(out, namew - 6);
	for (size_t i = 0; i < nd; i++)
		fprintf(out, " %3s", doc_letter(i, mark) ? mark : "");
	fputc('\n', out);
	for (size_t v = 0; v < d->voices.len; v++) {
		const struct diff_voice *vo = &d->voices.items[v];
		buf name = { 0 };
		buf_printf(&name, "%s%s", vo->name, vo->anonymous ? " (anonymous)" : "");
		size_t len = cp_len(name.data, name.len);
		fprintf(out, "  %s%s%s", vo->anonymous ? paint(pt, C_ANON) : "", name.data,
			vo->anonymous ? paint(pt, C_RESET) : "");
		if (len + 2 > namew) {
			fputc('\n', out);
			pad(out, namew);
		} else {
			pad(out, namew - len - 2);
		}
		for (size_t i = 0; i < nd; i++) {
			if (vo->counts[i])
				fprintf(out, " %3d", vo->counts[i]);
			else
				fprintf(out, " %s%3s%s", paint(pt, C_DIM), "-", paint(pt, C_RESET));
		}
		if (vo->documents == 1 && nd > 1) {
			for (size_t i = 0; i < nd; i++)
				if (vo->counts[i])
					fprintf(out, "  %sonly in %s%s", paint(pt, C_DIFF),
						d->docs.items[i].label, paint(pt, C_RESET));
		}
		bool first = true;
		for (size_t k = 0; k < vo->mentions.len; k++) {
			const struct diff_mention *m = &d->mentions.items[vo->mentions.items[k]];
			bool seen = !strcmp(m->name, vo->name);
			for (size_t j = 0; j < k; j++)
				seen |= !strcmp(d->mentions.items[vo->mentions.items[j]].name, m->name);
			if (seen)
				continue;
			fprintf(out, "%s%s%s%s", first ? "  " : ", ", paint(pt, C_DIM),
				first ? "also: " : "", m->name);
			fputs(paint(pt, C_RESET), out);
			first = false;
		}
		fputc('\n', out);
		buf_free(&name);
	}
	if (!d->voices.len)
		fprintf(out, "  (nobody is quoted)\n");

	/* shared claims, by pair of documents */
	fprintf(out, "\n%sSHARED CLAIMS%s\n", paint(pt, C_BOLD), paint(pt, C_RESET));
	int last_a = -1, last_b = -1;
	for (size_t i = 0; i < d->pairs.len; i++) {
		const struct diff_pair *p = &d->pairs.items[i];
		const struct diff_claim *a = &d->claims.items[p->a], *b = &d->claims.items[p->b];
		if (a->doc != last_a || b->doc != last_b) {
			doc_letter((size_t)a->doc, mark);
			doc_letter((size_t)b->doc, mark2);
			fprintf(out, "  %s%s %s  |  %s %s%s\n", paint(pt, C_BOLD), mark,
				d->docs.items[a->doc].label, mark2, d->docs.items[b->doc].label,
				paint(pt, C_RESET));
			last_a = a->doc;
			last_b = b->doc;
		}
		buf head = { 0 };
		buf_printf(&head, "  %.2f", p->similarity);
		json_t *diffs = differences_json(d, p);
		size_t k;
		json_t *x;
		if (!json_array_size(diffs))
			buf_adds(&head, "  same label, sourcing and speaker");
		json_array_foreach(diffs, k, x) {
			buf_printf(&head, "%s%s %s / %s", k ? "; " : "  ",
				   json_string_value(json_object_get(x, "kind")),
				   json_string_value(json_object_get(x, "a")),
				   json_string_value(json_object_get(x, "b")));
		}
		json_decref(diffs);
		fprintf(out, "%s%s%s\n", p->differences ? paint(pt, C_DIFF) : paint(pt, C_DIM),
			head.data, paint(pt, C_RESET));
		buf ha = { 0 }, hb = { 0 };
		claim_head(d, a, &ha);
		claim_head(d, b, &hb);
		side_by_side(pt, ha.data, hb.data, col, label_color(a->label), label_color(b->label));
		side_by_side(pt, a->text, b->text, col, -1, -1);
		buf_free(&head);
		buf_free(&ha);
		buf_free(&hb);
	}
	if (!d->pairs.len)
		fprintf(out, "  (none)\n");

	/* claims in one outlet only */
	fprintf(out, "\n%sIN ONE DOCUMENT ONLY%s\n", paint(pt, C_BOLD), paint(pt, C_RESET));
	size_t unique = 0;
	for (size_t c = 0; c < d->claims.len; c++) {
		const struct diff_claim *cl = &d->claims.items[c];
		if (cl->shared)
			continue;
		unique++;
		buf h = { 0 };
		claim_head(d, cl, &h);
		doc_letter((size_t)cl->doc, mark);
		fprintf(out, "  %s%s%s %s%s%s\n", paint(pt, C_BOLD), mark, paint(pt, C_RESET),
			paint(pt, label_color(cl->label)), h.data, paint(pt, C_RESET));
		line_list lines = { 0 };
		wrap(cl->text, width - 6, &lines);
		for (size_t k = 0; k < lines.len; k++)
			fprintf(out, "    %s\n", lines.items[k]);
		lines_free(&lines);
		buf_free(&h);
	}
	if (!unique)
		fprintf(out, "  (none)\n");

	/* profiles */
	fprintf(out, "\n%sSOURCING PROFILE%s\n", paint(pt, C_BOLD), paint(pt, C_RESET));
	fprintf(out, "  %-28s %7s %11s %10s %8s %7s %6s\n", "", "claims", "attributed", "anonymous",
		"opinion", "voices", "named");
	for (size_t i = 0; i < nd; i++) {
		const struct diff_document *doc = &d->docs.items[i];
		doc_letter(i, mark);
		buf name = { 0 };
		buf_printf(&name, "%s %s", mark, doc->label);
		size_t len = cp_len(name.data, name.len);
		fprintf(out, "  %s", name.data);
		pad(out, len < 28 ? 28 - len : 0);
		fprintf(out, " %7zu %10.0f%% %9.0f%% %7.0f%% %7d %6d\n", doc->nclaims,
			100 * share(doc->attributed, doc->nclaims),
			100 * share(doc->anonymous, doc->nclaims),
			100 * share(doc->opinion, doc->nclaims), doc->voices, doc->named_voices);
		buf_free(&name);
	}
}

asc_status asc_diff_write(const asc_diff *d, asc_format format, int flags, FILE *out)
{
	if (format == ASC_FORMAT_HTML)
		return diff_html_write(d, out);
	if (format != ASC_FORMAT_JSON && format != ASC_FORMAT_JSONL && format != ASC_FORMAT_TEXT)
		return ASC_ERR_INPUT;
	if (format == ASC_FORMAT_TEXT) {
		struct painter pt = { out, (flags & ASC_WRITE_COLOR) != 0 };
		write_text(d, &pt);
	} else {
		char *s = asc_diff_to_json(d, format == ASC_FORMAT_JSONL);
		if (!s)
			return ASC_ERR_NOMEM;
		fputs(s, out);
		fputc('\n', out);
		free(s);
	}
	return ferror(out) ? ASC_ERR_IO : ASC_OK;
}
