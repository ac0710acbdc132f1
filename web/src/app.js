// The app's state: the engine (WASM, in a Web Worker), the catalog of the loaded bundle, and the
// learner kept on the device (web/shared/store.js, shared with the widget). Every change the
// learner makes goes to the engine at once (addEvent / setPreferences / forgetConcept) so the next
// answer reflects it — no reload. The app asks the engine every product question (what to show,
// why, what is known, what a path costs) and renders the answers; it computes none of them.
import { normalize } from './dom.js';
import { Learner, newEventId } from '../shared/store.js';
import { serialQueue } from '../shared/serial.js';

/**
 * @typedef {import('../../wasm/pathlight').Pathlight} Pathlight
 * @typedef {import('../../wasm/pathlight').CatalogItem} CatalogItem
 * @typedef {import('../../wasm/pathlight').Concept} Concept
 * @typedef {import('../../wasm/pathlight').BundleInfo} BundleInfo
 * @typedef {import('../../wasm/pathlight').LearnerSummary} LearnerSummary
 * @typedef {import('../../wasm/pathlight').EventType} EventType
 * @typedef {import('../shared/store.js').Store} Store
 * @typedef {import('../shared/store.js').EventRecord} EventRecord
 * @typedef {import('../shared/store.js').Prefs} Prefs
 * @typedef {import('../shared/store.js').QuarantineRecord} QuarantineRecord
 */

export const DEFAULT_DATASET = 'demo';
export const DATASET_PATTERN = /^[a-z0-9][a-z0-9_-]{0,63}$/;
/** Datasets offered in the settings (others still load by URL parameter). */
export const KNOWN_DATASETS = ['demo', 'coco'];
/** The content-language setting that follows the interface language (store.js defaultPrefs). */
export const AUTO_LANGUAGE = 'auto';

export class LoadError extends Error {
  /** @param {string} code @param {string} message @param {unknown} [cause] */
  constructor(code, message, cause) {
    super(message, { cause });
    this.code = code;
  }
}

export const bundleUrl = (/** @type {string} */ dataset) => `bundles/${dataset}/manifest.json`;
export const now = () => Date.now() / 1000;

/** @returns {Promise<typeof import('../../wasm/pathlight')>} */
async function loadEngineModule() {
  const url = new URL('engine/pathlight.js', document.baseURI).href;
  try {
    return await import(/* @vite-ignore */ url);
  } catch (cause) {
    throw new LoadError('engine_load_failed', `the engine module ${url} did not load`, cause);
  }
}

/** @typedef {{kind: 'setAside', count: number} | {kind: 'rejected', message: string}} ProfileProblem */

export class App {
  /** @param {Store} store */
  constructor(store) {
    this.store = store;
    /** @type {Pathlight | null} */
    this.engine = null;
    /** @type {BundleInfo | null} */
    this.info = null;
    /** @type {string | null} */
    this.dataset = null;
    /** @type {CatalogItem[]} */
    this.items = [];
    /** @type {Map<string, CatalogItem>} */
    this.byId = new Map();
    /** @type {Concept[]} */
    this.concepts = [];
    /** @type {Map<string, Concept>} */
    this.conceptById = new Map();
    /** @type {string[]} */
    this.searchKeys = [];
    /** @type {Map<string, number>} */
    this.conceptWeight = new Map();
    /** @type {Map<string, string>} */
    this.conceptKeys = new Map();
    this.hasMentors = false;
    /** @type {string[]} */
    this.currencies = [];
    /** @type {string[]} */
    this.languages = [];
    this.learner = new Learner(store, DEFAULT_DATASET);
    /** @type {string[]} */
    this.unknownIds = [];
    /** @type {QuarantineRecord[]} */
    this.quarantine = [];
    /** The engine's learner summary after the last change (learner()). @type {LearnerSummary | null} */
    this.summary = null;
    /** @type {ProfileProblem | null} */
    this.profileProblem = null;
    /** @type {Set<(detail: {navigate?: string, notice?: boolean}) => void>} */
    this.listeners = new Set();
    /** Changes to the learner, one at a time (see serial). */
    this.queue = serialQueue();
    // Set by main.js:
    /** @type {() => string} */
    this.getLocale = () => 'en';
    /** @type {(dataset: string) => Promise<{ok: boolean, error?: any, previous?: string | null}>} */
    this.switchDataset = async () => ({ ok: false });
    /** @type {() => Promise<unknown>} */
    this.checkBundleUpdate = async () => null;
    /** @type {string[]} */
    this.knownDatasets = KNOWN_DATASETS;
    this.showProfileNotice = () => {};
  }

