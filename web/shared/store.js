// The learner store, shared by the app (web/src) and the widget (web/widget): the learner's
// preferences plus an append-only log of events, each its own record with an id, kept on this
// device and never sent anywhere. IndexedDB through `idb`; in memory when storage is unavailable.
//
// It checks only storage integrity (a record has an id, a scope and a time); what an event means —
// its type, its item or concept, a rating on the bundle's scale — is the engine's to judge
// (setProfile with `lenient`: the events it rejects come back to `quarantine()` with its reason).
//
// Schema (database "pathlight", DB_VERSION 3):
//   events      keyPath 'id', index 'scope'
//               {id, scope, type, t, item?, concept?, rating?, source?}; removing an event writes a
//               tombstone {id, scope, t, deleted: true} in its place (a tombstone always wins)
//   prefs       keyPath 'scope'  {scope, goals, known, weeklyHours, budget, currency, language,
//               level, onboarded, updatedAt}
//   settings    keyPath 'key'    {key, value}
//   quarantine  autoIncrement 'qid'  {qid, scope, store, reason, raw, at}: records that could not be
//               used, kept aside (never silently dropped), exportable
// A scope is one learner profile: the app uses the dataset name ("demo"), a widget
// "widget:<manifest URL>" (docs/WIDGET.md).
//
// Older stores are read once and converted, never losing an event:
//   - version 1 of this database (one whole-profile document per dataset in 'profile');
//   - version 2 ('events' and 'profiles' keyed by `dataset`, prefs with `weekly_hours`);
//   - the widget's own database "pathlight-widget" (whole-profile documents keyed by the bundle's
//     manifest URL): its events become records with ids, then it is deleted.
// Two tabs (and widgets in other tabs or frames of the origin) exchange records over a
// BroadcastChannel and merge them by id, so concurrent writers only ever add records.
import { openDB, deleteDB } from 'idb';

export const DB_NAME = 'pathlight';
export const DB_VERSION = 3;
export const CHANNEL_NAME = 'pathlight';
/** The widget's database before version 3 (migrated by open()). */
export const OLD_WIDGET_DB = 'pathlight-widget';
export const PROFILE_FORMAT = 'pathlight-profile';
export const PROFILE_VERSION = 2;

/**
 * @typedef {import('../../wasm/pathlight').LearnerEvent} LearnerEvent
 * @typedef {import('../../wasm/pathlight').ProfileDocument} ProfileDocument
 * @typedef {import('../../wasm/pathlight').StatedLevel} StatedLevel
 * @typedef {{id: string, scope: string, t: number, type?: string, item?: string, concept?: string,
 *   rating?: number, source?: string, deleted?: boolean, [key: string]: unknown}} EventRecord
 * @typedef {{scope: string, goals: string[], known: string[], weeklyHours: number, budget: number | null,
 *   currency: string, language: string, level: StatedLevel | null, onboarded: boolean, updatedAt: number}} Prefs
 * @typedef {{qid?: number | string, scope: string, store: string, reason: string, raw: string, at: number}} QuarantineRecord
 * @typedef {{prefs: Prefs | null, events: EventRecord[], quarantine: QuarantineRecord[],
 *   settings: Record<string, unknown>, setAside: number}} Stored
 * @typedef {'unavailable' | 'blocked' | 'newer' | 'quota' | 'failed'} StorageProblem
 */

export function newEventId() {
  if (typeof globalThis.crypto?.randomUUID === 'function') return crypto.randomUUID();
  return `${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 12)}`;
}

/**
 * Storage integrity of an event record: an id, a scope and a time. Nothing about its meaning.
 * @param {unknown} record
 * @returns {record is EventRecord}
 */
export function intactEvent(record) {
  if (!record || typeof record !== 'object') return false;
  const r = /** @type {Record<string, unknown>} */ (record);
  return typeof r.id === 'string' && r.id !== '' && typeof r.scope === 'string'
    && typeof r.t === 'number' && Number.isFinite(r.t) && r.t >= 0;
}

