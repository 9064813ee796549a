/* main.c - the ascribe command: a thin client of the library.
 *
 *   ascribe annotate [options] FILE...    annotate articles
 *   ascribe rules check [DIR]             compile a rule set, run its examples
 *   ascribe eval [options] [DIR]          score against the gold corpus
 *   ascribe diff [options] A.json B.json  compare how documents cover a story
 *
 * Exit statuses are listed in usage() and docs/ascribe.1.md. */
#include "ascribe.h"
#include "cli.h"
#include "util.h"

#include <getopt.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static const char *argv0 = "ascribe";

static void usage(FILE *out)
{
	fputs("usage: ascribe <command> [options]\n"
	      "\n"
	      "commands:\n"
	      "  annotate FILE...     tag every sentence with kind, speaker, outlet, cue, label\n"
	      "  rules check [DIR]    compile a rule set and run every rule's examples\n"
	      "  eval [DIR]           annotate the gold corpus and print precision/recall/F1\n"
	      "  diff A.json B.json   compare voices, shared claims and sourcing of documents\n"
	      "\n"
	      "  ascribe COMMAND --help shows the options of a command.\n"
	      "  --version prints the version.\n"
	      "\n"
	      "exit status: 0 success; 1 some input failed (annotate), an example or a\n"
	      "floor failed (rules check, eval); 2 usage error; 3 the rules could not be\n"
	      "loaded; 4 the output could not be written.\n", out);
}

static void annotate_usage(FILE *out)
{
	fputs("usage: ascribe annotate [options] FILE...   (- reads standard input)\n"
	      "\n"
	      "  --input text|jsonl     input is plain text (default) or JSON Lines records\n"
	      "                         {\"id\",\"outlet\",\"url\",\"date\",\"title\",\"text\"}\n"
	      "  --format FORMAT        json: one object per document (default for one\n"
	      "                         text document); jsonl: one compact object per line\n"
	      "                         (default for several documents or jsonl input);\n"
	      "                         text: one line per sentence, coloured on a terminal;\n"
	      "                         html: a review page (one document); brat (-o DIR\n"
	      "                         or -o NAME.ann), webanno, labelstudio, doccano,\n"
	      "                         claimreview: see docs/exports.md\n"
	      "  -o, --output FILE      write to FILE (via a temporary file and a rename)\n"
	      "  --rules DIR            rule directory (default: see ascribe(1))\n"
	      "  --max-doc-bytes N      refuse documents larger than N bytes (default 134217728);\n"
	      "                         a JSON Lines record may be 2N + 1 MiB long\n"
	      "  -j, --jobs N           annotate on N threads (0: one per processor; default\n"
	      "                         1); the output is in input order and the same for\n"
	      "                         every N\n"
	      "  --progress, --no-progress\n"
	      "                         a progress line on standard error (default: only\n"
	      "                         when it is a terminal and --quiet is not given)\n"
	      "  --profile FILE         write the time each rule took to FILE (- for\n"
	      "                         standard error), costliest first; see\n"
	      "                         docs/rules.md\n"
	      "  --color auto|always|never\n"
	      "  -q, --quiet            do not print warnings\n"
	      "  -h, --help             this text\n"
	      "\n"
	      "exit status: 0 the run succeeded (warnings allowed; with --input jsonl a bad\n"
	      "record becomes an error record and the others are still annotated); 1 an\n"
	      "input could not be read, a text document failed, or no JSON Lines record\n"
	      "could be annotated at all; 2 usage error; 3 the rules could not be loaded;\n"
	      "4 the output could not be written.\n",
	      out);
}

