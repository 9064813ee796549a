/* util.c - buffers, arrays, arena, hash table, UTF-8 helpers. */
#include "util.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <utf8proc.h>
#include <xxhash.h>

static void out_of_memory(void)
{
	fputs("ascribe: out of memory\n", stderr);
	abort();
}

void *xmalloc(size_t n)
{
	void *p = malloc(n ? n : 1);
	if (!p)
		out_of_memory();
	return p;
}

void *xcalloc(size_t n, size_t size)
{
	void *p = calloc(n ? n : 1, size ? size : 1);
	if (!p)
		out_of_memory();
	return p;
}

void *xrealloc(void *p, size_t n)
{
	p = realloc(p, n ? n : 1);
	if (!p)
		out_of_memory();
	return p;
}

char *xstrndup(const char *s, size_t n)
{
	char *d = xmalloc(n + 1);
	memcpy(d, s, n);
	d[n] = '\0';
	return d;
}

char *xstrdup(const char *s)
{
	return xstrndup(s, strlen(s));
}

/* ---- buf ------------------------------------------------------------ */

void buf_grow(buf *b, size_t extra)
{
	size_t need = b->len + extra + 1;
	if (need <= b->cap)
		return;
	size_t cap = b->cap ? b->cap : 64;
	while (cap < need)
		cap *= 2;
	b->data = xrealloc(b->data, cap);
	b->cap = cap;
}

void buf_add(buf *b, const void *p, size_t n)
{
	buf_grow(b, n);
	if (n)
		memcpy(b->data + b->len, p, n);
	b->len += n;
	b->data[b->len] = '\0';
}

void buf_adds(buf *b, const char *s)
{
	buf_add(b, s, strlen(s));
}

void buf_printf(buf *b, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0)
		return;
	buf_grow(b, (size_t)n);
	va_start(ap, fmt);
	vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap);
	va_end(ap);
	b->len += (size_t)n;
}

/* Writes u in decimal at p; returns the end. */
static char *put_decimal(char *p, uint64_t u)
{
	char digits[20], *d = digits + sizeof digits;
	do
		*--d = (char)('0' + u % 10);
	while (u /= 10);
	size_t n = (size_t)(digits + sizeof digits - d);
	memcpy(p, d, n);
	return p + n;
}

/* Appends "[-]I.FFF" for thousandths, I = milli / 1000, FFF = milli % 1000. */
static void add_thousandths(buf *b, bool negative, uint64_t milli)
{
	buf_grow(b, 25);
	char *p = b->data + b->len;
	if (negative)
		*p++ = '-';
	p = put_decimal(p, milli / 1000);
	unsigned f = (unsigned)(milli % 1000);
	p[0] = '.';
	p[1] = (char)('0' + f / 100);
	p[2] = (char)('0' + f / 10 % 10);
	p[3] = (char)('0' + f % 10);
	p[4] = '\0';
	b->len = (size_t)(p + 4 - b->data);
}

void buf_add_fixed3(buf *b, double v)
{
	uint64_t bits;
	memcpy(&bits, &v, sizeof bits);
	int biased = (int)(bits >> 52 & 0x7FF);
	uint64_t mantissa = bits & ((UINT64_C(1) << 52) - 1);
	/* |v| = mantissa * 2^-shift exactly */
	int shift = biased ? 1075 - biased : 1074;
	if (biased)
		mantissa |= UINT64_C(1) << 52;
	if (biased == 0x7FF || shift < 0) {
		buf_printf(b, "%.3f", v);
		return;
	}
	/* 1000 |v| = scaled * 2^-shift, and scaled < 2^63 */
	uint64_t scaled = mantissa * 1000, milli;
	if (shift == 0) {
		milli = scaled;
	} else if (shift >= 64) {
		milli = 0;   /* below 2^63 * 2^-64: under half a thousandth */
	} else {
		milli = scaled >> shift;
		uint64_t rest = scaled & ((UINT64_C(1) << shift) - 1);
		uint64_t half = UINT64_C(1) << (shift - 1);
		if (rest > half || (rest == half && (milli & 1)))
			milli++;
	}
	add_thousandths(b, bits >> 63, milli);
}

