/* Unit tests for first.c, the words a rule's matches start with, and for
 * the matcher's use of them: a rule tried only where its words start finds
 * what a search of its whole pattern finds. */
#include "helpers.h"
#include "first.h"

static const char *small_rules =
	"lexicons:\n"
	"  HEDGE:\n"
	"    description: x\n"
	"    words: [perhaps, it seems, arguably]\n"
	"  MOOD:\n"
	"    description: x\n"
	"    case: insensitive\n"
	"    words: [Grim, very bleak]\n"
	"macros:\n"
	"  SP: '[\\s\\x{a0}]+'\n"
	"  WORD_START: '(?<![\\p{L}\\p{M}\\p{N}_])'\n"
	"  PRONOUN: '[Hh]e|[Ss]he'\n"
	"rules:\n"
	"  - id: r\n    description: x\n    stage: label\n    label: fact\n"
	"    pattern: '\\bperhaps\\b'\n"
	"    examples:\n      - text: perhaps so\n";

static asc_rules *small;

/* The rules of one file of YAML, compiled: ASC_OK or why not. */
static asc_status compile_file(const char *yaml, asc_rules **out)
{
	char *dir = rule_dir("r.yaml", yaml, NULL);
	asc_error err;
	asc_status st = asc_rules_compile(dir, out, NULL, NULL, &err);
	remove_dir(dir);
	return st;
}

static int setup_small(void **state)
{
	(void)state;
	return compile_file(small_rules, &small) == ASC_OK ? 0 : -1;
}

static int teardown_small(void **state)
{
	(void)state;
	asc_rules_free(small);
	return 0;
}

static bool after_space;   /* read with first_words_after_space() */
static bool at_start;      /* read with first_words_at_start() */
static bool chunks;        /* read with first_word_chunks() */

/* The words first_words() finds for pattern, sorted and joined with
 * spaces, or "-" when it gives up. */
static char *words_of(const char *pattern)
{
	str_list out = { 0 };
	buf b = { 0 };
	bool ok = chunks ? first_word_chunks(small, pattern, &out)
			 : (after_space ? first_words_after_space
			    : at_start ? first_words_at_start : first_words)(small, NULL, pattern, &out);
	if (!ok) {
		buf_adds(&b, "-");
	} else {
		for (size_t i = 1; i < out.len; i++)
			for (size_t k = i; k > 0 && strcmp(out.items[k - 1], out.items[k]) > 0; k--) {
				char *t = out.items[k];
				out.items[k] = out.items[k - 1];
				out.items[k - 1] = t;
			}
		for (size_t i = 0; i < out.len; i++) {
			if (i)
				buf_addc(&b, ' ');
			buf_adds(&b, out.items[i]);
			free(out.items[i]);
		}
	}
	array_free(&out);
	return buf_detach(&b);
}

static void expect_words(const char *pattern, const char *want)
{
	char *got = words_of(pattern);
	if (strcmp(got, want))
		fail_msg("%s: got '%s', want '%s'", pattern, got, want);
	free(got);
}

static void words_of_literal_patterns(void **state)
{
	(void)state;
	expect_words("\\b(?:[Cc]ould|[Mm]ight|may)\\b", "could may might");
	expect_words("\\bputs?{SP}it\\b", "put puts");
	expect_words("{WORD_START}(?:{PRONOUN})\\b", "he she");
	expect_words("^If\\b", "^0");
	expect_words("\\b(?:won[\\x{2019}']t|will)\\b", "will won");
	expect_words("(?i)\\bnot{SP}(?:yet|now)", "not");
	expect_words("\\b\\d\\b", "#d");
	expect_words("\\b\\d{4}\\b|\\bnone\\b", "#d none");
	expect_words("\\b(?:a|an)(?=\\s)\\b", "a an");
	expect_words("\\bsince(?:\\s+\\d{4})?\\b", "since");
	/* marks, where the match starts with one, and the start of the text */
	expect_words("[?!][\\s\"]*$|^\\W*(?:If|Had)\\b", "! ? ^0");
	expect_words("(?:[\"\\x{201c}]|^)(?<q>[^\"]+)", "\" ^0 \xe2\x80\x9c");
	expect_words("(?:^|,{SP})\\p{Lu}", ", ^0");
	expect_words("[$\\x{20ac}]\\d", "$ \xe2\x82\xac");
	/* an alternative that cannot match adds no word */
	expect_words("\\b(?:foo(*FAIL)|bar)\\b", "bar");
}

