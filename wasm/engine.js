// EngineHost: owns one WASM Engine (one learner session) and loads bundles into it.
// Runs inside the Web Worker (worker.js) or, where there is no Worker (Node, tests), in-process.
// The only network traffic is GET requests for the engine and the bundle's static files.

/**
 * @typedef {import('./pathlight').PathlightErrorCode} PathlightErrorCode
 * @typedef {import('./pathlight').BundleInfo} BundleInfo
 * @typedef {import('./pathlight').HistoryEntry} HistoryEntry
 * @typedef {import('./pathlight_core').PathlightCore} PathlightCore
 * @typedef {import('./pathlight_core').CoreEngine} CoreEngine
 * @typedef {import('./pathlight_core').CoreError} CoreError
 * @typedef {{dtype: 'catalog-v1' | 'catalog-v2' | 'json', bytes: Uint8Array}} CatalogPart
 * @typedef {(loaded: number, total: number) => void} OnProgress
 * @typedef {{get(url: string): Promise<Uint8Array> | null}} Prefetched
 *   Files the page downloads for a load, by URL: the bytes (or the download's error), or null for
 *   a file it does not download (the engine fetches that one itself).
 */

import { assemble, planDownloads } from './bundle-plan.js';
import { PARALLEL_DOWNLOADS, fetchBytes, fileUrl, limitConcurrency, manifestUrlOf, sha256 } from './download.js';
import { PathlightError } from './errors.js';
// Imported statically (not when the first bundle loads): the Worker's script then holds the glue
// (wasm/CMakeLists.txt bundles worker.js with its imports), and the in-process engine fetches it
// together with this module's other imports instead of after them.
import createPathlightCore from './pathlight_core.js';

export { PathlightError };

/** @type {Promise<PathlightCore> | null} */
let corePromise = null;

/**
 * Starts the WASM module once per realm (memoized). In Node pass `wasmBinary`. `wasmModule`: the
 * engine already compiled (the page compiles it while the Worker starts: pathlight.js), or a
 * promise of it; null or absent → the .wasm is fetched and compiled here.
 * @param {{wasmBinary?: Uint8Array, wasmModule?: WebAssembly.Module | null | Promise<WebAssembly.Module | null>}} [options]
 * @returns {Promise<PathlightCore>}
 */
export function loadCore({ wasmBinary, wasmModule } = {}) {
  if (!corePromise) {
    corePromise = (async () => {
      const module = await wasmModule;
      if (module && !wasmBinary) {
        // Emscripten's hook: instantiate the given module with the glue's imports.
        /** @type {(e: unknown) => void} */
        let fail = () => {};
        const failed = new Promise((_, reject) => { fail = reject; });
        const instantiateWasm = (/** @type {WebAssembly.Imports} */ imports, /** @type {(i: WebAssembly.Instance, m: WebAssembly.Module) => void} */ done) => {
          WebAssembly.instantiate(module, imports).then((instance) => done(instance, module), fail);
          return {};
        };
        return /** @type {Promise<PathlightCore>} */ (Promise.race([createPathlightCore({ instantiateWasm }), failed]));
      }
      // The .wasm as a literal URL beside this module: bundlers (Vite, webpack, Rollup) see it and
      // publish it with the code that imports the engine from the npm package.
      const wasmUrl = new URL('./pathlight_core.wasm', import.meta.url).href;
      const opts = wasmBinary ? { wasmBinary } : { locateFile: (/** @type {string} */ file) => (file.endsWith('.wasm') ? wasmUrl : new URL(file, import.meta.url).href) };
      return createPathlightCore(opts);
    })().catch((e) => {
      corePromise = null;
      throw new PathlightError('engine_load_failed', `The Pathlight engine could not start: ${e.message}`, { cause: e });
    });
  }
  return corePromise;
}

/** @param {CoreError} err @returns {never} */
function raise(err) {
  throw new PathlightError(err.code, err.message);
}

export class EngineHost {
  constructor() {
    /** @type {CoreEngine | null} */
    this.engine = null;
    this.loading = false;
    /** @type {{dtype: 'catalog-v1' | 'catalog-v2' | 'json', bytes: Uint8Array | null} | null} */
    this.catalog = null;       // the loaded bundle's verified catalog part { dtype, bytes }, for catalogBytesCopy()
    this.generation = 0;       // counts loads
    /** @type {{folder: string, manifest: any} | null} */
    this.held = null;          // the last bundle loaded: its folder and manifest (its files are in the HTTP cache)
  }

