#!/usr/bin/env node
// Writes the npm package's package.json and README.md into a staged folder (scripts/package), or,
// with --sizes, prints the gzipped size of what a site loads from it (engine + widget).
//   node scripts/package-manifest.mjs STAGE          package.json + README.md
//   node scripts/package-manifest.mjs --sizes STAGE  gzip -9 sizes, one line per part and the total
// The bundle formats the package reads come from the `describe` answer of the packaged engine
// itself (its .wasm, run in Node on the packaged demo bundle): the version carries them as semver
// build metadata (0.1.0+bundle.1.2) and package.json as `pathlight.bundleFormats`.
import { createServer } from 'node:http';
import { createRequire } from 'node:module';
import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { gzipSync, constants } from 'node:zlib';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const SIZE_BUDGET = 400 * 1024;

/** Bundle format versions the staged engine reads: its `describe` answer, with the staged demo bundle. */
async function bundleFormats(stage) {
  const engineDir = path.resolve(stage, 'engine');
  // Emscripten 3.1.6's ES-module output reads CommonJS `__dirname` and `require` under Node
  // (tests/node/harness.mjs does the same); Node cannot fetch the .wasm, so its bytes are passed.
  globalThis.__dirname = engineDir;
  globalThis.require = createRequire(import.meta.url);
  const server = createServer((req, res) => {
    const file = path.join(path.resolve(stage), decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname));
    try {
      res.end(readFileSync(file));
    } catch {
      res.writeHead(404).end();
    }
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(undefined)));
  try {
    const { createPathlight } = await import(pathToFileURL(path.join(engineDir, 'pathlight.js')).href);
    const engine = await createPathlight({
      bundleUrl: `http://127.0.0.1:${server.address().port}/bundles/demo/`,
      worker: false,
      wasmBinary: readFileSync(path.join(engineDir, 'pathlight_core.wasm')),
    });
    const { bundleFormats: formats } = await engine.describe();
    engine.delete();
    if (!Array.isArray(formats) || !formats.length) throw new Error('the engine\'s describe answer has no bundleFormats');
    return formats;
  } finally {
    server.close();
  }
}

async function manifest(stage) {
  const app = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8'));
  const formats = await bundleFormats(stage);
  return {
    name: 'pathlight',
    version: `${app.version}+bundle.${formats.join('.')}`,
    description: 'On-device learning recommendations: the Pathlight engine (C++ compiled to WebAssembly) as an ES module, and the <pathlight-recs> widget.',
    type: 'module',
    main: './engine/pathlight.js',
    module: './engine/pathlight.js',
    types: './engine/pathlight.d.ts',
    exports: {
      '.': { types: './engine/pathlight.d.ts', default: './engine/pathlight.js' },
      './widget': './widget/pathlight-widget.js',
      './engine/*': './engine/*',
      './widget/*': './widget/*',
      './assets/*': './assets/*',
      './bundles/*': './bundles/*',
      './package.json': './package.json',
    },
    // The element registers itself when its module runs.
    sideEffects: ['./widget/pathlight-widget.js', './assets/*.js'],
    files: ['engine', 'widget', 'assets', 'bundles', 'README.md'],
    keywords: ['recommendations', 'webassembly', 'privacy', 'learning', 'web-component'],
    pathlight: { bundleFormats: formats },
  };
}

function readme(pkg) {
  return `# pathlight ${pkg.version}

Private, on-device recommendations for technical learning: the Pathlight engine (C++ compiled to
WebAssembly) and the \`<pathlight-recs>\` widget. Reads Pathlight bundle formats
${pkg.pathlight.bundleFormats.join(' and ')} (\`pathlight.bundleFormats\` in package.json).
Nothing about the reader is sent anywhere: the engine only fetches static files.

## The engine (ES module, with its Worker and .wasm)

\`\`\`js
import { createPathlight } from 'pathlight';
const engine = await createPathlight({ bundleUrl: '/bundles/demo/' });
const { items } = await engine.recommend({ k: 10 });
\`\`\`

With Vite, keep the engine out of dependency pre-bundling and build its Worker as a module:
\`optimizeDeps: { exclude: ['pathlight'] }, worker: { format: 'es' }\`. Types: \`engine/pathlight.d.ts\`.

## The widget

Publish \`widget/\`, \`assets/\`, \`engine/\` and a bundle (e.g. \`bundles/demo/\`) side by side, then:

\`\`\`html
<script type="module" src="/pathlight/widget/pathlight-widget.js"></script>
<pathlight-recs bundle="/pathlight/bundles/demo/" topic="docker"></pathlight-recs>
\`\`\`

Attributes, events, isolation modes and the Content Security Policy it needs: docs/WIDGET.md in
the Pathlight repository. \`bundles/demo/\` is demo data (a self-authored catalog).
`;
}

/** gzip -9 size of a file. */
const gz = (file) => gzipSync(readFileSync(file), { level: constants.Z_BEST_COMPRESSION }).length;

function sizes(stage) {
  const list = (dir, pattern) => readdirSync(path.join(stage, dir)).filter((f) => pattern.test(f)).map((f) => path.join(dir, f));
  const parts = {
    engine: list('engine', /\.(js|wasm)$/),
    widget: [...list('widget', /\.(js|html)$/), ...list('assets', /\.js$/)],
  };
  let total = 0;
  const report = {};
  for (const [name, files] of Object.entries(parts)) {
    const bytes = files.reduce((sum, f) => sum + gz(path.join(stage, f)), 0);
    report[name] = { files: files.length, gzipBytes: bytes };
    total += bytes;
  }
  report.total = { gzipBytes: total, budgetBytes: SIZE_BUDGET, withinBudget: total <= SIZE_BUDGET };
  return report;
}

const args = process.argv.slice(2);
if (args[0] === '--sizes' && args[1]) {
  const report = sizes(args[1]);
  for (const [name, r] of Object.entries(report)) console.log(`${name.padEnd(7)} ${JSON.stringify(r)}`);
  if (!report.total.withinBudget) {
    console.error(`error: engine + widget is ${report.total.gzipBytes} bytes gzipped, over the ${SIZE_BUDGET}-byte budget`);
    process.exit(1);
  }
} else if (args.length === 1 && !args[0].startsWith('-')) {
  const pkg = await manifest(args[0]);
  writeFileSync(path.join(args[0], 'package.json'), `${JSON.stringify(pkg, null, 2)}\n`);
  writeFileSync(path.join(args[0], 'README.md'), readme(pkg));
} else {
  console.error('usage: node scripts/package-manifest.mjs STAGE | --sizes STAGE');
  process.exit(2);
}
