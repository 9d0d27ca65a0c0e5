// Browser checks of issue #16 (keyboard and screen reader), in Mongolian and
// in English: axe-core (./lib/axe.mjs) finds no serious or critical
// violation on any page of the app (login, complaint form, every page of
// the menu, a household, the herders' page); the skip link is the first
// stop of the Tab key; focus moves to the page's heading after login and
// after each navigation by the menu, and to the results' count after a
// registry search; a confirmation takes focus and gives it back; a refused
// form's error summary takes focus.
import { expectAccessible } from './lib/axe.mjs';

// Each page of the menu (opened by its link), and pages within them (by
// their address), with the account that opens them.
const PERIOD = String(new Date().getFullYear() - 1);
const PAGES = [
  ['national_officer', ['dashboard', 'registry', 'import', 'response', 'broadcasts', 'templates', 'monitoring', 'insurance', 'coop', 'inkind', 'training', 'analytics', 'indicators', 'grievance',
    '#/broadcasts/new', '#/templates/payment.failed', '#/coop/18140-02', '#/inkind/rams-18140-2021', `#/indicators/${PERIOD}/HI_COVERAGE_HERDERS`]],
  ['admin', ['users']],
  ['auditor', ['audit']],
];

// Waits until the page has its heading and nothing is loading any more.
async function settle(page) {
  await page.locator('main h1').first().waitFor();
  await page.waitForFunction(() => !document.querySelector('.loading, [aria-busy=true]'));
}

async function focusIs(page, what, test) {
  try {
    await page.waitForFunction(test, null, { timeout: 5000 });
  } catch {
    const at = await page.evaluate(() => {
      const a = document.activeElement;
      return a ? `${a.tagName.toLowerCase()}${a.id ? '#' + a.id : ''}${a.className ? '.' + a.className : ''} "${(a.textContent ?? '').slice(0, 40)}"` : 'nothing';
    });
    throw new Error(`focus should be on ${what}, is on ${at}`);
  }
}
const onHeading = (page) => focusIs(page, 'the page heading', () => document.activeElement?.matches('main h1'));

export async function run({ session, check, expect, browser, base }) {
  for (const lang of ['mn', 'en']) {
    await check(`a11y ${lang}: login and complaint pages, skip link first, axe clean`, async () => {
      const context = await browser.newContext({ locale: lang === 'mn' ? 'mn-MN' : 'en-GB' });
      await context.addInitScript((l) => localStorage.setItem('malchin.lang', l), lang);
      const page = await context.newPage();
      await page.goto(base + '/');
      await page.getByTestId('login-form').waitFor();
      expect((await page.locator('html').getAttribute('lang')) === lang, `html lang ${lang}`);
      await expectAccessible(page, `login (${lang})`);
      const first = await page.evaluate(() => {
        const tabbable = 'a[href], button, input, select, textarea, [tabindex]:not([tabindex="-1"])';
        return document.querySelector(tabbable)?.className;
      });
      expect(first === 'skip', `the skip link is the first focusable element, not ${first}`);
      await page.locator('a.skip').focus();
      await page.keyboard.press('Enter');
      await focusIs(page, 'main', () => document.activeElement?.id === 'main');
      await page.goto(base + '/#/complain');
      await page.locator('main h1').waitFor();
      await expectAccessible(page, `complain (${lang})`);
      await page.goto(base + '/herder.html');
      await page.locator('#herder form').first().waitFor();
      await expectAccessible(page, `herder.html (${lang})`);
      await context.close();
    });

    for (const [role, pages] of PAGES) {
      await check(`a11y ${lang}: ${role}'s pages (${pages.join(', ')}): focus on the heading, axe clean`, async () => {
        const { context, page, errors } = await session(role, { lang });
        await settle(page);
        await onHeading(page);
        const problems = [];
        for (const p of pages) {
          // (The page the account opens on is reached by logging in.)
          if (p.startsWith('#')) {
            await page.goto(base + '/' + p);
          } else if (!(await page.evaluate((h) => location.hash === h, `#/${p}`))) {
            await page.locator(`header nav a[href="#/${p}"]`).click();
            await page.waitForFunction((h) => location.hash === h, `#/${p}`);
          }
          await settle(page);
          try {
            await onHeading(page);
            await expectAccessible(page, `${p} (${lang})`);
          } catch (e) {
            problems.push(String(e.message));
          }
          if (p === 'dashboard') {
            try {
              // Another measure on the map: focus stays on its list.
              await page.getByTestId('measure').selectOption('children_0_17');
              await page.waitForFunction(() => location.hash.includes('m=children_0_17'));
              await focusIs(page, 'the measure list', () => document.activeElement?.matches('[data-testid=measure]'));
            } catch (e) {
              problems.push(String(e.message));
            }
          }
          if (p === 'registry') {
            try {
              await registrySearch(page, expect, lang);
            } catch (e) {
              problems.push(String(e.message));
            }
          }
        }
        if (problems.length) console.log(`     ${problems.join('\n     ')}`);
        if (role === 'national_officer') {
          try {
            await confirmationFocus({ page, base, expect, lang });
          } catch (e) {
            problems.push(String(e.message));
          }
        }
        expect(problems.length === 0, `${problems.length} pages with problems (listed above)`);
        expect(errors.length === 0, errors.join('; '));
        await context.close();
      });
    }
  }
}

