// The engine's Web Worker: the page never blocks on WASM work.
// Protocol (typed by pathlight.d.ts, WorkerRequest / WorkerResponse):
//   page → worker  {id, op: 'load', bundleUrl, integrity, base} | {id, op: 'call', method, params}
//                  | {id, op: 'recommendHistory', history, k}
//                  | {op: 'module', module}  the engine's WebAssembly.Module, compiled by the page (or null)
//                  | {id, op: 'catalog'} → the verified catalog part {dtype, bytes} (bytes transferred)
//   worker → page  {id, ok: true, result} | {id, ok: false, error: {code, message}}
//                  | {id, progress: {loaded, total}}          (during 'load')
//                  | {id, catalog: {dtype, bytes}}            (during 'load' with prefetchCatalog)
import { EngineHost } from './engine.js';

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
  const { id } = msg;
  try {
    /** @type {any} */
    let result;
    /** @type {Transferable[]} */
    let transfer = [];
    if (msg.op === 'load') {
      result = await host.load({ ...msg, wasmModule }, (loaded, total) => scope.postMessage({ id, progress: { loaded, total } }),
        msg.prefetchCatalog ? (catalog) => scope.postMessage({ id, catalog }, [catalog.bytes.buffer]) : undefined);
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
    const error = /** @type {{code?: import('./pathlight').PathlightErrorCode, message?: string}} */ (e);
    scope.postMessage({ id, ok: false, error: { code: error.code ?? 'invalid_argument', message: String(error.message ?? e) } });
  }
};
