// The personal feed: the engine's list (recommend) with price, level and duration, the engine's
// reasons for each item (in its order), the reasons it says once above the list, and the actions
// that re-rank on the device at once (addEvent, then recommend — no reload). "My learning" is the
// engine's learner summary: its groups and known skills, each undoable at any time.
import { make } from '../dom.js';
import { formatMoney, joinClauses, joinSentences, t } from '../i18n.js';
import {
  actThenRender, actionBar, conceptList, focusedKey, forgetSkill, itemCard, itemMeta, knownList, perform, restoreFocus, sharedReasons,
} from '../ui.js';
import { deviceNote } from './profile.js';

/**
 * @typedef {import('../app.js').App} App
 * @typedef {import('../../../wasm/pathlight').CatalogItem} CatalogItem
 * @typedef {import('../../../wasm/pathlight').RecommendResult} RecommendResult
 * @typedef {import('../../../wasm/pathlight').GoalState} GoalState
 */

const KINDS = /** @type {const} */ (['course', 'ebook', 'consultation', 'membership', 'mentor']);
const view = { kind: 'all', k: 10, seq: 0 };

/**
 * What the feed is for, in words for the engine's answers: "Toward X" for the goals recommend says
 * the shown reasons lead toward (goalsServed), "None of the items shown leads toward Y" for the
 * open goals none does (goalsUnserved), "You've reached Z" for the goals the learner knows now;
 * "popular with other learners" only when the engine says the list is its popularity fallback; and
 * what it starts from, as the engine's learner() counts it (basis: items with any event, skills the
 * learner said they know).
 * @param {App} app
 * @param {Pick<RecommendResult, 'goals' | 'goalsServed' | 'goalsUnserved' | 'fallback'> & { items: unknown[] }} feed
 * @param {{ items: number, skills: number }} basis
 */
export function feedSummary(app, feed, basis) {
  const { goals, goalsServed: toward, goalsUnserved: missed, fallback } = feed;
  const shown = feed.items.length;
  const reached = goals.filter((g) => g.reached).map((g) => g.id);
  const fresh = basis.items === 0 && basis.skills === 0;
  const parts = [];
  if (fallback === 'popular') {
    parts.push(t('feed.summaryNew'));
  } else if (toward.length) {
    parts.push(fresh ? t('feed.summaryGoalsNew', { goals: conceptList(app, toward) }) : t('feed.summaryGoals', { goals: conceptList(app, toward), ...basis }));
  } else if (missed.length) {
    parts.push(fresh ? t('feed.summaryFromGoalsNew') : t('feed.summaryStart', basis));
  } else if (reached.length) {
    // Goals chosen and every one reached: not "no goal chosen".
    parts.push(fresh ? t('feed.summaryAllReachedNew', { goals: conceptList(app, reached) })
      : t('feed.summaryAllReached', { goals: conceptList(app, reached), ...basis }));
  } else {
    parts.push(t('feed.summaryNoGoals', basis));
  }
  // "None of the items shown …" needs items shown; an empty list says why it is empty instead.
  if (missed.length && shown > 0) parts.push(t('feed.goalsUnserved', { goals: conceptList(app, missed) }));
  if ((toward.length || missed.length) && reached.length) parts.push(t('feed.reached', { goals: conceptList(app, reached) }));
  return joinSentences(parts);
}

/** What recommend's `excluded` counts, in the order it counts them. */
const EXCLUSIONS = /** @type {const} */ (['kinds', 'consumed', 'dismissed', 'levels', 'budget', 'language', 'known', 'mentors', 'readiness']);

/**
 * Why a list holds fewer items than asked, from the engine's count of what each filter left out
 * (recommend's `excluded`): "Nothing left to show: 3 you have taken, 5 over your budget of $40."
 * and where to loosen the filters that did. Null when the engine gave no count (a full list).
 * @param {App} app
 * @param {RecommendResult['excluded']} excluded
 * @param {number} listed how many items the list holds (0: "Nothing left to show: …", else "No more to show: …")
 */
