// Playwright runs the e2e suite in Debian's Chromium headless shell (scripts/chromium.mjs;
// `npx playwright install` cannot work here: no browser downloads). The app is served by `vite preview` from web/dist, so run
// `npm run build` first (after the engine and the bundles are in web/public/).
import { defineConfig } from '@playwright/test';
import { CHROMIUM_LAUNCH } from './scripts/chromium.mjs';

const baseURL = 'http://127.0.0.1:8080';

export default defineConfig({
  testDir: 'e2e',
  outputDir: 'test-results',
  retries: 0,
  reporter: 'list',
  use: {
    baseURL,
    screenshot: 'only-on-failure',
  },
  projects: [
    {
      name: 'chromium',
      use: {
        browserName: 'chromium',
        launchOptions: { ...CHROMIUM_LAUNCH, args: [...CHROMIUM_LAUNCH.args] },
      },
    },
  ],
  webServer: [
    {
      command: 'npm run preview',
      url: baseURL,
      reuseExistingServer: !process.env.CI,
    },
    // A second origin for the widget's host pages (e2e/widget.spec.js opens them as
    // http://localhost:8081, another site than the widget, engine and bundle on 127.0.0.1:8080).
    {
      command: 'npx vite preview --config web/vite.config.js --host 127.0.0.1 --port 8081 --strictPort',
      url: 'http://127.0.0.1:8081/examples/blank.html',
      reuseExistingServer: !process.env.CI,
    },
  ],
});
