// Query time of the search script on a built site, in node (same engine as Chromium):
//
//     node tests/browser/search-bench.mjs public/ [query ...]
//
// Prints the size of the index, the time to load it and, per query, the number of results
// and the median time of 20 runs. Used for the figures in the README.
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
const total = (sub) => fs.readdirSync(path.join(dir, sub)).reduce((n, f) => n + size(`${sub}/${f}`), 0);
const count = (sub) => fs.readdirSync(path.join(dir, sub)).length;
console.log(`documents ${ix.docs.length}, term shards ${ix.delen.length}`);
console.log(`index.js (document table) ${(source.length / 1e6).toFixed(2)} MB, parsed in ${loadMs.toFixed(0)} ms`);
console.log(`term shards ${count('termen')} files, ${(total('termen') / 1e6).toFixed(2)} MB`);
console.log(`text shards ${count('tekst')} files, ${(total('tekst') / 1e6).toFixed(2)} MB`);
for (const q of queries) {
  // What a first search for q loads, then the search itself.
  ix.deel = {};
  const needed = globalThis.RaadZoek.missing(ix, q);
  t = process.hrtime.bigint();
  for (const n of needed) vm.runInThisContext(fs.readFileSync(path.join(dir, 'termen', `${n}.js`), 'utf8'));
  const shardMs = Number(process.hrtime.bigint() - t) / 1e6;
  const bytes = needed.reduce((b, n) => b + size(`termen/${n}.js`), 0);
  const times = [];
  let n = 0;
  for (let i = 0; i < 20; i++) {
    t = process.hrtime.bigint();
    n = globalThis.RaadZoek.search(ix, q, {}).results.length;
    times.push(Number(process.hrtime.bigint() - t) / 1e6);
  }
  times.sort((a, b) => a - b);
  console.log(`"${q}": ${n} results; loads ${needed.length} term shard(s), ${(bytes / 1e3).toFixed(0)} kB in ${shardMs.toFixed(1)} ms; search median ${times[10].toFixed(2)} ms, max ${times[19].toFixed(2)} ms`);
}

// With BENCH_BROWSER=1 (after the queries): the same queries from file:// in headless Chromium,
// from opening the search page to the results and the first snippet on screen.
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
  const page = await browser.newPage();
  for (const q of queries) {
    const start = Date.now();
    await page.goto(pathToFileURL(path.join(dir, 'index.html')).href + '?q=' + encodeURIComponent(q));
    await page.locator('#zoek-resultaten li .resultaat-fragment mark').first().waitFor();
    const opened = Date.now() - start;
    // A second query on the open page: index loaded, shards perhaps too.
    const t2 = Date.now();
    await page.locator('#q').fill('');
    await page.locator('#q').fill(q + ' twente');
    await page.keyboard.press('Enter');
    await page.locator('#zoek-status').filter({ hasText: /resulta/ }).waitFor();
    await page.locator('#zoek-resultaten li .resultaat-fragment mark').first().waitFor();
    console.log(`browser "${q}": page opened to first snippet ${opened} ms; then "${q} twente" ${Date.now() - t2} ms`);
  }
  await browser.close();
}
