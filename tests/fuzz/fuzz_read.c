/* fuzz_read.c - the reader and the segmenter on arbitrary bytes.
 *
 * Checks that the repaired text is valid UTF-8 without NUL, and that
 * paragraphs, sentences and tokens are ordered, lie inside the text and
 * their parents, and start and end on code point boundaries. */
#include "fuzz.h"

static asc_rules *rules;

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	rules = fuzz_default_rules();
	return 0;
}

static void check_span(const asc_doc *doc, uint32_t start, uint32_t end)
{
	FUZZ_CHECK(start <= end);
	FUZZ_CHECK(end <= doc->len);
	FUZZ_CHECK(fuzz_on_boundary(doc, start));
	FUZZ_CHECK(fuzz_on_boundary(doc, end));
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	asc_doc *doc = doc_read((const char *)data, size, NULL);
	FUZZ_CHECK(doc->len == 0 || doc->text != NULL);
	FUZZ_CHECK(fuzz_valid_utf8((const unsigned char *)doc->text, doc->len));
	FUZZ_CHECK(doc->len == 0 || doc->text[doc->len] == '\0');
	/* at most MAX_WARNINGS of each kind, then one line that sums them up */
	FUZZ_CHECK(doc->warnings.len <= 23);
	doc->rules = rules;
	segment_document(doc);

	uint32_t prev_end = 0, next_sentence = 0, next_token = 0;
	for (size_t pi = 0; pi < doc->paragraphs.len; pi++) {
		const struct paragraph *p = &doc->paragraphs.items[pi];
		check_span(doc, p->start, p->end);
		FUZZ_CHECK(p->start >= prev_end);
		FUZZ_CHECK(p->start < p->end);
		prev_end = p->end;
		FUZZ_CHECK(p->first_sentence == next_sentence);
		FUZZ_CHECK(p->tok_first == next_token);
		next_token += p->tok_count;
		next_sentence += p->sentence_count;
		uint32_t tok = p->tok_first;
		for (uint32_t si = p->first_sentence; si < next_sentence; si++) {
			FUZZ_CHECK(si < doc->sentences.len);
			const struct sentence *s = &doc->sentences.items[si];
			check_span(doc, s->start, s->end);
			FUZZ_CHECK(s->paragraph == pi);
			FUZZ_CHECK(s->start >= p->start && s->end <= p->end);
			FUZZ_CHECK(s->start < s->end);
			FUZZ_CHECK(s->tok_first == tok && s->tok_count > 0);
			tok += s->tok_count;
			FUZZ_CHECK(s->quote_depth >= 0 && s->quote_depth <= 8);
		}
		FUZZ_CHECK(tok == p->tok_first + p->tok_count);
	}
	FUZZ_CHECK(next_sentence == doc->sentences.len);
	FUZZ_CHECK(next_token == doc->tokens.len);
	uint32_t tend = 0;
	for (size_t ti = 0; ti < doc->tokens.len; ti++) {
		const struct token *t = &doc->tokens.items[ti];
		check_span(doc, t->start, t->end);
		FUZZ_CHECK(t->start < t->end && t->start >= tend);
		tend = t->end;
	}
	for (size_t si = 0; si < doc->sentences.len; si++) {
		const struct sentence *s = &doc->sentences.items[si];
		FUZZ_CHECK(doc->tokens.items[s->tok_first].start == s->start);
		FUZZ_CHECK(doc->tokens.items[s->tok_first + s->tok_count - 1].end == s->end);
	}
	asc_doc_free(doc);
	return 0;
}
