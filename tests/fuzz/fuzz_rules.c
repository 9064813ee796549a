/* fuzz_rules.c - the rule-file loader and compiler on an arbitrary file.
 *
 * The input is written as the one file of a rule directory and compiled.
 * Every error must carry a message and, when it is about the file, its
 * line and column.  A rule set that compiles has its examples run and
 * annotates a few sentences under its rules. */
#include "fuzz.h"

#include <sys/stat.h>
#include <unistd.h>

asc_status asc_rules_compile(const char *dir, asc_rules **out, asc_check_fn report,
			     void *ctx, asc_error *err);

static char dir[256], path[300];

static void remove_files(void)
{
	unlink(path);
	rmdir(dir);
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	const char *tmp = getenv("TMPDIR");
	tmp = tmp && *tmp ? tmp : "/tmp";
	/* a fresh name: a run killed before its atexit leaves its directory */
	snprintf(dir, sizeof dir, "%s/ascribe-fuzz-rules-XXXXXX", tmp);
	if (!mkdtemp(dir)) {
		perror(dir);
		abort();
	}
	snprintf(path, sizeof path, "%s/rules.yaml", dir);
	atexit(remove_files);
	return 0;
}

static void check_error(const asc_error *e, void *ctx)
{
	size_t *count = ctx;
	(*count)++;
	FUZZ_CHECK(e->status != ASC_OK);
	FUZZ_CHECK(e->message[0] != '\0');
	FUZZ_CHECK(memchr(e->message, '\0', sizeof e->message) != NULL);
	/* a fault in the file says where it is */
	if (!strcmp(e->file, path) && e->status != ASC_ERR_IO) {
		if (e->line < 1 || e->column < 1)
			fprintf(stderr, "no place: %s\n", e->message);
		FUZZ_CHECK(e->line >= 1 && e->column >= 1);
	}
}

static void ignore_failure(const asc_error *e, void *ctx)
{
	(void)ctx;
	FUZZ_CHECK(e->message[0] != '\0');
}

static const char sample[] =
	"Harbour talks stall\n"
	"\"We will not sign this,\" the minister said on Monday.\n"
	"According to officials, the ferry left at 9.30 a.m. Critics said it was late.\n"
	"She told reporters that the plan was, in her view, \"a disgrace\".\n";

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	FILE *f = fopen(path, "wb");
	FUZZ_CHECK(f != NULL);
	FUZZ_CHECK(fwrite(data, 1, size, f) == size);
	FUZZ_CHECK(fclose(f) == 0);
	asc_rules *rules = NULL;
	asc_error err;
	size_t errors = 0;
	asc_status st = asc_rules_compile(dir, &rules, check_error, &errors, &err);
	if (st != ASC_OK) {
		FUZZ_CHECK(rules == NULL && errors > 0 && err.status == st);
		return 0;
	}
	FUZZ_CHECK(rules != NULL && errors == 0);
	asc_rules_check(rules, ignore_failure, NULL, NULL);
	asc_annotator *an = asc_annotator_new(rules);
	asc_doc *doc = NULL;
	FUZZ_CHECK(asc_annotate(an, sample, sizeof sample - 1, NULL, &doc, &err) == ASC_OK);
	char *json = asc_doc_to_json(doc, 1);
	FUZZ_CHECK(json != NULL);
	free(json);
	asc_doc_free(doc);
	asc_annotator_free(an);
	asc_rules_free(rules);
	return 0;
}
