// What a search on a built site loads and how long it takes, in node (same engine as
// Chromium) and, with BENCH_BROWSER=1, in headless Chromium from file://:
//
//     node tests/browser/search-bench.mjs public/ [query ...]
//
// Prints the size of the index by kind of file; per query the files a first search loads,
// their bytes and the median time of 20 searches (each with its first page of results); in
// Chromium, per query, the bytes of every file the page requested from opening it to the
// results with their snippets on screen (page, style, scripts, index), the time to the
// first result and to the whole first page of 20, then the same for a second query on the
// open page. BENCH_CPU_SLOWDOWN=N: the page's CPU N times slower.
// Used for the figures in the README, and by .ci/scale.sh with BENCH_MAX_FIRST and
// BENCH_MAX_LATER (bytes) as a budget.
import fs from 'node:fs';
import path from 'node:path';
import vm from 'node:vm';
import { fileURLToPath } from 'node:url';

const site = path.resolve(process.argv[2] || 'public');
const queries = process.argv.length > 3 ? process.argv.slice(3)
  : ['geinformeerd', 'regio', 'ge', 'plan regio', 'twente uitvoeringsagenda', 'npvr'];
const here = path.dirname(fileURLToPath(import.meta.url));
globalThis.window = globalThis;

const dir = path.join(site, 'zoeken');
const size = (rel) => fs.statSync(path.join(dir, rel)).size;
const source = fs.readFileSync(path.join(dir, 'index.js'), 'utf8');
let t = process.hrtime.bigint();
vm.runInThisContext(source);
const loadMs = Number(process.hrtime.bigint() - t) / 1e6;
vm.runInThisContext(fs.readFileSync(path.join(here, '../../themes/raad/static/zoeken.js'), 'utf8'));
const ix = globalThis.RAAD_ZOEK;
const files = (sub) => (fs.existsSync(path.join(dir, sub)) ? fs.readdirSync(path.join(dir, sub)) : []);
const total = (sub) => files(sub).reduce((n, f) => n + size(`${sub}/${f}`), 0);
console.log(`documents ${ix.n}, term shards ${ix.delen.length}`);
console.log(`index.js ${(source.length / 1e3).toFixed(1)} kB, parsed in ${loadMs.toFixed(1)} ms`);
for (const sub of ['termen', 'docs', 'filters']) {
  console.log(`${sub}: ${files(sub).length} files, ${(total(sub) / 1e6).toFixed(2)} MB`);
}
for (const q of queries) {
  // What a first search for q loads, then the search itself.
  ix.deel = {};
  const needed = globalThis.RaadZoek.missing(ix, q, {});
  t = process.hrtime.bigint();
  for (const src of needed) vm.runInThisContext(fs.readFileSync(path.join(dir, src), 'utf8'));
  const shardMs = Number(process.hrtime.bigint() - t) / 1e6;
  const bytes = needed.reduce((b, src) => b + size(src), 0);
  const times = [];
  let n = 0;
  for (let i = 0; i < 20; i++) {
    // Unpacked postings are kept per shard; the first search unpacks them.
    t = process.hrtime.bigint();
    // With the first page of results, as the page shows them.
    const found = globalThis.RaadZoek.search(ix, q, {});
    found.results.slice(0, 20);
    n = found.results.length;
    times.push(Number(process.hrtime.bigint() - t) / 1e6);
  }
  const first = times[0];
  times.sort((a, b) => a - b);
  console.log(`"${q}": ${n} results; loads ${needed.length} term shard(s), ${(bytes / 1e3).toFixed(0)} kB in ${shardMs.toFixed(1)} ms; first search ${first.toFixed(1)} ms, median ${times[10].toFixed(1)} ms`);
}