  /** The engine (after loadDataset). */
  get eng() {
    if (!this.engine) throw new LoadError('engine_load_failed', 'the engine is not running');
    return this.engine;
  }

  /** The bundle's rating scale for rate / mentor_rated events, [min, max]. @returns {[number, number]} */
  get ratingScale() {
    return this.info?.ratingScale ?? [1, 5];
  }

  /** The ratings the rate control offers, ascending (the engine's info.ratingChoices). @returns {number[]} */
  get ratingChoices() {
    return this.info?.ratingChoices ?? [1, 2, 3, 4, 5];
  }

  /**
   * Runs changes to the learner one at a time, in order: each task sees the store and the engine
   * as the previous one left them (an event recorded here while another tab's record is merged
   * can never be left out of the engine's re-solve).
   * @template T
   * @param {() => Promise<T>} task
   * @returns {Promise<T>}
   */
  serial(task) {
    return this.queue(task);
  }

  /** @param {(detail: {navigate?: string, notice?: boolean}) => void} listener */
  onChange(listener) {
    this.listeners.add(listener);
  }

  /** @param {{navigate?: string, notice?: boolean}} [detail] */
  changed(detail = {}) {
    for (const listener of this.listeners) listener(detail);
  }

  /**
   * Starts the engine on `dataset`'s bundle (or, when running, swaps bundles in place).
   * @param {string} dataset
   * @param {(loaded: number, total: number) => void} [onProgress]
   */
  async loadDataset(dataset, onProgress) {
    if (!DATASET_PATTERN.test(dataset)) throw new LoadError('invalid_argument', `"${dataset}" is not a dataset name`);
    if (this.engine) {
      await this.engine.reload({ bundleUrl: bundleUrl(dataset), onProgress });
    } else {
      const { createPathlight } = await loadEngineModule();
      this.engine = await createPathlight({ bundleUrl: bundleUrl(dataset), onProgress, prefetchCatalog: true });
      window.addEventListener('pagehide', (event) => {
        if (!event.persisted) this.engine?.delete();
      });
    }
    this.info = this.engine.info;
    this.dataset = dataset;
    this.setCatalog(await this.engine.items(), await this.engine.concepts());
    await this.loadLearner();
  }

  /** @param {CatalogItem[]} items @param {Concept[]} concepts */
  setCatalog(items, concepts) {
    this.items = items;
    this.byId = new Map(items.map((item) => [item.id, item]));
    this.searchKeys = items.map((item) => normalize(item.title));
    this.concepts = concepts;
    this.conceptById = new Map(concepts.map((c) => [c.id, c]));
    // How many items teach each concept: the order of suggestions when nothing is typed.
    const teaching = new Map();
    for (const item of items) for (const c of item.teaches) teaching.set(c, (teaching.get(c) ?? 0) + 1);
    this.conceptWeight = teaching;
    this.conceptKeys = new Map(concepts.map((c) => [c.id, normalize(`${c.name} ${c.nameZh ?? ''} ${c.id}`)]));
    this.hasMentors = items.some((item) => item.kind === 'mentor');
    this.currencies = [...new Set(items.map((item) => item.currency))].sort();
    this.languages = [...new Set(items.map((item) => item.language))].sort();
  }

  /** Reads the learner of the current dataset from the store and hands it to the engine. */
  loadLearner() {
    return this.serial(() => this.#loadLearner());
  }

  async #loadLearner() {
    const dataset = /** @type {string} */ (this.dataset);
    const stored = await this.store.load(dataset);
    this.quarantine = stored.quarantine;
    this.learner.reset(dataset, stored);
    this.profileProblem = stored.setAside > 0 ? { kind: 'setAside', count: stored.setAside } : null;
    try {
      await this.#sync();
    } catch (error) {
      // The engine refused the stored profile as a whole (its preferences): keep it aside, start fresh.
      await this.#setAsideWholeProfile(error);
    }
  }

