/* resolve.c - stage 6: who "he", "the newspaper" and an unattributed
 * quotation refer to.
 *
 * Sentences are walked in order.  He and she take the person most recently
 * seen, speaking or mentioned, whose gender (from a title, a role word or
 * an earlier pronoun) does not disagree; they and it take the most recent
 * speaker of their kind (a group or organisation, an organisation or
 * outlet), else the most recent such mention.  A
 * nominal ("the minister") takes the most recent entity of the type its
 * rules/ nominal names, whose role holds one of its role words.  A sentence
 * inside a quotation takes the speaker of the quotation's attributed
 * sentence in the same or the previous paragraph. */
#include "doc.h"

#include <ctype.h>
#include <string.h>
#include <strings.h>

/* Memory of the resolver: the last entity of each type that spoke or was
 * mentioned. */
struct recency {
	int spoke[ET_COUNT];
	int seen[ET_COUNT];
	/* people by gender: the last seen, and when */
	int seen_g[3];
	long seen_t[3];
	long clock;
};

/* An unnamed group of people ("officials", "Prosecutors", "local
 * residents") is never "he" or "she": a plural last word, of an anonymous
 * source or of a role noun. */
static bool plural(const asc_doc *doc, const struct entity *e)
{
	const char *w = strrchr(e->name, ' ');
	w = w ? w + 1 : e->name;
	size_t n = strlen(w);
	if (n < 3 || w[n - 1] != 's' || w[n - 2] == 's')
		return false;
	if (e->anonymous)
		return true;
	return lexicon_has(doc->rules->lex.vague, w, n) ||
	       lexicon_has(doc->rules->lex.role_noun, w, n - 1);
}

/* The most recent person seen (speaking or mentioned) of gender g or of
 * unknown gender. */
static int person_of(const struct recency *rc, int g)
{
	int best = -1;
	long at = -1;
	for (int k = 0; k < 3; k++) {
		if (k != G_UNKNOWN && k != g && g != G_UNKNOWN)
			continue;
		if (rc->seen_g[k] >= 0 && rc->seen_t[k] > at) {
			best = rc->seen_g[k];
			at = rc->seen_t[k];
		}
	}
	return best;
}

static bool contains_word_ci(const char *hay, const char *needle)
{
	size_t n = strlen(needle);
	if (!hay || !n)
		return false;
	for (const char *p = hay; *p; p++) {
		if (strncasecmp(p, needle, n) == 0 &&
		    (p == hay || !isalpha((unsigned char)p[-1])) &&
		    !isalpha((unsigned char)p[n]))
			return true;
	}
	return false;
}

/* Whether entity e is what the nominal nm can refer to, with the roles it
 * names (or head). */
static bool nominal_fits(const struct entity *e, const struct nominal *nm,
			 const char *const *roles, size_t nroles)
{
	bool fits = nm->refers_to == ET_OUTLET;
	for (size_t k = 0; k < nroles && !fits; k++)
		fits = contains_word_ci(e->role, roles[k]) ||
		       (e->type != ET_PERSON && contains_word_ci(e->name, roles[k]));
	return fits;
}

/* The first word of s (a run of letters as isalpha() sees them, as the
 * index of entities files words), or NULL. */
static const char *first_word(const char *s, size_t *n)
{
	while (*s && !isalpha((unsigned char)*s))
		s++;
	size_t k = 0;
	while (isalpha((unsigned char)s[k]))
		k++;
	*n = k;
	return k ? s : NULL;
}

struct nominal_match {
	const struct nominal *nm;
	const char *const *roles;
	size_t nroles;
	uint32_t before;
	int best;            /* the entity, or -1 */
	uint32_t best_at;
};

/* Weighs the entities of l (all of them when l is NULL): the one spoken
 * or mentioned last, up to the sentence after before, that fits wins; the
 * latest made among equals. */
