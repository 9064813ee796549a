// make test-browser: the review page and the diff page in Debian's
// Chromium, driven by playwright-core.  Checks the highlights, the filters,
// the voices panel, the keyboard, folded boilerplate, that article text is
// inert (no script runs, no element is made from it, the text shows as
// written), a page of over 5,000 sentences, and the diff page's links.
//
//   node review.js WORKDIR [SCREENSHOT.png]
//
// WORKDIR holds the pages and annotate JSON run.sh made.  Prints TAP-like
// "ok - ..." lines and a closing "N passed, M failed".
'use strict';
const fs = require('fs');
const path = require('path');
const { chromium } = require('playwright-core');

const work = process.argv[2];
const screenshot = process.argv[3];
let pass = 0, fail = 0;
function ok(cond, what, detail) {
  if (cond) { pass++; console.log('ok - ' + what); }
  else { fail++; console.log('not ok - ' + what + (detail !== undefined ? ' (' + detail + ')' : '')); }
}
const url = (name) => 'file://' + path.join(work, name);
const json = (name) => JSON.parse(fs.readFileSync(path.join(work, name), 'utf8'));

async function visibleSentences(page) {
  return page.$$eval('main .s', (all) => all.filter((s) => s.checkVisibility()).map((s) => ({
    id: s.id, cls: s.className, v: s.getAttribute('data-v'), anon: s.hasAttribute('data-anon'),
  })));
}

