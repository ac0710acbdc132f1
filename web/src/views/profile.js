// Onboarding and, later, "Goals & settings": goals and known skills from the knowledge graph
// (searchable), things already taken, weekly hours, budget and currency, content language, the
// dataset. Every change goes to the engine at once and the first recommendations beside the form
// update from the cold-start fold-in.
import { make, nextId } from '../dom.js';
import { formatList, languageName, t } from '../i18n.js';
import { AUTO_LANGUAGE } from '../app.js';
import {
  autoLanguageLabel, chipList, conceptLabel, datasetLabel, focusChipAfterRemoval, forgetSkill, itemCard, kindTag, knownList, knownWhy, searchPicker, sharedReasons, showToast,
} from '../ui.js';

/**
 * @typedef {import('../app.js').App} App
 * @typedef {import('../../../wasm/pathlight').Concept} Concept
 * @typedef {import('../../../wasm/pathlight').GoalState} GoalState
 */

/**
 * A searchable list of the knowledge graph's concepts; pressed when `isPicked`.
 * @param {App} app
 * @param {'goals' | 'known'} field
 * @param {(c: Concept) => Promise<void>} toggle
 * @param {(c: Concept) => boolean} isPicked
 */
function conceptPicker(app, field, toggle, isPicked) {
  return searchPicker({
    id: `${field}-search`,
    label: t(`profile.${field}.search`),
    placeholder: t(`profile.${field}.placeholder`),
    resultsLabel: t(`profile.${field}.results`),
    testid: `${field}-search`,
    resultTestid: `${field}-option`,
    search: (q) => app.searchConcepts(q, 12),
    isPicked,
    toggle,
    title: (c) => conceptLabel(app, c.id),
    statusText: (q, shown, total) => (total === 0 ? t('search.noConcepts', { query: q })
      : q ? t('search.conceptMatches', { shown, total }) : t('search.conceptSuggestions')),
  });
}

let previewSeq = 0;

/**
 * Where the preview's list comes from, in words: the engine's popularity fallback, or the
 * learner's goals and actions — never "your 0 goals" (a helper read "Personal to your 0 goals and 1
 * action").
 * @param {'popular' | null} fallback  recommend()'s
 * @param {GoalState[]} goalStates  recommend()'s `goals`
 * @param {{ items: number, skills: number }} basis  learner()'s: items with any event, skills the learner said they know
 */
export function previewStatus(fallback, goalStates, basis) {
  if (fallback === 'popular') return t('profile.preview.popular');
  // The goals the list can aim at are the open ones (the engine's goal states): a goal the learner
  // already knows through the skills they stated is not "your goal" it starts from.
  const goals = goalStates.filter((g) => !g.reached).length;
  if (goals === 0 && goalStates.length > 0) return t('profile.preview.allReached', { goals: goalStates.length });
  if (basis.items === 0) return goals === 0 ? t('profile.preview.fromKnown') : t('profile.preview.fromGoals', { goals });
  return goals === 0 ? t('profile.preview.personalNoGoals', basis) : t('profile.preview.personal', { goals, ...basis });
}

