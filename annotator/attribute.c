/* attribute.c - stage 5: source, cue and content in each sentence.
 *
 * The attribute rules (rules/attribute.yaml) run in order on every body,
 * headline and caption segment that holds one of their trigger words.  The
 * first rule that matches gives the sentence its speaker, cue and outlet;
 * later rules whose cue lies elsewhere in the sentence add attributions of
 * their own (nested or coordinated reports). */
#include "doc.h"

#include <string.h>
#include <strings.h>

/* Attributions one sentence may hold. */
#define MAX_PER_SENTENCE 6

static bool overlaps(struct span a, struct span b)
{
	return a.start < b.end && b.start < a.end;
}

static int outlet_from_group(asc_doc *doc, struct span at, struct span *where)
{
	int o = outlet_at(doc, at);
	if (o >= 0) {
		*where = at;
		return o;
	}
	/* an outlet the gazetteer does not know: "the Kazinform agency" is
	 * Kazinform, "Coast Radio News" is itself */
	token_list tl = { 0 };
	size_t n = tokenize(doc, at, &tl);
	const struct lexicon *det = doc->rules->lex.determiner;
	const struct lexicon *noun = doc->rules->lex.outlet_noun;
	size_t a = 0, b = n;
	if (b > 1 && lexicon_has(det, doc->text + tl.items[0].start,
				 tl.items[0].end - tl.items[0].start))
		a = 1;
	while (b > a + 1 && !(tl.items[b - 1].flags & TOK_CAP) &&
	       lexicon_has(noun, doc->text + tl.items[b - 1].start,
			   tl.items[b - 1].end - tl.items[b - 1].start))
		b--;
	int named = -1;
	if (b > a && (tl.items[a].flags & TOK_CAP)) {
		uint32_t s = tl.items[a].start, e = tl.items[b - 1].end;
		named = entity_add(doc, doc->text + s, e - s, NULL, ET_OUTLET, false);
		*where = (struct span){ s, e };
	}
	array_free(&tl);
	if (named >= 0)
		return named;
	/* "the newspaper" */
	struct speaker sp;
	if (!speaker_from_span(doc, at, (struct span){ 0, 0 }, &sp))
		return -1;
	*where = sp.at;
	if (sp.entity >= 0) {
		struct entity *e = &doc->entities.items[sp.entity];
		if (e->type != ET_OUTLET)
			return entity_add(doc, e->name, strlen(e->name), NULL, ET_OUTLET, false);
		return sp.entity;
	}
	return -1;
}

/* Widens the cue back over the auxiliaries, negation and adverbs of its
 * verb group ("has repeatedly said", "did not say"), never into floor. */
static struct span verb_group(const asc_doc *doc, const struct sentence *s, struct span cue,
			      uint32_t floor)
{
	const struct lexicon *aux = doc->rules->lex.cue_aux;
	if (!aux)
		return cue;
	uint32_t k = s->tok_first + s->tok_count;
	while (k > s->tok_first && doc->tokens.items[k - 1].start >= cue.start)
		k--;
	while (k > s->tok_first) {
		const struct token *t = &doc->tokens.items[k - 1];
		if (!(t->flags & TOK_WORD) || t->start < floor ||
		    !lexicon_has(aux, doc->text + t->start, t->end - t->start))
			break;
		cue.start = t->start;
		k--;
	}
	return cue;
}

static bool is_space_or(const asc_doc *doc, uint32_t i, const char *also)
{
	char c = doc->text[i];
	return c == ' ' || c == '\t' || c == '\n' || (c && strchr(also, c));
}

/* [b, e) without white space, the marks in lead at its start and those in
 * trail at its end. */
static struct span trim(const asc_doc *doc, uint32_t b, uint32_t e, const char *lead,
			const char *trail)
{
	while (b < e && is_space_or(doc, b, lead))
		b++;
	while (e > b && is_space_or(doc, e - 1, trail))
		e--;
	return (struct span){ b, e };
}

/* The index of the first token at or after byte at, within the sentence. */
static uint32_t token_at(const asc_doc *doc, const struct sentence *s, uint32_t at)
{
	uint32_t k = s->tok_first, end = s->tok_first + s->tok_count;
	while (k < end && doc->tokens.items[k].start < at)
		k++;
	return k;
}

static bool tok_in(const asc_doc *doc, const struct lexicon *lex, const struct token *t)
{
	return lexicon_has(lex, doc->text + t->start, t->end - t->start);
}

