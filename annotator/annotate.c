/* annotate.c - the pipeline: read, segment, classify blocks, spot,
 * attribute, resolve, label.  Also the per-thread matcher every stage uses
 * to run rules under the prefilter and PCRE2's limits. */
#include "doc.h"
#include "first.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <sys/stat.h>
#include <unistd.h>

#ifndef ASC_DATADIR
#define ASC_DATADIR "/usr/local/share/ascribe"
#endif

const char *const resolution_names[] = {
	"explicit", "name", "pronoun", "nominal", "quote"
};

/* ---- matcher ---------------------------------------------------------- */

static uint64_t now_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

/* Counts a head's or lead's enumeration, which runs inside a rule's call,
 * at index i of m->cost (after the rules). */
static void count_nested(struct matcher *m, size_t i, uint64_t t0, size_t found)
{
	uint64_t dt = now_ns() - t0;
	m->cost[i].calls++;
	m->cost[i].matches += found;
	m->cost[i].ns += dt;
	m->nested += dt;
}

static int record_head(pcre2_callout_block *cb, void *data);
static int record_lead(pcre2_callout_block *cb, void *data);

/* The entries of table call found at the callout's place, into
 * m->lex_ends: from the segment's memo when it was looked up before. */
static int lexcall_lookup(struct matcher *m, int call, const pcre2_callout_block *cb,
			  size_t at)
{
	struct lex_memo *e =
		&m->lex_memo[(at * 7 + (size_t)call * 61) & (LEX_MEMO_SLOTS - 1)];
	if (e->gen == m->gen && e->call == call && e->at == at && e->subject == cb->subject &&
	    e->len == cb->subject_length && e->found <= LEX_MEMO_ENDS) {
		for (int k = 0; k < e->found; k++)
			m->lex_ends[k] = e->ends[k];
		return e->found;
	}
	int found = lexcall_match(&m->rules->lexcalls.items[call], (const char *)cb->subject,
				  cb->subject_length, at, m->lex_ends, LEXCALL_MAX_DEPTH);
	*e = (struct lex_memo){ m->gen, call, cb->subject, cb->subject_length, at, found, { { 0 } } };
	for (int k = 0; k < found && k < LEX_MEMO_ENDS; k++)
		e->ends[k] = m->lex_ends[k];
	return found;
}

/* A callout lexicon's pick (rules.h, LEXCALL_PICK): the text there is
 * looked up once for all the ranks. */
static int lexcall_pick(struct matcher *m, const pcre2_callout_block *cb)
{
	const char *s = (const char *)cb->callout_string;
	int rank = s[0] - LEXCALL_PICK;
	int call = 0;
	for (PCRE2_SIZE i = 1; i < cb->callout_string_length; i++)
		call = call * 10 + (s[i] - '0');
	size_t at = cb->current_position;
	if (call != m->lex_call || at != m->lex_at || cb->subject != m->lex_subject ||
	    cb->subject_length != m->lex_len) {
		m->lex_call = call;
		m->lex_at = at;
		m->lex_subject = cb->subject;
		m->lex_len = cb->subject_length;
		m->lex_found = lexcall_lookup(m, call, cb, at);
	}
	if (rank >= m->lex_found)
		return 1;
	m->lex_picked = m->lex_ends[rank];
	return 0;
}

/* Every callout of the rules' patterns: a head's or lead's match to
 * record, or a callout lexicon's pick and what takes the picked entry. */
static int matcher_callout(pcre2_callout_block *cb, void *data)
{
	struct matcher *m = data;
	uint32_t n = cb->callout_number;
	if (n == LEXCALL_END_CALLOUT)
		return cb->current_position == m->lex_picked.end ? 0 : 1;
	if (n == 0 && cb->callout_string)
		return lexcall_pick(m, cb);
	if (n == 1 && m->recording)
		return record_head(cb, m->recording);
	if (n == 2 && m->recording)
		return record_lead(cb, m->recording);
	return 0;
}

void matcher_init(struct matcher *m, const asc_rules *rules)
{
	memset(m, 0, sizeof *m);
	m->rules = rules;
	m->md = pcre2_match_data_create((uint32_t)rules->max_groups + 1, NULL);
	m->mctx = pcre2_match_context_create(NULL);
	pcre2_set_match_limit(m->mctx, ASC_MATCH_LIMIT);
	pcre2_set_depth_limit(m->mctx, ASC_DEPTH_LIMIT);
	pcre2_set_heap_limit(m->mctx, ASC_HEAP_LIMIT_KIB);
	m->jit = pcre2_jit_stack_create(32 * 1024, 512 * 1024, NULL);
	pcre2_jit_stack_assign(m->mctx, NULL, m->jit);
	pcre2_set_callout(m->mctx, matcher_callout, m);
	m->lex_call = -1;
	m->lex_memo = xcalloc(LEX_MEMO_SLOTS, sizeof *m->lex_memo);
	m->mark = xcalloc(rules->rules.len + 1, sizeof *m->mark);
	m->last = xcalloc(rules->rules.len + 1, sizeof *m->last);
	m->also = xcalloc(rules->rules.len + 1, sizeof *m->also);
	m->cand_bits = xcalloc(rules->rules.len / 64 + 1, sizeof *m->cand_bits);
	m->heads = xcalloc(rules->heads.len + 1, sizeof *m->heads);
	m->leads = xcalloc(rules->leads.len + 1, sizeof *m->leads);
	m->necks = xcalloc(rules->necks.len + 1, sizeof *m->necks);
	m->shared = xcalloc((size_t)rules->shared_matches + 1, sizeof *m->shared);
	for (int i = 0; i < rules->shared_matches; i++)
		m->shared[i].ov = xcalloc(2 * ((size_t)rules->max_groups + 1), sizeof(PCRE2_SIZE));
	m->synth = xcalloc(2 * ((size_t)rules->max_groups + 1), sizeof *m->synth);
	m->mid_ov = xcalloc(2 * ((size_t)rules->max_groups + 1), sizeof *m->mid_ov);
	m->ov = pcre2_get_ovector_pointer(m->md);
	m->gen = 1;
}

void matcher_begin(struct matcher *m, asc_doc *doc)
{
	m->doc = doc;
	m->docs++;
	/* what was remembered of the last document's text is of no use */
	matcher_forget(m);
}

void matcher_free(struct matcher *m)
{
	pcre2_match_data_free(m->md);
	pcre2_match_context_free(m->mctx);
	pcre2_jit_stack_free(m->jit);
	free(m->lex_memo);
	free(m->mark);
	free(m->last);
	free(m->also);
	free(m->cand_bits);
	free(m->cost);
	for (size_t i = 0; i < m->rules->heads.len; i++) {
		array_free(&m->heads[i].at);
		array_free(&m->heads[i].keys);
	}
	free(m->heads);
	for (size_t i = 0; i < m->rules->leads.len; i++) {
		array_free(&m->leads[i].at);
		array_free(&m->leads[i].groups);
	}
	free(m->leads);
	for (size_t i = 0; i < m->rules->necks.len; i++) {
		array_free(&m->necks[i].places);
		array_free(&m->necks[i].ends);
		array_free(&m->necks[i].groups);
		array_free(&m->necks[i].keys);
	}
	free(m->necks);
	array_free(&m->neck_found.at);
	array_free(&m->neck_found.groups);
	for (int i = 0; i < m->rules->shared_matches; i++)
		free(m->shared[i].ov);
	free(m->shared);
	free(m->synth);
	free(m->mid_ov);
	array_free(&m->mid.at);
	array_free(&m->mid.groups);
	array_free(&m->doc_hits);
	array_free(&m->seg_hits);
	array_free(&m->candidates);
	buf_free(&m->scratch);
	buf_free(&m->next_word);
}

