// Every word true (issue 14): a learner does the things of the issue's "Why" list — goals Deep
// learning and Kubernetes, knows Python, rates a course 5/5 and completes it, joins a membership,
// marks Kubernetes known, "I know this" on a card — in English and in Chinese, and in the widget.
// Each falsehood the issue found is its own step, checked against the served catalog (a slow
// reference over the raw knowledge graph, never the engine's code). Then every claim the pages
// rendered (feed, path, mentors, My learning, widget — each rendered line carries its data) goes
// into the claims JSON of `pathlight audit --claims` (the brief's AUDIT_CLAIMS format) with the
// exported profile, and the audit must find 0 violations. Until `pathlight audit` exists, that
// last test skips and says so; the claims files are still written and their shape checked.
import { test, expect } from '@playwright/test';
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { chooseConcept, downloadJson, go, openApp, servedCatalog, settled } from './helpers.js';

const CLI = process.env.PATHLIGHT_AUDIT_CLI ?? 'build/trainer/pathlight';
const OUT = 'test-results/truth';
const WIDGET = 'http://127.0.0.1:8080';
const HOST = 'http://localhost:8081';
const BUNDLE = `${WIDGET}/bundles/demo/`;
const MANIFEST = `${BUNDLE}manifest.json`;

test.describe.configure({ mode: 'serial' });

// ---- the contract's names (wasm/pathlight.d.ts), for the shape check --------------------------

function unionOf(name) {
  const text = readFileSync('wasm/pathlight.d.ts', 'utf8');
  const m = text.match(new RegExp(`export type ${name} =([^;]+);`));
  return [...m[1].matchAll(/'([^']+)'/g)].map((x) => x[1]);
}
const REASON_KINDS = unionOf('ReasonKind');
const RELATIONS = unionOf('ItemRelation');

// ---- a slow reference over the served knowledge graph ---------------------------------------

function graphOf(catalog) {
  const prereqs = new Map(catalog.concepts.map((c) => [c.id, c.prerequisites ?? []]));
  const items = new Map(catalog.items.map((i) => [i.id, i]));
  /** The goal and every concept below it (its prerequisite closure). */
  const closure = (goal) => {
    const out = new Set([goal]);
    const stack = [goal];
    while (stack.length) for (const p of prereqs.get(stack.pop()) ?? []) if (!out.has(p)) { out.add(p); stack.push(p); }
    return out;
  };
  return { items, closure, title: (id) => items.get(id)?.title };
}

/** A goal reason is true when the item teaches the goal, or teaches concepts of its closure. */
function goalReasonProblem(g, itemId, r, openGoals) {
  const item = g.items.get(itemId);
  if (!item) return `${itemId} is not in the catalog`;
  if (!openGoals.includes(r.goal)) return `${itemId}: "${r.kind}" names ${r.goal}, not an open goal (${openGoals})`;
  if (r.kind === 'teaches_goal') return item.teaches.includes(r.goal) ? null : `${itemId} does not teach ${r.goal}`;
  const closure = g.closure(r.goal);
  for (const c of r.concepts ?? []) {
    if (!item.teaches.includes(c)) return `${itemId} does not teach ${c}`;
    if (!closure.has(c)) return `${c} is not on the way to ${r.goal}`;
  }
  return (r.concepts ?? []).length ? null : `${itemId}: prerequisite_for_goal names no concept`;
}

// ---- claims as rendered (every line carries its data) ---------------------------------------

async function feedClaims(page) {
  return page.evaluate(() => {
    const reasonsOf = (node) => [...node.querySelectorAll('[data-reason]')].map((n) => JSON.parse(n.dataset.reason));
    const recs = document.querySelector('[data-testid="recommendations"]');
    const shared = recs.querySelector('[data-testid="feed-shared-reasons"]');
    return {
      items: [...recs.querySelectorAll('[data-testid="rec-item"]')].map((card) => ({ id: card.dataset.id, reasons: reasonsOf(card) })),
      sharedReasons: shared ? reasonsOf(shared) : [],
      goals: JSON.parse(document.querySelector('[data-testid="feed-summary"]').dataset.goals),
      fallback: recs.dataset.fallback || null,
    };
  });
}

async function pathClaims(page) {
  return page.evaluate(() => {
    const mentor = document.querySelector('[data-testid="path-mentor"]');
    const section = document.querySelector('[data-testid="path"]');
    return {
      goals: JSON.parse(section.dataset.goals),
      hardest: section.dataset.hardest || null,
      unreachable: section.dataset.unreachable.split(' ').filter(Boolean),
      steps: [...document.querySelectorAll('[data-testid="path-step"]')].map((s) => ({
        concept: s.dataset.concept, state: s.dataset.state, item: s.dataset.item || null, taking: s.dataset.taking || null,
      })),
      totals: JSON.parse(document.querySelector('[data-testid="path-totals"]').dataset.totals),
      memberships: [...document.querySelectorAll('[data-testid="path-membership-option"]')].map((m) => ({
        id: m.dataset.id, covers: m.dataset.covers.split(' ').filter(Boolean), held: m.dataset.held === 'true',
      })),
      mentor: mentor?.dataset.id ? { id: mentor.dataset.id, covers: mentor.dataset.covers.split(' ').filter(Boolean) } : null,
      ...(mentor ? { mentorDiagnostics: JSON.parse(mentor.dataset.diagnostics) } : {}),
    };
  });
}

