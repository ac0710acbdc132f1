// The learning path: the missing part of the prerequisite closure of the learner's goals, drawn as
// a graph (layout by dagre), each step known / next / later with its best personal item, the
// suggested mentor for the hardest step, and the total price and hours.
import { Graph, layout } from '@dagrejs/dagre';
import { make, svg } from '../dom.js';
import { formatHours, formatMoney, formatNumber, formatPrice, t } from '../i18n.js';
import { actThenRender, conceptLabel, conceptList, focusedKey, itemMeta, restoreFocus } from '../ui.js';

const view = { goal: 'all', seq: 0 };
const NODE_W = 196;
const NODE_H = 86;

export async function render(app, root, { keepFocus } = {}) {
  const focusKey = keepFocus ? focusedKey(root) : null;
  const seq = ++view.seq;
  const goals = app.learner.prefs.goals;
  const usable = goals.filter((g) => app.conceptById.has(g));
  const unknownGoals = goals.filter((g) => !app.conceptById.has(g));
  if (view.goal !== 'all' && !usable.includes(view.goal)) view.goal = 'all';

  let path = null;
  let error = null;
  if (usable.length > 0) {
    try {
      path = await app.engine.path(app.rankOptions({ goals: view.goal === 'all' ? usable : [view.goal] }));
    } catch (e) {
      error = e;
    }
  }
  if (seq !== view.seq) return;

  const header = make('div', { className: 'recs__header' }, [make('h1', { id: 'path-title', text: t('path.title') })]);
  const parts = [header];

  if (unknownGoals.length > 0) {
    parts.push(make('div', { className: 'message message--warn', role: 'note', 'data-testid': 'path-unknown-goal' }, [
      make('p', { text: t('path.unknownGoal', { goals: unknownGoals.join(', '), dataset: app.dataset }) }),
      make('a', { href: '#/profile', text: t('path.chooseGoals') }),
    ]));
  }
  if (usable.length === 0) {
    parts.push(make('div', { className: 'message', 'data-testid': 'path-no-goal' }, [
      make('p', { text: t('path.noGoal') }),
      make('a', { className: 'button', href: '#/profile', text: t('path.chooseGoals') }),
    ]));
    root.replaceChildren(make('section', { className: 'panel', 'aria-labelledby': 'path-title' }, parts));
    return;
  }
  if (error) {
    parts.push(make('p', { className: 'recs__error', role: 'alert', text: t('path.error', { message: error.message, code: error.code ?? 'error' }) }));
    root.replaceChildren(make('section', { className: 'panel', 'aria-labelledby': 'path-title' }, parts));
    return;
  }

  if (usable.length > 1) {
    const select = make('select', { id: 'path-goal', 'data-fk': 'path-goal', 'data-testid': 'path-goal' }, [
      make('option', { value: 'all', text: t('path.allGoals'), selected: view.goal === 'all' }),
      ...usable.map((g) => make('option', { value: g, text: conceptLabel(app, g), selected: view.goal === g })),
    ]);
    select.addEventListener('change', async () => {
      view.goal = select.value;
      await render(app, root, { keepFocus: true });
    });
    parts.push(make('div', { className: 'inline-form' }, [make('label', { for: 'path-goal', text: t('path.goalLabel') }), select]));
  }

  const missing = path.steps.filter((s) => s.state !== 'known');
  const act = (label, fn) => actThenRender(app, root, async () => ({ records: await fn(), message: label }),
    () => render(app, root, {}), () => root.querySelector('h1'));

  parts.push(summary(app, path, missing));
  parts.push(...pathMessages(app, path, missing));
  if (path.steps.length > 0) parts.push(graph(app, path));
  parts.push(stepList(app, path, act));
  if (path.hardest) parts.push(mentorBox(app, path));

  root.replaceChildren(make('section', { className: 'panel path', 'aria-labelledby': 'path-title', 'data-testid': 'path' }, parts));
  if (focusKey) restoreFocus(root, focusKey, null);
}

/**
 * Totals over the distinct best items of the missing steps that the learner has not enrolled in
 * or completed yet. (The engine's totalPrice/totalHours count an item once per step it is best
 * for, and include items already taken; see docs/APP.md.)
 */
export function pathTotals(app, missing) {
  const states = app.learner.itemStates();
  const ids = new Set(missing.map((s) => s.item).filter((id) => id && !states.get(id)?.enrolled && !states.get(id)?.completed));
  let price = 0;
  let hours = 0;
  let unpriced = 0;
  for (const id of ids) {
    const item = app.byId.get(id);
    if (!item) continue;
    if (Number.isFinite(item.price)) price += item.price;
    else unpriced += 1;
    if (Number.isFinite(item.hours)) hours += item.hours;
  }
  return { price, hours, unpriced, items: ids.size };
}