/* The place of a word token's word among the trigger words (struct
 * trig), or -1; looked up once per document. */
static int token_triggers(struct matcher *m, struct token *t, const char *text)
{
	const asc_rules *r = m->rules;
	if (t->trigger == 0) {
		buf_reset(&m->scratch);
		utf8_lower(&m->scratch, text + t->start, t->end - t->start);
		int ti = first_bloom_get(r->trigger_bloom, &r->trigger_index, m->scratch.data,
					 m->scratch.len);
		t->trigger = ti < 0 ? -1 : ti + 1;
	}
	return t->trigger - 1;
}

/* The first word token in [from, end), lower-cased into m->next_word;
 * false when there is none. */
static bool next_word(struct matcher *m, const asc_doc *doc, uint32_t from, uint32_t end)
{
	buf_reset(&m->next_word);
	for (uint32_t k = from; k < end; k++) {
		const struct token *t = &doc->tokens.items[k];
		if (!(t->flags & TOK_WORD))
			continue;
		utf8_lower(&m->next_word, doc->text + t->start, t->end - t->start);
		return true;
	}
	return false;
}

/* Puts the candidates into rule order.  A short list is in order but for
 * the rules that later words added; a long one (a large rule set) goes
 * through a bit set of the rules, which costs a word per 64 rules. */
static void sort_candidates(struct matcher *m)
{
	int *c = m->candidates.items;
	size_t n = m->candidates.len;
	if (n <= 64) {
		for (size_t i = 1; i < n; i++) {
			int v = c[i];
			size_t k = i;
			for (; k > 0 && c[k - 1] > v; k--)
				c[k] = c[k - 1];
			c[k] = v;
		}
		return;
	}
	uint64_t *bits = m->cand_bits;
	for (size_t i = 0; i < n; i++)
		bits[(unsigned)c[i] >> 6] |= (uint64_t)1 << (c[i] & 63);
	size_t words = (m->rules->rules.len + 63) / 64, k = 0;
	for (size_t w = 0; w < words; w++) {
		for (uint64_t b = bits[w]; b; b &= b - 1)
			c[k++] = (int)(w * 64 + (size_t)__builtin_ctzll(b));
		bits[w] = 0;
	}
}

void matcher_candidates(struct matcher *m, asc_doc *doc,
			uint32_t tok_first, uint32_t tok_count, enum stage stage)
{
	const asc_rules *r = m->rules;
	m->candidates.len = 0;
	matcher_forget(m);
	for (size_t i = 0; i < r->always[stage].len; i++)
		*array_push(&m->candidates) = r->always[stage].items[i];
	uint32_t classes = 0;
	for (int c = 0; c < TOKEN_CLASSES; c++)
		if (r->classed[c][stage].len)
			classes |= token_classes[c].flag;
	if (!r->trigger_words && !classes && !r->also_any)
		return;
	uint32_t seen = 0;   /* the flags of the segment's tokens */
	for (uint32_t k = 0; k < tok_count; k++) {
		struct token *t = &doc->tokens.items[tok_first + k];
		seen |= t->flags;
		for (int c = 0; t->flags & classes && c < TOKEN_CLASSES; c++) {
			if (!(t->flags & token_classes[c].flag))
				continue;
			const int_list *cl = &r->classed[c][stage];
			for (size_t j = 0; j < cl->len; j++) {
				int ri = cl->items[j];
				m->last[ri] = doc->text + t->start;
				if (m->mark[ri] != m->gen) {
					m->mark[ri] = m->gen;
					*array_push(&m->candidates) = ri;
				}
			}
		}
		if (!(t->flags & TOK_WORD))
			continue;
		int tw = token_triggers(m, t, doc->text);
		if (tw < 0)
			continue;
		const uint32_t *first = &r->trig_first[(size_t)tw * (STAGE_COUNT + 1) + stage];
		int has_next = -1;   /* whether a word follows: not looked at yet */
		for (uint32_t j = first[0]; j < first[1]; j++) {
			const struct trig *tr = &r->trig[j];
			int ri = tr->rule;
			if (tr->next_len) {
				if (has_next < 0)
					has_next = next_word(m, doc, tok_first + k + 1,
							     tok_first + tok_count);
				if (!has_next || m->next_word.len != tr->next_len ||
				    memcmp(m->next_word.data, r->trig_next + tr->next, tr->next_len))
					continue;
			}
			if (tr->also) {
				m->also[ri] = m->gen;
				continue;
			}
			m->last[ri] = doc->text + t->start;
			if (m->mark[ri] == m->gen)
				continue;
			m->mark[ri] = m->gen;
			*array_push(&m->candidates) = ri;
		}
	}
	sort_candidates(m);
	int *c = m->candidates.items;
	/* a rule with also_requires needs one of those too */
	if (r->also_any) {
		size_t n = 0;
		for (size_t i = 0; i < m->candidates.len; i++) {
			const struct rule_hot *h = &r->hot[c[i]];
			if (!(h->flags & HOT_ALSO) || (h->also_classes & seen) || m->also[c[i]] == m->gen)
				c[n++] = c[i];
		}
		m->candidates.len = n;
	}
	/* a head need not be tried past the last required word of the rules
	 * that share it (docs/rules.md, "requires") */
	for (size_t i = 0; i < m->candidates.len; i++) {
		const struct rule_hot *h = &r->hot[m->candidates.items[i]];
		if (!h->head)
			continue;
		struct head_matches *hm = &m->heads[h->head - 1];
		if (hm->limit_gen != m->gen) {
			hm->limit_gen = m->gen;
			hm->limit = NULL;
			hm->lazy = true;
		}
		/* a rule with a lead asks for the head where its leads end */
		if (h->flags & HOT_UNBOUNDED)
			continue;
		const char *last = h->flags & HOT_REQUIRES ? m->last[m->candidates.items[i]] : NULL;
		if (hm->lazy || (hm->limit && (!last || last > hm->limit)))
			hm->limit = last;
		hm->lazy = false;
	}
}

void matcher_forget(struct matcher *m)
{
	if (++m->gen == 0) {
		memset(m->mark, 0, m->rules->rules.len * sizeof *m->mark);
		memset(m->also, 0, m->rules->rules.len * sizeof *m->also);
		for (size_t i = 0; i < m->rules->heads.len; i++)
			m->heads[i].gen = 0;
		for (size_t i = 0; i < m->rules->leads.len; i++)
			m->leads[i].gen = 0;
		for (int i = 0; i < m->rules->shared_matches; i++)
			m->shared[i].gen = 0;
		memset(m->lex_memo, 0, LEX_MEMO_SLOTS * sizeof *m->lex_memo);
		m->seg_gen = 0;
		m->gen = 1;
	}
}

int matcher_match(struct matcher *m, const pcre2_code *re, const char *text, size_t len,
		  size_t at)
{
	/* the subject may be new text at the same address and length */
	m->lex_call = -1;
	int rc = pcre2_jit_match(re, (PCRE2_SPTR)text, len, at, 0, m->md, m->mctx);
	if (rc != PCRE2_ERROR_JIT_BADOPTION)
		return rc;
	/* no JIT code (ASCRIBE_NO_JIT, or the JIT failed): the interpreter */
	return pcre2_match(re, (PCRE2_SPTR)text, len, at, PCRE2_NO_UTF_CHECK, m->md, m->mctx);
}

