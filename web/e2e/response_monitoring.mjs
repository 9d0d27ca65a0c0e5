// Browser test of the Monitoring page (web/src/pages/monitoring.ts), run by
// run.mjs after response.mjs, whose phase-1 payroll (zavkhan-phase1,
// installment 1, paid by the bank but for one payment) it monitors: the
// national officer draws the PDM sample over the API and the aimag officer
// approves it; every selected respondent answers (KoBoToolbox CSV): one in
// Tosontsengel (18140) says nothing arrived, one in another soum says less.
// The soum officer of Tosontsengel sees the sample, its response rate,
// the shares as bars and only their soum's case, raises it as a grievance
// (once: the server answers 200 with the same reference the second time);
// then the page in English and its downloads.
const PLAN = 'zavkhan-phase1';

// RFC 4180 rows (quotes, doubled quotes).
function parseCsv(text) {
  const rows = [];
  let row = [], field = '', quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') { field += '"'; i++; } else if (c === '"') quoted = false; else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') { row.push(field); field = ''; }
    else if (c === '\n') { row.push(field.replace(/\r$/, '')); rows.push(row); row = []; field = ''; }
    else field += c;
  }
  if (field || row.length) { row.push(field); rows.push(row); }
  return rows;
}

async function api(page, method, url, body, contentType = 'application/json') {
  return page.evaluate(async ([m, u, b, t]) => {
    const r = await fetch(u, { method: m, headers: b === null ? {} : { 'Content-Type': t }, body: b });
    return { status: r.status, text: await r.text() };
  }, [method, url, body ?? null, contentType]);
}

// The KoBo export: every main respondent answers; the first of 18140 got
// nothing, the first of another soum got 10,000.
function koboCsv(respondents) {
  const [head, ...rows] = parseCsv(respondents);
  const col = (n) => head.indexOf(n);
  let out = 'respondent,consent,received,amount_received,_id,_uuid,_submission_time\n';
  let n = 0, tos = null, other = null;
  for (const f of rows) {
    if (f.length < head.length || f[col('replacement')] !== '0') continue;
    n++;
    let answer = ',yes,yes,40000';
    if (!tos && f[col('soum')] === '18140') { tos = f[col('name')]; answer = ',yes,no,'; }
    else if (!other && f[col('soum')] !== '18140') { other = f[col('name')]; answer = ',yes,yes,10000'; }
    out += `${f[col('name')]}${answer},${n},e2e-u${n},2020-01-15T04:00:00\n`;
  }
  return { csv: out, n, tos, other };
}

