// <pathlight-recs>: "what to learn next" for any page, personalized on the reader's device.
//
//   <script type="module" src="https://cdn.example/pathlight/widget/pathlight-widget.js"></script>
//   <pathlight-recs bundle="https://cdn.example/pathlight/bundles/demo/" topic="docker"
//                   kinds="course,mentor" limit="5" lang="zh-CN" content-lang="zh|*"
//                   mode="inline|isolated" fallback="message|none" theme="auto|light|dark"></pathlight-recs>
//
// Embedding guide, attributes, events, theming and the two isolation modes: docs/WIDGET.md.
// This file defines the element and nothing else global. Inline mode loads runner.js (view,
// reader, the shared learner store) into this page and the engine from ../engine/ beside this
// script; isolated mode loads only frame.html, from this file's origin, into a sandboxed iframe
// and talks to it over a private MessageChannel. Built by Vite into widget/ (sources: web/widget).

// Resolved against this script at runtime (not bundled): the engine and the frame are published
// beside the widget (engine/ and widget/frame.html).
const ENGINE_MODULE = '../engine/pathlight.js';
const FRAME_PAGE = 'frame.html';

/**
 * @typedef {import('./runner.js').Config} Config
 * @typedef {import('./runner.js').Hooks} Hooks
 * @typedef {{code: string, message: string, fatal: boolean}} Problem
 * @typedef {{type: string, item?: string, concept?: string, rating?: number}} Activity
 * @typedef {{mode: string, update(config: Config): void, record(activity: Activity): Promise<unknown>, stop(): void}} Controller
 */

const TAG = 'pathlight-recs';
/** @type {import('../../wasm/pathlight').ItemKind[]} */
const KINDS = ['course', 'ebook', 'consultation', 'membership', 'mentor'];
const ATTRIBUTES = ['bundle', 'integrity', 'topic', 'kinds', 'limit', 'lang', 'content-lang', 'mode', 'fallback', 'theme'];
// content-lang values that turn the content-language filter off.
const ANY_LANGUAGE = ['*', 'any'];
const MAX_LIMIT = 20;
const FRAME_TIMEOUT_MS = 15000;      // the frame never loaded
const FRAME_ANSWER_MS = 4000;        // the frame loaded but did not answer (an error page, a 404)
// Theming custom properties forwarded into the isolated frame (inline mode inherits them).
const THEME_VARS = ['--pathlight-bg', '--pathlight-fg', '--pathlight-muted', '--pathlight-accent',
  '--pathlight-border', '--pathlight-item-bg', '--pathlight-focus', '--pathlight-radius',
  '--pathlight-padding', '--pathlight-font-family', '--pathlight-font-size'];
const TEXT = {
  en: { fallback: 'Suggestions are not available right now.', frame: 'Learning suggestions' },
  zh: { fallback: '暂时无法显示推荐。', frame: '学习推荐' },
};

const HOST_CSS = `
:host { display: block; min-width: 0; max-width: 100%; }
:host([hidden]) { display: none; }
.frame {
  display: block; box-sizing: border-box; width: 100%; height: 0; margin: 0; padding: 0;
  border: 0; background: transparent; color-scheme: normal;
}
.fallback {
  all: initial; display: block;
  font-family: var(--pathlight-font-family, system-ui, sans-serif);
  font-size: calc(var(--pathlight-font-size, 15px) * 0.85); line-height: 1.4;
  color: var(--pathlight-muted, #59636e);
}
.fallback[hidden] { display: none; }
`;

/** @type {CSSStyleSheet | null} */
let hostSheet = null;
function hostStyles() {
  if (!hostSheet) {
    hostSheet = new CSSStyleSheet();
    hostSheet.replaceSync(HOST_CSS);
  }
  return hostSheet;
}

class WidgetError extends Error {
  /** @param {string} code @param {string} message */
  constructor(code, message) {
    super(message);
    this.name = 'PathlightError';
    this.code = code;
  }
}

const uiLang = (/** @type {string | null | undefined} */ tag) => (/^zh\b/i.test(tag || '') ? 'zh' : 'en');

/** Bundle folder or manifest URL → absolute manifest URL (as the engine resolves it). @param {string} raw */
function manifestUrl(raw) {
  const u = new URL(raw, document.baseURI);
  if (u.protocol !== 'https:' && u.protocol !== 'http:') throw new Error(`unsupported scheme ${u.protocol}`);
  if (!u.pathname.endsWith('.json')) u.pathname = u.pathname.replace(/\/?$/, '/manifest.json');
  return u.href;
}