static int limit_hit(struct matcher *m, const struct rule *r, int rc)
{
	PCRE2_UCHAR msg[160];
	pcre2_get_error_message(rc, msg, sizeof msg);
	if (m->doc)
		doc_warn(m->doc, -1, "rule '%s' skipped for one segment: %s", r->id,
			 (const char *)msg);
	return -1;
}

/* tail_key(): no tail can start after a head match there, or every tail
 * must be tried. */
enum { TAIL_NONE = -1, TAIL_TRY = -2, TAIL_UNSET = -3 };
static int tail_key(const asc_rules *rs, const char *text, size_t len, size_t e);

static int record_head(pcre2_callout_block *cb, void *data)
{
	struct head_matches *hm = data;
	struct span at = { (uint32_t)cb->start_match, (uint32_t)cb->current_position };
	for (size_t i = hm->at.len; i-- > 0 && hm->at.items[i].start == at.start;)
		if (hm->at.items[i].end == at.end)
			return 0;
	*array_push(&hm->at) = at;
	return 0;
}

static inline bool odd_at(const char *text, size_t len, size_t i);

/* The length in bytes of the white space character (cp_is_space()) at
 * text[p], or 0. */
static inline size_t space_at(const char *text, size_t len, size_t p)
{
	int32_t cp;
	int n = utf8_decode((const unsigned char *)text + p, len - p, &cp);
	return cp_is_space(cp) ? (size_t)n : 0;
}

/* Past the run of white space at text[p]. */
static size_t skip_space(const char *text, size_t len, size_t p)
{
	size_t n;
	while (p < len && (n = space_at(text, len, p)))
		p += n;
	return p;
}

/* Whether word[0..n), of first_hash() h, is a key of hd with bits. */
static bool head_key_in(const struct head *hd, const char *word, size_t n, uint32_t h, int bits)
{
	if (!first_bloom_has(hd->key_bloom, head_key_hash(h, bits)))
		return false;
	int got = strmap_get(&hd->keys, word, n);
	return got >= 0 && (got & bits);
}

/* Whether the word text[p..) has, as the whole ASCII word (HEAD_WHOLE)
 * or as a prefix of it (HEAD_PREFIX), a key of hd with bit << chunk; true
 * where it cannot tell (a long word, U+017F or U+212A).  *end: where the
 * word ends (p where there is none). */
static bool head_word_keyed(const struct head *hd, const char *text, size_t len, size_t p,
			    int chunk, size_t *end)
{
	*end = p;
	if (odd_at(text, len, p))
		return true;
	if (!is_word_byte((unsigned char)text[p]))
		return false;   /* a later chunk is keyed by its word */
	if (text[p] >= '0' && text[p] <= '9') {
		size_t n = strlen(FIRST_DIGIT);
		int bits = strmap_get(&hd->keys, FIRST_DIGIT, n);
		return bits >= 0 && (bits & (HEAD_WHOLE << chunk));
	}
	char word[FIRST_MAX_WORD];
	uint32_t h = 0;
	size_t e = p;
	int prefix = HEAD_PREFIX << chunk, whole = HEAD_WHOLE << chunk;
	bool prefixed = hd->prefixed & prefix;
	for (; e < len && is_word_byte((unsigned char)text[e]); e++) {
		*end = e;
		if (e - p == FIRST_MAX_WORD)
			return true;
		unsigned char c = (unsigned char)text[e];
		c = (unsigned char)(c >= 'A' && c <= 'Z' ? c + 32 : c);
		word[e - p] = (char)c;
		h = first_hash_step(h, c);
		if (prefixed && head_key_in(hd, word, e - p + 1, h, prefix))
			return true;
	}
	*end = e;
	return head_key_in(hd, word, e - p, h, whole) || (e < len && odd_at(text, len, e));
}

/* Where the chunk after the one at text[p] starts: past what is not
 * white space, then past white space, as first_word_chunks() cuts chunks
 * (cp_is_space()); len where there is none.  A byte inside a character
 * is not white space. */
static size_t next_chunk(const char *text, size_t len, size_t p)
{
	while (p < len && !space_at(text, len, p))
		p++;
	return skip_space(text, len, p);
}

/* Whether a match of head hd could start at text[i], a lower-case ASCII
 * letter where a word starts: the keys of first_word_chunks() looked up
 * in the first chunks from there. */
static bool head_may_start(const struct head *hd, const char *text, size_t len, size_t i)
{
	size_t p = i;
	for (int chunk = 0;; chunk++) {
		size_t e;
		if (head_word_keyed(hd, text, len, p, chunk, &e))
			return true;
		if (chunk == FIRST_MAX_CHUNK)
			return false;
		p = next_chunk(text, len, e);
		if (p == len)
			return false;
	}
}

/* Enumerates the head's matches that start in [hm->done, upto], going on
 * from where the segment's enumeration stopped.  A head opens with \b
 * (docs/rules.md), so it is tried anchored where each word starts (and
 * before each non-ASCII character), as an unanchored search would try it.
 * Counted by --profile as a run each time it goes further. */
static void head_cover(struct matcher *m, int h, struct head_matches *hm, const char *text,
		       size_t len, size_t upto)
{
	if (hm->failed || upto < hm->done)
		return;
	uint64_t t0 = m->cost ? now_ns() : 0;
	size_t was = hm->at.len;
	const struct head *head = &m->rules->heads.items[h];
	m->recording = hm;
	size_t i = hm->done;
	bool prev = i > 0 && is_word_byte((unsigned char)text[i - 1]);
	for (; i <= upto; i++) {
		unsigned char c = i < len ? (unsigned char)text[i] : 0;
		bool cur = is_word_byte(c);
		/* where an ASCII word starts, or where any non-ASCII character
		 * starts (a letter of another script, for {WORD_START}) */
		bool boundary = (cur && !prev) || c >= 0xc0;
		prev = cur;
		if (!boundary && head->word_start)
			continue;
		/* a lower-case word starts few heads' matches */
		if (head->keyed && c >= 'a' && c <= 'z' && !(i == 0 && head->keyed_zero) &&
		    !head_may_start(head, text, len, i))
			continue;
		int rc = matcher_match(m, head->re, text, len, i);
		if (rc != PCRE2_ERROR_NOMATCH) {
			hm->failed = true;
			break;
		}
	}
	hm->done = i;
	m->recording = NULL;
	for (size_t k = was; k < hm->at.len; k++)
		*array_push(&hm->keys) = TAIL_UNSET;
	if (m->cost)
		count_nested(m, m->rules->rules.len + (size_t)h, t0, hm->at.len - was);
}

/* The head's matches in text (the segment), enumerated once per segment
 * up to the limit the candidates' required words set, or none yet when
 * only rules whose lead may hold their required words want them
 * (head_unbounded: run_split() and run_mid() go on as far as they need). */
static struct head_matches *head_matches(struct matcher *m, int h, const char *text,
					       size_t len)
{
	struct head_matches *hm = &m->heads[h];
	if (hm->gen == m->gen && hm->text == text && hm->len == len)
		return hm;
	hm->gen = m->gen;
	hm->text = text;
	hm->len = len;
	hm->at.len = 0;
	hm->keys.len = 0;
	hm->done = 0;
	hm->failed = false;
	if (hm->limit_gen == m->gen && hm->lazy)
		return hm;
	size_t limit = len;
	if (hm->limit_gen == m->gen && hm->limit && hm->limit >= text && hm->limit <= text + len)
		limit = (size_t)(hm->limit - text);
	head_cover(m, h, hm, text, len, limit);
	return hm;
}

/* A lead match is recorded with its groups; past this many, its rules run
 * whole. */
