// Pathlight JS API — contract: pathlight.d.ts; engine methods: docs/API.md.
// createPathlight() starts the engine in a Web Worker (in-process where Workers don't exist,
// e.g. Node), downloads and verifies the bundle, and returns an object whose methods are
// async and return plain objects. Failures reject with PathlightError (stable `.code`).
// Nothing about the learner is ever sent anywhere: the only requests are GETs for static files.
// The engine's own code (engine.js, the WASM glue) is not imported here: the Worker's script holds
// it (worker.js, one file bundled by the build), and the in-process engine imports it when it
// starts. The page's first step is to start the Worker.
import { planDownloads } from './bundle-plan.js';
import { catalogRecords, recordsFromDocument } from './catalog.js';
import { PARALLEL_DOWNLOADS, fetchBytes, fileUrl, limitConcurrency, manifestUrlOf, sha256 } from './download.js';
import { PathlightError } from './errors.js';

export { PathlightError };

/**
 * @typedef {import('./pathlight').Pathlight} Pathlight
 * @typedef {import('./pathlight').CreateOptions} CreateOptions
 * @typedef {import('./pathlight').BundleInfo} BundleInfo
 * @typedef {import('./pathlight').HistoryEntry} HistoryEntry
 * @typedef {import('./pathlight').Concept} Concept
 * @typedef {import('./pathlight').CatalogItem} CatalogItem
 * @typedef {import('./engine.js').CatalogPart} CatalogPart
 * @typedef {import('./engine.js').OnProgress} OnProgress
 * @typedef {{bundleUrl: string, integrity?: string, base?: string}} LoadOptions
 * @typedef {object} Channel  the engine, in a Worker or in this realm
 * @property {(opts: LoadOptions, onProgress?: OnProgress, onCatalog?: (c: CatalogPart) => void,
 *   onPageCatalog?: (c: CatalogPart & {file: string}) => void) => Promise<{info: BundleInfo, catalogFile?: string | null}>} load
 *   onCatalog: the engine's copy of the verified catalog part; onPageCatalog: the page's own copy
 *   of the file it downloaded for the engine (not yet verified: good only if catalogFile names it)
 * @property {(method: string, params: object) => Promise<any>} call
 * @property {(history: HistoryEntry[], k: number) => Promise<import('./pathlight').HistoryResult>} recommendHistory
 * @property {() => Promise<CatalogPart>} catalog
 * @property {() => Promise<string[]>} downloads
 * @property {() => void} terminate
 */

/** @param {Uint8Array | undefined} wasmBinary @returns {Channel} */
function inProcess(wasmBinary) {
  /** @type {Promise<import('./engine.js').EngineHost>} */
  const started = import('./engine.js').then(({ EngineHost }) => new EngineHost());
  return {
    async load(opts, onProgress, onCatalog) { return (await started).load({ ...opts, wasmBinary }, onProgress, onCatalog); },
    async call(method, params) { return (await started).call(method, params); },
    async recommendHistory(history, k) { return (await started).recommendHistory(history, k); },
    async catalog() { return (await started).catalogBytesCopy(); },
    async downloads() { return []; },  // in the page's thread: the page's Resource Timing has them
    terminate() { started.then((host) => host.dispose(), () => {}); },
  };
}

/**
 * The engine's .wasm, compiled in this thread while the Worker starts and loads its script; null
 * where it cannot be (no streaming compilation, a server that does not send application/wasm, a
 * Content-Security-Policy without 'wasm-unsafe-eval'): the Worker then compiles it itself.
 * @returns {Promise<WebAssembly.Module | null>}
 */
function compileEngine() {
  if (typeof WebAssembly?.compileStreaming !== 'function') return Promise.resolve(null);
  // The same literal URL as engine.js's, so that bundlers publish one file.
  const wasmUrl = new URL('./pathlight_core.wasm', import.meta.url).href;
  return WebAssembly.compileStreaming(fetch(wasmUrl, { credentials: 'omit' })).catch(() => null);
}

