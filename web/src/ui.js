// Pieces shared by the views: item cards with their "why" and actions, searchable pickers,
// the toast with Undo, and focus handling around re-renders.
import { $, make, nextId } from './dom.js';
import { formatHours, formatList, formatPrice, isZh, kindLabel, languageName, levelLabel, t } from './i18n.js';

// ---------- toast ----------

// Auto-dismissed after a few seconds (longer with Undo). The countdown pauses while the pointer
// is over the toast or focus is in it, so a keyboard user who tabs to Undo keeps it; Escape
// closes it, and Ctrl/Cmd+Z (outside text fields) presses Undo while it is shown.
export const TOAST_MS = 6000;
export const TOAST_UNDO_MS = 10000;
const toastState = { timer: 0, remaining: 0, started: 0, undo: null, wired: false };

function hideToast() {
  const toast = $('toast');
  clearTimeout(toastState.timer);
  toastState.timer = 0;
  toastState.undo = null;
  const hadFocus = toast.contains(document.activeElement);
  toast.hidden = true;
  toast.replaceChildren();
  if (hadFocus) $('main')?.focus();
}

function runToast(ms) {
  clearTimeout(toastState.timer);
  toastState.remaining = ms;
  toastState.started = Date.now();
  toastState.timer = setTimeout(hideToast, ms);
}

function pauseToast() {
  if (!toastState.timer) return;
  clearTimeout(toastState.timer);
  toastState.timer = 0;
  toastState.remaining = Math.max(0, toastState.remaining - (Date.now() - toastState.started));
}

function resumeToast() {
  const toast = $('toast');
  if (toast.hidden || toastState.timer || toast.matches(':hover') || toast.contains(document.activeElement)) return;
  runToast(Math.max(toastState.remaining, 3000)); // time to read it again after looking away
}

function wireToast(toast) {
  if (toastState.wired) return;
  toastState.wired = true;
  toast.addEventListener('pointerenter', pauseToast);
  toast.addEventListener('pointerleave', resumeToast);
  toast.addEventListener('focusin', pauseToast);
  toast.addEventListener('focusout', (event) => {
    if (!toast.contains(event.relatedTarget)) resumeToast();
  });
  toast.addEventListener('keydown', (event) => {
    if (event.key === 'Escape') {
      event.preventDefault();
      hideToast();
    }
  });
  document.addEventListener('keydown', (event) => {
    if (!toastState.undo || toast.hidden || event.key.toLowerCase() !== 'z' || !(event.ctrlKey || event.metaKey) || event.shiftKey || event.altKey) return;
    const target = event.target;
    if (target?.closest?.('input, textarea, select, [contenteditable=""], [contenteditable="true"]')) return;
    event.preventDefault();
    toast.querySelector('.toast__undo')?.click();
  });
}

/** A short status message that goes away by itself; `undo` adds an Undo button (and Ctrl+Z). */
export function showToast(text, { undo } = {}) {
  const toast = $('toast');
  wireToast(toast);
  const hadFocus = toast.contains(document.activeElement);
  const children = [make('span', { className: 'toast__text', text })];
  if (undo) {
    children.push(make('button', {
      type: 'button',
      className: 'link-button toast__undo',
      'data-testid': 'undo',
      'aria-keyshortcuts': 'Control+Z Meta+Z',
      title: t('toast.undoShortcut'),
      text: t('toast.undo'),
      onClick: async () => {
        hideToast();
        await undo();
      },
    }));
  }
  children.push(make('button', {
    type: 'button',
    className: 'toast__close',
    'aria-label': t('toast.dismiss'),
    title: t('toast.dismiss'),
    text: '×',
    onClick: hideToast,
  }));
  toastState.undo = undo ?? null;
  toast.replaceChildren(...children);
  toast.hidden = false;
  toast.dataset.shownAt = String(Date.now());
  runToast(undo ? TOAST_UNDO_MS : TOAST_MS);
  if (hadFocus || toast.matches(':hover')) {
    pauseToast();
    if (hadFocus) (toast.querySelector('.toast__undo') ?? toast.querySelector('.toast__close')).focus();
  }
}

// ---------- focus ----------

/** The focus key (data-fk) of the focused control, to find it again after a re-render. */
export function focusedKey(root) {
  const active = document.activeElement;
  return root.contains(active) ? active?.closest?.('[data-fk]')?.dataset.fk ?? null : null;
}

