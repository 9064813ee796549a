/* segment.c - stage 2: paragraphs, tokens, sentences.
 *
 * Which full stops end a sentence is decided by lexicons in
 * rules/lexicons/segment.yaml: ABBREV (never ends a sentence),
 * ABBREV_MAYBE_END (ends one only before a SENTENCE_STARTER word) and
 * SENTENCE_STARTER.  Single initials ("A.") behave like ABBREV_MAYBE_END. */
#include "doc.h"

#include <string.h>

static int32_t cp_at(const asc_doc *doc, size_t i, int *n)
{
	int32_t cp;
	*n = utf8_decode((const unsigned char *)doc->text + i, doc->len - i, &cp);
	return cp;
}

/* The code point before byte i, or 0 at start. */
static int32_t cp_before(const asc_doc *doc, size_t i, size_t floor)
{
	if (i <= floor)
		return 0;
	size_t j = i - 1;
	while (j > floor && ((unsigned char)doc->text[j] & 0xC0) == 0x80)
		j--;
	int n;
	return cp_at(doc, j, &n);
}

static bool opens_after(int32_t prev)
{
	return prev == 0 || cp_is_space(prev) || prev == '(' || prev == '[' ||
	       prev == '{' || prev == 0x2014 || prev == 0x2013 || prev == '-' ||
	       prev == '/' || cp_is_open_quote(prev) || prev == '"' || prev == '\'';
}

static bool word_char(int32_t cp)
{
	return cp_is_letter(cp) || cp_is_digit(cp);
}

size_t tokenize(const asc_doc *doc, struct span at, token_list *out)
{
	size_t before = out->len;
	size_t i = at.start;
	while (i < at.end) {
		int n;
		int32_t cp = cp_at(doc, i, &n);
		if (cp_is_space(cp)) {
			i += (size_t)n;
			continue;
		}
		struct token *t = array_push(out);
		t->start = (uint32_t)i;
		if (word_char(cp)) {
			t->flags = TOK_WORD | (cp_is_upper(cp) ? TOK_CAP : 0) |
				   (cp_is_digit(cp) ? TOK_NUM : 0);
			i += (size_t)n;
			while (i < at.end) {
				int m;
				int32_t c = cp_at(doc, i, &m);
				if (word_char(c)) {
					i += (size_t)m;
					continue;
				}
				/* an apostrophe, hyphen or full stop inside a word keeps it
				 * whole: Russia's, al-Nusra, U.S, 3.5 */
				if ((c == '\'' || c == 0x2019 || c == '-' || c == '.' ||
				     c == ',' || c == 0x2010 || c == 0x2011) &&
				    i + (size_t)m < at.end) {
					int k;
					int32_t next = cp_at(doc, i + (size_t)m, &k);
					bool ok = c == ',' ? cp_is_digit(next) && (t->flags & TOK_NUM)
							   : word_char(next);
					if (ok) {
						i += (size_t)m + (size_t)k;
						continue;
					}
				}
				break;
			}
			for (size_t k = t->start; k < i; k++)
				if (doc->text[k] >= '0' && doc->text[k] <= '9') {
					t->flags |= TOK_DIGIT;
					break;
				}
		} else if (cp == '.' || cp == 0x2026 || cp == '!' || cp == '?') {
			t->flags = TOK_PUNCT | TOK_SENT_END;
			i += (size_t)n;
			if (cp == '.' || cp == '!' || cp == '?')
				while (i < at.end && (doc->text[i] == '.' ||
						      doc->text[i] == '!' || doc->text[i] == '?'))
					i++;
		} else if (cp_is_open_quote(cp)) {
			t->flags = TOK_PUNCT | TOK_QUOTE_OPEN | TOK_QUOTE_MARK;
			i += (size_t)n;
		} else if (cp_is_close_quote(cp)) {
			t->flags = TOK_PUNCT | TOK_QUOTE_CLOSE | TOK_QUOTE_MARK;
			i += (size_t)n;
		} else if (cp == '"' || cp == '\'') {
			int32_t prev = cp_before(doc, i, at.start);
			bool open = opens_after(prev);
			int k;
			int32_t next = i + 1 < at.end ? cp_at(doc, i + 1, &k) : 0;
			/* a lone ' between spaces, or after a letter in "the ministers'",
			 * is not a quotation mark we can pair */
			if (cp == '\'' && open && (next == 0 || cp_is_space(next)))
				t->flags = TOK_PUNCT | TOK_QUOTE_MARK;
			else
				t->flags = TOK_PUNCT | TOK_QUOTE_MARK |
					   (open ? TOK_QUOTE_OPEN : TOK_QUOTE_CLOSE);
			i += (size_t)n;
		} else {
			t->flags = TOK_PUNCT;
			i += (size_t)n;
		}
		t->end = (uint32_t)i;
	}
	return out->len - before;
}