static void rules_usage(FILE *out)
{
	fputs("usage: ascribe rules check [--quiet] [DIR]\n"
	      "\n"
	      "Compiles every *.yaml file below DIR (default: the default rules) and runs\n"
	      "every rule's examples.  Problems are printed as file:line:col: message.\n"
	      "\n"
	      "exit status: 0 all compiled and every example passed; 1 an example failed;\n"
	      "2 usage error; 3 YAML syntax error; 4 schema error (unknown key, wrong type,\n"
	      "missing or duplicate id); 5 a pattern PCRE2 rejects; 6 unknown macro or\n"
	      "lexicon, or a macro cycle; 7 a rule file or directory could not be read.\n",
	      out);
}

/* ---- rules ------------------------------------------------------------ */

asc_status asc_rules_compile(const char *dir, asc_rules **out,
			     asc_check_fn report, void *ctx, asc_error *err);

static void print_error(const asc_error *e, void *ctx)
{
	(void)ctx;
	char msg[1200];
	asc_error_format(e, msg, sizeof msg);
	fprintf(stderr, "%s\n", msg);
}

static int status_exit(asc_status s)
{
	switch (s) {
	case ASC_OK: return 0;
	case ASC_ERR_EXAMPLE: return 1;
	case ASC_ERR_YAML: return 3;
	case ASC_ERR_SCHEMA: return 4;
	case ASC_ERR_REGEX: return 5;
	case ASC_ERR_MACRO: return 6;
	default: return 7;
	}
}

char *cli_rules_dir(const char *given)
{
	if (given)
		return strdup(given);
	char *dir = asc_rules_default_dir(argv0);
	if (!dir)
		fprintf(stderr, "ascribe: no rule directory found: give --rules DIR or set "
			"ASCRIBE_RULES\n");
	return dir;
}

bool cli_jit_budget_ok(void)
{
	const char *env = getenv("ASCRIBE_JIT_BUDGET_MB");
	uint64_t v;
	return !env || parse_whole(env, SIZE_MAX >> 20, &v);
}

asc_rules *cli_load_rules(const char *given)
{
	char *dir = cli_rules_dir(given);
	if (!dir)
		return NULL;
	asc_rules *rules = NULL;
	asc_error err;
	if (asc_rules_compile(dir, &rules, print_error, NULL, &err) != ASC_OK)
		fprintf(stderr, "ascribe: the rules in %s could not be loaded\n", dir);
	free(dir);
	return rules;
}

static int cmd_rules(int argc, char **argv)
{
	if (argc < 2 || !strcmp(argv[1], "--help") || !strcmp(argv[1], "-h")) {
		rules_usage(argc < 2 ? stderr : stdout);
		return argc < 2 ? 2 : 0;
	}
	if (strcmp(argv[1], "check")) {
		fprintf(stderr, "ascribe rules: unknown command '%s'\n", argv[1]);
		rules_usage(stderr);
		return 2;
	}
	bool quiet = false;
	const char *dir = NULL;
	for (int i = 2; i < argc; i++) {
		if (!strcmp(argv[i], "-q") || !strcmp(argv[i], "--quiet"))
			quiet = true;
		else if (!strcmp(argv[i], "-h") || !strcmp(argv[i], "--help")) {
			rules_usage(stdout);
			return 0;
		} else if (argv[i][0] == '-' && argv[i][1]) {
			fprintf(stderr, "ascribe rules check: unknown option '%s'\n", argv[i]);
			return 2;
		} else if (dir) {
			fprintf(stderr, "ascribe rules check: one directory at a time\n");
			return 2;
		} else {
			dir = argv[i];
		}
	}
	char *path = cli_rules_dir(dir);
	if (!path)
		return 7;
	asc_rules *rules = NULL;
	asc_error err;
	asc_status st = asc_rules_compile(path, &rules, print_error, NULL, &err);
	if (st != ASC_OK) {
		free(path);
		return status_exit(st);
	}
	size_t total = 0;
	size_t failed = asc_rules_check(rules, print_error, NULL, &total);
	if (!quiet || failed)
		fprintf(failed ? stderr : stdout, "%s: %zu rules, %zu examples, %zu failed\n",
			path, asc_rules_count(rules), total, failed);
	free(path);
	asc_rules_free(rules);
	return failed ? 1 : 0;
}

