/* rules.h - the compiled rule set (internal).  Built once by rules.c from
 * the YAML files described in docs/rules.md, then only read. */
#ifndef ASC_RULES_H
#define ASC_RULES_H

#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>
#include <stdatomic.h>

#include "ascribe.h"
#include "util.h"

enum stage { STAGE_BLOCK, STAGE_SPOT, STAGE_ATTRIBUTE, STAGE_LABEL, STAGE_COUNT };

enum kind {
	KIND_BODY, KIND_HEADLINE, KIND_CAPTION, KIND_DATELINE, KIND_BYLINE,
	KIND_BOILERPLATE, KIND_COUNT
};

enum label { LABEL_NONE = -1, LABEL_FACT = 0, LABEL_OPINION = 1 };

/* What the label stage decides for a sentence, each between two sides:
 * the label (fact, opinion), the voice (the outlet's own, or someone
 * else's it reports) and whether a fact-checker would check it.  A label
 * rule weighs for one side: side = 2 * field + (0 or 1). */
enum label_field { LF_LABEL, LF_VOICE, LF_CHECK, LF_COUNT };
enum label_side {
	SIDE_FACT, SIDE_OPINION,                /* LF_LABEL */
	SIDE_AUTHOR, SIDE_ATTRIBUTED,           /* LF_VOICE */
	SIDE_NOT_CHECKWORTHY, SIDE_CHECKWORTHY, /* LF_CHECK */
	SIDE_COUNT
};
extern const char *const label_field_names[LF_COUNT];
extern const char *const label_side_names[SIDE_COUNT];

/* The mapping from a field's weights to a decision, fitted on the tune
 * split (scripts/fit-calibration.py, docs/label-rules.md):
 * z = slope * (w[second] - w[first]) + intercept, the second side when
 * z > 0.  The label's score, how likely the label given is right, is
 * fitted apart, on the calibrate split: 1 / (1 + exp(-(score_slope * |z| +
 * score_intercept))). */
struct calibration {
	double slope, intercept;
	double score_slope, score_intercept;
};

enum entity_type { ET_PERSON, ET_ORGANISATION, ET_OUTLET, ET_GROUP, ET_COUNT };

extern const char *const kind_names[KIND_COUNT];
extern const char *const stage_names[STAGE_COUNT];
extern const char *const entity_type_names[ET_COUNT];
extern const char *const attribution_types[];   /* NULL-terminated */

/* Where something was written: file names are owned by asc_rules. */
struct place {
	const char *file;
	int line, col;
};

struct lexicon {
	char *name;
	char *description;
	bool caseless;
	ARRAY(char *) words;
	strmap set;          /* entry (lower-cased when caseless) -> 1 */
	strmap prefixes;     /* every leading part of an entry, for lexicon_starts() */
	char *regex;         /* the alternation, built on first use */
	/* 1 + index into asc_rules.lexcalls of the table that matches it;
	 * 0: not yet decided; -1: it is matched by its alternation */
	int call;
	int max_words;       /* longest entry, in words */
	struct place at;
	/* inflect: verbs — the entries are lemmas, "base|past|participle|ing=x" */
	bool verbs;
	ARRAY(char *) lemmas;
	/* from: LEXICON, forms: [...] — words made from another's lemmas */
	char *from;
	unsigned forms;      /* 1 << enum verb_form */
	struct place from_at;
};

/* A large lexicon matched through a callout (docs/rules.md, "Large
 * lexicons"): its entries as the callout compares them, a run of spaces as
 * one, lower-cased when it folds case, sorted and unique. */
struct lexcall {
	char **entries;
	size_t n;
	bool fold;           /* ASCII letters compared without case (a caseless lexicon) */
	int depth;           /* most entries that match at one place */
	/* The entries as a trie in one array of cells, each node where its
	 * parent's search goes next: a header cell (LEXNODE_END when an entry
	 * ends there, the number of children in bits 1-9); a node with one
	 * child has its byte in bits 16-23 and the child in the next cell;
	 * with more, (n + 3) / 4 cells of the children's bytes, in order,
	 * then n cells of their places.  root[] is the place of the node
	 * after each first byte (0: none; cell 0 is not a node). */
	uint32_t *cells;
	uint32_t root[256];
	char *body;          /* what the patterns that call it compile (rules.c) */
};

#define LEXNODE_END 1u

