// Vite build plugin: writes dist/sw.js from web/src/sw.js with the list of files to precache
// (everything the build wrote except model bundles, source maps and the worker itself) and a
// version derived from their contents, so every new build is a new service worker.
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';

function walk(dir, base = dir) {
  return readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    return statSync(full).isDirectory() ? walk(full, base) : [path.relative(base, full).split(path.sep).join('/')];
  });
}

/**
 * `template`: path of the worker source; `inline`: ES modules whose code goes in front of it, their
 * `export` keywords dropped (a classic service worker cannot import); `exclude`: path prefixes kept
 * out of the precache.
 */
export function serviceWorker({ template, inline = [], exclude = ['bundles/', 'examples/'] }) {
  let outDir;
  return {
    name: 'pathlight-service-worker',
    apply: 'build',
    configResolved(config) {
      outDir = config.build.outDir;
    },
    closeBundle() {
      const files = walk(outDir)
        .filter((f) => f !== 'sw.js' && !f.endsWith('.map') && !/\.(br|gz)$/.test(f) && !exclude.some((prefix) => f.startsWith(prefix)))
        .sort();
      const hash = createHash('sha256');
      for (const f of files) hash.update(f).update(readFileSync(path.join(outDir, f)));
      const modules = inline.map((file) => {
        const code = readFileSync(file, 'utf8');
        if (/^\s*import\s/m.test(code)) throw new Error(`${file}: a module inlined into the service worker may not import`);
        return `// ---- ${path.basename(file)} ----\n${code.replace(/^export (function|async function|const) /gm, '$1 ')}\n`;
      });
      const source = modules.join('') + readFileSync(template, 'utf8');
      hash.update(source);
      const precache = ['./', ...files.map((f) => `./${f}`)];
      const header = `const PRECACHE = ${JSON.stringify(precache)};\nconst VERSION = ${JSON.stringify(hash.digest('hex').slice(0, 16))};\n`;
      writeFileSync(path.join(outDir, 'sw.js'), header + source);
    },
  };
}
