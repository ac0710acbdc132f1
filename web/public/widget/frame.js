// The isolated widget (mode="isolated"): runs in a sandboxed iframe whose origin is the widget's
// (and the bundle's), so the reader's profile sits in this origin's storage, out of the host
// page's reach. The host talks to it only through the MessagePort it hands over in a 'connect'
// message; window messages from anyone else — other frames, other origins, a second 'connect' —
// are ignored. What goes back to the host: {hello}, {size}, {select: id, kind} when the reader
// clicks, {error: code, message}, and {ack} for recordActivity. Never the history.
import { createRunner, sanitizeConfig, styleSheet } from './runner.js';

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
let port = null;
let runner = null;

window.addEventListener('message', (event) => {
  if (port || window.parent === window || event.source !== window.parent) return;
  if (!hostOrigin || event.origin !== hostOrigin) return;
  if (event.data?.pathlight !== 'connect' || event.ports.length !== 1) return;
  port = event.ports[0];
  port.onmessage = ({ data }) => onMessage(data);
  start();
  port.postMessage({ type: 'hello' });
});

function start() {
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
  runner = createRunner(document.body, {
    select: ({ id, kind }) => port.postMessage({ type: 'select', id, kind }),
    error: (code, message, { fatal = false } = {}) => port.postMessage({ type: 'error', code, message, fatal }),
  }, { isolated: true, onRender: measure });
  new ResizeObserver(measure).observe(runner.root);
  window.addEventListener('resize', measure);
}

function applyTheme(vars) {
  const style = document.documentElement.style;
  for (const name of THEME_VARS) {
    const value = vars && typeof vars[name] === 'string' ? vars[name].trim() : '';
    if (value && SAFE_VALUE.test(value) && !FETCHING.test(value)) style.setProperty(name, value);
    else style.removeProperty(name);
  }
}

function onMessage(msg) {
  if (!msg || typeof msg !== 'object') return;
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
      runner.refuse(config, {
        code: 'invalid_argument',
        message: `in isolated mode the bundle must be published on the widget's origin ${location.origin} (got ${config.bundle || 'none'})`,
      });
      return;
    }
    runner.update(config);
  } else if (msg.type === 'activity') {
    const seq = msg.seq;
    runner.record(msg.activity).then(
      () => port.postMessage({ type: 'ack', seq, ok: true }),
      (e) => port.postMessage({ type: 'ack', seq, ok: false, code: e?.code ?? 'invalid_argument', message: String(e?.message ?? e) }),
    );
  }
}
