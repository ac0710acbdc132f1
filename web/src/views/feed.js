// The personal feed: mixed kinds with price, level and duration, why each item is there, and the
// actions that re-rank on the device at once (addEvent, then recommend — no reload).
import { make } from '../dom.js';
import { formatList, t } from '../i18n.js';
import { actThenRender, actionBar, conceptList, focusedKey, itemCard, itemMeta, pageWhy, perform, restoreFocus } from '../ui.js';
import { deviceNote } from './profile.js';

const KINDS = ['course', 'ebook', 'consultation', 'membership', 'mentor'];
const view = { kind: 'all', k: 10, seq: 0 };

export async function render(app, root, { isNew, keepFocus } = {}) {
  if (isNew) view.k = 10;
  const focusKey = keepFocus ? focusedKey(root) : null;
  const seq = ++view.seq;
  let feed;
  let error = null;
  try {
    feed = await app.feed({ k: view.k, kinds: view.kind === 'all' ? undefined : [view.kind] });
  } catch (e) {
    error = e;
    feed = { items: [], fallback: false };
  }
  if (seq !== view.seq) return; // a newer render is on its way

  const run = (action, item, value) => {
    const cards = [...root.querySelectorAll('[data-testid="rec-item"]')];
    const position = cards.findIndex((card) => card.dataset.id === item.id);
    // When the item leaves the feed, focus goes to the card now in its place.
    const inItsPlace = () => {
      const titles = root.querySelectorAll('[data-testid="rec-item"] .rec__title');
      return titles[Math.max(0, Math.min(position, titles.length - 1))] ?? root.querySelector('h1');
    };
    return actThenRender(app, root, () => perform(app, action, item, value), () => render(app, root, {}), inItsPlace);
  };

  const prefs = app.learner.prefs;
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
  const summary = prefs.goals.length
    ? (events === 0 ? t('feed.summaryGoalsNew', { goals: conceptList(app, prefs.goals) }) : t('feed.summaryGoals', { goals: conceptList(app, prefs.goals), events }))
    : (events === 0 ? t('feed.summaryNew') : t('feed.summaryNoGoals', { events }));

  const why = pageWhy(app, feed.items);
  const list = make('ol', { id: 'recs-list', className: 'rec-list' }, feed.items.map((rec) => itemCard(app, rec, run, { why: why.lines.get(rec.id) })));
  const empty = feed.items.length === 0 && !error
    ? make('p', { className: 'recs__empty', text: view.kind === 'all' ? t('feed.empty') : t('feed.emptyKind') })
    : null;
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
        titles[view.k - 10]?.focus();
      },
    })
    : null;

  const main = make('section', {
    className: 'panel recs',
    id: 'recommendations',
    'data-testid': 'recommendations',
    'aria-labelledby': 'feed-title',
    'aria-busy': 'false',
    dataset: { basedOn: String(app.learner.events().length), goals: String(prefs.goals.length) },
  }, [
    make('div', { className: 'recs__header' }, [make('h1', { id: 'feed-title', text: t('feed.title') }), deviceNote()]),
    make('p', { className: 'recs__summary', 'data-testid': 'feed-summary' }, [
      summary, ' ', make('a', { href: '#/profile', text: t('feed.changeGoals') }),
    ]),
    feed.fallback ? make('p', { className: 'hint', text: t('feed.fallback') }) : null,
    why.shared.length ? make('p', { className: 'feed-shared', 'data-testid': 'feed-shared-reason', text: t('feed.sharedKnown', { concepts: conceptList(app, why.shared) }) }) : null,
    filter,
    error ? make('p', { className: 'recs__error', role: 'alert', text: t('feed.error', { message: error.message, code: error.code ?? 'error' }) }) : null,
    empty,
    list,
    more,
  ]);

  root.replaceChildren(make('div', { className: 'layout layout--feed' }, [main, myLearning(app, run)]));
  if (focusKey) restoreFocus(root, focusKey, null);
}

/** What the learner has going on: in progress, saved, done, mentors booked, hidden. */
function myLearning(app, run) {
  const states = app.learner.itemStates();
  const groups = { enrolled: [], saved: [], completed: [], booked: [], hidden: [] };
  for (const [id, s] of states) {
    const item = app.byId.get(id);
    if (!item) continue;
    const mentor = item.kind === 'mentor';
    if (s.dismissed) groups.hidden.push(item);
    else if (s.completed || (s.rating && !mentor && !s.enrolled)) groups.completed.push(item);
    else if (s.enrolled) groups.enrolled.push(item);
    else if (s.booked || (s.rating && mentor)) groups.booked.push(item);
    else if (s.bookmarked) groups.saved.push(item);
  }
  const actions = {
    enrolled: ['complete', 'rate'],
    saved: ['enroll', 'book', 'unbookmark'],
    completed: ['rate'],
    booked: ['rate'],
    hidden: ['undismiss'],
  };
  const known = [...app.learner.knownConcepts()];
  const sections = Object.entries(groups).map(([group, items]) => {
    if (items.length === 0) return null;
    const headingId = `learning-${group}`;
    return make('section', { className: 'learning-group', 'aria-labelledby': headingId, 'data-testid': `learning-${group}` }, [
      make('h3', { id: headingId, text: t(`learning.${group}`, { n: items.length }) }),
      make('ul', { className: 'mini-list' }, items.map((item) => {
        const titleId = `learning-${group}-${item.id}`;
        return make('li', { className: 'mini', dataset: { id: item.id } }, [
          make('p', { className: 'mini__title', id: titleId, text: item.title }),
          itemMeta(item),
          actionBar(app, item, run, { which: actions[group], titleId, scope: `learning-${group}` }),
        ]);
      })),
    ]);
  });
  const any = sections.some(Boolean);
  return make('aside', { className: 'panel learning', 'aria-labelledby': 'learning-title', 'data-testid': 'my-learning' }, [
    make('h2', { id: 'learning-title', text: t('learning.title') }),
    any ? null : make('p', { className: 'hint', text: t('learning.empty') }),
    ...sections,
    known.length ? make('section', { className: 'learning-group', 'aria-labelledby': 'learning-known' }, [
      make('h3', { id: 'learning-known', text: t('learning.known', { n: known.length }) }),
      make('p', { className: 'hint', text: formatList(known.map((c) => app.conceptName(c, app.getLocale() === 'zh-CN'))) }),
    ]) : null,
  ]);
}
