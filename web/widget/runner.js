// One widget's life: configuration → shared reader (engine + on-device profile) → view.
// The same runner works inside the element's shadow root (inline mode) and inside the isolated
// frame; only its two hooks differ (events on the element vs. messages to the host page).
import { createView, listLocale, styleSheet, uiLanguage } from './view.js';
import { formatList } from '../shared/lists.js';
import { getReader, KINDS } from './reader.js';

/**
 * @typedef {{bundle: string, integrity: string, topic: string, kinds: import('../../wasm/pathlight').ItemKind[],
 *   limit: number, lang: string, pageLang: string, contentLang: string, fallback: 'message' | 'none',
 *   theme: 'auto' | 'light' | 'dark', mode?: string}} Config
 * lang: the interface language ('en' or 'zh-CN'); pageLang: the page's BCP-47 language (cards in
 * another language are marked); contentLang: the content-language filter ('' = every language).
 * @typedef {{select(detail: {id: string, kind: string}): void,
 *   error(code: string, message: string, options?: {fatal?: boolean, element?: boolean}): void}} Hooks
 */

export { styleSheet, KINDS };

export const MAX_LIMIT = 20;

/**
 * Checks a configuration object field by field (the frame gets it from the host page).
 * @param {any} c
 * @returns {Config}
 */
export function sanitizeConfig(c) {
  const str = (/** @type {unknown} */ v, /** @type {number} */ max) => (typeof v === 'string' ? v.slice(0, max) : '');
  const kinds = Array.isArray(c?.kinds) ? KINDS.filter((k) => c.kinds.includes(k)) : [];
  return {
    bundle: str(c?.bundle, 2048),
    integrity: str(c?.integrity, 200),
    topic: str(c?.topic, 500),
    kinds: kinds.length ? kinds : KINDS.slice(),
    limit: Number.isInteger(c?.limit) && c.limit >= 1 && c.limit <= MAX_LIMIT ? c.limit : 5,
    lang: str(c?.lang, 35),
    pageLang: str(c?.pageLang, 35),
    contentLang: str(c?.contentLang, 35),
    fallback: c?.fallback === 'none' ? 'none' : 'message',
    theme: ['light', 'dark'].includes(c?.theme) ? c.theme : 'auto',
  };
}

/**
 * hooks: { select({id, kind}), error(code, message, {fatal}) }. engineUrl: the engine module
 * (…/engine/pathlight.js, resolved against the widget's own script).
 * Returns { update(config), refuse(config, error), record(activity) → Promise<{events}>, stop(), root }.
 * @param {ShadowRoot | HTMLElement} container
 * @param {Hooks} hooks
 * @param {{isolated?: boolean, onRender?: () => void, engineUrl: string}} options
 */
export function createRunner(container, hooks, { isolated = false, onRender, engineUrl }) {
  const created = createView(container, { onSelect, onDismiss }, { isolated });
  const view = {
    root: created.root,
    /** @param {any} state */
    render(state) {
      created.render(state);
      onRender?.();
    },
  };
  /** @type {Config} */
  let config = sanitizeConfig({});
  /** @type {string | null} */
  let readerKey = null;
  /** @type {Promise<any> | null} */
  let pending = null;   // the current reader's ready promise
  /** @type {any} */
  let reader = null;
  /** @type {(() => void) | null} */
  let unsubscribe = null;
  let seq = 0;
  let stopped = false;
  /** @type {string | null} */
  let reportedTopic = null;

  const state = (/** @type {object} */ extra) => ({
    lang: uiLanguage(config.lang), theme: config.theme, fallback: config.fallback, ...extra,
  });

  /** @param {any} e */
  function fail(e, fatal = true) {
    hooks.error(e?.code ?? 'engine_load_failed', String(e?.message ?? e), { fatal });
    if (fatal) view.render(state({ status: 'error' }));
  }

  /** @param {Config} next */
  async function update(next) {
    config = next;
    const key = `${config.bundle}\n${config.integrity}`;
    if (key !== readerKey) {
      unsubscribe?.();
      unsubscribe = null;
      reader = null;
      readerKey = key;
      reportedTopic = null;
      view.render(state({ status: 'loading' }));
      const candidate = getReader(config.bundle, config.integrity, engineUrl);
      pending = candidate.ready;
      try {
        await candidate.ready;
      } catch (e) {
        if (readerKey === key && !stopped) fail(e);
        return;
      }
      if (readerKey !== key || stopped) return;
      reader = candidate;
      unsubscribe = reader.subscribe(refresh);
    }
    await refresh();
  }

  async function refresh() {
    if (!reader || stopped) return;
    const my = ++seq;
    const lang = uiLanguage(config.lang);
    const goals = reader.topicConcepts(config.topic);
    if (config.topic.trim() && goals.length === 0) {
      if (reportedTopic !== config.topic) {
        reportedTopic = config.topic;
        hooks.error('unknown_id', `topic "${config.topic}" matches no concept in this bundle's knowledge graph`, { fatal: false });
      }
      view.render(state({ status: 'error', unknownTopic: true }));
      return;
    }
    const conceptName = (/** @type {string} */ id) => {
      const c = reader.conceptById.get(id);
      return c ? (lang === 'zh' && c.nameZh ? c.nameZh : c.name) : id;
    };
    try {
      const result = await reader.recommend({ goals, kinds: config.kinds, limit: config.limit, contentLang: config.contentLang, pageLang: config.pageLang });
      if (my !== seq || stopped) return;
      // The heading follows the list: it names the goals the engine says this list serves.
      const heading = result.goalsServed;
      view.render(state({
        status: 'ready',
        items: result.items,
        goals: heading,
        topicName: formatList(listLocale(lang), heading.map(conceptName)),
        mentorsOnly: config.kinds.length === 1 && config.kinds[0] === 'mentor',
        demo: reader.info?.dataset === 'demo',
        conceptName,
        titleOf: (/** @type {string} */ id) => reader.items.get(id)?.title ?? id,
        ratingMax: reader.info?.ratingScale?.[1] ?? 5,
      }));
    } catch (e) {
      if (my === seq && !stopped) fail(e);
    }
  }

  // A failure here names no item: in isolated mode the message goes to the host page.
  const notRecorded = (/** @type {any} */ e) => fail({ code: e?.code, message: 'the reader\'s action could not be recorded on this device' }, false);

  /** @param {{id: string, kind: string}} item */
  function onSelect(item) {
    hooks.select({ id: item.id, kind: item.kind });
    reader?.record({ type: 'view', item: item.id }).catch(notRecorded);
  }

  /** @param {{id: string}} item */
  function onDismiss(item) {
    reader?.record({ type: 'dismiss', item: item.id }).catch(notRecorded);
  }

  /** @param {unknown} activity */
  async function record(activity) {
    if (!pending) throw Object.assign(new Error('the widget is not configured yet'), { code: 'invalid_argument' });
    const current = await pending;  // the reader, or its load error
    return current.record(activity);
  }

  /**
   * Shows the fallback for a configuration that must not load (and reports why).
   * @param {Config} next @param {{code: string, message: string}} error
   */
  function refuse(next, error) {
    config = next;
    unsubscribe?.();
    unsubscribe = null;
    reader = null;
    readerKey = null;
    pending = Promise.reject(error);
    pending.catch(() => {});
    fail(error);
  }

  function stop() {
    stopped = true;
    unsubscribe?.();
    view.root.remove();
  }

  return { update, refuse, record, stop, root: view.root };
}
