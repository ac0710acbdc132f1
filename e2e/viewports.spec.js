// Phones and desktops (issue 17): every view of the app fits the screen — no horizontal scrolling,
// no element wider than the viewport — at 320, 390, 430 and 1280 px, axe finds no serious or
// critical violation at 390 × 844 and 1280 × 800, and on a phone the path drawing pans and zooms
// (never below 11 px labels; "Whole path" gives way to the step list where the drawing cannot fit
// readably), toasts span the width without covering the card they report on and close when the
// learner changes view, and the onboarding says where
// the recommendations are as they are laid out. One page load per size; views are reached through
// the app's own navigation.
import { test, expect } from '@playwright/test';
import { expectAxeClean, go, onboard, openApp, settled, snap } from './helpers.js';

/**
 * What sticks out of the viewport sideways: the page's own scroll width, and every element whose
 * box leaves [0, viewport width] without a scrolling or clipping ancestor that stays inside it (a
 * drawing in its own scroll box is fine; a select that widens the page is not).
 * @param {import('@playwright/test').Page} page
 */
async function overflow(page) {
  return page.evaluate(() => {
    const root = document.documentElement;
    const width = root.clientWidth;
    const inside = (/** @type {DOMRect} */ r) => r.left >= -0.5 && r.right <= width + 0.5;
    // An ancestor that clips or scrolls sideways and is itself inside the viewport.
    const clippedInside = (/** @type {Element} */ el) => {
      for (let p = el.parentElement; p && p !== document.body; p = p.parentElement) {
        if (getComputedStyle(p).overflowX !== 'visible' && inside(p.getBoundingClientRect())) return true;
      }
      return false;
    };
    const name = (/** @type {Element} */ el) => {
      const id = el.id ? `#${el.id}` : '';
      const cls = typeof el.className === 'string' && el.className ? `.${el.className.trim().split(/\s+/).join('.')}` : '';
      const testid = el.getAttribute('data-testid') ? `[data-testid=${el.getAttribute('data-testid')}]` : '';
      return `${el.tagName.toLowerCase()}${id}${cls}${testid}`;
    };
    const offenders = [];
    for (const el of document.body.querySelectorAll('*')) {
      const r = el.getBoundingClientRect();
      if ((r.width === 0 && r.height === 0) || inside(r)) continue;
      if (clippedInside(el)) continue;
      offenders.push(`${name(el)} (${Math.round(r.left)}…${Math.round(r.right)} px: “${(el.textContent ?? '').trim().slice(0, 40)}”)`);
    }
    // A closed select shows its chosen option on one line: cut when the text is wider than the
    // box less its padding and the arrow (about 20 px in Chromium).
    const cut = [];
    const ctx = /** @type {CanvasRenderingContext2D} */ (document.createElement('canvas').getContext('2d'));
    for (const select of document.querySelectorAll('select')) {
      const option = select.selectedOptions[0];
      const r = select.getBoundingClientRect();
      if (!option || r.width === 0) continue;
      const style = getComputedStyle(select);
      ctx.font = `${style.fontWeight} ${style.fontSize} ${style.fontFamily}`;
      const room = select.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight) - 20;
      const text = ctx.measureText(option.text).width;
      if (text > room + 0.5) cut.push(`${name(select)}: “${option.text}” needs ${Math.ceil(text)} px, has ${Math.floor(room)}`);
    }
    return { scrollWidth: root.scrollWidth, clientWidth: width, offenders: offenders.slice(0, 8), cut };
  });
}

/** No horizontal overflow on what is on screen now. @param {import('@playwright/test').Page} page @param {string} label */
async function expectFits(page, label) {
  const { scrollWidth, clientWidth, offenders, cut } = await overflow(page);
  expect(offenders, `${label}: elements outside the ${clientWidth} px viewport`).toEqual([]);
  expect(cut, `${label}: selects that cut their chosen option`).toEqual([]);
  expect(scrollWidth, `${label}: page scroll width`).toBeLessThanOrEqual(clientWidth);
}

/** A locator's box in CSS px. @param {import('@playwright/test').Locator} locator */
async function box(locator) {
  return locator.evaluate((el) => {
    const r = el.getBoundingClientRect();
    return { left: r.left, right: r.right, top: r.top, bottom: r.bottom, width: r.width, height: r.height };
  });
}

