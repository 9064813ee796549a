/* diff_read.c - annotated documents read back from annotate's JSON for
 * `ascribe diff`: the claims (sentences that make a statement), how each
 * is sourced, the terms the comparison uses, and the speaker mentions.
 *
 * The reader takes only the members it needs and ignores every other one,
 * so later minor versions of the output (new members) read unchanged.
 * docs/diff.md says which members are read and what a claim is. */
#include "diff.h"

#include <jansson.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <xxhash.h>

#include "rules.h"

const char *const diff_sourcing_names[] = { "none", "named", "anonymous", "unresolved" };
const char *const diff_mode_names[] = { "none", "quote", "partial", "reported" };
const char *const diff_label_names[] = { "none", "fact", "opinion" };

static void push_message(message_list *l, const char *fmt, va_list ap)
{
	char msg[1024];
	vsnprintf(msg, sizeof msg, fmt, ap);
	*array_push(l) = xstrdup(msg);
}

void diff_warn(asc_diff *d, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	push_message(&d->warnings, fmt, ap);
	va_end(ap);
}

void diff_note(asc_diff *d, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	push_message(&d->notes, fmt, ap);
	va_end(ap);
}

static void fail(asc_error *err, asc_status st, const char *file, long line,
		 const char *fmt, ...) __attribute__((format(printf, 5, 6)));

static void fail(asc_error *err, asc_status st, const char *file, long line,
		 const char *fmt, ...)
{
	if (!err)
		return;
	memset(err, 0, sizeof *err);
	err->status = st;
	err->offset = -1;
	snprintf(err->file, sizeof err->file, "%s", file ? file : "");
	err->line = (int)line;
	err->column = line > 0 ? 1 : 0;
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(err->message, sizeof err->message, fmt, ap);
	va_end(ap);
}

/* ---- terms ---------------------------------------------------------------
 *
 * A claim's terms are the stems of its content words: Snowball's English
 * stemmer (libstemmer) and a cut at STEM_MAX bytes make "subsidies",
 * "subsidy" and "subsidised" one term; a paraphrase keeps most of its
 * content words even when it shares no run of words with the original. */

enum { STEM_MAX = 6 };

static bool ends_with(const char *s, size_t n, const char *suffix)
{
	size_t k = strlen(suffix);
	return n >= k && !memcmp(s + n - k, suffix, k);
}

/* Stems the lower-cased word s[0..n) in place; returns the new length. */
static size_t stem(struct sb_stemmer *sb, char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if ((unsigned char)s[i] >= 128 || (s[i] >= '0' && s[i] <= '9'))
			return n;   /* numbers and non-ASCII words stay whole */
	const sb_symbol *st = sb ? sb_stemmer_stem(sb, (const sb_symbol *)s, (int)n) : NULL;
	if (st) {
		size_t k = (size_t)sb_stemmer_length(sb);
		n = k < n ? k : n;
		memmove(s, st, n);
	}
	if (n > STEM_MAX)
		n = STEM_MAX;
	s[n] = '\0';
	return n;
}

/* A code point range of the article the comparison skips (the source and
 * cue of an attribution: what is said matters, not who said it). */
struct range {
	long start, end;
};
typedef ARRAY(struct range) range_list;

static bool skipped(const range_list *skip, long pos)
{
	for (size_t i = 0; i < skip->len; i++)
		if (pos >= skip->items[i].start && pos < skip->items[i].end)
			return true;
	return false;
}

static bool token_cp(int32_t cp)
{
	return cp_is_letter(cp) || cp_is_digit(cp);
}

/* Calls fn for every word of text outside skip (code points of text):
 * lower-cased, possessive 's dropped, with whether it
 * holds a digit and whether it is capitalised past the first word. */
typedef void (*word_fn)(void *ctx, char *word, size_t n, bool digit, bool name);