/* An entry found in the text: where it ends. */
struct lexcall_end {
	size_t end;
};

/* The most entries of a callout lexicon that may match at one place. */
#define LEXCALL_MAX_DEPTH 8
/* The callouts.  An entry is picked by a string callout: a character, the
 * rank of the entry (longest first) from LEXCALL_PICK, then the table's
 * index.  After a pick, LEXCALL_END_CALLOUT asks whether a run of ASCII
 * letters took the text to the entry's end; otherwise the text is taken a
 * character at a time, LEXCALL_END_CALLOUT asking after each whether the
 * entry's end is reached. */
#define LEXCALL_PICK '0'
#define LEXCALL_END_CALLOUT 3

/* The entries of lc that text[at..len) starts with, as PCRE2 would match
 * the lexicon's alternation there, longest first, at most max of them.
 * Returns how many there are. */
int lexcall_match(const struct lexcall *lc, const char *text, size_t len, size_t at,
		  struct lexcall_end *ends, int max);

enum verb_form { VF_BASE, VF_S, VF_PAST, VF_PARTICIPLE, VF_ING, VF_COUNT };

struct macro {
	char *name;
	char *source;        /* as written */
	char *expanded;      /* body after expansion, NULL until done */
	int state;           /* 0 new, 1 expanding, 2 done: cycle detection */
	bool captures;       /* holds a named group: expanded inline */
	bool *uses_macro;    /* macros and lexicons the body calls */
	bool *uses_lexicon;
	int_list lexicons;   /* the lexicons of uses_lexicon, listed when
			      * first wanted (define_used) */
	bool listed;
	int_list calls;      /* the groups the body calls, once a call
			      * (twice where copied), when first counted */
	bool counted;
	struct place at;
};

struct outlet {
	char *name;
	ARRAY(char *) aliases;
};

struct nominal {
	ARRAY(char *) words;
	ARRAY(char *) roles;
	int refers_to;       /* enum entity_type */
};

struct capture {
	char *group;
	char *text;          /* NULL: the group must not take part */
};

struct example {
	char *text;
	bool match;
	ARRAY(struct capture) captures;
	struct place at;
};

/* Conditions of a block rule; -1 means "not given". */
struct when {
	int terminal, max_words, min_words, repeated, repeats_later, first,
	    before_body, title_case, in_run, after_kind;
};

/* Capture group numbers of a pattern, 0 when it has no such group. */
/* Classes of token a rule may require instead of words: "#digit" (a word
 * holding a digit) and "#quote" (a quotation mark standing alone). */
enum { TOKEN_CLASSES = 2 };
extern const struct token_class {
	const char *name;
	uint32_t flag;
} token_classes[TOKEN_CLASSES];

struct groups {
	int speaker, cue, cue2, content, outlet, listener, role, person, org;
};

/* A pattern head "(?<group>{MACRO})" that several rules open with.  Its
 * matches in a segment are enumerated once, every start and every end in
 * the order PCRE2 would try them, and each such rule then runs only its
 * tail, anchored where the head ended (see matcher_run). */
struct head {
	char *macro;
	bool word_start;     /* opens with \b or {WORD_START}: only word starts can start it */
	pcre2_code *re;      /* (?:{MACRO})(?C1)(*FAIL), anchored */
	/* Where a lower-case ASCII word starts, what a match there must have
	 * in its first chunks (first_word_chunks()): a word -> its bits,
	 * HEAD_WHOLE << C where it is the word of chunk C, HEAD_PREFIX << C
	 * where that word begins with it.  keyed false: tried at every word
	 * start. */
	bool keyed;
	bool keyed_zero;     /* a match may start at the start of the text */
	strmap keys;
	uint64_t *key_bloom; /* first_bloom_add() of head_key_hash() of the keys */
	uint8_t prefixed;    /* HEAD_PREFIX << C where chunk C has prefix keys */
};

enum { HEAD_WHOLE = 1, HEAD_PREFIX = 16 };

/* The hash that key_bloom holds for a key of first_hash() h looked up as
 * bits (HEAD_WHOLE << C or HEAD_PREFIX << C): each kind of look-up has
 * bits of its own, so that the many short prefixes of the text's words
 * meet few whole keys. */
static inline uint32_t head_key_hash(uint32_t h, int bits)
{
	h = h * 0x9e3779b1u + (uint32_t)bits * 0x85ebca77u;
	return h ^ (h >> 15);
}

