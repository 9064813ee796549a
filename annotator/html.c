/* html.c - the review page: one self-contained HTML file that shows the
 * article as it reads with every sentence's tags in place (docs/exports.md).
 *
 * Every piece of the article, of the rules and of the metadata goes through
 * html_escape into a text node or a quoted attribute; nothing from the
 * document reaches the script or the style sheet, which are constants of
 * this file.  The script only toggles classes and one generated style rule
 * made of integers, with one delegated listener (no per-sentence
 * listeners), so a page of 5,000 sentences stays quick.  A Content Security
 * Policy with a fresh nonce forbids any other script and every external
 * load. */
#include "doc.h"

#include <stdio.h>
#include <string.h>
#include <sys/random.h>

/* ---- escaping ----------------------------------------------------------- */

/* Appends s[0..n) with & < > " ' as character references: safe in a text
 * node and in a double- or single-quoted attribute value. */
void html_escape(buf *b, const char *s, size_t n)
{
	size_t run = 0;
	for (size_t i = 0; i < n; i++) {
		const char *rep;
		switch (s[i]) {
		case '&': rep = "&amp;"; break;
		case '<': rep = "&lt;"; break;
		case '>': rep = "&gt;"; break;
		case '"': rep = "&quot;"; break;
		case '\'': rep = "&#39;"; break;
		default: continue;
		}
		buf_add(b, s + run, i - run);
		buf_adds(b, rep);
		run = i + 1;
	}
	buf_add(b, s + run, n - run);
}

void html_escapes(buf *b, const char *s)
{
	if (s)
		html_escape(b, s, strlen(s));
}

/* A fresh nonce for the page's one script (Content Security Policy). */
void html_nonce(char out[33])
{
	static const char hex[] = "0123456789abcdef";
	unsigned char r[16] = { 0 };
	if (getrandom(r, sizeof r, 0) != (ssize_t)sizeof r) {
		/* no entropy: the policy still forbids every script but ours only
		 * if the nonce cannot be guessed, so mix in what differs */
		uintptr_t p = (uintptr_t)out;
		memcpy(r, &p, sizeof p < sizeof r ? sizeof p : sizeof r);
	}
	for (int i = 0; i < 16; i++) {
		out[2 * i] = hex[r[i] >> 4];
		out[2 * i + 1] = hex[r[i] & 15];
	}
	out[32] = '\0';
}

/* The page's head up to <body>: charset, policy, title, the style sheet. */
void html_head(buf *b, const char *title, const char *nonce, const char *css)
{
	buf_adds(b, "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
		    "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; "
		    "style-src 'unsafe-inline'; script-src 'nonce-");
	buf_adds(b, nonce);
	buf_adds(b, "'; img-src data:; base-uri 'none'; form-action 'none'\">\n"
		    "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
		    "<meta name=\"generator\" content=\"ascribe " ASC_VERSION "\">\n<title>");
	html_escapes(b, title);
	buf_adds(b, "</title>\n<style>\n");
	buf_adds(b, css);
	buf_adds(b, "</style>\n</head>\n");
}

/* ---- the style sheet and the script --------------------------------------- */

