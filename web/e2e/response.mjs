// Browser test of the shock-response page (web/src/pages/response.ts),
// run by run.mjs after its own checks, on the Zavkhan register that
// scripts/web_e2e.sh seeds: the national officer declares the Zavkhan dzud
// with the four phase-1 soums and prepares the phase-1 plan, watching the
// live preview; they cannot approve their own plan (the button says why); a
// second national officer approves it; then the payroll, its approval by
// the other officer and the bank files. Last, a small event is declared by
// clicking soums on the map.

const EVENT = 'zavkhan-dzud-2019';
const PLAN = 'zavkhan-phase1';
const PHASE1_SOUMS = 'soum_code,severity\n18110,very_high\n18125,very_high\n18140,very_high\n18149,very_high\n';

async function login(browser, base, account) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'mn-MN' });
  await context.addInitScript(() => localStorage.setItem('malchin.lang', 'mn'));
  const page = await context.newPage();
  page.setDefaultTimeout(30000);
  const errors = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  await page.goto(base + '/');
  await page.getByTestId('login-form').waitFor();
  await page.locator('input[name=username]').fill(account.username);
  await page.locator('input[name=password]').fill(account.password);
  await page.locator('form[data-testid=login-form] button[type=submit]').click();
  await page.getByTestId('who').waitFor();
  return { context, page, errors };
}

