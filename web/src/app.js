// The app's state: the engine (WASM, in a Web Worker), the catalog of the loaded bundle, and the
// learner (learner.js) kept on the device (store.js). Every change the learner makes goes to the
// engine at once (addEvent / setPreferences) so the next recommend() reflects it — no reload.
import { normalize } from './dom.js';
import { Learner } from './learner.js';

export const DEFAULT_DATASET = 'demo';
export const DATASET_PATTERN = /^[a-z0-9][a-z0-9_-]{0,63}$/;
/** Datasets offered in the settings (others still load by URL parameter). */
export const KNOWN_DATASETS = ['demo', 'coco'];
/** The content-language setting that follows the interface language (store.js defaultPrefs). */
export const AUTO_LANGUAGE = 'auto';

export class LoadError extends Error {
  constructor(code, message, cause) {
    super(message, { cause });
    this.code = code;
  }
}

export const bundleUrl = (dataset) => `bundles/${dataset}/manifest.json`;
export const now = () => Date.now() / 1000;

async function loadEngineModule() {
  const url = new URL('engine/pathlight.js', document.baseURI).href;
  try {
    return await import(/* @vite-ignore */ url);
  } catch (cause) {
    throw new LoadError('engine_load_failed', `the engine module ${url} did not load`, cause);
  }
}

export class App {
  constructor(store) {
    this.store = store;
    this.engine = null;
    this.info = null;
    this.dataset = null;
    this.items = [];
    this.byId = new Map();
    this.concepts = [];
    this.conceptById = new Map();
    this.learner = new Learner(store, DEFAULT_DATASET);
    // The engine gets the language the learner's setting stands for ("auto" → the UI language).
    this.learner.resolveLanguage = (code) => this.contentLanguage(code);
    this.unknownIds = [];
    this.quarantine = [];
    this.listeners = new Set();
  }

  onChange(listener) {
    this.listeners.add(listener);
  }

  changed(detail = {}) {
    for (const listener of this.listeners) listener(detail);
  }

  /** Starts the engine on `dataset`'s bundle (or, when running, swaps bundles in place). */
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
  async loadLearner() {
    const stored = await this.store.load(this.dataset);
    this.quarantine = stored.quarantine;
    this.learner.reset(this.dataset, stored);
    this.profileProblem = stored.setAside > 0 ? { kind: 'setAside', count: stored.setAside } : null;
    try {
      await this.syncEngine();
    } catch (error) {
      // The engine refused the stored profile as a whole: keep it aside and start fresh.
      await this.setAsideWholeProfile(error);
    }
  }

  async setAsideWholeProfile(error) {
    const raw = JSON.stringify({ prefs: this.learner.prefs, events: this.learner.events() });
    const record = { dataset: this.dataset, store: 'profiles+events', reason: `${error.code ?? 'error'}: ${error.message}`, raw, at: Date.now() };
    if (this.store.db) {
      try {
        const tx = this.store.db.transaction(['events', 'profiles', 'quarantine'], 'readwrite');
        await tx.objectStore('quarantine').add(record);
        await tx.objectStore('profiles').delete(this.dataset);
        for (const e of this.learner.events()) await tx.objectStore('events').delete(e.id);
        await tx.done;
      } catch (storeError) {
        console.warn('Pathlight: could not set the profile aside:', storeError);
      }
      this.quarantine = await this.store.readQuarantine();
    } else {
      this.quarantine = [...this.quarantine, { ...record, qid: `memory-${Date.now()}` }];
    }
    this.learner.reset(this.dataset);
    this.profileProblem = { kind: 'rejected', message: error.message };
    await this.syncEngine();
  }

  /** Full re-solve from the learner's merged log (start, another tab, import, undo). */
  async syncEngine() {
    const result = await this.engine.setProfile(this.learner.profileDoc(), now());
    this.unknownIds = result.unknownIds ?? [];
    return result;
  }

  // ---- learner actions -----------------------------------------------------------------

  /**
   * Records an event and updates the engine incrementally (O(k²)); returns the record.
   * `meta` is kept with the stored record only (e.g. where the event came from).
   */
  async act(type, fields, meta = {}) {
    const record = this.learner.add(type, { ...fields, ...meta });
    try {
      await this.engine.addEvent({ type, t: record.t, ...fields });
    } catch (error) {
      this.learner.remove([record.id]);
      throw error;
    }
    return record;
  }

