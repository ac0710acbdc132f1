// The compact catalog part (file catalog.bin, dtype "catalog-v1", or "catalog-v2" with mentors'
// offerings; docs/bundle-format.md), read in
// the page. The engine (core/src/catalog_binary.cpp) verifies these bytes — SHA-256, layout, every
// index, UTF-8 — and only records of bytes it accepted are shown, so this reader only decodes: it
// returns the same document as the part's JSON form (Catalog::ToJson, dtype "json"). It relies on
// what the core checked: every string of the table is UTF-8 (so byte offsets map to UTF-16 offsets
// through the decoded text's non-ASCII units) and string 0 is "" (an item's or concept's "none"). It may be given a
// copy of the part before the engine has verified it (pathlight.js, a first load with
// prefetchCatalog): it checks the sizes and the list offsets itself, so that its work is bounded by
// the part's size whatever the bytes (wrong indices then give wrong records, never shown).

/**
 * @typedef {import('./pathlight').CatalogItem} CatalogItem
 * @typedef {import('./pathlight').Concept} Concept
 * @typedef {import('./pathlight').ItemKind} ItemKind
 * @typedef {import('./pathlight').Level} Level
 * @typedef {{concepts: number, items: number, strings: number, stringBytes: number, prerequisites: number,
 *   teaches: number, requires: number, languages: number, expertise: number, offerings: number}} Counts
 * @typedef {{stringOffsets: Uint32Array, stringData: Uint8Array, conceptId: Uint32Array, conceptName: Uint32Array,
 *   conceptNameZh: Uint32Array, prerequisiteOffsets: Uint32Array, prerequisites: Uint32Array, itemId: Uint32Array,
 *   itemTitle: Uint32Array, itemCurrency: Uint32Array, itemLanguage: Uint32Array, itemKind: Uint8Array,
 *   itemLevel: Uint8Array, itemPriceKnown: Uint8Array, itemPrice: Float64Array, itemHours: Float64Array,
 *   itemRating: Float64Array, itemCapacity: Uint32Array, teachesOffsets: Uint32Array, teaches: Uint32Array,
 *   requiresOffsets: Uint32Array, requires: Uint32Array, languagesOffsets: Uint32Array, languages: Uint32Array,
 *   expertiseOffsets: Uint32Array, expertiseConcepts: Uint32Array, expertiseWeights: Uint32Array,
 *   offeringsOffsets?: Uint32Array, offeringFormat?: Uint8Array, offeringPriceKnown?: Uint8Array,
 *   offeringSeats?: Uint32Array, offeringOpenSeats?: Uint32Array, offeringPrice?: Float64Array}} Columns
 * @typedef {{format: import('./pathlight').OfferingFormat, seats: number, open_seats: number,
 *   price_per_seat?: number}} OfferingDocument
 * @typedef {{offset: number, count: number, width: 1 | 4 | 8}} Section
 * @typedef {{id: string, name: string, prerequisites: string[], name_zh?: string}} ConceptDocument
 * @typedef {{id: string, kind: ItemKind, title: string, currency: string, level: Level, language: string,
 *   hours: number, teaches: string[], requires: string[], price?: number, languages?: string[], rating?: number,
 *   capacity?: number, expertise?: Record<string, number>, offerings?: OfferingDocument[]}} ItemDocument
 */

