/* fuzz_diff.c - the diff reader and the diff on arbitrary bytes, read the
 * way `ascribe diff` reads its files (asc_diff_add_json, one call a file).
 *
 * The input is one to three files, split at the line "%%" ("\n%%\n"); each
 * may hold one annotate JSON object or JSON Lines of them.  When every file
 * reads, the diff is computed (a second time with another threshold when
 * the size says so) and written as JSON, as text with and without colour
 * and as HTML.  The JSON report must parse, hold one entry per document
 * read, and every offset in it (a claim's start and end, its content span)
 * must be within its document's text: 0 <= start <= end <= the document's
 * "length" in code points, where the document gives one.  When a file does
 * not read, the error must have a message and name the file. */
#include "fuzz.h"

#include <jansson.h>

static asc_rules *rules;

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	rules = fuzz_default_rules();
	return 0;
}

static const char sep[] = "\n%%\n";
enum { MAX_FILES = 3 };

/* The "length" of every document the reader keeps (error records are
 * skipped), in order, found by walking the values as the reader does;
 * -1 where a document gives none. */
typedef ARRAY(long) long_list;

static void document_lengths(const char *json, size_t len, long_list *out)
{
	size_t pos = 0;
	for (;;) {
		while (pos < len && (json[pos] == ' ' || json[pos] == '\t' || json[pos] == '\r' ||
				     json[pos] == '\n'))
			pos++;
		if (pos >= len)
			break;
		json_error_t jerr;
		json_t *root = json_loadb(json + pos, len - pos, JSON_DISABLE_EOF_CHECK, &jerr);
		FUZZ_CHECK(root != NULL);   /* the reader took it */
		if (!json_object_get(root, "error")) {
			json_t *n = json_object_get(json_object_get(root, "document"), "length");
			*array_push(out) = json_is_integer(n) && json_integer_value(n) >= 0
				? (long)json_integer_value(n) : -1;
		}
		json_decref(root);
		pos += jerr.position;
	}
}

/* A span of the report: null, or 0 <= start <= end (<= length if known). */
static void check_span(json_t *start, json_t *end, long length)
{
	if (json_is_null(start) && json_is_null(end))
		return;
	FUZZ_CHECK(json_is_integer(start) && json_is_integer(end));
	json_int_t s = json_integer_value(start), e = json_integer_value(end);
	FUZZ_CHECK(s >= 0 && s <= e);
	FUZZ_CHECK(length < 0 || e <= length);
}

static void check_claim(json_t *c, const long_list *lengths)
{
	FUZZ_CHECK(json_is_object(c));
	json_t *doc = json_object_get(c, "document");
	FUZZ_CHECK(json_is_integer(doc) && json_integer_value(doc) >= 0 &&
		   (size_t)json_integer_value(doc) < lengths->len);
	long length = lengths->items[json_integer_value(doc)];
	json_t *sentence = json_object_get(c, "sentence");
	FUZZ_CHECK(json_is_integer(sentence) && json_integer_value(sentence) >= 0);
	check_span(json_object_get(c, "start"), json_object_get(c, "end"), length);
	json_t *content = json_object_get(c, "content");
	FUZZ_CHECK(json_is_null(content) || json_is_object(content));
	if (json_is_object(content))
		check_span(json_object_get(content, "start"), json_object_get(content, "end"),
			   length);
	FUZZ_CHECK(json_is_string(json_object_get(c, "text")));
}

static void check_report(const asc_diff *diff, const long_list *lengths, int compact)
{
	char *s = asc_diff_to_json(diff, compact);
	json_t *root = fuzz_parse_json(s, compact);
	FUZZ_CHECK(json_is_object(root));
	FUZZ_CHECK(json_array_size(json_object_get(root, "documents")) == lengths->len);
	FUZZ_CHECK(json_array_size(json_object_get(root, "profiles")) == lengths->len);
	size_t i;
	json_t *v;
	json_t *shared = json_object_get(root, "shared");
	FUZZ_CHECK(json_is_array(shared));
	json_array_foreach(shared, i, v) {
		json_t *a = json_object_get(v, "a"), *b = json_object_get(v, "b");
		check_claim(a, lengths);
		check_claim(b, lengths);
		FUZZ_CHECK(json_integer_value(json_object_get(a, "document")) <
			   json_integer_value(json_object_get(b, "document")));
	}
	json_t *unique = json_object_get(root, "unique");
	FUZZ_CHECK(json_is_array(unique));
	json_array_foreach(unique, i, v)
		check_claim(v, lengths);
	json_t *voices = json_object_get(root, "voices");
	FUZZ_CHECK(json_is_array(voices));
	json_array_foreach(voices, i, v) {
		FUZZ_CHECK(json_array_size(json_object_get(v, "counts")) == lengths->len);
		/* the report's four types, whatever the input says */
		const char *type = json_string_value(json_object_get(v, "type"));
		FUZZ_CHECK(type && (!strcmp(type, "person") || !strcmp(type, "organisation") ||
				    !strcmp(type, "outlet") || !strcmp(type, "group")));
	}
	json_decref(root);
	free(s);
}

