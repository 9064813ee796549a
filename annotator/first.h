/* first.h - the words a rule's matches start with.
 *
 * Many rules can only match where one of a few words starts: "\b{HEDGE}\b"
 * starts with an entry of the HEDGE lexicon, "\b(?:[Cc]ould|[Mm]ight|may)\b"
 * with "could", "might" or "may".  Such a rule need not be searched for
 * along a whole sentence: it is tried, anchored, only where one of its
 * words starts (matcher_run), so it costs a look-up per word of the
 * sentence that all such rules share, and an anchored try where one of its
 * words is (docs/rules.md, "Rules that start with known words"). */
#ifndef ASC_FIRST_H
#define ASC_FIRST_H

#include <stdbool.h>
#include <stdint.h>

#include "rules.h"

/* The longest start word, in bytes: a word longer than this starts no
 * such rule's match. */
enum { FIRST_MAX_WORD = 48 };

/* Besides lower-cased words, first_words() lists these starts: a word
 * that begins with a digit (any such word), the start of the text (^ or
 * \A), and single marks that are not letters, digits or white space
 * (",", "?", "\u201c"), as their UTF-8. */
#define FIRST_DIGIT "#d"
#define FIRST_AT_START "^0"
/* first_word_chunks() only: a word that does not begin with an ASCII
 * lower-case letter (\p{Lu}, a letter of another script). */
#define FIRST_UPPER "#U"


struct first_memo;

/* The hash of a start that the matcher checks against asc_rules'
 * start_bloom before it looks the start up: h = h * 31 + byte, from 0. */
static inline uint32_t first_hash_step(uint32_t h, unsigned char c)
{
	return h * 31u + c;
}

static inline uint32_t first_hash(const char *s, size_t n)
{
	uint32_t h = 0;
	for (size_t i = 0; i < n; i++)
		h = first_hash_step(h, (unsigned char)s[i]);
	return h;
}

/* The bit of start_bloom for hash h (start_bloom holds 1 << 16 bits). */
#define FIRST_BLOOM_BITS 16
static inline bool first_bloom_has(const uint64_t *bloom, uint32_t h)
{
	h = (h ^ (h >> 16)) & ((1u << FIRST_BLOOM_BITS) - 1);
	return bloom[h >> 6] >> (h & 63) & 1;
}

static inline void first_bloom_add(uint64_t *bloom, uint32_t h)
{
	h = (h ^ (h >> 16)) & ((1u << FIRST_BLOOM_BITS) - 1);
	bloom[h >> 6] |= (uint64_t)1 << (h & 63);
}

/* An empty filter of 1 << FIRST_BLOOM_BITS bits. */
static inline uint64_t *first_bloom_new(void)
{
	return xcalloc((1u << FIRST_BLOOM_BITS) / 64, sizeof(uint64_t));
}

/* strmap_get() of a map whose keys went into bloom (first_bloom_add()
 * of their first_hash()): most absent keys are told without hashing
 * them again. */
static inline int first_bloom_get(const uint64_t *bloom, const strmap *map, const char *key,
				  size_t n)
{
	return first_bloom_has(bloom, first_hash(key, n)) ? strmap_get(map, key, n) : -1;
}

/* Reads pattern as written in a rule file, where {NAME} is a macro or
 * lexicon of r.  When every match of it must begin either where an ASCII
 * word starts (\b or {WORD_START} before its first character) with a word,
 * the longest run of [A-Za-z0-9_] there, out of a finite set, or at one of
 * the other starts above, appends the starts to out (each once, malloc'd)
 * and returns true.  Returns false, and leaves out as it was, whenever it cannot be
 * sure: a class or escape that could go on with any letter, a subroutine
 * call, a back-reference, a verb such as (*SKIP) that changes how a search
 * moves on, or too many ways to begin. */
bool first_words(const asc_rules *r, struct first_memo *memo, const char *pattern,
		 str_list *out);

/* The same for a pattern that may begin with white space (the tail of a
 * split rule, which starts where its head or lead ends): the starts are
 * those of what follows the white space.  A word there is taken to start
 * a word: the caller must not use the starts where the tail would begin
 * inside one. */
bool first_words_after_space(const asc_rules *r, struct first_memo *memo, const char *pattern,
			     str_list *out);

/* For a pattern that opens with ^ (a block rule's "^(?:{BOILERPLATE})..."),
 * whose first_words() are only FIRST_AT_START: the starts of what follows
 * the ^, which a match must have at the start of the text.  The pattern
 * is read as first_words() reads it; false when it does not open with ^. */
bool first_words_at_start(const asc_rules *r, struct first_memo *memo, const char *pattern,
			  str_list *out);

/* Chunk mode, for a head (struct head) that almost any lower-case word
 * could start: the text is cut into chunks at white space (cp_is_space()),
 * and a chunk whose letters the pattern does not name
 * ("\p{Ll}[\p{L}-]*") is passed over to the words after it.  When every
 * match must have, in its chunk C (0 for the first, up to
 * FIRST_MAX_CHUNK), a start (as first_words() has them, or FIRST_UPPER in
 * the first chunk) that begins that chunk (or, in the first, where the
 * match does), appends each such start as the digit '0' + C, then
 * FIRST_WHOLE, or FIRST_PREFIX where a match may end inside the word and
 * the chunk's word need only begin with it, then the start; and returns
 * true.  A positive lookahead counts here: "\p{Ll}+(?={SP}{ROLE_NOUN}\b)"
 * has the entries of ROLE_NOUN in its chunk 1.  Returns false whenever it
 * cannot be sure, as first_words() does. */
enum { FIRST_MAX_CHUNK = 2 };
#define FIRST_WHOLE '='
#define FIRST_PREFIX '<'
bool first_word_chunks(const asc_rules *r, const char *pattern, str_list *out);

/* What first_words() learns of the macros of one rule set, kept from rule
 * to rule while it is compiled (NULL: nothing is kept).  The macros must
 * not change in between. */
struct first_memo {
	unsigned char *gave_up;   /* per macro: gave up when read first (bits by mode) */
	size_t len;
};
void first_memo_init(struct first_memo *memo, const asc_rules *r);
void first_memo_free(struct first_memo *memo);

#endif
