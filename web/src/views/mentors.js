// Mentors matched to the learner's gap (the missing steps of their path): expertise coverage,
// price, rating, languages, open slots, and why each one fits.
import { make } from '../dom.js';
import { formatList, formatNumber, formatPrice, languageName, t } from '../i18n.js';
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
    ? t('mentors.introGap', { n: gap.length, concepts: conceptList(app, gap.slice(0, 6)) })
    : t('mentors.introNoGap');
  const cards = matches.map((m) => mentorCard(app, m, gap, run));
  root.replaceChildren(make('section', { className: 'panel', 'aria-labelledby': 'mentors-title', 'data-testid': 'mentors' }, [
    header,
    make('p', { className: 'panel__intro', text: intro }),
    error ? make('p', { className: 'recs__error', role: 'alert', text: t('mentors.error', { message: error.message, code: error.code ?? 'error' }) }) : null,
    cards.length === 0 && !error ? make('div', { className: 'message', 'data-testid': 'mentors-empty' }, [
      make('p', { text: t('mentors.empty') }),
      make('a', { href: '#/profile', text: t('path.loosenFilters') }),
    ]) : null,
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
  if (app.learner.prefs.language && match.speaksLanguage) reasons.push(t('mentors.whyLanguage', { language: languageName(app.learner.prefs.language) }));
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