/**
 * Downloads a first load's files in the page while the Worker starts (an empty module Worker ran
 * its first line 80–360 ms after the page's script on a loaded 2-core machine, and this one then
 * loads the engine's code): the manifest, then — when it parses and matches the pinned integrity —
 * the files the engine fetches when it holds nothing (planDownloads). Each file's bytes, or its
 * download's error, go to the Worker as they arrive (moved, not copied); the engine there verifies
 * and decodes them as if it had fetched them itself. Anything the page cannot read of the manifest
 * is left to the engine to report. The same requests the engine would make: GETs of static files,
 * no credentials. Every file announced to the Worker gets an answer (bytes or error), so the
 * engine never waits for one that will not come.
 * `onCatalogFile` gets a copy of the catalog part's file (when it is one file of this load) once
 * every file has gone to the Worker: the page decodes it while the engine still verifies and
 * decodes the bundle, instead of after (see createPathlight: the copy is used only when the engine
 * says that same file, verified, is its catalog).
 * @param {Worker} worker @param {string} manifestUrl @param {string | undefined} integrity
 * @param {(c: CatalogPart & {file: string}) => void} [onCatalogFile]
 */
async function prefetchBundle(worker, manifestUrl, integrity, onCatalogFile) {
  /** @param {string} url @param {{code?: string, message?: string, status?: number}} e */
  const fail = (url, e) => worker.postMessage({ op: 'prefetched', url, error: { code: e?.code ?? 'network_error', message: String(e?.message ?? e), status: e?.status } });
  /** @type {{url: string, file: string, dtype: CatalogPart['dtype']} | null} */
  let catalog = null;
  /** @type {Uint8Array | null} */
  let catalogCopy = null;
  /** @param {string} url @param {Promise<Uint8Array>} download */
  const send = (url, download) => download
    .then((bytes) => {
      if (url === catalog?.url && onCatalogFile) catalogCopy = bytes.slice();
      worker.postMessage({ op: 'prefetched', url, bytes }, [bytes.buffer]);
    })
    .catch((/** @type {PathlightError} */ e) => fail(url, e));
  /** @type {Uint8Array} */
  let manifestBytes;
  try {
    manifestBytes = await fetchBytes(manifestUrl, () => {}, 'no-cache');
  } catch (e) {
    await send(manifestUrl, Promise.reject(e));
    return;
  }
  /** @type {string[]} */
  let urls = [];
  try {
    if (!integrity || integrity === `sha256-${(await sha256(manifestBytes)).base64}`) {
      const manifest = JSON.parse(new TextDecoder().decode(manifestBytes));
      urls = planDownloads(manifest).map((d) => fileUrl(d.file, manifestUrl));
      const { file, dtype } = manifest?.parts?.catalog ?? {};
      if (typeof file === 'string' && CATALOG_DTYPES.includes(dtype) && urls.includes(fileUrl(file, manifestUrl))) {
        catalog = { url: fileUrl(file, manifestUrl), file, dtype };
      }
    }
  } catch {
    urls = [];  // not JSON: the engine says so
  }
  worker.postMessage({ op: 'prefetching', urls });  // before the manifest: the engine plans from it
  await send(manifestUrl, Promise.resolve(manifestBytes));
  const slot = limitConcurrency(PARALLEL_DOWNLOADS);
  await Promise.all(urls.map((url) => send(url, slot(() => fetchBytes(url, () => {})))));
  if (catalog && catalogCopy) onCatalogFile?.({ file: catalog.file, dtype: catalog.dtype, bytes: catalogCopy });
}

/** The catalog dtypes whose unverified copy the page decodes (wasm/catalog.js bounds its work by
 * the part's size; a JSON catalog, which older bundles carry, waits for the engine's copy: its
 * nesting is checked by the engine, not by JSON.parse). @type {unknown[]} */
const CATALOG_DTYPES = ['catalog-v1', 'catalog-v2'];