/** Focuses the control with focus key `key`, else `fallback` (an element or a function). */
export function restoreFocus(root, key, fallback) {
  if (key) {
    const again = root.querySelector(`[data-fk="${CSS.escape(key)}"]`);
    if (again && !again.disabled) {
      again.focus();
      return true;
    }
  }
  const target = typeof fallback === 'function' ? fallback() : fallback;
  if (target) {
    if (target.tabIndex < 0 && !target.hasAttribute('tabindex')) target.tabIndex = -1;
    target.focus();
  }
  return false;
}

/**
 * Runs one learner action from a view: `work()` → {records, message}; then re-renders, keeps focus
 * on the same control (else `fallback()`), and offers Undo for the recorded events.
 */
export async function actThenRender(app, root, work, rerender, fallback) {
  const key = focusedKey(root);
  let result;
  try {
    result = await work();
  } catch (error) {
    showToast(t('toast.failed', { message: error.message }));
    return;
  }
  await rerender();
  restoreFocus(root, key, fallback);
  const undo = async () => {
    await app.undo(result.records);
    showToast(t('toast.undone'));
    await rerender();
    restoreFocus(root, key, () => root.querySelector('h1'));
  };
  showToast(result.message, result.records.length ? { undo } : undefined);
}

// ---------- names ----------

export const conceptLabel = (app, id) => app.conceptName(id, isZh());

export function conceptList(app, ids) {
  return formatList(ids.map((id) => conceptLabel(app, id)));
}

export function itemTitle(app, id) {
  return app.byId.get(id)?.title ?? id;
}

/** One term/value pair of a <dl>. */
export function fact(label, value) {
  return make('div', { className: 'fact' }, [make('dt', { text: label }), make('dd', { text: value })]);
}

// ---------- item card parts ----------

export function kindTag(item) {
  return make('span', { className: `kind kind--${item.kind}`, text: kindLabel(item.kind) });
}

/** Kind badge, price, level, duration and language of an item. */
export function itemMeta(item) {
  const parts = [
    kindTag(item),
    make('span', { className: 'rec__price', text: formatPrice(item) }),
  ];
  if (item.kind !== 'mentor') parts.push(make('span', { className: 'rec__level', text: levelLabel(item.level) }));
  parts.push(make('span', { className: 'rec__hours', text: formatHours(item) }));
  if (item.kind === 'mentor') {
    parts.push(make('span', { className: 'rec__rating', text: item.rating > 0 ? t('mentor.rating', { rating: item.rating.toFixed(1) }) : t('mentor.unrated') }));
    parts.push(make('span', { className: 'rec__lang', text: formatList((item.languages ?? []).map(languageName)) }));
  } else {
    // Said in words and marked when it differs from the interface language ("In Chinese").
    const other = (item.language ?? '').split('-')[0] !== (isZh() ? 'zh' : 'en');
    parts.push(make('span', {
      className: other ? 'rec__lang rec__lang--other' : 'rec__lang',
      'data-lang': item.language,
      text: t('card.language', { language: languageName(item.language) }),
    }));
  }
  return make('p', { className: 'rec__meta' }, parts);
}

/** The sentences that say why an item is recommended (knowledge-graph reasons + "because"). */
export function whyLines(app, rec) {
  const prefs = app.learner.prefs;
  const states = app.learner.itemStates();
  const reasons = rec.reasons ?? [];
  // Concepts the knowledge-graph reasons already name: no need to say them twice.
  const saidGoals = new Set(reasons.filter((r) => r.goal).map((r) => r.goal));
  const saidKnown = new Set(reasons.filter((r) => r.kind === 'you_know').map((r) => r.concept));
  const because = [];
  for (const b of rec.because ?? []) {
    if (b.id === rec.id) continue; // a saved item is "explained" by itself: not worth saying
    if (b.id) {
      const s = states.get(b.id) ?? {};
      const title = itemTitle(app, b.id);
      const key = s.completed ? 'why.becauseCompleted' : s.enrolled ? 'why.becauseEnrolled' : s.booked ? 'why.becauseBooked'
        : s.rating ? 'why.becauseRated' : s.bookmarked ? 'why.becauseSaved' : 'why.becauseLiked';
      because.push({ kind: 'because', text: t(key, { title, rating: s.rating?.rating }) });
    } else if (b.concept) {
      const name = conceptLabel(app, b.concept);
      if (prefs.goals.includes(b.concept)) {
        if (!saidGoals.has(b.concept)) because.push({ kind: 'because', goal: true, text: t('why.becauseGoal', { concept: name }) });
      } else if (!saidKnown.has(b.concept)) because.push({ kind: 'because', known: b.concept, text: t('why.becauseKnow', { concept: name }) });
    }
  }
  const lines = [];
  const steps = new Map(); // goal → concepts it is a prerequisite for
  for (const r of reasons) {
    if (r.kind === 'teaches_goal') lines.push({ kind: 'reason', goal: true, text: t('why.teachesGoal', { goal: conceptLabel(app, r.goal) }) });
    else if (r.kind === 'prerequisite_for_goal') {
      if (!steps.has(r.goal)) steps.set(r.goal, []);
      steps.get(r.goal).push(r.concept);
    } else if (r.kind === 'you_know') lines.push({ kind: 'reason', known: r.concept, text: t('why.youKnow', { concept: conceptLabel(app, r.concept) }) });
    else if (r.kind === 'ready') lines.push({ kind: 'reason', text: t('why.ready') });
    else if (r.kind === 'popular') lines.push({ kind: 'reason', text: t('why.popular') });
  }
  for (const [goal, concepts] of steps) {
    lines.push({ kind: 'reason', goal: true, text: t('why.stepToGoal', { concepts: conceptList(app, concepts), goal: conceptLabel(app, goal) }) });
  }
  // A concept can be both a goal and known: say each sentence once.
  // Goal-related reasons first, then the learner's own items, then "you know …" and the rest.
  const rank = (line) => (line.goal ? 0 : line.kind === 'because' && !line.known ? 1 : line.known ? 2 : 3);
  const all = [...because, ...lines]
    .filter((line, i, list) => list.findIndex((other) => other.text === line.text) === i)
    .map((line, i) => ({ line, i }))
    .sort((a, b) => rank(a.line) - rank(b.line) || a.i - b.i)
    .map(({ line }) => line);
  if (all.length === 0) all.push({ kind: 'reason', text: t('why.taste') });
  return all;
}