/**
 * Attributes → configuration, plus problems: [{code, message, fatal}]. Bad values never throw.
 * @param {HTMLElement} el
 * @returns {{config: Config & {mode: 'inline' | 'isolated'}, problems: Problem[]}}
 */
function readConfig(el) {
  /** @type {Problem[]} */
  const problems = [];
  const warn = (/** @type {string} */ message) => problems.push({ code: 'invalid_argument', message, fatal: false });
  const attr = (/** @type {string} */ name) => {
    const v = el.getAttribute(name);
    return v === null ? null : v.trim();
  };
  /** @type {Config & {mode: 'inline' | 'isolated'}} */
  const config = { bundle: '', integrity: '', topic: '', lang: 'en', pageLang: '', contentLang: '', kinds: KINDS.slice(), limit: 5, mode: 'inline', fallback: 'message', theme: 'auto' };

  const bundle = attr('bundle');
  config.bundle = '';
  if (!bundle) {
    problems.push({ code: 'invalid_argument', message: 'set bundle="…/bundles/NAME/" (the model bundle folder or its manifest.json)', fatal: true });
  } else {
    try {
      config.bundle = manifestUrl(bundle);
    } catch (e) {
      problems.push({ code: 'invalid_argument', message: `bundle="${bundle.slice(0, 200)}" is not a usable URL (${/** @type {Error} */ (e).message})`, fatal: true });
    }
  }
  const integrity = attr('integrity');
  config.integrity = '';
  if (integrity) {
    if (/^sha256-[A-Za-z0-9+/]{43}=$/.test(integrity)) config.integrity = integrity;
    else problems.push({ code: 'invalid_argument', message: `integrity="${integrity.slice(0, 100)}" is not "sha256-<base64 of manifest.json's SHA-256>"; refusing to load an unpinned bundle`, fatal: true });
  }
  config.topic = (attr('topic') ?? '').slice(0, 500);

  const kinds = attr('kinds');
  if (kinds) {
    const parts = kinds.toLowerCase().split(/[\s,]+/).filter(Boolean);
    const known = KINDS.filter((k) => parts.includes(k));
    const unknown = parts.filter((k) => !(/** @type {string[]} */ (KINDS)).includes(k));
    if (unknown.length) warn(`kinds: ignoring ${unknown.map((k) => `"${k.slice(0, 40)}"`).join(', ')} (known: ${KINDS.join(', ')})`);
    if (known.length) config.kinds = known;
  }
  const limit = attr('limit');
  if (limit) {
    const n = Number(limit);
    if (!Number.isInteger(n)) warn(`limit="${limit.slice(0, 40)}" is not a whole number; using 5`);
    else if (n < 1 || n > MAX_LIMIT) {
      config.limit = Math.min(Math.max(n, 1), MAX_LIMIT);
      warn(`limit="${limit}" is outside 1–${MAX_LIMIT}; using ${config.limit}`);
    } else config.limit = n;
  }
  // A BCP-47 tag in canonical form, '' for none, null for one that is not a tag (or longer than
  // the engine's 35 bytes).
  const tag = (/** @type {string | null | undefined} */ v) => {
    try {
      const t = v ? Intl.getCanonicalLocales(v)[0] ?? '' : '';
      return t.length <= 35 ? t : null;
    } catch {
      return null;
    }
  };
  // The page's language: the element's lang, else the nearest lang around it, else <html lang>.
  const ownLang = attr('lang');
  const htmlLang = tag(document.documentElement.lang);
  let lang = ownLang ? tag(ownLang) : tag(el.parentElement?.closest('[lang]')?.getAttribute('lang')) || htmlLang;
  if (lang === null) {
    warn(`lang="${(ownLang ?? '').slice(0, 40)}" is not a language tag; using English`);
    lang = 'en';
  }
  config.pageLang = lang || tag(navigator.language) || '';
  config.lang = uiLang(config.pageLang) === 'zh' ? 'zh-CN' : 'en';
  // The content-language filter (the engine's): content-lang, else the element's lang, else
  // <html lang>; "*" or "any" (or no language anywhere) lists every language.
  const contentAttr = attr('content-lang');
  const fromPage = (ownLang ? tag(ownLang) : htmlLang) || '';
  if (contentAttr === null || contentAttr === '') config.contentLang = fromPage;
  else if (ANY_LANGUAGE.includes(contentAttr.toLowerCase())) config.contentLang = '';
  else {
    const content = tag(contentAttr);
    if (content) config.contentLang = content;
    else {
      config.contentLang = fromPage;
      warn(`content-lang="${contentAttr.slice(0, 40)}" is not a language tag or "*"; using ${fromPage ? `the page's language (${fromPage})` : 'every language'}`);
    }
  }

  const mode = attr('mode');
  if (mode === 'isolated' || mode === 'inline') config.mode = mode;
  else if (mode) {
    // Fail safe: a misspelt mode must not put the reader's history into the host's storage.
    config.mode = 'isolated';
    warn(`mode="${mode.slice(0, 40)}" is not inline or isolated; using isolated`);
  }
  const fallback = attr('fallback');
  if (fallback === 'none' || fallback === 'message') config.fallback = fallback;
  else if (fallback) warn(`fallback="${fallback.slice(0, 40)}" is not message or none; using message`);
  const theme = attr('theme');
  if (theme === 'light' || theme === 'dark' || theme === 'auto') config.theme = theme;
  else if (theme) warn(`theme="${theme.slice(0, 40)}" is not auto, light or dark; using auto`);
  return { config, problems };
}

/** Only the documented fields, as plain values (safe to clone into a frame). @param {any} a @returns {Activity} */
function plainActivity(a) {
  /** @type {Activity} */
  const out = { type: String(a.type ?? '') };
  if (a.item !== undefined && a.item !== null) out.item = String(a.item);
  if (a.concept !== undefined && a.concept !== null) out.concept = String(a.concept);
  if (a.rating !== undefined) out.rating = Number(a.rating);
  return out;
}

/** Inline mode: the view and the engine run in this page, inside the shadow root. @implements {Controller} */
class InlineController {
  /** @param {ShadowRoot} root @param {Hooks & {error(code: string, message: string, options?: {fatal?: boolean, element?: boolean}): void}} hooks */
  constructor(root, hooks) {
    this.mode = 'inline';
    this.stopped = false;
    /** @type {ReturnType<typeof import('./runner.js').createRunner> | null} */
    this.runner = null;
    this.loaded = import('./runner.js').then(({ createRunner, styleSheet }) => {
      if (this.stopped) return;
      root.adoptedStyleSheets = [hostStyles(), styleSheet()];
      this.runner = createRunner(root, hooks, { engineUrl: new URL(ENGINE_MODULE, import.meta.url).href });
    });
    this.loaded.catch((e) => hooks.error('engine_load_failed', `the widget's code could not load: ${/** @type {Error} */ (e)?.message ?? e}`, { fatal: true, element: true }));
    this.root = root;
  }

  /** @param {Config} config */
  update(config) {
    this.loaded.then(() => this.runner?.update(config), () => {});
  }

  /** @param {Activity} activity */
  async record(activity) {
    await this.loaded;
    if (!this.runner) throw new WidgetError('invalid_argument', 'the widget was removed');
    return this.runner.record(activity);
  }

  stop() {
    this.stopped = true;
    this.runner?.stop();
    this.root.adoptedStyleSheets = [hostStyles()];
  }
}

/**
 * Isolated mode: a sandboxed iframe from this script's origin renders the list and keeps the
 * reader's profile in its own storage. This page only ever receives {size}, {select: id, kind},
 * {error: code, message} and acknowledgements, over a MessageChannel port handed to the frame.
 */
class FrameController {
  /** @param {HTMLElement} el @param {ShadowRoot} root @param {Hooks} hooks */
  constructor(el, root, hooks) {
    this.mode = 'isolated';
    this.el = el;
    this.hooks = hooks;
    /** @type {Config | null} */
    this.config = null;
    /** @type {MessagePort | null} */
    this.port = null;
    this.connected = false;
    this.failed = false;
    this.seq = 0;
    /** seq → {resolve, reject, activity} @type {Map<number, {resolve: (v?: unknown) => void, reject: (e: unknown) => void, activity: Activity}>} */
    this.waiting = new Map();
    const url = new URL(FRAME_PAGE, import.meta.url);
    this.origin = url.origin;
    url.hash = `host=${encodeURIComponent(location.origin)}`;
    if (this.origin === location.origin) {
      console.warn(`[${TAG}] mode="isolated" on the widget's own origin (${this.origin}) isolates nothing: ` +
        'serve the widget and bundle from another origin than the page (docs/WIDGET.md)');
    }
    const frame = document.createElement('iframe');
    frame.className = 'frame';
    frame.setAttribute('part', 'frame');
    // allow-scripts: the engine runs there. allow-same-origin: the frame keeps its own origin, so it
    // has storage and a real origin to check messages against; as that origin differs from this
    // page's, this page still cannot reach into it. Nothing else (no popups, forms, navigation).
    frame.setAttribute('sandbox', 'allow-scripts allow-same-origin');
    frame.setAttribute('referrerpolicy', 'no-referrer');
    frame.title = TEXT[uiLang(el.getAttribute('lang'))].frame;
    frame.addEventListener('load', () => this.connect());
    frame.src = url.href;
    this.frame = frame;
    root.append(frame);
    this.onScheme = () => this.sendConfig();
    this.scheme = matchMedia('(prefers-color-scheme: dark)');
    this.scheme.addEventListener('change', this.onScheme);
    this.where = `${url.origin}${url.pathname}`;
    this.timer = window.setTimeout(() => this.giveUp(), FRAME_TIMEOUT_MS);
  }

  giveUp() {
    if (!this.connected) this.fail('engine_load_failed', `the isolated frame ${this.where} did not answer (blocked by the page's frame-src, or not published?)`);
  }

  connect() {
    clearTimeout(this.timer);
    this.timer = window.setTimeout(() => this.giveUp(), FRAME_ANSWER_MS);
    this.port?.close();
    this.connected = false;
    const channel = new MessageChannel();
    this.port = channel.port1;
    this.port.onmessage = ({ data }) => this.onMessage(data);
    this.frame.contentWindow?.postMessage({ pathlight: 'connect', version: 1 }, this.origin, [channel.port2]);
  }

  /** @param {any} msg */
  onMessage(msg) {
    if (!msg || typeof msg !== 'object') return;
    if (msg.type === 'hello') {
      if (this.failed) return;
      this.connected = true;
      clearTimeout(this.timer);
      this.sendConfig();
      for (const [seq, w] of this.waiting) this.port?.postMessage({ type: 'activity', seq, activity: w.activity });
    } else if (msg.type === 'size') {
      const height = Number(msg.height);
      if (Number.isFinite(height)) this.frame.style.height = `${Math.min(Math.max(0, Math.ceil(height)), 5000)}px`;
    } else if (msg.type === 'select') {
      if (typeof msg.id === 'string' && msg.id.length <= 256 && KINDS.includes(msg.kind)) this.hooks.select({ id: msg.id, kind: msg.kind });
    } else if (msg.type === 'error') {
      if (typeof msg.code === 'string') this.hooks.error(msg.code.slice(0, 40), String(msg.message ?? '').slice(0, 500), { fatal: msg.fatal === true });
    } else if (msg.type === 'ack') {
      const w = this.waiting.get(msg.seq);
      if (!w) return;
      this.waiting.delete(msg.seq);
      if (msg.ok === true) w.resolve();
      else w.reject(new WidgetError(String(msg.code ?? 'invalid_argument').slice(0, 40), String(msg.message ?? '').slice(0, 500)));
    }
  }

  sendConfig() {
    if (!this.connected || !this.config) return;
    const style = getComputedStyle(this.el);
    /** @type {Record<string, string>} */
    const vars = {};
    for (const name of THEME_VARS) {
      const value = style.getPropertyValue(name).trim();
      if (value) vars[name] = value;
    }
    this.port?.postMessage({ type: 'config', config: this.config, vars });
  }

  /** @param {Config} config */
  update(config) {
    this.config = config;
    this.frame.title = TEXT[uiLang(config.lang)].frame;
    this.sendConfig();
  }

  /** @param {Activity} activity */
  record(activity) {
    return new Promise((resolve, reject) => {
      const seq = ++this.seq;
      this.waiting.set(seq, { resolve, reject, activity });
      if (this.connected) this.port?.postMessage({ type: 'activity', seq, activity });
    });
  }

  /** @param {string} code @param {string} message */
  fail(code, message) {
    this.failed = true;
    this.frame.hidden = true;
    this.hooks.error(code, message, { fatal: true, element: true });
  }

  stop() {
    clearTimeout(this.timer);
    this.scheme.removeEventListener('change', this.onScheme);
    this.port?.close();
    this.frame.remove();
    for (const w of this.waiting.values()) w.reject(new WidgetError('invalid_argument', 'the widget was removed'));
    this.waiting.clear();
  }
}

class PathlightRecs extends HTMLElement {
  static get observedAttributes() {
    return ATTRIBUTES;
  }

  /** @type {ShadowRoot} */
  #root;
  /** @type {Controller | null} */
  #controller = null;
  /** @type {Config | null} */
  #config = null;
  #scheduled = false;
  /** @type {Set<string>} */
  #reported = new Set();
  /** @type {HTMLParagraphElement} */
  #fallback;

  constructor() {
    super();
    this.#root = this.attachShadow({ mode: 'open' });
    this.#root.adoptedStyleSheets = [hostStyles()];
    this.#fallback = document.createElement('p');
    this.#fallback.className = 'fallback';
    this.#fallback.setAttribute('part', 'fallback');
    this.#fallback.setAttribute('role', 'status');
    this.#fallback.hidden = true;
    this.#root.append(this.#fallback);
    // The host may also report activity by event: el.dispatchEvent(new CustomEvent('pathlight-activity', {detail}))
    this.addEventListener('pathlight-activity', (event) => {
      this.recordActivity(/** @type {CustomEvent} */ (event).detail).catch(() => {});  // failures are reported as pathlight-error
    });
  }

  connectedCallback() {
    this.#schedule();
  }

  disconnectedCallback() {
    this.#stop();
  }

  attributeChangedCallback() {
    if (this.isConnected) this.#schedule();
  }

  /**
   * Tells the widget that the reader did something on the host page, e.g.
   * {type: 'complete', concept: 'docker'} or {type: 'enroll', item: 'course-…'}. Updates the
   * on-device profile (and every linked widget). Resolves with nothing; rejects with an Error
   * whose .code is a Pathlight error code (also dispatched as pathlight-error).
   * @param {unknown} activity
   * @returns {Promise<void>}
   */
  recordActivity(activity) {
    /** @param {any} e @returns {never} */
    const report = (e) => {
      const err = e instanceof Error && /** @type {any} */ (e).code ? /** @type {WidgetError} */ (e) : new WidgetError(e?.code ?? 'invalid_argument', String(e?.message ?? e));
      this.#report(err.code, err.message, false);
      throw err;
    };
    if (!this.#controller) return Promise.reject(new WidgetError('invalid_argument', 'the widget is not running (is it in the page, with a bundle?)')).catch(report);
    if (!activity || typeof activity !== 'object') return Promise.reject(new WidgetError('invalid_argument', 'an activity is an object like {type: "complete", concept: "docker"}')).catch(report);
    return this.#controller.record(plainActivity(activity)).then(() => undefined, report);
  }

  #schedule() {
    if (this.#scheduled) return;
    this.#scheduled = true;
    queueMicrotask(() => {
      this.#scheduled = false;
      if (this.isConnected) this.#apply();
    });
  }

  #apply() {
    const { config, problems } = readConfig(this);
    this.#config = config;
    for (const p of problems) {
      const key = `${p.code}:${p.message}`;
      if (this.#reported.has(key)) continue;
      this.#reported.add(key);
      this.#report(p.code, p.message, p.fatal);
    }
    if (problems.some((p) => p.fatal)) {
      this.#stop();
      this.#showFallback();
      return;
    }
    this.#fallback.hidden = true;
    if (this.#controller && this.#controller.mode !== config.mode) this.#stop();
    if (!this.#controller) {
      /** @type {Hooks} */
      const hooks = {
        select: (detail) => this.dispatchEvent(new CustomEvent('pathlight-select', { detail, bubbles: true, composed: true })),
        error: (code, message, { fatal = false, element = false } = {}) => {
          this.#report(code, message, fatal);
          if (element) this.#showFallback();
        },
      };
      this.#controller = config.mode === 'isolated' ? new FrameController(this, this.#root, hooks) : new InlineController(this.#root, hooks);
    }
    this.#controller.update(config);
  }

  #showFallback() {
    const config = this.#config;
    this.#fallback.textContent = TEXT[uiLang(config?.lang)].fallback;
    this.#fallback.hidden = config?.fallback === 'none';
  }

  #stop() {
    this.#controller?.stop();
    this.#controller = null;
  }

  /** @param {string} code @param {string} message @param {boolean} fatal */
  #report(code, message, fatal) {
    (fatal ? console.error : console.warn)(`[${TAG}] ${code}: ${message}`);
    this.dispatchEvent(new CustomEvent('pathlight-error', { detail: { code, message }, bubbles: true, composed: true }));
  }
}

if (!customElements.get(TAG)) customElements.define(TAG, PathlightRecs);
