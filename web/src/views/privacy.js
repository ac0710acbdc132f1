// Privacy centre: exactly what is stored on this device, export to a JSON file, import it on
// another device, erase everything — and a plain statement (with the live list) of what the
// server receives.
import { download, make } from '../dom.js';
import { formatDateTime, formatList, languageName, t, formatMoney } from '../i18n.js';
import { conceptLabel, fact, showToast } from '../ui.js';
import { DB_NAME, DB_VERSION } from '../store.js';
import { AUTO_LANGUAGE } from '../app.js';

export const EXPORT_FORMAT = 'pathlight-export';
export const EXPORT_VERSION = 1;

export async function render(app, root) {
  const quarantine = app.store.persistent ? await app.store.readQuarantine() : app.quarantine;
  const prefs = app.learner.prefs;
  const events = app.learner.events();

  const statement = make('section', { className: 'panel', 'aria-labelledby': 'server-title', 'data-testid': 'privacy-statement' }, [
    make('h2', { id: 'server-title', text: t('privacy.serverTitle') }),
    make('p', { text: t('privacy.serverBody') }),
    make('ul', { className: 'plain-list' }, ['privacy.server1', 'privacy.server2', 'privacy.server3', 'privacy.server4'].map((k) => make('li', { text: t(k) }))),
    requestLog(),
  ]);

  const storedSection = make('section', { className: 'panel', 'aria-labelledby': 'stored-title', 'data-testid': 'stored' }, [
    make('h2', { id: 'stored-title', text: t('privacy.storedTitle') }),
    make('p', { 'data-testid': 'storage-mode', text: app.store.persistent ? t('privacy.storedWhere', { db: DB_NAME, version: DB_VERSION }) : t('privacy.storedMemory') }),
    make('h3', { text: t('privacy.prefsTitle') }),
    make('dl', { className: 'facts', 'data-testid': 'stored-prefs' }, [
      fact(t('privacy.goals'), prefs.goals.length ? formatList(prefs.goals.map((g) => conceptLabel(app, g))) : '—'),
      fact(t('privacy.known'), prefs.known.length ? formatList(prefs.known.map((g) => conceptLabel(app, g))) : '—'),
      fact(t('privacy.hours'), String(prefs.weekly_hours)),
      fact(t('privacy.budget'), prefs.budget === null ? t('profile.details.noLimit') : formatMoney(prefs.budget, prefs.currency)),
      fact(t('privacy.language'), prefs.language === AUTO_LANGUAGE
        ? t('language.auto', { language: languageName(app.contentLanguage() || app.getLocale()) }) : languageName(prefs.language)),
      fact(t('privacy.dataset'), app.dataset),
    ]),
    make('h3', { text: t('privacy.eventsTitle', { n: events.length }) }),
    events.length === 0 ? make('p', { className: 'hint', text: t('privacy.noEvents') }) : eventTable(app, events),
    make('h3', { text: t('privacy.settingsTitle') }),
    make('p', { text: t('privacy.settingsBody', { language: app.getLocale(), dataset: app.dataset }) }),
    make('h3', { text: t('privacy.asideTitle', { n: quarantine.length }) }),
    quarantine.length === 0 ? make('p', { className: 'hint', text: t('privacy.noAside') }) : asideList(app, quarantine, root),
    make('details', { className: 'raw' }, [
      make('summary', { text: t('privacy.raw') }),
      make('pre', { 'data-testid': 'stored-json', tabindex: '0', 'aria-label': t('privacy.raw'), text: JSON.stringify(exportDocument(app, quarantine), null, 2) }),
    ]),
    make('p', { className: 'hint', text: t('privacy.cacheNote') }),
  ]);

  // Export / import / erase.
  const importStatus = make('p', { className: 'import-status', 'data-testid': 'import-status', 'aria-live': 'polite' });
  const fileInput = make('input', { id: 'import-file', type: 'file', accept: 'application/json,.json', 'data-testid': 'import' });
  fileInput.addEventListener('change', async () => {
    const file = fileInput.files?.[0];
    if (!file) return;
    const result = await importFile(app, await file.text());
    importStatus.textContent = result.message;
    importStatus.className = `import-status import-status--${result.ok ? 'ok' : 'error'}`;
    importStatus.setAttribute('role', result.ok ? 'status' : 'alert');
    fileInput.value = '';
    if (result.ok) {
      await render(app, root);
      const again = root.querySelector('[data-testid="import-status"]');
      again.textContent = result.message;
      again.className = 'import-status import-status--ok';
      again.setAttribute('role', 'status');
      root.querySelector('#import-file')?.focus();
    }
  });

  const dialog = eraseDialog(app);
  const actions = make('section', { className: 'panel', 'aria-labelledby': 'yourdata-title' }, [
    make('h2', { id: 'yourdata-title', text: t('privacy.yourData') }),
    make('div', { className: 'data-actions' }, [
      make('div', { className: 'data-action' }, [
        make('h3', { text: t('privacy.exportTitle') }),
        make('p', { text: t('privacy.exportBody') }),
        make('button', {
          type: 'button',
          className: 'button',
          'data-testid': 'export',
          text: t('privacy.export'),
          onClick: async () => {
            const doc = exportDocument(app, app.store.persistent ? await app.store.readQuarantine() : app.quarantine);
            download(`pathlight-${app.dataset}-${new Date().toISOString().slice(0, 10)}.json`, JSON.stringify(doc, null, 2));
            showToast(t('toast.exported'));
          },
        }),
      ]),
      make('div', { className: 'data-action' }, [
        make('h3', { text: t('privacy.importTitle') }),
        make('label', { for: 'import-file', text: t('privacy.importBody') }),
        fileInput,
        importStatus,
      ]),
      make('div', { className: 'data-action data-action--danger' }, [
        make('h3', { text: t('privacy.eraseTitle') }),
        make('p', { text: t('privacy.eraseBody') }),
        make('button', { type: 'button', className: 'button button--danger', 'data-testid': 'erase', text: t('privacy.erase'), onClick: () => dialog.open() }),
      ]),
    ]),
    dialog.node,
  ]);

  root.replaceChildren(make('div', { className: 'stack' }, [
    make('section', { className: 'panel panel--intro' }, [
      make('h1', { text: t('privacy.title') }),
      make('p', { className: 'panel__intro', text: t('privacy.intro') }),
    ]),
    statement,
    actions,
    storedSection,
  ]));
}