/** A known concept named on more cards than this no longer tells the cards apart. */
export const MAX_CARDS_PER_KNOWN_REASON = 2;
const MAX_WHY_LINES = 3;

/**
 * The "why" lines of a whole list at once. A "you know X" reason that would appear on more than
 * MAX_CARDS_PER_KNOWN_REASON cards is taken off the cards (it distinguishes none of them) and
 * returned in `shared`, to be said once above the list; a card keeps it only when it has no other
 * reason. Returns {lines: Map(id → lines), shared: [concept ids]}.
 */
export function pageWhy(app, recs) {
  const lines = new Map(recs.map((rec) => [rec.id, whyLines(app, rec)]));
  const cards = new Map(); // known concept → number of cards naming it
  for (const list of lines.values()) {
    for (const c of new Set(list.filter((l) => l.known).map((l) => l.known))) cards.set(c, (cards.get(c) ?? 0) + 1);
  }
  const shared = [...cards].filter(([, n]) => n > MAX_CARDS_PER_KNOWN_REASON).map(([c]) => c);
  for (const [id, list] of lines) {
    const kept = list.filter((l) => !(l.known && shared.includes(l.known)));
    lines.set(id, (kept.length ? kept : list.slice(0, 1)).slice(0, MAX_WHY_LINES));
  }
  return { lines, shared };
}

export function whyBlock(app, rec, lines = whyLines(app, rec)) {
  return make('div', { className: 'why', 'data-testid': 'why' }, [
    make('p', { className: 'why__label', text: t('why.label') }),
    make('ul', { className: 'why__list' }, lines.map((line) => make('li', { className: `why__${line.kind}`, text: line.text }))),
  ]);
}

// ---------- actions ----------

/**
 * Runs one learner action on `item` and returns {records, message} (records to undo).
 * action: enroll | complete | bookmark | unbookmark | dismiss | undismiss | know | rate | book
 */
export async function perform(app, action, item, value) {
  const title = item.title;
  const states = app.learner.itemStates();
  switch (action) {
    case 'enroll': return { records: [await app.act('enroll', { item: item.id })], message: t('toast.enrolled', { title }) };
    case 'complete': return { records: [await app.act('complete', { item: item.id })], message: t('toast.completed', { title }) };
    case 'bookmark': return { records: [await app.act('bookmark', { item: item.id })], message: t('toast.saved', { title }) };
    case 'dismiss': return { records: [await app.act('dismiss', { item: item.id })], message: t('toast.dismissed', { title }) };
    case 'book': return { records: [await app.act('mentor_booked', { item: item.id })], message: t('toast.booked', { title }) };
    case 'rate': {
      const type = item.kind === 'mentor' ? 'mentor_rated' : 'rate';
      return { records: [await app.act(type, { item: item.id, rating: value })], message: t('toast.rated', { title, rating: value }) };
    }
    case 'know': {
      const records = await app.knowItem(item);
      return { records, message: t('toast.known', { concepts: conceptList(app, item.teaches) }) };
    }
    case 'unbookmark': {
      const s = states.get(item.id);
      const ids = app.learner.events().filter((e) => e.item === item.id && e.type === 'bookmark').map((e) => e.id);
      if (s?.bookmarked) await app.undo(ids.map((id) => ({ id })));
      return { records: [], message: t('toast.unsaved', { title }) };
    }
    case 'undismiss': {
      const ids = app.learner.events().filter((e) => e.item === item.id && e.type === 'dismiss').map((e) => e.id);
      await app.undo(ids.map((id) => ({ id })));
      return { records: [], message: t('toast.undismissed', { title }) };
    }
    default: throw new Error(`unknown action ${action}`);
  }
}

