/* html.c - the review page (docs/exports.md). */
#include "doc.h"

asc_status html_write(const asc_doc *doc, FILE *out)
{
	(void)doc;
	(void)out;
	return ASC_ERR_INPUT;
}