static void words_of_lexicons(void **state)
{
	(void)state;
	/* an entry of several words starts with its first */
	expect_words("\\b{HEDGE}\\b", "arguably it perhaps");
	expect_words("(?i)\\b(?:{MOOD}|{HEDGE})\\b", "arguably grim it perhaps very");
}

/* The tail of a split rule starts where its head ends, often with white
 * space: its starts are what follows the space. */
static void words_after_white_space(void **state)
{
	(void)state;
	after_space = true;
	expect_words("{SP}said\\b", "said");
	expect_words("(?:,{SP}[^,]+,)?{SP}(?:said|told)\\b", ", said told");
	expect_words("(?:{SP}(?:has|had)){0,2}{SP}{HEDGE}\\b", "arguably had has it perhaps");
	expect_words("\\s*said\\b", "said");  /* inside a word, the matcher does not look */
	expect_words("{SP}\\p{Lu}", "-");
	expect_words("{SP}", "-");               /* may end in the space */
	expect_words("{SP}said", "-");           /* "saidx" */
	expect_words("\\h+said\\b", "-");      /* \\h takes U+0085's kin, which \\s does not */
	after_space = false;
	expect_words("{SP}said\\b", "-");
}

static void words_at_the_start(void **state)
{
	(void)state;
	expect_words("^(?:{HEDGE})\\b", "^0");
	at_start = true;
	/* a word at the start of the text starts there: no \b needed */
	expect_words("^(?:{HEDGE})\\b", "arguably it perhaps");
	expect_words("^(?:\\x{a9}|\\(c\\)|(?:Photo|Image)\\b\\s*:?)", "( image photo \xc2\xa9");
	expect_words("^\\d+ (?:{MOOD})\\b", "#d");
	expect_words("^(?:{HEDGE})", "-");             /* "perhapsnot" */
	expect_words("^(?:Share)+\\b", "-");          /* "ShareShare" */
	expect_words("^.{6,}?, said\\b", "-");
	expect_words("perhaps\\b", "-");              /* no ^ */
	expect_words("^\\s*perhaps\\b", "-");        /* may start with white space */
	at_start = false;
}

/* Chunk mode, for heads: a chunk of letters the pattern does not name is
 * passed over to the word after the white space that ends it; '0' + the
 * chunk, '=' for the whole word or '<' for a word that begins with it. */