const MAGIC = 'PLCATLG1';
const MAGIC_V2 = 'PLCATLG2';  // catalog-v1 + the offerings sections (SECTIONS_V2)
const HEADER_BYTES = 48;
// Header counts after the magic, in file order.
/** @type {(keyof Counts)[]} */
const COUNTS = ['concepts', 'items', 'strings', 'stringBytes', 'prerequisites', 'teaches', 'requires', 'languages', 'expertise', 'offerings'];
// Sections in file order: [name, bytes per element, count, extra entries]; each starts 8-aligned.
/** @type {[keyof Columns, 1 | 4 | 8, keyof Counts, number][]} */
const SECTIONS = [
  ['stringOffsets', 4, 'strings', 1], ['stringData', 1, 'stringBytes', 0],
  ['conceptId', 4, 'concepts', 0], ['conceptName', 4, 'concepts', 0], ['conceptNameZh', 4, 'concepts', 0],
  ['prerequisiteOffsets', 4, 'concepts', 1], ['prerequisites', 4, 'prerequisites', 0],
  ['itemId', 4, 'items', 0], ['itemTitle', 4, 'items', 0], ['itemCurrency', 4, 'items', 0], ['itemLanguage', 4, 'items', 0],
  ['itemKind', 1, 'items', 0], ['itemLevel', 1, 'items', 0], ['itemPriceKnown', 1, 'items', 0],
  ['itemPrice', 8, 'items', 0], ['itemHours', 8, 'items', 0], ['itemRating', 8, 'items', 0], ['itemCapacity', 4, 'items', 0],
  ['teachesOffsets', 4, 'items', 1], ['teaches', 4, 'teaches', 0],
  ['requiresOffsets', 4, 'items', 1], ['requires', 4, 'requires', 0],
  ['languagesOffsets', 4, 'items', 1], ['languages', 4, 'languages', 0],
  ['expertiseOffsets', 4, 'items', 1], ['expertiseConcepts', 4, 'expertise', 0], ['expertiseWeights', 4, 'expertise', 0],
];
/** @type {[keyof Columns, 1 | 4 | 8, keyof Counts, number][]} */
const SECTIONS_V2 = [...SECTIONS,
  ['offeringsOffsets', 4, 'items', 1], ['offeringFormat', 1, 'offerings', 0], ['offeringPriceKnown', 1, 'offerings', 0],
  ['offeringSeats', 4, 'offerings', 0], ['offeringOpenSeats', 4, 'offerings', 0], ['offeringPrice', 8, 'offerings', 0],
];
/** @type {import('./pathlight').OfferingFormat[]} */
const FORMATS = ['one_to_one', 'group'];
// Each offsets section and the count of the list it indexes (the section after it, as the core
// pairs them): [[offsets, list count]].
/** @type {[keyof Columns, keyof Counts][]} */
const OFFSETS = SECTIONS_V2.flatMap(([name, , , extra], s) => (extra ? [[name, SECTIONS_V2[s + 1][2]]] : []));
const ARRAY_TYPES = { 1: Uint8Array, 4: Uint32Array, 8: Float64Array };
/** @type {ItemKind[]} */
const KINDS = ['course', 'ebook', 'consultation', 'membership', 'mentor'];
/** @type {Level[]} */
const LEVELS = ['beginner', 'intermediate', 'advanced', 'all'];

/** The constants this decoder shares with the engine's table (core/include/pathlight/limits.h):
 * tests/node/limits.test.mjs compares them with `pathlight limits`. */
export const CATALOG_FORMAT = Object.freeze({ magic: MAGIC, magicV2: MAGIC_V2, headerBytes: HEADER_BYTES, counts: COUNTS.length,
  kinds: KINDS, levels: LEVELS, offeringFormats: FORMATS });

/**
 * The header's counts and each section's byte offset and length: { counts, sections: {name:
 * {offset, count, bytes}}, size }. Throws an Error when the bytes are not this format (the hostile
 * corpus uses it to damage one field at a time).
 * @param {Uint8Array} bytes
 * @returns {{counts: Counts, sections: Record<keyof Columns, Section>, size: number}}
 */
