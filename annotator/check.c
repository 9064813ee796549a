/* check.c - `ascribe rules check`: every rule runs its own examples.
 *
 * Attribute, spot and label examples run the rule's pattern alone and
 * compare the named captures.  Block examples run the whole block stage on
 * the example text and ask whether this rule claims its last line, since
 * block conditions (repeated lines, runs of short lines) need a document.
 * Every positive example must also pass the rule's prefilter (`requires`):
 * a rule whose trigger words miss its own example would never run. */
#include "doc.h"

#include <stdio.h>
#include <string.h>

static void report(asc_check_fn fn, void *ctx, const struct rule *rule,
		   const struct example *ex, const char *fmt, const char *a, const char *b)
{
	asc_error e = { .status = ASC_ERR_EXAMPLE, .line = ex->at.line,
			.column = ex->at.col, .offset = -1 };
	snprintf(e.file, sizeof e.file, "%s", ex->at.file ? ex->at.file : "");
	char detail[400];
	snprintf(detail, sizeof detail, fmt, a ? a : "", b ? b : "");
	snprintf(e.message, sizeof e.message, "rule '%s': example %s", rule->id, detail);
	if (fn)
		fn(&e, ctx);
}

/* Whether the rule's prefilter lets the text through. */
static bool passes_prefilter(struct matcher *m, const asc_rules *r, int ri,
			     const char *text)
{
	const struct rule *rule = &r->rules.items[ri];
	if (!rule->requires.len)
		return true;
	asc_doc *doc = doc_read(text, strlen(text), NULL);
	doc->rules = r;
	token_list *toks = &doc->tokens;
	tokenize(doc, (struct span){ 0, (uint32_t)doc->len }, toks);
	matcher_candidates(m, doc, 0, (uint32_t)toks->len, rule->stage);
	bool found = false;
	for (size_t i = 0; i < m->candidates.len && !found; i++)
		found = m->candidates.items[i] == ri;
	asc_doc_free(doc);
	return found;
}

static bool check_block(struct matcher *m, const asc_rules *r, int ri,
			const struct example *ex, asc_check_fn fn, void *ctx)
{
	const struct rule *rule = &r->rules.items[ri];
	asc_doc *doc = doc_read(ex->text, strlen(ex->text), NULL);
	doc->rules = r;
	m->doc = doc;
	segment_document(doc);
	blocks_classify(doc, m);
	m->doc = NULL;
	bool claimed = doc->paragraphs.len &&
		       doc->paragraphs.items[doc->paragraphs.len - 1].rule == ri;
	asc_doc_free(doc);
	if (claimed == ex->match)
		return true;
	report(fn, ctx, rule, ex, ex->match ? "is not claimed by the rule: %s%s" :
	       "is claimed by the rule but should not be: %s%s", ex->text, NULL);
	return false;
}

static bool check_pattern(struct matcher *m, const struct rule *rule,
			  const struct example *ex, asc_check_fn fn, void *ctx)
{
	size_t len = strlen(ex->text);
	int rc = matcher_run(m, rule, ex->text, len, 0);
	if (rc < 0) {
		report(fn, ctx, rule, ex, "hit a match limit: %s%s", ex->text, NULL);
		return false;
	}
	if ((rc > 0) != ex->match) {
		report(fn, ctx, rule, ex, ex->match ? "does not match: %s%s" :
		       "matches but should not: %s%s", ex->text, NULL);
		return false;
	}
	if (!rc)
		return true;
	bool ok = true;
	for (size_t i = 0; i < ex->captures.len; i++) {
		const struct capture *cap = &ex->captures.items[i];
		int g = pcre2_substring_number_from_name(rule->re, (PCRE2_SPTR)cap->group);
		if (g <= 0) {
			report(fn, ctx, rule, ex, "names a group the pattern lacks: %s%s",
			       cap->group, NULL);
			ok = false;
			continue;
		}
		struct span s;
		bool set = matcher_group(m, g, 0, &s);
		char got[300];
		if (set)
			snprintf(got, sizeof got, "'%.*s'", (int)(s.end - s.start), ex->text + s.start);
		else
			snprintf(got, sizeof got, "nothing");
		bool same = cap->text ? set && strlen(cap->text) == s.end - s.start &&
					       !memcmp(cap->text, ex->text + s.start, s.end - s.start)
				      : !set;
		if (!same) {
			char want[300];
			snprintf(want, sizeof want, "%s: expected '%s', got", cap->group,
				 cap->text ? cap->text : "(nothing)");
			report(fn, ctx, rule, ex, "capture %s %s", want, got);
			ok = false;
		}
	}
	return ok;
}

size_t asc_rules_check(const asc_rules *r, asc_check_fn fn, void *ctx, size_t *total)
{
	struct matcher m;
	matcher_init(&m, r);
	size_t failed = 0, run = 0;
	for (size_t ri = 0; ri < r->rules.len; ri++) {
		const struct rule *rule = &r->rules.items[ri];
		for (size_t k = 0; k < rule->examples.len; k++) {
			const struct example *ex = &rule->examples.items[k];
			if (!ex->text)
				continue;
			run++;
			bool ok;
			if (rule->stage == STAGE_BLOCK) {
				ok = check_block(&m, r, (int)ri, ex, fn, ctx);
			} else {
				ok = check_pattern(&m, rule, ex, fn, ctx);
				if (ok && ex->match && !passes_prefilter(&m, r, (int)ri, ex->text)) {
					report(fn, ctx, rule, ex,
					       "holds none of the rule's required words: %s%s",
					       ex->text, NULL);
					ok = false;
				}
			}
			failed += !ok;
		}
	}
	matcher_free(&m);
	if (total)
		*total = run;
	return failed;
}