async function reviewPage(browser) {
  const doc = json('sample.json');
  const page = await browser.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
  const requests = [];
  page.on('request', (r) => { if (!r.url().startsWith('file://')) requests.push(r.url()); });
  await page.goto(url('sample.html'));
  ok(errors.length === 0, 'sample page: loads without script errors', errors.join('; '));
  ok(requests.length === 0, 'sample page: asks for nothing over the network', requests.join(' '));

  // highlights: every attribution's content, source and cue is marked
  const marks = await page.$$eval('mark', (m) => m.map((x) => ({ cls: x.className, text: x.textContent })));
  const withContent = doc.attributions.filter((a) => a.content).length;
  ok(marks.some((m) => /\bct\b/.test(m.cls)) && withContent > 0, 'sample page: attributed content is highlighted');
  ok(marks.some((m) => /\bsrc\b/.test(m.cls)), 'sample page: sources are highlighted');
  ok(marks.some((m) => /\bcue\b/.test(m.cls)), 'sample page: cues are highlighted');
  const contentText = (await page.$$eval('mark.ct', (m) => m.map((x) => x.textContent))).join('');
  const first = doc.attributions.find((a) => a.content);
  ok(contentText.includes(first.content.text.slice(0, 20)), 'sample page: the highlighted words are the content\'s');
  const colours = await page.$$eval('mark.ct', (m) => new Set(m.map((x) => getComputedStyle(x).backgroundColor)).size);
  const speakers = new Set(doc.sentences.filter((s) => s.speaker).map((s) => s.speaker.name));
  ok(colours >= Math.min(2, speakers.size), 'sample page: content is coloured by source', colours + ' colours');

  // the text reads as written
  const mainText = await page.$eval('main', (m) => m.textContent);
  const missing = doc.sentences.filter((s) => !mainText.includes(s.text));
  ok(missing.length === 0, 'sample page: every sentence\'s text is on the page as written', missing.length + ' missing');

  // tags and their rules
  const labelled = doc.sentences.filter((s) => s.label);
  const tagCount = await page.$$eval('.tag.fact, .tag.opinion', (t) => t.length);
  ok(tagCount === labelled.length, 'sample page: every labelled sentence has its fact/opinion tag', tagCount + ' of ' + labelled.length);
  const opinionTags = await page.$$eval('.s.opinion', (t) => t.length);
  ok(opinionTags === labelled.filter((s) => s.label === 'opinion').length, 'sample page: opinions are marked');
  const who = await page.$$eval('.tag.who', (t) => t.length);
  ok(who === doc.sentences.filter((s) => s.speaker).length, 'sample page: every speaker has a tag');
  const anonTags = await page.$$eval('.tag.who.anon', (t) => t.length);
  ok(anonTags === doc.sentences.filter((s) => s.speaker && s.speaker.anonymous).length && anonTags > 0,
    'sample page: anonymous speakers are flagged', anonTags);
  const anonColour = await page.$eval('.tag.who.anon', (t) => getComputedStyle(t).color);
  const namedColour = await page.$eval('.tag.who:not(.anon)', (t) => getComputedStyle(t).color);
  ok(anonColour !== namedColour, 'sample page: an anonymous source looks different from a named one');
  const s = labelled[0];
  const tag = await page.$(`#s${s.index} .tag.${s.label}`);
  await tag.focus();
  const tip = await tag.evaluate((t) => getComputedStyle(t, '::after').content);
  ok(s.reasons.every((r) => tip.includes(r)), 'sample page: focusing a tag shows the rule ids behind it', tip.slice(0, 80));
  await page.mouse.move(0, 0);
  const whoTag = await page.$('.tag.who');
  await whoTag.hover();
  const whoTip = await whoTag.evaluate((t) => getComputedStyle(t, '::after').content);
  const ruled = doc.sentences.find((x) => x.speaker && x.cue);
  ok(/rule: /.test(whoTip), 'sample page: hovering a speaker tag shows its rule', whoTip.slice(0, 80));
  ok(ruled === undefined || (await page.content()).includes(doc.attributions[0].rule), 'sample page: attribution rule ids are on the page');

  // filters
  const all = (await visibleSentences(page)).length;
  ok(all === doc.sentences.length - doc.sentences.filter((x) => x.kind === 'boilerplate').length,
    'sample page: every sentence shows, boilerplate folded away', all);
  await page.click('button[data-filter=opinion]');
  let vis = await visibleSentences(page);
  ok(vis.length > 0 && vis.every((x) => /\bopinion\b/.test(x.cls)), 'filter "opinion only": only opinions show', vis.length);
  ok(vis.length === doc.sentences.filter((x) => x.label === 'opinion').length, 'filter "opinion only": every opinion shows');
  ok(await page.$eval('button[data-filter=opinion]', (b) => b.getAttribute('aria-pressed')) === 'true', 'filter buttons say which is pressed');
  await page.click('button[data-filter=anon]');
  vis = await visibleSentences(page);
  ok(vis.length === doc.sentences.filter((x) => x.speaker && x.speaker.anonymous).length && vis.every((x) => x.anon),
    'filter "anonymous only": only anonymous sources show', vis.length);
  await page.click('button[data-filter=all]');
  ok((await visibleSentences(page)).length === all, 'filter "all" shows everything again');

  // the voices panel
  const voices = await page.$$eval('aside li.voice', (l) => l.map((x) => x.querySelector('button').textContent));
  ok(voices.length === speakers.size, 'voices panel: one entry per speaker', voices.length + ' for ' + speakers.size);
  const name = [...speakers][0];
  const spoken = doc.sentences.filter((x) => x.speaker && x.speaker.name === name);
  const nth = await page.$$eval('aside button.voice', (b, n) => b.findIndex((x) => x.textContent.replace(/^\u2691 /, '').startsWith(n + ' (')), name);
  const item = page.locator('aside li.voice').nth(nth);
  const btn = item.locator('button.voice');
  const listed = await item.locator('ol li').count();
  ok(listed === spoken.length, 'voices panel: lists the sentences each voice speaks', listed + ' of ' + spoken.length);
  await btn.click();
  vis = await visibleSentences(page);
  ok(vis.length === spoken.length && vis.every((x) => spoken.some((y) => 's' + y.index === x.id)),
    'voices panel: clicking a voice shows only its sentences', vis.length + ' of ' + spoken.length);
  const link = item.locator('ol a').first();
  await link.click();
  ok(page.url().endsWith('#s' + spoken[0].index), 'voices panel: a sentence link goes to the sentence');

  // the keyboard alone
  await page.click('button[data-filter=all]');
  await page.evaluate(() => document.activeElement && document.activeElement.blur());
  await page.evaluate(() => window.scrollTo(0, 0));
  let reached = false;
  for (let i = 0; i < 12 && !reached; i++) {
    await page.keyboard.press('Tab');
    reached = await page.evaluate(() => document.activeElement && document.activeElement.getAttribute('data-filter') === 'opinion');
  }
  ok(reached, 'keyboard: Tab reaches the filters');
  await page.keyboard.press('Enter');
  vis = await visibleSentences(page);
  ok(vis.every((x) => /\bopinion\b/.test(x.cls)), 'keyboard: Enter on a filter applies it');
  const outline = await page.evaluate(() => getComputedStyle(document.activeElement).outlineStyle);
  ok(outline !== 'none', 'keyboard: the focused control is outlined', outline);
  await page.keyboard.press('Space');
  await page.click('button[data-filter=all]');
  await page.keyboard.press('j');
  const focused = await page.evaluate(() => document.activeElement.className);
  ok(/\bs\b/.test(focused), 'keyboard: j moves to a sentence', focused);

  // print
  await page.emulateMedia({ media: 'print' });
  const panel = await page.$eval('aside', (a) => getComputedStyle(a).display);
  ok(panel === 'none', 'print: the panel and filters are left out');
  await page.emulateMedia({ media: 'screen' });

  if (screenshot) {
    await page.setViewportSize({ width: 1100, height: 760 });
    await page.goto(url('sample.html'));
    await page.screenshot({ path: screenshot });
    ok(fs.statSync(screenshot).size < 400000, 'screenshot written: ' + screenshot);
  }
  await page.close();
}

