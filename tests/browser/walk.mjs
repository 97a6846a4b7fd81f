// Walks a built raadsite site in headless chromium like a reader: from the home page through
// the main navigation to a letter, an opgave and a gemeente page, by clicking links. Every
// page must load (HTTP status 200 over http), with no failed request, no response >= 400 and
// nothing fetched from another host. Then the pages reached are checked for reflow (WCAG
// 1.4.10): no horizontal scrolling at 320 CSS px wide, nor at 1280 px zoomed to 400%.
//
//   node tests/browser/walk.mjs --start http://127.0.0.1:8080/raad/twente/
//   node tests/browser/walk.mjs --start file:///path/to/public/index.html
//
// Exit code 0 when everything passes, 1 otherwise; one line per step on stdout.
import { withBrowser, isLocal, args } from './browser.mjs';

const { start } = args();
if (!start) {
  console.error('usage: walk.mjs --start URL');
  process.exit(2);
}
const overHttp = start.startsWith('http');
const problems = [];
const problem = (msg) => { problems.push(msg); console.log(`FAIL ${msg}`); };

/** Checks that every page of the theme has: one h1, the skip-link target, a lang. */
async function checkPage(page, label) {
  const facts = await page.evaluate(() => ({
    h1: document.querySelectorAll('h1').length,
    main: !!document.querySelector('main#inhoud'),
    lang: document.documentElement.lang,
    title: document.title,
  }));
  if (facts.h1 !== 1) problem(`${label}: ${facts.h1} h1 elements`);
  if (!facts.main) problem(`${label}: no <main id="inhoud"> for the skip link`);
  if (!facts.lang) problem(`${label}: no lang on <html>`);
  if (!facts.title) problem(`${label}: empty <title>`);
}

/** Clicks `link` and waits for the new page; returns its main response (null over file://). */
async function follow(page, link, label) {
  const href = await link.getAttribute('href');
  const text = (await link.innerText()).trim().replace(/\s+/g, ' ');
  const response = page.waitForResponse(
    (r) => r.request().isNavigationRequest() && r.frame() === page.mainFrame(),
    { timeout: 15000 },
  ).catch(() => null);
  await link.click();
  await page.waitForLoadState('load');
  const r = await response;
  const status = r ? r.status() : null;
  if ((overHttp || status !== null) && status !== 200) problem(`${label}: "${text}" (${href}) gave status ${status}`);
  if (!overHttp && !page.url().startsWith('file:')) problem(`${label}: "${text}" left file:// for ${page.url()}`);
  console.log(`ok   ${label}: "${text}" -> ${page.url()}${status === null ? '' : ` (${status})`}`);
  await checkPage(page, label);
  return page.url();
}

/** Tabs through every focusable element: each must show a visible focus indicator. */
async function checkFocus(page, label) {
  const count = await page.evaluate(() => document.querySelectorAll('a[href], button, input, select, textarea, summary, [tabindex]').length);
  await page.evaluate(() => document.activeElement?.blur());
  let bad = 0;
  for (let i = 0; i < Math.min(count, 80); i++) {
    await page.keyboard.press('Tab');
    const f = await page.evaluate(() => {
      const a = document.activeElement;
      if (!a || a === document.body) return null;
      const s = getComputedStyle(a);
      return { name: (a.textContent || a.tagName).trim().slice(0, 40), outline: s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) >= 2 };
    });
    if (f && !f.outline) { bad++; problem(`${label}: no visible focus on "${f.name}"`); }
  }
  if (!bad) console.log(`ok   ${label}: visible focus on all ${Math.min(count, 80)} focusable elements`);
}

/** On paper a letter shows its letterhead above the subject, and no menu or footer. */
async function checkPrint(page) {
  await page.emulateMedia({ media: 'print' });
  const p = await page.evaluate(() => {
    const box = (s) => document.querySelector(s)?.getBoundingClientRect();
    const shown = (s) => { const e = document.querySelector(s); return !!e && getComputedStyle(e).display !== 'none'; };
    return { nav: shown('nav'), footer: shown('footer'), letterhead: shown('.briefhoofd'),
      headFirst: (box('.briefhoofd')?.top ?? Infinity) < (box('h1')?.top ?? -Infinity) };
  });
  await page.emulateMedia({ media: null });
  if (p.nav || p.footer || !p.letterhead || !p.headFirst) problem(`letter in print: ${JSON.stringify(p)}`);
  else console.log('ok   letter in print: letterhead above the subject, no menu, no footer');
}

const nav = (page, name) => page.locator('nav[aria-label="Hoofdmenu"]').getByRole('link', { name, exact: true });