export function catalogLayout(bytes) {
  const magic = bytes.length < HEADER_BYTES ? '' : new TextDecoder().decode(bytes.subarray(0, 8));
  if (magic !== MAGIC && magic !== MAGIC_V2) {
    throw new Error('not a Pathlight binary catalog (expected "PLCATLG1" or "PLCATLG2" at byte 0)');
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const counts = /** @type {Counts} */ (Object.fromEntries(COUNTS.map((name, c) => [name, view.getUint32(8 + 4 * c, true)])));
  const sections = /** @type {Record<keyof Columns, Section>} */ ({});
  let at = HEADER_BYTES;
  for (const [name, width, count, extra] of magic === MAGIC_V2 ? SECTIONS_V2 : SECTIONS) {
    at = Math.ceil(at / 8) * 8;
    const n = counts[count] + extra;
    sections[name] = { offset: at, count: n, width };
    at += n * width;
  }
  return { counts, sections, size: at };
}

/**
 * The verified part's columns as typed arrays over its bytes (little-endian hosts, as every browser
 * engine, read them in place) and its string table as JS strings: { counts, col, weights, strings }.
 * @param {Uint8Array} bytes
 */
function readColumns(bytes) {
  const { counts, sections, size } = catalogLayout(bytes);
  if (size !== bytes.length) throw new Error(`catalog.bin: the header's counts give ${size} bytes, the part has ${bytes.length}`);
  // Typed arrays need aligned offsets: copy once when the bytes sit at an odd place in their buffer.
  const buf = bytes.byteOffset % 8 === 0 ? bytes : bytes.slice();
  const buffer = /** @type {ArrayBuffer} */ (buf.buffer);
  const col = /** @type {Columns} */ ({});
  for (const [name, s] of /** @type {[keyof Columns, Section][]} */ (Object.entries(sections))) {
    /** @type {Record<string, Uint8Array | Uint32Array | Float64Array>} */ (col)[name] = new ARRAY_TYPES[s.width](buffer, buf.byteOffset + s.offset, s.count);
  }
  const weights = new Float32Array(buffer, buf.byteOffset + sections.expertiseWeights.offset, sections.expertiseWeights.count);
  // Offsets run from 0 to their list's length, in order (the core's CheckOffsets): the page may
  // decode a copy of the part before the engine has verified it (pathlight.js, prefetchCatalog),
  // and with these checked every loop below is bounded by the part's size, whatever its bytes.
  for (const [name, list] of OFFSETS) {
    const at = /** @type {Uint32Array | undefined} */ (col[name]);
    if (!at) continue;  // offeringsOffsets in catalog-v1
    const total = counts[list];
    for (let i = 0; i < at.length; i++) {
      if (i === 0 ? at[0] !== 0 : at[i] < at[i - 1] || at[i] > total) {
        throw new Error(`catalog.bin: section "${name}": entry ${i} = ${at[i]} is out of order or beyond ${total}`);
      }
    }
    if (at[at.length - 1] !== total) throw new Error(`catalog.bin: section "${name}" must end at ${total}, not ${at[at.length - 1]}`);
  }

  // Strings: one UTF-8 decode of the whole table, then each string is a slice of it. Byte offsets
  // are UTF-16 offsets when the text is ASCII (as long as its bytes: any other sequence decodes to
  // fewer units). Otherwise each non-ASCII UTF-16 unit (found by a regular expression, not a loop
  // over every byte: real catalogs are mostly ASCII) came from 2 bytes (U+0080..U+07FF, or either
  // half of a 4-byte sequence's surrogate pair) or 3 (the rest of the BMP); a string's first unit
  // is its byte offset less the extra bytes of the non-ASCII units before it.
  const data = col.stringData;
  const text = new TextDecoder('utf-8', { ignoreBOM: true }).decode(data);  // keep a leading U+FEFF: it is a string's first character
  /** @type {Uint32Array} */
  let unitAt = col.stringOffsets;
  if (text.length !== data.length) {
    /** @type {number[]} */
    const byteAt = [];   // byte offset of each non-ASCII unit, ascending
    /** @type {number[]} */
    const extraTo = [];  // extra bytes up to and including that unit
    let extra = 0;
    for (const m of text.matchAll(/[^\0-\x7f]/g)) {
      const c = m[0].charCodeAt(0);
      byteAt.push(/** @type {number} */ (m.index) + extra);
      extra += c < 0x800 || (c >= 0xD800 && c <= 0xDFFF) ? 1 : 2;
      extraTo.push(extra);
    }
    unitAt = col.stringOffsets.map((b) => {
      let lo = 0, hi = byteAt.length;  // the number of non-ASCII units that start before byte b
      while (lo < hi) {
        const mid = (lo + hi) >>> 1;
        if (byteAt[mid] < b) lo = mid + 1;
        else hi = mid;
      }
      return b - (lo === 0 ? 0 : extraTo[lo - 1]);
    });
  }
  /** @type {string[]} */
  const strings = new Array(counts.strings);
  for (let s = 0; s < counts.strings; s++) strings[s] = text.slice(unitAt[s], unitAt[s + 1]);
  return { counts, col, weights, strings };
}

// obj[key] = value as an own enumerable property, even for the key "__proto__" (a concept id like
// any other: plain assignment would set the object's prototype instead and lose the entry).
/** @param {object} obj @param {string} key @param {unknown} value */
function setOwn(obj, key, value) {
  Object.defineProperty(obj, key, { value, enumerable: true, writable: true, configurable: true });
}

// Item i's offerings in the catalog JSON form (catalog-v2; none in catalog-v1).
/** @param {Columns} col @param {number} i @returns {OfferingDocument[]} */
function offeringsOf(col, i) {
  const { offeringsOffsets: at, offeringFormat, offeringPriceKnown, offeringSeats, offeringOpenSeats, offeringPrice } = col;
  if (!at || !offeringFormat || !offeringPriceKnown || !offeringSeats || !offeringOpenSeats || !offeringPrice) return [];
  /** @type {OfferingDocument[]} */
  const out = [];
  for (let j = at[i]; j < at[i + 1]; j++) {
    /** @type {OfferingDocument} */
    const o = { format: FORMATS[offeringFormat[j]], seats: offeringSeats[j], open_seats: offeringOpenSeats[j] };
    if (offeringPriceKnown[j]) o.price_per_seat = offeringPrice[j];
    out.push(o);
  }
  return out;
}

// Entries offsets[i] .. offsets[i + 1] of `list`, each mapped through `names` (a JS array).
/** @param {Uint32Array} offsets @param {Uint32Array} list @param {number} i @param {string[]} names @returns {string[]} */
function listOf(offsets, list, i, names) {
  const begin = offsets[i], end = offsets[i + 1];
  /** @type {string[]} */
  const out = new Array(end - begin);
  for (let j = begin; j < end; j++) out[j - begin] = names[list[j]];
  return out;
}

/**
 * Decodes verified catalog-v1 bytes (a Uint8Array) into the catalog document of its JSON form:
 * { concepts: [{id, name, prerequisites, name_zh?}], items: [{id, kind, title, currency, level,
 * language, hours, teaches, requires, price?, languages?, rating?, capacity?, expertise?}] }, with
 * concept ids in the lists, as the core reads it (an empty name or title is the id): the tools
 * that write JSON catalogs from a bundle use it.
 * @param {Uint8Array} bytes
 * @returns {{concepts: ConceptDocument[], items: ItemDocument[]}}
 */
export function decodeCatalog(bytes) {
  const { counts, col, weights, strings } = readColumns(bytes);
  const conceptIds = Array.from(col.conceptId, (s) => strings[s]);
  /** @type {ConceptDocument[]} */
  const concepts = new Array(counts.concepts);
  for (let c = 0; c < counts.concepts; c++) {
    /** @type {ConceptDocument} */
    const concept = { id: conceptIds[c], name: strings[col.conceptName[c]] || conceptIds[c],
      prerequisites: listOf(col.prerequisiteOffsets, col.prerequisites, c, conceptIds) };
    if (col.conceptNameZh[c] !== 0) concept.name_zh = strings[col.conceptNameZh[c]];
    concepts[c] = concept;
  }
  /** @type {ItemDocument[]} */
  const items = new Array(counts.items);
  for (let i = 0; i < counts.items; i++) {
    const kind = KINDS[col.itemKind[i]];
    /** @type {ItemDocument} */
    const item = {
      id: strings[col.itemId[i]], kind, title: strings[col.itemTitle[i]] || strings[col.itemId[i]], currency: strings[col.itemCurrency[i]],
      level: LEVELS[col.itemLevel[i]], language: strings[col.itemLanguage[i]], hours: col.itemHours[i],
      teaches: listOf(col.teachesOffsets, col.teaches, i, conceptIds),
      requires: listOf(col.requiresOffsets, col.requires, i, conceptIds),
    };
    if (col.itemPriceKnown[i]) item.price = col.itemPrice[i];
    const e0 = col.expertiseOffsets[i], e1 = col.expertiseOffsets[i + 1];
    if (kind === 'mentor' || e1 > e0) {
      item.languages = listOf(col.languagesOffsets, col.languages, i, strings);
      item.rating = col.itemRating[i];
      item.capacity = col.itemCapacity[i];
      item.expertise = {};
      for (let j = e0; j < e1; j++) setOwn(item.expertise, conceptIds[col.expertiseConcepts[j]], weights[j]);
    }
    const offerings = offeringsOf(col, i);
    if (offerings.length) item.offerings = offerings;
    items[i] = item;
  }
  return { concepts, items };
}

// ---- The page's records (pathlight.d.ts CatalogItem / Concept) ------------------------------------
// With the defaults the core applies (core/src/catalog.cpp): a missing title or concept name is the
// id, kind "course", level "all", currency "USD", language "en"; mentors only carry languages,
// rating, capacity and expertise, with the values the core ranks with (f32 weights, an integer
// capacity).

/**
 * Page records from a catalog document of the JSON form (dtype "json"): { items, concepts }.
 * @param {{items: Partial<ItemDocument>[], concepts: Partial<ConceptDocument>[]}} doc
 * @returns {{items: CatalogItem[], concepts: Concept[]}}
 */
export function recordsFromDocument(doc) {
  const items = doc.items.map((item, index) => {
    /** @type {CatalogItem} */
    const out = {
      index,
      id: /** @type {string} */ (item.id),
      kind: item.kind ?? 'course',
      title: /** @type {string} */ (item.title || item.id),
      price: typeof item.price === 'number' ? item.price : null,
      currency: item.currency ?? 'USD',
      level: item.level ?? 'all',
      language: item.language ?? 'en',
      hours: item.hours ?? 0,
      teaches: item.teaches ?? [],
      requires: item.requires ?? [],
    };
    if (out.kind === 'mentor') {
      /** @type {Record<string, number>} */
      const expertise = {};
      for (const [c, w] of Object.entries(item.expertise ?? {})) setOwn(expertise, c, Math.fround(w));
      Object.assign(out, { languages: item.languages ?? [], rating: item.rating ?? 0, capacity: Math.trunc(item.capacity ?? 0), expertise });
    }
    return out;
  });
  const concepts = doc.concepts.map((c) => ({ id: /** @type {string} */ (c.id), name: /** @type {string} */ (c.name || c.id), nameZh: c.name_zh ?? '', prerequisites: c.prerequisites ?? [] }));
  return { items, concepts };
}

/**
 * Page records straight from verified catalog-v1 bytes: { items, concepts }, equal to
 * recordsFromDocument(decodeCatalog(bytes)) with one object per record instead of two (about
 * twice as fast for 100,000 items).
 * @param {Uint8Array} bytes
 * @returns {{items: CatalogItem[], concepts: Concept[]}}
 */
export function catalogRecords(bytes) {
  const { counts, col, weights, strings } = readColumns(bytes);
  const conceptIds = Array.from(col.conceptId, (s) => strings[s]);
  /** @type {Concept[]} */
  const concepts = new Array(counts.concepts);
  for (let c = 0; c < counts.concepts; c++) {
    concepts[c] = { id: conceptIds[c], name: strings[col.conceptName[c]] || conceptIds[c], nameZh: strings[col.conceptNameZh[c]],
      prerequisites: listOf(col.prerequisiteOffsets, col.prerequisites, c, conceptIds) };
  }
  /** @type {CatalogItem[]} */
  const items = new Array(counts.items);
  for (let i = 0; i < counts.items; i++) {
    const id = strings[col.itemId[i]];
    /** @type {CatalogItem} */
    const item = {
      index: i,
      id,
      kind: KINDS[col.itemKind[i]],
      title: strings[col.itemTitle[i]] || id,
      price: col.itemPriceKnown[i] ? col.itemPrice[i] : null,
      currency: strings[col.itemCurrency[i]],
      level: LEVELS[col.itemLevel[i]],
      language: strings[col.itemLanguage[i]],
      hours: col.itemHours[i],
      teaches: listOf(col.teachesOffsets, col.teaches, i, conceptIds),
      requires: listOf(col.requiresOffsets, col.requires, i, conceptIds),
    };
    if (item.kind === 'mentor') {
      item.languages = listOf(col.languagesOffsets, col.languages, i, strings);
      item.rating = col.itemRating[i];
      item.capacity = col.itemCapacity[i];
      /** @type {Record<string, number>} */
      const expertise = {};
      for (let j = col.expertiseOffsets[i]; j < col.expertiseOffsets[i + 1]; j++) setOwn(expertise, conceptIds[col.expertiseConcepts[j]], weights[j]);
      item.expertise = expertise;
    }
    items[i] = item;
  }
  return { items, concepts };
}
