// Vite plugin: serves the precompressed files `pathlight train` writes beside every bundle file
// (`<file>.br`, `<file>.gz`; docs/bundle-format.md, "Serving") to clients that accept them, in
// `vite preview` (the demo and the e2e tests) and `vite dev`; at build time it also writes them for
// the engine's files in dist/engine/. The same rule a CDN or nginx applies (`gzip_static`,
// `brotli_static`): pick by Accept-Encoding, answer with Content-Encoding and `Vary:
// Accept-Encoding`, the Content-Type of the plain file, and no compressed form → the plain file.
// Content-addressed files (64 hex digits) never change: `Cache-Control: immutable`; manifests are
// revalidated on every load (`no-cache`).
import { createReadStream, existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';

const TYPES = {
  '.json': 'application/json',
  '.wasm': 'application/wasm',
  '.js': 'text/javascript',
  '.mjs': 'text/javascript',
};
const CONTENT_ADDRESSED = /^[0-9a-f]{64}\.[a-z0-9]+$/;

/** The compressed form of `file` to send for `acceptEncoding`: { file, encoding } or null. */
export function pickEncoding(file, acceptEncoding = '') {
  const accepted = new Set();
  for (const token of String(acceptEncoding).split(',')) {
    const [name, ...params] = token.split(';').map((x) => x.trim().toLowerCase());
    const q = params.find((p) => p.startsWith('q='));
    if (name && !(q && Number(q.slice(2)) === 0)) accepted.add(name);
  }
  for (const [encoding, ext] of [['br', '.br'], ['gzip', '.gz']]) {
    // A sibling written well before the file (2 s: copies of a folder land in any order) is left
    // over from an earlier build: never sent for it.
    if (accepted.has(encoding) && existsSync(file + ext) && statSync(file + ext).mtimeMs >= statSync(file).mtimeMs - 2000) {
      return { file: file + ext, encoding };
    }
  }
  return null;
}

/** Connect middleware serving precompressed siblings of files under `root()`. */
export function precompressedMiddleware(root, { onSend } = {}) {
  return (req, res, next) => {
    if (req.method !== 'GET' && req.method !== 'HEAD') return next();
    let pathname;
    try {
      pathname = decodeURIComponent(new URL(req.url, 'http://x').pathname);
    } catch {
      return next();
    }
    const base = req.baseUrl ?? '';
    const file = path.join(root(), path.normalize(pathname.slice(base.length)).replace(/^(\.\.[/\\])+/, ''));
    if (!file.startsWith(root()) || !existsSync(file) || !statSync(file).isFile()) return next();
    const name = path.basename(file);
    // Added to what the server already varies on: the CORS middleware that runs before this one
    // answers an allowed Origin with its own Access-Control-Allow-Origin and `Vary: Origin`.
    // Overwritten, a bundle file an isolated widget's frame fetched (same origin, no CORS header)
    // was reused from the HTTP cache for an inline widget's cross-origin fetch on the same host
    // page, which the browser then blocked (e2e/widget.spec.js, theming: both widget kinds on one page).
    const vary = String(res.getHeader('Vary') ?? '');
    if (!/(^|,)\s*accept-encoding\s*(,|$)/i.test(vary)) res.setHeader('Vary', vary ? `${vary}, Accept-Encoding` : 'Accept-Encoding');
    res.setHeader('Cache-Control', CONTENT_ADDRESSED.test(name) ? 'public, max-age=31536000, immutable'
      : name === 'manifest.json' ? 'no-cache' : 'no-cache');
    // Bundle files are served here, compressed or not (a version published while the server runs
    // is seen at once); other files go on to the static server when no compressed form is chosen.
    const chosen = pickEncoding(file, req.headers['accept-encoding']) ??
      (pathname.includes('/bundles/') ? { file, encoding: null } : null);
    if (!chosen) return next();
    const size = statSync(chosen.file).size;
    res.statusCode = 200;
    res.setHeader('Content-Type', TYPES[path.extname(file)] ?? 'application/octet-stream');
    if (chosen.encoding) res.setHeader('Content-Encoding', chosen.encoding);
    res.setHeader('Content-Length', String(size));
    onSend?.({ url: req.url, encoding: chosen.encoding, bytes: size });
    if (req.method === 'HEAD') return res.end();
    createReadStream(chosen.file).pipe(res);
  };
}

/** Writes `.br` and `.gz` beside every .js and .wasm file under `dir` (where smaller): the
 * engine as the build publishes it (also used by scripts/bench for its staged engine). */
export function compressTree(dir) {
  if (!existsSync(dir)) return;
  for (const name of readdirSync(dir)) {
    const file = path.join(dir, name);
    if (statSync(file).isDirectory()) {
      compressTree(file);
      continue;
    }
    if (!/\.(wasm|js)$/.test(name)) continue;
    const bytes = readFileSync(file);
    const br = brotliCompressSync(bytes, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } });
    const gz = gzipSync(bytes, { level: 9 });
    if (br.length < bytes.length) writeFileSync(`${file}.br`, br);
    if (gz.length < bytes.length) writeFileSync(`${file}.gz`, gz);
  }
}

/** The plugin: preview and dev middleware, and compressed engine files in the build. */
export function precompressed() {
  let outDir;
  let publicDir;
  return {
    name: 'pathlight-precompressed',
    configResolved(config) {
      outDir = config.build.outDir;
      publicDir = config.publicDir;
    },
    configurePreviewServer(server) {
      server.middlewares.use(precompressedMiddleware(() => outDir));
    },
    configureServer(server) {
      server.middlewares.use(precompressedMiddleware(() => publicDir));
    },
    closeBundle() {
      compressTree(path.join(outDir, 'engine'));
    },
  };
}
