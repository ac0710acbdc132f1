// Shared host-page helpers of the widget suites (e2e/widget.spec.js, e2e/widget-embed.spec.js).
// The widget, engine and demo bundle come from the app's server (WIDGET, :8080); host pages come
// from a second server (HOST, :8081, playwright.config.js) under the name "localhost", so they are
// a different origin (and site). OTHER (127.0.0.1:8081) is a third origin.
import { createHash } from 'node:crypto';
import { expect as baseExpect } from '@playwright/test';
import { servedCatalog } from './helpers.js';

export const expect = baseExpect.configure({ timeout: 15_000 });
export const WIDGET = process.env.PATHLIGHT_WIDGET_ORIGIN ?? 'http://127.0.0.1:8080';
export const HOST = process.env.PATHLIGHT_HOST_ORIGIN ?? 'http://localhost:8081';
export const OTHER = HOST.replace('localhost', '127.0.0.1');
export const SCRIPT = `${WIDGET}/widget/pathlight-widget.js`;
export const BUNDLE = `${WIDGET}/bundles/demo/`;
export const MANIFEST = `${BUNDLE}manifest.json`;
// A strict policy: no inline script or style, no eval; only what the widget needs, per mode.
export const CSP_INLINE = `default-src 'none'; script-src ${WIDGET} 'wasm-unsafe-eval'; connect-src ${WIDGET}; img-src 'self' data:`;
export const CSP_ISOLATED = `default-src 'none'; script-src ${WIDGET}; frame-src ${WIDGET}; img-src 'self' data:`;

/**
 * Writes a host page (no widget script yet) into examples/blank.html on the host origin, starts
 * logging the widget's events into a <template> (not rendered, no globals), then loads the
 * widget with one script tag, as a site would. Returns helpers.
 */
export async function openHost(page, { body = '', head = '', csp = null, script = true, path = '/examples/blank.html', lang = 'en', origin = HOST } = {}) {
  await page.goto(`${origin}${path}`);
  const meta = csp ? `<meta http-equiv="Content-Security-Policy" content="${csp}">` : '';
  await page.setContent(`<!doctype html><html lang="${lang}"><head><meta charset="utf-8">${meta}<link rel="icon" href="data:,">${head}</head><body>${body}</body></html>`);
  await page.evaluate(() => {
    const log = document.createElement('template');
    log.id = 'pl-log';
    document.body.append(log);
    for (const type of ['pathlight-select', 'pathlight-error']) {
      document.addEventListener(type, (event) => {
        const entry = document.createElement('i');
        entry.textContent = JSON.stringify({ type, target: event.target.id, detail: event.detail });
        log.content.append(entry);
      });
    }
  });
  if (script) await addScript(page);
}

export async function addScript(page, src = SCRIPT) {
  await page.evaluate((url) => {
    const s = document.createElement('script');
    s.type = 'module';
    s.src = url;
    document.head.append(s);
  }, src);
}

export async function events(page, type) {
  const all = await page.evaluate(() => [...document.getElementById('pl-log').content.children].map((n) => JSON.parse(n.textContent)));
  return type ? all.filter((e) => e.type === type) : all;
}

/** The widget's inside: its open shadow root (inline) or its frame (isolated). */
export function inside(page, id, mode = 'inline') {
  return mode === 'isolated' ? page.frameLocator(`#${id} iframe`) : page.locator(`#${id}`);
}

/** The visible fallback message (part "fallback": rendered by the element or by the list view). */
export function fallbackOf(page, id, mode) {
  return inside(page, id, mode).locator('[part~="fallback"]').filter({ visible: true });
}

export async function ready(page, id, mode) {
  await expect(inside(page, id, mode).locator('.root')).toHaveAttribute('data-state', 'ready');
  return inside(page, id, mode).locator('li.item');
}

export async function shownIds(page, id, mode) {
  return (await ready(page, id, mode)).evaluateAll((nodes) => nodes.map((n) => n.dataset.id));
}

export function widgetTag(id, attrs) {
  const a = Object.entries({ bundle: BUNDLE, ...attrs }).map(([k, v]) => `${k}="${v}"`).join(' ');
  return `<pathlight-recs id="${id}" ${a}></pathlight-recs>`;
}

export async function catalog(request) {
  return servedCatalog(request, BUNDLE);
}

export async function manifestPin(request) {
  const body = await (await request.get(MANIFEST)).body();
  return `sha256-${createHash('sha256').update(body).digest('base64')}`;
}

export function collectConsole(page) {
  const lines = [];
  page.on('console', (m) => lines.push({ type: m.type(), text: m.text() }));
  page.on('pageerror', (e) => lines.push({ type: 'pageerror', text: e.message }));
  return lines;
}

/**
 * Opens examples/forum.html on the host origin as a forum on another origin than the widget
 * publishes it: the same page, with the widget's origin in its script tag, bundles and policy
 * (the published page names its own origin, 'self', so that it works wherever it is served).
 * Written into examples/blank.html (a real document from the host's server, with `query` in its
 * URL), as openHost does: a document fulfilled by the test itself would have no network address,
 * and Chromium's local network access rules would then block its requests to the widget.
 */
export async function openForumAcrossOrigins(page, query = '') {
  const html = (await (await page.request.get(`${HOST}/examples/forum.html`)).text())
    .replaceAll('"../widget/', `"${WIDGET}/widget/`)
    .replaceAll('"../bundles/', `"${WIDGET}/bundles/`)
    .replace("script-src 'self'", `script-src 'self' ${WIDGET}`)
    .replace("connect-src 'self'", `connect-src 'self' ${WIDGET}`)
    .replace("frame-src 'self'", `frame-src ${WIDGET}`);
  await page.goto(`${HOST}/examples/blank.html${query}`);
  await page.setContent(html);
}