  /**
   * Downloads, pins, verifies and installs a bundle; the previous one stays on any failure.
   * Each part goes to the engine as soon as it has arrived (verified and decoded there at once,
   * then dropped); the catalog stays here as the verified bytes until the page asks for it.
   * Resolves to { info, catalogFile } (the catalog is not sent: see catalogBytesCopy(); catalogFile:
   * the one file whose bytes are the catalog part, or null). With `onCatalog`, a
   * copy of the catalog part ({dtype, bytes}) is handed over as soon as the core has verified and
   * decoded it, while the other parts may still be downloading (it is void if the load fails).
   * @param {{bundleUrl: string, integrity?: string, base?: string, wasmBinary?: Uint8Array,
   *   wasmModule?: WebAssembly.Module | null | Promise<WebAssembly.Module | null>,
   *   prefetched?: Prefetched}} options  prefetched: files the page is downloading for this load
   * @param {OnProgress} [onProgress]
   * @param {(catalog: CatalogPart) => void} [onCatalog]
   * @returns {Promise<{info: BundleInfo, catalogFile: string | null}>}
   */
  async load({ bundleUrl, integrity, base, wasmBinary, wasmModule, prefetched }, onProgress, onCatalog) {
    if (typeof bundleUrl !== 'string' || bundleUrl === '') {
      throw new PathlightError('invalid_argument', 'a bundle needs { bundleUrl: "…/manifest.json" }');
    }
    if (this.loading) throw new PathlightError('load_in_progress', 'a bundle is already loading; wait for it to finish');
    this.loading = true;
    // The engine compiles while the manifest and the parts download; its own failure is reported
    // first (as if it had been awaited before any request).
    const corePromise = loadCore({ wasmBinary, wasmModule });
    corePromise.catch(() => {});
    try {
      return await this.#load(corePromise, bundleUrl, integrity, base, onProgress, onCatalog, prefetched);
    } catch (e) {
      throw (await corePromise.then(() => null, (coreError) => coreError)) ?? e;
    } finally {
      this.loading = false;
    }
  }