static void nominal_from(const asc_doc *doc, struct nominal_match *m, const int_list *l)
{
	size_t count = l ? l->len : doc->entities.len;
	for (size_t j = 0; j < count; j++) {
		size_t i = l ? (size_t)l->items[j] : j;
		const struct entity *e = &doc->entities.items[i];
		if (e->type != m->nm->refers_to || e->last_sentence == 0 ||
		    e->last_sentence > m->before + 1)
			continue;
		if ((e->last_sentence > m->best_at ||
		     (e->last_sentence == m->best_at && (int)i > m->best)) &&
		    nominal_fits(e, m->nm, m->roles, m->nroles)) {
			m->best = (int)i;
			m->best_at = e->last_sentence;
		}
	}
}

/* head: the last word of the mention ("office" of "the county sheriff's
 * office"), used as the role to look for when the nominal lists none.
 * With the index of entities (doc.h), only those filed under a role's
 * first word are looked at: an entity holding the role as a word holds
 * that word.  The answer is the one walking every entity would give. */
static int resolve_nominal(const asc_doc *doc, const struct nominal *nm,
			   uint32_t before, const char *head)
{
	struct nominal_match m = {
		.nm = nm,
		.roles = nm->roles.len ? (const char *const *)nm->roles.items : &head,
		.nroles = nm->roles.len ? nm->roles.len : 1,
		.before = before,
		.best = -1,
	};
	bool all = !doc->entity_indexed;
	if (!all && nm->refers_to == ET_OUTLET) {
		nominal_from(doc, &m, &doc->entity_outlets);   /* every outlet fits */
	} else {
		for (size_t k = 0; k < m.nroles && !all; k++) {
			size_t wn;
			const char *w = first_word(m.roles[k], &wn);
			const int_list *l = w ? entities_with_word(doc, nm->refers_to, w, wn) : NULL;
			if (!w)
				all = true;   /* a role without a letter */
			else if (l)
				nominal_from(doc, &m, l);
		}
	}
	if (all)
		nominal_from(doc, &m, NULL);
	return m.best;
}

static int resolve_pronoun(const struct recency *rc, int kind, int gender)
{
	if (kind == ET_PERSON)
		return person_of(rc, gender);
	if (kind == ET_GROUP) {
		if (rc->spoke[ET_GROUP] >= 0)
			return rc->spoke[ET_GROUP];
		return rc->spoke[ET_ORGANISATION] >= 0 ? rc->spoke[ET_ORGANISATION]
						       : rc->seen[ET_ORGANISATION];
	}
	if (rc->spoke[ET_ORGANISATION] >= 0)
		return rc->spoke[ET_ORGANISATION];
	return rc->spoke[ET_OUTLET] >= 0 ? rc->spoke[ET_OUTLET] : rc->seen[ET_ORGANISATION];
}

static void resolve_pending(asc_doc *doc, struct speaker *sp, const struct recency *rc,
			    uint32_t si)
{
	if (sp->pending < 0)
		return;
	if (sp->pending < ET_COUNT) {
		sp->entity = resolve_pronoun(rc, sp->pending, sp->gender);
		/* "he" tells us something about who he is */
		if (sp->entity >= 0 && sp->gender != G_UNKNOWN &&
		    doc->entities.items[sp->entity].gender == G_UNKNOWN)
			doc->entities.items[sp->entity].gender = sp->gender;
	} else {
		size_t e = sp->at.end, b = e;
		while (b > sp->at.start && doc->text[b - 1] != ' ')
			b--;
		char head[64];
		snprintf(head, sizeof head, "%.*s", (int)(e - b), doc->text + b);
		sp->entity = resolve_nominal(doc, &doc->rules->nominals.items[sp->pending - ET_COUNT],
					     si, head);
	}
	/* nobody fits: the phrase itself names the source ("the ministry") */
	if (sp->entity < 0 && sp->pending >= ET_COUNT) {
		const struct nominal *nm = &doc->rules->nominals.items[sp->pending - ET_COUNT];
		uint32_t s = skip_article(doc, sp->at);
		sp->entity = entity_add(doc, doc->text + s, sp->at.end - s, NULL, nm->refers_to,
					nm->refers_to == ET_PERSON);
	}
	sp->pending = -1;
}

