// Browser checks of the dashboard's insurance coverage and active shock
// responses (src/pages/dashboard.ts), on the Zavkhan register that
// scripts/web_e2e.sh seeds. The national officer declares a drought in two
// soums and prepares a plan through the API; the dashboard shows coverage
// against the targets (tiles, by sex and age band, by area, and on the map)
// and the response with links into the response page; the analyst sees the
// same aggregates with no link and no name; a soum officer's phone shows
// their soum.
const EVENT = 'zavkhan-drought-e2e';
const PLAN = 'zavkhan-drought-e2e-elders';
const REGISTER_NO = /[А-ЯЁӨҮ]{2}\d{8}/;

export async function run({ session, check, expect, shot, base }) {
  await check('dashboard: national officer sees coverage against the targets and the declared response', async () => {
    const { context, page, errors } = await session('national_officer');
    const made = await page.evaluate(
      async ({ event, plan }) => {
        const post = async (url, body) => {
          const r = await fetch(url, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) });
          return `${r.status} ${r.ok ? '' : await r.text()}`;
        };
        return [
          await post('/api/v1/events', {
            code: event,
            type: 'drought',
            name: 'Завхан, ган 2020 (e2e)',
            starts_on: '2020-01-01',
            soums: [
              { soum_code: 18140, severity: 'high' },
              { soum_code: 18146, severity: 'medium' },
            ],
          }),
          await post('/api/v1/plans', {
            code: plan,
            event,
            kind: 'horizontal',
            name: 'Ахмад настанд',
            eligibility: 'age >= 60',
            amount: '50000',
            cutoff_on: '2020-01-01',
            installments: [{ due_on: '2020-02-01' }, { due_on: '2020-03-01' }],
          }),
        ];
      },
      { event: EVENT, plan: PLAN },
    );
    expect(made.every((s) => s.startsWith('201') || s.startsWith('200')), `event and plan made: ${made.join(' | ')}`);
    // The dashboard was drawn at login, before the event: draw it again.
    await page.goto(base + '/#/dashboard');
    await page.reload();
    const social = page.getByTestId('dash-cov-social');
    await social.waitFor();
    expect(/%/.test(await social.locator('.v').innerText()), 'a social coverage rate');
    expect((await social.innerText()).includes('20%'), `the 20% target is named: ${await social.innerText()}`);
    expect((await page.getByTestId('dash-cov-health').innerText()).includes('50%'), 'the 50% health target is named');
    const persons = Number((await page.getByTestId('dash-cov-persons').locator('.v').innerText()).replace(/[^\d]/g, ''));
    expect(persons > 0, `herders of working age: ${persons}`);
    const bands = await page.getByTestId('dash-cov-sexage').locator('tbody tr').count();
    expect(bands >= 3, `age bands: ${bands}`);
    const areas = await page.getByTestId('dash-cov-areas').locator('tbody th').allInnerTexts();
    expect(areas.includes('Завхан'), `Zavkhan in the area table: ${areas}`);
    // The response, with links into the response page.
    const row = page.getByTestId('dash-resp-table').locator(`tr[data-plan="${PLAN}"]`);
    await row.waitFor();
    const text = await row.innerText();
    expect(text.includes('Ахмад настанд') && text.includes('Ган'), `event and plan shown: ${text}`);
    expect((await row.getByTestId('dash-resp-state').innerText()).includes('батлагдахыг хүлээж'), 'awaiting approval, in Mongolian');
    expect(/2-с 0/.test(text), `no installment paid of two: ${text}`);
    await shot(page, '16-dashboard-coverage-responses');
    // Coverage on the map: the legend is in percent.
    await page.getByTestId('measure').selectOption('social_rate');
    await page.waitForFunction(() => location.hash.includes('m=social_rate'));
    await page.locator('figure.legend figcaption', { hasText: 'Нийгмийн даатгалын хамралт' }).waitFor();
    const zavkhan = await page.locator('svg.map path.area[data-code="181"] title').textContent();
    expect(/%$/.test(zavkhan), `Zavkhan's rate on the map: ${zavkhan}`);
    // Drill down: Zavkhan's soums, coverage by soum.
    await page.locator('svg.map path.area[data-code="181"]').focus();
    await page.keyboard.press('Enter');
    await page.waitForFunction(() => location.hash.includes('aimag=181'));
    await page.getByTestId('dash-cov-areas').locator('tbody th', { hasText: 'Тосонцэнгэл' }).waitFor();
    await shot(page, '17-dashboard-coverage-map');
    // The plan link opens the plan on the response page.
    await page.getByTestId('dash-resp-table').locator(`tr[data-plan="${PLAN}"] a[href="#/response/plan/${PLAN}"]`).click();
    await page.getByTestId('resp-plan-title').waitFor();
    expect(errors.length === 0, `no page errors: ${errors.join('; ')}`);
    await context.close();
  });

  await check('dashboard: analyst sees coverage and responses as aggregates, with no link and no name', async () => {
    const { context, page, errors } = await session('analyst', { lang: 'en' });
    await page.getByTestId('dash-cov-social').waitFor();
    const row = page.getByTestId('dash-resp-table').locator(`tr[data-plan="${PLAN}"]`);
    await row.waitFor();
    expect((await page.getByTestId('dash-resp-table').locator('a').count()) === 0, 'no link to a page the analyst may not open');
    expect((await row.getByTestId('dash-resp-state').innerText()) === 'plan prepared, awaiting approval', 'state in English');
    expect((await page.locator('#dash-resp-h').innerText()) === 'Active shock responses', 'English heading');
    const body = await page.locator('main').innerText();
    expect(!REGISTER_NO.test(body), 'no register number');
    expect(/MNT [\d,]+/.test(await row.innerText()), `cost in MNT: ${await row.innerText()}`);
    // A prepared plan's beneficiaries are today's preview (elders in the two soums).
    const benef = await row.locator('td').nth(3).innerText();
    expect(Number(benef.split('\n')[0].replace(/[^\d]/g, '')) > 0 && benef.includes('preview'), `previewed beneficiaries: ${benef}`);
    await shot(page, '18-dashboard-analyst-en');
    expect(errors.length === 0, `no page errors: ${errors.join('; ')}`);
    await context.close();
  });

  await check('dashboard: soum officer on a phone sees their soum’s coverage and the response', async () => {
    const { context, page, errors } = await session('soum_officer', { viewport: { width: 375, height: 800 } });
    await page.getByTestId('dash-cov-social').waitFor();
    await page.getByTestId('dash-resp-table').locator(`tr[data-event="${EVENT}"]`).waitFor();
    const heading = await page.locator('#dash-cov-h').innerText();
    expect(heading.includes('Тосонцэнгэл'), `their soum: ${heading}`);
    expect((await page.getByTestId('dash-cov-areas').count()) === 0, 'no table of other areas');
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    expect(overflow <= 1, `no sideways scrolling of the page: ${overflow}px`);
    await page.getByTestId('dash-coverage').scrollIntoViewIfNeeded();
    await shot(page, '19-phone-dashboard-coverage');
    expect(errors.length === 0, `no page errors: ${errors.join('; ')}`);
    await context.close();
  });
}