export async function run({ session, check, expect, shot, accounts, base, browser }) {
  // A second national officer, made by the administrator through the API.
  const checker = { username: 'e2e_checker', password: `pw-checker-${Date.now()}-${Math.random().toString(16).slice(2)}` };
  await check('response: the administrator adds a second national officer', async () => {
    const { context, page } = await session('admin');
    const status = await page.evaluate(async (a) => {
      const r = await fetch('/api/v1/users', {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ username: a.username, password: a.password, role: 'national_officer', area_code: 0 }),
      });
      return r.status;
    }, checker);
    expect(status === 201, `user created: ${status}`);
    await context.close();
  });

  await check('response: the national officer declares the dzud and prepares phase 1 with a live preview', async () => {
    const { context, page, errors } = await session('national_officer');
    await page.goto(base + '/#/response');
    await page.getByTestId('resp-event-form').waitFor();
    expect((await page.locator('h1').first().textContent()) === 'Гамшгийн үеийн дэмжлэг', 'Mongolian title');
    await page.getByTestId('resp-event-code').fill(EVENT);
    await page.getByTestId('resp-event-name').fill('Завхан аймгийн зуд 2019-20');
    await page.getByTestId('resp-event-start').fill('2019-12-01');
    // A bad soum file first: the error is shown beside the CSV field.
    await page.getByTestId('resp-soums-csv').fill('soum_code,severity\n18140,extreme\n');
    await page.getByTestId('resp-event-submit').click();
    const csvError = page.locator('[data-testid=resp-event-form] .field-error').filter({ hasText: 'soums_csv:2' });
    await csvError.waitFor();
    await page.getByTestId('resp-soums-csv').fill(PHASE1_SOUMS);
    await page.getByTestId('resp-event-submit').click();
    await page.getByTestId('resp-event-title').waitFor();
    expect((await page.getByTestId('resp-event-soums').locator('tbody tr').count()) === 4, 'four soums');

    await page.getByTestId('resp-plan-code').fill(PLAN);
    await page.getByTestId('resp-plan-name').fill('Завхан, 1-р үе шат');
    await page.getByTestId('resp-plan-cutoff').fill('2019-12-01');
    await page.getByTestId('resp-plan-installments').fill('2019-12-20');
    await page.getByTestId('resp-plan-amount').fill('40000');
    // A syntax error while typing is shown at its position, beside the rule.
    await page.getByTestId('resp-plan-eligibility').fill('age < 6 and');
    await page.getByTestId('resp-err-eligibility').filter({ hasText: '1' }).waitFor();
    const err = await page.getByTestId('resp-err-eligibility').textContent();
    expect(/1-р мөр, \d+-р багана/.test(err), `position shown: ${err}`);
    await page.getByTestId('resp-plan-eligibility').fill('age < 6 and event.severity == very_high');
    const total = page.getByTestId('resp-live-preview').getByTestId('resp-preview-total');
    await total.waitFor();
    const text = await total.textContent();
    expect(/хүлээн авагч/.test(text) && !/^0 /.test(text), `preview total: ${text}`);
    const soumRows = await page.getByTestId('resp-live-preview').getByTestId('resp-preview-soums').locator('tbody tr').count();
    expect(soumRows === 4, `four soums in the preview, got ${soumRows}`);
    await shot(page, '20-response-plan-preview');
    await page.getByTestId('resp-plan-submit').click();
    await page.getByTestId('resp-plan-title').waitFor();
    await page.getByTestId('resp-preview-total').waitFor();
    // The maker cannot approve: the button is disabled and says why.
    expect(await page.getByTestId('resp-approve').isDisabled(), 'approve disabled for the maker');
    const why = await page.getByTestId('resp-approve-why').textContent();
    expect(why.includes('өөр ажилтан'), `reason shown: ${why}`);
    // And the server refuses it too.
    const refused = await page.evaluate(async (p) => (await fetch(`/api/v1/plans/${p}/approve`, { method: 'POST' })).status, PLAN);
    expect(refused === 403, `maker approval refused: ${refused}`);
    await shot(page, '21-response-plan-maker');
    expect(errors.length === 0, `no page errors: ${errors.join('; ')}`);
    await context.close();
  });

  await check('response: a second officer approves the plan and generates the payroll', async () => {
    const { context, page, errors } = await login(browser, base, checker);
    await page.goto(base + `/#/response/plan/${PLAN}`);
    await page.getByTestId('resp-approve').waitFor();
    expect(!(await page.getByTestId('resp-approve').isDisabled()), 'approve enabled for the checker');
    await page.getByTestId('resp-approve').click();
    await page.getByTestId('resp-snapshot').waitFor();
    const status = await page.getByTestId('resp-plan-status').textContent();
    expect(status === 'баталсан', `approved: ${status}`);
    await page.getByTestId('resp-generate-1').click();
    await page.getByTestId('resp-payroll-1').waitFor();
    // The one who generated it cannot approve it.
    expect(await page.getByTestId('resp-payroll-approve-1').isDisabled(), 'payroll approval disabled for its maker');
    await shot(page, '22-response-plan-approved');
    expect(errors.length === 0, `no page errors: ${errors.join('; ')}`);
    await context.close();
  });

  await check('response: the first officer approves the payroll and makes the bank files', async () => {
    const { context, page, errors } = await session('national_officer');
    await page.goto(base + `/#/response/plan/${PLAN}`);
    await page.getByTestId('resp-payroll-approve-1').click();
    await page.getByTestId('resp-export-1').click();
    const links = page.getByTestId('resp-files-1').locator('a');
    await links.first().waitFor();
    expect((await links.count()) >= 1, 'at least one bank file');
    const href = await links.first().getAttribute('href');
    const csv = await page.evaluate(async (u) => (await fetch(u)).text(), href);
    expect(csv.startsWith('reference,payee,payee_register_no,beneficiary_register_no,account,amount'), 'a payment file');
    await page.getByTestId('resp-report-1').locator('table').waitFor();
    await shot(page, '23-response-payment-files');
    expect(errors.length === 0, `no page errors: ${errors.join('; ')}`);
    await context.close();
  });

  await check('response: the bank result is uploaded and the payroll reconciles (twice changes nothing)', async () => {
    const { context, page, errors } = await session('national_officer');
    await page.goto(base + `/#/response/plan/${PLAN}`);
    const links = page.getByTestId('resp-files-1').locator('a');
    await page.getByTestId('resp-export-1').click();
    await links.first().waitFor();
    const href = await links.first().getAttribute('href');
    const payments = (await page.evaluate(async (u) => (await fetch(u)).text(), href)).trim().split('\n').slice(1).filter((l) => !l.startsWith('TOTAL'));
    expect(payments.length >= 2, `payments in the first bank file: ${payments.length}`);
    // The bank paid every payment but the first, which failed.
    const result = ['reference,status,amount,reason']
      .concat(payments.map((line, i) => {
        const cols = line.split(',');
        return i === 0 ? `${cols[0]},failed,${cols[5]},account closed` : `${cols[0]},paid,${cols[5]},`;
      }))
      .join('\n') + '\n';
    const upload = async () => {
      await page.getByTestId('resp-result-file-1').setInputFiles({ name: 'bank-result.csv', mimeType: 'text/csv', buffer: Buffer.from(result) });
      await page.getByTestId('resp-upload-1').click();
    };
    const reportUrl = href.replace(/\/files\/.*$/, '/report');
    const report = async () => page.evaluate(async (u) => (await fetch(u)).json(), reportUrl);
    const settled = async () => {
      for (let i = 0; i < 100; i++) {
        const r = await report();
        if (r.total.paid >= payments.length - 1) return r;
        const alert = page.locator('main [role=alert]');
        if (await alert.count()) throw new Error(`upload refused: ${await alert.first().innerText()}`);
        await page.waitForTimeout(200);
      }
      throw new Error('the bank result was not recorded within 20 s');
    };
    await upload();
    const first = await settled();
    await page.getByTestId('resp-report-1').locator('table').waitFor();
    await shot(page, '24-response-reconciled');
    expect(first.balances === true, `issued = paid + failed + returned + pending: ${JSON.stringify(first.total)}`);
    expect(first.total.failed >= 1, `the failed payment is recorded: ${JSON.stringify(first.total)}`);
    // The same file again changes nothing.
    await upload();
    await page.waitForTimeout(1000);
    const again = await settled();
    expect(JSON.stringify(again.total) === JSON.stringify(first.total), `unchanged: first ${JSON.stringify(first.total)}, again ${JSON.stringify(again.total)}`);
    expect(errors.length === 0, `no page errors: ${errors.join('; ')}`);
    await context.close();
  });

  await check('response: the failed payment is on the follow-up list, re-issued, then held by one officer and confirmed by another', async () => {
    const { context, page, errors } = await session('national_officer');
    await page.goto(base + `/#/response/plan/${PLAN}`);
    await page.getByTestId('pc-panel-1').waitFor();
    const followUrl = `/api/v1/plans/${PLAN}/payrolls/1/follow-up`;
    const list = await page.evaluate(async (u) => (await fetch(u)).json(), followUrl);
    const failed = list.items.find((i) => i.situation === 'failed');
    expect(!!failed, `a failed payment to follow up: ${JSON.stringify(list.items.slice(0, 3))}`);
    await page.getByTestId('pc-follow-up-1').locator('table').first().waitFor();
    const csvHref = await page.getByTestId('pc-csv-1').getAttribute('href');
    const csv = await page.evaluate(async (u) => (await fetch(u)).text(), csvHref);
    expect(csv.startsWith('soum_code,soum,household_id,register_no') && csv.includes(failed.register_no), 'the follow-up CSV lists it');
    expect((await page.getByTestId('pc-print-1').getAttribute('href')).endsWith('format=html'), 'a printable list');
    // Re-issue: recorded at once, the history shows the failed attempt.
    await page.getByTestId('pc-find-1').fill(failed.register_no);
    await page.getByTestId('pc-show-1').click();
    await page.getByTestId('pc-attempts-1').waitFor();
    expect((await page.getByTestId('pc-attempts-1').locator('tbody tr').count()) === 1, 'one attempt so far');
    await page.getByTestId('pc-reason-1').fill('данс сэргэсэн');
    await page.getByTestId('pc-ask-reissue-1').click();
    await page.getByTestId('pc-actions-1').waitFor();
    // A hold waits for a second officer: not this one.
    await page.getByTestId('pc-reason-1').fill('шалгаж байна');
    await page.getByTestId('pc-ask-hold-1').click();
    const pending = page.getByTestId('pc-pending-table-1');
    await pending.waitFor();
    const confirmMine = pending.locator('button[data-testid^=pc-confirm-]').first();
    expect(await confirmMine.isDisabled(), 'the officer who asked cannot confirm');
    await shot(page, '26-response-payment-case');
    expect(errors.length === 0, `no page errors: ${errors.join('; ')}`);
    await context.close();

    const second = await login(browser, base, checker);
    await second.page.goto(base + `/#/response/plan/${PLAN}`);
    const theirs = second.page.getByTestId('pc-pending-table-1').locator('button[data-testid^=pc-confirm-]').first();
    await theirs.waitFor();
    expect(!(await theirs.isDisabled()), 'another officer may confirm');
    await theirs.click();
    await second.page.getByTestId('pc-pending-1').getByText('Шийдвэр хүлээж буй хүсэлт алга.').waitFor();
    const c = await second.page.evaluate(async (u) => (await fetch(u)).json(), `/api/v1/plans/${PLAN}/payrolls/1/payments/${encodeURIComponent(failed.register_no)}`);
    expect(c.state === 'held' && c.actions.length === 2, `held after confirmation: ${c.state}, ${c.actions.length} actions`);
    expect(second.errors.length === 0, `no page errors: ${second.errors.join('; ')}`);
    await second.context.close();
  });

  await check('response: a small event is declared on the map (one soum clicked once, one twice)', async () => {
    const { context, page, errors } = await session('national_officer');
    await page.goto(base + '/#/response');
    await page.getByTestId('resp-event-form').waitFor();
    await page.getByTestId('resp-event-code').fill('zavkhan-map-pick');
    await page.getByTestId('resp-event-name').fill('Завхан, газрын зургаас');
    await page.getByTestId('resp-event-start').fill('2020-01-15');
    await page.getByTestId('resp-aimag').selectOption('181');
    const map = page.getByTestId('resp-soum-map');
    const shape = (code) => map.locator(`path[data-code="${code}"]`);
    await shape(18140).waitFor();
    // Clicks a point that is inside the soum (not merely inside its box)
    // and not covered by anything else.
    const clickSoum = async (code) => {
      const pos = await shape(code).evaluate((el) => {
        el.scrollIntoView({ block: 'center' });
        const r = el.getBoundingClientRect();
        for (let fy = 0.05; fy < 1; fy += 0.05) {
          for (let fx = 0.05; fx < 1; fx += 0.05) {
            const x = r.left + fx * r.width;
            const y = r.top + fy * r.height;
            if (document.elementFromPoint(x, y) === el) return { x, y };
          }
        }
        return null;
      });
      if (!pos) throw new Error(`no visible point inside soum ${code}`);
      await page.mouse.click(pos.x, pos.y);
    };
    const state = async (code) => ({
      pressed: await shape(code).getAttribute('aria-pressed'),
      label: await shape(code).getAttribute('aria-label'),
      severity: await shape(code).getAttribute('data-severity'),
      list: await page.getByTestId('resp-soum-list').locator(`select[data-code="${code}"]`).inputValue(),
    });
    const before = await state(18140);
    expect(before.pressed === 'false' && before.severity === '' && before.list === '' && before.label.endsWith('нэрвэгдээгүй'), `not affected at first: ${JSON.stringify(before)}`);
    await clickSoum(18140);
    await clickSoum(18110);
    await clickSoum(18110);
    const tosontsengel = await state(18140);
    expect(tosontsengel.pressed === 'true' && tosontsengel.severity === 'low' && tosontsengel.list === 'low' && tosontsengel.label.endsWith(': бага'), `18140 low on map and list: ${JSON.stringify(tosontsengel)}`);
    const twice = await state(18110);
    expect(twice.pressed === 'true' && twice.severity === 'medium' && twice.list === 'medium' && twice.label.endsWith(': дунд'), `18110 medium on map and list: ${JSON.stringify(twice)}`);
    // The keyboard works too, and the list changes the map back.
    await shape(18125).focus();
    await page.keyboard.press('Space');
    expect((await state(18125)).list === 'low', 'Space picks a soum');
    await page.getByTestId('resp-soum-list').locator('select[data-code="18125"]').selectOption('');
    const undone = await state(18125);
    expect(undone.pressed === 'false' && undone.severity === '', `the list clears the map: ${JSON.stringify(undone)}`);
    const legend = await page.getByTestId('resp-map-legend').locator('li').allTextContents();
    expect(legend.length === 5, `legend of five: ${legend.join(', ')}`);
    const names = {
      18140: await page.locator('[data-testid=resp-soum-list] tr', { has: page.locator('select[data-code="18140"]') }).locator('label').textContent(),
      18110: await page.locator('[data-testid=resp-soum-list] tr', { has: page.locator('select[data-code="18110"]') }).locator('label').textContent(),
    };
    await shot(page, '25-response-map-picker');
    await page.getByTestId('resp-event-submit').click();
    await page.getByTestId('resp-event-title').waitFor();
    const rows = await page.getByTestId('resp-event-soums').locator('tbody tr').evaluateAll((trs) => trs.map((tr) => [...tr.querySelectorAll('td')].map((td) => td.textContent)));
    expect(rows.length === 2, `exactly two soums: ${JSON.stringify(rows)}`);
    const want = [
      [names[18110], 'дунд'],
      [names[18140], 'бага'],
    ];
    for (const [name, sev] of want) {
      expect(rows.some((r) => r[0].includes(name) && r[1] === sev), `${name} listed as ${sev}: ${JSON.stringify(rows)}`);
    }
    const ev = await page.evaluate(async () => (await fetch('/api/v1/events/zavkhan-map-pick')).json());
    const got = ev.soums.map((s) => `${s.soum_code}:${s.severity}`).sort().join(' ');
    expect(got === '18110:medium 18140:low', `the server holds the picked soums: ${got}`);
    expect(errors.length === 0, `no page errors: ${errors.join('; ')}`);
    await context.close();
  });
}