#define MAX_LEAD_MATCHES 1024

static int record_lead(pcre2_callout_block *cb, void *data)
{
	struct lead_matches *lm = data;
	if (lm->at.len >= MAX_LEAD_MATCHES)
		return PCRE2_ERROR_CALLOUT;
	*array_push(&lm->at) = (struct span){ (uint32_t)cb->start_match,
					      (uint32_t)cb->current_position };
	for (int g = 1; g <= lm->ngroups; g++) {
		bool set = (uint32_t)g < cb->capture_top;
		*array_push(&lm->groups) = set ? cb->offset_vector[2 * g] : PCRE2_UNSET;
		*array_push(&lm->groups) = set ? cb->offset_vector[2 * g + 1] : PCRE2_UNSET;
	}
	return 0;
}

/* The lead's matches in text, enumerated once per segment. */
static const struct lead_matches *lead_matches(struct matcher *m, int l, const char *text,
					       size_t len)
{
	struct lead_matches *lm = &m->leads[l];
	if (lm->gen == m->gen && lm->text == text && lm->len == len)
		return lm;
	uint64_t t0 = m->cost ? now_ns() : 0;
	const struct lead *lead = &m->rules->leads.items[l];
	lm->gen = m->gen;
	lm->text = text;
	lm->len = len;
	lm->at.len = 0;
	lm->groups.len = 0;
	lm->ngroups = lead->groups;
	m->recording = lm;
	int rc = matcher_match(m, lead->re, text, len, 0);
	m->recording = NULL;
	lm->failed = rc != PCRE2_ERROR_NOMATCH;
	if (m->cost)
		count_nested(m, m->rules->rules.len + m->rules->heads.len + (size_t)l, t0,
			     lm->at.len);
	return lm;
}

/* The index of the start text[0..n) (first.h) among the rule set's, or
 * -1. */
static int start_key(const asc_rules *r, const char *key, size_t n, uint32_t h)
{
	return first_bloom_has(r->start_bloom, h) ? strmap_get(&r->start_index, key, n) : -1;
}

/* The start of the ASCII word at text[i] (cut at len), or -1. */
static int word_key(const asc_rules *r, const char *text, size_t len, size_t i, size_t *end)
{
	size_t e = i + 1;
	while (e < len && is_word_byte((unsigned char)text[e]))
		e++;
	*end = e;
	if (text[i] >= '0' && text[i] <= '9')
		return start_key(r, FIRST_DIGIT, strlen(FIRST_DIGIT),
				 first_hash(FIRST_DIGIT, strlen(FIRST_DIGIT)));
	if (e - i > FIRST_MAX_WORD)
		return -1;
	char word[FIRST_MAX_WORD];
	uint32_t h = 0;
	for (size_t k = i; k < e; k++) {
		unsigned char c = (unsigned char)text[k];
		c = (unsigned char)(c >= 'A' && c <= 'Z' ? c + 32 : c);
		word[k - i] = (char)c;
		h = first_hash_step(h, c);
	}
	return start_key(r, word, e - i, h);
}

/* Whether U+017F or U+212A starts at text[i]: caseless, "s" and "k" match
 * them, so a rule could start or go on there where no start is. */
static inline bool odd_at(const char *text, size_t len, size_t i)
{
	const unsigned char *t = (const unsigned char *)text + i;
	return (t[0] == 0xc5 && i + 1 < len && t[1] == 0xbf) ||
	       (t[0] == 0xe2 && i + 2 < len && t[1] == 0x84 && t[2] == 0xaa);
}

/* Whether start k is among a rule's, in bits (start_bits or tail_bits). */
static bool has_start(const asc_rules *r, const uint64_t *bits, const struct rule *rule, int k)
{
	size_t ri = (size_t)(rule - r->rules.items);
	return k >= 0 && (bits[(size_t)k * r->start_stride + ri / 64] >> (ri % 64) & 1);
}

/* The start (first.h) that the character at text[i], not a word byte, is
 * on its own: its index, or -1; *end is where the character ends. */
static int mark_key(const asc_rules *r, const char *text, size_t len, size_t i, size_t *end)
{
	unsigned char c = (unsigned char)text[i];
	size_t n = c < 0x80 ? 1 : c < 0xe0 ? 2 : c < 0xf0 ? 3 : 4;
	if (n > len - i)
		n = len - i;
	*end = i + n;
	return start_key(r, text + i, n, first_hash(text + i, n));
}

/* What follows e past white space, for the tails keyed by their starts
 * (first.h): the index of the start there, TAIL_NONE where no tail's
 * start can be, TAIL_TRY where every tail must be tried (inside a word,
 * at the start of the text, at U+017F or U+212A).  Worked out once per
 * head match, for every rule that shares the head. */
static int tail_key(const asc_rules *rs, const char *text, size_t len, size_t e)
{
	size_t p = skip_space(text, len, e);
	if (p == len)
		return TAIL_NONE;
	if (!p || odd_at(text, len, p) ||
	    (p == e && is_word_byte((unsigned char)text[e - 1]) &&
	     is_word_byte((unsigned char)text[p])))
		return TAIL_TRY;
	size_t end;
	if (!is_word_byte((unsigned char)text[p]))
		return mark_key(rs, text, len, p, &end);
	int k = word_key(rs, text, len, p, &end);
	return end < len && odd_at(text, len, end) ? TAIL_TRY : k;
}

static int run_tail_at(struct matcher *m, const struct rule *r, const char *text, size_t len,
		       size_t start, int lg, const PCRE2_SIZE *lead_ov, struct span at, int ng,
		       const PCRE2_SIZE *neck_ov, size_t from, int key);

/* Runs the tail of r where the head match at ends (for a rule split at a
 * lexicon, with a lead and no head: where the lead ends); on a match fills
 * m->synth as the whole pattern would have: the lead's groups (lg of them,
 * from lead_ov, the whole match starting at start), the head's, the
 * tail's.  The number of groups + 1, 0 or a negative error. */
static int run_tail(struct matcher *m, const struct rule *r, const char *text, size_t len,
		    size_t start, int lg, const PCRE2_SIZE *lead_ov, struct span at, int key)
{
	return run_tail_at(m, r, text, len, start, lg, lead_ov, at, 0, NULL, at.end, key);
}

/* run_tail() for a rule with a neck (rules.h): the tail runs where the neck
 * match ends (from), and the neck's ng groups, from neck_ov, come between
 * the head's and the tail's. */
static int run_tail_at(struct matcher *m, const struct rule *r, const char *text, size_t len,
		       size_t start, int lg, const PCRE2_SIZE *lead_ov, struct span at, int ng,
		       const PCRE2_SIZE *neck_ov, size_t from, int key)
{
	if (r->tail_keyed && key != TAIL_TRY && !has_start(m->rules, m->rules->tail_bits, r, key))
		return 0;
	int rc = matcher_match(m, r->tail, text, len, from);
	if (rc == PCRE2_ERROR_NOMATCH)
		return 0;
	if (rc < 0)
		return limit_hit(m, r, rc);
	PCRE2_SIZE *tov = pcre2_get_ovector_pointer(m->md);
	size_t n = 2 * ((size_t)m->rules->max_groups + 1);
	for (size_t k = 0; k < n; k++)
		m->synth[k] = PCRE2_UNSET;
	m->synth[0] = start;
	m->synth[1] = tov[1];
	for (int g = 1; g <= lg && 2 * (size_t)g + 1 < n; g++) {
		m->synth[2 * g] = lead_ov[2 * (g - 1)];
		m->synth[2 * g + 1] = lead_ov[2 * (g - 1) + 1];
	}
	int hg = lg;
	if (r->head) {
		hg = lg + 1;
		m->synth[2 * hg] = at.start;
		m->synth[2 * hg + 1] = at.end;
	}
	for (int g = 1; g <= ng && 2 * (size_t)(hg + g) + 1 < n; g++) {
		m->synth[2 * (hg + g)] = neck_ov[2 * (g - 1)];
		m->synth[2 * (hg + g) + 1] = neck_ov[2 * (g - 1) + 1];
	}
	hg += ng;
	for (int g = 1; g <= r->tail_groups && 2 * (size_t)(hg + g) + 1 < n; g++) {
		m->synth[2 * (hg + g)] = tov[2 * g];
		m->synth[2 * (hg + g) + 1] = tov[2 * g + 1];
	}
	m->ov = m->synth;
	return hg + r->tail_groups + 1;
}

