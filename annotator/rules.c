/* rules.c - the rule compiler: YAML files in, one immutable asc_rules out.
 *
 * Loading happens in three passes: read every file into lexicons, macros,
 * outlets, nominals and rules (keeping each node's line and column); expand
 * macros with cycle detection; compile every pattern with PCRE2 JIT and
 * build the prefilter index.  The schema is docs/rules.md. */
#include "rules.h"
#include "first.h"
#include "doc.h"

#include <dirent.h>
#include <stdatomic.h>
#include <stddef.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <yaml.h>

const char *const kind_names[KIND_COUNT] = {
	"body", "headline", "caption", "dateline", "byline", "boilerplate"
};
static const char *const verb_form_names[VF_COUNT] = {
	"base", "s", "past", "participle", "ing"
};

const char *const stage_names[STAGE_COUNT] = {
	"block", "spot", "attribute", "label"
};
const char *const label_field_names[LF_COUNT] = { "label", "voice", "checkworthy" };
const char *const label_side_names[SIDE_COUNT] = {
	"fact", "opinion", "author", "attributed", "not-checkworthy", "checkworthy"
};
const char *const entity_type_names[ET_COUNT] = {
	"person", "organisation", "outlet", "group"
};
const char *const attribution_types[] = {
	"direct", "indirect", "mixed", "according-to", "citing", "told",
	"described", "wrote-for", "outlet-report", NULL
};

/* Compilation state: the rule set being built and where errors go. */
struct compiler {
	asc_rules *r;
	asc_check_fn report;
	void *ctx;
	asc_error first;
	size_t errors;
	const char *file;
	yaml_document_t *doc;
	struct first_memo *memo;   /* what first_words() learnt of the macros */
};

static void fail(struct compiler *c, asc_status status, const char *file,
		 int line, int col, const char *fmt, ...)
	__attribute__((format(printf, 6, 7)));

static void fail(struct compiler *c, asc_status status, const char *file,
		 int line, int col, const char *fmt, ...)
{
	asc_error e = { .status = status, .line = line, .column = col, .offset = -1 };
	snprintf(e.file, sizeof e.file, "%s", file ? file : "");
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(e.message, sizeof e.message, fmt, ap);
	va_end(ap);
	if (c->errors++ == 0)
		c->first = e;
	if (c->report)
		c->report(&e, c->ctx);
}

static void fail_at(struct compiler *c, asc_status status, yaml_node_t *n,
		    const char *msg, const char *arg)
{
	fail(c, status, c->file, (int)n->start_mark.line + 1,
	     (int)n->start_mark.column + 1, msg, arg);
}

static struct place place_of(struct compiler *c, yaml_node_t *n)
{
	return (struct place){ c->file, (int)n->start_mark.line + 1,
			       (int)n->start_mark.column + 1 };
}

/* ---- YAML node helpers ---------------------------------------------- */

static yaml_node_t *node(struct compiler *c, int id)
{
	return yaml_document_get_node(c->doc, id);
}

static const char *scalar(yaml_node_t *n)
{
	return n && n->type == YAML_SCALAR_NODE ? (const char *)n->data.scalar.value : NULL;
}

static bool is_null(yaml_node_t *n)
{
	const char *s = scalar(n);
	return s && n->data.scalar.style == YAML_PLAIN_SCALAR_STYLE &&
	       (!strcmp(s, "null") || !strcmp(s, "~") || !*s);
}

static const char *want_string(struct compiler *c, yaml_node_t *n, const char *what)
{
	const char *s = scalar(n);
	if (!s)
		fail_at(c, ASC_ERR_SCHEMA, n, "%s must be a string", what);
	return s;
}

static bool want_type(struct compiler *c, yaml_node_t *n, yaml_node_type_t t,
		      const char *what)
{
	if (n->type == t)
		return true;
	const char *kind = t == YAML_MAPPING_NODE ? "a mapping" :
			   t == YAML_SEQUENCE_NODE ? "a list" : "a scalar";
	char msg[256];
	snprintf(msg, sizeof msg, "%s must be %s", what, kind);
	fail_at(c, ASC_ERR_SCHEMA, n, "%s", msg);
	return false;
}

/* Whether the key of pair p already occurs earlier in map; reports it.
 * YAML leaves duplicate keys to the application, and taking the first or
 * the last silently would hide a typo. */
static bool duplicate_key(struct compiler *c, yaml_node_t *map, yaml_node_pair_t *p)
{
	const char *key = scalar(node(c, p->key));
	if (!key)
		return false;
	for (yaml_node_pair_t *q = map->data.mapping.pairs.start; q < p; q++) {
		const char *k = scalar(node(c, q->key));
		if (k && !strcmp(k, key)) {
			fail_at(c, ASC_ERR_SCHEMA, node(c, p->key), "duplicate key '%s'", key);
			return true;
		}
	}
	return false;
}

static bool parse_bool(struct compiler *c, yaml_node_t *n, const char *what, bool *out)
{
	const char *s = scalar(n);
	if (s && (!strcmp(s, "true") || !strcmp(s, "yes"))) {
		*out = true;
		return true;
	}
	if (s && (!strcmp(s, "false") || !strcmp(s, "no"))) {
		*out = false;
		return true;
	}
	fail_at(c, ASC_ERR_SCHEMA, n, "%s must be true or false", what);
	return false;
}

static bool parse_int(struct compiler *c, yaml_node_t *n, const char *what, int *out)
{
	const char *s = scalar(n);
	char *end;
	long v = s ? strtol(s, &end, 10) : 0;
	if (!s || !*s || *end || v < 0 || v > 1000000) {
		fail_at(c, ASC_ERR_SCHEMA, n, "%s must be a whole number", what);
		return false;
	}
	*out = (int)v;
	return true;
}

static bool parse_number(struct compiler *c, yaml_node_t *n, const char *what,
			 double *out)
{
	const char *s = scalar(n);
	char *end;
	double v = s ? strtod(s, &end) : 0;
	/* NaN fails both bounds: written out, it would not be JSON */
	if (!s || !*s || *end || !(v >= -1000 && v <= 1000)) {
		fail_at(c, ASC_ERR_SCHEMA, n, "%s must be a number from -1000 to 1000", what);
		return false;
	}
	*out = v;
	return true;
}

static int lookup_name(const char *const *names, int count, const char *s)
{
	for (int i = 0; count < 0 ? names[i] != NULL : i < count; i++)
		if (s && !strcmp(names[i], s))
			return i;
	return -1;
}

/* A list of strings, or a single string taken as a list of one. */
static bool string_list(struct compiler *c, yaml_node_t *n, const char *what,
			void (*add)(void *, const char *, yaml_node_t *), void *to)
{
	if (scalar(n)) {
		add(to, scalar(n), n);
		return true;
	}
	if (!want_type(c, n, YAML_SEQUENCE_NODE, what))
		return false;
	for (yaml_node_item_t *it = n->data.sequence.items.start;
	     it < n->data.sequence.items.top; it++) {
		yaml_node_t *e = node(c, *it);
		const char *s = want_string(c, e, what);
		if (s)
			add(to, s, e);
	}
	return true;
}

static void add_to_strings(void *to, const char *s, yaml_node_t *n)
{
	(void)n;
	ARRAY(char *) *a = to;
	*array_push(a) = xstrdup(s);
}

static int count_words(const char *s)
{
	int n = 0;
	bool in = false;
	for (; *s; s++) {
		bool sp = *s == ' ';
		if (!sp && !in)
			n++;
		in = !sp;
	}
	return n;
}

/* ---- lexicons ------------------------------------------------------- */

static bool valid_upper_name(const char *s)
{
	if (!s || !(*s >= 'A' && *s <= 'Z'))
		return false;
	for (; *s; s++)
		if (!((*s >= 'A' && *s <= 'Z') || (*s >= '0' && *s <= '9') || *s == '_'))
			return false;
	return true;
}

static struct lexicon *lexicon_get_or_add(struct compiler *c, const char *name,
					  yaml_node_t *at)
{
	asc_rules *r = c->r;
	int i = strmap_get(&r->lexicon_index, name, strlen(name));
	if (i >= 0)
		return &r->lexicons.items[i];
	struct lexicon *lex = array_push(&r->lexicons);
	lex->name = xstrdup(name);
	lex->caseless = true;
	lex->at = place_of(c, at);
	strmap_put(&r->lexicon_index, name, strlen(name), (int)r->lexicons.len - 1);
	return lex;
}

static void lexicon_add_word(struct lexicon *lex, const char *w)
{
	buf key = { 0 };
	if (lex->caseless)
		utf8_lower(&key, w, strlen(w));
	else
		buf_adds(&key, w);
	if (strmap_get(&lex->set, key.data, key.len) < 0) {
		strmap_put(&lex->set, key.data, key.len, 1);
		*array_push(&lex->words) = xstrdup(w);
		int words = count_words(w);
		if (words > lex->max_words)
			lex->max_words = words;
	}
	buf_free(&key);
}

static void add_lemma(struct compiler *c, struct lexicon *lex, yaml_node_t *at,
		      const char *entry);

static void load_lexicons(struct compiler *c, yaml_node_t *map)
{
	if (!want_type(c, map, YAML_MAPPING_NODE, "lexicons"))
		return;
	for (yaml_node_pair_t *p = map->data.mapping.pairs.start;
	     p < map->data.mapping.pairs.top; p++) {
		yaml_node_t *k = node(c, p->key), *v = node(c, p->value);
		const char *name = scalar(k);
		if (!valid_upper_name(name)) {
			fail_at(c, ASC_ERR_SCHEMA, k,
				"lexicon name '%s' must be upper case letters, digits and _",
				name ? name : "?");
			continue;
		}
		if (strmap_get(&c->r->macro_index, name, strlen(name)) >= 0) {
			fail_at(c, ASC_ERR_SCHEMA, k,
				"'%s' is already a macro name", name);
			continue;
		}
		struct lexicon *lex = lexicon_get_or_add(c, name, k);
		yaml_node_t *words = NULL;
		if (v->type == YAML_SEQUENCE_NODE) {
			words = v;
		} else if (want_type(c, v, YAML_MAPPING_NODE, "a lexicon")) {
			for (yaml_node_pair_t *q = v->data.mapping.pairs.start;
			     q < v->data.mapping.pairs.top; q++) {
				yaml_node_t *kk = node(c, q->key), *vv = node(c, q->value);
				const char *key = scalar(kk);
				if (duplicate_key(c, v, q)) {
					continue;
				} else if (key && !strcmp(key, "words")) {
					words = vv;
				} else if (key && !strcmp(key, "inflect")) {
					const char *s = scalar(vv);
					if (s && !strcmp(s, "verbs"))
						lex->verbs = true;
					else
						fail_at(c, ASC_ERR_SCHEMA, vv, "inflect must be verbs%s", "");
				} else if (key && !strcmp(key, "from")) {
					const char *s = want_string(c, vv, "from");
					if (s && !lex->from) {
						lex->from = xstrdup(s);
						lex->from_at = place_of(c, vv);
					}
				} else if (key && !strcmp(key, "forms")) {
					ARRAY(char *) fl = { 0 };
					string_list(c, vv, key, add_to_strings, &fl);
					for (size_t i = 0; i < fl.len; i++) {
						int f = lookup_name(verb_form_names, VF_COUNT, fl.items[i]);
						if (f < 0)
							fail_at(c, ASC_ERR_SCHEMA, vv,
								"forms: '%s' is not base, s, past, participle or ing",
								fl.items[i]);
						else
							lex->forms |= 1u << f;
						free(fl.items[i]);
					}
					array_free(&fl);
				} else if (key && !strcmp(key, "description")) {
					const char *d = want_string(c, vv, "description");
					if (d && !lex->description)
						lex->description = xstrdup(d);
				} else if (key && !strcmp(key, "case")) {
					const char *s = scalar(vv);
					if (s && !strcmp(s, "sensitive"))
						lex->caseless = false;
					else if (s && !strcmp(s, "insensitive"))
						lex->caseless = true;
					else
						fail_at(c, ASC_ERR_SCHEMA, vv,
							"case must be sensitive or insensitive%s", "");
				} else {
					fail_at(c, ASC_ERR_SCHEMA, kk,
						"unknown key '%s' in lexicon", key ? key : "?");
				}
			}
			if (!words && lex->from)
				continue;
			if (!words) {
				fail_at(c, ASC_ERR_SCHEMA, v, "lexicon '%s' has no words", name);
				continue;
			}
		} else {
			continue;
		}
		if (!want_type(c, words, YAML_SEQUENCE_NODE, "words"))
			continue;
		if (words->data.sequence.items.top == words->data.sequence.items.start) {
			fail_at(c, ASC_ERR_SCHEMA, words, "lexicon '%s' is empty", name);
			continue;
		}
		for (yaml_node_item_t *it = words->data.sequence.items.start;
		     it < words->data.sequence.items.top; it++) {
			yaml_node_t *w = node(c, *it);
			const char *s = want_string(c, w, "a lexicon entry");
			if (s && !*s)
				fail_at(c, ASC_ERR_SCHEMA, w, "empty entry in lexicon '%s'", name);
			else if (s && lex->verbs)
				add_lemma(c, lex, w, s);
			else if (s)
				lexicon_add_word(lex, s);
		}
	}
}

/* ---- verb forms ----------------------------------------------------------
 *
 * A lexicon with `inflect: verbs` lists lemmas: "argue", or with the forms
 * English does not make by rule, "say|said", "write|wrote|written",
 * "admit|admitted|ing=admitting".  The first word of a phrase is the verb
 * ("point out" -> "pointed out").  A lexicon with `from` and `forms` takes
 * the forms it names of every lemma of another lexicon. */

static bool is_vowel(char ch)
{
	return strchr("aeiou", ch) != NULL;
}

/* Appends to out the form f of the one-word verb v (regular rules). */
static void regular_form(buf *out, const char *v, size_t n, int f)
{
	char last = n ? v[n - 1] : 0, before = n > 1 ? v[n - 2] : 0;
	buf_add(out, v, n);
	switch (f) {
	case VF_S:
		if (last == 'y' && n > 1 && !is_vowel(before)) {
			out->len--;
			buf_adds(out, "ies");
		} else if (strchr("sxzo", last) || (last == 'h' && (before == 'c' || before == 's'))) {
			buf_adds(out, "es");
		} else {
			buf_addc(out, 's');
		}
		break;
	case VF_PAST:
	case VF_PARTICIPLE:
		if (last == 'e') {
			buf_addc(out, 'd');
		} else if (last == 'y' && n > 1 && !is_vowel(before)) {
			out->len--;
			buf_adds(out, "ied");
		} else {
			buf_adds(out, "ed");
		}
		break;
	case VF_ING:
		if (last == 'e' && before == 'i') {
			out->len -= 2;
			buf_adds(out, "ying");
		} else if (last == 'e' && n > 2 && before != 'e' && before != 'y' && before != 'o') {
			out->len--;
			buf_adds(out, "ing");
		} else {
			buf_adds(out, "ing");
		}
		break;
	default:
		break;
	}
	out->data[out->len] = '\0';
}

/* The form f of a lemma entry, or NULL when the entry is malformed. */
static char *verb_form(const char *entry, int f)
{
	char *copy = xstrdup(entry), *fields[4] = { 0 }, *ing = NULL;
	int nf = 0;
	for (char *p = copy, *tok; (tok = strsep(&p, "|"));) {
		if (!strncmp(tok, "ing=", 4))
			ing = tok + 4;
		else if (nf < 3)
			fields[nf++] = tok;
		else
			nf = 4;
	}
	char *result = NULL;
	if (nf >= 1 && nf <= 3 && *fields[0]) {
		const char *given = f == VF_BASE ? fields[0] :
				    f == VF_PAST ? fields[1] :
				    f == VF_PARTICIPLE ? (fields[2] ? fields[2] : fields[1]) :
				    f == VF_ING ? ing : NULL;
		if (given && *given) {
			result = xstrdup(given);
		} else {
			/* inflect the first word, keep the rest */
			const char *base = fields[0], *sp = strchr(base, ' ');
			size_t n = sp ? (size_t)(sp - base) : strlen(base);
			buf out = { 0 };
			regular_form(&out, base, n, f);
			if (sp)
				buf_adds(&out, sp);
			result = buf_detach(&out);
		}
	}
	free(copy);
	return result;
}

static void add_lemma(struct compiler *c, struct lexicon *lex, yaml_node_t *at, const char *entry)
{
	char *base = verb_form(entry, VF_BASE);
	if (!base) {
		fail_at(c, ASC_ERR_SCHEMA, at,
			"verb '%s' must be base, base|past, base|past|participle, with an optional "
			"|ing=form", entry);
		return;
	}
	*array_push(&lex->lemmas) = xstrdup(entry);
	lexicon_add_word(lex, base);
	free(base);
}

/* Indexes every leading part of every entry of the lexicon named (one of
 * r's, or NULL), cut between two code points (entries are stored folded,
 * so the parts are too). */
static void index_prefixes(asc_rules *r, const struct lexicon *named)
{
	if (!named)
		return;
	struct lexicon *lex = &r->lexicons.items[named - r->lexicons.items];
	size_t pos = 0;
	const char *key;
	int value;
	while (strmap_next(&lex->set, &pos, &key, &value) >= 0) {
		size_t len = strlen(key);
		for (size_t k = 1; k <= len; k++)
			if (k == len || ((unsigned char)key[k] & 0xc0) != 0x80)
				strmap_put(&lex->prefixes, key, k, 1);
	}
}

/* The lexicons the stages read, found once; every lexicon is loaded by
 * now and the array no longer moves. */