/* What comes before a shared head in a pattern that does not open with it,
 * its lead: "^(?<content>.{6,}?),{SP}" before "(?<speaker>{SPEAKER})".  The
 * lead's matches in a segment are enumerated once, every start and end (and
 * its groups) in the order PCRE2 would try them, and rules with the same
 * lead share them.  Its rule then tries the head's matches that start where
 * a lead match ends (see matcher_run). */
struct lead {
	char *source;
	pcre2_code *re;      /* (?:LEAD)(?C2)(*FAIL) */
	int groups;          /* capture groups of the lead before its DEFINE */
};

/* What comes between a shared head and the rest of a rule's tail, shared
 * by the rules with the same head and the same text there:
 * "(?:{APPOSITIVE})?{PRE_CUE}{SP}" between "(?<speaker>{SPEAKER})" and
 * "(?<cue>{CUE_VERB})...".  Where a head match ends, its matches are
 * enumerated once for all those rules, in PCRE2's order, with its groups;
 * each rule's tail (the rest) then runs only after those of its matches
 * that a word of the tail's starts follows (docs/rules.md, "Shared
 * heads"). */
struct neck {
	char *source;
	int head;            /* 1 + index into asc_rules.heads */
	pcre2_code *re;      /* (?:NECK)(?C2)(*FAIL), anchored */
	int groups;          /* capture groups of the neck before its DEFINE */
};

/* The whole pattern of a rule split at a head or lead, compiled when it
 * first runs (rule_whole). */
struct lazy_whole {
	_Atomic(pcre2_code *) re;
	atomic_bool refused;      /* PCRE2 refused it: too large */
	uint32_t options;
	pcre2_code *numbering;    /* the stand-in it was split by: the
				   * groups' names and numbers (rule_group) */
};

struct rule {
	/* What running the rule reads, first, so that it shares few cache
	 * lines: at 25 times the rules, the rules no longer stay in the
	 * caches between runs */
	pcre2_code *re;      /* NULL when lazy */
	struct lazy_whole *lazy;  /* a split rule's whole pattern, until
				   * it runs (whole_stand_in in rules.c) */
	pcre2_code *tail;    /* the rest of the pattern, anchored */
	pcre2_code *mid;     /* split at its lexicon, with a shared head in
			      * the tail: what comes between the lead and the
			      * head (split_mid in rules.c), anchored, with a
			      * callout at each end */
	int mid_groups;      /* capture groups of mid before its DEFINE */
	int head;            /* 1 + index into asc_rules.heads, or 0 */
	int lead;            /* 1 + index into asc_rules.leads, or 0: opens with the head */
	int neck;            /* 1 + index into asc_rules.necks, or 0: the tail
			      * follows the head */
	int same;            /* 1 + index of a match shared with rules of the same pattern, or 0 */
	int word_table;      /* 1 + index into asc_rules.lexcalls when the
			      * pattern is "\b{LEXICON}\b" (or "(?i)\b{LEXICON}\b")
			      * and the lexicon a table: looked up in place
			      * of running re (annotate.c, table_at) */
	str_list starts;     /* first.h: every match starts with one of these
			      * words, lower-cased; re is anchored and tried
			      * only where they start.  Empty: re is searched */
	bool starts_zero;    /* starts holds FIRST_AT_START */
	bool tail_keyed;
	int tail_groups;     /* capture groups of the tail before its DEFINE */
	str_list zero_starts;  /* when starts is FIRST_AT_START alone: what
				* may stand at the start of the text, when
				* known (first_words_at_start) */
	bool zero_skip;      /* "^\W*": zero_starts stand after whatever is
			      * not a word character at the start */
	str_list requires;   /* lower-cased trigger words */

	char *id;
	char *description;
	enum stage stage;
	int kind;            /* block rules: enum kind */
	int type;            /* attribute rules: index into attribution_types */
	int label;           /* label rules: enum label, or -1 for a voice or check rule */
	int side;            /* label rules: enum label_side */
	double weight;
	bool prefix;         /* block rules: claim only the matched prefix */
	bool silent;         /* attribute rules: does not give the sentence a speaker */
	unsigned segments;   /* attribute rules: 1 << kind of the segments it runs on; 0: default */
	char *pattern;       /* expanded; NULL for a when-only block rule */
	struct groups g;
	char *head_group;    /* the name of the head's group */
	char *tail_source;   /* the tail as written, until the necks are found */
	bool head_unbounded; /* split with a lead that may hold its required
			      * words: its head is looked for to the end of
			      * the segment, not only up to them */
	str_list tail_starts;  /* first.h: the starts of the tail after white
				* space, when known (tail_keyed) */
	str_list also;       /* also_requires: the segment must hold one of
			      * these too (words, {LEXICON}s, #classes) */
	uint32_t also_classes;    /* the token classes among them */
	ARRAY(struct example) examples;
	struct when when;
	struct place at;
	struct place pattern_at;
	struct place requires_at;
	struct place also_at;
};