  /** "I know this": one know_concept event per concept the item teaches. */
  async knowItem(item) {
    const known = this.learner.knownConcepts();
    const records = [];
    for (const concept of item.teaches) {
      if (!known.has(concept)) records.push(await this.act('know_concept', { concept }));
    }
    return records;
  }

  async undo(records) {
    this.learner.remove(records.map((r) => r.id));
    await this.syncEngine();
  }

  async setPrefs(patch) {
    this.learner.setPrefs(patch);
    await this.pushPrefs();
  }

  /** Hands the preferences to the engine (also when only the UI language behind "auto" changed). */
  async pushPrefs() {
    const p = this.learner.prefs;
    const prefs = { goals: p.goals, known: p.known, currency: p.currency, language: this.contentLanguage(), weekly_hours: p.weekly_hours };
    // Budget: null (or omitted) means "no limit" and clears a limit set earlier.
    prefs.budget = p.budget;
    const result = await this.engine.setPreferences(prefs);
    this.unknownIds = result.unknownIds ?? [];
  }

  // ---- queries -------------------------------------------------------------------------

  /** The catalog language matching the interface language (`en`, `zh-CN` → `zh`), or ''. */
  uiContentLanguage() {
    const base = (this.getLocale?.() ?? 'en').toLowerCase().split('-')[0];
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

  /** Ranking filters that follow the learner's stated preferences. */
  rankOptions(extra = {}) {
    const language = this.contentLanguage();
    return { ...(language ? { languages: [language] } : {}), ...extra };
  }

  /**
   * The personal feed: the engine's list, minus items that teach only concepts the learner said
   * they know (the engine keeps ranking those; see docs/APP.md).
   */
  async feed({ k = 10, kinds } = {}) {
    const known = this.learner.knownConcepts();
    const options = this.rankOptions({ k: Math.min(1000, k + 10), ...(kinds ? { kinds } : {}) });
    const recs = await this.engine.recommend(options);
    const fallback = recs.every((r) => (r.reasons ?? []).some((reason) => reason.kind === 'popular'));
    const kept = recs.filter((r) => {
      const item = this.byId.get(r.id);
      return !(item && item.kind !== 'mentor' && item.teaches.length > 0 && item.teaches.every((c) => known.has(c)));
    });
    return { items: kept.slice(0, k), fallback };
  }

  conceptName(id, isZh) {
    const c = this.conceptById.get(id);
    if (!c) return id;
    return isZh && c.nameZh ? c.nameZh : c.name;
  }

  /** Titles whose words contain every search term; titles starting with the first term first. */
  searchItems(query, limit = 20) {
    const terms = normalize(query).split(/\s+/).filter(Boolean);
    if (terms.length === 0) return { matches: [], total: 0 };
    const prefixed = [];
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

  /** Concepts matching `query` (name in either language or id): exact and prefix matches first, then the most taught. */
  searchConcepts(query, limit = 12) {
    const typed = normalize(query).trim().replace(/\s+/g, ' ');
    const terms = typed.split(' ').filter(Boolean);
    const weight = (c) => this.conceptWeight.get(c.id) ?? 0;
    // What was typed is the name (0), starts it (1), starts one of its words (2), or is inside (3).
    const closeness = (c) => {
      const name = normalize(c.name);
      if (name === typed || normalize(c.id) === typed) return 0;
      if (name.startsWith(typed)) return 1;
      return name.split(/[^\p{L}\p{N}+#]+/u).some((word) => word.startsWith(typed)) ? 2 : 3;
    };
    let list = this.concepts;
    if (terms.length > 0) list = list.filter((c) => terms.every((term) => this.conceptKeys.get(c.id).includes(term)));
    const rank = new Map(list.map((c) => [c.id, terms.length > 0 ? closeness(c) : 0]));
    const sorted = [...list].sort((a, b) => rank.get(a.id) - rank.get(b.id) || weight(b) - weight(a) || a.name.localeCompare(b.name));
    return { matches: sorted.slice(0, limit), total: list.length };
  }
}