/** @returns {Channel} */
function inWorker() {
  const worker = new Worker(new URL('./worker.js', import.meta.url), { type: 'module', name: 'pathlight-engine' });
  // A WebAssembly.Module is shared with the Worker, not copied: it instantiates it at once instead
  // of fetching and compiling the .wasm after its own start-up.
  compileEngine().then((module) => {
    try {
      worker.postMessage({ op: 'module', module });
    } catch {
      worker.postMessage({ op: 'module', module: null });  // a browser that cannot share a module
    }
  });
  let next = 1;
  /** @type {Map<number, {resolve: (v: any) => void, reject: (e: unknown) => void, onProgress?: OnProgress, onCatalog?: (c: CatalogPart) => void}>} */
  const pending = new Map();
  worker.onmessage = (/** @type {MessageEvent<import('./pathlight').WorkerResponse & Record<string, any>>} */ { data }) => {
    const p = pending.get(data.id);
    if (!p) return;
    if (data.progress) return p.onProgress?.(data.progress.loaded, data.progress.total);
    if (data.catalog) return p.onCatalog?.(data.catalog);
    pending.delete(data.id);
    if (data.ok) p.resolve(data.result);
    else p.reject(new PathlightError(data.error.code, data.error.message, { status: data.error.status }));
  };
  worker.onerror = (e) => {
    for (const p of pending.values()) p.reject(new PathlightError('engine_load_failed', `The engine worker failed: ${e.message}`));
    pending.clear();
  };
  /** @param {object} msg @param {OnProgress} [onProgress] @param {(c: CatalogPart) => void} [onCatalog] @returns {Promise<any>} */
  const send = (msg, onProgress, onCatalog) => new Promise((resolve, reject) => {
    const id = next++;
    pending.set(id, { resolve, reject, onProgress, onCatalog });
    worker.postMessage({ ...msg, id });
  });
  let first = true;
  return {
    load(opts, onProgress, onCatalog, onPageCatalog) {
      // The first load's files are downloaded here, while the Worker starts; later loads (updates,
      // which may put parts together from the bytes the engine holds) are the engine's own.
      let prefetch;
      try {
        if (first) prefetch = manifestUrlOf(opts.bundleUrl, opts.base ?? globalThis.location?.href ?? 'file:///');
      } catch {
        prefetch = undefined;  // not a URL: the engine says so
      }
      first = false;
      // A load whose files the page downloads gives the page its own copy of the catalog
      // (onPageCatalog): the engine does not copy and send its own as well.
      const engineCopy = Boolean(onCatalog) && !(prefetch && onPageCatalog);
      const loaded = send({ op: 'load', ...opts, prefetch, prefetchCatalog: engineCopy }, onProgress, onCatalog);
      if (prefetch) prefetchBundle(worker, prefetch, opts.integrity, onPageCatalog);
      return loaded;
    },
    call(method, params) { return send({ op: 'call', method, params }); },
    recommendHistory(history, k) { return send({ op: 'recommendHistory', history, k }); },
    catalog() { return send({ op: 'catalog' }); },
    downloads() { return send({ op: 'downloads' }); },
    terminate() {
      worker.terminate();
      // Calls still waiting for the Worker (sent together, or a load) get an answer, not silence.
      for (const p of pending.values()) p.reject(new PathlightError('invalid_argument', 'this Pathlight instance was deleted'));
      pending.clear();
    },
  };
}

/**
 * Catalog records from the verified catalog part { dtype, bytes } (pathlight.d.ts CatalogItem / Concept).
 * @param {CatalogPart} part
 */
function readCatalog({ dtype, bytes }) {
  return dtype === 'json' ? recordsFromDocument(JSON.parse(new TextDecoder().decode(bytes))) : catalogRecords(bytes);
}

