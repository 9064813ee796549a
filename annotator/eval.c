/* eval.c - `ascribe eval`: annotate the gold corpus and score each field.
 *
 * Gold files are described in docs/gold.md.  Each gold segment is found in
 * the article by substring search, in order.  A segment counts for
 * segmentation when a system sentence has exactly its span; its fields are
 * compared with the system sentence that holds the middle of its span, so a
 * segmentation error costs the fields too.
 *
 * kind and label are scored per class and averaged (macro-F1); speaker,
 * outlet and cue as extraction: a system value is a true positive when it
 * equals the gold value after normalising case, leading articles and
 * quote marks, a false positive otherwise, and a gold value the system
 * missed or got wrong is a false negative. */
#include "cli.h"
#include "eval_spans.h"

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum field { F_SEGMENT, F_KIND, F_SPEAKER, F_OUTLET, F_CUE, F_LABEL, F_VOICE, F_CHECK, F_COUNT };
static const char *const field_names[F_COUNT] = {
	"segment", "kind", "speaker", "outlet", "cue", "label", "voice", "checkworthy"
};
#define MAX_CLASSES 8
static const char *const kind_classes[] = {
	"body", "headline", "caption", "dateline", "byline", "boilerplate", NULL
};
static const char *const label_classes[] = { "fact", "opinion", NULL };
static const char *const voice_classes[] = { "author", "attributed", NULL };
static const char *const check_classes[] = { "not-checkworthy", "checkworthy", NULL };

/* The label stage's three fields, scored per class (F_LABEL + i). */
enum { LF_FIELDS = 3 };
static const char *const *const lf_classes[LF_FIELDS] = {
	label_classes, voice_classes, check_classes
};
/* Bins of label_score in the calibration table: [0.5, 0.6) ... [0.9, 1.0]. */
enum { CAL_BINS = 5 };
struct counts {
	long tp, fp, fn;
};

struct split_score {
	struct counts f[F_COUNT];
	struct counts kind[MAX_CLASSES];
	struct counts lf[LF_FIELDS][MAX_CLASSES];   /* label, voice, checkworthy */
	long lf_annotated[LF_FIELDS];   /* gold segments that carry the field */
	long lf_correct[LF_FIELDS];     /* ... whose non-null value the system gave */
	long lf_valued[LF_FIELDS];      /* ... with a non-null gold value */
	long cal_count[CAL_BINS], cal_correct[CAL_BINS];
	double cal_sum[CAL_BINS];       /* sum of label_score in the bin */
	long segments, documents;
	struct span_score spans;
};

enum { SPLIT_TUNE, SPLIT_HELDOUT, SPLIT_ALL, SPLIT_COUNT };
static const char *const split_names[SPLIT_COUNT] = { "tune", "heldout", "all" };

struct eval_opts {
	bool quiet;
	const char *show;    /* field whose mismatches are printed */
	FILE *features;      /* --features: tune segments' gold and evidence */
};

/* Lower case, no leading article, curly quotes made straight, spaces
 * collapsed, trailing punctuation dropped. */
static char *normalise(const char *s)
{
	if (!s)
		return NULL;
	size_t n = strlen(s);
	char *out = malloc(n + 1);
	if (!out)
		return NULL;
	size_t o = 0;
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		if (c == 0xE2 && i + 2 < n && (unsigned char)s[i + 1] == 0x80 &&
		    ((unsigned char)s[i + 2] == 0x99 || (unsigned char)s[i + 2] == 0x98)) {
			out[o++] = '\'';
			i += 2;
		} else if (c == 0xC2 && i + 1 < n && (unsigned char)s[i + 1] == 0xA0) {
			if (o && out[o - 1] != ' ')
				out[o++] = ' ';
			i++;
		} else if (isspace(c)) {
			if (o && out[o - 1] != ' ')
				out[o++] = ' ';
		} else {
			out[o++] = (char)tolower(c);
		}
	}
	while (o && strchr(" .,;:'\"", out[o - 1]))
		o--;
	out[o] = '\0';
	static const char *const articles[] = { "the ", "a ", "an " };
	for (size_t k = 0; k < 3; k++) {
		size_t an = strlen(articles[k]);
		if (!strncmp(out, articles[k], an)) {
			memmove(out, out + an, o - an + 1);
			break;
		}
	}
	return out;
}