/**
 * The action buttons of an item card. `run(action, item, value)` performs and re-renders.
 * `which` limits the set (default: everything that applies to the item's kind and state).
 */
export function actionBar(app, item, run, { which, titleId, scope = 'item' } = {}) {
  const state = app.learner.itemStates().get(item.id) ?? {};
  const mentor = item.kind === 'mentor';
  const all = mentor ? ['book', 'bookmark', 'dismiss', 'rate'] : ['enroll', 'complete', 'bookmark', 'know', 'dismiss', 'rate'];
  const list = (which ?? all).filter((a) => all.includes(a) || a === 'undismiss' || a === 'unbookmark');
  const buttons = [];
  const key = (action) => `${scope}:${item.id}:${action}`;
  const button = (action, label, extra = {}) => make('button', {
    type: 'button',
    className: `action action--${action}`,
    'data-action': action,
    'data-fk': key(action),
    'aria-describedby': titleId,
    text: label,
    onClick: () => run(action, item),
    ...extra,
  });
  for (const action of list) {
    if (action === 'enroll') buttons.push(button('enroll', t('action.enroll'), { className: 'action action--primary', disabled: Boolean(state.enrolled) }));
    else if (action === 'complete') buttons.push(button('complete', t('action.complete'), { disabled: Boolean(state.completed) }));
    else if (action === 'book') buttons.push(button('book', t('action.book'), { className: 'action action--primary' }));
    else if (action === 'bookmark' || action === 'unbookmark') {
      const saved = Boolean(state.bookmarked);
      buttons.push(button(saved ? 'unbookmark' : 'bookmark', saved ? t('action.saved') : t('action.save'), {
        'aria-pressed': String(saved),
        'data-fk': key('bookmark'),
        onClick: () => run(saved ? 'unbookmark' : 'bookmark', item),
      }));
    } else if (action === 'know') {
      if (item.teaches.length > 0) buttons.push(button('know', t('action.know')));
    } else if (action === 'dismiss') buttons.push(button('dismiss', t('action.dismiss')));
    else if (action === 'undismiss') buttons.push(button('undismiss', t('action.undismiss')));
    else if (action === 'rate') buttons.push(rateSelect(item, state, run, key('rate'), titleId));
  }
  return make('div', { className: 'actions', role: 'group', 'aria-label': t('action.groupLabel', { title: item.title }) }, buttons);
}

function rateSelect(item, state, run, fk, titleId) {
  const id = nextId('rate');
  const current = state.rating?.rating;
  const select = make('select', { id, className: 'rate', 'data-fk': fk, 'data-action': 'rate', 'aria-describedby': titleId }, [
    make('option', { value: '', text: current ? t('action.rated', { rating: current }) : t('action.rate') }),
    ...[5, 4, 3, 2, 1].map((n) => make('option', { value: String(n), text: t('action.stars', { n }) })),
  ]);
  select.addEventListener('change', () => {
    const n = Number(select.value);
    if (n >= 1 && n <= 5) run('rate', item, n);
  });
  return make('span', { className: 'rate-wrap' }, [
    make('label', { for: id, className: 'visually-hidden', text: t('action.rateLabel', { title: item.title }) }),
    select,
  ]);
}

/** A recommendation card: title, meta, why, actions. */
export function itemCard(app, rec, run, { testid = 'rec-item', which, headingLevel = 'h3', showWhy = true, why } = {}) {
  const item = app.byId.get(rec.id) ?? app.items[rec.index];
  const titleId = nextId('title');
  return make('li', { className: `rec rec--${item.kind}`, 'data-testid': testid, dataset: { id: item.id, kind: item.kind } }, [
    make(headingLevel, { className: 'rec__title', id: titleId, tabindex: '-1', 'data-fk': `title:${item.id}`, text: item.title }),
    itemMeta(item),
    showWhy ? whyBlock(app, rec, why) : null,
    run ? actionBar(app, item, run, { which, titleId }) : null,
  ]);
}

// ---------- searchable pickers ----------