static void name_lexicons(asc_rules *r)
{
	struct named_lexicons *l = &r->lex;
	static const struct { const char *name; size_t at; } names[] = {
#define NAMED(field, name) { name, offsetof(struct named_lexicons, field) }
		NAMED(title, "TITLE"), NAMED(nationality, "NATIONALITY"),
		NAMED(role_noun, "ROLE_NOUN"), NAMED(vague, "VAGUE_SOURCE"),
		NAMED(vague_pre, "VAGUE_PREMODIFIER"), NAMED(org, "ORG_NOUN"),
		NAMED(org_common, "ORG_COMMON"), NAMED(document, "DOCUMENT_SOURCE"),
		NAMED(particle, "NAME_PARTICLE"), NAMED(determiner, "DETERMINER"),
		NAMED(connector, "ROLE_CONNECTOR"), NAMED(relative, "RELATIVE_PRONOUN"),
		NAMED(indefinite, "INDEFINITE"), NAMED(article, "ARTICLE"),
		NAMED(outlet_noun, "OUTLET_NOUN"), NAMED(pron_person, "PRONOUN_PERSON"),
		NAMED(pron_group, "PRONOUN_GROUP"), NAMED(pron_thing, "PRONOUN_THING"),
		NAMED(pron_first, "PRONOUN_FIRST"), NAMED(pron_male, "PRONOUN_MALE"),
		NAMED(pron_female, "PRONOUN_FEMALE"), NAMED(male_word, "MALE_WORD"),
		NAMED(female_word, "FEMALE_WORD"), NAMED(given_male, "GIVEN_NAME_MALE"),
		NAMED(given_female, "GIVEN_NAME_FEMALE"), NAMED(abbrev, "ABBREV"),
		NAMED(abbrev_maybe_end, "ABBREV_MAYBE_END"),
		NAMED(sentence_starter, "SENTENCE_STARTER"), NAMED(cue_aux, "CUE_AUX"),
		NAMED(cue_time, "CUE_TIME"), NAMED(weekday, "WEEKDAY"), NAMED(month, "MONTH"),
		NAMED(cue_verb_ing, "CUE_VERB_ING"), NAMED(cue_prep, "CUE_PREP_PHRASE"),
		NAMED(complementizer, "COMPLEMENTIZER"),
#undef NAMED
	};
	for (size_t i = 0; i < sizeof names / sizeof *names; i++)
		*(const struct lexicon **)((char *)l + names[i].at) = rules_lexicon(r, names[i].name);
	/* the lexicons the spotter reads phrase by phrase (spot.c, phrase_at):
	 * a token that begins no entry is passed over with one look-up */
	index_prefixes(r, l->title);
	index_prefixes(r, l->nationality);
	index_prefixes(r, l->vague);
}

/* Fills every `from` lexicon with the forms of its source's lemmas. */
static void make_verb_forms(struct compiler *c)
{
	asc_rules *r = c->r;
	for (size_t i = 0; i < r->lexicons.len; i++) {
		struct lexicon *lex = &r->lexicons.items[i];
		if (!lex->from)
			continue;
		int s = strmap_get(&r->lexicon_index, lex->from, strlen(lex->from));
		if (s < 0 || !r->lexicons.items[s].verbs) {
			fail(c, ASC_ERR_MACRO, lex->from_at.file, lex->from_at.line, lex->from_at.col,
			     "lexicon '%s': from '%s' is not a lexicon with inflect: verbs",
			     lex->name, lex->from);
			continue;
		}
		if (!lex->forms) {
			fail(c, ASC_ERR_SCHEMA, lex->from_at.file, lex->from_at.line, lex->from_at.col,
			     "lexicon '%s': from needs forms%s", lex->name, "");
			continue;
		}
		/* the source may grow while we add to it when both are one */
		size_t n = r->lexicons.items[s].lemmas.len;
		for (size_t k = 0; k < n; k++) {
			for (int f = 0; f < VF_COUNT; f++) {
				if (!(lex->forms & (1u << f)))
					continue;
				lex = &r->lexicons.items[i];
				char *w = verb_form(r->lexicons.items[s].lemmas.items[k], f);
				if (w)
					lexicon_add_word(lex, w);
				free(w);
			}
		}
	}
}

const struct lexicon *rules_lexicon(const asc_rules *r, const char *name)
{
	int i = strmap_get(&r->lexicon_index, name, strlen(name));
	return i < 0 ? NULL : &r->lexicons.items[i];
}

/* Whether set, a map of lex's entries or their parts, holds s[0..n),
 * folded as lex folds its entries. */
static bool folded_has(const struct lexicon *lex, const strmap *set, const char *s, size_t n)
{
	if (!lex->caseless)
		return strmap_get(set, s, n) >= 0;
	char small[128];
	buf key = { 0 };
	const char *k = s;
	bool ascii = n < sizeof small;
	for (size_t i = 0; ascii && i < n; i++) {
		unsigned char ch = (unsigned char)s[i];
		if (ch >= 128)
			ascii = false;
		else
			small[i] = (char)(ch >= 'A' && ch <= 'Z' ? ch + 32 : ch);
	}
	if (ascii) {
		k = small;
	} else {
		utf8_lower(&key, s, n);
		k = key.data;
		n = key.len;
	}
	bool found = strmap_get(set, k, n) >= 0;
	buf_free(&key);
	return found;
}

bool lexicon_has(const struct lexicon *lex, const char *s, size_t n)
{
	return lex && folded_has(lex, &lex->set, s, n);
}

bool lexicon_starts(const struct lexicon *lex, const char *s, size_t n)
{
	if (!lex)
		return false;
	return !lex->prefixes.cap || folded_has(lex, &lex->prefixes, s, n);
}

/* ---- macros, outlets, nominals ---------------------------------------- */

static void load_macros(struct compiler *c, yaml_node_t *map)
{
	if (!want_type(c, map, YAML_MAPPING_NODE, "macros"))
		return;
	asc_rules *r = c->r;
	for (yaml_node_pair_t *p = map->data.mapping.pairs.start;
	     p < map->data.mapping.pairs.top; p++) {
		yaml_node_t *k = node(c, p->key), *v = node(c, p->value);
		const char *name = scalar(k);
		if (!valid_upper_name(name)) {
			fail_at(c, ASC_ERR_SCHEMA, k,
				"macro name '%s' must be upper case letters, digits and _",
				name ? name : "?");
			continue;
		}
		if (strmap_get(&r->macro_index, name, strlen(name)) >= 0 ||
		    strmap_get(&r->lexicon_index, name, strlen(name)) >= 0) {
			fail_at(c, ASC_ERR_SCHEMA, k, "duplicate macro or lexicon '%s'", name);
			continue;
		}
		const char *src = want_string(c, v, "a macro");
		if (!src)
			continue;
		struct macro *m = array_push(&r->macros);
		m->name = xstrdup(name);
		m->source = xstrdup(src);
		m->at = place_of(c, v);
		strmap_put(&r->macro_index, name, strlen(name), (int)r->macros.len - 1);
	}
}

static void add_outlet_phrase(struct compiler *c, const char *s, int outlet)
{
	asc_rules *r = c->r;
	strmap_put(&r->outlet_phrases, s, strlen(s), outlet);
	int w = count_words(s);
	if (w > r->outlet_max_words)
		r->outlet_max_words = w;
}

static void load_outlets(struct compiler *c, yaml_node_t *seq)
{
	if (!want_type(c, seq, YAML_SEQUENCE_NODE, "outlets"))
		return;
	asc_rules *r = c->r;
	for (yaml_node_item_t *it = seq->data.sequence.items.start;
	     it < seq->data.sequence.items.top; it++) {
		yaml_node_t *e = node(c, *it);
		if (!want_type(c, e, YAML_MAPPING_NODE, "an outlet"))
			continue;
		struct outlet o = { 0 };
		for (yaml_node_pair_t *p = e->data.mapping.pairs.start;
		     p < e->data.mapping.pairs.top; p++) {
			yaml_node_t *k = node(c, p->key), *v = node(c, p->value);
			const char *key = scalar(k);
			if (key && !strcmp(key, "name")) {
				const char *s = want_string(c, v, "name");
				if (s && !o.name)
					o.name = xstrdup(s);
			} else if (key && !strcmp(key, "aliases")) {
				string_list(c, v, "aliases", add_to_strings, &o.aliases);
			} else {
				fail_at(c, ASC_ERR_SCHEMA, k, "unknown key '%s' in outlet",
					key ? key : "?");
			}
		}
		if (!o.name) {
			fail_at(c, ASC_ERR_SCHEMA, e, "outlet without a name%s", "");
			for (size_t i = 0; i < o.aliases.len; i++)
				free(o.aliases.items[i]);
			array_free(&o.aliases);
			continue;
		}
		*array_push(&r->outlets) = o;
		int idx = (int)r->outlets.len - 1;
		add_outlet_phrase(c, o.name, idx);
		for (size_t i = 0; i < o.aliases.len; i++)
			add_outlet_phrase(c, o.aliases.items[i], idx);
	}
}

static void load_nominals(struct compiler *c, yaml_node_t *seq)
{
	if (!want_type(c, seq, YAML_SEQUENCE_NODE, "nominals"))
		return;
	asc_rules *r = c->r;
	for (yaml_node_item_t *it = seq->data.sequence.items.start;
	     it < seq->data.sequence.items.top; it++) {
		yaml_node_t *e = node(c, *it);
		if (!want_type(c, e, YAML_MAPPING_NODE, "a nominal"))
			continue;
		struct nominal nm = { .refers_to = -1 };
		for (yaml_node_pair_t *p = e->data.mapping.pairs.start;
		     p < e->data.mapping.pairs.top; p++) {
			yaml_node_t *k = node(c, p->key), *v = node(c, p->value);
			const char *key = scalar(k);
			if (key && !strcmp(key, "words")) {
				string_list(c, v, "words", add_to_strings, &nm.words);
			} else if (key && !strcmp(key, "roles")) {
				string_list(c, v, "roles", add_to_strings, &nm.roles);
			} else if (key && !strcmp(key, "refers_to")) {
				nm.refers_to = lookup_name(entity_type_names, ET_COUNT, scalar(v));
				if (nm.refers_to < 0)
					fail_at(c, ASC_ERR_SCHEMA, v,
						"refers_to must be person, organisation, outlet or group%s", "");
			} else {
				fail_at(c, ASC_ERR_SCHEMA, k, "unknown key '%s' in nominal",
					key ? key : "?");
			}
		}
		if (!nm.words.len || nm.refers_to < 0) {
			if (!nm.words.len)
				fail_at(c, ASC_ERR_SCHEMA, e, "nominal without words%s", "");
			else
				fail_at(c, ASC_ERR_SCHEMA, e, "nominal without refers_to%s", "");
		}
		*array_push(&r->nominals) = nm;
		int idx = (int)r->nominals.len - 1;
		for (size_t i = 0; i < nm.words.len; i++) {
			if (!*nm.words.items[i]) {
				fail_at(c, ASC_ERR_SCHEMA, e, "empty entry in the words of a nominal%s", "");
				continue;
			}
			buf key = { 0 };
			utf8_lower(&key, nm.words.items[i], strlen(nm.words.items[i]));
			strmap_put(&r->nominal_index, key.data, key.len, idx);
			int w = count_words(key.data);
			if (w > r->nominal_max_words)
				r->nominal_max_words = w;
			buf_free(&key);
		}
	}
}

/* ---- rules ------------------------------------------------------------ */

static void load_examples(struct compiler *c, struct rule *rule, yaml_node_t *seq)
{
	if (!want_type(c, seq, YAML_SEQUENCE_NODE, "examples"))
		return;
	for (yaml_node_item_t *it = seq->data.sequence.items.start;
	     it < seq->data.sequence.items.top; it++) {
		yaml_node_t *e = node(c, *it);
		if (!want_type(c, e, YAML_MAPPING_NODE, "an example"))
			continue;
		struct example ex = { .match = true, .at = place_of(c, e) };
		for (yaml_node_pair_t *p = e->data.mapping.pairs.start;
		     p < e->data.mapping.pairs.top; p++) {
			yaml_node_t *k = node(c, p->key), *v = node(c, p->value);
			const char *key = scalar(k);
			if (duplicate_key(c, e, p)) {
				continue;
			} else if (key && !strcmp(key, "text")) {
				const char *s = want_string(c, v, "text");
				if (s && !ex.text)
					ex.text = xstrdup(s);
			} else if (key && !strcmp(key, "match")) {
				parse_bool(c, v, "match", &ex.match);
			} else if (key && !strcmp(key, "captures")) {
				if (!want_type(c, v, YAML_MAPPING_NODE, "captures"))
					continue;
				for (yaml_node_pair_t *q = v->data.mapping.pairs.start;
				     q < v->data.mapping.pairs.top; q++) {
					yaml_node_t *gk = node(c, q->key), *gv = node(c, q->value);
					const char *g = want_string(c, gk, "a group name");
					if (!g)
						continue;
					const char *t = is_null(gv) ? NULL : want_string(c, gv, "a capture");
					if (!t && !is_null(gv))
						continue;
					struct capture *cap = array_push(&ex.captures);
					cap->group = xstrdup(g);
					cap->text = t ? xstrdup(t) : NULL;
				}
			} else {
				fail_at(c, ASC_ERR_SCHEMA, k, "unknown key '%s' in example",
					key ? key : "?");
			}
		}
		if (!ex.text)
			fail_at(c, ASC_ERR_SCHEMA, e, "example without text%s", "");
		*array_push(&rule->examples) = ex;
	}
}

static void load_when(struct compiler *c, struct rule *rule, yaml_node_t *map)
{
	if (!want_type(c, map, YAML_MAPPING_NODE, "when"))
		return;
	struct when *w = &rule->when;
	for (yaml_node_pair_t *p = map->data.mapping.pairs.start;
	     p < map->data.mapping.pairs.top; p++) {
		yaml_node_t *k = node(c, p->key), *v = node(c, p->value);
		const char *key = scalar(k);
		bool b;
		if (!key) {
			fail_at(c, ASC_ERR_SCHEMA, k, "a key of when must be a string%s", "");
		} else if (!strcmp(key, "terminal")) {
			if (parse_bool(c, v, key, &b)) w->terminal = b;
		} else if (!strcmp(key, "repeated")) {
			if (parse_bool(c, v, key, &b)) w->repeated = b;
		} else if (!strcmp(key, "repeats_later")) {
			if (parse_bool(c, v, key, &b)) w->repeats_later = b;
		} else if (!strcmp(key, "before_body")) {
			if (parse_bool(c, v, key, &b)) w->before_body = b;
		} else if (!strcmp(key, "title_case")) {
			if (parse_bool(c, v, key, &b)) w->title_case = b;
		} else if (!strcmp(key, "position")) {
			const char *s = scalar(v);
			if (s && !strcmp(s, "first"))
				w->first = 1;
			else
				fail_at(c, ASC_ERR_SCHEMA, v, "position must be first%s", "");
		} else if (!strcmp(key, "max_words")) {
			parse_int(c, v, key, &w->max_words);
		} else if (!strcmp(key, "min_words")) {
			parse_int(c, v, key, &w->min_words);
		} else if (!strcmp(key, "in_run")) {
			parse_int(c, v, key, &w->in_run);
		} else if (!strcmp(key, "after_kind")) {
			w->after_kind = lookup_name(kind_names, KIND_COUNT, scalar(v));
			if (w->after_kind < 0)
				fail_at(c, ASC_ERR_SCHEMA, v, "after_kind must be a block kind%s", "");
		} else {
			fail_at(c, ASC_ERR_SCHEMA, k, "unknown condition '%s' in when", key);
		}
	}
}

/* A label rule weighs for one side of one field (label, voice or
 * checkworthy): a second such key is an error. */
static void set_side(struct compiler *c, struct rule *rule, yaml_node_t *v, int side)
{
	if (rule->side >= 0)
		fail_at(c, ASC_ERR_SCHEMA, v,
			"a label rule weighs for one of label, voice or checkworthy%s", "");
	else
		rule->side = side;
}

/* calibration: { label: {slope, intercept, score_slope, score_intercept},
 * voice: {slope, intercept, speaker}, checkworthy: {slope, intercept} }
 * (docs/label-rules.md). */
static void load_calibration(struct compiler *c, yaml_node_t *map)
{
	if (!want_type(c, map, YAML_MAPPING_NODE, "calibration"))
		return;
	asc_rules *r = c->r;
	for (yaml_node_pair_t *p = map->data.mapping.pairs.start;
	     p < map->data.mapping.pairs.top; p++) {
		yaml_node_t *k = node(c, p->key), *v = node(c, p->value);
		int f = lookup_name(label_field_names, LF_COUNT, scalar(k));
		if (f < 0) {
			fail_at(c, ASC_ERR_SCHEMA, k, "calibration: '%s' is not label, voice or checkworthy",
				scalar(k) ? scalar(k) : "?");
			continue;
		}
		if (!want_type(c, v, YAML_MAPPING_NODE, "a calibration"))
			continue;
		for (yaml_node_pair_t *q = v->data.mapping.pairs.start;
		     q < v->data.mapping.pairs.top; q++) {
			yaml_node_t *kk = node(c, q->key), *vv = node(c, q->value);
			const char *key = scalar(kk);
			if (key && !strcmp(key, "slope"))
				parse_number(c, vv, key, &r->calibration[f].slope);
			else if (key && !strcmp(key, "intercept"))
				parse_number(c, vv, key, &r->calibration[f].intercept);
			else if (key && f == LF_LABEL && !strcmp(key, "score_slope"))
				parse_number(c, vv, key, &r->calibration[f].score_slope);
			else if (key && f == LF_LABEL && !strcmp(key, "score_intercept"))
				parse_number(c, vv, key, &r->calibration[f].score_intercept);

			else if (key && f == LF_VOICE && !strcmp(key, "speaker"))
				parse_number(c, vv, key, &r->speaker_weight);
			else
				fail_at(c, ASC_ERR_SCHEMA, kk, "unknown key '%s' in calibration",
					key ? key : "?");
		}
	}
}

static bool valid_rule_id(const char *s)
{
	if (!s || !((*s >= 'a' && *s <= 'z') || (*s >= '0' && *s <= '9')))
		return false;
	for (; *s; s++)
		if (!((*s >= 'a' && *s <= 'z') || (*s >= '0' && *s <= '9') ||
		      *s == '.' || *s == '_' || *s == '-'))
			return false;
	return true;
}

/* The raw pattern text of each rule, kept until macros are expanded. */
struct pending {
	char *pattern;
};
typedef ARRAY(struct pending) pending_list;

