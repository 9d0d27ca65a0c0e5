// Browser checks of the herders' own page (web/herder.html) at 375 px in
// Mongolian: a herder of the demo register asks for a code, the test reads
// the SMS from the outbox where the product queued it (the officers' CLI:
// `malchin herder codes` for the outbox key, `malchin channel status --key`
// for the message), a wrong code is refused in Mongolian, the right one
// signs in, and the six sections open with values checked against the API
// (the herd's value) and the register (the members); axe-core finds no
// serious or critical violation on the code screen and the sections (in
// both languages); focus goes to the code field, then to the heading, and
// stays on the language button across a switch. Needs MALCHIN_E2E_BIN
// and MALCHIN_E2E_DB (scripts/web_e2e.sh sets both).
import { execFileSync } from 'node:child_process';
import { expectAccessible } from './lib/axe.mjs';

const bin = process.env.MALCHIN_E2E_BIN;
const db = process.env.MALCHIN_E2E_DB;

function cli(...args) {
  return execFileSync(bin, [...args, '--db', db], { encoding: 'utf8' });
}

// The code in the latest SMS queued for `rn`.
function queuedCode(rn) {
  const request = JSON.parse(cli('herder', 'codes', '--register-no', rn));
  if (!request?.outbox_key) throw new Error(`no code sent for ${rn}`);
  const sms = JSON.parse(cli('channel', 'status', '--key', request.outbox_key, '--json'));
  const m = /\d{6}/.exec(sms.text);
  if (!m) throw new Error(`no code in ${sms.text}`);
  return { code: m[0], phone: sms.phone, text: sms.text };
}

async function officerToken(base, accounts) {
  const a = accounts.national_officer;
  const r = await fetch(`${base}/api/v1/session`, {
    method: 'POST', headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ username: a.username, password: a.password }),
  });
  return (await r.json()).token;
}

// A head of a herder household in Tosontsengel with a phone and a herd.
async function aHerder(base, token) {
  const h = { Authorization: `Bearer ${token}` };
  const r = await fetch(`${base}/api/v1/persons?soum=18140&herder=true&page_size=200`, { headers: h });
  for (const p of (await r.json()).items) {
    if (!p.phone || p.relation !== 'head') continue;
    const hh = await (await fetch(`${base}/api/v1/households/${p.household_id}`, { headers: h })).json();
    const household = hh.household ?? hh;
    if ((household.sheep ?? 0) + (household.goats ?? 0) > 0) return { person: p, household: hh };
  }
  throw new Error('no herder with a phone in 18140');
}

export async function run({ browser, check, expect, shot, base, accounts }) {
  if (!bin || !db) {
    await check('herder: MALCHIN_E2E_BIN and MALCHIN_E2E_DB are set', async () => expect(false, 'not set'));
    return;
  }
  const token = await officerToken(base, accounts);
  const { person } = await aHerder(base, token);
  const context = await browser.newContext({ viewport: { width: 375, height: 740 }, locale: 'mn-MN' });
  const page = await context.newPage();
  page.setDefaultTimeout(20000);
  const errors = [];
  page.on('pageerror', (e) => errors.push(String(e)));

  await check('herder: the page asks for the register number in Mongolian at 375 px', async () => {
    await page.goto(base + '/herder.html');
    await page.locator('#rn').waitFor();
    expect((await page.locator('html').getAttribute('lang')) === 'mn', 'html lang mn');
    expect((await page.locator('h1').innerText()).includes('Малчин'), 'Mongolian title');
    const width = await page.evaluate(() => document.documentElement.scrollWidth);
    expect(width <= 375, `no horizontal scroll (${width})`);
    const tap = await page.locator('#ask').boundingBox();
    expect(tap.height >= 44, `large tap target (${tap.height})`);
    await shot(page, 'herder_1_number');
  });

  await check('herder: a code is sent to the register\'s phone; a wrong code is refused', async () => {
    await page.locator('#rn').fill(person.register_no.toLowerCase());
    await page.locator('#ask').click();
    await page.locator('#code').waitFor();
    expect(await page.evaluate(() => document.activeElement?.id === 'code'), 'focus on the code field');
    const sms = queuedCode(person.register_no);
    expect(sms.phone.endsWith(person.phone), `to the register's phone (${sms.phone})`);
    expect(sms.text.includes('нэвтрэх код'), `Mongolian SMS: ${sms.text}`);
    const wrong = sms.code === '000000' ? '000001' : '000000';
    await page.locator('#code').fill(wrong);
    await page.locator('#verify').click();
    await page.waitForFunction(() => document.querySelector('[role=alert]')?.textContent.length > 0);
    const alert = await page.locator('[role=alert]').innerText();
    expect(alert.includes('буруу'), `refused in Mongolian: ${alert}`);
    await shot(page, 'herder_2_wrong_code');
    await expectAccessible(page, 'herder code refused (mn)');
    await page.locator('#code').fill(sms.code);
    await page.locator('#verify').click();
    await page.locator('#s-insurance').waitFor();
    await page.waitForFunction(() => document.activeElement?.tagName === 'H1');
  });

  await check('herder: the six sections open with the household\'s values', async () => {
    for (const name of ['insurance', 'payments', 'dzud', 'prices', 'bank', 'services']) {
      await page.locator(`#s-${name} summary`).click();
      await page.waitForFunction((n) => document.querySelector(`#s-${n}`)?.dataset.loaded === '1', name);
    }
    const api = await page.evaluate(async () => (await fetch('/api/v1/herder/sections/prices')).json());
    const prices = await page.locator('#s-prices').innerText();
    const digits = String(api.herd_value).replace(/\B(?=(\d{3})+(?!\d))/g, ' ');
    expect(prices.includes(digits), `herd value ${digits} shown: ${prices.slice(0, 120)}`);
    const insurance = await page.locator('#s-insurance').innerText();
    expect(insurance.includes(person.given_name), `the member's name in insurance: ${insurance.slice(0, 120)}`);
    const me = await page.evaluate(async () => (await fetch('/api/v1/herder/me')).json());
    expect(me.household_id === person.household_id, `own household (${me.household_id})`);
    expect(errors.length === 0, `no page errors: ${errors.join('; ')}`);
    await shot(page, 'herder_3_sections');
    await expectAccessible(page, 'herder sections (mn)');
    await page.locator('#lang').click();
    await page.waitForFunction(() => document.documentElement.lang === 'en');
    await page.locator('#s-insurance').waitFor();
    expect(await page.evaluate(() => document.activeElement?.id === 'lang'), 'focus stays on the language button');
    await expectAccessible(page, 'herder sections (en)');
    await page.locator('#lang').click();
    await page.waitForFunction(() => document.documentElement.lang === 'mn');
  });

  await check('herder: the code is accepted once', async () => {
    const { code } = queuedCode(person.register_no);
    const r = await fetch(`${base}/api/v1/herder/verify`, {
      method: 'POST', headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ register_no: person.register_no, code }),
    });
    expect(r.status === 401, `a used code is refused (${r.status})`);
  });
  await context.close();
}
