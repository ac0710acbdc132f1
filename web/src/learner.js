// The learner as the app keeps them: preferences plus an append-only log of events, each with its
// own id. Two tabs stay consistent by exchanging records over a BroadcastChannel and merging them
// by id (a tombstone wins), so no event is ever lost; the engine gets the merged log sorted by time.
import { defaultPrefs, newEventId, validEvent, validPrefs } from './store.js';

export const CHANNEL_NAME = 'pathlight';

export class Learner {
  constructor(store, dataset) {
    this.store = store;
    this.dataset = dataset;
    this.prefs = defaultPrefs(dataset);
    this.records = new Map(); // id → event record or tombstone
    this.listeners = new Set();
    /** Maps the language setting to the engine's language (set by App: "auto" → UI language). */
    this.resolveLanguage = (code) => code;
    this.channel = typeof BroadcastChannel === 'function' ? new BroadcastChannel(CHANNEL_NAME) : null;
    if (this.channel) this.channel.onmessage = ({ data }) => this.onMessage(data);
  }

  /** listener({kind: 'remote'|'erase', ...}) for changes made by another tab. */
  subscribe(listener) {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  emit(change) {
    for (const listener of this.listeners) listener(change);
  }

  /** Replaces the in-memory learner with what the store holds for `dataset`. */
  reset(dataset, { prefs = null, events = [] } = {}) {
    this.dataset = dataset;
    this.prefs = prefs && validPrefs(prefs) ? { ...prefs } : defaultPrefs(dataset);
    this.records = new Map();
    for (const e of events) this.records.set(e.id, e);
  }

  /** Live events (no tombstones) in time order (ties by id, so every tab sorts alike). */
  events() {
    return [...this.records.values()]
      .filter((r) => !r.deleted)
      .sort((a, b) => a.t - b.t || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  }

  /** The profile document the engine reads (docs/API.md, setProfile). */
  profileDoc() {
    const p = this.prefs;
    return {
      format: 'pathlight-profile',
      version: 1,
      goals: p.goals,
      known: p.known,
      ...(p.budget !== null ? { budget: p.budget } : {}),
      currency: p.currency,
      language: this.resolveLanguage(p.language),
      weekly_hours: p.weekly_hours,
      events: this.events().map(engineEvent),
    };
  }

  /** Appends one event; returns its record. Stored and sent to other tabs at once. */
  add(type, fields) {
    const record = { id: newEventId(), dataset: this.dataset, type, t: Date.now() / 1000, ...fields };
    if (!validEvent(record)) throw new Error(`invalid event ${JSON.stringify(record)}`);
    this.records.set(record.id, record);
    this.store.putEvents([record]);
    this.post({ type: 'events', dataset: this.dataset, records: [record] });
    return record;
  }

  /** Removes events (undo): each becomes a tombstone that every tab honours. */
  remove(ids) {
    const tombstones = ids
      .filter((id) => this.records.has(id))
      .map((id) => ({ id, dataset: this.dataset, t: this.records.get(id).t, deleted: true }));
    for (const t of tombstones) this.records.set(t.id, t);
    this.store.putEvents(tombstones);
    this.post({ type: 'events', dataset: this.dataset, records: tombstones });
  }

  setPrefs(patch) {
    this.prefs = { ...this.prefs, ...patch, dataset: this.dataset, updatedAt: Date.now() };
    this.store.putPrefs(this.prefs);
    this.post({ type: 'prefs', dataset: this.dataset, prefs: this.prefs });
  }

  /** Merges records from elsewhere (another tab, the store, an import). Returns true on change. */
  merge(records) {
    let changed = false;
    for (const r of records) {
      if (!validEvent(r) || r.dataset !== this.dataset) continue;
      const mine = this.records.get(r.id);
      if (mine && (mine.deleted || !r.deleted)) continue;
      this.records.set(r.id, r);
      changed = true;
    }
    return changed;
  }

  /** Imported events: kept with their ids when they have them; duplicates are skipped. */
  importEvents(events) {
    const seen = new Set(this.events().map(contentKey));
    const fresh = [];
    for (const e of events) {
      const record = { ...e, id: typeof e.id === 'string' && e.id ? e.id : newEventId(), dataset: this.dataset };
      delete record.deleted;
      if (this.records.has(record.id) || seen.has(contentKey(record))) continue;
      if (!validEvent(record)) continue;
      seen.add(contentKey(record));
      fresh.push(record);
    }
    for (const r of fresh) this.records.set(r.id, r);
    this.store.putEvents(fresh);
    this.post({ type: 'events', dataset: this.dataset, records: fresh });
    return fresh.length;
  }

  post(message) {
    try {
      this.channel?.postMessage(message);
    } catch (error) {
      console.warn('Pathlight: could not reach other tabs:', error);
    }
  }

  onMessage(data) {
    if (!data || typeof data !== 'object') return;
    if (data.type === 'erase') return this.emit({ kind: 'erase' });
    if (data.type === 'settings') return this.emit({ kind: 'settings', settings: data.settings });
    if (data.dataset !== this.dataset) return;
    if (data.type === 'events' && Array.isArray(data.records)) {
      if (this.merge(data.records)) this.emit({ kind: 'remote' });
    } else if (data.type === 'prefs' && validPrefs(data.prefs) && data.prefs.updatedAt > this.prefs.updatedAt) {
      this.prefs = { ...data.prefs };
      this.emit({ kind: 'remote', prefs: true });
    }
  }

  // ---- what the learner has done, for the views -------------------------------------------

  /** Latest state per item: {enrolled, completed, bookmarked, dismissed, rating, booked, ids}. */
  itemStates() {
    const states = new Map();
    for (const e of this.events()) {
      if (!e.item) continue;
      const s = states.get(e.item) ?? { ids: [] };
      s.ids.push(e.id);
      if (e.type === 'enroll') s.enrolled = e;
      else if (e.type === 'complete') s.completed = e;
      else if (e.type === 'bookmark') s.bookmarked = e;
      else if (e.type === 'dismiss') s.dismissed = e;
      else if (e.type === 'rate' || e.type === 'mentor_rated') s.rating = e;
      else if (e.type === 'mentor_booked') s.booked = e;
      states.set(e.item, s);
    }
    return states;
  }

  /** Concepts the learner stated as known (onboarding plus "I know this"). */
  knownConcepts() {
    const known = new Set(this.prefs.known);
    for (const e of this.events()) if (e.type === 'know_concept') known.add(e.concept);
    return known;
  }
}

function engineEvent(e) {
  const out = { type: e.type, t: e.t };
  if (e.item) out.item = e.item;
  if (e.concept) out.concept = e.concept;
  if (e.rating !== undefined) out.rating = e.rating;
  return out;
}

function contentKey(e) {
  return `${e.type}|${e.item ?? ''}|${e.concept ?? ''}|${e.t}|${e.rating ?? ''}`;
}