void buf_add_milli(buf *b, long milli)
{
	if (milli < 0)
		buf_printf(b, "%ld.%03ld", milli / 1000, milli % 1000);
	else
		add_thousandths(b, false, (uint64_t)milli);
}

void buf_reset(buf *b)
{
	b->len = 0;
	if (b->data)
		b->data[0] = '\0';
}

void buf_free(buf *b)
{
	free(b->data);
	b->data = NULL;
	b->len = b->cap = 0;
}

const char *buf_cstr(buf *b)
{
	buf_grow(b, 0);
	b->data[b->len] = '\0';
	return b->data;
}

char *buf_detach(buf *b)
{
	buf_cstr(b);
	char *s = b->data;
	b->data = NULL;
	b->len = b->cap = 0;
	return s;
}

void *array_grow(void *items, size_t *cap, size_t need, size_t elsize)
{
	if (need <= *cap)
		return items;
	size_t c = *cap ? *cap : 8;
	while (c < need)
		c *= 2;
	*cap = c;
	return xrealloc(items, c * elsize);
}

/* ---- arena ---------------------------------------------------------- */

struct arena_chunk {
	arena_chunk *next;
	size_t used, size;
	max_align_t data[];
};

void *arena_alloc(arena *a, size_t n)
{
	n = (n + sizeof(max_align_t) - 1) & ~(sizeof(max_align_t) - 1);
	arena_chunk *c = a->head;
	if (!c || c->size - c->used < n) {
		size_t size = n > 8192 ? n : 8192;
		c = xmalloc(sizeof *c + size);
		c->used = 0;
		c->size = size;
		c->next = a->head;
		a->head = c;
	}
	void *p = (char *)c->data + c->used;
	c->used += n;
	return p;
}

char *arena_strndup(arena *a, const char *s, size_t n)
{
	char *d = arena_alloc(a, n + 1);
	memcpy(d, s, n);
	d[n] = '\0';
	return d;
}

void arena_free(arena *a)
{
	arena_chunk *c = a->head;
	while (c) {
		arena_chunk *next = c->next;
		free(c);
		c = next;
	}
	a->head = NULL;
}

/* ---- strmap --------------------------------------------------------- */

/* A key shorter than STRMAP_INLINE bytes (most words) is kept in its slot,
 * NUL-terminated, so that a look-up reads one cache line, not the slot and
 * then the key elsewhere in the heap. */
#define STRMAP_INLINE 16

struct strmap_slot {
	uint64_t hash;
	uint32_t used;       /* the key's length + 1; 0: an empty slot */
	int value;
	union {
		char *ptr;                   /* used > STRMAP_INLINE */
		char in[STRMAP_INLINE];
	} key;
};

static inline const char *slot_key(const struct strmap_slot *s)
{
	return s->used <= STRMAP_INLINE ? s->key.in : s->key.ptr;
}

/* Whether a and b differ in their first w bytes or in their w bytes
 * ending at n (w <= n <= 2 w, so the two cover all n bytes). */
static inline bool ends_differ(const char *a, const char *b, size_t n, size_t w)
{
	uint64_t a0 = 0, a1 = 0, b0 = 0, b1 = 0;
	memcpy(&a0, a, w);
	memcpy(&b0, b, w);
	memcpy(&a1, a + n - w, w);
	memcpy(&b1, b + n - w, w);
	return ((a0 ^ b0) | (a1 ^ b1)) != 0;
}

/* a[0..n) == b[0..n), for the short keys most look-ups compare: loads of
 * 8 or 4 bytes from both ends, which overlap when n is not a multiple */
static inline bool key_equal(const char *a, const char *b, size_t n)
{
	if (n >= 8 && n <= 16)
		return !ends_differ(a, b, n, 8);
	if (n >= 4 && n < 8)
		return !ends_differ(a, b, n, 4);
	if (n < 4) {
		for (size_t i = 0; i < n; i++)
			if (a[i] != b[i])
				return false;
		return true;
	}
	return memcmp(a, b, n) == 0;
}

static inline uint8_t strmap_tag(uint64_t h)
{
	return (uint8_t)(0x80 | h >> 57);
}