const isStringList = (/** @type {unknown} */ v) => Array.isArray(v) && v.every((s) => typeof s === 'string');

/**
 * Storage integrity of a preferences record: every field of the type this store writes (what the
 * values mean — unknown goals, a budget — the engine judges).
 * @param {unknown} record
 * @returns {record is Prefs}
 */
export function intactPrefs(record) {
  if (!record || typeof record !== 'object') return false;
  const r = /** @type {Record<string, unknown>} */ (record);
  return typeof r.scope === 'string' && isStringList(r.goals) && isStringList(r.known)
    && (r.budget === null || (typeof r.budget === 'number' && Number.isFinite(r.budget)))
    && typeof r.weeklyHours === 'number' && Number.isFinite(r.weeklyHours)
    && typeof r.currency === 'string' && typeof r.language === 'string'
    && (r.level === null || typeof r.level === 'string') && typeof r.onboarded === 'boolean';
}

/**
 * @param {string} scope
 * @returns {Prefs}
 */
export function defaultPrefs(scope) {
  return { scope, goals: [], known: [], weeklyHours: 5, budget: null, currency: 'USD', language: 'auto', level: null, onboarded: false, updatedAt: 0 };
}

function safeJson(/** @type {unknown} */ value) {
  try {
    return JSON.stringify(value);
  } catch {
    return String(value);
  }
}

/** A short stable hash (FNV-1a, hex) for deterministic migrated ids. */
function hash(/** @type {string} */ text) {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i += 1) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h.toString(16).padStart(8, '0');
}

/**
 * Records from a whole-profile document (version 1 of the app's database, the old widget
 * database, an imported file): one event record per event, with a deterministic id derived from
 * `idPrefix` and its position (a migration that runs twice — two tabs — writes the same records),
 * or the event's own id when it has one. Throws when the document is not a profile.
 * @param {unknown} doc  {goals?, known?, budget?, currency?, language?, weekly_hours? | weeklyHours?, level?, events?}
 * @param {string} scope
 * @param {string} idPrefix
 * @param {{onboarded?: boolean, language?: string}} [extra]
 * @returns {{prefs: Prefs, events: EventRecord[]}}
 */
export function recordsFromProfile(doc, scope, idPrefix, extra = {}) {
  if (!doc || typeof doc !== 'object' || Array.isArray(doc)) throw new Error('not a profile document');
  const p = /** @type {Record<string, any>} */ (doc);
  const weekly = p.weeklyHours ?? p.weekly_hours;
  const prefs = {
    ...defaultPrefs(scope),
    goals: isStringList(p.goals) ? p.goals : [],
    known: isStringList(p.known) ? p.known : [],
    weeklyHours: typeof weekly === 'number' && Number.isFinite(weekly) ? weekly : 5,
    budget: typeof p.budget === 'number' && Number.isFinite(p.budget) && p.budget >= 0 ? p.budget : null,
    currency: typeof p.currency === 'string' && p.currency ? p.currency : 'USD',
    language: typeof extra.language === 'string' ? extra.language : typeof p.language === 'string' ? p.language : 'auto',
    level: typeof p.level === 'string' ? /** @type {StatedLevel} */ (p.level) : null,
    onboarded: extra.onboarded === true,
    updatedAt: Date.now(),
  };
  if (p.events !== undefined && !Array.isArray(p.events)) throw new Error('its "events" is not a list');
  const events = (p.events ?? []).map((/** @type {unknown} */ e, /** @type {number} */ i) => {
    const fields = e && typeof e === 'object' && !Array.isArray(e) ? /** @type {Record<string, unknown>} */ (e) : { raw: e };
    const own = typeof fields.id === 'string' && fields.id !== '' ? fields.id : null;
    const { dataset: _d, scope: _s, deleted: _x, ...rest } = fields;
    return { ...rest, id: own ?? `${idPrefix}-${i}`, scope, t: typeof fields.t === 'number' ? fields.t : Number(fields.t) };
  });
  return { prefs, events };
}

