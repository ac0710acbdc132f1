// Accessibility: axe-core finds no serious or critical violations on any view (in both languages),
// and every action can be done from the keyboard alone. Screenshots of every view are saved under
// test-results/screenshots/.
import { test, expect } from '@playwright/test';
import { expectAxeClean, go, onboard, openApp, settled, snap } from './helpers.js';

test('axe: no serious or critical violations on any view', async ({ page }) => {
  // Nine axe runs and full-page screenshots: on a loaded 2-core machine this takes minutes.
  test.setTimeout(240_000);
  await openApp(page);
  await settled(page);
  await expectAxeClean(page, 'onboarding');
  await snap(page, 'view-onboarding');
  await onboard(page, { goal: 'machine learning', known: 'python' });
  await page.getByTestId('rec-item').first().getByRole('button', { name: 'Enroll', exact: true }).click();
  await settled(page, { events: 1 });
  await page.getByTestId('rec-item').nth(1).getByRole('button', { name: 'Save', exact: true }).click();
  await settled(page, { events: 2 });
  await expectAxeClean(page, 'feed');
  await snap(page, 'view-feed');
  await go(page, 'Path', 'Your learning path');
  await expectAxeClean(page, 'path');
  await snap(page, 'view-path');
  await go(page, 'Mentors', 'Mentors for you');
  await expectAxeClean(page, 'mentors');
  await snap(page, 'view-mentors');
  await go(page, 'Goals & settings', 'Your goals and settings');
  await expectAxeClean(page, 'goals & settings');
  await snap(page, 'view-settings');
  await go(page, 'Privacy', 'Privacy centre');
  await page.getByText('Show your data as JSON (what Export saves)').click();
  await expectAxeClean(page, 'privacy');
  await snap(page, 'view-privacy');
  await page.getByTestId('erase').click();
  await expect(page.getByTestId('erase-dialog')).toBeVisible();
  await expectAxeClean(page, 'erase dialog');
  await snap(page, 'view-erase-dialog');
  await page.keyboard.press('Escape');
  await page.getByTestId('ui-language').selectOption('zh-CN');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('隐私中心');
  await expectAxeClean(page, 'privacy (zh-CN)');
  await page.getByRole('link', { name: '推荐' }).click();
  await settled(page);
  await expectAxeClean(page, 'feed (zh-CN)');
  await page.getByRole('link', { name: '导师' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('为你匹配的导师');
  await snap(page, 'view-mentors-zh');
});

test('accessibility: the error panel and the CoCo feed are axe clean too', async ({ page }) => {
  test.setTimeout(90_000);
  await openApp(page, { dataset: 'coco' });
  await onboard(page, { goal: 'python' });
  await expectAxeClean(page, 'coco feed');
  await snap(page, 'view-coco-feed');
  await page.goto('/?dataset=no-such-dataset');
  await expect(page.getByTestId('error')).toBeVisible();
  await expectAxeClean(page, 'error panel');
  await snap(page, 'view-error');
});

/** Presses Tab until `locator` has focus (a keyboard user's way there); fails after `max` presses. */
async function tabTo(page, locator, max = 120) {
  for (let i = 0; i < max; i += 1) {
    if (await locator.evaluate((node) => node === document.activeElement)) return;
    await page.keyboard.press('Tab');
  }
  throw new Error(`could not reach ${locator} with the Tab key`);
}

test('every action is reachable from the keyboard alone', async ({ page }) => {
  test.setTimeout(120_000);
  await openApp(page);
  const nav = page.getByRole('navigation', { name: 'Main' });

  // Onboarding: search a goal, arrow into the results, choose with Enter; remove a chip.
  await tabTo(page, page.getByTestId('goals-search'));
  await page.keyboard.type('machine');
  await page.keyboard.press('ArrowDown');
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('goals-chip')).toHaveCount(1);
  await tabTo(page, page.getByTestId('known-search'));
  await page.keyboard.type('python');
  await page.keyboard.press('ArrowDown');
  await page.keyboard.press('Space');
  // The known skills are the engine's list: Python basics as stated, what it needs as implied.
  const stated = page.locator('[data-testid="known-skill"][data-via="stated"]');
  await expect(stated).toHaveCount(1);
  await tabTo(page, stated.getByRole('button', { name: /^Forget / }));
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('known-skill')).toHaveCount(0);
  await expect(page.getByTestId('known-search')).toBeFocused();
  await tabTo(page, page.getByTestId('budget'));
  await page.keyboard.type('100');
  await page.keyboard.press('Tab');
  await tabTo(page, page.getByTestId('finish-onboarding'));
  await page.keyboard.press('Enter');
  await expect(page.getByRole('heading', { level: 1, name: 'Your feed' })).toBeFocused();
  await settled(page, { events: 0 });

  // Feed: filter by kind with the arrow keys, then every action on a card.
  await tabTo(page, page.locator('#kind-all'));
  await page.keyboard.press('ArrowRight');
  await expect(page.locator('#kind-course')).toBeChecked();
  await settled(page);
  await page.keyboard.press('ArrowLeft');
  await expect(page.locator('#kind-all')).toBeChecked();
  await settled(page);
  let events = 0;
  for (const [name, key] of [['Save', 'Enter'], ['Enroll', 'Enter'], ['I know this', 'Space'], ['Not interested', 'Enter'], ['Done already', 'Enter']]) {
    const button = page.getByTestId('rec-item').getByRole('button', { name, exact: true }).first();
    await tabTo(page, button);
    await page.keyboard.press(key);
    await expect(page.getByTestId('toast')).toBeVisible();
    // Every action is a recorded event: wait for the list based on it (the toast can show first).
    await expect(page.getByTestId('recommendations')).not.toHaveAttribute('data-based-on', String(events));
    await settled(page);
    events = Number(await page.getByTestId('recommendations').getAttribute('data-based-on'));
    // Focus stays in the feed (on the same control, or on the card that took the item's place).
    expect(await page.evaluate(() => Boolean(document.activeElement.closest('#recommendations')))).toBe(true);
  }
  expect(events).toBeGreaterThanOrEqual(5);
  const rate = page.getByTestId('rec-item').first().getByRole('combobox');
  await tabTo(page, rate);
  await page.keyboard.press('ArrowDown'); // a closed select changes value with the arrow keys
  await settled(page, { events: events + 1 });
  // Undo from the toast.
  await tabTo(page, page.getByTestId('undo'));
  await page.keyboard.press('Enter');
  await settled(page, { events });

  // Path: navigate by keyboard, mark a step known.
  await tabTo(page, nav.getByRole('link', { name: 'Path' }));
  await page.keyboard.press('Enter');
  await expect(page.getByRole('heading', { level: 1, name: 'Your learning path' })).toBeFocused();
  const know = page.getByTestId('path-step').getByRole('button', { name: 'I know this' }).first();
  const stepsBefore = await page.getByTestId('path-step').filter({ has: page.getByRole('button', { name: 'I know this' }) }).count();
  await tabTo(page, know);
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('path-step').filter({ has: page.getByRole('button', { name: 'I know this' }) })).toHaveCount(stepsBefore - 1);

  // Mentors: book and rate.
  await tabTo(page, nav.getByRole('link', { name: 'Mentors' }));
  await page.keyboard.press('Enter');
  await expect(page.getByRole('heading', { level: 1, name: 'Mentors for you' })).toBeFocused();
  await tabTo(page, page.getByTestId('mentor-card').first().getByRole('button', { name: 'I booked a session' }));
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('toast')).toContainText('Noted a session with');

  // Privacy: export, open the raw data, erase through the dialog.
  await tabTo(page, nav.getByRole('link', { name: 'Privacy' }));
  await page.keyboard.press('Enter');
  await expect(page.getByRole('heading', { level: 1, name: 'Privacy centre' })).toBeFocused();
  await tabTo(page, page.getByTestId('export'));
  const [download] = await Promise.all([page.waitForEvent('download'), page.keyboard.press('Enter')]);
  expect(download.suggestedFilename()).toMatch(/^pathlight-demo-/);
  await tabTo(page, page.getByTestId('erase'));
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('erase-dialog')).toBeVisible();
  await expect(page.getByRole('button', { name: 'Cancel' })).toBeFocused();
  await page.keyboard.press('Tab');
  await expect(page.getByTestId('erase-confirm')).toBeFocused();
  await page.keyboard.press('Enter');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Welcome — let’s find your next step');
  await expect(page.getByRole('heading', { level: 1 })).toBeFocused();

  // After a reload, the skip link and the language switch come first.
  await page.reload();
  await expect(page.locator('html')).toHaveAttribute('data-ready', 'true', { timeout: 30_000 });
  await page.keyboard.press('Tab');
  await expect(page.getByRole('link', { name: 'Skip to content' })).toBeFocused();
  await page.keyboard.press('Tab');
  await expect(page.getByTestId('ui-language')).toBeFocused();
});
