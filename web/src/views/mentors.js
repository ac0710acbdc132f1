// Mentors matched to the learner's gap (the engine's mentors(): who fits, the gap it matched, and
// why the others were left out), each with its offerings (one-to-one or group: seats, open seats,
// price per seat, and whether each is available), rating, languages and the engine's reasons; a
// format filter passed to the engine as its `format` parameter. The page renders those answers;
// it counts and decides nothing itself.
import { make } from '../dom.js';
import { formatList, formatMoney, getLocale, languageName, t } from '../i18n.js';
import { offeringSentence } from '../../shared/wording.js';
import { actThenRender, actionBar, conceptList, fact, focusedKey, perform, restoreFocus, whyBlock } from '../ui.js';

/**
 * @typedef {import('../app.js').App} App
 * @typedef {import('../../../wasm/pathlight').MentorMatch} MentorMatch
 * @typedef {import('../../../wasm/pathlight').MentorDiagnostics} MentorDiagnostics
 * @typedef {import('../../../wasm/pathlight').MentorsResult} MentorsResult
 * @typedef {import('../../../wasm/pathlight').CatalogItem} CatalogItem
 */

/** @type {{seq: number, format: 'any' | import('../../../wasm/pathlight').OfferingFormat}} */
const view = { seq: 0, format: 'any' };
const FORMATS = /** @type {const} */ (['any', 'one_to_one', 'group']);

/**
 * The sentence above the mentors: the steps they are matched to (the engine's gap), or — with no
 * gap — why not: every goal chosen is reached (the engine's learner() goals), or none is chosen.
 * @param {App} app
 * @param {string[]} gap
 */
export function mentorsIntro(app, gap) {
  if (gap.length) return t('mentors.introGap', { n: gap.length, concepts: conceptList(app, gap) });
  const reached = (app.summary?.goals ?? []).filter((g) => g.reached).map((g) => g.id);
  return reached.length ? t('mentors.introReached', { goals: conceptList(app, reached) }) : t('mentors.introNoGap');
}

/** @param {App} app @param {HTMLElement} root @param {{keepFocus?: boolean}} [options] */
export async function render(app, root, { keepFocus } = {}) {
  const focusKey = keepFocus ? focusedKey(root) : null;
  const seq = ++view.seq;
  const header = make('div', { className: 'recs__header' }, [make('h1', { id: 'mentors-title', text: t('mentors.title') })]);
  if (!app.hasMentors) {
    root.replaceChildren(make('section', { className: 'panel', 'aria-labelledby': 'mentors-title', 'data-testid': 'mentors' }, [
      header, make('p', { className: 'message', 'data-testid': 'mentors-none', text: t('mentors.noneInCatalog') }),
    ]));
    return;
  }
  /** @type {MentorsResult | null} */
  let result = null;
  /** @type {any} */
  let error = null;
  try {
    result = await app.eng.mentors({ k: 8, format: view.format });
  } catch (e) {
    error = e;
  }
  if (seq !== view.seq) return;

  /** @param {string} action @param {CatalogItem} item @param {number} [value] */
  const run = (action, item, value) => actThenRender(app, root, () => perform(app, action, item, value),
    () => render(app, root, {}), () => root.querySelector('h1'));

  const gap = result?.gap ?? [];
  const intro = mentorsIntro(app, gap);
  const cards = (result?.items ?? []).map((m) => mentorCard(app, m, gap, run));
  root.replaceChildren(make('section', {
    className: 'panel', 'aria-labelledby': 'mentors-title', 'data-testid': 'mentors',
    dataset: { gap: gap.join(' '), diagnostics: result ? JSON.stringify(result.diagnostics) : '' },
  }, [
    header,
    make('p', { className: 'panel__intro', text: intro }),
    formatFilter(app, root),
    error ? make('p', { className: 'recs__error', role: 'alert', text: t('mentors.error', { message: error.message, code: error.code ?? 'error' }) }) : null,
    cards.length === 0 && result ? noMentorMessage(app, gap, result.diagnostics) : null,
    make('ul', { className: 'mentor-list' }, cards),
  ]));
  if (focusKey) restoreFocus(root, focusKey, null);
}

/**
 * The words beside the offering the engine books: with a budget, "within your budget" (the rule of
 * FitOfferings); an unpriced one is booked only when no open offering (within the budget) lists a price.
 * @param {{pricePerSeat: number | null}} o @param {boolean} budgeted
 */
function wouldBookKey(o, budgeted) {
  if (o.pricePerSeat === null) return budgeted ? 'mentors.wouldBookUnpriced' : 'mentors.wouldBookUnpricedNoBudget';
  return budgeted ? 'mentors.wouldBook' : 'mentors.wouldBookNoBudget';
}

/**
 * @param {App} app
 * @param {MentorMatch} match
 * @param {string[]} gap
 * @param {(action: string, item: CatalogItem, value?: number) => unknown} run
 */
