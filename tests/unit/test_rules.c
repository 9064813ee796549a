/* Unit tests for rules.c and check.c: loading, errors with their place,
 * macro expansion, examples. */
#include "helpers.h"

static const char *good_rules =
	"lexicons:\n"
	"  CUE:\n"
	"    description: cue verbs\n"
	"    words: [said, told]\n"
	"macros:\n"
	"  WHO: '\\p{Lu}\\p{Ll}+'\n"
	"rules:\n"
	"  - id: simple\n"
	"    description: a name and a cue\n"
	"    stage: attribute\n"
	"    type: indirect\n"
	"    requires: ['{CUE}']\n"
	"    pattern: '(?<speaker>{WHO})\\s+(?<cue>{CUE})'\n"
	"    examples:\n"
	"      - text: Anna said so.\n"
	"        captures: { speaker: Anna, cue: said }\n"
	"      - text: nobody spoke\n"
	"        match: false\n";

static asc_status compile(const char *yaml, asc_error *err, asc_rules **out)
{
	char *dir = rule_dir("r.yaml", yaml, NULL);
	asc_status st = asc_rules_compile(dir, out, NULL, NULL, err);
	remove_dir(dir);
	return st;
}

static void good_set_loads_and_checks(void **state)
{
	(void)state;
	asc_error err;
	asc_rules *r = NULL;
	assert_int_equal(compile(good_rules, &err, &r), ASC_OK);
	assert_int_equal(asc_rules_count(r), 1);
	size_t total = 0;
	assert_int_equal(asc_rules_check(r, NULL, NULL, &total), 0);
	assert_int_equal(total, 2);
	asc_rules_free(r);
}

static void failing_example_is_counted(void **state)
{
	(void)state;
	char *yaml = xstrdup(good_rules);
	char *cap = strstr(yaml, "speaker: Anna");
	memcpy(cap, "speaker: Anne", 13);
	asc_error err;
	asc_rules *r = NULL;
	assert_int_equal(compile(yaml, &err, &r), ASC_OK);
	assert_int_equal(asc_rules_check(r, NULL, NULL, NULL), 1);
	asc_rules_free(r);
	free(yaml);
}

/* Compiles yaml, expects status and an error at line:col containing text. */
static void expect_error(const char *yaml, asc_status status, int line, int col,
			 const char *text)
{
	asc_error err;
	asc_rules *r = NULL;
	assert_int_equal(compile(yaml, &err, &r), status);
	assert_null(r);
	if (line)
		assert_int_equal(err.line, line);
	if (col)
		assert_int_equal(err.column, col);
	if (!strstr(err.message, text))
		fail_msg("message '%s' lacks '%s'", err.message, text);
	assert_non_null(strstr(err.file, "r.yaml"));
}

static void yaml_syntax_error_has_place(void **state)
{
	(void)state;
	expect_error("rules:\n  - id: [unclosed\n", ASC_ERR_YAML, 3, 1, "YAML syntax");
}

static void unknown_top_level_key(void **state)
{
	(void)state;
	expect_error("patterns: []\n", ASC_ERR_SCHEMA, 1, 1, "unknown top-level key 'patterns'");
}

static void unknown_rule_key(void **state)
{
	(void)state;
	char *yaml = xstrdup(good_rules);
	char *p = strstr(yaml, "    type: indirect");
	memcpy(p, "    tipe: indirect", 18);
	expect_error(yaml, ASC_ERR_SCHEMA, 11, 5, "unknown key 'tipe'");
	free(yaml);
}

static void missing_id(void **state)
{
	(void)state;
	expect_error("rules:\n  - description: x\n    stage: label\n    label: fact\n"
		     "    pattern: a\n    examples: [{text: a}]\n",
		     ASC_ERR_SCHEMA, 2, 5, "without an id");
}

static void duplicate_id_names_first(void **state)
{
	(void)state;
	const char *rule = "  - id: twin\n    description: x\n    stage: label\n    label: fact\n"
			   "    pattern: a\n    examples: [{text: a}]\n";
	char yaml[600];
	snprintf(yaml, sizeof yaml, "rules:\n%s%s", rule, rule);
	expect_error(yaml, ASC_ERR_SCHEMA, 8, 5, "duplicate rule id 'twin'");
}

static void wrong_type(void **state)
{
	(void)state;
	expect_error("rules:\n  - id: w\n    description: x\n    stage: label\n    label: fact\n"
		     "    weight: heavy\n    pattern: a\n    examples: [{text: a}]\n",
		     ASC_ERR_SCHEMA, 6, 13, "weight must be a number");
}

static void unknown_macro_points_into_pattern(void **state)
{
	(void)state;
	expect_error("rules:\n  - id: m\n    description: x\n    stage: label\n    label: fact\n"
		     "    pattern: 'ab{NOPE}'\n    examples: [{text: a}]\n",
		     ASC_ERR_MACRO, 6, 17, "unknown macro or lexicon '{NOPE}'");
}

static void macro_cycle(void **state)
{
	(void)state;
	expect_error("macros:\n  A: 'x{B}'\n  B: 'y{A}'\n"
		     "rules:\n  - id: m\n    description: x\n    stage: label\n    label: fact\n"
		     "    pattern: '{A}'\n    examples: [{text: a}]\n",
		     ASC_ERR_MACRO, 0, 0, "macro cycle");
}

static void bad_regex_column_inside_pattern(void **state)
{
	(void)state;
	/* the unmatched ')' is at offset 3 of the pattern, which starts at
	 * column 15 (after the opening quote) */
	expect_error("rules:\n  - id: m\n    description: x\n    stage: label\n    label: fact\n"
		     "    pattern: 'abc)'\n    examples: [{text: a}]\n",
		     ASC_ERR_REGEX, 6, 18, "bad pattern at offset 3");
}

static void empty_lexicon(void **state)
{
	(void)state;
	expect_error("lexicons:\n  EMPTY:\n    description: x\n    words: []\n",
		     ASC_ERR_SCHEMA, 4, 12, "lexicon 'EMPTY' is empty");
}

static void missing_examples(void **state)
{
	(void)state;
	expect_error("rules:\n  - id: m\n    description: x\n    stage: label\n    label: fact\n"
		     "    pattern: a\n", ASC_ERR_SCHEMA, 2, 5, "has no examples");
}

static void lexicon_expands_longest_first_with_spaces(void **state)
{
	(void)state;
	asc_error err;
	asc_rules *r = NULL;
	const char *yaml =
		"lexicons:\n  P:\n    description: x\n    words: [according, according to]\n"
		"rules:\n  - id: p\n    description: x\n    stage: label\n    label: fact\n"
		"    pattern: '(?<cue>{P})'\n    examples:\n"
		"      - text: \"according\\u00a0 to them\"\n"
		"        captures: { cue: \"according\\u00a0 to\" }\n";
	assert_int_equal(compile(yaml, &err, &r), ASC_OK);
	assert_int_equal(asc_rules_check(r, NULL, NULL, NULL), 0);
	asc_rules_free(r);
}

static void default_rules_compile_and_pass(void **state)
{
	(void)state;
	size_t total = 0;
	assert_int_equal(asc_rules_check(test_rules, NULL, NULL, &total), 0);
	assert_true(total > 50);
	assert_true(asc_rules_count(test_rules) > 20);
	/* with every lexicon an alternation, the patterns still fit in PCRE2
	 * (a body copied into a counted repeat would be compiled once per
	 * copy) and the examples still pass */
	setenv("ASCRIBE_NO_LEXCALL", "1", 1);
	asc_rules *r = NULL;
	asc_error err;
	assert_int_equal(asc_rules_compile(getenv("ASCRIBE_RULES"), &r, NULL, NULL, &err), ASC_OK);
	unsetenv("ASCRIBE_NO_LEXCALL");
	assert_int_equal(asc_rules_check(r, NULL, NULL, NULL), 0);
	asc_rules_free(r);
}

/* A rule that opens with a shared head runs as head + tail; its matches and
 * every group must be those of the whole pattern, on every example text of
 * the default rules, from the start and from later offsets. */
static void split_rules_match_as_whole_patterns(void **state)
{
	(void)state;
	const asc_rules *r = test_rules;
	assert_true(r->heads.len >= 1);
	struct matcher m;
	matcher_init(&m, r);
	pcre2_match_data *md = pcre2_match_data_create((uint32_t)r->max_groups + 1, NULL);
	size_t split = 0, leads = 0, necks = 0, compared = 0, matched = 0;
	for (size_t i = 0; i < r->rules.len; i++) {
		const struct rule *rule = &r->rules.items[i];
		/* the whole pattern, compiled here on demand as where a head
		 * hits a limit */
		if (!rule->head || !rule_whole(rule))
			continue;
		split++;
		leads += rule->lead != 0;
		necks += rule->neck != 0;
		/* a rule with known starts has its own whole pattern compiled
		 * anchored */
		pcre2_code *whole = whole_pattern(rule);
		for (size_t j = 0; j < r->rules.len; j++) {
			for (size_t k = 0; k < r->rules.items[j].examples.len; k++) {
				const char *text = r->rules.items[j].examples.items[k].text;
				size_t len = strlen(text);
				for (size_t from = 0; from < len; from += 7) {
					compared++;
					matched += same_as_search(&m, rule, whole, md, text, len, from);
				}
			}
		}
		pcre2_code_free(whole);
	}
	assert_true(split >= 2);
	assert_true(leads >= 2);
	assert_true(necks >= 2);
	assert_true(compared > 1000);
	assert_true(matched > 20);
	pcre2_match_data_free(md);
	matcher_free(&m);
}

