/* diff_html.c - `ascribe diff --format html`: the documents side by side,
 * one column each with its claims in order, every shared claim linked to
 * its partners, then the shared pairs with their differences, the voices
 * and the sourcing profiles (docs/exports.md).  Everything read from the
 * documents goes through html_escape; the page has no script at all. */
#include "diff.h"
#include "doc.h"

#include <stdio.h>

static const char diff_css[] =
	"*{box-sizing:border-box}\n"
	"body{margin:0;font:15px/1.5 Georgia,'DejaVu Serif',serif;color:#1d1d1f}\n"
	"header,h2,table,.meta,.tag,.link{font-family:system-ui,'DejaVu Sans',sans-serif}\n"
	"header{padding:.6rem 1rem;border-bottom:1px solid #ddd;background:#fafafa}\n"
	"header h1{font-size:1.1rem;margin:0}\n"
	"h2{font-size:1rem;margin:1.5rem 1rem .5rem}\n"
	".cols{display:grid;gap:1rem;padding:0 1rem;overflow-x:auto}\n"
	".col h3{font:bold 1rem system-ui,sans-serif;margin:.5rem 0;position:sticky;top:0;background:#fff}\n"
	".claim{border:1px solid #ddd;border-radius:4px;padding:.4rem .5rem;margin:0 0 .5rem}\n"
	".claim.shared{border-left:5px solid #0b5fff}\n"
	".claim:target{background:#fff6c2;outline:3px solid #0b5fff}\n"
	".tag{font-size:11px;border:1px solid currentColor;border-radius:3px;padding:0 .25rem;"
	"margin-right:.25rem;white-space:nowrap}\n"
	".fact{color:#1a7f37}.opinion{color:#b35900}.anon{color:#c0002a;font-weight:bold}\n"
	".link{display:block;font-size:.8rem;margin-top:.2rem}\n"
	"a{color:#0b5fff}a:focus-visible{outline:3px solid #0b5fff;outline-offset:2px}\n"
	".diffs{color:#a15c00}\n"
	"table{border-collapse:collapse;margin:0 1rem 1rem;font-size:.85rem}\n"
	"td,th{border:1px solid #ddd;padding:.25rem .4rem;vertical-align:top;text-align:left}\n"
	"td.text{font-family:Georgia,'DejaVu Serif',serif;font-size:.9rem;max-width:32rem}\n"
	"@media print{.cols{display:block}.col{break-inside:avoid-page}a{color:inherit}}\n";

static char letter(int doc)
{
	return doc < 26 ? (char)('A' + doc) : '#';
}

static void claim_id(buf *b, const struct diff_claim *c)
{
	buf_printf(b, "d%d-s%d", c->doc, c->sentence);
}

static void differences(buf *b, const asc_diff *d, const struct diff_pair *p)
{
	const struct diff_claim *a = &d->claims.items[p->a], *c = &d->claims.items[p->b];
	bool any = false;
	if (p->differences & DIFF_LABEL) {
		buf_printf(b, "label %s / %s", diff_label_names[a->label], diff_label_names[c->label]);
		any = true;
	}
	if (p->differences & DIFF_SOURCING) {
		buf_printf(b, "%ssourcing %s / %s", any ? "; " : "", diff_sourcing_names[a->sourcing],
			   diff_sourcing_names[c->sourcing]);
		any = true;
	}
	if (p->differences & DIFF_SPEAKER) {
		buf_printf(b, "%sspeaker ", any ? "; " : "");
		html_escapes(b, a->voice >= 0 ? d->voices.items[a->voice].name : a->speaker);
		buf_adds(b, " / ");
		html_escapes(b, c->voice >= 0 ? d->voices.items[c->voice].name : c->speaker);
		any = true;
	}
	if (p->differences & DIFF_QUOTE) {
		buf_printf(b, "%squote / paraphrase", any ? "; " : "");
		any = true;
	}
	if (!any)
		buf_adds(b, "same label, sourcing and speaker");
}

static void claim_head(buf *b, const struct diff_claim *c)
{
	const char *lab = diff_label_names[c->label];
	buf_printf(b, "<span class=\"tag %s\">%s</span>", lab, lab);
	if (c->speaker) {
		buf_printf(b, "<span class=\"tag%s\">", c->sourcing == SRC_ANONYMOUS ? " anon" : "");
		if (c->sourcing == SRC_ANONYMOUS)
			buf_adds(b, "&#9873; ");
		html_escapes(b, c->speaker);
		buf_adds(b, "</span>");
	}
	buf_printf(b, "<span class=\"tag\">%s</span>", diff_mode_names[c->mode]);
}

