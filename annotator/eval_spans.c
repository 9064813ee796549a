/* eval_spans.c - scoring attribution spans (docs/attribution.md) against
 * the gold "attributions" of an article.
 *
 * Spans are compared as sets of tokens: maximal runs of letters, marks and
 * digits, so white space, punctuation and quote marks at the edges (or
 * between the pieces) of a span never decide a match.  Gold and system
 * attributions are first aligned one to one, the pairs that share the most
 * cue and content tokens first.  Then, per role, an aligned pair is an exact
 * match when both spans hold the same tokens, and counts partially with the
 * share of tokens they have in common (that share of the system span towards
 * precision, of the gold span towards recall).  A role present on one side
 * only, and every role of an attribution left unaligned, counts against the
 * side that has it. */
#include "eval_spans.h"

#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>

enum { MAX_PIECES = 32 };

struct role {
	int n;                          /* pieces; 0: the role is absent */
	struct { long s, e; } p[MAX_PIECES];
	const char *name;               /* source: the entity it resolves to */
	bool pronoun;
};

struct attr {
	struct role r[3];               /* source, cue, content */
	bool taken;
};

const char *const span_field_names[SF_COUNT] = {
	"source-exact", "source-partial", "cue-exact", "cue-partial",
	"content-exact", "content-partial", "triple-exact", "triple-partial",
};

static const char *const role_keys[3] = { "source", "cue", "content" };

static const char *const pronouns[] = {
	"he", "she", "they", "we", "i", "you", "it", "him", "her", "them", "us",
	"his", "their", "its", NULL
};

/* Token index of every code point of the text: -1 for white space, -2 for
 * punctuation and other marks. */
struct tokens {
	long *at;
	size_t *byte;  /* byte offset of each code point, and of the end */
	long n;        /* code points */
};

static void tokens_init(struct tokens *t, const char *text, size_t len)
{
	t->at = malloc((len + 1) * sizeof *t->at);
	t->byte = malloc((len + 1) * sizeof *t->byte);
	t->n = 0;
	long tok = -1;
	bool in = false;
	size_t i = 0;
	while (t->at && t->byte && i < len) {
		utf8proc_int32_t cp;
		utf8proc_ssize_t k = utf8proc_iterate((const utf8proc_uint8_t *)text + i,
						      (utf8proc_ssize_t)(len - i), &cp);
		if (k <= 0) {
			k = 1;
			cp = 0xFFFD;
		}
		utf8proc_category_t c = utf8proc_category(cp);
		bool word = (c >= UTF8PROC_CATEGORY_LU && c <= UTF8PROC_CATEGORY_ND) ||
			    c == UTF8PROC_CATEGORY_NL || c == UTF8PROC_CATEGORY_NO;
		if (word && !in)
			tok++;
		in = word;
		t->byte[t->n] = i;
		t->at[t->n++] = word ? tok : utf8proc_category(cp) >= UTF8PROC_CATEGORY_ZS &&
						     utf8proc_category(cp) <= UTF8PROC_CATEGORY_ZP ? -1 :
				cp == ' ' || cp == '\t' || cp == '\n' || cp == '\r' ? -1 : -2;
		i += (size_t)k;
	}
	if (t->byte)
		t->byte[t->n] = i;
}

static void add_piece(struct role *r, json_t *start, json_t *end)
{
	if (!json_is_integer(start) || !json_is_integer(end) || r->n == MAX_PIECES)
		return;
	r->p[r->n].s = (long)json_integer_value(start);
	r->p[r->n].e = (long)json_integer_value(end);
	r->n++;
}

/* A role of a gold ("spans") or system ("pieces", or start/end with an
 * optional "second" part) attribution. */
static void read_role(struct role *r, json_t *o, int role)
{
	memset(r, 0, sizeof *r);
	if (!json_is_object(o))
		return;
	json_t *list = json_object_get(o, "spans");
	if (!list)
		list = json_object_get(o, "pieces");
	if (json_is_array(list)) {
		for (size_t i = 0; i < json_array_size(list); i++) {
			json_t *pc = json_array_get(list, i);
			add_piece(r, json_array_get(pc, 0), json_array_get(pc, 1));
		}
	} else {
		add_piece(r, json_object_get(o, "start"), json_object_get(o, "end"));
		json_t *second = json_object_get(o, "second");
		if (second)
			add_piece(r, json_object_get(second, "start"), json_object_get(second, "end"));
	}
	if (role == 0) {
		json_t *name = json_object_get(o, "resolves");
		if (!json_is_string(name))
			name = json_object_get(o, "name");
		r->name = json_string_value(name);
		const char *text = json_string_value(json_object_get(o, "text"));
		for (int i = 0; text && pronouns[i]; i++)
			if (!strcasecmp(text, pronouns[i]))
				r->pronoun = true;
	}
}