/**
 * recommendHistory's parameters, checked here (they never reach the JSON API's table): exactly
 * {history, k?}; history an array of {id, weight?}. Ids listed twice are merged by the engine
 * (their weights add up, as docs/API.md says).
 * @param {unknown} params
 * @returns {{history: import('./pathlight.d.ts').HistoryEntry[], k: number}}
 */
function checkHistoryParams(params) {
  const bad = (/** @type {string} */ message) => new PathlightError('invalid_argument', `recommendHistory: ${message}`);
  if (!params || typeof params !== 'object' || Array.isArray(params)) throw bad('params must be an object {history, k?}');
  for (const key of Object.keys(params)) {
    if (key !== 'history' && key !== 'k') throw bad(`unknown parameter "${key.slice(0, 64)}" (expected history, k)`);
  }
  const { history, k = 10 } = /** @type {{history?: unknown, k?: unknown}} */ (params);
  if (!Array.isArray(history)) {
    throw bad(`parameter "history" must be an array of {id, weight?}, got ${history === null ? 'null' : typeof history}`);
  }
  history.forEach((h, j) => {
    if (!h || typeof h !== 'object' || Array.isArray(h)) throw bad(`history[${j}] must be an object {id, weight?}`);
    for (const key of Object.keys(h)) {
      if (key !== 'id' && key !== 'weight') throw bad(`history[${j}]: unknown key "${key.slice(0, 64)}" (expected id, weight)`);
    }
    if (typeof h.id !== 'string') throw bad(`history[${j}].id must be a string`);
    if (h.weight !== undefined && typeof h.weight !== 'number') throw bad(`history[${j}].weight must be a number, got ${typeof h.weight}`);
  });
  // Checked here, as the JSON methods check theirs: Embind would truncate 2.5 to 2, wrap 2^32 + 3
  // to 3 and read "5" as 5.
  if (typeof k !== 'number' || !Number.isInteger(k) || k < 1 || k > 1000) throw bad(`parameter "k" must be an integer in [1, 1000], got ${String(k).slice(0, 40)}`);
  return { history: /** @type {import('./pathlight.d.ts').HistoryEntry[]} */ (history), k };
}

/**
 * See pathlight.d.ts.
 * @param {CreateOptions} options
 * @returns {Promise<Pathlight>}
 */
