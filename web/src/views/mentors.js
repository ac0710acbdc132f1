// Mentors matched to the learner's gap (the missing steps of their path): expertise coverage,
// price, rating, languages, open slots, and why each one fits.
import { make } from '../dom.js';
import { formatList, formatMoney, formatNumber, formatPrice, languageName, t } from '../i18n.js';
import { actThenRender, actionBar, conceptList, fact, focusedKey, perform, restoreFocus } from '../ui.js';

const view = { seq: 0 };

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
  let matches = [];
  let gap = [];
  let error = null;
  try {
    const goals = app.learner.prefs.goals.filter((g) => app.conceptById.has(g));
    if (goals.length) {
      const path = await app.engine.path(app.rankOptions({ goals }));
      gap = path.steps.filter((s) => s.state !== 'known').map((s) => s.concept);
    }
    matches = (await app.engine.mentors({ k: 8 })).mentors;
  } catch (e) {
    error = e;
  }
  if (seq !== view.seq) return;

  const run = (action, item, value) => actThenRender(app, root, () => perform(app, action, item, value),
    () => render(app, root, {}), () => root.querySelector('h1'));

  const intro = gap.length
    ? t('mentors.introGap', { n: gap.length, concepts: conceptList(app, gap) })
    : t('mentors.introNoGap');
  const cards = matches.map((m) => mentorCard(app, m, gap, run));
  root.replaceChildren(make('section', { className: 'panel', 'aria-labelledby': 'mentors-title', 'data-testid': 'mentors' }, [
    header,
    make('p', { className: 'panel__intro', text: intro }),
    error ? make('p', { className: 'recs__error', role: 'alert', text: t('mentors.error', { message: error.message, code: error.code ?? 'error' }) }) : null,
    cards.length === 0 && !error ? noMentorMessage(app, gap) : null,
    make('ul', { className: 'mentor-list' }, cards),
  ]));
  if (focusKey) restoreFocus(root, focusKey, null);
}

function mentorCard(app, match, gap, run) {
  const m = app.byId.get(match.id);
  const titleId = `mentor-${m.id}`;
  const reasons = [];
  if (match.covers.length) reasons.push(t('mentors.whyCovers', { n: match.covers.length, total: gap.length || match.covers.length, concepts: conceptList(app, match.covers) }));
  if (match.personal > 0.05) reasons.push(t('mentors.whyTaste'));
  if (app.contentLanguage() && match.speaksLanguage) reasons.push(t('mentors.whyLanguage', { language: languageName(app.contentLanguage()) }));
  if (app.learner.prefs.budget !== null && match.withinBudget) reasons.push(t('mentors.whyBudget'));
  if (m.rating >= 4.5) reasons.push(t('mentors.whyRating', { rating: m.rating.toFixed(1) }));
  if (reasons.length === 0) reasons.push(t('mentors.whyGeneral'));
  const expertise = Object.entries(m.expertise ?? {}).sort((a, b) => b[1] - a[1]);
  const coverage = Math.round(match.coverage * 100);
  return make('li', { className: 'mentor', 'data-testid': 'mentor-card', dataset: { id: m.id } }, [
    make('h2', { className: 'mentor__name', id: titleId, tabindex: '-1', text: m.title }),
    make('dl', { className: 'mentor__facts' }, [
      fact(t('mentors.price'), formatPrice(m)),
      fact(t('mentors.rating'), m.rating > 0 ? t('mentor.rating', { rating: m.rating.toFixed(1) }) : t('mentor.unrated')),
      fact(t('mentors.languages'), formatList((m.languages ?? []).map(languageName))),
      fact(t('mentors.slots'), formatNumber(m.capacity ?? 0)),
      fact(t('mentors.coverage'), gap.length ? `${coverage}%` : '—'),
    ]),
    gap.length ? make('meter', { className: 'meter', min: '0', max: '100', value: String(coverage), 'aria-label': t('mentors.coverageLabel', { pct: coverage }) }) : null,
    make('p', { className: 'mentor__expertise' }, [
      make('span', { className: 'mentor__label', text: t('mentors.expertise') }), ' ',
      ...expertise.map(([c]) => make('span', { className: match.covers.includes(c) ? 'tag tag--match' : 'tag', text: app.conceptName(c, app.getLocale() === 'zh-CN') })),
    ]),
    make('div', { className: 'why' }, [
      make('p', { className: 'why__label', text: t('mentors.why') }),
      make('ul', { className: 'why__list' }, reasons.map((r) => make('li', { text: r }))),
    ]),
    actionBar(app, m, run, { titleId, scope: 'mentor' }),
  ]);
}

