// Browser test of search and the forwarding kit, on a built example site opened from disk
// (file://) in headless Chromium. Run by .ci/search.sh:
//
//     node tests/browser/search.mjs public/ [big-site/public/]
//
// The optional second site (a generated corpus) has enough pages for the "more results"
// button and for combined filters.
//
// playwright-core is taken from $PLAYWRIGHT_CORE, else from site-check's cache
// (~/.cache/site-check/node_modules/playwright-core).
import { createRequire } from 'node:module';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

const require = createRequire(import.meta.url);
const cache = process.env.SITE_CHECK_CACHE || path.join(os.homedir(), '.cache', 'site-check');
const { chromium } = require(
  process.env.PLAYWRIGHT_CORE || path.join(cache, 'node_modules', 'playwright-core'),
);

// axe-core (installed by site-check's setup) checks the states site-check does not see:
// a search page with results, a letter after "Kopieer link".
const axePath = process.env.AXE_CORE || path.join(cache, 'node_modules', 'axe-core', 'axe.min.js');
async function axeCheck(page, what) {
  await page.addScriptTag({ path: axePath });
  const r = await page.evaluate(() => window.axe.run(document, {
    runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] },
    resultTypes: ['violations'],
  }));
  const found = r.violations.map((v) => `${v.id} (${v.nodes.length})`);
  check(found.length === 0, `axe: no WCAG 2.1 AA violations ${what}${found.length ? ': ' + found.join(', ') : ''}`);
}

const site = path.resolve(process.argv[2] || 'public');
const url = (rel, query = '') => pathToFileURL(path.join(site, rel)).href + query;
const LETTER = 'brieven/plan-voor-de-regio/index.html';
const failures = [];
function check(ok, what) {
  console.log(`${ok ? 'ok  ' : 'FAIL'} ${what}`);
  if (!ok) failures.push(what);
}

// The seed letter's title, from its own page: the test follows the content.
const letterHtml = fs.readFileSync(path.join(site, LETTER), 'utf8');
const decode = (s) => s.replace(/&#x27;|&#39;/g, "'").replace(/&quot;/g, '"').replace(/&amp;/g, '&');
const title = decode(letterHtml.match(/<h1>([^<]*)<\/h1>/)[1]);
const description = decode(letterHtml.match(/<meta name="description" content="([^"]*)"/)[1]);
const kenmerk = letterHtml.match(/<dt>Ons kenmerk<\/dt><dd>([^<]*)<\/dd>/)[1];

const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'raadsite-browser-'));
const context = await chromium.launchPersistentContext(profile, {
  executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
  headless: true,
  args: [
    '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
    '--disable-background-networking', '--disable-component-update', '--disable-sync',
  ],
});
const errors = [];
context.on('weberror', (e) => errors.push(String(e.error())));
// Nothing may leave the machine.
await context.route((u) => !u.href.startsWith('file:'), (route) => {
  errors.push(`external request: ${route.request().url()}`);
  return route.abort();
});

