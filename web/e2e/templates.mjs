// Browser test of the SMS template page (web/src/pages/templates.ts): the
// national officer edits payment.failed in Mongolian (a text without
// {phone} first: the live check names it, the server refuses it and its
// message stands beside the field; then {phone} inserted at the cursor:
// saved, shown in force beside the shipped text, first in the history with
// who, when and the note) and sees the list mark it edited; the aimag
// officer reads it in English without the edit controls (and the server
// refuses their edit); the national officer goes back to the shipped text
// (confirmed) in English. The register's templates are left as shipped
// (other modules share the server). Screenshots: templates_refused_mn,
// templates_edited_mn, templates_list_mn, templates_readonly_en,
// templates_reset_en.
const ID = 'payment.failed';
const WITHOUT_PHONE = '{programme}: {amount} төгрөгийн шилжүүлэг хийгдсэнгүй. Сумын нийгмийн ажилтанд хандана уу.';
const NOTE = 'Банкны нэрийг хассан (e2e)';

async function api(page, url, method = 'GET', body = undefined) {
  return page.evaluate(
    async ([u, m, b]) => {
      const r = await fetch(u, { method: m, headers: b ? { 'Content-Type': 'application/json' } : {}, body: b ? JSON.stringify(b) : undefined });
      return { status: r.status, body: await r.json().catch(() => null) };
    },
    [url, method, body],
  );
}

async function rowsOf(page, testid) {
  return page.getByTestId(testid).locator('tbody tr').evaluateAll((trs) => trs.map((tr) => [...tr.querySelectorAll('td')].map((td) => td.innerText.trim())));
}

// Puts every edited text of the template back to the shipped one.
async function backToShipped(page) {
  const d = (await api(page, `/api/v1/sms/templates/${ID}`)).body;
  for (const lang of ['mn', 'en']) {
    if (d?.texts?.[lang]?.edited) await api(page, `/api/v1/sms/templates/${ID}/texts/${lang}/reset`, 'POST', { note: 'e2e: back as shipped' });
  }
}