/**
 * The engine's view of a learner (profile format version 2, docs/API.md): the store-only fields
 * (scope, source) stay here; each event keeps its id, so the engine's answers name stored records.
 * @param {Prefs} prefs
 * @param {EventRecord[]} events  live events, in the order to send
 * @param {string} language  the content language the engine matches ('' = any)
 * @returns {ProfileDocument}
 */
export function engineProfile(prefs, events, language) {
  return {
    format: PROFILE_FORMAT,
    version: PROFILE_VERSION,
    goals: prefs.goals,
    known: prefs.known,
    ...(prefs.budget !== null ? { budget: prefs.budget } : {}),
    currency: prefs.currency,
    language,
    weeklyHours: prefs.weeklyHours,
    ...(prefs.level ? { level: prefs.level } : {}),
    events: events.map(({ scope: _s, source: _src, deleted: _d, ...event }) => /** @type {LearnerEvent} */ (event)),
  };
}

// ---- schema upgrades -------------------------------------------------------------------------

/** @param {import('idb').IDBPDatabase<any>} db @param {number} oldVersion @param {number | null} _new @param {import('idb').IDBPTransaction<any, any, 'versionchange'>} tx */
async function upgrade(db, oldVersion, _new, tx) {
  /** @type {any} */
  let quarantine;
  if (oldVersion < 2) {
    const events = db.createObjectStore('events', { keyPath: 'id' });
    events.createIndex('scope', 'scope');
    db.createObjectStore('prefs', { keyPath: 'scope' });
    db.createObjectStore('settings', { keyPath: 'key' });
    quarantine = db.createObjectStore('quarantine', { keyPath: 'qid', autoIncrement: true });
  } else if (oldVersion === 2) {
    quarantine = tx.objectStore('quarantine');
    await upgradeV2(db, tx);
  }
  // Version 1: one whole-profile document per dataset ({dataset, doc, onboarded}).
  if (oldVersion === 1 && db.objectStoreNames.contains('profile')) {
    for (const old of await tx.objectStore('profile').getAll()) {
      try {
        const scope = old?.dataset;
        if (typeof scope !== 'string') throw new Error('it names no dataset');
        const { prefs, events } = recordsFromProfile(old.doc, scope, `v1-${scope}`, { onboarded: old.onboarded === true, language: old.doc?.language ?? '' });
        await tx.objectStore('prefs').put(prefs);
        for (const e of events) await tx.objectStore('events').put(e);
      } catch (error) {
        await quarantine.add({ scope: old?.dataset ?? '', store: 'profile (version 1)', reason: String(/** @type {Error} */ (error)?.message ?? error), raw: safeJson(old), at: Date.now() });
      }
    }
    db.deleteObjectStore('profile');
  }
}

/** Version 2 → 3: `dataset` becomes `scope`; preferences move to 'prefs' with camelCase fields. */
async function upgradeV2(/** @type {any} */ db, /** @type {any} */ tx) {
  const events = tx.objectStore('events');
  events.createIndex('scope', 'scope');
  for (let cursor = await events.openCursor(); cursor; cursor = await cursor.continue()) {
    const record = cursor.value;
    if (record && typeof record === 'object' && 'dataset' in record) {
      const { dataset, ...rest } = record;
      await cursor.update({ ...rest, scope: dataset });
    }
  }
  events.deleteIndex('dataset');
  const prefs = db.createObjectStore('prefs', { keyPath: 'scope' });
  for (const old of await tx.objectStore('profiles').getAll()) {
    if (!old || typeof old !== 'object' || typeof old.dataset !== 'string') {
      await tx.objectStore('quarantine').add({ scope: '', store: 'profiles (version 2)', reason: 'preferences record names no dataset', raw: safeJson(old), at: Date.now() });
      continue;
    }
    const { dataset, weekly_hours: weeklyHours, ...rest } = old;
    await prefs.put({ level: null, ...rest, weeklyHours, scope: dataset });
  }
  db.deleteObjectStore('profiles');
  const quarantine = tx.objectStore('quarantine');
  for (let cursor = await quarantine.openCursor(); cursor; cursor = await cursor.continue()) {
    const { dataset, ...rest } = cursor.value ?? {};
    await cursor.update({ ...rest, scope: typeof dataset === 'string' ? dataset : '' });
  }
}

