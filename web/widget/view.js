// The widget's user interface: styles, English and Simplified Chinese strings, and a renderer
// that builds the list with DOM calls only (no innerHTML: catalog text can never become markup).
// Used twice: inside the element's shadow root (inline mode) and inside the isolated frame.
// Styles are a constructable stylesheet (adoptedStyleSheets), which a strict Content Security
// Policy allows without 'unsafe-inline' (a <style> element would need it). Why an item is shown is
// the engine's first reason, said in the app's words (web/shared/wording.js).
import { offeringSentence, reasonData, reasonSentence } from '../shared/wording.js';
import { formatList } from '../shared/lists.js';

/**
 * @typedef {import('../../wasm/pathlight').Reason} Reason
 * @typedef {import('../../wasm/pathlight').CatalogItem} CatalogItem
 * @typedef {CatalogItem & {reasons?: Reason[], otherLanguage?: string,
 *   booking?: import('../../wasm/pathlight').Offering | null, priceUnit?: import('../../wasm/pathlight').PriceUnit}} ShownItem
 *   (booking: a mentor's offering as the engine would book it — mentors() and recommend(), `booking`;
 *   priceUnit: what its price is per, the engine's info.priceUnits)
 * @typedef {typeof STRINGS.en} Strings
 * @typedef {{status: 'loading' | 'ready' | 'error', lang: 'en' | 'zh', theme?: string, fallback?: string, unknownTopic?: boolean,
 *   topicName?: string, goals?: string[], mentorsOnly?: boolean, demo?: boolean, items?: ShownItem[],
 *   conceptName?: (id: string) => string, titleOf?: (id: string) => string, ratingMax?: number}} ViewState
 */