async function mentorsClaims(page) {
  return page.evaluate(() => {
    const section = document.querySelector('[data-testid="mentors"]');
    return {
      items: [...section.querySelectorAll('[data-testid="mentor-card"]')].map((card) => ({
        id: card.dataset.id, covers: card.dataset.covers.split(' ').filter(Boolean),
        reasons: [...card.querySelectorAll('[data-reason]')].map((n) => JSON.parse(n.dataset.reason)),
      })),
      gap: section.dataset.gap.split(' ').filter(Boolean),
      diagnostics: JSON.parse(section.dataset.diagnostics),
    };
  });
}

async function learningClaims(page) {
  return page.evaluate(() => ({
    goals: JSON.parse(document.querySelector('[data-testid="feed-summary"]').dataset.goals),
    known: [...document.querySelectorAll('[data-testid="my-learning"] [data-testid="known-skill"]')].map((k) => ({ id: k.dataset.concept, via: k.dataset.via })),
    items: [...document.querySelectorAll('[data-testid="my-learning"] li[data-group]')].map((li) => ({ id: li.dataset.id, group: li.dataset.group })),
  }));
}

/** The known skills as a list of concept ids, in one place of the page. */
async function knownIn(page, scope) {
  return page.locator(`${scope} [data-testid="known-skill"]`).evaluateAll((nodes) => nodes.map((n) => `${n.dataset.concept}:${n.dataset.via}`));
}

/** The claims file's shape (the brief's AUDIT_CLAIMS.md), checked here before the audit reads it. */
function checkShape(doc) {
  const reason = (r, where) => {
    expect(REASON_KINDS, `${where}: reason kind`).toContain(r.kind);
    if (r.via !== undefined) expect(RELATIONS, `${where}: via`).toContain(r.via);
    for (const key of ['concept', 'goal', 'item', 'via', 'level', 'language']) if (r[key] !== undefined) expect(typeof r[key], `${where}.${key}`).toBe('string');
    for (const key of ['concepts', 'items']) if (r[key] !== undefined) expect(Array.isArray(r[key]), `${where}.${key}`).toBe(true);
    for (const key of ['rating', 'of']) if (r[key] !== undefined) expect(typeof r[key], `${where}.${key}`).toBe('number');
  };
  const goals = (list, where) => {
    expect(Array.isArray(list), where).toBe(true);
    for (const g of list) expect(typeof g.id === 'string' && typeof g.reached === 'boolean', `${where}: ${JSON.stringify(g)}`).toBe(true);
  };
  expect(doc.profile.format).toBe('pathlight-profile');
  expect(doc.profile.version).toBe(2);
  for (const e of doc.profile.events ?? []) expect(typeof e.id, 'every exported event has its id').toBe('string');
  expect(Number.isFinite(doc.now) && doc.now > 1e9).toBe(true);
  expect(doc.answers.length).toBeGreaterThan(0);
  const METHODS = { feed: 'recommend', path: 'path', mentors: 'mentors', learning: 'learner', widget: 'recommend' };
  doc.answers.forEach((a, n) => {
    const where = `answers[${n}] (${a.view})`;
    expect(METHODS[a.view], where).toBe(a.method);
    const r = a.result;
    if (a.method === 'recommend') {
      for (const item of r.items) {
        expect(typeof item.id, where).toBe('string');
        item.reasons.forEach((x, j) => reason(x, `${where} ${item.id} reasons[${j}]`));
      }
      (r.sharedReasons ?? []).forEach((x, j) => reason(x, `${where} sharedReasons[${j}]`));
      goals(r.goals, `${where} goals`);
      if ('fallback' in r) expect([null, 'popular'], where).toContain(r.fallback);
    } else if (a.method === 'path') {
      goals(r.goals, `${where} goals`);
      for (const s of r.steps) {
        expect(['known', 'taking', 'next', 'later'], where).toContain(s.state);
        expect(s.item === null || typeof s.item === 'string', where).toBe(true);
        expect(s.taking === null || typeof s.taking === 'string', where).toBe(true);
      }
      for (const key of ['items', 'unpricedItems', 'untimedItems']) expect(Number.isInteger(r.totals[key]), `${where} totals.${key}`).toBe(true);
      expect(r.totals.hours === null || typeof r.totals.hours === 'number', where).toBe(true);
      expect(r.totals.weeks === null || Number.isInteger(r.totals.weeks), where).toBe(true);
      for (const p of r.totals.price) expect(typeof p.currency === 'string' && typeof p.amount === 'number', where).toBe(true);
      for (const m of r.memberships) expect(typeof m.id === 'string' && Array.isArray(m.covers) && typeof m.held === 'boolean', where).toBe(true);
    } else if (a.method === 'mentors') {
      for (const m of r.items) m.reasons.forEach((x, j) => reason(x, `${where} ${m.id} reasons[${j}]`));
      expect(Array.isArray(r.gap), where).toBe(true);
      for (const key of ['mentors', 'experts', 'budget', 'language', 'capacity', 'dismissed']) expect(Number.isInteger(r.diagnostics[key]), `${where} diagnostics.${key}`).toBe(true);
    } else {
      goals(r.goals, `${where} goals`);
      for (const k of r.known) expect(typeof k.id, where).toBe('string');
      for (const i of r.items) expect(['completed', 'enrolled', 'booked', 'saved', 'dismissed'], where).toContain(i.group);
    }
  });
}

