// The browser every headless run here drives (Playwright e2e, scripts/bench browser,
// scripts/package-check): Debian's chromium-headless-shell (scripts/setup installs it), the same
// Chromium release as Debian's `chromium`, built without the browser's own UI. The full browser's
// headless mode opens a window per Playwright context, with its top-chrome WebUI (omnibox popup,
// tab strip) in a renderer of its own: in Chromium traces of a fresh benchmark page here, that
// renderer kept one of the machine's two cores busy for the page's first 1–2 s (docs/BENCHMARKS.md).
// Playwright's own default for headless Chromium is a headless shell too.
export const CHROMIUM_LAUNCH = Object.freeze({
  executablePath: '/usr/bin/chromium-headless-shell',
  args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
});
