// The widget's first list (issue 17's target: ≤ 300 ms after its script runs, warm cache, demo
// bundle). bench/run_browser.mjs (--only widget, or as part of scripts/bench browser) loads this
// page once to warm the HTTP cache, then navigates to it again `loads` times in the same browser
// context and reads globalThis.benchResults each time (after the page's console says "done").
// Query: script = the widget's URL (…/widget/pathlight-widget.js, the engine beside it in
// ../engine/), bundle = the bundle's folder. Measured: performance.now() from just before the
// widget's <script> element is added to the page (nothing of the widget has run or been fetched
// yet) to the moment the first card (li.item) is in the element's shadow root — a
// MutationObserver callback, the microtask after the widget appends it.
const params = new URLSearchParams(location.search);
const el = /** @type {HTMLElement} */ (document.getElementById('w'));
el.setAttribute('bundle', new URL(params.get('bundle') ?? '/site/bundles/demo/', location.href).href);

function firstCard() {
  return new Promise((resolve, reject) => {
    const found = () => el.shadowRoot?.querySelector('li.item');
    customElements.whenDefined('pathlight-recs').then(() => {
      if (found()) return resolve(performance.now());
      const observer = new MutationObserver(() => {
        if (!found()) return;
        observer.disconnect();
        resolve(performance.now());
      });
      if (!el.shadowRoot) return reject(new Error('the widget attached no open shadow root'));
      observer.observe(el.shadowRoot, { childList: true, subtree: true });
    }, reject);
    el.addEventListener('pathlight-error', (event) => reject(new Error(JSON.stringify(/** @type {CustomEvent} */ (event).detail))));
  });
}

const script = document.createElement('script');
script.type = 'module';
script.src = new URL(params.get('script') ?? '/site/widget/pathlight-widget.js', location.href).href;
const t0 = performance.now();
let defined = NaN;
customElements.whenDefined('pathlight-recs').then(() => { defined = performance.now(); });
const done = firstCard();
document.body.append(script);
done.then((t1) => {
  const cards = el.shadowRoot?.querySelectorAll('li.item').length ?? 0;
  // The page's own requests (not the Worker's), ms after t0: where the time went.
  const resources = performance.getEntriesByType('resource').map((r) => ({
    url: new URL(r.name).pathname, startMs: Math.round(r.startTime - t0), endMs: Math.round(r.responseEnd - t0),
  }));
  globalThis.benchResults = { widgetFirstListMs: t1 - t0, scriptAddedAtMs: t0, cards, definedMs: defined - t0, resources };
}, (error) => {
  globalThis.benchResults = { error: String(error?.message ?? error) };
}).finally(() => console.log('done'));  // bench/run_browser.mjs waits for it