/* What choosing a segment's candidate rules reads of each rule, packed
 * (asc_rules.hot, matcher_candidates): a struct rule a candidate would
 * touch is some cache lines of its own. */
struct rule_hot {
	uint32_t head;       /* rule.head */
	uint16_t also_classes;
	uint16_t flags;      /* HOT_REQUIRES, HOT_ALSO, HOT_UNBOUNDED, HOT_LABEL */
};
/* HOT_REQUIRES: its required words bound where its head may start;
 * HOT_UNBOUNDED: rule.head_unbounded; HOT_LABEL: a rule of the label
 * stage (a sentence's reasons are read off its evidence by it) */
enum { HOT_REQUIRES = 1, HOT_ALSO = 2, HOT_UNBOUNDED = 4, HOT_LABEL = 8 };

/* A rule a word triggers; for a required phrase, the word must be followed
 * by the phrase's next word (lower-cased; NULL for a one-word entry). */
struct trigger {
	int rule;
	char *next;          /* the word that must come next (lower-cased), or NULL */
	size_t next_len;
	bool also;           /* a word of the rule's also_requires */
};
typedef ARRAY(struct trigger) trigger_list;

/* What one word triggers, stage by stage, while the rules are compiled. */
struct trigger_word {
	trigger_list stage[STAGE_COUNT];
};

/* The same, packed once the rules are compiled (pack_triggers()): with f
 * = trig_first + w * (STAGE_COUNT + 1), the triggers of word w for stage
 * s are trig[f[s], f[s + 1]), a word's stages one after the other, and
 * the next words of phrases are in one block of text, trig_next.  A word
 * the text has reads its triggers from a cache line or two. */
struct trig {
	int32_t rule;
	uint32_t next;       /* where the next word starts in trig_next */
	uint32_t next_len;   /* 0: a one-word entry */
	bool also;
};

/* The lexicons the stages read by name (docs/pipeline.md), looked up once
 * when the rules are compiled; NULL where a rule set has none. */
struct named_lexicons {
	const struct lexicon *title, *nationality, *role_noun, *vague, *vague_pre, *org,
		*org_common, *document, *particle, *determiner, *connector, *relative,
		*indefinite, *article, *outlet_noun, *pron_person, *pron_group, *pron_thing,
		*pron_first, *pron_male, *pron_female, *male_word, *female_word, *given_male,
		*given_female, *abbrev, *abbrev_maybe_end, *sentence_starter, *cue_aux,
		*cue_time, *weekday, *month, *cue_verb_ing, *cue_prep, *complementizer;
};

struct asc_rules {
	ARRAY(char *) files;
	ARRAY(struct lexicon) lexicons;
	strmap lexicon_index;
	ARRAY(struct macro) macros;
	strmap macro_index;
	ARRAY(struct outlet) outlets;
	strmap outlet_phrases;    /* exact name or alias -> outlet index */
	strmap outlet_starts;     /* the first token of every outlet phrase */
	uint64_t *outlet_bloom;   /* first_bloom_add() of those tokens */
	int outlet_max_words;
	ARRAY(struct nominal) nominals;
	strmap nominal_index;     /* lower-cased phrase -> nominal index */
	int nominal_max_words;
	ARRAY(struct rule) rules;
	struct rule_hot *hot;     /* one per rule */
	/* The rules' ids one after the other, each ended by a NUL: rule i's
	 * is at id_pool + id_at[i], id_at[i + 1] - id_at[i] - 1 bytes long.
	 * Writing a document reads them there, not from each rule. */
	char *id_pool;
	uint32_t *id_at;
	/* Each rule's when, packed: the block stage weighs every block rule
	 * against every line, and most fail it before they run */
	struct when *whens;
	struct named_lexicons lex;
	ARRAY(struct head) heads;
	ARRAY(struct lead) leads;
	ARRAY(struct neck) necks;
	ARRAY(struct lexcall) lexcalls;
	int shared_matches;       /* patterns that more than one rule has */
	pcre2_code *channel;      /* (?:{CUE_CHANNEL}), anchored; NULL without it */
	/* JIT code made for the patterns (jit_compile), how many have it and
	 * how many are interpreted, past the budget (bytes) */
	size_t jit_bytes, jit_patterns, interpreted, jit_budget;
	strmap rule_ids;
	int max_groups;           /* most capture groups in one pattern */
	struct calibration calibration[LF_COUNT];
	double speaker_weight;    /* a found speaker's weight for the attributed voice */

