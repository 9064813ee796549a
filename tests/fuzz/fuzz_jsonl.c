/* fuzz_jsonl.c - the JSON Lines reader of `ascribe annotate --input jsonl`
 * on arbitrary bytes, through the command's own code (cli_annotate_run).
 *
 * The input is written to a file and annotated into another.  Every output
 * line must be valid JSON, and there must be one for every record: every
 * line of the input that holds anything but spaces, tabs and carriage
 * returns.  The size of the input picks --max-doc-bytes, so that records
 * over the limit are read as well as records under it.
 *
 * Every record is also read by the one-pass reader (annotator/jsonl.c) and
 * by jansson's json_loadb: the reader must take only what jansson takes
 * and give the same members (tests/jsonl/agree.h). */
#include "fuzz.h"
#include "cli.h"
#include "../jsonl/agree.h"

#include <jansson.h>
#include <unistd.h>

static asc_rules *rules;
static char in_path[256], out_path[256];

static void remove_files(void)
{
	unlink(in_path);
	unlink(out_path);
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	rules = fuzz_default_rules();
	const char *dir = getenv("TMPDIR");
	dir = dir && *dir ? dir : "/tmp";
	snprintf(in_path, sizeof in_path, "%s/ascribe-fuzz-%ld.jsonl", dir, (long)getpid());
	snprintf(out_path, sizeof out_path, "%s/ascribe-fuzz-%ld.out", dir, (long)getpid());
	atexit(remove_files);
	return 0;
}

static size_t count_records(const uint8_t *data, size_t size)
{
	size_t records = 0;
	bool content = false;
	for (size_t i = 0; i < size; i++) {
		if (data[i] == '\n') {
			records += content;
			content = false;
		} else if (data[i] != ' ' && data[i] != '\t' && data[i] != '\r') {
			content = true;
		}
	}
	return records + content;
}

/* The reader and jansson on every record of the input. */
static void check_reader(const uint8_t *data, size_t size)
{
	static jsonl_record rec;
	const char *pos = (const char *)data, *end = pos + size, *line;
	size_t len;
	while (jsonl_next_record(&pos, end, &line, &len)) {
		char why[400];
		bool taken;
		const char *differs = jsonl_disagreement(&rec, line, len, &taken, why, sizeof why);
		if (differs)
			fprintf(stderr, "record at byte %zu: %s\n",
				(size_t)(line - (const char *)data), differs);
		FUZZ_CHECK(differs == NULL);
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	check_reader(data, size);
	FILE *f = fopen(in_path, "wb");
	FUZZ_CHECK(f != NULL);
	FUZZ_CHECK(fwrite(data, 1, size, f) == size);
	FUZZ_CHECK(fclose(f) == 0);
	char *files[] = { in_path };
	struct cli_annotate opt = {
		.files = files, .nfiles = 1, .jsonl = true, .format = ASC_FORMAT_JSONL,
		.output = out_path, .quiet = true, .jobs = 1,
		.max_doc_bytes = size % 3 == 0 ? 16 : 128u << 20,
	};
	int status = cli_annotate_run(rules, &opt);
	FUZZ_CHECK(status == 0 || status == 1);

	char *out = NULL;
	size_t len = 0;
	FUZZ_CHECK(cli_read_file(out_path, SIZE_MAX, &out, &len) == 0);
	size_t lines = 0;
	for (size_t i = 0; i < len;) {
		char *nl = memchr(out + i, '\n', len - i);
		FUZZ_CHECK(nl != NULL);   /* every line ends */
		json_error_t jerr;
		json_t *v = json_loadb(out + i, (size_t)(nl - (out + i)), JSON_REJECT_DUPLICATES, &jerr);
		if (!v)
			fprintf(stderr, "output line %zu: %s\n", lines + 1, jerr.text);
		FUZZ_CHECK(json_is_object(v));
		FUZZ_CHECK(json_object_get(v, "ascribe") != NULL);
		json_decref(v);
		lines++;
		i = (size_t)(nl - out) + 1;
	}
	FUZZ_CHECK(lines == count_records(data, size));
	free(out);
	return 0;
}
