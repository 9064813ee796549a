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
}

int main(void)
{
	const struct CMUnitTest tests[] = {
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
	};
	return cmocka_run_group_tests(tests, setup_rules, teardown_rules);
}
