// Offline use after the first visit, and the update path when a new bundle is published.
import { test, expect } from '@playwright/test';
import { go, onboard, openApp, recIds, settled } from './helpers.js';

async function offlineReady(page) {
  await expect(page.locator('html')).toHaveAttribute('data-offline', 'ready', { timeout: 30_000 });
}

test('after the first visit the app reloads and works offline', async ({ page, context }) => {
  await openApp(page);
  await offlineReady(page);
  await onboard(page, { goal: 'machine learning' });
  const feed = await recIds(page);

  await context.setOffline(true);
  try {
    await page.reload();
    await expect(page.locator('html')).toHaveAttribute('data-ready', 'true', { timeout: 30_000 });
    await expect(page.getByRole('heading', { level: 1, name: 'Your feed' })).toBeVisible();
    await settled(page, { events: 0 });
    expect(await recIds(page)).toEqual(feed);
    // Acting and the other views work offline too.
    await page.getByTestId('rec-item').first().getByRole('button', { name: 'Enroll', exact: true }).click();
    await settled(page, { events: 1 });
    await go(page, 'Path', 'Your learning path');
    await expect(page.getByTestId('path-graph')).toBeVisible();
  } finally {
    await context.setOffline(false);
  }
});

/** Serves a "newly published" manifest (same parts, a changed field), optionally with a bad part. */
async function publishNewManifest(context, { breakPart = false } = {}) {
  await context.route('**/bundles/demo/manifest.json', async (route) => {
    const response = await route.fetch();
    const manifest = await response.json();
    manifest.metrics.republished = 'yes';
    if (breakPart) {  // a part's file (and, format version 2, its shards)
      const part = manifest.parts.item_bias;
      for (const entry of [part, ...(part.shards ?? [])]) entry.sha256 = '0'.repeat(64);
    }
    await route.fulfill({ status: 200, contentType: 'application/json', body: JSON.stringify(manifest) });
  });
}

test('a newly published bundle is offered as an update and installed on request', async ({ page, context }) => {
  await openApp(page);
  await offlineReady(page);
  await publishNewManifest(context);
  await page.reload();
  await expect(page.locator('html')).toHaveAttribute('data-ready', 'true', { timeout: 30_000 });
  const notice = page.getByTestId('update-notice');
  await expect(notice).toContainText('A newer model bundle has been published.');
  await notice.getByRole('button', { name: 'Update now' }).click();
  await expect(page.getByTestId('toast')).toContainText('Updated to the newest model bundle.');
  await expect(notice).toBeHidden();
  const cached = await page.evaluate(async () => {
    const response = await caches.match(new URL('bundles/demo/manifest.json', document.baseURI).href);
    return (await response.json()).metrics.republished;
  });
  expect(cached).toBe('yes');
  await settled(page);
  await expect(page.getByTestId('rec-item')).toHaveCount(10);
});

test('an update whose parts fail their checksums is refused and the current bundle stays', async ({ page, context }) => {
  await openApp(page);
  await offlineReady(page);
  await publishNewManifest(context, { breakPart: true });
  await page.reload();
  await expect(page.locator('html')).toHaveAttribute('data-ready', 'true', { timeout: 30_000 });
  const notice = page.getByTestId('update-notice');
  await notice.getByRole('button', { name: 'Update now' }).click();
  await expect(notice).toContainText('The update could not be installed');
  await expect(notice).toContainText('You keep the current bundle.');
  await settled(page);
  await expect(page.getByTestId('rec-item')).toHaveCount(10);
});
