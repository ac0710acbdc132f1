// The isolated widget (mode="isolated"): runs in a sandboxed iframe whose origin is the widget's
// (and the bundle's), so the reader's profile sits in this origin's storage, out of the host
// page's reach. The host talks to it only through the MessagePort it hands over in a 'connect'
// message; window messages from anyone else — other frames, other origins, a second 'connect' —
// are ignored. What goes back to the host: {hello}, {size}, {select: id, kind} when the reader
// clicks, {error: code, message}, and {ack} for recordActivity. Never the history.
import { createRunner, sanitizeConfig, styleSheet } from './runner.js';

// The engine beside the widget: frame.html is published as widget/frame.html.
const ENGINE_MODULE = '../engine/pathlight.js';

const THEME_VARS = new Set(['--pathlight-bg', '--pathlight-fg', '--pathlight-muted', '--pathlight-accent',
  '--pathlight-border', '--pathlight-item-bg', '--pathlight-focus', '--pathlight-radius',
  '--pathlight-padding', '--pathlight-font-family', '--pathlight-font-size']);
// Colours, lengths and font names only: no url(), no image-set(), nothing that could fetch.
const SAFE_VALUE = /^[\w\s#%.,()'"/+-]{1,200}$/;
const FETCHING = /url\s*\(|image\s*\(|image-set|src\s*\(|@|\\/i;

function expectedHostOrigin() {
  const ancestor = location.ancestorOrigins?.[0];
  if (ancestor && ancestor !== 'null') return ancestor;
  return new URLSearchParams(location.hash.slice(1)).get('host');
}

const hostOrigin = expectedHostOrigin();
/** @type {MessagePort | null} */
let port = null;
/** @type {ReturnType<typeof createRunner> | null} */
let runner = null;

window.addEventListener('message', (event) => {
  if (port || window.parent === window || event.source !== window.parent) return;
  if (!hostOrigin || event.origin !== hostOrigin) return;
  if (event.data?.pathlight !== 'connect' || event.ports.length !== 1) return;
  const connected = event.ports[0];
  port = connected;
  connected.onmessage = ({ data }) => onMessage(data);
  start(connected);
  connected.postMessage({ type: 'hello' });
});

/** @param {MessagePort} port */
function start(port) {
  const base = new CSSStyleSheet();
  base.replaceSync('html, body { margin: 0; padding: 0; background: transparent; } body { overflow: hidden; }');
  document.adoptedStyleSheets = [base, styleSheet()];
  let last = -1;
  // Measured after every render as well: the browser may skip rendering (and so ResizeObserver)
  // in a cross-origin frame that is out of view, which would leave the host with a stale height.
  const measure = () => {
    const height = Math.ceil(runner?.root.getBoundingClientRect().height ?? 0);
    if (height !== last) port.postMessage({ type: 'size', height: (last = height) });
  };
  const created = createRunner(document.body, {
    select: ({ id, kind }) => port.postMessage({ type: 'select', id, kind }),
    error: (code, message, { fatal = false } = {}) => port.postMessage({ type: 'error', code, message, fatal }),
  }, { isolated: true, onRender: measure, engineUrl: new URL(ENGINE_MODULE, document.baseURI).href });
  runner = created;
  new ResizeObserver(measure).observe(created.root);
  window.addEventListener('resize', measure);
}

/** @param {Record<string, unknown> | undefined} vars */
function applyTheme(vars) {
  const style = document.documentElement.style;
  for (const name of THEME_VARS) {
    const value = vars && typeof vars[name] === 'string' ? vars[name].trim() : '';
    if (value && SAFE_VALUE.test(value) && !FETCHING.test(value)) style.setProperty(name, value);
    else style.removeProperty(name);
  }
}

/** @param {any} msg */
function onMessage(msg) {
  if (!msg || typeof msg !== 'object' || !runner || !port) return;
  const [view, host] = [runner, port];
  if (msg.type === 'config') {
    const config = sanitizeConfig(msg.config);
    applyTheme(msg.vars);
    document.documentElement.lang = config.lang || 'en';
    let origin = null;
    try {
      origin = new URL(config.bundle).origin;
    } catch { /* reported below */ }
    if (origin !== location.origin) {
      // This page may only fetch from its own origin (its Content-Security-Policy says so).
      view.refuse(config, {
        code: 'invalid_argument',
        message: `in isolated mode the bundle must be published on the widget's origin ${location.origin} (got ${config.bundle || 'none'})`,
      });
      return;
    }
    view.update(config);
  } else if (msg.type === 'activity') {
    const seq = msg.seq;
    view.record(msg.activity).then(
      () => host.postMessage({ type: 'ack', seq, ok: true }),
      (/** @type {any} */ e) => host.postMessage({ type: 'ack', seq, ok: false, code: e?.code ?? 'invalid_argument', message: String(e?.message ?? e) }),
    );
  }
}
