// On-device storage of the learner's profile: IndexedDB (through `idb`), one database per browser
// profile, never sent anywhere.
//
// Schema (DB_VERSION 2):
//   events      keyPath 'id'      {id, dataset, type, item?, concept?, t, rating?}  — append-only;
//                                 a removed event becomes a tombstone {id, dataset, t, deleted: true}
//   profiles    keyPath 'dataset' {dataset, goals, known, weekly_hours, budget, currency, language,
//                                  onboarded, updatedAt}; language: 'auto' (the interface language,
//                                  the default), '' (any, chosen) or a catalog language code
//   settings    keyPath 'key'     {key, value}   (uiLanguage, dataset)
//   quarantine  autoIncrement 'qid' {qid, dataset, store, reason, raw, at} — records that could not
//                                 be read, kept aside (never silently overwritten) and exportable
// Version 1 (the first layout) kept one document per dataset in 'profile' ({dataset, doc, onboarded}
// with the whole event log inside doc). Two tabs writing that document overwrote each other's
// events; version 2 stores each event under its own id so concurrent tabs only ever add records.
// upgrade() migrates version-1 documents record by record (unreadable ones go to quarantine).
//
// When IndexedDB is missing, blocked (some private modes), from a newer app version, or full, the
// store keeps working in memory for the session and reports why through `onNotice`.
import { openDB, deleteDB } from 'idb';

export const DB_NAME = 'pathlight';
export const DB_VERSION = 2;

const EVENT_TYPES = new Set(['view', 'bookmark', 'enroll', 'complete', 'rate', 'dismiss', 'know_concept',
  'mentor_booked', 'mentor_rated']);

export function newEventId() {
  if (globalThis.crypto?.randomUUID) return crypto.randomUUID();
  return `${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 12)}`;
}

/** A stored event record is usable when it has the shape the engine expects. */
export function validEvent(record) {
  if (!record || typeof record !== 'object' || typeof record.id !== 'string' || record.id === '') return false;
  if (typeof record.dataset !== 'string') return false;
  if (!Number.isFinite(record.t) || record.t < 0) return false;
  if (record.deleted === true) return true;
  if (!EVENT_TYPES.has(record.type)) return false;
  if (record.type === 'know_concept') {
    if (typeof record.concept !== 'string' || record.concept === '') return false;
  } else if (typeof record.item !== 'string' || record.item === '') return false;
  if (record.type === 'rate' || record.type === 'mentor_rated') {
    if (!Number.isInteger(record.rating) || record.rating < 1 || record.rating > 5) return false;
  }
  return true;
}

const isStringList = (v) => Array.isArray(v) && v.every((s) => typeof s === 'string');

/** A stored preferences record is usable when every field has the right type. */
export function validPrefs(record) {
  if (!record || typeof record !== 'object' || typeof record.dataset !== 'string') return false;
  if (!isStringList(record.goals) || !isStringList(record.known)) return false;
  if (record.budget !== null && !(Number.isFinite(record.budget) && record.budget >= 0)) return false;
  if (!(Number.isFinite(record.weekly_hours) && record.weekly_hours >= 0)) return false;
  if (typeof record.currency !== 'string' || typeof record.language !== 'string') return false;
  return typeof record.onboarded === 'boolean';
}

export function defaultPrefs(dataset) {
  return { dataset, goals: [], known: [], weekly_hours: 5, budget: null, currency: 'USD', language: 'auto', onboarded: false, updatedAt: 0 };
}

/** Migrates one version-1 document into version-2 records; throws when it is unreadable. */
export function migrateV1(doc) {
  if (!doc || typeof doc !== 'object' || typeof doc.dataset !== 'string' || !doc.doc || typeof doc.doc !== 'object') {
    throw new Error('not a version-1 profile document');
  }
  const p = doc.doc;
  const prefs = {
    ...defaultPrefs(doc.dataset),
    goals: p.goals ?? [],
    known: p.known ?? [],
    weekly_hours: p.weekly_hours ?? 5,
    budget: typeof p.budget === 'number' && p.budget >= 0 ? p.budget : null,
    currency: p.currency ?? 'USD',
    language: p.language ?? '',
    onboarded: doc.onboarded === true,
    updatedAt: Date.now(),
  };
  if (!validPrefs(prefs)) throw new Error('its preferences are not readable');
  const events = (Array.isArray(p.events) ? p.events : []).map((e, i) => ({
    // Deterministic ids: a migration that runs twice (two tabs) writes the same records.
    id: `v1-${doc.dataset}-${i}`,
    dataset: doc.dataset,
    ...e,
  }));
  const bad = events.findIndex((e) => !validEvent(e));
  if (bad >= 0) throw new Error(`event ${bad} is not readable`);
  return { prefs, events };
}