function writeClaims(name, doc) {
  mkdirSync(OUT, { recursive: true });
  const file = path.join(OUT, name);
  writeFileSync(file, JSON.stringify(doc, null, 2));
  return file;
}

/** Shows more of the feed until the card of item `id` is there (the list is the engine's). */
async function cardOf(page, id) {
  const card = page.locator(`[data-testid="rec-item"][data-id="${id}"]`);
  for (let i = 0; i < 10 && (await card.count()) === 0; i++) {
    const more = page.getByRole('button', { name: 'Show more' });
    if ((await more.count()) === 0) break;
    const before = await page.getByTestId('rec-item').count();
    await more.click();
    await expect.poll(() => page.getByTestId('rec-item').count()).toBeGreaterThan(before);
  }
  await expect(card).toHaveCount(1);
  return card;
}

async function showKind(page, kind) {
  await page.locator(`#kind-${kind}`).check();
  await settled(page);
}

// ---------------------------------------------------------------------------------------------

test('a learner of issue 14 in the app: no false sentence, in English and in Chinese', async ({ page }) => {
  test.setTimeout(300_000);
  const catalog = await servedCatalog(page.request, '/bundles/demo/');
  const g = graphOf(catalog);
  const manual = catalog.items.find((i) => i.title === 'Machine Learning Field Manual');
  expect(manual, 'the demo catalog has the Machine Learning Field Manual').toBeTruthy();

  await openApp(page);
  await chooseConcept(page, 'goals', 'deep learning');
  await chooseConcept(page, 'goals', 'kubernetes');
  await chooseConcept(page, 'known', 'python');
  await settled(page);
  await page.getByTestId('finish-onboarding').click();
  await expect(page.getByRole('heading', { level: 1, name: 'Your feed' })).toBeVisible();
  await settled(page, { events: 0 });

  await test.step('no "because your goal" on an item off the path; goal reasons only where the item teaches the goal or its closure', async () => {
    const feed = await feedClaims(page);
    const open = feed.goals.filter((x) => !x.reached).map((x) => x.id);
    expect(open.sort()).toEqual(['deep-learning', 'kubernetes']);
    const problems = [];
    for (const item of feed.items) {
      for (const r of item.reasons) if (r.kind === 'teaches_goal' || r.kind === 'prerequisite_for_goal') problems.push(goalReasonProblem(g, item.id, r, open));
    }
    expect(problems.filter(Boolean)).toEqual([]);
    await expect(page.getByTestId('why').filter({ hasText: /Because your goal/ })).toHaveCount(0);
    // The collaborative part says what it is.
    for (const line of await page.locator('[data-reason-kind="peers_of_goal"]').allTextContents()) {
      expect(line).toMatch(/^Learners aiming for .+ also take this$/);
    }
  });

  await test.step('a rated item (5/5), never enrolled, is done: under Done in My learning, its concept known, never a step of the path', async () => {
    await showKind(page, 'ebook');
    const card = await cardOf(page, manual.id);
    await card.getByRole('combobox').selectOption('5');
    await settled(page, { events: 1 });
    await showKind(page, 'all');
    const done = page.getByTestId('learning-completed');
    await expect(done.locator(`li[data-id="${manual.id}"]`)).toHaveCount(1);
    await expect(done.locator(`li[data-id="${manual.id}"] select`)).toContainText('Rated 5/5');
    await go(page, 'Path', 'Your learning path');
    const p = await pathClaims(page);
    const ml = p.steps.find((s) => s.concept === 'machine-learning');
    expect(ml?.state, 'rated without enrolling is done (ItemSignal::done): machine learning is known').toBe('known');
    // Never offered to take (nor in the totals, which count the steps' items): at most said to be
    // in the learner's items.
    expect(p.steps.map((s) => s.item)).not.toContain(manual.id);
    await expect(page.getByRole('button', { name: `Enroll in “${manual.title}”` })).toHaveCount(0);
    for (const line of await page.locator('[data-testid="path-step"] .step__item-title').filter({ hasText: manual.title }).allTextContents()) {
      expect(line).toMatch(/^In your items:/);
    }
  });

  await test.step('the known list says it was rated, then completed once marked done', async () => {
    await go(page, 'Feed', 'Your feed');
    const rated = page.locator('[data-testid="learning-known"] [data-testid="known-skill"][data-concept="machine-learning"]');
    await expect(rated).toHaveAttribute('data-via', 'completed');
    await expect(rated).toContainText(`you rated “${manual.title}” without enrolling: a rating without enrolling counts as completing`);
    await page.getByTestId('learning-completed').locator(`li[data-id="${manual.id}"]`).getByRole('button', { name: 'Done already' }).click();
    await settled(page, { events: 2 });
    const ml = page.locator('[data-testid="learning-known"] [data-testid="known-skill"][data-concept="machine-learning"]');
    await expect(ml).toHaveAttribute('data-via', 'completed');
    await expect(ml).toContainText(`you completed “${manual.title}”`);
    await expect(ml.getByRole('button', { name: /^Forget/ })).toHaveCount(0);
  });

  let joined;
  await test.step('a membership the learner joined is acknowledged, not offered again', async () => {
    await go(page, 'Path', 'Your learning path');
    const offered = (await pathClaims(page)).memberships.filter((m) => !m.held);
    expect(offered.length).toBeGreaterThan(0);
    joined = offered[0];
    await go(page, 'Feed', 'Your feed');
    await showKind(page, 'membership');
    await (await cardOf(page, joined.id)).getByRole('button', { name: 'Enroll', exact: true }).click();
    await settled(page, { events: 3 });
    await showKind(page, 'all');
    await go(page, 'Path', 'Your learning path');
    const p = await pathClaims(page);
    expect(p.memberships.filter((m) => m.id === joined.id)).toEqual([expect.objectContaining({ held: true })]);
    await expect(page.locator(`[data-testid="path-membership-option"][data-id="${joined.id}"]`)).toContainText('You are a member of');
    for (const s of p.steps.filter((x) => joined.covers.includes(x.concept) && x.state !== 'known')) {
      expect(s, `${s.concept} is taught by the membership the learner holds`).toMatchObject({ state: 'taking', taking: joined.id, item: null });
    }
    expect(p.steps.map((s) => s.item)).not.toContain(joined.id);
  });

  await test.step('the feed lists a mentor only when mentor matching does, with the same gap as the Mentors page', async () => {
    await go(page, 'Mentors', 'Mentors for you');
    const m = await mentorsClaims(page);
    const booked = new Map(await page.locator('[data-testid="mentor-card"]').evaluateAll((cards) => cards.map((c) => [
      c.dataset.id, c.querySelector('.offering--booked')?.firstChild?.textContent ?? null])));
    await go(page, 'Feed', 'Your feed');
    await settled(page);
    const feed = await feedClaims(page);
    const mentors = feed.items.filter((i) => g.items.get(i.id)?.kind === 'mentor');
    for (const mentor of mentors) {
      const covers = mentor.reasons.find((r) => r.kind === 'covers_gap');
      expect(covers, `${mentor.id} says which steps it covers`).toBeTruthy();
      for (const c of covers.concepts) expect(m.gap, `${mentor.id} covers ${c}`).toContain(c);
      for (const c of covers.concepts) expect(g.items.get(mentor.id).expertise[c], `${mentor.id} knows ${c}`).toBeGreaterThan(0);
    }
    if (mentors.length) expect(m.items.length, 'the Mentors page is not "none fits" while the feed shows a mentor').toBeGreaterThan(0);
    // A mentor's price on the feed is the offering the engine would book (recommend's booking), in
    // the Mentors page's words — not the one-to-one price "per hour" beside a budget it exceeds.
    for (const mentor of mentors) {
      const price = await page.locator(`[data-testid="rec-item"][data-id="${mentor.id}"] .rec__price`).textContent();
      expect(price, mentor.id).toMatch(/^(One-to-one|Group) · |^No open session or seat within your budget$/);
      if (booked.get(mentor.id)) expect(price, `${mentor.id}: as the Mentors page books it`).toBe(booked.get(mentor.id));
    }
    await expect(page.locator('[data-testid="rec-item"][data-kind="mentor"] [data-testid="why"]').filter({ hasText: /your goal/i })).toHaveCount(0);
  });

  await test.step('after Kubernetes is marked known, the feed says it is reached, not "Toward Kubernetes"', async () => {
    await go(page, 'Path', 'Your learning path');
    await page.locator('[data-testid="path-step"][data-concept="kubernetes"]').getByRole('button', { name: 'I know this' }).click();
    await expect(page.locator('[data-testid="path-step"][data-concept="kubernetes"]')).toHaveAttribute('data-state', 'known');
    await go(page, 'Feed', 'Your feed');
    await settled(page, { events: 4 });
    const summary = page.getByTestId('feed-summary');
    await expect(summary).toContainText('You’ve reached Kubernetes.');
    await expect(summary).not.toContainText(/Toward[^.]*Kubernetes/);
    expect((await feedClaims(page)).goals).toEqual(expect.arrayContaining([{ id: 'kubernetes', reached: true }, { id: 'deep-learning', reached: false }]));
  });

  await test.step('"I know this" shows in the one known list everywhere, and can be forgotten after the toast is gone', async () => {
    const eventKnown = () => page.locator('[data-testid="learning-known"] [data-testid="known-skill"][data-via="event"]')
      .evaluateAll((nodes) => nodes.map((n) => n.dataset.concept));
    const before = await eventKnown();
    const card = page.getByTestId('rec-item').filter({ has: page.getByRole('button', { name: 'I know this' }) }).first();
    const id = await card.getAttribute('data-id');
    const taught = g.items.get(id).teaches;
    await card.getByRole('button', { name: 'I know this' }).click();
    await expect(page.getByTestId('toast')).toContainText('Noted that you know');
    await settled(page);
    await expect.poll(async () => (await eventKnown()).filter((c) => !before.includes(c)).length).toBeGreaterThan(0);
    const [concept] = (await eventKnown()).filter((c) => !before.includes(c));
    expect(taught).toContain(concept);
    const inLearning = await knownIn(page, '[data-testid="learning-known"]');
    await go(page, 'Goals & settings', 'Your goals and settings');
    const inSettings = await knownIn(page, '[data-testid="known-section"]');
    await go(page, 'Privacy', 'Privacy centre');
    const inPrivacy = await knownIn(page, '#privacy-known');
    expect(inSettings).toEqual(inLearning);
    expect(inPrivacy).toEqual(inLearning);
    expect(inLearning).toContain(`${concept}:event`);
    // The toast said "Noted that you know" every concept the item teaches: each is now one the
    // learner said (it skipped those known only as a prerequisite or through a completed item).
    for (const c of taught) expect(inLearning.filter((k) => k === `${c}:event` || k === `${c}:stated`), c).toHaveLength(1);
    // The toast (and its Undo) has gone; Forget still works.
    await expect(page.getByTestId('toast')).toBeHidden({ timeout: 20_000 });
    await page.locator(`#privacy-known [data-concept="${concept}"]`).getByRole('button', { name: /^Forget/ }).click();
    await expect(page.locator(`#privacy-known [data-concept="${concept}"][data-via="event"]`)).toHaveCount(0);
    await expect(page.getByTestId('toast')).toContainText(/no longer counts|still known/);
  });

  await test.step('the feed says what it starts from: the items acted on and the skills said known, as stored', async () => {
    // Counted here from the privacy centre's table of stored events and its known list — not from
    // the engine's basis — and compared with the feed's sentence (it counted events: "I know this"
    // on an item teaching two concepts was 2 "things you did"). The step before ends on the privacy centre.
    await expect(page.getByRole('heading', { level: 1, name: 'Privacy centre' })).toBeVisible();
    const stored = await page.getByTestId('stored-events').locator('tbody tr').evaluateAll((rows) => rows.map((r) => r.dataset.item ?? ''));
    const items = new Set(stored.filter((id) => g.items.has(id))).size;
    const skills = (await knownIn(page, '#privacy-known')).filter((k) => /:(stated|event)$/.test(k)).length;
    expect(items).toBeGreaterThan(1);
    await go(page, 'Feed', 'Your feed');
    await settled(page);
    const basis = [`what you did with ${items} ${items === 1 ? 'item' : 'items'}`,
      skills ? `the ${skills} ${skills === 1 ? 'skill' : 'skills'} you said you know` : ''].filter(Boolean).join(' and ');
    await expect(page.getByTestId('feed-summary')).toContainText(new RegExp(`[Ff]rom ${basis}\\.`));
    expect(stored.length).toBeGreaterThan(items);  // the case under test: more events than items
    await go(page, 'Privacy', 'Privacy centre');  // where the next step starts
  });

  await test.step('any one event can be removed from the privacy centre', async () => {
    const rows = page.getByTestId('stored-events').locator('tbody tr');
    const before = await rows.count();
    const rate = rows.filter({ hasText: 'Rated 5/5' });
    await expect(rate).toHaveCount(1);
    await rate.getByTestId('remove-event').click();
    await expect(rows).toHaveCount(before - 1);
    await expect(rows.filter({ hasText: 'Rated 5/5' })).toHaveCount(0);
    await go(page, 'Feed', 'Your feed');
    await settled(page);
    await expect(page.locator(`[data-testid="learning-completed"] li[data-id="${manual.id}"] select`)).not.toContainText('Rated 5/5');
  });

  // ---- the claims, in English and in Chinese, with the exported profile ----------------------
  const answers = [];
  const collect = async (label) => {
    if ((await page.locator('html').getAttribute('data-view')) !== 'feed') await go(page, label.feed, label.feedHeading);
    await settled(page);
    answers.push({ view: 'feed', method: 'recommend', result: await feedClaims(page) });
    answers.push({ view: 'learning', method: 'learner', result: await learningClaims(page) });
    await go(page, label.path, label.pathHeading);
    answers.push({ view: 'path', method: 'path', result: await pathClaims(page) });
    await go(page, label.mentors, label.mentorsHeading);
    answers.push({ view: 'mentors', method: 'mentors', result: await mentorsClaims(page) });
  };
  // The profile as exported with these answers (the content language follows the interface:
  // the Chinese answers are another profile's, so they get their own claims file).
  const exported = async (privacy, privacyHeading) => {
    await go(page, privacy, privacyHeading);
    const { doc } = await downloadJson(page, () => page.getByTestId('export').click());
    return doc.profile;
  };
  await collect({ feed: 'Feed', feedHeading: 'Your feed', path: 'Path', pathHeading: 'Your learning path', mentors: 'Mentors', mentorsHeading: 'Mentors for you' });
  const english = answers.length;
  const claimsEn = { profile: await exported('Privacy', 'Privacy centre'), now: Date.now() / 1000, answers: answers.slice(0, english) };
  expect(claimsEn.profile.language).toBe('en');
  checkShape(claimsEn);
  writeClaims('claims-app-en.json', claimsEn);

  await test.step('in Chinese: the same claims, said in Chinese, none of them "because your goal" off the path', async () => {
    await page.getByTestId('ui-language').selectOption('zh-CN');
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('隐私中心');
    await collect({ feed: '推荐', feedHeading: '你的推荐', path: '学习路径', pathHeading: '你的学习路径', mentors: '导师', mentorsHeading: '为你匹配的导师' });
    const zhFeed = answers[english].result;
    const open = zhFeed.goals.filter((x) => !x.reached).map((x) => x.id);
    const problems = zhFeed.items.flatMap((item) => item.reasons.filter((r) => r.goal && r.kind !== 'peers_of_goal').map((r) => goalReasonProblem(g, item.id, r, open)));
    expect(problems.filter(Boolean)).toEqual([]);
    await go(page, '推荐', '你的推荐');
    const lines = await page.locator('[data-testid="why"] [data-reason]').allTextContents();
    expect(lines.length).toBeGreaterThan(0);
    for (const line of lines) {
      expect(line).toMatch(/[\u4e00-\u9fff]/);
      expect(line).not.toMatch(/因为你的目标是/);
    }
    await expect(page.getByTestId('feed-summary')).toContainText('你已达成目标：Kubernetes 容器编排');
    await expect(page.getByTestId('feed-summary')).not.toContainText(/面向[^。]*Kubernetes/);
    const claimsZh = { profile: await exported('隐私', '隐私中心'), now: Date.now() / 1000, answers: answers.slice(english) };
    expect(claimsZh.profile.language).toBe('zh');
    checkShape(claimsZh);
    writeClaims('claims-app-zh.json', claimsZh);
    await page.getByTestId('ui-language').selectOption('en');
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('Privacy centre');
  });
});

