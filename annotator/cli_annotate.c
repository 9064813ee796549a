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
#include <pthread.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "jsonl.h"
#include "util.h"

/* The longest JSON Lines record read for a document of at most max bytes:
 * room for JSON escapes and the other fields. */
static size_t record_limit(size_t max)
{
	return max > (SIZE_MAX - (1u << 20)) / 2 ? SIZE_MAX : max * 2 + (1u << 20);
}

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

/* The output: standard output, or a file written whole or not at all
 * (out_file in util.h). */
struct output {
	FILE *f;
	struct out_file file;
	bool to_file;
};

static bool output_open(struct output *o, const char *path)
{
	*o = (struct output){ .f = stdout, .to_file = path != NULL };
	if (!path)
		return true;
	if (!out_file_open(&o->file, path)) {
		fprintf(stderr, "ascribe: %s: cannot create output: %s\n", path, strerror(errno));
		return false;
	}
	o->f = o->file.f;
	return true;
}

/* Finishes the output: on success the file takes its place, on failure
 * it is removed.  Returns false when anything could not be written. */
static bool output_close(struct output *o, bool ok)
{
	if (!o->to_file) {
		if (fflush(stdout) != 0 || ferror(stdout)) {
			fprintf(stderr, "ascribe: cannot write standard output: %s\n", strerror(errno));
			return false;
		}
		return true;
	}
	if (out_file_close(&o->file, ok))
		return true;
	fprintf(stderr, "ascribe: %s: could not be written: %s\n", o->file.path, strerror(errno));
	return false;
}

/* ---- jobs ----------------------------------------------------------------
 *
 * The input is cut into jobs: one text file, or a run of JSON Lines records
 * (about JOB_BYTES of them).  Jobs sit in a ring of slots; worker threads
 * annotate them, each with its own annotator over the one shared rule set,
 * into the job's own output and message buffers, and the main thread writes
 * finished jobs strictly in input order.  The ring bounds how much input
 * and output is held at once, so memory stays flat however long the input.
 * With -j 1 the main thread annotates each job itself; the output is the
 * same byte for byte whatever -j is. */

enum { JOB_BYTES = 256 * 1024, JOB_RECORDS = 256, SLOTS_PER_WORKER = 4 };
/* The most a slot keeps of its output buffer between jobs: a job of
 * JOB_BYTES of records writes a few megabytes. */
#define JOB_OUT_KEEP ((size_t)16 << 20)

struct record {
	size_t off, len;     /* into job.data */
	size_t lineno;
	bool too_long;       /* the line was cut off at the record limit */
};

struct job {
	bool text;           /* one text file, else JSON Lines records */
	const char *file;
	char *data;
	size_t len, cap;
	ARRAY(struct record) records;
	/* results: out is kept from job to job, so that a slot's megabytes of
	 * JSON reuse the same pages instead of faulting in fresh ones */
	buf out;
	char *err;
	size_t err_len;
	bool ok;
	size_t docs, annotated;
	bool done;
};

static void job_reset(struct job *j)
{
	/* a buffer grown for one large document is not held on to */
	if (j->out.cap > JOB_OUT_KEEP)
		buf_free(&j->out);
	buf_reset(&j->out);
	free(j->err);
	j->err = NULL;
	j->err_len = 0;
	j->len = 0;
	j->records.len = 0;
	j->ok = true;
	j->docs = j->annotated = 0;
	j->done = false;
}

static void job_free(struct job *j)
{
	job_reset(j);
	buf_free(&j->out);
	free(j->data);
	array_free(&j->records);
}

static void print_warnings(const asc_doc *doc, const char *where, bool quiet, FILE *err)
{
	if (quiet)
		return;
	for (size_t i = 0; i < asc_doc_warning_count(doc); i++) {
		long off;
		const char *msg = asc_doc_warning(doc, i, &off);
		if (off >= 0)
			fprintf(err, "%s: byte %ld: warning: %s\n", where, off, msg);
		else
			fprintf(err, "%s: warning: %s\n", where, msg);
	}
}

/* ---- brat: a .txt and a .ann per document ------------------------------- */