/* ---- annotate ------------------------------------------------------------ */

/* --format names, in asc_format order */
static const char *const format_names[] = {
	"json", "jsonl", "text", "html", "brat", "webanno", "labelstudio", "doccano",
	"claimreview", NULL
};

enum { OPT_INPUT = 256, OPT_FORMAT, OPT_RULES, OPT_MAX, OPT_COLOR, OPT_PROGRESS,
       OPT_NO_PROGRESS, OPT_PROFILE };

static int cmd_annotate(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "input", required_argument, NULL, OPT_INPUT },
		{ "format", required_argument, NULL, OPT_FORMAT },
		{ "output", required_argument, NULL, 'o' },
		{ "rules", required_argument, NULL, OPT_RULES },
		{ "max-doc-bytes", required_argument, NULL, OPT_MAX },
		{ "color", required_argument, NULL, OPT_COLOR },
		{ "colour", required_argument, NULL, OPT_COLOR },
		{ "quiet", no_argument, NULL, 'q' },
		{ "jobs", required_argument, NULL, 'j' },
		{ "progress", no_argument, NULL, OPT_PROGRESS },
		{ "no-progress", no_argument, NULL, OPT_NO_PROGRESS },
		{ "profile", required_argument, NULL, OPT_PROFILE },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct cli_annotate opt = { .max_doc_bytes = 128u << 20, .format = -1, .jobs = 1 };
	int progress = -1;
	const char *rules_dir = NULL, *color = "auto";
	int c;
	optind = 1;
	while ((c = getopt_long(argc, argv, "o:qj:h", longopts, NULL)) != -1) {
		switch (c) {
		case OPT_INPUT:
			if (!strcmp(optarg, "text"))
				opt.jsonl = false;
			else if (!strcmp(optarg, "jsonl"))
				opt.jsonl = true;
			else {
				fprintf(stderr, "ascribe annotate: --input must be text or jsonl, not '%s'\n",
					optarg);
				return 2;
			}
			break;
		case OPT_FORMAT:
			opt.format = -1;
			for (int k = 0; format_names[k]; k++)
				if (!strcmp(optarg, format_names[k]))
					opt.format = k;
			if (opt.format < 0) {
				fprintf(stderr, "ascribe annotate: --format must be json, jsonl, text, html, "
					"brat, webanno, labelstudio, doccano or claimreview, not '%s'\n",
					optarg);
				return 2;
			}
			break;
		case 'o':
			opt.output = optarg;
			break;
		case OPT_RULES:
			rules_dir = optarg;
			break;
		case OPT_PROFILE:
			opt.profile = optarg;
			break;
		case OPT_MAX: {
			uint64_t v;
			if (!parse_whole(optarg, 0xFFFFFF00u, &v) || v == 0) {
				fprintf(stderr, "ascribe annotate: --max-doc-bytes must be a number "
					"from 1 to 4294967040, not '%s'\n", optarg);
				return 2;
			}
			opt.max_doc_bytes = (size_t)v;
			break;
		}
		case OPT_COLOR:
			color = optarg;
			if (strcmp(color, "auto") && strcmp(color, "always") && strcmp(color, "never")) {
				fprintf(stderr, "ascribe annotate: --color must be auto, always or never\n");
				return 2;
			}
			break;
		case 'q':
			opt.quiet = true;
			break;
		case 'j': {
			uint64_t v;
			if (!parse_whole(optarg, 256, &v)) {
				fprintf(stderr, "ascribe annotate: -j must be a number from 0 (one per "
					"processor) to 256, not '%s'\n", optarg);
				return 2;
			}
			if (v == 0) {
				long n = sysconf(_SC_NPROCESSORS_ONLN);
				v = n > 0 ? (uint64_t)n : 1;
			}
			opt.jobs = v;
			break;
		}
		case OPT_PROGRESS:
			progress = 1;
			break;
		case OPT_NO_PROGRESS:
			progress = 0;
			break;
		case 'h':
			annotate_usage(stdout);
			return 0;
		default:
			annotate_usage(stderr);
			return 2;
		}
	}
	if (optind >= argc) {
		fprintf(stderr, "ascribe annotate: no input file (use - for standard input)\n");
		annotate_usage(stderr);
		return 2;
	}
	opt.files = argv + optind;
	opt.nfiles = (size_t)(argc - optind);
	opt.several = opt.jsonl || opt.nfiles > 1;
	if (opt.format < 0)
		opt.format = opt.several ? ASC_FORMAT_JSONL : ASC_FORMAT_JSON;
	else if (opt.format == ASC_FORMAT_JSON && opt.several)
		opt.format = ASC_FORMAT_JSONL;
	if (opt.format == ASC_FORMAT_HTML && opt.several) {
		fprintf(stderr, "ascribe annotate: --format html makes one page of one text "
			"document\n");
		return 2;
	}
	if (opt.format == ASC_FORMAT_BRAT) {
		if (!opt.output) {
			fprintf(stderr, "ascribe annotate: --format brat writes files: give -o DIR "
				"or -o NAME.ann\n");
			return 2;
		}
		struct stat st;
		size_t n = strlen(opt.output);
		opt.brat_dir = (stat(opt.output, &st) == 0 && S_ISDIR(st.st_mode)) ||
			       (n && opt.output[n - 1] == '/');
		if (!opt.brat_dir && (n < 5 || strcmp(opt.output + n - 4, ".ann"))) {
			fprintf(stderr, "ascribe annotate: --format brat: -o must be a directory or "
				"end in .ann, not '%s'\n", opt.output);
			return 2;
		}
		if (!opt.brat_dir && opt.several) {
			fprintf(stderr, "ascribe annotate: --format brat: several documents need "
				"-o DIR\n");
			return 2;
		}
		opt.jobs = 1;   /* file names are given out in input order */
	}
	opt.color = !strcmp(color, "always") ||
		    (!strcmp(color, "auto") && !opt.output && isatty(STDOUT_FILENO) &&
		     !getenv("NO_COLOR"));
	opt.progress = progress >= 0 ? progress : !opt.quiet && isatty(STDERR_FILENO);
	asc_rules *rules = cli_load_rules(rules_dir);
	if (!rules)
		return 3;
	int rc = cli_annotate_run(rules, &opt);
	asc_rules_free(rules);
	return rc;
}

