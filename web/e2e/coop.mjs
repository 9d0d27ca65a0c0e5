// Browser checks of the cooperative pages (src/pages/coop.ts, inkind.ts,
// training.ts) on the demo cooperatives of the register (coop seed-demo):
// a soum officer records a contribution and the fund's closing balance
// grows by it; a payout prepared by the national officer cannot be approved
// by them, is approved by the aimag officer and paid to every household; a
// delivery of the pedigree rams is confirmed once (a second confirmation
// is refused by the server); the rams preview by sex and age; the pages in
// English; the trainings page.
const num = (text) => Number(String(text).replace(/[^\d-]/g, ''));

export async function run({ session, check, expect, shot, base }) {
  await check('coop: a soum officer records a contribution and the fund grows by it', async () => {
    const { context, page, errors } = await session('soum_officer', { lang: 'mn' });
    await page.goto(base + '/#/coop');
    await page.getByTestId('coop-list').locator('table').waitFor();
    const heading = await page.locator('h1').innerText();
    expect(heading.includes('Хоршоо'), `Mongolian title: ${heading}`);
    await page.getByTestId('coop-stats-table').waitFor();
    await shot(page, '50-coop-list');
    await page.getByTestId('coop-link').filter({ hasText: '18140-01' }).click();
    await page.getByTestId('coop-members').waitFor();
    await page.getByTestId('coop-closing').waitFor();
    const before = num(await page.getByTestId('coop-closing').innerText());
    await page.getByTestId('contribute-method').selectOption('cash');
    await page.getByTestId('contribute-amount').fill('25000');
    await page.getByTestId('contribute-submit').click();
    const result = page.getByTestId('contribute-result');
    await result.locator('[role=status]').waitFor();
    expect((await result.innerText()).includes('Бүртгэгдлээ'), `recorded: ${await result.innerText()}`);
    await page.waitForFunction((b) => {
      const el = document.querySelector('[data-testid=coop-closing]');
      return el && Number(el.textContent.replace(/[^\d-]/g, '')) === b + 25000;
    }, before);
    // In kind: a sheep at the price table.
    await page.getByTestId('contribute-method').selectOption('in_kind');
    await page.getByTestId('contribute-item').selectOption('sheep');
    await page.getByTestId('contribute-quantity').fill('1');
    await page.getByTestId('contribute-amount').fill('');
    await page.getByTestId('contribute-submit').click();
    await page.waitForFunction((b) => {
      const el = document.querySelector('[data-testid=coop-closing]');
      return el && Number(el.textContent.replace(/[^\d-]/g, '')) > b + 25000;
    }, before);
    await shot(page, '51-coop-contribution');
    // A member's household shows their membership on their record.
    await page.getByTestId('coop-members').locator('tbody tr a').first().click();
    await page.getByTestId('household-view').waitFor();
    await page.getByTestId('hh-coop').locator('table').first().waitFor();
    expect((await page.getByTestId('hh-coop').innerText()).includes('хоршоо 1'), 'the membership is on the household page');
    expect(errors.length === 0, `no page errors: ${errors.join('; ')}`);
    await context.close();
  });

  await check('coop: a payout is approved by a second officer, never by its maker, and paid once', async () => {
    const maker = await session('national_officer', { lang: 'mn' });
    await maker.page.goto(base + '/#/coop/18140-02');
    const form = maker.page.getByTestId('payout-form');
    await form.waitFor();
    await maker.page.getByTestId('payout-code').fill('e2e-payout');
    await maker.page.getByTestId('payout-amount').fill('10000');
    await form.locator('button[type=submit]').click();
    const card = maker.page.getByTestId('dist-e2e-payout');
    await card.waitFor();
    expect((await card.getAttribute('data-status')) === 'prepared', 'prepared');
    expect(await card.getByTestId('dist-approve').isDisabled(), 'the maker cannot press approve');
    expect((await card.getByTestId('dist-maker').innerText()).includes('өөр ажилтан'), 'says why, in Mongolian');
    // The server refuses the maker too.
    const refused = await maker.page.evaluate(async () => (await fetch('/api/v1/distributions/e2e-payout/approve', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{}' })).status);
    expect(refused === 403, `403 for the maker: ${refused}`);
    await shot(maker.page, '52-coop-payout-prepared');
    await maker.context.close();

    const checker = await session('aimag_officer', { lang: 'mn' });
    await checker.page.goto(base + '/#/coop/18140-02');
    const c2 = checker.page.getByTestId('dist-e2e-payout');
    await c2.waitFor();
    await c2.getByTestId('dist-approve').click();
    await checker.page.waitForFunction(() => document.querySelector('[data-testid=dist-e2e-payout]')?.getAttribute('data-status') === 'approved');
    await checker.page.getByTestId('dist-e2e-payout').getByTestId('dist-pay-all').click();
    await checker.page.getByTestId('dist-e2e-payout').locator('[role=status]').waitFor();
    const d = await checker.page.evaluate(async () => (await fetch('/api/v1/distributions/e2e-payout')).json());
    expect(d.households > 0 && d.delivered === d.households, `paid every household once: ${d.delivered}/${d.households}`);
    // Paying again finds nobody left to pay.
    const again = await checker.page.evaluate(async () => (await (await fetch('/api/v1/distributions/e2e-payout/deliveries/all', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{}' })).json()).delivered);
    expect(again === 0, `nothing paid twice: ${again}`);
    await checker.page.reload();
    await checker.page.getByTestId('dist-e2e-payout').waitFor();
    await shot(checker.page, '53-coop-payout-paid');
    expect(checker.errors.length === 0, `no page errors: ${checker.errors.join('; ')}`);
    await checker.context.close();
  });

  await check('in-kind: a delivery of the pedigree rams is confirmed once', async () => {
    const { context, page, errors } = await session('soum_officer', { lang: 'mn' });
    await page.goto(base + '/#/inkind/rams-18140-2021');
    await page.getByTestId('ik-lines-table').waitFor();
    const delivered = await page.getByTestId('ik-delivered').count();
    const button = page.getByTestId('ik-confirm').first();
    const household = await button.getAttribute('data-household');
    await button.click();
    await page.waitForFunction((n) => document.querySelectorAll('[data-testid=ik-delivered]').length === n + 1, delivered);
    await shot(page, '54-inkind-delivery');
    const second = await page.evaluate(async (hh) => {
      const r = await fetch('/api/v1/distributions/rams-18140-2021/deliveries', {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', 'Idempotency-Key': 'e2e-second-confirmation' },
        body: JSON.stringify({ household_id: hh }),
      });
      return [r.status, (await r.json()).error?.message ?? ''];
    }, household);
    expect(second[0] === 409 && second[1].includes('аль хэдийн'), `a second delivery is refused: ${second}`);
    // The rams preview over the soum, by sex and age of the head.
    await page.goto(base + '/#/inkind');
    await page.getByTestId('ik-plan').waitFor();
    await page.getByTestId('ik-code').fill('e2e-rams');
    await page.getByTestId('ik-preview-button').click();
    const preview = page.getByTestId('ik-preview');
    await preview.waitFor();
    expect((await preview.locator('tbody tr').count()) > 0, 'households by sex and age');
    await shot(page, '55-inkind-preview');
    expect(errors.length === 0, `no page errors: ${errors.join('; ')}`);
    await context.close();
  });

  await check('coop: the pages in English, and the trainings', async () => {
    const { context, page, errors } = await session('aimag_officer', { lang: 'en' });
    await page.goto(base + '/#/coop');
    await page.getByTestId('coop-stats-table').waitFor();
    expect((await page.locator('h1').innerText()) === 'Cooperatives and pasture user groups', 'English title');
    const labels = await page.getByTestId('coop-stats-table').locator('th').allInnerTexts();
    expect(labels.includes('Trainees') && labels.includes('In-kind recipients'), `English columns: ${labels}`);
    const women = await page.getByTestId('coop-stats-table').locator('tbody tr', { hasText: 'Women' }).locator('td').nth(1).innerText();
    expect(num(women) > 0, `women members counted: ${women}`);
    await shot(page, '56-coop-en');
    await page.goto(base + '/#/training');
    await page.getByTestId('tr-list').locator('table').waitFor();
    await page.getByTestId('tr-businesses').locator('table').waitFor();
    await shot(page, '57-training');
    expect(errors.length === 0, `no page errors: ${errors.join('; ')}`);
    await context.close();
  });
}