/**
 * A search box with a list of toggle buttons under it (catalog items or concepts).
 * options: {id, label, hint, placeholder, testid, resultTestid, search(query) → {matches,total},
 *           isPicked(x), toggle(x), title(x), extra(x), emptyQuery(query) → string}
 */
export function searchPicker(opts) {
  const input = make('input', {
    id: opts.id,
    className: 'search__input',
    type: 'search',
    autocomplete: 'off',
    spellcheck: 'false',
    placeholder: opts.placeholder,
    'aria-describedby': `${opts.id}-status`,
    'aria-controls': `${opts.id}-results`,
    'data-testid': opts.testid,
    'data-fk': `${opts.id}-input`,
  });
  const status = make('p', { id: `${opts.id}-status`, className: 'search__status', 'aria-live': 'polite' });
  const results = make('ul', { id: `${opts.id}-results`, className: 'results', 'aria-label': opts.resultsLabel });

  const renderResults = () => {
    const query = input.value.trim();
    const { matches, total } = opts.search(query);
    results.replaceChildren(...matches.map((x) => {
      const picked = opts.isPicked(x);
      const b = make('button', {
        type: 'button',
        className: 'result',
        'aria-pressed': String(picked),
        'data-testid': opts.resultTestid,
        'data-fk': `${opts.id}:${x.id}`,
        dataset: { id: x.id },
        onClick: async () => {
          await opts.toggle(x);
          // Re-render, keeping focus on whichever result has it now (keys may have moved it on).
          const focused = results.contains(document.activeElement) ? document.activeElement.dataset.id : null;
          renderResults();
          if (focused) results.querySelector(`[data-id="${CSS.escape(focused)}"]`)?.focus();
        },
      }, [
        make('span', { className: 'result__check', 'aria-hidden': 'true', text: picked ? '✓' : '+' }),
        make('span', { className: 'result__title', text: opts.title(x) }),
        opts.extra ? opts.extra(x) : null,
      ]);
      return make('li', {}, [b]);
    }));
    status.textContent = opts.statusText(query, matches.length, total);
  };
  input.addEventListener('input', renderResults);
  input.addEventListener('keydown', (event) => {
    if (event.key === 'ArrowDown') {
      const first = results.querySelector('button.result');
      if (first) {
        event.preventDefault();
        first.focus();
      }
    } else if (event.key === 'Escape' && input.value) {
      event.preventDefault();
      input.value = '';
      renderResults();
    }
  });
  results.addEventListener('keydown', (event) => {
    const buttons = [...results.querySelectorAll('button.result')];
    const i = buttons.indexOf(document.activeElement);
    if (i < 0) return;
    let next = null;
    if (event.key === 'ArrowDown') next = buttons[i + 1] ?? buttons[i];
    else if (event.key === 'ArrowUp') next = i === 0 ? input : buttons[i - 1];
    else if (event.key === 'Home') next = buttons[0];
    else if (event.key === 'End') next = buttons[buttons.length - 1];
    else if (event.key === 'Escape') next = input;
    if (next) {
      event.preventDefault();
      next.focus();
    }
  });
  renderResults();
  return {
    node: make('div', { className: 'search' }, [
      make('label', { for: opts.id, className: 'search__label', text: opts.label }),
      opts.hint ? make('p', { className: 'search__hint', text: opts.hint }) : null,
      input, status, results,
    ]),
    input,
    refresh: renderResults,
  };
}

/** Chips for picked things, each with a remove button; focus moves sensibly on removal. */
export function chipList({ id, label, items, title, onRemove, testid, empty, fallbackFocus }) {
  const list = make('ul', { id, className: 'chips', 'aria-label': label });
  list.append(...items.map((x, position) => make('li', { className: 'chip', 'data-testid': testid, dataset: { id: x.id } }, [
    make('span', { className: 'chip__title', title: title(x), text: title(x) }),
    make('button', {
      type: 'button',
      className: 'chip__remove',
      'aria-label': t('chip.remove', { title: title(x) }),
      title: t('chip.removeShort'),
      'data-fk': `${id}:remove:${position}`,
      text: '×',
      onClick: () => onRemove(x, position),
    }),
  ])));
  return make('div', { className: 'chip-block' }, [
    items.length === 0 ? make('p', { className: 'picked__empty', text: empty }) : null,
    list,
  ]);
}

/** After a chip removal at `position`, the chip now at that position (or the previous one). */
export function focusChipAfterRemoval(root, id, position, fallback) {
  const removes = root.querySelectorAll(`#${CSS.escape(id)} .chip__remove`);
  const target = removes[Math.min(position, removes.length - 1)];
  (target ?? fallback)?.focus();
}
