/* cli_diff.c - `ascribe diff`: reads annotated documents (or annotates raw
 * articles first with --annotate), asks the library for the diff and
 * writes it. */
#include "cli.h"

#include <errno.h>
#include <getopt.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <time.h>
#include <unistd.h>

#include "util.h"

static void diff_usage(FILE *out)
{
	fputs("usage: ascribe diff [options] A.json B.json [C.json ...]   (- reads standard input)\n"
	      "\n"
	      "Compares how documents cover one story: the voices each quotes (merged across\n"
	      "name variants), the claims they share and how the shared ones differ (fact or\n"
	      "opinion, named or anonymous source, speaker, quote or paraphrase), the claims\n"
	      "only one makes, and a sourcing profile per document.  Inputs are what\n"
	      "`ascribe annotate` writes: one JSON object or JSON Lines of them per file.\n"
	      "\n"
	      "  --annotate             inputs are raw articles: annotate them first\n"
	      "  --input text|jsonl     with --annotate: plain text files (default) or JSON\n"
	      "                         Lines records {\"id\",\"outlet\",...,\"text\"}\n"
	      "  --format text|json|jsonl|html\n"
	      "                         text: side by side (default on a terminal); json: the\n"
	      "                         structure of docs/diff.md (default otherwise); jsonl:\n"
	      "                         the same on one line; html: a page with the documents\n"
	      "                         side by side and shared claims linked\n"
	      "  --threshold X          similarity from 0 to 1 a shared claim needs (default 0.125)\n"
	      "  --width N              columns of the text format (default: the terminal's,\n"
	      "                         else $COLUMNS, else 100)\n"
	      "  --color auto|always|never\n"
	      "  -o, --output FILE      write to FILE (via a temporary file and a rename)\n"
	      "  --rules DIR            rule directory: its lexicons strip titles from names and\n"
	      "                         skip function words (default: see ascribe(1))\n"
	      "  --stats                print claims, candidate pairs and time on standard error\n"
	      "  -q, --quiet            do not print warnings\n"
	      "  -h, --help             this text\n"
	      "\n"
	      "exit status: 0 the diff was written (warnings allowed, also for one document);\n"
	      "1 an input could not be read, is not ascribe JSON or has an unsupported schema\n"
	      "version; 2 usage error; 3 the rules could not be loaded (--annotate); 4 the\n"
	      "output could not be written.\n", out);
}

enum { OPT_FORMAT = 256, OPT_ANNOTATE, OPT_INPUT, OPT_THRESHOLD, OPT_WIDTH, OPT_COLOR,
       OPT_RULES, OPT_STATS };

static void print_error(const asc_error *err)
{
	char msg[1200];
	asc_error_format(err, msg, sizeof msg);
	fprintf(stderr, "%s\n", msg);
}

static const char *base_name(const char *path, char *out, size_t size)
{
	const char *b = strrchr(path, '/');
	snprintf(out, size, "%s", b ? b + 1 : path);
	char *dot = strrchr(out, '.');
	if (dot && dot != out)
		*dot = '\0';
	return out;
}

/* Annotates one raw text file and adds it.  Returns 0 or an exit status. */
static int add_text(asc_diff *diff, asc_annotator *an, const char *file, const char *data,
		    size_t len)
{
	char id[256];
	asc_docinfo info = { .id = base_name(file, id, sizeof id), .source = file };
	asc_doc *doc = NULL;
	asc_error err;
	if (asc_annotate(an, data, len, &info, &doc, &err) != ASC_OK) {
		fprintf(stderr, "%s: %s\n", file, err.message);
		return 1;
	}
	asc_status st = asc_diff_add_doc(diff, doc, file, &err);
	asc_doc_free(doc);
	if (st != ASC_OK) {
		print_error(&err);
		return 1;
	}
	return 0;
}

