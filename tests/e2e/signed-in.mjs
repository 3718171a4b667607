// What the signed-in browser tests share: the server's address, Chromium launched headless, a
// person signed in in a browser context of their own (first password replaced, the second factor
// set up on the way for the secretariat), and the axe-core check of a page.
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { readFileSync } from 'node:fs';

import { chromium } from 'playwright-core';

import { setUpSecondFactor } from './totp.mjs';

const require = createRequire(import.meta.url);
const AXE_SOURCE = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');
export const BASE = (process.env.OBSERVA_URL || 'http://127.0.0.1:8080').replace(/\/+$/, '');
const ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync'];

export function launch() {
  return chromium.launch({ executablePath: process.env.CHROMIUM_PATH || '/usr/bin/chromium', headless: true, args: ARGS });
}

/** Signs `who` in at `firstPath`, replacing the first password with `password`; the page and
 * the console or page errors it collects. */
export async function signedIn(browser, who, firstPath, password) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  const errors = [];
  page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(BASE + firstPath);
  await page.fill('#email', who.email);
  await page.fill('#password', who.password);
  await Promise.all([page.waitForURL(/\/account\/password/), page.click('form.account button[type="submit"]')]);
  await page.fill('#current', who.password);
  await page.fill('#new', password);
  await page.fill('#confirm', password);
  await Promise.all([page.waitForURL((u) => !u.pathname.endsWith('/account/password')), page.click('form.account button[type="submit"]')]);
  // Analysts set up their second factor on the way (liaison officers and coordinators have none).
  if (new URL(page.url()).pathname.endsWith('/account/totp/setup')) await setUpSecondFactor(page);
  assert.equal(new URL(page.url()).pathname, firstPath);
  return { page, errors };
}

/** The serious or critical WCAG 2 A/AA violations on the page. */
export async function axe(page) {
  // Evaluated through the DevTools protocol: a <script> tag would be (rightly) refused by the
  // portal's Content-Security-Policy, which allows only the site's own script files.
  await page.evaluate(AXE_SOURCE);
  const r = await page.evaluate(() => window.axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa'] }, resultTypes: ['violations'] }));
  return r.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).slice(0, 3).join(' | ')}`);
}
