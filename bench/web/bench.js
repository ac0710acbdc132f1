// The browser benchmark (scripts/bench browser drives this page in Chromium; method and results:
// docs/BENCHMARKS.md). In one page it times, for each catalog size, scoring + top-10 for a given
// learner vector with:
//   wasm_f32   the core's f32 kernel (wasm_simd128), via bench/wasm_bench.cpp
//   wasm_i8    the core's int8 kernel (same module)
//   wasm_f16   the core's f16 path (same module)
//   js_f32     plain JavaScript over a Float32Array (bench/web/plain.js)
//   tfjs_wasm  TensorFlow.js 4.22.0, wasm backend: matMul(user 1×k, factors k×N) + topk
//   wasm_read  not a scorer: one pass reading the f32 factors (the memory floor under f32 scoring)
// and then a full recommend() through the engine's public JS API on a synthetic 100k-item bundle.
// Timing: each contender is warmed up, then timed in batches of calls (a batch lasts about
// `batchMs`); contenders take turns batch by batch (round-robin, starting point rotated each
// round) so that any drift in machine load falls on all of them alike. A sample is the batch's
// time per call; the result is the median over `rounds` samples.
// data.js (1 KB; the learner's history is drawn with its mulberry32) is fetched while the engine
// starts, as an app's own code would be there; plain.js, for the kernel timings only, when used.
const benchData = import('./data.js');
const plainJs = () => import('./plain.js');

const pageScriptMs = performance.now();  // when this page's own script began (mode=floor)
const params = new URLSearchParams(location.search);
const num = (name, fallback) => (params.has(name) ? Number(params.get(name)) : fallback);
const config = {
  sizes: (params.get('sizes') ?? '10000,100000,1000000').split(',').map(Number),
  factors: 64,
  top: 10,
  rounds: num('rounds', 31),
  batchMs: num('batchMs', 25),
  warmupMs: num('warmupMs', 400),
  recommendBundle: params.get('bundle') ?? '/bundles/synth-100k-f32/manifest.json',
  recommendBundles: (params.get('bundles') ?? '/bundles/synth-10k-f32/manifest.json,/bundles/synth-100k-f32/manifest.json,/bundles/synth-100k-i8/manifest.json').split(','),
  recommendEvents: 50,
  apiCalls: num('apiCalls', 100000),
  only: params.get('only')?.split(','),  // a subset of the kernel contenders (for diagnosis)
};

const logEl = document.getElementById('log');
function log(msg) {
  console.log(msg);
  logEl.textContent += `${msg}\n`;
}

const pause = () => new Promise((resolve) => setTimeout(resolve, 0));

function stats(samples) {
  const s = [...samples].sort((a, b) => a - b);
  const q = (p) => s[Math.min(s.length - 1, Math.floor(p * (s.length - 1) + 0.5))];
  return { median_ms: q(0.5), p10_ms: q(0.1), p90_ms: q(0.9), min_ms: s[0], samples: s.length };
}

/** Warms each contender up, sizes its batch, then times rounds of batches. `run` may be async. */
async function measure(contenders, { rounds, batchMs, warmupMs }) {
  for (const c of contenders) {
    let calls = 0;
    const t0 = performance.now();
    do {
      c.last = c.async ? await c.run() : c.run();
      calls++;
    } while (performance.now() - t0 < warmupMs || calls < 5);
    const perCall = (performance.now() - t0) / calls;
    c.batch = Math.max(1, Math.round(batchMs / perCall));
    c.samples = [];
  }
  for (let r = 0; r < rounds; r++) {
    for (let j = 0; j < contenders.length; j++) {
      const c = contenders[(j + r) % contenders.length];
      const t0 = performance.now();
      if (c.async) for (let b = 0; b < c.batch; b++) c.last = await c.run();
      else for (let b = 0; b < c.batch; b++) c.last = c.run();
      c.samples.push((performance.now() - t0) / c.batch);
    }
    await pause();
  }
  const out = {};
  for (const c of contenders) out[c.id] = { ...stats(c.samples), batch: c.batch };
  return out;
}

function overlap(a, b) {
  const sa = new Set(Array.from(a));
  let common = 0;
  for (const x of b) if (sa.has(x)) common++;
  return common / Math.max(1, sa.size);
}

// TensorFlow.js 4.22.0: the UMD builds from node_modules (served by bench/run_browser.mjs), added
// as classic scripts in order; they define globalThis.tf.
async function loadTfjs() {
  for (const src of ['/tfjs-core/tf-core.min.js', '/tfjs-wasm/tf-backend-wasm.min.js']) {
    await new Promise((resolve, reject) => {
      const script = Object.assign(document.createElement('script'), { src, onload: resolve, onerror: () => reject(new Error(`could not load ${src}`)) });
      document.head.append(script);
    });
  }
}