/* Runs rule ri on text as the pipeline does: after matcher_candidates(),
 * which bounds how far the shared heads are enumerated.  Returns the
 * match's return, with the span of group g in *at. */
static int run_as_pipeline(struct matcher *m, const asc_rules *r, int ri, const char *text,
			   int g, struct span *at)
{
	asc_doc *doc = doc_read(text, strlen(text), NULL);
	doc->rules = r;
	tokenize(doc, (struct span){ 0, (uint32_t)doc->len }, &doc->tokens);
	matcher_candidates(m, doc, 0, (uint32_t)doc->tokens.len, r->rules.items[ri].stage);
	int rc = matcher_run(m, &r->rules.items[ri], doc->text, doc->len, 0);
	*at = (struct span){ 0, 0 };
	if (rc > 0)
		matcher_group(m, g, 0, at);
	asc_doc_free(doc);
	return rc;
}

/* A pattern with text before its head is split into lead, head and tail;
 * when the lead may hold its required words, the head is enumerated past
 * them as far as the lead's matches end, even where another rule's
 * required words bound it.  A head that only one rule uses is not split
 * at all. */
/* A rule split at a shared head has no whole pattern compiled with the
 * rules: its groups are numbered by a stand-in with the head's group
 * empty, and the whole pattern is compiled where it first runs, when the
 * head hits PCRE2's match limit.  Somewhere between a limit the head's
 * enumeration of every match stays under and one too small for even the
 * search of the whole pattern, the head fails and the whole pattern finds
 * the match. */
static void split_rules_compile_their_whole_pattern_when_it_runs(void **state)
{
	(void)state;
	const char *yaml =
		"macros:\n  WHO: '\\b\\p{Lu}\\p{Ll}+(?:\\s\\p{Lu}\\p{Ll}+)*'\n"
		"rules:\n"
		"  - id: a\n    description: x\n    stage: label\n    label: fact\n"
		"    pattern: '(?<speaker>{WHO}) (?<cue>said)'\n"
		"    examples:\n      - text: Anna Bell said\n"
		"        captures: { speaker: Anna Bell, cue: said }\n"
		"  - id: b\n    description: x\n    stage: label\n    label: fact\n"
		"    pattern: '(?<speaker>{WHO}) (?<cue>wrote)'\n"
		"    examples:\n      - text: Anna wrote\n";
	const char *text = "so Anna Bell Cole Dee Eve Fay Gil Hal said it";
	bool fell_back = false, whole_first = false;
	for (uint32_t limit = 2; limit < 100000 && !fell_back; limit += limit / 8 + 1) {
		asc_error err;
		asc_rules *r = NULL;
		assert_int_equal(compile(yaml, &err, &r), ASC_OK);
		const struct rule *rule = &r->rules.items[0];
		assert_int_equal(rule->head, 1);
		assert_null(rule->re);
		assert_non_null(rule->lazy);
		assert_null(atomic_load(&rule->lazy->re));
		assert_int_equal(rule->g.speaker, 1);
		assert_int_equal(rule->g.cue, 2);
		assert_int_equal(rule_group(rule, r, "cue"), 2);
		struct matcher m;
		matcher_init(&m, r);
		pcre2_set_match_limit(m.mctx, limit);
		struct span cue;
		int rc = run_as_pipeline(&m, r, 0, text, 2, &cue);
		bool compiled = atomic_load(&rule->lazy->re) != NULL;
		if (compiled && rc > 0) {
			fell_back = true;
			assert_int_equal(cue.start, 38);
			assert_int_equal(cue.end, 42);
			struct span who;
			assert_true(matcher_group(&m, 1, 0, &who));
			assert_int_equal(who.start, 3);
			/* compiled once: the second run finds it */
			const pcre2_code *whole = rule_whole(rule);
			assert_ptr_equal(whole, rule_whole(rule));
		}
		/* a limit so small that the head fails and so does the whole */
		whole_first |= compiled && rc < 0;
		matcher_free(&m);
		asc_rules_free(r);
	}
	assert_true(whole_first);
	assert_true(fell_back);
}

/* Rules of one head that go on the same way up to their first named group
 * share that stretch, the neck: its groups come between the head's and the
 * rest's, as in the whole pattern, and a neck only one rule has is not cut
 * off.  Every match and group is the whole pattern's, from every offset. */
static void rules_share_a_neck_after_their_head(void **state)
{
	(void)state;
	const char *yaml =
		"macros:\n  WHO: '\\b\\p{Lu}\\p{Ll}+(?:\\s\\p{Lu}\\p{Ll}+)*'\n"
		"  ROLE: '(?:,\\s(?<role>[^,]+),)?'\n"
		"rules:\n"
		"  - id: a\n    description: x\n    stage: label\n    label: fact\n"
		"    pattern: '(?<speaker>{WHO}){ROLE}\\s(?:also\\s)?(?<cue>said|told)\\b(?<rest>.*)'\n"
		"    examples:\n      - text: Anna Bell, a nurse, also told us\n"
		"        captures: { speaker: Anna Bell, role: a nurse, cue: told, rest: ' us' }\n"
		"  - id: b\n    description: x\n    stage: label\n    label: fact\n"
		"    pattern: '(?<speaker>{WHO}){ROLE}\\s(?:also\\s)?(?<cue>wrote)\\b'\n"
		"    examples:\n      - text: Anna wrote\n"
		"  - id: c\n    description: x\n    stage: label\n    label: fact\n"
		"    pattern: '(?<speaker>{WHO})\\s(?<cue>asked)'\n"
		"    examples:\n      - text: Anna asked\n";
	asc_error err;
	asc_rules *r = NULL;
	assert_int_equal(compile(yaml, &err, &r), ASC_OK);
	assert_int_equal(asc_rules_check(r, NULL, NULL, NULL), 0);
	assert_int_equal(r->necks.len, 1);
	assert_int_equal(r->necks.items[0].groups, 1);
	const struct rule *a = &r->rules.items[0];
	assert_int_equal(a->neck, 1);
	assert_int_equal(r->rules.items[1].neck, 1);
	assert_int_equal(r->rules.items[2].neck, 0);
	assert_int_equal(a->g.speaker, 1);
	assert_int_equal(a->g.role, 2);
	assert_int_equal(a->g.cue, 3);
	assert_int_equal(rule_group(a, r, "rest"), 4);
	struct matcher m;
	matcher_init(&m, r);
	pcre2_match_data *md = pcre2_match_data_create((uint32_t)r->max_groups + 1, NULL);
	const char *texts[] = {
		"Anna Bell, a nurse, also told us, Cole said, and Dee Eve wrote.",
		"Then Anna, who knew, said so; Bell  said it, and Cole, a nurse,wrote",
		"Nobody said a word. Anna Bell asked, Cole told, Dee, of Oslo, said.",
	};
	size_t matched = 0;
	for (size_t i = 0; i < r->rules.len; i++) {
		const struct rule *rule = &r->rules.items[i];
		pcre2_code *whole = whole_pattern(rule);
		for (size_t t = 0; t < sizeof texts / sizeof *texts; t++) {
			size_t len = strlen(texts[t]);
			for (size_t from = 0; from < len; from++)
				matched += same_as_search(&m, rule, whole, md, texts[t], len, from);
		}
		pcre2_code_free(whole);
	}
	assert_true(matched > 30);
	pcre2_match_data_free(md);
	matcher_free(&m);
	asc_rules_free(r);
	/* with ASCRIBE_NO_NECK, no neck */
	setenv("ASCRIBE_NO_NECK", "1", 1);
	assert_int_equal(compile(yaml, &err, &r), ASC_OK);
	unsetenv("ASCRIBE_NO_NECK");
	assert_int_equal(r->necks.len, 0);
	assert_int_equal(r->rules.items[0].neck, 0);
	asc_rules_free(r);
}

