/* fuzz.h - what the libFuzzer targets share: the default rule set, loaded
 * once per process, and the checks each target makes of what the library
 * gives back.  A failed check aborts, which libFuzzer reports as a crash. */
#ifndef ASC_FUZZ_H
#define ASC_FUZZ_H

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "doc.h"

#ifndef ASC_SOURCE_RULES
#define ASC_SOURCE_RULES "rules"
#endif

#define FUZZ_CHECK(cond)                                                        \
	do {                                                                    \
		if (!(cond)) {                                                  \
			fprintf(stderr, "%s:%d: check failed: %s\n", __FILE__,  \
				__LINE__, #cond);                               \
			abort();                                                \
		}                                                               \
	} while (0)

/* s parsed as JSON, a key given twice refused: a check fails when it is
 * not JSON or, written compact, when it spans lines. */
static inline json_t *fuzz_parse_json(const char *s, int compact)
{
	FUZZ_CHECK(s != NULL);
	json_error_t jerr;
	json_t *root = json_loads(s, JSON_REJECT_DUPLICATES, &jerr);
	if (!root)
		fprintf(stderr, "invalid JSON at %d:%d: %s\n", jerr.line, jerr.column, jerr.text);
	FUZZ_CHECK(root != NULL);
	FUZZ_CHECK(!compact || !strchr(s, '\n'));
	return root;
}

/* The default rules ($ASCRIBE_RULES, else the source tree's rules/). */
static inline asc_rules *fuzz_default_rules(void)
{
	const char *dir = getenv("ASCRIBE_RULES");
	asc_rules *rules = NULL;
	asc_error err;
	if (asc_rules_load(dir && *dir ? dir : ASC_SOURCE_RULES, &rules, &err) != ASC_OK) {
		char msg[1200];
		asc_error_format(&err, msg, sizeof msg);
		fprintf(stderr, "fuzz: cannot load the default rules: %s\n", msg);
		abort();
	}
	return rules;
}

/* Whether s[0..len) is well-formed UTF-8 (RFC 3629: no overlong forms, no
 * surrogates, nothing above U+10FFFF) without NUL bytes. */
static inline int fuzz_valid_utf8(const unsigned char *s, size_t len)
{
	size_t i = 0;
	while (i < len) {
		unsigned char c = s[i];
		if (c == 0)
			return 0;
		if (c < 0x80) {
			i++;
			continue;
		}
		size_t n = c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : c >= 0xC2 ? 2 : 0;
		if (!n || c > 0xF4 || i + n > len)
			return 0;
		for (size_t k = 1; k < n; k++)
			if ((s[i + k] & 0xC0) != 0x80)
				return 0;
		if ((c == 0xE0 && s[i + 1] < 0xA0) || (c == 0xED && s[i + 1] > 0x9F) ||
		    (c == 0xF0 && s[i + 1] < 0x90) || (c == 0xF4 && s[i + 1] > 0x8F))
			return 0;
		i += n;
	}
	return 1;
}

/* Whether byte offset i of doc->text starts a code point (or is the end). */
static inline int fuzz_on_boundary(const asc_doc *doc, size_t i)
{
	return i == doc->len || (i < doc->len && ((unsigned char)doc->text[i] & 0xC0) != 0x80);
}

#endif
