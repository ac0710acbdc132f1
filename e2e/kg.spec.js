// CoCo's knowledge graph from data (issue 15): topic search puts exact and prefix matches first and
// shows no linking noise; a path to a goal goes through mined prerequisites, several steps long.
import { test, expect } from '@playwright/test';
import { chooseConcept, go, openApp, servedCatalog, settled } from './helpers.js';

test.beforeEach(async ({ request }) => {
  const manifest = await request.get('/bundles/coco/manifest.json');
  test.skip(!manifest.ok(), 'no CoCo bundle (../shared/data/coco-udemy absent): scripts/bundle coco builds it');
});

test('CoCo topic search: exact and prefix matches first, no linking noise', async ({ page }) => {
  await openApp(page, { dataset: 'coco' });
  const options = page.getByTestId('goals-option');
  const titles = () => options.locator('.result__title').allInnerTexts();
  // "java" also matches JavaScript, taught by more courses: the exact name still comes first.
  for (const [typed, first] of [['java', 'Java'], ['react', 'React'], ['python', 'Python'], ['ios', 'iOS']]) {
    await page.getByTestId('goals-search').fill(typed);
    await expect(options.first().locator('.result__title')).toHaveText(first);
  }
  // Typed "python": no snake family; typed "react": no combat stress reaction.
  await page.getByTestId('goals-search').fill('python');
  await expect(options.first()).toBeVisible();
  expect(await titles()).not.toContain('Pythonidae');
  await page.getByTestId('goals-search').fill('react');
  await expect(options.first()).toBeVisible();
  expect(await titles()).not.toContain('Combat stress reaction');
});

test('CoCo path to Machine learning goes through its prerequisites, several steps', async ({ page, request }) => {
  test.setTimeout(90_000);
  await openApp(page, { dataset: 'coco' });
  const goal = await chooseConcept(page, 'goals', 'machine learning');
  expect(goal).toBe('Machine learning');
  await settled(page);
  await page.getByTestId('finish-onboarding').click();
  await go(page, 'Path', 'Your learning path');
  const steps = page.getByTestId('path-step');
  await expect(steps.last()).toContainText('Machine learning');
  const concepts = await steps.evaluateAll((nodes) => nodes.map((n) => n.dataset.concept));
  expect(concepts.length).toBeGreaterThanOrEqual(2);
  // Every prerequisite shown comes before the step that needs it (the served graph's edges).
  const catalog = await servedCatalog(request, `${new URL(page.url()).origin}/bundles/coco/`);
  const position = new Map(concepts.map((c, i) => [c, i]));
  for (const c of catalog.concepts) {
    if (!position.has(c.id)) continue;
    for (const p of c.prerequisites ?? []) {
      const id = typeof p === 'string' ? p : catalog.concepts[p].id;
      expect(position.get(id), `${id} before ${c.id}`).toBeLessThan(position.get(c.id));
    }
  }
});
