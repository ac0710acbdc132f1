// The reader: one learner session per bundle, shared by every widget in this document.
// Owns the engine (createPathlight from ../engine/pathlight.js), keeps the reader's profile in
// IndexedDB under this document's origin, and links widgets: in this page directly, in other tabs
// or frames of the same origin (and storage partition) through a BroadcastChannel. Nothing here
// sends anything over the network; the only requests are the engine's GETs for static files.
import { createPathlight, PathlightError } from '../engine/pathlight.js';

export { PathlightError };

export const KINDS = ['course', 'ebook', 'consultation', 'membership', 'mentor'];
const ITEM_EVENTS = ['view', 'bookmark', 'enroll', 'complete', 'rate', 'dismiss', 'mentor_booked', 'mentor_rated'];
const MAX_INTERESTS = 3;
const DB_NAME = 'pathlight-widget';
const STORE = 'profiles';

const readers = new Map();

/** The shared reader for a bundle (absolute manifest URL) and pin. A failed load is forgotten. */
export function getReader(manifestUrl, integrity) {
  const key = `${manifestUrl}\n${integrity || ''}`;
  let reader = readers.get(key);
  if (!reader) {
    reader = new Reader(manifestUrl, integrity);
    readers.set(key, reader);
    reader.ready.catch(() => readers.delete(key));
  }
  return reader;
}

class Reader {
  constructor(manifestUrl, integrity) {
    this.manifestUrl = manifestUrl;
    this.integrity = integrity;
    this.listeners = new Set();
    this.tail = Promise.resolve();
    this.interests = [];     // concept ids the reader read about (most recent first)
    this.base = {};          // preferences kept from the stored profile (known, budget, …)
    this.known = new Set();  // concepts the reader knows (see knownConcepts)
    this.ready = this.start();
  }

  async start() {
    const engineUrl = new URL('../engine/pathlight.js', import.meta.url);
    // A Worker must be same-origin with the page that starts it: on a host page from another
    // origin the engine runs in the page itself (its work per update is well under a millisecond).
    const worker = typeof Worker !== 'undefined' && engineUrl.origin === globalThis.location?.origin;
    try {
      this.engine = await createPathlight({ bundleUrl: this.manifestUrl, integrity: this.integrity || undefined, worker });
    } catch (e) {
      throw asPathlightError(e, 'engine_load_failed');
    }
    const [items, concepts] = await Promise.all([this.engine.items(), this.engine.concepts()]);
    this.items = new Map(items.map((it) => [it.id, it]));
    this.concepts = concepts;
    this.conceptById = new Map(concepts.map((c) => [c.id, c]));
    this.next = new Map();   // concept → the concepts it is a prerequisite of
    for (const c of concepts) {
      for (const p of c.prerequisites) this.next.set(p, [...(this.next.get(p) ?? []), c.id]);
    }
    this.info = this.engine.info;
    this.store = await openStore();
    const saved = await this.store?.get(this.manifestUrl).catch(() => undefined);
    if (saved) {
      try {
        await this.engine.setProfile(saved);
      } catch (e) {
        console.warn(`[pathlight-recs] the stored profile could not be read and was set aside (${e.code}): ${e.message}`);
      }
    }
    await this.syncFromEngine();
    try {
      this.channel = new BroadcastChannel(`pathlight:${this.manifestUrl}`);
      this.channel.onmessage = ({ data }) => {
        if (data?.type === 'profile' && data.profile && typeof data.profile === 'object') {
          this.queue(async () => {
            await this.engine.setProfile(data.profile);
            await this.syncFromEngine();
          }).then(() => this.notify(), () => {});
        }
      };
    } catch {
      this.channel = null;  // no BroadcastChannel: widgets in this page are still linked directly
    }
    return this;
  }

  /** Runs engine work one task at a time (widgets share one session and its preferences). */
  queue(task) {
    const run = this.tail.then(task);
    this.tail = run.catch(() => {});
    return run;
  }

