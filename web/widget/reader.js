// The reader: one learner session per bundle, shared by every widget in this document.
// Owns the engine (createPathlight from the engine folder beside the widget, loaded at runtime)
// and keeps the reader's events in the learner store shared with the app (web/shared/store.js:
// event records with ids, tombstones, IndexedDB under this document's origin or memory), scope
// "widget:<manifest URL>". Widgets are linked in this page directly, and in other tabs or frames of
// the same origin (and storage partition) through the store's BroadcastChannel, which carries
// event records — never a whole profile. Every product question (what to show, why, which
// concepts come next, whether an event is valid) goes to the engine. Nothing here sends anything
// over the network; the only requests are the engine's GETs for static files.
import { Learner, Store, newEventId } from '../shared/store.js';
import { serialQueue } from '../shared/serial.js';

/**
 * @typedef {import('../../wasm/pathlight').Pathlight} Pathlight
 * @typedef {import('../../wasm/pathlight').CatalogItem} CatalogItem
 * @typedef {import('../../wasm/pathlight').Concept} Concept
 * @typedef {import('../../wasm/pathlight').ItemKind} ItemKind
 * @typedef {import('../../wasm/pathlight').Recommendation} Recommendation
 * @typedef {import('../../wasm/pathlight').GoalState} GoalState
 * @typedef {import('../../wasm/pathlight').LearnerEvent} LearnerEvent
 * @typedef {{code: string, message: string}} CodedError
 * @typedef {CatalogItem & {reasons: import('../../wasm/pathlight').Reason[], otherLanguage?: string,
 *   booking?: import('../../wasm/pathlight').Offering | null, priceUnit?: import('../../wasm/pathlight').PriceUnit}} ShownItem
 */

export const KINDS = /** @type {ItemKind[]} */ (['course', 'ebook', 'consultation', 'membership', 'mentor']);
const MAX_INTERESTS = 3;

/** An Error with a Pathlight error code (the engine's PathlightError when it made it). */
export class WidgetError extends Error {
  /** @param {string} code @param {string} message */
  constructor(code, message) {
    super(message);
    this.name = 'PathlightError';
    this.code = code;
  }
}

/** @type {Map<string, Reader>} */
const readers = new Map();
/** @type {Promise<Store> | null} */
let storePromise = null;

/** The learner store of this document (one for every reader in it). */
function sharedStore() {
  if (!storePromise) {
    const store = new Store({
      onNotice: (kind) => {
        if (kind) console.info(`[pathlight-recs] storage is not available here (${kind}); the reader's history lasts for this page view only`);
      },
    });
    storePromise = store.open().then(() => store);
  }
  return storePromise;
}

/**
 * The shared reader for a bundle (absolute manifest URL) and pin. A failed load is forgotten.
 * @param {string} manifestUrl
 * @param {string} integrity
 * @param {string} engineUrl  the engine module (…/engine/pathlight.js beside the widget)
 */
export function getReader(manifestUrl, integrity, engineUrl) {
  const key = `${manifestUrl}\n${integrity || ''}`;
  let reader = readers.get(key);
  if (!reader) {
    const created = new Reader(manifestUrl, integrity, engineUrl);
    readers.set(key, created);
    created.ready.catch(() => readers.delete(key));
    reader = created;
  }
  return reader;
}

class Reader {
  /** @param {string} manifestUrl @param {string} integrity @param {string} engineUrl */
  constructor(manifestUrl, integrity, engineUrl) {
    this.manifestUrl = manifestUrl;
    this.integrity = integrity;
    this.engineUrl = engineUrl;
    /** @type {Set<() => void>} */
    this.listeners = new Set();
    /** Engine work, one task at a time (widgets share one session and its preferences). */
    this.queue = serialQueue();
    /** @type {Pathlight | null} */
    this.engine = null;
    /** @type {Map<string, CatalogItem>} */
    this.items = new Map();
    /** @type {Concept[]} */
    this.concepts = [];
    /** @type {Map<string, Concept>} */
    this.conceptById = new Map();
    /** @type {import('../../wasm/pathlight').BundleInfo | null} */
    this.info = null;
    /** @type {Learner | null} */
    this.learner = null;
    this.ready = this.start();
  }

  get eng() {
    if (!this.engine) throw new WidgetError('engine_load_failed', 'the engine is not running');
    return this.engine;
  }