static void leads_split_when_required_words_follow(void **state)
{
	(void)state;
	asc_error err;
	asc_rules *r = NULL;
	const char *yaml =
		"macros:\n  WHO: '\\b\\p{Lu}\\p{Ll}+'\n  ALONE: '\\b\\p{Ll}+'\n"
		"lexicons:\n  VERB: [said, wrote]\n  CITE: [citing, quoting]\n"
		"rules:\n"
		"  - id: a\n    description: x\n    stage: label\n    label: fact\n"
		"    requires: ['{VERB}']\n"
		"    pattern: '^(?<content>.+?), (?<speaker>{WHO}) (?<cue>{VERB})'\n"
		"    examples:\n      - text: It rained, Anna said\n"
		"      - text: It rained, Anna Lee said\n        match: false\n"
		"  - id: b\n    description: x\n    stage: label\n    label: fact\n"
		"    requires: ['{CITE}']\n"
		"    pattern: '(?<cue>{CITE}) (?<speaker>{WHO})'\n"
		"    examples:\n      - text: It rained, citing Anna\n"
		"  - id: c\n    description: x\n    stage: label\n    label: fact\n"
		"    requires: ['{VERB}']\n"
		"    pattern: '(?<speaker>{WHO}) (?<cue>{VERB})'\n"
		"    examples:\n      - text: Anna wrote\n"
		"  - id: d\n    description: x\n    stage: label\n    label: fact\n"
		"    pattern: 'x (?<speaker>{ALONE})'\n"
		"    examples:\n      - text: x anna\n";
	assert_int_equal(compile(yaml, &err, &r), ASC_OK);
	assert_int_equal(r->rules.items[0].head, 1);
	assert_int_not_equal(r->rules.items[0].lead, 0);
	assert_false(r->rules.items[0].head_unbounded);
	/* its required word comes before the head: the head is not cut short */
	assert_int_equal(r->rules.items[1].head, 1);
	assert_int_not_equal(r->rules.items[1].lead, 0);
	assert_true(r->rules.items[1].head_unbounded);
	assert_int_equal(r->rules.items[2].head, 1);
	assert_int_equal(r->rules.items[2].lead, 0);
	/* the only rule with {ALONE} as its head */
	assert_int_equal(r->rules.items[3].head, 0);
	assert_int_equal(asc_rules_check(r, NULL, NULL, NULL), 0);
	struct matcher m;
	matcher_init(&m, r);
	const char *text = "\"No,\" she said, Anna said";
	assert_int_equal(matcher_run(&m, &r->rules.items[0], text, strlen(text), 0), 4);
	struct span sp;
	assert_true(matcher_group(&m, r->rules.items[0].g.content, 0, &sp));
	assert_int_equal(sp.start, 0);
	assert_int_equal(sp.end, 14);
	assert_true(matcher_group(&m, r->rules.items[0].g.speaker, 0, &sp));
	assert_int_equal(sp.start, 16);
	/* rules a and c bound the head at "said"; rule b's speaker starts
	 * after it, and after its first cue comes no name */
	const char *two = "It rained, Anna said, quoting citing Bob";
	assert_int_equal(run_as_pipeline(&m, r, 0, two, r->rules.items[0].g.speaker, &sp), 4);
	assert_int_equal(sp.start, 11);
	assert_int_equal(run_as_pipeline(&m, r, 1, two, r->rules.items[1].g.speaker, &sp), 3);
	assert_int_equal(sp.start, 37);
	assert_int_equal(sp.end, 40);
	/* b alone wants the head: none is enumerated before its leads end */
	const char *one = "It rained, quoting Bob";
	assert_int_equal(run_as_pipeline(&m, r, 1, one, r->rules.items[1].g.cue, &sp), 3);
	assert_int_equal(sp.start, 11);
	assert_int_equal(run_as_pipeline(&m, r, 1, "quoting bob", r->rules.items[1].g.cue, &sp), 0);
	matcher_free(&m);
	asc_rules_free(r);
}

/* The macro WHO and a rule that opens with it after a lead, so that the
 * head {WHO} has another user in the tests below. */
#define WHO_MACRO "macros:\n  WHO: '\\b\\p{Lu}\\p{Ll}+'\n"
#define AFTER_RULE \
	"  - id: after\n    description: x\n    stage: label\n    label: fact\n" \
	"    requires: ['{VERB}']\n" \
	"    pattern: '^(?<content>[^,]+), (?<speaker>{WHO}) (?<cue>{VERB})'\n" \
	"    examples:\n      - text: It rained, Anna said\n"

/* A rule split at its lexicon whose tail holds a shared head is split
 * again there: the mid ("(?<cue>{VERB}) ") is enumerated where each lead
 * match ends, and the head as far as each mid match ends, past where the
 * other rule's required words bound it. */
static void tails_split_again_at_a_shared_head(void **state)
{
	(void)state;
	asc_error err;
	asc_rules *r = NULL;
	const char *yaml =
		WHO_MACRO
		"lexicons:\n  VERB: [said, said so, wrote]\n"
		"rules:\n"
		AFTER_RULE
		"  - id: inverted\n    description: x\n    stage: label\n    label: fact\n"
		"    requires: ['{VERB}']\n"
		"    pattern: '^(?<content>[^,]+), (?<cue>{VERB}) (?<speaker>{WHO})(?: (?<when>today))?'\n"
		"    examples:\n      - text: It rained, said Anna\n";
	assert_int_equal(compile(yaml, &err, &r), ASC_OK);
	const struct rule *inv = &r->rules.items[1];
	assert_non_null(inv->mid);
	assert_int_equal(inv->head, r->rules.items[0].head);
	assert_int_not_equal(inv->lead, 0);
	assert_true(inv->head_unbounded);
	assert_int_equal(asc_rules_check(r, NULL, NULL, NULL), 0);
	struct matcher m;
	matcher_init(&m, r);
	struct span sp;
	/* "said" and "said so" both end a mid match; only the second is
	 * followed by a name, after the "said" that bounds rule after's head */
	const char *text = "It rained, said so Anna today";
	assert_int_equal(run_as_pipeline(&m, r, 1, text, inv->g.speaker, &sp), 5);
	assert_int_equal(sp.start, 19);
	assert_int_equal(sp.end, 23);
	assert_int_equal(run_as_pipeline(&m, r, 1, text, inv->g.cue, &sp), 5);
	assert_int_equal(sp.start, 11);
	assert_int_equal(sp.end, 18);
	assert_int_equal(run_as_pipeline(&m, r, 1, text, rule_group(inv, r, "when"), &sp), 5);
	assert_int_equal(sp.start, 24);
	assert_int_equal(run_as_pipeline(&m, r, 1, text, inv->g.content, &sp), 5);
	assert_int_equal(sp.end, 9);
	assert_int_equal(run_as_pipeline(&m, r, 1, "It rained, said so anna", inv->g.cue, &sp), 0);
	matcher_free(&m);
	asc_rules_free(r);
}

/* A mid with more matches at one place than are recorded makes its rule
 * run whole, which finds the same match. */
static void too_many_mid_matches_run_the_rule_whole(void **state)
{
	(void)state;
	asc_error err;
	asc_rules *r = NULL;
	const char *yaml =
		WHO_MACRO
		"lexicons:\n  VERB: [said, wrote]\n"
		"rules:\n"
		AFTER_RULE
		"  - id: gap\n    description: x\n    stage: label\n    label: fact\n"
		"    requires: ['{VERB}']\n"
		"    pattern: '^(?<content>[^,]+), (?<cue>{VERB})(?<gap> {1,3000}?)(?<speaker>{WHO})'\n"
		"    examples:\n      - text: It rained, said Anna\n";
	assert_int_equal(compile(yaml, &err, &r), ASC_OK);
	const struct rule *gap = &r->rules.items[1];
	assert_non_null(gap->mid);
	buf text = { 0 };
	buf_adds(&text, "It rained, said");
	for (int i = 0; i < 1500; i++)
		buf_addc(&text, ' ');
	buf_adds(&text, "Anna");
	struct matcher m;
	matcher_init(&m, r);
	struct span sp;
	assert_int_equal(run_as_pipeline(&m, r, 1, buf_cstr(&text), gap->g.speaker, &sp), 5);
	assert_int_equal(sp.start, 15 + 1500);
	assert_int_equal(sp.end, 15 + 1500 + 4);
	matcher_free(&m);
	buf_free(&text);
	asc_rules_free(r);
}

/* "#digit" lets a rule run only on a segment with a digit in a word: the
 * pattern below would match without one, but never runs there. */
static void requires_digit_runs_only_with_a_digit(void **state)
{
	(void)state;
	asc_error err;
	asc_rules *r = NULL;
	const char *yaml =
		"rules:\n"
		"  - id: a\n    description: x\n    stage: label\n    label: fact\n"
		"    requires: ['#digit', dozens]\n"
		"    pattern: 'votes'\n"
		"    examples:\n      - text: It won 60 votes\n"
		"      - text: Form A4 votes\n"
		"      - text: It won dozens of votes\n"
		"      - text: It won many votes\n        match: false\n";
	assert_int_equal(compile(yaml, &err, &r), ASC_OK);
	size_t total = 0;
	assert_int_equal(asc_rules_check(r, NULL, NULL, &total), 0);
	assert_int_equal(total, 4);
	asc_rules_free(r);
}

