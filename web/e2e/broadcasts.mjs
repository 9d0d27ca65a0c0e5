// Browser test of the SMS broadcast page (web/src/pages/broadcasts.ts) on
// the e2e register (Zavkhan): the aimag officer (the maker) drafts a
// broadcast to soum 18140 in Mongolian (a misspelt rule first: the
// server's refusal stands beside the field), sees the live SMS and the
// preview (recipients, cost, soum x sex of head equal to the API), is
// offered no approve button and told why (and the server refuses it too);
// the national officer (a second officer) opens it from the list in
// English, approves, sends after confirming, and sees the delivery report
// by soum x sex. Screenshots: broadcasts_new_mn, broadcasts_preview_mn,
// broadcasts_report_en, broadcasts_list_mn.
const SOUM = 18140;
const TITLE = `Зудын сэрэмжлүүлэг ${Date.now()}`;
const VALUES = { soum: 'Тосонцэнгэл', shock: 'цагаан зуд', deadline: '2026-03-10', phone: '70112233' };

async function api(page, url, method = 'GET') {
  return page.evaluate(
    async ([u, m]) => {
      const r = await fetch(u, { method: m });
      return { status: r.status, body: await r.json().catch(() => null) };
    },
    [url, method],
  );
}

async function rowsOf(page, testid) {
  return page.getByTestId(testid).locator('tbody tr').evaluateAll((trs) => trs.map((tr) => [...tr.querySelectorAll('td')].map((td) => td.innerText.trim())));
}

const count = (s) => Number(s.replace(/[^\d]/g, ''));
let broadcastId = 0;

