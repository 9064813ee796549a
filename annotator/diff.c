/* diff.c - `ascribe diff`: voices merged across name variants, claims
 * aligned between documents, the differences that matter within each
 * aligned pair, and a sourcing profile per document.  docs/diff.md gives
 * the measure, the threshold and the limits.
 *
 * Everything is sorted by stable keys (document order as given, sentence
 * index, names), so the result is the same whatever the order of work. */
#include "diff.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "rules.h"

/* ---- names ---------------------------------------------------------------
 *
 * A person's key is the words of the name with titles, nationality words,
 * role words, lower-case particles and initials stripped, case-folded:
 * "Russian Foreign Minister Sergei Lavrov" and "Sergei Lavrov" both give
 * {sergei, lavrov}, and "Lavrov" gives {lavrov}. */

typedef ARRAY(char *) word_list;

static void words_free(word_list *w)
{
	for (size_t i = 0; i < w->len; i++)
		free(w->items[i]);
	array_free(w);
}

static void split_words(const char *s, word_list *out)
{
	if (!s)
		return;
	while (*s) {
		while (*s == ' ' || *s == ',')
			s++;
		const char *e = s;
		while (*e && *e != ' ' && *e != ',')
			e++;
		if (e > s)
			*array_push(out) = xstrndup(s, (size_t)(e - s));
		s = e;
	}
}

static char *fold(const char *s)
{
	buf b = { 0 };
	utf8_lower(&b, s, strlen(s));
	return b.data ? buf_detach(&b) : xstrdup("");
}

static bool in_title_lexicons(const asc_rules *rules, const char *s, size_t n)
{
	if (!rules)
		return false;
	return lexicon_has(rules->lex.title, s, n) || lexicon_has(rules->lex.nationality, s, n);
}

/* The leading words of w (up to four) that form a title or nationality. */
static size_t title_prefix(const asc_rules *rules, const word_list *w, size_t from)
{
	buf b = { 0 };
	size_t best = 0;
	for (size_t k = 1; k <= 4 && from + k <= w->len; k++) {
		if (k > 1)
			buf_addc(&b, ' ');
		buf_adds(&b, w->items[from + k - 1]);
		if (in_title_lexicons(rules, b.data, b.len))
			best = k;
	}
	buf_free(&b);
	return best;
}

static void name_key(const asc_rules *rules, const char *name, const char *role,
		     word_list *key)
{
	word_list w = { 0 }, r = { 0 };
	split_words(name, &w);
	split_words(role, &r);
	size_t i = 0;
	for (size_t k; i < w.len && (k = title_prefix(rules, &w, i)) > 0;)
		i += k;
	for (; i < w.len; i++) {
		const char *t = w.items[i];
		int32_t cp;
		utf8_decode((const unsigned char *)t, strlen(t), &cp);
		size_t n = strlen(t);
		bool initial = n <= 3 && t[n - 1] == '.';
		bool last = i + 1 == w.len;
		bool in_role = false;
		for (size_t j = 0; !last && j < r.len; j++)
			if (!strcasecmp(r.items[j], t))
				in_role = true;
		if (!last && (!cp_is_upper(cp) || initial || in_role))
			continue;
		*array_push(key) = fold(t);
	}
	if (!key->len)
		for (size_t j = 0; j < w.len; j++)
			*array_push(key) = fold(w.items[j]);
	words_free(&w);
	words_free(&r);
}

static bool key_has(const word_list *k, const char *t)
{
	for (size_t i = 0; i < k->len; i++)
		if (!strcmp(k->items[i], t))
			return true;
	return false;
}

/* Same surname, and one key's words all in the other. */
static bool keys_compatible(const word_list *a, const word_list *b)
{
	if (!a->len || !b->len || strcmp(a->items[a->len - 1], b->items[b->len - 1]))
		return false;
	const word_list *small = a->len <= b->len ? a : b, *big = small == a ? b : a;
	for (size_t i = 0; i < small->len; i++)
		if (!key_has(big, small->items[i]))
			return false;
	return true;
}

bool diff_same_person(const asc_rules *rules, const char *name_a, const char *role_a,
		      const char *name_b, const char *role_b)
{
	word_list a = { 0 }, b = { 0 };
	name_key(rules, name_a, role_a, &a);
	name_key(rules, name_b, role_b, &b);
	bool same = keys_compatible(&a, &b);
	words_free(&a);
	words_free(&b);
	return same;
}