/* A rule split at a lexicon: the first lead match, in PCRE2's order, whose
 * tail matches where it ends. */
static int run_lead_tail(struct matcher *m, const struct rule *r, const char *text, size_t len,
			 size_t from, const struct lead_matches *lm)
{
	for (size_t k = 0; k < lm->at.len; k++) {
		struct span lead = lm->at.items[k];
		if (lead.start < from)
			continue;
		const PCRE2_SIZE *lov = lm->ngroups ? lm->groups.items + 2 * (size_t)lm->ngroups * k
						    : NULL;
		int rc = run_tail(m, r, text, len, lead.start, lm->ngroups, lov,
				  (struct span){ lead.end, lead.end },
				  r->tail_keyed ? tail_key(m->rules, text, len, lead.end) : TAIL_TRY);
		if (rc)
			return rc;
	}
	return 0;
}

/* tail_key() after head match i, worked out once for the rules that
 * share the head. */
static int head_key(struct matcher *m, struct head_matches *hm, size_t i)
{
	if (hm->keys.items[i] == TAIL_UNSET)
		hm->keys.items[i] = tail_key(m->rules, hm->text, hm->len, hm->at.items[i].end);
	return hm->keys.items[i];
}

/* run_split(): the head hit a limit while it was enumerated further */
#define SPLIT_FAILED INT_MIN

/* The matches of neck ni where a head match ended, at byte pos: enumerated
 * the first time a rule asks, in PCRE2's order, with their groups, and kept
 * for the segment.  NULL when the neck hit a limit there. */
static const struct neck_place *neck_at(struct matcher *m, int ni, const char *text, size_t len,
					size_t pos)
{
	struct neck_matches *nm = &m->necks[ni];
	const struct neck *neck = &m->rules->necks.items[ni];
	if (nm->gen != m->gen || nm->text != text || nm->len != len) {
		nm->gen = m->gen;
		nm->text = text;
		nm->len = len;
		nm->places.len = 0;
		nm->ends.len = 0;
		nm->groups.len = 0;
		nm->keys.len = 0;
	}
	for (size_t k = nm->places.len; k-- > 0;)
		if (nm->places.items[k].at == pos)
			return nm->places.items[k].failed ? NULL : &nm->places.items[k];
	uint64_t t0 = m->cost ? now_ns() : 0;
	struct lead_matches *found = &m->neck_found;
	found->at.len = 0;
	found->groups.len = 0;
	found->ngroups = neck->groups;
	m->recording = found;
	int rc = matcher_match(m, neck->re, text, len, pos);
	m->recording = NULL;
	struct neck_place *p = array_push(&nm->places);
	*p = (struct neck_place){ (uint32_t)pos, (uint32_t)nm->ends.len, (uint32_t)found->at.len,
				  rc != PCRE2_ERROR_NOMATCH };
	for (size_t k = 0; k < found->at.len; k++) {
		*array_push(&nm->ends) = found->at.items[k].end;
		*array_push(&nm->keys) = TAIL_UNSET;
	}
	for (size_t k = 0; k < found->groups.len; k++)
		*array_push(&nm->groups) = found->groups.items[k];
	if (m->cost)
		count_nested(m, m->rules->rules.len + m->rules->heads.len + m->rules->leads.len +
					(size_t)ni, t0, found->at.len);
	return p->failed ? NULL : p;
}

/* The tail of r after head match at, through its neck when it has one:
 * after each of the neck's matches where the head match ends, in PCRE2's
 * order, the tail where a word of its starts follows (the neck's groups
 * between the head's and the tail's); else run_tail(). */
static int run_after_head(struct matcher *m, const struct rule *r, const char *text, size_t len,
			  size_t start, int lg, const PCRE2_SIZE *lead_ov, struct span at, int key)
{
	if (!r->neck)
		return run_tail(m, r, text, len, start, lg, lead_ov, at, key);
	int ni = r->neck - 1;
	const struct neck_place *p = neck_at(m, ni, text, len, at.end);
	if (!p)
		return SPLIT_FAILED;
	struct neck_matches *nm = &m->necks[ni];
	int ng = m->rules->necks.items[ni].groups;
	for (uint32_t k = p->first; k < p->first + p->count; k++) {
		size_t end = nm->ends.items[k];
		if (nm->keys.items[k] == TAIL_UNSET)
			nm->keys.items[k] = tail_key(m->rules, text, len, end);
		const PCRE2_SIZE *nov = ng ? nm->groups.items + 2 * (size_t)ng * k : NULL;
		int rc = run_tail_at(m, r, text, len, start, lg, lead_ov, at, ng, nov, end,
				     nm->keys.items[k]);
		if (rc)
			return rc;
	}
	return 0;
}

/* The first of the head's matches (in order of start) that starts at or
 * after byte at. */
