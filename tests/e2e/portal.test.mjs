// End-to-end browser test of Observa's public portal.
//
// Drives Debian's Chromium (/usr/bin/chromium, never a downloaded browser) with playwright-core
// against a running portal (OBSERVA_URL, default http://127.0.0.1:8080; tests/e2e/run.sh builds
// and starts one). On every page it visits it fails on any console error or uncaught page error,
// and on any axe-core violation (WCAG 2.0/2.1 A and AA rules) of impact serious or critical.
// A second browser context with JavaScript disabled checks that search works without it.
//
// Set E2E_SCREENSHOT_DIR to a folder to also save full-page screenshots (e2e-<name>.png).

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

import { chromium } from 'playwright-core';

import { setUpSecondFactor } from './totp.mjs';

const require = createRequire(import.meta.url);
const AXE_PATH = require.resolve('axe-core/axe.min.js');
const AXE_SOURCE = readFileSync(AXE_PATH, 'utf8');

const BASE = (process.env.OBSERVA_URL || 'http://127.0.0.1:8080').replace(/\/+$/, '');
const SHOTS = process.env.E2E_SCREENSHOT_DIR || '';
const CHROMIUM = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
const ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];
const LANGS = ['en', 'es', 'pt', 'fr'];
const AXE_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];
const BLOCKING_IMPACTS = new Set(['serious', 'critical']);

let browser;
let context;
let noJsContext;

before(async () => {
  browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: ARGS, timeout: 60_000 });
  context = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'en-GB' });
  noJsContext = await browser.newContext({ viewport: { width: 1280, height: 900 }, javaScriptEnabled: false });
  if (SHOTS) mkdirSync(SHOTS, { recursive: true });
});

after(async () => {
  await browser?.close();
});

/**
 * Opens a fresh tab that records console errors and uncaught page errors from the moment it
 * exists, so that nothing the page logs while loading is missed.
 */
async function openPage(ctx = context) {
  const page = await ctx.newPage();
  const errors = [];
  page.on('console', (msg) => {
    if (msg.type() === 'error') {
      const loc = msg.location();
      const where = loc && loc.url ? ` (${loc.url}${loc.lineNumber ? `:${loc.lineNumber}` : ''})` : '';
      errors.push(`console error: ${msg.text()}${where}`);
    }
  });
  page.on('pageerror', (err) => errors.push(`uncaught page error: ${err.message}`));
  return { page, errors };
}

/** Loads a path, failing unless the server answers 200 with HTML. */
async function load(page, path) {
  const response = await page.goto(BASE + path, { waitUntil: 'load' });
  assert.ok(response, `no response for ${path}`);
  assert.equal(response.status(), 200, `${path} answered HTTP ${response.status()}`);
  assert.match(response.headers()['content-type'] || '', /text\/html/, `${path} is not HTML`);
  return response;
}

/** Runs axe-core on the page; returns one readable line per serious or critical violation. */
async function axeProblems(page) {
  // Evaluated through the DevTools protocol: a <script> tag would be (rightly) refused by the
  // portal's Content-Security-Policy, which allows only the site's own script files.
  await page.evaluate(AXE_SOURCE);
  const results = await page.evaluate(
    (tags) => window.axe.run(document, { runOnly: { type: 'tag', values: tags }, resultTypes: ['violations'] }),
    AXE_TAGS,
  );
  return results.violations
    .filter((v) => BLOCKING_IMPACTS.has(v.impact))
    .map((v) => {
      const targets = v.nodes.slice(0, 5).map((n) => n.target.join(' '));
      const more = v.nodes.length > 5 ? ` (+${v.nodes.length - 5} more)` : '';
      return `axe ${v.id} [${v.impact}] ${v.help} (${v.nodes.length} element(s): ${targets.join(' | ')}${more}) ${v.helpUrl}`;
    });
}

async function screenshot(page, name) {
  if (!SHOTS) return;
  await page.screenshot({ path: join(SHOTS, `e2e-${name}.png`), fullPage: true });
}

/**
 * The checks every page gets: no console or page errors (collected since the tab opened) and
 * no serious or critical axe violations. `problems` holds the page's own failed checks; every
 * problem is reported together so one run lists them all.
 */