/* Key of an organisation, outlet or group: its words case-folded, without
 * a leading article. */
static char *group_key(const char *name)
{
	char *k = fold(name);
	if (!strncmp(k, "the ", 4))
		memmove(k, k + 4, strlen(k + 4) + 1);
	return k;
}

struct mention_order {
	int mention;
	size_t words;
	const char *name;
	int doc;
};

static int mention_order_cmp(const void *x, const void *y)
{
	const struct mention_order *a = x, *b = y;
	if (a->words != b->words)
		return a->words > b->words ? -1 : 1;
	int c = strcmp(a->name, b->name);
	if (c)
		return c;
	if (a->doc != b->doc)
		return a->doc < b->doc ? -1 : 1;
	return a->mention - b->mention;
}

static int new_voice(asc_diff *d, const struct diff_mention *m)
{
	struct diff_voice *v = array_push(&d->voices);
	v->name = xstrdup(m->name);
	v->type = xstrdup(m->type);
	v->anonymous = m->anonymous;
	v->counts = xcalloc(d->docs.len, sizeof *v->counts);
	return (int)(d->voices.len - 1);
}

static void join_voice(asc_diff *d, int voice, int mention)
{
	struct diff_voice *v = &d->voices.items[voice];
	struct diff_mention *m = &d->mentions.items[mention];
	m->voice = voice;
	*array_push(&v->mentions) = mention;
	if (!v->counts[m->doc])
		v->documents++;
	v->counts[m->doc] += m->count;
	v->total += m->count;
	/* the fullest variant names the voice */
	size_t ln = strlen(m->name), lv = strlen(v->name);
	if (ln > lv || (ln == lv && strcmp(m->name, v->name) < 0)) {
		free(v->name);
		v->name = xstrdup(m->name);
	}
}

static int int_cmp(const void *a, const void *b)
{
	int x = *(const int *)a, y = *(const int *)b;
	return (x > y) - (x < y);
}

static int voice_cmp_ctx_total(const struct diff_voice *a, const struct diff_voice *b)
{
	if (a->total != b->total)
		return a->total > b->total ? -1 : 1;
	int c = strcmp(a->name, b->name);
	if (c)
		return c;
	return strcmp(a->type, b->type);
}

static int voice_cmp(const void *x, const void *y)
{
	return voice_cmp_ctx_total(x, y);
}

/* Merges the mentions of every document into voices, longest key first: a
 * short form joins the one longer name it fits ("Lavrov" joins "Sergei
 * Lavrov"; "the union" joins "the workers' union") and stays apart when it
 * fits several ("Lavrov" beside "Sergei Lavrov" and "Anna Lavrov").
 * Anonymous sources merge only when their words are the same. */
static void merge_voices(asc_diff *d)
{
	size_t n = d->mentions.len;
	word_list *keys = xcalloc(n ? n : 1, sizeof *keys);
	char **gkeys = xcalloc(n ? n : 1, sizeof *gkeys);
	struct mention_order *order = xcalloc(n ? n : 1, sizeof *order);
	for (size_t i = 0; i < n; i++) {
		struct diff_mention *m = &d->mentions.items[i];
		bool person = !strcmp(m->type, "person") && !m->anonymous;
		if (person) {
			name_key(d->rules, m->name, m->role, &keys[i]);
		} else if (!m->anonymous) {
			char *k = group_key(m->name);
			split_words(k, &keys[i]);
			free(k);
		} else {
			gkeys[i] = group_key(m->name);
		}
		order[i] = (struct mention_order){ (int)i, keys[i].len, m->name, m->doc };
	}
	qsort(order, n, sizeof *order, mention_order_cmp);
	int_list rep = { 0 };   /* per voice: the mention whose key stands for it */
	for (size_t o = 0; o < n; o++) {
		int i = order[o].mention;
		struct diff_mention *m = &d->mentions.items[i];
		int found = -1, fits = 0;
		for (size_t v = 0; v < rep.len; v++) {   /* one rep per voice */
			const struct diff_mention *r = &d->mentions.items[rep.items[v]];
			if (strcmp(r->type, m->type) || r->anonymous != m->anonymous)
				continue;
			bool same = gkeys[i] ? !strcmp(gkeys[i], gkeys[rep.items[v]])
					     : keys_compatible(&keys[i], &keys[rep.items[v]]);
			if (same) {
				if (found < 0)
					found = (int)v;
				fits++;
			}
		}
		if (fits > 1)
			diff_warn(d, "voice \"%s\" fits several people and is kept apart", m->name);
		if (fits != 1) {
			found = new_voice(d, m);
			*array_push(&rep) = i;
		}
		join_voice(d, found, i);
	}
	for (size_t i = 0; i < n; i++) {
		words_free(&keys[i]);
		free(gkeys[i]);
	}
	free(keys);
	free(gkeys);
	free(order);
	array_free(&rep);

	/* stable order: most quoted first, then by name */
	if (d->voices.len)
		qsort(d->voices.items, d->voices.len, sizeof *d->voices.items, voice_cmp);
	for (size_t v = 0; v < d->voices.len; v++) {
		struct diff_voice *vo = &d->voices.items[v];
		qsort(vo->mentions.items, vo->mentions.len, sizeof(int), int_cmp);
		for (size_t k = 0; k < vo->mentions.len; k++)
			d->mentions.items[vo->mentions.items[k]].voice = (int)v;
	}
	for (size_t c = 0; c < d->claims.len; c++) {
		struct diff_claim *cl = &d->claims.items[c];
		cl->voice = cl->mention >= 0 ? d->mentions.items[cl->mention].voice : -1;
	}
}