async function upgrade(db, oldVersion, _newVersion, tx) {
  if (oldVersion < 1) db.createObjectStore('profile', { keyPath: 'dataset' });
  if (oldVersion < 2) {
    const events = db.createObjectStore('events', { keyPath: 'id' });
    events.createIndex('dataset', 'dataset');
    const profiles = db.createObjectStore('profiles', { keyPath: 'dataset' });
    db.createObjectStore('settings', { keyPath: 'key' });
    const quarantine = db.createObjectStore('quarantine', { keyPath: 'qid', autoIncrement: true });
    // A version-1 database without its store (created empty by something else) has nothing to move.
    if (!db.objectStoreNames.contains('profile')) return;
    for (const old of await tx.objectStore('profile').getAll()) {
      try {
        const { prefs, events: list } = migrateV1(old);
        await profiles.put(prefs);
        for (const e of list) await events.put(e);
      } catch (error) {
        await quarantine.add({ dataset: old?.dataset ?? '', store: 'profile (version 1)', reason: error.message, raw: safeJson(old), at: Date.now() });
      }
    }
    db.deleteObjectStore('profile');
  }
}

function safeJson(value) {
  try {
    return JSON.stringify(value);
  } catch {
    return String(value);
  }
}

/** Why storage is not persistent: 'unavailable' | 'blocked' | 'newer' | 'quota' | 'failed'. */
function classify(error) {
  const name = error?.name ?? '';
  if (name === 'QuotaExceededError') return 'quota';
  if (name === 'VersionError') return 'newer';
  if (name === 'SecurityError' || name === 'InvalidStateError') return 'blocked';
  return 'failed';
}

export class Store {
  /** onNotice(kind|null, error?) reports a change of storage health for the UI. */
  constructor({ onNotice = () => {} } = {}) {
    this.db = null;
    this.mode = 'memory';
    this.problem = null;
    this.onNotice = onNotice;
    this.pending = new Map(); // records not yet written (kept in memory, retried on the next write)
  }

  get persistent() {
    return this.mode === 'idb';
  }

  async open() {
    if (typeof indexedDB === 'undefined' || indexedDB === null) return this.fail('unavailable');
    try {
      this.db = await withTimeout(openDB(DB_NAME, DB_VERSION, {
        upgrade,
        blocked: () => {},
        // Another tab upgraded (or erased) the database: let it proceed, keep working in memory.
        blocking: () => this.close(),
        terminated: () => this.fail('failed'),
      }), 5000);
      this.mode = 'idb';
      this.problem = null;
      return true;
    } catch (error) {
      return this.fail(classify(error), error);
    }
  }

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

  /** Everything stored for `dataset`, with unreadable records moved to quarantine. */
  async load(dataset) {
    const out = { prefs: null, events: [], quarantine: [], settings: {}, setAside: 0 };
    if (!this.db) return out;
    try {
      const tx = this.db.transaction(['events', 'profiles', 'settings', 'quarantine'], 'readwrite');
      const prefs = await tx.objectStore('profiles').get(dataset);
      if (prefs !== undefined && !validPrefs(prefs)) {
        await tx.objectStore('quarantine').add({ dataset, store: 'profiles', reason: 'preferences record has the wrong shape', raw: safeJson(prefs), at: Date.now() });
        await tx.objectStore('profiles').delete(dataset);
        out.setAside += 1;
      } else out.prefs = prefs ?? null;
      const eventStore = tx.objectStore('events');
      for (const record of await eventStore.index('dataset').getAll(dataset)) {
        if (validEvent(record)) out.events.push(record);
        else {
          await tx.objectStore('quarantine').add({ dataset, store: 'events', reason: 'event record has the wrong shape', raw: safeJson(record), at: Date.now() });
          await eventStore.delete(record.id);
          out.setAside += 1;
        }
      }
      // Records with no usable key land outside the dataset index: scan for them too.
      for (const record of await eventStore.getAll()) {
        if (typeof record?.dataset !== 'string') {
          await tx.objectStore('quarantine').add({ dataset: '', store: 'events', reason: 'event record has no dataset', raw: safeJson(record), at: Date.now() });
          await eventStore.delete(record.id);
          out.setAside += 1;
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
      const settings = {};
      for (const s of await this.db.getAll('settings')) settings[s.key] = s.value;
      return settings;
    } catch (error) {
      this.fail(classify(error), error);
      return {};
    }
  }

  /** Adds (or tombstones) event records; failures keep them pending in memory. */
  putEvents(records) {
    for (const r of records) this.pending.set(`events:${r.id}`, ['events', r]);
    return this.flush();
  }

  putPrefs(prefs) {
    this.pending.set(`profiles:${prefs.dataset}`, ['profiles', prefs]);
    return this.flush();
  }

  putSetting(key, value) {
    this.pending.set(`settings:${key}`, ['settings', { key, value }]);
    return this.flush();
  }

  async flush() {
    if (!this.db || this.pending.size === 0) return this.persistent;
    const batch = [...this.pending.entries()];
    try {
      const tx = this.db.transaction(['events', 'profiles', 'settings'], 'readwrite');
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

  async discardQuarantine(qid) {
    if (!this.db) return;
    await this.db.delete('quarantine', qid);
  }

  async readQuarantine() {
    if (!this.db) return [];
    try {
      return await this.db.getAll('quarantine');
    } catch {
      return [];
    }
  }

  /** Deletes the whole database. Other tabs are asked to close first (see `blocking`). */
  async erase() {
    this.pending.clear();
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

function withTimeout(promise, ms) {
  return Promise.race([
    promise,
    new Promise((_, reject) => setTimeout(() => reject(Object.assign(new Error('storage did not answer'), { name: 'TimeoutError' })), ms)),
  ]);
}