function eventTable(app, events) {
  return make('div', { className: 'table-wrap', tabindex: '0', role: 'region', 'aria-label': t('privacy.eventsTitle', { n: events.length }) }, [
    make('table', { className: 'events', 'data-testid': 'stored-events' }, [
      make('thead', {}, [make('tr', {}, [
        make('th', { scope: 'col', text: t('privacy.when') }),
        make('th', { scope: 'col', text: t('privacy.what') }),
        make('th', { scope: 'col', text: t('privacy.which') }),
      ])]),
      make('tbody', {}, [...events].reverse().map((e) => make('tr', {}, [
        make('td', { text: formatDateTime(e.t) }),
        make('td', { text: t(`event.${e.type}`, { rating: e.rating }) }),
        make('td', { text: e.item ? app.byId.get(e.item)?.title ?? e.item : conceptLabel(app, e.concept) }),
      ]))),
    ]),
  ]);
}

function asideList(app, quarantine, root) {
  return make('ul', { className: 'aside-list', 'data-testid': 'set-aside' }, quarantine.map((q) => make('li', {}, [
    make('p', { text: t('privacy.asideItem', { when: formatDateTime(q.at / 1000), store: q.store, reason: q.reason }) }),
    make('div', { className: 'actions' }, [
      make('button', {
        type: 'button',
        className: 'action',
        'data-testid': 'export-aside',
        text: t('privacy.asideExport'),
        onClick: () => download(`pathlight-set-aside-${q.qid}.json`, JSON.stringify({ format: 'pathlight-set-aside', ...q }, null, 2)),
      }),
      make('button', {
        type: 'button',
        className: 'action',
        text: t('privacy.asideDiscard'),
        onClick: async () => {
          if (app.store.persistent) await app.store.discardQuarantine(q.qid);
          app.quarantine = app.quarantine.filter((x) => x.qid !== q.qid);
          await render(app, root);
          root.querySelector('#stored-title')?.focus();
        },
      }),
    ]),
  ])));
}

/** Everything stored for the current dataset, as one versioned JSON document. */
export function exportDocument(app, quarantine = []) {
  const p = app.learner.prefs;
  return {
    format: EXPORT_FORMAT,
    version: EXPORT_VERSION,
    exportedAt: new Date().toISOString(),
    dataset: app.dataset,
    profile: {
      format: 'pathlight-profile',
      version: 1,
      goals: p.goals,
      known: p.known,
      weekly_hours: p.weekly_hours,
      ...(p.budget === null ? {} : { budget: p.budget }),
      currency: p.currency,
      language: p.language,
      onboarded: p.onboarded,
      events: app.learner.events().map(({ dataset, ...e }) => e),
    },
    settings: { uiLanguage: app.getLocale(), dataset: app.dataset },
    setAside: quarantine,
  };
}