/* ---- similarity -----------------------------------------------------------
 *
 * Each claim is a set of stems weighted by idf = ln(1 + N / df) over the N
 * claims compared, times 2 for numbers and 1.5 for capitalised words past
 * the first.  Similarity is the cosine of two such vectors. */

double diff_similarity(const struct diff_claim *a, const struct diff_claim *b)
{
	if (a->norm <= 0 || b->norm <= 0)
		return 0;
	double dot = 0;
	size_t i = 0, j = 0;
	while (i < a->terms.len && j < b->terms.len) {
		uint32_t x = a->terms.items[i].id, y = b->terms.items[j].id;
		if (x == y)
			dot += (double)a->terms.items[i++].weight * b->terms.items[j++].weight;
		else if (x < y)
			i++;
		else
			j++;
	}
	return dot / (a->norm * b->norm);
}

static void weigh_terms(asc_diff *d)
{
	for (size_t t = 0; t < d->df.len; t++)
		d->df.items[t] = 0;
	for (size_t c = 0; c < d->claims.len; c++) {
		struct diff_claim *cl = &d->claims.items[c];
		for (size_t k = 0; k < cl->terms.len; k++)
			d->df.items[cl->terms.items[k].id]++;
	}
	double n = (double)d->claims.len;
	for (size_t c = 0; c < d->claims.len; c++) {
		struct diff_claim *cl = &d->claims.items[c];
		double sum = 0;
		for (size_t k = 0; k < cl->terms.len; k++) {
			struct diff_term *t = &cl->terms.items[k];
			double w = t->boost * log(1.0 + n / d->df.items[t->id]);
			t->weight = (float)w;
			sum += (double)t->weight * t->weight;
		}
		cl->norm = sqrt(sum);
	}
}

/* ---- alignment -------------------------------------------------------------
 *
 * Candidates come from an inverted index over the terms: two claims are
 * scored only when they share a term held by at most max_df claims (the
 * common terms of a story add to a score but never make a candidate), so the
 * work grows with the pairs that share rare words, not with every pair.  Pairs
 * at or over the threshold are then matched one to one per pair of
 * documents, best first. */

static int pair_cmp_score(const void *x, const void *y)
{
	const struct diff_pair *a = x, *b = y;
	if (a->similarity != b->similarity)
		return a->similarity > b->similarity ? -1 : 1;
	if (a->a != b->a)
		return a->a < b->a ? -1 : 1;
	return (a->b > b->b) - (a->b < b->b);
}

static int pair_cmp_place(const void *x, const void *y, void *ctx)
{
	const asc_diff *d = ctx;
	const struct diff_pair *a = x, *b = y;
	const struct diff_claim *aa = &d->claims.items[a->a], *ba = &d->claims.items[b->a];
	const struct diff_claim *ab = &d->claims.items[a->b], *bb = &d->claims.items[b->b];
	if (aa->doc != ba->doc)
		return aa->doc < ba->doc ? -1 : 1;
	if (ab->doc != bb->doc)
		return ab->doc < bb->doc ? -1 : 1;
	if (a->a != b->a)
		return a->a < b->a ? -1 : 1;
	return (a->b > b->b) - (a->b < b->b);
}