  /** @param {any} error */
  async #setAsideWholeProfile(error) {
    const dataset = /** @type {string} */ (this.dataset);
    const raw = JSON.stringify({ prefs: this.learner.prefs, events: this.learner.events() });
    await this.store.quarantine([{ scope: dataset, store: 'prefs+events', reason: `${error.code ?? 'error'}: ${error.message}`, raw }]);
    this.learner.remove(this.learner.events().map((e) => e.id));
    this.learner.reset(dataset);
    this.learner.setPrefs({});
    this.quarantine = await this.store.readQuarantine();
    this.profileProblem = { kind: 'rejected', message: error.message };
    await this.#sync();
  }

  /**
   * Full re-solve from the learner's merged log (start, another tab, import, undo). The engine
   * judges every event (lenient): the ones it cannot use are kept aside with its reason and
   * removed from the log — never silently dropped.
   */
  syncEngine() {
    return this.serial(() => this.#sync());
  }

  async #sync() {
    const events = this.learner.events();
    const result = await this.eng.setProfile(this.learner.profileDoc(this.contentLanguage()), { now: now(), lenient: true });
    this.unknownIds = result.unknownIds ?? [];
    if (result.rejected.length) {
      const dataset = /** @type {string} */ (this.dataset);
      const bad = result.rejected.map((r) => ({ r, record: events[r.index] }));
      await this.store.quarantine(bad.map(({ r, record }) => ({ scope: dataset, store: 'events', reason: `${r.code}: ${r.message}`, raw: record })));
      this.learner.remove(bad.map(({ record }) => record.id));
      this.quarantine = await this.store.readQuarantine();
      const count = (this.profileProblem?.kind === 'setAside' ? this.profileProblem.count : 0) + bad.length;
      this.profileProblem = { kind: 'setAside', count };
    }
    await this.refreshSummary();
    return result;
  }

  /** The engine's summary of the learner: goals reached, known concepts and why, "My learning". */
  async refreshSummary() {
    this.summary = await this.eng.learner();
    return this.summary;
  }

  // ---- learner actions -----------------------------------------------------------------

  /**
   * Records an event: the engine takes it first (O(k²) update; it refuses an event it cannot
   * use, and nothing is stored then), then the store keeps it. Returns the stored record.
   * @param {EventType} type
   * @param {{item?: string, concept?: string, rating?: number}} fields
   * @param {{source?: string}} [meta]  kept with the stored record only
   */
  act(type, fields, meta = {}) {
    return this.serial(async () => {
      const id = newEventId();
      const t = now();
      // Sent together (session calls run in order, pathlight.d.ts): one round trip to the Worker.
      // If the engine refuses the event, the summary is of the unchanged session and is not kept.
      const added = this.eng.addEvent({ type, id, t, ...fields });
      const summary = this.eng.learner();
      summary.catch(() => {});
      await added;
      const record = this.learner.append({ id, scope: this.learner.scope, type, t, ...fields, ...meta });
      this.summary = await summary;
      return record;
    });
  }

  /**
   * "I know this": one know_concept event per concept the item teaches that the engine does not
   * already count as known.
   * @param {CatalogItem} item
   */
  async knowItem(item) {
    // Skipped: what the learner has already said — the engine's `forgettable` (stated, or an "I know
    // this" of theirs). A concept known only through a completed item or as a prerequisite gets its
    // event: the learner says it now, and it stays known when that item is removed (the toast
    // names every taught concept).
    const known = new Set((this.summary?.known ?? []).filter((k) => k.forgettable).map((k) => k.id));
    const records = [];
    for (const concept of item.teaches) {
      if (!known.has(concept)) records.push(await this.act('know_concept', { concept }));
    }
    return records;
  }

  /** Removes events (any time, not only from the toast): tombstones, then a re-solve. @param {{id: string}[]} records */
  undo(records) {
    return this.serial(async () => {
      this.learner.remove(records.map((r) => r.id));
      await this.#sync();
    });
  }

  /**
   * Forgets a known concept (engine forgetConcept): the know_concept events it names become
   * tombstones and the stated list is the engine's. Returns what the engine says is still known.
   * @param {string} concept
   */
  forget(concept) {
    return this.serial(async () => {
      const result = await this.eng.forgetConcept(concept);
      this.learner.remove(result.removedEvents);
      this.learner.setPrefs({ known: result.known });
      await this.refreshSummary();
      return result;
    });
  }

  /** @param {Partial<Prefs>} patch */
  setPrefs(patch) {
    return this.serial(async () => {
      this.learner.setPrefs(patch);
      await this.#pushPrefs();
    });
  }

  /** Hands the preferences to the engine (also when only the UI language behind "auto" changed). */
  pushPrefs() {
    return this.serial(() => this.#pushPrefs());
  }

  async #pushPrefs() {
    const p = this.learner.prefs;
    // budget: null means "no limit" and clears a limit set earlier.
    const result = await this.eng.setPreferences({
      goals: p.goals, known: p.known, currency: p.currency, language: this.contentLanguage(), weeklyHours: p.weeklyHours, budget: p.budget,
    });
    this.unknownIds = result.unknownIds ?? [];
    await this.refreshSummary();
  }

  // ---- queries -------------------------------------------------------------------------

  /** The catalog language matching the interface language (`en`, `zh-CN` → `zh`), or ''. */
  uiContentLanguage() {
    const base = (this.getLocale() ?? 'en').toLowerCase().split('-')[0];
    return this.languages.find((code) => code.toLowerCase() === base)
      ?? this.languages.find((code) => code.toLowerCase().split('-')[0] === base) ?? '';
  }

  /**
   * The content language the learner's setting stands for: a catalog language code, or '' for
   * any. The setting is "auto" (the default: the interface language, when the catalog has it),
   * '' (any language, chosen explicitly) or a language code.
   */
  contentLanguage(setting = this.learner.prefs.language) {
    return setting === AUTO_LANGUAGE ? this.uiContentLanguage() : setting;
  }

  /** @param {string} id @param {boolean} isZh */
  conceptName(id, isZh) {
    const c = this.conceptById.get(id);
    if (!c) return id;
    return isZh && c.nameZh ? c.nameZh : c.name;
  }

  /**
   * Titles whose words contain every search term; titles starting with the first term first.
   * @param {string} query
   */
  searchItems(query, limit = 20) {
    const terms = normalize(query).split(/\s+/).filter(Boolean);
    if (terms.length === 0) return { matches: [], total: 0 };
    /** @type {CatalogItem[]} */
    const prefixed = [];
    /** @type {CatalogItem[]} */
    const other = [];
    this.items.forEach((item, i) => {
      const key = this.searchKeys[i];
      if (!terms.every((term) => key.includes(term))) return;
      const wordStart = key.startsWith(terms[0]) || key.includes(` ${terms[0]}`);
      (wordStart ? prefixed : other).push(item);
    });
    const all = prefixed.concat(other);
    return { matches: all.slice(0, limit), total: all.length };
  }

  /**
   * Concepts matching `query` (name in either language or id): exact and prefix matches first,
   * then the most taught.
   * @param {string} query
   */
  searchConcepts(query, limit = 12) {
    const typed = normalize(query).trim().replace(/\s+/g, ' ');
    const terms = typed.split(' ').filter(Boolean);
    const weight = (/** @type {Concept} */ c) => this.conceptWeight.get(c.id) ?? 0;
    // What was typed is the name (0), starts it (1), starts one of its words (2), or is inside (3).
    const closeness = (/** @type {Concept} */ c) => {
      const name = normalize(c.name);
      if (name === typed || normalize(c.id) === typed) return 0;
      if (name.startsWith(typed)) return 1;
      return name.split(/[^\p{L}\p{N}+#]+/u).some((word) => word.startsWith(typed)) ? 2 : 3;
    };
    let list = this.concepts;
    if (terms.length > 0) list = list.filter((c) => terms.every((term) => (this.conceptKeys.get(c.id) ?? '').includes(term)));
    const rank = new Map(list.map((c) => [c.id, terms.length > 0 ? closeness(c) : 0]));
    const sorted = [...list].sort(
      (a, b) => (rank.get(a.id) ?? 0) - (rank.get(b.id) ?? 0) || weight(b) - weight(a) || a.name.localeCompare(b.name),
    );
    return { matches: sorted.slice(0, limit), total: list.length };
  }
}
