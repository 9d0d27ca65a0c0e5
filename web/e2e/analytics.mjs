// Browser checks of the resilience and poverty page (src/pages/analytics.ts):
// an analyst runs a benefit simulation on the reference survey (uploaded
// from ../shared/reference/poverty) and sees its cost and the poverty it
// removes; bad input is shown next to its field; a soum officer computes
// poverty measures in Mongolian with the official line named. Resilience:
// the analyst fits a RIMA model on the reference survey (a job with a real
// progress bar), sees the resilience structure by pillar and by profile as
// bars, and one household's score explained; a soum officer sees the
// structure under the stored model but is offered no explanation.
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const shared = process.env.MALCHIN_SHARED_DIR ?? join(here, '..', '..', '..', 'shared');
const survey = join(shared, 'reference', 'poverty');
const rimaSurvey = join(shared, 'reference', 'rima', 'synthetic_herders.csv');
const rimaSpec = join(here, '..', '..', 'src', 'rima', 'testdata', 'herders_spec.json');

// Records every state a job progress bar shows (value, aria-valuenow,
// text), so a quick job's bar is seen even if it is gone by the next check.
async function watchProgress(page) {
  await page.evaluate(() => {
    window.__progress = [];
    const seen = (el) => {
      window.__progress.push({ value: el.value, max: el.max, now: el.getAttribute('aria-valuenow'), text: el.getAttribute('aria-valuetext'), label: el.labels?.[0]?.textContent ?? '' });
    };
    new MutationObserver((list) => {
      for (const m of list) {
        const t = m.target;
        if (t instanceof HTMLProgressElement) seen(t);
        for (const n of m.addedNodes ?? []) if (n instanceof Element) n.querySelectorAll('progress').forEach(seen);
      }
    }).observe(document.body, { subtree: true, childList: true, attributes: true, attributeFilter: ['aria-valuenow'] });
  });
}

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

  await check('analytics: analyst fits a RIMA model with a progress bar and sees the structure by pillar and profile', async () => {
    const { context, page, errors } = await session('analyst', { lang: 'en' });
    await page.goto(base + '/#/analytics');
    const form = page.getByTestId('rima-structure-form');
    await form.waitFor();
    await page.getByTestId('rima-model-pick').locator('option').first().waitFor({ state: 'attached' });
    // Nothing stored yet: fitting a new model is offered and needs a spec.
    expect((await page.getByTestId('rima-model-pick').inputValue()) === '__new__', 'fit a new model');
    await page.getByTestId('rima-survey').setInputFiles(rimaSurvey);
    await page.getByTestId('rima-structure-submit').click();
    await page.waitForFunction(() => document.querySelector('[data-testid=rima-spec]')?.getAttribute('aria-invalid') === 'true');
    await page.getByTestId('rima-spec').setInputFiles(rimaSpec);
    await watchProgress(page);
    await page.getByTestId('rima-structure-submit').click();
    await page.getByTestId('rima-rsm').waitFor({ timeout: 120000 });
    const states = await page.evaluate(() => window.__progress);
    expect(states.length > 0 && states.every((s) => s.max === 100 && s.now !== null && s.label === 'Fitting the model'), `a labelled progress bar: ${JSON.stringify(states)}`);
    expect(states.some((s) => /% — /.test(s.text ?? '')), `progress in words: ${JSON.stringify(states)}`);
    expect((await page.getByTestId('rima-model-note').innerText()).includes('fitted and stored'), 'the model is stored');
    const pillars = await page.getByTestId('rima-rsm').locator('tbody tr').allInnerTexts();
    expect(pillars.length === 4 && pillars[0].includes('Access to basic services'), `four pillars: ${pillars.join(' | ')}`);
    const shares = pillars.map((t) => parseFloat(t.split('\t').pop().replace(/[^\d.]/g, '')));
    expect(Math.abs(shares.reduce((a, b) => a + b, 0) - 100) < 0.5, `shares add up to 100%: ${shares}`);
    const sexRows = await page.getByTestId('rima-profile-head_female').locator('tbody th').allInnerTexts();
    expect(sexRows.join(',') === 'Male-headed,Female-headed', `by sex of the head: ${sexRows}`);
    expect((await page.getByTestId('rima-profile-region').locator('tbody tr').count()) >= 3, 'by region');
    await shot(page, '32-analytics-resilience-structure');

    // One household explained; an id not in the survey is refused beside the field.
    await page.getByTestId('rima-household').fill('NOT-A-HOUSEHOLD');
    await page.getByTestId('rima-explain-submit').click();
    expect((await page.getByTestId('rima-household').getAttribute('aria-invalid')) === 'true', 'bad id marked');
    const placeholder = await page.getByTestId('rima-household').getAttribute('placeholder');
    expect(placeholder === 'HH00001', `an example id: ${placeholder}`);
    await page.getByTestId('rima-household').fill('HH00001');
    await page.getByTestId('rima-explain-submit').click();
    const summary = page.getByTestId('rima-explain-summary');
    await summary.waitFor();
    const said = await summary.innerText();
    expect(/Household HH00001: resilience score [\d.]+ of 100, in fifth [1-5] of 5/.test(said), `score explained: ${said}`);
    expect(/RCI\): -?[\d.]+/.test(await page.getByTestId('rima-explain-rci').innerText()), 'the RCI');
    expect((await page.getByTestId('rima-explain-pillars').locator('tbody tr').count()) === 4, 'four pillars');
    const indicators = await page.getByTestId('rima-explain-vars-ABS').innerText();
    expect(indicators.includes('Time to drinking water') && /[+−]\d/.test(indicators), `plain labels and signed points: ${indicators.slice(0, 200)}`);
    await page.getByTestId('rima-explain').scrollIntoViewIfNeeded();
    await shot(page, '33-analytics-household-explained');
    expect(errors.length === 0, `no page errors: ${errors.join('; ')}`);
    await context.close();
  });

  await check('analytics: soum officer sees the structure under the stored model, in Mongolian, with no explanation offered', async () => {
    const { context, page, errors } = await session('soum_officer', { lang: 'mn' });
    await page.goto(base + '/#/analytics');
    await page.getByTestId('rima-structure-form').waitFor();
    await page.getByTestId('rima-model-pick').locator('option').first().waitFor({ state: 'attached' });
    const options = await page.getByTestId('rima-model-pick').locator('option').allInnerTexts();
    expect(options.length === 1 && options[0].startsWith('rima-'), `the stored model only: ${options}`);
    expect((await page.getByTestId('rima-explain-form').count()) === 0, 'no explanation for a soum officer');
    await page.getByTestId('rima-survey').setInputFiles(rimaSurvey);
    await page.getByTestId('rima-structure-submit').click();
    await page.getByTestId('rima-rsm').waitFor({ timeout: 60000 });
    const first = await page.getByTestId('rima-rsm').locator('tbody tr').first().innerText();
    expect(first.includes('Үндсэн үйлчилгээний хүртээмж'), `pillar in Mongolian: ${first}`);
    expect(errors.length === 0, `no page errors: ${errors.join('; ')}`);
    await context.close();
  });
}