static const char page_css[] =
	":root{--fg:#1d1d1f;--muted:#666;--bg:#fff;--fact:#1a7f37;--opinion:#b35900;"
	"--anon:#c0002a;--line:#ddd}\n"
	"*{box-sizing:border-box}\n"
	"body{margin:0;font:16px/1.6 Georgia,'DejaVu Serif',serif;color:var(--fg);background:var(--bg)}\n"
	"header{position:sticky;top:0;z-index:2;background:#fafafa;border-bottom:1px solid var(--line);"
	"padding:.5rem 1rem;font-family:system-ui,'DejaVu Sans',sans-serif}\n"
	"header h1{font-size:1.1rem;margin:0 0 .3rem}\n"
	".meta{color:var(--muted);font-size:.85rem;margin:0 0 .4rem}\n"
	".filters{display:flex;flex-wrap:wrap;gap:.4rem;align-items:center}\n"
	"button{font:inherit;font-size:.85rem;border:1px solid #999;background:#fff;border-radius:4px;"
	"padding:.15rem .5rem;cursor:pointer}\n"
	"button[aria-pressed=true]{background:#1d1d1f;color:#fff;border-color:#1d1d1f}\n"
	":focus-visible{outline:3px solid #0b5fff;outline-offset:2px}\n"
	"#status{color:var(--muted);font-size:.85rem}\n"
	".layout{display:grid;grid-template-columns:minmax(0,1fr) 20rem;gap:1.5rem;padding:1rem;"
	"max-width:78rem;margin:0 auto}\n"
	"@media (max-width:60rem){.layout{grid-template-columns:1fr}}\n"
	"main p{margin:0 0 1rem}\n"
	".k-headline{font-size:1.4rem;font-weight:bold}\n"
	".k-byline,.k-dateline,.k-caption{color:var(--muted);font-style:italic}\n"
	"details.boiler{color:#999;border-left:3px solid var(--line);padding-left:.6rem;margin:0 0 1rem}\n"
	"details.boiler summary{cursor:pointer;font-family:system-ui,sans-serif;font-size:.8rem}\n"
	".s{border-radius:3px}\n"
	".s:target,.s:focus{background:#fff6c2;outline:none}\n"
	".s.opinion{border-bottom:2px dotted var(--opinion)}\n"
	".tag{display:inline-block;position:relative;font:11px/1.4 system-ui,'DejaVu Sans',sans-serif;"
	"border:1px solid currentColor;border-radius:3px;padding:0 .25rem;margin-right:.2rem;"
	"vertical-align:.15em;white-space:nowrap;cursor:help}\n"
	".tag.fact{color:var(--fact)}.tag.opinion{color:var(--opinion)}\n"
	".tag.kind,.tag.outlet,.tag.cuetag{color:#555}\n"
	".tag.who{font-weight:bold}\n"
	".tag.anon,mark.src.anon{color:var(--anon);outline:2px dashed var(--anon)}\n"
	".tag:hover::after,.tag:focus::after{content:attr(data-rules);position:absolute;left:0;top:1.6em;"
	"z-index:3;background:#1d1d1f;color:#fff;padding:.2rem .4rem;border-radius:3px;"
	"font-weight:normal;white-space:pre}\n"
	"mark{background:none;color:inherit;padding:0}\n"
	"mark.ct{background:var(--c,#eee)}\n"
	"mark.src{text-decoration:underline 2px;text-decoration-color:var(--d,#333);font-weight:bold}\n"
	"mark.cue{font-style:italic;border-bottom:2px solid #7a3db8}\n"
	".c0{--c:#dbeafe;--d:#1d4ed8}.c1{--c:#dcfce7;--d:#15803d}.c2{--c:#fde68a;--d:#a16207}"
	".c3{--c:#fbcfe8;--d:#be185d}.c4{--c:#e9d5ff;--d:#7e22ce}.c5{--c:#ccfbf1;--d:#0f766e}"
	".c6{--c:#fed7aa;--d:#c2410c}.c7{--c:#e5e7eb;--d:#374151}\n"
	"aside{font-family:system-ui,'DejaVu Sans',sans-serif;font-size:.9rem;position:sticky;top:7rem;"
	"align-self:start;max-height:calc(100vh - 8rem);overflow:auto}\n"
	"aside h2{font-size:1rem;margin:0 0 .5rem}\n"
	"aside ul{list-style:none;margin:0;padding:0}\n"
	"aside li.voice{margin:0 0 .6rem;padding:0 0 .4rem;border-bottom:1px solid var(--line)}\n"
	"aside button.voice{border-left:6px solid var(--d,#999);text-align:left}\n"
	"aside .role{color:var(--muted);display:block;font-size:.8rem}\n"
	"aside ol{margin:.2rem 0 0 1.2rem;padding:0;font-size:.8rem}\n"
	"aside a{color:inherit}\n"
	".legend{font-size:.8rem;color:var(--muted)}\n"
	"@media print{header{position:static}.filters,aside,#status{display:none}"
	".layout{display:block;padding:0}.s{display:inline!important}"
	".tag{border:1px solid #000;color:#000!important}.tag::after{content:none!important}"
	"mark.ct{outline:1px solid #999}details.boiler{color:#666}"
	"body{font-size:11pt}a{color:inherit;text-decoration:none}}\n";