test('the widget says only what is true, in English and in Chinese', async ({ page, request }) => {
  test.setTimeout(120_000);
  const catalog = await servedCatalog(request, BUNDLE);
  const g = graphOf(catalog);
  await page.goto(`${HOST}/examples/blank.html`);
  await page.setContent(`<!doctype html><html lang="en"><head><meta charset="utf-8"><link rel="icon" href="data:,"></head><body>
    <pathlight-recs id="w" bundle="${BUNDLE}" topic="deep learning" limit="8"></pathlight-recs></body></html>`);
  await page.evaluate((src) => {
    const s = document.createElement('script');
    s.type = 'module';
    s.src = src;
    document.head.append(s);
  }, `${WIDGET}/widget/pathlight-widget.js`);
  const root = page.locator('#w .root');
  await expect(root).toHaveAttribute('data-state', 'ready', { timeout: 30_000 });
  // The reader dismisses one suggestion: the list is the engine's answer for that history.
  const first = await page.locator('#w li.item').first().getAttribute('data-id');
  await page.locator(`#w li.item[data-id="${first}"] .dismiss`).click();
  await expect.poll(() => page.locator('#w li.item').evaluateAll((n) => n.map((x) => x.dataset.id))).not.toContain(first);

  const claim = async () => page.locator('#w').evaluate((el) => {
    const title = el.shadowRoot.querySelector('.title');
    return {
      heading: title.textContent,
      goals: title.dataset.goals.split(' ').filter(Boolean),
      items: [...el.shadowRoot.querySelectorAll('li.item')].map((li) => ({
        id: li.dataset.id, reasons: [...li.querySelectorAll('[data-reason]')].map((n) => JSON.parse(n.dataset.reason)), text: li.querySelector('.reason')?.textContent ?? '',
      })),
    };
  });
  const answers = [];
  let goals;
  await test.step('English: the heading names the engine\'s goal; each reason is true of the item', async () => {
    const c = await claim();
    goals = c.goals;
    expect(goals).toEqual(['deep-learning']);
    expect(c.heading).toBe('Next steps: Deep learning');
    expect(c.items.map((i) => i.id)).not.toContain(first);
    const problems = c.items.flatMap((i) => i.reasons.filter((r) => r.kind === 'teaches_goal' || r.kind === 'prerequisite_for_goal').map((r) => goalReasonProblem(g, i.id, r, goals)));
    expect(problems.filter(Boolean)).toEqual([]);
    for (const i of c.items) expect(i.text).not.toMatch(/Because your goal/);
    answers.push({ view: 'widget', method: 'recommend', result: { items: c.items.map(({ id, reasons }) => ({ id, reasons })), goals: goals.map((id) => ({ id, reached: false })) } });
  });
  await test.step('Chinese: the same list and claims, said in Chinese', async () => {
    const before = await claim();
    // The element's lang also sets its content language (issue 17): keep the content English so
    // that only the interface changes, and the list and its claims stay the same.
    await page.locator('#w').evaluate((el) => {
      el.setAttribute('content-lang', 'en');
      el.setAttribute('lang', 'zh-CN');
    });
    await expect(page.locator('#w .title')).toHaveText('下一步：深度学习');
    const c = await claim();
    expect(c.items.map((i) => i.id)).toEqual(before.items.map((i) => i.id));
    expect(c.items.map((i) => i.reasons)).toEqual(before.items.map((i) => i.reasons));
    for (const i of c.items) if (i.text) expect(i.text).toMatch(/[\u4e00-\u9fff]/);
    answers.push({ view: 'widget', method: 'recommend', result: { items: c.items.map(({ id, reasons }) => ({ id, reasons })), goals: goals.map((id) => ({ id, reached: false })) } });
  });
  // The reader's profile as the widget keeps it (the learner store on the host's origin).
  const events = await page.evaluate(async (scope) => {
    const db = await new Promise((resolve, reject) => { const o = indexedDB.open('pathlight'); o.onsuccess = () => resolve(o.result); o.onerror = () => reject(o.error); });
    const records = await new Promise((resolve) => { const r = db.transaction('events').objectStore('events').index('scope').getAll(scope); r.onsuccess = () => resolve(r.result); });
    db.close();
    return records.filter((r) => !r.deleted).map(({ scope: _s, source: _src, ...e }) => e);
  }, `widget:${MANIFEST}`);
  expect(events.map((e) => e.type)).toEqual(['dismiss']);
  const claims = { profile: { format: 'pathlight-profile', version: 2, goals, known: [], events }, now: Date.now() / 1000, answers };
  checkShape(claims);
  writeClaims('claims-widget.json', claims);
});