try {
  const page = await context.newPage();

  // 1. The search box in the header of every page, typed into from the home page.
  await page.goto(url('index.html'));
  await page.getByLabel('Zoeken', { exact: true }).fill('geinformeerd');
  await page.keyboard.press('Enter');
  await page.waitForURL(/zoeken\/index\.html\?q=geinformeerd/);
  await page.locator('#zoek-resultaten li').first().waitFor();
  const first = page.locator('#zoek-resultaten li').first();
  check((await first.locator('h2 a').textContent()) === title, `"geinformeerd" finds "${title}" first`);
  check(
    (await first.locator('h2 a').getAttribute('href')) === `../${LETTER}`,
    'the result links to the letter',
  );
  const status = (await page.locator('#zoek-status').textContent()).trim();
  check(/^(1 resultaat|\d{1,3}(\.\d{3})* resultaten)$/.test(status), `status in the live region: "${status}"`);
  const counts = await page.evaluate(() => [7, 999, 1000, 12345, 100000, 1234567].map(window.RaadZoek.aantal));
  check(counts.join(' ') === '7 999 1.000 12.345 100.000 1.234.567', `counts written the Dutch way: ${counts.join(' ')}`);
  check((await page.locator('#zoek-status').getAttribute('aria-live')) === 'polite', 'status is aria-live');
  await first.locator('.resultaat-fragment mark').first().waitFor();
  const marked = await first.locator('.resultaat-fragment mark').first().textContent();
  check(marked.toLowerCase() === 'geïnformeerd', `snippet marks "${marked}"`);
  check(
    (await first.locator('.resultaat-meta').textContent()).includes(`kenmerk ${kenmerk}`),
    'result shows the kenmerk',
  );
  await axeCheck(page, 'on the search page with results');

  // 2. Typing on the search page itself; the query keeps its accents and capitals.
  await page.locator('#q').fill('');
  await page.locator('#zoek-resultaten li').first().waitFor({ state: 'detached' });
  await page.locator('#q').pressSequentially('Geïnformeerd');
  await page.keyboard.press('Enter');
  check(
    (await page.locator('#zoek-resultaten li h2 a').first().textContent()) === title,
    '"Geïnformeerd" typed on the search page finds the letter',
  );

  // 3. Filters: only opgaven; nothing for a word that is only in letters.
  await page.goto(url('zoeken/index.html', '?q=voorbeeld&sectie=opgaven'));
  await page.locator('#zoek-resultaten li').first().waitFor();
  const hrefs = await page.locator('#zoek-resultaten li h2 a').evaluateAll((as) => as.map((a) => a.getAttribute('href')));
  check(hrefs.length > 0 && hrefs.every((h) => h.startsWith('../opgaven/')), `sectie=opgaven gives only opgaven (${hrefs.length})`);
  await page.goto(url('zoeken/index.html', '?q=geinformeerd&sectie=opgaven'));
  await page.waitForFunction(() => document.getElementById('zoek-status').textContent !== '');
  check((await page.locator('#zoek-resultaten li').count()) === 0, 'a letter word finds no opgaven');
  check((await page.locator('#zoek-status').textContent()).startsWith('Geen resultaten'), 'says there are no results');
  check((await page.locator('#sectie').inputValue()) === 'opgaven', 'the filter from the address is selected');

  // 4. Without JavaScript the search page says so and links the lists.
  const noJs = await chromium.launch({
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu'],
  });
  const plain = await (await noJs.newContext({ javaScriptEnabled: false })).newPage();
  await plain.goto(url('zoeken/index.html'));
  check(await plain.locator('#zoek-zonder-js').isVisible(), 'without JavaScript the page says so');
  check(await plain.locator('#zoek-zonder-js a[href="../brieven/index.html"]').isVisible(), '... and links the letter list');
  check(!(await plain.locator('#zoekformulier').isVisible()), '... and hides the form that would not work');
  await plain.goto(url(LETTER));
  check(!(await plain.locator('.doorsturen-knoppen').isVisible()), 'forwarding buttons are hidden without JavaScript');
  await noJs.close();

  // 5. Forwarding kit: copy the link, mailto with subject and body, print.
  await context.grantPermissions(['clipboard-read', 'clipboard-write']);
  await page.goto(url(LETTER));
  const expectedLink = url(LETTER);
  check((await page.locator('#vaste-link').inputValue()) === expectedLink, 'the permanent link is the page address');
  await page.getByRole('button', { name: 'Kopieer link' }).click();
  await page.locator('.doorsturen-status', { hasText: 'Link gekopieerd' }).waitFor();
  check(true, 'announces "Link gekopieerd"');
  const clip = await page.evaluate(() => navigator.clipboard.readText().catch(() => null));
  const selected = await page.evaluate(() => {
    const i = document.getElementById('vaste-link');
    return i.value.slice(i.selectionStart, i.selectionEnd);
  });
  check(clip === expectedLink || selected === expectedLink, `the link is on the clipboard (${clip === null ? 'fallback' : 'clipboard API'})`);
  await axeCheck(page, 'on a letter with the forwarding kit shown');

  const href = await page.getByRole('link', { name: 'Doorsturen per e-mail' }).getAttribute('href');
  const m = href.match(/^mailto:\?subject=([^&]*)&body=([^&]*)$/);
  check(m !== null, `mailto link has subject and body: ${href.slice(0, 60)}...`);
  if (m) {
    check(decodeURIComponent(m[1]) === `${title} (kenmerk ${kenmerk})`, 'subject: onderwerp and kenmerk');
    check(decodeURIComponent(m[2]) === `${expectedLink}\r\n\r\n${description}`, 'body: link and summary');
  }

  await page.evaluate(() => { window.printed = 0; window.print = () => { window.printed += 1; }; });
  await page.getByRole('button', { name: 'Afdrukken' }).click();
  check((await page.evaluate(() => window.printed)) === 1, '"Afdrukken" opens the print dialog');
  await page.emulateMedia({ media: 'print' });
  check(!(await page.locator('.doorsturen').isVisible()), 'the kit is not printed');
  check(!(await page.locator('.zoekvak').isVisible()), 'the search box is not printed');
  await page.emulateMedia({ media: 'screen' });

  // An opgave has the kit too.
  const opgave = fs.readdirSync(path.join(site, 'opgaven')).find((d) => fs.existsSync(path.join(site, 'opgaven', d, 'index.html')));
  await page.goto(url(`opgaven/${opgave}/index.html`));
  const opgaveMail = await page.getByRole('link', { name: 'Doorsturen per e-mail' }).getAttribute('href');
  check(/subject=Opgave%20\d+/.test(opgaveMail), 'an opgave has the kit, subject "Opgave N: ..."');

  const big = process.argv[3] && path.resolve(process.argv[3]);
  if (big) {
    const bigUrl = (q) => pathToFileURL(path.join(big, 'zoeken', 'index.html')).href + q;
    await page.goto(bigUrl('?q=regio'));
    await page.locator('#zoek-resultaten li').first().waitFor();
    // Counts are written the Dutch way, with a point between thousands.
    const total = parseInt((await page.locator('#zoek-status').textContent()).replaceAll('.', ''), 10);
    check(total > 40, `many results for "regio" (${total})`);
    await page.locator('#zoek-resultaten > li:nth-child(20)').waitFor({ timeout: 10000 }).catch(() => {});
    check((await page.locator('#zoek-resultaten > li').count()) === 20, 'the first 20 are shown');
    await page.getByRole('button', { name: /Meer resultaten tonen/ }).click();
    // Each new result appears once its document shard has loaded: wait for the last one.
    await page.locator('#zoek-resultaten > li:nth-child(40)').waitFor({ timeout: 10000 }).catch(() => {});
    check((await page.locator('#zoek-resultaten > li').count()) === 40, '"Meer resultaten tonen" adds 20');
    const focused = await page
      .waitForFunction(
        () => document.activeElement === document.querySelectorAll('#zoek-resultaten > li')[20]?.querySelector('a'),
        null,
        { timeout: 10000 },
      )
      .then(() => true, () => false);
    check(focused, 'focus moves to the first new result');
    await page.locator('#zoek-resultaten > li:nth-child(40) .resultaat-fragment mark').first().waitFor();
    check(true, 'the new results get snippets');
    const links = await page.locator('#zoek-resultaten > li h2 a').evaluateAll((as) => as.map((a) => a.getAttribute('href')));
    check(new Set(links).size === 40, 'the 40 results are 40 different documents');
    // Only a page is ranked at a time: paging through every match gives each once, in the
    // order of ranking them all at once.
    const paged = await page.evaluate(() => {
      const found = window.RaadZoek.search(window.RAAD_ZOEK, 'regio', {});
      const pages = [];
      for (let k = 0; k < found.results.length; k += 20) pages.push(...found.results.slice(k, k + 20));
      const all = window.RaadZoek.search(window.RAAD_ZOEK, 'regio', {}).results;
      return { n: found.results.length, pages, all: all.slice(0, all.length) };
    });
    check(paged.n === total && new Set(paged.pages).size === paged.n && paged.pages.join() === paged.all.join(),
      `paging through all ${paged.n} results gives each once, in the order of ranking them at once`);

    // Gemeente and thema filters together, taken from the index's own data: a gemeente and
    // a thema with documents in common; every result must be in both.
    const zoeken = path.join(big, 'zoeken');
    const ix = JSON.parse(fs.readFileSync(path.join(zoeken, 'index.js'), 'utf8').replace(/^window\.RAAD_ZOEK = /, '').replace(/;\n$/, ''));
    const DIGITS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
    const members = (name) => {
      const file = path.join(zoeken, 'filters', `${name}.js`);
      if (!fs.existsSync(file)) return new Set();
      const bits = fs.readFileSync(file, 'utf8').match(/"([^"]*)"\);/)[1];
      const out = new Set();
      for (let d = 0; d < bits.length * 6; d++) if ((DIGITS.indexOf(bits[Math.floor(d / 6)]) >> (d % 6)) & 1) out.add(d);
      return out;
    };
    const number = new Map();
    for (const f of fs.readdirSync(path.join(zoeken, 'docs'))) {
      const n = parseInt(f, 10);
      const list = JSON.parse(fs.readFileSync(path.join(zoeken, 'docs', f), 'utf8').replace(/^RAAD_ZOEK_DOCS\(\d+, /, '').replace(/\);\n$/, ''));
      list.forEach((doc, k) => number.set('../' + doc.u, n * ix.per_deel + k));
    }
    let pair = null;
    for (let g = 0; g < ix.gemeenten.length && !pair; g++) {
      const gs = members(`g${g}`);
      for (let t = 0; t < ix.themas.length && !pair; t++) {
        const ts = members(`h${t}`);
        if ([...gs].some((d) => ts.has(d))) pair = { g, t, gs, ts };
      }
    }
    check(pair !== null, 'a gemeente and a thema with documents in common');
    const [gemeente, thema] = [ix.gemeenten[pair.g], ix.themas[pair.t]];
    await page.goto(bigUrl(`?q=regio&gemeente=${encodeURIComponent(gemeente)}&thema=${encodeURIComponent(thema)}`));
    await page.waitForFunction(() => document.getElementById('zoek-status').textContent !== '');
    await page.locator('#zoek-resultaten li').first().waitFor();
    const hrefs = await page.locator('#zoek-resultaten h2 a').evaluateAll((as) => as.map((a) => a.getAttribute('href')));
    const filtered = {
      n: hrefs.length,
      ok: hrefs.every((h) => number.has(h) && pair.gs.has(number.get(h)) && pair.ts.has(number.get(h))),
    };
    check(filtered.n > 0 && filtered.ok, `gemeente=${gemeente} and thema=${thema}: ${filtered.n} results, all qualify`);
  }
} finally {
  await context.close();
  fs.rmSync(profile, { recursive: true, force: true });
}

check(errors.length === 0, `no script errors or external requests${errors.length ? ': ' + errors.join('; ') : ''}`);
if (failures.length) {
  console.log(`${failures.length} check(s) failed`);
  process.exit(1);
}
console.log('browser test passed');
