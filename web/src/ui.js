// Pieces shared by the views: item cards with their "why" and actions, searchable pickers,
// the toast with Undo, and focus handling around re-renders.
import { $, make, nextId } from './dom.js';
import { formatHours, formatList, formatMoney, formatNumber, formatPrice, getLocale, isZh, kindLabel, languageName, levelLabel, t } from './i18n.js';
import { offeringSentence, reasonData, reasonSentence, sharedSentence } from '../shared/wording.js';

/**
 * @typedef {import('./app.js').App} App
 * @typedef {import('../../wasm/pathlight').CatalogItem} CatalogItem
 * @typedef {import('../../wasm/pathlight').Reason} Reason
 * @typedef {import('../../wasm/pathlight').Offering} Offering
 * @typedef {import('../../wasm/pathlight').KnownConcept} KnownConcept
 */

// ---------- toast ----------

// Auto-dismissed after a few seconds (longer with Undo). The countdown pauses while the pointer
// is over the toast or focus is in it, so a keyboard user who tabs to Undo keeps it; Escape
// closes it, and Ctrl/Cmd+Z (outside text fields) presses Undo while it is shown.
export const TOAST_MS = 6000;
export const TOAST_UNDO_MS = 10000;
/** @type {{timer: number, remaining: number, started: number, undo: (() => Promise<void>) | null, wired: boolean}} */
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