test('unknown prices and hours are said to be unknown, never $0.00 or 0 h (CoCo)', async ({ page }) => {
  test.setTimeout(120_000);
  const manifest = await page.request.get('/bundles/coco/manifest.json');
  test.skip(!manifest.ok(), 'the CoCo bundle is not built here (scripts/bundle coco needs ../shared/data): the unknown-totals case needs real prices');
  const { items, concepts } = await servedCatalog(page.request, '/bundles/coco/');
  // A goal whose only item has neither a price nor a duration (read from the served catalog).
  const byConcept = new Map();
  for (const i of items) for (const c of i.teaches) byConcept.set(c, [...(byConcept.get(c) ?? []), i]);
  // (The catalog document leaves out an unknown price; an unknown duration is 0.)
  const goal = concepts.find((c) => c.prerequisites.length === 0 && (byConcept.get(c.id) ?? []).length > 0
    && byConcept.get(c.id).every((i) => (i.price === undefined || i.price === null) && !(i.hours > 0)));
  test.skip(!goal, 'no CoCo concept is taught only by items of unknown price and duration');
  await openApp(page, { dataset: 'coco' });
  await page.getByTestId('goals-search').fill(goal.name);
  await page.locator(`[data-testid="goals-option"][data-id=${JSON.stringify(goal.id)}]`).click();
  await settled(page);
  await go(page, 'Path', 'Your learning path');
  const totals = JSON.parse(await page.getByTestId('path-totals').getAttribute('data-totals'));
  expect(totals.price).toEqual([]);
  expect(totals.unpricedItems).toBeGreaterThan(0);
  expect(totals.hours).toBeNull();
  await expect(page.getByTestId('path-total-price').locator('dd')).toHaveText('unknown');
  await expect(page.getByTestId('path-total-hours').locator('dd')).toHaveText('unknown');
  await expect(page.getByTestId('path-totals')).not.toContainText('$0.00');
  await expect(page.getByTestId('path-totals')).not.toContainText(/\b0 h\b/);
});

