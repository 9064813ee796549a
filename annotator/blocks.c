/* blocks.c - stage 3: what each line is (body, headline, caption, dateline,
 * byline, boilerplate).
 *
 * The block rules of rules/blocks.yaml are tried in order on every line; the
 * first whose pattern and `when` conditions hold decides.  A line that is
 * not body becomes one segment whatever full stops it holds. */
#include "doc.h"

#include <string.h>

struct line_facts {
	int words;
	bool terminal;
	bool title_case;
	int seen_before;     /* occurrences earlier in the document */
	int seen_after;      /* occurrences later */
};

static void line_facts(const asc_doc *doc, const struct paragraph *p,
		       struct line_facts *f)
{
	int words = 0, long_words = 0, capped = 0;
	for (uint32_t i = 0; i < p->tok_count; i++) {
		const struct token *t = &doc->tokens.items[p->tok_first + i];
		if (!(t->flags & TOK_WORD))
			continue;
		words++;
		if (t->end - t->start >= 4) {
			long_words++;
			capped += (t->flags & (TOK_CAP | TOK_NUM)) != 0;
		}
	}
	f->words = words;
	f->title_case = long_words > 0 && capped * 4 >= long_words * 3;
	f->terminal = false;
	if (p->tok_count) {
		const struct token *last = &doc->tokens.items[p->tok_first + p->tok_count - 1];
		const struct token *prev = p->tok_count > 1 ? last - 1 : NULL;
		f->terminal = (last->flags & TOK_SENT_END) ||
			      ((last->flags & TOK_QUOTE_CLOSE) && prev &&
			       (prev->flags & TOK_SENT_END)) ||
			      doc->text[last->start] == ':';
	}
}

static bool short_open_line(const struct line_facts *f, int max_words)
{
	return !f->terminal && f->words > 0 && f->words <= max_words;
}

static int run_length(const struct line_facts *facts, size_t n, size_t i, int max_words)
{
	if (!short_open_line(&facts[i], max_words))
		return 0;
	size_t a = i, b = i;
	while (a > 0 && short_open_line(&facts[a - 1], max_words))
		a--;
	while (b + 1 < n && short_open_line(&facts[b + 1], max_words))
		b++;
	return (int)(b - a + 1);
}

static bool when_holds(const struct when *w, const struct line_facts *facts,
		       size_t n, size_t i, bool before_body, int after_kind)
{
	const struct line_facts *f = &facts[i];
	if (w->terminal >= 0 && f->terminal != (w->terminal == 1))
		return false;
	if (w->max_words >= 0 && w->in_run < 0 && f->words > w->max_words)
		return false;
	if (w->min_words >= 0 && f->words < w->min_words)
		return false;
	if (w->repeated >= 0 && (f->seen_before > 0) != (w->repeated == 1))
		return false;
	if (w->repeats_later >= 0 && (f->seen_after > 0) != (w->repeats_later == 1))
		return false;
	if (w->first == 1 && i != 0)
		return false;
	if (w->before_body >= 0 && before_body != (w->before_body == 1))
		return false;
	if (w->title_case >= 0 && f->title_case != (w->title_case == 1))
		return false;
	if (w->after_kind >= 0 && after_kind != w->after_kind)
		return false;
	if (w->in_run > 0 &&
	    run_length(facts, n, i, w->max_words >= 0 ? w->max_words : 16) < w->in_run)
		return false;
	return true;
}

static void count_repeats(const asc_doc *doc, struct line_facts *facts)
{
	strmap seen = { 0 };
	size_t n = doc->paragraphs.len;
	for (size_t i = 0; i < n; i++) {
		const struct paragraph *p = &doc->paragraphs.items[i];
		int k = strmap_get(&seen, doc->text + p->start, p->end - p->start);
		facts[i].seen_before = k < 0 ? 0 : k;
		strmap_put(&seen, doc->text + p->start, p->end - p->start, k < 0 ? 1 : k + 1);
	}
	for (size_t i = 0; i < n; i++) {
		const struct paragraph *p = &doc->paragraphs.items[i];
		int total = strmap_get(&seen, doc->text + p->start, p->end - p->start);
		facts[i].seen_after = total - facts[i].seen_before - 1;
	}
	strmap_free(&seen);
}