/* Annotates every JSON Lines record of one file and adds it. */
static int add_records(asc_diff *diff, asc_annotator *an, const char *file, const char *data,
		       size_t len)
{
	size_t lineno = 0;
	int rc = 0;
	for (const char *p = data, *end = data + len; p < end;) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		const char *stop = nl ? nl : end;
		lineno++;
		json_error_t jerr;
		json_t *rec = stop > p ? json_loadb(p, (size_t)(stop - p), 0, &jerr) : NULL;
		const char *text = json_string_value(json_object_get(rec, "text"));
		if (stop > p && !text) {
			fprintf(stderr, "%s:%zu: not a record with a \"text\" string\n", file, lineno);
			rc = 1;
		} else if (text) {
			char where[600];
			snprintf(where, sizeof where, "%s:%zu", file, lineno);
			asc_docinfo info = {
				.id = json_string_value(json_object_get(rec, "id")),
				.outlet = json_string_value(json_object_get(rec, "outlet")),
				.url = json_string_value(json_object_get(rec, "url")),
				.date = json_string_value(json_object_get(rec, "date")),
				.title = json_string_value(json_object_get(rec, "title")),
				.source = where,
			};
			asc_doc *doc = NULL;
			asc_error err;
			if (asc_annotate(an, text, strlen(text), &info, &doc, &err) != ASC_OK) {
				fprintf(stderr, "%s: %s\n", where, err.message);
				rc = 1;
			} else {
				asc_status st = asc_diff_add_doc(diff, doc, where, &err);
				asc_doc_free(doc);
				if (st != ASC_OK) {
					print_error(&err);
					rc = 1;
				}
			}
		}
		json_decref(rec);
		p = nl ? nl + 1 : end;
	}
	return rc;
}

static int terminal_width(void)
{
	struct winsize ws;
	if (isatty(STDOUT_FILENO) && ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_col > 0)
		return ws.ws_col;
	const char *cols = getenv("COLUMNS");
	/* atoi is undefined past INT_MAX */
	long n = cols ? strtol(cols, NULL, 10) : 0;
	return n > 0 && n <= 10000 ? (int)n : 100;
}

/* Writes path whole or not at all (out_file in util.h); returns 0 or 4. */
static int write_output(const asc_diff *diff, asc_format format, int flags, const char *path)
{
	if (!path) {
		asc_status st = asc_diff_write(diff, format, flags, stdout);
		if (st != ASC_OK || fflush(stdout) != 0) {
			fprintf(stderr, "ascribe diff: cannot write standard output: %s\n",
				strerror(errno));
			return 4;
		}
		return 0;
	}
	struct out_file o;
	if (!out_file_open(&o, path)) {
		fprintf(stderr, "ascribe diff: %s: cannot create output: %s\n", path, strerror(errno));
		return 4;
	}
	bool ok = asc_diff_write(diff, format, flags, o.f) == ASC_OK;
	ok = out_file_close(&o, ok) && ok;
	if (!ok)
		fprintf(stderr, "ascribe diff: %s: could not be written\n", path);
	return ok ? 0 : 4;
}

