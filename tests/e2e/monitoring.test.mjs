// End-to-end browser test of plan monitoring (tests/e2e/run.sh makes a plan coordinator for
// Paraguay and an analyst of its own): the coordinator signs in, uploads the plan's action matrix
// as a workbook (tests/e2e/fixtures/matrix-py.xlsx, a test fixture), reports two periods with
// evidence; the analyst returns one with a comment and approves the other; the coordinator
// corrects the returned one and submits it again; the analyst approves it; the public dashboard
// shows both approved values and the chart. Every page is checked with axe-core (no serious or
// critical violation) and for console errors.

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

import { axe, BASE, launch, signedIn as signIn } from './signed-in.mjs';

const MATRIX = readFileSync(join(dirname(fileURLToPath(import.meta.url)), 'fixtures', 'matrix-py.xlsx'));
const C = { email: process.env.E2E_COORDINATOR_EMAIL, password: process.env.E2E_COORDINATOR_PASSWORD };
const A = { email: process.env.E2E_MONITOR_EMAIL, password: process.env.E2E_MONITOR_PASSWORD };
const PLAN = 'py-plan-esnna-2012';

let browser;
before(async () => { browser = await launch(); });
after(async () => browser?.close());
const signedIn = (who, firstPath) => signIn(browser, who, firstPath, 'una clave de seguimiento 2026');

async function shot(page, name) {
  if (process.env.E2E_SCREENSHOT_DIR) await page.screenshot({ path: join(process.env.E2E_SCREENSHOT_DIR, name), fullPage: true });
}

/** Fills and saves a period's report, attaches a PDF as evidence, and submits it. */
async function report(p, href, value, narrative) {
  await p.goto(BASE + href);
  await p.fill('#value', String(value));
  await p.fill('#narrative', narrative);
  await Promise.all([p.waitForURL(/done=saved/), p.click('button[value="save"]')]);
  await p.setInputFiles('#file', { name: `acta-${value}.pdf`, mimeType: 'application/pdf', buffer: Buffer.from('%PDF-1.4\n%%EOF\n') });
  await Promise.all([p.waitForURL(/done=attached/), p.click('form[enctype="multipart/form-data"] button[type="submit"]')]);
  assert.match(await p.locator('main').innerText(), new RegExp(`acta-${value}\\.pdf`));
  const before = p.url();
  await Promise.all([p.waitForURL((u) => u.href !== before && /done=saved/.test(u.search)), p.click('button[value="submit"]')]);
  assert.match(await p.locator('main').innerText(), /Enviad/);
}