export function exclusionNote(app, excluded, listed) {
  if (!excluded) return null;
  const { budget, currency } = app.learner.prefs;
  const causes = listed > 0 ? [t('feed.excluded.shown', { n: listed })] : [];
  for (const key of EXCLUSIONS)
    if (excluded[key] > 0) causes.push(t(`feed.excluded.${key}`, { n: excluded[key], budget: budget === null ? '' : formatMoney(budget, currency) }));
  // Items every filter let through but the list does not hold: cut by its one-mentor, one-membership slate.
  if (excluded.eligible > listed) causes.push(t('feed.excluded.caps', { n: excluded.eligible - listed }));
  // The counts add up to the catalog's items (the engine's guarantee), so the sentence can say "of N".
  const total = EXCLUSIONS.reduce((sum, key) => sum + excluded[key], excluded.eligible);
  const parts = [t(listed === 0 ? 'feed.emptyWhy' : 'feed.shortWhy', { total, causes: joinClauses(causes) })];
  if (excluded.eligible > listed) parts.push(t('feed.capsWhy'));
  if (excluded.budget > 0 || excluded.language > 0) {
    parts.push(t(excluded.budget > 0 && excluded.language > 0 ? 'feed.loosenSettings' : excluded.budget > 0 ? 'feed.loosenBudget' : 'feed.loosenLanguage'));
  }
  if (excluded.kinds > 0) parts.push(t('feed.loosenKind'));
  return joinSentences(parts);
}

/**
 * The engine's count of listed items that pass the learner's budget only because their price is
 * unknown (recommend's `unpriced`), in words; null when there are none.
 * @param {App} app
 * @param {number} unpriced
 */
export function unpricedNote(app, unpriced) {
  const { budget, currency } = app.learner.prefs;
  return unpriced > 0 && budget !== null ? t('feed.unpriced', { n: unpriced, budget: formatMoney(budget, currency) }) : null;
}

/** @param {App} app @param {HTMLElement} root @param {{isNew?: boolean, keepFocus?: boolean}} [options] */
export async function render(app, root, { isNew, keepFocus } = {}) {
  if (isNew) view.k = 10;
  const focusKey = keepFocus ? focusedKey(root) : null;
  const seq = ++view.seq;
  // The list on screen is being replaced (a filter, "more", an action): say so until the new one is
  // drawn with aria-busy="false" — for assistive technology, and for tests that wait for the list.
  root.querySelector('[data-testid="recommendations"]')?.setAttribute('aria-busy', 'true');
  /** @type {RecommendResult} */
  let feed;
  /** @type {any} */
  let error = null;
  try {
    // One kind chosen: the whole list is of that kind (the engine lifts its one-mentor,
    // one-membership slate for a list of one kind).
    const kind = /** @type {CatalogItem['kind']} */ (view.kind);
    const only = view.kind === 'all' ? {} : { kinds: [kind] };
    feed = await app.eng.recommend({ k: view.k, ...only });
  } catch (e) {
    error = e;
    feed = { items: [], fallback: null, sharedReasons: [], goals: [], goalsServed: [], goalsUnserved: [], unpriced: 0, excluded: null };
  }
  if (seq !== view.seq) return; // a newer render is on its way

  /** @param {string} action @param {CatalogItem} item @param {number} [value] */
  const run = (action, item, value) => {
    const cards = [...root.querySelectorAll('[data-testid="rec-item"]')];
    const position = cards.findIndex((card) => /** @type {HTMLElement} */ (card).dataset.id === item.id);
    // When the item leaves the feed, focus goes to the card now in its place.
    const inItsPlace = () => {
      const titles = root.querySelectorAll('[data-testid="rec-item"] .rec__title');
      return /** @type {HTMLElement | null} */ (titles[Math.max(0, Math.min(position, titles.length - 1))] ?? root.querySelector('h1'));
    };
    return actThenRender(app, root, () => perform(app, action, item, value), () => render(app, root, {}), inItsPlace);
  };

  const kinds = KINDS.filter((kind) => app.items.some((item) => item.kind === kind));
  const filter = make('fieldset', { className: 'kind-filter' }, [
    make('legend', { text: t('feed.show') }),
    ...['all', ...kinds].map((kind) => {
      const id = `kind-${kind}`;
      const input = make('input', { type: 'radio', name: 'kind', id, value: kind, checked: view.kind === kind, 'data-fk': id });
      input.addEventListener('change', async () => {
        view.kind = kind;
        view.k = 10;
        await render(app, root, { keepFocus: true });
      });
      return make('span', { className: 'kind-filter__option' }, [input, make('label', { for: id, text: kind === 'all' ? t('feed.allKinds') : t(`kinds.${kind}`) })]);
    }),
  ]);

  // A new learner has done nothing yet: say where the list comes from instead of "0 things".
  const events = app.learner.events().length;
  const goals = feed.goals.length ? feed.goals : app.summary?.goals ?? [];
  const list = make('ol', { id: 'recs-list', className: 'rec-list' }, feed.items.map((rec) => itemCard(app, rec, run)));
  const why = error ? null : exclusionNote(app, feed.excluded, feed.items.length);
  const empty = why ? make('p', { className: 'recs__empty', 'data-testid': 'feed-excluded', text: why }) : null;
  const more = feed.items.length >= view.k && view.k < 100
    ? make('button', {
      type: 'button',
      className: 'button button--secondary',
      'data-fk': 'more',
      text: t('feed.more'),
      onClick: async () => {
        view.k += 10;
        await render(app, root, { keepFocus: true });
        const titles = root.querySelectorAll('[data-testid="rec-item"] .rec__title');
        /** @type {HTMLElement | undefined} */ (titles[view.k - 10])?.focus();
      },
    })
    : null;

  const main = make('section', {
    className: 'panel recs',
    id: 'recommendations',
    'data-testid': 'recommendations',
    'aria-labelledby': 'feed-title',
    'aria-busy': 'false',
    dataset: { basedOn: String(events), goals: String(app.learner.prefs.goals.length), fallback: feed.fallback ?? '' },
  }, [
    make('div', { className: 'recs__header' }, [make('h1', { id: 'feed-title', text: t('feed.title') }), deviceNote()]),
    make('p', { className: 'recs__summary', 'data-testid': 'feed-summary', dataset: { goals: JSON.stringify(goals) } }, [
      feedSummary(app, { ...feed, goals }, app.summary?.basis ?? { items: 0, skills: 0 }), ' ', make('a', { href: '#/profile', text: t('feed.changeGoals') }),
    ]),
    feed.fallback === 'popular' ? make('p', { className: 'hint', 'data-testid': 'feed-fallback', text: t('feed.fallback') }) : null,
    ((note) => (note ? make('p', { className: 'hint', 'data-testid': 'feed-unpriced', text: note }) : null))(unpricedNote(app, feed.unpriced ?? 0)),
    sharedReasons(app, feed.sharedReasons),
    filter,
    error ? make('p', { className: 'recs__error', role: 'alert', text: t('feed.error', { message: error.message, code: error.code ?? 'error' }) }) : null,
    empty,
    list,
    more,
  ]);

  root.replaceChildren(make('div', { className: 'layout layout--feed' }, [main, myLearning(app, run, () => render(app, root, { keepFocus: true }))]));
  if (focusKey) restoreFocus(root, focusKey, null);
}

