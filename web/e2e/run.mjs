// End-to-end test of the web interface against the real server, driving
// Debian's Chromium (headless) with playwright-core. Started by
// scripts/web_e2e.sh, which builds the front end, seeds a register, creates
// one account per role and starts `malchin serve`.
//
//   node e2e/run.mjs --base http://127.0.0.1:PORT --accounts FILE.json \
//        [--artifacts DIR] [--chromium /usr/bin/chromium]
//
// accounts.json: {"admin": {"username", "password", "area_code"}, ...} for
// the eight roles. Screenshots of the main pages go to the artifacts folder.
// Prints "N passed, N failed" and exits non-zero if any check failed.
//
// After its own checks it runs every other module in this folder (e.g.
// response.mjs) in name order; each exports
//   export async function run({ session, check, expect, shot, artifacts,
//                                accounts, base, browser })
// and registers its checks with `await check(name, async () => ...)`.
import { mkdirSync, readdirSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { chromium } from 'playwright-core';

function arg(name, fallback) {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? process.argv[i + 1] : fallback;
}
const base = arg('base');
const accounts = JSON.parse(await readFile(arg('accounts'), 'utf8'));
const artifacts = arg('artifacts', 'e2e-artifacts');
const executablePath = arg('chromium', process.env.CHROMIUM ?? '/usr/bin/chromium');
mkdirSync(artifacts, { recursive: true });

let passed = 0;
let failed = 0;
async function check(name, fn) {
  try {
    await fn();
    passed++;
    console.log(`ok   ${name}`);
  } catch (e) {
    failed++;
    console.log(`FAIL ${name}\n     ${String(e?.stack ?? e).split('\n').slice(0, 4).join('\n     ')}`);
  }
}
function expect(cond, what) {
  if (!cond) throw new Error(what);
}

const REGISTER_NO = /[А-ЯЁӨҮ]{2}\d{8}/;

const browser = await chromium.launch({
  executablePath,
  headless: true,
  args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage'],
});

async function session(role, { lang = 'mn', viewport = { width: 1280, height: 900 } } = {}) {
  const context = await browser.newContext({ viewport, locale: lang === 'mn' ? 'mn-MN' : 'en-GB' });
  await context.addInitScript((l) => localStorage.setItem('malchin.lang', l), lang);
  const page = await context.newPage();
  page.setDefaultTimeout(20000);
  const errors = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  await page.goto(base + '/');
  await page.getByTestId('login-form').waitFor();
  const a = accounts[role];
  await page.locator('input[name=username]').fill(a.username);
  await page.locator('input[name=password]').fill(a.password);
  await page.locator('form[data-testid=login-form] button[type=submit]').click();
  await page.getByTestId('who').waitFor();
  return { context, page, errors };
}

async function shot(page, name) {
  await page.screenshot({ path: join(artifacts, `${name}.png`), fullPage: true });
}

async function navLinks(page) {
  return page.locator('header nav a').evaluateAll((as) => as.map((a) => a.getAttribute('href')));
}

await check('login page renders in Mongolian, wrong password is refused plainly', async () => {
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto(base + '/');
  await page.getByTestId('login-form').waitFor();
  expect((await page.locator('html').getAttribute('lang')) === 'mn', 'html lang is mn');
  expect((await page.locator('h1').textContent()) === 'Нэвтрэх', 'Mongolian title');
  await shot(page, '01-login');
  await page.locator('input[name=username]').fill(accounts.admin.username);
  await page.locator('input[name=password]').fill('wrong-password-123');
  await page.locator('form[data-testid=login-form] button[type=submit]').click();
  const alert = page.locator('[role=alert]');
  await alert.waitFor();
  expect((await alert.textContent()).includes('буруу'), 'the refusal is in Mongolian');
  await context.close();
});

await check('national officer: dashboard map, drill-down to an aimag and a soum', async () => {
  const { context, page, errors } = await session('national_officer');
  await page.locator('svg.map path.area').first().waitFor();
  const aimags = await page.locator('svg.map path.area').count();
  expect(aimags === 22, `22 aimag shapes, got ${aimags}`);
  await page.getByTestId('tile-persons').waitFor();
  // Only Zavkhan has households; the national figures are its figures.
  const rows = page.getByTestId('area-table').locator('tbody tr');
  expect((await rows.count()) === 1, `one aimag row, got ${await rows.count()}`);
  const nationPersons = await page.getByTestId('tile-persons').locator('.v').textContent();
  const zavkhanPersons = await rows.first().locator('td').nth(1).textContent();
  expect(nationPersons === zavkhanPersons, `nation ${nationPersons} = Zavkhan ${zavkhanPersons}`);
  await shot(page, '02-dashboard-nation');
  // Keyboard: focus Zavkhan on the map and press Enter.
  await page.locator('svg.map path.area[data-code="181"]').focus();
  await page.keyboard.press('Enter');
  await page.waitForFunction(() => location.hash.includes('aimag=181'));
  await page.locator('svg.map path.area').first().waitFor();
  const soums = await page.locator('svg.map path.area').count();
  expect(soums > 20, `Zavkhan's soums are drawn, got ${soums}`);
  // A soum is a small part of its aimag's map (a badly wound polygon would
  // fill the whole frame).
  const frac = await page.locator('svg.map path.area[data-code="18140"]').evaluate((p) => {
    const b = p.getBBox();
    const v = p.ownerSVGElement.viewBox.baseVal;
    return (b.width * b.height) / (v.width * v.height);
  });
  expect(frac < 0.25, `Tosontsengel covers ${frac} of the map`);
  const persons = await page.getByTestId('tile-persons').locator('.v').textContent();
  expect(/\d/.test(persons) && persons !== '0', `Zavkhan has persons: ${persons}`);
  await page.getByTestId('measure').selectOption('children_0_17');
  await page.waitForFunction(() => location.hash.includes('m=children_0_17'));
  await page.locator('svg.map path.area[data-code="18140"]').dispatchEvent('click');
  await page.waitForFunction(() => location.hash.includes('soum=18140'));
  await page.getByTestId('dash-figures').locator('h2', { hasText: 'Тосонцэнгэл' }).waitFor();
  await shot(page, '03-dashboard-aimag');
  expect(errors.length === 0, errors.join('; '));
  await context.close();
});

let householdId = null;
let registerNo = null;

await check('soum officer: sees only their soum, searches and opens a household', async () => {
  const { context, page, errors } = await session('soum_officer');
  const links = await navLinks(page);
  expect(links.includes('#/registry') && !links.includes('#/users') && !links.includes('#/audit'), `nav: ${links}`);
  await page.goto(base + '/#/registry');
  const results = page.getByTestId('registry-results');
  await results.locator('table').waitFor();
  const soumCells = await results.locator('tbody tr td:nth-child(2)').allTextContents();
  expect(soumCells.length > 0 && soumCells.every((s) => s.startsWith('Тосонцэнгэл')), `only Tosontsengel: ${soumCells.slice(0, 3)}`);
  await shot(page, '04-registry-search');
  householdId = (await results.locator('tbody tr td a').first().textContent()).trim();
  await results.locator('tbody tr td a').first().click();
  await page.getByTestId('household-view').waitFor();
  const members = page.getByTestId('members');
  await members.waitFor();
  registerNo = (await members.locator('tbody tr td').first().textContent()).trim();
  expect(REGISTER_NO.test(registerNo), `a register number: ${registerNo}`);
  await shot(page, '05-household');
  expect(errors.length === 0, errors.join('; '));
  await context.close();
});

await check('aimag officer: finds a person by register number and by given name in Latin letters', async () => {
  const { context, page } = await session('aimag_officer');
  await page.goto(base + `/#/registry/kind=persons&q=${encodeURIComponent(registerNo)}`);
  const results = page.getByTestId('registry-results');
  await results.locator('table').waitFor();
  const first = await results.locator('tbody tr td').first().textContent();
  expect(first.trim() === registerNo, `found ${first}`);
  const name = (await results.locator('tbody tr td').nth(1).textContent()).trim().split(' ').pop();
  // The same person by the given name in Latin letters.
  const latin = await page.evaluate((n) => {
    const map = { а: 'a', б: 'b', в: 'v', г: 'g', д: 'd', е: 'e', ё: 'yo', ж: 'j', з: 'z', и: 'i', й: 'i', к: 'k', л: 'l', м: 'm', н: 'n', о: 'o', ө: 'u', п: 'p', р: 'r', с: 's', т: 't', у: 'u', ү: 'u', ф: 'f', х: 'kh', ц: 'ts', ч: 'ch', ш: 'sh', щ: 'sh', ъ: '', ы: 'y', ь: 'i', э: 'e', ю: 'yu', я: 'ya' };
    return [...n.toLowerCase()].map((c) => map[c] ?? c).join('');
  }, name);
  await page.getByTestId('registry-search').locator('input[type=search]').fill(latin);
  await page.getByTestId('search-kind').selectOption('persons');
  await page.getByTestId('registry-search').locator('button[type=submit]').click();
  await page.waitForFunction((q) => decodeURIComponent(location.hash).includes(`q=${q}`), latin);
  await page.waitForFunction(() => {
    const r = document.querySelector('[data-testid=registry-results]');
    return r && r.childElementCount > 0 && !r.querySelector('.loading');
  });
  const count = await results.locator('tbody tr').count();
  expect(count > 0, `Latin prefix "${latin}" finds persons`);
  await shot(page, '06-registry-persons');
  await context.close();
});

await check('soum officer: edit shows validation beside the field, saves, and a concurrent edit gets a plain 412', async () => {
  const { context, page, errors } = await session('soum_officer');
  await page.goto(base + `/#/household/${encodeURIComponent(householdId)}`);
  await page.getByTestId('edit-household').click();
  const form = page.getByTestId('household-form');
  await form.waitFor();
  // Validation: a phone number that is not 8 digits.
  await form.locator('input[name=phone]').fill('12');
  await page.getByTestId('save-household').click();
  const phoneErr = form.locator('input[name=phone] + .field-error');
  await page.waitForFunction(() => document.querySelector('input[name=phone] + .field-error')?.textContent !== '');
  expect((await phoneErr.textContent()).includes('8'), 'phone error beside the field');
  expect((await form.locator('input[name=phone]').getAttribute('aria-invalid')) === 'true', 'aria-invalid');
  await shot(page, '07-edit-validation');
  // A valid change saves.
  await form.locator('input[name=phone]').fill('99001122');
  const sheep = Number(await form.locator('input[name=sheep]').inputValue());
  await form.locator('input[name=sheep]').fill(String(sheep + 1));
  await page.getByTestId('save-household').click();
  await page.getByTestId('household-view').waitFor();
  expect((await page.locator('[role=status]').first().textContent()).includes('Хадгалагдлаа'), 'saved message');
  // Someone else saves in between: open the form, change the record behind
  // its back through the API, then save the form.
  await page.getByTestId('edit-household').click();
  await form.waitFor();
  const status = await page.evaluate(async (id) => {
    const url = `/api/v1/households/${encodeURIComponent(id)}`;
    const r = await fetch(url);
    const etag = r.headers.get('ETag');
    const body = await r.json();
    body.household.goats += 1;
    const delete_ = ['active', 'deactivated_on', 'deactivation_reason'];
    for (const k of delete_) delete body.household[k];
    const put = await fetch(url, { method: 'PUT', headers: { 'Content-Type': 'application/json', 'If-Match': etag }, body: JSON.stringify({ household: body.household, members: [] }) });
    return put.status;
  }, householdId);
  expect(status === 200, `the other change saved: ${status}`);
  await form.locator('input[name=bag]').fill('2-р баг');
  await page.getByTestId('save-household').click();
  const conflict = page.getByTestId('conflict');
  await conflict.waitFor();
  expect((await conflict.textContent()).includes('өөр хүн'), 'conflict explained in Mongolian');
  await shot(page, '08-edit-conflict');
  // Saving again deliberately overwrites the newer version.
  await page.getByTestId('save-household').click();
  await page.getByTestId('household-view').waitFor();
  expect((await page.locator('dd').nth(2).textContent()) === '2-р баг', 'bag saved after the conflict');
  expect(errors.length === 0, errors.join('; '));
  await context.close();
});

await check('soum officer: a CSV import with a bad row is refused with the row-level report', async () => {
  const { context, page } = await session('soum_officer');
  await page.goto(base + '/#/import');
  const households =
    'household_id,soum_code,bag,current_soum_code,herder,camels,horses,cattle,sheep,goats,cooperative,phone,lat,lon\n' +
    'E2E-1,18140,1,18140,1,0,2,3,40,30,,99112233,,\n' +
    'E2E-2,18140,1,18140,1,0,0,0,-5,0,,123,,\n';
  const persons = 'register_no,household_id,family_name,father_name,given_name,sex,birth_date,relation,disability,herder,phone,bank_account\n';
  await page.getByTestId('import-households').setInputFiles({ name: 'households.csv', mimeType: 'text/csv', buffer: Buffer.from(households) });
  await page.getByTestId('import-persons').setInputFiles({ name: 'persons.csv', mimeType: 'text/csv', buffer: Buffer.from(persons) });
  await page.locator('main form button[type=submit]').click();
  const errors = page.getByTestId('import-errors');
  await errors.waitFor();
  const rows = await errors.locator('tbody tr').allInnerTexts();
  expect(rows.length >= 1 && rows.every((r) => r.includes('households.csv') && /\b3\b/.test(r)), `errors on line 3: ${rows}`);
  expect((await page.getByTestId('import-report').innerText()).includes('Юу ч оруулаагүй'), 'nothing written, said in Mongolian');
  await shot(page, '15-import-report');
  await context.close();
});

await check('analyst: aggregates only, never a name or register number', async () => {
  const { context, page } = await session('analyst');
  const links = await navLinks(page);
  expect(links.join(' ') === '#/dashboard #/analytics #/indicators #/grievance', `nav: ${links}`);
  await page.getByTestId('tile-persons').waitFor();
  await shot(page, '09-dashboard-analyst');
  const text = await page.locator('body').innerText();
  expect(!REGISTER_NO.test(text), 'no register number on the dashboard');
  await page.goto(base + '/#/registry');
  await page.locator('main [role=alert]').waitFor();
  expect(!(await page.locator('main').innerText()).match(REGISTER_NO), 'registry is not offered');
  const api = await page.evaluate(async () => (await fetch('/api/v1/households')).status);
  expect(api === 403, `the server refuses it too: ${api}`);
  await context.close();
});

await check('admin: users and roles; creates an account', async () => {
  const { context, page } = await session('admin');
  const links = await navLinks(page);
  expect(links.includes('#/users') && !links.includes('#/registry'), `nav: ${links}`);
  await page.goto(base + '/#/users');
  const table = page.getByTestId('users');
  await table.waitFor();
  expect((await table.locator('tbody tr').count()) >= 6, 'six accounts');
  const form = page.getByTestId('user-form');
  await form.locator('input').first().fill('e2e_new_officer');
  await form.locator('input[type=password]').fill('a-long-password-42');
  await form.getByTestId('user-role').selectOption('soum_officer');
  await form.getByTestId('user-aimag').selectOption('181');
  await form.getByTestId('user-soum').selectOption('18101');
  await form.locator('button[type=submit]').click();
  await table.locator('tr[data-user=e2e_new_officer]').waitFor();
  await shot(page, '10-users');
  await context.close();
});

await check('auditor: audit trail with reads and edits, chain verified', async () => {
  const { context, page } = await session('auditor');
  const links = await navLinks(page);
  expect(links.join(' ') === '#/audit #/grievance', `nav: ${links}`);
  const table = page.getByTestId('audit');
  await table.locator('tbody tr').first().waitFor();
  await page.locator('main button', { hasText: 'Гинжийг шалгах' }).click();
  await page.getByTestId('audit-verify').locator('.alert').waitFor();
  expect((await page.getByTestId('audit-verify').textContent()).includes('бүрэн бүтэн'), 'chain intact');
  // Newest first, today's entries under today's heading, every action in
  // words (no codes such as person.read), no session token shown.
  const seqs = (await table.locator('tbody tr:not(.group) td:nth-child(5)').allTextContents()).map(Number);
  expect(seqs.length > 1 && seqs.every((n, i) => i === 0 || n < seqs[i - 1]), `newest first: ${seqs.slice(0, 5)}`);
  expect((await table.locator('tbody tr.group').first().textContent()).startsWith('Өнөөдөр'), 'today first');
  const words = await table.locator('tbody tr:not(.group) td:nth-child(3)').allTextContents();
  expect(words.every((a) => !/[a-z]+\.[a-z]/.test(a) && /[А-Яа-яӨөҮү]/.test(a)), `actions in words: ${words.slice(0, 5)}`);
  expect(!/session [0-9a-f]{6}/.test(await table.textContent()), 'no session hashes');
  await shot(page, '11-audit');
  // Filters a person can use: a kind of action and an area from the lists.
  const search = async (part) => {
    await Promise.all([page.waitForResponse((r) => r.url().includes('/api/v1/audit?') && r.url().includes(part)), page.locator('main form button[type=submit]').click()]);
    await page.locator('[data-testid=audit][aria-busy=false]').waitFor();
    return table.locator('tbody tr:not(.group) td:nth-child(3)').allTextContents();
  };
  await page.getByTestId('audit-kind').selectOption('person');
  await page.getByTestId('audit-aimag').selectOption('181');
  const kinds = await search('area=181');
  expect(kinds.length > 0 && kinds.every((a) => a.includes('Иргэн')), `person entries in Zavkhan: ${kinds.slice(0, 5)}`);
  await page.getByTestId('audit-soum').selectOption('18140');
  expect((await search('area=18140')).length > 0, 'person entries in Tosontsengel');
  await page.getByTestId('audit-aimag').selectOption('182');
  expect((await search('area=182')).length === 0, 'no person entries in Govi-Altai (the register is Zavkhan)');
  await page.getByTestId('audit-kind').selectOption('');
  await page.getByTestId('audit-aimag').selectOption('0');
  await page.locator('main form input').nth(2).fill(householdId);
  await page.locator('main form button[type=submit]').click();
  await page.waitForFunction((id) => [...document.querySelectorAll('[data-testid=audit] tbody tr:not(.group) td:nth-child(4)')].some((td) => td.textContent.includes(id)), householdId);
  const records = await table.locator('tbody tr:not(.group) td:nth-child(4)').allTextContents();
  expect(records.some((a) => a.startsWith('Өрх')), `household entries: ${records.slice(0, 5)}`);
  await context.close();
});

await check('language switch: every label in English, numbers and dates in English conventions', async () => {
  const { context, page } = await session('national_officer');
  await page.getByTestId('tile-persons').waitFor();
  await page.getByTestId('lang-switch').click();
  await page.waitForFunction(() => document.documentElement.lang === 'en');
  await page.getByTestId('tile-persons').waitFor();
  const nav = await page.locator('header nav').innerText();
  expect(nav.includes('Registry') && nav.includes('Dashboard') && nav.includes('Log out'), `nav in English: ${nav}`);
  const body = await page.locator('main').innerText();
  expect(!/[А-Яа-яӨөҮү]/.test(body), 'no Cyrillic on the English dashboard');
  await shot(page, '12-dashboard-en');
  await page.goto(base + `/#/household/${encodeURIComponent(householdId)}`);
  await page.getByTestId('household-view').waitFor();
  const dates = await page.getByTestId('members').locator('tbody tr td:nth-child(4)').allTextContents();
  expect(dates.every((d) => /^\d{1,2} [A-Z][a-z]{2} \d{4}$/.test(d)), `English dates: ${dates}`);
  await page.getByTestId('lang-switch').click();
  await page.waitForFunction(() => document.documentElement.lang === 'mn');
  const mnDates = await page.getByTestId('members').locator('tbody tr td:nth-child(4)').allTextContents();
  expect(mnDates.every((d) => /^\d{4}\.\d{2}\.\d{2}$/.test(d)), `Mongolian dates: ${mnDates}`);
  await context.close();
});

await check('phone width: dashboard and registry usable at 375 px', async () => {
  const { context, page } = await session('soum_officer', { viewport: { width: 375, height: 800 } });
  await page.getByTestId('tile-persons').waitFor();
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  expect(overflow <= 1, `no sideways scrolling of the page: ${overflow}px`);
  await shot(page, '13-phone-dashboard');
  await page.goto(base + '/#/registry');
  await page.getByTestId('registry-results').locator('table').waitFor();
  await shot(page, '14-phone-registry');
  await context.close();
});

await check('logout ends the session', async () => {
  const { context, page } = await session('national_officer');
  await page.getByTestId('logout').click();
  await page.getByTestId('login-form').waitFor();
  const s = await page.evaluate(async () => (await fetch('/api/v1/session')).status);
  expect(s === 401, `session gone: ${s}`);
  await context.close();
});

// --only a,b: run only these modules (by name without .mjs) after the
// checks above, for developing one spec.
const only = arg('only', '').split(',').filter(Boolean);
const here = dirname(fileURLToPath(import.meta.url));
const chosen = (f) => !only.length || only.includes(f.replace(/\.mjs$/, ''));
for (const file of readdirSync(here).filter((f) => f.endsWith('.mjs') && f !== 'run.mjs' && chosen(f)).sort()) {
  const mod = await import(pathToFileURL(join(here, file)).href);
  if (typeof mod.run !== 'function') {
    failed++;
    console.log(`FAIL ${file} exports no run() function`);
    continue;
  }
  await mod.run({ session, check, expect, shot, artifacts, accounts, base, browser });
}

await browser.close();
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed === 0 ? 0 : 1);