/** @param {{left: number, right: number, top: number, bottom: number}} a @param {{left: number, right: number, top: number, bottom: number}} b */
const overlaps = (a, b) => a.top < b.bottom && b.top < a.bottom && a.left < b.right && b.left < a.right;

/**
 * The onboarding says where the recommendations are, and it is true at this width: exactly one of
 * the two sentences is shown, "on the right" only when the panel is beside the form, "at the end
 * of this page" only when it comes after all of it.
 * @param {import('@playwright/test').Page} page
 */
async function expectIntroTrue(page) {
  const wide = page.getByTestId('welcome-where-wide');
  const narrow = page.getByTestId('welcome-where-narrow');
  const form = await box(page.locator('.layout--two > .stack'));
  const recs = await box(page.getByTestId('recommendations'));
  if (await wide.isVisible()) {
    await expect(narrow).toBeHidden();
    await expect(wide).toHaveText('Recommendations appear on the right as you go.');
    expect(recs.left).toBeGreaterThanOrEqual(form.right);
  } else {
    await expect(narrow).toBeVisible();
    await expect(narrow).toHaveText('Recommendations appear at the end of this page as you go.');
    expect(recs.top).toBeGreaterThanOrEqual(form.bottom);
    // Nothing of the page's own content comes after it.
    const main = await box(page.locator('#main'));
    expect(main.bottom - recs.bottom).toBeLessThan(64);
  }
  await expect(page.getByTestId('welcome-intro')).toHaveText(/^Tell Pathlight what you want to learn and what you know\. Recommendations appear .* as you go\. All of this stays on your device\.$/);
}

/**
 * The toast of an action on the card `card` (its button `name`): spans the width on a phone, is at
 * most three lines, and covers neither the card nor the button.
 * @param {import('@playwright/test').Page} page @param {import('@playwright/test').Locator} card @param {string} name
 */
async function expectToastClear(page, card, name) {
  const toast = page.getByTestId('toast');
  if (await toast.isVisible()) await toast.getByRole('button', { name: 'Dismiss' }).click();
  await expect(toast).toBeHidden();
  const events = Number(await page.getByTestId('recommendations').getAttribute('data-based-on'));
  const id = await card.getAttribute('data-id');
  await card.getByRole('button', { name, exact: true }).click();
  await settled(page, { events: events + 1 });
  await expect(toast).toBeVisible();
  const shown = page.locator(`[data-testid="rec-item"][data-id="${id}"]`);
  const t = await box(toast);
  const width = page.viewportSize()?.width ?? 0;
  if (width < 640) expect(t.width).toBeGreaterThanOrEqual(width - 24);
  const lineHeight = await toast.locator('.toast__text').evaluate((el) => parseFloat(getComputedStyle(el).lineHeight));
  const textHeight = (await box(toast.locator('.toast__text'))).height;
  expect(Math.round(textHeight / lineHeight), `toast “${await toast.innerText()}”`).toBeLessThanOrEqual(3);
  // The card (or, if the item left the feed, the card in its place, which has the focus) and the
  // control the learner used stay in view.
  const focused = page.locator(':focus');
  await expect(focused).toHaveCount(1);
  const place = (await shown.count()) ? shown : page.getByTestId('rec-item').filter({ has: focused });
  expect(overlaps(t, await box(place)), 'the toast covers the card it reports on').toBe(false);
  expect(overlaps(t, await box(focused)), 'the toast covers the control that was used').toBe(false);
}

/**
 * On a phone (or anywhere the drawing is wider than its box) the path drawing is shown at a
 * readable scale and pans (arrow keys once focused) and zooms (its controls), within its box.
 * @param {import('@playwright/test').Page} page
 */
