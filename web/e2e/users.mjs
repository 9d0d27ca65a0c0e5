// Browser test of the users page (web/src/pages/users.ts) as the e2e
// administrator, in Mongolian: a soum officer is created by picking the
// aimag then the soum from the lists (first a short password and no area:
// the summary at the top takes focus and each reason stands beside its
// field; then a password the meter accepts but the server refuses as
// common: the server's reason beside the password, in Mongolian); the role
// is changed to aimag officer in the account's row (the soum list goes
// away); a new password is set (a repeated one refused beside the field
// first) and the person logs in with it (the old one refused); the account
// is disabled after a confirmation that says its sessions end (its open
// session ends, login refused), then enabled (login works). In English the
// picker names the soums in English. Screenshots: users_refused_mn,
// users_created_mn, users_role_mn, users_disable_confirm_mn,
// users_disabled_mn, users_form_en.
const NAME = 'e2e_soum_new';
const FIRST = 'Gobi camel 7 tea';
const SECOND = 'steppe wind 42 blue';

async function login(base, browser, username, password) {
  const context = await browser.newContext({ locale: 'mn-MN' });
  const page = await context.newPage();
  await page.goto(base + '/');
  const status = await page.evaluate(
    async ([u, p]) => (await fetch('/api/v1/session', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ username: u, password: p }) })).status,
    [username, password],
  );
  return { context, page, status };
}

const sessionStatus = (page) => page.evaluate(async () => (await fetch('/api/v1/session')).status);
const row = (page) => page.locator(`tr[data-user=${NAME}]`);
const cells = (page) => row(page).locator('td').allInnerTexts();