static void load_rules(struct compiler *c, yaml_node_t *seq, pending_list *pend)
{
	if (!want_type(c, seq, YAML_SEQUENCE_NODE, "rules"))
		return;
	asc_rules *r = c->r;
	for (yaml_node_item_t *it = seq->data.sequence.items.start;
	     it < seq->data.sequence.items.top; it++) {
		yaml_node_t *e = node(c, *it);
		if (!want_type(c, e, YAML_MAPPING_NODE, "a rule"))
			continue;
		struct rule rule = {
			.stage = -1, .kind = -1, .type = -1, .label = -1, .side = -1, .weight = 1.0,
			.at = place_of(c, e),
			.when = { -1, -1, -1, -1, -1, -1, -1, -1, -1, -1 },
		};
		char *pattern = NULL, *flag_prefix = NULL;
		bool has_examples = false, has_when = false;
		for (yaml_node_pair_t *p = e->data.mapping.pairs.start;
		     p < e->data.mapping.pairs.top; p++) {
			yaml_node_t *k = node(c, p->key), *v = node(c, p->value);
			const char *key = scalar(k);
			const char *s = scalar(v);
			if (duplicate_key(c, e, p)) {
				continue;
			} else if (!key) {
				fail_at(c, ASC_ERR_SCHEMA, k, "a rule key must be a string%s", "");
			} else if (!strcmp(key, "id")) {
				if (!s)
					fail_at(c, ASC_ERR_SCHEMA, v, "id must be a string%s", "");
				else if (!valid_rule_id(s))
					fail_at(c, ASC_ERR_SCHEMA, v,
						"id '%s' must be lower case letters, digits, '.', '_' or '-'",
						s ? s : "?");
				else if (!rule.id)
					rule.id = xstrdup(s);
			} else if (!strcmp(key, "description")) {
				if (want_string(c, v, key) && !rule.description)
					rule.description = xstrdup(s);
			} else if (!strcmp(key, "stage")) {
				rule.stage = lookup_name(stage_names, STAGE_COUNT, s);
				if ((int)rule.stage < 0)
					fail_at(c, ASC_ERR_SCHEMA, v,
						"stage '%s' must be block, spot, attribute or label",
						s ? s : "?");
			} else if (!strcmp(key, "pattern")) {
				if (want_string(c, v, key) && !pattern) {
					pattern = xstrdup(s);
					rule.pattern_at = place_of(c, v);
					if (v->data.scalar.style == YAML_SINGLE_QUOTED_SCALAR_STYLE ||
					    v->data.scalar.style == YAML_DOUBLE_QUOTED_SCALAR_STYLE)
						rule.pattern_at.col++;
				}
			} else if (!strcmp(key, "requires")) {
				string_list(c, v, key, add_to_strings, &rule.requires);
				rule.requires_at = place_of(c, v);
			} else if (!strcmp(key, "also_requires")) {
				string_list(c, v, key, add_to_strings, &rule.also);
				rule.also_at = place_of(c, v);
			} else if (!strcmp(key, "examples")) {
				has_examples = true;
				load_examples(c, &rule, v);
			} else if (!strcmp(key, "kind")) {
				rule.kind = lookup_name(kind_names, KIND_COUNT, s);
				if (rule.kind < 0)
					fail_at(c, ASC_ERR_SCHEMA, v,
						"kind '%s' is not a block kind", s ? s : "?");
			} else if (!strcmp(key, "type")) {
				rule.type = lookup_name(attribution_types, -1, s);
				if (rule.type < 0)
					fail_at(c, ASC_ERR_SCHEMA, v,
						"type '%s' is not an attribution type", s ? s : "?");
			} else if (!strcmp(key, "label")) {
				if (s && !strcmp(s, "fact"))
					rule.label = LABEL_FACT;
				else if (s && !strcmp(s, "opinion"))
					rule.label = LABEL_OPINION;
				else
					fail_at(c, ASC_ERR_SCHEMA, v, "label must be fact or opinion%s", "");
				if (rule.label >= 0)
					set_side(c, &rule, v, rule.label == LABEL_FACT ? SIDE_FACT : SIDE_OPINION);
			} else if (!strcmp(key, "voice")) {
				if (s && (!strcmp(s, "author") || !strcmp(s, "attributed")))
					set_side(c, &rule, v, !strcmp(s, "author") ? SIDE_AUTHOR : SIDE_ATTRIBUTED);
				else
					fail_at(c, ASC_ERR_SCHEMA, v, "voice must be author or attributed%s", "");
			} else if (!strcmp(key, "checkworthy")) {
				bool check = true;
				if (parse_bool(c, v, key, &check))
					set_side(c, &rule, v, check ? SIDE_CHECKWORTHY : SIDE_NOT_CHECKWORTHY);
			} else if (!strcmp(key, "weight")) {
				parse_number(c, v, key, &rule.weight);
			} else if (!strcmp(key, "prefix")) {
				parse_bool(c, v, key, &rule.prefix);
			} else if (!strcmp(key, "speaks")) {
				bool speaks = true;
				parse_bool(c, v, key, &speaks);
				rule.silent = !speaks;
			} else if (!strcmp(key, "segments")) {
				ARRAY(char *) kinds = { 0 };
				string_list(c, v, key, add_to_strings, &kinds);
				for (size_t i = 0; i < kinds.len; i++) {
					int kd = lookup_name(kind_names, KIND_COUNT, kinds.items[i]);
					if (kd < 0)
						fail_at(c, ASC_ERR_SCHEMA, v, "segments: '%s' is not a segment kind",
							kinds.items[i]);
					else
						rule.segments |= 1u << kd;
					free(kinds.items[i]);
				}
				array_free(&kinds);
			} else if (!strcmp(key, "when")) {
				has_when = true;
				load_when(c, &rule, v);
			} else if (!strcmp(key, "flags")) {
				/* flags become inline options, so that examples and the
				 * engine see one pattern */
				ARRAY(char *) flags = { 0 };
				string_list(c, v, key, add_to_strings, &flags);
				buf opts = { 0 };
				for (size_t i = 0; i < flags.len; i++) {
					const char *f = flags.items[i];
					char o = !strcmp(f, "caseless") ? 'i' :
						 !strcmp(f, "multiline") ? 'm' :
						 !strcmp(f, "dotall") ? 's' :
						 !strcmp(f, "extended") ? 'x' : 0;
					if (!o)
						fail_at(c, ASC_ERR_SCHEMA, v, "unknown flag '%s'", f);
					else
						buf_addc(&opts, o);
					free(flags.items[i]);
				}
				array_free(&flags);
				if (opts.len && !flag_prefix) {
					buf pre = { 0 };
					buf_printf(&pre, "(?%s)", opts.data);
					flag_prefix = buf_detach(&pre);
				}
				buf_free(&opts);
			} else {
				fail_at(c, ASC_ERR_SCHEMA, k, "unknown key '%s' in rule", key);
			}
		}
		const char *id = rule.id ? rule.id : "?";
		if (!rule.id)
			fail_at(c, ASC_ERR_SCHEMA, e, "rule without an id%s", "");
		else if (strmap_get(&r->rule_ids, rule.id, strlen(rule.id)) >= 0) {
			const struct rule *twin =
				&r->rules.items[strmap_get(&r->rule_ids, rule.id, strlen(rule.id))];
			fail(c, ASC_ERR_SCHEMA, c->file, rule.at.line, rule.at.col,
			     "duplicate rule id '%s' (first defined at %s:%d:%d)",
			     rule.id, twin->at.file, twin->at.line, twin->at.col);
		}
		if (!rule.description)
			fail_at(c, ASC_ERR_SCHEMA, e, "rule '%s' has no description", id);
		if ((int)rule.stage < 0)
			fail_at(c, ASC_ERR_SCHEMA, e, "rule '%s' has no stage", id);
		if (!has_examples || !rule.examples.len)
			fail_at(c, ASC_ERR_SCHEMA, e, "rule '%s' has no examples", id);
		if (!pattern && !(rule.stage == STAGE_BLOCK && has_when))
			fail_at(c, ASC_ERR_SCHEMA, e, "rule '%s' has no pattern", id);
		if (rule.stage == STAGE_BLOCK && rule.kind < 0)
			fail_at(c, ASC_ERR_SCHEMA, e, "block rule '%s' needs a kind", id);
		if (rule.stage == STAGE_ATTRIBUTE && rule.type < 0)
			fail_at(c, ASC_ERR_SCHEMA, e, "attribute rule '%s' needs a type", id);
		if (rule.stage == STAGE_LABEL && rule.side < 0)
			fail_at(c, ASC_ERR_SCHEMA, e,
				"label rule '%s' needs a label, a voice or checkworthy", id);
		if (rule.id && strmap_get(&r->rule_ids, rule.id, strlen(rule.id)) < 0)
			strmap_put(&r->rule_ids, rule.id, strlen(rule.id), (int)r->rules.len);
		if (flag_prefix && pattern) {
			buf joined = { 0 };
			buf_adds(&joined, flag_prefix);
			buf_adds(&joined, pattern);
			free(pattern);
			pattern = buf_detach(&joined);
		}
		free(flag_prefix);
		*array_push(&r->rules) = rule;
		array_push(pend)->pattern = pattern;
	}
}

/* ---- files ------------------------------------------------------------ */

/* Line and column (in code points) of byte offset off of file f; for a
 * bad trailing byte, of the byte that leads its sequence. */
static void place_of_offset(FILE *f, size_t off, bool trailing, int *line, int *col)
{
	rewind(f);
	int l = 1, cl = 1, lead_line = 1, lead_col = 1;
	for (size_t i = 0; i < off; i++) {
		int ch = getc(f);
		if (ch == EOF)
			break;
		if (ch >= 0xC0) {
			lead_line = l;
			lead_col = cl;
		}
		if (ch == '\n') {
			l++;
			cl = 1;
		} else if ((ch & 0xC0) != 0x80) {
			cl++;
		}
	}
	*line = trailing ? lead_line : l;
	*col = trailing ? lead_col : cl;
}

/* A node that more than one sequence or mapping holds (through an alias),
 * or NULL. */
static yaml_node_t *repeated_node(yaml_document_t *doc)
{
	size_t n = (size_t)(doc->nodes.top - doc->nodes.start);
	unsigned char *seen = xcalloc(n + 1, 1);
	yaml_node_t *found = NULL;
	for (yaml_node_t *nd = doc->nodes.start; nd < doc->nodes.top && !found; nd++) {
		int ids[2];
		if (nd->type == YAML_SEQUENCE_NODE) {
			for (yaml_node_item_t *it = nd->data.sequence.items.start;
			     it < nd->data.sequence.items.top && !found; it++)
				if (*it >= 1 && (size_t)*it <= n && seen[*it]++)
					found = yaml_document_get_node(doc, *it);
		} else if (nd->type == YAML_MAPPING_NODE) {
			for (yaml_node_pair_t *p = nd->data.mapping.pairs.start;
			     p < nd->data.mapping.pairs.top && !found; p++) {
				ids[0] = p->key;
				ids[1] = p->value;
				for (int k = 0; k < 2 && !found; k++)
					if (ids[k] >= 1 && (size_t)ids[k] <= n && seen[ids[k]]++)
						found = yaml_document_get_node(doc, ids[k]);
			}
		}
	}
	free(seen);
	return found;
}

