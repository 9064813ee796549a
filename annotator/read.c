/* read.c - stage 1: take the text in, make it valid UTF-8.
 *
 * Every later span points into doc->text.  Invalid bytes and NUL become
 * U+FFFD (one replacement per bad byte), so offsets after a repair are
 * offsets into the repaired text; each repair is a warning that names the
 * byte offset in the input. */
#include "doc.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* More warnings than this for one document are summed up in one. */
#define MAX_WARNINGS 20

void doc_warn(asc_doc *doc, long offset, const char *fmt, ...)
{
	va_list ap;
	buf msg = { 0 };
	va_start(ap, fmt);
	int n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	buf_grow(&msg, (size_t)(n > 0 ? n : 0));
	va_start(ap, fmt);
	vsnprintf(msg.data, (size_t)(n > 0 ? n : 0) + 1, fmt, ap);
	va_end(ap);
	msg.len = (size_t)(n > 0 ? n : 0);
	struct warning *w = array_push(&doc->warnings);
	w->offset = offset;
	w->message = buf_detach(&msg);
}

static char *dup_or_null(const char *s)
{
	return s ? xstrdup(s) : NULL;
}

asc_doc *doc_read(const char *text, size_t len, const asc_docinfo *info)
{
	asc_doc *doc = xcalloc(1, sizeof *doc);
	if (info) {
		doc->id = dup_or_null(info->id);
		doc->outlet = dup_or_null(info->outlet);
		doc->url = dup_or_null(info->url);
		doc->date = dup_or_null(info->date);
		doc->title = dup_or_null(info->title);
		doc->source = dup_or_null(info->source);
	}
	buf out = { 0 };
	buf_grow(&out, len);
	const unsigned char *p = (const unsigned char *)text;
	size_t i = 0, bad = 0, nul = 0;
	/* a byte-order mark says nothing about the article: drop it */
	if (len >= 3 && p[0] == 0xEF && p[1] == 0xBB && p[2] == 0xBF)
		i = 3;
	while (i < len) {
		size_t run = i;
		while (run < len && p[run] >= 0x01 && p[run] < 0x80)
			run++;
		buf_add(&out, p + i, run - i);
		i = run;
		if (i >= len)
			break;
		int32_t cp;
		int n = p[i] ? utf8_decode(p + i, len - i, &cp) : 1;
		if (p[i] && cp >= 0) {
			buf_add(&out, p + i, (size_t)n);
			i += (size_t)n;
			continue;
		}
		if (p[i] == 0) {
			if (nul++ == 0)
				doc_warn(doc, (long)i, "NUL byte replaced by U+FFFD");
		} else if (bad++ < MAX_WARNINGS) {
			doc_warn(doc, (long)i, "invalid UTF-8 byte 0x%02X replaced by U+FFFD",
				 p[i]);
		}
		buf_adds(&out, "\xEF\xBF\xBD");
		i++;
	}
	if (bad > MAX_WARNINGS)
		doc_warn(doc, -1, "%zu more invalid UTF-8 bytes replaced", bad - MAX_WARNINGS);
	if (nul > 1)
		doc_warn(doc, -1, "%zu NUL bytes replaced in all", nul);
	doc->len = out.len;
	doc->text = buf_detach(&out);
	return doc;
}
