/* profile.c - where matching time goes, rule by rule (asc_profile).
 *
 * An annotator that counts keeps a struct match_cost per rule, per shared
 * head and per shared lead (doc.h).  A rule's time leaves out the heads
 * and leads enumerated inside its run: those are rows of their own, as
 * every rule that shares one uses what the first enumerated. */

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "doc.h"

struct asc_profile {
	const asc_rules *rules;
	struct match_cost *cost;   /* rules, then heads, leads and necks */
	size_t n;
};

static size_t cost_rows(const asc_rules *r)
{
	return r->rules.len + r->heads.len + r->leads.len + r->necks.len;
}

asc_profile *asc_profile_new(const asc_rules *rules)
{
	asc_profile *p = xcalloc(1, sizeof *p);
	p->rules = rules;
	p->n = cost_rows(rules);
	p->cost = xcalloc(p->n + 1, sizeof *p->cost);
	return p;
}

void asc_profile_free(asc_profile *p)
{
	if (!p)
		return;
	free(p->cost);
	free(p);
}

void asc_annotator_profile(asc_annotator *an, int on)
{
	struct matcher *m = &an->m;
	if (on && !m->cost)
		m->cost = xcalloc(cost_rows(m->rules) + 1, sizeof *m->cost);
	else if (!on) {
		free(m->cost);
		m->cost = NULL;
	}
}

void asc_profile_add(asc_profile *p, const asc_annotator *an)
{
	const struct matcher *m = &an->m;
	if (!m->cost || m->rules != p->rules)
		return;
	for (size_t i = 0; i < p->n; i++) {
		p->cost[i].calls += m->cost[i].calls;
		p->cost[i].matches += m->cost[i].matches;
		p->cost[i].ns += m->cost[i].ns;
	}
}

struct row {
	size_t i;
	uint64_t ns;
};

static int by_time(const void *a, const void *b)
{
	const struct row *x = a, *y = b;
	if (x->ns != y->ns)
		return x->ns < y->ns ? 1 : -1;
	return (x->i > y->i) - (x->i < y->i);
}

/* Whether a pattern runs without JIT code: past the budget, or with
 * ASCRIBE_NO_JIT (docs/performance.md, "JIT code within a budget"). */
static bool interpreted(const pcre2_code *re)
{
	size_t size = 0;
	return re && (pcre2_pattern_info(re, PCRE2_INFO_JITSIZE, &size) != 0 || !size);
}

/* What row i is: a rule and its stage, a head and how many rules share
 * it, or a lead and the first rule that has it; "interpreted" when the
 * pattern it runs has no JIT code. */
static void describe(const asc_rules *r, size_t i, char *out, size_t size)
{
	if (i < r->rules.len) {
		const struct rule *rule = &r->rules.items[i];
		int st = (int)rule->stage;
		const pcre2_code *re = rule->head || rule->lead ? rule->tail
				     : rule->word_table ? NULL : rule->re;
		snprintf(out, size, "%s (%s%s)", rule->id,
			 st >= 0 && st < STAGE_COUNT ? stage_names[st] : "?",
			 interpreted(re) ? ", interpreted" : "");
		return;
	}
	i -= r->rules.len;
	int users = 0;
	const char *first = "?";
	if (i >= r->heads.len + r->leads.len) {
		size_t k = i - r->heads.len - r->leads.len;
		for (size_t j = 0; j < r->rules.len; j++)
			if (r->rules.items[j].neck == (int)k + 1 && !users++)
				first = r->rules.items[j].id;
		snprintf(out, size, "neck of %s, shared by %d rules%s", first, users,
			 interpreted(r->necks.items[k].re) ? ", interpreted" : "");
		return;
	}
	bool head = i < r->heads.len;
	size_t k = head ? i : i - r->heads.len;
	for (size_t j = 0; j < r->rules.len; j++) {
		const struct rule *rule = &r->rules.items[j];
		if ((head && rule->head == (int)k + 1) || (!head && rule->lead == (int)k + 1)) {
			if (!users++)
				first = rule->id;
		}
	}
	const char *how = interpreted(head ? r->heads.items[k].re : r->leads.items[k].re)
			  ? ", interpreted" : "";
	if (head)
		snprintf(out, size, "head {%s}, shared by %d rules%s", r->heads.items[k].macro,
			 users, how);
	else
		snprintf(out, size, "lead of %s, shared by %d rules%s", first, users, how);
}

int asc_profile_write(const asc_profile *p, FILE *f)
{
	struct row *rows = xcalloc(p->n + 1, sizeof *rows);
	size_t n = 0;
	uint64_t total = 0, calls = 0;
	for (size_t i = 0; i < p->n; i++) {
		total += p->cost[i].ns;
		calls += p->cost[i].calls;
		if (p->cost[i].calls)
			rows[n++] = (struct row){ i, p->cost[i].ns };
	}
	qsort(rows, n, sizeof *rows, by_time);
	fprintf(f, "# time in rule matching: %.1f ms in %" PRIu64 " runs; %zu of %zu rules, "
		"heads, leads and necks ran\n", (double)total / 1e6, calls, n, p->n);
	const asc_rules *r = p->rules;
	fprintf(f, "# JIT code: %.1f MB for %zu patterns; %zu patterns interpreted, past the "
		"JIT budget of %zu MB%s\n", (double)r->jit_bytes / 1e6, r->jit_patterns,
		r->interpreted, r->jit_budget >> 20,
		getenv("ASCRIBE_NO_JIT") ? " (ASCRIBE_NO_JIT)" : "");
	fprintf(f, "%10s %7s %10s %10s  %s\n", "ms", "share", "runs", "matches", "what");
	for (size_t k = 0; k < n; k++) {
		const struct match_cost *c = &p->cost[rows[k].i];
		char what[300];
		describe(p->rules, rows[k].i, what, sizeof what);
		fprintf(f, "%10.2f %6.1f%% %10" PRIu64 " %10" PRIu64 "  %s\n", (double)c->ns / 1e6,
			total ? 100.0 * (double)c->ns / (double)total : 0.0, c->calls, c->matches,
			what);
	}
	free(rows);
	return ferror(f) ? -1 : 0;
}