static void load_file(struct compiler *c, const char *path, pending_list *pend)
{
	FILE *f = fopen(path, "rb");
	if (!f) {
		fail(c, ASC_ERR_IO, path, 0, 0, "cannot open: %s", strerror(errno));
		return;
	}
	yaml_parser_t parser;
	yaml_document_t doc;
	yaml_parser_initialize(&parser);
	yaml_parser_set_input_file(&parser, f);
	if (!yaml_parser_load(&parser, &doc)) {
		int line = (int)parser.problem_mark.line + 1;
		int col = (int)parser.problem_mark.column + 1;
		const char *problem = parser.problem ? parser.problem : "error";
		/* the reader (bad UTF-8, a control character) gives a byte offset,
		 * not a mark */
		bool reader = parser.error == YAML_READER_ERROR;
		if (reader)
			place_of_offset(f, parser.problem_offset, strstr(problem, "trailing") != NULL,
					&line, &col);
		fail(c, ASC_ERR_YAML, path, line, col, "%s%s%s%s",
		     reader ? "YAML: " : "YAML syntax: ", problem,
		     parser.context ? " " : "", parser.context ? parser.context : "");
		yaml_parser_delete(&parser);
		fclose(f);
		return;
	}
	c->file = path;
	/* the node helpers read it; it is set back to NULL before doc dies */
	/* cppcheck-suppress autoVariables */
	c->doc = &doc;
	yaml_node_t *root = yaml_document_get_root_node(&doc);
	yaml_node_t *repeated = repeated_node(&doc);
	if (repeated) {
		/* each use of an alias would be loaded again: a few lines of
		 * aliases of aliases make billions of rules */
		fail_at(c, ASC_ERR_SCHEMA, repeated,
			"YAML anchors and aliases are not allowed in rule files (this node is used more than once)%s",
			"");
	} else if (root && want_type(c, root, YAML_MAPPING_NODE, "a rule file")) {
		for (yaml_node_pair_t *p = root->data.mapping.pairs.start;
		     p < root->data.mapping.pairs.top; p++) {
			yaml_node_t *k = node(c, p->key), *v = node(c, p->value);
			const char *key = scalar(k);
			if (duplicate_key(c, root, p))
				continue;
			if (key && !strcmp(key, "lexicons"))
				load_lexicons(c, v);
			else if (key && !strcmp(key, "macros"))
				load_macros(c, v);
			else if (key && !strcmp(key, "outlets"))
				load_outlets(c, v);
			else if (key && !strcmp(key, "nominals"))
				load_nominals(c, v);
			else if (key && !strcmp(key, "rules"))
				load_rules(c, v, pend);
			else if (key && !strcmp(key, "calibration"))
				load_calibration(c, v);
			else
				fail_at(c, ASC_ERR_SCHEMA, k,
					"unknown top-level key '%s' (expected lexicons, macros, outlets, nominals, rules or calibration)",
					key ? key : "?");
		}
	}
	c->doc = NULL;
	yaml_document_delete(&doc);
	yaml_parser_delete(&parser);
	fclose(f);
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static bool has_yaml_suffix(const char *name)
{
	size_t n = strlen(name);
	return (n > 5 && !strcmp(name + n - 5, ".yaml")) ||
	       (n > 4 && !strcmp(name + n - 4, ".yml"));
}

static void list_files(struct compiler *c, const char *dir, int depth)
{
	DIR *d = opendir(dir);
	if (!d) {
		fail(c, ASC_ERR_IO, dir, 0, 0, "cannot open rule directory: %s",
		     strerror(errno));
		return;
	}
	struct dirent *e;
	while ((e = readdir(d))) {
		if (e->d_name[0] == '.')
			continue;
		buf path = { 0 };
		buf_printf(&path, "%s/%s", dir, e->d_name);
		struct stat st;
		if (stat(path.data, &st) == 0 && S_ISDIR(st.st_mode) && depth < 8)
			list_files(c, path.data, depth + 1);
		else if (S_ISREG(st.st_mode) && has_yaml_suffix(e->d_name)) {
			*array_push(&c->r->files) = buf_detach(&path);
			continue;
		}
		buf_free(&path);
	}
	closedir(d);
}

/* ---- macro expansion -------------------------------------------------- */

/* Appends one literal code point (or a run of spaces, which matches any
 * white space) of w at *p, advancing *p. */
static void append_literal_cp(buf *out, const char **p)
{
	const char *c = *p;
	if (*c == ' ') {
		while (c[1] == ' ')
			c++;
		buf_adds(out, "[\\s\\x{a0}]+");
		*p = c + 1;
		return;
	}
	if (strchr("\\^$.|?*+()[]{}#-", *c)) {
		buf_addc(out, '\\');
		buf_addc(out, *c);
		*p = c + 1;
		return;
	}
	int32_t cp;
	int n = utf8_decode((const unsigned char *)c, strlen(c), &cp);
	buf_add(out, c, (size_t)n);
	*p = c + n;
}

static int cmp_str_ptr(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static size_t cp_len(const char *s)
{
	int32_t cp;
	if (*s == ' ') {
		size_t n = 1;
		while (s[n] == ' ')
			n++;
		return n;
	}
	return (size_t)utf8_decode((const unsigned char *)s, strlen(s), &cp);
}

/* The end of the run of sorted words[i..n) that share the code point at
 * byte `at` of words[i] (a run of spaces counts as one). */
static size_t same_cp_end(char **words, size_t n, size_t i, size_t at)
{
	size_t len = cp_len(words[i] + at), j = i + 1;
	while (j < n && cp_len(words[j] + at) == len && !memcmp(words[j] + at, words[i] + at, len))
		j++;
	return j;
}

/* Emits a regex for the sorted suffixes words[0..n), each read from byte
 * `at`, as a trie: branches start with distinct code points, so a failing
 * position is rejected after one comparison per level instead of one per
 * word, and the longest entry still matches first. */
static void trie_regex(buf *out, char **words, size_t n, size_t at)
{
	bool ends = false;
	while (n && !words[0][at]) {   /* sorted: empty suffixes come first */
		ends = true;
		words++;
		n--;
	}
	if (!n)
		return;
	bool wrap = ends || same_cp_end(words, n, 0, at) < n;
	if (wrap)
		buf_adds(out, "(?:");
	for (size_t i = 0; i < n;) {
		size_t j = same_cp_end(words, n, i, at);
		if (i)
			buf_addc(out, '|');
		const char *c = words[i] + at;
		append_literal_cp(out, &c);
		trie_regex(out, words + i, j - i, at + cp_len(words[i] + at));
		i = j;
	}
	if (wrap)
		buf_adds(out, ends ? ")?" : ")");
}

/* A look-ahead for the first characters of sorted words[0..n), none empty:
 * PCRE2's JIT tries the first level of a trie branch by branch, and a
 * lexicon is called at many places where none of them is, while a class
 * is one test.  It admits what the trie admits (under (?i), both fold
 * the same way), so no match changes. */
static void first_char_guard(buf *out, char **words, size_t n)
{
	/* sorted: an empty word would come first; one first character needs
	 * no class */
	if (!n || !words[0][0] || same_cp_end(words, n, 0, 0) == n)
		return;
	buf_adds(out, "(?=[");
	for (size_t i = 0; i < n; i = same_cp_end(words, n, i, 0)) {
		int32_t cp;
		utf8_decode((const unsigned char *)words[i], cp_len(words[i]), &cp);
		buf_printf(out, "\\x{%x}", (unsigned)cp);
	}
	buf_adds(out, "])");
}

/* Sorts the strings v[0..n) and frees repeats; returns how many are left. */
static size_t sort_unique(char **v, size_t n)
{
	if (n)
		qsort(v, n, sizeof *v, cmp_str_ptr);
	size_t u = 0;
	for (size_t i = 0; i < n; i++) {
		if (u && !strcmp(v[u - 1], v[i]))
			free(v[i]);
		else
			v[u++] = v[i];
	}
	return u;
}

/* Builds lex's alternation. */
static void lexicon_regex(struct lexicon *lex)
{
	buf out = { 0 };
	if (!lex->words.len) {
		lex->regex = xstrdup("(*FAIL)");
		return;
	}
	/* a caseless lexicon is matched under (?i): its entries are folded so
	 * that "The" and "the" share a branch */
	char **sorted = xmalloc(lex->words.len * sizeof *sorted);
	size_t n = 0;
	for (size_t i = 0; i < lex->words.len; i++) {
		buf w = { 0 };
		if (lex->caseless)
			utf8_lower(&w, lex->words.items[i], strlen(lex->words.items[i]));
		else
			buf_adds(&w, lex->words.items[i]);
		sorted[n++] = buf_detach(&w);
	}
	size_t u = sort_unique(sorted, n);
	buf_adds(&out, lex->caseless ? "(?i:" : "(?:");
	first_char_guard(&out, sorted, u);
	trie_regex(&out, sorted, u, 0);
	buf_addc(&out, ')');
	for (size_t i = 0; i < u; i++)
		free(sorted[i]);
	free(sorted);
	lex->regex = buf_detach(&out);
}

/* ---- large lexicons, matched through a callout ------------------------ */

static void free_strings(char **items, size_t n);

/* A lexicon of at least this many entries is matched by a callout that
 * looks the text up in a sorted table of its entries, instead of by its
 * alternation compiled into every pattern that calls it: a trie of 900 cue
 * verbs is 160 KB of JIT code in each (docs/rules.md, "Large lexicons"). */
enum { LEXCALL_MIN_WORDS = 16, LEXCALL_MAX_CPS = 255 };

static bool is_ascii_space(unsigned char c)
{
	return c == ' ' || (c >= '\t' && c <= '\r');
}

/* For a folding table, the second byte of a letter U+00C0 to U+00FE
 * (first byte 0xC3) lower-cased, or -1 for one whose case PCRE2 does not
 * pair with just one other letter: the Angstrom sign is an A with a ring
 * too, the sharp s has a capital outside the block, and the y with
 * diaeresis one in Latin Extended-A (and the two signs are not letters). */
static int latin1_lower(unsigned char b)
{
	if (b < 0x80 || b > 0xbe || b == 0x85 || b == 0xa5 || b == 0x97 || b == 0xb7 ||
	    b == 0x9f)
		return -1;
	return b <= 0x9e ? b + 0x20 : b;
}

/* What a subject character at text[*i] compares as: a run of white space
 * (what "[\s\x{a0}]+" takes, all of it) as one space; under fold an ASCII
 * letter lower-cased, and the Kelvin sign and the long s as the ASCII
 * letters PCRE2 folds them with.  Advances *i.  Returns -1 for a
 * character no entry can hold there. */
static int subject_other(const struct lexcall *lc, const char *text, size_t len, size_t *i)
{
	const unsigned char *t = (const unsigned char *)text;
	unsigned char c = t[*i];
	if (is_ascii_space(c) || (c == 0xc2 && *i + 1 < len && t[*i + 1] == 0xa0)) {
		while (*i < len) {
			if (is_ascii_space(t[*i]))
				*i += 1;
			else if (t[*i] == 0xc2 && *i + 1 < len && t[*i + 1] == 0xa0)
				*i += 2;
			else
				break;
		}
		return ' ';
	}
	if (c < 0x80) {
		*i += 1;
		return lc->fold && c >= 'A' && c <= 'Z' ? c + 32 : c;
	}
	if (!lc->fold) {
		*i += 1;   /* byte by byte */
		return c;
	}
	/* the entries of a folding table are ASCII, or letters of
	 * latin1_lower() */
	if (c == 0xc3 && *i + 1 < len && latin1_lower(t[*i + 1]) >= 0) {
		*i += 1;
		return c;
	}
	int low = (c & 0xc0) == 0x80 && *i > 0 && t[*i - 1] == 0xc3 ? latin1_lower(c) : -1;
	if (low >= 0) {
		*i += 1;
		return low;
	}
	if (c == 0xe2 && *i + 2 < len && t[*i + 1] == 0x84 && t[*i + 2] == 0xaa) {
		*i += 3;
		return 'k';
	}
	if (c == 0xc5 && *i + 1 < len && t[*i + 1] == 0xbf) {
		*i += 2;
		return 's';
	}
	return -1;
}

/* subject_other(), with the usual case, a printable ASCII character,
 * inline. */
static inline int subject_byte(const struct lexcall *lc, const char *text, size_t len,
			       size_t *i)
{
	unsigned char c = (unsigned char)text[*i];
	if (c > ' ' && c < 0x80) {
		*i += 1;
		return lc->fold && c >= 'A' && c <= 'Z' ? c + 32 : c;
	}
	return subject_other(lc, text, len, i);
}

/* The number of children of the node whose header is h (rules.h). */
static inline uint32_t lexnode_kids(uint32_t h)
{
	return h >> 1 & 0x1ff;
}

/* The child by byte c of the node at place node, whose header is h, or 0.
 * A chain of single children is a cell each, one after the other; most
 * other nodes have a few children, whose bytes a loop compares sooner than
 * a call to memchr() would. */
static inline uint32_t trie_kid(const struct lexcall *lc, uint32_t node, uint32_t h, uint8_t c)
{
	uint32_t n = lexnode_kids(h);
	if (n == 1)
		return (h >> 16 & 0xff) == c ? node + 1 : 0;
	const uint8_t *kb = (const uint8_t *)(lc->cells + node + 1);
	const uint32_t *kn = lc->cells + node + 1 + (n + 3) / 4;
	if (n > 8) {
		const void *hit = memchr(kb, c, n);
		return hit ? kn[(const uint8_t *)hit - kb] : 0;
	}
	for (uint32_t k = 0; k < n; k++)
		if (kb[k] == c)
			return kn[k];
	return 0;
}

int lexcall_match(const struct lexcall *lc, const char *text, size_t len, size_t at,
		  struct lexcall_end *ends, int max)
{
	struct lexcall_end found[LEXCALL_MAX_DEPTH + 1];
	int nfound = 0;
	size_t i = at;
	if (i >= len)
		return 0;
	int c = subject_byte(lc, text, len, &i);
	uint32_t node = c < 0 ? 0 : lc->root[c];
	while (node) {
		uint32_t h = lc->cells[node];
		if (h & LEXNODE_END) {
			if (nfound == LEXCALL_MAX_DEPTH + 1)
				break;
			found[nfound++] = (struct lexcall_end){ i };
		}
		if (!lexnode_kids(h) || i >= len || (c = subject_byte(lc, text, len, &i)) < 0)
			break;
		node = trie_kid(lc, node, h, (uint8_t)c);
	}
	int n = nfound < max ? nfound : max;
	for (int k = 0; k < n; k++)
		ends[k] = found[nfound - 1 - k];
	return nfound;
}

/* Writes the node of the trie for the entries e[lo, hi), which share
 * their first d bytes, at place *next, and its descendants after it;
 * returns its place. */
static uint32_t trie_node(struct lexcall *lc, size_t *next, size_t lo, size_t hi, size_t d)
{
	uint32_t self = (uint32_t)(*next)++;
	uint32_t h = 0;
	/* an entry that ends here sorts first */
	if (lo < hi && !lc->entries[lo][d]) {
		h = LEXNODE_END;
		lo++;
	}
	size_t groups = 0;
	for (size_t k = lo; k < hi; k++)
		if (k == lo || lc->entries[k][d] != lc->entries[k - 1][d])
			groups++;
	h |= (uint32_t)groups << 1;
	size_t bytes_at = *next, kids_at = bytes_at + (groups + 3) / 4;
	if (groups > 1)
		*next = kids_at + groups;
	size_t g = 0;
	for (size_t k = lo; k < hi; g++) {
		size_t e = k + 1;
		while (e < hi && lc->entries[e][d] == lc->entries[k][d])
			e++;
		uint8_t byte = (uint8_t)lc->entries[k][d];
		uint32_t kid = trie_node(lc, next, k, e, d + 1);
		if (groups == 1) {
			h |= (uint32_t)byte << 16;   /* the child is at self + 1 */
		} else {
			((uint8_t *)(lc->cells + bytes_at))[g] = byte;
			lc->cells[kids_at + g] = kid;
		}
		k = e;
	}
	lc->cells[self] = h;
	return self;
}

/* Builds the trie of sorted, unique entries.  A node takes at most one
 * header cell, a cell for each child and one for up to four children's
 * bytes; there is a node for each byte of the entries at most. */
static void lexcall_index(struct lexcall *lc)
{
	size_t bytes = 1;
	for (size_t k = 0; k < lc->n; k++)
		bytes += strlen(lc->entries[k]);
	lc->cells = xcalloc(3 * bytes + 2, sizeof *lc->cells);
	size_t next = 1;
	for (size_t k = 0; k < lc->n;) {
		unsigned char b = (unsigned char)lc->entries[k][0];
		size_t e = k + 1;
		while (e < lc->n && (unsigned char)lc->entries[e][0] == b)
			e++;
		lc->root[b] = trie_node(lc, &next, k, e, 1);
		k = e;
	}
}

/* An entry as the table holds it, or NULL when the callout could not
 * match it exactly as the alternation does: an empty entry, one with
 * white space at an end or other than a plain space, or, when the table
 * folds case, a character outside ASCII but for the letters of
 * latin1_lower(). */
static char *lexcall_entry(const char *w, bool fold)
{
	size_t n = strlen(w);
	if (!n || w[0] == ' ' || w[n - 1] == ' ')
		return NULL;
	buf out = { 0 };
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)w[i];
		int low = fold && c == 0xc3 && i + 1 < n ? latin1_lower((unsigned char)w[i + 1]) : -1;
		if (low >= 0) {
			buf_addc(&out, (char)c);
			buf_addc(&out, (char)low);
			i++;
			continue;
		}
		if ((c != ' ' && is_ascii_space(c)) || (c == 0xc2 && w[i + 1] == (char)0xa0) ||
		    (fold && c >= 0x80)) {
			buf_free(&out);
			return NULL;
		}
		if (c == ' ' && w[i + 1] == ' ')
			continue;
		buf_addc(&out, (char)(fold && c >= 'A' && c <= 'Z' ? c + 32 : c));
	}
	return buf_detach(&out);
}

static void lexcall_free(struct lexcall *lc)
{
	free_strings(lc->entries, lc->n);
	free(lc->entries);
	free(lc->cells);
	free(lc->body);
}

/* The body of a callout lexicon, the same in every pattern: a look-ahead
 * for its first characters, then a callout that looks the text up and
 * picks the longest entry there, and on backtracking a callout for each
 * next longest; then what takes the picked entry, atomically.  A run of
 * ASCII letters takes the text to the entry's end when it is one word;
 * otherwise the text is taken a character at a time up to the entry's end
 * (an entry of several words matches any run of white space between them,
 * so its length in the text is known only from the look-up).  Nothing
 * that could call out comes between a pick and what takes its entry, and
 * backtracking into the body reaches a pick again, never what took the
 * entry: it never reads another lexicon's pick. */
static char *lexcall_body(const struct lexcall *lc, size_t index)
{
	buf out = { 0 };
	buf_adds(&out, lc->fold ? "(?i:" : "(?:");
	first_char_guard(&out, lc->entries, lc->n);
	buf_printf(&out, "(?C\"%c%zu\")", LEXCALL_PICK, index);
	if (lc->depth > 1) {
		/* the pick of rank 0 is made once, before the ranks */
		buf_adds(&out, "(?:");
		for (int k = 1; k < lc->depth; k++)
			buf_printf(&out, "|(?C\"%c%zu\")", LEXCALL_PICK + k, index);
		buf_addc(&out, ')');
	}
	buf_printf(&out, "(?>(?-i:[A-Za-z]++)(?C%d)|[\\s\\S]+?(?C%d)))", LEXCALL_END_CALLOUT,
		   LEXCALL_END_CALLOUT);
	return buf_detach(&out);
}

/* 1 + the index of the table that matches lexicon k in a pattern that
 * leaves (?i) in force at its end (caseless_at_end() gives 1), or not (0),
 * or -1 when it is matched by its alternation there.  A case-sensitive
 * lexicon under (?i) keeps its alternation: its branches for "A" and "a"
 * would both match, in an order a table of entries does not keep. */
static int lexcall_for(asc_rules *r, size_t k, int caseless)
{
	struct lexicon *lex = &r->lexicons.items[k];
	if (caseless < 0 || (caseless && !lex->caseless))
		return -1;
	if (lex->call)
		return lex->call;
	lex->call = -1;
	bool fold = lex->caseless;
	if (lex->words.len < LEXCALL_MIN_WORDS || getenv("ASCRIBE_NO_LEXCALL"))
		return -1;
	struct lexcall lc = { .fold = fold };
	lc.entries = xmalloc(lex->words.len * sizeof *lc.entries);
	bool ok = true;
	for (size_t i = 0; i < lex->words.len && ok; i++) {
		char *e = lexcall_entry(lex->words.items[i], fold);
		/* a long entry would be taken in as many steps */
		if (!e || utf8_count(e, strlen(e)) > LEXCALL_MAX_CPS)
			ok = false;
		if (e)
			lc.entries[lc.n++] = e;
	}
	if (ok) {
		lc.n = sort_unique(lc.entries, lc.n);
		/* the most entries that match at one place: those an entry
		 * starts with, itself included */
		lexcall_index(&lc);
		struct lexcall_end ends[LEXCALL_MAX_DEPTH];
		for (size_t i = 0; i < lc.n && ok; i++) {
			int m = lexcall_match(&lc, lc.entries[i], strlen(lc.entries[i]), 0, ends,
					      LEXCALL_MAX_DEPTH);
			if (m > LEXCALL_MAX_DEPTH)
				ok = false;
			else if (m > lc.depth)
				lc.depth = m;
		}
	}
	if (!ok) {
		lexcall_free(&lc);
		return -1;
	}
	lc.body = lexcall_body(&lc, r->lexcalls.len);
	*array_push(&r->lexcalls) = lc;
	lex->call = (int)r->lexcalls.len;
	return lex->call;
}

/* Whether a pattern, read up to where its DEFINE group will start, leaves
 * (?i) in force there, where the lexicons' bodies are compiled: 1 when it
 * opens with (?i), 0 when it sets no options at all, -1 for anything else
 * (an option set inside it, (?U), (?x)), where the alternation is used. */
static int caseless_at_end(const char *p, size_t n)
{
	int caseless = 0;
	size_t i = 0;
	if (n >= 4 && !memcmp(p, "(?i)", 4)) {
		caseless = 1;
		i = 4;
	}
	for (; i + 2 < n; i++) {
		if (p[i] != '(' || p[i + 1] != '?')
			continue;
		size_t j = i + 2;
		while (j < n && ((p[j] >= 'a' && p[j] <= 'z') || (p[j] >= 'A' && p[j] <= 'Z') ||
				 p[j] == '^' || p[j] == '-'))
			j++;
		if (j > i + 2 && j < n && p[j] == ')')
			return -1;
	}
	return caseless;
}

/* Which macros and lexicons a pattern calls. */
struct uses {
	bool *macro, *lexicon;
};

static void uses_init(const asc_rules *r, struct uses *u)
{
	u->macro = xcalloc(r->macros.len + 1, sizeof(bool));
	u->lexicon = xcalloc(r->lexicons.len + 1, sizeof(bool));
}

static void uses_free(struct uses *u)
{
	free(u->macro);
	free(u->lexicon);
}

static bool has_named_group(const char *s)
{
	for (const char *p = strstr(s, "(?"); p; p = strstr(p + 1, "(?")) {
		if ((p[2] == '<' && p[3] != '=' && p[3] != '!') || p[2] == '\'' ||
		    (p[2] == 'P' && p[3] == '<'))
			return true;
	}
	return false;
}

static bool expand(struct compiler *c, const char *src, struct place at,
		   const char *what, buf *out, struct uses *u);

static bool expand_macro(struct compiler *c, struct macro *m)
{
	if (m->state == 2)
		return m->expanded != NULL;
	if (m->state == 1) {
		fail(c, ASC_ERR_MACRO, m->at.file, m->at.line, m->at.col,
		     "macro cycle through '%s'", m->name);
		return false;
	}
	m->state = 1;
	buf out = { 0 };
	char what[160];
	snprintf(what, sizeof what, "macro '%s'", m->name);
	struct uses u;
	uses_init(c->r, &u);
	bool ok = expand(c, m->source, m->at, what, &out, &u);
	m->state = 2;
	m->captures = has_named_group(m->source);
	m->expanded = ok ? buf_detach(&out) : NULL;
	m->uses_macro = u.macro;
	m->uses_lexicon = u.lexicon;
	buf_free(&out);
	return ok;
}

/* Expands {NAME} references.  A lexicon, or a macro without named groups,
 * becomes a subroutine call (?&_lN) / (?&_mN) whose body define_used()
 * appends once in a DEFINE group: large lexicons used many times would
 * otherwise blow PCRE2's compiled-size limit.  A macro with named groups
 * is copied inline, since captures made inside a subroutine call are
 * discarded when it returns.  Anything else in braces is left for PCRE2
 * (quantifiers such as {2,3}). */
/* Macros whose expansion is at most this long are copied in, not called. */
enum { INLINE_MAX = 64 };