/* File names given out so far (--format brat -o DIR; -j is 1 then). */
static strmap brat_names;

static const char brat_conf[] =
	"# ascribe's brat configuration (docs/exports.md)\n"
	"[entities]\nSource\nCue\nContent\nFact\nOpinion\n"
	"[relations]\nHasSource\tArg1:Cue, Arg2:Source\nHasContent\tArg1:Cue, Arg2:Content\n"
	"<OVERLAP>\tArg1:<ANY>, Arg2:<ANY>, <OVL-TYPE>:<ANY>\n"
	"[events]\n[attributes]\n"
	"AttributionType\tArg:Cue, Value:direct|indirect|mixed|according-to|citing|told|"
	"described|wrote-for|outlet-report\n"
	"Anonymous\tArg:Source\nCheckworthy\tArg:Fact\n";

/* Writes data to path whole or not at all (util.h, out_file). */
static bool write_file(const char *path, const char *data, size_t len)
{
	struct out_file o;
	if (!out_file_open(&o, path))
		return false;
	bool ok = fwrite(data, 1, len, o.f) == len;
	return out_file_close(&o, ok) && ok;
}

/* Writes the .txt and the .ann of one document, both or neither: each goes
 * to a temporary file first, and neither is renamed into place until both
 * are written.  Sets *failed to the path that failed. */
static bool write_pair(const char *txt, const char *text, size_t text_len, const char *ann,
		       const char *ann_data, size_t ann_len, const char **failed)
{
	struct out_file t, a;
	*failed = txt;
	if (!out_file_open(&t, txt))
		return false;
	*failed = ann;
	if (!out_file_open(&a, ann)) {
		int e = errno;
		out_file_close(&t, false);
		errno = e;
		return false;
	}
	bool tw = fwrite(text, 1, text_len, t.f) == text_len && fflush(t.f) == 0;
	int e = errno;
	bool aw = tw && fwrite(ann_data, 1, ann_len, a.f) == ann_len && fflush(a.f) == 0;
	if (tw && !aw)
		e = errno;
	*failed = !tw ? txt : ann;
	/* the .txt goes into place only when both are written, the .ann only
	 * when the .txt is there */
	bool tok = out_file_close(&t, aw);
	if (aw && !tok) {
		e = errno;
		*failed = txt;
	}
	bool aok = out_file_close(&a, aw && tok);
	if (aw && tok && aok)
		return true;
	if (aw && tok) {
		e = errno;
		remove(txt);
	}
	errno = e ? e : EIO;
	return false;
}

/* Writes NAME.txt and NAME.ann.  With -o DIR, NAME is the document's id
 * with characters other than letters, digits, '-', '_' and '.' made '_',
 * and -2, -3... added to a name given out before; the directory gets
 * brat's annotation.conf unless it has one. */
static bool emit_brat(const asc_doc *doc, const char *id, const struct cli_annotate *opt,
		      FILE *err)
{
	buf base = { 0 };
	if (opt->brat_dir) {
		buf_adds(&base, opt->output);
		if (base.data[base.len - 1] != '/')
			buf_addc(&base, '/');
		size_t dir_len = base.len;
		const char *name = id && *id ? id : "document";
		for (const char *p = name; *p && base.len - dir_len < 200; p++) {
			char c = *p;
			bool keep = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
				    (c >= '0' && c <= '9') || c == '-' || c == '_' || (c == '.' && p != name);
			buf_addc(&base, keep ? c : '_');
		}
		size_t stem = base.len;
		for (int n = 2; strmap_get(&brat_names, base.data + dir_len, base.len - dir_len) >= 0; n++) {
			base.len = stem;
			buf_printf(&base, "-%d", n);
		}
		strmap_put(&brat_names, base.data + dir_len, base.len - dir_len, 1);
		if (brat_names.len == 1) {
			buf conf = { 0 };
			buf_add(&conf, base.data, dir_len);
			buf_adds(&conf, "annotation.conf");
			if (access(conf.data, F_OK) != 0 && !write_file(conf.data, brat_conf, sizeof brat_conf - 1))
				fprintf(err, "ascribe: %s: %s\n", conf.data, strerror(errno));
			buf_free(&conf);
		}
	} else {
		buf_add(&base, opt->output, strlen(opt->output) - 4);
	}
	size_t stem = base.len;
	size_t len;
	const char *text = asc_doc_text(doc, &len);
	char *ann = NULL;
	size_t ann_len = 0;
	FILE *f = open_memstream(&ann, &ann_len);
	bool ok = f && asc_doc_write(doc, ASC_FORMAT_BRAT, 0, f) == ASC_OK;
	ok = f && fclose(f) == 0 && ok;
	buf_adds(&base, ".txt");
	buf txt = { 0 };
	buf_add(&txt, base.data, base.len);
	base.len = stem;
	buf_adds(&base, ".ann");
	const char *failed = base.data;
	if (!ok)
		errno = ENOMEM;
	else
		ok = write_pair(txt.data, text, len, base.data, ann, ann_len, &failed);
	if (!ok)
		fprintf(err, "ascribe: %s: %s\n", failed, strerror(errno ? errno : EIO));
	free(ann);
	buf_free(&txt);
	buf_free(&base);
	return ok;
}