static void words_in_chunks(void **state)
{
	(void)state;
	chunks = true;
	expect_words("{WORD_START}(?:[Cc]ould|may)\\b", "0=could 0=may");
	expect_words("{WORD_START}\\p{Ll}[\\p{L}-]*+{SP}(?:report|study)\\b", "1=report 1=study");
	expect_words("{WORD_START}(?:\\p{Ll}+{SP}){1,2}report\\b", "1=report 2=report");
	expect_words("{WORD_START}\\w+{SP}\\d+", "1=#d");
	/* a lookahead's words count */
	expect_words("{WORD_START}\\p{Ll}+(?={SP}{HEDGE}\\b)", "1=arguably 1=it 1=perhaps");
	/* \p{Lu}, or a letter of another script, starts no lower-case word */
	expect_words("{WORD_START}(?:\\p{Lu}\\w*|{PRONOUN}\\b)", "0=#U 0=he 0=she");
	expect_words("{WORD_START}\\x{e9}t\\x{e9}", "0=#U");
	expect_words("{WORD_START}(?=\\p{Lu}|al-)\\w+", "0=#U 0=al");
	/* a match may end inside the word: the text's word begins with it */
	expect_words("{WORD_START}(?:[Tt]he|{HEDGE})", "0<arguably 0<perhaps 0<the 0=it");
	expect_words("^\\p{Ll}+|{WORD_START}may\\b", "0=^0 0=may");   /* anything at the start */
	expect_words("{WORD_START}(?:^|(?<=,\\s))may\\b", "0=^0 0=may");
	/* give up: three chunks, a chunk that may hold white space or ends
	 * the match, a mark or a capital after a chunk, (?i) */
	expect_words("{WORD_START}\\p{Ll}+{SP}\\p{Ll}+{SP}\\p{Ll}+{SP}report\\b", "-");
	expect_words("{WORD_START}\\p{Ll}+.report\\b", "-");
	expect_words("{WORD_START}\\p{Ll}+\\h+report\\b", "-");
	expect_words("{WORD_START}\\p{Ll}+\\W+report\\b", "-");
	expect_words("{WORD_START}[\\p{L}\\s]+report\\b", "-");
	expect_words("{WORD_START}[^,]+{SP}report\\b", "-");
	expect_words("{WORD_START}\\p{Zs}report\\b", "-");
	expect_words("{WORD_START}\\S+{SP}report\\b", "-");
	expect_words("{WORD_START}\\p{Ll}+{SP}\"report", "-");
	expect_words("{WORD_START}\\p{Ll}+{SP}\\p{Lu}", "-");
	expect_words("{WORD_START}\\p{Ll}+", "-");
	expect_words("{WORD_START}\\p{Ll}+(?={SP}\\p{Ll})", "-");
	expect_words("(?i){WORD_START}\\p{Lu}+{SP}", "-");
	expect_words("\\p{Ll}+{SP}report\\b", "-");   /* may start inside a word */
	chunks = false;
	/* outside chunk mode, none of it */
	expect_words("{WORD_START}\\p{Ll}[\\p{L}-]*+{SP}(?:report|study)\\b", "-");
	expect_words("{WORD_START}(?:\\p{Lu}\\w*|{PRONOUN}\\b)", "-");
}

static void gives_up_when_unsure(void **state)
{
	(void)state;
	expect_words("\\bcould", "-");            /* "couldn't" starts with "couldn" */
	expect_words("could\\b", "-");            /* no word start: "shouldn't" */
	expect_words("(?<=\\s)could\\b", "-");    /* a look-behind of white space is not \b */
	expect_words("\\b\\w+\\b", "-");
	expect_words("\\b\\p{Lu}\\p{Ll}+", "-");
	expect_words("\\b[^,]+", "-");
	expect_words("\\bco.ld\\b", "-");
	expect_words("\\W*If\\b", "-");           /* may start with any mark */
	expect_words("\\s+If\\b", "-");           /* or with white space */
	expect_words("\\b(?:maybe)?\\b", "-");    /* may match nothing */
	expect_words("\\bfoo(*SKIP)(*FAIL)|\\bbar\\b", "-");
	expect_words("\\b(foo)\\s\\1\\b", "foo");  /* the back-reference follows the word */
	expect_words("\\b\\1foo", "-");
	expect_words("\\b(?1)", "-");
	expect_words("(?x)\\b foo\\b", "-");
	expect_words("\\b1\\d{4}x\\b", "#d");      /* a word that begins with a digit */
	expect_words("\\bx\\d{4}\\b", "-");        /* ten thousand ways */
	expect_words("\\b[\\p{L}]\\b|\\?", "-");
	expect_words("\\b\\x{e9}t\\x{e9}\\b", "-"); /* a letter of another script */
	expect_words("\\bca\\x{17f}e\\b", "-");   /* caseless, long s is s */
	expect_words("\\bfoo(", "-");
	expect_words("\\bfoo)", "-");
	expect_words("\\b{NOSUCH}\\b", "-");
}

