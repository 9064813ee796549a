/* util.h - growable buffers, arrays, an arena, a string hash table, output files and
 * UTF-8 helpers shared by every stage. */
#ifndef ASC_UTIL_H
#define ASC_UTIL_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

/* Aborts with a message when memory runs out: a half-annotated document is
 * worse than none, and every caller would do the same. */
void *xmalloc(size_t n);
void *xcalloc(size_t n, size_t size);
void *xrealloc(void *p, size_t n);
char *xstrdup(const char *s);
char *xstrndup(const char *s, size_t n);

/* A growable byte string, always NUL-terminated when len > 0 or after
 * buf_cstr. */
typedef struct buf {
	char *data;
	size_t len, cap;
} buf;

void buf_grow(buf *b, size_t extra);
void buf_add(buf *b, const void *p, size_t n);
void buf_adds(buf *b, const char *s);

static inline void buf_addc(buf *b, char c)
{
	if (b->len + 2 > b->cap)
		buf_grow(b, 1);
	b->data[b->len++] = c;
	b->data[b->len] = '\0';
}
void buf_printf(buf *b, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/* Appends v as printf's "%.3f" writes it (in the default rounding mode):
 * the exact binary value rounded to three decimals, ties to even, "-" for
 * any negative v, -0.0 included.  Done with integers for |v| < 2^53;
 * larger values, infinities and NaN go through snprintf. */
void buf_add_fixed3(buf *b, double v);
/* Appends printf's "%ld.%03ld" of milli / 1000 and milli % 1000: a count
 * of thousandths as a decimal number ("1.250").  Negative counts go
 * through snprintf, whose output for them is no number. */
void buf_add_milli(buf *b, long milli);
void buf_reset(buf *b);
void buf_free(buf *b);
const char *buf_cstr(buf *b);
/* Gives up the storage: the caller frees the returned string. */
char *buf_detach(buf *b);

/* A growable array of fixed-size elements: ARRAY(T) declares the struct,
 * array_push returns a zeroed slot. */
#define ARRAY(T) struct { T *items; size_t len, cap; }
void *array_grow(void *items, size_t *cap, size_t need, size_t elsize);
/* array_grow() where there is no room yet: pushing onto an array that has
 * room is the common case, and calls nothing */
static inline void *array_room(void *items, size_t *cap, size_t need, size_t elsize)
{
	return need <= *cap ? items : array_grow(items, cap, need, elsize);
}
#define array_reserve(a, n) \
	((a)->items = array_room((a)->items, &(a)->cap, (n), sizeof *(a)->items))
#define array_push(a) \
	(array_reserve((a), (a)->len + 1), \
	 memset(&(a)->items[(a)->len], 0, sizeof *(a)->items), \
	 &(a)->items[(a)->len++])
typedef ARRAY(int) int_list;
typedef ARRAY(char *) str_list;
#define array_free(a) (free((a)->items), (a)->items = NULL, (a)->len = (a)->cap = 0)

/* A bump allocator for a document's strings: freed in one call. */
typedef struct arena_chunk arena_chunk;
typedef struct arena {
	arena_chunk *head;
} arena;

void *arena_alloc(arena *a, size_t n);
char *arena_strndup(arena *a, const char *s, size_t n);
void arena_free(arena *a);

/* A string-keyed hash table (keys copied, XXH3 hashing, open addressing)
 * mapping to an int value.  Used for lexicon look-ups on the hot path.
 * Beside the slots, a byte per slot (0 when empty, else seven bits of the
 * hash): a probe reads these first, 32 times smaller than the slots, so a
 * look-up of an absent key seldom fetches a slot at all. */
typedef struct strmap {
	struct strmap_slot *slots;
	uint8_t *tags;
	size_t cap, len;
} strmap;

/* Returns the value for key, or -1 when absent. */
int strmap_get(const strmap *m, const char *key, size_t keylen);
/* Sets key to value, replacing any earlier value. */
void strmap_put(strmap *m, const char *key, size_t keylen, int value);
void strmap_free(strmap *m);
/* Iterates: returns the next occupied slot index >= *pos, or -1. */
int strmap_next(const strmap *m, size_t *pos, const char **key, int *value);

/* ---- files ----------------------------------------------------------- */

/* An output file that is written whole or not at all: into a temporary
 * file beside path, renamed over path when everything was written and
 * removed otherwise.  The file gets the permissions a plain open would
 * give it (0666 less the umask), not mkstemp's 0600.  A path that exists
 * and is not a regular file (/dev/null, a FIFO, a terminal) is written
 * straight into: renaming over it would replace the device or the pipe.
 * out_file_open reads the umask by setting it, so call it with no other
 * thread running. */
struct out_file {
	FILE *f;
	char *tmp;          /* the temporary file, NULL when writing straight */
	const char *path;
};

/* False, with errno set, when the file could not be created. */
bool out_file_open(struct out_file *o, const char *path);
/* Closes the file, and renames or removes the temporary file as ok says;
 * false, with errno set, when anything could not be written. */
bool out_file_close(struct out_file *o, bool ok);

/* A whole number in decimal digits only (no sign, space or suffix) of at
 * most max, in *out; false for anything else. */
bool parse_whole(const char *s, uint64_t max, uint64_t *out);

/* ---- UTF-8 ---------------------------------------------------------- */

/* Decodes one code point at s[0..len); returns its length in bytes (>= 1)
 * and stores the code point (or -1 for an invalid sequence, length 1).
 * ASCII, most of any news text, is decided here; the rest by utf8proc. */
int utf8_decode_other(const unsigned char *s, size_t len, int32_t *cp);
static inline int utf8_decode(const unsigned char *s, size_t len, int32_t *cp)
{
	if (len && s[0] < 0x80) {
		*cp = s[0];
		return 1;
	}
	return utf8_decode_other(s, len, cp);
}
/* Number of code points in s[0..len) of valid UTF-8. */
size_t utf8_count(const char *s, size_t len);
bool cp_is_upper(int32_t cp);
bool cp_is_lower(int32_t cp);
/* The classes of a code point: ASCII inline, the rest by its Unicode
 * category (the _other functions, for cp >= 128). */
bool cp_is_letter_other(int32_t cp);
bool cp_is_digit_other(int32_t cp);
bool cp_is_space_other(int32_t cp);
/* A byte of a word as PCRE2's \w and \b see it without UCP: an ASCII
 * letter or digit, or "_". */
static inline bool is_word_byte(unsigned char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
	       c == '_';
}

static inline bool cp_is_letter(int32_t cp)
{
	if (cp < 128)
		return (cp | 0x20) >= 'a' && (cp | 0x20) <= 'z';
	return cp_is_letter_other(cp);
}
static inline bool cp_is_digit(int32_t cp)
{
	if (cp < 128)
		return cp >= '0' && cp <= '9';
	return cp_is_digit_other(cp);
}
/* includes U+00A0 and other Zs, tab */
static inline bool cp_is_space(int32_t cp)
{
	if (cp < 128)
		return cp == ' ' || cp == '\t' || cp == '\n' || cp == '\r' || cp == '\f' ||
		       cp == '\v';
	return cp_is_space_other(cp);
}
/* Appends the lower-case form of s[0..len) to b. */
void utf8_lower(buf *b, const char *s, size_t len);

/* Quote marks: classified by the segmenter, described here once. */
bool cp_is_open_quote(int32_t cp);   /* “ ‘ « „ */
bool cp_is_close_quote(int32_t cp);  /* ” ’ » */

#endif