static size_t read_attrs(json_t *list, struct attr **out)
{
	size_t n = json_array_size(list);
	*out = calloc(n ? n : 1, sizeof **out);
	for (size_t i = 0; *out && i < n; i++)
		for (int k = 0; k < 3; k++)
			read_role(&(*out)[i].r[k],
				  json_object_get(json_array_get(list, i), role_keys[k]), k);
	return *out ? n : 0;
}

static int cmp_long(const void *a, const void *b)
{
	long x = *(const long *)a, y = *(const long *)b;
	return (x > y) - (x < y);
}

/* The tokens of a role, sorted, without repeats.  A span of punctuation
 * only (a headline colon, a dash) is made of its characters instead, each a
 * token of its own, numbered after the words. */
static long role_tokens(const struct tokens *t, const struct role *r, long ntok, long **out)
{
	long total = 0;
	for (int i = 0; i < r->n; i++)
		if (r->p[i].e > r->p[i].s)
			total += r->p[i].e - r->p[i].s;
	long *ids = malloc((size_t)(total ? total : 1) * sizeof *ids), n = 0;
	for (int pass = 0; ids && pass < 2 && !n; pass++)
		for (int i = 0; i < r->n; i++)
			for (long c = r->p[i].s > 0 ? r->p[i].s : 0; c < r->p[i].e && c < t->n; c++) {
				if (pass == 0 && t->at[c] >= 0)
					ids[n++] = t->at[c];
				else if (pass == 1 && t->at[c] == -2)
					ids[n++] = ntok + c;
			}
	if (n > 1)
		qsort(ids, (size_t)n, sizeof *ids, cmp_long);
	long u = 0;
	for (long i = 0; i < n; i++)
		if (!u || ids[u - 1] != ids[i])
			ids[u++] = ids[i];
	*out = ids;
	return u;
}

/* Tokens of role a, of role b, and of both. */
static void overlap(const struct tokens *t, long ntok, const struct role *a,
		    const struct role *b, long *na, long *nb, long *both)
{
	long *x = NULL, *y = NULL;
	*na = role_tokens(t, a, ntok, &x);
	*nb = role_tokens(t, b, ntok, &y);
	*both = 0;
	for (long i = 0, j = 0; i < *na && j < *nb;) {
		if (x[i] == y[j]) {
			(*both)++;
			i++;
			j++;
		} else if (x[i] < y[j]) {
			i++;
		} else {
			j++;
		}
	}
	free(x);
	free(y);
}

/* Prints a role's pieces as text, joined by " … ". */
static void print_role(FILE *out, const char *label, const struct tokens *t, const char *text,
		       const struct role *r)
{
	fprintf(out, "    %-8s", label);
	if (!r || !r->n)
		fputs("-", out);
	for (int i = 0; r && i < r->n; i++) {
		long s = r->p[i].s < 0 ? 0 : r->p[i].s, e = r->p[i].e > t->n ? t->n : r->p[i].e;
		if (e > s)
			fprintf(out, "%s%.*s", i ? " … " : "", (int)(t->byte[e] - t->byte[s]),
				text + t->byte[s]);
	}
	if (r && r->name)
		fprintf(out, "  [%s]", r->name);
	fputc('\n', out);
}

static void show_pair(FILE *out, const char *id, const struct tokens *t, const char *text,
		      const struct attr *g, const struct attr *s)
{
	fprintf(out, "%s: %s\n", id, !g ? "spurious attribution" : !s ? "missed attribution" :
		     "attribution differs");
	static const char *const names[3] = { "source", "cue", "content" };
	for (int k = 0; k < 3; k++) {
		if (g) {
			char label[16];
			snprintf(label, sizeof label, "%s", names[k]);
			print_role(out, label, t, text, &g->r[k]);
		}
		if (s) {
			fprintf(out, "  ");
			print_role(out, g ? "  got" : names[k], t, text, &s->r[k]);
		}
	}
}