/* "#quote": a quotation mark standing alone, not an apostrophe in a word. */
static void requires_quote_runs_only_with_a_quotation_mark(void **state)
{
	(void)state;
	asc_error err;
	asc_rules *r = NULL;
	const char *yaml =
		"rules:\n"
		"  - id: a\n    description: x\n    stage: label\n    label: opinion\n"
		"    requires: ['#quote']\n"
		"    pattern: 'plan'\n"
		"    examples:\n      - text: The \u201cplan\u201d failed\n"
		"      - text: '\"The plan failed,\" she said'\n"
		"      - text: The ministers' plan failed\n"
		"      - text: Russia\u2019s plan failed\n        match: false\n"
		"      - text: The plan failed\n        match: false\n";
	assert_int_equal(compile(yaml, &err, &r), ASC_OK);
	size_t total = 0;
	assert_int_equal(asc_rules_check(r, NULL, NULL, &total), 0);
	assert_int_equal(total, 5);
	asc_rules_free(r);
}

/* Two rules with one pattern share its match in a segment; a third with
 * another pattern does not. */
static void rules_with_one_pattern_share_the_match(void **state)
{
	(void)state;
	asc_error err;
	asc_rules *r = NULL;
	const char *yaml =
		"rules:\n"
		"  - id: a\n    description: x\n    stage: label\n    label: fact\n"
		"    pattern: '(?<n>\\d+) (?<u>votes)'\n"
		"    examples:\n      - text: It won 60 votes\n"
		"  - id: b\n    description: x\n    stage: label\n    label: opinion\n"
		"    pattern: '(?<n>\\d+) (?<u>votes)'\n"
		"    examples:\n      - text: It won 60 votes\n"
		"  - id: c\n    description: x\n    stage: label\n    label: fact\n"
		"    pattern: '(?<n>\\d+) (?<u>seats)'\n"
		"    examples:\n      - text: It won 60 seats\n";
	assert_int_equal(compile(yaml, &err, &r), ASC_OK);
	assert_int_not_equal(r->rules.items[0].same, 0);
	assert_int_equal(r->rules.items[0].same, r->rules.items[1].same);
	assert_int_equal(r->rules.items[2].same, 0);
	struct matcher m;
	matcher_init(&m, r);
	const char *text = "12 votes, then 7 votes and 3 seats";
	size_t len = strlen(text);
	for (size_t from = 0; from < len; from += 5) {
		matcher_forget(&m);
		int a = matcher_run(&m, &r->rules.items[0], text, len, from);
		PCRE2_SIZE a0 = a > 0 ? m.ov[2] : 0;
		int b = matcher_run(&m, &r->rules.items[1], text, len, from);
		assert_int_equal(a, b);
		if (b > 0)
			assert_int_equal(m.ov[2], a0);
		assert_int_equal(matcher_run(&m, &r->rules.items[2], text, len, from) > 0,
				 from <= 28);
	}
	matcher_forget(&m);
	assert_int_equal(matcher_run(&m, &r->rules.items[1], text, len, 5), 3);
	assert_int_equal(m.ov[2], 15);
	matcher_free(&m);
	asc_rules_free(r);
}

/* A tail that refers back to the head's group is not independent of it:
 * such a rule runs whole. */
static void tail_with_backreference_is_not_split(void **state)
{
	(void)state;
	asc_error err;
	asc_rules *r = NULL;
	const char *yaml =
		"macros:\n  WHO: '\\p{Lu}\\p{Ll}+'\n"
		"rules:\n"
		"  - id: a\n    description: x\n    stage: label\n    label: fact\n"
		"    pattern: '(?<speaker>{WHO}) and \\k<speaker>'\n"
		"    examples:\n      - text: Anna and Anna\n"
		"  - id: b\n    description: x\n    stage: label\n    label: fact\n"
		"    pattern: '(?<speaker>{WHO}) said'\n"
		"    examples:\n      - text: Anna said\n"
		"  - id: c\n    description: x\n    stage: label\n    label: fact\n"
		"    pattern: '(?<speaker>{WHO}) wrote'\n"
		"    examples:\n      - text: Anna wrote\n";
	assert_int_equal(compile(yaml, &err, &r), ASC_OK);
	assert_int_equal(r->rules.items[0].head, 0);
	assert_int_equal(r->rules.items[1].head, 1);
	assert_int_equal(r->rules.items[2].head, 1);
	assert_int_equal(asc_rules_check(r, NULL, NULL, NULL), 0);
	asc_rules_free(r);
}

static bool is_candidate(const asc_rules *r, const char *text, int ri)
{
	struct matcher m;
	matcher_init(&m, r);
	asc_doc *doc = doc_read(text, strlen(text), NULL);
	doc->rules = r;
	tokenize(doc, (struct span){ 0, (uint32_t)doc->len }, &doc->tokens);
	matcher_candidates(&m, doc, 0, (uint32_t)doc->tokens.len, r->rules.items[ri].stage);
	bool found = false;
	for (size_t i = 0; i < m.candidates.len; i++)
		found |= m.candidates.items[i] == ri;
	asc_doc_free(doc);
	matcher_free(&m);
	return found;
}

/* Candidates come in rule order, each once, however many there are: a
 * long list (past 64) is put in order through a bit set of the rules. */
static void many_candidates_come_in_rule_order(void **state)
{
	(void)state;
	enum { N = 200 };
	buf yaml = { 0 }, text = { 0 };
	buf_adds(&yaml, "rules:\n");
	for (int i = 0; i < N; i++) {
		/* every third rule has no requires: it is always a candidate */
		buf_printf(&yaml, "  - id: r%d\n    description: x\n    stage: label\n"
			   "    label: fact\n    pattern: 'w%d'\n    examples:\n"
			   "      - text: w%d\n", i, i, i);
		if (i % 3)
			buf_printf(&yaml, "    requires: [w%d]\n", i);
	}
	/* the words in reverse rule order, each twice, and some words of no rule */
	for (int i = N - 1; i >= 0; i--)
		buf_printf(&text, "w%d x w%d ", i, i);
	asc_error err;
	asc_rules *r = NULL;
	assert_int_equal(compile(buf_cstr(&yaml), &err, &r), ASC_OK);
	struct matcher m;
	matcher_init(&m, r);
	for (int round = 0; round < 2; round++) {
		/* the whole text: every rule; then only its second half (the
		 * words of rules 0 to 99): those and the rules without requires */
		const char *t = buf_cstr(&text);
		if (round)
			t = strstr(t, "w99 ");
		asc_doc *doc = doc_read(t, strlen(t), NULL);
		doc->rules = r;
		tokenize(doc, (struct span){ 0, (uint32_t)doc->len }, &doc->tokens);
		matcher_candidates(&m, doc, 0, (uint32_t)doc->tokens.len, STAGE_LABEL);
		size_t k = 0;
		for (int i = 0; i < N; i++) {
			if (round && i >= 100 && i % 3)
				continue;
			assert_true(k < m.candidates.len);
			assert_int_equal(m.candidates.items[k], i);
			k++;
		}
		assert_int_equal(m.candidates.len, k);
		asc_doc_free(doc);
	}
	matcher_free(&m);
	asc_rules_free(r);
	buf_free(&yaml);
	buf_free(&text);
}

/* A required phrase lets its rule run only where its words follow each
 * other; its first word is cut as the tokenizer cuts documents. */
static void required_phrases_need_their_next_word(void **state)
{
	(void)state;
	asc_error err;
	asc_rules *r = NULL;
	const char *yaml =
		"lexicons:\n  SLUR:\n    description: x\n    words: [a disgrace, U.S. puppet]\n"
		"rules:\n  - id: p\n    description: x\n    stage: label\n    label: opinion\n"
		"    requires: ['{SLUR}']\n    pattern: '{SLUR}'\n    examples:\n"
		"      - text: It is a disgrace.\n"
		"      - text: He called him a U.S. puppet.\n";
	assert_int_equal(compile(yaml, &err, &r), ASC_OK);
	assert_true(is_candidate(r, "It is a  Disgrace, they said.", 0));
	assert_false(is_candidate(r, "It is a plan.", 0));
	assert_true(is_candidate(r, "the U.S. puppet regime", 0));
	assert_false(is_candidate(r, "the U.S. president", 0));
	assert_int_equal(asc_rules_check(r, NULL, NULL, NULL), 0);
	asc_rules_free(r);
}

/* A lexicon of verb lemmas gives another lexicon the forms it names. */
/* also_requires: the segment must hold one of requires and one of
 * also_requires; without requires, only the second. */
static void also_requires_needs_both(void **state)
{
	(void)state;
	asc_error err;
	asc_rules *r = NULL;
	const char *yaml =
		"lexicons:\n  CUE:\n    description: x\n    words: [said, wrote]\n"
		"rules:\n"
		"  - id: a\n    description: x\n    stage: label\n    label: opinion\n"
		"    requires: ['{CUE}']\n    also_requires: ['#quote', no]\n"
		"    pattern: 'said|wrote'\n"
		"    examples:\n      - text: '\"Yes,\" she said'\n"
		"  - id: b\n    description: x\n    stage: label\n    label: fact\n"
		"    also_requires: ['{CUE}']\n"
		"    pattern: 'x'\n"
		"    examples:\n      - text: x wrote\n";
	assert_int_equal(compile(yaml, &err, &r), ASC_OK);
	assert_true(is_candidate(r, "\"Yes,\" she said", 0));
	assert_true(is_candidate(r, "No, she said", 0));
	assert_false(is_candidate(r, "Yes, she said", 0));
	assert_false(is_candidate(r, "\"Yes,\" she nodded", 0));
	assert_true(is_candidate(r, "x wrote", 1));
	assert_false(is_candidate(r, "x nodded", 1));
	size_t total = 0;
	assert_int_equal(asc_rules_check(r, NULL, NULL, &total), 0);
	asc_rules_free(r);
	expect_error("rules:\n  - id: w\n    description: x\n    stage: label\n    label: fact\n"
		     "    also_requires: ['#comma']\n    pattern: a\n    examples: [{text: a}]\n",
		     ASC_ERR_SCHEMA, 0, 0, "also_requires unknown class '#comma'");
}