static size_t strmap_find(const strmap *m, const char *key, size_t keylen, uint64_t h)
{
	size_t mask = m->cap - 1, i = (size_t)h & mask;
	uint8_t tag = strmap_tag(h);
	for (; m->tags[i]; i = (i + 1) & mask) {
		const struct strmap_slot *s = &m->slots[i];
		if (m->tags[i] == tag && s->hash == h && s->used == keylen + 1 &&
		    key_equal(slot_key(s), key, keylen))
			return i;
	}
	return i;
}

int strmap_get(const strmap *m, const char *key, size_t keylen)
{
	if (!m->cap)
		return -1;
	uint64_t h = XXH3_64bits(key, keylen);
	size_t i = strmap_find(m, key, keylen, h);
	return m->tags[i] ? m->slots[i].value : -1;
}

static void strmap_rehash(strmap *m)
{
	size_t cap = m->cap ? m->cap * 2 : 64;
	struct strmap_slot *slots = xcalloc(cap, sizeof *slots);
	uint8_t *tags = xcalloc(cap, 1);
	for (size_t i = 0; i < m->cap; i++) {
		if (!m->tags[i])
			continue;
		const struct strmap_slot *s = &m->slots[i];
		size_t j = (size_t)s->hash & (cap - 1);
		while (tags[j])
			j = (j + 1) & (cap - 1);
		slots[j] = *s;
		tags[j] = m->tags[i];
	}
	free(m->slots);
	free(m->tags);
	m->slots = slots;
	m->tags = tags;
	m->cap = cap;
}

void strmap_put(strmap *m, const char *key, size_t keylen, int value)
{
	/* keys are words, phrases and spans of a document, whose offsets fit
	 * in 32 bits */
	if ((m->len + 1) * 4 > m->cap * 3)
		strmap_rehash(m);
	uint64_t h = XXH3_64bits(key, keylen);
	size_t i = strmap_find(m, key, keylen, h);
	struct strmap_slot *s = &m->slots[i];
	if (!m->tags[i]) {
		m->tags[i] = strmap_tag(h);
		s->used = (uint32_t)keylen + 1;
		s->hash = h;
		if (s->used <= STRMAP_INLINE) {
			memcpy(s->key.in, key, keylen);
			s->key.in[keylen] = '\0';
		} else {
			s->key.ptr = xstrndup(key, keylen);
		}
		m->len++;
	}
	s->value = value;
}

void strmap_free(strmap *m)
{
	for (size_t i = 0; i < m->cap; i++)
		if (m->slots[i].used > STRMAP_INLINE)
			free(m->slots[i].key.ptr);
	free(m->slots);
	free(m->tags);
	m->slots = NULL;
	m->tags = NULL;
	m->cap = m->len = 0;
}

int strmap_next(const strmap *m, size_t *pos, const char **key, int *value)
{
	for (size_t i = *pos; i < m->cap; i++) {
		if (m->tags[i]) {
			*key = slot_key(&m->slots[i]);
			*value = m->slots[i].value;
			*pos = i + 1;
			return (int)i;
		}
	}
	return -1;
}

/* ---- UTF-8 ---------------------------------------------------------- */

int utf8_decode_other(const unsigned char *s, size_t len, int32_t *cp)
{
	utf8proc_int32_t c;
	utf8proc_ssize_t n = utf8proc_iterate(s, (utf8proc_ssize_t)len, &c);
	if (n <= 0) {
		*cp = -1;
		return 1;
	}
	*cp = c;
	return (int)n;
}

size_t utf8_count(const char *s, size_t len)
{
	size_t n = 0;
	for (size_t i = 0; i < len; i++)
		n += ((unsigned char)s[i] & 0xC0) != 0x80;
	return n;
}

bool cp_is_upper(int32_t cp)
{
	if (cp < 128)
		return cp >= 'A' && cp <= 'Z';
	utf8proc_category_t c = utf8proc_category(cp);
	return c == UTF8PROC_CATEGORY_LU || c == UTF8PROC_CATEGORY_LT;
}