static bool expand(struct compiler *c, const char *src, struct place at,
		   const char *what, buf *out, struct uses *u)
{
	asc_rules *r = c->r;
	bool ok = true;
	for (const char *p = src; *p; p++) {
		/* macros with named groups are copied in: nested, they can double
		 * at every level (docs/limits.md) */
		if (out->len > ASC_MAX_EXPANDED_BYTES) {
			fail(c, ASC_ERR_MACRO, at.file, at.line, at.col,
			     "%s: expands to more than %d bytes", what, ASC_MAX_EXPANDED_BYTES);
			return false;
		}
		if (*p == '\\' && p[1]) {
			/* \p{L}, \x{201c}, \g{1}: the braces belong to the escape */
			if (strchr("pPxNgko", p[1]) && p[2] == '{') {
				const char *close = strchr(p + 2, '}');
				size_t n = close ? (size_t)(close - p) + 1 : strlen(p);
				buf_add(out, p, n);
				p += n - 1;
				continue;
			}
			buf_add(out, p, 2);
			p++;
			continue;
		}
		if (*p != '{' || !(p[1] >= 'A' && p[1] <= 'Z')) {
			buf_addc(out, *p);
			continue;
		}
		const char *q = p + 1;
		while ((*q >= 'A' && *q <= 'Z') || (*q >= '0' && *q <= '9') || *q == '_')
			q++;
		if (*q != '}') {
			buf_addc(out, *p);
			continue;
		}
		size_t n = (size_t)(q - p - 1);
		int mi = strmap_get(&r->macro_index, p + 1, n);
		int li = strmap_get(&r->lexicon_index, p + 1, n);
		if (mi >= 0) {
			struct macro *m = &r->macros.items[mi];
			if (!expand_macro(c, m)) {
				ok = false;
			} else if (m->captures) {
				buf_printf(out, "(?:%s)", m->expanded);
				for (size_t k = 0; k < r->macros.len; k++)
					u->macro[k] |= m->uses_macro[k];
				for (size_t k = 0; k < r->lexicons.len; k++)
					u->lexicon[k] |= m->uses_lexicon[k];
			} else if (strlen(m->expanded) <= INLINE_MAX && !strstr(m->expanded, "(?&")) {
				/* a short body is copied in: PCRE2 sees through it and
				 * can make a repeat before it possessive, which it never
				 * does across a subroutine call */
				buf_printf(out, "(?:%s)", m->expanded);
			} else {
				buf_printf(out, "(?&_m%d)", mi);
				u->macro[mi] = true;
			}
		} else if (li >= 0) {
			buf_printf(out, "(?&_l%d)", li);
			u->lexicon[li] = true;
		} else {
			fail(c, ASC_ERR_MACRO, at.file, at.line,
			     at.col + (int)(p - src), "%s: unknown macro or lexicon '{%.*s}'",
			     what, (int)n, p + 1);
			ok = false;
		}
		p = q;
	}
	return ok;
}

/* The groups of a pattern's DEFINE block: a body per macro (_mN) and per
 * lexicon (_lN, from index nm on) the pattern calls, how often the
 * pattern and the bodies call it, and whether each call is replaced by
 * the body. */
struct defines {
	size_t nm, n;
	const char **body;
	int *calls;
	bool *inlined, *table, *busy;
};

/* The group a call "(?&_mN)" or "(?&_lN)" at q names, or -1; *end is
 * where the call ends.  After an odd run of backslashes, from, the "(" is
 * a literal. */
static long called_group(const struct defines *d, const char *from, const char *q,
			 const char **end)
{
	size_t slashes = 0;
	while (q - slashes > from && q[-1 - (long)slashes] == '\\')
		slashes++;
	char *e;
	unsigned long k = strtoul(q + 5, &e, 10);
	*end = e + 1;
	if (slashes % 2 || *e != ')' || e == q + 5)
		return -1;
	size_t g = q[4] == 'm' ? k : d->nm + k;
	if ((q[4] == 'm' && k >= d->nm) || g >= d->n || !d->body[g])
		return -1;
	return (long)g;
}

static const char *next_call(const char *p)
{
	const char *m = strstr(p, "(?&_m"), *l = strstr(p, "(?&_l");
	return !m ? l : !l ? m : m < l ? m : l;
}

/* The "]" that closes the character class opening at q, or NULL: "]"
 * first is a member, as is anything escaped. */
static const char *class_end(const char *q)
{
	q++;
	if (*q == '^')
		q++;
	if (*q == ']')
		q++;
	for (; *q && *q != ']'; q++) {
		if (*q == '\\' && q[1])
			q++;
		else if (*q == '[' && q[1] == ':' && strchr(q + 2, ']'))
			q = strchr(q + 2, ']');
	}
	return *q ? q : NULL;
}

/* The first character at or after q that is syntax of a pattern: not
 * escaped, not quoted by \Q...\E, not in a character class; NULL at the
 * end, or where a class or quotation is not closed. */
static const char *next_syntax(const char *q)
{
	for (; *q; q++) {
		if (q[0] == '\\' && q[1] == 'Q') {
			const char *e = strstr(q + 2, "\\E");
			if (!e)
				return NULL;
			q = e + 1;
		} else if (*q == '\\') {
			if (!q[1])
				return NULL;
			q++;
		} else if (*q == '[') {
			if (!(q = class_end(q)))
				return NULL;
		} else {
			return q;
		}
	}
	return NULL;
}

/* Whether the quantifier at p, if any, makes PCRE2 compile what it
 * follows more than once: a counted repeat that may go past one ({2},
 * {0,3}, {2,}), which PCRE2 writes out copy by copy. */
static bool copies_before(const char *p)
{
	if (*p != '{')
		return false;
	char *e;
	long lo = strtol(p + 1, &e, 10);
	bool low = e > p + 1;
	if (*e == '}')
		return low && lo >= 2;
	if (*e != ',')
		return false;
	const char *f = e + 1;
	long hi = strtol(f, &e, 10);
	if (*e != '}' || (!low && e == f))
		return false;
	return e == f ? lo >= 2 : hi >= 2;
}

/* Counts the calls in text.  A call inside a group that a counted repeat
 * follows (or followed by one itself) counts twice: PCRE2 compiles it
 * once per copy, and a body copied there would be compiled as often. */
static void count_calls(struct defines *d, const char *text, int_list *record)
{
	ARRAY(const char *) open = { 0 };
	ARRAY(struct span) copied = { 0 };
	for (const char *q = next_syntax(text); q; q = next_syntax(q + 1)) {
		if (*q == '(') {
			*array_push(&open) = q;
		} else if (*q == ')' && open.len) {
			const char *from = open.items[--open.len];
			if (copies_before(q + 1))
				*array_push(&copied) = (struct span){ (uint32_t)(from - text),
								      (uint32_t)(q - text) };
		}
	}
	const char *end;
	for (const char *q = next_call(text); q; q = next_call(end)) {
		long g = called_group(d, text, q, &end);
		if (g < 0) {
			end = q + 5;
			continue;
		}
		int times = 1;
		for (size_t k = 0; k < copied.len; k++)
			if (copied.items[k].start <= (size_t)(q - text) &&
			    (size_t)(q - text) < copied.items[k].end) {
				times = 2;
				break;
			}
		while (times--) {
			if (record)
				*array_push(record) = (int)g;
			else
				d->calls[g]++;
		}
	}
	array_free(&open);
	array_free(&copied);
}

/* Whether a body opens a capturing group: copied in, it would move the
 * numbers of the groups after it, which the parts of a split rule and its
 * whole pattern must agree on. */
static bool has_capture(const char *b)
{
	for (const char *q = next_syntax(b); q; q = next_syntax(q + 1))
		if (*q == '(' && q[1] != '?' && q[1] != '*')
			return true;
	return has_named_group(b);
}

/* Whether a body means the same copied to where it is called as in a
 * group of its own: no backtracking verb, which a call confines to the
 * group, no group referred to by number, whose count would move, no
 * conditional, no group of its own. */
static bool portable_body(const char *b)
{
	if (has_capture(b))
		return false;
	static const char *const bad[] = { "(*", "\\g", "(?-", "(?+", "(?R", "(?(", "(?P=" };
	for (size_t i = 0; i < sizeof bad / sizeof *bad; i++)
		if (strstr(b, bad[i]))
			return false;
	for (const char *q = strchr(b, '\\'); q; q = strchr(q + 2, '\\')) {
		if (!q[1])
			break;
		if (q[1] >= '1' && q[1] <= '9')
			return false;
	}
	for (const char *q = strstr(b, "(?"); q; q = strstr(q + 2, "(?"))
		if (q[2] >= '0' && q[2] <= '9')
			return false;
	return true;
}

/* Copies text to out, with each call of a group that is inlined replaced
 * by its body.  A table's body means the same wherever it stands; any
 * other body is compiled under the options of the DEFINE block (opts),
 * as it would be in a group of its own. */
static void emit_inlined(struct defines *d, const char *text, const char *opts, buf *out)
{
	const char *p = text, *end;
	for (const char *q = next_call(p); q; q = next_call(end)) {
		long g = called_group(d, text, q, &end);
		if (g < 0 || !d->inlined[g] || d->busy[g]) {
			end = q + 5;
			continue;
		}
		buf_add(out, p, (size_t)(q - p));
		d->busy[g] = true;
		if (d->table[g]) {
			emit_inlined(d, d->body[g], opts, out);
		} else {
			buf_printf(out, "(?%s:", opts);
			emit_inlined(d, d->body[g], opts, out);
			buf_addc(out, ')');
		}
		d->busy[g] = false;
		p = end;
	}
	buf_adds(out, p);
}

/* Appends (?(DEFINE)...) with the body of every macro and lexicon the
 * pattern calls, directly or through other macros.  A body called only
 * once is copied to its call instead, and a table's body to every call:
 * PCRE2's JIT fills in the callout block with every group of the
 * pattern, so each group costs every callout, and a subroutine call
 * costs more than the same code in place. */
static void define_used(asc_rules *r, struct uses *u, buf *out)
{
	bool grew = true;
	while (grew) {
		grew = false;
		for (size_t k = 0; k < r->macros.len; k++) {
			const struct macro *m = &r->macros.items[k];
			if (!u->macro[k] || !m->expanded || !m->uses_macro)
				continue;
			for (size_t j = 0; j < r->macros.len; j++)
				if (m->uses_macro[j] && !u->macro[j])
					u->macro[j] = grew = true;
		}
	}
	/* then the lexicons of the macros used, from a list of each macro's
	 * own: a large rule set has thousands of lexicons */
	for (size_t k = 0; k < r->macros.len; k++) {
		struct macro *m = &r->macros.items[k];
		if (!u->macro[k] || !m->expanded || !m->uses_lexicon)
			continue;
		if (!m->listed) {
			for (size_t j = 0; j < r->lexicons.len; j++)
				if (m->uses_lexicon[j])
					*array_push(&m->lexicons) = (int)j;
			m->listed = true;
		}
		for (size_t j = 0; j < m->lexicons.len; j++)
			u->lexicon[m->lexicons.items[j]] = true;
	}
	bool any = false;
	for (size_t k = 0; k < r->macros.len; k++)
		any |= u->macro[k];
	for (size_t k = 0; k < r->lexicons.len; k++)
		any |= u->lexicon[k];
	if (!any)
		return;
	/* where the bodies go, as the pattern leaves its options */
	int caseless = caseless_at_end(out->data, out->len);
	struct defines d = { .nm = r->macros.len, .n = r->macros.len + r->lexicons.len };
	d.body = xcalloc(d.n + 1, sizeof *d.body);
	d.calls = xcalloc(d.n + 1, sizeof *d.calls);
	d.inlined = xcalloc(d.n + 1, sizeof *d.inlined);
	d.table = xcalloc(d.n + 1, sizeof *d.table);
	d.busy = xcalloc(d.n + 1, sizeof *d.busy);
	for (size_t k = 0; k < r->macros.len; k++)
		if (u->macro[k])
			d.body[k] = r->macros.items[k].expanded;
	for (size_t k = 0; k < r->lexicons.len; k++) {
		if (!u->lexicon[k])
			continue;
		struct lexicon *lex = &r->lexicons.items[k];
		int call = lexcall_for(r, k, caseless);
		if (call > 0) {
			d.table[d.nm + k] = d.inlined[d.nm + k] = true;
			d.body[d.nm + k] = r->lexcalls.items[call - 1].body;
			continue;
		}
		if (!lex->regex)
			lexicon_regex(lex);
		d.body[d.nm + k] = lex->regex;
	}
	count_calls(&d, buf_cstr(out), NULL);
	/* the macros' bodies: a lexicon's calls nothing, its words are
	 * escaped; what a macro's calls is the same wherever the macro is
	 * used, counted once */
	for (size_t g = 0; g < d.nm; g++) {
		if (!d.body[g])
			continue;
		struct macro *m = &r->macros.items[g];
		if (!m->counted) {
			count_calls(&d, d.body[g], &m->calls);
			m->counted = true;
		}
		for (size_t k = 0; k < m->calls.len; k++)
			d.calls[m->calls.items[k]]++;
	}
	/* options other than a leading (?i) may stand where a body is
	 * called: bodies other than tables stay in their groups */
	bool copy = caseless >= 0 && !getenv("ASCRIBE_NO_INLINE");
	for (size_t g = 0; g < d.n; g++)
		if (copy && d.body[g] && !d.table[g] && d.calls[g] == 1 && portable_body(d.body[g]))
			d.inlined[g] = true;
	const char *opts = caseless ? "^i" : "^";
	buf res = { 0 };
	emit_inlined(&d, buf_cstr(out), opts, &res);
	bool open = false;
	for (size_t g = 0; g < d.n; g++) {
		if (!d.body[g] || d.inlined[g])
			continue;
		if (!open)
			buf_adds(&res, "(?(DEFINE)");
		open = true;
		buf_printf(&res, "(?<_%c%zu>", g < d.nm ? 'm' : 'l', g < d.nm ? g : g - d.nm);
		emit_inlined(&d, d.body[g], opts, &res);
		buf_addc(&res, ')');
	}
	if (open)
		buf_addc(&res, ')');
	buf_free(out);
	*out = res;
	free(d.body);
	free(d.calls);
	free(d.inlined);
	free(d.table);
	free(d.busy);
}

/* The {OUTLET} macro: every outlet name and alias, longest first.  They
 * are a lexicon of their own, which no rule can name, so that a callout
 * can match them like any large lexicon; the macro calls it.  Its source
 * is the alternation, which first.c reads for the words it starts with. */
static void add_outlet_macro(struct compiler *c)
{
	asc_rules *r = c->r;
	if (strmap_get(&r->macro_index, "OUTLET", 6) >= 0 ||
	    strmap_get(&r->lexicon_index, "OUTLET", 6) >= 0)
		return;
	struct lexicon *lex = array_push(&r->lexicons);
	lex->name = xstrdup("OUTLET");
	lex->caseless = false;
	lex->at = (struct place){ "(outlets)", 0, 0 };
	size_t pos = 0;
	const char *key;
	int value;
	while (strmap_next(&r->outlet_phrases, &pos, &key, &value) >= 0)
		lexicon_add_word(lex, key);
	lexicon_regex(lex);
	size_t k = r->lexicons.len - 1;
	buf call = { 0 };
	buf_printf(&call, "(?&_l%zu)", k);
	struct macro *m = array_push(&r->macros);
	m->name = xstrdup("OUTLET");
	m->source = xstrdup(lex->regex);
	m->expanded = buf_detach(&call);
	m->state = 2;
	m->uses_macro = xcalloc(r->macros.len + 1, sizeof(bool));
	m->uses_lexicon = xcalloc(r->lexicons.len + 1, sizeof(bool));
	m->uses_lexicon[k] = true;
	m->at = lex->at;
	strmap_put(&r->macro_index, "OUTLET", 6, (int)r->macros.len - 1);
}

/* ---- compile ---------------------------------------------------------- */

static int group_number(pcre2_code *re, const char *name)
{
	int n = pcre2_substring_number_from_name(re, (PCRE2_SPTR)name);
	return n > 0 ? n : 0;
}

/* The name of the group "(?<name>..." that opens at p, allocated. */
static char *group_name_at(const char *p)
{
	return xstrndup(p + 3, strcspn(p + 3, ">"));
}

/* The number in re of the group that opens at p ("(?<name>..."), or 0. */
static int group_number_at(pcre2_code *re, const char *p)
{
	char *name = group_name_at(p);
	int n = group_number(re, name);
	free(name);
	return n;
}

/* Reads "(?<group>{NAME})" at p: sets *name to NAME (not terminated) and
 * *n to its length, and returns the length of the whole, or 0 when p does
 * not hold one. */
static size_t named_reference(const char *p, const char **name, size_t *n)
{
	if (strncmp(p, "(?<", 3))
		return 0;
	const char *q = p + 3;
	while ((*q >= 'a' && *q <= 'z') || (*q >= 'A' && *q <= 'Z') || (*q >= '0' && *q <= '9') ||
	       *q == '_')
		q++;
	if (q == p + 3 || strncmp(q, ">{", 2))
		return 0;
	const char *b = q + 2, *e = b;
	while ((*e >= 'A' && *e <= 'Z') || (*e >= '0' && *e <= '9') || *e == '_')
		e++;
	if (e == b || strncmp(e, "})", 2))
		return 0;
	*name = b;
	*n = (size_t)(e - b);
	return (size_t)(e + 2 - p);
}

/* The length of a "(?<name>{MACRO})" opening, 0 when the pattern has none
 * or its macro holds groups of its own. */
static size_t head_length(const asc_rules *r, const char *p, int *macro)
{
	const char *name;
	size_t n, len = named_reference(p, &name, &n);
	if (!len)
		return 0;
	int mi = strmap_get(&r->macro_index, name, n);
	if (mi < 0 || r->macros.items[mi].captures || !r->macros.items[mi].expanded)
		return 0;
	*macro = mi;
	return len;
}

/* Expands src with its DEFINE block and compiles it; NULL on any error (the
 * caller has a working whole pattern to fall back on). */
/* What building a pattern gives: the code, or why there is none. */
struct built {
	pcre2_code *re;
	bool expanded;                  /* false: an unknown macro (reported) */
	int code;                       /* PCRE2 error code when re is NULL */
	PCRE2_SIZE offset;
	const struct lexicon *biggest;  /* the largest lexicon it uses */
};

/* Expands src (its macros and lexicons, then the DEFINE block of those it
 * calls) into out and compiles it. */
static struct built expand_pattern(struct compiler *c, const char *src, struct place at,
				   const char *what, buf *out)
{
	struct built b = { 0 };
	struct uses u;
	uses_init(c->r, &u);
	b.expanded = expand(c, src, at, what, out, &u);
	if (b.expanded)
		define_used(c->r, &u, out);
	for (size_t k = 0; k < c->r->lexicons.len; k++)
		if (u.lexicon[k] && (!b.biggest || c->r->lexicons.items[k].words.len > b.biggest->words.len))
			b.biggest = &c->r->lexicons.items[k];
	uses_free(&u);
	return b;
}

/* Compiles an expanded pattern into b. */
static void compile_expanded(struct built *b, const char *text, size_t len, uint32_t options)
{
	b->re = pcre2_compile((PCRE2_SPTR)text, len, PCRE2_UTF | PCRE2_NO_UTF_CHECK | options,
			      &b->code, &b->offset, NULL);
}