test('pathlight audit finds no violation in the rendered claims', async () => {
  // (An unknown subcommand followed by --help prints the CLI's general help: ask for --claims.)
  const help = spawnSync(CLI, ['audit', '--help'], { encoding: 'utf8' });
  const ready = help.status === 0 && /--claims/.test(help.stdout);
  if (!ready) console.warn(`truth: \`${CLI} audit\` is not available yet; the claims in ${OUT}/ were checked for shape only (set PATHLIGHT_AUDIT_CLI to another build to audit them)`);
  test.skip(!ready, `\`${CLI} audit --help\` does not offer --claims (${help.error?.message ?? `exit ${help.status}`}): the audit is not built yet, so the claims in ${OUT}/ were only checked for shape`);
  for (const name of ['claims-app-en.json', 'claims-app-zh.json', 'claims-widget.json']) {
    const file = path.join(OUT, name);
    const run = spawnSync(CLI, ['audit', 'web/public/bundles/demo', '--claims', file], { encoding: 'utf8', maxBuffer: 64 << 20 });
    const last = run.stdout.trim().split('\n').pop();
    const result = JSON.parse(last);
    expect(result.answers_checked, `${name}: answers checked`).toBe(JSON.parse(readFileSync(file, 'utf8')).answers.length);
    expect(result.claims_checked, `${name}: claims checked`).toBeGreaterThan(0);
    expect(result.violations, `${name}: ${JSON.stringify(result.examples)}`).toBe(0);
    expect(run.status, name).toBe(0);
  }
});