static unsigned differences(const struct diff_claim *a, const struct diff_claim *b)
{
	unsigned diff = 0;
	if (a->label != b->label && a->label != CLAIM_NONE && b->label != CLAIM_NONE)
		diff |= DIFF_LABEL;
	if (a->sourcing != b->sourcing)
		diff |= DIFF_SOURCING;
	if (a->sourcing == SRC_NAMED && b->sourcing == SRC_NAMED && a->voice != b->voice)
		diff |= DIFF_SPEAKER;
	if ((a->mode == MODE_QUOTE) != (b->mode == MODE_QUOTE))
		diff |= DIFF_QUOTE;
	return diff;
}

/* Headlines are aligned with headlines only: a headline restates the lead,
 * and pairing it with a body sentence would take that sentence's place in
 * the one-to-one match. */
static bool headline(const struct diff_claim *c)
{
	return !strcmp(c->kind, "headline");
}

static void align(asc_diff *d)
{
	size_t n = d->claims.len, nd = d->docs.len;
	d->pairs.len = 0;
	d->candidates = 0;
	if (nd < 2 || !n)
		return;
	/* postings: the claims of every term, in claim order */
	size_t nt = d->df.len;
	size_t *start = xcalloc(nt + 1, sizeof *start);
	for (size_t t = 0; t < nt; t++)
		start[t + 1] = start[t] + (size_t)d->df.items[t];
	int *post = xmalloc((start[nt] ? start[nt] : 1) * sizeof *post);
	size_t *fill = xmalloc((nt ? nt : 1) * sizeof *fill);
	memcpy(fill, start, nt * sizeof *fill);
	for (size_t c = 0; c < n; c++) {
		const struct diff_claim *cl = &d->claims.items[c];
		for (size_t k = 0; k < cl->terms.len; k++)
			post[fill[cl->terms.items[k].id]++] = (int)c;
	}
	free(fill);
	size_t max_df = n / 10 > 32 ? n / 10 : 32;

	ARRAY(struct diff_pair) cand = { 0 };
	unsigned char *seen = xcalloc(n, 1);
	int_list touched = { 0 };
	for (size_t c = 0; c < n; c++) {
		const struct diff_claim *cl = &d->claims.items[c];
		touched.len = 0;
		for (size_t k = 0; k < cl->terms.len; k++) {
			uint32_t t = cl->terms.items[k].id;
			if ((size_t)d->df.items[t] > max_df)
				continue;
			for (size_t p = start[t]; p < start[t + 1]; p++) {
				int o = post[p];
				const struct diff_claim *other = &d->claims.items[o];
				if (other->doc <= cl->doc || seen[o] || headline(other) != headline(cl))
					continue;
				seen[o] = 1;
				*array_push(&touched) = o;
			}
		}
		for (size_t k = 0; k < touched.len; k++) {
			int o = touched.items[k];
			seen[o] = 0;
			d->candidates++;
			double s = diff_similarity(cl, &d->claims.items[o]);
			if (s >= d->threshold) {
				struct diff_pair *p = array_push(&cand);
				p->a = (int)c;
				p->b = o;
				p->similarity = s;
			}
		}
	}
	free(seen);
	array_free(&touched);
	free(start);
	free(post);

	/* one to one per pair of documents, best first */
	if (cand.len)
		qsort(cand.items, cand.len, sizeof *cand.items, pair_cmp_score);
	unsigned char *taken = xcalloc(n * nd, 1);
	for (size_t i = 0; i < cand.len; i++) {
		struct diff_pair *p = &cand.items[i];
		struct diff_claim *a = &d->claims.items[p->a], *b = &d->claims.items[p->b];
		if (taken[(size_t)p->a * nd + (size_t)b->doc] || taken[(size_t)p->b * nd + (size_t)a->doc])
			continue;
		taken[(size_t)p->a * nd + (size_t)b->doc] = 1;
		taken[(size_t)p->b * nd + (size_t)a->doc] = 1;
		a->shared = b->shared = true;
		p->differences = differences(a, b);
		*array_push(&d->pairs) = *p;
	}
	free(taken);
	array_free(&cand);
	if (d->pairs.len)
		qsort_r(d->pairs.items, d->pairs.len, sizeof *d->pairs.items, pair_cmp_place, d);
}

/* ---- documents -------------------------------------------------------- */

/* A short name per document, unique in the diff: the outlet, else the id,
 * else the file name without extension; a repeated one gets " #2", " #3". */
