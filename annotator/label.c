/* label.c - stage 7: fact or opinion, with a score and the rules behind it.
 *
 * Every label rule (rules/label.yaml) that matches a segment adds its weight
 * to its side.  The opinion share is squashed with a logistic function:
 * p = 1 / (1 + exp(-(opinion - fact))), and the label is the side with
 * p >= 0.5 (ties go to fact).  label_score is the probability of the label
 * given.  reasons lists the rules on the winning side. */
#include "doc.h"

#include <math.h>

static bool labelled(int kind)
{
	return kind == KIND_BODY || kind == KIND_HEADLINE || kind == KIND_CAPTION;
}

void label_sentences(asc_doc *doc, struct matcher *m)
{
	const asc_rules *r = doc->rules;
	ARRAY(int) fired = { 0 };
	for (uint32_t si = 0; si < doc->sentences.len; si++) {
		struct sentence *s = &doc->sentences.items[si];
		s->reasons_first = (uint32_t)doc->reasons.len;
		s->reasons_count = 0;
		struct paragraph *p = &doc->paragraphs.items[s->paragraph];
		/* the block rule that set a kind other than body is a reason too */
		if (s->kind != KIND_BODY && p->rule >= 0 &&
		    r->rules.items[p->rule].kind == s->kind)
			*array_push(&doc->reasons) = p->rule;
		if (s->attribution >= 0)
			*array_push(&doc->reasons) = doc->attributions.items[s->attribution].rule;
		if (!labelled(s->kind)) {
			s->label = LABEL_NONE;
			s->reasons_count = (uint32_t)doc->reasons.len - s->reasons_first;
			continue;
		}
		double side[2] = { 0, 0 };
		fired.len = 0;
		matcher_candidates(m, doc, s->tok_first, s->tok_count, STAGE_LABEL);
		for (size_t c = 0; c < m->candidates.len; c++) {
			int ri = m->candidates.items[c];
			const struct rule *rule = &r->rules.items[ri];
			if (matcher_run(m, rule, doc->text + s->start, s->end - s->start, 0) <= 0)
				continue;
			side[rule->label] += rule->weight;
			*array_push(&fired) = ri;
		}
		double p_opinion = 1.0 / (1.0 + exp(-(side[LABEL_OPINION] - side[LABEL_FACT])));
		s->label = p_opinion > 0.5 ? LABEL_OPINION : LABEL_FACT;
		s->label_score = s->label == LABEL_OPINION ? p_opinion : 1.0 - p_opinion;
		for (size_t k = 0; k < fired.len; k++)
			if (r->rules.items[fired.items[k]].label == s->label)
				*array_push(&doc->reasons) = fired.items[k];
		s->reasons_count = (uint32_t)doc->reasons.len - s->reasons_first;
	}
	array_free(&fired);
}
