// Issue 18, "start sooner": the app draws its frame (header, language, the download's progress)
// before the bundle has arrived, then fills it. The bundle's parts are held back by the test until
// the frame has been checked, so the order is a fact of this run, not a race.
import { test, expect } from '@playwright/test';
import { recIds, settled } from './helpers.js';

// The offline service worker would fetch parts where the route cannot see them.
test.use({ serviceWorkers: 'block' });

test('on CoCo the frame is drawn before the bundle has arrived, then the first list fills it', async ({ page, context, request }) => {
  const manifest = await request.get('/bundles/coco/manifest.json');
  test.skip(!manifest.ok(), 'no CoCo bundle (../shared/data/coco-udemy absent): scripts/bundle coco builds it');
  let release = () => {};
  const gate = new Promise((resolve) => { release = resolve; });
  const held = new Set();
  // The engine's Worker fetches the parts; a context route sees the Worker's requests too.
  await context.route('**/bundles/coco/**', async (route) => {
    const url = route.request().url();
    if (!url.endsWith('/manifest.json')) {
      held.add(url);
      await gate;
    }
    await route.continue();
  });

  await page.goto('/?dataset=coco');
  await expect.poll(() => held.size, { message: 'the page asks for the bundle\'s parts' }).toBeGreaterThan(0);
  // The frame, while no part has arrived: brand, interface language, the download's progress.
  await expect(page.locator('.site-header .brand')).toBeVisible();
  await expect(page.getByTestId('ui-language')).toBeVisible();
  await expect(page.getByTestId('progress')).toBeVisible();
  await expect(page.locator('html')).not.toHaveAttribute('data-ready', 'true');
  await expect(page.getByTestId('rec-item')).toHaveCount(0);

  release();
  await expect(page.locator('html')).toHaveAttribute('data-ready', 'true', { timeout: 60_000 });
  await settled(page);
  expect((await recIds(page)).length).toBeGreaterThan(0);
  await expect(page.getByTestId('progress')).toBeHidden();
});
