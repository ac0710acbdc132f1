// Privacy centre: exactly what is stored on this device, export to a JSON file, import it on
// another device, erase everything — and a plain statement (with the live list) of what the
// server receives.
import { download, make } from '../dom.js';
import { formatDateTime, formatList, joinSentences, languageName, t, formatMoney } from '../i18n.js';
import { autoLanguageLabel, conceptLabel, datasetLabel, fact, forgetSkill, itemTitle, knownList, showToast } from '../ui.js';
import { DB_NAME, DB_VERSION, PROFILE_FORMAT, PROFILE_VERSION } from '../../shared/store.js';
import { AUTO_LANGUAGE } from '../app.js';

/**
 * @typedef {import('../app.js').App} App
 * @typedef {import('../../shared/store.js').EventRecord} EventRecord
 * @typedef {import('../../shared/store.js').QuarantineRecord} QuarantineRecord
 */

export const EXPORT_FORMAT = 'pathlight-export';
/** Version 2: `profile` is the engine's profile (format version 2, events with ids, the content
 *  language resolved); the app's own settings are under `app`. Version 1 files still import. */
export const EXPORT_VERSION = 2;

/** @param {App} app @param {HTMLElement} root */
export async function render(app, root) {
  const quarantine = await app.store.readQuarantine();
  const saved = await app.store.readSettings();  // what is stored, not what is in use
  const current = datasetLabel(app.dataset);
  const elsewhere = [...(await app.store.scopeCounts())].filter(([scope]) => scope !== app.dataset);
  const prefs = app.learner.prefs;
  const events = app.learner.events();

  const statement = make('section', { className: 'panel', 'aria-labelledby': 'server-title', 'data-testid': 'privacy-statement' }, [
    make('h2', { id: 'server-title', text: t('privacy.serverTitle') }),
    make('p', { text: t('privacy.serverBody') }),
    make('ul', { className: 'plain-list' }, ['privacy.server1', 'privacy.server2', 'privacy.server3'].map((k) => make('li', { text: t(k) }))),
    make('p', { text: t('privacy.server4') }),  // not a file: a sentence after the list
    requestLog(app),
  ]);

  const storedSection = make('section', { className: 'panel', 'aria-labelledby': 'stored-title', 'data-testid': 'stored' }, [
    make('h2', { id: 'stored-title', text: t('privacy.storedTitle') }),
    make('p', { 'data-testid': 'storage-mode', text: app.store.persistent ? t('privacy.storedWhere', { db: DB_NAME, version: DB_VERSION }) : t('privacy.storedMemory') }),
    make('h3', { text: t('privacy.prefsTitle') }),
    make('dl', { className: 'facts', 'data-testid': 'stored-prefs' }, [
      fact(t('privacy.goals'), prefs.goals.length ? formatList(prefs.goals.map((g) => conceptLabel(app, g))) : '—'),
      fact(t('privacy.hours'), String(prefs.weeklyHours)),
      fact(t('privacy.budget'), prefs.budget === null ? t('profile.details.noLimit') : formatMoney(prefs.budget, prefs.currency)),
      fact(t('privacy.language'), prefs.language === AUTO_LANGUAGE ? autoLanguageLabel(app) : languageName(prefs.language)),
    ]),
    make('h3', { id: 'privacy-known-title', text: t('privacy.known') }),
    knownList(app, {
      id: 'privacy-known',
      onForget: async (k, position) => {
        await forgetSkill(app, k);
        await render(app, root);
        refocus(root, '#privacy-known .known__forget', position, '#privacy-known-title');
      },
    }),
    make('h3', { id: 'privacy-events-title', text: t('privacy.eventsTitle', { n: events.length }) }),
    events.length === 0 ? make('p', { className: 'hint', text: t('privacy.noEvents') }) : eventTable(app, events, root),
    // Removed events leave a marker (its id and time) so other tabs remove them too: stored, so said.
    ((n) => (n ? make('p', { className: 'hint', 'data-testid': 'stored-removed', dataset: { n: String(n) }, text: t('privacy.removed', { n }) }) : null))(app.learner.removedCount()),
    make('h3', { text: t('privacy.settingsTitle') }),
    make('p', { 'data-testid': 'stored-settings', text: joinSentences([
      t(saved.uiLanguage === undefined ? 'privacy.languageDefault' : 'privacy.languageStored', { language: languageName(app.getLocale()) }),
      saved.dataset === undefined ? t('privacy.datasetDefault', { dataset: current })
        : saved.dataset === app.dataset ? t('privacy.datasetStored', { dataset: current })
          : t('privacy.datasetByLink', { dataset: current, stored: datasetLabel(String(saved.dataset)) }),
    ]) }),
    make('h3', { id: 'privacy-elsewhere-title', text: t('privacy.elsewhereTitle') }),
    elsewhere.length === 0 ? make('p', { className: 'hint', text: t('privacy.elsewhereNone') })
      : make('ul', { className: 'plain-list', 'data-testid': 'stored-elsewhere', 'aria-labelledby': 'privacy-elsewhere-title' }, elsewhere.map(([scope, n]) => {
        const widget = scope.startsWith('widget:') ? scope.slice('widget:'.length) : null;
        return make('li', { dataset: { scope, events: String(n.events), removed: String(n.removed) } },
          widget === null ? t('privacy.elsewhereDataset', { dataset: datasetLabel(scope), ...n }) : t('privacy.elsewhereWidget', { bundle: widget, ...n }));
      })),
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
      const again = /** @type {HTMLElement} */ (root.querySelector('[data-testid="import-status"]'));
      again.textContent = result.message;
      again.className = 'import-status import-status--ok';
      again.setAttribute('role', 'status');
      /** @type {HTMLElement | null} */ (root.querySelector('#import-file'))?.focus();
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
            const doc = exportDocument(app, await app.store.readQuarantine());
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

/**
 * Every stored event, newest first, each with a button that removes just that one (a tombstone;
 * the engine re-solves without it).
 * @param {App} app @param {EventRecord[]} events @param {HTMLElement} root
 */
function eventTable(app, events, root) {
  const rows = [...events].reverse();
  return make('div', { className: 'table-wrap', tabindex: '0', role: 'region', 'aria-label': t('privacy.eventsTitle', { n: events.length }) }, [
    make('table', { className: 'events', 'data-testid': 'stored-events' }, [
      make('thead', {}, [make('tr', {}, [
        make('th', { scope: 'col', text: t('privacy.when') }),
        make('th', { scope: 'col', text: t('privacy.what') }),
        make('th', { scope: 'col', text: t('privacy.which') }),
        make('th', { scope: 'col', text: t('privacy.actions') }),
      ])]),
      make('tbody', {}, rows.map((e, position) => {
        const what = t(`event.${e.type}`, { rating: e.rating, max: app.ratingScale[1] });
        const which = e.item ? itemTitle(app, e.item) : e.concept ? conceptLabel(app, e.concept) : '';
        return make('tr', { dataset: { eventId: e.id, type: String(e.type), item: e.item ?? '', concept: e.concept ?? '' } }, [
          make('td', { text: formatDateTime(e.t) }),
          make('td', { text: what }),
          make('td', { text: which }),
          make('td', {}, [make('button', {
            type: 'button',
            className: 'link-button',
            'data-testid': 'remove-event',
            'aria-label': t('privacy.removeEvent', { what, which }),
            text: t('privacy.remove'),
            onClick: async () => {
              await app.undo([e]);
              showToast(t('toast.eventRemoved', { what, which }));
              await render(app, root);
              refocus(root, '[data-testid="remove-event"]', position, '#privacy-events-title');
            },
          })]),
        ]);
      })),
    ]),
  ]);
}

/**
 * After a removal, focus the control now at the same position in the list (or the last), else
 * the section heading.
 * @param {HTMLElement} root @param {string} selector @param {number} position @param {string} heading
 */
function refocus(root, selector, position, heading) {
  const all = root.querySelectorAll(selector);
  const target = /** @type {HTMLElement | undefined} */ (all[Math.min(position, all.length - 1)]);
  if (target) target.focus();
  else {
    const h = /** @type {HTMLElement | null} */ (root.querySelector(heading));
    if (h) {
      h.tabIndex = -1;
      h.focus();
    }
  }
}

/** @param {App} app @param {QuarantineRecord[]} quarantine @param {HTMLElement} root */
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
          if (q.qid !== undefined) await app.store.discardQuarantine(q.qid);
          app.quarantine = app.quarantine.filter((x) => x.qid !== q.qid);
          await render(app, root);
          /** @type {HTMLElement | null} */ (root.querySelector('#stored-title'))?.focus();
        },
      }),
    ]),
  ])));
}