static void each_word(const char *text, const range_list *skip, word_fn fn, void *ctx)
{
	const unsigned char *p = (const unsigned char *)text;
	size_t len = strlen(text), i = 0;
	long pos = 0;
	buf word = { 0 }, lower = { 0 };
	bool digit = false, upper = false, first = true;
	while (i <= len) {
		int32_t cp = -1;
		int k = 1;
		if (i < len)
			k = utf8_decode(p + i, len - i, &cp);
		bool in = i < len && !(skip && skipped(skip, pos));
		bool keep = in && token_cp(cp);
		/* 2.5, 1,200 and don't stay one word */
		if (in && !keep && word.len && i + (size_t)k < len &&
		    (cp == '.' || cp == ',' || cp == '\'' || cp == 0x2019)) {
			int32_t next;
			utf8_decode(p + i + k, len - i - k, &next);
			if (((cp == '.' || cp == ',') && digit && cp_is_digit(next)) ||
			    ((cp == '\'' || cp == 0x2019) && cp_is_letter(next)))
				keep = true;
		}
		if (keep) {
			if (!word.len)
				upper = cp_is_upper(cp);
			if (cp_is_digit(cp))
				digit = true;
			buf_add(&word, p + i, (size_t)k);
		} else if (word.len) {
			buf_reset(&lower);
			utf8_lower(&lower, word.data, word.len);
			size_t n = lower.len;
			if (ends_with(lower.data, n, "'s"))
				n -= 2;
			else if (ends_with(lower.data, n, "\xe2\x80\x99s"))
				n -= 4;
			lower.data[n] = '\0';
			if (n)
				fn(ctx, lower.data, n, digit, upper && !first);
			first = false;
			buf_reset(&word);
			digit = upper = false;
		}
		i += (size_t)k;
		pos++;
	}
	buf_free(&word);
	buf_free(&lower);
}

static bool function_word(const asc_rules *rules, const char *w, size_t n)
{
	if (n == 1 && !(w[0] >= '0' && w[0] <= '9'))
		return true;
	return rules && lexicon_has(rules_lexicon(rules, "DIFF_FUNCTION_WORD"), w, n);
}

struct term_ctx {
	asc_diff *d;
	struct diff_claim *claim;
};

static void add_term(void *ctx, char *w, size_t n, bool digit, bool name)
{
	struct term_ctx *t = ctx;
	if (function_word(t->d->rules, w, n))
		return;
	n = stem(t->d->stemmer, w, n);
	int id = strmap_get(&t->d->terms, w, n);
	if (id < 0) {
		id = (int)t->d->df.len;
		strmap_put(&t->d->terms, w, n, id);
		*array_push(&t->d->df) = 0;
	}
	/* numbers and names say more than common words (docs/diff.md) */
	double boost = digit ? 2.0 : name ? 1.5 : 1.0;
	struct diff_term *term = array_push(&t->claim->terms);
	term->id = (uint32_t)id;
	term->boost = (float)boost;
}

static int term_cmp(const void *a, const void *b)
{
	const struct diff_term *x = a, *y = b;
	if (x->id != y->id)
		return x->id < y->id ? -1 : 1;
	return x->boost > y->boost ? -1 : x->boost < y->boost;
}

/* Sorts a claim's terms by id and keeps one of each, the highest boost. */
static void terms_unique(struct diff_claim *c)
{
	if (!c->terms.len)
		return;
	qsort(c->terms.items, c->terms.len, sizeof *c->terms.items, term_cmp);
	size_t n = 1;
	for (size_t i = 1; i < c->terms.len; i++)
		if (c->terms.items[i].id != c->terms.items[n - 1].id)
			c->terms.items[n++] = c->terms.items[i];
	c->terms.len = n;
}

struct stems_ctx {
	const asc_rules *rules;
	struct sb_stemmer *stemmer;
	buf *out;
};

static void add_stem(void *ctx, char *w, size_t n, bool digit, bool name)
{
	(void)digit;
	(void)name;
	struct stems_ctx *s = ctx;
	if (function_word(s->rules, w, n))
		return;
	n = stem(s->stemmer, w, n);
	if (s->out->len)
		buf_addc(s->out, ' ');
	buf_add(s->out, w, n);
}