bool eval_same(const char *a, const char *b)
{
	char *x = normalise(a), *y = normalise(b);
	bool eq = x && y && !strcmp(x, y);
	free(x);
	free(y);
	return eq;
}

static int class_of(const char *const *classes, const char *s)
{
	for (int i = 0; s && classes[i]; i++)
		if (!strcmp(classes[i], s))
			return i;
	return -1;
}

static void score_value(struct counts *c, const char *gold, const char *sys)
{
	if (sys && gold && eval_same(gold, sys))
		c->tp++;
	else {
		if (sys)
			c->fp++;
		if (gold)
			c->fn++;
	}
}

static void score_class(struct counts *per, const char *const *classes,
			const char *gold, const char *sys)
{
	int g = class_of(classes, gold), s = class_of(classes, sys);
	if (g >= 0 && g == s) {
		per[g].tp++;
		return;
	}
	if (s >= 0)
		per[s].fp++;
	if (g >= 0)
		per[g].fn++;
}

static double f1(const struct counts *c, double *p, double *r)
{
	*p = c->tp + c->fp ? (double)c->tp / (double)(c->tp + c->fp) : 1.0;
	*r = c->tp + c->fn ? (double)c->tp / (double)(c->tp + c->fn) : 1.0;
	return *p + *r > 0 ? 2 * *p * *r / (*p + *r) : 0.0;
}

/* Macro average over the classes that occur in gold or system output. */
static double macro(const struct counts *per, const char *const *classes,
		    double *p, double *r)
{
	double sf = 0, sp = 0, sr = 0;
	int n = 0;
	for (int i = 0; classes[i]; i++) {
		if (!per[i].tp && !per[i].fp && !per[i].fn)
			continue;
		double cp, cr;
		sf += f1(&per[i], &cp, &cr);
		sp += cp;
		sr += cr;
		n++;
	}
	*p = n ? sp / n : 1;
	*r = n ? sr / n : 1;
	return n ? sf / n : 1;
}

static double field_f1(const struct split_score *s, int f, double *p, double *r)
{
	if (f == F_KIND)
		return macro(s->kind, kind_classes, p, r);
	if (f >= F_LABEL)
		return macro(s->lf[f - F_LABEL], lf_classes[f - F_LABEL], p, r);
	return f1(&s->f[f], p, r);
}

static const char *jstr(json_t *o, const char *key)
{
	return json_string_value(json_object_get(o, key));
}

/* The value of label field lf (0 label, 1 voice, 2 checkworthy) in a gold
 * or system sentence as a class name, NULL for null; false when the
 * sentence does not carry the field (gold not yet annotated for it). */
static bool lf_value(json_t *o, int lf, const char **out)
{
	static const char *const keys[LF_FIELDS] = { "label", "voice", "checkworthy" };
	json_t *v = json_object_get(o, keys[lf]);
	*out = NULL;
	if (!v)
		return false;
	if (json_is_boolean(v))
		*out = check_classes[json_is_true(v)];
	else
		*out = json_string_value(v);
	return true;
}

/* Scores the label, voice and checkworthy of one gold segment against its
 * system sentence; a field the gold does not carry is skipped. */
static void score_lf(struct split_score *sc, json_t *g, json_t *match)
{
	for (int lf = 0; lf < LF_FIELDS; lf++) {
		const char *gv, *sv;
		if (!lf_value(g, lf, &gv))
			continue;
		lf_value(match, lf, &sv);
		sc->lf_annotated[lf]++;
		score_class(sc->lf[lf], lf_classes[lf], gv, sv);
		if (gv) {
			sc->lf_valued[lf]++;
			sc->lf_correct[lf] += sv && !strcmp(gv, sv);
		}
	}
	const char *gl = jstr(g, "label"), *sl = jstr(match, "label");
	json_t *score = json_object_get(match, "label_score");
	if (gl && sl && json_is_number(score)) {
		double v = json_number_value(score);
		int bin = (int)((v - 0.5) * 10);
		bin = bin < 0 ? 0 : bin >= CAL_BINS ? CAL_BINS - 1 : bin;
		sc->cal_count[bin]++;
		sc->cal_sum[bin] += v;
		sc->cal_correct[bin] += !strcmp(gl, sl);
	}
}

