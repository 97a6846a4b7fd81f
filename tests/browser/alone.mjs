// Opens HTML files that must stand alone (the HTML part of a digest e-mail, the single-file
// rendition of a letter) in headless chromium, each copied alone into a new empty folder,
// with every request other than the file itself refused and counted. Fails when any request
// is made, when a script runs or an image does not show, and prints what it found.
//
//   node tests/browser/alone.mjs [--shots DIR] FILE.html...
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { withBrowser } from './browser.mjs';

const argv = process.argv.slice(2);
let shots = null;
if (argv[0] === '--shots') {
  shots = argv[1];
  argv.splice(0, 2);
  fs.mkdirSync(shots, { recursive: true });
}
if (argv.length === 0) {
  console.error('usage: alone.mjs [--shots DIR] FILE.html...');
  process.exit(2);
}

let failures = 0;
await withBrowser({ viewport: { width: 1000, height: 1200 }, javaScriptEnabled: true }, async (ctx) => {
  for (const file of argv) {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'raadsite-alone-'));
    const copy = path.join(dir, path.basename(file));
    fs.copyFileSync(file, copy);
    const own = pathToFileURL(copy).href;
    const requests = new Set();
    await ctx.unroute('**/*').catch(() => {});
    await ctx.route('**/*', (route) => {
      const url = route.request().url();
      if (url === own) return route.continue();
      requests.add(url);
      return route.abort('blockedbyclient');
    });
    const page = await ctx.newPage();
    page.on('request', (r) => {
      const url = r.url();
      if (url !== own && !url.startsWith('data:')) requests.add(url);
    });
    const errors = [];
    page.on('pageerror', (e) => errors.push(String(e)));
    await page.goto(own, { waitUntil: 'load' });
    const facts = await page.evaluate(() => ({
      scripts: document.scripts.length,
      images: [...document.images].map((i) => ({ ok: i.complete && i.naturalWidth > 0, alt: i.alt })),
      h1: document.querySelector('h1')?.textContent.trim() ?? null,
      links: [...document.querySelectorAll('a[href]')].map((a) => a.getAttribute('href')),
      styled: getComputedStyle(document.body).fontFamily,
    }));
    const broken = facts.images.filter((i) => !i.ok);
    const relative = facts.links.filter((h) => !/^(https?:|mailto:|#)/.test(h));
    const problems = [];
    if (requests.size) problems.push(`${requests.size} request(s): ${[...requests].join(', ')}`);
    if (facts.scripts) problems.push(`${facts.scripts} script(s)`);
    if (broken.length) problems.push(`${broken.length} image(s) not shown`);
    if (relative.length) problems.push(`relative links: ${relative.join(', ')}`);
    if (!facts.h1) problems.push('no h1');
    if (errors.length) problems.push(`errors: ${errors.join('; ')}`);
    console.log(`${path.basename(file)}: ${requests.size} requests, ${facts.images.length - broken.length} of ${facts.images.length} image(s) shown `
      + `from the file, ${facts.links.length} links, h1 "${facts.h1}"`
      + (problems.length ? `\n  FAIL: ${problems.join('\n  FAIL: ')}` : ''));
    failures += problems.length ? 1 : 0;
    if (shots) {
      const png = path.join(shots, `${path.basename(file, '.html')}.png`);
      await page.screenshot({ path: png, fullPage: true });
      console.log(`  screenshot ${png}`);
    }
    await page.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
if (failures) {
  console.error(`alone.mjs: ${failures} file(s) failed`);
  process.exit(1);
}
console.log(`alone.mjs: ${argv.length} file(s) opened alone with no request`);
