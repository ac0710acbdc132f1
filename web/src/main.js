// Pathlight learner app: onboarding, personal feed, learning path, mentors and a privacy centre.
// Every recommendation is computed in this tab by the WASM engine (contract: wasm/pathlight.d.ts);
// the learner's goals and activity live in IndexedDB on this device (store.js) and nothing about
// them is sent anywhere.
import { $, make } from './dom.js';
import { applyStatic, formatBytes, pickLocale, setLocale, t, getLocale } from './i18n.js';
import { App, DATASET_PATTERN, DEFAULT_DATASET, KNOWN_DATASETS, LoadError } from './app.js';
/** @typedef {import('./app.js').App} AppType */
import { Store } from '../shared/store.js';
import { showToast, toastLeavesView } from './ui.js';
import { initOffline, checkBundleUpdate } from './offline.js';
import * as profileView from './views/profile.js';
import * as feedView from './views/feed.js';
import * as pathView from './views/path.js';
import * as mentorsView from './views/mentors.js';
import * as privacyView from './views/privacy.js';

/**
 * @typedef {{render(app: AppType, root: HTMLElement, options?: {isNew?: boolean, keepFocus?: boolean}): Promise<void>}} View
 * @typedef {import('../shared/store.js').StorageProblem} StorageProblem
 */
/** @type {Record<string, View>} */
const VIEWS = { profile: profileView, feed: feedView, path: pathView, mentors: mentorsView, privacy: privacyView };

const el = {
  banner: $('dataset-banner'),
  loading: $('loading'),
  progress: /** @type {HTMLProgressElement} */ ($('progress')),
  progressText: $('progress-text'),
  error: $('error'),
  errorMessage: $('error-message'),
  reload: $('reload'),
  useDemo: $('use-demo'),
  view: $('view'),
  nav: $('site-nav'),
  main: $('main'),
  uiLanguage: /** @type {HTMLSelectElement} */ ($('ui-language')),
  storageNotice: $('storage-notice'),
  profileNotice: $('profile-notice'),
};

const store = new Store({ onNotice: (kind) => showStorageNotice(kind) });
const app = new App(store);
/** @type {string | null} */
let currentRoute = null;
/** @type {StorageProblem | null} */
let storageKind = null;

// ---------- settings: dataset and interface language ----------

/** ?dataset= wins over the saved setting, which wins over the build's default. @param {Record<string, unknown>} settings */
function resolveDataset(settings) {
  const fromUrl = new URLSearchParams(window.location.search).get('dataset');
  if (fromUrl) return fromUrl;
  if (typeof settings.dataset === 'string' && DATASET_PATTERN.test(settings.dataset)) return settings.dataset;
  const fromBuild = import.meta.env.VITE_PATHLIGHT_DATASET;
  return fromBuild && DATASET_PATTERN.test(fromBuild) ? fromBuild : DEFAULT_DATASET;
}

/** @param {string} locale @param {{save?: boolean}} [options] */
async function setLanguage(locale, { save = true } = {}) {
  const before = app.engine ? app.contentLanguage() : null;
  setLocale(locale);
  // A content language that follows the interface ("auto") changes with it.
  if (app.engine && app.contentLanguage() !== before) await app.pushPrefs();
  el.uiLanguage.value = locale;
  applyStatic();
  if (app.info) showBanner();
  if (storageKind) showStorageNotice(storageKind);
  showProfileNotice();
  if (save) store.putSetting('uiLanguage', locale);
  if (currentRoute) render({ keepFocus: true });
}

// ---------- banners and notices ----------

function showBanner() {
  const dataset = app.info?.dataset ?? '';
  el.banner.classList.toggle('dataset-banner--demo', dataset === 'demo');
  if (dataset === 'demo') {
    el.banner.textContent = t('banner.demo');
    el.banner.dataset.testid = 'demo-banner';
  } else {
    el.banner.textContent = dataset === 'coco' ? t('banner.coco') : t('banner.other', { dataset });
    el.banner.dataset.testid = 'dataset-banner';
  }
  el.banner.hidden = false;
}

/** @param {StorageProblem | null} kind */
function showStorageNotice(kind) {
  storageKind = kind;
  if (!kind) {
    el.storageNotice.hidden = true;
    return;
  }
  el.storageNotice.replaceChildren(
    make('strong', { text: t(`storage.${kind}.title`) }), ' ',
    t(`storage.${kind}.body`), ' ',
    make('a', { href: '#/privacy', text: t('storage.export') }),
  );
  el.storageNotice.dataset.kind = kind;
  el.storageNotice.hidden = false;
}

function showProfileNotice() {
  const problem = app.profileProblem;
  if (!problem) {
    el.profileNotice.hidden = true;
    return;
  }
  const text = problem.kind === 'setAside' ? t('profileNotice.setAside', { count: problem.count })
    : t('profileNotice.rejected', { message: problem.message });
  el.profileNotice.replaceChildren(
    make('strong', { text: t('profileNotice.title') }), ' ', text, ' ',
    make('a', { href: '#/privacy', text: t('profileNotice.review') }),
    ' ',
    make('button', {
      type: 'button',
      className: 'link-button',
      text: t('profileNotice.dismiss'),
      onClick: () => {
        app.profileProblem = null;
        showProfileNotice();
        el.main.focus();
      },
    }),
  );
  el.profileNotice.hidden = false;
}

// ---------- loading ----------

/** @param {number} loaded @param {number} total */
function onProgress(loaded, total) {
  if (total > 0) {
    el.progress.max = total;
    el.progress.value = Math.min(loaded, total);
    el.progressText.textContent = t('loading.progress', { loaded: formatBytes(loaded), total: formatBytes(total) });
  } else {
    el.progress.removeAttribute('value');
    el.progressText.textContent = t('loading.partial', { loaded: formatBytes(loaded) });
  }
}