export async function run({ session, check, expect, shot, base }) {
  let sampleId = 0;
  let tosCase = null;

  await check('monitoring: a PDM sample of the paid payroll is drawn, approved by another officer and answered', async () => {
    const nat = await session('national_officer');
    const drawn = await api(nat.page, 'POST', '/api/v1/pdm/samples', JSON.stringify({ plan: PLAN, installment: 1, seed: 7, margin: 0.15 }));
    expect(drawn.status === 201 || drawn.status === 200, `drawn: ${drawn.status} ${drawn.text}`);
    sampleId = JSON.parse(drawn.text).id;
    const self = await api(nat.page, 'POST', `/api/v1/pdm/samples/${sampleId}/approve`);
    expect(self.status === 403, `the maker cannot approve: ${self.status}`);
    const aimag = await session('aimag_officer');
    const ok = await api(aimag.page, 'POST', `/api/v1/pdm/samples/${sampleId}/approve`);
    expect(ok.status === 200, `approved: ${ok.status} ${ok.text}`);
    await aimag.context.close();
    const list = await api(nat.page, 'GET', `/api/v1/pdm/samples/${sampleId}/respondents.csv`);
    expect(list.status === 200, `respondents: ${list.status}`);
    const k = koboCsv(list.text);
    expect(k.tos && k.other, `respondents in 18140 and elsewhere: ${k.tos} ${k.other}`);
    tosCase = k.tos;
    const up = await api(nat.page, 'POST', `/api/v1/pdm/samples/${sampleId}/submissions?file=kobo.csv`, k.csv, 'text/csv');
    expect(up.status === 200 && JSON.parse(up.text).accepted === k.n, `ingested: ${up.text}`);
    await nat.context.close();
  });

  await check('monitoring: the soum officer reads the report in Mongolian and raises their case as a grievance once', async () => {
    const { context, page, errors } = await session('soum_officer', { lang: 'mn' });
    await page.goto(base + '/#/monitoring');
    expect((await page.locator('h1').innerText()).includes('хяналтын судалгаа'), 'Mongolian title');
    const navText = await page.locator('header nav').innerText();
    expect(navText.includes('Хяналтын судалгаа'), `nav: ${navText}`);
    await page.getByTestId(`pdm-sample-${sampleId}`).click();
    await page.getByTestId('pdm-bars').waitFor();
    const response = await page.getByTestId('pdm-response').innerText();
    expect(/Хариу өгөлтийн хувь: \d/.test(response), `response rate: ${response}`);
    expect((await page.getByTestId('pdm-bars').locator('tbody tr').count()) >= 1, 'at least one share');
    expect((await page.getByTestId('pdm-bars').innerText()).includes('95% итгэх завсар'), 'the level is named');
    const rows = page.getByTestId('pdm-follow-up-table').locator('tbody tr');
    expect((await rows.count()) === 1, `only the 18140 case: ${await rows.count()}`);
    const row = await rows.first().innerText();
    expect(row.includes(tosCase) && row.includes('юу ч аваагүй'), `the case in Mongolian: ${row}`);
    await shot(page, '80-monitoring-report');
    const raise = page.locator('[data-testid^=pdm-raise-e2e-u]');
    await raise.click();
    const status = page.getByTestId('pdm-raise-status').locator('[role=status]');
    await status.waitFor();
    const said = await status.innerText();
    const ref = /G-\d{4}-\d+/.exec(said)?.[0];
    expect(!!ref, `the reference is shown: ${said}`);
    const link = page.locator('[data-testid^=pdm-raised-]');
    await link.waitFor();
    expect((await link.innerText()) === ref, 'the case now links to its grievance');
    const uuid = (await link.getAttribute('data-testid')).replace('pdm-raised-', '');
    const again = await api(page, 'POST', `/api/v1/pdm/samples/${sampleId}/follow-up/${uuid}/grievance`);
    expect(again.status === 200 && JSON.parse(again.text).grievance_reference === ref, `the same grievance: ${again.status} ${again.text}`);
    await shot(page, '81-monitoring-raised');
    expect(errors.length === 0, `no page errors: ${errors.join('; ')}`);
    await context.close();
  });

  await check('monitoring: in English, with CSV, Excel and XLSForm downloads', async () => {
    const { context, page, errors } = await session('aimag_officer', { lang: 'mn' });
    await page.goto(base + `/#/monitoring/${sampleId}`);
    await page.getByTestId('pdm-bars').waitFor();
    expect((await page.getByTestId('pdm-follow-up-table').locator('tbody tr').count()) === 2, 'the aimag officer sees both cases');
    await page.getByTestId('lang-switch').click();
    await page.waitForFunction(() => document.querySelector('h1')?.textContent === 'Post-distribution monitoring');
    await page.getByTestId('pdm-follow-up-table').waitFor();
    const table = await page.getByTestId('pdm-follow-up-table').innerText();
    expect(table.includes('bank paid, says received nothing') && table.includes('received less than the amount paid'), `English reasons: ${table}`);
    for (const what of ['estimates.csv', 'follow_up.csv', 'xlsx', 'form']) {
      const href = await page.getByTestId(`pdm-download-${what}`).getAttribute('href');
      const got = await page.evaluate(async (u) => {
        const r = await fetch(u);
        const b = new Uint8Array(await r.arrayBuffer());
        return { status: r.status, head: String.fromCharCode(...b.slice(0, 2)), size: b.length };
      }, href);
      expect(got.status === 200 && got.size > 0, `${what}: ${got.status}`);
      if (what === 'xlsx' || what === 'form') expect(got.head === 'PK', `${what} is a zip`);
    }
    expect((await page.getByTestId('pdm-download-xlsx').getAttribute('href')).endsWith('lang=en'), 'the report in English');
    await shot(page, '82-monitoring-english');
    expect(errors.length === 0, `no page errors: ${errors.join('; ')}`);
    await context.close();
  });
}