/* Splits the paragraph's first sentence at byte `at`: the prefix becomes its
 * own segment of the given kind. */
static void split_prefix(asc_doc *doc, size_t pi, uint32_t at, int kind)
{
	struct paragraph *p = &doc->paragraphs.items[pi];
	struct sentence *s = &doc->sentences.items[p->first_sentence];
	uint32_t k = 0;
	while (k < s->tok_count && doc->tokens.items[s->tok_first + k].end <= at)
		k++;
	if (k == 0 || k >= s->tok_count)
		return;
	struct sentence rest = *s;
	rest.tok_first += k;
	rest.tok_count -= k;
	rest.start = doc->tokens.items[rest.tok_first].start;
	s->tok_count = k;
	s->end = doc->tokens.items[s->tok_first + k - 1].end;
	s->kind = kind;
	array_reserve(&doc->sentences, doc->sentences.len + 1);
	struct sentence *base = doc->sentences.items;
	size_t at_index = p->first_sentence + 1;
	memmove(base + at_index + 1, base + at_index,
		(doc->sentences.len - at_index) * sizeof *base);
	base[at_index] = rest;
	doc->sentences.len++;
	p->sentence_count++;
	for (size_t j = pi + 1; j < doc->paragraphs.len; j++)
		doc->paragraphs.items[j].first_sentence++;
}

/* Makes one segment of all the sentences of paragraph pi. */
static void merge_paragraph(asc_doc *doc, size_t pi)
{
	struct paragraph *p = &doc->paragraphs.items[pi];
	if (p->sentence_count <= 1)
		return;
	struct sentence *first = &doc->sentences.items[p->first_sentence];
	struct sentence *last = first + p->sentence_count - 1;
	first->end = last->end;
	first->tok_count = last->tok_first + last->tok_count - first->tok_first;
	uint32_t removed = p->sentence_count - 1;
	size_t tail = p->first_sentence + p->sentence_count;
	memmove(first + 1, doc->sentences.items + tail,
		(doc->sentences.len - tail) * sizeof *first);
	doc->sentences.len -= removed;
	p->sentence_count = 1;
	for (size_t j = pi + 1; j < doc->paragraphs.len; j++)
		doc->paragraphs.items[j].first_sentence -= removed;
}

void blocks_classify(asc_doc *doc, struct matcher *m)
{
	const asc_rules *r = doc->rules;
	size_t n = doc->paragraphs.len;
	struct line_facts *facts = xcalloc(n ? n : 1, sizeof *facts);
	for (size_t i = 0; i < n; i++)
		line_facts(doc, &doc->paragraphs.items[i], &facts[i]);
	count_repeats(doc, facts);

	bool before_body = true;
	int after_kind = -1;
	for (size_t i = 0; i < n; i++) {
		struct paragraph *p = &doc->paragraphs.items[i];
		p->kind = KIND_BODY;
		uint32_t prefix_end = 0;
		matcher_candidates(m, doc, p->tok_first, p->tok_count, STAGE_BLOCK);
		for (size_t c = 0; c < m->candidates.len; c++) {
			int ri = m->candidates.items[c];
			const struct rule *rule = &r->rules.items[ri];
			if (!when_holds(&rule->when, facts, n, i, before_body, after_kind))
				continue;
			if (rule->re) {
				int rc = matcher_run(m, rule, doc->text + p->start,
						     p->end - p->start, 0);
				if (rc <= 0)
					continue;
				const PCRE2_SIZE *ov = m->ov;
				if (rule->prefix && p->start + ov[1] < p->end)
					prefix_end = p->start + (uint32_t)ov[1];
			}
			p->rule = ri;
			p->kind = prefix_end ? KIND_BODY : rule->kind;
			if (prefix_end)
				split_prefix(doc, i, prefix_end, rule->kind);
			break;
		}
		if (p->kind != KIND_BODY)
			merge_paragraph(doc, i);
		for (uint32_t k = 0; k < p->sentence_count; k++) {
			struct sentence *s = &doc->sentences.items[p->first_sentence + k];
			if (!(prefix_end && k == 0))
				s->kind = p->kind;
		}
		if (p->kind == KIND_BODY)
			before_body = false;
		after_kind = p->kind;
	}
	free(facts);
}
