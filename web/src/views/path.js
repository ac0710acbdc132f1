// The learning path, as the engine lays it out (path()): the missing part of the prerequisite
// closure of the learner's goals, drawn as a graph (layout by dagre); each step known / taking /
// next / later with the engine's best item (never one the learner took) or the item they are taking;
// memberships that cover several steps (one the learner holds is acknowledged); the mentor for the
// hardest step, or why none fits (the engine's diagnostics); and the totals, where an unknown price
// or duration stays unknown. Every rendered claim carries its data (data-state, data-item, …).
import { Graph, layout } from '@dagrejs/dagre';
import { make, svg } from '../dom.js';
import { formatHours, formatList, formatMoney, formatNumber, formatPrice, getLocale, t } from '../i18n.js';
import { actThenRender, conceptLabel, conceptList, focusedKey, itemMeta, restoreFocus, whyBlock } from '../ui.js';
import { diagnosticsReasons } from './mentors.js';
import { offeringSentence } from '../../shared/wording.js';

/**
 * @typedef {import('../app.js').App} App
 * @typedef {import('../../../wasm/pathlight').LearningPath} LearningPath
 * @typedef {import('../../../wasm/pathlight').PathStep} PathStep
 * @typedef {import('../../../wasm/pathlight').PathTotals} PathTotals
 */

/** zoom: the drawing's scale chosen with its controls (1 = 100%), or null until the learner zooms. */
const view = { goal: 'all', seq: 0, zoom: /** @type {number | null} */ (null) };
const NODE_W = 196;
const NODE_H = 86;