/* Every rule of the default set that starts with known words, and every
 * split rule (whose tails may be passed over by their starts), finds the
 * same match, from every fifth offset, as a search of its whole pattern
 * compiled unanchored: on every example of every rule, and on text holding
 * the two characters that match "s" and "k" without case, marks, digits
 * and quotation marks. */
static void anchored_rules_match_as_a_search(void **state)
{
	(void)state;
	const asc_rules *r = test_rules;
	struct matcher m;
	matcher_init(&m, r);
	pcre2_match_data *md = pcre2_match_data_create((uint32_t)r->max_groups + 1, NULL);
	const char *extra[] = {
		"Se\xc5\xbfsions may well reopen, it \xc5\xbf" "eems, perhaps.",
		"The \xe2\x84\xaa" "ing could be right: it is \xe2\x84\xaa" "nown.",
		"could-be, mightn't, MAY, Will, won\xe2\x80\x99t, would've",
		"\xe2\x80\x9cQuite so,\xe2\x80\x9d said the mayor, 42 times? Yes! \"No,\" she said: "
		"\xe2\x80\x98maybe\xe2\x80\x99 \xc2\xab" "15%\xc2\xbb, $3.5bn, \xe2\x82\xac" "20 \xe2\x80\x93 why?",
		/* sources that start with a lower-case word (the head's keys
		 * in its first three chunks), across white space of every kind */
		"ferry operator\xc2\xa0spokesman Ian Holt said. Two harbour\tofficials said, and "
		"port\xe2\x80\x83records showed the crossings fell, court filings show; "
		"a senior official familiar with the plans told reporters that officials said so. "
		"The vote, council records said, was close; the count, harbour ferry\xc2\xa0minutes "
		"said, was not.",
		"\xc5\xbf" "aid the officials, police \xe2\x84\xaa" "ommissioner Ana Ruiz said, and "
		"union leader-elect Bo Lind said; \xc3\xa9lite sources said it.",
	};
	size_t anchored = 0, compared = 0, matched = 0;
	for (size_t i = 0; i < r->rules.len; i++) {
		const struct rule *rule = &r->rules.items[i];
		if (!rule->starts.len && !rule->tail_keyed && !rule->head)
			continue;
		anchored++;
		pcre2_code *whole = whole_pattern(rule);
		size_t n_texts = 0;
		for (size_t j = 0; j < r->rules.len; j++)
			n_texts += r->rules.items[j].examples.len;
		for (size_t t = 0; t < n_texts + sizeof extra / sizeof *extra; t++) {
			const char *text = NULL;
			if (t >= n_texts) {
				text = extra[t - n_texts];
			} else {
				size_t left = t;
				for (size_t j = 0; !text; j++) {
					size_t n = r->rules.items[j].examples.len;
					if (left < n)
						text = r->rules.items[j].examples.items[left].text;
					else
						left -= n;
				}
			}
			size_t len = strlen(text);
			for (size_t from = 0; from < len; from += 5) {
				if (((unsigned char)text[from] & 0xc0) == 0x80)
					continue;
				compared++;
				matched += same_as_search(&m, rule, whole, md, text, len, from);
			}
		}
		pcre2_code_free(whole);
	}
	assert_true(anchored >= 20);
	assert_true(compared > 10000);
	assert_true(matched > 500);
	pcre2_match_data_free(md);
	matcher_free(&m);
}

/* In a document, the places come from one scan of the whole text; a
 * segment that cuts a word at either end must still find what a search of
 * the segment alone finds.  Every rule with known starts, on every
 * segment [a, b) of a few texts. */