/** @param {App} app @param {HTMLElement} root */
export async function render(app, root) {
  const prefs = app.learner.prefs;
  const onboarding = !prefs.onboarded;
  const byConcept = (/** @type {string} */ id) => app.conceptById.get(id) ?? { id, name: id, nameZh: '', prerequisites: [] };

  // --- goals --------------------------------------------------------------------------------
  const goalSection = () => {
    const field = 'goals';
    const chipsId = `${field}-chips`;
    const chips = make('div');
    const selected = () => app.learner.prefs.goals;
    /** @param {Concept} concept */
    const toggle = async (concept) => {
      const list = selected();
      const next = list.includes(concept.id) ? list.filter((c) => c !== concept.id) : [...list, concept.id];
      await app.setPrefs({ goals: next });
      renderChips();
      updatePreview();
    };
    const picker = conceptPicker(app, field, toggle, (c) => selected().includes(c.id));
    const renderChips = () => {
      chips.replaceChildren(chipList({
        id: chipsId,
        label: t(`profile.${field}.chosen`),
        items: selected().map(byConcept),
        title: (c) => conceptLabel(app, c.id),
        testid: `${field}-chip`,
        empty: t(`profile.${field}.none`),
        onRemove: async (c, position) => {
          await toggle(c);
          picker.refresh();
          focusChipAfterRemoval(root, chipsId, position, picker.input);
        },
      }));
    };
    renderChips();
    return make('section', { className: 'panel', 'aria-labelledby': 'goals-title', 'data-testid': `${field}-section` }, [
      make('h2', { id: 'goals-title', text: t(`profile.${field}.title`, { n: 1 }) }),
      make('p', { className: 'panel__intro', text: t(`profile.${field}.intro`) }),
      picker.node,
      make('h3', { className: 'picked__title', text: t(`profile.${field}.chosen`) }),
      chips,
    ]);
  };

  // --- known skills: the engine's list (with why), the same as in My learning and the privacy centre
  const knownSection = () => {
    const list = make('div');
    const isKnown = (/** @type {Concept} */ c) => (app.summary?.known ?? []).some((k) => k.id === c.id);
    /** @param {Concept} concept */
    const toggle = async (concept) => {
      const k = app.summary?.known.find((x) => x.id === concept.id);
      if (!k) {
        await app.setPrefs({ known: [...app.learner.prefs.known, concept.id] });
      } else if (k.forgettable) {
        await forgetSkill(app, k);
      } else {
        // Known through something else (a completed item, a known skill that needs it): say so.
        showToast(t('known.cannotForget', { concept: conceptLabel(app, k.id), why: knownWhy(app, k) }));
      }
      renderList();
      updatePreview();
    };
    const picker = conceptPicker(app, 'known', toggle, isKnown);
    const renderList = () => {
      list.replaceChildren(knownList(app, {
        id: 'known-skills',
        empty: t('profile.known.none'),
        onForget: async (k, position) => {
          await forgetSkill(app, k);
          renderList();
          picker.refresh();
          updatePreview();
          focusChipAfterRemoval(root, 'known-skills', position, picker.input, '.known__forget');
        },
      }));
    };
    renderList();
    return make('section', { className: 'panel', 'aria-labelledby': 'known-title', 'data-testid': 'known-section' }, [
      make('h2', { id: 'known-title', text: t('profile.known.title', { n: 2 }) }),
      make('p', { className: 'panel__intro', text: t('profile.known.intro') }),
      picker.node,
      make('h3', { className: 'picked__title', text: t('profile.known.chosen') }),
      list,
    ]);
  };

  // --- things already taken (the slice's search and picks) --------------------------------
  const takenSection = () => {
    const chips = make('div');
    const taken = () => app.learner.events().filter((e) => e.type === 'complete' && e.source === 'onboarding');
    const isTaken = (/** @type {{id: string}} */ item) => taken().some((e) => e.item === item.id);
    /** @param {{id: string}} item */
    const toggle = async (item) => {
      const existing = taken().filter((e) => e.item === item.id);
      if (existing.length > 0) await app.undo(existing);
      else {
        await app.act('complete', { item: item.id }, { source: 'onboarding' });
      }
      renderChips();
      updatePreview();
    };
    const picker = searchPicker({
      id: 'search',
      label: t('profile.taken.search'),
      placeholder: t('profile.taken.placeholder', { count: app.items.length.toLocaleString(app.getLocale()) }),
      resultsLabel: t('profile.taken.results'),
      testid: 'search',
      resultTestid: 'search-result',
      search: (q) => app.searchItems(q, 20),
      isPicked: isTaken,
      toggle,
      title: (item) => item.title,
      extra: (item) => kindTag(item),
      statusText: (q, shown, total) => (!q ? t('search.typeTitle') : total === 0 ? t('search.noTitles', { query: q })
        : total > shown ? t('search.someTitles', { shown, total }) : t('search.allTitles', { total })),
    });
    const renderChips = () => {
      chips.replaceChildren(chipList({
        id: 'picked',
        label: t('profile.taken.chosen'),
        items: taken().map((e) => app.byId.get(/** @type {string} */ (e.item)) ?? { id: /** @type {string} */ (e.item), title: /** @type {string} */ (e.item) }),
        title: (item) => item.title,
        testid: 'picked',
        empty: t('profile.taken.none'),
        onRemove: async (item, position) => {
          await toggle(item);
          picker.refresh();
          focusChipAfterRemoval(root, 'picked', position, picker.input);
        },
      }));
    };
    renderChips();
    return make('section', { className: 'panel picker', 'aria-labelledby': 'taken-title', 'data-testid': 'taken-section' }, [
      make('h2', { id: 'taken-title', text: t('profile.taken.title', { n: 3 }) }),
      make('p', { className: 'panel__intro', text: t('profile.taken.intro') }),
      picker.node,
      make('h3', { className: 'picked__title', text: t('profile.taken.chosen') }),
      chips,
    ]);
  };

  // --- practical details ------------------------------------------------------------------
  const detailsSection = () => {
    const p = app.learner.prefs;
    const hours = make('input', { id: 'weekly-hours', type: 'number', min: '0', max: '80', step: '1', inputmode: 'numeric', value: String(p.weeklyHours), 'data-testid': 'weekly-hours', 'data-fk': 'weekly-hours' });
    const budget = make('input', { id: 'budget', type: 'number', min: '0', step: '1', inputmode: 'decimal', value: p.budget === null ? '' : String(p.budget), placeholder: t('profile.details.noLimit'), 'aria-describedby': 'budget-hint', 'data-testid': 'budget', 'data-fk': 'budget' });
    const currencies = app.currencies.includes(p.currency) ? app.currencies : [p.currency, ...app.currencies];
    const currency = make('select', { id: 'currency', 'data-testid': 'currency', 'data-fk': 'currency', 'aria-describedby': 'budget-hint' },
      currencies.map((c) => make('option', { value: c, text: c, selected: c === p.currency })));
    const language = make('select', { id: 'content-language', 'data-testid': 'content-language', 'data-fk': 'content-language', 'aria-describedby': 'language-hint' }, [
      make('option', {
        value: AUTO_LANGUAGE,
        text: autoLanguageLabel(app),
        selected: p.language === AUTO_LANGUAGE,
      }),
      make('option', { value: '', text: t('language.anyOption', { n: app.languages.length }), selected: p.language === '' }),
      ...app.languages.map((code) => make('option', { value: code, text: languageName(code), selected: code === p.language })),
    ]);
    const problem = make('p', { className: 'field-error', role: 'alert', hidden: true });
    const save = async () => {
      const h = Number(hours.value);
      const b = budget.value.trim() === '' ? null : Number(budget.value);
      if (!Number.isFinite(h) || h < 0 || (b !== null && (!Number.isFinite(b) || b < 0))) {
        problem.textContent = t('profile.details.invalid');
        problem.hidden = false;
        return;
      }
      problem.hidden = true;
      await app.setPrefs({ weeklyHours: h, budget: b, currency: currency.value, language: language.value });
      updatePreview();
    };
    for (const control of [hours, budget, currency, language]) control.addEventListener('change', save);
    return make('section', { className: 'panel', 'aria-labelledby': 'details-title', 'data-testid': 'details-section' }, [
      make('h2', { id: 'details-title', text: t('profile.details.title', { n: 4 }) }),
      make('div', { className: 'form-grid' }, [
        make('div', { className: 'field' }, [make('label', { for: 'weekly-hours', text: t('profile.details.hours') }), hours]),
        make('div', { className: 'field' }, [make('label', { for: 'budget', text: t('profile.details.budget') }), budget]),
        make('div', { className: 'field' }, [make('label', { for: 'currency', text: t('profile.details.currency') }), currency]),
        make('div', { className: 'field field--wide' }, [make('label', { for: 'content-language', text: t('profile.details.language') }), language]),
      ]),
      make('p', { id: 'budget-hint', className: 'field-hint', text: t('profile.details.budgetHint', { currencies: formatList(app.currencies) }) }),
      make('p', { id: 'language-hint', className: 'field-hint', text: t('profile.details.languageHint') }),
      problem,
    ]);
  };

  // --- dataset (operators) ------------------------------------------------------------------
  const datasetSection = () => {
    const names = [...new Set([...app.knownDatasets, app.dataset])];
    const select = make('select', { id: 'dataset', 'data-testid': 'dataset-select' },
      names.map((d) => make('option', { value: d, text: datasetLabel(d), selected: d === app.dataset })));
    const status = make('p', { className: 'field-hint', 'aria-live': 'polite' });
    const button = make('button', {
      type: 'button',
      className: 'button button--secondary',
      'data-testid': 'dataset-switch',
      text: t('profile.dataset.switch'),
      onClick: async () => {
        if (select.value === app.dataset) return;
        button.disabled = true;
        status.textContent = t('profile.dataset.loading', { dataset: select.value });
        const result = await app.switchDataset(select.value);
        button.disabled = false;
        if (!result.ok) {
          // 404: the site does not publish that data set's bundle (e.g. CoCo, unless it was trained).
          status.textContent = result.error.status === 404
            ? t('profile.dataset.notPublished', { dataset: datasetLabel(select.value), message: result.error.message, current: datasetLabel(app.dataset) })
            : t('profile.dataset.failed', { dataset: datasetLabel(select.value), message: result.error.message, code: result.error.code ?? 'error', current: datasetLabel(app.dataset) });
          status.setAttribute('role', 'alert');
          select.value = app.dataset ?? '';  // the picker shows the data set in use, as the sentence says
          return;
        }
        app.changed({ navigate: app.learner.prefs.onboarded ? 'feed' : 'profile' });
      },
    });
    return make('section', { className: 'panel', 'aria-labelledby': 'dataset-title' }, [
      make('h2', { id: 'dataset-title', text: t('profile.dataset.title') }),
      make('p', { className: 'panel__intro', text: t('profile.dataset.intro') }),
      make('div', { className: 'inline-form' }, [make('label', { for: 'dataset', text: t('profile.dataset.label') }), select, button]),
      status,
    ]);
  };

  // --- first recommendations --------------------------------------------------------------
  const list = make('ol', { id: 'recs-list', className: 'rec-list rec-list--compact' });
  const recStatus = make('p', { className: 'recs__status', 'aria-live': 'polite' });
  const recError = make('p', { className: 'recs__error', role: 'alert', hidden: true });
  const recShared = make('div');
  // tabindex: the preview scrolls on its own on wide screens, so keyboard users can scroll it.
  const preview = make('section', { className: 'panel recs recs--sticky', id: 'recommendations', tabindex: '0', 'data-testid': 'recommendations', 'aria-labelledby': 'recs-title', 'aria-busy': 'false' }, [
    make('div', { className: 'recs__header' }, [
      make('h2', { id: 'recs-title', text: onboarding ? t('profile.preview.title') : t('profile.preview.titleLater') }),
      deviceNote(),
    ]),
    recStatus, recShared, recError, list,
  ]);
  const updatePreview = async () => {
    const seq = ++previewSeq;
    preview.setAttribute('aria-busy', 'true');
    try {
      const { items, fallback, sharedReasons: shared, goals: goalStates } = await app.eng.recommend({ k: 10 });
      if (seq !== previewSeq) return;
      list.replaceChildren(...items.map((rec) => itemCard(app, rec, null)));
      const sharedList = sharedReasons(app, shared);
      recError.hidden = true;
      recStatus.textContent = previewStatus(fallback, goalStates, app.summary?.basis ?? { items: 0, skills: 0 });
      // The reasons the engine says once for the whole list, as on the feed.
      recShared.replaceChildren(...(sharedList ? [sharedList] : []));
    } catch (caught) {
      if (seq !== previewSeq) return;
      const error = /** @type {{message: string, code?: string}} */ (caught);
      recError.textContent = t('feed.error', { message: error.message, code: error.code ?? 'error' });
      recError.hidden = false;
    }
    preview.dataset.basedOn = String(app.learner.events().length);
    preview.dataset.goals = String(app.learner.prefs.goals.length);
    preview.setAttribute('aria-busy', 'false');
  };

  const finish = make('button', {
    type: 'button',
    className: 'button button--large',
    'data-testid': 'finish-onboarding',
    text: onboarding ? t('profile.finish') : t('profile.toFeed'),
    onClick: async () => {
      if (!app.learner.prefs.onboarded) await app.setPrefs({ onboarded: true });
      app.changed({ navigate: 'feed' });
    },
  });

  root.replaceChildren(make('div', { className: 'layout layout--two' }, [
    make('div', { className: 'stack' }, [
      make('section', { className: 'panel panel--intro' }, [
        make('h1', { text: onboarding ? t('profile.welcome') : t('profile.title') }),
        onboarding
          ? make('p', { className: 'panel__intro', 'data-testid': 'welcome-intro' }, [
            t('profile.welcomeIntro'), ' ',
            // One of the two is displayed, by the same breakpoint as the layout (style.css).
            make('span', { className: 'only-wide', 'data-testid': 'welcome-where-wide', text: t('profile.welcomeWhere.wide') }),
            make('span', { className: 'only-narrow', 'data-testid': 'welcome-where-narrow', text: t('profile.welcomeWhere.narrow') }),
            ' ', t('profile.welcomePrivate'),
          ])
          : make('p', { className: 'panel__intro', text: t('profile.intro') }),
      ]),
      goalSection(),
      knownSection(),
      takenSection(),
      detailsSection(),
      make('div', { className: 'finish-row' }, [finish]),
      datasetSection(),
    ]),
    preview,
  ]));
  await updatePreview();
}

export function deviceNote() {
  return make('p', { className: 'device-note', 'data-testid': 'device-note' }, [
    lockIcon(),
    make('span', { text: t('deviceNote') }),
  ]);
}

function lockIcon() {
  const icon = document.createElementNS('http://www.w3.org/2000/svg', 'svg');
  icon.setAttribute('class', 'device-note__icon');
  icon.setAttribute('aria-hidden', 'true');
  icon.setAttribute('viewBox', '0 0 16 16');
  icon.setAttribute('width', '16');
  icon.setAttribute('height', '16');
  icon.setAttribute('focusable', 'false');
  const path = document.createElementNS('http://www.w3.org/2000/svg', 'path');
  path.setAttribute('fill', 'currentColor');
  path.setAttribute('d', 'M8 1a3.5 3.5 0 0 0-3.5 3.5V7H4a1 1 0 0 0-1 1v6a1 1 0 0 0 1 1h8a1 1 0 0 0 1-1V8a1 1 0 0 0-1-1h-.5V4.5A3.5 3.5 0 0 0 8 1Zm-2 6V4.5a2 2 0 1 1 4 0V7H6Z');
  icon.append(path);
  return icon;
}
