// The learning path: the missing part of the prerequisite closure of the learner's goals, drawn as
// a graph (layout by dagre), each step known / next / later with its best personal item, the
// suggested mentor for the hardest step, and the total price and hours.
import { Graph, layout } from '@dagrejs/dagre';
import { make, svg } from '../dom.js';
import { formatHours, formatList, formatMoney, formatNumber, formatPrice, t } from '../i18n.js';
import { mentorFilterReasons, mentorFilters } from './mentors.js';
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
  let memberships = [];
  if (path) {
    try {
      ({ path, memberships } = await preferCourses(app, path, view.goal === 'all' ? usable : [view.goal]));
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
  if (memberships.length) parts.push(membershipBox(app, memberships));
  if (path.hardest) parts.push(mentorBox(app, path));

  root.replaceChildren(make('section', { className: 'panel path', 'aria-labelledby': 'path-title', 'data-testid': 'path' }, parts));
  if (focusKey) restoreFocus(root, focusKey, null);
}

/**
 * A membership is often the engine's best item for several steps at once. Per step the app
 * shows a course or e-book instead (the engine's path with `kinds: course, ebook`; a step that
 * none teaches keeps the membership) and offers each such membership once, as an option covering
 * the steps it teaches. Returns {path (steps with the items shown), memberships: [{item, concepts}]}.
 */
export async function preferCourses(app, path, goals) {
  const isMembership = (id) => app.byId.get(id)?.kind === 'membership';
  const missing = path.steps.filter((s) => s.state !== 'known');
  if (!missing.some((s) => s.item && isMembership(s.item))) return { path, memberships: [] };
  const alt = await app.engine.path(app.rankOptions({ goals, kinds: ['course', 'ebook'] }));
  const altItem = new Map(alt.steps.map((s) => [s.concept, s.item]));
  const replaced = new Map(); // membership id → concepts it teaches among the missing steps
  const steps = path.steps.map((step) => {
    if (step.state === 'known' || !step.item || !isMembership(step.item) || !altItem.get(step.concept)) return step;
    if (!replaced.has(step.item)) {
      const teaches = new Set(app.byId.get(step.item).teaches);
      replaced.set(step.item, missing.filter((s) => teaches.has(s.concept)).map((s) => s.concept));
    }
    return { ...step, item: altItem.get(step.concept), membership: step.item };
  });
  const memberships = [...replaced].map(([id, concepts]) => ({ item: app.byId.get(id), concepts }));
  return { path: { ...path, steps }, memberships };
}

function membershipBox(app, memberships) {
  return make('section', { className: 'mentor-box', 'aria-labelledby': 'membership-box-title', 'data-testid': 'path-membership' },
    [make('h2', { id: 'membership-box-title', text: t('path.membershipTitle') }),
      ...memberships.map(({ item, concepts }) => make('p', { dataset: { id: item.id } }, [t('path.membershipOption', {
        title: item.title, price: formatPrice(item), n: concepts.length, concepts: conceptList(app, concepts),
      })]))]);
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
  const goals = new Set(path.goals);
  // Names wrap onto as many lines as they need (never cut); item titles onto two, and every
  // node carries its full text as a tooltip (the list below the drawing has it too).
  const labels = new Map(path.steps.map((step) => {
    const item = step.item ? app.byId.get(step.item) : null;
    const concept = wrapLines(conceptLabel(app, step.concept), CONCEPT_CHARS, Infinity);
    const itemText = step.state === 'known' ? '' : item ? item.title : t('path.noItemShort');
    const itemLines = itemText ? wrapLines(itemText, ITEM_CHARS, 2) : [];
    const height = PAD_Y + concept.length * CONCEPT_LINE + STATE_LINE + itemLines.length * ITEM_LINE + PAD_Y;
    return [step.concept, { item, concept, itemText, itemLines, height: Math.max(NODE_H, height) }];
  }));
  for (const step of path.steps) g.setNode(step.concept, { width: NODE_W, height: labels.get(step.concept).height });
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
  const nodes = path.steps.map((step) => {
    const n = g.node(step.concept);
    const label = labels.get(step.concept);
    const x = n.x - NODE_W / 2;
    const y = n.y - label.height / 2;
    const classes = ['graph__node', `graph__node--${step.state}`];
    if (step.concept === path.hardest) classes.push('graph__node--hardest');
    const flags = [t(`path.state.${step.state}`)];
    if (goals.has(step.concept)) flags.push(t('path.goal'));
    if (step.concept === path.hardest) flags.push(t('path.hardest'));
    const full = t('path.nodeTitle', { concept: conceptLabel(app, step.concept), flags: flags.join(' · ') })
      + (label.item && step.state !== 'known' ? `\n${t('path.nodeItem', { title: label.item.title })}` : '');
    let line = PAD_Y;
    const text = [];
    for (const part of label.concept) {
      line += CONCEPT_LINE;
      text.push(svg('text', { x: 12, y: line - 5, class: 'graph__concept', text: part }));
    }
    line += STATE_LINE;
    text.push(svg('text', { x: 12, y: line - 5, class: 'graph__state', text: flags.join(' · ') }));
    for (const part of label.itemLines) {
      line += ITEM_LINE;
      text.push(svg('text', { x: 12, y: line - 4, class: 'graph__item', text: part }));
    }
    return svg('g', { class: classes.join(' '), transform: `translate(${x.toFixed(1)},${y.toFixed(1)})`, 'data-concept': step.concept }, [
      svg('title', { text: full }),
      svg('rect', { width: NODE_W, height: label.height, rx: 10 }),
      ...text,
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

const CONCEPT_CHARS = 21; // about the Latin characters that fit a node's width at 14px bold
const ITEM_CHARS = 26; // at 12px
const PAD_Y = 8;
const CONCEPT_LINE = 19;
const STATE_LINE = 20;
const ITEM_LINE = 17;

const isWide = (ch) => /[\u2e80-\u9fff\uf900-\ufaff\uff00-\uffef]/.test(ch);
const widthOf = (text) => [...text].reduce((w, ch) => w + (isWide(ch) ? 2 : 1), 0);

/**
 * Breaks `text` into lines of about `n` Latin characters of width (a CJK character counts as two,
 * and CJK text may break between any two characters); at most `maxLines`, the last one ending in
 * "…" when the text does not fit.
 */
export function wrapLines(text, n, maxLines) {
  const tokens = text.match(/[\u2e80-\u9fff\uf900-\ufaff\uff00-\uffef]|[^\s\u2e80-\u9fff\uf900-\ufaff\uff00-\uffef]+|\s+/g) ?? [];
  const lines = [];
  let current = '';
  for (const token of tokens) {
    if (/^\s+$/.test(token)) {
      if (current) current += ' ';
      continue;
    }
    if (current && widthOf(current + token) > n) {
      lines.push(current.trimEnd());
      current = '';
    }
    let rest = token;
    while (widthOf(rest) > n) { // a word longer than a line: break it
      let cut = '';
      for (const ch of rest) {
        if (widthOf(cut + ch) > n - 1) break;
        cut += ch;
      }
      lines.push(`${cut}-`);
      rest = rest.slice(cut.length);
    }
    current += rest;
  }
  if (current.trim()) lines.push(current.trimEnd());
  if (lines.length <= maxLines) return lines;
  const kept = lines.slice(0, maxLines);
  let last = kept[maxLines - 1];
  while (last && widthOf(last) > n - 1) last = [...last].slice(0, -1).join('');
  kept[maxLines - 1] = `${last.trimEnd()}…`;
  return kept;
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

/** Why no mentor is suggested for the hardest step: nobody knows it, or which filters left them out. */
function noMentorText(app, concept, name) {
  const f = mentorFilters(app, [concept]);
  if (f.experts === 0) return t('path.noMentorExpertise', { concept: name });
  const reasons = mentorFilterReasons(app, f);
  return reasons.length ? t('path.noMentorWhy', { concept: name, reasons: formatList(reasons.map((r) => r.text)) }) : t('path.noMentor', { concept: name });
}

function mentorBox(app, path) {
  const hardest = conceptLabel(app, path.hardest);
  const m = path.mentor ? app.byId.get(path.mentor.id) : null;
  if (!m) {
    return make('section', { className: 'mentor-box', 'aria-labelledby': 'mentor-box-title', 'data-testid': 'path-mentor' }, [
      make('h2', { id: 'mentor-box-title', text: t('path.mentorTitle', { concept: hardest }) }),
      make('p', { className: 'hint', 'data-testid': 'path-no-mentor', text: app.hasMentors ? noMentorText(app, path.hardest, hardest) : t('mentors.noneInCatalog') }),
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
