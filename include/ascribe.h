/*
 * ascribe.h - who says what in news text.
 *
 * Rules are loaded from YAML and compiled once into an immutable asc_rules
 * that any number of threads may share.  Each thread annotates with its own
 * asc_annotator, which borrows the rules.  An annotated document (asc_doc)
 * is owned by the caller and written as JSON or text.
 *
 * Offsets in written output are Unicode code points of the document text,
 * end exclusive.  Functions that can fail return an asc_status and fill an
 * asc_error; they never print and never exit.
 */
#ifndef ASCRIBE_H
#define ASCRIBE_H

#include <stddef.h>
#include <stdio.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Version of the JSON output contract (the "ascribe" member). */
#define ASC_SCHEMA_VERSION "1.0"
#define ASC_VERSION "0.1.0"

typedef enum asc_status {
	ASC_OK = 0,
	ASC_ERR_IO,        /* a file could not be read or written */
	ASC_ERR_YAML,      /* a rule file is not well-formed YAML */
	ASC_ERR_SCHEMA,    /* unknown key, wrong type, missing or duplicate id */
	ASC_ERR_REGEX,     /* a pattern PCRE2 rejects */
	ASC_ERR_MACRO,     /* unknown macro or lexicon, or a macro cycle */
	ASC_ERR_EXAMPLE,   /* a rule example did not give what it promises */
	ASC_ERR_INPUT,     /* a document or record that cannot be annotated */
	ASC_ERR_LIMIT,     /* a documented limit was exceeded */
	ASC_ERR_NOMEM
} asc_status;

/* Where and why something failed.  file is empty and line/column are 0 when
 * the failure has no place in a file; offset is a byte offset (or -1). */
typedef struct asc_error {
	asc_status status;
	char file[512];
	int line;      /* 1-based */
	int column;    /* 1-based */
	long offset;
	char message[512];
} asc_error;

/* Formats asc_error as "file:line:col: message" (or just the message). */
void asc_error_format(const asc_error *err, char *out, size_t size);

/* ---- rules ------------------------------------------------------------ */

typedef struct asc_rules asc_rules;

/* Loads every *.yaml file below dir (sorted by path), expands macros and
 * compiles every pattern with PCRE2 JIT.  On success *out owns the rule set
 * (free with asc_rules_free).  On failure returns the status of the first
 * error and fills err; *out is NULL. */
asc_status asc_rules_load(const char *dir, asc_rules **out, asc_error *err);
void asc_rules_free(asc_rules *rules);

/* Number of pattern rules in the set (lexicons and macros not counted). */
size_t asc_rules_count(const asc_rules *rules);

/* Called once for every failing example with its place and cause. */
typedef void (*asc_check_fn)(const asc_error *failure, void *ctx);

/* Runs every rule's examples; returns how many failed.  *total, when not
 * NULL, receives the number of examples run. */
size_t asc_rules_check(const asc_rules *rules, asc_check_fn fn, void *ctx,
		       size_t *total);

/* Finds the default rule directory: $ASCRIBE_RULES, then rules/ beside the
 * executable or one level up (a build tree), then ../share/ascribe/rules
 * beside it (an installed tree), then the compiled-in data directory.
 * Returns a malloc'd path the caller frees, or NULL. */
char *asc_rules_default_dir(const char *argv0);

/* ---- annotation ------------------------------------------------------- */

typedef struct asc_annotator asc_annotator;
typedef struct asc_doc asc_doc;

/* Document metadata carried into the "document" member of the output.
 * Every field may be NULL; pointers are borrowed for the call. */
typedef struct asc_docinfo {
	const char *id;
	const char *outlet;
	const char *url;
	const char *date;
	const char *title;
	const char *source;   /* file name the text came from, for messages */
} asc_docinfo;

/* Per-thread state over a shared rule set.  The rules must outlive it. */
asc_annotator *asc_annotator_new(const asc_rules *rules);
void asc_annotator_free(asc_annotator *an);

/* Where matching time goes, rule by rule (docs/rules.md, "Which rules
 * cost time").  asc_annotator_profile() makes an annotator count, for each
 * rule, shared head and shared lead, how often it ran, how often it
 * matched and the time it took (on: non-zero); asc_profile_add() adds an
 * annotator's counts to a profile of the same rules, which
 * asc_profile_write() writes as a table, the costliest first.  Counting
 * reads the clock twice per rule run: about a tenth more time. */
typedef struct asc_profile asc_profile;
asc_profile *asc_profile_new(const asc_rules *rules);
void asc_annotator_profile(asc_annotator *an, int on);
void asc_profile_add(asc_profile *p, const asc_annotator *an);
/* Returns 0, or -1 when f could not be written. */
int asc_profile_write(const asc_profile *p, FILE *f);
void asc_profile_free(asc_profile *p);

/* Annotates len bytes of text.  Invalid UTF-8 is replaced by U+FFFD and
 * reported as a warning on the document (asc_doc_warning); NUL bytes are
 * replaced likewise.  On success *out owns a new document (asc_doc_free). */
asc_status asc_annotate(asc_annotator *an, const char *text, size_t len,
			const asc_docinfo *info, asc_doc **out, asc_error *err);
void asc_doc_free(asc_doc *doc);

/* Warnings raised while reading the text (e.g. invalid UTF-8).  Returns
 * the number of warnings; asc_doc_warning gives the i-th message and byte
 * offset, borrowed from the document. */
size_t asc_doc_warning_count(const asc_doc *doc);
const char *asc_doc_warning(const asc_doc *doc, size_t i, long *offset);

