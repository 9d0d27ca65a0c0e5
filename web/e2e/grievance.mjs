// Browser checks of the complaint pages (src/pages/grievance*.ts,
// complain.ts): a soum officer walks a complaint from intake to closure
// (acknowledgement, review, resolution, the letters printed, closed); a
// confidential complaint recorded by that officer disappears from their
// sight (not in the list, "not found" by its address, counted without
// detail) while the aimag's GBV focal point finds it, records the
// survivor's consent and refers her to the one-stop service centre; the
// officer a complaint is about, once an aimag officer names them, can no
// longer open it; the auditor sees counts only; a herder sends a complaint from the public form
// without logging in and follows it with the tracking code.

const REFERENCE = /G-\d{4}-\d{5,}/;
const idOf = (reference) => Number(reference.split('-').pop());

export async function run({ session, check, expect, shot, base, browser, accounts }) {
  // Records a complaint through the intake form; returns its reference.
  async function record(page, { category, summary, name }) {
    await page.goto(base + '/#/grievance');
    await page.getByTestId('grv-intake').waitFor();
    await page.waitForFunction(() => document.querySelectorAll('[data-testid=grv-category] option').length > 2);
    await page.getByTestId('grv-category').selectOption(category);
    await page.getByTestId('grv-summary').fill(summary);
    if (name) await page.getByTestId('grv-name').fill(name);
    await page.getByTestId('grv-intake-submit').click();
    await page.getByTestId('grv-recorded').waitFor();
    const text = await page.getByTestId('grv-recorded').innerText();
    const m = REFERENCE.exec(text);
    expect(m, `a reference in: ${text}`);
    return m[0];
  }
  async function state(page) {
    return (await page.getByTestId('grv-state').innerText()).trim();
  }

  let secretRef = null;

  await check('grievance: soum officer walks a complaint from intake to closure', async () => {
    const { context, page, errors } = await session('soum_officer', { lang: 'mn' });
    const nav = await page.locator('header nav a').evaluateAll((as) => as.map((a) => a.getAttribute('href')));
    expect(nav.includes('#/grievance'), `nav has complaints: ${nav}`);
    const ref = await record(page, { category: 'not_included', summary: 'Миний хүүхдэд мөнгө ороогүй.', name: 'Бат Сараа' });
    await shot(page, '60-grievance-intake');
    // It is in the list; open it.
    await page.getByTestId('grv-table').locator('a', { hasText: ref }).click();
    await page.getByTestId('grv-reference').waitFor();
    expect((await state(page)) === 'Хүлээн авсан', `received: ${await state(page)}`);
    await page.getByTestId('grv-do-acknowledge').click();
    await page.waitForFunction(() => document.querySelector('[data-testid=grv-state]')?.textContent?.trim() === 'Мэдэгдсэн');
    await page.getByTestId('grv-do-start_review').click();
    await page.getByTestId('grv-do-resolve').waitFor();
    // A resolution needs its text: the field is marked, nothing is sent.
    await page.getByTestId('grv-do-resolve').click();
    expect((await page.getByTestId('grv-action-text').getAttribute('aria-invalid')) === 'true', 'text marked');
    await page.getByTestId('grv-action-text').fill('Хүүхдийн мөнгийг дараагийн сард нөхөн олгоно.');
    await page.getByTestId('grv-do-resolve').click();
    await page.waitForFunction(() => document.querySelector('[data-testid=grv-state]')?.textContent?.trim() === 'Шийдвэрлэсэн');
    // A scanned form attached to it.
    await page.getByTestId('grv-file').setInputFiles({ name: 'маягт.txt', mimeType: 'text/plain', buffer: Buffer.from('Гомдлын маягт') });
    await page.getByTestId('grv-attach').click();
    await page.getByTestId('grv-attachment').waitFor();
    expect((await page.getByTestId('grv-attachment').innerText()).includes('маягт.txt'), 'the attachment is listed');
    await shot(page, '61-grievance-resolved');
    // The letters: the acknowledgement and the decision, in Mongolian.
    const links = await page.getByTestId('grv-letter-link').evaluateAll((as) => as.map((a) => a.getAttribute('href')));
    expect(links.length === 2, `two letters: ${links}`);
    const letter = await context.newPage();
    await letter.goto(base + links[1]);
    const text = await letter.locator('pre').innerText();
    expect(text.includes(ref) && text.includes('Шийдвэрлэсэн') && text.includes('Бат Сараа'), `the decision letter: ${text.slice(0, 200)}`);
    await shot(letter, '62-grievance-letter');
    await letter.close();
    // Closing waits for the letters to be printed.
    await page.getByTestId('grv-do-close').click();
    await page.getByTestId('grv-case-status').locator('[role=alert]').waitFor();
    while ((await page.getByTestId('grv-mark-printed').count()) > 0) {
      const before = await page.getByTestId('grv-mark-printed').count();
      await page.getByTestId('grv-mark-printed').first().click();
      await page.waitForFunction((n) => document.querySelectorAll('[data-testid=grv-mark-printed]').length < n, before);
    }
    await page.getByTestId('grv-do-close').click();
    await page.waitForFunction(() => document.querySelector('[data-testid=grv-state]')?.textContent?.trim() === 'Хаасан');
    const timeline = await page.getByTestId('grv-timeline').innerText();
    expect(timeline.includes('Шийдвэрлэсэн') && timeline.includes('Хаасан'), `timeline: ${timeline.slice(0, 300)}`);
    await shot(page, '63-grievance-closed');
    expect(errors.length === 0, errors.join('; '));
    await context.close();
  });

  await check('grievance: a confidential complaint is out of an ordinary officer\'s sight', async () => {
    const { context, page, errors } = await session('soum_officer', { lang: 'mn' });
    secretRef = await record(page, { category: 'gbv_disclosure', summary: 'Нөхөр маань намайг зоддог.', name: 'Д. Туяа' });
    await page.getByTestId('grv-handed-over').waitFor();
    // The counts, read again, hold it without any detail.
    await page.reload();
    await page.getByTestId('grv-list').waitFor();
    await page.waitForFunction(() => !document.querySelector('[data-testid=grv-list] .loading'));
    const listed = await page.getByTestId('grv-list').innerText();
    expect(!listed.includes(secretRef), 'not in their list');
    await page.getByTestId('grv-masked').waitFor();
    await shot(page, '64-grievance-confidential-hidden');
    await page.goto(base + `/#/grievance/${idOf(secretRef)}`);
    await page.getByTestId('grv-not-found').waitFor();
    const api = await page.evaluate(async (id) => (await fetch(`/api/v1/grievances/${id}`)).status, idOf(secretRef));
    expect(api === 404, `the server answers 404 too: ${api}`);
    expect(errors.length === 0, errors.join('; '));
    await context.close();
  });

  await check('grievance: the focal point refers the survivor with her consent', async () => {
    expect(secretRef, 'a confidential complaint was recorded');
    const { context, page, errors } = await session('gbv_focal_point', { lang: 'mn' });
    await page.goto(base + '/#/grievance');
    const row = page.getByTestId('grv-table').locator('tr', { hasText: secretRef });
    await row.waitFor();
    expect((await row.innerText()).includes('Нууц'), 'marked confidential');
    await row.locator('a').click();
    await page.getByTestId('grv-confidential').waitFor();
    expect((await page.getByTestId('grv-summary-text').innerText()).includes('зоддог'), 'the focal point reads it');
    await page.getByTestId('grv-do-acknowledge').click();
    await page.getByTestId('grv-do-start_review').waitFor();
    await page.getByTestId('grv-do-start_review').click();
    await page.getByTestId('grv-do-resolve').waitFor();
    // Sharing her phone without consent is refused.
    await page.getByTestId('grv-service').selectOption('ossc_zavkhan');
    await page.getByTestId('grv-share-contact').check();
    await page.getByTestId('grv-refer-submit').click();
    await page.getByTestId('grv-case-status').locator('[role=alert]').waitFor();
    // Her consent first, then the referral.
    await page.getByTestId('grv-consent-given').check();
    await page.getByTestId('grv-consent-contact').check();
    await page.getByTestId('grv-consent-form').locator('button').click();
    await page.waitForFunction(() => (document.querySelector('[data-testid=grv-consent-now]')?.textContent ?? '').includes('Зөвшөөрсөн'));
    await page.getByTestId('grv-service').selectOption('ossc_zavkhan');
    await page.getByTestId('grv-share-contact').check();
    await page.getByTestId('grv-refer-decide').check();
    await page.getByTestId('grv-refer-submit').click();
    await page.waitForFunction(() => document.querySelector('[data-testid=grv-state]')?.textContent?.trim() === 'Шилжүүлсэн');
    expect((await page.getByTestId('grv-referral-item').count()) === 1, 'one referral');
    await shot(page, '65-grievance-focal-point-referral');
    expect(errors.length === 0, errors.join('; '));
    await context.close();
  });

  await check('grievance: the officer a complaint is about, once named, cannot reach it', async () => {
    const soum = await session('soum_officer', { lang: 'mn' });
    const ref = await record(soum.page, { category: 'staff_conduct', summary: 'Ажилтан өргөдлийг хүлээж авахаас татгалзсан.', name: 'Б. Дорж' });
    await soum.page.goto(base + `/#/grievance/${idOf(ref)}`);
    await soum.page.getByTestId('grv-reference').waitFor();
    expect((await soum.page.getByTestId('grv-accused').count()) === 0, 'a soum officer is offered no such form');
    const aimag = await session('aimag_officer', { lang: 'mn' });
    await aimag.page.goto(base + `/#/grievance/${idOf(ref)}`);
    await aimag.page.getByTestId('grv-accused').locator('summary').click();
    // Empty: marked, nothing sent.
    await aimag.page.getByTestId('grv-accused-submit').click();
    expect((await aimag.page.getByTestId('grv-accused-user').getAttribute('aria-invalid')) === 'true', 'empty name marked');
    await aimag.page.getByTestId('grv-accused-user').fill(accounts.soum_officer.username);
    await aimag.page.getByTestId('grv-accused-submit').click();
    await aimag.page.getByTestId('grv-accused-name').waitFor();
    const named = (await aimag.page.getByTestId('grv-accused-name').innerText()).trim();
    expect(named === accounts.soum_officer.username, `named: ${named}`);
    expect((await aimag.page.getByTestId('grv-accused').count()) === 0, 'named once: the form is gone');
    await shot(aimag.page, '66a-grievance-accused-named');
    await soum.page.reload();
    await soum.page.getByTestId('grv-not-found').waitFor();
    const api = await soum.page.evaluate(async (id) => (await fetch(`/api/v1/grievances/${id}`)).status, idOf(ref));
    expect(api === 404, `the server answers 404 to them: ${api}`);
    const errors = [...soum.errors, ...aimag.errors];
    expect(errors.length === 0, errors.join('; '));
    await soum.context.close();
    await aimag.context.close();
  });

  await check('grievance: the auditor sees counts only, in English too', async () => {
    const { context, page } = await session('auditor', { lang: 'en' });
    await page.goto(base + '/#/grievance');
    const stats = page.getByTestId('grv-stats');
    await stats.locator('table').waitFor();
    expect((await page.getByTestId('grv-intake').count()) === 0, 'no intake form');
    expect((await page.getByTestId('grv-list').count()) === 0, 'no list');
    const text = await stats.innerText();
    expect(text.includes('Confidential (no detail)'), `the confidential bucket: ${text}`);
    expect(!/violence|зоддог/i.test(await page.locator('main').innerText()), 'nothing of its content');
    await shot(page, '66-grievance-auditor-counts');
    await context.close();
  });

  await check('grievance: a herder sends a complaint without logging in and follows it', async () => {
    const context = await browser.newContext({ viewport: { width: 390, height: 860 }, locale: 'mn-MN' });
    await context.addInitScript(() => localStorage.setItem('malchin.lang', 'mn'));
    const page = await context.newPage();
    await page.goto(base + '/');
    await page.getByTestId('complain-link').click();
    await page.getByTestId('cmp-form').waitFor();
    await page.waitForFunction(() => document.querySelectorAll('[data-testid=cmp-category] option').length > 2);
    await page.getByTestId('cmp-category').selectOption('payment_problem');
    await page.getByTestId('cmp-soum').selectOption('18140');
    await page.getByTestId('cmp-summary').fill('Зудын тусламж ирээгүй.');
    expect(!(await page.getByTestId('cmp-name').isVisible()), 'anonymous: no name asked');
    await shot(page, '67-complain-form-phone');
    await page.getByTestId('cmp-submit').click();
    await page.getByTestId('cmp-done').waitFor();
    const done = await page.getByTestId('cmp-done').innerText();
    const ref = REFERENCE.exec(done)?.[0];
    const code = /:\s*([0-9A-F]{10})\b/.exec(done)?.[1];
    expect(ref && code, `reference and code: ${done}`);
    await page.getByTestId('cmp-track-reference').fill(ref);
    await page.getByTestId('cmp-track-code').fill(code);
    await page.getByTestId('cmp-track').locator('button').click();
    await page.getByTestId('cmp-track-result').locator('[role=status]').waitFor();
    expect((await page.getByTestId('cmp-track-result').innerText()).includes('Хүлээн авсан'), 'received');
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    expect(overflow <= 1, `no sideways scrolling: ${overflow}px`);
    await shot(page, '68-complain-tracked');
    await context.close();
  });
}