test('under a budget the feed says how many shown items have no price, as many as its cards show (CoCo)', async ({ page }) => {
  test.setTimeout(120_000);
  const manifest = await page.request.get('/bundles/coco/manifest.json');
  test.skip(!manifest.ok(), 'the CoCo bundle is not built here (scripts/bundle coco needs ../shared/data)');
  await openApp(page, { dataset: 'coco' });
  await page.getByTestId('budget').fill('20');
  await page.getByTestId('budget').press('Tab');
  await settled(page);
  await page.getByTestId('finish-onboarding').click();
  await expect(page.getByRole('heading', { level: 1, name: 'Your feed' })).toBeVisible();
  await settled(page);
  const prices = await page.locator('[data-testid="rec-item"] .rec__price').allTextContents();
  const unknown = prices.filter((p) => p === 'price unknown' || p.endsWith('price not listed')).length;
  expect(unknown, `CoCo's feed under $20 shows cards of unknown price: ${JSON.stringify(prices)}`).toBeGreaterThan(0);
  await expect(page.getByTestId('feed-unpriced')).toContainText(
    `${unknown} of these items ${unknown === 1 ? 'has' : 'have'} no known price`);
  await expect(page.getByTestId('feed-unpriced')).toContainText('not held to your budget of $20.00');
});