/* ---- paragraphs ------------------------------------------------------- */

static bool is_blank(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (!(s[i] == ' ' || s[i] == '\t' || s[i] == '\f' || s[i] == '\v' ||
		      s[i] == '\r'))
			return false;
	return true;
}

static void trim(const asc_doc *doc, uint32_t *start, uint32_t *end)
{
	while (*start < *end) {
		int n;
		int32_t cp = cp_at(doc, *start, &n);
		if (!cp_is_space(cp))
			break;
		*start += (uint32_t)n;
	}
	while (*end > *start) {
		size_t j = *end - 1;
		while (j > *start && ((unsigned char)doc->text[j] & 0xC0) == 0x80)
			j--;
		int n;
		if (!cp_is_space(cp_at(doc, j, &n)))
			break;
		*end = (uint32_t)j;
	}
}

static bool ends_terminal(const asc_doc *doc, uint32_t end, uint32_t start)
{
	int32_t last = cp_before(doc, end, start);
	return last == '.' || last == '!' || last == '?' || last == ':' ||
	       last == '"' || last == 0x201D || last == 0x2019 || last == 0x2026 ||
	       last == ';';
}

/* Lines are paragraphs.  A line that starts in lower case continues an
 * unterminated line of at least 50 bytes before it (prose hard-wrapped by
 * its source; short lines are lists and widgets). */
static void split_paragraphs(asc_doc *doc)
{
	size_t i = 0;
	while (i < doc->len) {
		size_t eol = i;
		while (eol < doc->len && doc->text[eol] != '\n' && doc->text[eol] != '\r')
			eol++;
		uint32_t s = (uint32_t)i, e = (uint32_t)eol;
		if (!is_blank(doc->text + i, eol - i))
			trim(doc, &s, &e);
		/* a line of nothing but white space (U+00A0 and the other Zs
		 * too) is no paragraph */
		if (!is_blank(doc->text + i, eol - i) && s < e) {
			struct paragraph *prev = doc->paragraphs.len ?
				&doc->paragraphs.items[doc->paragraphs.len - 1] : NULL;
			int n;
			int32_t first = cp_at(doc, s, &n);
			/* only a single line break separates a continuation */
			size_t breaks = 0;
			if (prev)
				for (size_t k = prev->end; k < s; k++)
					breaks += doc->text[k] == '\n' ||
						  (doc->text[k] == '\r' && (k + 1 >= doc->len ||
									    doc->text[k + 1] != '\n'));
			if (prev && breaks == 1 && cp_is_lower(first) && prev->end - prev->start >= 50 &&
			    !ends_terminal(doc, prev->end, prev->start)) {
				prev->end = e;
			} else {
				struct paragraph *p = array_push(&doc->paragraphs);
				p->start = s;
				p->end = e;
				p->rule = -1;
			}
		}
		i = eol;
		if (i < doc->len && doc->text[i] == '\r')
			i++;
		if (i < doc->len && doc->text[i] == '\n')
			i++;
	}
}

/* ---- sentences -------------------------------------------------------- */

struct seglex {
	const struct lexicon *abbrev, *maybe_end, *starter;
};

static bool is_space_byte_before(const asc_doc *doc, size_t i, size_t floor)
{
	int32_t cp = cp_before(doc, i, floor);
	return cp == 0 || cp_is_space(cp);
}

/* The whitespace-delimited chunk that ends with token t ("U.S.",
 * "Col.-Gen."), without leading brackets and quotes. */
static struct span chunk_before(const asc_doc *doc, const struct token *t,
				uint32_t floor)
{
	size_t s = t->start;
	while (s > floor && !is_space_byte_before(doc, s, floor)) {
		s--;
		while (s > floor && ((unsigned char)doc->text[s] & 0xC0) == 0x80)
			s--;
	}
	while (s < t->start && strchr("([\"'", doc->text[s]))
		s++;
	while (s < t->start && (unsigned char)doc->text[s] == 0xE2 &&
	       ((unsigned char)doc->text[s + 1] == 0x80) &&
	       ((unsigned char)doc->text[s + 2] == 0x9C ||
		(unsigned char)doc->text[s + 2] == 0x98))
		s += 3;
	return (struct span){ (uint32_t)s, t->end };
}

static bool is_initial(const asc_doc *doc, struct span c)
{
	int n;
	int32_t cp = cp_at(doc, c.start, &n);
	return cp_is_upper(cp) && c.start + (uint32_t)n + 1 == c.end &&
	       doc->text[c.end - 1] == '.';
}