/** @param {any} error @param {string} dataset */
function showError(error, dataset) {
  console.error('Pathlight: the model bundle could not be loaded', error);
  const code = error?.code ?? 'unknown_error';
  const message = error?.message || String(error);
  el.errorMessage.textContent = t('error.message', { message, code });
  el.error.dataset.code = code;
  el.useDemo.hidden = dataset === DEFAULT_DATASET;
  el.loading.hidden = true;
  el.view.hidden = true;
  el.nav.hidden = true;
  el.error.hidden = false;
}

// ---------- routing ----------

function routeFromHash() {
  const name = window.location.hash.replace(/^#\/?/, '').split(/[/?]/)[0];
  if (VIEWS[name]) return name;
  return app.learner.prefs.onboarded ? 'feed' : 'profile';
}

/** Renders the current view. A new route moves focus to its heading; a refresh keeps focus. */
async function render({ keepFocus = false } = {}) {
  const route = routeFromHash();
  const isNew = route !== currentRoute;
  currentRoute = route;
  for (const link of /** @type {NodeListOf<HTMLElement>} */ (el.nav.querySelectorAll('a[data-route]'))) {
    if (link.dataset.route === route) link.setAttribute('aria-current', 'page');
    else link.removeAttribute('aria-current');
  }
  el.view.dataset.view = route;
  if (isNew) toastLeavesView(route);
  await VIEWS[route].render(app, el.view, { isNew, keepFocus: keepFocus && !isNew });
  if (isNew && !keepFocus) {
    const heading = el.view.querySelector('h1');
    if (heading) {
      heading.tabIndex = -1;
      heading.focus({ preventScroll: false });
    }
    document.title = `${heading?.textContent ?? ''} — Pathlight`;
  }
  document.documentElement.dataset.view = route;
}

// Changes from another tab, an import or an erase: re-read and re-render in place.
app.learner.subscribe(async (change) => {
  if (change.kind === 'erase') {
    await store.open();
    await app.loadLearner();
    showToast(t('toast.erasedElsewhere'));
  } else if (change.kind === 'settings') {
    if (typeof change.settings?.uiLanguage === 'string') setLanguage(change.settings.uiLanguage, { save: false });
    return;
  } else {
    await app.syncEngine(); // the merged log and preferences, re-solved
  }
  await render({ keepFocus: true });
});

app.onChange(async ({ navigate, notice } = {}) => {
  if (notice) showProfileNotice();
  if (navigate && routeFromHash() !== navigate) {
    window.location.hash = `#/${navigate}`; // hashchange renders
  } else {
    await render({ keepFocus: !navigate });
  }
});

// A safety net for the BroadcastChannel: when this tab comes back to the front, merge whatever
// other tabs stored meanwhile.
document.addEventListener('visibilitychange', async () => {
  if (document.visibilityState !== 'visible' || !store.persistent || !app.dataset || !app.engine) return;
  const stored = await store.load(app.dataset);
  if (app.learner.merge(stored.events)) {
    await app.syncEngine();
    await render({ keepFocus: true });
  }
});

// ---------- start ----------

async function start() {
  el.reload.addEventListener('click', () => window.location.reload());
  el.useDemo.addEventListener('click', () => {
    const url = new URL(window.location.href);
    url.searchParams.set('dataset', DEFAULT_DATASET);
    store.putSetting('dataset', DEFAULT_DATASET);
    window.location.assign(url.href);
  });
  el.uiLanguage.addEventListener('change', () => {
    setLanguage(el.uiLanguage.value);
    app.learner.post({ type: 'settings', settings: { uiLanguage: el.uiLanguage.value } });
  });

  await store.open();
  const settings = await store.readSettings();
  setLanguage(pickLocale(settings.uiLanguage), { save: false });
  const dataset = resolveDataset(settings);
  try {
    await app.loadDataset(dataset, onProgress);
  } catch (error) {
    showError(error, dataset);
    return;
  }
  showBanner();
  showProfileNotice();
  el.loading.hidden = true;
  el.nav.hidden = false;
  el.view.hidden = false;
  window.addEventListener('hashchange', () => render());
  await render({ keepFocus: true });
  document.documentElement.dataset.ready = 'true';
  initOffline({ dataset, manifestSha256: app.info?.manifestSha256 ?? '', onBundleUpdated: reloadBundle });
}

/** Switches dataset in place (settings): the engine keeps running; on failure the old one stays. @param {string} dataset */
export async function switchDataset(dataset) {
  const previous = app.dataset;
  try {
    await app.loadDataset(dataset);
  } catch (error) {
    return { ok: false, error };
  }
  await store.putSetting('dataset', dataset);
  const url = new URL(window.location.href);
  if (dataset === (import.meta.env.VITE_PATHLIGHT_DATASET || DEFAULT_DATASET)) url.searchParams.delete('dataset');
  else url.searchParams.set('dataset', dataset);
  history.replaceState(null, '', url.href);
  showBanner();
  showProfileNotice();
  initOffline({ dataset, manifestSha256: app.info?.manifestSha256 ?? '', onBundleUpdated: reloadBundle });
  return { ok: true, previous };
}

async function reloadBundle() {
  await app.loadDataset(/** @type {string} */ (app.dataset));
  showBanner();
  await render({ keepFocus: true });
  return app.info;
}

app.switchDataset = switchDataset;
app.checkBundleUpdate = () => checkBundleUpdate(app.dataset ?? '');
app.knownDatasets = KNOWN_DATASETS;
app.getLocale = getLocale;
app.showProfileNotice = showProfileNotice;

start().catch((error) => showError(error instanceof LoadError ? error : new LoadError('unknown_error', String(error?.message ?? error), error), DEFAULT_DATASET));