function mentorCard(app, match, gap, run) {
  const m = /** @type {CatalogItem} */ (app.byId.get(match.id));
  const titleId = `mentor-${m.id}`;
  const expertise = Object.entries(m.expertise ?? {}).sort((a, b) => b[1] - a[1]);
  const coverage = Math.round(match.coverage * 100);
  return make('li', { className: 'mentor', 'data-testid': 'mentor-card', dataset: { id: m.id, item: m.id, covers: match.covers.join(' ') } }, [
    make('h2', { className: 'mentor__name', id: titleId, tabindex: '-1', text: m.title }),
    make('dl', { className: 'mentor__facts' }, [
      fact(t('mentors.rating'), (m.rating ?? 0) > 0 ? t('mentor.rating', { rating: (m.rating ?? 0).toFixed(1) }) : t('mentor.unrated')),
      fact(t('mentors.languages'), formatList((m.languages ?? []).map(languageName))),
      fact(t('mentors.coverage'), gap.length ? `${coverage}%` : '—'),
    ]),
    make('p', { className: 'mentor__label', text: t('mentors.offerings') }),
    make('ul', { className: 'plain-list mentor__offerings', 'data-testid': 'mentor-offerings' }, match.offerings.map((o) => make('li', {
      className: o.booked ? 'offering offering--booked' : `offering offering--${o.status}`,
      'data-testid': 'mentor-offering',
      dataset: { format: o.format, status: o.status, booked: String(o.booked), seats: String(o.seats), openSeats: String(o.openSeats), price: o.pricePerSeat === null ? '' : String(o.pricePerSeat) },
    }, [
      offeringSentence(o, getLocale(), formatMoney),
      // The engine's booking, said in words (not only a class): the offering whose price counts.
      // An unpriced one is booked only when no open offering within the budget lists a price
      // (FitOfferings): not "the cheapest".
      o.booked ? make('span', { className: 'offering__mark', text: ` — ${t(wouldBookKey(o, app.learner.prefs.budget !== null))}` }) : null,
    ]))),
    gap.length ? make('meter', { className: 'meter', min: '0', max: '100', value: String(coverage), 'aria-label': t('mentors.coverageLabel', { pct: coverage }) }) : null,
    make('p', { className: 'mentor__expertise' }, [
      make('span', { className: 'mentor__label', text: t('mentors.expertise') }), ' ',
      ...expertise.map(([c]) => make('span', { className: match.covers.includes(c) ? 'tag tag--match' : 'tag', text: app.conceptName(c, app.getLocale() === 'zh-CN') })),
    ]),
    whyBlock(app, match.reasons, t('mentors.why')),
    actionBar(app, m, run, { titleId, scope: 'mentor' }),
  ]);
}

/**
 * The format filter (any, one-to-one, group): the engine's `format` parameter; the list re-renders.
 * @param {App} app @param {HTMLElement} root
 */
function formatFilter(app, root) {
  const select = make('select', { id: 'mentor-format', 'data-testid': 'mentor-format' },
    FORMATS.map((f) => make('option', { value: f, text: t(`mentors.format.${f}`), selected: f === view.format })));
  select.addEventListener('change', () => {
    view.format = /** @type {typeof view.format} */ (/** @type {HTMLSelectElement} */ (select).value);
    render(app, root, { keepFocus: true });
  });
  return make('p', { className: 'mentor-filter' }, [make('label', { for: 'mentor-format', text: t('mentors.formatLabel') }), ' ', select]);
}

/**
 * The engine's diagnostics as phrases ("3 over your budget of $50.00", …): how many mentors
 * with expertise in the gap each filter left out (a mentor failing several counts under each).
 * @param {App} app
 * @param {MentorDiagnostics} d
 */
export function diagnosticsReasons(app, d) {
  const prefs = app.learner.prefs;
  const out = [];
  if (d.budget) out.push({ filter: 'budget', n: d.budget, text: t('mentors.filterBudget', { n: d.budget, budget: formatMoney(prefs.budget ?? 0, prefs.currency) }) });
  if (d.language) out.push({ filter: 'language', n: d.language, text: t('mentors.filterLanguage', { n: d.language, language: languageName(app.contentLanguage()) }) });
  if (d.capacity) out.push({ filter: 'capacity', n: d.capacity, text: t('mentors.filterCapacity', { n: d.capacity }) });
  if (d.dismissed) out.push({ filter: 'dismissed', n: d.dismissed, text: t('mentors.filterDismissed', { n: d.dismissed }) });
  if (d.format) out.push({ filter: 'format', n: d.format, text: t('mentors.filterFormat', { n: d.format, format: t(`mentors.format.${view.format}`) }) });
  return out;
}

/**
 * "No mentor fits", saying which filters removed them (the engine's diagnostics) or that nobody
 * knows the gap.
 * @param {App} app
 * @param {string[]} gap
 * @param {MentorDiagnostics} d
 */
function noMentorMessage(app, gap, d) {
  const box = make('div', { className: 'message', 'data-testid': 'mentors-empty', dataset: { diagnostics: JSON.stringify(d) } });
  if (d.experts === 0) {
    box.append(make('p', { 'data-filter': 'expertise', text: t('mentors.emptyNoExpertise', { n: gap.length, concepts: conceptList(app, gap) }) }));
    return box;
  }
  const reasons = diagnosticsReasons(app, d);
  box.append(
    make('p', { text: gap.length ? t('mentors.emptyFiltered', { total: d.experts }) : t('mentors.emptyAll', { total: d.experts }) }),
    make('ul', { className: 'plain-list', 'data-testid': 'mentors-empty-reasons' }, reasons.map((r) => make('li', { 'data-filter': r.filter, 'data-count': String(r.n), text: r.text }))),
  );
  // The engine counts a mentor under every filter it fails: say so when the counts add up to more
  // mentors than there are (helper-41 read 5 + 5 + 1 reasons for 6 mentors).
  if (reasons.reduce((sum, r) => sum + r.n, 0) > d.experts) box.append(make('p', { className: 'hint', text: t('mentors.missSeveral') }));
  if (reasons.some((r) => r.filter === 'budget' || r.filter === 'language')) box.append(make('a', { href: '#/profile', text: t('mentors.changeSettings') }));
  return box;
}
