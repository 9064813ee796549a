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

/* Appends the sentences of paragraph p, as the block stage leaves them, to
 * out: the first split at byte `at` when at is set (the prefix a segment of
 * the given kind), or all merged into one when merge is set.  Building a new
 * list keeps the stage linear in the number of sentences. */
static void emit_paragraph(const asc_doc *doc, const struct paragraph *p, uint32_t at,
			   int kind, bool merge, sentence_list *out)
{
	const struct sentence *first = &doc->sentences.items[p->first_sentence];
	uint32_t count = p->sentence_count;
	if (merge && count > 1) {
		const struct sentence *last = first + count - 1;
		struct sentence *s = array_push(out);
		*s = *first;
		s->end = last->end;
		s->tok_count = last->tok_first + last->tok_count - first->tok_first;
		return;
	}
	uint32_t from = 0;
	if (at && count) {
		uint32_t k = 0;
		while (k < first->tok_count && doc->tokens.items[first->tok_first + k].end <= at)
			k++;
		if (k > 0 && k < first->tok_count) {
			struct sentence *head = array_push(out);
			*head = *first;
			head->tok_count = k;
			head->end = doc->tokens.items[first->tok_first + k - 1].end;
			head->kind = kind;
			struct sentence *rest = array_push(out);
			*rest = *first;
			rest->tok_first += k;
			rest->tok_count -= k;
			rest->start = doc->tokens.items[rest->tok_first].start;
			from = 1;
		}
	}
	for (uint32_t k = from; k < count; k++)
		*array_push(out) = first[k];
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
	sentence_list out = { 0 };
	array_reserve(&out, doc->sentences.len + n);
	for (size_t i = 0; i < n; i++) {
		struct paragraph *p = &doc->paragraphs.items[i];
		p->kind = KIND_BODY;
		uint32_t prefix_end = 0;
		int prefix_kind = KIND_BODY;
		matcher_candidates(m, doc, p->tok_first, p->tok_count, STAGE_BLOCK);
		for (size_t c = 0; c < m->candidates.len; c++) {
			int ri = m->candidates.items[c];
			if (!when_holds(&r->whens[ri], facts, n, i, before_body, after_kind))
				continue;
			const struct rule *rule = &r->rules.items[ri];
			if (rule->pattern) {
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
			prefix_kind = rule->kind;
			break;
		}
		size_t first = out.len;
		emit_paragraph(doc, p, prefix_end, prefix_kind, p->kind != KIND_BODY, &out);
		p->first_sentence = (uint32_t)first;
		p->sentence_count = (uint32_t)(out.len - first);
		for (uint32_t k = 0; k < p->sentence_count; k++) {
			struct sentence *s = &out.items[first + k];
			if (!(prefix_end && k == 0))
				s->kind = p->kind;
		}
		if (p->kind == KIND_BODY)
			before_body = false;
		after_kind = p->kind;
	}
	array_free(&doc->sentences);
	doc->sentences.items = out.items;
	doc->sentences.len = out.len;
	doc->sentences.cap = out.cap;
	free(facts);
}