/**
 * Why mentors are left out, counted over the catalog with the engine's own rules (core
 * Recommender::Mentors: expertise in a gap concept; then price ≤ budget when the price is known,
 * an open slot, a shared language; not dismissed). The engine's `mentors()` returns only the
 * mentors that pass, with no way to relax its filters from the API, so the app counts them.
 * A mentor can fail several filters and is counted under each.
 */
export function mentorFilters(app, gap) {
  const prefs = app.learner.prefs;
  const language = app.contentLanguage();
  const states = app.learner.itemStates();
  const mentors = app.items.filter((item) => item.kind === 'mentor');
  const experts = gap.length ? mentors.filter((m) => Object.keys(m.expertise ?? {}).some((c) => gap.includes(c))) : mentors;
  const count = (fails) => experts.filter(fails).length;
  return {
    mentors: mentors.length,
    experts: experts.length,
    budget: prefs.budget === null ? 0 : count((m) => Number.isFinite(m.price) && m.price > prefs.budget),
    language: language ? count((m) => m.language !== language && !(m.languages ?? []).includes(language)) : 0,
    capacity: count((m) => !(m.capacity > 0)),
    dismissed: count((m) => Boolean(states.get(m.id)?.dismissed)),
  };
}

/** The filters that removed mentors, as phrases ("3 over your budget of $50.00", …). */
export function mentorFilterReasons(app, f) {
  const prefs = app.learner.prefs;
  const out = [];
  if (f.budget) out.push({ filter: 'budget', text: t('mentors.filterBudget', { n: f.budget, budget: formatMoney(prefs.budget, prefs.currency) }) });
  if (f.language) out.push({ filter: 'language', text: t('mentors.filterLanguage', { n: f.language, language: languageName(app.contentLanguage()) }) });
  if (f.capacity) out.push({ filter: 'capacity', text: t('mentors.filterCapacity', { n: f.capacity }) });
  if (f.dismissed) out.push({ filter: 'dismissed', text: t('mentors.filterDismissed', { n: f.dismissed }) });
  return out;
}

/** "No mentor fits", saying which filter removed them (or that nobody knows the gap). */
function noMentorMessage(app, gap) {
  const f = mentorFilters(app, gap);
  const box = make('div', { className: 'message', 'data-testid': 'mentors-empty' });
  if (f.experts === 0) {
    box.append(make('p', { 'data-filter': 'expertise', text: t('mentors.emptyNoExpertise', { n: gap.length, concepts: conceptList(app, gap) }) }));
    return box;
  }
  const reasons = mentorFilterReasons(app, f);
  box.append(
    make('p', { text: gap.length ? t('mentors.emptyFiltered', { total: f.experts }) : t('mentors.emptyAll', { total: f.experts }) }),
    make('ul', { className: 'plain-list', 'data-testid': 'mentors-empty-reasons' }, reasons.map((r) => make('li', { 'data-filter': r.filter, text: r.text }))),
  );
  if (reasons.some((r) => r.filter === 'budget' || r.filter === 'language')) box.append(make('a', { href: '#/profile', text: t('mentors.changeSettings') }));
  return box;
}