/** "My learning" groups (the engine's), in the order shown, and the undo each offers. */
const GROUPS = /** @type {const} */ ([
  ['enrolled', ['complete', 'rate', 'unenroll']],
  ['saved', ['enroll', 'book', 'unbookmark']],
  ['completed', ['complete', 'rate', 'unrate', 'uncomplete']],
  ['booked', ['rate', 'unrate', 'unbook']],
  ['dismissed', ['undismiss']],
]);

/**
 * What the learner has going on (the engine's learner(): each item's "My learning" group and the
 * known skills with why), with a way to take each thing back.
 * @param {App} app
 * @param {(action: string, item: CatalogItem, value?: number) => unknown} run
 * @param {() => Promise<void>} rerender
 */
function myLearning(app, run, rerender) {
  const summary = app.summary;
  const sections = GROUPS.map(([group, actions]) => {
    const entries = (summary?.items ?? []).filter((i) => i.group === group);
    const bookings = new Map(entries.map((i) => [i.id, i.booking]));
    const items = entries.map((i) => app.byId.get(i.id)).filter((i) => i !== undefined);
    if (items.length === 0) return null;
    const headingId = `learning-${group}`;
    return make('section', { className: 'learning-group', 'aria-labelledby': headingId, 'data-testid': `learning-${group}` }, [
      make('h3', { id: headingId, text: t(`learning.${group}`, { n: items.length }) }),
      make('ul', { className: 'mini-list' }, items.map((item) => {
        const titleId = `learning-${group}-${item.id}`;
        return make('li', { className: 'mini', dataset: { id: item.id, item: item.id, group } }, [
          make('p', { className: 'mini__title', id: titleId, text: item.title }),
          itemMeta(app, item, bookings.get(item.id)),
          actionBar(app, item, run, { which: [...actions], titleId, scope: `learning-${group}` }),
        ]);
      })),
    ]);
  });
  const any = sections.some(Boolean);
  const known = summary?.known ?? [];
  return make('aside', { className: 'panel learning', 'aria-labelledby': 'learning-title', 'data-testid': 'my-learning' }, [
    make('h2', { id: 'learning-title', text: t('learning.title') }),
    any ? null : make('p', { className: 'hint', text: t('learning.empty') }),
    ...sections,
    known.length ? make('section', { className: 'learning-group', 'aria-labelledby': 'learning-known', 'data-testid': 'learning-known' }, [
      make('h3', { id: 'learning-known', text: t('learning.known', { n: known.length }) }),
      knownList(app, {
        id: 'learning-known-list',
        onForget: async (k) => {
          await forgetSkill(app, k);
          await rerender();
          document.getElementById('learning-title')?.focus();
        },
      }),
    ]) : null,
  ]);
}
