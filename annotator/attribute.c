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
	const struct lexicon *det = rules_lexicon(doc->rules, "DETERMINER");
	const struct lexicon *noun = rules_lexicon(doc->rules, "OUTLET_NOUN");
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
	const struct lexicon *aux = rules_lexicon(doc->rules, "CUE_AUX");
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

/* The content of a report whose rule does not delimit it: the clause
 * before the comma that precedes a trailing attribution ("The port closed,
 * officials said"), or what follows the attribution ("According to X, the
 * port closed"; "X told reporters the port closed"), without "that". */
static struct span infer_content(const asc_doc *doc, const struct sentence *s, struct span ext)
{
	uint32_t a = ext.start;
	while (a > s->start && is_space_or(doc, a - 1, ""))
		a--;
	if (a > s->start + 1 && doc->text[a - 1] == ',') {
		uint32_t b = s->start, e = a - 1;
		while (b < e && is_space_or(doc, b, "\"'"))
			b++;
		if (e > b + 2)
			return (struct span){ b, e };
	}
	uint32_t b = ext.end, e = s->end;
	while (b < e && is_space_or(doc, b, ",:"))
		b++;
	if (e - b > 5 && !strncmp(doc->text + b, "that ", 5))
		b += 5;
	while (e > b && is_space_or(doc, e - 1, ".!?\""))
		e--;
	/* a bare time phrase is not content */
	if (e > b + 2 && e - b > 12)
		return (struct span){ b, e };
	return (struct span){ 0, 0 };
}

/* The index of the first token at or after byte at, within the sentence. */
static uint32_t token_at(const asc_doc *doc, const struct sentence *s, uint32_t at)
{
	uint32_t k = s->tok_first, end = s->tok_first + s->tok_count;
	while (k < end && doc->tokens.items[k].start < at)
		k++;
	return k;
}

static bool word_is(const asc_doc *doc, const struct token *t, const char *w)
{
	size_t n = strlen(w);
	return t->end - t->start == n && !strncasecmp(doc->text + t->start, w, n);
}

static bool time_word(const asc_doc *doc, const struct token *t)
{
	const char *w = doc->text + t->start;
	size_t n = t->end - t->start;
	return (t->flags & TOK_NUM) || lexicon_has(rules_lexicon(doc->rules, "CUE_TIME"), w, n) ||
	       lexicon_has(rules_lexicon(doc->rules, "WEEKDAY"), w, n) ||
	       lexicon_has(rules_lexicon(doc->rules, "MONTH"), w, n);
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
	uint32_t end = s->tok_first + s->tok_count;
	uint32_t k = token_at(doc, s, c.start);
	const struct lexicon *ing = rules_lexicon(doc->rules, "CUE_VERB_ING");
	if (k < end && (lexicon_has(ing, doc->text + doc->tokens.items[k].start,
				    doc->tokens.items[k].end - doc->tokens.items[k].start) ||
			word_is(doc, &doc->tokens.items[k], "according")))
		return (struct span){ 0, 0 };
	uint32_t j = k;
	while (j < end && doc->tokens.items[j].start < c.end &&
	       ((doc->tokens.items[j].flags & TOK_PUNCT) || time_word(doc, &doc->tokens.items[j])))
		j++;
	if (j >= end || doc->tokens.items[j].start >= c.end)
		return (struct span){ 0, 0 };
	if (j > k && word_is(doc, &doc->tokens.items[j], "that") && j + 1 < end)
		c.start = doc->tokens.items[j + 1].start;
	/* a "that" between the cue and the content opens the content: a time
	 * or channel phrase before it may have taken some of the clause */
	if (cue.end <= c.start) {
		for (uint32_t q = token_at(doc, s, cue.end); q + 1 < end &&
		     doc->tokens.items[q].start < c.start; q++) {
			if (word_is(doc, &doc->tokens.items[q], "that")) {
				c.start = doc->tokens.items[q + 1].start;
				break;
			}
		}
	}
	/* words of the clause between the cue and an opening quotation mark */
	if (cue.end <= c.start && c.start > s->start) {
		uint32_t q = token_at(doc, s, cue.end), words = 0, first = 0;
		for (; q < end && doc->tokens.items[q].start < c.start; q++) {
			const struct token *t = &doc->tokens.items[q];
			if (!(t->flags & TOK_WORD))
				continue;
			if (!words && (word_is(doc, t, "that") || time_word(doc, t)))
				continue;
			if (!words++)
				first = t->start;
		}
		bool quoted = (c.start >= 1 && doc->text[c.start - 1] == '"') ||
			      (c.start >= 3 && !memcmp(doc->text + c.start - 3, "\xe2\x80\x9c", 3));
		if (words && quoted && first > cue.end)
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
	int rc = pcre2_match(re, (PCRE2_SPTR)doc->text + s->start, s->end - s->start,
			     at - s->start, PCRE2_NO_UTF_CHECK, m->md, m->mctx);
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
	const struct lexicon *time = rules_lexicon(doc->rules, "CUE_TIME");
	const struct lexicon *day = rules_lexicon(doc->rules, "WEEKDAY");
	const struct lexicon *month = rules_lexicon(doc->rules, "MONTH");
	uint32_t k = s->tok_first, end = s->tok_first + s->tok_count;
	while (k < end && doc->tokens.items[k].start < cue.end)
		k++;
	for (int skipped = 0; k < end && skipped <= 4; skipped++) {
		const struct token *t = &doc->tokens.items[k];
		uint32_t e = channel_at(doc, m, s, t->start);
		if (e)
			return (struct span){ t->start, e };
		const char *w = doc->text + t->start;
		size_t n = t->end - t->start;
		if (!(t->flags & TOK_NUM) && !lexicon_has(time, w, n) && !lexicon_has(day, w, n) &&
		    !lexicon_has(month, w, n))
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
	for (size_t i = 0; i < doc->attributions.len; i++) {
		const struct attribution *b = &doc->attributions.items[i];
		if (b->sentence == si && overlaps(b->cue, a.cue))
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
			uint32_t b = s->start, e = s->end;
			while (b < ext.start && is_space_or(doc, b, ""))
				b++;
			while (e > ext.end && is_space_or(doc, e - 1, ".!?"))
				e--;
			const struct sentence *prev = &doc->sentences.items[si - 1];
			if (b == ext.start && e == ext.end && prev->kind != KIND_BOILERPLATE) {
				b = prev->start;
				e = prev->end;
				while (b < e && is_space_or(doc, b, "\"'"))
					b++;
				while (e > b && is_space_or(doc, e - 1, ".!?\""))
					e--;
				if (e > b)
					a.content = (struct span){ b, e };
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