/**
 * Everything stored for the current dataset, as one versioned JSON document: `profile` is what
 * the engine reads (exportProfile's format: version 2, each event with its id, the content
 * language resolved), `app` the app's own settings.
 * @param {App} app @param {QuarantineRecord[]} [quarantine]
 */
export function exportDocument(app, quarantine = []) {
  const p = app.learner.prefs;
  return {
    format: EXPORT_FORMAT,
    version: EXPORT_VERSION,
    exportedAt: new Date().toISOString(),
    dataset: app.dataset,
    profile: app.learner.profileDoc(app.contentLanguage()),
    app: { language: p.language, onboarded: p.onboarded, sources: Object.fromEntries(app.learner.events().filter((e) => e.source).map((e) => [e.id, e.source])) },
    settings: { uiLanguage: app.getLocale(), dataset: app.dataset },
    setAside: quarantine,
  };
}

/**
 * Reads an export (version 1 or 2) or a bare engine profile (version 1 or 2) and merges it in;
 * the engine judges the merged profile first, and on any error nothing changes.
 * @param {App} app @param {string} text
 */
export async function importFile(app, text) {
  /** @type {any} */
  let doc;
  try {
    doc = JSON.parse(text);
  } catch {
    return { ok: false, message: t('import.notJson') };
  }
  /** @type {any} */
  let profile;
  /** @type {any} */
  let appSettings = {};
  if (doc?.format === EXPORT_FORMAT) {
    if (!Number.isInteger(doc.version) || doc.version > EXPORT_VERSION) return { ok: false, message: t('import.newer', { version: doc.version }) };
    profile = doc.profile;
    appSettings = doc.version >= 2 ? doc.app ?? {} : { language: doc.profile?.language, onboarded: doc.profile?.onboarded };
  } else if (doc?.format === PROFILE_FORMAT) {
    profile = doc;
  } else {
    return { ok: false, message: t('import.notPathlight') };
  }
  if (!profile || typeof profile !== 'object' || profile.format !== PROFILE_FORMAT) return { ok: false, message: t('import.notPathlight') };
  if (!Number.isInteger(profile.version) || profile.version > PROFILE_VERSION) return { ok: false, message: t('import.newer', { version: profile.version }) };
  const events = Array.isArray(profile.events) ? profile.events.filter((/** @type {unknown} */ e) => e && typeof e === 'object') : [];
  const sources = appSettings.sources && typeof appSettings.sources === 'object' ? appSettings.sources : {};

  // Let the engine judge the merged profile first; on an error nothing is changed.
  const current = app.learner.profileDoc(app.contentLanguage());
  const candidate = {
    ...current,
    goals: profile.goals ?? current.goals,
    known: profile.known ?? current.known,
    events: [...(current.events ?? []), ...events.map((/** @type {any} */ e) => {
      const { dataset: _d, scope: _s, source: _src, onboarded: _o, ...rest } = e;
      return rest;
    })],
  };
  try {
    await app.eng.setProfile(candidate, { now: Date.now() / 1000 });
  } catch (error) {
    await app.syncEngine();
    const e = /** @type {any} */ (error);
    return { ok: false, message: t('import.rejected', { message: e.message, code: e.code ?? 'error' }) };
  }
  const added = app.learner.importEvents(events.map((/** @type {any} */ e) => ({ ...e, ...(typeof e.id === 'string' && sources[e.id] ? { source: sources[e.id] } : {}) })));
  /** @type {Partial<import('../../shared/store.js').Prefs>} */
  const patch = { onboarded: true };
  const weekly = profile.weeklyHours ?? profile.weekly_hours;
  if (Array.isArray(profile.goals)) patch.goals = profile.goals.filter((/** @type {unknown} */ g) => typeof g === 'string');
  if (Array.isArray(profile.known)) patch.known = profile.known.filter((/** @type {unknown} */ g) => typeof g === 'string');
  if (Number.isFinite(weekly) && weekly >= 0) patch.weeklyHours = weekly;
  if (Number.isFinite(profile.budget) && profile.budget >= 0) patch.budget = profile.budget;
  if (typeof profile.currency === 'string' && profile.currency) patch.currency = profile.currency;
  const language = typeof appSettings.language === 'string' ? appSettings.language : profile.language;
  if (typeof language === 'string') patch.language = language;
  if (typeof profile.level === 'string') patch.level = profile.level;
  app.learner.setPrefs(patch);
  await app.syncEngine();
  // Items the catalog does not know (the engine's unknownIds also lists goals, once per mention).
  const unknown = new Set(app.learner.events().filter((e) => e.item && !app.byId.has(e.item)).map((e) => e.item)).size;
  const fromOther = doc.dataset && doc.dataset !== app.dataset ? t('import.otherDataset', { dataset: doc.dataset, current: app.dataset }) : '';
  return {
    ok: true,
    message: [t('import.done', { n: added.length }), unknown ? t('import.unknown', { n: unknown }) : '', fromOther].filter(Boolean).join(' '),
  };
}