async function kernels(results) {
  const { default: createPathlightBench } = await import('/benchwasm/pathlight_bench.js');
  const mod = await createPathlightBench({ locateFile: (file) => `/benchwasm/${file}` });
  const bench = new mod.KernelBench();

  await loadTfjs();
  const tf = globalThis.tf;
  tf.wasm.setWasmPaths('/tfjs-wasm/');  // the served node_modules/@tensorflow/tfjs-backend-wasm/dist/
  await tf.setBackend('wasm');
  await tf.ready();
  results.tfjs = {
    version: tf.version_core,
    backend: tf.getBackend(),
    simd: await tf.env().getAsync('WASM_HAS_SIMD_SUPPORT'),
    multithread: await tf.env().getAsync('WASM_HAS_MULTITHREAD_SUPPORT'),
    threads: tf.wasm.getThreadsCount?.() ?? null,
  };
  log(`TF.js ${results.tfjs.version} backend=${results.tfjs.backend} simd=${results.tfjs.simd} threads=${results.tfjs.threads}`);

  const { factors: k, top } = config;
  const { itemFactors, learnerVector } = await benchData;
  const { PlainScorer } = await plainJs();
  const user = learnerVector(k);
  results.kernels = [];
  for (const n of config.sizes) {
    log(`n=${n}: generating ${n}×${k} factors`);
    const y = itemFactors(n, k);
    bench.setFactors(y, n, k);
    bench.setUser(user);
    const plain = new PlainScorer(y, n, k);
    plain.setUser(user);
    // TensorFlow.js at its best: factors stored k × N, so matMul needs no transposeB.
    let yt = new Float32Array(n * k);
    for (let i = 0; i < n; i++) for (let d = 0; d < k; d++) yt[d * n + i] = y[i * k + d];
    const tY = tf.tensor2d(yt, [k, n]);
    const tU = tf.tensor2d(user, [1, k]);
    yt = null;
    const tfjsRun = () => {
      const s = tf.matMul(tU, tY);
      const { values, indices } = tf.topk(s, top);
      const idx = indices.dataSync();
      s.dispose();
      values.dispose();
      indices.dispose();
      return idx;
    };
    const contenders = [
      { id: 'wasm_f32', run: () => bench.scoreTop(0, top) },
      { id: 'wasm_i8', run: () => bench.scoreTop(1, top) },
      { id: 'wasm_f16', run: () => bench.scoreTop(2, top) },
      { id: 'js_f32', run: () => plain.scoreTop(top) },
      { id: 'tfjs_wasm', run: tfjsRun },
      // Not a scorer: reading the f32 factors alone, the floor under any f32 contender here.
      { id: 'wasm_read', run: () => bench.readF32(), floor: true },
    ].filter((c) => !config.only || config.only.includes(c.id));
    const tensorsBefore = tf.memory().numTensors;
    const timing = await measure(contenders, config);
    const ref = contenders[0].last;
    const entry = { n, k, top, timing, agreement: {}, tfjsTensorsLeaked: tf.memory().numTensors - tensorsBefore };
    for (const c of contenders.filter((x) => !x.floor)) entry.agreement[c.id] = { top: Array.from(c.last), overlapWithWasmF32: overlap(ref, c.last) };
    results.kernels.push(entry);
    for (const c of contenders) log(`  ${c.id.padEnd(10)} ${timing[c.id].median_ms.toFixed(3)} ms  (batch ${timing[c.id].batch}${c.floor ? '' : `, top-10 overlap with wasm_f32 ${entry.agreement[c.id].overlapWithWasmF32}`})`);
    tY.dispose();
    tU.dispose();
    bench.clear();
    await pause();
  }
  bench.delete();
}

// A learner of `events` distinct items with weights 1..5, fixed by seed.
async function learnerHistory(items, events) {
  const { mulberry32 } = await benchData;
  const rng = mulberry32(5);
  const chosen = new Set();
  while (chosen.size < Math.min(events, items.length)) chosen.add(rng() % items.length);
  return [...chosen].map((i, j) => ({ id: items[i].id, weight: 1 + (j % 5) }));
}

