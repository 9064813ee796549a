/* diff.h - the model behind `ascribe diff` (docs/diff.md): annotated
 * documents read back from their JSON, the voices merged across them, the
 * claims aligned between them.  Internal to the library. */
#ifndef ASC_DIFF_H
#define ASC_DIFF_H

#include <libstemmer.h>
#include <stdbool.h>
#include <stdint.h>

#include "ascribe.h"
#include "util.h"

/* Version of the diff's own JSON output (docs/diff.md). */
#define ASC_DIFF_SCHEMA_VERSION "1.0"

/* Default similarity a pair of claims needs to be reported as shared. */
#define ASC_DIFF_THRESHOLD 0.125

/* How a claim is sourced. */
enum diff_sourcing { SRC_NONE, SRC_NAMED, SRC_ANONYMOUS, SRC_UNRESOLVED };
/* How the words reach the reader. */
enum diff_mode { MODE_NONE, MODE_QUOTE, MODE_PARTIAL, MODE_REPORTED };
enum diff_label { CLAIM_NONE, CLAIM_FACT, CLAIM_OPINION };
/* Kinds of difference within a shared pair (bit set). */
enum {
	DIFF_LABEL = 1,     /* fact in one, opinion in the other */
	DIFF_SOURCING = 2,  /* named / anonymous / none differ */
	DIFF_SPEAKER = 4,   /* both named, different voices */
	DIFF_QUOTE = 8      /* a direct quote in one, not in the other */
};

extern const char *const diff_sourcing_names[];
extern const char *const diff_mode_names[];
extern const char *const diff_label_names[];

/* One term of a claim: an id into the diff's term table and its weight in
 * this claim (idf times the boost for numbers and names). */
struct diff_term {
	uint32_t id;
	float boost;            /* 1, or more for numbers and names */
	float weight;
};

/* A sentence that makes a statement (label not null), as read back. */
struct diff_claim {
	int doc;
	int sentence;           /* index in its document */
	long start, end;        /* code points of the article */
	char *text;
	const char *kind;       /* static string */
	enum diff_label label;
	char *speaker;          /* resolved name, or NULL */
	char *role;
	enum diff_sourcing sourcing;
	enum diff_mode mode;
	int mention;            /* index into diff.mentions, or -1 */
	int voice;              /* index into diff.voices, or -1 */
	long content_start, content_end;   /* -1 when no content span */
	ARRAY(struct diff_term) terms;     /* sorted by id, unique */
	double norm;            /* Euclidean norm of the weights */
	bool shared;            /* in at least one pair */
};

/* One speaker name as one document gives it. */
struct diff_mention {
	int doc;
	char *name;
	char *role;
	char *type;
	bool anonymous;
	int count;              /* sentences */
	int voice;
};

struct diff_voice {
	char *name;             /* the fullest variant */
	char *type;
	bool anonymous;
	int_list mentions;      /* into diff.mentions, sorted */
	int *counts;            /* per document */
	int total;
	int documents;          /* how many documents quote it */
};

struct diff_pair {
	int a, b;               /* claim indices; claims[a].doc < claims[b].doc */
	double similarity;
	unsigned differences;
};

struct diff_document {
	char *file;             /* where it was read from */
	long line;              /* its line in a JSON Lines file, or 0 */
	char *id, *outlet, *title, *source, *schema;
	char *label;            /* outlet, else id, else file: unique in the diff */
	size_t nsentences;
	size_t first_claim, nclaims;
	uint64_t text_hash;     /* of the sentence texts, to spot duplicates */
	/* sourcing profile */
	int attributed, anonymous, opinion, voices, named_voices;
};

typedef ARRAY(char *) message_list;

struct asc_diff {
	const asc_rules *rules;   /* borrowed; NULL: no lexicons */
	double threshold;
	int width;                /* text format */
	ARRAY(struct diff_document) docs;
	ARRAY(struct diff_claim) claims;
	ARRAY(struct diff_mention) mentions;
	ARRAY(struct diff_voice) voices;
	ARRAY(struct diff_pair) pairs;
	message_list notes;       /* warnings raised while reading */
	message_list warnings;    /* the notes and those of the computation */
	strmap terms;             /* stem -> term id */
	struct sb_stemmer *stemmer;  /* Snowball English, for the terms */
	int_list df;              /* per term: claims holding it */
	bool computed;
	size_t candidates;        /* pairs scored exactly (for the benchmark) */
};

/* Adds a warning to the report (printf-style); diff_note one raised while
 * reading, which every later computation keeps. */
void diff_warn(asc_diff *d, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
void diff_note(asc_diff *d, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* diff_html.c: the computed diff as a self-contained HTML page. */
asc_status diff_html_write(const asc_diff *d, FILE *out);

/* The stems of text as the comparison sees them, space-separated, into b
 * (for tests and docs/diff.md).  rules may be NULL. */
void diff_stems(const asc_rules *rules, const char *text, buf *b);

/* Whether two person names are one voice: the surnames agree and the
 * tokens of one, titles and role words stripped, are a subset of the
 * other's.  role_a and role_b may be NULL; rules may be NULL. */
bool diff_same_person(const asc_rules *rules, const char *name_a, const char *role_a,
		      const char *name_b, const char *role_b);

/* The weighted cosine of claims a and b (their terms must be built). */
double diff_similarity(const struct diff_claim *a, const struct diff_claim *b);

#endif
