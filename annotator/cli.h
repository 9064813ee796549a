/* cli.h - the pieces of the ascribe command (not part of the library). */
#ifndef ASC_CLI_H
#define ASC_CLI_H

#include <stdbool.h>
#include <stddef.h>

#include "ascribe.h"

struct cli_annotate {
	char **files;
	size_t nfiles;
	bool jsonl;          /* input is JSON Lines records */
	int format;          /* asc_format */
	bool several;        /* more than one document may be written */
	bool brat_dir;       /* --format brat: output names a directory */
	const char *output;  /* NULL: standard output */
	bool color, quiet;
	size_t max_doc_bytes;
	size_t jobs;         /* worker threads; 1: annotate on the main thread */
	bool progress;       /* draw a progress line on standard error */
	const char *profile; /* --profile: where to write the time per rule ("-": stderr) */
};

/* Annotates every input and writes the results; returns the exit status. */
int cli_annotate_run(const asc_rules *rules, const struct cli_annotate *opt);

/* Reads a whole file ("-" for standard input) into a malloc'd buffer of at
 * most max bytes.  Returns 0, or an errno value (EFBIG when over max). */
int cli_read_file(const char *path, size_t max, char **data, size_t *len);

/* The rule directory to use: given, or the default; NULL with a message. */
char *cli_rules_dir(const char *given);
/* Loads and compiles rules, printing every error; NULL on failure. */
asc_rules *cli_load_rules(const char *given);
/* Whether ASCRIBE_JIT_BUDGET_MB, when set, is a whole number of megabytes. */
bool cli_jit_budget_ok(void);

int cli_eval(int argc, char **argv);
int cli_diff(int argc, char **argv);

#endif