	/* Prefilter: a lower-cased word -> index into triggers, the list of
	 * rules that need it.  Rules with no requires are in always[stage]. */
	strmap trigger_index;
	uint64_t *trigger_bloom;  /* first_bloom_add() of the trigger words */
	ARRAY(struct trigger_word) triggers;   /* emptied by pack_triggers() */
	size_t trigger_words;     /* how many triggers.len was */
	uint32_t *trig_first;     /* struct trig: where each word's start */
	struct trig *trig;
	char *trig_next;
	int_list always[STAGE_COUNT];
	/* rules that require a class of token, "#digit" or "#quote" */
	int_list classed[TOKEN_CLASSES][STAGE_COUNT];
	bool also_any;            /* some rule has also_requires */
	/* Rules that start with known words (first.h): a start (but
	 * FIRST_AT_START) -> its index; per start, start_stride words of
	 * bits, one per rule that has it, as many for the rules whose tail
	 * has it, and as many for the rules that have it among their
	 * zero_starts; a bit per hash of a start. */
	strmap start_index;
	size_t start_count, start_stride;
	size_t rule_starts;       /* the starts below this index are rules' own */
	uint64_t *start_bits, *tail_bits, *zero_bits;
	uint64_t *start_bloom;
};

/* Rule i's id and its length (asc_rules.id_pool). */
static inline const char *rule_id_of(const asc_rules *r, size_t i, size_t *len)
{
	*len = r->id_at[i + 1] - r->id_at[i] - 1;
	return r->id_pool + r->id_at[i];
}

/* The number of a rule's named group, 0 when it has none: of its whole
 * pattern (or the stand-in it was split by, rule.lazy), or, for a split
 * rule too large for PCRE2 as a whole, numbered as the whole would be (the
 * lead's groups, the head's, the neck's, the tail's). */
int rule_group(const struct rule *rule, const asc_rules *r, const char *name);

/* The whole pattern of a rule: re, or for a rule split at a head or lead
 * (rule.lazy), compiled when it first runs, once for all threads; NULL
 * when there is none (too large for PCRE2). */
const pcre2_code *rule_whole_lazily(const struct rule *rule);
static inline const pcre2_code *rule_whole(const struct rule *rule)
{
	return rule->re ? rule->re : rule_whole_lazily(rule);
}

/* Lexicon by name, or NULL. */
const struct lexicon *rules_lexicon(const asc_rules *r, const char *name);
/* Whether lex holds s[0..n) (case-folded when the lexicon is caseless). */
bool lexicon_has(const struct lexicon *lex, const char *s, size_t n);
/* Whether some entry of lex begins with s[0..n): always true for a lexicon
 * whose leading parts were not indexed (only those the spotter reads
 * phrase by phrase are). */
bool lexicon_starts(const struct lexicon *lex, const char *s, size_t n);

/* Match limits every pattern runs under (docs/limits.md). */
#define ASC_MATCH_LIMIT 200000
#define ASC_DEPTH_LIMIT 2000
#define ASC_HEAP_LIMIT_KIB 4096

/* Megabytes of JIT code made for a rule set's patterns; past them,
 * patterns are interpreted (docs/performance.md, "JIT code within a
 * budget").  ASCRIBE_JIT_BUDGET_MB in the environment changes it. */
#define ASC_JIT_BUDGET_MB 2

/* Rules run on no segment (a line for block rules, a sentence for the
 * others) longer than this many bytes. */
#define ASC_MAX_SEGMENT_BYTES (64 * 1024)

/* The most a pattern or macro may grow to when its macros are expanded
 * (before the lexicons it calls are appended; docs/limits.md). */
#define ASC_MAX_EXPANDED_BYTES (1 << 20)

#endif
