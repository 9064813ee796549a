/* spot.c - stage 4: the people, organisations, outlets and unnamed groups a
 * document mentions, and the parsing of a source phrase into one of them.
 *
 * Word knowledge comes from lexicons (rules/lexicons/people.yaml,
 * sources.yaml, outlets.yaml, orgs.yaml): TITLE and NATIONALITY phrases
 * before a name are its role, ROLE_NOUN and VAGUE_SOURCE heads make a
 * phrase a nominal mention or an unnamed source, ORG_NOUN makes a name an
 * organisation, NAME_PARTICLE joins names ("van der", "al-"). */
#include "doc.h"
#include "first.h"

#include <ctype.h>
#include <string.h>

/* Longest entry of lex that starts at token i of toks (entries compared
 * with single spaces); returns the number of tokens it covers, 0 if none. */
static size_t phrase_at(const asc_doc *doc, const struct lexicon *lex,
			const struct token *toks, size_t n, size_t i)
{
	if (!lex || !lexicon_starts(lex, doc->text + toks[i].start, toks[i].end - toks[i].start))
		return 0;
	size_t most = (size_t)lex->max_words;
	/* "Col.-Gen." and "U.S." are one word in the lexicon but several
	 * tokens: allow for that */
	most = most * 4 + 2;
	if (most > n - i)
		most = n - i;
	buf key = { 0 };
	size_t found = 0;
	for (size_t k = most; k >= 1 && !found; k--) {
		buf_reset(&key);
		for (size_t j = i; j < i + k; j++) {
			if (j > i && toks[j].start > toks[j - 1].end)
				buf_addc(&key, ' ');
			buf_add(&key, doc->text + toks[j].start, toks[j].end - toks[j].start);
		}
		if (lexicon_has(lex, key.data, key.len))
			found = k;
	}
	buf_free(&key);
	return found;
}

static bool tok_in(const asc_doc *doc, const struct lexicon *lex, const struct token *t)
{
	return lexicon_has(lex, doc->text + t->start, t->end - t->start);
}

static bool is_name_token(const asc_doc *doc, const struct named_lexicons *lx,
			  const struct token *t)
{
	if (t->flags & TOK_CAP)
		return true;
	if (tok_in(doc, lx->particle, t))
		return true;
	/* an initial "A" followed by its full stop is a token "A" then "." */
	return false;
}

/* The gender a title or role word gives ("Ms", "spokeswoman", "his
 * brother"): the first word found in MALE_WORD or FEMALE_WORD. */