/* The gender a person's given name usually signals (GIVEN_NAME_MALE,
 * GIVEN_NAME_FEMALE), from the first word of the name. */
static int given_name_gender(const asc_doc *doc, const char *name)
{
	const char *sp = strchr(name, ' ');
	if (!sp)
		return G_UNKNOWN;
	size_t n = (size_t)(sp - name);
	if (lexicon_has(doc->rules->lex.given_male, name, n))
		return G_MALE;
	if (lexicon_has(doc->rules->lex.given_female, name, n))
		return G_FEMALE;
	return G_UNKNOWN;
}

static void touch(asc_doc *doc, struct recency *rc, int entity, uint32_t si, bool spoke)
{
	if (entity < 0)
		return;
	struct entity *e = &doc->entities.items[entity];
	e->last_sentence = si + 1;   /* 0 means never */
	rc->seen[e->type] = entity;
	rc->clock++;
	if (e->type == ET_PERSON && e->gender == G_UNKNOWN && !e->anonymous)
		e->gender = given_name_gender(doc, e->name);
	if (e->type == ET_PERSON && !plural(doc, e)) {
		rc->seen_g[e->gender] = entity;
		rc->seen_t[e->gender] = rc->clock;
	}
	if (spoke) {
		rc->spoke[e->type] = entity;
		e->spoke = true;
	}
}

/* Whether a quotation is open at the end of sentence s. */
static bool open_at_end(const asc_doc *doc, const struct sentence *s)
{
	int depth = s->quote_depth;
	for (uint32_t k = 0; k < s->tok_count; k++) {
		uint32_t f = doc->tokens.items[s->tok_first + k].flags;
		if (f & TOK_QUOTE_OPEN)
			depth++;
		else if ((f & TOK_QUOTE_CLOSE) && depth > 0)
			depth--;
	}
	return depth > 0;
}

static bool starts_quoted(const asc_doc *doc, const struct sentence *s)
{
	return s->quote_depth > 0 ||
	       (s->tok_count && (doc->tokens.items[s->tok_first].flags & TOK_QUOTE_OPEN));
}

/* Whether the sentence's speaker speaks in quotation marks in it. */
static bool direct(const asc_doc *doc, const struct sentence *s)
{
	if (s->attribution < 0)
		return s->speaker.resolved == RES_QUOTE && s->speaker.entity >= 0;
	for (uint32_t k = 0; k < s->tok_count; k++)
		if (doc->tokens.items[s->tok_first + k].flags & (TOK_QUOTE_OPEN | TOK_QUOTE_CLOSE))
			return true;
	return false;
}

static void inherit(struct sentence *to, const struct sentence *from)
{
	to->continues = from->attribution >= 0 ? from->attribution : from->continues;
	to->speaker = from->speaker;
	to->speaker.resolved = RES_QUOTE;
	to->outlet = from->outlet;
	to->outlet_at = from->outlet_at;
}

static void continue_quotes(asc_doc *doc)
{
	size_t n = doc->sentences.len;
	/* backwards: the opening sentences of a quotation attributed at its end */
	for (size_t i = n; i-- > 0;) {
		struct sentence *s = &doc->sentences.items[i];
		if (s->speaker.entity >= 0 || s->kind != KIND_BODY || !starts_quoted(doc, s) ||
		    !open_at_end(doc, s) || i + 1 >= n)
			continue;
		const struct sentence *next = &doc->sentences.items[i + 1];
		if (next->paragraph == s->paragraph && next->speaker.entity >= 0 && direct(doc, next))
			inherit(s, next);
	}
	/* forwards: the sentences that go on after an attributed quotation */
	for (size_t i = 1; i < n; i++) {
		struct sentence *s = &doc->sentences.items[i];
		if (s->speaker.entity >= 0 || s->kind != KIND_BODY || !starts_quoted(doc, s))
			continue;
		const struct sentence *prev = &doc->sentences.items[i - 1];
		bool near = prev->paragraph == s->paragraph ||
			    (prev->paragraph + 1 == s->paragraph &&
			     doc->paragraphs.items[s->paragraph].first_sentence == i);
		if (near && prev->speaker.entity >= 0 && direct(doc, prev))
			inherit(s, prev);
	}
}