static struct built build_pattern(struct compiler *c, const char *src, struct place at,
				  const char *what, uint32_t options, buf *out)
{
	struct built b = expand_pattern(c, src, at, what, out);
	if (b.expanded)
		compile_expanded(&b, buf_cstr(out), out->len, options);
	return b;
}

static pcre2_code *compile_quietly(struct compiler *c, const char *src, uint32_t options)
{
	buf out = { 0 };
	struct compiler quiet = *c;
	quiet.report = NULL;
	pcre2_code *re = build_pattern(&quiet, src, (struct place){ 0 }, "", options, &out).re;
	buf_free(&out);
	return re;
}

/* The number of the first group of a pattern's DEFINE block (its groups are
 * named _mN and _lN), or one past the last group when it has none. */
static int first_define_group(const pcre2_code *re)
{
	uint32_t count = 0, size = 0, groups = 0;
	PCRE2_SPTR table;
	pcre2_pattern_info(re, PCRE2_INFO_NAMECOUNT, &count);
	pcre2_pattern_info(re, PCRE2_INFO_NAMEENTRYSIZE, &size);
	pcre2_pattern_info(re, PCRE2_INFO_NAMETABLE, &table);
	pcre2_pattern_info(re, PCRE2_INFO_CAPTURECOUNT, &groups);
	int first = (int)groups + 1;
	for (uint32_t i = 0; i < count; i++) {
		PCRE2_SPTR e = table + (size_t)i * size;
		int n = (e[0] << 8) | e[1];
		if (e[2] == '_' && n < first)
			first = n;
	}
	return first;
}

/* Where the first group at the top level of a pattern that fn takes
 * starts ("(?<name>{MACRO})" for heads; *len its length, *which its macro
 * or lexicon), or -1.  A pattern with a top-level "|" has none: its head
 * would not be shared by every alternative. */
typedef size_t group_fn(const asc_rules *r, const struct rule *rule, const char *p,
			int *which);

static size_t macro_head_length(const asc_rules *r, const struct rule *rule, const char *p,
				int *macro)
{
	(void)rule;
	return head_length(r, p, macro);
}

/* The length of "(?<name>{LEXICON})" at p, when the rule requires the
 * lexicon; 0 otherwise. */
static size_t lexicon_group_length(const asc_rules *r, const struct rule *rule, const char *p,
				   int *lexicon)
{
	const char *name;
	size_t n, len = named_reference(p, &name, &n);
	if (!len)
		return 0;
	int li = strmap_get(&r->lexicon_index, name, n);
	if (li < 0)
		return 0;
	/* the rule requires it as written: "{NAME}" */
	for (size_t i = 0; i < rule->requires.len; i++)
		if (strlen(rule->requires.items[i]) == n + 2 &&
		    !memcmp(rule->requires.items[i], name - 1, n + 2)) {
			*lexicon = li;
			return len;
		}
	return 0;
}

static long find_group(const asc_rules *r, const struct rule *rule, const char *p, group_fn *fn,
		       size_t *len, int *which)
{
	long found = -1;
	int depth = 0;
	for (const char *q = p; *q; q++) {
		if (*q == '\\') {
			if (q[1] == 'Q')
				return -1;  /* \Q...\E: not worth scanning */
			if (q[1])
				q++;
		} else if (*q == '[') {
			if (!(q = class_end(q)))
				return -1;
		} else if (*q == '(') {
			size_t n;
			if (!depth && found < 0 && (n = fn(r, rule, q, which))) {
				found = q - p;
				*len = n;
			}
			depth++;
		} else if (*q == ')') {
			depth--;
		} else if (*q == '|' && !depth) {
			return -1;
		}
	}
	return found;
}

/* Whether text names a required word or lexicon of the rule, compared
 * case-insensitively. */
static bool names_required(const struct rule *rule, const char *text, size_t len)
{
	for (size_t i = 0; i < rule->requires.len; i++) {
		const char *w = rule->requires.items[i];
		size_t n = strlen(w);
		for (size_t k = 0; n && k + n <= len; k++)
			if (!strncasecmp(text + k, w, n))
				return true;
	}
	return false;
}

static bool refers_back(const char *p, size_t len)
{
	static const char *const refs[] = { "\\k", "\\g", "(?P=", "(?P>", "(?&", "(?(", "(?R",
					    "(?1", "(?2", "(?3", "(?4", "(?5", "(?6", "(?7",
					    "(?8", "(?9", "(?+", "(?-" };
	for (size_t i = 0; i < sizeof refs / sizeof *refs; i++)
		if (memmem(p, len, refs[i], strlen(refs[i])))
			return true;
	return false;
}

/* text[0, len) compiled to enumerate every match of it, in PCRE2's order:
 * "(?:TEXT)(?C2)(*FAIL)", whose callout records each (a lead, a mid, a
 * neck); NULL when it does not compile. */
static pcre2_code *compile_enumerator(struct compiler *c, const char *text, size_t len,
				      uint32_t options)
{
	buf src = { 0 };
	buf_printf(&src, "(?:%.*s)(?C2)(*FAIL)", (int)len, text);
	pcre2_code *re = compile_quietly(c, buf_cstr(&src), options);
	buf_free(&src);
	return re;
}

/* The enumerator of a lead, shared by the rules with the same one: its
 * 1-based number, or 0 when it cannot be compiled. */
static int lead_for(struct compiler *c, const char *lead, size_t len)
{
	asc_rules *r = c->r;
	for (size_t i = 0; i < r->leads.len; i++)
		if (strlen(r->leads.items[i].source) == len &&
		    !memcmp(r->leads.items[i].source, lead, len))
			return (int)i + 1;
	pcre2_code *re = compile_enumerator(c, lead, len, 0);
	if (!re)
		return 0;
	struct lead *l = array_push(&r->leads);
	l->source = xstrndup(lead, len);
	l->re = re;
	l->groups = first_define_group(re) - 1;
	return (int)r->leads.len;
}

/* What a tail can start with, past white space: a head or lead match
 * followed by anything else is passed over without running it. */
static void key_tail(struct compiler *c, struct rule *rule, const char *tail)
{
	str_list starts = { 0 };
	if (!getenv("ASCRIBE_NO_STARTS") && first_words_after_space(c->r, c->memo, tail, &starts)) {
		rule->tail_keyed = true;
		rule->tail_starts = starts;
		return;
	}
	free_strings(starts.items, starts.len);
	array_free(&starts);
}

/* The words a head's matches that start with a lower-case word must have
 * in their first chunks (struct head), when first_word_chunks() can tell. */
static void key_head(struct compiler *c, struct head *hd)
{
	str_list keys = { 0 };
	buf src = { 0 };
	buf_printf(&src, "{%s}", hd->macro);
	if (!getenv("ASCRIBE_NO_HEAD_KEYS") && first_word_chunks(c->r, buf_cstr(&src), &keys)) {
		hd->keyed = true;
		hd->key_bloom = first_bloom_new();
		for (size_t i = 0; i < keys.len; i++) {
			const char *k = keys.items[i];
			int chunk = k[0] - '0';
			const char *word = k + 2;
			size_t n = strlen(word);
			if (!strcmp(word, FIRST_AT_START)) {
				hd->keyed_zero = true;
				continue;
			}
			if (!strcmp(word, FIRST_UPPER))
				continue;   /* not where a lower-case word starts */
			int bits = (k[1] == FIRST_PREFIX ? HEAD_PREFIX : HEAD_WHOLE) << chunk;
			int old = strmap_get(&hd->keys, word, n);
			strmap_put(&hd->keys, word, n, (old < 0 ? 0 : old) | bits);
			first_bloom_add(hd->key_bloom, head_key_hash(first_hash(word, n), bits));
			if (bits >= HEAD_PREFIX)
				hd->prefixed |= (uint8_t)bits;
		}
	}
	buf_free(&src);
	free_strings(keys.items, keys.len);
	array_free(&keys);
}

/* The index of the enumerator of macro mi as a head, made the first time;
 * -1 when it does not compile. */
static int head_for(struct compiler *c, int mi)
{
	asc_rules *r = c->r;
	const char *name = r->macros.items[mi].name;
	for (size_t i = 0; i < r->heads.len; i++)
		if (!strcmp(r->heads.items[i].macro, name))
			return (int)i;
	buf src = { 0 };
	buf_printf(&src, "(?:{%s})(?C1)(*FAIL)", name);
	pcre2_code *re = compile_quietly(c, buf_cstr(&src), PCRE2_ANCHORED);
	buf_free(&src);
	if (!re)
		return -1;
	struct head *hd = array_push(&r->heads);
	hd->macro = xstrdup(name);
	hd->re = re;
	const char *msrc = r->macros.items[mi].source;
	hd->word_start = !strncmp(msrc, "\\b", 2) || !strncmp(msrc, "{WORD_START}", 12);
	if (hd->word_start)
		key_head(c, hd);
	return (int)r->heads.len - 1;
}

/* A rule split at its lexicon whose tail holds "(?<group>{MACRO})" at its
 * top level, a head other rules share ("(?<cue>{CUE_VERB})\b{SP}
 * (?<speaker>{SPEAKER})..." in quote-cue-inverted): the tail is split
 * again, into its mid, enumerated at each lead match's end, the head, and
 * the rest.  The head is enumerated on demand as far as the mid's matches
 * end (head_unbounded), and the rule holds no copy of it.  The lexicon's
 * words (tail_starts) still key the lead's ends. */
static void split_mid(struct compiler *c, struct rule *rule, const char *tail)
{
	asc_rules *r = c->r;
	int mi;
	size_t n;
	long at = find_group(r, rule, tail, macro_head_length, &n, &mi);
	if (at <= 0)
		return;
	const char *rest = tail + at + n;
	pcre2_code *mid = compile_enumerator(c, tail, (size_t)at, PCRE2_ANCHORED);
	if (!mid)
		return;
	int mg = first_define_group(mid) - 1;
	/* the head's group must come right after the lead's and the mid's */
	pcre2_code *after = NULL;
	int h = -1;
	if (r->leads.items[rule->lead - 1].groups + mg + 1 != group_number_at(rule->re, tail + at) ||
	    (h = head_for(c, mi)) < 0 || !(after = compile_quietly(c, rest, PCRE2_ANCHORED))) {
		pcre2_code_free(mid);
		return;
	}
	pcre2_code_free(rule->tail);
	rule->tail = after;
	free(rule->tail_source);
	rule->tail_source = NULL;
	rule->tail_groups = first_define_group(after) - 1;
	rule->mid = mid;
	rule->mid_groups = mg;
	rule->head = h + 1;
	rule->head_unbounded = true;
	rule->head_group = group_name_at(tail + at);
}

/* A rule with no shared head whose pattern holds "(?<group>{LEXICON})" at
 * the top level, a lexicon it requires, after something else: what comes
 * before is a lead, shared with the rules that open the same way, and the
 * rest a tail that starts with the lexicon's words.  Its cue-first rules
 * share the lead of their cue-last twins ("..." said Ana / "..." Ana
 * said), and a copy of a rule with other cue words costs a look-up per
 * lead match, not a search. */
static void split_at_lexicon(struct compiler *c, struct rule *rule, const char *pattern)
{
	asc_rules *r = c->r;
	int li;
	size_t n;
	long at = find_group(r, rule, pattern, lexicon_group_length, &n, &li);
	if (at <= 0 || !rule->re || getenv("ASCRIBE_NO_STARTS"))
		return;
	const char *tail = pattern + at;
	if (refers_back(tail, strlen(tail)) || refers_back(pattern, (size_t)at))
		return;
	int lead = lead_for(c, pattern, (size_t)at);
	if (!lead || r->leads.items[lead - 1].groups + 1 != group_number_at(rule->re, pattern + at))
		return;
	rule->tail = compile_quietly(c, tail, PCRE2_ANCHORED);
	if (!rule->tail)
		return;
	key_tail(c, rule, tail);
	rule->lead = lead;
	rule->tail_groups = first_define_group(rule->tail) - 1;
	if (!getenv("ASCRIBE_NO_MID"))
		split_mid(c, rule, tail);
}

/* Splits a rule around a shared head: compiles the tail and finds or makes
 * the head's enumerator (and the lead's, when the pattern does not open
 * with the head).  A rule that cannot be split keeps running whole, which
 * gives the same matches.  Without unbounded_ok, a rule whose lead may hold
 * its required words is left whole, for split_at_lexicon() to try first. */
static void split_rule(struct compiler *c, struct rule *rule, const char *pattern,
		       bool unbounded_ok)
{
	asc_rules *r = c->r;
	int mi;
	size_t n;
	long at = find_group(r, rule, pattern, macro_head_length, &n, &mi);
	if (at < 0)
		return;
	const char *tail = pattern + at + n;
	/* a tail that refers back to a group or recurses is not independent */
	if (refers_back(tail, strlen(tail)))
		return;
	int lead = 0;
	bool unbounded = false;
	if (at > 0) {
		/* a lead must be independent too.  Heads are enumerated only up
		 * to the last required word of the rules that share them: when
		 * the lead may hold the rule's required words, its head is
		 * enumerated further on demand, as far as its lead matches end
		 * (head_unbounded), which only unbounded_ok allows */
		if (refers_back(pattern, (size_t)at))
			return;
		unbounded = rule->requires.len && (names_required(rule, pattern, (size_t)at) ||
						   !names_required(rule, tail, strlen(tail)));
		if (unbounded && !unbounded_ok)
			return;
		lead = lead_for(c, pattern, (size_t)at);
		/* the head's group must come right after the lead's */
		if (!lead || (rule->re && r->leads.items[lead - 1].groups + 1 !=
						  group_number_at(rule->re, pattern + at)))
			return;
	}
	int h = head_for(c, mi);
	if (h < 0)
		return;
	rule->tail = compile_quietly(c, tail, PCRE2_ANCHORED);
	if (!rule->tail)
		return;
	key_tail(c, rule, tail);
	free(rule->tail_source);
	rule->tail_source = xstrdup(tail);
	rule->head = h + 1;
	rule->lead = lead;
	rule->head_unbounded = unbounded;
	rule->tail_groups = first_define_group(rule->tail) - 1;
	rule->head_group = group_name_at(pattern + at);
}

int rule_group(const struct rule *rule, const asc_rules *r, const char *name)
{
	if (rule->re)
		return group_number(rule->re, name);
	if (rule->lazy)
		return group_number(rule->lazy->numbering, name);
	if (!rule->head)
		return 0;
	int lg = rule->lead ? r->leads.items[rule->lead - 1].groups : 0;
	int n = rule->lead ? group_number(r->leads.items[rule->lead - 1].re, name) : 0;
	if (n > 0 && n <= lg)
		return n;
	if (rule->head_group && !strcmp(rule->head_group, name))
		return lg + 1;
	int ng = 0;
	if (rule->neck) {
		const struct neck *neck = &r->necks.items[rule->neck - 1];
		ng = neck->groups;
		n = group_number(neck->re, name);
		if (n > 0 && n <= ng)
			return lg + 1 + n;
	}
	n = rule->tail ? group_number(rule->tail, name) : 0;
	return n > 0 && n <= rule->tail_groups ? lg + 1 + ng + n : 0;
}

static void set_groups(const asc_rules *r, struct rule *rule)
{
	rule->g = (struct groups){
		rule_group(rule, r, "speaker"), rule_group(rule, r, "cue"),
		rule_group(rule, r, "cue2"), rule_group(rule, r, "content"),
		rule_group(rule, r, "outlet"), rule_group(rule, r, "listener"),
		rule_group(rule, r, "role"), rule_group(rule, r, "person"),
		rule_group(rule, r, "org"),
	};
}

/* A rule whose pattern is a table lexicon between word boundaries,
 * "\b{HEDGE}\b" or "(?i)\b{CHECK_ACT}\b", tried where its words start:
 * the table is looked up there in place of running the pattern, which
 * would do the same through a callout. */
static void find_word_table(struct compiler *c, struct rule *rule, const char *pattern)
{
	asc_rules *r = c->r;
	bool caseless = !strncmp(pattern, "(?i)", 4);
	const char *p = pattern + (caseless ? 4 : 0);
	if (strncmp(p, "\\b{", 3) || !rule->starts.len || rule->head || rule->lead ||
	    getenv("ASCRIBE_NO_WORD_TABLES"))
		return;
	const char *name = p + 3, *e = name;
	while ((*e >= 'A' && *e <= 'Z') || (*e >= '0' && *e <= '9') || *e == '_')
		e++;
	if (e == name || strcmp(e, "}\\b") || strmap_get(&r->macro_index, name, (size_t)(e - name)) >= 0)
		return;
	int li = strmap_get(&r->lexicon_index, name, (size_t)(e - name));
	if (li < 0)
		return;
	int call = lexcall_for(r, (size_t)li, caseless);
	if (call > 0)
		rule->word_table = call;
}

/* A rule that can only match at the start of the text, "^(?:{BOILERPLATE})
 * ...": what may stand there, so that it runs only on the lines (or
 * sentences) that begin with one of them. */
static void words_at_start(struct compiler *c, struct rule *rule, const char *pattern)
{
	str_list words = { 0 };
	/* "^\W*WORDS": the first word of the text, whatever comes before it
	 * that is not a word character (zero_skip) */
	bool skip = !strncmp(pattern, "^\\W*", 4) && pattern[4] != '+' && pattern[4] != '?';
	char *rest = skip ? xstrdup(pattern + 3) : NULL;
	if (rest)
		rest[0] = '^';
	bool ok = first_words_at_start(c->r, c->memo, rest ? rest : pattern, &words);
	free(rest);
	/* "^a|^b" reads "a|^b" after the first ^: not worth telling apart */
	for (size_t i = 0; ok && i < words.len; i++)
		ok = strcmp(words.items[i], FIRST_AT_START) != 0 &&
		     (!skip || is_word_byte((unsigned char)words.items[i][0]));
	if (ok) {
		rule->zero_starts = words;
		rule->zero_skip = skip;
		return;
	}
	free_strings(words.items, words.len);
	array_free(&words);
}

