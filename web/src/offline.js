// Offline support on the page's side: registers the service worker (production builds only),
// asks it to keep the running bundle, and offers the two update paths — a new bundle published
// (compare the manifest's SHA-256, "Update now") and a new app version ("Reload").
import { $, make } from './dom.js';
import { t } from './i18n.js';
import { showToast } from './ui.js';

/** @type {ServiceWorkerRegistration | null} */
let registration = null;
/** @type {{dataset: string, manifestSha256: string, onBundleUpdated: () => Promise<unknown>} | null} */
let context = null;

/** @param {ServiceWorker | null} worker @param {object} message @returns {Promise<any>} */
function ask(worker, message) {
  if (!worker) return Promise.resolve({ ok: false, error: 'no service worker' });
  return new Promise((resolve) => {
    const channel = new MessageChannel();
    const timer = setTimeout(() => resolve({ ok: false, error: 'no answer' }), 20000);
    channel.port1.onmessage = ({ data }) => {
      clearTimeout(timer);
      resolve(data);
    };
    worker.postMessage(message, [channel.port2]);
  });
}

async function activeWorker() {
  if (!('serviceWorker' in navigator)) return null;
  const ready = await navigator.serviceWorker.ready;
  return ready.active;
}

/**
 * ({dataset, manifestSha256, onBundleUpdated}) — safe to call again after a dataset switch.
 * @param {{dataset: string, manifestSha256: string, onBundleUpdated: () => Promise<unknown>}} ctx
 */
export async function initOffline(ctx) {
  context = ctx;
  const root = document.documentElement;
  if (!import.meta.env.PROD || !('serviceWorker' in navigator)) {
    root.dataset.offline = 'unsupported';
    return;
  }
  try {
    if (!registration) {
      registration = await navigator.serviceWorker.register(new URL('sw.js', document.baseURI).href, { scope: './' });
      watchAppUpdates(registration);
    }
    const worker = await activeWorker();
    const cached = await ask(worker, { type: 'cache-bundle', dataset: ctx.dataset, sha: ctx.manifestSha256 });
    root.dataset.offline = cached.ok && cached.cached ? 'ready' : 'partial';
    if (cached.update) offerBundleUpdate(cached.sha);
    else await checkBundleUpdate(ctx.dataset);
  } catch (error) {
    console.warn('Pathlight: offline support is not available:', error);
    root.dataset.offline = 'failed';
  }
}

/** Compares the published manifest with the one running; offers "Update now" when they differ. @param {string} dataset */
export async function checkBundleUpdate(dataset) {
  const worker = await activeWorker();
  if (!worker || !context || dataset !== context.dataset) return { ok: false };
  const status = await ask(worker, { type: 'check-bundle', dataset, sha: context.manifestSha256 });
  if (status.ok && status.update) offerBundleUpdate(status.sha);
  return status;
}

/** @param {string} sha */
function offerBundleUpdate(sha) {
  const notice = $('update-notice');
  const button = make('button', {
    type: 'button',
    className: 'button button--small',
    'data-testid': 'update-bundle',
    text: t('update.bundleButton'),
    onClick: async () => {
      button.disabled = true;
      const worker = await activeWorker();
      const ctx = context;
      if (!ctx) return;
      const result = await ask(worker, { type: 'update-bundle', dataset: ctx.dataset });
      if (!result.ok) {
        notice.replaceChildren(make('span', { text: t('update.bundleFailed', { message: result.error }) }));
        return;
      }
      try {
        const info = /** @type {{manifestSha256: string}} */ (await ctx.onBundleUpdated());
        ctx.manifestSha256 = info.manifestSha256;
        notice.hidden = true;
        showToast(t('update.bundleDone'));
        document.getElementById('main')?.focus();
      } catch (caught) {
        const error = /** @type {{message: string, code?: string}} */ (caught);
        notice.replaceChildren(make('span', { text: t('update.bundleFailed', { message: `${error.message} (${error.code ?? 'error'})` }) }));
      }
    },
  });
  notice.replaceChildren(make('span', { text: t('update.bundleAvailable') }), ' ', button);
  notice.dataset.sha = sha ?? '';
  notice.hidden = false;
}

/** @param {ServiceWorkerRegistration} reg */
function watchAppUpdates(reg) {
  const offer = (/** @type {ServiceWorker} */ worker) => {
    const notice = $('update-notice');
    notice.replaceChildren(
      make('span', { text: t('update.appAvailable') }), ' ',
      make('button', {
        type: 'button',
        className: 'button button--small',
        'data-testid': 'update-app',
        text: t('update.appButton'),
        onClick: () => {
          navigator.serviceWorker.addEventListener('controllerchange', () => window.location.reload(), { once: true });
          worker.postMessage({ type: 'skip-waiting' });
        },
      }),
    );
    notice.hidden = false;
  };
  if (reg.waiting && navigator.serviceWorker.controller) offer(reg.waiting);
  reg.addEventListener('updatefound', () => {
    const worker = reg.installing;
    worker?.addEventListener('statechange', () => {
      if (worker.state === 'installed' && navigator.serviceWorker.controller) offer(worker);
    });
  });
}