/* Filters toggle a class on <body> or one rule made of a voice number; the
 * counts come from data attributes written with the page. */
static const char page_js[] =
	"(function(){\n"
	"'use strict';\n"
	"var dyn=document.getElementById('filter-style');\n"
	"var status=document.getElementById('status');\n"
	"var rules={all:'',opinion:'.s:not(.opinion){display:none}',"
	"anon:'.s:not([data-anon]){display:none}',check:'.s:not(.cw){display:none}'};\n"
	"function press(btn){\n"
	"  var all=document.querySelectorAll('button[aria-pressed]');\n"
	"  for(var i=0;i<all.length;i++)all[i].setAttribute('aria-pressed',all[i]===btn?'true':'false');\n"
	"}\n"
	"function apply(btn){\n"
	"  var f=btn.getAttribute('data-filter'),v=btn.getAttribute('data-voice'),css='';\n"
	"  if(v!==null&&/^[0-9]+$/.test(v)){css='.s:not([data-v=\"'+v+'\"]){display:none}';}\n"
	"  else if(Object.prototype.hasOwnProperty.call(rules,f)){css=rules[f];}\n"
	"  if(css)css+='details.boiler{display:none}';\n"
	"  dyn.textContent=css;\n"
	"  document.body.setAttribute('data-filter',v!==null?'voice':f);\n"
	"  press(btn);\n"
	"  status.textContent=btn.getAttribute('data-count')+' sentences shown';\n"
	"}\n"
	"document.addEventListener('click',function(e){\n"
	"  var btn=e.target.closest('button[data-filter],button[data-voice]');\n"
	"  if(btn){apply(btn);return;}\n"
	"});\n"
	"function visible(el){return el.checkVisibility?el.checkVisibility():el.offsetParent!==null;}\n"
	"document.addEventListener('keydown',function(e){\n"
	"  if(e.altKey||e.ctrlKey||e.metaKey)return;\n"
	"  var t=e.target;if(t&&(t.tagName==='INPUT'||t.tagName==='TEXTAREA'))return;\n"
	"  if(e.key!=='j'&&e.key!=='k')return;\n"
	"  var all=document.querySelectorAll('.s'),cur=-1;\n"
	"  var at=document.activeElement&&document.activeElement.closest?document.activeElement.closest('.s'):null;\n"
	"  for(var i=0;i<all.length;i++)if(all[i]===at){cur=i;break;}\n"
	"  var step=e.key==='j'?1:-1;\n"
	"  for(var k=cur+step;k>=0&&k<all.length;k+=step){if(visible(all[k])){all[k].focus();"
	"all[k].scrollIntoView({block:'center'});e.preventDefault();return;}}\n"
	"});\n"
	"var closed=[];\n"
	"window.addEventListener('beforeprint',function(){\n"
	"  var d=document.querySelectorAll('details:not([open])');closed=[];\n"
	"  for(var i=0;i<d.length;i++){d[i].open=true;closed.push(d[i]);}\n"
	"});\n"
	"window.addEventListener('afterprint',function(){for(var i=0;i<closed.length;i++)closed[i].open=false;});\n"
	"})();\n";

/* ---- the article ------------------------------------------------------------ */

enum mark_role { MARK_SOURCE = 1, MARK_CUE = 2, MARK_CONTENT = 4 };

/* A highlight: bytes of the text, what it is, whose voice. */
struct mark {
	uint32_t start, end;
	int role;
	int voice;           /* colour: the speaker's voice number, or -1 */
	bool anonymous;
};

struct page {
	const asc_doc *doc;
	buf *b;
	int *voice_of;       /* entity -> voice number (order of first speaking), or -1 */
	int *entity_of;      /* voice number -> entity */
	int nvoices;
	ARRAY(struct mark) marks;
	int_list *per_sentence;   /* sentence -> indices into marks */
};

/* The sentence holding byte at (the last that starts at or before it). */
static size_t sentence_at(const asc_doc *doc, uint32_t at)
{
	size_t lo = 0, hi = doc->sentences.len;
	while (hi - lo > 1) {
		size_t mid = (lo + hi) / 2;
		if (doc->sentences.items[mid].start <= at)
			lo = mid;
		else
			hi = mid;
	}
	return lo;
}

