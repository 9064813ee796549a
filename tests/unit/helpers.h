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

#endif