test('a coordinator imports a matrix and reports, the secretariat returns and approves, the public sees the values',
  { skip: !C.email || !A.email }, async () => {
    const workspace = `/es/monitoring/plans/${PLAN}`;
    const coordinator = await signedIn(C, workspace);
    const p = coordinator.page;
    assert.match(await p.locator('main').innerText(), /no tiene matriz|matriz de acciones/i);
    assert.deepEqual(await axe(p), [], 'the workspace has no serious accessibility problem');
    await p.setInputFiles('#matrix-file', { name: 'matriz.xlsx', mimeType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', buffer: MATRIX });
    await p.click('form[action$="/matrix.xlsx"] button[type="submit"]');
    await p.locator('h1').waitFor();
    const read = await p.locator('main').innerText();
    assert.match(read, /Objetivos: 1/, read);
    assert.match(read, /Acciones: 2/);
    assert.deepEqual(await axe(p), [], 'the workbook report has no serious accessibility problem');

    // Two open periods of the monthly indicator, from the workspace's list of what is due.
    await p.goto(BASE + workspace);
    const links = await p.locator('main table a[href*="/e2e-i1/"]').evaluateAll((as) => as.map((a) => a.getAttribute('href')));
    assert.ok(links.length >= 2, `at least two periods open to report: ${links}`);
    const [first, second] = links.slice(-2);
    await shot(p, 'monitoring-workspace.png');
    await p.goto(BASE + first);
    assert.deepEqual(await axe(p), [], 'the entry form has no serious accessibility problem');
    await shot(p, 'monitoring-entry.png');
    await report(p, first, 7, 'Siete equipos capacitados en Asunción.');
    await report(p, second, 9, 'Nueve equipos capacitados.');

    const analyst = await signedIn(A, '/es/monitoring/review');
    const r = analyst.page;
    assert.deepEqual(await axe(r), [], 'the review page has no serious accessibility problem');
    await r.goto(BASE + first);
    await r.fill('#comment', 'Indique en qué departamentos se capacitó a los equipos.');
    await Promise.all([r.waitForURL(/done=returned/), r.click('button[value="return"]')]);
    await r.goto(BASE + second);
    await Promise.all([r.waitForURL(/done=approved/), r.click('button[value="approve"]')]);

    await p.goto(BASE + first);
    const returned = await p.locator('main').innerText();
    assert.match(returned, /Devuelt/);
    assert.match(returned, /Indique en qué departamentos se capacitó a los equipos\./, 'the comment reaches the coordinator');
    await p.fill('#value', '8');
    await p.fill('#narrative', 'Ocho equipos capacitados en Asunción y Central.');
    const before = p.url();
    await Promise.all([p.waitForURL((u) => u.href !== before && /done=saved/.test(u.search)), p.click('button[value="submit"]')]);

    await r.goto(BASE + first);
    await Promise.all([r.waitForURL(/done=approved/), r.click('button[value="approve"]')]);

    // The secretariat's other new pages: the mail status, monitoring reminders, plan design.
    await r.goto(BASE + '/es/monitoring/review');
    await Promise.all([r.waitForURL(/\/es\/admin\/mail/), r.click('form[action$="/monitoring/reminders"] button[type="submit"]')]);
    assert.match(await r.locator('main').innerText(), /SMTP|correo/i, 'the mail page says whether anything is sent');
    assert.deepEqual(await axe(r), [], 'the mail status page has no serious accessibility problem');
    await r.goto(BASE + '/es/design');
    assert.deepEqual(await axe(r), [], 'the design page has no serious accessibility problem');
    const start = r.locator('form:has(input[name="state"][value="PY"])');
    await Promise.all([r.waitForURL(/\/es\/design\/\d+$/), start.locator('button[type="submit"]').click()]);
    assert.match(await r.locator('main').innerText(), /Capacitar a equipos de atención/, 'the draft carries the matrix over');
    assert.deepEqual(await axe(r), [], 'a draft with its checklist has no serious accessibility problem');
    await shot(r, 'design-draft.png');
    const docx = await r.request.get(r.url() + '.docx');
    assert.equal(docx.status(), 200);
    assert.equal((await docx.body()).subarray(0, 2).toString(), 'PK', 'a DOCX (a zip) for the national commission');

    // The public dashboard, signed out: the approved values, a chart and its table.
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const pub = await context.newPage();
    await pub.goto(`${BASE}/es/plans/${PLAN}/monitoring`);
    const text = await pub.locator('main').innerText();
    assert.match(text, /Equipos capacitados/);
    assert.ok(await pub.locator('main svg').count() > 0, 'a chart');
    const cells = await pub.locator('main table td').allInnerTexts();
    const shown = (v) => cells.some((c) => c === `${v}` || c === `${v}.0`);
    assert.ok(shown(8) && shown(9), `the approved values in the chart's table: ${cells}`);
    assert.ok(!shown(7), 'the returned value was never public');
    assert.deepEqual(await axe(pub), [], 'the public dashboard has no serious accessibility problem');
    await shot(pub, 'monitoring-plan.png');
    await context.close();
    assert.deepEqual([...coordinator.errors, ...analyst.errors], [], 'no console or page errors');
  });
