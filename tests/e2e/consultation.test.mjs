// End-to-end browser test of the consultation cycle (tests/e2e/run.sh makes cycle 2015, a liaison
// officer for Chile and a reviewing analyst): the officer answers part of the form in Spanish,
// saves, leaves, comes back, attaches a PDF and submits; the analyst returns it with a comment; the officer
// replies, changes an answer and resubmits; the analyst accepts. Every page visited is checked
// for console errors and serious or critical axe-core violations, like the portal test.

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';

import { axe, BASE, launch, signedIn as signIn } from './signed-in.mjs';

const L = { email: process.env.E2E_LIAISON_EMAIL, password: process.env.E2E_LIAISON_PASSWORD };
const R = { email: process.env.E2E_REVIEWER_EMAIL, password: process.env.E2E_REVIEWER_PASSWORD };

let browser;
before(async () => { browser = await launch(); });
after(async () => browser?.close());
const signedIn = (who, firstPath) => signIn(browser, who, firstPath, 'otra clave segura 2015');

test('a liaison officer answers, the secretariat returns, the officer resubmits, the secretariat accepts',
  { skip: !L.email || !R.email }, async () => {
    const form = '/es/cycles/2015/responses/CL';
    const officer = await signedIn(L, form);
    const p = officer.page;
    assert.match(await p.locator('h1').innerText(), /Respuestas a la consulta 2015: Chile/);
    assert.deepEqual(await axe(p), [], 'the form has no serious accessibility problem');
    await p.fill('textarea[name="a|plans.changes"]', 'El plan 2015 agrega un capítulo de evaluación.');
    await p.selectOption('select[name="a|prevention.included"]', 'yes');
    await p.selectOption('select[name="a|recovery.services_exist"]', 'yes');
    // A new law, in the first empty row of the laws table.
    await p.locator('input[name^="a|protection.laws|"][name$="|title"]').last().fill('Ley 21.000 de prueba (2015)');
    await p.locator('input[name^="a|protection.laws|"][name$="|date"]').last().fill('2015-03');
    await Promise.all([p.waitForURL(/saved=1/), p.click('button[value="save"]')]);
    await p.goto(BASE + '/es/');
    await p.goto(BASE + form);
    assert.equal(await p.inputValue('textarea[name="a|plans.changes"]'), 'El plan 2015 agrega un capítulo de evaluación.', 'the draft was kept');
    // Attach the plan (a PDF, checked by content on the server).
    await p.setInputFiles('#file', { name: 'plan-2015.pdf', mimeType: 'application/pdf', buffer: Buffer.from('%PDF-1.4\n%%EOF\n') });
    await Promise.all([p.waitForURL(/#attachments$/), p.click('#attachments button[type="submit"]')]);
    assert.match(await p.locator('#attachments').innerText(), /plan-2015\.pdf/);
    await Promise.all([p.waitForURL(/submitted=\d+/), p.click('button[value="submit"]')]);
    assert.match(await p.locator('main').innerText(), /Enviada/);

    const reviewer = await signedIn(R, '/en/cycles/2015');
    const r = reviewer.page;
    assert.match(await r.locator('tr', { hasText: 'Chile' }).innerText(), /Submitted/);
    await r.click('tr:has-text("Chile") a:has-text("Review")');
    assert.ok(await r.locator('tr.changed').count() > 0, 'changes highlighted');
    assert.deepEqual(await axe(r), [], 'the review page has no serious accessibility problem');
    await r.fill('#decision-comment', 'Indique la fecha de aprobación del plan 2015.');
    await Promise.all([r.waitForURL(/\/en\/cycles\/2015$/), r.click('button[value="return"]')]);
    assert.match(await r.locator('tr', { hasText: 'Chile' }).innerText(), /Returned/);

    await p.goto(BASE + form);
    assert.match(await p.locator('main').innerText(), /Devuelta/);
    assert.match(await p.locator('main').innerText(), /Indique la fecha de aprobación del plan 2015\./);
    await p.fill('#comment-body', 'Fecha agregada en la pregunta I.2.');
    await p.click('section[aria-labelledby="comments-h"] button[type="submit"]');
    await p.locator('p.comment', { hasText: 'Fecha agregada en la pregunta I.2.' }).waitFor();
    await p.fill('textarea[name="a|plans.changes"]', 'El plan 2015, aprobado en marzo de 2015, agrega un capítulo de evaluación.');
    const before = p.url();
    await Promise.all([p.waitForURL((u) => /submitted=\d+/.test(u.search) && u.href !== before), p.click('button[value="submit"]')]);

    await r.goto(BASE + '/en/cycles/2015/review/CL');
    assert.match(await r.locator('main').innerText(), /Fecha agregada en la pregunta I\.2\./, "the officer's reply");
    await Promise.all([r.waitForURL(/\/en\/cycles\/2015$/), r.click('button[value="accept"]')]);
    assert.match(await r.locator('tr', { hasText: 'Chile' }).innerText(), /Accepted/);
    // The accepted answers are on the State's public profile, sourced to its 2015 answers.
    await p.goto(BASE + '/es/states/CL');
    assert.match(await p.locator('main').innerText(), /Ley 21\.000 de prueba \(2015\)/);
    assert.match(await p.locator('main').innerText(), /answers-2015-cl/);
    assert.deepEqual([...officer.errors, ...reviewer.errors], [], 'no console or page errors');
  });
