/* doc.h - the document model every stage reads and adds to.
 *
 * All offsets here are byte offsets into doc->text, end exclusive; the
 * writers convert them to code points.  Strings the stages make (names,
 * roles) live in doc->arena and die with the document. */
#ifndef ASC_DOC_H
#define ASC_DOC_H

#include "rules.h"

struct span {
	uint32_t start, end;
};

enum token_flag {
	TOK_WORD = 1,        /* letters or digits */
	TOK_CAP = 2,         /* starts with an upper-case letter */
	TOK_NUM = 4,         /* starts with a digit */
	TOK_PUNCT = 8,
	TOK_QUOTE_OPEN = 16,
	TOK_QUOTE_CLOSE = 32,
	TOK_SENT_END = 64,   /* . ! ? or ellipsis */
	TOK_DIGIT = 128,     /* a word holding an ASCII digit (requires: ["#digit"]) */
	TOK_QUOTE_MARK = 256 /* " ' \u201c \u201d \u2018 \u2019 \u00ab \u00bb \u201e standing
			      * alone, whether or not it pairs (requires: ["#quote"]) */
};

struct token {
	uint32_t start, end;
	uint32_t flags;
	int32_t trigger;     /* 0: not looked up; -1: no rule needs the word;
			      * k + 1: index k into rules->triggers */
};

typedef ARRAY(struct token) token_list;

struct paragraph {
	uint32_t start, end;
	uint32_t first_sentence, sentence_count;
	int kind;
	int rule;            /* block rule that decided the kind, or -1 */
	uint32_t tok_first, tok_count;
};

/* How a speaker was found (the "resolved" member of the output). */
enum resolution {
	RES_EXPLICIT,        /* named in the sentence */
	RES_NAME,            /* a short name ("Lavrov") matched a full one */
	RES_PRONOUN,         /* "he", "she", "they" */
	RES_NOMINAL,         /* "the minister", "the newspaper" */
	RES_QUOTE            /* inside a quotation opened by an attributed sentence */
};
extern const char *const resolution_names[];

/* A person, organisation, outlet or group that the document mentions. */
struct entity {
	const char *name;
	const char *role;    /* may be NULL */
	int type;            /* enum entity_type */
	bool anonymous;
	uint32_t last_sentence;
	bool spoke;          /* has been a speaker */
	int gender;          /* enum gender: from a title or role, or a pronoun */
};

enum gender { G_UNKNOWN, G_MALE, G_FEMALE };

/* One mention of a speaker: where it is and what it resolves to. */
/* speaker.pending of a first-person source: the speaker of the quotation
 * it stands in, or nobody (docs/attribution.md) */
#define PENDING_FIRST (-2)

struct speaker {
	int entity;          /* index into doc->entities, -1 if none */
	int pending;         /* resolve stage: a pronoun's entity_type, or
			      * ET_COUNT + nominal index; PENDING_FIRST for
			      * "I" or "we"; -1 when resolved */
	struct span at;      /* the source span as written */
	int resolved;        /* enum resolution */
	int gender;          /* a he/she pronoun's enum gender */
};

struct attribution {
	uint32_t sentence;
	struct speaker source;
	struct span source_np;   /* the whole source phrase, appositive included */
	struct span cue;         /* the cue word(s) the sentence reports */
	struct span cue_group;   /* the cue with its verb group (attributions[]) */
	struct span cue2;    /* second part of a split cue, or 0,0 */
	struct span content;
	int outlet;          /* entity index or -1 */
	struct span outlet_at;
	int type;            /* index into attribution_types */
	int rule;
	bool dropped;        /* resolve found it to report nothing: not written */
};

struct sentence {
	uint32_t start, end;
	uint32_t paragraph;
	uint32_t tok_first, tok_count;
	int kind;
	int label;           /* enum label */
	double label_score;
	int voice;           /* SIDE_AUTHOR or SIDE_ATTRIBUTED; -1 without a label */
	int checkworthy;     /* 1, 0, or -1 without a label */
	uint32_t evidence_first, evidence_count;   /* into doc->evidence */
	int attribution;     /* the attribution that gives speaker/cue, or -1 */
	int continues;       /* the attribution whose quotation it carries on, or -1 */
	struct speaker speaker;   /* entity -1 when nobody speaks */
	int outlet;          /* entity index or -1 */
	struct span outlet_at;
	uint32_t reasons_first, reasons_count;   /* into doc->reasons */
	int quote_depth;     /* > 0: the sentence starts inside a quotation */
};