async function boilerplate(browser) {
  const doc = json('scraped.json');
  const page = await browser.newPage();
  await page.goto(url('scraped.html'));
  const det = await page.$$eval('details.boiler', (d) => d.map((x) => x.open));
  ok(det.length > 0 && det.every((o) => !o), 'boilerplate: folded in closed <details>', det.length);
  const bp = doc.sentences.filter((s) => s.kind === 'boilerplate');
  const hidden = await page.$$eval('details.boiler .s', (all) => all.filter((s) => !s.checkVisibility()).length);
  ok(hidden === bp.length, 'boilerplate: its sentences are hidden until unfolded', hidden + ' of ' + bp.length);
  const colour = await page.$eval('details.boiler', (d) => getComputedStyle(d).color);
  ok(colour !== await page.$eval('main', (m) => getComputedStyle(m).color), 'boilerplate: greyed');
  await page.click('details.boiler summary');
  const shown = await page.$$eval('details.boiler .s', (all) => all.filter((s) => s.checkVisibility()).length);
  ok(shown > 0, 'boilerplate: unfolds on demand');
  await page.close();
}

async function xss(browser) {
  const doc = json('xss.json');
  const page = await browser.newPage();
  const dialogs = [];
  page.on('dialog', (d) => { dialogs.push(d.message()); d.dismiss().catch(() => {}); });
  const errors = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  await page.goto(url('xss.html'));
  await page.waitForTimeout(300);
  for (const t of await page.$$('.tag')) { await t.hover(); }
  await page.click('button[data-filter=opinion]');
  await page.click('button[data-filter=all]');
  const voiceButtons = await page.$$('aside button.voice');
  for (const b of voiceButtons) await b.click();
  ok(dialogs.length === 0, 'inert text: no dialog opens', dialogs.join('; '));
  ok(await page.evaluate(() => window.__xss === undefined), 'inert text: no script from the article ran');
  const made = await page.$$eval('main script, main img, main svg, main b, main a, main p p, aside script, aside img, aside svg, aside b',
    (e) => e.map((x) => x.tagName));
  ok(made.length === 0, 'inert text: no element was made from the article', made.join(','));
  const scripts = await page.$$eval('script', (s) => s.length);
  ok(scripts === 1, 'inert text: the page\'s own script is its only one', scripts);
  const jsLinks = await page.$$eval('a', (a) => a.filter((x) => /^\s*javascript:/i.test(x.getAttribute('href') || '')).length);
  ok(jsLinks === 0, 'inert text: no javascript: link');
  const text = await page.$eval('main', (m) => m.textContent);
  const literal = ['<script>alert("headline")</script>', '<img src=x onerror="window.__xss=1;alert(\'img\')">',
    '<a href="javascript:alert(\'link\')">', '</span></mark></p><script>window.__xss=2</script>', '<b>bold</b> plan & a cheap one'];
  const notShown = literal.filter((l) => !text.includes(l));
  ok(notShown.length === 0, 'inert text: the markup shows literally, as written', notShown.join(' | '));
  const missing = doc.sentences.filter((s) => !text.includes(s.text));
  ok(missing.length === 0, 'inert text: every sentence reads as written', missing.length);
  const title = await page.title();
  ok(title.includes('<script>') || title.length > 0, 'inert text: the title is text');
  ok(errors.length === 0, 'inert text: no script errors', errors.join('; '));
  await page.close();
}

