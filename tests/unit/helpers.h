/* helpers.h - shared set-up for the cmocka unit tests.
 *
 * Pipeline tests annotate with the default rules ($ASCRIBE_RULES, set by
 * the Makefile to the source tree's rules/); compiler tests write small
 * rule directories of their own. */
#ifndef ASC_TEST_HELPERS_H
#define ASC_TEST_HELPERS_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>
#include <cmocka.h>

#include "ascribe.h"
#include "doc.h"

asc_status asc_rules_compile(const char *dir, asc_rules **out,
			     asc_check_fn report, void *ctx, asc_error *err);

static asc_rules *test_rules;
static asc_annotator *test_annotator;

static inline int setup_rules(void **state)
{
	(void)state;
	const char *dir = getenv("ASCRIBE_RULES");
	asc_error err;
	if (!dir || asc_rules_load(dir, &test_rules, &err) != ASC_OK) {
		fprintf(stderr, "cannot load rules from %s: %s\n", dir ? dir : "(unset)",
			dir ? err.message : "");
		return -1;
	}
	test_annotator = asc_annotator_new(test_rules);
	return 0;
}

static inline int teardown_rules(void **state)
{
	(void)state;
	asc_annotator_free(test_annotator);
	asc_rules_free(test_rules);
	return 0;
}

static inline asc_doc *annotate(const char *text)
{
	asc_doc *doc = NULL;
	asc_error err;
	assert_int_equal(asc_annotate(test_annotator, text, strlen(text), NULL, &doc, &err),
			 ASC_OK);
	return doc;
}

/* The first sentence whose text contains needle; fails the test if none. */
static inline const struct sentence *sentence_with(const asc_doc *doc, const char *needle)
{
	for (size_t i = 0; i < doc->sentences.len; i++) {
		const struct sentence *s = &doc->sentences.items[i];
		size_t n = s->end - s->start;
		char *text = xstrndup(doc->text + s->start, n);
		bool hit = strstr(text, needle) != NULL;
		free(text);
		if (hit)
			return s;
	}
	fail_msg("no sentence contains '%s'", needle);
	return NULL;
}

static inline const char *speaker_name(const asc_doc *doc, const struct sentence *s)
{
	return s->speaker.entity >= 0 ? doc->entities.items[s->speaker.entity].name : NULL;
}

/* Writes files into a new temporary directory: pairs of name, content,
 * ending with NULL.  Returns the directory (malloc'd). */
static inline char *rule_dir(const char *name, ...)
{
	char *dir = xstrdup("/tmp/ascribe-test-XXXXXX");
	assert_non_null(mkdtemp(dir));
	va_list ap;
	va_start(ap, name);
	for (const char *n = name; n; n = va_arg(ap, const char *)) {
		const char *content = va_arg(ap, const char *);
		char path[512];
		snprintf(path, sizeof path, "%s/%s", dir, n);
		FILE *f = fopen(path, "w");
		assert_non_null(f);
		fputs(content, f);
		fclose(f);
	}
	va_end(ap);
	return dir;
}

static inline void remove_dir(char *dir)
{
	char cmd[600];
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
	assert_int_equal(system(cmd), 0);
	free(dir);
}

/* A rule's whole pattern compiled to be searched for: what the matcher's
 * heads, leads, tails and starts must find the same as. */
static inline pcre2_code *whole_pattern(const struct rule *rule)
{
	int code;
	PCRE2_SIZE off;
	pcre2_code *whole = pcre2_compile((PCRE2_SPTR)rule->pattern, PCRE2_ZERO_TERMINATED,
					  PCRE2_UTF, &code, &off, NULL);
	assert_non_null(whole);
	return whole;
}

/* Runs rule through the matcher, and a search of its whole pattern, on
 * text[0..len) from byte from; fails the test unless both find the same
 * match with the same groups.  Returns whether they found one. */
static inline bool same_as_search(struct matcher *m, const struct rule *rule,
				  pcre2_code *whole, pcre2_match_data *md, const char *text,
				  size_t len, size_t from)
{
	matcher_forget(m);
	int got = matcher_run(m, rule, text, len, from);
	int want = pcre2_match(whole, (PCRE2_SPTR)text, len, from, 0, md, m->mctx);
	if ((got > 0) != (want > 0))
		fail_msg("rule %s on '%.*s' from %zu: %d, a search %d", rule->id, (int)len, text,
			 from, got, want);
	const PCRE2_SIZE *ov = pcre2_get_ovector_pointer(md);
	for (int g = 0; g < want; g++) {
		assert_int_equal(m->ov[2 * g], ov[2 * g]);
		assert_int_equal(m->ov[2 * g + 1], ov[2 * g + 1]);
	}
	return want > 0;
}

#endif