void spans_score(const char *text, size_t len, json_t *gold, json_t *sys, struct span_score *sc,
		 FILE *show, const char *id)
{
	struct tokens t;
	tokens_init(&t, text, len);
	long ntok = 0;
	for (long i = 0; i < t.n; i++)
		if (t.at[i] >= ntok)
			ntok = t.at[i] + 1;
	struct attr *g = NULL, *s = NULL;
	size_t ng = read_attrs(gold, &g), ns = read_attrs(sys, &s);
	if (!t.at || !t.byte || !g || !s)
		goto out;
	sc->documents++;
	sc->gold_attributions += (long)ng;
	sc->sys_attributions += (long)ns;

	/* align: repeatedly take the pair sharing the most cue and content
	 * tokens */
	long *pair = malloc((ng ? ng : 1) * sizeof *pair);
	for (size_t i = 0; pair && i < ng; i++)
		pair[i] = -1;
	for (;;) {
		long best = 0;
		size_t bi = 0, bj = 0;
		for (size_t i = 0; pair && i < ng; i++) {
			if (pair[i] >= 0)
				continue;
			for (size_t j = 0; j < ns; j++) {
				if (s[j].taken)
					continue;
				long score = 0, na, nb, both;
				for (int k = 1; k < 3; k++) {
					overlap(&t, ntok, &g[i].r[k], &s[j].r[k], &na, &nb, &both);
					score += both;
				}
				if (score > best) {
					best = score;
					bi = i;
					bj = j;
				}
			}
		}
		if (!best)
			break;
		pair[bi] = (long)bj;
		s[bj].taken = true;
	}

	for (size_t i = 0; pair && i < ng; i++) {
		const struct attr *a = &g[i], *b = pair[i] >= 0 ? &s[pair[i]] : NULL;
		bool exact = b != NULL, partial = b != NULL;
		for (int k = 0; k < 3; k++) {
			struct span_counts *ce = &sc->f[2 * k], *cp = &sc->f[2 * k + 1];
			const struct role *ga = &a->r[k], *sa = b ? &b->r[k] : NULL;
			bool gh = ga->n > 0, sh = sa && sa->n > 0;
			ce->gold += gh;
			cp->gold += gh;
			ce->sys += sh;
			cp->sys += sh;
			if (gh && sh) {
				long na, nb, both;
				overlap(&t, ntok, ga, sa, &na, &nb, &both);
				if (both == na && both == nb) {
					ce->tp_p += 1;
					ce->tp_r += 1;
				} else {
					exact = false;
				}
				if (na)
					cp->tp_r += (double)both / (double)na;
				if (nb)
					cp->tp_p += (double)both / (double)nb;
				if (!both)
					partial = false;
			} else if (gh != sh) {
				exact = false;
				if (gh)
					partial = false;
			}
		}
		if (show && !exact)
			show_pair(show, id, &t, text, a, b);
		if (exact) {
			sc->f[SF_TRIPLE_EXACT].tp_p += 1;
			sc->f[SF_TRIPLE_EXACT].tp_r += 1;
		}
		if (partial) {
			sc->f[SF_TRIPLE_PARTIAL].tp_p += 1;
			sc->f[SF_TRIPLE_PARTIAL].tp_r += 1;
		}
		if (a->r[0].n && a->r[0].pronoun && a->r[0].name) {
			sc->pronouns++;
			if (b && b->r[0].n && eval_same(a->r[0].name, b->r[0].name))
				sc->resolved++;
		}
	}
	for (int k = SF_TRIPLE_EXACT; k <= SF_TRIPLE_PARTIAL; k++) {
		sc->f[k].gold += (long)ng;
		sc->f[k].sys += (long)ns;
	}
	/* roles of system attributions left unaligned */
	for (size_t j = 0; show && j < ns; j++)
		if (!s[j].taken)
			show_pair(show, id, &t, text, NULL, &s[j]);
	for (size_t j = 0; j < ns; j++)
		for (int k = 0; !s[j].taken && k < 3; k++)
			if (s[j].r[k].n) {
				sc->f[2 * k].sys++;
				sc->f[2 * k + 1].sys++;
			}
	free(pair);
out:
	free(t.at);
	free(t.byte);
	free(g);
	free(s);
}

double span_f1(const struct span_counts *c, double *p, double *r)
{
	*p = c->sys ? c->tp_p / (double)c->sys : 0;
	*r = c->gold ? c->tp_r / (double)c->gold : 0;
	return *p + *r > 0 ? 2 * *p * *r / (*p + *r) : 0;
}