void diff_stems(const asc_rules *rules, const char *text, buf *b)
{
	struct stems_ctx s = { rules, sb_stemmer_new("english", NULL), b };
	each_word(text, NULL, add_stem, &s);
	sb_stemmer_delete(s.stemmer);
}

/* ---- reading ------------------------------------------------------------ */

static char *dup_string(json_t *v)
{
	const char *s = json_string_value(v);
	return s ? xstrdup(s) : NULL;
}

static long get_long(json_t *obj, const char *key, long dflt)
{
	json_t *v = json_object_get(obj, key);
	return json_is_integer(v) ? (long)json_integer_value(v) : dflt;
}

/* The span of obj's "start" and "end" in the article: both -1 unless
 * 0 <= start <= end, with end within the document's length when it is
 * known (length >= 0), so that the report never gives an offset outside
 * the text. */
static void read_span(json_t *obj, long length, long *start, long *end)
{
	long s = get_long(obj, "start", -1), e = get_long(obj, "end", -1);
	if (s < 0 || e < s || (length >= 0 && e > length))
		s = e = -1;
	*start = s;
	*end = e;
}

static void add_span(range_list *skip, json_t *span)
{
	if (!json_is_object(span))
		return;
	long s = get_long(span, "start", -1), e = get_long(span, "end", -1);
	if (s >= 0 && e > s)
		*array_push(skip) = (struct range){ s, e };
}

static const char *kind_name(const char *k)
{
	static const char *const kinds[] = { "body", "headline", "caption", NULL };
	for (int i = 0; kinds[i]; i++)
		if (k && !strcmp(k, kinds[i]))
			return kinds[i];
	return "body";
}

/* An unresolved pronoun ("he") is never a voice of its own. */
static bool unresolved_pronoun(const char *name, const char *resolved)
{
	if (!resolved || strcmp(resolved, "pronoun"))
		return false;
	for (const char *p = name; *p; p++)
		if ((*p >= 'A' && *p <= 'Z') || *p == ' ')
			return false;
	return true;
}

/* The mention of name in document doc, made on first sight. */
static int mention_of(asc_diff *d, int doc, const char *name, const char *role,
		      const char *type, bool anonymous)
{
	for (size_t i = d->mentions.len; i-- > 0;) {
		struct diff_mention *m = &d->mentions.items[i];
		if (m->doc != doc)
			break;
		if (!strcmp(m->name, name) && !strcmp(m->type, type) && m->anonymous == anonymous) {
			if (role && (!m->role || strlen(role) > strlen(m->role))) {
				free(m->role);
				m->role = xstrdup(role);
			}
			return (int)i;
		}
	}
	struct diff_mention *m = array_push(&d->mentions);
	m->doc = doc;
	m->name = xstrdup(name);
	m->role = role ? xstrdup(role) : NULL;
	m->type = xstrdup(type);
	m->anonymous = anonymous;
	m->voice = -1;
	return (int)(d->mentions.len - 1);
}

/* What one attribution tells a sentence: the first gives its mode and
 * content; every one gives spans the comparison skips. */
struct sentence_info {
	const char *type;
	long content_start, content_end;
	range_list skip;
};

static enum diff_mode mode_of(const char *type)
{
	if (!type)
		return MODE_NONE;
	if (!strcmp(type, "direct"))
		return MODE_QUOTE;
	if (!strcmp(type, "mixed"))
		return MODE_PARTIAL;
	return MODE_REPORTED;
}

