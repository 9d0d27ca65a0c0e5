// Browser test of the Results framework page (web/src/pages/indicators.ts)
// on the e2e register (Zavkhan): the page in Mongolian and in English, its
// figures equal to what the API computes (read through the same session,
// never written here), one indicator drilled by sex and by area (aimag ->
// soum), freezing by the national officer with its confirmation (the badge
// and the "equal" note after), the aimag officer offered no freeze button,
// and the printable view. Screenshots: indicators_mn, indicators_en,
// indicators_detail, indicators_print.
const CODE = 'SI_COVERAGE_HERDERS';
const PERIOD = String(new Date().getFullYear() - 1);

async function getJson(page, url) {
  return page.evaluate(async (u) => {
    const r = await fetch(u);
    if (!r.ok) throw new Error(`${u}: ${r.status} ${await r.text()}`);
    return r.json();
  }, url);
}

// The page writes percent with 1-2 decimals in the language's convention.
function percent(lang, v) {
  const f = new Intl.NumberFormat(lang === 'mn' ? 'mn-MN' : 'en-GB', { minimumFractionDigits: 1, maximumFractionDigits: 2 });
  return `${f.format(v)}%`;
}

async function rowsOf(page, testid) {
  return page.getByTestId(testid).locator('tbody tr').evaluateAll((trs) => trs.map((tr) => [...tr.querySelectorAll('td')].map((td) => td.innerText.trim())));
}

const count = (s) => Number(s.replace(/[^\d]/g, ''));