static size_t head_first_at(const struct head_matches *hm, size_t at)
{
	size_t lo = 0, hi = hm->at.len;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (hm->at.items[mid].start < at)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

static int run_tail(struct matcher *m, const struct rule *r, const char *text, size_t len,
		    size_t start, int lg, const PCRE2_SIZE *lead_ov, struct span at, int key);

/* The rule's tail after each of the head's matches that start at pos, in
 * PCRE2's order, the first lg groups from lead_ov; the head enumerated
 * that far first for a rule with head_unbounded.  The tail's starts are
 * looked at after each head match, but for a rule with a mid, whose
 * starts are the lead's (run_mid). */
static int run_heads_at(struct matcher *m, const struct rule *r, const char *text, size_t len,
			struct head_matches *hm, size_t pos, size_t start, int lg,
			const PCRE2_SIZE *lead_ov)
{
	if (r->head_unbounded) {
		head_cover(m, r->head - 1, hm, text, len, pos);
		if (hm->failed)
			return SPLIT_FAILED;
	}
	for (size_t i = head_first_at(hm, pos); i < hm->at.len && hm->at.items[i].start == pos;
	     i++) {
		int rc = r->neck ? run_after_head(m, r, text, len, start, lg, lead_ov, hm->at.items[i],
						  TAIL_TRY)
				 : run_tail(m, r, text, len, start, lg, lead_ov, hm->at.items[i],
					    r->mid ? TAIL_TRY : head_key(m, hm, i));
		if (rc)
			return rc;
	}
	return 0;
}

/* A rule with a mid (rule.mid), after lead match k: where the lexicon's
 * words follow it, the mid's matches there in PCRE2's order, and after
 * each the head's matches there, each followed by the tail. */
static int run_mid(struct matcher *m, const struct rule *r, const char *text, size_t len,
		   struct head_matches *hm, const struct lead_matches *lm, size_t k)
{
	struct span lead = lm->at.items[k];
	if (r->tail_keyed) {
		int key = tail_key(m->rules, text, len, lead.end);
		if (key != TAIL_TRY && !has_start(m->rules, m->rules->tail_bits, r, key))
			return 0;
	}
	struct lead_matches *mm = &m->mid;
	mm->at.len = 0;
	mm->groups.len = 0;
	mm->ngroups = r->mid_groups;
	m->recording = mm;
	int rc = matcher_match(m, r->mid, text, len, lead.end);
	m->recording = NULL;
	if (rc != PCRE2_ERROR_NOMATCH)
		return SPLIT_FAILED;
	/* the groups of the lead match, then the mid's, before the head's */
	int lg = lm->ngroups, mg = r->mid_groups;
	PCRE2_SIZE *ov = m->mid_ov;
	if (lg)
		memcpy(ov, lm->groups.items + 2 * (size_t)lg * k, 2 * (size_t)lg * sizeof *ov);
	for (size_t j = 0; j < mm->at.len; j++) {
		if (mg)
			memcpy(ov + 2 * lg, mm->groups.items + 2 * (size_t)mg * j,
			       2 * (size_t)mg * sizeof *ov);
		rc = run_heads_at(m, r, text, len, hm, mm->at.items[j].end, lead.start, lg + mg, ov);
		if (rc)
			return rc;
	}
	return 0;
}

/* A rule split into head and tail: the first head match, in PCRE2's order,
 * whose tail matches where it ends is the match the whole pattern finds.
 * With a lead: the first lead match, in PCRE2's order, then the first head
 * match starting where it ends whose tail matches (or, with a mid, the
 * first mid match there, then the first head match after it). */
static int run_split(struct matcher *m, const struct rule *r, const char *text, size_t len,
		     size_t from, size_t limit, struct head_matches *hm,
		     const struct lead_matches *lm)
{
	if (!lm) {
		for (size_t i = 0; i < hm->at.len; i++) {
			struct span at = hm->at.items[i];
			if (at.start > limit)
				break;
			if (at.start < from)
				continue;
			int rc = r->neck ? run_after_head(m, r, text, len, at.start, 0, NULL, at, TAIL_TRY)
					 : run_tail(m, r, text, len, at.start, 0, NULL, at, head_key(m, hm, i));
			if (rc)
				return rc;
		}
		return 0;
	}
	for (size_t k = 0; k < lm->at.len; k++) {
		struct span lead = lm->at.items[k];
		if (lead.start < from || lead.end > limit)
			continue;
		/* a lead without groups has no offsets stored (items may be NULL) */
		const PCRE2_SIZE *lov = lm->ngroups ? lm->groups.items + 2 * (size_t)lm->ngroups * k
						    : NULL;
		int rc = r->mid ? run_mid(m, r, text, len, hm, lm, k)
				: run_heads_at(m, r, text, len, hm, lead.end, lead.start,
					       lm->ngroups, lov);
		if (rc)
			return rc;
	}
	return 0;
}

/* Where a split rule's head may start at the latest: its last required
 * word in text (docs/rules.md, "requires"), or SIZE_MAX. */
static size_t rule_limit(const struct matcher *m, const struct rule *r, const char *text,
			 size_t len)
{
	int ri = (int)(r - m->rules->rules.items);
	/* HOT_REQUIRES: requires.len && !head_unbounded, read from the packed
	 * flags rather than from a second cache line of the rule */
	if (r->head && (m->rules->hot[ri].flags & HOT_REQUIRES) && m->mark[ri] == m->gen &&
	    m->last[ri] >= text && m->last[ri] <= text + len)
		return (size_t)(m->last[ri] - text);
	return SIZE_MAX;
}

/* Every place in text[0..len) where a start of some rule's is (first.h):
 * each ASCII word start (the starts \b sees) with its word, each word
 * that begins with a digit, each mark; and, with the key -1, each U+017F
 * and U+212A, which match "s" and "k" without case, so that a rule could
 * start or go on at them where no start is. */
static void scan_starts(const asc_rules *r, const char *text, size_t len, start_hits *out)
{
	out->len = 0;
	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)text[i];
		if (is_word_byte(c)) {
			size_t e;
			int k = word_key(r, text, len, i, &e);
			if (k >= 0 && (size_t)k < r->rule_starts)
				*array_push(out) = (struct start_hit){ (uint32_t)i, (uint32_t)e, k };
			i = e - 1;
			continue;
		}
		if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || (c & 0xc0) == 0x80)
			continue;
		size_t e;
		int k = mark_key(r, text, len, i, &e);
		if (odd_at(text, len, i))
			*array_push(out) = (struct start_hit){ (uint32_t)i, (uint32_t)e, -1 };
		else if (k >= 0 && (size_t)k < r->rule_starts)
			*array_push(out) = (struct start_hit){ (uint32_t)i, (uint32_t)e, k };
	}
}

/* \b at text[i]: PCRE2 without UCP tells words by their ASCII letters,
 * digits and underscores. */
static bool word_boundary(const char *text, size_t len, size_t i)
{
	bool before = i > 0 && is_word_byte((unsigned char)text[i - 1]);
	bool after = i < len && is_word_byte((unsigned char)text[i]);
	return before != after;
}

/* A rule whose pattern is "\b{TABLE}\b" (rule.word_table) at text[i]:
 * the longest entry there that a word boundary follows, as the pattern
 * would take it; 1 with the match in m->synth, or 0. */
static int table_at(struct matcher *m, const struct rule *r, const char *text, size_t len,
		    size_t i)
{
	if (!word_boundary(text, len, i))
		return 0;
	struct lexcall_end ends[LEXCALL_MAX_DEPTH];
	int n = lexcall_match(&m->rules->lexcalls.items[r->word_table - 1], text, len, i, ends,
			      LEXCALL_MAX_DEPTH);
	for (int k = 0; k < n && k < LEXCALL_MAX_DEPTH; k++) {
		if (!word_boundary(text, len, ends[k].end))
			continue;
		m->synth[0] = i;
		m->synth[1] = ends[k].end;
		m->ov = m->synth;
		return 1;
	}
	return 0;
}

/* matcher_match() for a rule's whole pattern.  One compiled when it
 * first runs (rule_whole) may hold more groups, in its DEFINE block, than
 * the match data has room for: PCRE2 then fills the room there is and
 * returns 0. */
static int whole_match(struct matcher *m, const pcre2_code *re, const char *text, size_t len,
		       size_t at)
{
	int rc = matcher_match(m, re, text, len, at);
	return rc == 0 ? (int)pcre2_get_ovector_count(m->md) : rc;
}

static int try_at(struct matcher *m, const struct rule *r, const char *text, size_t len,
		  size_t i)
{
	if (r->word_table)
		return table_at(m, r, text, len, i);
	const pcre2_code *re = rule_whole(r);
	if (!re)
		return limit_hit(m, r, PCRE2_ERROR_MATCHLIMIT);
	int rc = whole_match(m, re, text, len, i);
	if (rc == PCRE2_ERROR_NOMATCH)
		return 0;
	return rc < 0 ? limit_hit(m, r, rc) : rc;
}

/* A rule that starts with known words: its anchored pattern tried where
 * they are, from the first, as a search would find the leftmost match.
 * The places come from one scan of the document being annotated, shared
 * by every stage and rule (or of the segment, for other text); a word cut
 * by either end of the segment is looked at again as the segment has it. */
/* A segment's starts (first.h), worked out once for all the rules tried on
 * it: the hits of the document's (or the segment's own) scan that fall in
 * it, whether one of them makes rules try every place, and the words its
 * ends cut. */