const CSS = `
.root {
  all: initial;
  --_bg: var(--pathlight-bg, #ffffff);
  --_fg: var(--pathlight-fg, #1f2328);
  --_muted: var(--pathlight-muted, #59636e);
  --_accent: var(--pathlight-accent, #0b62d6);
  --_border: var(--pathlight-border, #d1d9e0);
  --_item-bg: var(--pathlight-item-bg, #f6f8fa);
  --_focus: var(--pathlight-focus, var(--_accent));
  display: block;
  box-sizing: border-box;
  max-width: 100%;
  min-width: 0;
  padding: var(--pathlight-padding, 12px);
  border: 1px solid var(--_border);
  border-radius: var(--pathlight-radius, 10px);
  background: var(--_bg);
  color: var(--_fg);
  font-family: var(--pathlight-font-family, system-ui, -apple-system, "Segoe UI", Roboto, "Noto Sans",
    "PingFang SC", "Microsoft YaHei", sans-serif);
  font-size: var(--pathlight-font-size, 15px);
  line-height: 1.45;
  text-align: start;
  overflow-wrap: anywhere;
}
.root[data-theme="dark"] {
  --_bg: var(--pathlight-bg, #16191f);
  --_fg: var(--pathlight-fg, #e6edf3);
  --_muted: var(--pathlight-muted, #9ba7b4);
  --_accent: var(--pathlight-accent, #5aa2ff);
  --_border: var(--pathlight-border, #3a424d);
  --_item-bg: var(--pathlight-item-bg, #20252d);
}
@media (prefers-color-scheme: dark) {
  .root[data-theme="auto"] {
    --_bg: var(--pathlight-bg, #16191f);
    --_fg: var(--pathlight-fg, #e6edf3);
    --_muted: var(--pathlight-muted, #9ba7b4);
    --_accent: var(--pathlight-accent, #5aa2ff);
    --_border: var(--pathlight-border, #3a424d);
    --_item-bg: var(--pathlight-item-bg, #20252d);
  }
}
.root[hidden], .root [hidden] { display: none !important; }
.root *, .root *::before, .root *::after { box-sizing: border-box; }
.title {
  margin: 0 0 0.55em;
  font-size: 1.07em;
  font-weight: 650;
  line-height: 1.3;
  color: var(--_fg);
}
.list { list-style: none; margin: 0; padding: 0; display: grid; gap: 0.5em; }
.item {
  display: flex;
  align-items: stretch;
  min-width: 0;
  border: 1px solid var(--_border);
  border-radius: calc(var(--pathlight-radius, 10px) - 3px);
  background: var(--_item-bg);
}
.pick, .dismiss {
  font: inherit;
  color: inherit;
  background: none;
  border: 0;
  margin: 0;
  cursor: pointer;
  -webkit-appearance: none;
  appearance: none;
}
.pick {
  flex: 1 1 auto;
  min-width: 0;
  display: grid;
  gap: 0.15em;
  padding: 0.55em 0.7em;
  text-align: start;
  border-radius: inherit;
}
.pick:hover .item-title { text-decoration: underline; }
.dismiss {
  flex: 0 0 auto;
  min-width: 2.4em;
  padding: 0 0.6em;
  color: var(--_muted);
  font-size: 1.05em;
  border-radius: inherit;
}
.dismiss:hover { color: var(--_fg); }
.pick:focus-visible, .dismiss:focus-visible {
  outline: 2px solid var(--_focus);
  outline-offset: -2px;
}
.kind {
  justify-self: start;
  font-size: 0.76em;
  font-weight: 600;
  letter-spacing: 0.02em;
  text-transform: uppercase;
  color: var(--_accent);
}
.item-title { font-weight: 600; color: var(--_fg); }
.head { display: flex; flex-wrap: wrap; align-items: baseline; gap: 0 0.5em; min-width: 0; }
.language {
  font-size: 0.76em;
  font-weight: 600;
  padding: 0 0.4em;
  border: 1px solid var(--_border);
  border-radius: 4px;
  color: var(--_muted);
}
.meta, .reason { font-size: 0.85em; color: var(--_muted); }
.footer, .status, .fallback { margin: 0.6em 0 0; font-size: 0.8em; color: var(--_muted); }
.status, .fallback { margin: 0; }
/* Isolated mode: the frame's height must not depend on which items it shows (the host sees it),
   so every card has the same height at a given width: room for the kind line, a title of up to 2
   lines, the meta line and a reason of up to 2 lines (3 in a column narrower than 22em, where
   reasons wrap more). Lines a card lacks are not reserved as blank rows: its content is spread
   over the card (space-between), and the title and reason wrap instead of being cut to one line. */
.root[data-isolated] { container-type: inline-size; }
.root[data-isolated] .pick {
  --_reason-lines: 2;
  display: flex;
  flex-direction: column;
  justify-content: space-between;
  height: calc(1.1em + 3 * 0.15em + 1.45em + 2 * 1.45em + 0.85em * 1.45 * (1 + var(--_reason-lines)));
  overflow: hidden;
}
.root[data-isolated] .head, .root[data-isolated] .meta {
  flex: none;
  white-space: nowrap;
  overflow: hidden;
  text-overflow: ellipsis;
}
.root[data-isolated] .head { flex-wrap: nowrap; }
/* The meta line gives way before the rating: the offering is shortened ("…"), "★ 4.8" never. */
.root[data-isolated] .meta { display: flex; }
.root[data-isolated] .meta-main { min-width: 0; overflow: hidden; text-overflow: ellipsis; }
.root[data-isolated] .meta-sep, .root[data-isolated] .rating { flex: none; white-space: pre; }
/* Inline too: "★ 4.8" wraps as one piece, never between the star and the number. */
.rating { white-space: nowrap; }
.root[data-isolated] .item-title, .root[data-isolated] .reason {
  flex: none;
  display: -webkit-box;
  -webkit-box-orient: vertical;
  -webkit-line-clamp: 2;
  overflow: hidden;
}
.root[data-isolated] .reason { -webkit-line-clamp: var(--_reason-lines); }
@container (max-width: 22em) {
  .root[data-isolated] .pick { --_reason-lines: 3; }
}
.demo {
  display: inline-block;
  margin-inline-start: 0.4em;
  padding: 0 0.4em;
  border: 1px solid var(--_border);
  border-radius: 4px;
}
`;

/** @type {CSSStyleSheet | null} */
let sheet = null;
/** The widget's stylesheet (one per realm, shared by every widget in it). */
export function styleSheet() {
  if (!sheet) {
    sheet = new CSSStyleSheet();
    sheet.replaceSync(CSS);
  }
  return sheet;
}