/* Writes a document in the chosen format.  Returns false when a brat file
 * could not be written (the message is on err); the other formats go to
 * out, whose errors are seen when it is closed. */
static bool emit(const asc_doc *doc, const char *id, const struct cli_annotate *opt, FILE *out,
		 FILE *err)
{
	if (opt->format == ASC_FORMAT_BRAT)
		return emit_brat(doc, id, opt, err);
	int flags = opt->color ? ASC_WRITE_COLOR : 0;
	/* a stream of JSON exports is one document a line; Label Studio's
	 * lines are joined into one array by write_job */
	if (opt->several || opt->format == ASC_FORMAT_LABELSTUDIO)
		flags |= ASC_WRITE_COMPACT;
	asc_doc_write(doc, (asc_format)opt->format, flags, out);
	return true;
}

static void emit_error(FILE *out, const char *id, const char *msg, int format)
{
	if (format == ASC_FORMAT_TEXT) {
		fprintf(out, "error: %s%s%s\n", id ? id : "", id ? ": " : "", msg);
		return;
	}
	/* the other tools' formats have no error record: the message on
	 * standard error is all */
	if (format > ASC_FORMAT_TEXT)
		return;
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

/* The members of a JSON Lines record that annotate_record uses. */
struct record_members {
	asc_docinfo info;
	const char *text;    /* NULL: absent or not a string */
	size_t text_len;
	bool has_text;       /* "text" is a member, whatever its value */
	json_t *tree;        /* jansson's, when the one-pass reader declined */
	char idbuf[64];      /* an integer id's decimal text */
};

/* Reads a record's members with the one-pass reader (jsonl.h) or, where it
 * is not sure, with jansson, so that every value and message is jansson's.
 * The members borrow from line, fast and m->tree (json_decref it).  Returns
 * false, with the message in msg, when the line is not a JSON object. */
static bool read_record(jsonl_record *fast, const char *line, size_t len,
			struct record_members *m, char *msg, size_t size)
{
	m->tree = NULL;
	if (jsonl_record_read(fast, line, len)) {
		m->info = (asc_docinfo){
			.id = fast->id, .outlet = fast->outlet, .url = fast->url,
			.date = fast->date, .title = fast->title,
		};
		m->text = fast->text;
		m->text_len = fast->text_len;
		m->has_text = fast->has_text;
		return true;
	}
	json_error_t jerr;
	json_t *rec = json_loadb(line, len, 0, &jerr);
	if (!rec || !json_is_object(rec)) {
		if (rec)
			snprintf(msg, size, "record is not a JSON object");
		else
			snprintf(msg, size, "invalid JSON at column %d: %s", jerr.column, jerr.text);
		json_decref(rec);
		return false;
	}
	m->tree = rec;
	const char *id = json_string_value(json_object_get(rec, "id"));
	json_t *idv = json_object_get(rec, "id");
	if (!id && json_is_integer(idv)) {
		snprintf(m->idbuf, sizeof m->idbuf, "%lld", (long long)json_integer_value(idv));
		id = m->idbuf;
	}
	m->info = (asc_docinfo){
		.id = id,
		.outlet = json_string_value(json_object_get(rec, "outlet")),
		.url = json_string_value(json_object_get(rec, "url")),
		.date = json_string_value(json_object_get(rec, "date")),
		.title = json_string_value(json_object_get(rec, "title")),
	};
	json_t *text = json_object_get(rec, "text");
	m->text = json_string_value(text);
	m->text_len = json_string_length(text);
	m->has_text = text != NULL;
	return true;
}

/* One JSON Lines record: annotate it, or write an error record.  Returns
 * true when it was annotated. */
static bool annotate_record(asc_annotator *an, jsonl_record *fast,
			    const struct cli_annotate *opt, const char *file,
			    const struct record *r, const char *line, FILE *out, FILE *err)
{
	char where[1100];
	snprintf(where, sizeof where, "%s:%zu", file, r->lineno);
	if (r->too_long) {
		char msg[200];
		snprintf(msg, sizeof msg, "record of more than %zu bytes is over --max-doc-bytes %zu",
			 record_limit(opt->max_doc_bytes), opt->max_doc_bytes);
		fprintf(err, "%s: %s\n", where, msg);
		emit_error(out, NULL, msg, opt->format);
		return false;
	}
	struct record_members m;
	char msg[400];
	if (!read_record(fast, line, r->len, &m, msg, sizeof msg)) {
		fprintf(err, "%s: %s\n", where, msg);
		emit_error(out, NULL, msg, opt->format);
		return false;
	}
	const char *id = m.info.id;
	if (!m.text) {
		const char *why = m.has_text ? "\"text\" is not a string" : "record has no \"text\"";
		fprintf(err, "%s: %s\n", where, why);
		emit_error(out, id, why, opt->format);
		json_decref(m.tree);
		return false;
	}
	size_t tlen = m.text_len;
	bool ok = true;
	if (tlen > opt->max_doc_bytes) {
		snprintf(msg, sizeof msg, "text of %zu bytes is over --max-doc-bytes %zu",
			 tlen, opt->max_doc_bytes);
		fprintf(err, "%s: %s\n", where, msg);
		emit_error(out, id, msg, opt->format);
		ok = false;
	} else {
		asc_doc *doc = NULL;
		asc_error e;
		if (asc_annotate(an, m.text, tlen, &m.info, &doc, &e) == ASC_OK) {
			print_warnings(doc, where, opt->quiet, err);
			ok = emit(doc, id, opt, out, err);
			asc_doc_free(doc);
		} else {
			fprintf(err, "%s: %s\n", where, e.message);
			emit_error(out, id, e.message, opt->format);
			ok = false;
		}
	}
	json_decref(m.tree);
	return ok;
}

/* One text file: read, annotate, write.  Returns false when it failed. */
static bool annotate_text(asc_annotator *an, const struct cli_annotate *opt,
			  const char *file, FILE *out, FILE *err)
{
	char *data = NULL;
	size_t len = 0;
	int rc = cli_read_file(file, opt->max_doc_bytes, &data, &len);
	if (rc == EFBIG) {
		fprintf(err, "ascribe: %s: larger than --max-doc-bytes %zu\n", file,
			opt->max_doc_bytes);
		return false;
	}
	if (rc) {
		fprintf(err, "ascribe: %s: %s\n", file, strerror(rc));
		return false;
	}
	char name[512];
	asc_docinfo info = {
		.id = strcmp(file, "-") ? base_name(file, name, sizeof name) : NULL,
		.source = strcmp(file, "-") ? file : NULL,
	};
	asc_doc *doc = NULL;
	asc_error e;
	bool ok = true;
	if (asc_annotate(an, data, len, &info, &doc, &e) != ASC_OK) {
		fprintf(err, "ascribe: %s: %s\n", file, e.message);
		ok = false;
	} else {
		if (len == 0 && !opt->quiet)
			fprintf(err, "%s: warning: empty document\n", file);
		print_warnings(doc, file, opt->quiet, err);
		ok = emit(doc, info.id, opt, out, err);
		asc_doc_free(doc);
	}
	free(data);
	return ok;
}

/* The write function of the stream a job's output goes to: appends to the
 * job's buffer. */
static ssize_t job_write(void *cookie, const char *data, size_t n)
{
	buf_add(&((struct job *)cookie)->out, data, n);
	return (ssize_t)n;
}

/* Annotates a job into its own buffers, or straight into direct (-j 1). */
static void job_run(struct job *j, asc_annotator *an, const struct cli_annotate *opt,
		    FILE *direct)
{
	FILE *out = direct ? direct
			   : fopencookie(j, "w", (cookie_io_functions_t){ .write = job_write });
	FILE *err = open_memstream(&j->err, &j->err_len);
	if (!out || !err) {
		fprintf(stderr, "ascribe: out of memory\n");
		exit(4);
	}
	if (j->text) {
		j->docs = 1;
		j->ok = annotate_text(an, opt, j->file, out, err);
		j->annotated = j->ok;
	} else {
		jsonl_record fast = { 0 };
		for (size_t i = 0; i < j->records.len; i++) {
			const struct record *r = &j->records.items[i];
			j->docs++;
			if (annotate_record(an, &fast, opt, j->file, r, j->data + r->off, out, err))
				j->annotated++;
		}
		jsonl_record_free(&fast);
	}
	if ((!direct && fclose(out) != 0) || fclose(err) != 0) {
		fprintf(stderr, "ascribe: out of memory\n");
		exit(4);
	}
}

/* ---- reading JSON Lines ------------------------------------------------ */

struct reader {
	FILE *f;
	const char *file;
	char *buf;
	size_t cap, start, end;
	bool eof, failed;
	size_t lineno;
};

static bool reader_open(struct reader *r, const char *file)
{
	memset(r, 0, sizeof *r);
	r->file = file;
	r->f = strcmp(file, "-") ? fopen(file, "rb") : stdin;
	if (!r->f) {
		fprintf(stderr, "ascribe: %s: %s\n", file, strerror(errno));
		return false;
	}
	r->cap = 1 << 20;
	r->buf = xmalloc(r->cap);
	return true;
}

static void reader_close(struct reader *r)
{
	if (r->f && ferror(r->f)) {
		fprintf(stderr, "ascribe: %s: read error: %s\n", r->file, strerror(errno));
		r->failed = true;
	}
	if (r->f && r->f != stdin)
		fclose(r->f);
	free(r->buf);
}

/* Reads more input into the buffer; false at end of input. */
static bool reader_fill(struct reader *r)
{
	if (r->eof)
		return false;
	if (r->start > 0) {
		memmove(r->buf, r->buf + r->start, r->end - r->start);
		r->end -= r->start;
		r->start = 0;
	}
	if (r->end == r->cap) {
		r->cap *= 2;
		r->buf = xrealloc(r->buf, r->cap);
	}
	size_t got = fread(r->buf + r->end, 1, r->cap - r->end, r->f);
	r->end += got;
	if (got == 0)
		r->eof = true;
	return got > 0;
}

/* Appends the next non-blank line to the job as a record.  A line longer
 * than limit is not kept: its record is marked too_long and the rest of the
 * line is skipped.  Returns false at end of input. */
static bool reader_next(struct reader *r, struct job *j, size_t limit)
{
	for (;;) {
		char *nl;
		size_t scanned = 0;
		bool too_long = false;
		while (!(nl = memchr(r->buf + r->start + scanned, '\n',
				     r->end - r->start - scanned))) {
			scanned = r->end - r->start;
			if (scanned > limit) {
				/* drop what we have, keep skipping to the newline */
				too_long = true;
				r->start = r->end = 0;
				scanned = 0;
			}
			if (!reader_fill(r))
				break;
		}
		size_t len = nl ? (size_t)(nl - (r->buf + r->start)) : r->end - r->start;
		if (!nl && len == 0 && !too_long)
			return false;
		const char *line = r->buf + r->start;
		r->start += len + (nl ? 1 : 0);
		r->lineno++;
		if (len > limit)
			too_long = true;
		size_t keep = too_long ? 0 : len;
		while (keep && (line[keep - 1] == '\r' || line[keep - 1] == ' ' ||
				line[keep - 1] == '\t'))
			keep--;
		size_t lead = 0;
		while (lead < keep && (line[lead] == ' ' || line[lead] == '\t'))
			lead++;
		if (lead == keep && !too_long)
			continue;
		if (j->len + (keep - lead) + 1 > j->cap) {
			j->cap = (j->len + (keep - lead) + 1) * 2;
			j->data = xrealloc(j->data, j->cap);
		}
		memcpy(j->data + j->len, line + lead, keep - lead);
		*array_push(&j->records) = (struct record){
			.off = j->len, .len = keep - lead, .lineno = r->lineno, .too_long = too_long,
		};
		j->len += keep - lead;
		j->data[j->len++] = '\0';
		return true;
	}
}

/* ---- progress ------------------------------------------------------------ */

struct progress {
	bool on, drawn;
	double t0, last;
	size_t docs, bytes_done, total;   /* total 0: unknown */
};

static double now_seconds(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

static void progress_clear(struct progress *p)
{
	if (p->drawn) {
		fputs("\r\033[K", stderr);
		p->drawn = false;
	}
}

static void progress_draw(struct progress *p, bool force)
{
	if (!p->on)
		return;
	double t = now_seconds();
	if (!force && t - p->last < 0.25)
		return;
	p->last = t;
	double secs = t - p->t0, mb = p->bytes_done / 1e6;
	double rate = secs > 0 ? mb / secs : 0;
	char left[64] = "";
	if (p->total && rate > 0 && p->bytes_done <= p->total) {
		long s = (long)((p->total - p->bytes_done) / 1e6 / rate);
		snprintf(left, sizeof left, ", %ld:%02ld left", s / 60, s % 60);
	}
	char total[32] = "";
	if (p->total)
		snprintf(total, sizeof total, " of %.1f", p->total / 1e6);
	fprintf(stderr, "\r\033[Kascribe: %zu documents, %.1f%s MB, %.1f MB/s%s", p->docs, mb,
		total, rate, left);
	fflush(stderr);
	p->drawn = true;
}

/* ---- the pool ------------------------------------------------------------ */

struct pool {
	pthread_mutex_t mu;
	pthread_cond_t work, done;
	struct job *slots;
	size_t nslots;
	size_t filled;     /* jobs handed in so far */
	size_t taken;      /* jobs taken by workers so far */
	bool closing;
	const asc_rules *rules;
	const struct cli_annotate *opt;
	asc_profile *profile;   /* --profile: every annotator's counts, added up */
};

static void *worker(void *arg)
{
	struct pool *p = arg;
	asc_annotator *an = asc_annotator_new(p->rules);
	asc_annotator_profile(an, p->profile != NULL);
	pthread_mutex_lock(&p->mu);
	for (;;) {
		while (p->taken == p->filled && !p->closing)
			pthread_cond_wait(&p->work, &p->mu);
		if (p->taken == p->filled)
			break;
		struct job *j = &p->slots[p->taken++ % p->nslots];
		pthread_mutex_unlock(&p->mu);
		job_run(j, an, p->opt, NULL);
		pthread_mutex_lock(&p->mu);
		j->done = true;
		pthread_cond_broadcast(&p->done);
	}
	if (p->profile)
		asc_profile_add(p->profile, an);
	pthread_mutex_unlock(&p->mu);
	asc_annotator_free(an);
	return NULL;
}

struct run {
	struct pool pool;
	pthread_t *threads;
	size_t nthreads;
	asc_annotator *an;       /* -j 1: the main thread's own */
	size_t written;          /* jobs written so far */
	FILE *out;
	bool out_failed;
	size_t docs, annotated;
	bool ok;                 /* no text file failed */
	bool array;              /* join the documents' lines into one JSON array */
	size_t items;            /* documents written into it so far */
	struct progress progress;
};

/* Writes a job's lines as elements of the JSON array run->out holds. */
static void write_items(struct run *run, const char *data, size_t len)
{
	for (const char *p = data, *end = data + len; p < end;) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		const char *stop = nl ? nl : end;
		if (stop > p) {
			if (fputs(run->items++ ? ",\n" : "[\n", run->out) == EOF ||
			    fwrite(p, 1, (size_t)(stop - p), run->out) != (size_t)(stop - p))
				run->out_failed = true;
		}
		p = nl ? nl + 1 : end;
	}
}

/* Writes job number n (which must be done) and frees its slot. */
static void write_job(struct run *run, struct job *j)
{
	if (j->err_len) {
		progress_clear(&run->progress);
		fwrite(j->err, 1, j->err_len, stderr);
	}
	if (run->array)
		write_items(run, j->out.data, j->out.len);
	else if (j->out.len && fwrite(j->out.data, 1, j->out.len, run->out) != j->out.len)
		run->out_failed = true;
	run->docs += j->docs;
	run->annotated += j->annotated;
	if (j->text && !j->ok)
		run->ok = false;
	run->progress.docs = run->docs;
	run->progress.bytes_done += j->text ? 0 : j->len;
	if (j->text && j->ok && strcmp(j->file, "-")) {
		struct stat st;
		if (stat(j->file, &st) == 0)
			run->progress.bytes_done += (size_t)st.st_size;
	}
	progress_draw(&run->progress, false);
	job_reset(j);
	run->written++;
}

/* Waits for the oldest job not yet written and writes it; called and
 * returns with the pool's lock held. */
static void write_oldest_locked(struct run *run)
{
	struct pool *p = &run->pool;
	struct job *oldest = &p->slots[run->written % p->nslots];
	while (!oldest->done)
		pthread_cond_wait(&p->done, &p->mu);
	pthread_mutex_unlock(&p->mu);
	write_job(run, oldest);
	pthread_mutex_lock(&p->mu);
}

/* Returns a free slot for the next job, writing finished jobs to make room. */
static struct job *next_slot(struct run *run)
{
	struct pool *p = &run->pool;
	if (!run->nthreads)
		return &p->slots[0];
	pthread_mutex_lock(&p->mu);
	while (p->filled - run->written == p->nslots)
		write_oldest_locked(run);
	struct job *j = &p->slots[p->filled % p->nslots];
	pthread_mutex_unlock(&p->mu);
	return j;
}

/* Hands a filled job to the workers, or runs it at once with -j 1. */
static void submit(struct run *run, struct job *j)
{
	struct pool *p = &run->pool;
	if (!run->nthreads) {
		job_run(j, run->an, p->opt, run->array ? NULL : run->out);
		j->done = true;
		p->filled++;
		write_job(run, j);
		return;
	}
	pthread_mutex_lock(&p->mu);
	p->filled++;
	pthread_cond_signal(&p->work);
	pthread_mutex_unlock(&p->mu);
	/* write whatever is already finished, in order, without waiting */
	for (;;) {
		pthread_mutex_lock(&p->mu);
		struct job *oldest = &p->slots[run->written % p->nslots];
		bool ready = run->written < p->filled && oldest->done;
		pthread_mutex_unlock(&p->mu);
		if (!ready)
			break;
		write_job(run, oldest);
	}
}

static void finish(struct run *run)
{
	struct pool *p = &run->pool;
	if (!run->nthreads)
		return;
	pthread_mutex_lock(&p->mu);
	p->closing = true;
	pthread_cond_broadcast(&p->work);
	while (run->written < p->filled)
		write_oldest_locked(run);
	pthread_mutex_unlock(&p->mu);
	for (size_t i = 0; i < run->nthreads; i++)
		pthread_join(run->threads[i], NULL);
}

/* Cuts one JSON Lines input into jobs.  False when it could not be read. */
static bool feed_jsonl(struct run *run, const char *file)
{
	struct reader r;
	if (!reader_open(&r, file))
		return false;
	size_t limit = record_limit(run->pool.opt->max_doc_bytes);
	bool more = true;
	while (more) {
		struct job *j = next_slot(run);
		j->text = false;
		j->file = file;
		while ((more = reader_next(&r, j, limit)) &&
		       j->len < JOB_BYTES && j->records.len < JOB_RECORDS)
			;
		if (j->records.len)
			submit(run, j);
	}
	reader_close(&r);
	return !r.failed;
}

static size_t input_size(const struct cli_annotate *opt)
{
	size_t total = 0;
	for (size_t i = 0; i < opt->nfiles; i++) {
		struct stat st;
		if (!strcmp(opt->files[i], "-") || stat(opt->files[i], &st) != 0 ||
		    !S_ISREG(st.st_mode))
			return 0;
		total += (size_t)st.st_size;
	}
	return total;
}

/* Writes the time per rule (--profile) to path, or to standard error for
 * "-"; false with a message when it could not be written. */
static bool write_profile(const asc_profile *prof, const char *path)
{
	if (!strcmp(path, "-"))
		return asc_profile_write(prof, stderr) == 0;
	struct output po;
	if (!output_open(&po, path))
		return false;
	bool ok = asc_profile_write(prof, po.f) == 0;
	return output_close(&po, ok) && ok;
}

int cli_annotate_run(const asc_rules *rules, const struct cli_annotate *opt)
{
	struct output o;
	if (!output_open(&o, opt->format == ASC_FORMAT_BRAT ? NULL : opt->output))
		return 4;
	struct run run = { .out = o.f, .ok = true, .array = opt->format == ASC_FORMAT_LABELSTUDIO };
	struct pool *p = &run.pool;
	p->rules = rules;
	p->opt = opt;
	p->profile = opt->profile ? asc_profile_new(rules) : NULL;
	size_t jobs = opt->jobs ? opt->jobs : 1;
	p->nslots = jobs > 1 ? jobs * SLOTS_PER_WORKER : 1;
	p->slots = xcalloc(p->nslots, sizeof *p->slots);
	for (size_t i = 0; i < p->nslots; i++)
		job_reset(&p->slots[i]);
	pthread_mutex_init(&p->mu, NULL);
	pthread_cond_init(&p->work, NULL);
	pthread_cond_init(&p->done, NULL);
	if (jobs > 1) {
		run.threads = xcalloc(jobs, sizeof *run.threads);
		for (size_t i = 0; i < jobs; i++) {
			if (pthread_create(&run.threads[i], NULL, worker, p) != 0)
				break;
			run.nthreads++;
		}
	}
	if (!run.nthreads) {
		run.an = asc_annotator_new(rules);
		asc_annotator_profile(run.an, p->profile != NULL);
	}
	run.progress.on = opt->progress;
	run.progress.t0 = run.progress.last = now_seconds();
	run.progress.total = input_size(opt);

	bool read_ok = true;
	for (size_t i = 0; i < opt->nfiles; i++) {
		const char *file = opt->files[i];
		if (opt->jsonl) {
			read_ok = feed_jsonl(&run, file) && read_ok;
		} else {
			struct job *j = next_slot(&run);
			j->text = true;
			j->file = file;
			submit(&run, j);
		}
	}
	finish(&run);
	if (run.array && fputs(run.items ? "\n]\n" : "[]\n", run.out) == EOF)
		run.out_failed = true;
	strmap_free(&brat_names);
	if (run.progress.on) {
		progress_draw(&run.progress, true);
		fputc('\n', stderr);
	}
	for (size_t i = 0; i < p->nslots; i++)
		job_free(&p->slots[i]);
	free(p->slots);
	free(run.threads);
	pthread_mutex_destroy(&p->mu);
	pthread_cond_destroy(&p->work);
	pthread_cond_destroy(&p->done);
	if (p->profile && run.an)
		asc_profile_add(p->profile, run.an);
	asc_annotator_free(run.an);
	/* the annotations are kept when only the profile could not be written */
	bool profile_ok = !p->profile || write_profile(p->profile, opt->profile);
	asc_profile_free(p->profile);

	if (run.out_failed) {
		fprintf(stderr, "ascribe: %s: could not be written\n",
			opt->output ? opt->output : "standard output");
		output_close(&o, false);
		return 4;
	}
	/* a failed input still leaves the others' results worth keeping */
	if (!output_close(&o, true) || !profile_ok)
		return 4;
	/* JSON Lines: a bad record is an error record, not a failed run; the
	 * run fails when a file could not be read or no record was annotated */
	bool all_bad = opt->jsonl && run.docs > 0 && run.annotated == 0;
	return read_ok && run.ok && !all_bad ? 0 : 1;
}
