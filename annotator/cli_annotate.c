/* cli_annotate.c - input and output of `ascribe annotate`.
 *
 * Output goes to a temporary file beside -o FILE and is renamed over it only
 * when everything was written, so a reader never sees half a file. */
#include "cli.h"

#include <errno.h>
#include <jansson.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int cli_read_file(const char *path, size_t max, char **data, size_t *len)
{
	FILE *f = strcmp(path, "-") ? fopen(path, "rb") : stdin;
	if (!f)
		return errno;
	size_t cap = 65536, n = 0;
	char *p = malloc(cap);
	int rc = p ? 0 : ENOMEM;
	while (!rc) {
		if (n == cap) {
			char *q = realloc(p, cap * 2);
			if (!q) {
				rc = ENOMEM;
				break;
			}
			p = q;
			cap *= 2;
		}
		size_t got = fread(p + n, 1, cap - n, f);
		n += got;
		if (n > max)
			rc = EFBIG;
		else if (got == 0 && ferror(f))
			rc = errno ? errno : EIO;
		else if (got == 0)
			break;
	}
	if (f != stdin)
		fclose(f);
	if (rc) {
		free(p);
		return rc;
	}
	*data = p;
	*len = n;
	return 0;
}

struct output {
	FILE *f;
	char *tmp;      /* temporary path, or NULL for stdout */
	const char *path;
};

static bool output_open(struct output *o, const char *path)
{
	o->path = path;
	o->tmp = NULL;
	if (!path) {
		o->f = stdout;
		return true;
	}
	size_t n = strlen(path) + 16;
	o->tmp = malloc(n);
	if (!o->tmp)
		return false;
	snprintf(o->tmp, n, "%s.tmpXXXXXX", path);
	int fd = mkstemp(o->tmp);
	if (fd < 0 || !(o->f = fdopen(fd, "w"))) {
		fprintf(stderr, "ascribe: %s: cannot create output: %s\n", path, strerror(errno));
		free(o->tmp);
		o->tmp = NULL;
		return false;
	}
	return true;
}

/* Finishes the output: renames the temporary file on success, removes it on
 * failure.  Returns false when anything could not be written. */
static bool output_close(struct output *o, bool ok)
{
	if (!o->tmp) {
		if (fflush(stdout) != 0) {
			fprintf(stderr, "ascribe: cannot write standard output: %s\n", strerror(errno));
			return false;
		}
		return true;
	}
	bool written = !ferror(o->f);
	written = (fclose(o->f) == 0) && written;
	if (ok && written && rename(o->tmp, o->path) != 0) {
		fprintf(stderr, "ascribe: %s: %s\n", o->path, strerror(errno));
		written = false;
	}
	if (!ok || !written)
		remove(o->tmp);
	if (!written)
		fprintf(stderr, "ascribe: %s: could not be written\n", o->path);
	free(o->tmp);
	return written;
}

static void print_warnings(const asc_doc *doc, const char *where, bool quiet)
{
	if (quiet)
		return;
	for (size_t i = 0; i < asc_doc_warning_count(doc); i++) {
		long off;
		const char *msg = asc_doc_warning(doc, i, &off);
		if (off >= 0)
			fprintf(stderr, "%s: byte %ld: warning: %s\n", where, off, msg);
		else
			fprintf(stderr, "%s: warning: %s\n", where, msg);
	}
}

static bool emit(const asc_doc *doc, const struct cli_annotate *opt, FILE *out)
{
	return asc_doc_write(doc, (asc_format)opt->format,
			     opt->color ? ASC_WRITE_COLOR : 0, out) == ASC_OK;
}

static void emit_error(FILE *out, const char *id, const char *msg, int format)
{
	if (format == ASC_FORMAT_TEXT) {
		fprintf(out, "error: %s%s%s\n", id ? id : "", id ? ": " : "", msg);
		return;
	}
	char *rec = asc_error_record(id, msg);
	if (rec) {
		fputs(rec, out);
		fputc('\n', out);
		free(rec);
	}
}

static const char *base_name(const char *path, char *out, size_t size)
{
	const char *b = strrchr(path, '/');
	b = b ? b + 1 : path;
	snprintf(out, size, "%s", b);
	char *dot = strrchr(out, '.');
	if (dot && dot != out)
		*dot = '\0';
	return out;
}

