// English and Simplified Chinese: switching changes the UI text, prices follow the locale, and the
// choice is remembered.
import { test, expect } from '@playwright/test';
import { onboard, openApp, settled, snap } from './helpers.js';

test('switching to Chinese changes the UI text and price format, and is remembered', async ({ page }) => {
  await openApp(page);
  await onboard(page, { goal: 'machine learning' });
  const nav = page.getByRole('navigation');
  await expect(nav.getByRole('link', { name: 'Feed' })).toBeVisible();
  const priceEn = (await page.locator('.rec__price').first().innerText()).trim();
  expect(priceEn).toMatch(/^\$|Free/);

  await page.getByTestId('ui-language').selectOption('zh-CN');
  await expect(page.locator('html')).toHaveAttribute('lang', 'zh-CN');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('你的推荐');
  await expect(page.getByRole('link', { name: '学习路径' })).toBeVisible();
  await expect(page.getByTestId('device-note')).toHaveText('在你的设备上计算——关于你的任何信息都不会离开此页面。');
  await expect(page.getByTestId('demo-banner')).toHaveText('演示数据——虚构的课程目录');
  // Prices are formatted for the locale (US dollars are "US$" in zh-CN); concept names switch too.
  await expect(page.locator('.rec__price').filter({ hasText: 'US$' }).first()).toBeVisible();
  await expect(page.getByTestId('feed-summary')).toContainText('机器学习');
  await expect(page.getByTestId('rec-item').first().getByRole('button', { name: '报名' })).toBeVisible();
  await settled(page);
  await snap(page, 'i18n-zh-feed');

  await page.reload();
  await expect(page.locator('html')).toHaveAttribute('data-ready', 'true', { timeout: 30_000 });
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('你的推荐');
  await page.getByRole('link', { name: '学习路径' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('你的学习路径');
  await snap(page, 'i18n-zh-path');

  await page.getByTestId('ui-language').selectOption('en');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Your learning path');
  await expect(page.locator('html')).toHaveAttribute('lang', 'en');
});