/* --features: for each label field the gold carries, one line
 * id, field, gold, system, system label, and the evidence on the field's
 * sides as rule@side:weight (scripts/fit-calibration.py reads it). */
static void write_features(FILE *out, const char *id, json_t *g, json_t *match)
{
	static const char *const sides[LF_FIELDS][2] = {
		{ "fact", "opinion" }, { "author", "attributed" },
		{ "not-checkworthy", "checkworthy" }
	};
	const char *sl = jstr(match, "label");
	if (!sl)
		return;
	for (int lf = 0; lf < LF_FIELDS; lf++) {
		const char *gv, *sv;
		if (!lf_value(g, lf, &gv) || !gv)
			continue;
		lf_value(match, lf, &sv);
		fprintf(out, "%s\t%s\t%s\t%s\t%s\t", id, field_names[F_LABEL + lf], gv,
			sv ? sv : "-", sl);
		json_t *ev = json_object_get(match, "evidence");
		bool first = true;
		for (size_t k = 0; k < json_array_size(ev); k++) {
			json_t *e = json_array_get(ev, k);
			const char *side = jstr(e, "side");
			if (!side || (strcmp(side, sides[lf][0]) && strcmp(side, sides[lf][1])))
				continue;
			fprintf(out, "%s%s@%s:%g", first ? "" : " ", jstr(e, "rule"), side,
				json_number_value(json_object_get(e, "weight")));
			first = false;
		}
		fputc('\n', out);
	}
}

static void show(const struct eval_opts *opt, int f, const char *id, const char *text,
		 const char *gold, const char *sys)
{
	if (!opt->show || strcmp(opt->show, field_names[f]) || eval_same(gold, sys) ||
	    (!gold && !sys))
		return;
	printf("%s: %s: gold %s, got %s: %.100s\n", id, field_names[f], gold ? gold : "-",
	       sys ? sys : "-", text);
}