test('each card prints its price per the unit the engine gives, and a session is priced as one (demo)', async ({ page }) => {
  test.setTimeout(120_000);
  const { items } = await servedCatalog(page.request, '/bundles/demo/');
  const byId = new Map(items.map((i) => [i.id, i]));
  await openApp(page);
  await page.getByTestId('finish-onboarding').click();
  await expect(page.getByRole('heading', { level: 1, name: 'Your feed' })).toBeVisible();
  // The units by kind as docs/csv-schema.md states them (not read from the app's or the engine's code).
  const suffix = { consultation: ' / hour', membership: ' / month' };
  for (const kind of ['consultation', 'membership', 'course']) {
    await page.locator(`input[name="kind"][value="${kind}"]`).check();
    await settled(page);
    const cards = await page.locator('[data-testid="rec-item"]').evaluateAll((nodes) => nodes.map((n) => ({
      id: n.dataset.id, price: n.querySelector('.rec__price')?.textContent, hours: n.querySelector('.rec__hours')?.textContent })));
    expect(cards.length, `${kind}: cards`).toBeGreaterThan(0);
    for (const c of cards) {
      const item = byId.get(c.id);
      expect(item.kind).toBe(kind);
      if (!(item.price > 0)) continue;
      expect(c.price, `${c.id}'s price`).toBe(`$${item.price.toFixed(2)}${suffix[kind] ?? ''}`);
      if (kind === 'consultation') expect(c.hours, `${c.id}: its hours are one session's`).toBe(`${item.hours} h session`);
    }
  }
});