size_t asc_doc_sentence_count(const asc_doc *doc);

/* ---- output ----------------------------------------------------------- */

/* Output formats.  docs/output.md describes JSON; docs/exports.md the
 * review page and the annotation formats, each with the offsets its own
 * tools expect. */
typedef enum asc_format {
	ASC_FORMAT_JSON,        /* one pretty-printed object */
	ASC_FORMAT_JSONL,       /* one compact object on one line */
	ASC_FORMAT_TEXT,        /* one line per sentence, for a terminal */
	ASC_FORMAT_HTML,        /* a self-contained review page */
	ASC_FORMAT_BRAT,        /* brat standoff: the .ann (the .txt is asc_doc_text) */
	ASC_FORMAT_WEBANNO,     /* W3C Web Annotation, JSON-LD */
	ASC_FORMAT_LABELSTUDIO, /* a Label Studio task with predictions */
	ASC_FORMAT_DOCCANO,     /* one doccano JSON Lines record */
	ASC_FORMAT_CLAIMREVIEW  /* schema.org ClaimReview drafts, JSON-LD */
} asc_format;

enum {
	ASC_WRITE_COLOR = 1,    /* text: ANSI colours */
	ASC_WRITE_COMPACT = 2   /* JSON exports: one line, for a stream */
};

/* Writes the document in the given format.  Returns ASC_OK, ASC_ERR_IO,
 * or ASC_ERR_INPUT for a format this function does not know. */
asc_status asc_doc_write(const asc_doc *doc, asc_format format, int flags,
			 FILE *out);

/* The document's text as annotated (invalid UTF-8 replaced), borrowed from
 * the document; *len, when not NULL, receives its length in bytes.  Every
 * offset of every format points into this text. */
const char *asc_doc_text(const asc_doc *doc, size_t *len);

/* The document as a JSON string (malloc'd, caller frees), compact when
 * compact is non-zero; NULL when out of memory. */
char *asc_doc_to_json(const asc_doc *doc, int compact);

/* An error record for a JSON Lines input record that could not be
 * annotated: {"ascribe", "document": {"id"}, "error": {"message"}}.
 * id may be NULL.  Returned string is malloc'd and compact. */
char *asc_error_record(const char *id, const char *message);

/* ---- diff ------------------------------------------------------------- */

/* Compares annotated documents (the JSON above, never the raw text):
 * voices merged across name variants, claims aligned by similarity, the
 * differences within each shared pair, and a sourcing profile per document.
 * docs/diff.md describes the method and the output. */
typedef struct asc_diff asc_diff;

/* A new, empty diff.  rules, when not NULL, lends its lexicons (titles to
 * strip from names, function words to ignore) and must outlive the diff. */
asc_diff *asc_diff_new(const asc_rules *rules);
void asc_diff_free(asc_diff *diff);

/* Adds every document in len bytes of annotate output: one JSON object,
 * or JSON Lines of them.  file names the input in messages.  Error records
 * are skipped with a warning.  Fails with ASC_ERR_INPUT when the text is
 * not ascribe JSON, ASC_ERR_SCHEMA when its "ascribe" version has a major
 * number other than this library's; err names the file (and line). */
asc_status asc_diff_add_json(asc_diff *diff, const char *json, size_t len,
			     const char *file, asc_error *err);

/* Adds a document annotated in this process (as if written and read). */
asc_status asc_diff_add_doc(asc_diff *diff, const asc_doc *doc, const char *file,
			    asc_error *err);

size_t asc_diff_document_count(const asc_diff *diff);

/* Similarity from 0 to 1 a pair of claims needs to count as shared
 * (default 0.125, docs/diff.md).  Call before asc_diff_compute. */
void asc_diff_set_threshold(asc_diff *diff, double threshold);
/* Columns of the text format (default 100; at least 60). */
void asc_diff_set_width(asc_diff *diff, int columns);

/* Merges voices, aligns claims and profiles the documents.  Needs at least
 * one document (ASC_ERR_INPUT otherwise); with one, every claim is its
 * own.  The result does not depend on the order of work inside. */
asc_status asc_diff_compute(asc_diff *diff, asc_error *err);

/* Writes the computed diff: ASC_FORMAT_JSON (pretty), ASC_FORMAT_JSONL
 * (compact, one line), ASC_FORMAT_TEXT (side by side; flags may hold
 * ASC_WRITE_COLOR) or ASC_FORMAT_HTML (a self-contained page, the documents
 * side by side with shared claims linked).  Returns ASC_OK, ASC_ERR_IO, or
 * ASC_ERR_INPUT for another format. */
asc_status asc_diff_write(const asc_diff *diff, asc_format format, int flags, FILE *out);

/* The computed diff as a JSON string (malloc'd, caller frees); NULL when
 * out of memory. */
char *asc_diff_to_json(const asc_diff *diff, int compact);

/* Figures of the computed diff: claims read, candidate pairs scored
 * exactly (those sharing a rare term), and the pairs of claims from
 * different documents that brute force would have scored.  Any pointer may
 * be NULL. */
void asc_diff_stats(const asc_diff *diff, size_t *claims, size_t *candidates,
		    size_t *all_pairs);

/* Warnings of the diff (mixed schema versions, identical documents, error
 * records skipped); the i-th message is borrowed from the diff. */
size_t asc_diff_warning_count(const asc_diff *diff);
const char *asc_diff_warning(const asc_diff *diff, size_t i);

#ifdef __cplusplus
}
#endif
#endif