export async function run({ session, check, expect, shot, base }) {
  await check('templates: the national officer edits payment.failed in Mongolian (refused, then saved)', async () => {
    const { context, page, errors } = await session('national_officer');
    try {
      const links = await page.locator('header nav a').evaluateAll((as) => as.map((a) => a.getAttribute('href')));
      expect(links.includes('#/templates'), `nav offers the page: ${links}`);
      await backToShipped(page);
      await page.goto(`${base}/#/templates`);
      await page.getByTestId('tpl-list').waitFor();
      expect((await page.locator('h1').textContent()) === 'Мессежийн загварууд', 'Mongolian title');
      expect((await page.getByTestId(`tpl-mark-${ID}`).textContent()) === 'Анхны', 'shipped at first');
      await page.getByTestId('tpl-filter').fill('шилжүүлэг амжилтгүй');
      const filtered = await rowsOf(page, 'tpl-list');
      expect(filtered.length >= 1 && filtered.length < 17 && filtered.some((r) => r[0] === ID), `the filter narrows the list: ${filtered.map((r) => r[0])}`);
      await page.getByTestId('tpl-list').getByRole('link', { name: ID }).click();
      const area = page.getByTestId('tpl-textarea-mn');
      await area.waitFor();
      const params = await rowsOf(page, 'tpl-params');
      expect(params.map((r) => r[0]).join(' ') === '{amount} {phone} {programme}' && params[1][3] === '12', `parameters: ${JSON.stringify(params)}`);
      await page.getByTestId('tpl-live-plan-mn').waitFor();
      expect(/мессеж/.test(await page.getByTestId('tpl-live-plan-mn').textContent()), 'the preview of the text in force, priced');
      const historyBefore = (await api(page, `/api/v1/sms/templates/${ID}`)).body.history.length;
      // A text without {phone}: the live check names it, the server refuses it.
      await area.fill(WITHOUT_PHONE);
      const live = await page.getByTestId('tpl-check-mn').textContent();
      expect(live.includes('{phone}'), `the live check names the parameter: ${live}`);
      await page.getByTestId('tpl-save-mn').click();
      const refusal = page.getByTestId('tpl-refusal-mn');
      await page.waitForFunction(() => document.querySelector('[data-testid=tpl-refusal-mn]')?.textContent.length > 0);
      const said = await refusal.textContent();
      expect(said.includes('does not use its parameter {phone}'), `the refusal by the field: ${said}`);
      expect(await page.getByTestId('tpl-summary-mn').locator('[role=alert]').isVisible(), 'an error summary at the top of the form');
      expect((await api(page, `/api/v1/sms/templates/${ID}`)).body.history.length === historyBefore, 'a refused text writes nothing');
      await shot(page, 'templates_refused_mn');
      // {phone} inserted at the cursor (the end): saved.
      await area.focus();
      await area.press('Control+End');
      await area.pressSequentially(' Утас: ');
      await page.getByTestId('tpl-insert-mn-phone').click();
      const text = await area.inputValue();
      expect(text === `${WITHOUT_PHONE} Утас: {phone}`, `inserted at the cursor: ${text}`);
      expect((await page.getByTestId('tpl-check-mn').locator('li.good').count()) === 1, 'the live check is satisfied');
      expect((await page.getByTestId('tpl-draft-mn').textContent()).endsWith('Утас: 70112233'), 'the text with the samples');
      // The unsaved draft priced by the server as typed (POST .../check).
      await page.getByTestId('tpl-draft-plan-mn').getByText(/мессеж/).first().waitFor();
      expect(/Жишээ утгуудтай: \d+ мессеж/.test(await page.getByTestId('tpl-draft-plan-mn').textContent()), 'the draft priced live');
      await page.getByTestId('tpl-note-mn').fill(NOTE);
      await page.getByTestId('tpl-save-mn').click();
      await page.getByTestId('tpl-message-mn').waitFor();
      expect((await page.getByTestId('tpl-edited-mn').textContent()) === 'Засагдсан', 'marked edited');
      expect((await page.getByTestId('tpl-text-mn').textContent()) === text, 'the text in force');
      expect((await page.getByTestId('tpl-shipped-mn').textContent()).startsWith('{programme}: {amount} төгрөгийн шилжүүлэг амжилтгүй'), 'the shipped text beside it');
      expect((await page.getByTestId('tpl-edited-en').textContent()) === 'Анхны', 'English untouched');
      const history = await rowsOf(page, 'tpl-history');
      const [when, who, language, histText, note] = history[0];
      expect(/^\d{4}\.\d{2}\.\d{2} \d{2}:\d{2}$/.test(when), `when, 2026.12.07 14:05 style: ${when}`);
      expect(who === 'e2e_national_officer' && language === 'Монгол' && histText === text && note === NOTE, `the newest edit first: ${history[0]}`);
      await page.getByTestId('tpl-live-plan-mn').waitFor();
      await shot(page, 'templates_edited_mn');
      await page.goto(`${base}/#/templates`);
      await page.getByTestId('tpl-list').waitFor();
      expect((await page.getByTestId(`tpl-mark-${ID}`).textContent()) === 'Засагдсан', 'the list marks it edited');
      const row = (await rowsOf(page, 'tpl-list')).find((r) => r[0] === ID);
      expect(row[2] === text, `the list shows the Mongolian text in force: ${row[2]}`);
      await shot(page, 'templates_list_mn');
      expect(errors.length === 0, errors.join('; '));
    } catch (e) {
      await backToShipped(page);
      throw e;
    } finally {
      await context.close();
    }
  });

  await check('templates: the aimag officer reads them without the edit controls (en)', async () => {
    const { context, page, errors } = await session('aimag_officer', { lang: 'en' });
    try {
      await page.goto(`${base}/#/templates/${ID}`);
      await page.getByTestId('tpl-text-mn').waitFor();
      expect((await page.locator('h1').textContent()) === 'SMS templates', 'English title');
      expect(await page.getByTestId('tpl-read-only').isVisible(), 'told that only a national officer edits');
      expect((await page.locator('textarea').count()) === 0 && (await page.getByTestId('tpl-save-mn').count()) === 0, 'no editor');
      expect((await page.getByTestId('tpl-edited-mn').textContent()) === 'Edited', 'the edited mark in English');
      await page.getByTestId('tpl-history').waitFor();
      expect((await rowsOf(page, 'tpl-history'))[0][2] === 'Mongolian', 'the history in English');
      const put = await api(page, `/api/v1/sms/templates/${ID}/texts/mn`, 'PUT', { text: 'x' });
      expect(put.status === 403, `the server refuses their edit: ${put.status}`);
      const body = await page.locator('main').innerText();
      const latin = body.replace(/[^\n]*[А-Яа-яӨөҮүЁё][^\n]*/g, '');
      expect(latin.includes('Parameters') && latin.includes('History, newest first'), 'English labels');
      await page.getByTestId('tpl-live-plan-mn').waitFor();
      await page.getByTestId('tpl-live-plan-en').waitFor();
      expect((await page.getByTestId('tpl-live-text-mn').textContent()).endsWith('Утас: 70112233'), 'the preview renders the edited text in force');
      await shot(page, 'templates_readonly_en');
      expect(errors.length === 0, errors.join('; '));
    } finally {
      await context.close();
    }
  });

  await check('templates: back to the shipped text, confirmed (en)', async () => {
    const { context, page, errors } = await session('national_officer', { lang: 'en' });
    try {
      await page.goto(`${base}/#/templates/${ID}`);
      await page.getByTestId('tpl-reset-mn').click();
      await page.getByTestId('tpl-reset-mn-yes').click();
      await page.getByTestId('tpl-message-mn').waitFor();
      expect((await page.getByTestId('tpl-edited-mn').textContent()) === 'As shipped', 'shipped again');
      expect((await page.getByTestId('tpl-shipped-mn').count()) === 0 && (await page.getByTestId('tpl-reset-mn').count()) === 0, 'no shipped text or reset once shipped');
      const first = (await rowsOf(page, 'tpl-history'))[0];
      expect(first[3] === 'Back to the shipped text' && first[1] === 'e2e_national_officer', `the reset in the history: ${first}`);
      const d = (await api(page, `/api/v1/sms/templates/${ID}`)).body;
      expect(!d.texts.mn.edited && d.texts.mn.text === d.shipped.mn, 'the server has the shipped text');
      await page.getByTestId('tpl-live-plan-en').waitFor();
      await shot(page, 'templates_reset_en');
      expect(errors.length === 0, errors.join('; '));
    } finally {
      await backToShipped(page);
      await context.close();
    }
  });
}