static int gender_of(const asc_doc *doc, const char *text)
{
	const struct lexicon *male = doc->rules->lex.male_word;
	const struct lexicon *female = doc->rules->lex.female_word;
	if (!text || (!male && !female))
		return G_UNKNOWN;
	const char *p = text;
	while (*p) {
		while (*p && !((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z')))
			p++;
		const char *w = p;
		while ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z'))
			p++;
		size_t n = (size_t)(p - w);
		if (!n)
			continue;
		if (male && lexicon_has(male, w, n))
			return G_MALE;
		if (female && lexicon_has(female, w, n))
			return G_FEMALE;
	}
	return G_UNKNOWN;
}

/* ---- the index of entities (doc.h) ---------------------------------------- */

/* Appends a key of the index to key: the type, then w[0..n), lower-cased
 * with fold. */
static void entity_key(buf *key, int type, const char *w, size_t n, bool fold)
{
	buf_addc(key, (char)('0' + type));
	for (size_t i = 0; i < n; i++)
		buf_addc(key, fold ? (char)tolower((unsigned char)w[i]) : w[i]);
}

/* The list of key in map; with make, made when missing, else NULL.  The
 * pointer holds until the next list is made. */
static int_list *entity_list(asc_doc *doc, strmap *map, const buf *key, bool make)
{
	int li = strmap_get(map, key->data, key->len);
	if (li < 0 && make) {
		li = (int)doc->entity_lists.len;
		*array_push(&doc->entity_lists) = (int_list){ 0 };
		strmap_put(map, key->data, key->len, li);
	}
	return li < 0 ? NULL : &doc->entity_lists.items[li];
}

static void list_add(int_list *l, int entity)
{
	if (!l->len || l->items[l->len - 1] != entity)
		*array_push(l) = entity;
}

/* The last word of s[0..n), after its last space: "Lavrov" of "Sergei
 * Lavrov", and of any longer name of the same person. */
static const char *last_of(const char *s, size_t n, size_t *len)
{
	const char *sp = memrchr(s, ' ', n);
	const char *w = sp ? sp + 1 : s;
	*len = n - (size_t)(w - s);
	return w;
}

/* Files the entity under each word of s, lower-cased: each run of
 * letters as isalpha() sees them, which is what contains_word_ci() in
 * resolve.c takes for a word's bounds. */
static void index_words(asc_doc *doc, int entity, const char *s)
{
	if (!s)
		return;
	int type = doc->entities.items[entity].type;
	buf key = { 0 };
	for (const char *p = s; *p;) {
		if (!isalpha((unsigned char)*p)) {
			p++;
			continue;
		}
		const char *q = p;
		while (isalpha((unsigned char)*q))
			q++;
		buf_reset(&key);
		entity_key(&key, type, p, (size_t)(q - p), true);
		list_add(entity_list(doc, &doc->entity_by_word, &key, true), entity);
		p = q;
	}
	buf_free(&key);
}

const int_list *entities_with_word(const asc_doc *doc, int type, const char *w, size_t n)
{
	buf key = { 0 };
	entity_key(&key, type, w, n, true);
	int li = strmap_get(&doc->entity_by_word, key.data, key.len);
	buf_free(&key);
	return li < 0 ? NULL : &doc->entity_lists.items[li];
}

/* Files entity i in the index. */
static void index_entity(asc_doc *doc, int i)
{
	const struct entity *e = &doc->entities.items[i];
	size_t lwn;
	const char *lw = last_of(e->name, strlen(e->name), &lwn);
	buf key = { 0 };
	entity_key(&key, e->type, lw, lwn, false);
	list_add(entity_list(doc, &doc->entity_by_last, &key, true), i);
	buf_free(&key);
	if (e->type == ET_OUTLET)
		list_add(&doc->entity_outlets, i);
	index_words(doc, i, e->name);
	index_words(doc, i, e->role);
}

/* How many entities a document has before they are indexed: fewer are
 * found faster by walking them all, as most articles have. */
#define ENTITY_INDEX_FROM 64

/* Files entity i, just made, in the index; makes the index when i is the
 * entity that makes it worth having. */
static void entity_made(asc_doc *doc, int i)
{
	if (doc->entity_indexed) {
		index_entity(doc, i);
	} else if (doc->entities.len >= ENTITY_INDEX_FROM) {
		doc->entity_indexed = true;
		for (size_t k = 0; k < doc->entities.len; k++)
			index_entity(doc, (int)k);
	}
}

/* The entities that can have type and a name ending in the word
 * lw[0..lwn), *count of them: a list of the index, or NULL when there is
 * no index and every entity must be looked at (entity k for k < *count). */
static const int_list *same_last(asc_doc *doc, int type, const char *lw, size_t lwn,
				 size_t *count)
{
	if (!doc->entity_indexed) {
		*count = doc->entities.len;
		return NULL;
	}
	buf key = { 0 };
	entity_key(&key, type, lw, lwn, false);
	const int_list *l = entity_list(doc, &doc->entity_by_last, &key, false);
	buf_free(&key);
	*count = l ? l->len : 0;
	return l;
}

/* The fullest description wins: "Colonel-General" gives way to
 * "Colonel-General, the President of the Academy". */
static void set_role(asc_doc *doc, struct entity *e, const char *role)
{
	if (role && (!e->role || strlen(role) > strlen(e->role))) {
		e->role = arena_strndup(&doc->arena, role, strlen(role));
		if (doc->entity_indexed)
			index_words(doc, (int)(e - doc->entities.items), e->role);
	}
	if (e->type == ET_PERSON && e->gender == G_UNKNOWN)
		e->gender = gender_of(doc, role);
}

int entity_add(asc_doc *doc, const char *name, size_t n, const char *role,
	       int type, bool anonymous)
{
	size_t lwn, count;
	const char *lw = last_of(name, n, &lwn);
	const int_list *same = same_last(doc, type, lw, lwn, &count);
	for (size_t k = 0; k < count; k++) {
		int i = same ? same->items[k] : (int)k;
		struct entity *e = &doc->entities.items[i];
		if (e->type == type && strlen(e->name) == n && !memcmp(e->name, name, n)) {
			set_role(doc, e, role);   /* may move the lists */
			return i;
		}
	}
	int fresh = (int)doc->entities.len;
	struct entity *e = array_push(&doc->entities);
	e->name = arena_strndup(&doc->arena, name, n);
	e->role = role ? arena_strndup(&doc->arena, role, strlen(role)) : NULL;
	e->type = type;
	e->anonymous = anonymous;
	if (type == ET_PERSON) {
		e->gender = gender_of(doc, e->role);
		if (e->gender == G_UNKNOWN && anonymous)
			e->gender = gender_of(doc, e->name);
	}
	entity_made(doc, fresh);
	return fresh;
}

/* A named person: reuse an entity whose full name ends with this one
 * ("Lavrov" -> "Sergei Lavrov"), or grow one that this name extends. */
static int person_add(asc_doc *doc, const char *name, size_t n, const char *role,
		      int *resolution)
{
	/* either name ends the other, so both end with the same word */
	size_t lwn, count;
	const char *lw = last_of(name, n, &lwn);
	const int_list *same = same_last(doc, ET_PERSON, lw, lwn, &count);
	for (size_t k = count; k-- > 0;) {
		int i = same ? same->items[k] : (int)k;
		struct entity *e = &doc->entities.items[i];
		if (e->type != ET_PERSON)
			continue;
		size_t en = strlen(e->name);
		if (en > n && e->name[en - n - 1] == ' ' && !memcmp(e->name + en - n, name, n)) {
			*resolution = RES_NAME;
			set_role(doc, e, role);
			return i;
		}
		/* a one-word name that this one ends: "Lavrov" -> "Sergei Lavrov" */
		if (n > en && name[n - en - 1] == ' ' && !memcmp(name + n - en, e->name, en) &&
		    !memchr(e->name, ' ', en)) {
			e->name = arena_strndup(&doc->arena, name, n);
			if (doc->entity_indexed)
				index_words(doc, i, e->name);
			set_role(doc, &doc->entities.items[i], role);
			return i;
		}
	}
	return entity_add(doc, name, n, role, ET_PERSON, false);
}

uint32_t skip_article(const asc_doc *doc, struct span at)
{
	uint32_t e = at.start;
	while (e < at.end && doc->text[e] != ' ')
		e++;
	if (e >= at.end ||
	    !lexicon_has(doc->rules->lex.article, doc->text + at.start, e - at.start))
		return at.start;
	return e + 1;
}

/* The outlet whose name or alias is exactly text[at]; -1 if none. */
static int outlet_exact(asc_doc *doc, struct span at)
{
	const asc_rules *r = doc->rules;
	int o = strmap_get(&r->outlet_phrases, doc->text + at.start, at.end - at.start);
	uint32_t s = skip_article(doc, at);
	if (o < 0 && s > at.start)
		o = strmap_get(&r->outlet_phrases, doc->text + s, at.end - s);
	if (o < 0)
		return -1;
	const char *name = r->outlets.items[o].name;
	return entity_add(doc, name, strlen(name), NULL, ET_OUTLET, false);
}

int outlet_at(asc_doc *doc, struct span at)
{
	token_list toks = { 0 };
	size_t n = tokenize(doc, at, &toks);
	int found = -1;
	int most = doc->rules->outlet_max_words * 3;
	for (size_t i = 0; i < n && found < 0; i++) {
		if (!(toks.items[i].flags & TOK_WORD))
			continue;
		for (size_t k = (size_t)most < n - i ? (size_t)most : n - i; k >= 1; k--) {
			const struct token *a = &toks.items[i], *b = &toks.items[i + k - 1];
			int o = strmap_get(&doc->rules->outlet_phrases, doc->text + a->start,
					   b->end - a->start);
			if (o >= 0) {
				found = outlet_exact(doc, (struct span){ a->start, b->end });
				break;
			}
		}
	}
	array_free(&toks);
	return found;
}

static void trim_span(const asc_doc *doc, struct span *s)
{
	while (s->start < s->end && strchr(" \t,;:\"'", doc->text[s->start]))
		s->start++;
	while (s->end > s->start && strchr(" \t,;:\"'", doc->text[s->end - 1]))
		s->end--;
}

/* The nominal whose words end the phrase, or -1; *at gets the index of
 * its first token. */
static int nominal_of(const asc_doc *doc, const struct token *toks, size_t n,
		      size_t *at)
{
	const asc_rules *r = doc->rules;
	buf key = { 0 };
	int found = -1;
	size_t most = (size_t)r->nominal_max_words;
	for (size_t k = most < n ? most : n; k >= 1 && found < 0; k--) {
		buf_reset(&key);
		for (size_t j = n - k; j < n; j++) {
			if (j > n - k)
				buf_addc(&key, ' ');
			utf8_lower(&key, doc->text + toks[j].start, toks[j].end - toks[j].start);
		}
		found = strmap_get(&r->nominal_index, key.data, key.len);
		if (found >= 0 && k == n)
			found = -1;   /* a bare "minister" is not a mention */
		*at = n - k;
	}
	buf_free(&key);
	return found;
}

static bool possessive(const asc_doc *doc, const struct token *t)
{
	const char *e = doc->text + t->end;
	return (t->end - t->start > 2 && (e[-1] == 's') &&
		(e[-2] == '\'' || (t->end - t->start > 4 && !memcmp(e - 4, "\xE2\x80\x99", 3))));
}

/* Whether a phrase holds a capitalised word that is not a determiner,
 * title, nationality or possessive, beyond its first word. */
static bool has_proper_name(const asc_doc *doc, const struct named_lexicons *lx,
			    const struct token *t, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if ((t[i].flags & TOK_CAP) && !tok_in(doc, lx->determiner, &t[i]) &&
		    !tok_in(doc, lx->title, &t[i]) && !tok_in(doc, lx->nationality, &t[i]) &&
		    !possessive(doc, &t[i]))
			return true;
	return false;
}

/* A source that names no one: "the county election board", "its
 * developer", "a museum guard".  The phrase, without a leading article,
 * is the name; an indefinite one is anonymous. */
static int unnamed_source(asc_doc *doc, const struct named_lexicons *lx, const struct token *t,
			  size_t n, struct span at, const char *role)
{
	if (!n || !(t[n - 1].flags & TOK_WORD) || (t[n - 1].flags & TOK_CAP))
		return -1;
	bool indefinite = n > 1 && tok_in(doc, lx->indefinite, &t[0]);
	uint32_t from = indefinite ? t[1].start : skip_article(doc, at);
	int type = indefinite || (tok_in(doc, lx->role_noun, &t[n - 1]) &&
				  !tok_in(doc, lx->org_common, &t[n - 1])) ? ET_PERSON : ET_ORGANISATION;
	return entity_add(doc, doc->text + from, at.end - from, role, type, indefinite);
}

/* The role with text[0..n) added before it (first) or after it, joined
 * by ", "; allocated in the document's arena. */
static char *join_role(asc_doc *doc, char *role, const char *text, size_t n, bool first)
{
	if (!role)
		return arena_strndup(&doc->arena, text, n);
	buf both = { 0 };
	if (first)
		buf_printf(&both, "%.*s, %s", (int)n, text, role);
	else
		buf_printf(&both, "%s, %.*s", role, (int)n, text);
	char *joined = arena_strndup(&doc->arena, both.data, both.len);
	buf_free(&both);
	return joined;
}

bool speaker_from_span(asc_doc *doc, struct span at, struct span role_at,
		       struct speaker *sp)
{
	const struct named_lexicons *lx = &doc->rules->lex;
	sp->entity = -1;
	sp->pending = -1;
	sp->resolved = RES_EXPLICIT;
	trim_span(doc, &at);
	sp->at = at;
	if (at.end <= at.start)
		return false;
	token_list tl = { 0 };
	size_t n = tokenize(doc, at, &tl);
	/* "diplomats who attended the session": the relative clause is not
	 * part of the name */
	for (size_t i = 1; i < n; i++) {
		if (tok_in(doc, lx->relative, &tl.items[i])) {
			n = i;
			at.end = tl.items[i - 1].end;
			sp->at = at;
			break;
		}
	}
	const struct token *t = tl.items;
	bool ok = true;
	char *role = NULL;
	if (role_at.end > role_at.start) {
		trim_span(doc, &role_at);
		role = arena_strndup(&doc->arena, doc->text + role_at.start,
				     role_at.end - role_at.start);
	}

	/* "The company, Halden Biologics, said": the appositive holds the name */
	if (role_at.end > role_at.start && !has_proper_name(doc, lx, t, n)) {
		token_list rt = { 0 };
		size_t rn = tokenize(doc, role_at, &rt);
		/* the appositive is a name ("Halden Biologics") or ends in one
		 * after a determiner ("the Lyon chef Henri Dubreuil"); "speaking
		 * to reporters in Brussels" is neither */
		const struct token *r0 = rt.items;
		bool named = rn > 0 && has_proper_name(doc, lx, rt.items, rn) &&
			     (((r0->flags & TOK_CAP) && !tok_in(doc, lx->determiner, r0)) ||
			      (rn > 2 && tok_in(doc, lx->determiner, r0) &&
			       (rt.items[rn - 1].flags & TOK_CAP) && (rt.items[rn - 2].flags & TOK_CAP)));
		array_free(&rt);
		if (named) {
			array_free(&tl);
			return speaker_from_span(doc, role_at, at, sp);
		}
	}
	/* a pronoun */
	if (n == 1 && (tok_in(doc, lx->pron_person, t) || tok_in(doc, lx->pron_group, t) ||
		       tok_in(doc, lx->pron_thing, t))) {
		sp->pending = tok_in(doc, lx->pron_person, t) ? ET_PERSON :
			      tok_in(doc, lx->pron_group, t) ? ET_GROUP : ET_ORGANISATION;
		sp->gender = tok_in(doc, lx->pron_male, t) ? G_MALE :
			     tok_in(doc, lx->pron_female, t) ? G_FEMALE : G_UNKNOWN;
		sp->resolved = RES_PRONOUN;
		goto done;
	}
	if (n == 1 && tok_in(doc, lx->pron_first, t)) {
		/* "I" names a source only inside a quotation, as its speaker */
		sp->pending = PENDING_FIRST;
		sp->resolved = RES_PRONOUN;
		goto done;
	}
	/* an outlet named as such */
	int o = outlet_exact(doc, at);
	if (o >= 0) {
		sp->entity = o;
		goto done;
	}
	/* the words after a leading determiner or possessive */
	size_t first = 0;
	if (n > 1 && tok_in(doc, lx->determiner, &t[0]))
		first = 1;
	else if (n > 2 && doc->text[t[1].start] == '\'' && t[1].end - t[1].start == 1)
		first = 0;
	/* a nominal mention: "the newspaper", "Russia's top diplomat": the
	 * words before the nominal are determiners, possessives or lower case */
	size_t nom_at = 0;
	int nom = nominal_of(doc, t, n, &nom_at);
	bool has_cap_name = false;
	for (size_t i = first; i < n; i++)
		if ((t[i].flags & TOK_CAP) && !tok_in(doc, lx->title, &t[i]) &&
		    !tok_in(doc, lx->nationality, &t[i]) && !tok_in(doc, lx->determiner, &t[i]))
			has_cap_name = true;
	if (nom >= 0) {
		bool plain = true;
		/* "a former aide to the mayor" is an aide, not the mayor */
		for (size_t i = 0; i < nom_at && plain; i++)
			plain = (tok_in(doc, lx->determiner, &t[i]) || possessive(doc, &t[i]) ||
				 !(t[i].flags & TOK_CAP) || tok_in(doc, lx->nationality, &t[i])) &&
				(!tok_in(doc, lx->connector, &t[i]) || tok_in(doc, lx->determiner, &t[i]));
		if (plain) {
			sp->pending = ET_COUNT + nom;
			sp->resolved = RES_NOMINAL;
			goto done;
		}
	}
	/* a document or data set: "official data", "the budget documents" */
	if (n > 1 && tok_in(doc, lx->document, &t[n - 1]) && !tok_in(doc, lx->vague, &t[n - 1]) &&
	    !has_cap_name) {
		sp->entity = unnamed_source(doc, lx, t, n, at, role);
		ok = sp->entity >= 0;
		goto done;
	}
	/* an unnamed source: a vague head word with no proper name before it
	 * ("a spokeswoman for the operator Fjordline" is still unnamed) */
	size_t head = n;
	for (size_t i = first; i < n && head == n; i++)
		if (phrase_at(doc, lx->vague, t, n, i) > 0)
			head = i;
	if (head < n) {
		bool named = false;
		for (size_t i = first; i < head; i++) {
			if ((t[i].flags & TOK_CAP) && !tok_in(doc, lx->nationality, &t[i]) &&
			    !tok_in(doc, lx->vague_pre, &t[i]) && !tok_in(doc, lx->vague, &t[i]) &&
			    !(i == first))
				named = true;
		}
		/* "aide to the President Yury Ushakov": a title and a name after
		 * the head make it a named person after all */
		for (size_t i = head + 1; i + 1 < n && !named; i++)
			named = tok_in(doc, lx->title, &t[i]) && (t[i + 1].flags & TOK_CAP) &&
				!tok_in(doc, lx->title, &t[i + 1]);
		if (!named) {
			uint32_t s = t[first].start;
			sp->entity = entity_add(doc, doc->text + s, at.end - s, role,
						ET_GROUP, true);
			goto done;
		}
	}
	/* a named person or organisation: leading titles are the role, the
	 * last run of capitalised words is the name */
	size_t i = first;
	for (;;) {
		size_t k = phrase_at(doc, lx->title, t, n, i);
		if (!k)
			k = phrase_at(doc, lx->nationality, t, n, i);
		if (!k && i > first && (tok_in(doc, lx->role_noun, &t[i]) ||
					 tok_in(doc, lx->connector, &t[i])))
			k = 1;
		if (!k && i == first && tok_in(doc, lx->role_noun, &t[i]))
			k = 1;
		if (!k || i + k >= n)
			break;
		i += k;
	}
	size_t name_start = i;
	/* "Prof. Lars Engqvist of the Karolinska Institute": a name followed
	 * by of/at/from ends there, and the rest joins the role */
	size_t run = i;
	while (run < n && (is_name_token(doc, lx, &t[run]) ||
			   (doc->text[t[run].start] == '.' && run > i)))
		run++;
	if (run > i && run < n && (t[run].flags & TOK_WORD) && !(t[run].flags & TOK_CAP) &&
	    tok_in(doc, lx->connector, &t[run])) {
		role = join_role(doc, role, doc->text + t[run].start, at.end - t[run].start, false);
		n = run;
		at.end = t[run - 1].end;
	}
	/* within what is left, the name is the last capitalised run */
	for (size_t j = i; j < n; j++) {
		bool namey = is_name_token(doc, lx, &t[j]) ||
			     (doc->text[t[j].start] == '.' && j > i && (t[j - 1].flags & TOK_CAP)) ||
			     (doc->text[t[j].start] == '-' && j + 1 < n);
		if (!namey)
			name_start = j + 1;
	}
	/* a title inside the run ("Port Authority Chief Executive Tomas Ek") */
	for (size_t j = name_start; j < n; j++) {
		size_t k = phrase_at(doc, lx->title, t, n, j);
		if (k && j + k < n) {
			name_start = j + k;
			j += k - 1;
		}
	}
	if (name_start >= n) {
		/* titles only: "the President" - a nominal by its role words */
		if (nom >= 0) {
			sp->pending = ET_COUNT + nom;
			sp->resolved = RES_NOMINAL;
		} else {
			sp->entity = unnamed_source(doc, lx, t, n, at, role);
			ok = sp->entity >= 0;
		}
		goto done;
	}
	uint32_t ns = t[name_start].start, ne = t[n - 1].end;
	while (ne > ns && (doc->text[ne - 1] == '\'' || doc->text[ne - 1] == ','))
		ne--;
	if (name_start > first) {
		uint32_t rs = t[first].start, re = t[name_start - 1].end;
		role = join_role(doc, role, doc->text + rs, re - rs, true);
	}
	bool org = false;
	for (size_t j = name_start; j < n && !org; j++)
		org = tok_in(doc, lx->org, &t[j]);
	if (org) {
		sp->entity = entity_add(doc, doc->text + ns, ne - ns, role,
					ET_ORGANISATION, false);
	} else {
		int res = RES_EXPLICIT;
		sp->entity = person_add(doc, doc->text + ns, ne - ns, role, &res);
		sp->resolved = res;
	}
done:
	array_free(&tl);
	return ok;
}

/* ---- the stage ---------------------------------------------------------- */

static void add_mention(asc_doc *doc, uint32_t sentence, struct span at, int entity)
{
	struct mention *m = array_push(&doc->mentions);
	m->sentence = sentence;
	m->at = at;
	m->entity = entity;
}

static void spot_outlets(asc_doc *doc, uint32_t si)
{
	const struct sentence *s = &doc->sentences.items[si];
	const asc_rules *r = doc->rules;
	const struct token *t = &doc->tokens.items[s->tok_first];
	size_t n = s->tok_count;
	size_t most = (size_t)r->outlet_max_words * 3;
	for (size_t i = 0; i < n; i++) {
		if (!(t[i].flags & TOK_WORD) ||
		    first_bloom_get(r->outlet_bloom, &r->outlet_starts, doc->text + t[i].start,
				    t[i].end - t[i].start) < 0)
			continue;
		for (size_t k = most < n - i ? most : n - i; k >= 1; k--) {
			uint32_t a = t[i].start, b = t[i + k - 1].end;
			int o = strmap_get(&r->outlet_phrases, doc->text + a, b - a);
			if (o < 0)
				continue;
			const char *name = r->outlets.items[o].name;
			int e = entity_add(doc, name, strlen(name), NULL, ET_OUTLET, false);
			add_mention(doc, si, (struct span){ a, b }, e);
			i += k - 1;
			break;
		}
	}
}

void spot_entities(asc_doc *doc, struct matcher *m)
{
	const asc_rules *r = doc->rules;
	for (uint32_t si = 0; si < doc->sentences.len; si++) {
		struct sentence *s = &doc->sentences.items[si];
		if (s->kind != KIND_BODY && s->kind != KIND_HEADLINE && s->kind != KIND_CAPTION)
			continue;
		spot_outlets(doc, si);
		matcher_candidates(m, doc, s->tok_first, s->tok_count, STAGE_SPOT);
		for (size_t c = 0; c < m->candidates.len; c++) {
			const struct rule *rule = &r->rules.items[m->candidates.items[c]];
			size_t from = 0, len = s->end - s->start;
			while (from < len && matcher_run(m, rule, doc->text + s->start, len, from) > 0) {
				const PCRE2_SIZE *ov = m->ov;
				struct span who, role = { 0, 0 };
				if (matcher_group(m, rule->g.person, s->start, &who)) {
					matcher_group(m, rule->g.role, s->start, &role);
					struct speaker sp;
					if (speaker_from_span(doc, who, role, &sp) && sp.entity >= 0)
						add_mention(doc, si, sp.at, sp.entity);
				}
				from = ov[1] > ov[0] ? ov[1] : ov[0] + 1;
			}
		}
	}
}