int cli_diff(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "format", required_argument, NULL, OPT_FORMAT },
		{ "annotate", no_argument, NULL, OPT_ANNOTATE },
		{ "input", required_argument, NULL, OPT_INPUT },
		{ "threshold", required_argument, NULL, OPT_THRESHOLD },
		{ "width", required_argument, NULL, OPT_WIDTH },
		{ "color", required_argument, NULL, OPT_COLOR },
		{ "colour", required_argument, NULL, OPT_COLOR },
		{ "output", required_argument, NULL, 'o' },
		{ "rules", required_argument, NULL, OPT_RULES },
		{ "stats", no_argument, NULL, OPT_STATS },
		{ "quiet", no_argument, NULL, 'q' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	int format = -1, width = 0;
	bool annotate = false, jsonl = false, quiet = false, stats = false;
	double threshold = -1;
	const char *color = "auto", *output = NULL, *rules_dir = NULL;
	int c;
	optind = 1;
	while ((c = getopt_long(argc, argv, "o:qh", longopts, NULL)) != -1) {
		char *end;
		switch (c) {
		case OPT_FORMAT:
			if (!strcmp(optarg, "text"))
				format = ASC_FORMAT_TEXT;
			else if (!strcmp(optarg, "json"))
				format = ASC_FORMAT_JSON;
			else if (!strcmp(optarg, "jsonl"))
				format = ASC_FORMAT_JSONL;
			else if (!strcmp(optarg, "html"))
				format = ASC_FORMAT_HTML;
			else {
				fprintf(stderr, "ascribe diff: --format must be text, json, jsonl or html, "
					"not '%s'\n", optarg);
				return 2;
			}
			break;
		case OPT_ANNOTATE:
			annotate = true;
			break;
		case OPT_INPUT:
			if (strcmp(optarg, "text") && strcmp(optarg, "jsonl")) {
				fprintf(stderr, "ascribe diff: --input must be text or jsonl, not '%s'\n",
					optarg);
				return 2;
			}
			jsonl = !strcmp(optarg, "jsonl");
			break;
		case OPT_THRESHOLD:
			errno = 0;
			threshold = strtod(optarg, &end);
			if (errno || *end || !*optarg || !(threshold > 0 && threshold <= 1)) {
				fprintf(stderr, "ascribe diff: --threshold must be a number above 0 and "
					"at most 1, not '%s'\n", optarg);
				return 2;
			}
			break;
		case OPT_WIDTH: {
			errno = 0;
			long v = strtol(optarg, &end, 10);
			if (errno || *end || !*optarg || v < 60 || v > 1000) {
				fprintf(stderr, "ascribe diff: --width must be a number from 60 to 1000, "
					"not '%s'\n", optarg);
				return 2;
			}
			width = (int)v;
			break;
		}
		case OPT_COLOR:
			color = optarg;
			if (strcmp(color, "auto") && strcmp(color, "always") && strcmp(color, "never")) {
				fprintf(stderr, "ascribe diff: --color must be auto, always or never\n");
				return 2;
			}
			break;
		case 'o':
			output = optarg;
			break;
		case OPT_RULES:
			rules_dir = optarg;
			break;
		case OPT_STATS:
			stats = true;
			break;
		case 'q':
			quiet = true;
			break;
		case 'h':
			diff_usage(stdout);
			return 0;
		default:
			diff_usage(stderr);
			return 2;
		}
	}
	if (optind >= argc) {
		fprintf(stderr, "ascribe diff: no input file: give two or more annotated documents\n");
		diff_usage(stderr);
		return 2;
	}
	if (jsonl && !annotate) {
		fprintf(stderr, "ascribe diff: --input is for raw articles: give --annotate too\n");
		return 2;
	}
	bool tty = !output && isatty(STDOUT_FILENO);
	if (format < 0)
		format = tty ? ASC_FORMAT_TEXT : ASC_FORMAT_JSON;
	bool use_color = !strcmp(color, "always") ||
			 (!strcmp(color, "auto") && tty && !getenv("NO_COLOR"));

	/* The rules lend their lexicons; only --annotate cannot do without. */
	asc_rules *rules = NULL;
	if (annotate) {
		rules = cli_load_rules(rules_dir);
		if (!rules)
			return 3;
	} else {
		char *dir = cli_rules_dir(rules_dir);
		asc_error err;
		if (dir && asc_rules_load(dir, &rules, &err) != ASC_OK) {
			print_error(&err);
			free(dir);
			fprintf(stderr, "ascribe diff: the rules could not be loaded\n");
			return 3;
		}
		if (!dir && !quiet)
			fprintf(stderr, "ascribe diff: warning: comparing without the rule lexicons: "
				"names keep their titles and function words count\n");
		free(dir);
	}
	asc_annotator *an = annotate ? asc_annotator_new(rules) : NULL;
	asc_diff *diff = asc_diff_new(rules);
	if (threshold > 0)
		asc_diff_set_threshold(diff, threshold);
	asc_diff_set_width(diff, width ? width : terminal_width());

	int rc = 0;
	for (int i = optind; i < argc && !rc; i++) {
		const char *file = argv[i];
		char *data = NULL;
		size_t len = 0;
		int e = cli_read_file(file, (size_t)1 << 31, &data, &len);
		if (e) {
			fprintf(stderr, "ascribe diff: %s: %s\n", file, strerror(e));
			rc = 1;
			break;
		}
		if (!annotate) {
			asc_error err;
			if (asc_diff_add_json(diff, data, len, file, &err) != ASC_OK) {
				print_error(&err);
				rc = 1;
			}
		} else if (jsonl) {
			rc = add_records(diff, an, file, data, len);
		} else {
			rc = add_text(diff, an, file, data, len);
		}
		free(data);
	}
	if (!rc) {
		asc_error err;
		struct timespec t0, t1;
		clock_gettime(CLOCK_MONOTONIC, &t0);
		if (asc_diff_compute(diff, &err) != ASC_OK) {
			fprintf(stderr, "ascribe diff: %s\n", err.message);
			rc = 1;
		}
		clock_gettime(CLOCK_MONOTONIC, &t1);
		if (!rc && stats) {
			size_t claims, candidates, all;
			asc_diff_stats(diff, &claims, &candidates, &all);
			fprintf(stderr, "ascribe diff: %zu documents, %zu claims; %zu candidate pairs "
				"scored of %zu across documents; computed in %.3f s\n",
				asc_diff_document_count(diff), claims, candidates, all,
				(double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9);
		}
	}
	if (!rc) {
		if (!quiet)
			for (size_t i = 0; i < asc_diff_warning_count(diff); i++)
				fprintf(stderr, "ascribe diff: warning: %s\n", asc_diff_warning(diff, i));
		rc = write_output(diff, (asc_format)format, use_color ? ASC_WRITE_COLOR : 0, output);
	}
	asc_diff_free(diff);
	asc_annotator_free(an);
	asc_rules_free(rules);
	return rc;
}
