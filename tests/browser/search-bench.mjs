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