/**
 * The widget's old database ("pathlight-widget", one whole-profile document per manifest URL):
 * read once, converted into records of scope "widget:<manifest URL>", then deleted. Nothing is
 * created when it does not exist.
 * @param {import('idb').IDBPDatabase<any>} db
 */
async function migrateOldWidgetStore(db) {
  /** @type {{key: string, value: unknown}[]} */
  const docs = await new Promise((resolve) => {
    let request;
    try {
      request = indexedDB.open(OLD_WIDGET_DB);
    } catch {
      resolve([]);
      return;
    }
    // An upgrade means there is no such database: abort, so none is created.
    request.onupgradeneeded = () => request.transaction?.abort();
    request.onerror = () => resolve([]);
    request.onsuccess = () => {
      const old = request.result;
      if (!old.objectStoreNames.contains('profiles')) {
        old.close();
        resolve([]);
        return;
      }
      const store = old.transaction('profiles').objectStore('profiles');
      const out = /** @type {{key: string, value: unknown}[]} */ ([]);
      const cursor = store.openCursor();
      cursor.onsuccess = () => {
        const c = cursor.result;
        if (c) {
          out.push({ key: String(c.key), value: c.value });
          c.continue();
        } else {
          old.close();
          resolve(out);
        }
      };
      cursor.onerror = () => {
        old.close();
        resolve([]);
      };
    };
  });
  if (docs.length === 0) return;
  const tx = db.transaction(['events', 'prefs', 'quarantine'], 'readwrite');
  for (const { key, value } of docs) {
    const scope = `widget:${key}`;
    try {
      const { prefs, events } = recordsFromProfile(value, scope, `w1-${hash(key)}`);
      if (!(await tx.objectStore('prefs').get(scope))) await tx.objectStore('prefs').put(prefs);
      for (const e of events) if (!(await tx.objectStore('events').get(e.id))) await tx.objectStore('events').put(e);
    } catch (error) {
      await tx.objectStore('quarantine').add({ scope, store: `${OLD_WIDGET_DB} (whole profile)`, reason: String(/** @type {Error} */ (error)?.message ?? error), raw: safeJson(value), at: Date.now() });
    }
  }
  await tx.done;
  await deleteDB(OLD_WIDGET_DB).catch(() => {});
}

/**
 * Why storage is not persistent.
 * @param {unknown} error
 * @returns {StorageProblem}
 */
function classify(error) {
  const name = /** @type {{name?: string}} */ (error)?.name ?? '';
  if (name === 'QuotaExceededError') return 'quota';
  if (name === 'VersionError') return 'newer';
  if (name === 'SecurityError' || name === 'InvalidStateError') return 'blocked';
  return 'failed';
}

/**
 * @template T
 * @param {Promise<T>} promise
 * @param {number} ms
 * @returns {Promise<T>}
 */
function withTimeout(promise, ms) {
  return Promise.race([
    promise,
    new Promise((_, reject) => setTimeout(() => reject(Object.assign(new Error('storage did not answer'), { name: 'TimeoutError' })), ms)),
  ]);
}

// ---- the store -------------------------------------------------------------------------------

/** The device's storage: one per page (app) or per widget realm. */
export class Store {
  /** @param {{onNotice?: (kind: StorageProblem | null, error?: unknown) => void}} [options] */
  constructor({ onNotice = () => {} } = {}) {
    /** @type {import('idb').IDBPDatabase<any> | null} */
    this.db = null;
    /** @type {'idb' | 'memory'} */
    this.mode = 'memory';
    /** @type {StorageProblem | null} */
    this.problem = null;
    this.onNotice = onNotice;
    /** Records not written yet (kept in memory, retried on the next write). @type {Map<string, [string, any]>} */
    this.pending = new Map();
    /** Quarantined records while storage is unavailable. @type {QuarantineRecord[]} */
    this.memoryQuarantine = [];
  }