asc_status diff_html_write(const asc_diff *d, FILE *out)
{
	buf b = { 0 };
	char nonce[33];
	html_nonce(nonce);
	html_head(&b, "ascribe diff", nonce, diff_css);
	size_t nd = d->docs.len;
	buf_printf(&b, "<body>\n<header><h1>ascribe diff: %zu documents, %zu shared claims</h1>"
		   "<p class=\"meta\">claims are shared at similarity &#8805; %.3f; each shared claim "
		   "links to its partners</p></header>\n", nd, d->pairs.len, d->threshold);
	for (size_t i = 0; i < d->warnings.len; i++) {
		buf_adds(&b, "<p class=\"meta\">warning: ");
		html_escapes(&b, d->warnings.items[i]);
		buf_adds(&b, "</p>\n");
	}

	/* partners of each claim */
	int_list *partners = xcalloc(d->claims.len + 1, sizeof *partners);
	for (size_t i = 0; i < d->pairs.len; i++) {
		*array_push(&partners[d->pairs.items[i].a]) = (int)i;
		*array_push(&partners[d->pairs.items[i].b]) = (int)i;
	}

	buf_printf(&b, "<h2>Side by side</h2>\n<div class=\"cols\" style=\"grid-template-columns:"
		   "repeat(%zu,minmax(16rem,1fr))\">\n", nd);
	for (size_t k = 0; k < nd; k++) {
		const struct diff_document *doc = &d->docs.items[k];
		buf_printf(&b, "<section class=\"col\" id=\"d%zu\" aria-label=\"", k);
		html_escapes(&b, doc->label);
		buf_printf(&b, "\"><h3>%c &#183; ", letter((int)k));
		html_escapes(&b, doc->label);
		buf_printf(&b, " (%zu claims)</h3>\n", doc->nclaims);
		for (size_t c = doc->first_claim; c < doc->first_claim + doc->nclaims; c++) {
			const struct diff_claim *cl = &d->claims.items[c];
			buf_adds(&b, "<div class=\"claim");
			if (cl->shared)
				buf_adds(&b, " shared");
			buf_adds(&b, "\" id=\"");
			claim_id(&b, cl);
			buf_printf(&b, "\" tabindex=\"-1\"><div>#%d ", cl->sentence);
			claim_head(&b, cl);
			buf_adds(&b, "</div>");
			html_escapes(&b, cl->text);
			for (size_t q = 0; q < partners[c].len; q++) {
				const struct diff_pair *p = &d->pairs.items[partners[c].items[q]];
				const struct diff_claim *other = &d->claims.items[(size_t)p->a == c ? p->b : p->a];
				buf_adds(&b, "<a class=\"link\" href=\"#");
				claim_id(&b, other);
				buf_printf(&b, "\">&#8596; %c #%d, similarity %.2f: <span class=\"diffs\">",
					   letter(other->doc), other->sentence, p->similarity);
				differences(&b, d, p);
				buf_adds(&b, "</span></a>");
			}
			buf_adds(&b, "</div>\n");
		}
		buf_adds(&b, "</section>\n");
	}
	buf_adds(&b, "</div>\n");

	buf_adds(&b, "<h2>Shared claims</h2>\n<table><thead><tr><th>documents</th><th>similarity</th>"
		     "<th>differences</th><th>claim</th><th>claim</th></tr></thead><tbody>\n");
	for (size_t i = 0; i < d->pairs.len; i++) {
		const struct diff_pair *p = &d->pairs.items[i];
		const struct diff_claim *a = &d->claims.items[p->a], *c = &d->claims.items[p->b];
		buf_printf(&b, "<tr><td>%c / %c</td><td>%.3f</td><td class=\"diffs\">", letter(a->doc),
			   letter(c->doc), p->similarity);
		differences(&b, d, p);
		buf_adds(&b, "</td><td class=\"text\"><a href=\"#");
		claim_id(&b, a);
		buf_adds(&b, "\">");
		html_escapes(&b, a->text);
		buf_adds(&b, "</a></td><td class=\"text\"><a href=\"#");
		claim_id(&b, c);
		buf_adds(&b, "\">");
		html_escapes(&b, c->text);
		buf_adds(&b, "</a></td></tr>\n");
	}
	buf_adds(&b, "</tbody></table>\n");

	buf_adds(&b, "<h2>Voices</h2>\n<table><thead><tr><th>voice</th>");
	for (size_t k = 0; k < nd; k++)
		buf_printf(&b, "<th>%c</th>", letter((int)k));
	buf_adds(&b, "</tr></thead><tbody>\n");
	for (size_t v = 0; v < d->voices.len; v++) {
		const struct diff_voice *vo = &d->voices.items[v];
		buf_printf(&b, "<tr><td%s>", vo->anonymous ? " class=\"anon\"" : "");
		if (vo->anonymous)
			buf_adds(&b, "&#9873; ");
		html_escapes(&b, vo->name);
		buf_adds(&b, "</td>");
		for (size_t k = 0; k < nd; k++)
			buf_printf(&b, "<td>%d</td>", vo->counts[k]);
		buf_adds(&b, "</tr>\n");
	}
	buf_adds(&b, "</tbody></table>\n<h2>Sourcing profile</h2>\n<table><thead><tr><th>document"
		     "</th><th>claims</th><th>attributed</th><th>anonymous</th><th>opinion</th>"
		     "<th>voices</th><th>named</th></tr></thead><tbody>\n");
	for (size_t k = 0; k < nd; k++) {
		const struct diff_document *doc = &d->docs.items[k];
		buf_printf(&b, "<tr><td>%c &#183; ", letter((int)k));
		html_escapes(&b, doc->label);
		buf_printf(&b, "</td><td>%zu</td><td>%d</td><td>%d</td><td>%d</td><td>%d</td><td>%d</td>"
			   "</tr>\n", doc->nclaims, doc->attributed, doc->anonymous, doc->opinion,
			   doc->voices, doc->named_voices);
	}
	buf_adds(&b, "</tbody></table>\n</body>\n</html>\n");
	fwrite(b.data, 1, b.len, out);
	buf_free(&b);
	for (size_t c = 0; c < d->claims.len; c++)
		array_free(&partners[c]);
	free(partners);
	return ferror(out) ? ASC_ERR_IO : ASC_OK;
}