/* One JSON Lines record: annotate it, or write an error record. */
static bool annotate_record(asc_annotator *an, const struct cli_annotate *opt,
			    const char *file, size_t lineno, const char *line,
			    size_t len, FILE *out)
{
	char where[1100];
	snprintf(where, sizeof where, "%s:%zu", file, lineno);
	json_error_t jerr;
	json_t *rec = json_loadb(line, len, 0, &jerr);
	if (!rec || !json_is_object(rec)) {
		char msg[400];
		if (rec)
			snprintf(msg, sizeof msg, "record is not a JSON object");
		else
			snprintf(msg, sizeof msg, "invalid JSON at column %d: %s", jerr.column,
				 jerr.text);
		fprintf(stderr, "%s: %s\n", where, msg);
		emit_error(out, NULL, msg, opt->format);
		json_decref(rec);
		return false;
	}
	const char *id = json_string_value(json_object_get(rec, "id"));
	char idbuf[64];
	json_t *idv = json_object_get(rec, "id");
	if (!id && json_is_integer(idv)) {
		snprintf(idbuf, sizeof idbuf, "%lld", (long long)json_integer_value(idv));
		id = idbuf;
	}
	json_t *text = json_object_get(rec, "text");
	if (!json_is_string(text)) {
		const char *msg = text ? "\"text\" is not a string" : "record has no \"text\"";
		fprintf(stderr, "%s: %s\n", where, msg);
		emit_error(out, id, msg, opt->format);
		json_decref(rec);
		return false;
	}
	asc_docinfo info = {
		.id = id,
		.outlet = json_string_value(json_object_get(rec, "outlet")),
		.url = json_string_value(json_object_get(rec, "url")),
		.date = json_string_value(json_object_get(rec, "date")),
		.title = json_string_value(json_object_get(rec, "title")),
	};
	size_t tlen = json_string_length(text);
	bool ok = true;
	if (tlen > opt->max_doc_bytes) {
		char msg[200];
		snprintf(msg, sizeof msg, "text of %zu bytes is over --max-doc-bytes %zu",
			 tlen, opt->max_doc_bytes);
		fprintf(stderr, "%s: %s\n", where, msg);
		emit_error(out, id, msg, opt->format);
		ok = false;
	} else {
		asc_doc *doc = NULL;
		asc_error err;
		if (asc_annotate(an, json_string_value(text), tlen, &info, &doc, &err) == ASC_OK) {
			print_warnings(doc, where, opt->quiet);
			emit(doc, opt, out);
			asc_doc_free(doc);
		} else {
			fprintf(stderr, "%s: %s\n", where, err.message);
			emit_error(out, id, err.message, opt->format);
			ok = false;
		}
	}
	json_decref(rec);
	return ok;
}

static bool annotate_jsonl(asc_annotator *an, const struct cli_annotate *opt,
			   const char *file, FILE *out)
{
	FILE *in = strcmp(file, "-") ? fopen(file, "rb") : stdin;
	if (!in) {
		fprintf(stderr, "ascribe: %s: %s\n", file, strerror(errno));
		return false;
	}
	char *line = NULL;
	size_t cap = 0, lineno = 0;
	ssize_t n;
	bool ok = true;
	while ((n = getline(&line, &cap, in)) != -1) {
		lineno++;
		size_t len = (size_t)n;
		while (len && (line[len - 1] == '\n' || line[len - 1] == '\r'))
			len--;
		size_t lead = 0;
		while (lead < len && (line[lead] == ' ' || line[lead] == '\t'))
			lead++;
		if (lead == len)
			continue;
		ok = annotate_record(an, opt, file, lineno, line, len, out) && ok;
	}
	if (ferror(in)) {
		fprintf(stderr, "ascribe: %s: read error: %s\n", file, strerror(errno));
		ok = false;
	}
	free(line);
	if (in != stdin)
		fclose(in);
	return ok;
}

static bool annotate_text(asc_annotator *an, const struct cli_annotate *opt,
			  const char *file, FILE *out)
{
	char *data = NULL;
	size_t len = 0;
	int rc = cli_read_file(file, opt->max_doc_bytes, &data, &len);
	if (rc == EFBIG) {
		fprintf(stderr, "ascribe: %s: larger than --max-doc-bytes %zu\n", file,
			opt->max_doc_bytes);
		return false;
	}
	if (rc) {
		fprintf(stderr, "ascribe: %s: %s\n", file, strerror(rc));
		return false;
	}
	char name[512];
	asc_docinfo info = {
		.id = strcmp(file, "-") ? base_name(file, name, sizeof name) : NULL,
		.source = strcmp(file, "-") ? file : NULL,
	};
	asc_doc *doc = NULL;
	asc_error err;
	bool ok = true;
	if (asc_annotate(an, data, len, &info, &doc, &err) != ASC_OK) {
		fprintf(stderr, "ascribe: %s: %s\n", file, err.message);
		ok = false;
	} else {
		if (len == 0 && !opt->quiet)
			fprintf(stderr, "%s: warning: empty document\n", file);
		print_warnings(doc, file, opt->quiet);
		emit(doc, opt, out);
		asc_doc_free(doc);
	}
	free(data);
	return ok;
}

int cli_annotate_run(const asc_rules *rules, const struct cli_annotate *opt)
{
	struct output o;
	if (!output_open(&o, opt->output))
		return 4;
	asc_annotator *an = asc_annotator_new(rules);
	bool ok = true;
	for (size_t i = 0; i < opt->nfiles; i++) {
		const char *file = opt->files[i];
		ok = (opt->jsonl ? annotate_jsonl(an, opt, file, o.f)
				 : annotate_text(an, opt, file, o.f)) && ok;
	}
	asc_annotator_free(an);
	/* a failed input still leaves the others' results worth keeping */
	if (!output_close(&o, true))
		return 4;
	return ok ? 0 : 1;
}