  get persistent() {
    return this.mode === 'idb';
  }

  /** Opens the database (creating or upgrading it); false when the store works in memory. */
  async open() {
    if (typeof indexedDB === 'undefined' || indexedDB === null) return this.fail('unavailable');
    try {
      this.db = await withTimeout(openDB(DB_NAME, DB_VERSION, {
        upgrade,
        blocked: () => {},
        // Another tab upgraded (or erased) the database: let it proceed, keep working in memory.
        blocking: () => this.close(),
        terminated: () => { this.fail('failed'); },
      }), 5000);
      this.mode = 'idb';
      this.problem = null;
    } catch (error) {
      return this.fail(classify(error), error);
    }
    try {
      await migrateOldWidgetStore(this.db);
    } catch (error) {
      console.warn('Pathlight: the widget\'s old profiles could not be moved (kept where they are):', error);
    }
    return true;
  }

  /** @param {StorageProblem} kind @param {unknown} [error] */
  fail(kind, error) {
    if (error) console.warn('Pathlight: on-device storage is not available:', error);
    this.close();
    this.mode = 'memory';
    this.problem = kind;
    this.onNotice(kind, error);
    return false;
  }

  close() {
    this.db?.close();
    this.db = null;
    if (this.mode === 'idb') this.mode = 'memory';
  }

  /**
   * Everything stored for `scope`; records that are not intact move to quarantine.
   * @param {string} scope
   * @returns {Promise<Stored>}
   */
  async load(scope) {
    /** @type {Stored} */
    const out = { prefs: null, events: [], quarantine: [], settings: {}, setAside: 0 };
    if (!this.db) {
      out.quarantine = this.memoryQuarantine.slice();
      return out;
    }
    try {
      const tx = this.db.transaction(['events', 'prefs', 'settings', 'quarantine'], 'readwrite');
      const aside = (/** @type {string} */ store, /** @type {string} */ reason, /** @type {unknown} */ raw) => {
        out.setAside += 1;
        return tx.objectStore('quarantine').add({ scope, store, reason, raw: safeJson(raw), at: Date.now() });
      };
      const prefs = await tx.objectStore('prefs').get(scope);
      if (prefs !== undefined && !intactPrefs(prefs)) {
        await aside('prefs', 'preferences record has the wrong shape', prefs);
        await tx.objectStore('prefs').delete(scope);
      } else out.prefs = prefs ?? null;
      const events = tx.objectStore('events');
      for (const record of await events.index('scope').getAll(scope)) {
        if (intactEvent(record)) out.events.push(record);
        else {
          await aside('events', 'event record has no usable id, scope or time', record);
          await events.delete(record.id);
        }
      }
      // Records without a usable scope are outside the index: scan for them too.
      for (const key of await events.getAllKeys()) {
        const record = await events.get(key);
        if (typeof record?.scope !== 'string') {
          await aside('events', 'event record has no scope', record);
          await events.delete(key);
        }
      }
      for (const s of await tx.objectStore('settings').getAll()) out.settings[s.key] = s.value;
      out.quarantine = await tx.objectStore('quarantine').getAll();
      await tx.done;
    } catch (error) {
      this.fail(classify(error), error);
    }
    return out;
  }

  async readSettings() {
    if (!this.db) return {};
    try {
      /** @type {Record<string, unknown>} */
      const settings = {};
      for (const s of await this.db.getAll('settings')) settings[s.key] = s.value;
      return settings;
    } catch (error) {
      this.fail(classify(error), error);
      return {};
    }
  }