function summary(app, path, missing) {
  const currency = app.currencies[0] ?? 'USD';
  const weekly = app.learner.prefs.weekly_hours;
  const totals = pathTotals(app, missing);
  const stats = [
    [t('path.stepsToGo'), formatNumber(missing.length), 'path-steps-to-go'],
    [t('path.totalPrice'), formatMoney(totals.price, currency), 'path-total-price'],
    [t('path.totalHours'), t('hours.total', { hours: formatNumber(totals.hours) }), 'path-total-hours'],
  ];
  if (weekly > 0 && totals.hours > 0) stats.push([t('path.weeks'), t('path.weeksValue', { weeks: formatNumber(Math.ceil(totals.hours / weekly)), hours: formatNumber(weekly) }), 'path-weeks']);
  return make('div', { className: 'path-summary' }, [
    make('dl', { className: 'stats' }, stats.flatMap(([label, value, testid]) => [
      make('div', { className: 'stat', 'data-testid': testid }, [make('dt', { text: label }), make('dd', { text: value })]),
    ])),
    totals.items > 0 ? make('p', { className: 'hint', text: t('path.totalsNote', { n: totals.items }) }) : null,
    totals.unpriced > 0 ? make('p', { className: 'hint', text: t('path.unpriced', { n: totals.unpriced }) }) : null,
  ]);
}

function pathMessages(app, path, missing) {
  const out = [];
  if (path.unreachable.length > 0) {
    out.push(make('div', { className: 'message message--warn', role: 'note', 'data-testid': 'path-unreachable' }, [
      make('p', { text: t('path.unreachable', { concepts: conceptList(app, path.unreachable) }) }),
      make('a', { href: '#/profile', text: t('path.loosenFilters') }),
    ]));
  }
  if (missing.length === 0) {
    out.push(make('p', { className: 'message message--ok', 'data-testid': 'path-done', text: t('path.allKnown', { goals: conceptList(app, path.goals) }) }));
  }
  return out;
}

/** The path as a drawing: dagre lays out the prerequisite edges among the steps. */
function graph(app, path) {
  const g = new Graph();
  g.setGraph({ rankdir: 'LR', nodesep: 18, ranksep: 36, marginx: 8, marginy: 8 });
  g.setDefaultEdgeLabel(() => ({}));
  const inPath = new Set(path.steps.map((s) => s.concept));
  for (const step of path.steps) g.setNode(step.concept, { width: NODE_W, height: NODE_H });
  for (const step of path.steps) {
    for (const pre of app.conceptById.get(step.concept)?.prerequisites ?? []) {
      if (inPath.has(pre)) g.setEdge(pre, step.concept);
    }
  }
  layout(g);
  const { width, height } = g.graph();
  const edges = g.edges().map((e) => {
    const points = g.edge(e).points;
    const d = points.map((p, i) => `${i === 0 ? 'M' : 'L'}${p.x.toFixed(1)},${p.y.toFixed(1)}`).join(' ');
    return svg('path', { d, class: 'graph__edge', 'marker-end': 'url(#arrow)' });
  });
  const goals = new Set(path.goals);
  const nodes = path.steps.map((step) => {
    const n = g.node(step.concept);
    const x = n.x - NODE_W / 2;
    const y = n.y - NODE_H / 2;
    const item = step.item ? app.byId.get(step.item) : null;
    const classes = ['graph__node', `graph__node--${step.state}`];
    if (step.concept === path.hardest) classes.push('graph__node--hardest');
    const flags = [t(`path.state.${step.state}`)];
    if (goals.has(step.concept)) flags.push(t('path.goal'));
    if (step.concept === path.hardest) flags.push(t('path.hardest'));
    return svg('g', { class: classes.join(' '), transform: `translate(${x.toFixed(1)},${y.toFixed(1)})`, 'data-concept': step.concept }, [
      svg('rect', { width: NODE_W, height: NODE_H, rx: 10 }),
      svg('text', { x: 12, y: 24, class: 'graph__concept', text: clip(conceptLabel(app, step.concept), 21) }),
      svg('text', { x: 12, y: 46, class: 'graph__state', text: flags.join(' · ') }),
      svg('text', { x: 12, y: 70, class: 'graph__item', text: step.state === 'known' ? '' : item ? clip(item.title, 29) : t('path.noItemShort') }),
    ]);
  });
  const titleId = 'path-graph-title';
  return make('figure', { className: 'graph', 'data-testid': 'path-graph' }, [
    make('div', { className: 'graph__scroll' }, [
      svg('svg', {
        viewBox: `0 0 ${Math.ceil(width)} ${Math.ceil(height)}`,
        width: Math.ceil(width),
        height: Math.ceil(height),
        role: 'img',
        'aria-labelledby': titleId,
        class: 'graph__svg',
      }, [
        svg('title', { id: titleId, text: t('path.graphLabel', { n: path.steps.length, goals: conceptList(app, path.goals) }) }),
        svg('defs', {}, [
          svg('marker', { id: 'arrow', viewBox: '0 0 10 10', refX: 9, refY: 5, markerWidth: 7, markerHeight: 7, orient: 'auto-start-reverse' }, [
            svg('path', { d: 'M0,0 L10,5 L0,10 z', class: 'graph__arrow' }),
          ]),
        ]),
        ...edges,
        ...nodes,
      ]),
    ]),
    make('figcaption', { className: 'graph__legend' }, ['known', 'next', 'later'].map((state) => make('span', { className: `legend legend--${state}`, text: t(`path.legend.${state}`) }))),
  ]);
}