  /** @returns {Promise<Reader>} */
  async start() {
    // A Worker must be same-origin with the page that starts it: on a host page from another
    // origin the engine runs in the page itself (its work per update is well under a millisecond).
    const worker = typeof Worker !== 'undefined' && new URL(this.engineUrl).origin === globalThis.location?.origin;
    try {
      /** @type {typeof import('../../wasm/pathlight')} */
      const { createPathlight } = await import(/* @vite-ignore */ this.engineUrl);
      this.engine = await createPathlight({ bundleUrl: this.manifestUrl, integrity: this.integrity || undefined, worker });
    } catch (e) {
      throw asCodedError(e, 'engine_load_failed');
    }
    const [items, concepts] = await Promise.all([this.engine.items(), this.engine.concepts()]);
    this.items = new Map(items.map((it) => [it.id, it]));
    this.concepts = concepts;
    this.conceptById = new Map(concepts.map((c) => [c.id, c]));
    this.info = this.engine.info;
    const store = await sharedStore();
    const scope = `widget:${this.manifestUrl}`;
    this.learner = new Learner(store, scope);
    this.learner.reset(scope, await store.load(scope));
    await this.sync();
    // Another tab or frame of this origin recorded (or removed) events: merge and re-solve.
    this.learner.subscribe((change) => {
      if (change.kind === 'remote') this.queue(() => this.sync()).then(() => this.notify(), () => {});
    });
    return this;
  }

  /**
   * Hands the reader's merged log to the engine. The engine judges every event (lenient): one it
   * cannot use is kept aside in the store with its reason and removed from the log.
   */
  async sync() {
    const learner = /** @type {Learner} */ (this.learner);
    const events = learner.events();
    const result = await this.eng.setProfile(learner.profileDoc(''), { lenient: true });
    if (result.rejected.length) {
      await learner.store.quarantine(result.rejected.map((r) => ({ scope: learner.scope, store: 'events', reason: `${r.code}: ${r.message}`, raw: events[r.index] })));
      learner.remove(result.rejected.map((r) => events[r.index].id));
      console.warn(`[pathlight-recs] ${result.rejected.length} stored event(s) could not be used and were set aside: ${result.rejected[0].message}`);
    }
  }