export async function run({ session, check, expect, shot, base }) {
  await check('indicators: the framework in Mongolian, values equal to the API', async () => {
    const { context, page, errors } = await session('analyst');
    const links = await page.locator('header nav a').evaluateAll((as) => as.map((a) => a.getAttribute('href')));
    expect(links.includes('#/indicators'), `nav offers the page: ${links}`);
    await page.goto(`${base}/#/indicators/${PERIOD}`);
    const table = page.getByTestId('ind-table');
    await table.waitFor();
    expect((await page.locator('h1').textContent()) === 'Үр дүнгийн хүрээ', 'Mongolian title');
    const api = await getJson(page, `/api/v1/indicators/values?period=${PERIOD}`);
    const framework = await getJson(page, '/api/v1/indicators');
    expect((await table.locator('tbody tr').count()) === framework.items.length, 'one row per indicator');
    for (const code of [CODE, 'HI_COVERAGE_HERDERS']) {
      const v = api.items.find((i) => i.code === code);
      const shown = (await page.getByTestId(`ind-value-${code}`).textContent()).trim();
      expect(shown === percent('mn', v.total.value), `${code}: page ${shown}, API ${v.total.value}`);
    }
    const firstRow = await rowsOf(page, 'ind-table');
    expect(firstRow[0][0] === framework.items[0].name.mn, `the name in Mongolian: ${firstRow[0][0]}`);
    expect(firstRow[0][1].startsWith(percent('mn', framework.items[0].baseline.value)), `baseline: ${firstRow[0][1]}`);
    expect(firstRow[0][5] === 'одоогийн', `live badge: ${firstRow[0][5]}`);
    const align = await page.getByTestId(`ind-value-${CODE}`).evaluate((e) => getComputedStyle(e).textAlign);
    expect(align === 'right', `numbers right-aligned: ${align}`);
    await shot(page, 'indicators_mn');
    expect(errors.length === 0, errors.join('; '));
    await context.close();
  });

  await check('indicators: the framework in English', async () => {
    const { context, page, errors } = await session('analyst', { lang: 'en' });
    await page.goto(`${base}/#/indicators/${PERIOD}`);
    await page.getByTestId('ind-table').waitFor();
    expect((await page.locator('h1').textContent()) === 'Results framework', 'English title');
    const body = await page.locator('main').innerText();
    expect(!/[А-Яа-яӨөҮү]/.test(body), 'no Cyrillic on the English page');
    const api = await getJson(page, `/api/v1/indicators/values?period=${PERIOD}`);
    const v = api.items.find((i) => i.code === CODE);
    const shown = (await page.getByTestId(`ind-value-${CODE}`).textContent()).trim();
    expect(shown === percent('en', v.total.value), `page ${shown}, API ${v.total.value}`);
    await shot(page, 'indicators_en');
    expect(errors.length === 0, errors.join('; '));
    await context.close();
  });

  await check('indicators: usable at 375 px, the table scrolls inside its box', async () => {
    const { context, page } = await session('analyst', { viewport: { width: 375, height: 800 } });
    await page.goto(`${base}/#/indicators/${PERIOD}`);
    await page.getByTestId('ind-table').waitFor();
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    expect(overflow <= 1, `no sideways scrolling of the page: ${overflow}px`);
    await context.close();
  });

  await check('indicators: one indicator drilled by sex and by area (aimag, then its soums)', async () => {
    const { context, page, errors } = await session('national_officer', { lang: 'en' });
    await page.goto(`${base}/#/indicators/${PERIOD}`);
    await page.getByTestId(`ind-open-${CODE}`).click();
    await page.getByTestId('ind-dim-sex').waitFor();
    const v = await getJson(page, `/api/v1/indicators/${CODE}/value?period=${PERIOD}`);
    const sex = await rowsOf(page, 'ind-dim-sex');
    expect(sex.length === 2 && sex[0][0] === 'women' && sex[1][0] === 'men', `sex rows: ${JSON.stringify(sex)}`);
    const women = v.cells.find((c) => c.by.sex === 'F' && Object.keys(c.by).length === 1);
    expect(count(sex[0][2]) === women.numerator && count(sex[0][3]) === women.denominator, `women ${sex[0]} = API ${JSON.stringify(women)}`);
    expect(count(sex[0][3]) + count(sex[1][3]) === v.total.denominator, 'women and men add up to the total');
    expect((await page.getByTestId('ind-total').textContent()) === percent('en', v.total.value), 'the total tile');
    await shot(page, 'indicators_detail');
    // Zavkhan, then its soums: the server scopes the area.
    await page.getByTestId('ind-drill-181').click();
    await page.waitForFunction(() => location.hash.endsWith('/181'));
    await page.getByTestId('ind-dim-soum').waitFor();
    const aimag = await getJson(page, `/api/v1/indicators/${CODE}/value?period=${PERIOD}&area=181`);
    expect(aimag.area === 181, `aimag value: ${aimag.area}`);
    const soums = await rowsOf(page, 'ind-dim-soum');
    const apiSoums = aimag.cells.filter((c) => Object.keys(c.by).length === 1 && c.by.soum);
    expect(soums.length === apiSoums.length && soums.length > 10, `${soums.length} soum rows, API ${apiSoums.length}`);
    expect(soums.reduce((s, r) => s + count(r[3]), 0) === aimag.total.denominator, 'the soums add up to the aimag');
    expect(soums.some((r) => r[0].startsWith('Tosontsengel')), 'soums named in English');
    expect(errors.length === 0, errors.join('; '));
    await context.close();
  });

  await check('indicators: the national officer freezes a value after confirming; the aimag officer may not', async () => {
    const aimag = await session('aimag_officer');
    await aimag.page.goto(`${base}/#/indicators/${PERIOD}/HI_COVERAGE_HERDERS`);
    await aimag.page.getByTestId('ind-freeze').waitFor();
    expect((await aimag.page.getByTestId('ind-freeze-button').count()) === 0, 'no freeze button for the aimag officer');
    await aimag.context.close();

    const { context, page, errors } = await session('national_officer');
    await page.goto(`${base}/#/indicators/${PERIOD}/HI_COVERAGE_HERDERS`);
    await page.getByTestId('ind-freeze-button').click();
    const confirm = page.getByTestId('ind-freeze-confirm');
    await confirm.waitFor();
    expect((await confirm.textContent()).includes('Түгжих үү'), 'asks in Mongolian first');
    await page.getByTestId('ind-freeze-yes').click();
    await page.getByTestId('ind-differences').waitFor();
    expect((await page.getByTestId('ind-differences').textContent()).includes('тэнцүү'), 'the live value equals the frozen one');
    const frozen = await getJson(page, '/api/v1/indicators/frozen?code=HI_COVERAGE_HERDERS');
    expect(frozen.items.length === 1 && frozen.items[0].period === PERIOD, `frozen: ${JSON.stringify(frozen.items)}`);
    await page.goto(`${base}/#/indicators/${PERIOD}`);
    await page.getByTestId('ind-table').waitFor();
    const rows = await rowsOf(page, 'ind-table');
    expect(rows[1][5] === 'түгжигдсэн', `the overview's badge: ${rows[1][5]}`);
    expect(errors.length === 0, errors.join('; '));
    await context.close();
  });

  await check('indicators: the printable view and the downloads', async () => {
    const { context, page, errors } = await session('analyst', { lang: 'en' });
    await page.goto(`${base}/#/indicators/${PERIOD}`);
    await page.getByTestId('ind-print-link').click();
    await page.getByTestId('ind-print-table').waitFor();
    expect((await page.getByTestId('ind-print-title').textContent()) === `Results framework, ${PERIOD}`, 'print title');
    const head = await page.getByTestId('ind-print-table').locator('thead th').allTextContents();
    expect(head.includes(`${PERIOD}Q1`) && head.includes(PERIOD), `value by period: ${head}`);
    const hi = await page.getByTestId('ind-print-HI_COVERAGE_HERDERS').locator('td').allTextContents();
    expect(hi.some((t) => t.endsWith('*')), `the frozen figure marked: ${hi}`);
    await page.emulateMedia({ media: 'print' });
    expect(!(await page.locator('header').isVisible()), 'no navigation in print');
    await shot(page, 'indicators_print');
    const csv = await page.evaluate(async (p) => (await fetch(`/api/v1/indicators/export?format=csv&period=${p}`)).text(), PERIOD);
    expect(csv.startsWith('indicator,period,area,'), 'the CSV download');
    const dhis = await page.evaluate(async (p) => (await fetch(`/api/v1/indicators/export?format=dhis2-json&period=${p}`)).json(), PERIOD);
    expect(Array.isArray(dhis.dataValues) && dhis.dataValues.length > 0, 'the DHIS2 download');
    const xlsxHref = await page.getByTestId('ind-download-xlsx').getAttribute('href').catch(() => null);
    const xlsx = await page.evaluate(async (p) => {
      const r = await fetch(`/api/v1/indicators/export?format=xlsx&period=${p}`);
      const b = new Uint8Array(await r.arrayBuffer());
      return { type: r.headers.get('content-type'), zip: b[0] === 0x50 && b[1] === 0x4b, size: b.length };
    }, PERIOD);
    expect(xlsx.zip && xlsx.type.includes('spreadsheetml') && xlsx.size > 1000, `the XLSX download: ${JSON.stringify(xlsx)} (${xlsxHref})`);
    expect(errors.length === 0, errors.join('; '));
    await context.close();
  });
}
