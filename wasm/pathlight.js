// Pathlight JS API (the thin layer over the Embind module). Contract: pathlight.d.ts.
// - one memoized async factory for the WASM engine;
// - bundle download with progress, SRI-style pin of manifest.json, every part SHA-256-verified
//   by the core before use;
// - plain-object results; failures are PathlightError with a stable `.code`.
// Nothing here sends data anywhere: the only requests are GETs for the engine and bundle files.

export class PathlightError extends Error {
  constructor(code, message, options) {
    super(message, options);
    this.name = 'PathlightError';
    this.code = code;
  }
}

let corePromise = null;

/** Loads the WASM engine once per page/worker (memoized). In Node, pass the .wasm bytes. */
export function loadCore({ wasmBinary } = {}) {
  if (!corePromise) {
    corePromise = (async () => {
      const { default: createPathlightCore } = await import('./pathlight_core.js');
      const opts = {};
      if (wasmBinary) opts.wasmBinary = wasmBinary;
      else opts.locateFile = (file) => new URL(file, import.meta.url).href;
      return createPathlightCore(opts);
    })().catch((e) => {
      corePromise = null;
      throw new PathlightError('engine_load_failed', `The Pathlight engine could not start: ${e.message}`, { cause: e });
    });
  }
  return corePromise;
}

async function sha256Base64(bytes) {
  const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', bytes));
  let s = '';
  for (const b of digest) s += String.fromCharCode(b);
  return { base64: btoa(s), hex: Array.from(digest, (b) => b.toString(16).padStart(2, '0')).join('') };
}

async function fetchBytes(url, onChunk) {
  let res;
  try {
    res = await fetch(url, { credentials: 'omit' });
  } catch (e) {
    throw new PathlightError('network_error', `Could not download ${url}: ${e.message}`, { cause: e });
  }
  if (!res.ok) throw new PathlightError('network_error', `Could not download ${url}: HTTP ${res.status}`);
  if (!res.body) {
    const buf = new Uint8Array(await res.arrayBuffer());
    onChunk(buf.length);
    return buf;
  }
  const reader = res.body.getReader();
  const chunks = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    chunks.push(value);
    size += value.length;
    onChunk(value.length);
  }
  const out = new Uint8Array(size);
  let off = 0;
  for (const c of chunks) {
    out.set(c, off);
    off += c.length;
  }
  return out;
}

function manifestUrlOf(bundleUrl) {
  return bundleUrl.endsWith('.json') ? bundleUrl : bundleUrl.replace(/\/?$/, '/manifest.json');
}

function check(result) {
  if (result && typeof result === 'object' && typeof result.code === 'string' && !('indices' in result)) {
    throw new PathlightError(result.code, result.message);
  }
  return result;
}

function toPlainItem(item, index) {
  return {
    index,
    id: item.id,
    kind: item.kind,
    title: item.title,
    price: typeof item.price === 'number' ? item.price : null,
    currency: item.currency,
    level: item.level,
    language: item.language,
    hours: item.hours,
    teaches: item.teaches,
    requires: item.requires,
    ...(item.kind === 'mentor'
      ? { languages: item.languages, rating: item.rating, capacity: item.capacity, expertise: item.expertise }
      : {}),
  };
}

/**
 * Downloads, verifies and loads a bundle. See pathlight.d.ts.
 * @param {{bundleUrl: string, integrity?: string, onProgress?: (loaded:number,total:number)=>void,
 *          wasmBinary?: Uint8Array, fetchImpl?: never}} options
 */