static struct start_range *start_range(struct matcher *m, const char *text, size_t len)
{
	const asc_rules *rs = m->rules;
	struct start_range *sr = &m->range;
	const start_hits *hits;
	size_t base = 0;
	const char *all = text;
	size_t all_len = len;
	if (m->doc && text >= m->doc->text && text + len <= m->doc->text + m->doc->len) {
		if (m->doc_hits_of != m->docs) {
			scan_starts(rs, m->doc->text, m->doc->len, &m->doc_hits);
			m->doc_hits_of = m->docs;
			m->scans++;
		}
		hits = &m->doc_hits;
		base = (size_t)(text - m->doc->text);
		all = m->doc->text;
		all_len = m->doc->len;
	} else {
		if (m->seg_gen != m->gen || m->seg_text != text || m->seg_len != len) {
			scan_starts(rs, text, len, &m->seg_hits);
			m->seg_gen = m->gen;
			m->seg_text = text;
			m->seg_len = len;
			m->scans++;
		}
		hits = &m->seg_hits;
	}
	if (sr->scan == m->scans && sr->hits == hits && sr->text == text && sr->len == len)
		return sr;
	sr->scan = m->scans;
	sr->hits = hits;
	sr->text = text;
	sr->len = len;
	sr->base = base;
	/* the hits in the segment: the first at or after base */
	size_t lo = 0, hi = hits->len;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (hits->items[mid].at < base)
			lo = mid + 1;
		else
			hi = mid;
	}
	size_t end = lo;
	while (end < hits->len && hits->items[end].at < base + len)
		end++;
	sr->lo = lo;
	sr->end = end;
	sr->every = false;
	for (size_t k = lo; k < end; k++)
		sr->every |= hits->items[k].key < 0;
	/* a word cut by the segment's end: its start, looked at as the
	 * segment has it */
	size_t cut_end = SIZE_MAX;
	if (len && base + len < all_len && is_word_byte((unsigned char)text[len - 1]) &&
	    is_word_byte((unsigned char)all[base + len])) {
		cut_end = len - 1;
		while (cut_end > 0 && is_word_byte((unsigned char)text[cut_end - 1]))
			cut_end--;
	}
	sr->cut_end = cut_end;
	/* at the segment's start: a word the start cuts (the document's scan
	 * saw no start there), or the one the end cuts, is looked at as the
	 * segment has it */
	sr->local0 = cut_end == 0 || (base > 0 && len && is_word_byte((unsigned char)all[base - 1]) &&
				      is_word_byte((unsigned char)text[0]));
	return sr;
}

/* Tries r at every character from `from`, as a search would. */
static int run_everywhere(struct matcher *m, const struct rule *r, const char *text, size_t len,
			  size_t from)
{
	for (size_t i = from; i <= len; i++) {
		if (i < len && ((unsigned char)text[i] & 0xc0) == 0x80)
			continue;
		int rc = try_at(m, r, text, len, i);
		if (rc)
			return rc;
	}
	return 0;
}

/* Whether text starts with one of the zero_starts of r (or with a
 * character that makes rules try anyway). */
static bool starts_text(const asc_rules *rs, const struct rule *r, const char *text, size_t len)
{
	if (!len)
		return false;
	size_t e, p = 0;
	/* "^\W*": the first word, after what \W takes (every byte of a
	 * character outside ASCII), unless that is a character that matches
	 * a letter without case */
	for (; r->zero_skip && p < len && !is_word_byte((unsigned char)text[p]); p++)
		if (odd_at(text, len, p))
			return true;
	if (p == len)
		return false;
	if (is_word_byte((unsigned char)text[p]))
		return has_start(rs, rs->zero_bits, r, word_key(rs, text, len, p, &e));
	return odd_at(text, len, 0) || has_start(rs, rs->zero_bits, r, mark_key(rs, text, len, 0, &e));
}

static int run_starts(struct matcher *m, const struct rule *r, const char *text, size_t len,
		      size_t from)
{
	const asc_rules *rs = m->rules;
	m->ov = pcre2_get_ovector_pointer(m->md);
	if (r->starts_zero && r->starts.len == 1) {
		if (from || (r->zero_starts.len && !starts_text(rs, r, text, len)))
			return 0;
		return try_at(m, r, text, len, 0);
	}
	struct start_range *sr = start_range(m, text, len);
	if (sr->every)
		return run_everywhere(m, r, text, len, from);
	const start_hits *hits = sr->hits;
	size_t base = sr->base, lo = sr->lo, end = sr->end, cut_end = sr->cut_end;
	bool local0 = sr->local0;
	if (!from) {
		bool at0 = r->starts_zero;
		size_t e;
		if (!at0 && local0)
			at0 = has_start(rs, rs->start_bits, r, word_key(rs, text, len, 0, &e));
		if (at0) {
			int rc = try_at(m, r, text, len, 0);
			if (rc)
				return rc;
		}
	}
	bool cut_tried = false;
	/* the rule's column of the start bits, looked at for every hit */
	size_t ri = (size_t)(r - rs->rules.items), stride = rs->start_stride;
	const uint64_t *column = rs->start_bits + ri / 64;
	uint64_t bit = (uint64_t)1 << (ri % 64);
	for (size_t k = lo; k < end; k++) {
		const struct start_hit *h = &hits->items[k];
		size_t i = h->at - base;
		if (i < from || (i == 0 && (r->starts_zero || local0)))
			continue;   /* tried above */
		if (i >= cut_end) {
			cut_tried = true;
			size_t e;
			if (i != cut_end || !has_start(rs, rs->start_bits, r, word_key(rs, text, len, i, &e)))
				continue;
		} else if (h->key < 0 || !(column[(size_t)h->key * stride] & bit)) {
			continue;
		}
		int rc = try_at(m, r, text, len, i);
		if (rc)
			return rc;
	}
	/* the cut word, when the document's scan had no start there */
	if (cut_end != SIZE_MAX && !cut_tried && cut_end >= from && cut_end > 0 &&
	    !is_word_byte((unsigned char)text[cut_end - 1])) {
		size_t e;
		if (has_start(rs, rs->start_bits, r, word_key(rs, text, len, cut_end, &e)))
			return try_at(m, r, text, len, cut_end);
	}
	return 0;
}

static int run_rule(struct matcher *m, const struct rule *r, const char *text, size_t len,
		    size_t from, size_t limit)
{
	if (r->head) {
		struct head_matches *hm = head_matches(m, r->head - 1, text, len);
		const struct lead_matches *lm = r->lead ? lead_matches(m, r->lead - 1, text, len)
							: NULL;
		if (!hm->failed && !(lm && lm->failed)) {
			int rc = run_split(m, r, text, len, from, limit, hm, lm);
			if (rc != SPLIT_FAILED)
				return rc;
		}
		/* too large for PCRE2 as a whole: no pattern to fall back on */
		if (!rule_whole(r))
			return limit_hit(m, r, PCRE2_ERROR_MATCHLIMIT);
	} else if (r->lead) {
		const struct lead_matches *lm = lead_matches(m, r->lead - 1, text, len);
		if (!lm->failed)
			return run_lead_tail(m, r, text, len, from, lm);
	}
	if (r->starts.len)
		return run_starts(m, r, text, len, from);
	m->ov = pcre2_get_ovector_pointer(m->md);
	const pcre2_code *re = rule_whole(r);
	if (!re)
		return limit_hit(m, r, PCRE2_ERROR_MATCHLIMIT);
	int rc = whole_match(m, re, text, len, from);
	if (rc == PCRE2_ERROR_NOMATCH)
		return 0;
	if (rc < 0)
		return limit_hit(m, r, rc);
	return rc;
}

