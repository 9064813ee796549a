/* agree.h - whether the one-pass record reader (annotator/jsonl.c) and
 * jansson agree on a JSON Lines record: the check of the unit test
 * (tests/unit/test_jsonl.c) and of the JSON Lines fuzz target. */
#ifndef ASC_TEST_JSONL_AGREE_H
#define ASC_TEST_JSONL_AGREE_H

#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include <jansson.h>

#include "jsonl.h"

/* The next record of data[*pos..end) as `ascribe annotate --input jsonl`
 * cuts it (reader_next in cli_annotate.c): a line without the spaces and
 * tabs before it and the carriage returns, spaces and tabs after it, blank
 * lines skipped.  False at the end. */
static inline bool jsonl_next_record(const char **pos, const char *end, const char **line,
				     size_t *len)
{
	while (*pos < end) {
		const char *start = *pos;
		const char *nl = memchr(start, '\n', (size_t)(end - start));
		size_t n = nl ? (size_t)(nl - start) : (size_t)(end - start);
		*pos = nl ? nl + 1 : end;
		while (n && (start[n - 1] == '\r' || start[n - 1] == ' ' || start[n - 1] == '\t'))
			n--;
		while (n && (*start == ' ' || *start == '\t')) {
			start++;
			n--;
		}
		if (n) {
			*line = start;
			*len = n;
			return true;
		}
	}
	return false;
}

static inline bool jsonl_same_string(const char *fast, const char *slow)
{
	return !fast == !slow && (!fast || !strcmp(fast, slow));
}

/* Reads line[0..len) with the reader into rec and with json_loadb (flags
 * 0, as annotate_record calls it).  Returns NULL when they agree: the
 * reader declined, or both read an object and the reader gave what
 * annotate_record takes from jansson's tree.  Else says what differs, in
 * why.  *taken says whether the reader took the line. */
static inline const char *jsonl_disagreement(jsonl_record *rec, const char *line, size_t len,
					     bool *taken, char *why, size_t size)
{
	json_error_t jerr;
	json_t *tree = json_loadb(line, len, 0, &jerr);
	*taken = jsonl_record_read(rec, line, len);
	const char *differs = NULL;
	if (*taken && !json_is_object(tree)) {
		snprintf(why, size, "the reader took what jansson refuses: %s",
			 tree ? "not an object" : jerr.text);
		differs = why;
	} else if (*taken) {
		json_t *id = json_object_get(tree, "id");
		char idbuf[64];
		const char *want_id = json_string_value(id);
		if (!want_id && json_is_integer(id)) {
			snprintf(idbuf, sizeof idbuf, "%lld", (long long)json_integer_value(id));
			want_id = idbuf;
		}
		static const char *const names[] = { "outlet", "url", "date", "title" };
		const char *const fast[] = { rec->outlet, rec->url, rec->date, rec->title };
		json_t *text = json_object_get(tree, "text");
		if (!jsonl_same_string(rec->id, want_id)) {
			snprintf(why, size, "id: reader \"%s\", jansson \"%s\"",
				 rec->id ? rec->id : "(null)", want_id ? want_id : "(null)");
			differs = why;
		}
		for (size_t i = 0; !differs && i < sizeof names / sizeof *names; i++) {
			const char *slow = json_string_value(json_object_get(tree, names[i]));
			if (!jsonl_same_string(fast[i], slow)) {
				snprintf(why, size, "%s: reader \"%s\", jansson \"%s\"", names[i],
					 fast[i] ? fast[i] : "(null)", slow ? slow : "(null)");
				differs = why;
			}
		}
		if (!differs && (rec->has_text != (text != NULL) ||
				 (rec->text != NULL) != json_is_string(text)))
			differs = "text: the reader and jansson disagree on whether it is a string";
		else if (!differs && rec->text &&
			 (rec->text_len != json_string_length(text) ||
			  memcmp(rec->text, json_string_value(text), rec->text_len)))
			differs = "text: the reader and jansson disagree on its bytes";
	}
	json_decref(tree);
	return differs;
}

#endif