/* What a label-stage decision weighed: a rule that matched (its first
 * match), or the speaker the attribute and resolve stages found. */
struct evidence {
	int rule;            /* the label rule, or the attribution rule for a speaker */
	int side;            /* enum label_side */
	double weight;
	struct span at;
};

/* A further piece of an attribution's content: a quotation that goes on
 * in other sentences. */
struct piece {
	int attribution;
	struct span at;
};

/* An outlet or person spotted in a sentence (not necessarily speaking). */
struct mention {
	uint32_t sentence;
	struct span at;
	int entity;
};

struct warning {
	long offset;
	char *message;
};

typedef ARRAY(struct sentence) sentence_list;

struct asc_doc {
	char *text;          /* valid UTF-8, NUL-terminated */
	size_t len;
	char *id, *outlet, *url, *date, *title, *source;
	const asc_rules *rules;
	token_list tokens;
	ARRAY(struct paragraph) paragraphs;
	sentence_list sentences;
	ARRAY(struct entity) entities;
	/* The entities found by what a look-up needs, so that no look-up
	 * walks every entity of a long document: by type and the last word of
	 * the name (which a longer name of the same person keeps), by type
	 * and each word of the name or a role it ever had, and the outlets.
	 * Each list is in order of entity index; strmap values index lists.
	 * Made only once a document has ENTITY_INDEX_FROM entities (spot.c):
	 * until then, look-ups walk the few there are. */
	bool entity_indexed;
	strmap entity_by_last, entity_by_word;
	ARRAY(int_list) entity_lists;
	int_list entity_outlets;
	ARRAY(struct mention) mentions;
	ARRAY(struct attribution) attributions;
	ARRAY(struct piece) pieces;   /* in order of attribution, then position */
	ARRAY(int) reasons;  /* rule indices */
	ARRAY(struct evidence) evidence;
	ARRAY(struct warning) warnings;
	arena arena;
};

/* Where a shared head matched in the current segment: every start and end
 * in the order PCRE2 tries them. */
struct head_matches {
	uint32_t gen;        /* matcher generation it was made in, 0: never */
	const char *text;
	size_t len;
	uint32_t limit_gen;  /* generation in which limit was set */
	const char *limit;   /* no candidate can start after this byte */
	bool lazy;           /* only rules with a lead (head_unbounded) want
			      * it: enumerated as far as their leads end */
	size_t done;         /* enumerated at [0, done) */
	bool failed;         /* hit a limit: run such rules whole */
	ARRAY(struct span) at;
	int_list keys;       /* per match, what follows it (tail_key()) */
};

/* Where a lead matched in the current segment: every start and end in the
 * order PCRE2 tries them, and for each the offsets of the lead's groups. */
struct lead_matches {
	uint32_t gen;        /* matcher generation it was made in, 0: never */
	const char *text;
	size_t len;
	bool failed;         /* hit a limit: run such rules whole */
	ARRAY(struct span) at;
	ARRAY(PCRE2_SIZE) groups;  /* lead->groups pairs per match */
	int ngroups;
};

/* Where a neck (rules.h) matched in the current segment: for each place a
 * head match ended, its matches there in PCRE2's order. */
struct neck_place {
	uint32_t at;         /* where the head match ended */
	uint32_t first, count;  /* its matches: ends[first, first + count) */
	bool failed;         /* hit a limit: run such rules whole */
};
struct neck_matches {
	uint32_t gen;        /* matcher generation it was made in, 0: never */
	const char *text;
	size_t len;
	ARRAY(struct neck_place) places;
	ARRAY(size_t) ends;
	ARRAY(PCRE2_SIZE) groups;  /* neck->groups pairs per match */
	int_list keys;       /* per match, what follows it (tail_key()) */
};

/* The last match of a pattern that several rules share (rule.same). */
struct shared_match {
	uint32_t gen;        /* matcher generation, 0: never */
	const char *text;
	size_t len, from, limit;
	int rc;
	PCRE2_SIZE *ov;      /* 2 * (max_groups + 1) */
};