/* Says why PCRE2 refused a rule's expanded pattern. */
static void compile_failed(struct compiler *c, const struct rule *rule, const char *pattern,
			   const char *what, const struct built *b)
{
	PCRE2_UCHAR msg[256];
	pcre2_get_error_message(b->code, msg, sizeof msg);
	const struct place *at = &rule->pattern_at;
	bool mapped = !strchr(pattern, '{') && !strchr(pattern, '\n');
	size_t off = (size_t)b->offset;
	const struct lexicon *biggest = b->biggest;
	if (b->code == PCRE2_ERROR_PATTERN_TOO_LARGE)
		fail(c, ASC_ERR_REGEX, at->file, at->line, at->col,
		     "%s: the expanded pattern is too large for PCRE2 (its largest lexicon is "
		     "{%s}, %zu entries): use fewer lexicons in one pattern, or split the rule",
		     what, biggest ? biggest->name : "?", biggest ? biggest->words.len : (size_t)0);
	else if (mapped)
		fail(c, ASC_ERR_REGEX, at->file, at->line, at->col + (int)off,
		     "%s: bad pattern at offset %zu: %s", what, off, (const char *)msg);
	else
		fail(c, ASC_ERR_REGEX, at->file, at->line, at->col,
		     "%s: bad pattern at offset %zu of the expanded pattern: %s",
		     what, off, (const char *)msg);
}

/* A rule that opens with a shared head, "(?<speaker>{SPEAKER})...", runs
 * as its head's matches and its tail; its whole pattern runs only where
 * the head hits a limit, and compiling it is most of what loading a
 * large rule set costs ({SPEAKER} is tens of kilobytes expanded).  The
 * pattern with the head's group left empty, "(?<speaker>)...", stands in
 * for it while the rule is split: the head's macro holds no groups and
 * the DEFINE block comes last, so every group of the rule has the same
 * number in both, and a pattern PCRE2 takes with the group empty it
 * takes whole, but for its size.  NULL when the rule opens otherwise or
 * the stand-in does not compile (the whole pattern is then compiled, and
 * any error said as for any rule). */
static pcre2_code *whole_stand_in(struct compiler *c, const struct rule *rule,
				  const char *pattern, uint32_t options)
{
	size_t n;
	int mi;
	if (getenv("ASCRIBE_NO_LAZY"))
		return NULL;
	long at = find_group(c->r, rule, pattern, macro_head_length, &n, &mi);
	if (at < 0)
		return NULL;
	buf src = { 0 };
	buf_add(&src, pattern, (size_t)at);
	/* "(?<" and the group's name, then an empty group */
	buf_add(&src, pattern + at, (size_t)(strchr(pattern + at, '>') - (pattern + at)) + 1);
	buf_addc(&src, ')');
	buf_adds(&src, pattern + at + n);
	pcre2_code *re = compile_quietly(c, buf_cstr(&src), options);
	buf_free(&src);
	return re;
}

static void compile_rule(struct compiler *c, struct rule *rule, char *pattern)
{
	if (!pattern)
		return;
	buf out = { 0 };
	char what[200];
	snprintf(what, sizeof what, "rule '%s'", rule->id ? rule->id : "?");
	/* a rule whose matches start with known words is tried only where
	 * they start, anchored (first.h) */
	bool anchored = !getenv("ASCRIBE_NO_STARTS") && first_words(c->r, c->memo, pattern, &rule->starts);
	if (anchored && rule->starts.len == 1 && !strcmp(rule->starts.items[0], FIRST_AT_START))
		words_at_start(c, rule, pattern);
	uint32_t options = anchored ? PCRE2_ANCHORED : 0;
	struct built b = expand_pattern(c, pattern, rule->pattern_at, what, &out);
	if (!b.expanded) {
		buf_free(&out);
		return;
	}
	pcre2_code *stand_in = whole_stand_in(c, rule, pattern, options);
	if (!stand_in)
		compile_expanded(&b, buf_cstr(&out), out.len, options);
	pcre2_code *re = stand_in ? stand_in : b.re;
	if (!re && b.code == PCRE2_ERROR_PATTERN_TOO_LARGE) {
		/* a rule split around a shared head runs as its parts: it needs
		 * no whole pattern, only the parts must fit */
		split_rule(c, rule, pattern, true);
		if (rule->head) {
			int lg = rule->lead ? c->r->leads.items[rule->lead - 1].groups : 0;
			uint32_t tg = 0;
			pcre2_pattern_info(rule->tail, PCRE2_INFO_CAPTURECOUNT, &tg);
			if (lg + 1 + (int)tg > c->r->max_groups)
				c->r->max_groups = lg + 1 + (int)tg;
			rule->pattern = buf_detach(&out);
			set_groups(c->r, rule);
			return;
		}
	}
	if (!re) {
		compile_failed(c, rule, pattern, what, &b);
		buf_free(&out);
		return;
	}
	uint32_t groups = 0;
	pcre2_pattern_info(re, PCRE2_INFO_CAPTURECOUNT, &groups);
	if ((int)groups > c->r->max_groups)
		c->r->max_groups = (int)groups;
	rule->re = re;
	rule->pattern = buf_detach(&out);
	set_groups(c->r, rule);
	/* a rule whose lead may hold its required words is split at its
	 * lexicon when it can be: its lead is then shared with rules that have
	 * other cue words, and each rule's tail is tried only where its words
	 * are */
	split_rule(c, rule, pattern, false);
	if (!rule->head)
		split_at_lexicon(c, rule, pattern);
	if (!rule->head && !rule->lead)
		split_rule(c, rule, pattern, true);
	find_word_table(c, rule, pattern);
	if (!stand_in)
		return;
	rule->re = NULL;
	if (rule->head || rule->lead) {
		/* its whole pattern runs only where a head or lead hits a limit:
		 * compiled then (rule_whole); the stand-in keeps the groups'
		 * names */
		rule->lazy = xcalloc(1, sizeof *rule->lazy);
		rule->lazy->numbering = stand_in;
		rule->lazy->options = options;
		return;
	}
	pcre2_code_free(stand_in);
	b = (struct built){ .expanded = true, .biggest = b.biggest };
	compile_expanded(&b, rule->pattern, strlen(rule->pattern), options);
	if (!b.re) {
		compile_failed(c, rule, pattern, what, &b);
		return;
	}
	pcre2_pattern_info(b.re, PCRE2_INFO_CAPTURECOUNT, &groups);
	if ((int)groups > c->r->max_groups)
		c->r->max_groups = (int)groups;
	rule->re = b.re;
}

static void lazy_free(struct lazy_whole *lw)
{
	if (!lw)
		return;
	pcre2_code_free(lw->numbering);
	pcre2_code_free(atomic_load(&lw->re));
	free(lw);
}

const pcre2_code *rule_whole_lazily(const struct rule *rule)
{
	struct lazy_whole *lw = rule->lazy;
	if (!lw)
		return NULL;
	pcre2_code *re = atomic_load_explicit(&lw->re, memory_order_acquire);
	if (re || atomic_load_explicit(&lw->refused, memory_order_relaxed))
		return re;
	int code;
	PCRE2_SIZE off;
	re = pcre2_compile((PCRE2_SPTR)rule->pattern, strlen(rule->pattern),
			   PCRE2_UTF | PCRE2_NO_UTF_CHECK | lw->options, &code, &off, NULL);
	if (!re) {
		/* too large for PCRE2: the rule has no pattern to fall back on */
		atomic_store_explicit(&lw->refused, true, memory_order_relaxed);
		return NULL;
	}
	/* another thread may have compiled it meanwhile: the first stays */
	pcre2_code *none = NULL;
	if (!atomic_compare_exchange_strong_explicit(&lw->re, &none, re, memory_order_acq_rel,
						     memory_order_acquire)) {
		pcre2_code_free(re);
		re = none;
	}
	return re;
}

/* A head only one rule opens with saves nothing: enumerating every match
 * of it costs more than one search of the whole pattern.  Such a rule runs
 * whole again. */
static void unsplit_lone_heads(asc_rules *r)
{
	int *users = xcalloc(r->heads.len + 1, sizeof *users);
	for (size_t i = 0; i < r->rules.len; i++)
		if (r->rules.items[i].head)
			users[r->rules.items[i].head - 1]++;
	for (size_t i = 0; i < r->rules.len; i++) {
		struct rule *rule = &r->rules.items[i];
		if (!rule->head || users[rule->head - 1] > 1)
			continue;
		/* a rule too large to run whole stays split */
		if (rule->lazy) {
			rule->re = (pcre2_code *)rule_whole_lazily(rule);
			if (!rule->re)
				continue;
			atomic_store(&rule->lazy->re, NULL);
			lazy_free(rule->lazy);
			rule->lazy = NULL;
			uint32_t groups = 0;
			pcre2_pattern_info(rule->re, PCRE2_INFO_CAPTURECOUNT, &groups);
			if ((int)groups > r->max_groups)
				r->max_groups = (int)groups;
		}
		if (!rule->re)
			continue;
		rule->head = 0;
		rule->lead = 0;
		rule->head_unbounded = false;
		pcre2_code_free(rule->mid);
		rule->mid = NULL;
		rule->mid_groups = 0;
		pcre2_code_free(rule->tail);
		free(rule->head_group);
		rule->head_group = NULL;
		rule->tail = NULL;
		free(rule->tail_source);
		rule->tail_source = NULL;
		free_strings(rule->tail_starts.items, rule->tail_starts.len);
		array_free(&rule->tail_starts);
		rule->tail_keyed = false;
	}
	free(users);
}

/* Where a group opens at the top level of a tail: where a neck could end
 * (split_necks).  Only a named group, the start of what the rule is about
 * ("(?<cue>"), not a look-around. */
static size_t named_group_start(const asc_rules *r, const struct rule *rule, const char *p,
				int *which)
{
	(void)r;
	(void)rule;
	*which = 0;
	return !strncmp(p, "(?<", 3) && p[3] != '=' && p[3] != '!' ? 3 : 0;
}

/* The neck of head h with the text neck[0, len): 1 + its index, or 0 when
 * there is none yet. */
static int neck_find(const asc_rules *r, int h, const char *neck, size_t len)
{
	for (size_t i = 0; i < r->necks.len; i++)
		if (r->necks.items[i].head == h && strlen(r->necks.items[i].source) == len &&
		    !memcmp(r->necks.items[i].source, neck, len))
			return (int)i + 1;
	return 0;
}

/* Cuts the tail of a rule split at a head where its first named group
 * opens, at place at: what comes before is the neck, shared with the
 * other rules of the same head and neck, and the rest, the rule's tail
 * from then on, is keyed by its first words.  Left as it was when
 * anything does not fit: the groups must number as they did, and the
 * rest must start with known words.  A neck is kept only once a rule has
 * been cut at it. */
static void split_neck(struct compiler *c, struct rule *rule, size_t at)
{
	asc_rules *r = c->r;
	const char *rest = rule->tail_source + at;
	str_list starts = { 0 };
	int ni = neck_find(r, rule->head, rule->tail_source, at);
	pcre2_code *enumerator = NULL, *after = NULL;
	if (!ni && !(enumerator = compile_enumerator(c, rule->tail_source, at, PCRE2_ANCHORED)))
		goto keep;
	after = compile_quietly(c, rest, PCRE2_ANCHORED);
	if (!after || !first_words_after_space(r, c->memo, rest, &starts))
		goto keep;
	int ng = ni ? r->necks.items[ni - 1].groups : first_define_group(enumerator) - 1;
	int tg = first_define_group(after) - 1;
	int lg = rule->lead ? r->leads.items[rule->lead - 1].groups : 0;
	pcre2_code *numbering = rule->re ? rule->re : rule->lazy ? rule->lazy->numbering : NULL;
	/* the rest's first group is the one the cut is at */
	if (ng + tg != rule->tail_groups ||
	    (numbering && group_number_at(numbering, rest) != lg + 1 + ng + 1))
		goto keep;
	if (!ni) {
		struct neck *n = array_push(&r->necks);
		*n = (struct neck){ xstrndup(rule->tail_source, at), rule->head, enumerator, ng };
		ni = (int)r->necks.len;
	}
	pcre2_code_free(rule->tail);
	rule->tail = after;
	rule->tail_groups = tg;
	free_strings(rule->tail_starts.items, rule->tail_starts.len);
	array_free(&rule->tail_starts);
	rule->tail_starts = starts;
	rule->tail_keyed = true;
	rule->neck = ni;
	return;
keep:
	pcre2_code_free(enumerator);
	pcre2_code_free(after);
	free_strings(starts.items, starts.len);
	array_free(&starts);
}

/* Necks (rules.h): a rule split at a shared head whose tail opens with the
 * same text as another's of the same head, up to a named group at the top
 * level, shares that text's matches.  A neck only one rule has saves
 * nothing: such a rule keeps its tail whole. */
static void split_necks(struct compiler *c)
{
	asc_rules *r = c->r;
	if (getenv("ASCRIBE_NO_NECK"))
		return;
	long *at = xcalloc(r->rules.len + 1, sizeof *at);
	int *users = xcalloc(r->rules.len + 1, sizeof *users);
	int *first = xcalloc(r->rules.len + 1, sizeof *first);
	strmap seen = { 0 };
	buf key = { 0 };
	for (size_t i = 0; i < r->rules.len; i++) {
		struct rule *rule = &r->rules.items[i];
		size_t n;
		int which;
		at[i] = -1;
		if (!rule->head || rule->mid || !rule->tail_source)
			continue;
		at[i] = find_group(r, rule, rule->tail_source, named_group_start, &n, &which);
		if (at[i] <= 0)
			continue;
		key.len = 0;
		buf_printf(&key, "%d:%.*s", rule->head, (int)at[i], rule->tail_source);
		int k = strmap_get(&seen, buf_cstr(&key), key.len);
		if (k < 0) {
			strmap_put(&seen, buf_cstr(&key), key.len, (int)i);
			k = (int)i;
		}
		first[i] = k;
		users[k]++;
	}
	for (size_t i = 0; i < r->rules.len; i++)
		if (at[i] > 0 && users[first[i]] > 1)
			split_neck(c, &r->rules.items[i], (size_t)at[i]);
	for (size_t i = 0; i < r->rules.len; i++) {
		free(r->rules.items[i].tail_source);
		r->rules.items[i].tail_source = NULL;
	}
	buf_free(&key);
	strmap_free(&seen);
	free(first);
	free(users);
	free(at);
}

/* The JIT budget in bytes: ASCRIBE_JIT_BUDGET_MB megabytes when it is a
 * whole number (the command line refuses it when it is not), else
 * ASC_JIT_BUDGET_MB; none with ASCRIBE_NO_JIT. */
static size_t jit_budget(void)
{
	if (getenv("ASCRIBE_NO_JIT"))
		return 0;
	const char *env = getenv("ASCRIBE_JIT_BUDGET_MB");
	uint64_t mb;
	if (!env || !parse_whole(env, SIZE_MAX >> 20, &mb))
		mb = ASC_JIT_BUDGET_MB;
	return (size_t)mb << 20;
}

/* JIT code for re while the code made so far is under the budget. */
static void jit_one(asc_rules *r, pcre2_code *re)
{
	size_t size = 0;
	if (!re)
		return;
	if (r->jit_bytes < r->jit_budget && pcre2_jit_compile(re, PCRE2_JIT_COMPLETE) == 0 &&
	    pcre2_pattern_info(re, PCRE2_INFO_JITSIZE, &size) == 0 && size) {
		r->jit_bytes += size;
		r->jit_patterns++;
	} else {
		r->interpreted++;
	}
}

/* JIT code for the patterns that run, while the code made so far is under
 * the budget; past it, patterns are interpreted.  A large rule set's JIT
 * code is far larger than the caches, and a pattern whose code was pushed
 * out since it last ran costs more to fetch than the interpreter costs to
 * run it (docs/performance.md, "JIT code within a budget").  The shared
 * heads, leads and necks come first, as every rule that names them runs
 * them, and then the rules in the order they were read.  A split rule
 * runs its whole pattern only when its head or lead hit a limit (compiled
 * then, rule_whole), and a rule that looks its table up runs none: those
 * stay interpreted.  JIT code is
 * opaque to valgrind, which reports its reads as uninitialised: `make
 * memcheck` turns it off with ASCRIBE_NO_JIT. */
static void jit_compile(asc_rules *r)
{
	r->jit_budget = jit_budget();
	for (size_t i = 0; i < r->heads.len; i++)
		jit_one(r, r->heads.items[i].re);
	for (size_t i = 0; i < r->leads.len; i++)
		jit_one(r, r->leads.items[i].re);
	for (size_t i = 0; i < r->necks.len; i++)
		jit_one(r, r->necks.items[i].re);
	jit_one(r, r->channel);
	for (size_t i = 0; i < r->rules.len; i++) {
		const struct rule *rule = &r->rules.items[i];
		if (rule->head || rule->lead) {
			jit_one(r, rule->mid);
			jit_one(r, rule->tail);
		} else if (!rule->word_table) {
			jit_one(r, rule->re);
		}
	}
}

/* Rules with the same pattern (a copy in a newsroom's file that changes
 * only the label or weight, a pattern used at two stages) find the same
 * match in a segment: it is searched for once (see matcher_run). */
static void share_same_patterns(asc_rules *r)
{
	strmap first = { 0 };
	int *shared = xcalloc(r->rules.len + 1, sizeof *shared);
	for (size_t i = 0; i < r->rules.len; i++) {
		struct rule *rule = &r->rules.items[i];
		if (!rule->pattern)
			continue;
		size_t n = strlen(rule->pattern);
		int k = strmap_get(&first, rule->pattern, n);
		if (k < 0) {
			strmap_put(&first, rule->pattern, n, (int)i);
			continue;
		}
		if (!shared[k])
			shared[k] = ++r->shared_matches;
		rule->same = shared[k];
		r->rules.items[k].same = shared[k];
	}
	free(shared);
	strmap_free(&first);
}

/* The lower-cased text of the word tokens of phrase: the first, and the
 * one after it when there is one, cut as documents are cut. */
static void phrase_words(const char *phrase, buf *first, buf *next)
{
	asc_doc tmp = { .text = (char *)phrase, .len = strlen(phrase) };
	token_list toks = { 0 };
	tokenize(&tmp, (struct span){ 0, (uint32_t)tmp.len }, &toks);
	size_t found = 0;
	for (size_t i = 0; i < toks.len && found < 2; i++) {
		if (!(toks.items[i].flags & TOK_WORD))
			continue;
		utf8_lower(found ? next : first, phrase + toks.items[i].start,
			   toks.items[i].end - toks.items[i].start);
		found++;
	}
	array_free(&toks);
}