export async function run({ session, check, expect, shot, base }) {
  await check('broadcasts: the maker drafts to a soum, sees the preview, cannot approve their own (mn)', async () => {
    const { context, page, errors } = await session('aimag_officer');
    const links = await page.locator('header nav a').evaluateAll((as) => as.map((a) => a.getAttribute('href')));
    expect(links.includes('#/broadcasts'), `nav offers the page: ${links}`);
    await page.goto(`${base}/#/broadcasts/new`);
    await page.getByTestId('bc-value-soum').waitFor();
    expect((await page.locator('h1').textContent()) === 'Олон нийтэд илгээх мессеж', 'Mongolian title');
    await page.getByTestId('bc-title').fill(TITLE);
    await page.getByTestId('bc-target').fill(`household.herdr and soum == ${SOUM}`);
    for (const [k, v] of Object.entries(VALUES)) await page.getByTestId(`bc-value-${k}`).fill(v);
    await page.waitForFunction(() => document.querySelector('[data-testid=bc-live-text]')?.textContent.includes('Тосонцэнгэл'));
    const plan = await page.getByTestId('bc-live-plan').textContent();
    expect(/2 мессеж/.test(plan) && plan.includes('40 ₮'), `live plan: ${plan}`);
    await page.getByTestId('bc-submit').click();
    const refusal = page.getByTestId('bc-refusal-target');
    await refusal.waitFor();
    expect((await refusal.textContent()).includes('herdr'), `the refusal names the rule: ${await refusal.textContent()}`);
    await shot(page, 'broadcasts_new_mn');
    await page.getByTestId('bc-target').fill(`household.herder and soum == ${SOUM}`);
    await page.getByTestId('bc-submit').click();
    await page.waitForFunction(() => /^#\/broadcasts\/\d+$/.test(location.hash));
    broadcastId = Number((await page.evaluate(() => location.hash)).split('/').pop());
    await page.getByTestId('bc-preview').waitFor();
    const p = (await api(page, `/api/v1/sms/broadcasts/${broadcastId}/preview`)).body;
    expect(p.recipients > 0, `recipients: ${p.recipients}`);
    expect(count(await page.getByTestId('bc-recipients').textContent()) === p.recipients, 'recipients as the API says');
    expect((await page.getByTestId('bc-cost').textContent()).trim() === `${new Intl.NumberFormat('mn-MN').format(p.cost)} ₮`, 'total cost in ₮');
    const rows = await rowsOf(page, 'bc-soum-sex');
    expect(rows.length === 1 && rows[0][0].startsWith('Тосонцэнгэл'), `one soum: ${JSON.stringify(rows)}`);
    expect(count(rows[0][1]) + count(rows[0][2]) === p.recipients && count(rows[0][3]) === p.recipients, `female + male = total: ${rows[0]}`);
    const align = await page.getByTestId('bc-soum-sex').locator('tbody td').nth(3).evaluate((e) => getComputedStyle(e).textAlign);
    expect(align === 'right', `numbers right-aligned: ${align}`);
    expect((await page.getByTestId('bc-approve').count()) === 0, 'no approve button for the maker');
    expect(await page.getByTestId('bc-why-maker').isVisible(), 'the maker is told why');
    const own = await api(page, `/api/v1/sms/broadcasts/${broadcastId}/approve`, 'POST');
    expect(own.status === 403, `the server refuses the maker too: ${own.status}`);
    await shot(page, 'broadcasts_preview_mn');
    expect(errors.length === 0, errors.join('; '));
    await context.close();
  });

  await check('broadcasts: a second officer approves and sends; the report by soum x sex (en)', async () => {
    expect(broadcastId > 0, 'the draft of the previous check');
    const { context, page, errors } = await session('national_officer', { lang: 'en' });
    await page.goto(`${base}/#/broadcasts`);
    await page.getByTestId('bc-list').locator('tbody tr').first().waitFor();
    await page.getByTestId('bc-list').getByRole('link', { name: TITLE }).click();
    await page.getByTestId('bc-approve').click();
    await page.waitForFunction(() => document.querySelector('[data-testid=bc-state]')?.textContent === 'Approved');
    const approved = (await api(page, `/api/v1/sms/broadcasts/${broadcastId}`)).body;
    expect(approved.approved_by === 'e2e_national_officer', `approved by: ${approved.approved_by}`);
    await page.getByTestId('bc-send').click();
    await page.getByTestId('bc-send-yes').click();
    await page.getByTestId('bc-delivery').waitFor();
    const b = (await api(page, `/api/v1/sms/broadcasts/${broadcastId}`)).body;
    expect(b.state === 'queued' && b.recipients > 0, `queued: ${b.state} ${b.recipients}`);
    const rows = await rowsOf(page, 'bc-delivery');
    expect(rows.every((r) => r[0].startsWith('Tosontsengel')), `soum in English: ${rows.map((r) => r[0])}`);
    expect(rows.reduce((s, r) => s + count(r[r.length - 1]), 0) === b.recipients, 'the rows add up to the recipients');
    expect(await page.getByTestId('bc-refreshing').isVisible(), 'refreshing while messages wait for the sender');
    const body = await page.locator('main').innerText();
    expect(!/[А-Яа-яӨөҮү]/.test(body.replace(/«[^»]*»/g, '').replace(TITLE, '')), 'no Cyrillic on the English page but the title');
    await shot(page, 'broadcasts_report_en');
    expect(errors.length === 0, errors.join('; '));
    await context.close();
  });

  await check('broadcasts: the list in Mongolian, newest first', async () => {
    const { context, page, errors } = await session('aimag_officer');
    await page.goto(`${base}/#/broadcasts`);
    await page.getByTestId('bc-list').locator('tbody tr').first().waitFor();
    const rows = await rowsOf(page, 'bc-list');
    expect(rows[0][1] === TITLE && rows[0][2] === 'Илгээх дараалалд', `the newest first: ${rows[0]}`);
    expect(rows[0][4] === 'e2e_national_officer', `approver: ${rows[0][4]}`);
    await shot(page, 'broadcasts_list_mn');
    expect(errors.length === 0, errors.join('; '));
    await context.close();
  });
}