/* Says once per document and segment that no rule ran on a segment over
 * ASC_MAX_SEGMENT_BYTES (docs/limits.md). */
static void segment_too_long(struct matcher *m, const char *text, size_t len)
{
	asc_doc *doc = m->doc;
	if (!doc || text < doc->text || text > doc->text + doc->len)
		return;
	char msg[200];
	snprintf(msg, sizeof msg,
		 "segment at code point %zu is %zu bytes long, over the limit of %d: no rule ran on it",
		 utf8_count(doc->text, (size_t)(text - doc->text)), len, ASC_MAX_SEGMENT_BYTES);
	for (size_t i = 0; i < doc->warnings.len; i++)
		if (!strcmp(doc->warnings.items[i].message, msg))
			return;
	doc_warn(doc, -1, "%s", msg);
}

static int match_rule(struct matcher *m, const struct rule *r, const char *text,
		       size_t len, size_t from);

int matcher_run(struct matcher *m, const struct rule *r, const char *text,
		size_t len, size_t from)
{
	if (!m->cost)
		return match_rule(m, r, text, len, from);
	uint64_t t0 = now_ns(), nested = m->nested;
	int rc = match_rule(m, r, text, len, from);
	struct match_cost *c = &m->cost[r - m->rules->rules.items];
	c->calls++;
	c->matches += rc > 0;
	c->ns += now_ns() - t0 - (m->nested - nested);
	return rc;
}

/* What matcher_run() does, without the counting of --profile */
static int match_rule(struct matcher *m, const struct rule *r, const char *text,
		       size_t len, size_t from)
{
	if (!r->re && !r->head && !r->lazy)
		return 0;
	/* PCRE2's JIT does not count every step against the match limit: a
	 * pattern can take quadratic time over a very long run of letters */
	if (len > ASC_MAX_SEGMENT_BYTES) {
		segment_too_long(m, text, len);
		return 0;
	}
	size_t limit = rule_limit(m, r, text, len);
	if (!r->same)
		return run_rule(m, r, text, len, from, limit);
	struct shared_match *sm = &m->shared[r->same - 1];
	if (sm->gen == m->gen && sm->text == text && sm->len == len && sm->from == from &&
	    sm->limit == limit) {
		m->ov = sm->ov;
		return sm->rc;
	}
	int rc = run_rule(m, r, text, len, from, limit);
	if (rc < 0)
		return rc;  /* a limit: each rule sharing it says so itself */
	*sm = (struct shared_match){ m->gen, text, len, from, limit, rc, sm->ov };
	/* groups past rc are read too: they are unset */
	if (rc > 0)
		memcpy(sm->ov, m->ov, 2 * ((size_t)m->rules->max_groups + 1) * sizeof *sm->ov);
	m->ov = sm->ov;
	return rc;
}

bool matcher_group(const struct matcher *m, int g, uint32_t base, struct span *out)
{
	if (g <= 0)
		return false;
	const PCRE2_SIZE *ov = m->ov;
	if (ov[2 * g] == PCRE2_UNSET)
		return false;
	out->start = base + (uint32_t)ov[2 * g];
	out->end = base + (uint32_t)ov[2 * g + 1];
	return true;
}

/* ---- public API ------------------------------------------------------- */

asc_annotator *asc_annotator_new(const asc_rules *rules)
{
	asc_annotator *an = xcalloc(1, sizeof *an);
	matcher_init(&an->m, rules);
	return an;
}

void asc_annotator_free(asc_annotator *an)
{
	if (!an)
		return;
	matcher_free(&an->m);
	free(an);
}

asc_status asc_annotate(asc_annotator *an, const char *text, size_t len,
			const asc_docinfo *info, asc_doc **out, asc_error *err)
{
	*out = NULL;
	if (len > UINT32_MAX - 16) {
		if (err) {
			memset(err, 0, sizeof *err);
			err->status = ASC_ERR_LIMIT;
			snprintf(err->message, sizeof err->message,
				 "document of %zu bytes is over the 4 GiB limit", len);
		}
		return ASC_ERR_LIMIT;
	}
	asc_doc *doc = doc_read(text, len, info);
	doc->rules = an->m.rules;
	matcher_begin(&an->m, doc);
	segment_document(doc);
	blocks_classify(doc, &an->m);
	spot_entities(doc, &an->m);
	attribute_sentences(doc, &an->m);
	resolve_speakers(doc);
	label_sentences(doc, &an->m);
	matcher_begin(&an->m, NULL);
	*out = doc;
	return ASC_OK;
}

void asc_doc_free(asc_doc *doc)
{
	if (!doc)
		return;
	free(doc->text);
	free(doc->id);
	free(doc->outlet);
	free(doc->url);
	free(doc->date);
	free(doc->title);
	free(doc->source);
	array_free(&doc->tokens);
	array_free(&doc->paragraphs);
	array_free(&doc->sentences);
	array_free(&doc->entities);
	strmap_free(&doc->entity_by_last);
	strmap_free(&doc->entity_by_word);
	for (size_t i = 0; i < doc->entity_lists.len; i++)
		array_free(&doc->entity_lists.items[i]);
	array_free(&doc->entity_lists);
	array_free(&doc->entity_outlets);
	array_free(&doc->mentions);
	array_free(&doc->attributions);
	array_free(&doc->pieces);
	array_free(&doc->reasons);
	array_free(&doc->evidence);
	for (size_t i = 0; i < doc->warnings.len; i++)
		free(doc->warnings.items[i].message);
	array_free(&doc->warnings);
	arena_free(&doc->arena);
	free(doc);
}

size_t asc_doc_warning_count(const asc_doc *doc)
{
	return doc->warnings.len;
}

const char *asc_doc_warning(const asc_doc *doc, size_t i, long *offset)
{
	if (i >= doc->warnings.len)
		return NULL;
	if (offset)
		*offset = doc->warnings.items[i].offset;
	return doc->warnings.items[i].message;
}

size_t asc_doc_sentence_count(const asc_doc *doc)
{
	return doc->sentences.len;
}

void asc_error_format(const asc_error *err, char *out, size_t size)
{
	if (err->file[0] && err->line > 0)
		snprintf(out, size, "%s:%d:%d: %s", err->file, err->line,
			 err->column, err->message);
	else if (err->file[0])
		snprintf(out, size, "%s: %s", err->file, err->message);
	else
		snprintf(out, size, "%s", err->message);
}

static bool is_dir(const char *path)
{
	struct stat st;
	return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

char *asc_rules_default_dir(const char *argv0)
{
	const char *env = getenv("ASCRIBE_RULES");
	if (env && *env)
		return xstrdup(env);
	char exe[PATH_MAX];
	ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
	if (n > 0) {
		exe[n] = '\0';
	} else if (argv0 && strchr(argv0, '/')) {
		snprintf(exe, sizeof exe, "%s", argv0);
	} else {
		exe[0] = '\0';
	}
	char *slash = strrchr(exe, '/');
	if (slash) {
		*slash = '\0';
		static const char *const rel[] = {
			"rules", "../rules", "../../rules", "../share/ascribe/rules",
		};
		for (size_t i = 0; i < sizeof rel / sizeof *rel; i++) {
			buf path = { 0 };
			buf_printf(&path, "%s/%s", exe, rel[i]);
			if (is_dir(path.data))
				return buf_detach(&path);
			buf_free(&path);
		}
	}
	if (is_dir(ASC_DATADIR "/rules"))
		return xstrdup(ASC_DATADIR "/rules");
	return NULL;
}