/* "that" and its like, which open a reported clause (COMPLEMENTIZER). */
static bool complementizer(const asc_doc *doc, const struct token *t)
{
	return tok_in(doc, doc->rules->lex.complementizer, t);
}

/* A word of a time phrase ("on Tuesday", "late last week", "March 3"). */
static bool time_word(const asc_doc *doc, const struct token *t)
{
	const struct named_lexicons *lx = &doc->rules->lex;
	return (t->flags & TOK_NUM) || tok_in(doc, lx->cue_time, t) || tok_in(doc, lx->weekday, t) ||
	       tok_in(doc, lx->month, t);
}

/* Whether tokens k.. open another report: an -ing cue ("citing") or a
 * prepositional cue of up to three words ("according to"). */
static bool opens_report(const asc_doc *doc, uint32_t k, uint32_t end)
{
	const struct named_lexicons *lx = &doc->rules->lex;
	if (k >= end)
		return false;
	if (tok_in(doc, lx->cue_verb_ing, &doc->tokens.items[k]))
		return true;
	buf phrase = { 0 };
	bool hit = false;
	for (uint32_t i = k; i < k + 3 && i < end && !hit; i++) {
		if (i > k)
			buf_addc(&phrase, ' ');
		buf_add(&phrase, doc->text + doc->tokens.items[i].start,
			doc->tokens.items[i].end - doc->tokens.items[i].start);
		hit = lexicon_has(lx->cue_prep, phrase.data, phrase.len);
	}
	buf_free(&phrase);
	return hit;
}

/* The content of a report whose rule does not delimit it: the clause
 * before the comma that precedes a trailing attribution ("The port closed,
 * officials said"), or what follows the attribution ("According to X, the
 * port closed"; "X told reporters that the port closed"), without its
 * complementizer. */
static struct span infer_content(const asc_doc *doc, const struct sentence *s, struct span ext)
{
	uint32_t a = ext.start;
	while (a > s->start && is_space_or(doc, a - 1, ""))
		a--;
	if (a > s->start + 1 && doc->text[a - 1] == ',') {
		struct span c = trim(doc, s->start, a - 1, "\"'", "");
		if (c.end > c.start + 2)
			return c;
	}
	struct span c = trim(doc, ext.end, s->end, ",:", ".!?\"");
	uint32_t k = token_at(doc, s, c.start);
	if (k + 1 < s->tok_first + s->tok_count && doc->tokens.items[k].start == c.start &&
	    complementizer(doc, &doc->tokens.items[k]))
		c.start = doc->tokens.items[k + 1].start;
	/* a bare time phrase is not content */
	return c.end > c.start + 12 ? c : (struct span){ 0, 0 };
}

/* Brings a rule's content to the conventions of docs/attribution.md:
 *  - a content that is only a time phrase ("said Saturday") or that starts
 *    with another report ("…, citing officials") is no content;
 *  - a leading time phrase before "that" is not content ("said on Monday
 *    that …"), and the content starts after the first "that" that follows
 *    the cue;
 *  - a quotation that a paraphrase runs into ('said the city had "no
 *    options left"') is content from the word after the cue;
 *  - a report made inside a quotation ends where the quotation closes. */