  subscribe(listener) {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  notify() {
    for (const listener of this.listeners) listener();
  }

  async syncFromEngine(exported) {
    const doc = exported ?? await this.engine.exportProfile();
    this.known = this.knownConcepts(doc);
    this.interests = Array.isArray(doc.goals) ? doc.goals.slice(0, MAX_INTERESTS) : [];
    this.base = { known: doc.known ?? [] };
    for (const key of ['budget', 'currency', 'language', 'weekly_hours']) {
      if (doc[key] !== undefined && doc[key] !== '') this.base[key] = doc[key];
    }
  }

  /** Concepts the reader knows: stated, learned (know_concept), or taught by what they completed, with prerequisites. */
  knownConcepts(doc) {
    const known = new Set(doc.known ?? []);
    for (const e of doc.events ?? []) {
      if (e.type === 'know_concept' && e.concept) known.add(e.concept);
      else if (e.type === 'complete') for (const c of this.items.get(e.item)?.teaches ?? []) known.add(c);
    }
    const stack = [...known];
    while (stack.length) {
      for (const p of this.conceptById.get(stack.pop())?.prerequisites ?? []) {
        if (!known.has(p)) {
          known.add(p);
          stack.push(p);
        }
      }
    }
    return known;
  }

  /** A goal the reader already knows points on: to the concepts it is a prerequisite of. */
  nextGoals(goals) {
    const out = [];
    for (const g of goals) {
      const candidates = this.known.has(g) ? (this.next.get(g) ?? []).filter((c) => !this.known.has(c)).slice(0, 3) : [g];
      for (const c of candidates) if (!out.includes(c)) out.push(c);
    }
    return out;
  }

  /** Concept ids for a topic attribute (see matchTopic). */
  topicConcepts(topic) {
    return matchTopic(topic, this.concepts);
  }

  /**
   * Suggestions for goal concepts + the reader's own history.
   * kinds: item kinds; limit: how many. Mentors come from mentor matching (expertise covering the
   * gap to the goal); with other kinds, at most one mentor closes the list.
   */
  recommend({ goals, kinds, limit }) {
    return this.queue(async () => {
      const all = this.nextGoals([...new Set([...goals, ...this.interests])]);
      await this.engine.setPreferences({ ...this.base, goals: all });
      const others = kinds.filter((k) => k !== 'mentor');
      const mentorSlots = kinds.includes('mentor') ? (others.length ? Math.min(1, limit - 1) : limit) : 0;
      let mentors = [];
      if (mentorSlots > 0) {
        mentors = (await this.engine.mentors({ k: mentorSlots })).mentors.map((m) => ({
          ...this.items.get(m.id), covers: m.covers,
        }));
      }
      let main = [];
      const k = limit - mentors.length;
      if (others.length && k > 0) {
        const onlyMemberships = others.length === 1 && others[0] === 'membership';
        main = (await this.engine.recommend({ k, kinds: others, maxMemberships: onlyMemberships ? k : 1 }))
          .map((r) => ({ ...this.items.get(r.id), reasons: r.reasons, because: r.because }));
      }
      return [...main, ...mentors];
    });
  }

  /** Records what the reader did (see toEvent); updates every linked widget. */
  record(activity) {
    let change;
    try {
      change = toEvent(activity, this);
    } catch (e) {
      return Promise.reject(e);
    }
    return this.queue(async () => {
      if (change.interest) {
        this.interests = [change.interest, ...this.interests.filter((c) => c !== change.interest)].slice(0, MAX_INTERESTS);
        await this.engine.setPreferences({ ...this.base, goals: this.interests });
      } else {
        await this.engine.addEvent(change.event);
      }
      const doc = await this.engine.exportProfile();
      doc.goals = this.interests;  // the page's topic is context, not a goal the reader set
      this.known = this.knownConcepts(doc);
      await this.store?.put(this.manifestUrl, doc).catch((e) => {
        console.warn(`[pathlight-recs] the profile could not be saved on this device: ${e?.message ?? e}`);
      });
      try {
        this.channel?.postMessage({ type: 'profile', profile: doc });
      } catch { /* a closed channel: nothing to tell */ }
      return { events: doc.events?.length ?? 0 };
    }).then((result) => {
      this.notify();
      return result;
    });
  }
}

function asPathlightError(e, fallbackCode) {
  if (e instanceof PathlightError || (e && typeof e.code === 'string' && typeof e.message === 'string')) return e;
  return new PathlightError(fallbackCode, String(e?.message ?? e));
}

/**
 * Maps a host-reported activity to an engine event (docs/WIDGET.md, "The reader acted"):
 *   {type: view|bookmark|enroll|complete|rate|dismiss|mentor_booked|mentor_rated, item, rating?}
 *   {type: complete|know_concept, concept}   → know_concept (the reader learned it)
 *   {type: view|read, concept}               → interest: the concept joins the reader's goals
 * A concept may be an id or words matched like the topic attribute. Throws PathlightError.
 */
export function toEvent(activity, reader) {
  const bad = (message) => new PathlightError('invalid_argument', message);
  if (!activity || typeof activity !== 'object') throw bad('an activity is an object like {type: "complete", concept: "docker"}');
  const type = String(activity.type ?? '');
  if (activity.item !== undefined && activity.item !== null) {
    const item = String(activity.item);
    if (!ITEM_EVENTS.includes(type)) throw bad(`activity type "${type}" is not one of ${ITEM_EVENTS.join(', ')}`);
    if (!reader.items.has(item)) throw new PathlightError('unknown_id', `item "${item}" is not in this bundle's catalog`);
    const event = { type, item };
    if (type === 'rate' || type === 'mentor_rated') {
      const rating = Number(activity.rating);
      if (!(rating >= 1 && rating <= 5)) throw bad('a rating must be a number from 1 to 5');
      event.rating = rating;
    }
    return { event };
  }
  if (activity.concept !== undefined && activity.concept !== null) {
    const [concept] = matchTopic(String(activity.concept), reader.concepts);
    if (!concept) throw new PathlightError('unknown_id', `concept "${activity.concept}" matches nothing in this bundle's knowledge graph`);
    if (type === 'complete' || type === 'know_concept') return { event: { type: 'know_concept', concept } };
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

function normalize(s) {
  return String(s).normalize('NFKC').toLowerCase();
}

function words(s) {
  return normalize(s).split(/[^\p{L}\p{N}+#.]+/u).map((w) => w.replace(/^\.+|\.+$/g, '')).filter(Boolean);
}

/**
 * Concept ids for a topic: comma-separated parts, each a concept id, a concept name (English or
 * Chinese), or free words (e.g. a thread title) matched against concept names. [] when nothing
 * matches. Deterministic: ties go to the concept named earliest in the text, then catalog order.
 */
export function matchTopic(topic, concepts) {
  const text = String(topic ?? '').slice(0, 500).trim();
  if (!text) return [];
  const ids = [];
  for (const part of text.split(/[,，、]/)) {
    const id = matchOne(part.trim(), concepts);
    if (id && !ids.includes(id)) ids.push(id);
  }
  return ids;
}

function matchOne(part, concepts) {
  if (!part) return null;
  const text = normalize(part);
  for (const c of concepts) {
    if (c.id.toLowerCase() === text || normalize(c.name) === text || (c.nameZh && normalize(c.nameZh) === text)) return c.id;
  }
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

// ---------- storage (IndexedDB under this document's origin and storage partition) ----------

function request(req) {
  return new Promise((resolve, reject) => {
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => reject(req.error);
  });
}

/** {get, put} over one object store, or null where storage is blocked (the profile then lives in memory). */
async function openStore() {
  let db;
  try {
    const open = indexedDB.open(DB_NAME, 1);
    open.onupgradeneeded = () => open.result.createObjectStore(STORE);
    db = await request(open);
  } catch (e) {
    console.info(`[pathlight-recs] storage is not available here (${e?.name ?? e}); the reader's history lasts for this page view only`);
    return null;
  }
  const tx = (mode) => db.transaction(STORE, mode).objectStore(STORE);
  return {
    get: async (key) => request(tx('readonly').get(key)),
    put: async (key, value) => request(tx('readwrite').put(value, key)),
  };
}