static void add_mark(struct page *pg, struct span at, int role, int voice, bool anonymous)
{
	if (at.end <= at.start)
		return;
	size_t idx = pg->marks.len;
	*array_push(&pg->marks) = (struct mark){ at.start, at.end, role, voice, anonymous };
	const asc_doc *doc = pg->doc;
	if (!doc->sentences.len)
		return;
	for (size_t s = sentence_at(doc, at.start); s < doc->sentences.len &&
	     doc->sentences.items[s].start < at.end; s++)
		*array_push(&pg->per_sentence[s]) = (int)idx;
}

static void collect(struct page *pg)
{
	const asc_doc *doc = pg->doc;
	size_t ne = doc->entities.len;
	pg->voice_of = xmalloc((ne + 1) * sizeof *pg->voice_of);
	pg->entity_of = xmalloc((ne + 1) * sizeof *pg->entity_of);
	for (size_t e = 0; e < ne; e++)
		pg->voice_of[e] = -1;
	for (size_t i = 0; i < doc->sentences.len; i++) {
		int e = doc->sentences.items[i].speaker.entity;
		if (e >= 0 && pg->voice_of[e] < 0) {
			pg->entity_of[pg->nvoices] = e;
			pg->voice_of[e] = pg->nvoices++;
		}
	}
	pg->per_sentence = xcalloc(doc->sentences.len + 1, sizeof *pg->per_sentence);
	size_t piece = 0;
	for (size_t ai = 0; ai < doc->attributions.len; ai++) {
		const struct attribution *a = &doc->attributions.items[ai];
		while (piece < doc->pieces.len && doc->pieces.items[piece].attribution < (int)ai)
			piece++;
		if (a->dropped)
			continue;
		int e = a->source.entity;
		int voice = e >= 0 ? pg->voice_of[e] : -1;
		bool anon = e >= 0 && doc->entities.items[e].anonymous;
		add_mark(pg, a->source_np.end > a->source_np.start ? a->source_np : a->source.at,
			 MARK_SOURCE, voice, anon);
		add_mark(pg, a->cue_group.end > a->cue_group.start ? a->cue_group : a->cue, MARK_CUE,
			 voice, false);
		add_mark(pg, a->cue2, MARK_CUE, voice, false);
		add_mark(pg, a->content, MARK_CONTENT, voice, false);
		for (; piece < doc->pieces.len && doc->pieces.items[piece].attribution == (int)ai; piece++)
			add_mark(pg, doc->pieces.items[piece].at, MARK_CONTENT, voice, false);
	}
}

static void page_free(struct page *pg)
{
	for (size_t i = 0; i < pg->doc->sentences.len; i++)
		array_free(&pg->per_sentence[i]);
	free(pg->per_sentence);
	free(pg->voice_of);
	free(pg->entity_of);
	array_free(&pg->marks);
}

static int u32_cmp(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
	return x < y ? -1 : x > y;
}

/* The sentence's text, cut at every highlight's edge; each run in a <mark>
 * whose classes say which highlights cover it. */
static void sentence_text(struct page *pg, size_t i)
{
	const asc_doc *doc = pg->doc;
	const struct sentence *s = &doc->sentences.items[i];
	const int_list *ms = &pg->per_sentence[i];
	buf *b = pg->b;
	if (!ms->len) {
		html_escape(b, doc->text + s->start, s->end - s->start);
		return;
	}
	uint32_t *cut = xmalloc((2 * ms->len + 2) * sizeof *cut);
	size_t n = 0;
	cut[n++] = s->start;
	cut[n++] = s->end;
	for (size_t k = 0; k < ms->len; k++) {
		const struct mark *m = &pg->marks.items[ms->items[k]];
		if (m->start > s->start && m->start < s->end)
			cut[n++] = m->start;
		if (m->end > s->start && m->end < s->end)
			cut[n++] = m->end;
	}
	qsort(cut, n, sizeof *cut, u32_cmp);
	for (size_t c = 0; c + 1 < n; c++) {
		uint32_t a = cut[c], z = cut[c + 1];
		if (a == z)
			continue;
		int roles = 0, voice = -1;
		bool anon = false;
		for (size_t k = 0; k < ms->len; k++) {
			const struct mark *m = &pg->marks.items[ms->items[k]];
			if (m->start <= a && m->end >= z) {
				roles |= m->role;
				/* the innermost report colours the words: the later mark */
				if (m->voice >= 0)
					voice = m->voice;
				anon |= m->role == MARK_SOURCE && m->anonymous;
			}
		}
		if (!roles) {
			html_escape(b, doc->text + a, z - a);
			continue;
		}
		buf_adds(b, "<mark class=\"");
		if (roles & MARK_CONTENT)
			buf_adds(b, "ct ");
		if (roles & MARK_SOURCE)
			buf_adds(b, anon ? "src anon " : "src ");
		if (roles & MARK_CUE)
			buf_adds(b, "cue ");
		if (voice >= 0)
			buf_printf(b, "c%d", voice % 8);
		buf_adds(b, "\">");
		html_escape(b, doc->text + a, z - a);
		buf_adds(b, "</mark>");
	}
	free(cut);
}