async function expectGraphUsable(page) {
  const drawing = page.getByTestId('path-graph-svg');
  const scroll = page.getByTestId('path-graph-scroll');
  await expect(drawing).toHaveAttribute('data-scale', /\d/);
  const scale = () => drawing.evaluate((el) => Number(/** @type {SVGElement} */ (el).dataset.scale));
  const node = await box(page.locator('.graph__node').first());
  expect(node.width, 'a node of the drawing is at least 80% of its 196 px').toBeGreaterThanOrEqual(196 * 0.8 - 1);
  const before = await scale();
  await page.getByTestId('path-zoom-in').click();
  await expect.poll(scale).toBeCloseTo(Math.min(2, before * 1.25), 2);
  await expect(page.getByTestId('path-zoom-value')).toHaveText(`${Math.round(Math.min(2, before * 1.25) * 100)}%`);
  // No label is ever shown smaller than 11 px: zooming out stops there.
  const labelPx = await page.locator('.graph__item, .graph__state').evaluateAll((nodes) => Math.min(...nodes.map((n) => parseFloat(getComputedStyle(n).fontSize))));
  const out = page.getByTestId('path-zoom-out');
  for (let i = 0; i < 12 && await out.isEnabled(); i += 1) await out.click();
  await expect(out).toBeDisabled();
  expect(labelPx * await scale(), 'the smallest label on screen, px').toBeGreaterThanOrEqual(11 - 1e-6);
  // "Whole path" zooms to fit where the whole drawing is readable; where it is not (a phone), it
  // takes the learner to the list of steps, which shows the whole path readably.
  const whole = page.getByTestId('path-zoom-fit');
  const widthAt100 = await drawing.evaluate((el) => Number(el.getAttribute('width')) / Number(/** @type {SVGElement} */ (el).dataset.scale));
  const fitsReadably = await scroll.evaluate((el, w) => {
    const style = getComputedStyle(el);
    return (el.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight)) / w >= 11 / 12;
  }, widthAt100);
  if ((page.viewportSize()?.width ?? 0) < 640) expect(fitsReadably, 'the demo path is wider than a phone can show readably').toBe(false);
  await whole.click();
  if (fitsReadably) {
    await expect(whole).toHaveText('Whole path');
    await expect.poll(async () => (await box(drawing)).width).toBeLessThanOrEqual((await box(scroll)).width);
    await expect(out).toBeDisabled();
  } else {
    await expect(whole).toHaveText('All steps');
    await expect(whole).toHaveAttribute('aria-label', /list of all steps/);
    const steps = page.locator('#steps-title');
    await expect(steps).toBeFocused();
    await expect(steps).toBeInViewport();
    expect(labelPx * await scale(), 'the drawing was not shrunk').toBeGreaterThanOrEqual(11 - 1e-6);
    await whole.scrollIntoViewIfNeeded();
  }
  await page.getByTestId('path-zoom-in').click();
  await page.getByTestId('path-zoom-in').click();
  const sizes = await scroll.evaluate((el) => ({ scrollWidth: el.scrollWidth, clientWidth: el.clientWidth }));
  if (sizes.scrollWidth > sizes.clientWidth) {
    await scroll.evaluate((el) => { el.scrollLeft = 0; });
    await scroll.focus();
    await page.keyboard.press('ArrowRight');
    await expect.poll(() => scroll.evaluate((el) => el.scrollLeft)).toBeGreaterThan(0);
    await page.keyboard.press('ArrowLeft');
    await expect.poll(() => scroll.evaluate((el) => el.scrollLeft)).toBe(0);
  }
}

/**
 * Walks every view of the app from a fresh start — onboarding (with search results open), feed
 * with My learning and a toast, path, mentors, goals & settings, privacy centre (raw JSON open),
 * erase dialog — and runs `check` on each.
 * @param {import('@playwright/test').Page} page
 * @param {(label: string) => Promise<void>} check
 */