static void read_claim(asc_diff *d, struct diff_document *doc, int docno, long length,
		       json_t *s, size_t pos, struct sentence_info *info, size_t ninfo)
{
	json_t *label = json_object_get(s, "label");
	const char *l = json_string_value(label);
	if (!l || (strcmp(l, "fact") && strcmp(l, "opinion")))
		return;
	struct diff_claim *c = array_push(&d->claims);
	c->doc = docno;
	long index = get_long(s, "index", -1);
	c->sentence = index >= 0 && index <= INT_MAX ? (int)index : (int)pos;
	read_span(s, length, &c->start, &c->end);
	c->text = dup_string(json_object_get(s, "text"));
	if (!c->text)
		c->text = xstrdup("");
	c->kind = kind_name(json_string_value(json_object_get(s, "kind")));
	c->label = !strcmp(l, "fact") ? CLAIM_FACT : CLAIM_OPINION;
	c->voice = c->mention = -1;
	c->content_start = c->content_end = -1;
	doc->nclaims++;
	if (c->label == CLAIM_OPINION)
		doc->opinion++;

	range_list skip = { 0 };
	const struct sentence_info *si = NULL;
	if (c->sentence >= 0 && (size_t)c->sentence < ninfo)
		si = &info[c->sentence];
	if (si) {
		for (size_t i = 0; i < si->skip.len; i++)
			*array_push(&skip) = si->skip.items[i];
		c->content_start = si->content_start;
		c->content_end = si->content_end;
	}
	json_t *speaker = json_object_get(s, "speaker");
	const char *name = json_string_value(json_object_get(speaker, "name"));
	const char *resolved = json_string_value(json_object_get(speaker, "resolved"));
	add_span(&skip, speaker);
	add_span(&skip, json_object_get(s, "cue"));
	add_span(&skip, json_object_get(s, "outlet"));
	if (name && *name && !unresolved_pronoun(name, resolved)) {
		const char *role = json_string_value(json_object_get(speaker, "role"));
		const char *type = json_string_value(json_object_get(speaker, "type"));
		/* a type annotate never writes is read as a person, so the
		 * report keeps to its schema's four */
		bool known = false;
		for (int t = 0; type && t < ET_COUNT; t++)
			known = known || !strcmp(type, entity_type_names[t]);
		if (!known)
			type = NULL;
		bool anonymous = json_is_true(json_object_get(speaker, "anonymous"));
		c->speaker = xstrdup(name);
		c->role = role ? xstrdup(role) : NULL;
		c->sourcing = anonymous ? SRC_ANONYMOUS : SRC_NAMED;
		c->mention = mention_of(d, docno, name, role, type ? type : "person", anonymous);
		d->mentions.items[c->mention].count++;
		c->mode = si && si->type ? mode_of(si->type)
			: resolved && !strcmp(resolved, "quote") ? MODE_QUOTE : MODE_REPORTED;
	} else if (si && si->type) {
		c->sourcing = SRC_UNRESOLVED;
		c->mode = mode_of(si->type);
	}
	if (c->sourcing != SRC_NONE)
		doc->attributed++;
	if (c->sourcing == SRC_ANONYMOUS)
		doc->anonymous++;

	/* the skipped spans as code points of the claim's text; none when the
	 * claim's place in the article is not known */
	size_t kept = 0;
	for (size_t i = 0; i < skip.len && c->start >= 0; i++) {
		struct range r = skip.items[i];
		if (r.end > c->start)
			skip.items[kept++] = (struct range){
				r.start > c->start ? r.start - c->start : 0, r.end - c->start };
	}
	skip.len = kept;
	struct term_ctx t = { d, c };
	each_word(c->text, &skip, add_term, &t);
	terms_unique(c);
	array_free(&skip);
}

/* Reads one annotated document.  Returns ASC_OK also for an error record,
 * which is skipped with a warning. */