const STRINGS = {
  en: {
    heading: 'What to learn next',
    headingTopic: 'Next steps: {topic}',
    headingMentors: 'Mentors',
    headingMentorsTopic: 'Mentors for {topic}',
    loading: 'Finding suggestions…',
    fallback: 'Suggestions are not available right now.',
    unknownTopic: 'Nothing in this catalog matches this topic.',
    empty: 'Nothing new to suggest yet.',
    kinds: { course: 'Course', ebook: 'E-book', consultation: 'Consultation', membership: 'Membership', mentor: 'Mentor' },
    levels: { beginner: 'Beginner', intermediate: 'Intermediate', advanced: 'Advanced', all: 'All levels' },
    free: 'Free',
    perHour: '/h',
    perMonth: '/mo',
    noBooking: 'No open session or seat',
    hours: '{n} h',
    rating: '★ {n}',
    dismiss: 'Not interested: {title}',
    footer: 'Personalized on your device — nothing about you leaves it.',
    demo: 'Demo data',
  },
  zh: {
    heading: '接下来学什么',
    headingTopic: '下一步：{topic}',
    headingMentors: '导师推荐',
    headingMentorsTopic: '{topic} 导师',
    loading: '正在生成推荐…',
    fallback: '暂时无法显示推荐。',
    unknownTopic: '目录中没有与这个主题相关的内容。',
    empty: '暂无新的推荐。',
    kinds: { course: '课程', ebook: '电子书', consultation: '咨询', membership: '会员', mentor: '导师' },
    levels: { beginner: '入门', intermediate: '中级', advanced: '高级', all: '所有水平' },
    free: '免费',
    perHour: '/小时',
    perMonth: '/月',
    noBooking: '暂无可预约的课时或席位',
    hours: '{n} 小时',
    rating: '★ {n}',
    dismiss: '不感兴趣：{title}',
    footer: '在你的设备上个性化计算，你的数据不会离开设备。',
    demo: '演示数据',
  },
};

/** 'zh' for Chinese tags (zh, zh-CN, zh-Hans, …), 'en' for everything else. @param {string | undefined} tag @returns {'en' | 'zh'} */
export function uiLanguage(tag) {
  return /^zh\b/i.test(tag || '') ? 'zh' : 'en';
}

/** @param {string} template @param {Record<string, string>} values */
function fill(template, values) {
  return template.replace(/\{(\w+)\}/g, (_, k) => (values[k] ?? ''));
}

/**
 * @template {keyof HTMLElementTagNameMap} K
 * @param {K} tag @param {string} cls @param {string} part @param {string} [text]
 * @returns {HTMLElementTagNameMap[K]}
 */
function h(tag, cls, part, text) {
  const node = document.createElement(tag);
  if (cls) node.className = cls;
  if (part) node.setAttribute('part', part);
  if (text !== undefined) node.textContent = text;
  return node;
}

/** @type {Map<string, Intl.NumberFormat>} */
const numberFormats = new Map();
/** @param {string} lang @param {number} n @param {Intl.NumberFormatOptions} options */
function formatNumber(lang, n, options) {
  const key = `${lang}|${JSON.stringify(options)}`;
  let f = numberFormats.get(key);
  if (!f) {
    try {
      f = new Intl.NumberFormat(lang === 'zh' ? 'zh-CN' : 'en', options);
    } catch {
      f = new Intl.NumberFormat(lang === 'zh' ? 'zh-CN' : 'en', { maximumFractionDigits: 1 });
    }
    numberFormats.set(key, f);
  }
  return f.format(n);
}

/** @param {Strings} t @param {string} lang @param {ShownItem} item */
function priceText(t, lang, item) {
  if (typeof item.price !== 'number') return '';
  if (item.price === 0) return t.free;
  const amount = formatNumber(lang, item.price, {
    style: 'currency', currency: /^[A-Z]{3}$/.test(item.currency || '') ? item.currency : 'USD',
    maximumFractionDigits: item.price % 1 ? 2 : 0,
  });
  const unit = item.priceUnit === 'hour' ? t.perHour : item.priceUnit === 'month' ? t.perMonth : '';
  return amount + unit;
}

/**
 * The card's meta line: `main` (price or offering, hours, level) and, for a mentor, `rating`
 * ("★ 4.8"), kept apart so a narrow card shortens `main` and never the rating.
 * @param {Strings} t @param {string} lang @param {ShownItem} item
 * @returns {{main: string, rating: string}}
 */
function metaText(t, lang, item) {
  // A mentor: the offering the engine would book ("Group · 3 of 6 seats open · $25 per seat").
  const booking = item.booking;
  const money = (/** @type {number} */ amount, /** @type {string} */ currency) => priceText(t, lang, { ...item, priceUnit: 'once', price: amount, currency });
  // A mentor the engine would book nothing of (booking null; the widget sets no budget, so no
  // open offering): never its hourly price as if it could be booked.
  const parts = [booking ? offeringSentence(booking, lang, money)
    : booking === null && item.kind === 'mentor' ? t.noBooking : priceText(t, lang, item)];
  let rating = '';
  if (item.kind === 'mentor') {
    if ((item.rating ?? 0) > 0) rating = fill(t.rating, { n: formatNumber(lang, item.rating ?? 0, { maximumFractionDigits: 1 }) });
  } else {
    // Hours are the item's length only when its price is for taking it once (the engine's
    // info.priceUnits); a session's or a month's hours are not shown on the compact card.
    if (item.hours !== null && item.hours > 0 && (item.priceUnit ?? 'once') === 'once') {
      parts.push(fill(t.hours, { n: formatNumber(lang, item.hours, { maximumFractionDigits: 1 }) }));
    }
    if (t.levels[item.level]) parts.push(t.levels[item.level]);
  }
  return { main: parts.filter(Boolean).join(' · '), rating };
}