static void verb_lemmas_make_their_forms(void **state)
{
	(void)state;
	asc_error err;
	asc_rules *r = NULL;
	const char *yaml =
		"lexicons:\n"
		"  LEMMA:\n    description: x\n    inflect: verbs\n"
		"    words: [argue, deny, say|said, 'write|wrote|written', 'admit|admitted|ing=admitting',\n"
		"      point out, tie, see|saw|seen, stress, 'go on|went on|gone on', reach, echo]\n"
		"  FINITE:\n    description: x\n    from: LEMMA\n    forms: [s, past]\n"
		"  ING:\n    description: x\n    from: LEMMA\n    forms: [ing]\n    words: [quoting]\n"
		"rules:\n  - id: p\n    description: x\n    stage: label\n    label: fact\n"
		"    pattern: '\\b{FINITE}\\b'\n    examples:\n      - text: She argued.\n";
	assert_int_equal(compile(yaml, &err, &r), ASC_OK);
	const struct lexicon *fin = rules_lexicon(r, "FINITE"), *ing = rules_lexicon(r, "ING");
	const char *yes[] = { "argues", "argued", "denies", "denied", "says", "said", "writes",
			      "wrote", "admits", "admitted", "points out", "pointed out", "ties",
			      "tied", "sees", "saw", "stresses", "stressed", "goes on", "went on",
			      "reaches", "echoes", NULL };
	for (int i = 0; yes[i]; i++)
		assert_true(lexicon_has(fin, yes[i], strlen(yes[i])));
	const char *no[] = { "argue", "written", "writed", "sayed", NULL };
	for (int i = 0; no[i]; i++)
		assert_false(lexicon_has(fin, no[i], strlen(no[i])));
	const char *ings[] = { "arguing", "denying", "saying", "writing", "admitting",
			       "pointing out", "tying", "seeing", "quoting", NULL };
	for (int i = 0; ings[i]; i++)
		assert_true(lexicon_has(ing, ings[i], strlen(ings[i])));
	assert_true(lexicon_has(rules_lexicon(r, "LEMMA"), "write", 5));
	assert_int_equal(asc_rules_check(r, NULL, NULL, NULL), 0);
	asc_rules_free(r);
}

static void phrase_lexicons_index_their_leading_parts(void **state)
{
	(void)state;
	asc_error err;
	asc_rules *r = NULL;
	const char *yaml =
		"lexicons:\n"
		"  TITLE:\n    description: x\n    case: sensitive\n"
		"    words: [Deputy Prime Minister, Lt.-Gen., Président]\n"
		"  VAGUE_SOURCE:\n    description: x\n    words: [Officials, senior aides]\n"
		"  OTHER:\n    description: x\n    words: [alpha beta]\n"
		"rules:\n  - id: p\n    description: x\n    stage: label\n    label: fact\n"
		"    pattern: '\\b{OTHER}\\b'\n    examples:\n      - text: alpha beta\n";
	assert_int_equal(compile(yaml, &err, &r), ASC_OK);
	const struct lexicon *title = rules_lexicon(r, "TITLE");
	const struct lexicon *vague = rules_lexicon(r, "VAGUE_SOURCE");
	/* every leading part, cut between code points, and the whole */
	const char *yes[] = { "D", "Deputy", "Deputy Prime", "Lt", "Lt.-", "Lt.-Gen.", "Pr",
			      "Présid", "Président", NULL };
	for (int i = 0; yes[i]; i++)
		assert_true(lexicon_starts(title, yes[i], strlen(yes[i])));
	/* case-sensitive: not folded; not a part; half of "é" is no code point */
	const char *no[] = { "deputy", "Prime", "Gen", "Présidents", "Pr\xC3", NULL };
	for (int i = 0; no[i]; i++)
		assert_false(lexicon_starts(title, no[i], strlen(no[i])));
	/* caseless: folded like lexicon_has */
	assert_true(lexicon_starts(vague, "SENIOR", 6));
	assert_true(lexicon_starts(vague, "officials", 9));
	assert_false(lexicon_starts(vague, "aides", 5));
	/* a lexicon the spotter does not read by phrase admits everything */
	assert_true(lexicon_starts(rules_lexicon(r, "OTHER"), "zzz", 3));
	assert_false(lexicon_starts(NULL, "a", 1));
	asc_rules_free(r);
}

/* Appends n filler entries to a lexicon's word list. */
static void add_fillers(buf *y, int n)
{
	for (int i = 0; i < n; i++)
		buf_printf(y, ", filler%02d", i);
}

/* A lexicon large enough to be called out: 32 filler words, a chain of
 * three entries that start one another, and, when case-sensitive, one
 * outside ASCII (a folding table would keep its alternation for it). */
static char *big_lexicon(const char *name, bool sensitive)
{
	buf y = { 0 };
	buf_printf(&y, "  %s:\n    description: x\n%s    words: [new, new york, new   york times, "
		   "Kreis%s",
		   name, sensitive ? "    case: sensitive\n" : "",
		   sensitive ? ", Zeitung S\xC3\xBC" "d" : "");
	add_fillers(&y, 32);
	buf_adds(&y, "]\n");
	return buf_detach(&y);
}

static void large_lexicons_match_through_a_callout(void **state)
{
	(void)state;
	char *big = big_lexicon("BIG", false), *exact = big_lexicon("EXACT", true);
	buf yaml = { 0 };
	buf_printf(&yaml, "lexicons:\n%s%s"
		   "rules:\n"
		   "  - id: p\n    description: x\n    stage: label\n    label: fact\n"
		   "    pattern: '\\b{BIG}\\b'\n    examples:\n      - text: the New York Times\n"
		   "  - id: q\n    description: x\n    stage: label\n    label: fact\n"
		   "    pattern: '(?i)\\b{EXACT}\\b'\n    examples:\n      - text: KREIS\n"
		   "  - id: s\n    description: x\n    stage: label\n    label: fact\n"
		   "    pattern: '\\\\{BIG}|\\({BIG}'\n    examples:\n      - text: a \\new\n"
		   "      - text: (filler01\n      - text: filler01\n        match: false\n"
		   "  - id: u\n    description: x\n    stage: label\n    label: fact\n"
		   "    pattern: '^(?<a>(?U:{BIG}))'\n    examples:\n      - text: new york times\n"
		   "        captures: { a: new york times }\n"
		   /* white space makes the text longer than any entry */
		   "      - text: 'new          york          times'\n"
		   "        captures: { a: 'new          york          times' }\n",
		   big, exact);
	asc_error err;
	asc_rules *r = NULL;
	assert_int_equal(compile(buf_cstr(&yaml), &err, &r), ASC_OK);
	/* a caseless lexicon is called out; a case-sensitive one under (?i)
	 * keeps its alternation */
	assert_true(rules_lexicon(r, "BIG")->call > 0);
	assert_non_null(strstr(r->rules.items[0].pattern, "(?C\"0"));
	assert_null(strstr(r->rules.items[1].pattern, "(?C\"0"));
	/* called in place, after a literal backslash or parenthesis too */
	assert_null(strstr(r->rules.items[2].pattern, "(?&_l"));
	assert_int_equal(asc_rules_check(r, NULL, NULL, NULL), 0);

	const struct lexcall *lc = &r->lexcalls.items[rules_lexicon(r, "BIG")->call - 1];
	assert_int_equal(lc->depth, 3);
	struct lexcall_end e[LEXCALL_MAX_DEPTH];
	/* longest first; any run of white space, NBSP too, matches a space */
	const char *t = "x NEW\t\xC2\xA0York  Times!";
	assert_int_equal(lexcall_match(lc, t, strlen(t), 2, e, LEXCALL_MAX_DEPTH), 3);
	assert_int_equal(e[0].end, strlen(t) - 1);
	assert_int_equal(e[1].end, 12);
	assert_int_equal(e[2].end, 5);
	/* no more than asked for, but the count of all */
	e[1].end = 0;
	assert_int_equal(lexcall_match(lc, t, strlen(t), 2, e, 1), 3);
	assert_int_equal(e[0].end, strlen(t) - 1);
	assert_int_equal(e[1].end, 0);
	/* entries need not end a word (the pattern says where words end) */
	assert_int_equal(lexcall_match(lc, "newer", 5, 0, e, LEXCALL_MAX_DEPTH), 1);
	assert_int_equal(e[0].end, 3);
	/* no entry; the text ending inside one */
	assert_int_equal(lexcall_match(lc, "news", 4, 1, e, LEXCALL_MAX_DEPTH), 0);
	assert_int_equal(lexcall_match(lc, "filler0", 7, 0, e, LEXCALL_MAX_DEPTH), 0);
	/* folded as PCRE2 folds: the Kelvin sign is a k; other letters
	 * outside ASCII never match a folding table */
	assert_int_equal(lexcall_match(lc, "\xE2\x84\xAAreis", 7, 0, e, LEXCALL_MAX_DEPTH), 1);
	assert_int_equal(e[0].end, 7);
	assert_int_equal(lexcall_match(lc, "\xC3\x9Fnew", 5, 0, e, LEXCALL_MAX_DEPTH), 0);
	asc_rules_free(r);

	/* a case-sensitive table compares bytes */
	buf_free(&yaml);
	buf_printf(&yaml, "lexicons:\n%s"
		   "rules:\n  - id: p\n    description: x\n    stage: label\n    label: fact\n"
		   "    pattern: '\\b{EXACT}\\b'\n    examples:\n      - text: Kreis\n",
		   exact);
	assert_int_equal(compile(buf_cstr(&yaml), &err, &r), ASC_OK);
	assert_true(rules_lexicon(r, "EXACT")->call > 0);
	lc = &r->lexcalls.items[rules_lexicon(r, "EXACT")->call - 1];
	const char *z = "Zeitung S\xC3\xBC" "d.";
	assert_int_equal(lexcall_match(lc, z, strlen(z), 0, e, LEXCALL_MAX_DEPTH), 1);
	assert_int_equal(e[0].end, strlen(z) - 1);
	assert_int_equal(lexcall_match(lc, "kreis", 5, 0, e, LEXCALL_MAX_DEPTH), 0);
	assert_int_equal(lexcall_match(lc, "Zeitung S\xC3\x9C" "d", 11, 0, e, LEXCALL_MAX_DEPTH), 0);
	asc_rules_free(r);
	buf_free(&yaml);
	free(big);
	free(exact);
}