static asc_status read_document(asc_diff *d, json_t *root, const char *file, long line,
				asc_error *err)
{
	if (!json_is_object(root)) {
		fail(err, ASC_ERR_INPUT, file, line, "not ascribe JSON: %s is not an object",
		     line ? "the line" : "the file");
		return ASC_ERR_INPUT;
	}
	const char *version = json_string_value(json_object_get(root, "ascribe"));
	if (!version) {
		fail(err, ASC_ERR_INPUT, file, line,
		     "not ascribe JSON: no \"ascribe\" schema version (give raw articles with "
		     "--annotate)");
		return ASC_ERR_INPUT;
	}
	char *end;
	long major = strtol(version, &end, 10);
	long ours = strtol(ASC_SCHEMA_VERSION, NULL, 10);
	if (end == version || (*end && *end != '.') || major != ours) {
		fail(err, ASC_ERR_SCHEMA, file, line,
		     "schema version \"%s\" is not supported: this ascribe reads %ld.x "
		     "(annotate the articles again with this version)", version, ours);
		return ASC_ERR_SCHEMA;
	}
	json_t *docinfo = json_object_get(root, "document");
	long length = get_long(docinfo, "length", -1);
	json_t *error = json_object_get(root, "error");
	if (error) {
		const char *id = json_string_value(json_object_get(docinfo, "id"));
		const char *msg = json_string_value(json_object_get(error, "message"));
		char where[600];
		snprintf(where, sizeof where, line ? "%s:%ld" : "%s", file, line);
		diff_note(d, "%s: an error record%s%s was skipped: %s", where, id ? " for " : "",
			  id ? id : "", msg ? msg : "no message");
		return ASC_OK;
	}
	json_t *sentences = json_object_get(root, "sentences");
	if (!json_is_array(sentences)) {
		fail(err, ASC_ERR_INPUT, file, line, "not ascribe JSON: no \"sentences\" array");
		return ASC_ERR_INPUT;
	}

	int docno = (int)d->docs.len;
	struct diff_document *doc = array_push(&d->docs);
	doc->file = xstrdup(file);
	doc->line = line;
	doc->schema = xstrdup(version);
	doc->id = dup_string(json_object_get(docinfo, "id"));
	doc->outlet = dup_string(json_object_get(docinfo, "outlet"));
	doc->title = dup_string(json_object_get(docinfo, "title"));
	doc->source = dup_string(json_object_get(docinfo, "source"));
	doc->nsentences = json_array_size(sentences);
	doc->first_claim = d->claims.len;

	size_t ninfo = doc->nsentences;
	struct sentence_info *info = xcalloc(ninfo ? ninfo : 1, sizeof *info);
	for (size_t i = 0; i < ninfo; i++)
		info[i].content_start = info[i].content_end = -1;
	json_t *attrs = json_object_get(root, "attributions");
	size_t ai;
	json_t *a;
	json_array_foreach(attrs, ai, a) {
		long si = get_long(a, "sentence", -1);
		if (si < 0 || (size_t)si >= ninfo)
			continue;
		struct sentence_info *in = &info[si];
		add_span(&in->skip, json_object_get(a, "source"));
		add_span(&in->skip, json_object_get(a, "cue"));
		add_span(&in->skip, json_object_get(json_object_get(a, "cue"), "second"));
		add_span(&in->skip, json_object_get(a, "outlet"));
		if (in->type)
			continue;
		in->type = json_string_value(json_object_get(a, "type"));
		if (!in->type)
			in->type = "reported";
		read_span(json_object_get(a, "content"), length, &in->content_start,
			  &in->content_end);
	}

	XXH64_state_t *h = XXH64_createState();
	XXH64_reset(h, 0);
	size_t si;
	json_t *s;
	json_array_foreach(sentences, si, s) {
		if (!json_is_object(s))
			continue;
		const char *text = json_string_value(json_object_get(s, "text"));
		if (text)
			XXH64_update(h, text, strlen(text) + 1);
		read_claim(d, &d->docs.items[docno], docno, length, s, si, info, ninfo);
	}
	d->docs.items[docno].text_hash = XXH64_digest(h);
	XXH64_freeState(h);
	for (size_t i = 0; i < ninfo; i++)
		array_free(&info[i].skip);
	free(info);
	d->computed = false;
	return ASC_OK;
}

