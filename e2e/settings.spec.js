// Operators' dataset switch: another published bundle loads in place (no page reload), is labelled
// as what it is, and each dataset keeps its own learner profile on the device.
import { test, expect } from '@playwright/test';
import { go, onboard, openApp, settled } from './helpers.js';

test('switching the dataset loads CoCo in place and keeps each dataset’s profile', async ({ page }) => {
  test.setTimeout(90_000);
  await openApp(page);
  await onboard(page, { goal: 'machine learning' });
  await go(page, 'Goals & settings', 'Your goals and settings');
  await page.getByTestId('dataset-select').selectOption('coco');
  await page.getByTestId('dataset-switch').click();
  await expect(page.getByTestId('dataset-banner')).toHaveText('Real data: CoCo — Udemy learners and courses (research use)', { timeout: 30_000 });
  await expect(page).toHaveURL(/\?dataset=coco/);
  // CoCo has its own (new) profile: onboarding again, with CoCo topics.
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Welcome — let’s find your next step');
  await expect(page.getByTestId('goals-chip')).toHaveCount(0);
  await page.getByTestId('goals-search').fill('python');
  await expect(page.getByTestId('goals-option').first()).toContainText('Python');
  await settled(page, { events: 0 });

  // The choice is remembered without the URL parameter too.
  await page.goto('/');
  await expect(page.locator('html')).toHaveAttribute('data-ready', 'true', { timeout: 30_000 });
  await expect(page.getByTestId('dataset-banner')).toContainText('Real data: CoCo');

  // Back to the demo data: the demo profile is as it was.
  await page.getByTestId('dataset-select').selectOption('demo');
  await page.getByTestId('dataset-switch').click();
  await expect(page.getByTestId('demo-banner')).toHaveText('Demo data — fictional catalog');
  await expect(page.getByRole('heading', { level: 1, name: 'Your feed' })).toBeVisible();
  await expect(page.getByTestId('feed-summary')).toContainText('Machine learning');
});

test.describe('a data set that is not published', () => {
  // The engine's Worker fetches a switch's files; a context route sees them when no service worker
  // answers first.
  test.use({ serviceWorkers: 'block' });
  test('the sentence names the file, the demo stays, and the picker shows it', async ({ page }) => {
    test.setTimeout(60_000);
    await page.setViewportSize({ width: 390, height: 844 });
    await page.context().route('**/bundles/coco/manifest.json', (route) => route.fulfill({ status: 404, body: 'not found' }));
    await openApp(page);
    await onboard(page, { goal: 'machine learning' });
    await go(page, 'Goals & settings', 'Your goals and settings');
    await page.getByTestId('dataset-select').selectOption('coco');
    await page.getByTestId('dataset-switch').click();
    // A 404 is said as what it means for the learner (a helper read "Could not load coco: … (network_error)").
    const alert = page.getByRole('alert').filter({ hasText: 'This site does not publish CoCo (real Udemy data)' });
    await expect(alert).toContainText('/bundles/coco/manifest.json: HTTP 404');
    await expect(alert).toContainText('Still using Demo (fictional catalog).');
    await expect(page.getByTestId('dataset-select')).toHaveValue('demo');
    await expect(page.getByTestId('demo-banner')).toHaveText('Demo data — fictional catalog');
    // The long URL wraps inside the phone's page.
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
  });
});
