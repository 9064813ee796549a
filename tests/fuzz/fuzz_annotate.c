/* fuzz_annotate.c - the whole pipeline on one document of arbitrary bytes.
 *
 * The JSON the library writes must parse (jansson rejects invalid UTF-8 and
 * any malformed JSON), and every span in it must be what it claims:
 * 0 <= start <= end <= length in code points, and where a span carries its
 * "text", that text is the code points [start, end) of the document.  The
 * text view is written too, with and without colour. */
#include "fuzz.h"

#include <jansson.h>

static asc_rules *rules;
static asc_annotator *annotator;

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	rules = fuzz_default_rules();
	annotator = asc_annotator_new(rules);
	return 0;
}

/* Byte offset of every code point of the text, and of its end. */
struct cpmap {
	size_t *at;
	size_t n;       /* code points */
};

static void cpmap_init(struct cpmap *m, const asc_doc *doc)
{
	m->at = xmalloc((doc->len + 1) * sizeof *m->at);
	m->n = 0;
	for (size_t i = 0; i < doc->len; i++)
		if (((unsigned char)doc->text[i] & 0xC0) != 0x80)
			m->at[m->n++] = i;
	m->at[m->n] = doc->len;
}

static void check_pair(const struct cpmap *m, json_t *start, json_t *end)
{
	FUZZ_CHECK(json_is_integer(start) && json_is_integer(end));
	json_int_t s = json_integer_value(start), e = json_integer_value(end);
	FUZZ_CHECK(s >= 0 && s <= e && (size_t)e <= m->n);
}

/* Every object with "start" and "end" in v, recursively. */
static void check_spans(const asc_doc *doc, const struct cpmap *m, json_t *v)
{
	if (json_is_array(v)) {
		size_t i;
		json_t *e;
		json_array_foreach(v, i, e)
			check_spans(doc, m, e);
		return;
	}
	if (!json_is_object(v))
		return;
	json_t *start = json_object_get(v, "start"), *end = json_object_get(v, "end");
	if (start || end) {
		check_pair(m, start, end);
		json_t *text = json_object_get(v, "text");
		if (json_is_string(text)) {
			size_t s = m->at[json_integer_value(start)];
			size_t e = m->at[json_integer_value(end)];
			FUZZ_CHECK(json_string_length(text) == e - s);
			FUZZ_CHECK(!memcmp(json_string_value(text), doc->text + s, e - s));
		}
	}
	json_t *pieces = json_object_get(v, "pieces");
	if (pieces) {
		FUZZ_CHECK(json_is_array(pieces));
		size_t i;
		json_t *p;
		json_array_foreach(pieces, i, p) {
			FUZZ_CHECK(json_is_array(p) && json_array_size(p) == 2);
			check_pair(m, json_array_get(p, 0), json_array_get(p, 1));
		}
	}
	const char *key;
	json_t *member;
	json_object_foreach(v, key, member)
		check_spans(doc, m, member);
}

static void check_json(const asc_doc *doc, int compact)
{
	char *s = asc_doc_to_json(doc, compact);
	json_t *root = fuzz_parse_json(s, compact);
	struct cpmap m;
	cpmap_init(&m, doc);
	json_t *length = json_object_get(json_object_get(root, "document"), "length");
	FUZZ_CHECK(json_is_integer(length) && (size_t)json_integer_value(length) == m.n);
	json_t *sentences = json_object_get(root, "sentences");
	FUZZ_CHECK(json_is_array(sentences));
	FUZZ_CHECK(json_array_size(sentences) == doc->sentences.len);
	json_int_t prev = 0;
	size_t i;
	json_t *sent;
	json_array_foreach(sentences, i, sent) {
		json_t *start = json_object_get(sent, "start");
		FUZZ_CHECK(json_is_integer(start) && json_integer_value(start) >= prev);
		prev = json_integer_value(json_object_get(sent, "end"));
		FUZZ_CHECK(json_is_string(json_object_get(sent, "text")));
	}
	check_spans(doc, &m, root);
	free(m.at);
	json_decref(root);
	free(s);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	asc_doc *doc = NULL;
	asc_error err;
	asc_docinfo info = { .id = "fuzz", .source = "fuzz.txt" };
	FUZZ_CHECK(asc_annotate(annotator, (const char *)data, size, &info, &doc, &err) == ASC_OK);
	check_json(doc, 1);
	if (size & 1)
		check_json(doc, 0);
	char *text = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&text, &len);
	FUZZ_CHECK(f != NULL);
	FUZZ_CHECK(asc_doc_write(doc, ASC_FORMAT_TEXT, size & 2 ? ASC_WRITE_COLOR : 0, f) == ASC_OK);
	fclose(f);
	free(text);
	asc_doc_free(doc);
	return 0;
}
