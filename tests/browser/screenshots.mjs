// Renders the home page, a letter, an opgave and a gemeente page of a built site to PNG at
// phone (390 px) and desktop (1280 px) widths, plus the letter as printed (PNG of the print
// layout and a PDF), so the look can be reviewed by eye.
//
//   node tests/browser/screenshots.mjs --site public --out target/screenshots
import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { withBrowser, args } from './browser.mjs';

const { site, out } = args();
if (!site || !out) {
  console.error('usage: screenshots.mjs --site DIR --out DIR');
  process.exit(2);
}

/** The first page (in name order) under `section/`, e.g. brieven/<slug>/index.html. */
function first(section) {
  const dir = path.join(site, section);
  const slug = fs.readdirSync(dir).sort()
    .find((d) => fs.existsSync(path.join(dir, d, 'index.html')));
  if (!slug) throw new Error(`no page under ${dir}`);
  return `${section}/${slug}/index.html`;
}

const pages = {
  home: 'index.html',
  brief: first('brieven'),
  opgave: first('opgaven'),
  gemeente: first('gemeenten'),
};
const widths = { telefoon: { width: 390, height: 844 }, desktop: { width: 1280, height: 800 } };
const url = (rel) => pathToFileURL(path.resolve(site, rel)).href;
fs.mkdirSync(out, { recursive: true });

for (const [label, viewport] of Object.entries(widths)) {
  await withBrowser({ viewport }, async (ctx) => {
    await ctx.route((u) => u.protocol !== 'file:', (route) => route.abort('blockedbyclient'));
    const page = await ctx.newPage();
    for (const [name, rel] of Object.entries(pages)) {
      await page.goto(url(rel), { waitUntil: 'load' });
      const file = path.join(out, `${name}-${label}.png`);
      await page.screenshot({ path: file, fullPage: true });
      console.log(`${file}  (${rel})`);
    }
  });
}

// The letter on paper: A4 is 794 CSS px wide at 96 dpi.
await withBrowser({ viewport: { width: 794, height: 1123 } }, async (ctx) => {
  const page = await ctx.newPage();
  await page.goto(url(pages.brief), { waitUntil: 'load' });
  await page.emulateMedia({ media: 'print' });
  const png = path.join(out, 'brief-print.png');
  await page.screenshot({ path: png, fullPage: true });
  const pdf = path.join(out, 'brief.pdf');
  await page.pdf({ path: pdf, format: 'A4', printBackground: false });
  console.log(`${png}\n${pdf}  (${pages.brief}, print)`);
});