/** @param {App} app @param {HTMLElement} root @param {{keepFocus?: boolean}} [options] */
export async function render(app, root, { keepFocus } = {}) {
  const focusKey = keepFocus ? focusedKey(root) : null;
  const seq = ++view.seq;
  const goals = app.learner.prefs.goals;
  const usable = goals.filter((g) => app.conceptById.has(g));
  const unknownGoals = goals.filter((g) => !app.conceptById.has(g));
  if (view.goal !== 'all' && !usable.includes(view.goal)) view.goal = 'all';

  /** @type {LearningPath | null} */
  let path = null;
  /** @type {any} */
  let error = null;
  if (usable.length > 0) {
    try {
      path = await app.eng.path(view.goal === 'all' ? { goals: usable } : { goals: [view.goal] });
    } catch (e) {
      error = e;
    }
  }
  if (seq !== view.seq) return;

  const header = make('div', { className: 'recs__header' }, [make('h1', { id: 'path-title', text: t('path.title') })]);
  /** @type {HTMLElement[]} */
  const parts = [header];

  if (unknownGoals.length > 0) {
    parts.push(make('div', { className: 'message message--warn', role: 'note', 'data-testid': 'path-unknown-goal' }, [
      make('p', { text: t('path.unknownGoal', { goals: formatList(unknownGoals), dataset: app.dataset }) }),
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
  if (error || !path) {
    parts.push(make('p', { className: 'recs__error', role: 'alert', text: t('path.error', { message: error?.message, code: error?.code ?? 'error' }) }));
    root.replaceChildren(make('section', { className: 'panel', 'aria-labelledby': 'path-title' }, parts));
    return;
  }

  if (usable.length > 1) {
    const select = make('select', { id: 'path-goal', 'data-fk': 'path-goal', 'data-testid': 'path-goal' }, [
      make('option', { value: 'all', text: t('path.allGoals'), selected: view.goal === 'all' }),
      ...usable.map((g) => make('option', { value: g, text: conceptLabel(app, g), selected: view.goal === g })),
    ]);
    select.addEventListener('change', async () => {
      view.goal = /** @type {HTMLSelectElement} */ (select).value;
      await render(app, root, { keepFocus: true });
    });
    parts.push(make('div', { className: 'inline-form' }, [make('label', { for: 'path-goal', text: t('path.goalLabel') }), select]));
  }

  const missing = path.steps.filter((s) => s.state !== 'known');
  /** @param {string} label @param {() => Promise<{id: string}[]>} fn */
  const act = (label, fn) => actThenRender(app, root, async () => ({ records: await fn(), message: label }),
    () => render(app, root, {}), () => root.querySelector('h1'));

  parts.push(summary(app, path, missing));
  parts.push(...pathMessages(app, path, missing));
  if (path.steps.length > 0) parts.push(graph(app, path));
  parts.push(stepList(app, path, act));
  if (path.memberships.length) parts.push(membershipBox(app, path));
  if (path.hardest) parts.push(mentorBox(app, path));

  root.replaceChildren(make('section', {
    className: 'panel path', 'aria-labelledby': 'path-title', 'data-testid': 'path',
    dataset: { goals: JSON.stringify(path.goals), hardest: path.hardest ?? '', unreachable: path.unreachable.join(' ') },
  }, parts));
  if (focusKey) restoreFocus(root, focusKey, null);
}

/**
 * Memberships that teach several missing steps, as the engine offers them: once each (not per
 * step), and one the learner holds acknowledged as theirs rather than offered again.
 * @param {App} app
 * @param {LearningPath} path
 */
function membershipBox(app, path) {
  const held = path.memberships.filter((m) => m.held);
  const offered = path.memberships.filter((m) => !m.held);
  const line = (/** @type {LearningPath['memberships'][number]} */ m) => {
    const item = app.byId.get(m.id);
    return make('p', { 'data-testid': 'path-membership-option', dataset: { id: m.id, item: m.id, held: String(m.held), covers: m.covers.join(' ') } }, [
      t(m.held ? 'path.membershipHeld' : 'path.membershipOption', {
        title: item?.title ?? m.id, price: item ? formatPrice(item, app.info?.priceUnits[item.kind]) : '', n: m.covers.length, concepts: conceptList(app, m.covers),
      }),
    ]);
  };
  return make('section', { className: 'mentor-box', 'aria-labelledby': 'membership-box-title', 'data-testid': 'path-membership' }, [
    make('h2', { id: 'membership-box-title', text: t(offered.length ? 'path.membershipTitle' : 'path.membershipHeldTitle') }),
    ...held.map(line),
    ...offered.map(line),
  ]);
}

/**
 * The engine's totals in words: the known part summed per currency, the unknown part counted —
 * "$85 + 1 price unknown", "unknown" when nothing is known, never $0.00 for unknown prices.
 * @param {PathTotals} totals
 */
export function totalPriceText(totals) {
  if (totals.items === 0) return t(totals.uncoveredSteps > 0 ? 'path.noneWithinFilters' : 'path.nothingToPay');
  const known = totals.price.map((p) => formatMoney(p.amount, p.currency));
  const monthly = totals.monthly.map((p) => formatMoney(p.amount, p.currency)).join(' + ');
  if (known.length === 0 && !monthly) return t('path.unknownTotal');
  let sum = known.join(' + ');
  if (monthly) sum = sum ? t('path.plusMonthly', { sum, monthly }) : t('path.monthlyOnly', { monthly });
  return totals.unpricedItems ? t('path.plusUnpriced', { sum, n: totals.unpricedItems }) : sum;
}

/**
 * The items of the totals whose price is unknown, in words: "not in the total" only when a total
 * is shown; null when there are none.
 * @param {PathTotals} totals
 */
export function unpricedText(totals) {
  if (totals.unpricedItems === 0) return null;
  return t(totals.price.length || totals.monthly.length ? 'path.unpriced' : 'path.unpricedNoTotal', { n: totals.unpricedItems });
}

/** @param {PathTotals} totals */
export function totalHoursText(totals) {
  if (totals.items === 0) return t(totals.uncoveredSteps > 0 ? 'path.noneWithinFilters' : 'path.nothingToPay');
  if (totals.items === totals.memberships) return t('path.onlyMonthly');
  if (totals.hours === null) return t('path.unknownTotal');
  const sum = t('hours.total', { hours: formatNumber(totals.hours) });
  return totals.untimedItems ? t('path.plusUntimed', { sum, n: totals.untimedItems }) : sum;
}

/** @param {App} app @param {LearningPath} path @param {PathStep[]} missing */
function summary(app, path, missing) {
  const { totals } = path;
  const weekly = app.learner.prefs.weeklyHours;
  /** @type {[string, string, string, Record<string, string>][]} */
  const stats = [
    [t('path.stepsToGo'), formatNumber(missing.length), 'path-steps-to-go', { steps: String(missing.length) }],
    [t('path.totalPrice'), totalPriceText(totals), 'path-total-price', { price: JSON.stringify(totals.price), unpriced: String(totals.unpricedItems), items: String(totals.items) }],
    [t('path.totalHours'), totalHoursText(totals), 'path-total-hours', { hours: String(totals.hours), untimed: String(totals.untimedItems), items: String(totals.items) }],
  ];
  if (totals.weeks !== null) stats.push([t('path.weeks'), t('path.weeksValue', { weeks: formatNumber(totals.weeks), hours: formatNumber(weekly) }), 'path-weeks', { weeks: String(totals.weeks) }]);
  // No number of weeks although the learner gave their weekly hours: the engine says why.
  const NO_WEEKS = { membership: 'path.noWeeksMembership', untimed: 'path.noWeeksUntimed', uncovered: 'path.noWeeksUncovered' };
  const noWeeks = (totals.weeksUnknown ?? []).map((why) => t(NO_WEEKS[why]));
  return make('div', { className: 'path-summary', 'data-testid': 'path-totals', dataset: { totals: JSON.stringify(totals) } }, [
    make('dl', { className: 'stats' }, stats.map(([label, value, testid, data]) => make('div', { className: 'stat', 'data-testid': testid, dataset: data }, [
      make('dt', { text: label }), make('dd', { text: value }),
    ]))),
    totals.items > 0 ? make('p', { className: 'hint', text: t('path.totalsNote', { n: totals.items }) }) : null,
    ((note) => (note ? make('p', { className: 'hint', text: note }) : null))(unpricedText(totals)),
    // The engine's hours are null when no one-off item has a duration: then there is no total to be left out of.
    totals.untimedItems > 0 ? make('p', { className: 'hint', text: t(totals.hours === null ? 'path.untimedAll' : 'path.untimed', { n: totals.untimedItems }) }) : null,
    totals.memberships > 0 ? make('p', { className: 'hint', text: t('path.memberships', { n: totals.memberships }) }) : null,
    // No item on any step: there are no "other steps" the totals are for.
    totals.uncoveredSteps > 0 ? make('p', { className: 'hint', text: t(totals.items === 0 ? 'path.uncoveredAll' : 'path.uncovered', { n: totals.uncoveredSteps }) }) : null,
    noWeeks.length ? make('p', { className: 'hint', 'data-testid': 'path-no-weeks', dataset: { why: totals.weeksUnknown.join(' ') }, text: t('path.noWeeks', { hours: formatNumber(weekly), why: formatList(noWeeks) }) }) : null,
  ]);
}

/** @param {App} app @param {LearningPath} path @param {PathStep[]} missing */
function pathMessages(app, path, missing) {
  const out = [];
  if (path.unreachable.length > 0) {
    out.push(make('div', { className: 'message message--warn', role: 'note', 'data-testid': 'path-unreachable', dataset: { concepts: path.unreachable.join(' ') } }, [
      make('p', { text: t('path.unreachable', { concepts: conceptList(app, path.unreachable) }) }),
      make('a', { href: '#/profile', text: t('path.loosenFilters') }),
    ]));
  }
  if (missing.length === 0) {
    out.push(make('p', { className: 'message message--ok', 'data-testid': 'path-done', text: t('path.allKnown', { goals: conceptList(app, path.goals.map((g) => g.id)) }) }));
  }
  return out;
}

/** The path as a drawing: dagre lays out the prerequisite edges among the steps. @param {App} app @param {LearningPath} path */
function graph(app, path) {
  const g = new Graph();
  g.setGraph({ rankdir: 'LR', nodesep: 18, ranksep: 36, marginx: 8, marginy: 8 });
  g.setDefaultEdgeLabel(() => ({}));
  const inPath = new Set(path.steps.map((s) => s.concept));
  const goals = new Set(path.goals.map((goal) => goal.id));
  // Names wrap onto as many lines as they need (never cut); item titles onto two, and every
  // node carries its full text as a tooltip (the list below the drawing has it too).
  const labels = new Map(path.steps.map((step) => {
    const shown = step.taking ?? step.item;
    const item = shown ? app.byId.get(shown) : null;
    const concept = wrapLines(conceptLabel(app, step.concept), CONCEPT_CHARS, Infinity);
    const itemText = step.state === 'known' ? '' : item ? item.title : t('path.noItemShort');
    const itemLines = itemText ? wrapLines(itemText, ITEM_CHARS, 2) : [];
    const height = PAD_Y + concept.length * CONCEPT_LINE + STATE_LINE + itemLines.length * ITEM_LINE + PAD_Y;
    return [step.concept, { item, concept, itemText, itemLines, height: Math.max(NODE_H, height) }];
  }));
  const labelOf = (/** @type {string} */ concept) => /** @type {NonNullable<ReturnType<typeof labels.get>>} */ (labels.get(concept));
  for (const step of path.steps) g.setNode(step.concept, { width: NODE_W, height: labelOf(step.concept).height });
  for (const step of path.steps) {
    for (const pre of app.conceptById.get(step.concept)?.prerequisites ?? []) {
      if (inPath.has(pre)) g.setEdge(pre, step.concept);
    }
  }
  layout(g);
  const { width, height } = g.graph();
  const edges = g.edges().map((e) => {
    const points = g.edge(e).points;
    const d = points.map((/** @type {{x: number, y: number}} */ p, /** @type {number} */ i) => `${i === 0 ? 'M' : 'L'}${p.x.toFixed(1)},${p.y.toFixed(1)}`).join(' ');
    return svg('path', { d, class: 'graph__edge', 'marker-end': 'url(#arrow)' });
  });
  const nodes = path.steps.map((step) => {
    const n = g.node(step.concept);
    const label = labelOf(step.concept);
    const x = n.x - NODE_W / 2;
    const y = n.y - label.height / 2;
    const classes = ['graph__node', `graph__node--${step.state}`];
    if (step.concept === path.hardest) classes.push('graph__node--hardest');
    const flags = [t(`path.state.${step.state}`)];
    if (goals.has(step.concept)) flags.push(t('path.goal'));
    if (step.concept === path.hardest) flags.push(t('path.hardest'));
    const full = t('path.nodeTitle', { concept: conceptLabel(app, step.concept), flags: flags.join(' · ') })
      + (label.item && step.state !== 'known' ? `\n${t(step.taking ? 'path.nodeTaking' : 'path.nodeItem', { title: label.item.title })}` : '');
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
    return svg('g', { class: classes.join(' '), transform: `translate(${x.toFixed(1)},${y.toFixed(1)})`, 'data-concept': step.concept, 'data-state': step.state }, [
      svg('title', { text: full }),
      svg('rect', { width: NODE_W, height: label.height, rx: 10 }),
      ...text,
    ]);
  });
  const titleId = 'path-graph-title';
  const drawing = svg('svg', {
    viewBox: `0 0 ${Math.ceil(width)} ${Math.ceil(height)}`,
    width: Math.ceil(width),
    height: Math.ceil(height),
    role: 'img',
    'aria-labelledby': titleId,
    class: 'graph__svg',
    'data-testid': 'path-graph-svg',
  }, [
        svg('title', { id: titleId, text: t('path.graphLabel', { n: path.steps.length, goals: conceptList(app, path.goals.map((goal) => goal.id)) }) }),
        svg('defs', {}, [
          svg('marker', { id: 'arrow', viewBox: '0 0 10 10', refX: 9, refY: 5, markerWidth: 7, markerHeight: 7, orient: 'auto-start-reverse' }, [
            svg('path', { d: 'M0,0 L10,5 L0,10 z', class: 'graph__arrow' }),
          ]),
        ]),
        ...edges,
        ...nodes,
  ]);
  const box = make('div', {
    className: 'graph__scroll', tabindex: '0', role: 'group', 'aria-label': t('path.graphScroll'), 'data-testid': 'path-graph-scroll',
  }, [drawing]);
  return make('figure', { className: 'graph', 'data-testid': 'path-graph' }, [
    zoomControls(box, drawing, Math.ceil(width), Math.ceil(height)),
    box,
    make('figcaption', { className: 'graph__legend' }, ['known', 'taking', 'next', 'later'].filter((state) => state !== 'taking' || path.steps.some((s) => s.state === 'taking')).map((state) => make('span', { className: `legend legend--${state}`, text: t(`path.legend.${state}`) }))),
  ]);
}

const ZOOM_STEP = 1.25;
const ZOOM_MAX = 2;
const PAN_STEP = 48; // px per arrow key press
const LABEL_PX = 12; // the drawing's smallest label (.graph__state, .graph__item in style.css)
const LABEL_MIN_PX = 11; // no label is shown smaller than this
const ZOOM_MIN = LABEL_MIN_PX / LABEL_PX; // ≈ 92%: the drawing is never shrunk further

/**
 * Zoom out / percentage / zoom in / whole path for the drawing, which scrolls in `box` (pan by
 * dragging, touch, or the arrow keys once it has focus). The drawing is never shrunk below
 * ZOOM_MIN, so every label stays at least LABEL_MIN_PX on screen. Until the learner zooms, it is
 * shrunk to fit when it can be at that size; otherwise it is shown at 100% and scrolled to the
 * first step to take. Where the whole drawing cannot fit readably (a phone), "Whole path" gives way
 * to the list of steps below it: the button says so ("All steps") and takes the learner there.
 * The scale is kept across re-renders of the path.
 * @param {HTMLElement} box @param {SVGElement} drawing @param {number} width @param {number} height
 *   the drawing's size at 100%, in CSS px
 */
function zoomControls(box, drawing, width, height) {
  const value = make('output', { className: 'graph__zoom-value', 'data-testid': 'path-zoom-value' });
  const button = (/** @type {string} */ text, /** @type {string} */ label, /** @type {string} */ testid, /** @type {() => number} */ next) => make('button', {
    type: 'button', className: 'action', text, 'aria-label': label, title: label, 'data-testid': testid, 'data-fk': testid,
    onClick: () => apply(next()),
  });
  // The scale at which the whole drawing fits the box's width (at most 100%).
  const fit = () => {
    const style = getComputedStyle(box);
    const inner = box.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight);
    return inner > 0 ? Math.min(1, inner / width) : 1;
  };
  // The smallest scale: the whole drawing, or the readable floor when that is smaller.
  const floor = () => Math.max(fit(), ZOOM_MIN);
  const readable = () => fit() >= ZOOM_MIN;
  const scale = () => (view.zoom === null ? (readable() ? fit() : 1) : Math.max(floor(), view.zoom));
  const out = button('−', t('path.zoomOut'), 'path-zoom-out', () => Math.max(floor(), scale() / ZOOM_STEP));
  const into = button('+', t('path.zoomIn'), 'path-zoom-in', () => Math.min(ZOOM_MAX, scale() * ZOOM_STEP));
  const whole = make('button', {
    type: 'button', className: 'action', 'data-testid': 'path-zoom-fit', 'data-fk': 'path-zoom-fit',
    onClick: () => {
      if (readable()) {
        apply(fit());
        return;
      }
      const steps = document.getElementById('steps-title');
      if (!steps) return;
      steps.tabIndex = -1;
      steps.scrollIntoView({ block: 'start' });
      steps.focus({ preventScroll: true });
    },
  });
  /** "Whole path" zooms to fit, or (where that would be unreadable) goes to the list of steps. */
  const wholeMode = () => {
    const mode = readable() ? 'fit' : 'list';
    if (whole.dataset.mode === mode) return;
    whole.dataset.mode = mode;
    whole.textContent = t(mode === 'fit' ? 'path.zoomFit' : 'path.zoomList');
    const label = t(mode === 'fit' ? 'path.zoomFitLabel' : 'path.zoomListLabel');
    whole.setAttribute('aria-label', label);
    whole.title = label;
  };
  let shown = 0;
  /** @param {number} next */
  const apply = (next) => {
    const before = shown;
    // Keep the point at the middle of the box where it is.
    const cx = before ? (box.scrollLeft + box.clientWidth / 2) / before : 0;
    const cy = before ? (box.scrollTop + box.clientHeight / 2) / before : 0;
    view.zoom = next;
    render(next);
    if (before) {
      box.scrollLeft = cx * next - box.clientWidth / 2;
      box.scrollTop = cy * next - box.clientHeight / 2;
    }
  };
  /** @param {number} k */
  const render = (k) => {
    shown = k;
    drawing.setAttribute('width', (width * k).toFixed(1));
    drawing.setAttribute('height', (height * k).toFixed(1));
    drawing.dataset.scale = k.toFixed(3);
    value.textContent = t('path.zoomValue', { pct: Math.round(k * 100) });
    /** @type {HTMLButtonElement} */ (out).disabled = k <= floor() + 1e-3;
    wholeMode();
    /** @type {HTMLButtonElement} */ (into).disabled = k >= ZOOM_MAX - 1e-3;
    box.classList.toggle('graph__scroll--pans', width * k > box.clientWidth);
  };
  // Sized once it is on the page, and again when the box changes width (rotation, resize).
  let first = true;
  const sizer = new ResizeObserver(() => {
    if (!first && !box.isConnected) sizer.disconnect(); // a newer render replaced this drawing
    if (!box.isConnected || box.clientWidth === 0) return;
    render(scale());
    if (first) {
      first = false;
      // Scrolled to the first step to take (the steps before it are known).
      const next = drawing.querySelector('.graph__node--next');
      if (next && width * shown > box.clientWidth) box.scrollLeft = next.getBoundingClientRect().left - drawing.getBoundingClientRect().left - 8;
    }
  });
  sizer.observe(box);
  // Dragging with a mouse pans (touch pans natively: the box scrolls).
  /** @type {{x: number, y: number, left: number, top: number} | null} */
  let drag = null;
  box.addEventListener('pointerdown', (event) => {
    if (event.pointerType !== 'mouse' || event.button !== 0) return;
    drag = { x: event.clientX, y: event.clientY, left: box.scrollLeft, top: box.scrollTop };
    box.setPointerCapture(event.pointerId);
  });
  box.addEventListener('pointermove', (event) => {
    if (!drag) return;
    box.scrollLeft = drag.left - (event.clientX - drag.x);
    box.scrollTop = drag.top - (event.clientY - drag.y);
  });
  // Left and right arrows pan by a step at once (the page itself never scrolls sideways);
  // up and down keep the browser's own scrolling.
  box.addEventListener('keydown', (event) => {
    const dx = { ArrowLeft: -PAN_STEP, ArrowRight: PAN_STEP }[event.key];
    if (!dx || event.target !== box || event.altKey || event.ctrlKey || event.metaKey) return;
    event.preventDefault();
    box.scrollBy({ left: dx, behavior: 'instant' });
  });
  const stop = () => { drag = null; };
  box.addEventListener('pointerup', stop);
  box.addEventListener('pointercancel', stop);
  // A toast never covers these controls (ui.js placeToast).
  return make('div', { className: 'graph__zoom', role: 'group', 'aria-label': t('path.zoomLabel'), 'data-toast-clear': '' }, [out, value, into, whole]);
}

const CONCEPT_CHARS = 21; // about the Latin characters that fit a node's width at 14px bold
const ITEM_CHARS = 26; // at 12px
const PAD_Y = 8;
const CONCEPT_LINE = 19;
const STATE_LINE = 20;
const ITEM_LINE = 17;

const isWide = (/** @type {string} */ ch) => /[\u2e80-\u9fff\uf900-\ufaff\uff00-\uffef]/.test(ch);
const widthOf = (/** @type {string} */ text) => [...text].reduce((w, ch) => w + (isWide(ch) ? 2 : 1), 0);

/**
 * Breaks `text` into lines of about `n` Latin characters of width (a CJK character counts as two,
 * and CJK text may break between any two characters); at most `maxLines`, the last one ending in
 * "…" when the text does not fit.
 * @param {string} text @param {number} n @param {number} maxLines
 * @returns {string[]}
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


/**
 * @param {App} app
 * @param {LearningPath} path
 * @param {(label: string, fn: () => Promise<{id: string}[]>) => unknown} act
 */
function stepList(app, path, act) {
  const goals = new Set(path.goals.map((g) => g.id));
  return make('section', { 'aria-labelledby': 'steps-title' }, [
    make('h2', { id: 'steps-title', text: t('path.steps') }),
    make('ol', { className: 'steps' }, path.steps.map((step) => {
      const item = step.item ? app.byId.get(step.item) : null;
      const taking = step.taking ? app.byId.get(step.taking) : null;
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
        if (item) {
          actions.push(make('button', {
            type: 'button',
            className: 'action action--primary',
            'data-fk': `step:${step.concept}:enroll`,
            'aria-describedby': titleId,
            text: t('path.enrollItem', { title: item.title }),
            onClick: () => act(t('toast.enrolled', { title: item.title }), async () => [await app.act('enroll', { item: item.id })]),
          }));
        }
      }
      const data = { state: step.state, concept: step.concept, item: step.item ?? '', taking: step.taking ?? '' };
      return make('li', { className: `step step--${step.state}`, 'data-testid': 'path-step', dataset: data }, [
        make('p', { className: 'step__head', id: titleId, tabindex: '-1', 'data-fk': `step:${step.concept}` }, [
          make('span', { className: `state state--${step.state}`, text: t(`path.state.${step.state}`) }),
          ' ',
          make('strong', { text: name }),
          goals.has(step.concept) ? make('span', { className: 'tag', text: t('path.goal') }) : null,
          step.concept === path.hardest ? make('span', { className: 'tag tag--hard', text: t('path.hardest') }) : null,
        ]),
        step.state === 'known' ? null
          : taking ? make('div', { className: 'step__item' }, [
            make('p', { className: 'step__item-title' }, [t('path.taking'), ' ', make('span', { className: 'step__title', text: taking.title })]),
            itemMeta(app, taking),
          ])
            : item ? make('div', { className: 'step__item' }, [
              make('p', { className: 'step__item-title' }, [t('path.bestItem'), ' ', make('span', { className: 'step__title', text: item.title })]),
              itemMeta(app, item),
              // No eligible item for this step can be started yet: what this one needs first.
              step.itemAlsoNeeds.length ? make('p', { className: 'hint', 'data-testid': 'path-item-needs', dataset: { concepts: step.itemAlsoNeeds.join(' ') },
                text: t('path.itemAlsoNeeds', { state: step.state, concepts: conceptList(app, step.itemAlsoNeeds) }) }) : null,
            ])
              : make('p', { className: 'hint', text: t('path.noItem') }),
        actions.length ? make('div', { className: 'actions' }, actions) : null,
      ]);
    })),
  ]);
}

/** @param {App} app @param {LearningPath} path */
function mentorBox(app, path) {
  const hardest = conceptLabel(app, /** @type {string} */ (path.hardest));
  const m = path.mentor ? app.byId.get(path.mentor.id) : null;
  if (!path.mentor || !m) {
    const d = path.mentorDiagnostics;
    const reasons = diagnosticsReasons(app, d);
    const text = !app.hasMentors ? t('mentors.noneInCatalog')
      : d.experts === 0 ? t('path.noMentorExpertise', { concept: hardest })
        // "(one mentor can miss several)" only when the counts add up to more mentors than know it.
        : reasons.length ? t('path.noMentorWhy', { concept: hardest, experts: d.experts, reasons: formatList(reasons.map((r) => r.text)),
          several: reasons.reduce((sum, r) => sum + r.n, 0) > d.experts }) : t('path.noMentor', { concept: hardest });
    return make('section', { className: 'mentor-box', 'aria-labelledby': 'mentor-box-title', 'data-testid': 'path-mentor', dataset: { diagnostics: JSON.stringify(d) } }, [
      make('h2', { id: 'mentor-box-title', text: t('path.mentorTitle', { concept: hardest }) }),
      make('p', { className: 'hint', 'data-testid': 'path-no-mentor', text }),
    ]);
  }
  return make('section', {
    className: 'mentor-box', 'aria-labelledby': 'mentor-box-title', 'data-testid': 'path-mentor',
    dataset: { id: m.id, item: m.id, covers: path.mentor.covers.join(' '), diagnostics: JSON.stringify(path.mentorDiagnostics) },
  }, [
    make('h2', { id: 'mentor-box-title', text: t('path.mentorTitle', { concept: hardest }) }),
    make('p', { className: 'mentor-box__name', text: m.title }),
    // The offering the engine would book (the one its budget and seat reasons are about), not the
    // mentor's one-to-one price: a group seat may be what fits the budget.
    make('p', { className: 'rec__meta', 'data-testid': 'path-mentor-booking' }, [
      (path.mentor.booking ? [path.mentor.booking] : path.mentor.offerings).map((o) => offeringSentence(o, getLocale(), formatMoney)).join('; '),
      ' · ', formatHours(m, app.info?.priceUnits[m.kind]),
    ]),
    whyBlock(app, path.mentor.reasons, t('mentors.why')),
    make('a', { href: '#/mentors', text: t('path.allMentors') }),
  ]);
}
