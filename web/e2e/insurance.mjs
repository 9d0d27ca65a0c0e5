// Browser checks of the insurance page (src/pages/insurance.ts): a soum
// officer opens the first herder of the outreach list, records a social
// insurance contribution in cash and one in kind, and the coverage of the
// soum goes up by one; a retry with the same idempotency key pays nothing
// twice; a bad field is shown beside it; a visit whose answer is lost and
// which is sent again (same Idempotency-Key) is recorded once and shown as
// recorded; the outreach list and the persons behind a coverage figure
// download as CSV; the analyst is offered no insurance page, no download,
// and the server refuses their writes and names.
import { readFile } from 'node:fs/promises';

const num = (text) => Number(String(text).replace(/[^\d]/g, ''));
// The lines of a CSV body without the trailing empty line.
const csvLines = (text) => text.split(/\r?\n/).filter((l) => l.length > 0);

export async function run({ session, check, expect, shot, base }) {
  await check('insurance: soum officer records a contribution and the coverage changes', async () => {
    const { context, page, errors } = await session('soum_officer', { lang: 'mn' });
    await page.goto(base + '/#/insurance');
    await page.getByTestId('ins-social-insured').waitFor();
    const before = num(await page.getByTestId('ins-social-insured').innerText());
    const heading = await page.locator('h1').innerText();
    expect(heading.includes('даатгал'), `Mongolian title: ${heading}`);
    await page.getByTestId('ins-outreach-person').first().waitFor();
    await shot(page, '40-insurance-coverage-outreach');
    await page.getByTestId('ins-outreach-person').first().click();
    await page.getByTestId('pay-form').waitFor();
    await page.getByTestId('ins-pension').waitFor();
    const nowBefore = await page.getByTestId('ins-now-social').innerText();
    expect(nowBefore === 'Үгүй', `not socially insured before: ${nowBefore}`);
    // A bad field: the message is beside it and nothing is sent.
    await page.getByTestId('pay-months').fill('0');
    await page.getByTestId('pay-submit').click();
    expect((await page.getByTestId('pay-months').getAttribute('aria-invalid')) === 'true', 'months marked invalid');
    const errId = (await page.getByTestId('pay-months').getAttribute('aria-describedby')).split(' ')[0];
    expect((await page.locator(`#${errId}`).innerText()).length > 0, 'an error message beside the field');
    // Social insurance for the register's month, in cash.
    await page.getByTestId('pay-scheme').selectOption('social');
    await page.getByTestId('pay-months').fill('1');
    await page.getByTestId('pay-method').selectOption('cash');
    await page.getByTestId('pay-submit').click();
    await page.getByTestId('pay-result').waitFor();
    await page.getByTestId('ins-history').waitFor();
    const nowAfter = await page.getByTestId('ins-now-social').innerText();
    expect(nowAfter === 'Тийм', `socially insured after: ${nowAfter}`);
    // In kind: one sheep for the next months of health insurance.
    await page.getByTestId('pay-scheme').selectOption('health');
    await page.getByTestId('pay-method').selectOption('in_kind');
    await page.getByTestId('pay-item').selectOption('sheep');
    await page.getByTestId('pay-quantity').fill('1');
    await page.getByTestId('pay-submit').click();
    await page.waitForFunction(() => document.querySelectorAll('[data-testid=ins-history] tbody tr').length === 2);
    const valued = await page.getByTestId('pay-result').innerText();
    expect(valued.includes('Нэгжийн үнэ'), `the in-kind valuation is shown: ${valued}`);
    await shot(page, '41-insurance-person');
    // The soum's coverage went up by one.
    await page.goto(base + '/#/dashboard');
    await page.goto(base + '/#/insurance');
    await page.getByTestId('ins-social-insured').waitFor();
    const after = num(await page.getByTestId('ins-social-insured').innerText());
    expect(after === before + 1, `social insured ${before} -> ${after}`);
    // A retry with the same key (a double click on a slow link) pays once.
    const rn = await page.getByTestId('ins-outreach-person').first().getAttribute('href');
    const statuses = await page.evaluate(async (href) => {
      const path = `/api/v1/insurance/persons/${href.split('/').pop()}/contributions`;
      const send = () =>
        fetch(path, {
          method: 'POST',
          headers: { 'Content-Type': 'application/json', 'Idempotency-Key': 'e2e-double-click' },
          body: JSON.stringify({ scheme: 'health', from: '2020-01', months: 1 }),
        });
      const a = await send();
      const b = await send();
      return [a.status, b.status, (await a.json()).entry_id, (await b.json()).entry_id];
    }, rn);
    expect(statuses[0] === 201 && statuses[1] === 200 && statuses[2] === statuses[3], `201 then 200 with the same entry: ${statuses}`);
    expect(errors.length === 0, `no page errors: ${errors.join('; ')}`);
    await context.close();
  });

  await check('insurance: a visit sent again after a lost answer is recorded once, and shown as recorded', async () => {
    const { context, page, errors } = await session('soum_officer', { lang: 'mn' });
    await page.goto(base + '/#/insurance');
    const href = await page.getByTestId('ins-outreach-person').first().getAttribute('href');
    const rn = decodeURIComponent(href.split('/').pop());
    await page.goto(base + '/' + href);
    await page.getByTestId('visit-form').waitFor();
    const historyPath = `/api/v1/insurance/persons/${encodeURIComponent(rn)}/history`;
    const visitCount = () => page.evaluate(async (p) => (await (await fetch(p)).json()).visits.length, historyPath);
    const before = await visitCount();
    // The first answer is lost on the way back (the server records the
    // visit; the browser sees a timeout); the officer presses the button
    // again.
    const keys = [];
    page.on('request', (req) => {
      if (req.method() === 'POST' && req.url().endsWith('/visits')) keys.push(req.headers()['idempotency-key']);
    });
    const lost = [];
    await page.route('**/insurance/persons/*/visits', async (route) => {
      if (lost.length === 0) {
        const answer = await route.fetch();
        lost.push(answer.status());
        await route.abort('timedout');
      } else {
        await route.continue();
      }
    });
    await page.getByTestId('visit-outcome').selectOption('not_found');
    await page.getByTestId('visit-form').locator('input[name=note]').fill('e2e: хариу алдагдсан');
    await page.getByTestId('visit-submit').click();
    await page.getByTestId('visit-form').locator('[role=alert], .alert').first().waitFor();
    expect(lost[0] === 201, `the lost answer was 201 Created: ${lost}`);
    await page.getByTestId('visit-submit').click();
    const notice = await page.getByTestId('visit-result').innerText();
    expect(notice.includes('давхар бүртгэгдээгүй'), `shown as recorded once: ${notice}`);
    expect(keys.length === 2 && keys[0] && keys[0] === keys[1], `the retry sent the same Idempotency-Key: ${keys}`);
    expect((await visitCount()) === before + 1, `one visit recorded: ${before} -> ${await visitCount()}`);
    const shown = await page.getByTestId('ins-visits').locator('li').count();
    expect(shown === before + 1, `the page lists ${shown} visits, expected ${before + 1}`);
    // A new visit gets a new key.
    await page.unroute('**/insurance/persons/*/visits');
    await page.getByTestId('visit-outcome').selectOption('refused');
    await page.getByTestId('visit-submit').click();
    await page.waitForFunction((n) => document.querySelectorAll('[data-testid=ins-visits] li').length === n, before + 2);
    expect(keys.length === 3 && keys[2] && keys[2] !== keys[0], `a new visit, a new key: ${keys}`);
    // Two requests with one key (a double click reaching the server twice).
    const r = await page.evaluate(async (rnEnc) => {
      const send = () =>
        fetch(`/api/v1/insurance/persons/${rnEnc}/visits`, {
          method: 'POST',
          headers: { 'Content-Type': 'application/json', 'Idempotency-Key': 'e2e-visit-double-click' },
          body: JSON.stringify({ outcome: 'not_found', note: 'e2e double click' }),
        });
      const a = await send();
      const b = await send();
      const ja = await a.json();
      const jb = await b.json();
      return [a.status, b.status, ja.visit_id === jb.visit_id, ja.replayed, jb.replayed];
    }, encodeURIComponent(rn));
    expect(r.join() === '201,200,true,false,true', `201 then 200 replayed with the same visit: ${r}`);
    expect((await visitCount()) === before + 3, `three visits in all: ${await visitCount()}`);
    expect(errors.length === 0, `no page errors: ${errors.join('; ')}`);
    await context.close();
  });

  await check('insurance: the outreach list and the persons behind a coverage figure download as CSV', async () => {
    const { context, page, errors } = await session('soum_officer', { lang: 'mn' });
    await page.goto(base + '/#/insurance');
    await page.getByTestId('ins-outreach-person').first().waitFor();
    const link = page.getByTestId('ins-outreach-csv');
    const href = await link.getAttribute('href');
    expect(/soum=18140/.test(href) && /format=csv/.test(href) && /lang=mn/.test(href), `outreach CSV link: ${href}`);
    // The browser downloads it with the session cookie.
    const [download] = await Promise.all([page.waitForEvent('download'), link.click()]);
    expect(download.suggestedFilename().startsWith('outreach_18140_'), `file name: ${download.suggestedFilename()}`);
    const lines = csvLines(await readFile(await download.path(), 'utf8'));
    const header = lines[0].split(',');
    expect(header.includes('phone') && header.includes('register_no') && header.includes('reasons'), `CSV header: ${lines[0]}`);
    const total = await page.evaluate(async () => (await (await fetch('/api/v1/insurance/outreach?soum=18140&page_size=1')).json()).total);
    expect(lines.length - 1 === total, `the whole list: ${lines.length - 1} rows, total ${total}`);
    // The same through the page's request context (its cookies).
    const res = await page.request.get(base + href);
    expect(res.status() === 200 && (res.headers()['content-type'] ?? '').startsWith('text/csv'), `outreach CSV ${res.status()} ${res.headers()['content-type']}`);
    expect((res.headers()['content-disposition'] ?? '').startsWith('attachment'), 'as an attachment');
    // The persons behind "All, social insurance, uninsured": persons - insured.
    const all = page.getByTestId('ins-summary').locator('tr[data-group=all]');
    const persons = num(await all.locator('td').first().innerText());
    const insured = num(await page.getByTestId('ins-social-insured').innerText());
    const covHref = await all.locator('[data-testid=ins-cov-csv][data-scheme=social][data-covered=false]').getAttribute('href');
    expect(/covered=false/.test(covHref) && /scheme=social/.test(covHref) && !/sex=/.test(covHref), `coverage list link: ${covHref}`);
    const cov = await page.request.get(base + covHref);
    const covLines = csvLines(await cov.text());
    expect(cov.status() === 200 && covLines[0].split(',').includes('phone'), `persons CSV ${cov.status()}: ${covLines[0]}`);
    expect(covLines.length - 1 === persons - insured, `uninsured rows ${covLines.length - 1} = ${persons} - ${insured}`);
    // Per sex: the women's insured list has only women.
    const womenHref = await page.getByTestId('ins-summary').locator('tr[data-group=F] [data-testid=ins-cov-csv][data-scheme=health][data-covered=true]').getAttribute('href');
    const women = csvLines(await (await page.request.get(base + womenHref)).text());
    const sexCol = women[0].split(',').indexOf('sex');
    expect(women.slice(1).every((l) => l.split(',')[sexCol] === 'F'), `women only: ${womenHref}`);
    const label = await page.getByTestId('ins-cov-csv').first().getAttribute('aria-label');
    expect(label.includes('жагсаалт'), `a Mongolian label: ${label}`);
    // English page: English reasons in the CSV.
    await page.getByTestId('lang-switch').click();
    await page.waitForFunction(() => document.documentElement.lang === 'en');
    await page.getByTestId('ins-outreach-person').first().waitFor();
    const enHref = await page.getByTestId('ins-outreach-csv').getAttribute('href');
    expect(/lang=en/.test(enHref), `English CSV link: ${enHref}`);
    expect((await page.getByTestId('ins-outreach-csv').innerText()).includes('Download'), 'an English label');
    await shot(page, '42-insurance-downloads');
    expect(errors.length === 0, `no page errors: ${errors.join('; ')}`);
    await context.close();
  });

  await check('insurance: the analyst is offered no insurance page and cannot write', async () => {
    const { context, page } = await session('analyst', { lang: 'en' });
    const links = await page.locator('header nav a').evaluateAll((as) => as.map((a) => a.getAttribute('href')));
    expect(!links.includes('#/insurance'), `no insurance link: ${links}`);
    const r = await page.evaluate(async () => {
      const cov = await fetch('/api/v1/insurance/coverage?by=aimag');
      const pay = await fetch('/api/v1/insurance/persons/%D0%98%D0%9785120320/contributions', {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', 'Idempotency-Key': 'analyst-1' },
        body: JSON.stringify({ scheme: 'health', from: '2025-01' }),
      });
      const outreach = await fetch('/api/v1/insurance/outreach?soum=18140');
      const csv = await fetch('/api/v1/insurance/outreach?soum=18140&format=csv&lang=en');
      const persons = await fetch('/api/v1/insurance/coverage/persons?scheme=social&covered=false&format=csv');
      return [cov.status, pay.status, outreach.status, csv.status, persons.status];
    });
    expect(r.join() === '200,403,403,403,403', `coverage 200, writes, names and CSV downloads 403: ${r}`);
    // No download link anywhere the analyst can go (the dashboard shows
    // coverage figures, never a list of names).
    const downloadLinks = 'a[href*="insurance/outreach"], a[href*="coverage/persons"], [data-testid=ins-cov-csv], [data-testid=ins-outreach-csv]';
    await page.goto(base + '/#/insurance');
    await page.locator('main').waitFor();
    expect((await page.locator(downloadLinks).count()) === 0, 'no download link on #/insurance');
    await page.goto(base + '/#/dashboard');
    await page.locator('main').waitFor();
    await page.waitForLoadState('networkidle');
    const downloads = await page.locator(downloadLinks).count();
    expect(downloads === 0, `no download links for the analyst: ${downloads}`);
    await context.close();
  });
}
