/* label.c - stage 7: fact or opinion, the voice, and check-worthiness,
 * with a score, the rules behind them and the words that fired.
 *
 * Every label rule (rules/label.yaml, rules/voice.yaml,
 * rules/checkworthy.yaml) weighs for one side of one field.  A rule that
 * matches a segment adds its weight to its side once, whatever the number of
 * matches, and its first match is kept as evidence.  A speaker the attribute
 * and resolve stages found (the sentence reports someone, or carries on a
 * quotation) weighs for the attributed voice with the rule set's
 * calibration.voice.speaker.  Each field's weights become a decision
 * through its calibration (docs/label-rules.md), fitted on the tune split:
 *
 *   z = slope * (w[second side] - w[first side]) + intercept
 *
 * and the field takes its second side (opinion, attributed, checkworthy)
 * when z > 0.  label_score, how likely the label given is right, maps |z|
 * through a second pair fitted on the calibrate split, which no rule was
 * written from: 1 / (1 + exp(-(score_slope * |z| + score_intercept))).  An
 * opinion is never check-worthy.  reasons lists the block and attribution
 * rules and, for each field, the rules on the side it took. */
#include "doc.h"

#include <math.h>

static bool labelled(int kind)
{
	return kind == KIND_BODY || kind == KIND_HEADLINE || kind == KIND_CAPTION;
}

/* The decision of a field: > 0 for its second side. */
static double logit(const struct calibration *cal, const double *w, int field)
{
	double margin = w[2 * field + 1] - w[2 * field];
	return cal->slope * margin + cal->intercept;
}

/* The attribution that gives the sentence its voice: its own, or the one
 * whose quotation it carries on; -1 when nobody speaks. */
static int speaking(const struct sentence *s)
{
	if (s->attribution >= 0)
		return s->attribution;
	if (s->speaker.entity >= 0 || s->speaker.resolved == RES_QUOTE)
		return s->continues;
	return -1;
}

/* Appends to doc->reasons the rules of the evidence on side. */
static void add_reasons(asc_doc *doc, const struct sentence *s, int side)
{
	for (uint32_t k = 0; k < s->evidence_count; k++) {
		const struct evidence *e = &doc->evidence.items[s->evidence_first + k];
		if (e->side == side && doc->rules->hot[e->rule].flags & HOT_LABEL)
			*array_push(&doc->reasons) = e->rule;
	}
}

static void weigh(asc_doc *doc, struct matcher *m, struct sentence *s, double *w)
{
	const asc_rules *r = doc->rules;
	matcher_candidates(m, doc, s->tok_first, s->tok_count, STAGE_LABEL);
	for (size_t c = 0; c < m->candidates.len; c++) {
		int ri = m->candidates.items[c];
		const struct rule *rule = &r->rules.items[ri];
		if (matcher_run(m, rule, doc->text + s->start, s->end - s->start, 0) <= 0)
			continue;
		/* m->ov[0..1]: the whole match, in bytes of the segment */
		struct span at = { s->start + (uint32_t)m->ov[0], s->start + (uint32_t)m->ov[1] };
		w[rule->side] += rule->weight;
		*array_push(&doc->evidence) = (struct evidence){ ri, rule->side, rule->weight, at };
	}
	int a = speaking(s);
	if (a >= 0) {
		const struct attribution *at = &doc->attributions.items[a];
		struct span where = s->attribution >= 0 ? at->cue : s->speaker.at;
		if (where.end < s->start || where.start > s->end)
			where = (struct span){ s->start, s->start };
		w[SIDE_ATTRIBUTED] += r->speaker_weight;
		*array_push(&doc->evidence) = (struct evidence){
			at->rule, SIDE_ATTRIBUTED, r->speaker_weight, where
		};
	}
	s->evidence_count = (uint32_t)doc->evidence.len - s->evidence_first;
}

void label_sentences(asc_doc *doc, struct matcher *m)
{
	const asc_rules *r = doc->rules;
	for (uint32_t si = 0; si < doc->sentences.len; si++) {
		struct sentence *s = &doc->sentences.items[si];
		s->reasons_first = (uint32_t)doc->reasons.len;
		s->reasons_count = 0;
		s->evidence_first = (uint32_t)doc->evidence.len;
		s->evidence_count = 0;
		s->voice = -1;
		s->checkworthy = -1;
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
		double w[SIDE_COUNT] = { 0 };
		weigh(doc, m, s, w);
		const struct calibration *cal = &r->calibration[LF_LABEL];
		double z = logit(cal, w, LF_LABEL);
		s->label = z > 0 ? LABEL_OPINION : LABEL_FACT;
		s->label_score = 1.0 / (1.0 + exp(-(cal->score_slope * fabs(z) +
						    cal->score_intercept)));
		s->voice = logit(&r->calibration[LF_VOICE], w, LF_VOICE) > 0 ?
			   SIDE_ATTRIBUTED : SIDE_AUTHOR;
		s->checkworthy = s->label == LABEL_FACT &&
				 logit(&r->calibration[LF_CHECK], w, LF_CHECK) > 0;
		add_reasons(doc, s, s->label == LABEL_OPINION ? SIDE_OPINION : SIDE_FACT);
		add_reasons(doc, s, s->voice);
		if (s->label == LABEL_FACT)
			add_reasons(doc, s, s->checkworthy ? SIDE_CHECKWORTHY : SIDE_NOT_CHECKWORTHY);
		s->reasons_count = (uint32_t)doc->reasons.len - s->reasons_first;
	}
}