/**
 * The engine's first reason for an item (it orders them for display), in words, with its data.
 * @param {Strings} t  the strings of the language
 * @param {string} lang
 * @param {{reasons?: Reason[]}} item
 * @param {ViewState} state
 * @returns {{text: string, data: Record<string, string>}}
 */
function reasonOf(t, lang, item, state) {
  const r = (item.reasons || [])[0];
  if (!r) return { text: '', data: {} };
  const text = reasonSentence(r, lang, {
    concept: state.conceptName ?? ((id) => id),
    title: state.titleOf ?? ((id) => id),
    level: (level) => t.levels[level] ?? level,
    language: (code) => languageName(lang, code),
    list: (parts) => formatList(listLocale(lang), parts),
    ratingMax: state.ratingMax ?? 5,
    number: (n) => formatNumber(lang, n, { maximumFractionDigits: 1 }),
    goalsChosen: false,  // the page topic's next steps and the reader's history's, not goals they picked
  });
  return { text, data: reasonData(r) };
}

/** The locale lists are joined in for a widget language ('en' | 'zh'). @param {string} lang */
export function listLocale(lang) {
  return lang === 'zh' ? 'zh-CN' : 'en';
}

/** @param {string} lang @param {string} code */
function languageName(lang, code) {
  try {
    return new Intl.DisplayNames([lang === 'zh' ? 'zh-CN' : 'en'], { type: 'language' }).of(code) ?? code;
  } catch {
    return code;
  }
}

/**
 * Builds the widget UI inside `container` (a ShadowRoot or an element).
 * handlers: { onSelect(item), onDismiss(item) }. isolated: fixed-height cards (see the frame).
 * Returns { render(state) } where state is
 *   { status: 'loading' | 'ready' | 'error', lang, theme: 'auto'|'light'|'dark', fallback: 'message'|'none',
 *     topicName?, mentorsOnly?, demo?, items?: [{id, kind, title, price, currency, level, hours, rating?,
 *     reasons?}], goals?, conceptName(id), titleOf(id), ratingMax? } (ViewState).
 * @param {ShadowRoot | HTMLElement} container
 * @param {{onSelect(item: ShownItem): void, onDismiss(item: ShownItem): void}} handlers
 * @param {{isolated?: boolean}} [options]
 */