bool cp_is_lower(int32_t cp)
{
	if (cp < 128)
		return cp >= 'a' && cp <= 'z';
	return utf8proc_category(cp) == UTF8PROC_CATEGORY_LL;
}

bool cp_is_letter_other(int32_t cp)
{
	utf8proc_category_t c = utf8proc_category(cp);
	return c >= UTF8PROC_CATEGORY_LU && c <= UTF8PROC_CATEGORY_MC;
}

bool cp_is_digit_other(int32_t cp)
{
	return utf8proc_category(cp) == UTF8PROC_CATEGORY_ND;
}

bool cp_is_space_other(int32_t cp)
{
	utf8proc_category_t c = utf8proc_category(cp);
	return c == UTF8PROC_CATEGORY_ZS || c == UTF8PROC_CATEGORY_ZL ||
	       c == UTF8PROC_CATEGORY_ZP;
}

void utf8_lower(buf *b, const char *s, size_t len)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t i = 0;
	while (i < len) {
		/* a run of ASCII, the common case, straight into the buffer */
		size_t run = i;
		while (run < len && p[run] < 128)
			run++;
		if (run > i) {
			if (b->len + (run - i) + 1 > b->cap)
				buf_grow(b, run - i);
			char *d = b->data + b->len;
			for (size_t k = i; k < run; k++)
				*d++ = (char)(p[k] >= 'A' && p[k] <= 'Z' ? p[k] + 32 : p[k]);
			b->len += run - i;
			b->data[b->len] = '\0';
			i = run;
			continue;
		}
		int32_t cp;
		int n = utf8_decode(p + i, len - i, &cp);
		if (cp < 0) {
			buf_addc(b, (char)p[i]);
			i++;
			continue;
		}
		utf8proc_uint8_t out[4];
		utf8proc_ssize_t m = utf8proc_encode_char(utf8proc_tolower(cp), out);
		buf_add(b, out, (size_t)m);
		i += (size_t)n;
	}
}

bool cp_is_open_quote(int32_t cp)
{
	return cp == 0x201C || cp == 0x2018 || cp == 0x00AB || cp == 0x201E;
}

bool cp_is_close_quote(int32_t cp)
{
	return cp == 0x201D || cp == 0x2019 || cp == 0x00BB;
}


/* ---- files ----------------------------------------------------------- */

bool out_file_open(struct out_file *o, const char *path)
{
	*o = (struct out_file){ .path = path };
	struct stat st;
	if (stat(path, &st) == 0 && !S_ISREG(st.st_mode))
		return (o->f = fopen(path, "w")) != NULL;
	size_t n = strlen(path) + 16;
	if (!(o->tmp = malloc(n))) {
		errno = ENOMEM;
		return false;
	}
	snprintf(o->tmp, n, "%s.tmpXXXXXX", path);
	int fd = mkstemp(o->tmp);
	if (fd >= 0) {
		mode_t mask = umask(0);
		umask(mask);
		(void)fchmod(fd, 0666 & ~mask);
		o->f = fdopen(fd, "w");
	}
	if (!o->f) {
		int e = errno;
		if (fd >= 0) {
			close(fd);
			remove(o->tmp);
		}
		free(o->tmp);
		o->tmp = NULL;
		errno = e;
		return false;
	}
	return true;
}

bool out_file_close(struct out_file *o, bool ok)
{
	bool written = !ferror(o->f);
	written = fclose(o->f) == 0 && written;
	int e = errno;
	if (o->tmp) {
		if (ok && written && rename(o->tmp, o->path) != 0) {
			e = errno;
			written = false;
		}
		if (!ok || !written)
			remove(o->tmp);
		free(o->tmp);
		o->tmp = NULL;
	}
	o->f = NULL;
	errno = e;
	return written;
}

bool parse_whole(const char *s, uint64_t max, uint64_t *out)
{
	uint64_t v = 0;
	const char *p = s;
	for (; *p >= '0' && *p <= '9'; p++) {
		unsigned d = (unsigned)(*p - '0');
		if (d > max || v > (max - d) / 10)
			return false;
		v = v * 10 + d;
	}
	if (p == s || *p)
		return false;
	*out = v;
	return true;
}