  /** Adds (or tombstones) event records; failures keep them pending in memory. @param {EventRecord[]} records */
  putEvents(records) {
    for (const r of records) this.pending.set(`events:${r.id}`, ['events', r]);
    return this.flush();
  }

  /** @param {Prefs} prefs */
  putPrefs(prefs) {
    this.pending.set(`prefs:${prefs.scope}`, ['prefs', prefs]);
    return this.flush();
  }

  /** @param {string} key @param {unknown} value */
  putSetting(key, value) {
    this.pending.set(`settings:${key}`, ['settings', { key, value }]);
    return this.flush();
  }

  async flush() {
    if (!this.db || this.pending.size === 0) return this.persistent;
    const batch = [...this.pending.entries()];
    try {
      const tx = this.db.transaction(['events', 'prefs', 'settings'], 'readwrite');
      // A tombstone always wins; an event id that is already stored is never rewritten.
      await Promise.all(batch.map(async ([, [store, record]]) => {
        if (store === 'events' && !record.deleted) {
          const existing = await tx.objectStore('events').get(record.id);
          if (existing) return;
        }
        await tx.objectStore(store).put(record);
      }));
      await tx.done;
      for (const [key, [, record]] of batch) if (this.pending.get(key)?.[1] === record) this.pending.delete(key);
      if (this.problem === 'quota') {
        this.problem = null;
        this.onNotice(null);
      }
      return true;
    } catch (error) {
      const kind = classify(error);
      console.warn('Pathlight: could not save on this device:', error);
      this.problem = kind;
      this.onNotice(kind, error);
      return false;
    }
  }

  /**
   * Keeps records aside with the reason they cannot be used (e.g. the engine's message).
   * @param {{scope: string, store: string, reason: string, raw: unknown}[]} list
   */
  async quarantine(list) {
    const records = list.map(({ raw, ...r }) => ({ ...r, raw: typeof raw === 'string' ? raw : safeJson(raw), at: Date.now() }));
    if (!this.db) {
      this.memoryQuarantine.push(...records.map((r, i) => ({ ...r, qid: `memory-${Date.now()}-${i}` })));
      return;
    }
    try {
      const tx = this.db.transaction('quarantine', 'readwrite');
      for (const r of records) await tx.store.add(r);
      await tx.done;
    } catch (error) {
      this.memoryQuarantine.push(...records.map((r, i) => ({ ...r, qid: `memory-${Date.now()}-${i}` })));
      this.fail(classify(error), error);
    }
  }

  /** @param {number | string} qid */
  async discardQuarantine(qid) {
    this.memoryQuarantine = this.memoryQuarantine.filter((q) => q.qid !== qid);
    if (!this.db || typeof qid !== 'number') return;
    await this.db.delete('quarantine', qid);
  }

  /**
   * What every scope in the database holds — data sets of the app and "widget:<manifest URL>" of the
   * widget on this origin — as counts: actions (event records), removal markers (tombstones) and
   * whether it has preferences. For the privacy centre's list of what is stored apart from the
   * current scope. Empty when nothing is persistent.
   * @returns {Promise<Map<string, {events: number, removed: number, prefs: boolean}>>}
   */
  async scopeCounts() {
    /** @type {Map<string, {events: number, removed: number, prefs: boolean}>} */
    const out = new Map();
    if (!this.db) return out;
    const entry = (/** @type {string} */ scope) => {
      if (!out.has(scope)) out.set(scope, { events: 0, removed: 0, prefs: false });
      return /** @type {{events: number, removed: number, prefs: boolean}} */ (out.get(scope));
    };
    try {
      const tx = this.db.transaction(['events', 'prefs'], 'readonly');
      for (let c = await tx.objectStore('events').index('scope').openCursor(); c; c = await c.continue()) {
        if (c.value?.deleted) entry(String(c.key)).removed += 1;
        else entry(String(c.key)).events += 1;
      }
      for (const key of await tx.objectStore('prefs').getAllKeys()) entry(String(key)).prefs = true;
      await tx.done;
    } catch (error) {
      this.fail(classify(error), error);
    }
    return out;
  }