async function recommend(results) {
  const { createPathlight } = await import('/engine/pathlight.js');
  results.recommend = [];
  for (const bundle of config.recommendBundles) {
    for (const worker of [true, false]) {
      const out = { bundle, mode: worker ? 'worker' : 'in_page', events: config.recommendEvents, k: config.top };
      results.recommend.push(out);
      try {
        const t0 = performance.now();
        const pl = await createPathlight({ bundleUrl: bundle, worker });
        out.loadMs = performance.now() - t0;
        out.encoding = (await fetch(bundle).then((r) => r.json())).parts.item_factors.dtype;
        const items = await pl.items();
        out.items = items.length;
        const request = { history: await learnerHistory(items, config.recommendEvents), k: config.top };
        out.top = (await pl.recommendHistory(request)).items.map((r) => r.id);
        const opts = { rounds: config.rounds, batchMs: config.batchMs * 2, warmupMs: config.warmupMs };
        // (1) Stateless: every call folds in the 50-event history, scores, ranks, returns the top-10.
        out.history = (await measure([{ id: 'x', async: true, run: () => pl.recommendHistory(request) }], opts)).x;
        log(`recommend({history}) ${out.mode}, ${out.items} items ${out.encoding}: ${out.history.median_ms.toFixed(3)} ms median`);
        // (2) The app's session: the same 50 events as a profile plus goals and a known concept,
        // then recommend() with the product's ranking defaults (knowledge-graph terms, MMR), and
        // a click: one more event (incremental fold-in update) followed by recommend().
        const concepts = await pl.concepts();
        await pl.setPreferences({ goals: [concepts[concepts.length - 1].id, concepts[concepts.length - 7].id], known: [concepts[0].id] });
        for (const h of request.history) await pl.addEvent({ type: 'enroll', item: h.id });
        out.profileTop = (await pl.recommend({ k: config.top })).items.map((r) => r.id);
        out.profile = (await measure([{ id: 'x', async: true, run: () => pl.recommend({ k: config.top }) }], opts)).x;
        // The click as a page sends it: both calls at once (session calls run in the order they
        // are made, pathlight.d.ts), so the page waits for one answer, not two; and, for
        // comparison, awaiting addEvent's answer before asking for the list (two round trips).
        let j = 0;
        const view = () => ({ type: 'view', item: request.history[j++ % request.history.length].id });
        const click = async () => (await Promise.all([pl.addEvent(view()), pl.recommend({ k: config.top })]))[1];
        const clickAwaited = async () => {
          await pl.addEvent(view());
          return pl.recommend({ k: config.top });
        };
        const clicks = await measure([{ id: 'click', async: true, run: click }, { id: 'awaited', async: true, run: clickAwaited }], opts);
        out.click = clicks.click;
        out.clickAwaited = clicks.awaited;
        log(`recommend() on the profile ${out.profile.median_ms.toFixed(3)} ms, addEvent + recommend() ${out.click.median_ms.toFixed(3)} ms median ` +
            `(${out.clickAwaited.median_ms.toFixed(3)} ms awaiting addEvent first)`);
        pl.delete();
      } catch (e) {
        out.error = `${e.code ?? ''} ${e.message}`;
        log(`recommend (${out.mode}, ${bundle}): ${out.error}`);
      }
    }
  }
}

// Engine memory (a fresh page, in-page engine so that its WASM heap can be read): heap size after
// loading the bundle vs the bundle's bytes, and heap growth over `apiCalls` recommend() calls.
async function memory(results) {
  const { createPathlight } = await import('/engine/pathlight.js');
  const { loadCore } = await import('/engine/engine.js');
  const out = { bundle: config.recommendBundle, calls: config.apiCalls };
  results.memory = out;
  const manifest = await (await fetch(config.recommendBundle)).json();
  out.bundleBytes = Object.values(manifest.parts).reduce((s, p) => s + p.bytes, 0);
  const pl = await createPathlight({ bundleUrl: config.recommendBundle, worker: false });
  const core = await loadCore();
  out.heapAfterLoad = core.HEAP8.length;
  out.heapToBundle = out.heapAfterLoad / out.bundleBytes;
  const items = await pl.items();
  const request = { history: await learnerHistory(items, config.recommendEvents), k: config.top };
  await pl.recommendHistory(request);
  out.heapAfterFirstCall = core.HEAP8.length;
  const t0 = performance.now();
  for (let c = 1; c < config.apiCalls; c++) await pl.recommendHistory(request);
  out.callsMs = performance.now() - t0;
  out.heapAfterCalls = core.HEAP8.length;
  out.growthBytes = out.heapAfterCalls - out.heapAfterFirstCall;
  log(`memory: heap ${(out.heapAfterLoad / 2 ** 20).toFixed(1)} MiB after loading a ${(out.bundleBytes / 2 ** 20).toFixed(1)} MiB bundle ` +
      `(${out.heapToBundle.toFixed(2)}×); +${(out.growthBytes / 2 ** 20).toFixed(2)} MiB over ${config.apiCalls} calls`);
  pl.delete();
}