static struct span tidy_content(const asc_doc *doc, const struct sentence *s, struct span c,
				struct span cue)
{
	if (c.end <= c.start)
		return c;
	const struct token *tok = doc->tokens.items;
	uint32_t end = s->tok_first + s->tok_count;
	uint32_t k = token_at(doc, s, c.start);
	if (opens_report(doc, k, end))
		return (struct span){ 0, 0 };
	/* the first token of the content past a leading time phrase */
	uint32_t j = k;
	while (j < end && tok[j].start < c.end &&
	       ((tok[j].flags & TOK_PUNCT) || time_word(doc, &tok[j])))
		j++;
	if (j >= end || tok[j].start >= c.end)
		return (struct span){ 0, 0 };
	/* the first "that" after the cue, up to there, opens the content: a
	 * time or channel phrase before it may have taken some of the clause */
	uint32_t from = cue.end <= c.start ? token_at(doc, s, cue.end) : k;
	for (uint32_t q = from; q <= j && q + 1 < end; q++) {
		/* the content's own first word only after a time phrase */
		if (tok[q].start >= c.start && !(q == j && j > k))
			continue;
		if (complementizer(doc, &tok[q])) {
			c.start = tok[q + 1].start;
			break;
		}
	}
	/* a paraphrase that runs into a quotation ('said the city had "no
	 * options left"') is content from its first word after the cue */
	if (cue.end <= c.start && k > s->tok_first && (tok[k - 1].flags & TOK_QUOTE_OPEN) &&
	    tok[k - 1].end == c.start) {
		uint32_t first = 0;
		for (uint32_t q = token_at(doc, s, cue.end); q < k - 1 && !first; q++)
			if ((tok[q].flags & TOK_WORD) && !complementizer(doc, &tok[q]) &&
			    !time_word(doc, &tok[q]))
				first = tok[q].start;
		if (first)
			c.start = first;
	}
	/* inside a quotation the report ends with it */
	int depth = s->quote_depth;
	for (uint32_t t = s->tok_first; t < end && doc->tokens.items[t].start < cue.start; t++) {
		uint32_t f = doc->tokens.items[t].flags;
		if (f & TOK_QUOTE_OPEN)
			depth++;
		else if ((f & TOK_QUOTE_CLOSE) && depth > 0)
			depth--;
	}
	if (depth > 0) {
		for (uint32_t t = token_at(doc, s, c.start); t < end; t++) {
			const struct token *tk = &doc->tokens.items[t];
			if (tk->start >= c.end)
				break;
			if (tk->flags & TOK_QUOTE_CLOSE) {
				c.end = tk->start;
				break;
			}
		}
	}
	while (c.end > c.start && strchr(" ,.;:", doc->text[c.end - 1]))
		c.end--;
	return c.end > c.start ? c : (struct span){ 0, 0 };
}

static void widen(struct span *ext, struct span x)
{
	if (x.end <= x.start)
		return;
	if (ext->end <= ext->start) {
		*ext = x;
		return;
	}
	if (x.start < ext->start)
		ext->start = x.start;
	if (x.end > ext->end)
		ext->end = x.end;
}

/* The channel of a report ("in a statement", "on X"), tried where a match
 * would start at byte at: its end, or 0. */
static uint32_t channel_at(const asc_doc *doc, struct matcher *m, const struct sentence *s,
			   uint32_t at)
{
	const pcre2_code *re = doc->rules->channel;
	if (!re || at >= s->end)
		return 0;
	int rc = matcher_match(m, re, doc->text + s->start, s->end - s->start, at - s->start);
	if (rc <= 0)
		return 0;
	return s->start + (uint32_t)pcre2_get_ovector_pointer(m->md)[1];
}

/* A channel after the cue, over a time phrase ("said on Tuesday in a
 * statement"), or opening the sentence ("In an interview with the BBC,
 * she said"): the second piece of the cue. */
static struct span find_channel(const asc_doc *doc, struct matcher *m, const struct sentence *s,
				struct span cue, struct span source)
{
	uint32_t k = token_at(doc, s, cue.end), end = s->tok_first + s->tok_count;
	for (int skipped = 0; k < end && skipped <= 4; skipped++) {
		const struct token *t = &doc->tokens.items[k];
		uint32_t e = channel_at(doc, m, s, t->start);
		if (e)
			return (struct span){ t->start, e };
		if (!time_word(doc, t))
			break;
		k++;
	}
	uint32_t b = s->start;
	while (b < s->end && (doc->text[b] == '"' || doc->text[b] == ' '))
		b++;
	uint32_t e = channel_at(doc, m, s, b);
	uint32_t first = source.end > source.start && source.start < cue.start ? source.start
										: cue.start;
	if (e && e <= first)
		return (struct span){ b, e };
	return (struct span){ 0, 0 };
}

