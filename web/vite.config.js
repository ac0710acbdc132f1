// Vite config for the Pathlight learner app and the embeddable widget, built together into web/dist.
// Run from the repository root with `--config web/vite.config.js` (see package.json): Vite looks
// for its config in the current directory, and this one lives beside the app it builds.
// Three entries: the app (index.html), the widget element (widget/pathlight-widget.js, at that
// fixed public URL) and the isolated widget's page (widget/frame.html). Both import web/shared
// (the learner store, the wording of reasons) and idb; the engine and the bundles stay static files
// loaded at runtime (web/public/engine, web/public/bundles).
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';
import { precompressed } from './plugins/precompressed.js';
import { serviceWorker } from './plugins/service-worker.js';

const webDir = fileURLToPath(new URL('.', import.meta.url));

// Content Security Policy for the built page. It makes the privacy promise enforceable by the
// browser: the page may only talk to its own origin (connect-src 'self'), so no script can send a
// learner's picks anywhere else. 'wasm-unsafe-eval' lets the engine compile its WebAssembly;
// nothing needs 'unsafe-eval' (the engine is built with -sDYNAMIC_EXECUTION=0). Build-only: the
// dev server injects inline styles for hot reload, which this policy would block.
const contentSecurityPolicy = [
  "default-src 'self'",
  "script-src 'self' 'wasm-unsafe-eval'",
  "style-src 'self'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'self'",
  "form-action 'none'",
].join('; ');

function cspMeta() {
  return {
    name: 'pathlight-csp-meta',
    apply: 'build',
    // The isolated widget's frame.html carries its own, stricter policy.
    transformIndexHtml(html, ctx) {
      if (ctx.path.startsWith('/widget/')) return html;
      return [
        {
          tag: 'meta',
          attrs: { 'http-equiv': 'Content-Security-Policy', content: contentSecurityPolicy },
          injectTo: 'head-prepend',
        },
      ];
    },
  };
}

// The widget's two entries and their file names, shared with the npm package's build
// (web/vite.package.config.js): the element keeps its public URL; everything else is content-hashed.
export const widgetInput = {
  frame: fileURLToPath(new URL('widget/frame.html', import.meta.url)),
  widget: fileURLToPath(new URL('widget/pathlight-widget.js', import.meta.url)),
};
export const widgetOutput = {
  entryFileNames: (/** @type {{name: string}} */ chunk) => (chunk.name === 'widget' ? 'widget/pathlight-widget.js' : 'assets/[name]-[hash].js'),
};
// No <link rel="modulepreload"> injected by the widget into a host page it is embedded in.
export const widgetModulePreload = {
  resolveDependencies: (/** @type {string} */ filename, /** @type {string[]} */ deps, /** @type {{hostId: string}} */ { hostId }) => (/(^|\/)widget\//.test(hostId) ? [] : deps),
};

export default defineConfig({
  root: webDir,
  // The engine (web/public/engine/) and bundles (web/public/bundles/) are build outputs of the
  // C++ side; they are copied verbatim into dist and fetched at runtime, never bundled.
  publicDir: fileURLToPath(new URL('public', import.meta.url)),
  base: './',
  // A multi-page app as far as the servers go: a missing file is a 404, not index.html (the SPA
  // fallback would turn a missing bundle into a confusing parse_error instead of network_error).
  appType: 'mpa',
  // serviceWorker: writes dist/sw.js (offline use of the app and its bundles; web/src/sw.js).
  // precompressed: serves <file>.br / <file>.gz by Accept-Encoding (docs/bundle-format.md, "Serving").
  plugins: [cspMeta(), precompressed(), serviceWorker({
    template: fileURLToPath(new URL('src/sw.js', import.meta.url)),
    inline: [fileURLToPath(new URL('../wasm/bundle-plan.js', import.meta.url))],
  })],
  build: {
    outDir: fileURLToPath(new URL('dist', import.meta.url)),
    emptyOutDir: true,
    modulePreload: widgetModulePreload,
    rolldownOptions: {
      input: { index: fileURLToPath(new URL('index.html', import.meta.url)), ...widgetInput },
      output: widgetOutput,
    },
  },
});
