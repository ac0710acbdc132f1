// Vite config for the npm package's widget (scripts/package): the element and the isolated
// frame only — no learner app, no service worker, no public/ folder (the package script adds the
// engine and the demo bundle itself). Output: build/package/widget-build/{widget,assets}/.
// Run from the repository root: npx vite build --config web/vite.package.config.js
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';
import { widgetInput, widgetModulePreload, widgetOutput } from './vite.config.js';

export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  publicDir: false,
  base: './',
  appType: 'mpa',
  logLevel: 'warn',
  build: {
    outDir: fileURLToPath(new URL('../build/package/widget-build', import.meta.url)),
    emptyOutDir: true,
    modulePreload: widgetModulePreload,
    rolldownOptions: { input: widgetInput, output: widgetOutput },
  },
});