/* A callout lexicon's look-up (annotate.c, lexcall_pick), kept for the
 * segment: the rules that run on it, and the paths of one rule, look the
 * same words up in the same tables again and again (four look-ups in ten
 * on the bench records).  The ends of the first LEX_MEMO_ENDS entries found
 * are kept; a place where more are found is looked up each time. */
enum { LEX_MEMO_SLOTS = 512, LEX_MEMO_ENDS = 2 };
struct lex_memo {
	uint32_t gen;        /* matcher generation, 0: empty */
	int call;
	PCRE2_SPTR subject;
	size_t len, at;
	int found;
	struct lexcall_end ends[LEX_MEMO_ENDS];
};

/* Per-thread matching state, borrowed by the stages. */
/* A place where a start of some rule's is (first.h): the index of the
 * start, or -1 for a character that makes rules try every place. */
struct start_hit {
	uint32_t at, end;
	int key;
};
typedef ARRAY(struct start_hit) start_hits;

/* What matching one rule, head or lead cost (asc_annotator_profile). */
struct match_cost {
	uint64_t calls, matches, ns;
};

/* The starts of the segment last tried (start_range in annotate.c). */
struct start_range {
	uint32_t scan;             /* the matcher's scans when worked out */
	const start_hits *hits;
	const char *text;
	size_t len, base, lo, end; /* hits[lo, end) are in text, at base + i */
	size_t cut_end;            /* where a word the end cuts starts, or SIZE_MAX */
	bool local0;               /* a word at 0 is looked at as the segment has it */
	bool every;                /* a hit makes rules try every place */
};

struct matcher {
	const asc_rules *rules;
	asc_doc *doc;        /* the document being annotated, for warnings */
	pcre2_match_data *md;
	pcre2_match_context *mctx;
	pcre2_jit_stack *jit;
	uint32_t *mark;      /* rule index -> generation of last candidacy */
	const char **last;   /* rule index -> its last required word there */
	uint32_t *also;      /* rule index -> generation an also_requires word was seen in */
	uint32_t gen;
	ARRAY(int) candidates;
	uint64_t *cand_bits; /* one bit per rule, zero between uses */
	/* asc_annotator_profile(): per rule, then per head, lead and neck,
	 * what matching cost (NULL: not counted); nested counts the time
	 * of heads and leads inside the rule being timed */
	struct match_cost *cost;
	uint64_t nested;
	buf scratch;
	buf next_word;           /* matcher_candidates: the next word, lower-cased */
	struct head_matches *heads;   /* one per rules->heads */
	struct lead_matches *leads;   /* one per rules->leads */
	struct neck_matches *necks;   /* one per rules->necks */
	struct lead_matches neck_found;  /* a neck's matches at one place (neck_at) */
	struct shared_match *shared;  /* one per rules->shared_matches */
	struct lead_matches mid;      /* a rule's mid after one lead match (run_mid) */
	PCRE2_SIZE *mid_ov;           /* the groups of a lead match and a mid match */
	PCRE2_SIZE *ov;               /* the last match: whole, then groups */
	PCRE2_SIZE *synth;            /* ovector of a match run as head + tail */
	/* The callouts: the head's or lead's matches being recorded, and the
	 * last look-up of a callout lexicon (which table, in which text, where,
	 * the ends of the entries found there) and the end of the one picked. */
	void *recording;
	struct lex_memo *lex_memo;    /* LEX_MEMO_SLOTS look-ups of this generation */
	int lex_call;                 /* -1: none since the match began */
	PCRE2_SPTR lex_subject;
	size_t lex_len, lex_at;
	int lex_found;
	struct lexcall_end lex_ends[LEXCALL_MAX_DEPTH];
	struct lexcall_end lex_picked;
	/* Where the rules that start with known words may start (first.h):
	 * in the document being annotated, scanned once (for the
	 * matcher_begin() call doc_hits_of), or in one other segment. */
	uint32_t docs, doc_hits_of;
	start_hits doc_hits;
	uint32_t seg_gen;
	const char *seg_text;
	size_t seg_len;
	start_hits seg_hits;
	uint32_t scans;              /* scan_starts calls so far */
	struct start_range range;
};

struct asc_annotator {
	struct matcher m;
};