async function large(browser) {
  const doc = json('large.json');
  const page = await browser.newPage();
  const t0 = Date.now();
  await page.goto(url('large.html'));
  const loaded = Date.now() - t0;
  const n = await page.$$eval('main .s', (s) => s.length);
  ok(n === doc.sentences.length && n >= 5000, 'large page: all ' + n + ' sentences are on it');
  ok(loaded < 15000, 'large page: loads in ' + loaded + ' ms');
  const t1 = Date.now();
  await page.click('button[data-filter=opinion]');
  const shown = await page.$eval('#status', (s) => s.textContent);
  const filtered = Date.now() - t1;
  ok(filtered < 3000 && /sentences shown/.test(shown), 'large page: a filter applies in ' + filtered + ' ms');
  const t2 = Date.now();
  await page.click('aside button.voice');
  ok(Date.now() - t2 < 3000, 'large page: a voice filter applies in ' + (Date.now() - t2) + ' ms');
  const listeners = await page.evaluate(() => document.querySelectorAll('[onclick],[onkeydown],[onmouseover]').length);
  ok(listeners === 0, 'large page: no per-element handlers');
  await page.close();
}

async function diffPage(browser) {
  const diff = json('diff.json');
  const page = await browser.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  await page.goto(url('diff.html'));
  const cols = await page.$$eval('section.col', (c) => c.length);
  ok(cols === diff.documents.length, 'diff page: one column per document, side by side', cols);
  const tops = await page.$$eval('section.col', (c) => c.map((x) => Math.round(x.getBoundingClientRect().top)));
  ok(new Set(tops).size === 1, 'diff page: the columns stand side by side');
  const links = await page.$$eval('section.col a.link', (a) => a.map((x) => x.getAttribute('href')));
  ok(links.length === 2 * diff.shared.length, 'diff page: each shared claim links to its partner', links.length + ' links for ' + diff.shared.length + ' pairs');
  const broken = await page.evaluate((hrefs) => hrefs.filter((h) => !document.getElementById(h.slice(1))), links);
  ok(broken.length === 0, 'diff page: every link finds its claim', broken.join(' '));
  const p = diff.shared[0];
  await page.click(`#d${p.a.document}-s${p.a.sentence} a[href="#d${p.b.document}-s${p.b.sentence}"]`);
  const target = await page.evaluate(() => document.querySelector(':target') && document.querySelector(':target').id);
  ok(target === `d${p.b.document}-s${p.b.sentence}`, 'diff page: following a link lands on the partner claim', target);
  ok(errors.length === 0 && (await page.$$eval('script', (s) => s.length)) === 0, 'diff page: no script at all');
  await page.close();
}

(async () => {
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage'],
  });
  try {
    for (const t of [reviewPage, boilerplate, xss, large, diffPage]) {
      try { await t(browser); } catch (e) { ok(false, t.name + ' threw', String(e).split('\n')[0]); }
    }
  } finally {
    await browser.close();
  }
  console.log(`browser: ${pass} passed, ${fail} failed`);
  process.exit(fail ? 1 : 0);
})();