static void segments_that_cut_words(void **state)
{
	(void)state;
	const asc_rules *r = test_rules;
	const char *texts[] = {
		"Acould be so, it mightx; \"Maybe,\" said Ana. 42 may! Who? Nobody wouldn't.",
		"Perhaps\xe2\x80\x94perhapsnot: the 3rd MP, if any, will say so?",
	};
	struct matcher m;
	matcher_init(&m, r);
	pcre2_match_data *md = pcre2_match_data_create((uint32_t)r->max_groups + 1, NULL);
	size_t compared = 0, matched = 0;
	for (size_t t = 0; t < sizeof texts / sizeof *texts; t++) {
		asc_doc *doc = doc_read(texts[t], strlen(texts[t]), NULL);
		matcher_begin(&m, doc);
		for (size_t i = 0; i < r->rules.len; i++) {
			const struct rule *rule = &r->rules.items[i];
			if (!rule->starts.len || rule->head || rule->lead)
				continue;
			pcre2_code *whole = whole_pattern(rule);
			for (size_t a = 0; a < doc->len; a++) {
				if (((unsigned char)doc->text[a] & 0xc0) == 0x80)
					continue;
				for (size_t b = a + 1; b <= doc->len; b += 3) {
					if (b < doc->len && ((unsigned char)doc->text[b] & 0xc0) == 0x80)
						continue;
					compared++;
					matched += same_as_search(&m, rule, whole, md,
								  doc->text + a, b - a, 0);
				}
			}
			pcre2_code_free(whole);
		}
		matcher_begin(&m, NULL);
		asc_doc_free(doc);
	}
	assert_true(compared > 10000);
	assert_true(matched > 1000);
	pcre2_match_data_free(md);
	matcher_free(&m);
}

/* The default rules that start with known words include the plain
 * lexicon rules of the label, and not the rules opening with a source. */
static void default_rules_that_start_with_words(void **state)
{
	(void)state;
	const asc_rules *r = test_rules;
	int hedge = strmap_get(&r->rule_ids, "label.hedge", strlen("label.hedge"));
	int modal = strmap_get(&r->rule_ids, "label.modal", strlen("label.modal"));
	int said = strmap_get(&r->rule_ids, "indirect", strlen("indirect"));
	assert_true(hedge >= 0 && modal >= 0 && said >= 0);
	assert_true(r->rules.items[hedge].starts.len > 5);
	assert_int_equal(r->rules.items[modal].starts.len, 3);
	assert_int_equal(r->rules.items[said].starts.len, 0);
	/* {SPEAKER} is tried at a lower-case word only where its keys are */
	const struct head *speaker = &r->heads.items[r->rules.items[said].head - 1];
	assert_string_equal(speaker->macro, "SPEAKER");
	assert_true(speaker->keyed);
	int the = strmap_get(&speaker->keys, "the", 3);
	int report = strmap_get(&speaker->keys, "report", 6);
	assert_true(the >= 0 && (the & HEAD_WHOLE));
	assert_true(report >= 0 && (report & (HEAD_WHOLE << 1)) && (report & (HEAD_WHOLE << 2)));
	assert_int_equal(strmap_get(&speaker->keys, "harbour", 7), -1);
	assert_true(strmap_get(&r->start_index, "might", 5) >= 0);
	/* a block rule that opens with ^ runs on the lines that start with
	 * one of its words */
	int byline = strmap_get(&r->rule_ids, "block.byline", strlen("block.byline"));
	assert_true(byline >= 0);
	const struct rule *b = &r->rules.items[byline];
	assert_true(b->starts_zero && b->starts.len == 1 && b->zero_starts.len > 3);
}

/* A rule tried only on text that starts with one of its words still
 * matches what its pattern matches there: a word that the text starts
 * with as a whole, a mark, the Kelvin sign that "(?i)k" matches. */