asc_status asc_diff_add_json(asc_diff *d, const char *json, size_t len, const char *file,
			     asc_error *err)
{
	if (!file)
		file = "-";
	size_t pos = 0;
	long line = 1;
	size_t values = 0;
	/* one object, or JSON Lines: values one after another */
	for (;;) {
		while (pos < len && (json[pos] == ' ' || json[pos] == '\t' || json[pos] == '\r' ||
				     json[pos] == '\n')) {
			if (json[pos] == '\n')
				line++;
			pos++;
		}
		if (pos >= len)
			break;
		json_error_t jerr;
		json_t *root = json_loadb(json + pos, len - pos, JSON_DISABLE_EOF_CHECK, &jerr);
		if (!root) {
			fail(err, ASC_ERR_INPUT, file, line + jerr.line - 1, "not ascribe JSON: %s",
			     jerr.text);
			if (err && jerr.column > 0)
				err->column = jerr.column;
			return ASC_ERR_INPUT;
		}
		values++;
		size_t rest = pos + jerr.position;
		while (rest < len && (json[rest] == ' ' || json[rest] == '\t' || json[rest] == '\r' ||
				      json[rest] == '\n'))
			rest++;
		bool jsonl = values > 1 || rest < len;
		asc_status st = read_document(d, root, file, jsonl ? line : 0, err);
		json_decref(root);
		if (st != ASC_OK)
			return st;
		for (size_t i = pos; i < pos + jerr.position; i++)
			if (json[i] == '\n')
				line++;
		pos += jerr.position;
	}
	if (!values) {
		fail(err, ASC_ERR_INPUT, file, 0, "not ascribe JSON: the file is empty");
		return ASC_ERR_INPUT;
	}
	return ASC_OK;
}

asc_status asc_diff_add_doc(asc_diff *d, const asc_doc *doc, const char *file, asc_error *err)
{
	char *json = asc_doc_to_json(doc, 1);
	if (!json) {
		fail(err, ASC_ERR_NOMEM, file, 0, "out of memory");
		return ASC_ERR_NOMEM;
	}
	asc_status st = asc_diff_add_json(d, json, strlen(json), file, err);
	free(json);
	return st;
}

size_t asc_diff_document_count(const asc_diff *d)
{
	return d->docs.len;
}

/* ---- life --------------------------------------------------------------- */

asc_diff *asc_diff_new(const asc_rules *rules)
{
	asc_diff *d = xcalloc(1, sizeof *d);
	d->rules = rules;
	d->threshold = ASC_DIFF_THRESHOLD;
	d->width = 100;
	d->stemmer = sb_stemmer_new("english", NULL);
	return d;
}

void asc_diff_set_threshold(asc_diff *d, double threshold)
{
	d->threshold = threshold;
	d->computed = false;
}

void asc_diff_set_width(asc_diff *d, int columns)
{
	d->width = columns < 60 ? 60 : columns;
}

size_t asc_diff_warning_count(const asc_diff *d)
{
	return d->warnings.len;
}

const char *asc_diff_warning(const asc_diff *d, size_t i)
{
	return i < d->warnings.len ? d->warnings.items[i] : NULL;
}

void asc_diff_free(asc_diff *d)
{
	if (!d)
		return;
	sb_stemmer_delete(d->stemmer);
	for (size_t i = 0; i < d->docs.len; i++) {
		struct diff_document *doc = &d->docs.items[i];
		free(doc->file);
		free(doc->id);
		free(doc->outlet);
		free(doc->title);
		free(doc->source);
		free(doc->schema);
		free(doc->label);
	}
	array_free(&d->docs);
	for (size_t i = 0; i < d->claims.len; i++) {
		struct diff_claim *c = &d->claims.items[i];
		free(c->text);
		free(c->speaker);
		free(c->role);
		array_free(&c->terms);
	}
	array_free(&d->claims);
	for (size_t i = 0; i < d->mentions.len; i++) {
		free(d->mentions.items[i].name);
		free(d->mentions.items[i].role);
		free(d->mentions.items[i].type);
	}
	array_free(&d->mentions);
	for (size_t i = 0; i < d->voices.len; i++) {
		free(d->voices.items[i].name);
		free(d->voices.items[i].type);
		array_free(&d->voices.items[i].mentions);
		free(d->voices.items[i].counts);
	}
	array_free(&d->voices);
	array_free(&d->pairs);
	for (size_t i = 0; i < d->warnings.len; i++)
		free(d->warnings.items[i]);
	array_free(&d->warnings);
	for (size_t i = 0; i < d->notes.len; i++)
		free(d->notes.items[i]);
	array_free(&d->notes);
	strmap_free(&d->terms);
	array_free(&d->df);
	free(d);
}
