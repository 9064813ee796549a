/* check.c - `ascribe rules check`: every rule runs its own examples.
 *
 * Attribute, spot and label examples run the rule's pattern alone and
 * compare the named captures.  Block examples run the whole block stage on
 * the example text and ask whether this rule claims its last line, since
 * block conditions (repeated lines, runs of short lines) need a document.
 * Pattern examples run the way the pipeline runs a rule: only when the
 * prefilter (`requires`) picks it, and, for a rule that opens with a shared
 * head, with its required words bounding where a match may start.  A rule
 * whose trigger words miss its own example would never run. */
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

static bool check_block(struct matcher *m, const asc_rules *r, int ri,
			const struct example *ex, asc_check_fn fn, void *ctx)
{
	const struct rule *rule = &r->rules.items[ri];
	asc_doc *doc = doc_read(ex->text, strlen(ex->text), NULL);
	doc->rules = r;
	matcher_begin(m, doc);
	segment_document(doc);
	blocks_classify(doc, m);
	matcher_begin(m, NULL);
	bool claimed = doc->paragraphs.len &&
		       doc->paragraphs.items[doc->paragraphs.len - 1].rule == ri;
	asc_doc_free(doc);
	if (claimed == ex->match)
		return true;
	report(fn, ctx, rule, ex, ex->match ? "is not claimed by the rule: %s%s" :
	       "is claimed by the rule but should not be: %s%s", ex->text, NULL);
	return false;
}

/* Compares the named captures of the last match on text with the example's. */
static bool check_captures(const struct matcher *m, const struct rule *rule,
			   const struct example *ex, const char *text, asc_check_fn fn, void *ctx)
{
	bool ok = true;
	for (size_t i = 0; i < ex->captures.len; i++) {
		const struct capture *cap = &ex->captures.items[i];
		int g = rule_group(rule, m->rules, cap->group);
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
			snprintf(got, sizeof got, "'%.*s'", (int)(s.end - s.start), text + s.start);
		else
			snprintf(got, sizeof got, "nothing");
		bool same = cap->text ? set && strlen(cap->text) == s.end - s.start &&
					       !memcmp(cap->text, text + s.start, s.end - s.start)
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

/* Runs a rule on an example as the pipeline would: only when the
 * prefilter picks it, and within the bounds its required words set. */
static bool check_pattern(struct matcher *m, const asc_rules *r, int ri,
			  const struct example *ex, asc_check_fn fn, void *ctx)
{
	const struct rule *rule = &r->rules.items[ri];
	asc_doc *doc = doc_read(ex->text, strlen(ex->text), NULL);
	doc->rules = r;
	tokenize(doc, (struct span){ 0, (uint32_t)doc->len }, &doc->tokens);
	matcher_candidates(m, doc, 0, (uint32_t)doc->tokens.len, rule->stage);
	bool candidate = false;
	for (size_t i = 0; i < m->candidates.len && !candidate; i++)
		candidate = m->candidates.items[i] == ri;
	int rc = candidate ? matcher_run(m, rule, doc->text, doc->len, 0) : 0;
	bool ok = rc >= 0 && (rc > 0) == ex->match;
	if (rc < 0) {
		report(fn, ctx, rule, ex, "hit a match limit: %s%s", ex->text, NULL);
	} else if (!ok && ex->match && !candidate) {
		report(fn, ctx, rule, ex, "holds none of the rule's required words: %s%s",
		       ex->text, NULL);
	} else if (!ok && ex->match) {
		matcher_forget(m);
		bool anywhere = matcher_run(m, rule, doc->text, doc->len, 0) > 0;
		report(fn, ctx, rule, ex, anywhere ?
		       "matches only where none of the rule's required words comes at or "
		       "after the start of the match: %s%s" : "does not match: %s%s",
		       ex->text, NULL);
	} else if (!ok) {
		report(fn, ctx, rule, ex, "matches but should not: %s%s", ex->text, NULL);
	}
	if (ok && rc > 0)
		ok = check_captures(m, rule, ex, doc->text, fn, ctx);
	asc_doc_free(doc);
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
				ok = check_pattern(&m, r, (int)ri, ex, fn, ctx);
			}
			failed += !ok;
		}
	}
	matcher_free(&m);
	if (total)
		*total = run;
	return failed;
}