static void rules_at_the_start_of_the_text(void **state)
{
	(void)state;
	asc_rules *r = NULL;
	assert_int_equal(compile_file("rules:\n  - id: s\n    description: x\n    stage: label\n"
				      "    label: fact\n"
				      "    pattern: '^(?:(?i:kelvin|photo)\\b|\\x{a9})'\n"
				      "    examples:\n"
				      "      - text: \"\\u212Aelvin scale\"\n"
				      "      - text: 'PHOTO: the harbour at dawn'\n"
				      "      - text: \"\\u00A9 Harbour Wire\"\n"
				      "      - text: A photo of the harbour\n        match: false\n"
				      "      - text: Photographs of the harbour\n"
				      "        match: false\n",
				      &r),
			 ASC_OK);
	assert_int_equal(r->rules.items[0].zero_starts.len, 3);
	assert_int_equal(asc_rules_check(r, NULL, NULL, NULL), 0);
	struct matcher m;
	matcher_init(&m, r);
	const char *no = "The photo";
	matcher_begin(&m, NULL);
	assert_int_equal(matcher_run(&m, &r->rules.items[0], no, strlen(no), 0), 0);
	matcher_free(&m);
	asc_rules_free(r);
}

/* A rule that opens with "^\W*" runs only on text whose first word, after
 * whatever else comes first, is one of its words: punctuation, spaces and
 * letters outside ASCII (which \W takes) are passed over, and the long s
 * that "(?i)s" matches still makes it run.  It finds what its pattern
 * finds. */
static void rules_after_what_is_not_a_word_at_the_start(void **state)
{
	(void)state;
	asc_rules *r = NULL;
	assert_int_equal(compile_file("rules:\n  - id: s\n    description: x\n    stage: label\n"
				      "    label: fact\n    pattern: '^\\W*(?i:stop|keep)\\b'\n"
				      "    examples:\n"
				      "      - text: \"\\u00ABStop it\\u00BB\"\n"
				      "      - text: Keep calm\n"
				      "      - text: Go and stop\n        match: false\n",
				      &r),
			 ASC_OK);
	const struct rule *rule = &r->rules.items[0];
	assert_true(rule->zero_skip);
	assert_int_equal(rule->zero_starts.len, 2);
	assert_int_equal(asc_rules_check(r, NULL, NULL, NULL), 0);
	struct matcher m;
	matcher_init(&m, r);
	matcher_begin(&m, NULL);
	pcre2_match_data *md = pcre2_match_data_create((uint32_t)r->max_groups + 1, NULL);
	pcre2_code *whole = whole_pattern(rule);
	const char *texts[] = {
		"\u00ABStop it\u00BB", "  ... keep calm", "\u00C5stop", "\u017Ftop now",
		"\u2014Keep", "Stopped", "Go and stop", "", "!?", "_stop", "9 keep",
		"\u212Aeep out", "\"\u00E9 stop",
	};
	size_t matched = 0;
	for (size_t i = 0; i < sizeof texts / sizeof *texts; i++)
		matched += same_as_search(&m, rule, whole, md, texts[i], strlen(texts[i]), 0);
	assert_int_equal(matched, 7);
	pcre2_code_free(whole);
	pcre2_match_data_free(md);
	matcher_free(&m);
	asc_rules_free(r);
}

int main(void)
{
	const struct CMUnitTest small_tests[] = {
		cmocka_unit_test(words_of_literal_patterns),
		cmocka_unit_test(words_of_lexicons),
		cmocka_unit_test(gives_up_when_unsure),
		cmocka_unit_test(words_after_white_space),
		cmocka_unit_test(words_in_chunks),
		cmocka_unit_test(words_at_the_start),
		cmocka_unit_test(rules_at_the_start_of_the_text),
		cmocka_unit_test(rules_after_what_is_not_a_word_at_the_start),
	};
	const struct CMUnitTest default_tests[] = {
		cmocka_unit_test(anchored_rules_match_as_a_search),
		cmocka_unit_test(segments_that_cut_words),
		cmocka_unit_test(default_rules_that_start_with_words),
	};
	int failed = cmocka_run_group_tests(small_tests, setup_small, teardown_small);
	return failed + cmocka_run_group_tests(default_tests, setup_rules, teardown_rules);
}