/* Scores one article; returns false when it could not be read. */
static bool eval_one(const asc_rules *rules, asc_annotator *an, const char *dir,
		     const char *gold_name, struct split_score *scores,
		     const struct eval_opts *opt)
{
	char path[4096];
	snprintf(path, sizeof path, "%s/%s", dir, gold_name);
	json_error_t jerr;
	json_t *gold = json_load_file(path, 0, &jerr);
	if (!gold) {
		fprintf(stderr, "%s:%d:%d: %s\n", path, jerr.line, jerr.column, jerr.text);
		return false;
	}
	size_t base = strlen(gold_name) - strlen(".gold.json");
	char txt[4096];
	snprintf(txt, sizeof txt, "%s/%.*s.txt", dir, (int)base, gold_name);
	char *data = NULL;
	size_t len = 0;
	int rc = cli_read_file(txt, 1u << 30, &data, &len);
	if (rc) {
		fprintf(stderr, "ascribe eval: %s: %s\n", txt, strerror(rc));
		json_decref(gold);
		return false;
	}
	(void)rules;
	asc_doc *doc = NULL;
	asc_error err;
	if (asc_annotate(an, data, len, NULL, &doc, &err) != ASC_OK) {
		fprintf(stderr, "ascribe eval: %s: %s\n", txt, err.message);
		free(data);
		json_decref(gold);
		return false;
	}
	char *js = asc_doc_to_json(doc, 1);
	json_t *out = json_loads(js, 0, &jerr);
	free(js);
	asc_doc_free(doc);
	const char *split = jstr(gold, "split");
	int sp = split && !strcmp(split, "heldout") ? SPLIT_HELDOUT : SPLIT_TUNE;
	const char *id = jstr(gold, "id") ? jstr(gold, "id") : gold_name;
	json_t *sys = json_object_get(out, "sentences");
	json_t *gs = json_object_get(gold, "sentences");

	/* code point offsets of the gold segments, found in order */
	size_t pos = 0;
	bool ok = true;
	for (size_t i = 0; i < json_array_size(gs); i++) {
		json_t *g = json_array_get(gs, i);
		const char *text = jstr(g, "text");
		const char *hit = text ? strstr(data + pos, text) : NULL;
		if (!hit) {
			fprintf(stderr, "%s: segment %zu not found in %s: %.60s\n", path, i, txt,
				text ? text : "(no text)");
			ok = false;
			continue;
		}
		size_t bstart = (size_t)(hit - data), bend = bstart + strlen(text);
		pos = bend;
		size_t cstart = 0;
		for (size_t k = 0; k < bstart; k++)
			cstart += ((unsigned char)data[k] & 0xC0) != 0x80;
		size_t clen = 0;
		for (size_t k = bstart; k < bend; k++)
			clen += ((unsigned char)data[k] & 0xC0) != 0x80;
		size_t mid = cstart + clen / 2;
		json_t *match = NULL;
		bool exact = false;
		for (size_t k = 0; k < json_array_size(sys); k++) {
			json_t *s = json_array_get(sys, k);
			size_t ss = (size_t)json_integer_value(json_object_get(s, "start"));
			size_t se = (size_t)json_integer_value(json_object_get(s, "end"));
			if (ss == cstart && se == cstart + clen)
				exact = true;
			if (ss <= mid && mid < se) {
				match = s;
				break;
			}
		}
		for (int k = 0; k < SPLIT_COUNT; k++) {
			if (k != sp && k != SPLIT_ALL)
				continue;
			struct split_score *sc = &scores[k];
			sc->segments++;
			if (exact)
				sc->f[F_SEGMENT].tp++;
			else
				sc->f[F_SEGMENT].fn++;
			json_t *gsp = json_object_get(g, "speaker");
			json_t *ssp = json_object_get(match, "speaker");
			json_t *gout = json_object_get(g, "outlet");
			json_t *sout = json_object_get(match, "outlet");
			const char *go = json_is_string(gout) ? json_string_value(gout) :
					 jstr(gout, "name");
			json_t *scue = json_object_get(match, "cue");
			score_class(sc->kind, kind_classes, jstr(g, "kind"), jstr(match, "kind"));
			score_lf(sc, g, match);
			score_value(&sc->f[F_SPEAKER], jstr(gsp, "name"), jstr(ssp, "name"));
			score_value(&sc->f[F_OUTLET], go, jstr(sout, "name"));
			score_value(&sc->f[F_CUE], jstr(g, "cue"), jstr(scue, "text"));
			/* held-out articles are never shown: rules are not tuned on them */
			if (k == SPLIT_ALL && sp == SPLIT_TUNE) {
				show(opt, F_KIND, id, text, jstr(g, "kind"), jstr(match, "kind"));
				for (int lf = 0; lf < LF_FIELDS; lf++) {
					const char *gv, *sv;
					if (lf_value(g, lf, &gv)) {
						lf_value(match, lf, &sv);
						show(opt, F_LABEL + lf, id, text, gv, sv);
					}
				}
				if (opt->features)
					write_features(opt->features, id, g, match);
				show(opt, F_SPEAKER, id, text, jstr(gsp, "name"), jstr(ssp, "name"));
				show(opt, F_OUTLET, id, text, go, jstr(sout, "name"));
				show(opt, F_CUE, id, text, jstr(g, "cue"), jstr(scue, "text"));
				if (!exact && opt->show && !strcmp(opt->show, "segment"))
					printf("%s: segment: %.120s\n", id, text);
			}
		}
	}
	json_t *gattrs = json_object_get(gold, "attributions");
	if (json_is_array(gattrs))
		for (int k = 0; k < SPLIT_COUNT; k++)
			if (k == sp || k == SPLIT_ALL)
				spans_score(data, len, gattrs, json_object_get(out, "attributions"),
					    &scores[k].spans,
					    k == SPLIT_ALL && sp == SPLIT_TUNE && opt->show &&
					    !strcmp(opt->show, "spans") ? stdout : NULL, id);
	/* every system sentence counts against segment precision here; the
	 * exact matches are taken off again once all articles are scored */
	for (int k = 0; k < SPLIT_COUNT; k++)
		if (k == sp || k == SPLIT_ALL) {
			scores[k].f[F_SEGMENT].fp += (long)json_array_size(sys);
			scores[k].documents++;
		}
	json_decref(out);
	json_decref(gold);
	free(data);
	return ok;
}

/* The header of a table with a P/R/F1 column group per split. */
static void table_header(const char *first, int width)
{
	printf("%-*s", width, first);
	for (int k = 0; k < SPLIT_COUNT; k++)
		printf(" | %-7s %5s %5s %5s", split_names[k], "P", "R", "F1");
	printf("\n");
}