static const char *rule_name(const asc_doc *doc, int rule)
{
	return doc->rules->rules.items[rule].id;
}

/* A tag: a focusable badge whose rule ids show on hover and focus. */
static void tag_open(buf *b, const char *classes)
{
	buf_printf(b, "<span class=\"tag %s\" tabindex=\"0\" data-rules=\"", classes);
}

static void write_sentence(struct page *pg, size_t i)
{
	const asc_doc *doc = pg->doc;
	const struct sentence *s = &doc->sentences.items[i];
	buf *b = pg->b;
	const struct entity *sp = s->speaker.entity >= 0 ? &doc->entities.items[s->speaker.entity]
							 : NULL;
	buf_printf(b, "<span class=\"s k-%s%s%s\" id=\"s%zu\" tabindex=\"-1\"", kind_names[s->kind],
		   s->label == LABEL_FACT ? " fact" : s->label == LABEL_OPINION ? " opinion" : "",
		   s->checkworthy > 0 ? " cw" : "", i);
	if (sp)
		buf_printf(b, " data-v=\"%d\"", pg->voice_of[s->speaker.entity]);
	if (sp && sp->anonymous)
		buf_adds(b, " data-anon=\"1\"");
	buf_adds(b, ">");

	/* the label, with the rules on its side (reasons) */
	if (s->kind != KIND_BODY) {
		tag_open(b, "kind");
		buf_printf(b, "sentence %zu: %s", i, kind_names[s->kind]);
		for (uint32_t k = 0; k < s->reasons_count; k++) {
			const char *id = rule_name(doc, doc->reasons.items[s->reasons_first + k]);
			if (!strncmp(id, "block.", 6)) {
				buf_adds(b, "&#10;");
				html_escapes(b, id);
			}
		}
		buf_printf(b, "\">%s</span>", kind_names[s->kind]);
	}
	if (s->label != LABEL_NONE) {
		const char *lab = s->label == LABEL_FACT ? "fact" : "opinion";
		tag_open(b, lab);
		buf_printf(b, "sentence %zu: %s %.2f, voice %s%s&#10;rules:", i, lab, s->label_score,
			   label_side_names[s->voice], s->checkworthy > 0 ? ", check-worthy" : "");
		for (uint32_t k = 0; k < s->reasons_count; k++) {
			buf_adds(b, "&#10;  ");
			html_escapes(b, rule_name(doc, doc->reasons.items[s->reasons_first + k]));
		}
		buf_printf(b, "\">%s%s</span>", lab, s->checkworthy > 0 ? " &#10003;" : "");
	}
	const struct attribution *a = s->attribution >= 0 ? &doc->attributions.items[s->attribution]
							  : NULL;
	if (sp) {
		char classes[32];
		snprintf(classes, sizeof classes, "who c%d%s", pg->voice_of[s->speaker.entity] % 8,
			 sp->anonymous ? " anon" : "");
		tag_open(b, classes);
		buf_adds(b, "speaker: ");
		html_escapes(b, sp->name);
		if (sp->role) {
			buf_adds(b, " (");
			html_escapes(b, sp->role);
			buf_adds(b, ")");
		}
		buf_printf(b, "&#10;%s, found %s", entity_type_names[sp->type],
			   resolution_names[s->speaker.resolved]);
		if (sp->anonymous)
			buf_adds(b, "&#10;anonymous source");
		if (a) {
			buf_adds(b, "&#10;rule: ");
			html_escapes(b, rule_name(doc, a->rule));
		}
		buf_adds(b, "\">");
		if (sp->anonymous)
			buf_adds(b, "&#9873; ");   /* a flag */
		html_escapes(b, sp->name);
		if (sp->role) {
			buf_adds(b, ", ");
			html_escapes(b, sp->role);
		}
		buf_adds(b, "</span>");
	}
	if (a && s->speaker.resolved != RES_QUOTE) {
		tag_open(b, "cuetag");
		buf_printf(b, "cue, %s attribution&#10;rule: ", attribution_types[a->type]);
		html_escapes(b, rule_name(doc, a->rule));
		buf_adds(b, "\">&#8220;");
		html_escape(b, doc->text + a->cue.start, a->cue.end - a->cue.start);
		buf_adds(b, "&#8221;</span>");
	}
	if (s->outlet >= 0) {
		tag_open(b, "outlet");
		buf_adds(b, "outlet: ");
		html_escapes(b, doc->entities.items[s->outlet].name);
		if (a) {
			buf_adds(b, "&#10;rule: ");
			html_escapes(b, rule_name(doc, a->rule));
		}
		buf_adds(b, "\">@ ");
		html_escapes(b, doc->entities.items[s->outlet].name);
		buf_adds(b, "</span>");
	}
	sentence_text(pg, i);
	buf_adds(b, "</span>");
}