export async function run({ session, check, expect, shot, base, browser }) {
  const { context, page, errors } = await session('admin');
  const form = page.getByTestId('user-form');
  await check('users: a soum officer created from the aimag and soum lists, refusals beside their fields', async () => {
    await page.goto(base + '/#/users');
    await page.getByTestId('users').waitFor();
    expect(await form.locator('fieldset.area-picker').isHidden(), 'no area before a role');
    await form.getByTestId('user-name').fill(NAME);
    await form.getByTestId('user-role').selectOption('soum_officer');
    expect(await form.getByTestId('user-soum').isDisabled(), 'the soum list waits for the aimag');
    await form.getByTestId('user-password').fill('short');
    const strength = await form.getByTestId('user-password-strength').textContent();
    expect(strength.includes('сул'), `weak as typed: ${strength}`);
    await form.locator('button[type=submit]').click();
    const summary = form.getByTestId('error-summary');
    await summary.waitFor();
    expect(await summary.evaluate((el) => el === document.activeElement), 'the summary has focus');
    const pwError = await form.locator('[data-testid=user-password] ~ .field-error').textContent();
    expect(pwError.includes('Хэт богино: 5 тэмдэгт'), `password reason beside it: ${pwError}`);
    const areaError = await form.locator('fieldset.area-picker .field-error').textContent();
    expect(areaError.includes('аймгаа'), `area reason beside it: ${areaError}`);
    expect((await summary.locator('li').count()) === 2, 'two problems in the summary');
    await shot(page, 'users_refused_mn');
    // Passes the meter, refused by the server's list of common passwords.
    await form.getByTestId('user-aimag').selectOption('181');
    const soums = await form.getByTestId('user-soum').locator('option').allTextContents();
    expect(soums.includes('Тосонцэнгэл') && soums.includes('Улиастай'), `Zavkhan's soums in Mongolian: ${soums.slice(0, 5)}`);
    await form.getByTestId('user-soum').selectOption('18140');
    await form.getByTestId('user-password').fill('password12');
    await form.locator('button[type=submit]').click();
    await page.waitForFunction(() => /түгээмэл/.test(document.querySelector('[data-testid=user-password] ~ .field-error')?.textContent ?? ''));
    expect(await page.evaluate(() => document.activeElement?.getAttribute('data-testid')) === 'error-summary', 'the summary has focus again');
    await form.getByTestId('user-password').fill(FIRST);
    expect((await form.getByTestId('user-password-strength').textContent()).includes('маш сайн'), 'strong');
    await form.locator('button[type=submit]').click();
    await row(page).waitFor();
    const c = await cells(page);
    expect(c[0] === 'Сумын мэргэжилтэн' && c[1] === 'Тосонцэнгэл, Завхан', `the new row: ${c}`);
    expect((await page.getByTestId('users-status').textContent()).includes(NAME), 'announced');
    const fresh = await login(base, browser, NAME, FIRST);
    expect(fresh.status === 201, `logs in: ${fresh.status}`);
    await fresh.context.close();
    await shot(page, 'users_created_mn');
  });

  await check('users: the role changed in its row (aimag officer of Zavkhan)', async () => {
    await row(page).getByTestId('user-change').click();
    const rf = page.getByTestId('user-role-form');
    await rf.waitFor();
    expect((await rf.getByTestId('user-new-soum').inputValue()) === '18140', 'the picker starts at the account area');
    await rf.getByTestId('user-new-role').selectOption('aimag_officer');
    expect(await rf.getByTestId('user-new-soum').isHidden(), 'no soum for an aimag officer');
    expect((await rf.getByTestId('user-new-aimag').inputValue()) === '181', 'the aimag kept');
    await shot(page, 'users_role_mn');
    await rf.locator('button[type=submit]').click();
    await page.waitForFunction((n) => document.querySelector(`tr[data-user=${n}] td`)?.textContent === 'Аймгийн мэргэжилтэн', NAME);
    const c = await cells(page);
    expect(c[1] === 'Завхан', `area now the aimag: ${c}`);
    expect((await page.getByTestId('users-status').textContent()).includes('дууслаа'), 'announced: sessions ended');
    expect(await row(page).getByTestId('user-change').evaluate((el) => el === document.activeElement), 'focus back on the row');
  });

  let officer = null;
  await check('users: a new password (a repeated one refused first); the person logs in with it', async () => {
    await row(page).getByTestId('user-change').click();
    const pf = page.getByTestId('user-password-form');
    await pf.getByTestId('user-new-password').fill('aaaaaaaaaa');
    await pf.locator('button[type=submit]').click();
    const err = await pf.locator('.field-error').first().textContent();
    expect(err.includes('Давтагдсан'), `refused beside the field: ${err}`);
    await pf.getByTestId('user-new-password').fill(SECOND);
    await pf.locator('button[type=submit]').click();
    await page.waitForFunction(() => /нууц үг тохирууллаа/.test(document.querySelector('[data-testid=users-status]')?.textContent ?? ''));
    const old = await login(base, browser, NAME, FIRST);
    expect(old.status === 401, `the old password refused: ${old.status}`);
    await old.context.close();
    officer = await login(base, browser, NAME, SECOND);
    expect(officer.status === 201, `logs in with the new one: ${officer.status}`);
  });

  await check('users: disabled after a confirmation (sessions end, login refused), then enabled', async () => {
    await row(page).getByTestId('user-toggle').click();
    const yes = page.getByTestId('user-confirm-disable');
    await yes.waitFor();
    const text = await page.locator(`tr[data-editor=${NAME}] .alert`).textContent();
    expect(text.includes('холболт') && text.includes(NAME), `the confirmation says sessions end: ${text}`);
    await shot(page, 'users_disable_confirm_mn');
    await yes.click();
    await page.waitForFunction((n) => document.querySelector(`tr[data-user=${n}]`)?.classList.contains('inactive'), NAME);
    expect((await cells(page))[3] === 'Хаагдсан', 'the row says disabled');
    if (officer) {
      expect((await sessionStatus(officer.page)) === 401, 'the open session ended');
      await officer.context.close();
    }
    const refused = await login(base, browser, NAME, SECOND);
    expect(refused.status === 401, `login refused: ${refused.status}`);
    await refused.context.close();
    await shot(page, 'users_disabled_mn');
    await row(page).getByTestId('user-toggle').click();
    await page.waitForFunction((n) => !document.querySelector(`tr[data-user=${n}]`)?.classList.contains('inactive'), NAME);
    expect((await page.getByTestId('users-status').textContent()).includes('нээгдлээ'), 'announced');
    const back = await login(base, browser, NAME, SECOND);
    expect(back.status === 201, `logs in again: ${back.status}`);
    await back.context.close();
    expect(errors.length === 0, `no page errors: ${errors}`);
  });
  await context.close();

  await check('users: in English the picker names aimags and soums in English', async () => {
    const en = await session('admin', { lang: 'en' });
    try {
      await en.page.goto(base + '/#/users');
      const f = en.page.getByTestId('user-form');
      await f.getByTestId('user-role').selectOption('soum_officer');
      await f.getByTestId('user-aimag').selectOption('181');
      const soums = await f.getByTestId('user-soum').locator('option').allTextContents();
      expect(soums.includes('Tosontsengel'), `English names: ${soums.slice(0, 5)}`);
      await f.getByTestId('user-password').fill('Gobi-camel7');
      expect((await f.getByTestId('user-password-strength').textContent()) === 'Strength: good', 'strength in English');
      expect(!/[А-Яа-яӨөҮү]/.test(await en.page.locator('main').innerText()), 'no Cyrillic');
      await shot(en.page, 'users_form_en');
    } finally {
      await en.context.close();
    }
  });
}