export async function createPathlight(options) {
  const { bundleUrl, integrity, onProgress, prefetchCatalog = false, worker = typeof Worker !== 'undefined', wasmBinary } = options ?? {};
  if (typeof bundleUrl !== 'string' || bundleUrl === '') {
    throw new PathlightError('invalid_argument', 'createPathlight needs { bundleUrl: "…/manifest.json" }');
  }
  // A page may load the engine from another origin (an embedded widget); browsers refuse a
  // cross-origin Worker script, so fall back to running in-process there.
  let channel;
  try {
    channel = worker ? inWorker() : inProcess(wasmBinary);
  } catch (caught) {
    const e = /** @type {Error | undefined} */ (caught);
    if (e?.name !== 'SecurityError') throw new PathlightError('engine_load_failed', `The engine could not start: ${e?.message ?? e}`);
    channel = inProcess(wasmBinary);
  }
  const base = globalThis.document?.baseURI ?? globalThis.location?.href;
  // prefetchCatalog: the page decodes the catalog during the load (kept only if the load
  // succeeds); otherwise the first items() or concepts() asks for it. On a first load in a Worker,
  // where this page downloads the files, it decodes its own copy of the catalog's file while the
  // engine is still at work, kept only if the engine then says that same file, verified, is its
  // catalog (a file it rejected fails the load; any other case takes the lazy path). Later loads
  // decode the engine's copy once it has verified and decoded the part.
  /** @type {Promise<{items: CatalogItem[], concepts: Concept[]}> | null} */
  let early = null;
  /** @param {{bundleUrl: string, integrity?: string}} opts @param {OnProgress} [progress] */
  const loadWith = async (opts, progress) => {
    early = null;
    /** @type {string | null} the file the page decodes its own copy of */
    let ownFile = null;
    /** @param {CatalogPart} c */
    const decode = (c) => {
      early = Promise.resolve(c).then(readCatalog);
      early.catch(() => {});
    };
    const onPageCatalog = prefetchCatalog ? (/** @type {CatalogPart & {file: string}} */ c) => {
      ownFile = c.file;
      decode(c);
    } : undefined;
    const state = await channel.load({ ...opts, base }, progress, prefetchCatalog ? decode : undefined, onPageCatalog);
    if (ownFile !== null && ownFile !== state.catalogFile) early = null;
    return state;
  };
  let state;
  try {
    state = await loadWith({ bundleUrl, integrity }, onProgress);
  } catch (e) {
    channel.terminate();
    throw e instanceof PathlightError ? e : new PathlightError('engine_load_failed', String(/** @type {Error} */ (e)?.message ?? e), { cause: e });
  }
  // Without prefetchCatalog the catalog is not part of loading: the first items() or concepts()
  // after a load asks the engine for it once (a recommendation never needs the whole catalog).
  /** @type {Promise<{items: CatalogItem[], concepts: Concept[]}> | null} */
  let catalog = null;
  /** @param {{info: BundleInfo}} loaded */
  const install = ({ info }) => {
    api.info = info;
    // An early decoding that failed: the engine's copy of the verified part instead.
    catalog = early?.catch(() => channel.catalog().then(readCatalog)) ?? null;
  };
  const loadCatalog = () => {
    if (!catalog) {
      catalog = channel.catalog().then(readCatalog);
      catalog.catch(() => { catalog = null; });
    }
    return catalog;
  };
  let alive = true;
  const live = () => {
    if (!alive) throw new PathlightError('invalid_argument', 'this Pathlight instance was deleted');
  };
  /** @param {string} method @param {object} [params] */
  const call = async (method, params = {}) => {
    live();
    return channel.call(method, params);
  };
  /** @type {Pathlight & {info: BundleInfo}} */
  const api = {
    info: state.info,
    async items() {
      live();
      return (await loadCatalog()).items.map((it) => ({ ...it }));
    },
    async concepts() {
      live();
      return (await loadCatalog()).concepts.map((c) => ({ ...c }));
    },
    async downloads() {
      live();
      return channel.downloads();
    },
    recommend: (params = {}) => call('recommend', params),
    async recommendHistory(params) {
      live();
      const { history, k } = checkHistoryParams(params);
      return channel.recommendHistory(history, k);
    },
    setProfile: (profile, { now = Date.now() / 1000, lenient = false } = {}) => call('setProfile', { profile, now, lenient }),
    exportProfile: () => call('exportProfile'),
    addEvent: (event) => call('addEvent', { event: { t: Date.now() / 1000, ...event } }),
    setPreferences: (prefs) => call('setPreferences', prefs),
    forgetConcept: (concept) => call('forgetConcept', { concept }),
    learner: () => call('learner'),
    path: (params = {}) => call('path', params),
    mentors: (params = {}) => call('mentors', params),
    nextConcepts: (concepts) => call('nextConcepts', { concepts }),
    explain: (id) => call('explain', { id }),
    similar: (id, params = {}) => call('similar', { ...params, id }),
    foldIn: async () => Float32Array.from((await call('foldIn')).factors),
    refine: (params = {}) => call('refine', params),
    resetPersonalization: () => call('resetPersonalization'),
    describe: () => call('describe'),
    /** Loads another bundle into the same engine; on failure the current one stays in use. */
    async reload(options) {
      const { bundleUrl: url, integrity: pin, onProgress: progress } = /** @type {Partial<CreateOptions>} */ (options ?? {});
      live();
      install(await loadWith({ bundleUrl: /** @type {string} */ (url), integrity: pin }, progress));
      return api.info;
    },
    delete() {
      if (alive) channel.terminate();
      alive = false;
    },
  };
  install(state);
  return api;
}