static void write_to_memory(const asc_diff *diff, asc_format format, int flags)
{
	char *out = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&out, &len);
	FUZZ_CHECK(f != NULL);
	FUZZ_CHECK(asc_diff_write(diff, format, flags, f) == ASC_OK);
	FUZZ_CHECK(fclose(f) == 0);
	FUZZ_CHECK(len > 0);
	free(out);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *text = (const char *)data;
	const char *file[MAX_FILES];
	size_t flen[MAX_FILES], nfiles = 0;
	for (size_t pos = 0;;) {
		const char *at = nfiles + 1 < MAX_FILES
			? memmem(text + pos, size - pos, sep, sizeof sep - 1) : NULL;
		file[nfiles] = text + pos;
		flen[nfiles++] = at ? (size_t)(at - (text + pos)) : size - pos;
		if (!at)
			break;
		pos = (size_t)(at - text) + sizeof sep - 1;
	}

	/* the rules lend their lexicons, as in `ascribe diff`; without them
	 * too, as when none are found */
	asc_diff *diff = asc_diff_new(size & 1 ? NULL : rules);
	if (size % 5 == 0)
		asc_diff_set_threshold(diff, 0.001);
	asc_diff_set_width(diff, (int)(40 + size % 200));
	static const char *const names[MAX_FILES] = { "a.json", "b/b.jsonl", "-" };
	long_list lengths = { 0 };
	bool ok = true;
	for (size_t i = 0; i < nfiles && ok; i++) {
		/* a copy of its own, so that a read past the file is caught */
		char *copy = xmalloc(flen[i] ? flen[i] : 1);
		memcpy(copy, file[i], flen[i]);
		asc_error err;
		memset(&err, 0, sizeof err);
		asc_status st = asc_diff_add_json(diff, copy, flen[i], names[i], &err);
		if (st == ASC_OK) {
			document_lengths(copy, flen[i], &lengths);
		} else {
			FUZZ_CHECK(st == ASC_ERR_INPUT || st == ASC_ERR_SCHEMA);
			FUZZ_CHECK(err.status == st && err.message[0]);
			FUZZ_CHECK(!strcmp(err.file, names[i]));
			ok = false;
		}
		free(copy);
	}
	FUZZ_CHECK(!ok || asc_diff_document_count(diff) == lengths.len);

	asc_error err;
	if (ok && asc_diff_compute(diff, &err) != ASC_OK) {
		/* only a diff of nothing but error records has nothing to compute */
		FUZZ_CHECK(lengths.len == 0 && err.status == ASC_ERR_INPUT);
		ok = false;
	}
	if (ok) {
		check_report(diff, &lengths, (int)(size & 2));
		write_to_memory(diff, ASC_FORMAT_TEXT, 0);
		write_to_memory(diff, ASC_FORMAT_TEXT, ASC_WRITE_COLOR);
		write_to_memory(diff, ASC_FORMAT_HTML, 0);
		if (size & 4) {
			/* a second computation starts from what was read */
			asc_diff_set_threshold(diff, 0.9);
			FUZZ_CHECK(asc_diff_compute(diff, &err) == ASC_OK);
			check_report(diff, &lengths, 1);
		}
		for (size_t i = 0; i < asc_diff_warning_count(diff); i++)
			FUZZ_CHECK(asc_diff_warning(diff, i) != NULL);
	}
	array_free(&lengths);
	asc_diff_free(diff);
	return 0;
}