const reached = {};
await withBrowser({ viewport: { width: 1280, height: 900 } }, async (ctx) => {
  // Nothing leaves the site: requests to other hosts are recorded as problems and refused.
  await ctx.route((url) => !isLocal(url.href, start), (route) => {
    problem(`request to another host: ${route.request().url()}`);
    return route.abort('blockedbyclient');
  });
  const page = await ctx.newPage();
  page.on('requestfailed', (r) => {
    if (isLocal(r.url(), start)) problem(`request failed: ${r.url()} (${r.failure().errorText})`);
  });
  page.on('response', (r) => { if (r.status() >= 400) problem(`${r.status()} for ${r.url()}`); });
  page.on('pageerror', (e) => problem(`JavaScript error on ${page.url()}: ${e.message}`));

  const first = await page.goto(start, { waitUntil: 'load' });
  if (overHttp && first?.status() !== 200) problem(`home: status ${first?.status()}`);
  console.log(`ok   home: ${page.url()}${first && overHttp ? ` (${first.status()})` : ''}`);
  await checkPage(page, 'home');
  reached.home = page.url();

  // The skip link is the first thing the keyboard reaches, is visible then, and leads to main.
  await page.keyboard.press('Tab');
  const skip = await page.evaluate(() => {
    const a = document.activeElement;
    const r = a.getBoundingClientRect();
    return { cls: a.className, href: a.getAttribute('href'), visible: r.width > 0 && r.left >= 0 && r.top >= 0 && r.bottom <= innerHeight,
      outline: getComputedStyle(a).outlineStyle, bg: getComputedStyle(a).backgroundColor };
  });
  if (skip.cls !== 'skiplink' || !skip.visible) problem(`home: first Tab reaches ${JSON.stringify(skip)}, not a visible skip link`);
  else console.log(`ok   home: first Tab shows the skip link (${skip.href})`);
  await page.keyboard.press('Enter');
  // The jump to the fragment is a navigation of its own: on a long page it can land after
  // the key press returns.
  await page.waitForURL(/#inhoud$/, { timeout: 5000 }).catch(() => {});
  if (!page.url().endsWith('#inhoud')) problem(`home: skip link did not go to #inhoud (${page.url()})`);
  await checkFocus(page, 'home');

  const walks = [
    ['Brieven', 'letters', 'letter', /\/brieven\/[^/]+\/index\.html$/],
    ['Opgaven', 'opgaven', 'opgave', /\/opgaven\/[^/]+\/index\.html$/],
    ['Gemeenten', 'gemeenten', 'gemeente', /\/gemeenten\/[^/]+\/index\.html$/],
  ];
  for (const [menu, listKey, itemKey, pattern] of walks) {
    await follow(page, nav(page, 'Home'), `${menu}: back home`);
    reached[listKey] = await follow(page, nav(page, menu), `${menu}: menu`);
    const item = page.locator('main table a').first();
    if (await item.count() === 0) { problem(`${menu}: the list has no links`); continue; }
    reached[itemKey] = await follow(page, item, `${menu}: first in list`);
    if (!pattern.test(new URL(reached[itemKey]).pathname)) problem(`${menu}: reached ${reached[itemKey]}, expected a ${itemKey} page`);
    if (itemKey === 'letter') {
      await checkFocus(page, 'letter');
      await checkPrint(page);
    }
  }
});

// Reflow: 320 CSS px is both a narrow phone and a 1280 px window at 400% zoom (1280 / 4).
const sizes = [
  ['320 px wide', { viewport: { width: 320, height: 640 } }],
  ['1280x1024 at 400% zoom', { viewport: { width: 320, height: 256 }, deviceScaleFactor: 4 }],
];
for (const [label, options] of sizes) {
  await withBrowser(options, async (ctx) => {
    await ctx.route((url) => !isLocal(url.href, start), (route) => route.abort('blockedbyclient'));
    const page = await ctx.newPage();
    for (const [name, url] of Object.entries(reached)) {
      await page.goto(url, { waitUntil: 'load' });
      const r = await page.evaluate(() => {
        const d = document.documentElement;
        const wide = [...document.querySelectorAll('body *')]
          .filter((e) => e.getBoundingClientRect().right > d.clientWidth + 1
            || (e.scrollWidth > e.clientWidth + 1 && getComputedStyle(e).overflowX === 'visible' && e.clientWidth > 0))
          .slice(0, 5)
          .map((e) => `${e.tagName.toLowerCase()}${e.className ? '.' + e.className : ''}`);
        return { scroll: d.scrollWidth, client: d.clientWidth, wide };
      });
      if (r.scroll > r.client) problem(`reflow ${label}, ${name}: scrollWidth ${r.scroll} > clientWidth ${r.client} (${r.wide.join(', ')})`);
      else console.log(`ok   reflow ${label}, ${name}: scrollWidth ${r.scroll} <= ${r.client}`);
    }
  });
}

console.log(problems.length ? `walk: ${problems.length} problem(s)` : 'walk: all passed');
process.exit(problems.length ? 1 : 0);