// With BENCH_BROWSER=1 (after the queries): the same queries from file:// in headless Chromium:
// per query a fresh page, the bytes of every file it requested (from the search page itself
// to the results with their snippets on screen) and the time from submitting the query to
// the results; then a second query on the open page and what it requested besides.
if (process.env.BENCH_BROWSER) {
  const { createRequire } = await import('node:module');
  const os = await import('node:os');
  const { pathToFileURL } = await import('node:url');
  const require = createRequire(import.meta.url);
  const cache = process.env.SITE_CHECK_CACHE || path.join(os.homedir(), '.cache', 'site-check');
  const { chromium } = require(process.env.PLAYWRIGHT_CORE || path.join(cache, 'node_modules', 'playwright-core'));
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  // Every file:// URL the page asks for, with the bytes of its file.
  const watch = (page) => {
    const seen = [];
    page.on('request', (r) => {
      const u = r.url().split('?')[0];
      if (u.startsWith('file:')) seen.push(fs.statSync(fileURLToPath(u)).size);
    });
    return seen;
  };
  const sum = (list) => list.reduce((a, b) => a + b, 0);
  const kB = (b) => (b / 1e3).toFixed(0);
  // Types `q` into the open page's search form and submits it; the ms until the status
  // shows the new count and the first result its snippet (`ms`), and until the whole first
  // page of results (20, or all when fewer) is on screen (`page`).
  const ask = (page, q) => page.evaluate((q) => new Promise((resolve, reject) => {
    const status = document.getElementById('zoek-status');
    const list = document.getElementById('zoek-resultaten');
    list.textContent = '';
    status.textContent = '';
    const start = performance.now();
    let ms = null;
    document.getElementById('q').value = q;
    document.getElementById('zoekformulier').requestSubmit();
    const poll = () => {
      const now = performance.now() - start;
      if (status.textContent.startsWith('Geen')) { resolve({ ms: now, page: now }); return; }
      // The count as the page writes it, with a point between thousands (12.345).
      const count = Number(((status.textContent.match(/^([\d.]+) resultat/) || [])[1] || '0').replaceAll('.', ''));
      const shown = list.querySelectorAll('li .resultaat-fragment').length;
      if (ms === null && count && shown) ms = now;
      if (ms !== null && shown >= Math.min(20, count)) resolve({ ms, page: now });
      else if (now > 30000) reject(new Error(`no results for "${q}" after 30 s; status: "${status.textContent}"`));
      else setTimeout(poll, 1);
    };
    poll();
  }), q);
  const worst = { first: 0, later: 0, ms: 0, page: 0 };
  // BENCH_CPU_SLOWDOWN=4: the page's CPU four times slower (Chromium's throttling), as on
  // a slow or busy machine; file reads are not slowed.
  const slowdown = Number(process.env.BENCH_CPU_SLOWDOWN || 1);
  for (const q of queries) {
    const context = await browser.newContext();
    const page = await context.newPage();
    if (slowdown > 1) {
      const cdp = await context.newCDPSession(page);
      await cdp.send('Emulation.setCPUThrottlingRate', { rate: slowdown });
    }
    const seen = watch(page);
    await page.goto(pathToFileURL(path.join(dir, 'index.html')).href);
    await page.locator('#zoekformulier').waitFor();
    const firstMs = await ask(page, q);
    const first = sum(seen);
    const files = seen.length;
    const laterMs = await ask(page, q + ' twente');
    const later = sum(seen.slice(files));
    worst.first = Math.max(worst.first, first);
    worst.later = Math.max(worst.later, later);
    worst.ms = Math.max(worst.ms, firstMs.ms, laterMs.ms);
    worst.page = Math.max(worst.page, firstMs.page, laterMs.page);
    const ms = (t) => `${t.ms.toFixed(0)} ms (page of 20 ${t.page.toFixed(0)} ms)`;
    console.log(`browser "${q}": first query ${files} files, ${kB(first)} kB (page, style and scripts included), first result in ${ms(firstMs)}; then "${q} twente" ${seen.length - files} files, ${kB(later)} kB, ${ms(laterMs)}`);
    await context.close();
  }
  console.log(`browser: largest first query ${kB(worst.first)} kB, largest later query ${kB(worst.later)} kB, slowest first result ${worst.ms.toFixed(0)} ms, slowest page of 20 ${worst.page.toFixed(0)} ms`);
  // BENCH_MAX_FIRST / BENCH_MAX_LATER (bytes): fail when a query loaded more.
  const over = [];
  if (process.env.BENCH_MAX_FIRST && worst.first > Number(process.env.BENCH_MAX_FIRST)) over.push(`a first query loaded ${worst.first} bytes`);
  if (process.env.BENCH_MAX_LATER && worst.later > Number(process.env.BENCH_MAX_LATER)) over.push(`a later query loaded ${worst.later} bytes`);
  if (over.length) {
    console.log(`over the budget: ${over.join('; ')}`);
    process.exitCode = 1;
  }
  await browser.close();
}
