/* eval_spans.h - scoring attribution spans for `ascribe eval`. */
#ifndef ASC_EVAL_SPANS_H
#define ASC_EVAL_SPANS_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

enum span_field {
	SF_SOURCE_EXACT, SF_SOURCE_PARTIAL, SF_CUE_EXACT, SF_CUE_PARTIAL,
	SF_CONTENT_EXACT, SF_CONTENT_PARTIAL, SF_TRIPLE_EXACT, SF_TRIPLE_PARTIAL,
	SF_COUNT
};
extern const char *const span_field_names[SF_COUNT];

/* Precision is tp_p / sys and recall tp_r / gold: a partial match adds a
 * share of one to each. */
struct span_counts {
	double tp_p, tp_r;
	long sys, gold;
};

struct span_score {
	struct span_counts f[SF_COUNT];
	long pronouns, resolved;     /* gold pronoun sources; resolved right */
	long documents, gold_attributions, sys_attributions;
};

/* Scores the system attributions of one document (the "attributions" of
 * its ascribe JSON) against the gold ones (docs/gold.md), adding to sc.
 * With show, prints every attribution that is not an exact match. */
void spans_score(const char *text, size_t len, json_t *gold, json_t *sys,
		 struct span_score *sc, FILE *show, const char *id);

double span_f1(const struct span_counts *c, double *p, double *r);

/* Whether two names are the same after normalising case, a leading
 * article, quote marks and trailing punctuation (eval.c). */
bool eval_same(const char *a, const char *b);

#endif