export async function createPathlight({ bundleUrl, integrity, onProgress, wasmBinary } = {}) {
  if (typeof bundleUrl !== 'string' || bundleUrl === '') {
    throw new PathlightError('invalid_argument', 'createPathlight needs { bundleUrl: "…/manifest.json" }');
  }
  const manifestUrl = new URL(manifestUrlOf(bundleUrl), globalThis.location?.href ?? 'file:///').href;
  const core = await loadCore({ wasmBinary });
  let loaded = 0;
  let total = 0;
  const progress = (n) => {
    loaded += n;
    onProgress?.(loaded, total);
  };

  const manifestBytes = await fetchBytes(manifestUrl, progress);
  const digest = await sha256Base64(manifestBytes);
  if (integrity && integrity !== `sha256-${digest.base64}`) {
    throw new PathlightError('integrity_mismatch',
      `manifest.json does not match the pinned integrity ${integrity} (got sha256-${digest.base64})`);
  }
  const manifestText = new TextDecoder().decode(manifestBytes);
  let manifest;
  try {
    manifest = JSON.parse(manifestText);
  } catch (e) {
    throw new PathlightError('parse_error', `manifest.json is not valid JSON: ${e.message}`);
  }
  const parts = manifest && typeof manifest.parts === 'object' && manifest.parts ? Object.values(manifest.parts) : [];
  const files = parts.map((p) => p && p.file).filter((f) => typeof f === 'string' && /^[A-Za-z0-9._-]+$/.test(f));
  total = manifestBytes.length + parts.reduce((s, p) => s + (Number.isSafeInteger(p?.bytes) ? p.bytes : 0), 0);
  onProgress?.(loaded, total);

  const engine = new core.Engine();
  try {
    const bodies = await Promise.all(files.map((f) => fetchBytes(new URL(f, manifestUrl).href, progress)));
    files.forEach((f, i) => engine.addPart(f, bodies[i]));
    check(engine.load(manifestText));
  } catch (e) {
    engine.delete();
    throw e instanceof PathlightError ? e : new PathlightError('corrupt_bundle', String(e?.message ?? e), { cause: e });
  }

  const raw = engine.info();
  const info = {
    dataset: raw.dataset,
    formatVersion: raw.formatVersion,
    algorithm: raw.algorithm,
    factors: raw.factors,
    items: raw.items,
    concepts: raw.concepts,
    regularization: raw.regularization,
    alpha: raw.alpha,
    metrics: JSON.parse(raw.metricsJson),
    manifestSha256: digest.hex,
  };
  const catalog = JSON.parse(engine.catalogJson());
  const items = catalog.items.map(toPlainItem);
  const indexOf = new Map(items.map((it) => [it.id, it.index]));
  const concepts = catalog.concepts.map((c) => ({
    id: c.id, name: c.name, nameZh: c.name_zh ?? '', prerequisites: c.prerequisites ?? [],
  }));

  function historyArrays(history) {
    if (!Array.isArray(history)) throw new PathlightError('invalid_argument', 'history must be an array of { id, weight? }');
    const idx = new Int32Array(history.length);
    const w = new Float32Array(history.length);
    history.forEach((h, j) => {
      const i = indexOf.get(h?.id);
      if (i === undefined) throw new PathlightError('unknown_id', `history[${j}]: item id "${h?.id}" is not in this bundle's catalog`);
      idx[j] = i;
      w[j] = h.weight ?? 1;
    });
    return [idx, w];
  }

  let alive = true;
  const live = () => {
    if (!alive) throw new PathlightError('invalid_argument', 'this Pathlight instance was deleted');
  };
  return {
    info,
    async items() { return items.map((it) => ({ ...it })); },
    async concepts() { return concepts.map((c) => ({ ...c })); },
    async recommend({ history = [], k = 10 } = {}) {
      live();
      const [idx, w] = historyArrays(history);
      const r = check(engine.recommend(idx, w, k));
      return Array.from(r.indices, (i, j) => ({ index: i, id: items[i].id, score: r.scores[j] }));
    },
    async foldIn({ history = [] } = {}) {
      live();
      const [idx, w] = historyArrays(history);
      return check(engine.foldIn(idx, w));
    },
    delete() {
      if (alive) engine.delete();
      alive = false;
    },
  };
}