static void write_paragraph(struct page *pg, const struct paragraph *p)
{
	const asc_doc *doc = pg->doc;
	buf *b = pg->b;
	buf_printf(b, "<p class=\"k-%s\">", kind_names[p->kind]);
	uint32_t prev = p->start;
	for (uint32_t k = 0; k < p->sentence_count; k++) {
		size_t i = p->first_sentence + k;
		const struct sentence *s = &doc->sentences.items[i];
		if (s->start > prev)
			html_escape(b, doc->text + prev, s->start - prev);
		write_sentence(pg, i);
		prev = s->end;
	}
	buf_adds(b, "</p>\n");
}

/* Counts shown when a filter is on. */
struct counts {
	size_t all, opinion, anon, check;
	size_t *voice;
};

static void filter_button(buf *b, const char *filter, const char *label, size_t count, bool on)
{
	buf_printf(b, "<button type=\"button\" data-filter=\"%s\" data-count=\"%zu\" "
		   "aria-pressed=\"%s\">%s (%zu)</button>\n", filter, count, on ? "true" : "false",
		   label, count);
}

static void write_voices(struct page *pg, const struct counts *n)
{
	const asc_doc *doc = pg->doc;
	buf *b = pg->b;
	buf_adds(b, "<aside id=\"voices\" aria-label=\"Voices\">\n<h2>Voices</h2>\n"
		    "<p class=\"legend\">Select a voice to show only its sentences.</p>\n<ul>\n");
	for (int v = 0; v < pg->nvoices; v++) {
		int e = pg->entity_of[v];
		const struct entity *en = &doc->entities.items[e];
		buf_printf(b, "<li class=\"voice\"><button type=\"button\" class=\"voice c%d\" "
			   "data-voice=\"%d\" data-count=\"%zu\" aria-pressed=\"false\">", v % 8, v,
			   n->voice[v]);
		if (en->anonymous)
			buf_adds(b, "&#9873; ");
		html_escapes(b, en->name);
		buf_printf(b, " (%zu)</button>", n->voice[v]);
		buf_printf(b, "<span class=\"role\">%s%s", entity_type_names[en->type],
			   en->anonymous ? ", anonymous" : "");
		if (en->role) {
			buf_adds(b, ": ");
			html_escapes(b, en->role);
		}
		buf_adds(b, "</span><ol>");
		for (size_t i = 0; i < doc->sentences.len; i++) {
			const struct sentence *s = &doc->sentences.items[i];
			if (s->speaker.entity != e)
				continue;
			buf_printf(b, "<li><a href=\"#s%zu\">", i);
			size_t len = s->end - s->start, cut = len;
			if (cut > 60) {
				cut = 60;
				while (cut > 0 && ((unsigned char)doc->text[s->start + cut] & 0xC0) == 0x80)
					cut--;
			}
			html_escape(b, doc->text + s->start, cut);
			if (cut < len)
				buf_adds(b, "&#8230;");
			buf_adds(b, "</a></li>");
		}
		buf_adds(b, "</ol></li>\n");
	}
	if (!pg->nvoices)
		buf_adds(b, "<li>Nobody is quoted: every sentence is in the outlet's own voice.</li>\n");
	buf_adds(b, "</ul>\n</aside>\n");
}