static void label_documents(asc_diff *d)
{
	size_t n = d->docs.len;
	char **base = xcalloc(n, sizeof *base);
	for (size_t i = 0; i < n; i++) {
		const struct diff_document *doc = &d->docs.items[i];
		if (doc->outlet && *doc->outlet) {
			base[i] = xstrdup(doc->outlet);
		} else if (doc->id && *doc->id) {
			base[i] = xstrdup(doc->id);
		} else {
			const char *b = strrchr(doc->file, '/');
			base[i] = xstrdup(b ? b + 1 : doc->file);
			char *dot = strrchr(base[i], '.');
			if (dot && dot != base[i])
				*dot = '\0';
		}
	}
	for (size_t i = 0; i < n; i++) {
		int same = 1;
		for (size_t j = 0; j < i; j++)
			same += !strcmp(base[i], base[j]);
		buf b = { 0 };
		buf_adds(&b, base[i]);
		if (same > 1)
			buf_printf(&b, " #%d", same);
		free(d->docs.items[i].label);
		d->docs.items[i].label = buf_detach(&b);
	}
	for (size_t i = 0; i < n; i++)
		free(base[i]);
	free(base);
}

static void profile_documents(asc_diff *d)
{
	for (size_t i = 0; i < d->docs.len; i++)
		d->docs.items[i].voices = d->docs.items[i].named_voices = 0;
	for (size_t v = 0; v < d->voices.len; v++) {
		const struct diff_voice *vo = &d->voices.items[v];
		for (size_t i = 0; i < d->docs.len; i++) {
			if (!vo->counts[i])
				continue;
			d->docs.items[i].voices++;
			if (!vo->anonymous)
				d->docs.items[i].named_voices++;
		}
	}
}

static void warn_documents(asc_diff *d)
{
	const char *first = d->docs.items[0].schema;
	for (size_t i = 1; i < d->docs.len; i++)
		if (strcmp(d->docs.items[i].schema, first)) {
			diff_warn(d, "the documents carry schema versions %s (%s) and %s (%s); "
				  "members the older one lacks are not compared", first,
				  d->docs.items[0].label, d->docs.items[i].schema,
				  d->docs.items[i].label);
			break;
		}
	if (d->docs.len == 1)
		diff_warn(d, "only one document (%s): nothing to compare, every claim is its own",
			  d->docs.items[0].label);
	for (size_t i = 0; i < d->docs.len; i++)
		for (size_t j = i + 1; j < d->docs.len; j++)
			if (d->docs.items[i].text_hash == d->docs.items[j].text_hash &&
			    d->docs.items[i].nsentences == d->docs.items[j].nsentences)
				diff_warn(d, "%s and %s have the same sentences", d->docs.items[i].label,
					  d->docs.items[j].label);
}

asc_status asc_diff_compute(asc_diff *d, asc_error *err)
{
	if (!d->docs.len) {
		if (err) {
			memset(err, 0, sizeof *err);
			err->status = ASC_ERR_INPUT;
			err->offset = -1;
			snprintf(err->message, sizeof err->message, "no document to compare");
		}
		return ASC_ERR_INPUT;
	}
	if (d->computed)
		return ASC_OK;
	/* a second compute starts from the read state */
	for (size_t i = 0; i < d->voices.len; i++) {
		free(d->voices.items[i].name);
		free(d->voices.items[i].type);
		array_free(&d->voices.items[i].mentions);
		free(d->voices.items[i].counts);
	}
	d->voices.len = 0;
	for (size_t c = 0; c < d->claims.len; c++)
		d->claims.items[c].shared = false;
	for (size_t i = 0; i < d->warnings.len; i++)
		free(d->warnings.items[i]);
	d->warnings.len = 0;
	for (size_t i = 0; i < d->notes.len; i++)
		*array_push(&d->warnings) = xstrdup(d->notes.items[i]);
	label_documents(d);
	merge_voices(d);
	profile_documents(d);
	weigh_terms(d);
	align(d);
	warn_documents(d);
	d->computed = true;
	return ASC_OK;
}

void asc_diff_stats(const asc_diff *d, size_t *claims, size_t *candidates, size_t *all_pairs)
{
	if (claims)
		*claims = d->claims.len;
	if (candidates)
		*candidates = d->candidates;
	if (all_pairs) {
		size_t n = d->claims.len, same = 0;
		for (size_t i = 0; i < d->docs.len; i++)
			same += d->docs.items[i].nclaims * d->docs.items[i].nclaims;
		*all_pairs = (n * n - same) / 2;
	}
}