export function createView(container, handlers, { isolated = false } = {}) {
  const root = h('section', 'root', 'container');
  if (isolated) root.dataset.isolated = '';
  root.setAttribute('data-theme', 'auto');
  const title = h('h2', 'title', 'title');
  title.id = 'pathlight-title';
  title.tabIndex = -1;
  root.setAttribute('aria-labelledby', 'pathlight-title');
  const status = h('p', 'status', 'status');
  status.setAttribute('role', 'status');
  const list = h('ul', 'list', 'list');
  const footer = h('p', 'footer', 'footer');
  root.append(title, status, list, footer);
  container.append(root);
  /** @type {ShownItem[]} */
  let current = [];
  /** @type {{id?: string, index?: number} | null} */
  let focusAfterRender = null;

  list.addEventListener('click', (event) => {
    const button = /** @type {Element} */ (event.target).closest?.('button');
    const li = /** @type {HTMLElement | null | undefined} */ (button?.closest('li'));
    if (!li) return;
    const item = current.find((it) => it.id === li.dataset.id);
    if (!item) return;
    if (button?.classList.contains('dismiss')) {
      const buttons = [...list.querySelectorAll('.pick')];
      focusAfterRender = { index: Math.max(0, buttons.indexOf(/** @type {Element} */ (li.querySelector('.pick')))) };
      handlers.onDismiss(item);
    } else {
      focusAfterRender = { id: item.id };
      handlers.onSelect(item);
    }
  });
  // Arrow keys move between suggestions (Tab still visits every button).
  list.addEventListener('keydown', (event) => {
    if (event.key !== 'ArrowDown' && event.key !== 'ArrowUp') return;
    const picks = /** @type {HTMLElement[]} */ ([...list.querySelectorAll('.pick')]);
    const at = picks.indexOf(/** @type {HTMLElement} */ (/** @type {Element} */ (event.target).closest('li')?.querySelector('.pick')));
    if (at < 0) return;
    const next = picks[at + (event.key === 'ArrowDown' ? 1 : -1)];
    if (next) {
      next.focus();
      event.preventDefault();
    }
  });
  /** @param {ViewState} state */
  function render(state) {
    const t = STRINGS[state.lang] || STRINGS.en;
    root.setAttribute('data-theme', state.theme || 'auto');
    root.lang = state.lang === 'zh' ? 'zh-CN' : 'en';
    const hide = state.status === 'error' && state.fallback === 'none';
    root.hidden = hide;
    root.setAttribute('aria-busy', String(state.status === 'loading'));
    root.dataset.state = state.status;
    const heading = state.mentorsOnly
      ? (state.topicName ? fill(t.headingMentorsTopic, { topic: state.topicName }) : t.headingMentors)
      : (state.topicName ? fill(t.headingTopic, { topic: state.topicName }) : t.heading);
    title.textContent = heading;
    title.dataset.goals = (state.goals ?? []).join(' ');
    status.className = state.status === 'error' ? 'fallback' : 'status';
    status.setAttribute('part', state.status === 'error' ? 'fallback' : 'status');
    const items = state.status === 'ready' ? state.items || [] : [];
    status.textContent = state.status === 'loading' ? t.loading
      : state.status === 'error' ? (state.unknownTopic ? t.unknownTopic : t.fallback)
        : items.length === 0 ? t.empty : '';
    status.hidden = status.textContent === '';

    const active = /** @type {Document | ShadowRoot} */ (root.getRootNode()).activeElement;
    const hadFocus = Boolean(active && root.contains(active));
    current = items;
    list.replaceChildren(...items.map((item) => {
      const li = h('li', 'item', 'item');
      li.dataset.id = item.id;
      li.dataset.item = item.id;
      li.dataset.kind = item.kind;
      const pick = h('button', 'pick', 'item-button');
      pick.type = 'button';
      const head = h('span', 'head', '');
      head.append(h('span', 'kind', 'kind', t.kinds[item.kind] || item.kind));
      const itemTitle = h('span', 'item-title', 'item-title', item.title);
      if (item.otherLanguage) {
        // The engine says the item is not in the page's language: the card says which it is.
        const mark = h('span', 'language', 'language', languageName(state.lang, item.otherLanguage));
        mark.dataset.lang = item.otherLanguage;
        head.append(mark);
        if (item.kind !== 'mentor') itemTitle.lang = item.otherLanguage;
      }
      pick.append(head, itemTitle);
      const meta = metaText(t, state.lang, item);
      const reason = reasonOf(t, state.lang, item, state);
      // Isolated: every card has the same height whatever it holds (see the styles).
      if (meta.main || meta.rating) {
        const line = h('span', 'meta', 'meta');
        if (meta.main) line.append(h('span', 'meta-main', '', meta.main));
        if (meta.main && meta.rating) line.append(h('span', 'meta-sep', '', ' · '));
        if (meta.rating) line.append(h('span', 'rating', '', meta.rating));
        pick.append(line);
      }
      if (reason.text) {
        const line = h('span', 'reason', 'reason', reason.text);
        Object.assign(line.dataset, reason.data);
        pick.append(line);
      }
      const dismiss = h('button', 'dismiss', 'dismiss', '✕');
      dismiss.type = 'button';
      dismiss.setAttribute('aria-label', fill(t.dismiss, { title: item.title }));
      dismiss.title = fill(t.dismiss, { title: item.title });
      li.append(pick, dismiss);
      return li;
    }));
    list.hidden = items.length === 0;

    footer.replaceChildren(t.footer);
    if (state.demo) footer.append(h('span', 'demo', 'demo', t.demo));
    footer.hidden = state.status !== 'ready';

    if (focusAfterRender && state.status !== 'loading') {
      const want = focusAfterRender;
      focusAfterRender = null;
      if (hadFocus) {
        const picks = /** @type {HTMLElement[]} */ ([...list.querySelectorAll('.pick')]);
        const target = want.id !== undefined
          ? picks.find((p) => p.parentElement?.dataset.id === want.id)
          : picks[Math.min(want.index ?? 0, picks.length - 1)];
        (target || title).focus?.();
      }
    }
  }
  return { root, render };
}
