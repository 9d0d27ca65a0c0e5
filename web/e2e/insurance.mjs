// Browser checks of the insurance page (src/pages/insurance.ts): a soum
// officer opens the first herder of the outreach list, records a social
// insurance contribution in cash and one in kind, and the coverage of the
// soum goes up by one; a retry with the same idempotency key pays nothing
// twice; a bad field is shown beside it; the analyst is offered no
// insurance page and the server refuses their writes.
const num = (text) => Number(String(text).replace(/[^\d]/g, ''));

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
      return [cov.status, pay.status, outreach.status];
    });
    expect(r[0] === 200 && r[1] === 403 && r[2] === 403, `coverage 200, writes and names 403: ${r}`);
    await context.close();
  });
}