/* One P/R/F1 cell; "-" when the split has nothing to score. */
static void table_cell(bool present, double p, double r, double f1v)
{
	if (present)
		printf(" | %-7s %5.3f %5.3f %5.3f", "", p, r, f1v);
	else
		printf(" | %-7s %5s %5s %5s", "", "-", "-", "-");
}

static void print_spans(const struct split_score *scores)
{
	printf("\n");
	table_header("span", 15);
	for (int f = 0; f < SF_COUNT; f++) {
		printf("%-15s", span_field_names[f]);
		for (int k = 0; k < SPLIT_COUNT; k++) {
			double p, r, v = span_f1(&scores[k].spans.f[f], &p, &r);
			table_cell(scores[k].spans.documents > 0, p, r, v);
		}
		printf("\n");
	}
	printf("pronoun sources resolved to the gold name:");
	for (int k = 0; k < SPLIT_COUNT; k++) {
		const struct span_score *s = &scores[k].spans;
		printf(" %s %ld/%ld", split_names[k], s->resolved, s->pronouns);
		if (s->pronouns)
			printf(" (%.3f)", (double)s->resolved / (double)s->pronouns);
		printf(k + 1 < SPLIT_COUNT ? ";" : "\n");
	}
	printf("attributions: gold tune %ld, heldout %ld; documents with spans: tune %ld, "
	       "heldout %ld (docs/attribution.md)\n", scores[SPLIT_TUNE].spans.gold_attributions,
	       scores[SPLIT_HELDOUT].spans.gold_attributions, scores[SPLIT_TUNE].spans.documents,
	       scores[SPLIT_HELDOUT].spans.documents);
}

/* Accuracy and per-class P/R/F1 of label, voice and checkworthy, then
 * the calibration of label_score: for each bin of the score given, how
 * many labels and the share of them that are right. */
static void print_labels(const struct split_score *scores)
{
	printf("\n");
	table_header("label field", 27);
	for (int lf = 0; lf < LF_FIELDS; lf++) {
		const char *name = field_names[F_LABEL + lf];
		printf("%-27s", name);
		for (int k = 0; k < SPLIT_COUNT; k++) {
			const struct split_score *sc = &scores[k];
			if (sc->lf_valued[lf])
				printf(" | n %-5ld accuracy %9.3f", sc->lf_valued[lf],
				       (double)sc->lf_correct[lf] / (double)sc->lf_valued[lf]);
			else
				printf(" | %-7s %5s %5s %5s", "", "-", "-", "-");
		}
		printf("\n");
		for (int c = 0; lf_classes[lf][c]; c++) {
			printf("  %-25s", lf_classes[lf][c]);
			for (int k = 0; k < SPLIT_COUNT; k++) {
				double p, r, v = f1(&scores[k].lf[lf][c], &p, &r);
				table_cell(scores[k].lf_annotated[lf] > 0, p, r, v);
			}
			printf("\n");
		}
		printf("  %-25s", "macro");
		for (int k = 0; k < SPLIT_COUNT; k++) {
			double p, r, v = macro(scores[k].lf[lf], lf_classes[lf], &p, &r);
			table_cell(scores[k].lf_annotated[lf] > 0, p, r, v);
		}
		printf("\n");
	}
	printf("\n%-27s", "label_score calibration");
	for (int k = 0; k < SPLIT_COUNT; k++)
		printf(" | %-7s %5s %5s %5s", split_names[k], "n", "score", "right");
	printf("\n");
	double gap[SPLIT_COUNT] = { 0 };
	long total[SPLIT_COUNT] = { 0 };
	for (int b = 0; b < CAL_BINS; b++) {
		char bin[32];
		snprintf(bin, sizeof bin, "  [%.1f, %.1f%c", 0.5 + 0.1 * b, 0.6 + 0.1 * b,
			 b + 1 < CAL_BINS ? ')' : ']');
		printf("%-27s", bin);
		for (int k = 0; k < SPLIT_COUNT; k++) {
			const struct split_score *sc = &scores[k];
			long n = sc->cal_count[b];
			if (!n) {
				printf(" | %-7s %5ld %5s %5s", "", 0L, "-", "-");
				continue;
			}
			double mean = sc->cal_sum[b] / (double)n;
			double right = (double)sc->cal_correct[b] / (double)n;
			printf(" | %-7s %5ld %5.3f %5.3f", "", n, mean, right);
			gap[k] += (double)n * (mean > right ? mean - right : right - mean);
			total[k] += n;
		}
		printf("\n");
	}
	printf("%-27s", "  calibration error (ECE)");
	for (int k = 0; k < SPLIT_COUNT; k++)
		printf(" | %-7s %5s %5s %5.3f", "", "", "", total[k] ? gap[k] / (double)total[k] : 0.0);
	printf("\n");
}