async function finish(page, errors, problems, label) {
  const axe = await axeProblems(page);
  // Give late console messages (e.g. failed sub-resources) a moment to arrive.
  await page.waitForTimeout(100);
  const all = [...problems, ...errors, ...axe];
  await page.close();
  if (all.length) {
    assert.fail(`${label}: ${all.length} problem(s):\n  - ${all.join('\n  - ')}`);
  }
}

describe('Observa public portal', () => {
  test('home page /en/ with the map of the Americas', async () => {
    const { page, errors } = await openPage();
    await load(page, '/en/');
    const problems = [];
    if ((await page.getAttribute('html', 'lang')) !== 'en') problems.push('<html lang> is not "en"');
    const links = await page.locator('svg a[href*="/states/"]').count();
    if (links === 0) {
      problems.push(
        'the map SVG has 0 State links (expected 35): the map data crates/web/assets/americas.json is still a placeholder with no State shapes',
      );
    } else if (links !== 35) {
      problems.push(`the map SVG has ${links} State links, expected 35`);
    }
    const tableRows = await page.locator('main table tbody tr').count();
    if (tableRows !== 35) problems.push(`the map's text-alternative table has ${tableRows} rows, expected 35`);
    await screenshot(page, 'home-en');
    await finish(page, errors, problems, '/en/');
  });

  const names = { en: 'Chile', es: 'Chile', pt: 'Chile', fr: 'Chili' };
  for (const lang of LANGS) {
    test(`State profile /${lang}/states/CL`, async () => {
      const { page, errors } = await openPage();
      await load(page, `/${lang}/states/CL`);
      const problems = [];
      const htmlLang = await page.getAttribute('html', 'lang');
      if (htmlLang !== lang) problems.push(`<html lang="${htmlLang}">, expected "${lang}"`);
      const h1 = (await page.locator('h1').first().textContent())?.trim() ?? '';
      if (!h1.includes(names[lang])) problems.push(`h1 "${h1}" does not contain "${names[lang]}"`);
      for (const other of LANGS) {
        const link = page.locator(`nav.langs a[hreflang="${other}"]`);
        if ((await link.count()) !== 1) {
          problems.push(`language switcher has no single link to ${other}`);
          continue;
        }
        const href = await link.getAttribute('href');
        if (href !== `/${other}/states/CL`) problems.push(`language switcher link to ${other} is "${href}", expected "/${other}/states/CL"`);
        const current = await link.getAttribute('aria-current');
        if ((other === lang) !== (current !== null)) {
          problems.push(`language switcher: aria-current on ${other} is ${current === null ? 'missing' : 'set'} on the ${lang} page`);
        }
      }
      if (lang === 'en') await screenshot(page, 'state-en-CL');
      await finish(page, errors, problems, `/${lang}/states/CL`);
    });
  }

  test('treaty matrix /en/treaties', async () => {
    const { page, errors } = await openPage();
    await load(page, '/en/treaties');
    const problems = [];
    const tables = await page.locator('table.matrix').count();
    if (tables !== 1) problems.push(`expected one table.matrix, found ${tables}`);
    const rows = await page.locator('table.matrix tbody tr').count();
    if (rows !== 34) problems.push(`the treaty matrix has ${rows} data rows, expected 34`);
    await screenshot(page, 'treaties-en');
    await finish(page, errors, problems, '/en/treaties');
  });

  test('search from the header box: "ninez"', async () => {
    const { page, errors } = await openPage();
    await load(page, '/en/');
    const box = page.locator('header form[role="search"] input[name="q"]');
    await box.fill('ninez');
    await Promise.all([
      page.waitForURL((url) => url.pathname === '/en/search' && url.searchParams.get('q') === 'ninez'),
      page.locator('header form[role="search"] button[type="submit"]').click(),
    ]);
    const problems = [];
    const hits = await page.locator('ol.hits li a').count();
    if (hits === 0) problems.push('the search for "ninez" shows no hit (ol.hits li a)');
    const highlights = await page.locator('ol.hits b').count();
    if (highlights === 0) problems.push('no hit of the search for "ninez" has a <b> highlight');
    // The header box keeps the query.
    const kept = await page.locator('header form[role="search"] input[name="q"]').inputValue();
    if (kept !== 'ninez') problems.push(`the header search box shows "${kept}" after the search, expected "ninez"`);
    await finish(page, errors, problems, '/en/search?q=ninez (from the header)');
  });

  test('downloads /en/downloads', async () => {
    const { page, errors } = await openPage();
    await load(page, '/en/downloads');
    const problems = [];
    const h1 = await page.locator('h1').count();
    if (h1 !== 1) problems.push(`expected one h1, found ${h1}`);
    for (const href of ['/downloads/observa.json', '/downloads/observa.xlsx', '/downloads/datapackage/datapackage.json']) {
      if ((await page.locator(`main a[href="${href}"]`).count()) === 0) problems.push(`no link to ${href}`);
    }
    const res = await page.request.get(BASE + '/downloads/observa.json');
    if (res.status() !== 200) problems.push(`/downloads/observa.json answered HTTP ${res.status()}`);
    await finish(page, errors, problems, '/en/downloads');
  });

  for (const path of ['/en/analysis', '/es/analysis/comparison?on=2014-09-30', '/fr/analysis/rio', '/pt/analysis/timeline', '/es/monitoring']) {
    test(`analysis page ${path}`, async () => {
      const { page, errors } = await openPage();
      await load(page, path);
      const problems = [];
      if ((await page.locator('main table, main svg, main dl').count()) === 0) problems.push('no table, chart or list');
      await finish(page, errors, problems, path);
    });
  }

  test('the annual report page /es/analysis/report with its downloads', async () => {
    const { page, errors } = await openPage();
    await load(page, '/es/analysis/report');
    const problems = [];
    for (const ext of ['html', 'pdf', 'docx', 'xlsx', 'md']) {
      const link = page.locator(`main a[href="/es/analysis/report/2014/${ext}"]`);
      if ((await link.count()) === 0) problems.push(`no download link for ${ext}`);
    }
    if ((await page.locator('main table#status-table tbody tr').count()) < 20) problems.push('no status table');
    const pdf = await page.request.get(BASE + '/es/analysis/report/2014/pdf');
    if (pdf.status() !== 200 || pdf.headers()['content-type'] !== 'application/pdf') problems.push(`the PDF answered ${pdf.status()}`);
    await screenshot(page, 'report-es');
    await finish(page, errors, problems, '/es/analysis/report');
  });

  // An analyst account made by run.sh with `observa user add` (skipped when run without it).
  const ANALYST = process.env.E2E_ANALYST_EMAIL;
  test('an analyst signs in, sets a password and rewrites the Spanish introduction', { skip: !ANALYST }, async () => {
    const { page, errors } = await openPage();
    await load(page, '/es/editorial/2014');
    const problems = [];
    if (!page.url().includes('/es/account/login')) problems.push(`not sent to sign in: ${page.url()}`);
    await page.fill('#email', ANALYST);
    await page.fill('#password', process.env.E2E_ANALYST_PASSWORD);
    await Promise.all([page.waitForURL(/\/es\/account\/password/), page.click('form.account button[type="submit"]')]);
    await page.fill('#current', process.env.E2E_ANALYST_PASSWORD);
    await page.fill('#new', 'una clave nueva para 2015');
    await page.fill('#confirm', 'una clave nueva para 2015');
    await Promise.all([page.waitForURL(/\/es\/account\/totp\/setup/), page.click('form.account button[type="submit"]')]);
    await setUpSecondFactor(page);
    if (!page.url().includes('/es/editorial/2014')) problems.push(`not back at the editor: ${page.url()}`);
    const box = page.locator('#body-introduction');
    if (!(await box.inputValue()).length) problems.push('the Spanish introduction is empty before editing');
    await box.fill('Texto de **prueba** escrito en el navegador.');
    await Promise.all([page.waitForURL(/saved=introduction/), page.locator('#introduction button[type="submit"]').click()]);
    await load(page, '/es/analysis/report');
    if ((await page.locator('main article strong', { hasText: 'prueba' }).count()) === 0) problems.push('the report does not show the new text');
    await finish(page, errors, problems, 'analyst editing');
  });

  // Search across languages: a query typed in one language finds records written in another.
  for (const [lang, q, want, matched] of [
    ['es', 'trata de personas', 'JM', null],
    ['fr', 'traite des personnes', 'JM', null],
    ['en', 'explotación sexual', null, 'Spanish'],
  ]) {
    test(`search in ${lang} for "${q}" from the header box`, async () => {
      const { page, errors } = await openPage();
      await load(page, `/${lang}/`);
      await page.locator('header form[role="search"] input[name="q"]').fill(q);
      await Promise.all([
        page.waitForURL((url) => url.pathname === `/${lang}/search` && url.searchParams.get('q') === q),
        page.locator('header form[role="search"] button[type="submit"]').click(),
      ]);
      const problems = [];
      const hits = await page.locator('ol.hits > li').allTextContents();
      if (hits.length === 0) problems.push(`no hit for "${q}" on /${lang}/search`);
      // Jamaica's records are written in English: a Spanish or French reader finds them.
      if (want && !hits.some((h) => h.includes(`· ${want}`))) problems.push(`no hit of ${want} (written in English) for "${q}"`);
      if (matched && !hits.some((h) => h.includes(matched))) problems.push(`no hit says it matched in ${matched}`);
      if (lang === 'es') await screenshot(page, 'search-es');
      await finish(page, errors, problems, `/${lang}/search?q=${q}`);
    });
  }

  test('a State profile in Spanish at a phone width breaks no word and hides no column', async () => {
    const phone = await browser.newContext({ viewport: { width: 375, height: 800 }, locale: 'es-ES' });
    const { page, errors } = await openPage(phone);
    await load(page, '/es/states/CL');
    const problems = [];
    const layout = await page.evaluate(() => {
      const cells = [...document.querySelectorAll('main td, main th')];
      const breaking = cells.filter((c) => {
        const s = getComputedStyle(c);
        return s.overflowWrap === 'anywhere' || s.wordBreak === 'break-all' || s.wordBreak === 'break-word';
      }).length;
      // A table wider than the screen must sit in a region that scrolls, so every column is reachable.
      const stuck = [...document.querySelectorAll('main table')].filter((t) => {
        const region = t.closest('.scroll');
        return t.scrollWidth > document.documentElement.clientWidth && !region;
      }).length;
      return { breaking, stuck, page: document.documentElement.scrollWidth, screen: window.innerWidth };
    });
    if (layout.breaking) problems.push(`${layout.breaking} table cells may break a word`);
    if (layout.stuck) problems.push(`${layout.stuck} tables are wider than the screen outside a scrolling region`);
    if (layout.page > layout.screen + 1) problems.push(`the page is ${layout.page}px wide on a ${layout.screen}px screen`);
    const body = await page.locator('main').textContent();
    if (!body.includes('Mesa Intersectorial')) problems.push('the governing body is not shown under its Spanish name');
    await screenshot(page, 'state-es-CL-phone');
    await finish(page, errors, problems, '/es/states/CL at 375px');
    await phone.close();
  });

  test('without JavaScript: search results by URL and by the header form', async () => {
    const { page, errors } = await openPage(noJsContext);
    await load(page, '/en/search?q=ninez');
    const problems = [];
    // With JavaScript off, read the served HTML rather than rely on anything in the page.
    const html = await page.content();
    const list = html.match(/<ol class="hits">([\s\S]*?)<\/ol>/);
    if (!list) problems.push('no results list (ol.hits) on /en/search?q=ninez without JavaScript');
    else {
      if (!/<li><a href="\/en\//.test(list[1])) problems.push('no hit in the results without JavaScript');
      if (!/<b>/.test(list[1])) problems.push('no <b> highlight in the results without JavaScript');
    }
    // The header form is a plain GET form: it submits without JavaScript too.
    await load(page, '/en/treaties');
    await page.locator('header form[role="search"] input[name="q"]').fill('ninez');
    await Promise.all([
      page.waitForURL((url) => url.pathname === '/en/search' && url.searchParams.get('q') === 'ninez'),
      page.locator('header form[role="search"] input[name="q"]').press('Enter'),
    ]);
    if (!/<ol class="hits">[\s\S]*?<b>/.test(await page.content())) {
      problems.push('submitting the header form without JavaScript shows no highlighted results');
    }
    await page.close();
    const all = [...problems, ...errors];
    if (all.length) assert.fail(`without JavaScript: ${all.length} problem(s):\n  - ${all.join('\n  - ')}`);
  });
});