  /** @returns {Promise<QuarantineRecord[]>} */
  async readQuarantine() {
    if (!this.db) return this.memoryQuarantine.slice();
    try {
      return [...await this.db.getAll('quarantine'), ...this.memoryQuarantine];
    } catch {
      return this.memoryQuarantine.slice();
    }
  }

  /** Deletes the whole database (every scope). Other tabs are asked to close first (see `blocking`). */
  async erase() {
    this.pending.clear();
    this.memoryQuarantine = [];
    const wasPersistent = this.db !== null;
    this.close();
    if (typeof indexedDB === 'undefined' || indexedDB === null) return;
    try {
      await withTimeout(deleteDB(DB_NAME), 5000);
    } catch (error) {
      console.warn('Pathlight: could not delete the database:', error);
    }
    if (wasPersistent || this.problem === null) await this.open();
  }
}

// ---- one learner (one scope) -----------------------------------------------------------------

/**
 * @typedef {{kind: 'remote', prefs?: boolean} | {kind: 'erase'} | {kind: 'settings', settings: Record<string, unknown>}} Change
 */

/**
 * The learner of one scope: preferences plus event records (tombstones included), merged with
 * other tabs and frames by id (a tombstone wins), so no event is ever lost.
 */
export class Learner {
  /** @param {Store} store @param {string} scope */
  constructor(store, scope) {
    this.store = store;
    this.scope = scope;
    /** @type {Prefs} */
    this.prefs = defaultPrefs(scope);
    /** id → event record or tombstone @type {Map<string, EventRecord>} */
    this.records = new Map();
    /** @type {Set<(change: Change) => void>} */
    this.listeners = new Set();
    /** @type {BroadcastChannel | null} */
    this.channel = null;
    try {
      this.channel = typeof BroadcastChannel === 'function' ? new BroadcastChannel(CHANNEL_NAME) : null;
    } catch {
      this.channel = null;  // a sandbox without it: this page's widgets are still linked directly
    }
    if (this.channel) this.channel.onmessage = ({ data }) => this.onMessage(data);
  }