// Time from navigation start (performance.now() = 0) to the first recommendation, through the
// public API as an app uses it (engine in a Worker, bundle downloaded and verified). The page
// also takes the whole catalog (items(), as the learner app does to search it) before its first
// recommendation, so that time is included: loadedMs → catalogMs → firstRecommendationMs.
async function firstRecommendation(results) {
  const { createPathlight } = await import('/engine/pathlight.js');
  // Progress marks: the first report (engine started, manifest read) and the last byte downloaded.
  let firstProgressMs = null, downloadedMs = null;
  const onProgress = (done, total) => {
    firstProgressMs ??= performance.now();
    if (total > 0 && done >= total) downloadedMs ??= performance.now();
  };
  const pl = await createPathlight({ bundleUrl: config.recommendBundle, onProgress, prefetchCatalog: true });  // as the learner app
  const loaded = performance.now();
  const items = await pl.items();
  const catalogMs = performance.now();
  const recs = await pl.recommendHistory({ history: await learnerHistory(items, config.recommendEvents), k: config.top });
  results.first = { bundle: config.recommendBundle, items: items.length, firstProgressMs, downloadedMs, loadedMs: loaded, catalogMs,
    firstRecommendationMs: performance.now(), count: recs.items.length };
  log(`first recommendation ${results.first.firstRecommendationMs.toFixed(0)} ms after navigation start (${items.length} items; ` +
      `engine started and manifest read at ${firstProgressMs?.toFixed(0)} ms, last byte at ${downloadedMs?.toFixed(0)} ms, ` +
      `bundle loaded at ${loaded.toFixed(0)} ms, catalog in the page at ${catalogMs.toFixed(0)} ms)`);
  pl.delete();
}

// The floor under any page load that starts a Web Worker (mode=floor): a fresh page that only
// starts an empty module Worker (empty-worker.js) and waits for its first message — no engine, no
// bundle. Page load → first recommendation cannot be shorter than this on the same machine.
async function workerFloor(results) {
  const worker = new Worker(new URL('./empty-worker.js', import.meta.url), { type: 'module' });
  await new Promise((resolve, reject) => {
    worker.onmessage = resolve;
    worker.onerror = reject;
  });
  results.floor = { pageScriptMs, workerMessageMs: performance.now() };
  worker.terminate();
  log(`empty module Worker: first message ${results.floor.workerMessageMs.toFixed(0)} ms after navigation start (this page's script began at ${pageScriptMs.toFixed(0)} ms)`);
}

// The floor the bytes alone set (mode=bytes): a fresh page that, with no engine and no Worker,
// fetches what a first load of the bundle fetches — the manifest, then every file planDownloads
// names, PARALLEL_DOWNLOADS at a time, as pathlight.js does — and reads each body to its last
// byte. Page load → first recommendation for that bundle cannot be shorter than this here.
async function bytesFloor(results) {
  const [{ planDownloads }, { PARALLEL_DOWNLOADS, fetchBytes, limitConcurrency }] =
    await Promise.all([import('/engine/bundle-plan.js'), import('/engine/download.js')]);
  const manifestUrl = new URL(config.recommendBundle, location.href);
  const manifest = JSON.parse(new TextDecoder().decode(await fetchBytes(manifestUrl.href, () => {}, 'no-cache')));
  const manifestMs = performance.now();
  const urls = planDownloads(manifest).map((d) => new URL(d.file, manifestUrl).href);
  const slot = limitConcurrency(PARALLEL_DOWNLOADS);
  const sizes = await Promise.all(urls.map((url) => slot(() => fetchBytes(url, () => {})).then((b) => b.length)));
  const files = urls.length, bytes = sizes.reduce((a, b) => a + b, 0);
  results.bytesFloor = { bundle: config.recommendBundle, pageScriptMs, manifestMs, lastByteMs: performance.now(), files, bytes };
  log(`bytes alone: ${files} files (${(bytes / 1e6).toFixed(2)} MB decoded) read by ${results.bytesFloor.lastByteMs.toFixed(0)} ms after navigation start ` +
      `(manifest at ${manifestMs.toFixed(0)} ms; this page's script began at ${pageScriptMs.toFixed(0)} ms)`);
}

async function main() {
  const results = {
    page: location.href,
    startedAt: new Date().toISOString(),
    userAgent: navigator.userAgent,
    hardwareConcurrency: navigator.hardwareConcurrency,
    crossOriginIsolated: globalThis.crossOriginIsolated ?? false,
    config,
  };
  try {
    const mode = params.get('mode') ?? 'all';
    if (mode === 'first') await firstRecommendation(results);
    else if (mode === 'floor') await workerFloor(results);
    else if (mode === 'bytes') await bytesFloor(results);
    else if (mode === 'memory') await memory(results);
    else {
      if (mode !== 'recommend') await kernels(results);
      await recommend(results);
    }
  } catch (e) {
    results.error = `${e?.stack ?? e}`;
    log(`error: ${results.error}`);
  }
  results.finishedAt = new Date().toISOString();
  globalThis.benchResults = results;
  log('done');
}

main();
