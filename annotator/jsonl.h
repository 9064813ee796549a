/* jsonl.h - the members of a JSON Lines record that `ascribe annotate`
 * uses, read in one pass without building a JSON tree (not part of the
 * library).
 *
 * The reader is a fast path in front of jansson, not a second JSON parser
 * with messages of its own: where it is not sure that json_loadb (flags 0)
 * would accept the record and give the same values, it says so, and the
 * caller reads the record with jansson, which gives the message. */
#ifndef ASC_JSONL_H
#define ASC_JSONL_H

#include <stdbool.h>
#include <stddef.h>

#include "util.h"

/* Levels of objects and arrays the reader takes, the record's own object
 * counted; deeper records are left to jansson (whose limit is
 * JSON_PARSER_MAX_DEPTH, 2048).  The reader recurses once per level. */
enum { JSONL_MAX_DEPTH = 64 };

/* What a record holds, as the caller of json_loadb would take it from the
 * tree: json_string_value of each member, the id also as the %lld text of
 * json_integer_value when it is an integer.  Strings are NUL-terminated
 * UTF-8 without NUL bytes inside. */
typedef struct jsonl_record {
	const char *id;        /* NULL: absent, or neither a string nor an integer */
	const char *outlet, *url, *date, *title;   /* NULL: absent or not a string */
	const char *text;      /* NULL: absent or not a string */
	size_t text_len;
	bool has_text;         /* "text" is a member, whatever its value */
	buf store;             /* decoded strings; reused from record to record */
} jsonl_record;

/* Reads line[0..len) into rec.  Returns true when the line is a JSON
 * object that json_loadb accepts and rec holds its members.  Returns
 * false for anything else (invalid JSON or UTF-8, "\u0000", an integer
 * strtoll cannot hold, a real that overflows, not an object, trailing
 * bytes, nesting over JSONL_MAX_DEPTH...): rec is then undefined and the
 * caller reads the line with jansson.  The strings borrow from line (text
 * without escapes) and from rec->store: they live until the next call or
 * jsonl_record_free. */
bool jsonl_record_read(jsonl_record *rec, const char *line, size_t len);

/* Frees rec's storage; rec may be read into again afterwards. */
void jsonl_record_free(jsonl_record *rec);

#endif