/** @param {number} ms */
function runToast(ms) {
  clearTimeout(toastState.timer);
  toastState.remaining = ms;
  toastState.started = Date.now();
  toastState.timer = window.setTimeout(hideToast, ms);
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

/** @param {HTMLElement} toast */
function wireToast(toast) {
  if (toastState.wired) return;
  toastState.wired = true;
  toast.addEventListener('pointerenter', pauseToast);
  toast.addEventListener('pointerleave', resumeToast);
  toast.addEventListener('focusin', pauseToast);
  toast.addEventListener('focusout', (event) => {
    if (!toast.contains(/** @type {Node | null} */ (event.relatedTarget))) resumeToast();
  });
  toast.addEventListener('keydown', (event) => {
    if (event.key === 'Escape') {
      event.preventDefault();
      hideToast();
    }
  });
  document.addEventListener('keydown', (event) => {
    if (!toastState.undo || toast.hidden || event.key.toLowerCase() !== 'z' || !(event.ctrlKey || event.metaKey) || event.shiftKey || event.altKey) return;
    const target = /** @type {Element | null} */ (event.target);
    if (target?.closest?.('input, textarea, select, [contenteditable=""], [contenteditable="true"]')) return;
    event.preventDefault();
    /** @type {HTMLElement | null} */ (toast.querySelector('.toast__undo'))?.click();
  });
}

// What a toast reports on: the card (or list entry) around the control the learner used.
const TOAST_ANCHOR_CARD = '.rec, .step, .mentor, .mini, .known, .result, .chip, .data-action, .mentor-box';
// Controls a toast never covers, whatever it reports (the path drawing's zoom controls): marked
// data-toast-clear by their view.
const TOAST_CLEAR = '[data-toast-clear]';

/**
 * Keeps the toast off what it reports on and off the controls marked data-toast-clear: at the
 * bottom, else at the top, where it covers none of them — the card around `anchor` (the focused
 * control when the toast appears), `anchor` itself and the marked controls; failing that, where it
 * covers neither the card nor the control; then where it leaves the control itself visible. When
 * no edge does (a viewport shorter than two toasts), the control is scrolled to the middle.
 * @param {HTMLElement} toast
 * @param {Element | null} anchor
 */
function placeToast(toast, anchor) {
  toast.classList.remove('toast--top');
  const covers = (/** @type {Element} */ el) => {
    const a = toast.getBoundingClientRect();
    const b = el.getBoundingClientRect();
    return b.width > 0 && b.height > 0 && a.top < b.bottom && b.top < a.bottom && a.left < b.right && b.left < a.right;
  };
  const clear = [...document.querySelectorAll(TOAST_CLEAR)];
  // Only a control or a card is reported on; focus parked on the page or a panel is not.
  const reported = anchor && anchor.isConnected && !toast.contains(anchor) && anchor.closest('#main') && !anchor.matches('#main, .view, .panel');
  const card = reported ? anchor.closest(TOAST_ANCHOR_CARD) : null;
  const own = !reported ? [] : card && card !== anchor ? [card, anchor] : [anchor];
  const tiers = reported ? [[...own, ...clear], own, [anchor]] : [clear];
  for (const tier of tiers) {
    for (const top of [false, true]) {
      toast.classList.toggle('toast--top', top);
      if (!tier.some(covers)) return;
    }
  }
  toast.classList.remove('toast--top');
  if (reported && anchor.getBoundingClientRect().height < window.innerHeight / 2) anchor.scrollIntoView({ block: 'center' });
}

/**
 * A toast belongs to the view it reports on: called when the learner moves to view `route`, this
 * closes a toast shown on another view (with its Undo; the action stays in My learning and the
 * privacy centre), so it neither follows them nor covers the next view.
 * @param {string} route
 */
export function toastLeavesView(route) {
  const toast = $('toast');
  if (!toast.hidden && toast.dataset.view !== route) hideToast();
}

/**
 * A short status message that goes away by itself; `undo` adds an Undo button (and Ctrl+Z).
 * It never covers what it reports on: `anchor` (default: the focused control) — see placeToast.
 * It belongs to `view` (default: the view shown now; the view an action takes the learner to when
 * it navigates) and closes when the learner leaves it (toastLeavesView).
 * @param {string} text
 * @param {{undo?: () => Promise<void>, anchor?: Element | null, view?: string}} [options]
 */
export function showToast(text, { undo, anchor = document.activeElement, view = document.documentElement.dataset.view ?? '' } = {}) {
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
  placeToast(toast, anchor);
  toast.dataset.shownAt = String(Date.now());
  toast.dataset.view = view;
  runToast(undo ? TOAST_UNDO_MS : TOAST_MS);
  if (hadFocus || toast.matches(':hover')) {
    pauseToast();
    if (hadFocus) /** @type {HTMLElement | null} */ (toast.querySelector('.toast__undo') ?? toast.querySelector('.toast__close'))?.focus();
  }
}

// ---------- focus ----------

/** The focus key (data-fk) of the focused control, to find it again after a re-render. @param {Element} root */
export function focusedKey(root) {
  const active = document.activeElement;
  return active && root.contains(active) ? /** @type {HTMLElement | null} */ (active.closest('[data-fk]'))?.dataset.fk ?? null : null;
}

/**
 * Focuses the control with focus key `key`; where it is gone (an action that removed its own
 * button), the nearest element whose key is a prefix of it ("step:docker:enroll" → "step:docker":
 * the step it belonged to), so that the learner stays where they were; else `fallback` (an element
 * or a function).
 * @param {ParentNode} root
 * @param {string | null} key
 * @param {HTMLElement | null | (() => HTMLElement | null)} fallback
 */
export function restoreFocus(root, key, fallback) {
  for (let k = key; k; k = k.includes(':') ? k.slice(0, k.lastIndexOf(':')) : null) {
    const again = /** @type {HTMLElement & {disabled?: boolean} | null} */ (root.querySelector(`[data-fk="${CSS.escape(k)}"]`));
    if (again && !again.disabled) {
      again.focus();
      return k === key;
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
 * @param {App} app
 * @param {HTMLElement} root
 * @param {() => Promise<{records: {id: string}[], message: string}>} work
 * @param {() => Promise<void>} rerender
 * @param {() => HTMLElement | null} fallback
 */
export async function actThenRender(app, root, work, rerender, fallback) {
  const key = focusedKey(root);
  let result;
  try {
    result = await work();
  } catch (error) {
    showToast(t('toast.failed', { message: /** @type {Error} */ (error).message }));
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

/** A concept's name in the interface language. @param {App} app @param {string} id */
export const conceptLabel = (app, id) => app.conceptName(id, isZh());

/** @param {App} app @param {string[]} ids */
export function conceptList(app, ids) {
  return formatList(ids.map((id) => conceptLabel(app, id)));
}

/** @param {App} app @param {string} id */
export function itemTitle(app, id) {
  return app.byId.get(id)?.title ?? id;
}

/** One term/value pair of a <dl>. @param {string} label @param {string} value */
export function fact(label, value) {
  return make('div', { className: 'fact' }, [make('dt', { text: label }), make('dd', { text: value })]);
}

// ---------- item card parts ----------

/**
 * The learner's "auto" content language in words: the catalog language matching the interface
 * ("Chinese (as the interface)"), or, when the catalog has none, what auto then means ("Any
 * language — no Chinese in this catalog"). One label for the settings and the privacy centre.
 * @param {import('./app.js').App} app
 */
export function autoLanguageLabel(app) {
  const language = app.uiContentLanguage();
  return language ? t('language.auto', { language: languageName(language) }) : t('language.autoMissing', { language: languageName(app.getLocale()) });
}

/** A data set's name in the interface language ("Demo (fictional catalog)"), or its id. @param {string | null} id */
export function datasetLabel(id) {
  const key = `dataset.${id ?? ''}`;
  return t(key) === key ? id ?? '' : t(key);
}

/** @param {CatalogItem} item */
export function kindTag(item) {
  return make('span', { className: `kind kind--${item.kind}`, text: kindLabel(item.kind) });
}

/**
 * Kind badge, price, level, duration and language of an item. A mentor in an engine's list comes
 * with `booking` (recommend() and learner(): the offering the learner would book, or null when none is open within
 * the budget): its words are the mentor's price ("Group · 3 of 6 seats open · $22.00 per seat").
 * The unit beside a price is the engine's (info.priceUnits).
 * @param {App} app
 * @param {CatalogItem} item
 * @param {Offering | null} [booking]
 */
export function itemMeta(app, item, booking) {
  const unit = app.info?.priceUnits[item.kind];
  const price = item.kind === 'mentor' && booking !== undefined
    ? (booking ? offeringSentence(booking, getLocale(), formatMoney) : t('mentor.noBooking'))
    : formatPrice(item, unit);
  const parts = [
    kindTag(item),
    make('span', { className: 'rec__price', text: price }),
  ];
  if (item.kind !== 'mentor') parts.push(make('span', { className: 'rec__level', text: levelLabel(item.level) }));
  parts.push(make('span', { className: 'rec__hours', text: formatHours(item, unit) }));
  if (item.kind === 'mentor') {
    const rating = item.rating ?? 0;
    parts.push(make('span', { className: 'rec__rating', text: rating > 0 ? t('mentor.rating', { rating: rating.toFixed(1) }) : t('mentor.unrated') }));
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

/**
 * How the shared wording (web/shared/wording.js) names things here: concepts and items from the
 * catalog, in the interface language.
 * @param {App} app
 * @returns {import('../shared/wording.js').Names}
 */
export function names(app) {
  return {
    concept: (id) => conceptLabel(app, id),
    title: (id) => itemTitle(app, id),
    level: (level) => levelLabel(level),
    language: (code) => languageName(code),
    list: (parts) => formatList(parts),
    ratingMax: app.ratingScale[1],
    number: (n) => formatNumber(n),
    goalsChosen: true,  // the goals the learner picked in Goals & settings
  };
}

/**
 * One reason as a list line: the engine's claim in words, carrying the claim's data
 * (data-reason-kind, data-goal, data-concept, data-item, data-via, …; wording.js reasonData).
 * @param {App} app
 * @param {Reason} reason
 * @param {{shared?: boolean, tag?: string}} [options]
 */
export function reasonLine(app, reason, { shared = false, tag = 'li' } = {}) {
  const text = shared ? sharedSentence(reason, getLocale(), names(app)) : reasonSentence(reason, getLocale(), names(app));
  return make(/** @type {'li' | 'p' | 'span'} */ (tag), { className: `why__reason why__reason--${reason.kind}`, 'data-testid': 'reason', dataset: reasonData(reason), text });
}

/**
 * "Why this": the engine's reasons in the engine's order (it orders and limits them for display).
 * @param {App} app
 * @param {Reason[]} reasons
 * @param {string} [label]
 */
export function whyBlock(app, reasons, label = t('why.label')) {
  if (!reasons.length) return null;
  return make('div', { className: 'why', 'data-testid': 'why' }, [
    make('p', { className: 'why__label', text: label }),
    make('ul', { className: 'why__list' }, reasons.map((r) => reasonLine(app, r))),
  ]);
}

/**
 * Reasons said once above a list (the engine's `sharedReasons`).
 * @param {App} app
 * @param {Reason[]} shared
 */
export function sharedReasons(app, shared) {
  if (!shared.length) return null;
  return make('ul', { className: 'feed-shared plain-list', 'data-testid': 'feed-shared-reasons' },
    shared.map((r) => reasonLine(app, r, { shared: true })));
}

// ---------- actions ----------

/** The event types each undo action removes (every live one of them on the item). */
const UNDO = {
  unenroll: ['enroll'],
  uncomplete: ['complete'],
  unbookmark: ['bookmark'],
  undismiss: ['dismiss'],
  unrate: ['rate', 'mentor_rated'],
  unbook: ['mentor_booked'],
};

/**
 * What the learner has recorded on an item, read from the event log (for the controls' state:
 * "Saved ✓", "Rated 4/5", which undo buttons apply). Facts of the log, not product rules.
 * @param {App} app
 * @param {string} id
 */
export function recorded(app, id) {
  const has = (/** @type {string[]} */ types) => app.learner.eventsOn(id, types).length > 0;
  return {
    enrolled: has(['enroll']),
    completed: has(['complete']),
    bookmarked: has(['bookmark']),
    dismissed: has(['dismiss']),
    rated: has(['rate', 'mentor_rated']),
    booked: has(['mentor_booked']),
    /** The engine's latest rating of the item (learner().items). */
    rating: app.summary?.items.find((i) => i.id === id)?.rating,
  };
}

/**
 * Runs one learner action on `item` and returns {records, message} (records the toast can undo).
 * action: enroll | complete | bookmark | dismiss | know | rate | book, or an undo of what was
 * recorded (unenroll | uncomplete | unbookmark | undismiss | unrate | unbook): any event can be
 * taken back at any time, not only from the toast.
 * @param {App} app
 * @param {string} action
 * @param {CatalogItem} item
 * @param {number} [value]
 * @returns {Promise<{records: {id: string}[], message: string}>}
 */
export async function perform(app, action, item, value) {
  const title = item.title;
  switch (action) {
    case 'enroll': return { records: [await app.act('enroll', { item: item.id })], message: t('toast.enrolled', { title }) };
    case 'complete': return { records: [await app.act('complete', { item: item.id })], message: t('toast.completed', { title }) };
    case 'bookmark': return { records: [await app.act('bookmark', { item: item.id })], message: t('toast.saved', { title }) };
    case 'dismiss': return { records: [await app.act('dismiss', { item: item.id })], message: t('toast.dismissed', { title }) };
    case 'book': return { records: [await app.act('mentor_booked', { item: item.id })], message: t('toast.booked', { title }) };
    case 'rate': {
      const type = item.kind === 'mentor' ? 'mentor_rated' : 'rate';
      const records = [await app.act(type, { item: item.id, rating: value })];
      // The engine may now count it as done (a rating without enrolling: learner()'s group
      // "completed"); the toast says so only when it does.
      const done = item.kind !== 'mentor' && app.summary?.items.some((i) => i.id === item.id && i.group === 'completed');
      return { records, message: t(done ? 'toast.ratedDone' : 'toast.rated', { title, rating: value, max: app.ratingScale[1] }) };
    }
    case 'know': {
      const records = await app.knowItem(item);
      return { records, message: t('toast.known', { concepts: conceptList(app, item.teaches) }) };
    }
    default: {
      const types = UNDO[/** @type {keyof typeof UNDO} */ (action)];
      if (!types) throw new Error(`unknown action ${action}`);
      await app.undo(app.learner.eventsOn(item.id, types));
      return { records: [], message: t(`toast.${action}`, { title }) };
    }
  }
}

/**
 * The action buttons of an item card. `run(action, item, value)` performs and re-renders.
 * `which` limits the set (default: everything that applies to the item's kind and state).
 * @param {App} app
 * @param {CatalogItem} item
 * @param {(action: string, item: CatalogItem, value?: number) => unknown} run
 * @param {{which?: string[], titleId?: string, scope?: string}} [options]
 */
export function actionBar(app, item, run, { which, titleId, scope = 'item' } = {}) {
  const state = recorded(app, item.id);
  const mentor = item.kind === 'mentor';
  const all = mentor ? ['book', 'bookmark', 'dismiss', 'rate'] : ['enroll', 'complete', 'bookmark', 'know', 'dismiss', 'rate'];
  const list = (which ?? all).filter((a) => all.includes(a) || a in UNDO);
  /** @type {HTMLElement[]} */
  const buttons = [];
  const key = (/** @type {string} */ action) => `${scope}:${item.id}:${action}`;
  const button = (/** @type {string} */ action, /** @type {string} */ label, extra = {}) => make('button', {
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
    if (action === 'enroll') buttons.push(button('enroll', t('action.enroll'), { className: 'action action--primary', disabled: state.enrolled }));
    else if (action === 'complete') buttons.push(button('complete', t('action.complete'), { disabled: state.completed }));
    else if (action === 'book') buttons.push(button('book', t('action.book'), { className: 'action action--primary' }));
    else if (action === 'bookmark' || action === 'unbookmark') {
      const saved = state.bookmarked;
      buttons.push(button(saved ? 'unbookmark' : 'bookmark', saved ? t('action.saved') : t('action.save'), {
        'aria-pressed': String(saved),
        'data-fk': key('bookmark'),
        onClick: () => run(saved ? 'unbookmark' : 'bookmark', item),
      }));
    } else if (action === 'know') {
      if (item.teaches.length > 0) buttons.push(button('know', t('action.know')));
    } else if (action === 'dismiss') buttons.push(button('dismiss', t('action.dismiss')));
    else if (action === 'rate') buttons.push(rateSelect(app, item, state.rating, run, key('rate'), titleId));
    else if (action in UNDO) {
      // Only what is recorded can be taken back.
      const applies = { unenroll: state.enrolled, uncomplete: state.completed, undismiss: state.dismissed, unrate: state.rated, unbook: state.booked }[action];
      if (applies) buttons.push(button(action, t(`action.${action}`)));
    }
  }
  return make('div', { className: 'actions', role: 'group', 'aria-label': t('action.groupLabel', { title: item.title }) }, buttons);
}

/**
 * The rating control, on the bundle's own rating scale (info.ratingScale) and grid (info.ratingChoices), highest first.
 * @param {App} app @param {CatalogItem} item @param {number | undefined} current
 * @param {(action: string, item: CatalogItem, value?: number) => unknown} run @param {string} fk @param {string | undefined} titleId
 */
function rateSelect(app, item, current, run, fk, titleId) {
  const id = nextId('rate');
  const [min, max] = app.ratingScale;
  // The engine's choices on the bundle's grid (half stars on a 0.5-step scale), highest first.
  const values = [...app.ratingChoices].reverse();
  const select = make('select', { id, className: 'rate', 'data-fk': fk, 'data-action': 'rate', 'aria-describedby': titleId, 'data-scale': `${min} ${max}` }, [
    make('option', { value: '', text: current ? t('action.rated', { rating: formatNumber(current), max }) : t('action.rate') }),
    ...values.map((n) => make('option', { value: String(n), text: t('action.stars', { n, max }) })),
  ]);
  select.addEventListener('change', () => {
    const n = Number(select.value);
    if (values.includes(n)) run('rate', item, n);
  });
  return make('span', { className: 'rate-wrap' }, [
    make('label', { for: id, className: 'visually-hidden', text: t('action.rateLabel', { title: item.title }) }),
    select,
  ]);
}

/**
 * A recommendation card: title, meta, the engine's reasons, actions.
 * @param {App} app
 * @param {{id: string, index?: number, reasons?: Reason[], booking?: Offering | null}} rec
 * @param {((action: string, item: CatalogItem, value?: number) => unknown) | null} run
 * @param {{testid?: string, which?: string[], headingLevel?: string, showWhy?: boolean}} [options]
 */
export function itemCard(app, rec, run, { testid = 'rec-item', which, headingLevel = 'h3', showWhy = true } = {}) {
  const item = /** @type {CatalogItem} */ (app.byId.get(rec.id) ?? app.items[rec.index ?? -1]);
  const titleId = nextId('title');
  return make('li', { className: `rec rec--${item.kind}`, 'data-testid': testid, dataset: { id: item.id, kind: item.kind, item: item.id } }, [
    make(/** @type {'h2' | 'h3'} */ (headingLevel), { className: 'rec__title', id: titleId, tabindex: '-1', 'data-fk': `title:${item.id}`, text: item.title }),
    itemMeta(app, item, rec.booking),
    showWhy ? whyBlock(app, rec.reasons ?? []) : null,
    run ? actionBar(app, item, run, { which, titleId }) : null,
  ]);
}

// ---------- known skills ----------

/**
 * Why the engine counts a concept as known, in words ("You completed …", "Needed for …").
 * @param {App} app
 * @param {KnownConcept} k
 */
export function knownWhy(app, k) {
  if (k.via === 'stated') return t('known.stated');
  if (k.via === 'event') return t('known.event');
  if (k.via === 'completed') {
    const titles = (/** @type {string[]} */ ids) => formatList(ids.map((id) => `“${itemTitle(app, id)}”`));
    const parts = [];
    if (k.completed.length > 0) parts.push(t('known.completed', { titles: titles(k.completed) }));
    if (k.rated.length > 0) parts.push(t('known.rated', { titles: titles(k.rated) }));
    return parts.join('; ');
  }
  return t('known.prerequisite', { concepts: conceptList(app, k.impliedBy) });
}

/**
 * The known skills, the same list everywhere (Goals & settings, My learning, the privacy centre):
 * the engine's learner().known, each with why it is known, and "Forget" where the engine can forget
 * it (forgetConcept); where it cannot, the reason says why.
 * @param {App} app
 * @param {{id: string, onForget: (k: KnownConcept, position: number) => unknown, empty?: string, headingLevel?: string}} options
 */
export function knownList(app, { id, onForget, empty = t('known.none') }) {
  const known = app.summary?.known ?? [];
  if (known.length === 0) return make('p', { className: 'hint', 'data-testid': 'known-empty', text: empty });
  return make('ul', { id, className: 'known-list', 'data-testid': 'known-list', 'aria-label': t('known.label', { n: known.length }) }, known.map((k, position) => {
    const name = conceptLabel(app, k.id);
    return make('li', { className: `known known--${k.via}`, 'data-testid': 'known-skill', dataset: { concept: k.id, via: k.via, forgettable: String(k.forgettable) } }, [
      make('span', { className: 'known__name', text: name }),
      make('span', { className: 'known__why', text: knownWhy(app, k) }),
      k.forgettable ? make('button', {
        type: 'button',
        className: 'link-button known__forget',
        'data-fk': `${id}:forget:${k.id}`,
        'aria-label': t('known.forgetLabel', { concept: name }),
        text: t('known.forget'),
        onClick: () => onForget(k, position),
      }) : null,
    ]);
  }));
}

/**
 * Forgets a known skill through the engine and says what happened (still known, and why).
 * @param {App} app
 * @param {KnownConcept} k
 */
export async function forgetSkill(app, k) {
  const name = conceptLabel(app, k.id);
  try {
    const result = await app.forget(k.id);
    const still = result.stillKnown ? app.summary?.known.find((x) => x.id === k.id) : null;
    showToast(still ? t('toast.forgotStill', { concept: name, why: knownWhy(app, still) }) : t('toast.forgot', { concept: name }));
  } catch (error) {
    showToast(t('toast.failed', { message: /** @type {Error} */ (error).message }));
  }
}

// ---------- searchable pickers ----------

/**
 * A search box with a list of toggle buttons under it (catalog items or concepts).
 * @template {{id: string}} X
 * @param {{id: string, label: string, hint?: string, placeholder: string, resultsLabel: string, testid: string,
 *   resultTestid: string, search: (query: string) => {matches: X[], total: number}, isPicked: (x: X) => boolean,
 *   toggle: (x: X) => Promise<void>, title: (x: X) => string, extra?: (x: X) => Node,
 *   statusText: (query: string, shown: number, total: number) => string}} opts
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
          const active = /** @type {HTMLElement | null} */ (document.activeElement);
          const focused = active && results.contains(active) ? active.dataset.id : null;
          renderResults();
          if (focused) /** @type {HTMLElement | null} */ (results.querySelector(`[data-id="${CSS.escape(focused)}"]`))?.focus();
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
      const first = /** @type {HTMLElement | null} */ (results.querySelector('button.result'));
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
    const buttons = /** @type {HTMLElement[]} */ ([...results.querySelectorAll('button.result')]);
    const i = buttons.indexOf(/** @type {HTMLElement} */ (document.activeElement));
    if (i < 0) return;
    /** @type {HTMLElement | null} */
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

/**
 * Chips for picked things, each with a remove button; focus moves sensibly on removal.
 * @template {{id: string}} X
 * @param {{id: string, label: string, items: X[], title: (x: X) => string, onRemove: (x: X, position: number) => unknown,
 *   testid: string, empty: string}} options
 */
export function chipList({ id, label, items, title, onRemove, testid, empty }) {
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

/**
 * After a removal at `position` in the list with id `id`, focuses the remove control now at that
 * position (or the previous one), else `fallback`.
 * @param {ParentNode} root @param {string} id @param {number} position @param {HTMLElement | null | undefined} fallback
 */
export function focusChipAfterRemoval(root, id, position, fallback, selector = '.chip__remove') {
  const removes = root.querySelectorAll(`#${CSS.escape(id)} ${selector}`);
  const target = /** @type {HTMLElement | undefined} */ (removes[Math.min(position, removes.length - 1)]);
  (target ?? fallback)?.focus();
}