void matcher_init(struct matcher *m, const asc_rules *rules);
/* Starts matching in doc (NULL: matching is over).  What the matcher
 * remembers of a segment's text holds until the next call. */
void matcher_begin(struct matcher *m, asc_doc *doc);
void matcher_free(struct matcher *m);
/* Marks the rules of a stage whose required words occur among the given
 * tokens; fills m->candidates with them and the stage's always-run rules, in
 * rule order. */
void matcher_candidates(struct matcher *m, asc_doc *doc,
			uint32_t tok_first, uint32_t tok_count, enum stage stage);
/* Runs rule r on text[0..len) from byte from; returns > 0 on a match (its
 * offsets in m->ov), 0 on none, < 0 when a match limit stopped it.  Text is
 * taken to be the segment of the last matcher_candidates call or
 * matcher_forget. */
int matcher_run(struct matcher *m, const struct rule *r, const char *text,
		size_t len, size_t from);
/* pcre2_match() of re on text[0..len) from byte at, through m's match
 * data and limits; straight into the JIT code when re has it, which skips
 * checks that ascribe's own calls never need (valid UTF-8, known options). */
int matcher_match(struct matcher *m, const pcre2_code *re, const char *text, size_t len,
		  size_t at);
/* Drops what is remembered of the current segment (before matching text
 * that matcher_candidates did not see). */
void matcher_forget(struct matcher *m);
/* The byte span of group g after a match, offset by base; false when the
 * group did not take part. */
bool matcher_group(const struct matcher *m, int g, uint32_t base, struct span *out);

/* ---- stages, in pipeline order ------------------------------------- */

/* read.c: copies text, replacing invalid UTF-8 and NUL with U+FFFD. */
asc_doc *doc_read(const char *text, size_t len, const asc_docinfo *info);
void doc_warn(asc_doc *doc, long offset, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

void segment_document(asc_doc *doc);                      /* segment.c */
void blocks_classify(asc_doc *doc, struct matcher *m);    /* blocks.c */
void spot_entities(asc_doc *doc, struct matcher *m);      /* spot.c */
void attribute_sentences(asc_doc *doc, struct matcher *m);/* attribute.c */
void resolve_speakers(asc_doc *doc);                      /* resolve.c */
void label_sentences(asc_doc *doc, struct matcher *m);    /* label.c */

/* spot.c helpers shared with attribute and resolve. */
/* Parses a source phrase ("Russian Foreign Minister Sergei Lavrov",
 * "he", "the newspaper", "senior officials") into sp: an entity, or a
 * pending pronoun or nominal for the resolve stage.  role is an appositive
 * span (may be empty).  Returns false when the phrase names nobody. */
bool speaker_from_span(asc_doc *doc, struct span at, struct span role,
		       struct speaker *sp);
int entity_add(asc_doc *doc, const char *name, size_t n, const char *role,
	       int type, bool anonymous);
/* The entities of type whose name or some role they had holds the word
 * w[0..n) (letters as isalpha() sees them, without case), in order of
 * index; NULL for none.
 * The list may hold more than that: check each entity.  Only while
 * doc->entity_indexed; before that, look at every entity. */
const int_list *entities_with_word(const asc_doc *doc, int type, const char *w, size_t n);
/* The start of at after a leading ARTICLE word ("the", "a"), if any. */
uint32_t skip_article(const asc_doc *doc, struct span at);
/* An outlet named in s[at], or -1. */
int outlet_at(asc_doc *doc, struct span at);

/* export.c and html.c: the writers of the formats after ASC_FORMAT_TEXT. */
asc_status export_write(const asc_doc *doc, asc_format format, int flags, FILE *out);
asc_status html_write(const asc_doc *doc, FILE *out);
/* html.c helpers shared with the diff page: escaping for text nodes and
 * quoted attributes, a nonce for the Content Security Policy, and the head
 * of a page. */
void html_escape(buf *b, const char *s, size_t n);
void html_escapes(buf *b, const char *s);
void html_nonce(char out[33]);
void html_head(buf *b, const char *title, const char *nonce, const char *css);

/* segment.c helpers: tokenise a span (used for speaker phrases). */
size_t tokenize(const asc_doc *doc, struct span at, token_list *out);


#endif
