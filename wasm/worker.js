// The engine's Web Worker: the page never blocks on WASM work.
// Protocol (typed by pathlight.d.ts, WorkerRequest / WorkerResponse):
//   page → worker  {id, op: 'load', bundleUrl, integrity, base, prefetch?} | {id, op: 'call', method, params}
//                    (prefetch: the manifest's URL when the page downloads the load's files itself)
//                  | {id, op: 'recommendHistory', history, k}
//                  | {op: 'module', module}  the engine's WebAssembly.Module, compiled by the page (or null)
//                  | {id, op: 'catalog'} → the verified catalog part {dtype, bytes} (bytes transferred)
//                  | {op: 'prefetching', urls}  files the page downloads for the first load (load's `prefetch`)
//                  | {op: 'prefetched', url, bytes} | {op: 'prefetched', url, error: {code, message}}
//   worker → page  {id, ok: true, result} | {id, ok: false, error: {code, message}}
//                  | {id, progress: {loaded, total}}          (during 'load')
//                  | {id, catalog: {dtype, bytes}}            (during 'load' with prefetchCatalog)
// The browser never loads this file as it is: the build bundles it with everything it imports
// (engine.js, errors.js, bundle-plan.js, download.js, the Emscripten glue) into the one script the
// Worker starts (web/public/engine/worker.js; wasm/CMakeLists.txt). A module Worker fetches its
// imports only after it has fetched and parsed its script: one file saves that round trip.
import { EngineHost } from './engine.js';
import { PathlightError } from './errors.js';

/**
 * The files the page downloads for this Worker's first load, by URL (pathlight.js starts them
 * while the Worker starts, and sends each one's bytes or error as it ends): a promise for each
 * file the page said it downloads; null for any other (the engine fetches that one itself).
 */
class PageDownloads {
  /** @type {Map<string, {promise: Promise<Uint8Array>, resolve: (b: Uint8Array) => void, reject: (e: Error) => void}>} */
  #files = new Map();

  /** @param {string} url */
  #entry(url) {
    let e = this.#files.get(url);
    if (!e) {
      /** @type {(b: Uint8Array) => void} */
      let resolve = () => {};
      /** @type {(e: Error) => void} */
      let reject = () => {};
      const promise = new Promise((res, rej) => { resolve = res; reject = rej; });
      promise.catch(() => {});  // awaited by the engine when it needs the file
      e = { promise, resolve, reject };
      this.#files.set(url, e);
    }
    return e;
  }

  /** @param {string[]} urls */
  expect(urls) { urls.forEach((u) => this.#entry(u)); }

  /** @param {{url: string, bytes?: Uint8Array, error?: {code: import('./pathlight').PathlightErrorCode, message: string, status?: number}}} msg */
  arrive({ url, bytes, error }) {
    const e = this.#entry(url);
    if (bytes instanceof Uint8Array) e.resolve(bytes);
    else e.reject(new PathlightError(error?.code ?? 'network_error', error?.message ?? `Could not download ${url}`, { status: error?.status }));
  }

  /** @param {string} url */
  get(url) { return this.#files.get(url)?.promise ?? null; }

  clear() { this.#files.clear(); }
}
const pageDownloads = new PageDownloads();

/**
 * The worker's global scope, as far as this file uses it (the DOM library types `self` as a Window).
 * @typedef {{onmessage: ((event: MessageEvent<any>) => unknown) | null,
 *   postMessage(message: import('./pathlight').WorkerResponse, transfer?: Transferable[]): void}} WorkerScope
 */
const scope = /** @type {WorkerScope} */ (/** @type {unknown} */ (self));
const host = new EngineHost();
// The engine's module as the page compiled it while this Worker started (pathlight.js sends it,
// or null when it could not: then the engine compiles its .wasm here).
/** @type {(module: WebAssembly.Module | null) => void} */
let receiveModule = () => {};
/** @type {Promise<WebAssembly.Module | null>} */
const wasmModule = new Promise((resolve) => { receiveModule = resolve; });

scope.onmessage = async (/** @type {MessageEvent<any>} */ event) => {
  /** @type {import('./pathlight').WorkerRequest} */
  const msg = event.data ?? {};
  if (msg.op === 'module') return receiveModule(msg.module instanceof WebAssembly.Module ? msg.module : null);
  if (msg.op === 'prefetching') return pageDownloads.expect(msg.urls);
  if (msg.op === 'prefetched') return pageDownloads.arrive(msg);
  const { id } = msg;
  try {
    /** @type {any} */
    let result;
    /** @type {Transferable[]} */
    let transfer = [];
    if (msg.op === 'load') {
      if (msg.prefetch) pageDownloads.expect([msg.prefetch]);  // the manifest, first
      try {
        result = await host.load({ ...msg, wasmModule, prefetched: msg.prefetch ? pageDownloads : undefined },
          (loaded, total) => scope.postMessage({ id, progress: { loaded, total } }),
          msg.prefetchCatalog ? (catalog) => scope.postMessage({ id, catalog }, [catalog.bytes.buffer]) : undefined);
      } finally {
        pageDownloads.clear();  // the bytes are the engine's now (or not needed)
      }
    } else if (msg.op === 'call') {
      result = host.call(msg.method, msg.params);
    } else if (msg.op === 'recommendHistory') {
      result = host.recommendHistory(msg.history, msg.k);
    } else if (msg.op === 'downloads') {
      // What this worker fetched (the engine's code and the bundle): the privacy centre lists it
      // beside the page's own requests, which Resource Timing in the page does not see.
      result = performance.getEntriesByType('resource').map((e) => e.name);
    } else if (msg.op === 'catalog') {
      result = host.catalogBytesCopy();  // { dtype, bytes }: the bytes are moved, not cloned
      transfer = [result.bytes.buffer];
    } else {
      throw Object.assign(new Error(`unknown op "${/** @type {{op: unknown}} */ (msg).op}"`), { code: 'invalid_argument' });
    }
    scope.postMessage({ id, ok: true, result }, transfer);
  } catch (e) {
    const error = /** @type {{code?: import('./pathlight').PathlightErrorCode, message?: string, status?: number}} */ (e);
    scope.postMessage({ id, ok: false, error: { code: error.code ?? 'invalid_argument', message: String(error.message ?? e), status: error.status } });
  }
};