  /**
   * @param {Promise<PathlightCore>} corePromise @param {string} bundleUrl @param {string | undefined} integrity
   * @param {string | undefined} base @param {OnProgress | undefined} onProgress
   * @param {((catalog: CatalogPart) => void) | undefined} onCatalog @param {Prefetched | undefined} prefetched
   */
  async #load(corePromise, bundleUrl, integrity, base, onProgress, onCatalog, prefetched) {
    const manifestUrl = manifestUrlOf(bundleUrl, base ?? globalThis.location?.href ?? 'file:///');
    let loaded = 0;
    let total = 0;
    const progress = (/** @type {number} */ n) => {
      loaded += n;
      onProgress?.(loaded, total);
    };
    // The manifest is the one file whose name stays the same across versions: always revalidated
    // (a conditional request), so that a server without Cache-Control (Python's http.server, a bare
    // object store) never hands a reload yesterday's manifest from the browser's cache.
    // A file the page already downloads for this load (its first: pathlight.js) is taken from it.
    const fromPage = (/** @type {string} */ url) => prefetched?.get(url)?.then((bytes) => {
      progress(bytes.length);
      return bytes;
    }) ?? null;
    const manifestBytes = await (fromPage(manifestUrl) ?? fetchBytes(manifestUrl, progress, 'no-cache'));
    const digest = await sha256(manifestBytes);
    if (integrity && integrity !== `sha256-${digest.base64}`) {
      throw new PathlightError('integrity_mismatch',
        `manifest.json does not match the pinned integrity ${integrity} (got sha256-${digest.base64})`);
    }
    const manifestText = new TextDecoder().decode(manifestBytes);
    let manifest;
    try {
      manifest = JSON.parse(manifestText);
    } catch (e) {
      throw new PathlightError('parse_error', `manifest.json is not valid JSON: ${/** @type {Error} */ (e).message}`);
    }
    // What to fetch (bundle-plan.js): each part's whole file, or — for the next version of the
    // bundle this engine last loaded from the same folder, whose whole parts the HTTP cache holds
    // (content-addressed, immutable) — the new shards, put together with the bytes it already had.
    // The core's own reading of the manifest decides what is used; a file it does not use is ignored.
    const folder = new URL('./', manifestUrl).href;
    const plan = planDownloads(manifest, this.held?.folder === folder ? this.held.manifest : null);
    total = manifestBytes.length + plan.reduce((s, d) => s + d.bytes, 0);
    onProgress?.(loaded, total);
    // Each file is hashed here with WebCrypto as it arrives (native code, several times faster than
    // SHA-256 in WebAssembly); the core compares the digest with the manifest's before decoding.
    // A server may send a file compressed (Content-Encoding br or gzip, docs/bundle-format.md): the
    // browser decodes it, and what is hashed and checked is the decoded bytes. Names are fetched
    // percent-encoded, so "?", "#" or ":" stay in the name.
    const slot = limitConcurrency(PARALLEL_DOWNLOADS);
    const urlOf = (/** @type {string} */ f) => fileUrl(f, manifestUrl);
    const fetchFile = (/** @type {string} */ f) => fromPage(urlOf(f)) ?? slot(() => fetchBytes(urlOf(f), progress));
    // A held file comes from the HTTP cache; its bytes count as progress once they are used.
    const readHeld = (/** @type {string} */ f) => slot(() => fetchBytes(urlOf(f), () => {}, 'force-cache'));
    const downloads = plan.map(async (d) => {
      let bytes;
      if (d.pieces) {
        try {
          bytes = await assemble(d, readHeld, fetchFile);
          progress(d.pieces.reduce((n, p) => n + ('from' in p ? p.bytes : 0), 0));
        } catch {
          bytes = null;  // a held file gone from the cache: the whole file instead
        }
      }
      bytes ??= await fetchFile(d.file);
      return { f: d.file, bytes, hex: (await sha256(bytes)).hex };
    });
    downloads.forEach((d) => d.catch(() => {}));  // awaited below, once the engine runs
    const core = await corePromise;
    if (!this.engine) this.engine = new core.Engine();
    const engine = this.engine;
    // The core checks the manifest first; its parts are then added as they arrive. A download
    // failure still wins over any error of the bundle itself (as when every file was fetched first).
    const begun = engine.begin(manifestText);
    const generation = ++this.generation;  // a download of a failed load may end after it
    const catalogDtype = manifest?.parts?.catalog?.dtype;
    // The catalog part's files in order (several when sharded); with catalog changes (an updated
    // bundle) the catalog is the part plus them, asked of the engine once loaded.
    /** @type {{ files: string[], changes: boolean }} */
    const catalogPlan = begun ? { files: [], changes: false } : JSON.parse(engine.catalogFiles());
    /** @type {Map<string, Uint8Array>} */
    const catalogParts = new Map();
    /** @returns {Uint8Array | null} */
    const catalogOf = () => {
      if (catalogPlan.changes || catalogPlan.files.length === 0) return null;
      if (!catalogPlan.files.every((f) => catalogParts.has(f))) return null;
      if (catalogPlan.files.length === 1) return catalogParts.get(catalogPlan.files[0]) ?? null;
      const out = new Uint8Array(catalogPlan.files.reduce((n, f) => n + /** @type {Uint8Array} */ (catalogParts.get(f)).length, 0));
      let at = 0;
      for (const f of catalogPlan.files) {
        out.set(/** @type {Uint8Array} */ (catalogParts.get(f)), at);
        at += /** @type {Uint8Array} */ (catalogParts.get(f)).length;
      }
      return out;
    };
    let catalogSent = false;
    await Promise.all(downloads.map((d) => d.then(({ f, bytes, hex }) => {
      if (begun || generation !== this.generation) return;
      engine.addPart(f, bytes, hex);
      if (!catalogPlan.files.includes(f)) return;
      catalogParts.set(f, bytes);
      if (onCatalog && !catalogSent && engine.catalogReady()) {
        const whole = catalogOf();
        if (whole) {
          catalogSent = true;
          onCatalog({ dtype: catalogDtype, bytes: whole.slice() });
        }
      }
    })));
    if (begun) raise(begun);
    const err = engine.finish();
    this.generation++;
    if (err) raise(err);
    this.held = { folder, manifest };
    // The part's own bytes when they are the catalog, else the engine's compact encoding of it.
    const whole = catalogPlan.changes ? null : catalogOf();
    const catalog = whole ? { dtype: catalogDtype, bytes: whole } : catalogPartOf(engine.catalogBytes());
    this.catalog = catalog;
    if (onCatalog && !catalogSent) onCatalog({ dtype: catalog.dtype, bytes: catalog.bytes.slice() });
    const info = this.call('info', {});
    info.manifestSha256 = digest.hex;
    // The file whose bytes are the catalog as they are (null when the engine put it together):
    // the page may decode its own copy of that file instead of waiting for this one (pathlight.js).
    const catalogFile = whole && catalogPlan.files.length === 1 ? catalogPlan.files[0] : null;
    return { info, catalogFile };
  }

  /**
   * A copy of the loaded bundle's catalog part, { dtype: "catalog-v1" | "catalog-v2" | "json", bytes }: the bytes
   * the core verified and parsed (the page decodes them itself, wasm/catalog.js: one transferable
   * buffer crosses to the page instead of 100,000 cloned objects).
   */
  catalogBytesCopy() {
    if (!this.engine || !this.catalog?.bytes) throw new PathlightError('invalid_argument', 'no bundle is loaded');
    return { dtype: this.catalog.dtype, bytes: this.catalog.bytes.slice() };
  }

  /**
   * One session request (docs/API.md). Returns the result or throws PathlightError.
   * @param {string} method
   * @param {object} [params]
   * @returns {any}
   */
  call(method, params = {}) {
    if (!this.engine) throw new PathlightError('invalid_argument', 'no bundle is loaded');
    let request;
    try {
      // JSON has no NaN or Infinity: JSON.stringify would send them as null, which the engine reads
      // as "absent" (k: NaN would silently become the default 10).
      request = JSON.stringify({ method, params }, (key, value) => {
        if (typeof value === 'number' && !Number.isFinite(value))
          throw new PathlightError('not_finite', `parameter "${key}" of "${method}" is ${value}; expected a finite number`);
        return value;
      });
    } catch (e) {  // a cycle, a BigInt, or nesting deep enough to overflow JSON.stringify's stack
      if (e instanceof PathlightError) throw e;
      throw new PathlightError(e instanceof RangeError ? 'limit_exceeded' : 'invalid_argument',
        `the request for "${method}" cannot be sent to the engine: ${/** @type {Error} */ (e).message}`);
    }
    const response = JSON.parse(this.engine.call(request));
    if (response.error) raise(response.error);
    return response.result;
  }

  /**
   * Stateless scoring of an explicit history: [{id, weight?}] → {items: top-k [{id, index, score}]}.
   * The caller has checked the parameters' shape (pathlight.js checkHistoryParams).
   * @param {HistoryEntry[]} history
   * @returns {{items: {index: number, id: string, score: number}[]}}
   */
  recommendHistory(history, k = 10) {
    if (!this.engine || !this.catalog) throw new PathlightError('invalid_argument', 'no bundle is loaded');
    const idx = this.engine.itemIndices(JSON.stringify(history.map((h) => h.id)));
    if ('code' in idx) raise(idx);
    const w = new Float32Array(history.length);
    history.forEach((h, j) => {
      if (idx[j] < 0) throw new PathlightError('unknown_id', `history[${j}]: item id "${h.id}" is not in this bundle's catalog`);
      w[j] = h.weight ?? 1;  // the engine refuses one that is not finite and > 0 as float32
    });
    const r = this.engine.recommend(idx, w, k);
    if ('code' in r) raise(r);
    const ids = JSON.parse(this.engine.itemIds(r.indices));
    return { items: Array.from(r.indices, (i, j) => ({ index: i, id: ids[j], score: r.scores[j] })) };
  }

  /** Memory figures of the engine: { heapBytes, allocatedBytes, stackPointer } (stability tests). */
  memory() {
    if (!this.engine) throw new PathlightError('invalid_argument', 'no bundle is loaded');
    return this.engine.memory();
  }

  dispose() {
    this.engine?.delete();
    this.engine = null;
  }
}

/** The core's compact catalog bytes as a part: catalog-v2 when they carry offerings (magic "PLCATLG2").
 * @param {Uint8Array} bytes @returns {CatalogPart} */
function catalogPartOf(bytes) {
  return { dtype: bytes[7] === 0x32 ? 'catalog-v2' : 'catalog-v1', bytes };
}