static int cmp_names(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static void eval_usage(FILE *out)
{
	fputs("usage: ascribe eval [--rules DIR] [--floor [SPLIT:]FIELD=F1]... [--show FIELD]\n"
	      "                    [--features FILE] [--quiet] [DIR]\n"
	      "\n"
	      "Annotates every DIR/NAME.txt that has a DIR/NAME.gold.json (default\n"
	      "corpus/articles) and prints precision, recall and F1 per field (segment,\n"
	      "kind, speaker, outlet, cue, label, voice, checkworthy) for the tune split, the heldout split\n"
	      "and both together, and, for articles with gold attribution spans, P/R/F1\n"
	      "of the source, cue and content spans and of whole triples, exact and\n"
	      "partial (docs/eval.md).  --floor fails the run (exit 1) when the F1 of\n"
	      "FIELD over all articles (or over one split, heldout:FIELD=F1) is below\n"
	      "the given value (span fields:\n"
	      "source-exact, source-partial, cue-..., content-..., triple-...).  --show\n"
	      "FIELD prints every segment of the tune split whose FIELD differs from the\n"
	      "gold; --show spans every tune attribution that is not an exact match\n"
	      "(held-out articles are never shown).  --features FILE writes, for every\n"
	      "labelled segment of the tune split, its gold label, voice and checkworthy\n"
	      "and the evidence the system weighed, one line each, for\n"
	      "scripts/fit-calibration.py (- for standard output).\n", out);
}

int cli_eval(int argc, char **argv)
{
	struct eval_opts opt = { 0 };
	const char *rules_dir = NULL, *dir = "corpus/articles", *features = NULL;
	/* --floor [SPLIT:]FIELD=F1, checked on all articles or on one split */
	struct floor { int split, field; bool span; double value; } floors[64];
	size_t nfloors = 0;
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];
		if (!strcmp(a, "-h") || !strcmp(a, "--help")) {
			eval_usage(stdout);
			return 0;
		} else if (!strcmp(a, "-q") || !strcmp(a, "--quiet")) {
			opt.quiet = true;
		} else if (!strcmp(a, "--rules") && i + 1 < argc) {
			rules_dir = argv[++i];
		} else if (!strcmp(a, "--show") && i + 1 < argc) {
			opt.show = argv[++i];
		} else if (!strcmp(a, "--features") && i + 1 < argc) {
			features = argv[++i];
		} else if (!strcmp(a, "--floor") && i + 1 < argc) {
			const char *spec = argv[++i];
			int split = SPLIT_ALL;
			for (int k = 0; k < SPLIT_COUNT; k++) {
				size_t n = strlen(split_names[k]);
				if (!strncmp(spec, split_names[k], n) && spec[n] == ':') {
					split = k;
					spec += n + 1;
				}
			}
			const char *eq = strchr(spec, '=');
			int f = -1, sf = -1;
			for (int k = 0; eq && k < F_COUNT; k++)
				if (strlen(field_names[k]) == (size_t)(eq - spec) &&
				    !strncmp(spec, field_names[k], (size_t)(eq - spec)))
					f = k;
			for (int k = 0; eq && k < SF_COUNT; k++)
				if (strlen(span_field_names[k]) == (size_t)(eq - spec) &&
				    !strncmp(spec, span_field_names[k], (size_t)(eq - spec)))
					sf = k;
			char *end = NULL;
			double v = eq ? strtod(eq + 1, &end) : -1;
			if ((f < 0 && sf < 0) || !end || *end || v < 0 || v > 1 ||
			    nfloors == sizeof floors / sizeof *floors) {
				fprintf(stderr, "ascribe eval: --floor wants [tune:|heldout:]FIELD=NUMBER "
					"in [0,1], not '%s'\n", argv[i]);
				return 2;
			}
			floors[nfloors++] = (struct floor){ split, f >= 0 ? f : sf, f < 0, v };
		} else if (a[0] == '-') {
			fprintf(stderr, "ascribe eval: unknown option '%s'\n", a);
			eval_usage(stderr);
			return 2;
		} else {
			dir = a;
		}
	}
	DIR *d = opendir(dir);
	if (!d) {
		fprintf(stderr, "ascribe eval: %s: %s\n", dir, strerror(errno));
		return 2;
	}
	char **names = NULL;
	size_t n = 0, cap = 0;
	struct dirent *e;
	while ((e = readdir(d))) {
		size_t len = strlen(e->d_name);
		if (len <= 10 || strcmp(e->d_name + len - 10, ".gold.json"))
			continue;
		if (n == cap) {
			cap = cap ? cap * 2 : 64;
			char **grown = realloc(names, cap * sizeof *names);
			if (!grown)
				break;
			names = grown;
		}
		names[n++] = strdup(e->d_name);
	}
	closedir(d);
	if (n)
		qsort(names, n, sizeof *names, cmp_names);
	asc_rules *rules = cli_load_rules(rules_dir);
	if (!rules) {
		for (size_t i = 0; i < n; i++)
			free(names[i]);
		free(names);
		return 3;
	}
	if (features) {
		opt.features = strcmp(features, "-") ? fopen(features, "w") : stdout;
		if (!opt.features) {
			fprintf(stderr, "ascribe eval: %s: %s\n", features, strerror(errno));
			asc_rules_free(rules);
			for (size_t i = 0; i < n; i++)
				free(names[i]);
			free(names);
			return 2;
		}
		opt.quiet = true;
	}
	asc_annotator *an = asc_annotator_new(rules);
	struct split_score scores[SPLIT_COUNT];
	memset(scores, 0, sizeof scores);
	bool ok = true;
	for (size_t i = 0; i < n; i++) {
		ok = eval_one(rules, an, dir, names[i], scores, &opt) && ok;
		free(names[i]);
	}
	free(names);
	if (opt.features && opt.features != stdout)
		fclose(opt.features);
	asc_annotator_free(an);
	asc_rules_free(rules);
	/* segment precision: exact matches over system sentences */
	for (int k = 0; k < SPLIT_COUNT; k++)
		scores[k].f[F_SEGMENT].fp -= scores[k].f[F_SEGMENT].tp;

	if (!opt.quiet && !opt.show) {
		table_header("field", 11);
		for (int f = 0; f < F_COUNT; f++) {
			printf("%-11s", field_names[f]);
			for (int k = 0; k < SPLIT_COUNT; k++) {
				double p, r, f1v = field_f1(&scores[k], f, &p, &r);
				table_cell(scores[k].segments > 0 &&
					   (f < F_LABEL || scores[k].lf_annotated[f - F_LABEL] > 0),
					   p, r, f1v);
			}
			printf("\n");
		}
		printf("documents: tune %ld, heldout %ld; segments: tune %ld, heldout %ld\n",
		       scores[SPLIT_TUNE].documents, scores[SPLIT_HELDOUT].documents,
		       scores[SPLIT_TUNE].segments, scores[SPLIT_HELDOUT].segments);
		printf("kind, label, voice, checkworthy: macro-F1 over classes; speaker, outlet, "
		       "cue: extraction F1 (docs/eval.md)\n");
		print_labels(scores);
		if (scores[SPLIT_ALL].spans.documents)
			print_spans(scores);
	}
	int rc = ok ? 0 : 1;
	for (size_t i = 0; i < nfloors; i++) {
		const struct floor *fl = &floors[i];
		double p, r;
		double v = fl->span ? span_f1(&scores[fl->split].spans.f[fl->field], &p, &r)
				    : field_f1(&scores[fl->split], fl->field, &p, &r);
		if (v + 1e-9 < fl->value) {
			fprintf(stderr, "ascribe eval: %s%s%s F1 %.3f is below its floor %.3f\n",
				fl->split == SPLIT_ALL ? "" : split_names[fl->split],
				fl->split == SPLIT_ALL ? "" : ":",
				fl->span ? span_field_names[fl->field] : field_names[fl->field], v,
				fl->value);
			rc = 1;
		}
	}
	return rc;
}