/* Every entry of a table is found, and a word one byte away from one is
 * not, whatever the branching of the trie on the way: chains of single
 * children ("zzz..."), nodes of two to eight children ("b" + vowel) and of
 * more (the 36 "q" + letter or digit, the 62 after "x"). */
static void tables_find_every_entry_whatever_its_branching(void **state)
{
	(void)state;
	const char *kids = "abcdefghijklmnopqrstuvwxyz0123456789";
	buf words = { 0 };
	buf_adds(&words, "zzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzz, zzzz");
	for (const char *v = "aeiou"; *v; v++)
		buf_printf(&words, ", b%c, b%ct", *v, *v);
	for (const char *k = kids; *k; k++)
		buf_printf(&words, ", q%c, x%c, x%c%c", *k, *k, *k, *k);
	for (const char *k = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"; *k; k++)
		buf_printf(&words, ", x%c", *k);
	buf yaml = { 0 };
	buf_printf(&yaml,
		   "lexicons:\n  T:\n    description: x\n    case: sensitive\n    words: [%s]\n"
		   "rules:\n  - id: t\n    description: x\n    stage: label\n    label: fact\n"
		   "    pattern: '\\b{T}\\b'\n    examples:\n      - text: a qz\n",
		   buf_cstr(&words));
	asc_error err;
	asc_rules *r = NULL;
	assert_int_equal(compile(buf_cstr(&yaml), &err, &r), ASC_OK);
	assert_true(rules_lexicon(r, "T")->call > 0);
	const struct lexcall *lc = &r->lexcalls.items[rules_lexicon(r, "T")->call - 1];
	struct lexcall_end e[LEXCALL_MAX_DEPTH];
	for (size_t i = 0; i < lc->n; i++) {
		const char *w = lc->entries[i];
		size_t n = strlen(w);
		int found = lexcall_match(lc, w, n, 0, e, LEXCALL_MAX_DEPTH);
		assert_true(found >= 1);
		assert_int_equal(e[0].end, n);
		/* the last byte changed to one no entry has there */
		char *v = strdup(w);
		v[n - 1] = '~';
		found = lexcall_match(lc, v, n, 0, e, LEXCALL_MAX_DEPTH);
		assert_true(found == 0 || e[0].end < n);
		free(v);
	}
	/* a prefix found at each length it ends */
	assert_int_equal(lexcall_match(lc, "xkk", 3, 0, e, LEXCALL_MAX_DEPTH), 2);
	assert_int_equal(e[0].end, 3);
	assert_int_equal(e[1].end, 2);
	assert_int_equal(lexcall_match(lc, "xK", 2, 0, e, LEXCALL_MAX_DEPTH), 1);
	assert_int_equal(lexcall_match(lc, "xk", 2, 0, e, LEXCALL_MAX_DEPTH), 1);
	assert_int_equal(lexcall_match(lc, "qK", 2, 0, e, LEXCALL_MAX_DEPTH), 0);
	assert_int_equal(lexcall_match(lc, "bet", 3, 0, e, LEXCALL_MAX_DEPTH), 2);
	assert_int_equal(lexcall_match(lc, "zzzzz", 5, 0, e, LEXCALL_MAX_DEPTH), 1);
	assert_int_equal(lexcall_match(lc, "zzz", 3, 0, e, LEXCALL_MAX_DEPTH), 0);
	asc_rules_free(r);
	buf_free(&yaml);
	buf_free(&words);
}

/* Backtracking into a callout lexicon after another one has picked an
 * entry must pick its own again: "foo" is the only entry of LA that the
 * text starts with, and taking the length LB picked for "bar baz" instead
 * would let LB match "baz bar baz!" after it. */
static void callout_lexicons_pick_again_on_backtracking(void **state)
{
	(void)state;
	buf yaml = { 0 }, fill = { 0 };
	for (int i = 0; i < 32; i++)
		buf_printf(&fill, ", filler%02d", i);
	buf_printf(&yaml,
		   "lexicons:\n"
		   "  LA:\n    description: x\n    words: [foo%s]\n"
		   "  LB:\n    description: x\n    words: [bar baz, baz bar baz%s]\n"
		   "rules:\n  - id: t\n    description: x\n    stage: label\n    label: fact\n"
		   "    pattern: '^{LA} {LB}!'\n    examples:\n"
		   "      - text: foo bar baz bar baz!\n        match: false\n"
		   "      - text: foo baz bar baz!\n",
		   buf_cstr(&fill), buf_cstr(&fill));
	asc_error err;
	asc_rules *r = NULL;
	assert_int_equal(compile(buf_cstr(&yaml), &err, &r), ASC_OK);
	assert_true(rules_lexicon(r, "LA")->call > 0 && rules_lexicon(r, "LB")->call > 0);
	assert_int_equal(asc_rules_check(r, NULL, NULL, NULL), 0);
	asc_rules_free(r);
	buf_free(&yaml);
	buf_free(&fill);
}

/* A rule whose pattern is "\b{TABLE}\b" looks the table up in place of
 * running the pattern, and finds what a search of the pattern finds: the
 * longest entry that a word boundary follows, never one inside a word. */
static void word_table_rules_match_as_their_pattern(void **state)
{
	(void)state;
	char *big = big_lexicon("BIG", false), *exact = big_lexicon("EXACT", true);
	buf yaml = { 0 };
	buf_printf(&yaml, "lexicons:\n%s%s"
		   "rules:\n"
		   "  - id: w\n    description: x\n    stage: label\n    label: fact\n"
		   "    pattern: '(?i)\\b{BIG}\\b'\n    examples:\n      - text: the New York Times\n"
		   "  - id: e\n    description: x\n    stage: label\n    label: fact\n"
		   "    pattern: '\\b{EXACT}\\b'\n    examples:\n      - text: the new york times\n"
		   "  - id: n\n    description: x\n    stage: label\n    label: fact\n"
		   "    pattern: '\\b{BIG}\\b '\n    examples:\n      - text: 'new york '\n",
		   big, exact);
	asc_error err;
	asc_rules *r = NULL;
	assert_int_equal(compile(buf_cstr(&yaml), &err, &r), ASC_OK);
	assert_true(r->rules.items[0].word_table > 0);
	assert_true(r->rules.items[1].word_table > 0);
	assert_int_equal(r->rules.items[2].word_table, 0);   /* more than the table */
	const char *texts[] = {
		"the new yorker, the New York Times.",
		"renew York: NEW\t\xC2\xA0york  times_x, new york times",
		"filler01filler02 filler3 (filler31) \xE2\x84\xAAreis kreis_ Kreis",
		"New Yorkers and new-york times; NEW YORK TIMESx NEW",
		"Zeitung S\xC3\xBC" "d, Zeitung S\xC3\xBC" "dlich",
	};
	struct matcher m;
	matcher_init(&m, r);
	pcre2_match_data *md = pcre2_match_data_create((uint32_t)r->max_groups + 1, NULL);
	size_t matched = 0;
	for (size_t i = 0; i < 2; i++) {
		pcre2_code *whole = whole_pattern(&r->rules.items[i]);
		for (size_t t = 0; t < sizeof texts / sizeof *texts; t++) {
			size_t len = strlen(texts[t]);
			for (size_t from = 0; from < len; from++)
				if (((unsigned char)texts[t][from] & 0xc0) != 0x80)
					matched += same_as_search(&m, &r->rules.items[i], whole, md,
								  texts[t], len, from);
		}
		pcre2_code_free(whole);
	}
	assert_true(matched > 100);
	pcre2_match_data_free(md);
	matcher_free(&m);
	asc_rules_free(r);
	buf_free(&yaml);
	free(big);
	free(exact);
}

/* A callout lexicon's look-ups are kept for the segment; new text at the
 * same address, of the same length, is looked up again. */
static void callout_lexicon_lookups_are_not_kept_across_texts(void **state)
{
	(void)state;
	char *big = big_lexicon("BIG", false);
	buf yaml = { 0 };
	buf_printf(&yaml, "lexicons:\n%s"
		   "rules:\n  - id: p\n    description: x\n    stage: label\n    label: fact\n"
		   "    pattern: '\\b{BIG}\\b'\n    examples:\n      - text: It was filler01 today.\n",
		   big);
	asc_error err;
	asc_rules *r = NULL;
	assert_int_equal(compile(buf_cstr(&yaml), &err, &r), ASC_OK);
	struct matcher m;
	matcher_init(&m, r);
	char text[] = "It was filler01 today.";
	for (int round = 0; round < 4; round++) {
		/* the same buffer: in the lexicon, then not, then in it again */
		memcpy(text + 7, round % 2 ? "fillerxx" : "filler01", 8);
		matcher_begin(&m, NULL);
		int rc = matcher_run(&m, &r->rules.items[0], text, strlen(text), 0);
		assert_int_equal(rc > 0, round % 2 == 0);
	}
	matcher_free(&m);
	asc_rules_free(r);
	buf_free(&yaml);
	free(big);
}

/* A macro or small lexicon called once in a pattern is copied to its
 * call, under the options of the DEFINE block it leaves; one called twice,
 * or one whose meaning a group would change, keeps its group. */
static void groups_called_once_are_copied_in(void **state)
{
	(void)state;
	const char *yaml =
		"lexicons:\n"
		"  SMALL:\n    description: x\n    case: sensitive\n    words: [Alpha, Beta]\n"
		"macros:\n"
		"  ONCE: '(?:quick|brown|fox|jumps|over|the|lazy|dogs|and|then|some|more|words)'\n"
		"  TWICE: '(?:north|south|east|west|upper|lower|inner|outer|middle|far|near)'\n"
		"  VERB: '(?:ab(*COMMIT)c|zzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzz)'\n"
		"  GROUP: '[(]?(quick|brown|fox|jumps|over|the|lazy|dogs|and|then|some|more)[)]?'\n"
		"  REPEAT: '(?:alpha|bravo|charlie|delta|echo|foxtrot|golf|hotel|india|juliet|kilo)'\n"
		"  PAIR: '(?:lima|mike|november|oscar|papa|quebec|romeo|sierra|tango|uniform)'\n"
		"  QUOTED: '(?:\\Q(note)\\E|alpha|bravo|charlie|delta|echo|foxtrot|golf|hotel)'\n"
		"rules:\n"
		"  - id: once\n    description: x\n    stage: label\n    label: fact\n"
		"    pattern: '\\b{ONCE} {TWICE} {TWICE}\\b'\n    examples:\n"
		"      - text: the lazy north south\n"
		"  - id: options\n    description: x\n    stage: label\n    label: fact\n"
		"    pattern: '\\bx (?i:{SMALL})'\n    examples:\n"
		"      - text: x Alpha\n"
		"      - text: x alpha\n        match: false\n"
		"  - id: verb\n    description: x\n    stage: label\n    label: fact\n"
		"    pattern: '{VERB}|abd'\n    examples:\n"
		"      - text: abd\n"
		"  - id: group\n    description: x\n    stage: label\n    label: fact\n"
		"    pattern: '{GROUP}(?<after> \\w+)'\n    examples:\n"
		"      - text: lazy dog\n        captures: { after: ' dog' }\n"
		"  - id: repeat\n    description: x\n    stage: label\n    label: fact\n"
		"    pattern: '^(?:[(]{REPEAT}[)] ){0,3}{PAIR}{2}$'\n    examples:\n"
		"      - text: (echo) (kilo) limaoscar\n"
		"  - id: quoted\n    description: x\n    stage: label\n    label: fact\n"
		"    pattern: '^{QUOTED}(?<rest> .+)$'\n    examples:\n"
		"      - text: (note) five\n        captures: { rest: ' five' }\n";
	asc_error err;
	asc_rules *r = NULL;
	assert_int_equal(compile(yaml, &err, &r), ASC_OK);
	char once[32], twice[32], small[32], verb[32], group[32], repeat[32], pair[32], quoted[32];
	snprintf(once, sizeof once, "(?<_m%d>", strmap_get(&r->macro_index, "ONCE", 4));
	snprintf(twice, sizeof twice, "(?<_m%d>", strmap_get(&r->macro_index, "TWICE", 5));
	snprintf(verb, sizeof verb, "(?<_m%d>", strmap_get(&r->macro_index, "VERB", 4));
	snprintf(small, sizeof small, "(?<_l%d>", strmap_get(&r->lexicon_index, "SMALL", 5));
	snprintf(group, sizeof group, "(?<_m%d>", strmap_get(&r->macro_index, "GROUP", 5));
	snprintf(repeat, sizeof repeat, "(?<_m%d>", strmap_get(&r->macro_index, "REPEAT", 6));
	snprintf(pair, sizeof pair, "(?<_m%d>", strmap_get(&r->macro_index, "PAIR", 4));
	snprintf(quoted, sizeof quoted, "(?<_m%d>", strmap_get(&r->macro_index, "QUOTED", 6));
	assert_null(strstr(r->rules.items[0].pattern, once));
	assert_non_null(strstr(r->rules.items[0].pattern, twice));
	assert_null(strstr(r->rules.items[1].pattern, small));
	/* (*COMMIT) in a called group fails only the call */
	assert_non_null(strstr(r->rules.items[2].pattern, verb));
	/* a group of its own would move the numbers of the groups after it */
	assert_non_null(strstr(r->rules.items[3].pattern, group));
	/* PCRE2 compiles a counted repeat copy by copy, a copied body too */
	assert_non_null(strstr(r->rules.items[4].pattern, repeat));
	assert_non_null(strstr(r->rules.items[4].pattern, pair));
	/* what \Q...\E quotes is no group */
	assert_null(strstr(r->rules.items[5].pattern, quoted));
	/* the examples say the copies mean what the groups meant */
	assert_int_equal(asc_rules_check(r, NULL, NULL, NULL), 0);
	asc_rules_free(r);
}

static void verb_lexicon_errors(void **state)
{
	(void)state;
	asc_error err;
	asc_rules *r = NULL;
	assert_int_equal(compile("lexicons:\n  L:\n    description: x\n    inflect: verbs\n"
				 "    words: ['a|b|c|d']\n", &err, &r), ASC_ERR_SCHEMA);
	assert_non_null(strstr(err.message, "a|b|c|d"));
	assert_int_equal(compile("lexicons:\n  F:\n    description: x\n    from: NOPE\n"
				 "    forms: [past]\n", &err, &r), ASC_ERR_MACRO);
	assert_non_null(strstr(err.message, "NOPE"));
	assert_int_equal(err.line, 4);
}

/* A lexicon too large for one PCRE2 pattern is named in the error. */
/* A lexicon NAME of n made-up words, "Q00002zzq99997" for c 'Q', to make
 * patterns as large as wanted. */
static void many_words(buf *yaml, const char *name, char c, int n)
{
	buf_printf(yaml, "  %s:\n    description: x\n    words: [", name);
	for (int i = 0; i < n; i++)
		buf_printf(yaml, "%s%c%05dzz%c%05d", i ? ", " : "", c, i, c | 0x20, 99999 - i);
	buf_adds(yaml, "]\n");
}

static void pattern_too_large_names_its_lexicon(void **state)
{
	(void)state;
	buf yaml = { 0 };
	buf_adds(&yaml, "lexicons:\n");
	many_words(&yaml, "HUGE", 'q', 12000);
	buf_adds(&yaml, "rules:\n  - id: big\n    description: x\n    stage: label\n"
			"    label: fact\n    pattern: '{HUGE}'\n    examples:\n"
			"      - text: q00001zzq99998\n");
	asc_error err;
	asc_rules *r = NULL;
	/* called out, the lexicon is a table, and the pattern small */
	assert_int_equal(compile(buf_cstr(&yaml), &err, &r), ASC_OK);
	assert_int_equal(asc_rules_check(r, NULL, NULL, NULL), 0);
	asc_rules_free(r);
	/* as an alternation it is too large, and the message says which */
	setenv("ASCRIBE_NO_LEXCALL", "1", 1);
	assert_int_equal(compile(buf_cstr(&yaml), &err, &r), ASC_ERR_REGEX);
	unsetenv("ASCRIBE_NO_LEXCALL");
	assert_non_null(strstr(err.message, "too large"));
	assert_non_null(strstr(err.message, "{HUGE}, 12000 entries"));
	buf_free(&yaml);
}

/* A folding table holds letters U+00C0 to U+00FE lower-cased and matches
 * either case of them, as PCRE2's (?i) does; a lexicon with a letter
 * whose case PCRE2 pairs with more than one other (the A with a ring and
 * the Angstrom sign; the sharp s) keeps its alternation.  The examples
 * hold with the tables and with the alternations alike. */
static void latin1_letters_fold_in_tables(void **state)
{
	(void)state;
	buf yaml = { 0 };
	buf_adds(&yaml, "lexicons:\n  FOLDED:\n    description: x\n"
			"    words: [na\u00efve, caf\u00e9 au lait, \u00dcber, \u00c9LAN");
	add_fillers(&yaml, 16);
	buf_adds(&yaml, "]\n  RING:\n    description: x\n    words: [\u00e5ngstr\u00f6m");
	add_fillers(&yaml, 16);
	buf_adds(&yaml, "]\n  SHARP:\n    description: x\n    words: [stra\u00dfe");
	add_fillers(&yaml, 16);
	buf_adds(&yaml, "]\nrules:\n"
			"  - id: f\n    description: x\n    stage: label\n    label: fact\n"
			"    pattern: '(?i)(?<w>{FOLDED}),'\n    examples:\n"
			"      - text: \"A NA\u00cfVE, plan\"\n        captures: { w: \"NA\u00cfVE\" }\n"
			"      - text: \"CAF\u00c9 \\t AU lait, please\"\n"
			"        captures: { w: \"CAF\u00c9 \\t AU lait\" }\n"
			"      - text: \"\u00fcber, alles\"\n"
			"      - text: \"\u00e9lan, vital\"\n"
			"      - text: \"naive, plan\"\n        match: false\n"
			"      - text: \"na\u00efv\u00e9, plan\"\n        match: false\n"
			"  - id: r\n    description: x\n    stage: label\n    label: fact\n"
			"    pattern: '(?i)(?:{RING}|{SHARP}),'\n    examples:\n"
			"      - text: \"\u00c5NGSTR\u00d6M, unit\"\n"
			"      - text: \"\u212bngstr\u00f6m, unit\"\n"
			"      - text: \"STRA\u1e9eE, road\"\n");
	asc_error err;
	asc_rules *r = NULL;
	assert_int_equal(compile(buf_cstr(&yaml), &err, &r), ASC_OK);
	assert_true(rules_lexicon(r, "FOLDED")->call > 0);
	assert_true(rules_lexicon(r, "RING")->call < 0);
	assert_true(rules_lexicon(r, "SHARP")->call < 0);
	assert_int_equal(asc_rules_check(r, NULL, NULL, NULL), 0);
	const struct lexcall *lc = &r->lexcalls.items[rules_lexicon(r, "FOLDED")->call - 1];
	struct lexcall_end e[LEXCALL_MAX_DEPTH];
	const char *upper = "NA\xC3\x8FVE", *mixed = "\xC3\x9C" "BER", *none = "NAIVE";
	assert_int_equal(lexcall_match(lc, upper, strlen(upper), 0, e, LEXCALL_MAX_DEPTH), 1);
	assert_int_equal(e[0].end, strlen(upper));
	assert_int_equal(lexcall_match(lc, mixed, strlen(mixed), 0, e, LEXCALL_MAX_DEPTH), 1);
	assert_int_equal(lexcall_match(lc, none, strlen(none), 0, e, LEXCALL_MAX_DEPTH), 0);
	asc_rules_free(r);
	/* the alternations agree */
	setenv("ASCRIBE_NO_LEXCALL", "1", 1);
	assert_int_equal(compile(buf_cstr(&yaml), &err, &r), ASC_OK);
	unsetenv("ASCRIBE_NO_LEXCALL");
	assert_int_equal(asc_rules_check(r, NULL, NULL, NULL), 0);
	asc_rules_free(r);
	buf_free(&yaml);
}

/* A rule split around a shared head needs only its parts to fit PCRE2's
 * size limit, not its whole pattern: its groups are numbered as the whole
 * pattern's would be, and its examples pass.  (Its lexicons are matched
 * by their alternations, as callouts would keep the whole small.) */
static void split_rule_too_large_as_a_whole_runs_as_its_parts(void **state)
{
	(void)state;
	setenv("ASCRIBE_NO_LEXCALL", "1", 1);
	buf yaml = { 0 };
	buf_adds(&yaml, "lexicons:\n");
	many_words(&yaml, "NAMES", 'Q', 1500);
	many_words(&yaml, "VERBS", 'v', 1500);
	buf_adds(&yaml, "macros:\n  WHO: '\\b{NAMES}'\n"
			"rules:\n  - id: big\n    description: x\n    stage: label\n"
			"    label: fact\n    requires: ['{VERBS}']\n"
			"    pattern: '^(?<content>.+?), (?<speaker>{WHO}) (?<cue>{VERBS})'\n"
			"    examples:\n"
			"      - text: It rained, Q00002zzq99997 v00003zzv99996\n"
			"        captures: { content: It rained, speaker: Q00002zzq99997, "
			"cue: v00003zzv99996 }\n"
			"      - text: It rained, Q00002zzq99997 said\n        match: false\n");
	asc_error err;
	asc_rules *r = NULL;
	assert_int_equal(compile(buf_cstr(&yaml), &err, &r), ASC_OK);
	const struct rule *rule = &r->rules.items[0];
	assert_null(rule->re);
	/* PCRE2 refuses it where it would run, when the head hits a limit */
	assert_null(rule_whole(rule));
	assert_null(rule_whole(rule));
	assert_int_not_equal(rule->head, 0);
	assert_int_not_equal(rule->lead, 0);
	assert_int_equal(rule->g.content, 1);
	assert_int_equal(rule->g.speaker, 2);
	assert_int_equal(rule->g.cue, 3);
	assert_int_equal(asc_rules_check(r, NULL, NULL, NULL), 0);
	asc_rules_free(r);
	buf_free(&yaml);
	unsetenv("ASCRIBE_NO_LEXCALL");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(split_rule_too_large_as_a_whole_runs_as_its_parts),
		cmocka_unit_test(latin1_letters_fold_in_tables),
		cmocka_unit_test(good_set_loads_and_checks),
		cmocka_unit_test(failing_example_is_counted),
		cmocka_unit_test(yaml_syntax_error_has_place),
		cmocka_unit_test(unknown_top_level_key),
		cmocka_unit_test(unknown_rule_key),
		cmocka_unit_test(missing_id),
		cmocka_unit_test(duplicate_id_names_first),
		cmocka_unit_test(wrong_type),
		cmocka_unit_test(unknown_macro_points_into_pattern),
		cmocka_unit_test(macro_cycle),
		cmocka_unit_test(bad_regex_column_inside_pattern),
		cmocka_unit_test(empty_lexicon),
		cmocka_unit_test(missing_examples),
		cmocka_unit_test(lexicon_expands_longest_first_with_spaces),
		cmocka_unit_test(default_rules_compile_and_pass),
		cmocka_unit_test(split_rules_match_as_whole_patterns),
		cmocka_unit_test(tail_with_backreference_is_not_split),
		cmocka_unit_test(split_rules_compile_their_whole_pattern_when_it_runs),
		cmocka_unit_test(rules_share_a_neck_after_their_head),
		cmocka_unit_test(leads_split_when_required_words_follow),
		cmocka_unit_test(tails_split_again_at_a_shared_head),
		cmocka_unit_test(too_many_mid_matches_run_the_rule_whole),
		cmocka_unit_test(rules_with_one_pattern_share_the_match),
		cmocka_unit_test(requires_digit_runs_only_with_a_digit),
		cmocka_unit_test(requires_quote_runs_only_with_a_quotation_mark),
		cmocka_unit_test(required_phrases_need_their_next_word),
		cmocka_unit_test(many_candidates_come_in_rule_order),
		cmocka_unit_test(also_requires_needs_both),
		cmocka_unit_test(verb_lemmas_make_their_forms),
		cmocka_unit_test(phrase_lexicons_index_their_leading_parts),
		cmocka_unit_test(large_lexicons_match_through_a_callout),
		cmocka_unit_test(callout_lexicons_pick_again_on_backtracking),
		cmocka_unit_test(tables_find_every_entry_whatever_its_branching),
		cmocka_unit_test(groups_called_once_are_copied_in),
		cmocka_unit_test(callout_lexicon_lookups_are_not_kept_across_texts),
		cmocka_unit_test(word_table_rules_match_as_their_pattern),
		cmocka_unit_test(verb_lexicon_errors),
		cmocka_unit_test(pattern_too_large_names_its_lexicon),
	};
	return cmocka_run_group_tests(tests, setup_rules, teardown_rules);
}