// A confirmation (here: freezing an indicator, not answered) takes focus
// when it opens, is axe clean open, and gives focus back to its button when
// closed by "No" or by Escape.
async function confirmationFocus({ page, base, expect, lang }) {
  await page.goto(`${base}/#/indicators/${PERIOD}/HI_COVERAGE_HERDERS`);
  const button = page.getByTestId('ind-freeze-button');
  const confirm = page.getByTestId('ind-freeze-confirm');
  for (const close of ['no', 'Escape']) {
    await button.click();
    await confirm.waitFor();
    await focusIs(page, 'the confirmation', () => document.activeElement?.matches('[data-testid=ind-freeze-confirm]'));
    expect((await confirm.getAttribute('role')) === 'alertdialog', 'the confirmation is an alert dialog');
    await expectAccessible(page, `indicator freeze confirmation (${lang})`);
    if (close === 'no') await confirm.locator('button.secondary').click();
    else await page.keyboard.press('Escape');
    await confirm.waitFor({ state: 'hidden' });
    await focusIs(page, 'the freeze button', () => document.activeElement?.matches('[data-testid=ind-freeze-button]'));
  }
}

// A search moves focus to the count of results; the household page opened
// from the results is checked too, and its edit form refused (not saved).
async function registrySearch(page, expect, lang) {
  const form = page.getByTestId('registry-search');
  await form.locator('input[type=search]').fill('');
  await form.locator('button[type=submit]').click();
  await focusIs(page, "the registry results' count", () => document.activeElement?.matches('[data-testid=registry-results] [data-testid=results-count]'));
  await expectAccessible(page, `registry results (${lang})`);
  await page.getByTestId('registry-results').locator('tbody tr td a').first().click();
  await page.getByTestId('household-view').waitFor();
  await settle(page);
  await onHeading(page);
  await expectAccessible(page, `household (${lang})`);
  // A refused edit: the error summary takes focus and links to the field.
  await page.getByTestId('edit-household').click();
  await page.getByTestId('household-form').locator('input[name=phone]').fill('12');
  await page.getByTestId('save-household').click();
  await focusIs(page, 'the error summary', () => document.activeElement?.matches('[data-testid=error-summary]'));
  await expectAccessible(page, `household edit refused (${lang})`);
  await page.getByTestId('error-summary').locator('a').first().click();
  await focusIs(page, 'the phone field', () => document.activeElement?.matches('input[name=phone]'));
  await page.goBack();
  await settle(page);
}