/** Reads an export (or a bare engine profile) and merges it in; never changes anything on error. */
export async function importFile(app, text) {
  let doc;
  try {
    doc = JSON.parse(text);
  } catch {
    return { ok: false, message: t('import.notJson') };
  }
  let profile;
  if (doc?.format === EXPORT_FORMAT) {
    if (!Number.isInteger(doc.version) || doc.version > EXPORT_VERSION) return { ok: false, message: t('import.newer', { version: doc.version }) };
    profile = doc.profile;
  } else if (doc?.format === 'pathlight-profile') {
    profile = doc;
  } else {
    return { ok: false, message: t('import.notPathlight') };
  }
  if (!profile || typeof profile !== 'object' || profile.format !== 'pathlight-profile') return { ok: false, message: t('import.notPathlight') };
  if (!Number.isInteger(profile.version) || profile.version > 1) return { ok: false, message: t('import.newer', { version: profile.version }) };
  const events = Array.isArray(profile.events) ? profile.events : [];

  // Let the engine judge the merged profile first; on an error nothing is changed.
  const current = app.learner.profileDoc();
  const candidate = {
    ...current,
    goals: profile.goals ?? current.goals,
    known: profile.known ?? current.known,
    events: [...current.events, ...events.map(({ id, dataset, source, ...e }) => e)],
  };
  try {
    await app.engine.setProfile(candidate, Date.now() / 1000);
  } catch (error) {
    await app.syncEngine();
    return { ok: false, message: t('import.rejected', { message: error.message, code: error.code ?? 'error' }) };
  }
  const added = app.learner.importEvents(events);
  const patch = { onboarded: true };
  if (Array.isArray(profile.goals)) patch.goals = profile.goals.filter((g) => typeof g === 'string');
  if (Array.isArray(profile.known)) patch.known = profile.known.filter((g) => typeof g === 'string');
  if (Number.isFinite(profile.weekly_hours) && profile.weekly_hours >= 0) patch.weekly_hours = profile.weekly_hours;
  if (Number.isFinite(profile.budget) && profile.budget >= 0) patch.budget = profile.budget;
  if (typeof profile.currency === 'string' && profile.currency) patch.currency = profile.currency;
  if (typeof profile.language === 'string') patch.language = profile.language;
  app.learner.setPrefs(patch);
  await app.syncEngine();
  // Items the catalog does not know (the engine's unknownIds also lists goals, once per mention).
  const unknown = new Set(app.learner.events().filter((e) => e.item && !app.byId.has(e.item)).map((e) => e.item)).size;
  const fromOther = doc.dataset && doc.dataset !== app.dataset ? t('import.otherDataset', { dataset: doc.dataset, current: app.dataset }) : '';
  return {
    ok: true,
    message: [t('import.done', { n: added }), unknown ? t('import.unknown', { n: unknown }) : '', fromOther].filter(Boolean).join(' '),
  };
}

function eraseDialog(app) {
  const dialog = make('dialog', { className: 'dialog', 'aria-labelledby': 'erase-title', 'data-testid': 'erase-dialog' });
  const cancel = make('button', { type: 'button', className: 'button button--secondary', text: t('privacy.eraseCancel'), onClick: () => dialog.close() });
  const confirm = make('button', {
    type: 'button',
    className: 'button button--danger',
    'data-testid': 'erase-confirm',
    text: t('privacy.eraseConfirm'),
    onClick: async () => {
      confirm.disabled = true;
      await eraseEverything(app);
      dialog.close();
      showToast(t('toast.erased'));
      app.changed({ navigate: 'profile' });
    },
  });
  dialog.append(
    make('h2', { id: 'erase-title', text: t('privacy.eraseDialogTitle') }),
    make('p', { text: t('privacy.eraseDialogBody') }),
    make('div', { className: 'button-row' }, [cancel, confirm]),
  );
  return {
    node: dialog,
    open: () => {
      dialog.showModal();
      cancel.focus(); // the safe choice first
    },
  };
}

/** The files this page has downloaded so far (Resource Timing): the same for every learner. */
function requestLog() {
  const paths = new Set([new URL(window.location.href).pathname]);
  for (const entry of performance.getEntriesByType('resource')) {
    try {
      const url = new URL(entry.name);
      paths.add(url.origin === window.location.origin ? url.pathname : url.href);
    } catch {
      // not a URL: ignore
    }
  }
  const list = [...paths].sort();
  return make('details', { className: 'raw', 'data-testid': 'request-log' }, [
    make('summary', { text: t('privacy.requests', { n: list.length, origin: window.location.origin }) }),
    make('ul', { className: 'plain-list mono' }, list.map((p) => make('li', { text: `GET ${p}` }))),
  ]);
}

/** Deletes the database (all datasets), the in-memory learner, and tells other tabs. */
export async function eraseEverything(app) {
  await app.store.erase();
  app.quarantine = [];
  app.profileProblem = null;
  app.learner.reset(app.dataset);
  app.learner.post({ type: 'erase' });
  await app.syncEngine();
  app.showProfileNotice();
}