asc_status html_write(const asc_doc *doc, FILE *out)
{
	buf b = { 0 };
	struct page pg = { .doc = doc, .b = &b };
	collect(&pg);
	struct counts n = { .voice = xcalloc((size_t)pg.nvoices + 1, sizeof *n.voice) };
	for (size_t i = 0; i < doc->sentences.len; i++) {
		const struct sentence *s = &doc->sentences.items[i];
		n.all++;
		n.opinion += s->label == LABEL_OPINION;
		n.check += s->checkworthy > 0;
		if (s->speaker.entity >= 0) {
			n.voice[pg.voice_of[s->speaker.entity]]++;
			n.anon += doc->entities.items[s->speaker.entity].anonymous;
		}
	}
	char nonce[33];
	html_nonce(nonce);
	const char *title = doc->title ? doc->title : doc->id ? doc->id : "article";
	html_head(&b, title, nonce, page_css);
	buf_adds(&b, "<body>\n<style id=\"filter-style\"></style>\n<header>\n<h1>");
	html_escapes(&b, title);
	buf_adds(&b, "</h1>\n<p class=\"meta\">");
	const char *meta[] = { doc->outlet, doc->date, doc->url, doc->source };
	for (size_t k = 0; k < sizeof meta / sizeof *meta; k++) {
		if (meta[k]) {
			html_escapes(&b, meta[k]);
			buf_adds(&b, " &#183; ");
		}
	}
	buf_printf(&b, "%zu sentences, %d voices &#183; ascribe %s &#183; keys: Tab moves through "
		   "tags and buttons, j and k through sentences</p>\n", n.all, pg.nvoices, ASC_VERSION);
	buf_adds(&b, "<div class=\"filters\" role=\"toolbar\" aria-label=\"Filters\">\n");
	filter_button(&b, "all", "All", n.all, true);
	filter_button(&b, "opinion", "Opinion only", n.opinion, false);
	filter_button(&b, "anon", "Anonymous sources only", n.anon, false);
	filter_button(&b, "check", "Check-worthy", n.check, false);
	buf_adds(&b, "<span id=\"status\" aria-live=\"polite\"></span>\n</div>\n</header>\n"
		    "<div class=\"layout\">\n<main id=\"article\">\n");
	for (size_t k = 0; k < doc->paragraphs.len; k++) {
		const struct paragraph *p = &doc->paragraphs.items[k];
		if (p->kind != KIND_BOILERPLATE) {
			write_paragraph(&pg, p);
		} else {
			size_t end = k;
			while (end + 1 < doc->paragraphs.len &&
			       doc->paragraphs.items[end + 1].kind == KIND_BOILERPLATE)
				end++;
			buf_printf(&b, "<details class=\"boiler\"><summary>Boilerplate: %zu line%s "
				   "(share buttons, links, credits)</summary>\n", end - k + 1,
				   end == k ? "" : "s");
			for (; k <= end; k++)
				write_paragraph(&pg, &doc->paragraphs.items[k]);
			k = end;
			buf_adds(&b, "</details>\n");
		}
		if (b.len > (1u << 18)) {
			fwrite(b.data, 1, b.len, out);
			b.len = 0;
		}
	}
	buf_adds(&b, "</main>\n");
	write_voices(&pg, &n);
	buf_printf(&b, "</div>\n<script nonce=\"%s\">\n%s</script>\n</body>\n</html>\n", nonce, page_js);
	fwrite(b.data, 1, b.len, out);
	buf_free(&b);
	free(n.voice);
	page_free(&pg);
	return ferror(out) ? ASC_ERR_IO : ASC_OK;
}
