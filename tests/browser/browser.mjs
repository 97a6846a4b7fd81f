// Shared helpers for the browser scripts: Debian's chromium driven by playwright-core, with a
// new empty profile per launch and nothing sent to other hosts.
//
// playwright-core is not a dependency of this repository: it is taken from site-check's
// cache (installed by ../shared/tools/site-check/setup), or from PLAYWRIGHT_CORE_DIR.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createRequire } from 'node:module';

const modules = process.env.PLAYWRIGHT_CORE_DIR
  || path.join(process.env.SITE_CHECK_CACHE || path.join(os.homedir(), '.cache', 'site-check'), 'node_modules');
const require = createRequire(path.join(modules, 'noop.js'));
const { chromium } = require('playwright-core');

export const FLAGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync'];

/** Runs `fn(context)` in a fresh chromium with a new empty profile, then closes it. */
export async function withBrowser(options, fn) {
  const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'raadsite-browser-'));
  const ctx = await chromium.launchPersistentContext(profile, {
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    headless: true,
    args: FLAGS,
    timeout: 60000,
    ...options,
  });
  try {
    return await fn(ctx);
  } finally {
    await ctx.close();
    fs.rmSync(profile, { recursive: true, force: true });
  }
}

/** Whether `url` is served by the site under test (same origin, or file://). */
export function isLocal(url, start) {
  const u = new URL(url);
  if (u.protocol === 'file:' || u.protocol === 'data:' || u.protocol === 'about:') return true;
  return u.origin === new URL(start).origin;
}

/** Reads `--name value` options into an object. */
export function args(argv = process.argv.slice(2)) {
  const out = {};
  for (let i = 0; i < argv.length; i += 2) {
    if (!argv[i].startsWith('--') || argv[i + 1] === undefined) {
      throw new Error(`bad argument ${argv[i]}`);
    }
    out[argv[i].slice(2)] = argv[i + 1];
  }
  return out;
}