static bool starts_sentence(const asc_doc *doc, const struct seglex *lx,
			    const struct token *t)
{
	if (t->flags & (TOK_QUOTE_OPEN | TOK_NUM))
		return true;
	if (!(t->flags & TOK_WORD))
		return false;
	return lexicon_has(lx->starter, doc->text + t->start, t->end - t->start);
}

/* Whether the sentence-ending token at index i (with closers up to j)
 * really ends a sentence before token next. */
static bool ends_sentence(const asc_doc *doc, const struct seglex *lx,
			  const struct token *end, const struct token *next,
			  uint32_t floor)
{
	int n;
	int32_t first = cp_at(doc, next->start, &n);
	if (cp_is_lower(first))
		return false;
	const char *p = doc->text + end->start;
	bool stop = end->end - end->start == 1 && *p == '.';
	bool ellipsis = !stop && (*p == '.' || (unsigned char)*p == 0xE2);
	if (ellipsis)
		return starts_sentence(doc, lx, next);
	if (!stop)
		return true;
	struct span c = chunk_before(doc, end, floor);
	if (c.end - c.start > 1) {
		if (lexicon_has(lx->abbrev, doc->text + c.start, c.end - c.start))
			return false;
		if (is_initial(doc, c) ||
		    lexicon_has(lx->maybe_end, doc->text + c.start, c.end - c.start))
			return starts_sentence(doc, lx, next);
	}
	return true;
}

static struct sentence *add_sentence(asc_doc *doc, uint32_t para, uint32_t tf,
				     uint32_t tl, int depth)
{
	struct sentence *s = array_push(&doc->sentences);
	s->start = doc->tokens.items[tf].start;
	s->end = doc->tokens.items[tl - 1].end;
	s->paragraph = para;
	s->tok_first = tf;
	s->tok_count = tl - tf;
	s->kind = KIND_BODY;
	s->label = LABEL_NONE;
	s->attribution = -1;
	s->continues = -1;
	s->speaker.entity = -1;
	s->outlet = -1;
	s->quote_depth = depth;
	return s;
}

void segment_document(asc_doc *doc)
{
	const struct named_lexicons *named = &doc->rules->lex;
	struct seglex lx = { named->abbrev, named->abbrev_maybe_end, named->sentence_starter };
	split_paragraphs(doc);
	int depth = 0;
	for (size_t pi = 0; pi < doc->paragraphs.len; pi++) {
		struct paragraph *p = &doc->paragraphs.items[pi];
		uint32_t tf = (uint32_t)doc->tokens.len;
		tokenize(doc, (struct span){ p->start, p->end }, &doc->tokens);
		uint32_t tl = (uint32_t)doc->tokens.len;
		p->tok_first = tf;
		p->tok_count = tl - tf;
		p->first_sentence = (uint32_t)doc->sentences.len;
		/* a paragraph that does not open with a quotation mark closes any
		 * quotation left open by the one before */
		if (tf < tl && !(doc->tokens.items[tf].flags & TOK_QUOTE_OPEN))
			depth = 0;
		uint32_t start = tf;
		int start_depth = depth;
		for (uint32_t i = tf; i < tl; i++) {
			struct token *t = &doc->tokens.items[i];
			if (t->flags & TOK_QUOTE_OPEN)
				depth = depth < 8 ? depth + 1 : depth;
			else if ((t->flags & TOK_QUOTE_CLOSE) && depth > 0)
				depth--;
			if (!(t->flags & TOK_SENT_END))
				continue;
			uint32_t j = i + 1;
			while (j < tl && (doc->tokens.items[j].flags & TOK_QUOTE_CLOSE ||
					  doc->text[doc->tokens.items[j].start] == ')' ||
					  doc->text[doc->tokens.items[j].start] == ']') &&
			       doc->tokens.items[j].start == doc->tokens.items[j - 1].end) {
				if ((doc->tokens.items[j].flags & TOK_QUOTE_CLOSE) && depth > 0)
					depth--;
				j++;
			}
			if (j >= tl)
				break;
			struct token *next = &doc->tokens.items[j];
			if (next->start == doc->tokens.items[j - 1].end ||
			    !ends_sentence(doc, &lx, t, next, p->start)) {
				i = j - 1;
				continue;
			}
			add_sentence(doc, (uint32_t)pi, start, j, start_depth);
			start = j;
			start_depth = depth;
			i = j - 1;
		}
		if (start < tl)
			add_sentence(doc, (uint32_t)pi, start, tl, start_depth);
		p->sentence_count = (uint32_t)doc->sentences.len - p->first_sentence;
	}
}
