// One widget's life: configuration → shared reader (engine + on-device profile) → view.
// The same runner works inside the element's shadow root (inline mode) and inside the isolated
// frame; only its two hooks differ (events on the element vs. messages to the host page).
import { createView, styleSheet, uiLanguage } from './view.js';
import { getReader, KINDS } from './reader.js';

export { styleSheet, KINDS };

export const MAX_LIMIT = 20;

/** Checks a configuration object field by field (the frame gets it from the host page). */
export function sanitizeConfig(c) {
  const str = (v, max) => (typeof v === 'string' ? v.slice(0, max) : '');
  const kinds = Array.isArray(c?.kinds) ? KINDS.filter((k) => c.kinds.includes(k)) : [];
  return {
    bundle: str(c?.bundle, 2048),
    integrity: str(c?.integrity, 200),
    topic: str(c?.topic, 500),
    kinds: kinds.length ? kinds : KINDS.slice(),
    limit: Number.isInteger(c?.limit) && c.limit >= 1 && c.limit <= MAX_LIMIT ? c.limit : 5,
    lang: str(c?.lang, 35),
    fallback: c?.fallback === 'none' ? 'none' : 'message',
    theme: ['light', 'dark'].includes(c?.theme) ? c.theme : 'auto',
  };
}

/**
 * hooks: { select({id, kind}), error(code, message, {fatal}) }.
 * Returns { update(config), refuse(config, error), record(activity) → Promise<{events}>, stop(), root }.
 */
export function createRunner(container, hooks, { isolated = false, onRender } = {}) {
  const created = createView(container, { onSelect, onDismiss }, { isolated });
  const view = {
    root: created.root,
    render(state) {
      created.render(state);
      onRender?.();
    },
  };
  let config = null;
  let readerKey = null;
  let pending = null;   // the current reader's ready promise
  let reader = null;
  let unsubscribe = null;
  let seq = 0;
  let stopped = false;
  let reportedTopic = null;

  const state = (extra) => ({
    lang: uiLanguage(config.lang), theme: config.theme, fallback: config.fallback, ...extra,
  });

  function fail(e, fatal = true) {
    hooks.error(e?.code ?? 'engine_load_failed', String(e?.message ?? e), { fatal });
    if (fatal) view.render(state({ status: 'error' }));
  }

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
      const candidate = getReader(config.bundle, config.integrity);
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
      view.render(state({ status: 'error' }));
      return;
    }
    const conceptName = (id) => {
      const c = reader.conceptById.get(id);
      return c ? (lang === 'zh' && c.nameZh ? c.nameZh : c.name) : id;
    };
    try {
      const items = await reader.recommend({ goals, kinds: config.kinds, limit: config.limit });
      if (my !== seq || stopped) return;
      view.render(state({
        status: 'ready',
        items,
        topicName: goals.length ? goals.map(conceptName).join(lang === 'zh' ? '、' : ', ') : '',
        mentorsOnly: config.kinds.length === 1 && config.kinds[0] === 'mentor',
        demo: reader.info?.dataset === 'demo',
        conceptName,
        titleOf: (id) => reader.items.get(id)?.title,
      }));
    } catch (e) {
      if (my === seq && !stopped) fail(e);
    }
  }

  // A failure here names no item: in isolated mode the message goes to the host page.
  const notRecorded = (e) => fail({ code: e?.code, message: 'the reader\'s action could not be recorded on this device' }, false);

  function onSelect(item) {
    hooks.select({ id: item.id, kind: item.kind });
    reader?.record({ type: 'view', item: item.id }).catch(notRecorded);
  }

  function onDismiss(item) {
    reader?.record({ type: 'dismiss', item: item.id }).catch(notRecorded);
  }

  async function record(activity) {
    if (!pending) throw Object.assign(new Error('the widget is not configured yet'), { code: 'invalid_argument' });
    const current = await pending;  // the reader, or its load error
    return current.record(activity);
  }

  /** Shows the fallback for a configuration that must not load (and reports why). */
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
