// Pathlight service worker: the app works offline after the first visit.
// Built by web/plugins/service-worker.js, which prepends PRECACHE (every file of the build except
// the bundles), VERSION (a hash of their contents) and planDownloads / assemble (wasm/bundle-plan.js,
// the engine's own download rule), and writes it to dist/sw.js.
//
// Caches:
//   pathlight-app-<VERSION>  the app shell and the engine, precached at install; a new build is a
//                            new worker that waits until the page says "reload" (update path 1)
//   pathlight-bundles        model bundles, one manifest + parts per dataset, added when the page
//                            asks (cache-bundle) and replaced only as a whole, after every part
//                            matches the SHA-256 the new manifest lists (update path 2)
// Requests: navigations go to the network first (so a new build is seen), falling back to the
// cached page offline; everything else is served from the caches first. Only GETs to this origin
// are handled; nothing is ever sent anywhere.
/* global PRECACHE, VERSION, planDownloads, assemble */
// Types: web/src/tsconfig.sw.json (the WebWorker library), PRECACHE and VERSION in sw-env.d.ts.

const sw = /** @type {ServiceWorkerGlobalScope} */ (/** @type {unknown} */ (self));
const APP_CACHE = `pathlight-app-${VERSION}`;
const BUNDLE_CACHE = 'pathlight-bundles';
const scope = new URL(sw.registration.scope);
const indexUrl = new URL('index.html', scope).href;

sw.addEventListener('install', (event) => {
  event.waitUntil((async () => {
    const cache = await caches.open(APP_CACHE);
    await cache.addAll(PRECACHE.map((path) => new URL(path, scope).href));
    // The first worker takes over at once; later ones wait for the page's go-ahead.
    if (!sw.registration.active) await sw.skipWaiting();
  })());
});

sw.addEventListener('activate', (event) => {
  event.waitUntil((async () => {
    for (const key of await caches.keys()) {
      if (key.startsWith('pathlight-app-') && key !== APP_CACHE) await caches.delete(key);
    }
    await sw.clients.claim();
  })());
});

sw.addEventListener('fetch', (event) => {
  const { request } = event;
  const url = new URL(request.url);
  if (request.method !== 'GET' || url.origin !== scope.origin || !url.href.startsWith(scope.href)) return;
  if (request.mode === 'navigate') {
    event.respondWith(networkFirstPage(request));
  } else if (url.pathname.includes('/bundles/')) {
    event.respondWith(fromCache(request, BUNDLE_CACHE));
  } else if (!url.pathname.endsWith('/sw.js')) {
    event.respondWith(fromCache(request, APP_CACHE));
  }
});

/** @param {Request} request */
async function networkFirstPage(request) {
  try {
    const response = await fetch(request);
    if (response.ok) {
      const cache = await caches.open(APP_CACHE);
      await cache.put(indexUrl, response.clone());
    }
    return response;
  } catch (error) {
    const cached = (await caches.match(indexUrl, { ignoreVary: true })) ?? (await caches.match(request, { ignoreSearch: true, ignoreVary: true }));
    if (cached) return cached;
    throw error;
  }
}

/** @param {Request} request @param {string} cacheName */
async function fromCache(request, cacheName) {
  const cache = await caches.open(cacheName);
  // ignoreVary: servers answer `Vary: Origin`, and module scripts are requested with an Origin
  // header that the precache requests did not have.
  const cached = await cache.match(request, { ignoreSearch: true, ignoreVary: true });
  if (cached) return cached;
  return fetch(request);
}

// ---------- bundles ----------

/** @param {ArrayBuffer | Uint8Array} buffer */
async function sha256Hex(buffer) {
  const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', /** @type {ArrayBuffer} */ (buffer)));
  return Array.from(digest, (b) => b.toString(16).padStart(2, '0')).join('');
}

/** @param {string} dataset */
function manifestUrl(dataset) {
  if (!/^[a-z0-9][a-z0-9_-]{0,63}$/.test(dataset)) throw new Error(`"${dataset}" is not a dataset name`);
  return new URL(`bundles/${dataset}/manifest.json`, scope).href;
}

/**
 * The published manifest (from the network, bypassing the HTTP cache) and its SHA-256.
 * @param {string} dataset
 * @returns {Promise<{bytes: ArrayBuffer, sha: string, manifest: {parts?: Record<string, {file?: unknown, sha256?: string}>}}>}
 */
async function publishedManifest(dataset) {
  const response = await fetch(manifestUrl(dataset), { cache: 'no-cache', credentials: 'omit' });
  if (!response.ok) throw new Error(`manifest.json: HTTP ${response.status}`);
  const bytes = await response.arrayBuffer();
  return { bytes, sha: await sha256Hex(bytes), manifest: JSON.parse(new TextDecoder().decode(bytes)) };
}

/**
 * Fetches the files of the published manifest that the cache does not already hold, checks each
 * against its SHA-256, then replaces the cached bundle and drops the files it no longer lists.
 * Which files: planDownloads (wasm/bundle-plan.js, inlined above by the build) given the cached
 * bundle's manifest — each part's whole file, or, for a part that changed, the new shards put
 * together with the bytes of the cached part (an update downloads only what is new). Files are
 * content-addressed: a cached file of the same name is the same bytes, re-checked here.
 * On any failure nothing is replaced: the last good bundle stays.
 * @param {string} dataset
 * @param {Awaited<ReturnType<typeof publishedManifest>>} published
 */
