// Shared set-up for the Node suites: load the staged WebAssembly engine in-process.
import { readFileSync, existsSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { createRequire } from 'node:module';
import path from 'node:path';

export const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
// PATHLIGHT_ENGINE_DIR selects another staged engine, e.g. the AddressSanitizer build
// (build-wasm-asan/engine, scripts/test); by default the web app's own engine.
export const engineDir = process.env.PATHLIGHT_ENGINE_DIR
  ? path.resolve(process.env.PATHLIGHT_ENGINE_DIR)
  : path.join(root, 'web/public/engine');
// A bundle by name (web/public/bundles/<name>, what scripts/bundle writes) or by absolute folder.
export const bundleDir = (name) => (path.isAbsolute(name) ? name : path.join(root, 'web/public/bundles', name));

// Emscripten 3.1.6's ES-module output still reads CommonJS `__dirname` and `require` under Node.
// Tests provide them; browsers never take that path. (wasmBinary is passed, per DESIGN.md.)
globalThis.__dirname = engineDir;
globalThis.require = createRequire(path.join(engineDir, 'pathlight_core.js'));

// Node 20's fetch cannot read file: URLs, so serve bundle files from disk to the engine.
const originalFetch = globalThis.fetch;
globalThis.fetch = async (url, init) => {
  const u = new URL(url);
  if (u.protocol !== 'file:') return originalFetch(url, init);
  const p = fileURLToPath(u);
  if (!existsSync(p)) return new Response('not found', { status: 404 });
  return new Response(readFileSync(p));
};

export const wasmBinary = () => readFileSync(path.join(engineDir, 'pathlight_core.wasm'));
export const manifestUrl = (bundle) => pathToFileURL(path.join(bundleDir(bundle), 'manifest.json')).href;

/** The public JS API, in-process (no Worker in Node). */
export async function createEngine(bundle, options = {}) {
  const { createPathlight } = await import(pathToFileURL(path.join(engineDir, 'pathlight.js')).href);
  return createPathlight({ bundleUrl: manifestUrl(bundle), wasmBinary: wasmBinary(), ...options });
}

/** The EngineHost the Worker runs, for synchronous session calls. */
export async function wasmHost(bundle) {
  const { EngineHost } = await import(pathToFileURL(path.join(engineDir, 'engine.js')).href);
  const host = new EngineHost();
  await host.load({ bundleUrl: manifestUrl(bundle), wasmBinary: wasmBinary() });
  return host;
}