static void add_trigger(asc_rules *r, const char *phrase, int rule, bool also)
{
	buf key = { 0 }, next = { 0 };
	phrase_words(phrase, &key, &next);
	if (!key.len) {
		buf_free(&key);
		buf_free(&next);
		return;
	}
	int t = strmap_get(&r->trigger_index, key.data, key.len);
	if (t < 0) {
		array_push(&r->triggers);
		t = (int)r->triggers.len - 1;
		strmap_put(&r->trigger_index, key.data, key.len, t);
		first_bloom_add(r->trigger_bloom, first_hash(key.data, key.len));
	}
	buf_free(&key);
	trigger_list *list = &r->triggers.items[t].stage[r->rules.items[rule].stage];
	for (size_t i = 0; i < list->len; i++) {
		const struct trigger *tr = &list->items[i];
		/* a one-word entry already lets the rule through on this word */
		if (tr->rule == rule && tr->also == also &&
		    (!tr->next || (next.len && !strcmp(tr->next, next.data)))) {
			buf_free(&next);
			return;
		}
	}
	struct trigger *tr = array_push(list);
	tr->rule = rule;
	tr->also = also;
	tr->next_len = next.len;
	tr->next = next.len ? buf_detach(&next) : NULL;
	buf_free(&next);
}

const struct token_class token_classes[TOKEN_CLASSES] = {
	{ "#digit", TOK_DIGIT }, { "#quote", TOK_QUOTE_MARK },
};

/* The entries of a rule's requires (also false) or also_requires (also
 * true): words and {LEXICON}s become triggers, #classes lists of rules by
 * class (requires) or the rule's class flags (also_requires).  lex_at and
 * class_at are where an unknown lexicon or class is reported. */
static void add_required(struct compiler *c, struct rule *rule, int ri, const str_list *list,
			 bool also, struct place lex_at, struct place class_at)
{
	asc_rules *r = c->r;
	const char *key = also ? "also_requires" : "requires";
	for (size_t j = 0; j < list->len; j++) {
		const char *w = list->items[j];
		size_t n = strlen(w);
		if (n > 2 && w[0] == '{' && w[n - 1] == '}') {
			char name[128];
			snprintf(name, sizeof name, "%.*s", (int)(n - 2), w + 1);
			const struct lexicon *lex = rules_lexicon(r, name);
			if (!lex) {
				fail(c, ASC_ERR_MACRO, lex_at.file, lex_at.line, lex_at.col,
				     "rule '%s': %s unknown lexicon '%s'", rule->id ? rule->id : "?",
				     key, w);
				continue;
			}
			for (size_t k = 0; k < lex->words.len; k++)
				add_trigger(r, lex->words.items[k], ri, also);
		} else if (w[0] == '#') {
			int k = 0;
			while (k < TOKEN_CLASSES && strcmp(w, token_classes[k].name))
				k++;
			if (k == TOKEN_CLASSES) {
				fail(c, ASC_ERR_SCHEMA, class_at.file, class_at.line, class_at.col,
				     "rule '%s': %s unknown class '%s' (the classes are #digit and #quote)",
				     rule->id ? rule->id : "?", key, w);
				continue;
			}
			if (also)
				rule->also_classes |= token_classes[k].flag;
			else
				*array_push(&r->classed[k][rule->stage]) = ri;
		} else {
			add_trigger(r, w, ri, also);
		}
	}
}

/* Gives each of the starts in list an index and a bit in the bloom table
 * (bits NULL), or sets rule ri's bits for them; FIRST_AT_START sets
 * *zero instead (a tail is tried at the start of the text anyway: zero
 * NULL). */
static void index_starts(asc_rules *r, const str_list *list, uint64_t *bits, size_t ri,
			 bool *zero)
{
	for (size_t j = 0; j < list->len; j++) {
		const char *w = list->items[j];
		size_t n = strlen(w);
		if (!strcmp(w, FIRST_AT_START)) {
			if (zero)
				*zero = true;
			continue;
		}
		int k = strmap_get(&r->start_index, w, n);
		if (!bits) {
			if (k < 0)
				strmap_put(&r->start_index, w, n, (int)r->start_count++);
			first_bloom_add(r->start_bloom, first_hash(w, n));
			continue;
		}
		bits[(size_t)k * r->start_stride + ri / 64] |= (uint64_t)1 << (ri % 64);
	}
}

/* Packs the triggers (struct trig) and frees the lists they were. */
static void pack_triggers(asc_rules *r)
{
	size_t words = r->triggers.len, n = 0, text = 1;
	for (size_t i = 0; i < words; i++)
		for (int st = 0; st < STAGE_COUNT; st++) {
			const trigger_list *list = &r->triggers.items[i].stage[st];
			n += list->len;
			for (size_t j = 0; j < list->len; j++)
				text += list->items[j].next_len;
		}
	r->trigger_words = words;
	r->trig_first = xcalloc(words * (STAGE_COUNT + 1) + 1, sizeof *r->trig_first);
	r->trig = xcalloc(n + 1, sizeof *r->trig);
	r->trig_next = xcalloc(text, 1);
	size_t k = 0, at = 1;
	for (size_t i = 0; i < words; i++) {
		uint32_t *first = &r->trig_first[i * (STAGE_COUNT + 1)];
		for (int st = 0; st < STAGE_COUNT; st++) {
			trigger_list *list = &r->triggers.items[i].stage[st];
			first[st] = (uint32_t)k;
			for (size_t j = 0; j < list->len; j++) {
				const struct trigger *tr = &list->items[j];
				r->trig[k++] = (struct trig){ tr->rule, (uint32_t)at,
							      (uint32_t)tr->next_len, tr->also };
				if (tr->next_len)
					memcpy(r->trig_next + at, tr->next, tr->next_len);
				at += tr->next_len;
				free(tr->next);
			}
			array_free(list);
		}
		first[STAGE_COUNT] = (uint32_t)k;
	}
	array_free(&r->triggers);
}

/* Copies the rules' ids into one block (asc_rules.id_pool). */
static void pack_ids(asc_rules *r)
{
	size_t n = 0;
	for (size_t i = 0; i < r->rules.len; i++)
		n += strlen(r->rules.items[i].id ? r->rules.items[i].id : "") + 1;
	r->id_pool = xmalloc(n + 1);
	r->id_at = xcalloc(r->rules.len + 1, sizeof *r->id_at);
	size_t at = 0;
	for (size_t i = 0; i < r->rules.len; i++) {
		const char *id = r->rules.items[i].id ? r->rules.items[i].id : "";
		size_t len = strlen(id) + 1;
		r->id_at[i] = (uint32_t)at;
		memcpy(r->id_pool + at, id, len);
		at += len;
	}
	r->id_at[r->rules.len] = (uint32_t)at;
}

static void pack_hot(asc_rules *r)
{
	r->hot = xcalloc(r->rules.len + 1, sizeof *r->hot);
	r->whens = xcalloc(r->rules.len + 1, sizeof *r->whens);
	for (size_t i = 0; i < r->rules.len; i++) {
		const struct rule *rule = &r->rules.items[i];
		r->whens[i] = rule->when;
		r->hot[i] = (struct rule_hot){
			(uint32_t)rule->head, (uint16_t)rule->also_classes,
			(uint16_t)((rule->requires.len && !rule->head_unbounded ? HOT_REQUIRES : 0) |
				   (rule->head_unbounded ? HOT_UNBOUNDED : 0) |
				   (rule->also.len ? HOT_ALSO : 0) |
				   (rule->stage == STAGE_LABEL ? HOT_LABEL : 0)),
		};
	}
}

static void build_prefilter(struct compiler *c)
{
	asc_rules *r = c->r;
	r->trigger_bloom = first_bloom_new();
	for (size_t i = 0; i < r->rules.len; i++) {
		struct rule *rule = &r->rules.items[i];
		if ((int)rule->stage < 0)
			continue;
		/* without requires of its own, a rule's first condition holds */
		if (!rule->requires.len)
			*array_push(&r->always[rule->stage]) = (int)i;
		add_required(c, rule, (int)i, &rule->requires, false, rule->requires_at, rule->at);
		/* also_requires: its words trigger the second condition, not the
		 * rule */
		add_required(c, rule, (int)i, &rule->also, true, rule->also_at, rule->also_at);
		r->also_any |= rule->also.len > 0;
	}
	r->start_bloom = first_bloom_new();
	for (int pass = 0; pass < 2; pass++) {
		if (pass) {
			/* a row of rules per start: the rules tried at one
			 * place read one row, which stays in the cache */
			r->start_stride = (r->rules.len + 63) / 64;
			r->start_bits = xcalloc(r->start_count * r->start_stride + 1, sizeof *r->start_bits);
			r->tail_bits = xcalloc(r->start_count * r->start_stride + 1, sizeof *r->tail_bits);
			r->zero_bits = xcalloc(r->start_count * r->start_stride + 1, sizeof *r->zero_bits);
		}
		/* the rules' own starts first: the scan of a document keeps only
		 * those (the tails' are looked up where a head ends) */
		for (size_t i = 0; i < r->rules.len; i++)
			index_starts(r, &r->rules.items[i].starts, pass ? r->start_bits : NULL, i,
				     &r->rules.items[i].starts_zero);
		r->rule_starts = r->start_count;
		for (size_t i = 0; i < r->rules.len; i++)
			index_starts(r, &r->rules.items[i].tail_starts, pass ? r->tail_bits : NULL, i,
				     NULL);
		for (size_t i = 0; i < r->rules.len; i++)
			index_starts(r, &r->rules.items[i].zero_starts, pass ? r->zero_bits : NULL, i,
				     NULL);
	}
}

asc_status asc_rules_compile(const char *dir, asc_rules **out,
			     asc_check_fn report, void *ctx, asc_error *err);

/* The first token of each outlet phrase, cut as documents are cut, so the
 * spotter tries phrase lookups only where one can start. */
static void index_outlet_starts(asc_rules *r)
{
	size_t pos = 0;
	const char *key;
	int value;
	token_list toks = { 0 };
	r->outlet_bloom = first_bloom_new();
	while (strmap_next(&r->outlet_phrases, &pos, &key, &value) >= 0) {
		asc_doc phrase = { .text = (char *)key, .len = strlen(key) };
		toks.len = 0;
		if (!tokenize(&phrase, (struct span){ 0, (uint32_t)phrase.len }, &toks))
			continue;
		size_t n = toks.items[0].end - toks.items[0].start;
		strmap_put(&r->outlet_starts, key, n, 1);
		first_bloom_add(r->outlet_bloom, first_hash(key, n));
	}
	array_free(&toks);
}

asc_status asc_rules_compile(const char *dir, asc_rules **out,
			     asc_check_fn report, void *ctx, asc_error *err)
{
	*out = NULL;
	struct compiler c = { .r = xcalloc(1, sizeof(asc_rules)), .report = report,
			      .ctx = ctx };
	for (int f = 0; f < LF_COUNT; f++)
		c.r->calibration[f] = (struct calibration){ 1.0, 0.0, 1.0, 0.0 };
	c.r->speaker_weight = 3.0;
	struct stat st;
	if (stat(dir, &st) != 0)
		fail(&c, ASC_ERR_IO, dir, 0, 0, "cannot open rule directory: %s",
		     strerror(errno));
	else if (S_ISDIR(st.st_mode))
		list_files(&c, dir, 0);
	else
		*array_push(&c.r->files) = xstrdup(dir);
	if (c.r->files.len)
		qsort(c.r->files.items, c.r->files.len, sizeof(char *), cmp_str);
	if (!c.errors && !c.r->files.len)
		fail(&c, ASC_ERR_IO, dir, 0, 0, "no .yaml rule files found%s", "");

	pending_list pend = { 0 };
	for (size_t i = 0; i < c.r->files.len; i++)
		load_file(&c, c.r->files.items[i], &pend);
	make_verb_forms(&c);
	/* it adds a lexicon: before name_lexicons() keeps pointers to them */
	add_outlet_macro(&c);
	name_lexicons(c.r);
	for (size_t i = 0; i < c.r->macros.len; i++)
		expand_macro(&c, &c.r->macros.items[i]);
	struct first_memo memo;
	first_memo_init(&memo, c.r);
	c.memo = &memo;
	for (size_t i = 0; i < c.r->rules.len; i++) {
		compile_rule(&c, &c.r->rules.items[i], pend.items[i].pattern);
		free(pend.items[i].pattern);
	}
	array_free(&pend);
	unsplit_lone_heads(c.r);
	split_necks(&c);
	c.memo = NULL;
	first_memo_free(&memo);
	share_same_patterns(c.r);
	build_prefilter(&c);
	pack_triggers(c.r);
	pack_hot(c.r);
	pack_ids(c.r);
	index_outlet_starts(c.r);
	if (!c.errors && strmap_get(&c.r->macro_index, "CUE_CHANNEL", 11) >= 0)
		c.r->channel = compile_quietly(&c, "(?:{CUE_CHANNEL})", PCRE2_ANCHORED);
	if (!c.errors)
		jit_compile(c.r);

	if (c.errors) {
		if (err)
			*err = c.first;
		asc_rules_free(c.r);
		return c.first.status;
	}
	*out = c.r;
	return ASC_OK;
}

asc_status asc_rules_load(const char *dir, asc_rules **out, asc_error *err)
{
	return asc_rules_compile(dir, out, NULL, NULL, err);
}

size_t asc_rules_count(const asc_rules *r)
{
	return r->rules.len;
}

static void free_strings(char **items, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(items[i]);
}

void asc_rules_free(asc_rules *r)
{
	if (!r)
		return;
	for (size_t i = 0; i < r->lexicons.len; i++) {
		struct lexicon *l = &r->lexicons.items[i];
		free(l->name);
		free(l->description);
		free_strings(l->words.items, l->words.len);
		array_free(&l->words);
		strmap_free(&l->set);
		strmap_free(&l->prefixes);
		free(l->regex);
		free_strings(l->lemmas.items, l->lemmas.len);
		array_free(&l->lemmas);
		free(l->from);
	}
	array_free(&r->lexicons);
	strmap_free(&r->lexicon_index);
	for (size_t i = 0; i < r->macros.len; i++) {
		free(r->macros.items[i].name);
		free(r->macros.items[i].source);
		free(r->macros.items[i].expanded);
		free(r->macros.items[i].uses_macro);
		free(r->macros.items[i].uses_lexicon);
		array_free(&r->macros.items[i].lexicons);
		array_free(&r->macros.items[i].calls);
	}
	array_free(&r->macros);
	strmap_free(&r->macro_index);
	for (size_t i = 0; i < r->outlets.len; i++) {
		free(r->outlets.items[i].name);
		free_strings(r->outlets.items[i].aliases.items, r->outlets.items[i].aliases.len);
		array_free(&r->outlets.items[i].aliases);
	}
	array_free(&r->outlets);
	strmap_free(&r->outlet_phrases);
	strmap_free(&r->outlet_starts);
	free(r->outlet_bloom);
	for (size_t i = 0; i < r->nominals.len; i++) {
		struct nominal *n = &r->nominals.items[i];
		free_strings(n->words.items, n->words.len);
		free_strings(n->roles.items, n->roles.len);
		array_free(&n->words);
		array_free(&n->roles);
	}
	array_free(&r->nominals);
	strmap_free(&r->nominal_index);
	for (size_t i = 0; i < r->leads.len; i++) {
		free(r->leads.items[i].source);
		pcre2_code_free(r->leads.items[i].re);
	}
	array_free(&r->leads);
	for (size_t i = 0; i < r->necks.len; i++) {
		free(r->necks.items[i].source);
		pcre2_code_free(r->necks.items[i].re);
	}
	array_free(&r->necks);
	for (size_t i = 0; i < r->lexcalls.len; i++)
		lexcall_free(&r->lexcalls.items[i]);
	array_free(&r->lexcalls);
	for (size_t i = 0; i < r->heads.len; i++) {
		free(r->heads.items[i].macro);
		pcre2_code_free(r->heads.items[i].re);
		strmap_free(&r->heads.items[i].keys);
		free(r->heads.items[i].key_bloom);
	}
	array_free(&r->heads);
	pcre2_code_free(r->channel);
	for (size_t i = 0; i < r->rules.len; i++) {
		struct rule *rule = &r->rules.items[i];
		free(rule->id);
		free(rule->description);
		free(rule->pattern);
		pcre2_code_free(rule->re);
		lazy_free(rule->lazy);
		pcre2_code_free(rule->tail);
		pcre2_code_free(rule->mid);
		free_strings(rule->tail_starts.items, rule->tail_starts.len);
		array_free(&rule->tail_starts);
		free(rule->head_group);
		free(rule->tail_source);
		free_strings(rule->requires.items, rule->requires.len);
		array_free(&rule->requires);
		free_strings(rule->starts.items, rule->starts.len);
		array_free(&rule->starts);
		free_strings(rule->zero_starts.items, rule->zero_starts.len);
		array_free(&rule->zero_starts);
		free_strings(rule->also.items, rule->also.len);
		array_free(&rule->also);
		for (size_t j = 0; j < rule->examples.len; j++) {
			struct example *ex = &rule->examples.items[j];
			free(ex->text);
			for (size_t k = 0; k < ex->captures.len; k++) {
				free(ex->captures.items[k].group);
				free(ex->captures.items[k].text);
			}
			array_free(&ex->captures);
		}
		array_free(&rule->examples);
	}
	array_free(&r->rules);
	strmap_free(&r->rule_ids);
	strmap_free(&r->trigger_index);
	free(r->trigger_bloom);
	for (size_t i = 0; i < r->triggers.len; i++) {
		for (int st = 0; st < STAGE_COUNT; st++) {
			trigger_list *list = &r->triggers.items[i].stage[st];
			for (size_t j = 0; j < list->len; j++)
				free(list->items[j].next);
			array_free(list);
		}
	}
	array_free(&r->triggers);
	free(r->trig_first);
	free(r->trig);
	free(r->trig_next);
	strmap_free(&r->start_index);
	free(r->start_bloom);
	free(r->hot);
	free(r->id_pool);
	free(r->whens);
	free(r->id_at);
	free(r->start_bits);
	free(r->tail_bits);
	free(r->zero_bits);
	for (int s = 0; s < STAGE_COUNT; s++) {
		array_free(&r->always[s]);
		for (int k = 0; k < TOKEN_CLASSES; k++)
			array_free(&r->classed[k][s]);
	}
	free_strings(r->files.items, r->files.len);
	array_free(&r->files);
	free(r);
}
