// The engine's Web Worker: the page never blocks on WASM work.
// Protocol (typed by pathlight.d.ts, WorkerRequest / WorkerResponse):
//   page → worker  {id, op: 'load', bundleUrl, integrity, base} | {id, op: 'call', method, params}
//                  | {id, op: 'recommendHistory', history, k}
//                  | {id, op: 'catalog'} → the verified catalog part {dtype, bytes} (bytes transferred)
//   worker → page  {id, ok: true, result} | {id, ok: false, error: {code, message}}
//                  | {id, progress: {loaded, total}}          (during 'load')
//                  | {id, catalog: {dtype, bytes}}            (during 'load' with prefetchCatalog)
import { EngineHost } from './engine.js';

const host = new EngineHost();

self.onmessage = async (event) => {
  const msg = event.data ?? {};
  const { id } = msg;
  try {
    let result;
    let transfer = [];
    if (msg.op === 'load') {
      result = await host.load(msg, (loaded, total) => self.postMessage({ id, progress: { loaded, total } }),
        msg.prefetchCatalog ? (catalog) => self.postMessage({ id, catalog }, [catalog.bytes.buffer]) : undefined);
    } else if (msg.op === 'call') {
      result = host.call(msg.method, msg.params);
    } else if (msg.op === 'recommendHistory') {
      result = host.recommendHistory(msg.history, msg.k);
    } else if (msg.op === 'catalog') {
      result = host.catalogBytesCopy();  // { dtype, bytes }: the bytes are moved, not cloned
      transfer = [result.bytes.buffer];
    } else {
      throw Object.assign(new Error(`unknown op "${msg.op}"`), { code: 'invalid_argument' });
    }
    self.postMessage({ id, ok: true, result }, transfer);
  } catch (e) {
    self.postMessage({ id, ok: false, error: { code: e.code ?? 'invalid_argument', message: String(e.message ?? e) } });
  }
};