/** @param {App} app */
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
      showToast(t('toast.erased'), { view: 'profile' });  // said where the learner is taken
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

/**
 * The files this page has downloaded so far (Resource Timing of the page and of the engine's
 * Worker, which fetches the engine and the bundle): the same for every learner.
 * @param {App} app
 */
function requestLog(app) {
  const paths = new Set([new URL(window.location.href).pathname]);
  const add = (/** @type {string} */ name) => {
    try {
      const url = new URL(name);
      paths.add(url.origin === window.location.origin ? url.pathname : url.href);
    } catch {
      // not a URL: ignore
    }
  };
  for (const entry of performance.getEntriesByType('resource')) add(entry.name);
  const summary = make('summary', {});
  const list = make('ul', { className: 'plain-list mono' });
  const render = () => {
    const sorted = [...paths].sort();
    summary.textContent = t('privacy.requests', { n: sorted.length, origin: window.location.origin });
    list.replaceChildren(...sorted.map((p) => make('li', { text: `GET ${p}` })));
  };
  render();
  const node = make('details', { className: 'raw', 'data-testid': 'request-log' }, [summary, list]);
  app.engine?.downloads().then((names) => {
    names.forEach(add);
    render();
    node.dataset.complete = 'true';
  }, () => { node.dataset.complete = 'true'; });
  if (!app.engine) node.dataset.complete = 'true';
  return node;
}

/** Deletes the database (all datasets), the in-memory learner, and tells other tabs. */
/** @param {App} app */
export async function eraseEverything(app) {
  await app.store.erase();
  app.quarantine = [];
  app.profileProblem = null;
  app.learner.reset(/** @type {string} */ (app.dataset));
  app.learner.post({ type: 'erase' });
  await app.syncEngine();
  app.showProfileNotice();
}