static bool take_match(asc_doc *doc, struct matcher *m, const struct rule *rule,
		       int ri, uint32_t si)
{
	struct sentence *s = &doc->sentences.items[si];
	struct attribution a = { .sentence = si, .type = rule->type, .rule = ri,
				 .outlet = -1 };
	struct span src = { 0, 0 }, role = { 0, 0 }, outlet = { 0, 0 }, listener = { 0, 0 };
	if (!matcher_group(m, rule->g.cue, s->start, &a.cue))
		return false;
	matcher_group(m, rule->g.cue2, s->start, &a.cue2);
	matcher_group(m, rule->g.content, s->start, &a.content);
	matcher_group(m, rule->g.role, s->start, &role);
	matcher_group(m, rule->g.listener, s->start, &listener);
	bool has_src = matcher_group(m, rule->g.speaker, s->start, &src);
	if (matcher_group(m, rule->g.outlet, s->start, &outlet))
		a.outlet = outlet_from_group(doc, outlet, &a.outlet_at);
	/* attributions are made in order of sentence: this one's come last */
	for (size_t i = doc->attributions.len; i-- > 0;) {
		const struct attribution *b = &doc->attributions.items[i];
		if (b->sentence != si)
			break;
		if (overlaps(b->cue, a.cue))
			return false;
	}
	if (has_src) {
		if (!speaker_from_span(doc, src, role, &a.source))
			return false;
		a.source_np = src;
		if (role.end > src.end && role.start >= src.end)
			a.source_np.end = role.end;
	} else if (a.outlet >= 0) {
		/* "according to a report in The New York Times" */
		a.source = (struct speaker){ .entity = a.outlet, .pending = -1,
					     .at = a.outlet_at, .resolved = RES_EXPLICIT };
	} else {
		a.source.entity = -1;
		a.source.pending = -1;
	}
	/* an outlet that speaks is also where the words were published */
	if (a.outlet < 0 && a.source.entity >= 0 &&
	    doc->entities.items[a.source.entity].type == ET_OUTLET) {
		a.outlet = a.source.entity;
		a.outlet_at = a.source.at;
	}
	a.content = tidy_content(doc, s, a.content, a.cue);
	/* the last use of the match: find_channel runs patterns of its own */
	if (a.cue2.end <= a.cue2.start)
		a.cue2 = find_channel(doc, m, s, a.cue, a.source_np);
	if (a.content.end <= a.content.start) {
		struct span ext = { 0, 0 };
		widen(&ext, a.cue);
		widen(&ext, a.cue2);
		widen(&ext, a.source_np);
		widen(&ext, outlet);
		widen(&ext, listener);
		a.content = infer_content(doc, s, ext);
		/* a report that fills its segment signs off the one before it
		 * ("— Kerry, on Twitter" under a quotation) */
		if (a.content.end <= a.content.start && si > 0 && ext.end > ext.start) {
			struct span rest = trim(doc, s->start, s->end, "", ".!?");
			const struct sentence *prev = &doc->sentences.items[si - 1];
			if (rest.start >= ext.start && rest.end <= ext.end &&
			    prev->kind != KIND_BOILERPLATE) {
				struct span c = trim(doc, prev->start, prev->end, "\"'", ".!?\"");
				if (c.end > c.start)
					a.content = c;
			}
		}
	}
	a.cue_group = verb_group(doc, s, a.cue, a.source_np.end > a.source_np.start &&
				 a.source_np.end <= a.cue.start ? a.source_np.end : s->start);
	*array_push(&doc->attributions) = a;
	if (s->attribution < 0 && !rule->silent) {
		s->attribution = (int)doc->attributions.len - 1;
		s->speaker = a.source;
		s->outlet = a.outlet;
		s->outlet_at = a.outlet_at;
	}
	return true;
}

void attribute_sentences(asc_doc *doc, struct matcher *m)
{
	const asc_rules *r = doc->rules;
	for (uint32_t si = 0; si < doc->sentences.len; si++) {
		const struct sentence *s = &doc->sentences.items[si];
		if (s->kind != KIND_BODY && s->kind != KIND_HEADLINE && s->kind != KIND_CAPTION)
			continue;
		matcher_candidates(m, doc, s->tok_first, s->tok_count, STAGE_ATTRIBUTE);
		int found = 0;
		for (size_t c = 0; c < m->candidates.len && found < MAX_PER_SENTENCE; c++) {
			int ri = m->candidates.items[c];
			const struct rule *rule = &r->rules.items[ri];
			s = &doc->sentences.items[si];
			if (rule->segments && !(rule->segments & (1u << s->kind)))
				continue;
			size_t from = 0, len = s->end - s->start;
			/* a rule may match again after its cue: a second report in
			 * the sentence, or one nested in the first one's content */
			while (found < MAX_PER_SENTENCE && from < len &&
			       matcher_run(m, rule, doc->text + s->start, len, from) > 0) {
				struct span cue;
				size_t next = m->ov[1] > m->ov[0] ? m->ov[1] : m->ov[0] + 1;
				if (matcher_group(m, rule->g.cue, 0, &cue) && cue.end > from)
					next = cue.end;
				found += take_match(doc, m, rule, ri, si);
				s = &doc->sentences.items[si];
				from = next;
			}
		}
	}
}