  /** @param {() => void} listener */
  subscribe(listener) {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  notify() {
    for (const listener of this.listeners) listener();
  }

  /** Concept ids for a topic attribute (see matchTopic). @param {string} topic */
  topicConcepts(topic) {
    return matchTopic(topic, this.concepts);
  }

  /**
   * Suggestions for the page's topic concepts + the reader's own history and interests. The goals
   * are the engine's next concepts (nextConcepts: a concept the reader knows points on to what it
   * opens); the list, its mentors and its reasons are the engine's recommend().
   * contentLang: the content-language filter ('' = any), the engine's (the learner's language for
   * this list: courses in it, mentors who speak it). pageLang: the page's language; the engine
   * names each item's other language (otherLanguage) for its card to mark.
   * @param {{goals: string[], kinds: ItemKind[], limit: number, contentLang?: string, pageLang?: string}} request
   * goalsServed: the engine's goals this list serves (what its heading names; recommend's and
   * mentors' `goalsServed`).
   * @returns {Promise<{items: ShownItem[], goals: GoalState[], goalsServed: string[]}>}
   */
  recommend({ goals, kinds, limit, contentLang = '', pageLang = '' }) {
    return this.queue(async () => {
      const learner = /** @type {Learner} */ (this.learner);
      const interests = learner.prefs.goals.slice(0, MAX_INTERESTS);
      const topicGoals = goals.length ? (await this.eng.nextConcepts(goals)).concepts : [];
      const interestGoals = interests.length ? (await this.eng.nextConcepts(interests)).concepts : [];
      await this.eng.setPreferences({ goals: [...new Set([...topicGoals, ...interestGoals])], language: contentLang });
      const only = (/** @type {ItemKind} */ kind) => kinds.length === 1 && kinds[0] === kind;
      /** @type {(r: {id: string, reasons?: import('../../wasm/pathlight').Reason[], otherLanguage?: string}) => ShownItem} */
      const item = (r) => {
        const record = /** @type {CatalogItem} */ (this.items.get(r.id));
        // What its price is per, as the engine says (info.priceUnits): the card prints the unit.
        return { ...record, priceUnit: this.info?.priceUnits?.[record.kind], reasons: r.reasons ?? [], otherLanguage: r.otherLanguage };
      };
      if (only('mentor')) {
        // A mentor box: the engine's mentor matching for the reader's gap (as the app's Mentors view).
        const [matched, summary] = await Promise.all([this.eng.mentors({ k: limit, pageLanguage: pageLang }), this.eng.learner()]);
        return { items: matched.items.map((m) => ({ ...item(m), booking: m.booking })), goals: summary.goals, goalsServed: matched.goalsServed };
      }
      // Mixed kinds: the engine's list, where a mentor appears only when mentor matching lists them.
      // The engine's slate: one mentor and one membership in a mixed list, as many as asked of one kind.
      const result = await this.eng.recommend({ k: limit, kinds, pageLanguage: pageLang });
      // A mentor there comes with the offering the learner would book (recommend's `booking`).
      return { items: result.items.map((r) => ({ ...item(r), booking: r.booking })), goals: result.goals, goalsServed: result.goalsServed };
    });
  }

  /**
   * Records what the reader did (see toEvent); updates every linked widget. The engine takes the
   * event first (it refuses what it cannot use: an unknown item, a rating off the bundle's scale),
   * then the store keeps it.
   * @param {unknown} activity
   */
  record(activity) {
    /** @type {ReturnType<typeof toEvent>} */
    let change;
    try {
      change = toEvent(activity, this);
    } catch (e) {
      return Promise.reject(e);
    }
    return this.queue(async () => {
      const learner = /** @type {Learner} */ (this.learner);
      if (change.interest) {
        const interest = change.interest;
        learner.setPrefs({ goals: [interest, ...learner.prefs.goals.filter((c) => c !== interest)].slice(0, MAX_INTERESTS) });
      } else if (change.event) {
        const id = newEventId();
        const t = Date.now() / 1000;
        try {
          await this.eng.addEvent({ ...change.event, id, t });
        } catch (e) {
          throw asCodedError(e, 'invalid_argument');
        }
        learner.append({ ...change.event, id, t, scope: learner.scope });
      }
      return { events: learner.events().length };
    }).then((result) => {
      this.notify();
      return result;
    });
  }
}

/** @param {unknown} e @param {string} fallbackCode @returns {Error & CodedError} */
function asCodedError(e, fallbackCode) {
  const x = /** @type {any} */ (e);
  if (x instanceof Error && typeof /** @type {any} */ (x).code === 'string') return /** @type {Error & CodedError} */ (x);
  return new WidgetError(typeof x?.code === 'string' ? x.code : fallbackCode, String(x?.message ?? x));
}

/**
 * Maps a host-reported activity to an engine event (docs/WIDGET.md, "The reader acted"):
 *   {type, item, rating?}                    → that engine event (the engine judges the type, the
 *                                              item and the rating, on the bundle's scale)
 *   {type: complete|know_concept, concept}   → know_concept (the reader learned it)
 *   {type: view|read, concept}               → interest: the concept joins the reader's goals
 * A concept may be an id or words matched like the topic attribute. Throws an Error with a code.
 * @param {unknown} activity
 * @param {{concepts: Concept[]}} reader
 * @returns {{event?: LearnerEvent, interest?: string}}
 */
export function toEvent(activity, reader) {
  const bad = (/** @type {string} */ message) => new WidgetError('invalid_argument', message);
  if (!activity || typeof activity !== 'object') throw bad('an activity is an object like {type: "complete", concept: "docker"}');
  const a = /** @type {Record<string, unknown>} */ (activity);
  const type = String(a.type ?? '');
  if (a.item !== undefined && a.item !== null) {
    const event = /** @type {LearnerEvent} */ ({ type, item: String(a.item) });
    if (a.rating !== undefined) event.rating = Number(a.rating);
    return { event };
  }
  if (a.concept !== undefined && a.concept !== null) {
    // Knowing is the reader's claim: only a concept the host names exactly (id or name) is recorded
    // as known (words matched like `topic` could record a concept the reader never learned). An
    // interest (view/read) may be words.
    const knows = type === 'complete' || type === 'know_concept';
    const concept = knows ? exactOne(normalize(String(a.concept).slice(0, 500).trim()), reader.concepts) : matchTopic(String(a.concept), reader.concepts)[0];
    if (!concept) {
      const [near] = knows ? matchTopic(String(a.concept), reader.concepts) : [];
      throw new WidgetError('unknown_id', knows
        ? `concept "${a.concept}" is not a concept id or name of this bundle's knowledge graph (a completion records what the reader knows, so it is not matched from words${near ? `; did you mean "${near}"?` : ''})`
        : `concept "${a.concept}" matches nothing in this bundle's knowledge graph`);
    }
    if (knows) return { event: { type: 'know_concept', concept } };
    if (type === 'view' || type === 'read') return { interest: concept };
    throw bad(`activity type "${type}" does not apply to a concept (use complete, know_concept, view or read)`);
  }
  throw bad('an activity needs an "item" id or a "concept"');
}

// ---------- topic matching ----------

const STOP = new Set(['and', 'the', 'of', 'for', 'in', 'to', 'a', 'an', 'with', 'on', 'as', 'basics', 'fundamentals']);
// Name words that are also everyday English: they count for less ("go", "react to", …).
const COMMON = new Set(['go', 'react', 'rust', 'spark', 'testing', 'design', 'data', 'web', 'security', 'product',
  'learning', 'computer', 'software', 'cloud', 'systems', 'system', 'writing', 'thinking', 'line', 'command',
  'version', 'control', 'models', 'language', 'performance', 'open', 'source']);
const MIN_SCORE = 0.8;

/** @param {string} s */
function normalize(s) {
  return String(s).normalize('NFKC').toLowerCase();
}

/** @param {string} s */
function words(s) {
  return normalize(s).split(/[^\p{L}\p{N}+#.]+/u).map((w) => w.replace(/^\.+|\.+$/g, '')).filter(Boolean);
}

/**
 * Concept ids for a topic: comma-separated parts, each a concept id, a concept name (English or
 * Chinese), or free words (e.g. a thread title) matched against concept names. [] when nothing
 * matches. Deterministic: ties go to the concept named earliest in the text, then catalog order.
 * @param {string} topic
 * @param {Concept[]} concepts
 * @returns {string[]}
 */
export function matchTopic(topic, concepts) {
  const text = String(topic ?? '').slice(0, 500).trim();
  if (!text) return [];
  /** @type {string[]} */
  const ids = [];
  for (const part of text.split(/[,，、]/)) {
    const id = matchOne(part.trim(), concepts);
    if (id && !ids.includes(id)) ids.push(id);
  }
  return ids;
}

/**
 * The concept a text names exactly: its id, English or Chinese name (after normalize: case and
 * Unicode width aside); null when none.
 * @param {string} text normalized @param {Concept[]} concepts @returns {string | null}
 */
function exactOne(text, concepts) {
  if (!text) return null;
  for (const c of concepts) {
    if (c.id.toLowerCase() === text || normalize(c.name) === text || (c.nameZh && normalize(c.nameZh) === text)) return c.id;
  }
  return null;
}

/** @param {string} part @param {Concept[]} concepts @returns {string | null} */
function matchOne(part, concepts) {
  if (!part) return null;
  const text = normalize(part);
  const exact = exactOne(text, concepts);
  if (exact) return exact;
  const tokens = words(part);
  const position = new Map();
  tokens.forEach((w, i) => { if (!position.has(w)) position.set(w, i); });
  let best = null;
  for (const c of concepts) {
    let score = 0;
    let at = Infinity;
    for (const phrase of [words(c.name), c.id.toLowerCase().split('-')]) {
      const significant = phrase.filter((w) => !STOP.has(w));
      const p = significant.length ? significant : phrase;
      if (!position.has(p[0])) continue;  // the name's head word must be there
      const matched = p.filter((w) => position.has(w));
      const s = matched.reduce((sum, w) => sum + (COMMON.has(w) ? 0.3 : 1), 0) + (matched.length === p.length ? 0.5 : 0);
      if (s > score) {
        score = s;
        at = Math.min(...matched.map((w) => position.get(w)));
      }
    }
    if (c.nameZh) {
      const zh = normalize(c.nameZh);
      const head = zh.split(/\s+/)[0];
      if (text.includes(zh) && 2 + zh.length / 10 > score) {
        score = 2 + zh.length / 10;
        at = text.indexOf(zh) / 1000;
      } else if (/[\u3400-\u9fff]/.test(head) && head.length >= 2 && text.includes(head) && score < 1.2) {
        score = 1.2;
        at = text.indexOf(head) / 1000;
      }
    }
    if (score >= MIN_SCORE && (!best || score > best.score || (score === best.score && at < best.at))) {
      best = { id: c.id, score, at };
    }
  }
  return best?.id ?? null;
}