int main(int argc, char **argv)
{
	argv0 = argv[0];
	if (argc < 2) {
		usage(stderr);
		return 2;
	}
	const char *cmd = argv[1];
	if (!strcmp(cmd, "-h") || !strcmp(cmd, "--help") || !strcmp(cmd, "help")) {
		usage(stdout);
		return 0;
	}
	if (!strcmp(cmd, "--version") || !strcmp(cmd, "version")) {
		printf("ascribe %s (output schema %s)\n", ASC_VERSION, ASC_SCHEMA_VERSION);
		return 0;
	}
	if (!cli_jit_budget_ok()) {
		fprintf(stderr, "ascribe: ASCRIBE_JIT_BUDGET_MB must be a whole number of "
			"megabytes, not '%s'\n", getenv("ASCRIBE_JIT_BUDGET_MB"));
		return 2;
	}
	if (!strcmp(cmd, "annotate"))
		return cmd_annotate(argc - 1, argv + 1);
	if (!strcmp(cmd, "rules"))
		return cmd_rules(argc - 1, argv + 1);
	if (!strcmp(cmd, "eval"))
		return cli_eval(argc - 1, argv + 1);
	if (!strcmp(cmd, "diff"))
		return cli_diff(argc - 1, argv + 1);
	fprintf(stderr, "ascribe: unknown command '%s'\n", cmd);
	usage(stderr);
	return 2;
}