async function storeBundle(dataset, published) {
  const base = manifestUrl(dataset);
  const cache = await caches.open(BUNDLE_CACHE);
  const held = await cache.match(base);
  /** @type {any} */
  let heldManifest = null;
  try {
    heldManifest = held ? JSON.parse(await held.text()) : null;
  } catch {
    heldManifest = null;  // an unreadable cached manifest: fetch every part whole
  }
  const urlOf = (/** @type {string} */ file) => new URL(file, base).href;
  /** @param {string} file */
  const network = async (file) => {
    const response = await fetch(urlOf(file), { cache: 'no-cache', credentials: 'omit' });
    if (!response.ok) throw new Error(`${file}: HTTP ${response.status}`);
    return new Uint8Array(await response.arrayBuffer());  // decoded: a compressed transfer is checked as the file's bytes
  };
  /** @param {string} file */
  const cached = async (file) => {
    const response = await cache.match(urlOf(file));
    if (!response) throw new Error(`${file} is no longer cached`);
    return new Uint8Array(await response.arrayBuffer());
  };
  // In rounds of 16 files: Chromium fails requests beyond a few hundred in flight.
  const plan = planDownloads(published.manifest, heldManifest);
  /** @type {Array<[string, Uint8Array]>} */
  const bodies = [];
  for (let at = 0; at < plan.length; at += 16) bodies.push(...await Promise.all(plan.slice(at, at + 16).map(async (d) => {
    if (!/^[A-Za-z0-9._-]+$/.test(d.file) || typeof d.sha256 !== 'string') throw new Error('manifest names a bad part file');
    const same = async (/** @type {Uint8Array} */ bytes) => (await sha256Hex(bytes)) === d.sha256;
    /** @type {Uint8Array | null} */
    let bytes = await cached(d.file).catch(() => null);
    if (bytes && !(await same(bytes))) bytes = null;
    if (!bytes && d.pieces) bytes = await assemble(d, cached, network).catch(() => null);
    if (bytes && !(await same(bytes))) bytes = null;
    if (!bytes) {
      bytes = await network(d.file);
      if (!(await same(bytes))) throw new Error(`${d.file} does not match its SHA-256 in the manifest`);
    }
    return /** @type {[string, Uint8Array]} */ ([urlOf(d.file), bytes]);
  })));
  const headers = (/** @type {string} */ type) => ({ headers: { 'Content-Type': type } });
  for (const [url, bytes] of bodies) {
    await cache.put(url, new Response(/** @type {Uint8Array<ArrayBuffer>} */ (bytes), headers(url.endsWith('.json') ? 'application/json' : 'application/octet-stream')));
  }
  await cache.put(base, new Response(published.bytes, headers('application/json')));
  const keep = new Set([base, ...bodies.map(([url]) => url)]);
  const folder = new URL('./', base).href;
  for (const request of await cache.keys()) {
    if (request.url.startsWith(folder) && !keep.has(request.url)) await cache.delete(request);
  }
}

/** @param {string} dataset */
async function cachedSha(dataset) {
  const cache = await caches.open(BUNDLE_CACHE);
  const cached = await cache.match(manifestUrl(dataset));
  return cached ? sha256Hex(await cached.arrayBuffer()) : null;
}

/**
 * Messages from the page (each answered on event.ports[0]):
 *   {type: 'cache-bundle', dataset, sha}  keep the bundle the page runs for offline use
 *   {type: 'check-bundle', dataset, sha}  → {update: true|false, sha}
 *   {type: 'update-bundle', dataset}      fetch + verify + replace → {ok, sha} | {ok: false, error}
 *   {type: 'skip-waiting'}                a new app version takes over
 */
sw.addEventListener('message', (event) => {
  const data = event.data ?? {};
  const reply = (/** @type {object} */ message) => event.ports[0]?.postMessage(message);
  event.waitUntil((async () => {
    try {
      if (data.type === 'skip-waiting') {
        await sw.skipWaiting();
        reply({ ok: true });
      } else if (data.type === 'cache-bundle') {
        const have = await cachedSha(data.dataset);
        if (have === data.sha) return reply({ ok: true, cached: true, update: false });
        const published = await publishedManifest(data.dataset);
        if (published.sha !== data.sha) return reply({ ok: true, cached: have !== null, update: true, sha: published.sha });
        await storeBundle(data.dataset, published);
        reply({ ok: true, cached: true, update: false });
      } else if (data.type === 'check-bundle') {
        const published = await publishedManifest(data.dataset);
        reply({ ok: true, update: published.sha !== data.sha, sha: published.sha });
      } else if (data.type === 'update-bundle') {
        const published = await publishedManifest(data.dataset);
        await storeBundle(data.dataset, published);
        reply({ ok: true, sha: published.sha });
      } else {
        reply({ ok: false, error: `unknown message ${data.type}` });
      }
    } catch (error) {
      reply({ ok: false, error: String(/** @type {Error} */ (error)?.message ?? error) });
    }
  })());
});