  /** listener(change) for changes made elsewhere (another tab or frame). @param {(change: Change) => void} listener */
  subscribe(listener) {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** @param {Change} change */
  emit(change) {
    for (const listener of this.listeners) listener(change);
  }

  close() {
    this.channel?.close();
    this.channel = null;
  }

  /** Replaces the in-memory learner with what the store holds for `scope`. @param {string} scope @param {Partial<Stored>} [stored] */
  reset(scope, { prefs = null, events = [] } = {}) {
    this.scope = scope;
    this.prefs = prefs && intactPrefs(prefs) ? { ...prefs } : defaultPrefs(scope);
    this.records = new Map();
    for (const e of events) this.records.set(e.id, e);
  }

  /** Live events (no tombstones) in time order (ties by id, so every tab sorts alike). */
  events() {
    return [...this.records.values()]
      .filter((r) => !r.deleted)
      .sort((a, b) => a.t - b.t || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  }

  /** How many removed events are kept as tombstones {id, scope, t, deleted} (no item, no type). */
  removedCount() {
    let n = 0;
    for (const r of this.records.values()) n += r.deleted ? 1 : 0;
    return n;
  }

  /** @param {string} id */
  get(id) {
    const r = this.records.get(id);
    return r && !r.deleted ? r : null;
  }

  /** Live events of `types` on `item` (to undo them). @param {string} item @param {string[]} types */
  eventsOn(item, types) {
    return this.events().filter((e) => e.item === item && types.includes(/** @type {string} */ (e.type)));
  }

  /** The engine's profile document (PROFILE_VERSION) for the content language `language`. @param {string} language */
  profileDoc(language) {
    return engineProfile(this.prefs, this.events(), language);
  }

  /**
   * Appends one event; returns its record. Stored and sent to other tabs at once.
   * @param {string} type
   * @param {Record<string, unknown>} fields  item / concept / rating, and store-only `source`
   * @returns {EventRecord}
   */
  add(type, fields) {
    return this.append({ id: newEventId(), scope: this.scope, type, t: Date.now() / 1000, ...fields });
  }

  /** Keeps a record made by the caller (e.g. one the engine has just taken). @param {EventRecord} record */
  append(record) {
    this.records.set(record.id, record);
    this.store.putEvents([record]);
    this.post({ type: 'events', scope: this.scope, records: [record] });
    return record;
  }

  /** Removes events: each becomes a tombstone that every tab honours. @param {string[]} ids */
  remove(ids) {
    const tombstones = ids
      .filter((id) => this.records.has(id) && !this.records.get(id)?.deleted)
      .map((id) => ({ id, scope: this.scope, t: /** @type {EventRecord} */ (this.records.get(id)).t, deleted: true }));
    for (const t of tombstones) this.records.set(t.id, t);
    if (tombstones.length) {
      this.store.putEvents(tombstones);
      this.post({ type: 'events', scope: this.scope, records: tombstones });
    }
    return tombstones.length;
  }

  /** @param {Partial<Prefs>} patch */
  setPrefs(patch) {
    this.prefs = { ...this.prefs, ...patch, scope: this.scope, updatedAt: Date.now() };
    this.store.putPrefs(this.prefs);
    this.post({ type: 'prefs', scope: this.scope, prefs: this.prefs });
  }

  /** Merges records from elsewhere (another tab, the store). Returns true on change. @param {unknown[]} records */
  merge(records) {
    let changed = false;
    for (const r of records) {
      if (!intactEvent(r) || r.scope !== this.scope) continue;
      const mine = this.records.get(r.id);
      if (mine && (mine.deleted || !r.deleted)) continue;
      this.records.set(r.id, r);
      changed = true;
    }
    return changed;
  }

  /**
   * Imported events: kept with their ids when they have them; an event already here (same id, or
   * same content) is skipped. Returns the new records.
   * @param {Record<string, unknown>[]} events
   */
  importEvents(events) {
    const key = (/** @type {Record<string, unknown>} */ e) => `${e.type}|${e.item ?? ''}|${e.concept ?? ''}|${e.t}|${e.rating ?? ''}`;
    const seen = new Set(this.events().map(key));
    /** @type {EventRecord[]} */
    const fresh = [];
    for (const e of events) {
      const { dataset: _d, scope: _s, deleted: _x, ...rest } = e;
      const record = { ...rest, id: typeof e.id === 'string' && e.id ? e.id : newEventId(), scope: this.scope, t: /** @type {number} */ (e.t) };
      if (this.records.has(record.id) || seen.has(key(record)) || !intactEvent(record)) continue;
      seen.add(key(record));
      fresh.push(record);
    }
    for (const r of fresh) this.records.set(r.id, r);
    if (fresh.length) {
      this.store.putEvents(fresh);
      this.post({ type: 'events', scope: this.scope, records: fresh });
    }
    return fresh;
  }

  /** @param {unknown} message */
  post(message) {
    try {
      this.channel?.postMessage(message);
    } catch (error) {
      console.warn('Pathlight: could not reach other tabs:', error);
    }
  }

  /** @param {any} data */
  onMessage(data) {
    if (!data || typeof data !== 'object') return;
    if (data.type === 'erase') return this.emit({ kind: 'erase' });
    if (data.type === 'settings') return this.emit({ kind: 'settings', settings: data.settings });
    if (data.scope !== this.scope) return;
    if (data.type === 'events' && Array.isArray(data.records)) {
      if (this.merge(data.records)) this.emit({ kind: 'remote' });
    } else if (data.type === 'prefs' && intactPrefs(data.prefs) && data.prefs.updatedAt > this.prefs.updatedAt) {
      this.prefs = { ...data.prefs };
      this.emit({ kind: 'remote', prefs: true });
    }
  }
}
