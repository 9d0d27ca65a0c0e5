// Browser checks of the resilience and poverty page (src/pages/analytics.ts):
// an analyst runs a benefit simulation on the reference survey (uploaded
// from ../shared/reference/poverty) and sees its cost and the poverty it
// removes; bad input is shown next to its field; a soum officer computes
// poverty measures in Mongolian with the official line named.
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const shared = process.env.MALCHIN_SHARED_DIR ?? join(here, '..', '..', '..', 'shared');
const survey = join(shared, 'reference', 'poverty');

async function openPage(page, base) {
  await page.goto(base + '/#/analytics');
  await page.getByTestId('sim-form').waitFor();
  // The RIMA section says plainly when nothing is scored yet.
  await page.locator('[data-testid=rima-none], [data-testid=rima-table]').first().waitFor();
  await page.getByTestId('ana-households').setInputFiles(join(survey, 'households.csv'));
  await page.getByTestId('ana-persons').setInputFiles(join(survey, 'persons.csv'));
}

export async function run({ session, check, expect, shot, base }) {
  await check('analytics: analyst simulates a child benefit (cost, beneficiaries, poverty before/after)', async () => {
    const { context, page, errors } = await session('analyst', { lang: 'en' });
    await openPage(page, base);
    await page.getByTestId('sim-amount').fill('100000');
    await page.getByTestId('sim-minAge').fill('0');
    await page.getByTestId('sim-maxAge').fill('17');
    await page.getByTestId('ana-line').fill('200000');
    await page.getByTestId('sim-submit').click();
    await page.getByTestId('sim-cost-year').waitFor();
    const cost = await page.getByTestId('sim-cost-year').innerText();
    expect(/MNT [\d,]+/.test(cost), `a yearly cost in MNT: ${cost}`);
    const cells = await page.getByTestId('sim-headcount').locator('td').allInnerTexts();
    const [before, after] = cells.map((t) => parseFloat(t.replace(/[^\d.]/g, '')));
    expect(before > after && after > 0, `headcount falls: ${cells.join(' -> ')}`);
    expect(Math.abs(before - 28.5) < 0.1, `baseline headcount 28.5% at line 200,000: ${before}`);
    const line = await page.getByTestId('sim-line-used').innerText();
    expect(line.includes('200,000'), `the line used is shown: ${line}`);
    await shot(page, '30-analytics-simulation');
    // Bad input: the message is beside the field, and nothing is sent.
    await page.getByTestId('sim-maxAge').fill('-3');
    await page.getByTestId('sim-submit').click();
    const invalid = await page.getByTestId('sim-maxAge').getAttribute('aria-invalid');
    expect(invalid === 'true', 'the field is marked invalid');
    const describedBy = await page.getByTestId('sim-maxAge').getAttribute('aria-describedby');
    const errId = describedBy.split(' ').find((x) => x.endsWith('-err'));
    const msg = await page.locator(`#${errId}`).innerText();
    expect(msg.length > 0, 'an error message next to the field');
    expect(errors.length === 0, `no page errors: ${errors.join('; ')}`);
    await context.close();
  });

  await check('analytics: soum officer computes poverty measures in Mongolian with the official line', async () => {
    const { context, page, errors } = await session('soum_officer', { lang: 'mn' });
    await openPage(page, base);
    await page.getByTestId('ana-measures-submit').click();
    await page.getByTestId('ana-line-used').waitFor();
    const line = await page.getByTestId('ana-line-used').innerText();
    expect(line.includes('poverty.line.per_capita'), `the official line is named: ${line}`);
    expect(/Ашигласан ядуурлын шугам/.test(line), `Mongolian text: ${line}`);
    const rows = await page.getByTestId('ana-measures').locator('tbody tr').count();
    expect(rows > 5, `national and domain rows: ${rows}`);
    await shot(page, '31-analytics-measures');
    expect(errors.length === 0, `no page errors: ${errors.join('; ')}`);
    await context.close();
  });
}