/* "I" and "we" are the speaker of the quotation they stand in; outside
 * one (an author's own "I think") they report nothing. */
static void first_person(asc_doc *doc)
{
	for (size_t i = 0; i < doc->attributions.len; i++) {
		struct attribution *a = &doc->attributions.items[i];
		if (a->source.pending != PENDING_FIRST)
			continue;
		const struct sentence *s = &doc->sentences.items[a->sentence];
		a->source.pending = -1;
		if (s->speaker.entity >= 0 && (int)i != s->attribution)
			a->source.entity = s->speaker.entity;
		else
			a->dropped = true;
	}
}

static int cmp_piece(const void *a, const void *b)
{
	const struct piece *x = a, *y = b;
	if (x->attribution != y->attribution)
		return x->attribution < y->attribution ? -1 : 1;
	return (x->at.start > y->at.start) - (x->at.start < y->at.start);
}

/* The quoted words of each sentence that carries on a quotation become a
 * piece of that attribution's content: from after an opening mark to a
 * closing one, or to the end of the sentence while the quotation is open. */
static void quote_pieces(asc_doc *doc)
{
	for (size_t i = 0; i < doc->sentences.len; i++) {
		const struct sentence *s = &doc->sentences.items[i];
		if (s->continues < 0 || !s->tok_count)
			continue;
		const struct token *t = &doc->tokens.items[s->tok_first];
		uint32_t k = 0, n = s->tok_count;
		if (t[0].flags & TOK_QUOTE_OPEN)
			k = 1;
		uint32_t end = k;
		while (end < n && !(t[end].flags & TOK_QUOTE_CLOSE))
			end++;
		/* the full stop before a closing mark belongs to the quotation */
		uint32_t last = end;
		while (last > k && (t[last - 1].flags & TOK_PUNCT) &&
		       !(t[last - 1].flags & TOK_QUOTE_OPEN))
			last--;
		if (last <= k)
			continue;
		*array_push(&doc->pieces) = (struct piece){
			s->continues, { t[k].start, t[last - 1].end }
		};
	}
	if (doc->pieces.len > 1)
		qsort(doc->pieces.items, doc->pieces.len, sizeof *doc->pieces.items, cmp_piece);
}

void resolve_speakers(asc_doc *doc)
{
	struct recency rc;
	for (int t = 0; t < ET_COUNT; t++)
		rc.spoke[t] = rc.seen[t] = -1;
	for (int g = 0; g < 3; g++) {
		rc.seen_g[g] = -1;
		rc.seen_t[g] = 0;
	}
	rc.clock = 0;
	size_t mi = 0, ai = 0;
	for (uint32_t si = 0; si < doc->sentences.len; si++) {
		struct sentence *s = &doc->sentences.items[si];
		/* attributions were made in sentence order */
		for (; ai < doc->attributions.len && doc->attributions.items[ai].sentence == si; ai++) {
			struct attribution *at = &doc->attributions.items[ai];
			resolve_pending(doc, &at->source, &rc, si);
			if ((int)ai == s->attribution)
				s->speaker = at->source;
		}
		if (s->outlet < 0 && s->speaker.entity >= 0 &&
		    doc->entities.items[s->speaker.entity].type == ET_OUTLET) {
			s->outlet = s->speaker.entity;
			s->outlet_at = s->speaker.at;
		}
		while (mi < doc->mentions.len && doc->mentions.items[mi].sentence == si)
			touch(doc, &rc, doc->mentions.items[mi++].entity, si, false);
		touch(doc, &rc, s->outlet, si, false);
		touch(doc, &rc, s->speaker.entity, si, true);
	}
	continue_quotes(doc);
	first_person(doc);
	quote_pieces(doc);
}