async function everyView(page, check) {
  await openApp(page);
  await settled(page);
  await expectIntroTrue(page);
  await page.getByTestId('goals-search').fill('learn');
  await expect(page.getByTestId('goals-option').first()).toBeVisible();
  await check('onboarding');
  await page.getByTestId('goals-search').fill('');
  await onboard(page, { goal: 'machine learning', known: 'python' });
  await page.getByTestId('rec-item').first().getByRole('button', { name: 'Enroll', exact: true }).click();
  await settled(page, { events: 1 });
  await page.getByTestId('rec-item').nth(1).getByRole('button', { name: 'Save', exact: true }).click();
  await settled(page, { events: 2 });
  await expect(page.getByTestId('toast')).toBeVisible();
  await check('feed');
  // A card at the bottom of the screen, then one at the top: the toast keeps clear of both.
  const low = page.getByTestId('rec-item').nth(2);
  await low.evaluate((el) => el.scrollIntoView({ block: 'end' }));
  await expectToastClear(page, low, 'Save');
  const high = page.getByTestId('rec-item').nth(3);
  await high.evaluate((el) => el.scrollIntoView({ block: 'start' }));
  await expectToastClear(page, high, 'Save');
  await go(page, 'Path', 'Your learning path');
  // A toast belongs to the view it reports on: the feed's Undo toast does not follow to the path.
  await expect(page.getByTestId('toast')).toBeHidden();
  await check('path');
  await expectGraphUsable(page);
  await expectFits(page, 'path, zoomed in');
  await go(page, 'Mentors', 'Mentors for you');
  await check('mentors');
  await go(page, 'Goals & settings', 'Your goals and settings');
  await page.getByTestId('search').fill('python');
  await expect(page.getByTestId('search-result').first()).toBeVisible();
  await check('goals & settings');
  await go(page, 'Privacy', 'Privacy centre');
  await page.getByText('Show your data as JSON (what Export saves)').click();
  // The request log open too: its 64-hex bundle file names must break, not widen the page.
  await expect(page.getByTestId('request-log')).toHaveAttribute('data-complete', 'true');
  await page.getByTestId('request-log').locator('summary').click();
  await check('privacy');
  await page.getByTestId('erase').click();
  await expect(page.getByTestId('erase-dialog')).toBeVisible();
  await check('erase dialog');
  await page.keyboard.press('Escape');
  await expect(page.getByTestId('erase-dialog')).toBeHidden();
}

for (const [width, height] of [[390, 844], [1280, 800]]) {
  test.describe(`${width} × ${height}`, () => {
    test.use({ viewport: { width, height } });
    test(`every view fits ${width} px and is axe clean`, async ({ page }) => {
      // Seven views, each an overflow scan and an axe run, on a loaded 2-core machine.
      test.setTimeout(180_000);
      await everyView(page, async (label) => {
        await expectFits(page, `${label} at ${width} px`);
        await expectAxeClean(page, `${label} at ${width} px`);
        // Phone screenshots to check by eye (a11y.spec.js saves the desktop ones).
        if (width < 640) await snap(page, `viewport-${width}-${label.replace(/\W+/g, '-')}`);
      });
    });
  });
}

for (const width of [320, 430]) {
  test.describe(`${width} px`, () => {
    test.use({ viewport: { width, height: 800 } });
    test(`every view fits ${width} px`, async ({ page }) => {
      test.setTimeout(120_000);
      await everyView(page, (label) => expectFits(page, `${label} at ${width} px`));
    });
  });
}

test.describe('390 × 844, path', () => {
  test.use({ viewport: { width: 390, height: 844 } });
  test('enrolling from a step keeps the learner at that step, and the toast clear of it', async ({ page }) => {
    await openApp(page);
    await settled(page);
    await onboard(page, { goal: 'machine learning', known: 'python' });
    await go(page, 'Path', 'Your learning path');
    const enroll = page.locator('[data-testid="path-step"] button[data-fk$=":enroll"]').first();
    const concept = (await enroll.getAttribute('data-fk'))?.split(':')[1];
    await enroll.scrollIntoViewIfNeeded();
    await enroll.click();
    await expect(page.locator(`[data-fk="step:${concept}:enroll"]`)).toHaveCount(0);
    // The button is gone (the item is now the learner's); the focus is on its step, on screen.
    const head = page.locator(`[data-fk="step:${concept}"]`);
    await expect(head).toBeFocused();
    await expect(head).toBeInViewport();
    expect(await page.evaluate(() => window.scrollY), 'the page did not jump to the top').toBeGreaterThan(0);
    const toast = page.getByTestId('toast');
    await expect(toast).toBeVisible();
    expect(overlaps(await box(toast), await box(head)), 'the toast covers the step it reports on').toBe(false);
    // The totals sentence is true of the path shown: its count is the distinct items the steps
    // still offer to take (the enrolled one is the learner's now), at most the steps to go.
    const offered = await page.locator('[data-testid="path-step"]').evaluateAll((steps) =>
      new Set(steps.map((st) => /** @type {HTMLElement} */ (st).dataset.item).filter(Boolean)).size);
    const note = page.getByTestId('path-totals').locator('.hint').filter({ hasText: 'These totals are for' });
    await expect(note).toHaveText(new RegExp(`^These totals are for the ${offered} items? you still need to take`));
    const stepsToGo = Number(await page.getByTestId('path-steps-to-go').getAttribute('data-steps'));
    expect(offered).toBeLessThanOrEqual(stepsToGo);
  });
});