/** Shortens `text` to about `n` Latin characters of width (a CJK character counts as two). */
function clip(text, n) {
  let width = 0;
  let out = '';
  for (const ch of text) {
    width += /[\u2e80-\u9fff\uf900-\ufaff\uff00-\uffef]/.test(ch) ? 2 : 1;
    if (width > n - 1) return `${out}…`;
    out += ch;
  }
  return text;
}

function stepList(app, path, act) {
  const goals = new Set(path.goals);
  return make('section', { 'aria-labelledby': 'steps-title' }, [
    make('h2', { id: 'steps-title', text: t('path.steps') }),
    make('ol', { className: 'steps' }, path.steps.map((step) => {
      const item = step.item ? app.byId.get(step.item) : null;
      const name = conceptLabel(app, step.concept);
      const titleId = `step-${step.concept}`;
      const actions = [];
      if (step.state !== 'known') {
        actions.push(make('button', {
          type: 'button',
          className: 'action',
          'data-fk': `step:${step.concept}:know`,
          'aria-describedby': titleId,
          text: t('path.knowStep'),
          onClick: () => act(t('toast.known', { concepts: name }), async () => [await app.act('know_concept', { concept: step.concept })]),
        }));
        if (item && !app.learner.itemStates().get(item.id)?.enrolled) {
          actions.push(make('button', {
            type: 'button',
            className: 'action action--primary',
            'data-fk': `step:${step.concept}:enroll`,
            'aria-describedby': titleId,
            text: t('path.enrollItem'),
            onClick: () => act(t('toast.enrolled', { title: item.title }), async () => [await app.act('enroll', { item: item.id })]),
          }));
        }
      }
      return make('li', { className: `step step--${step.state}`, 'data-testid': 'path-step', dataset: { state: step.state, concept: step.concept } }, [
        make('p', { className: 'step__head', id: titleId }, [
          make('span', { className: `state state--${step.state}`, text: t(`path.state.${step.state}`) }),
          ' ',
          make('strong', { text: name }),
          goals.has(step.concept) ? make('span', { className: 'tag', text: t('path.goal') }) : null,
          step.concept === path.hardest ? make('span', { className: 'tag tag--hard', text: t('path.hardest') }) : null,
        ]),
        step.state === 'known' ? null
          : item ? make('div', { className: 'step__item' }, [
            make('p', { className: 'step__item-title' }, [
              t('path.bestItem'), ' ', make('span', { className: 'step__title', text: item.title }),
              app.learner.itemStates().get(item.id)?.enrolled ? make('span', { className: 'tag tag--match', text: t('path.enrolled') }) : null,
            ]),
            itemMeta(item),
          ])
            : make('p', { className: 'hint', text: t('path.noItem') }),
        actions.length ? make('div', { className: 'actions' }, actions) : null,
      ]);
    })),
  ]);
}

function mentorBox(app, path) {
  const hardest = conceptLabel(app, path.hardest);
  const m = path.mentor ? app.byId.get(path.mentor.id) : null;
  if (!m) {
    return make('section', { className: 'mentor-box', 'aria-labelledby': 'mentor-box-title', 'data-testid': 'path-mentor' }, [
      make('h2', { id: 'mentor-box-title', text: t('path.mentorTitle', { concept: hardest }) }),
      make('p', { className: 'hint', text: app.hasMentors ? t('path.noMentor', { concept: hardest }) : t('mentors.noneInCatalog') }),
    ]);
  }
  return make('section', { className: 'mentor-box', 'aria-labelledby': 'mentor-box-title', 'data-testid': 'path-mentor' }, [
    make('h2', { id: 'mentor-box-title', text: t('path.mentorTitle', { concept: hardest }) }),
    make('p', { className: 'mentor-box__name', text: m.title }),
    make('p', { className: 'rec__meta' }, [formatPrice(m), ' · ', formatHours(m)]),
    make('p', { text: t('path.mentorCovers', { concepts: conceptList(app, path.mentor.covers) }) }),
    make('a', { href: '#/mentors', text: t('path.allMentors') }),
  ]);
}
