// Pathlight learner app: search the catalog, pick what you liked, see your top 10.
// Every recommendation is computed in this tab by the WASM engine (contract: wasm/pathlight.d.ts).
// The learner's picks live only in memory (`state.picked`); nothing is sent anywhere.

const MAX_RESULTS = 20;
const TOP_K = 10;
const DEFAULT_DATASET = 'demo';
const DATASET_PATTERN = /^[a-z0-9][a-z0-9_-]{0,63}$/;

const KIND_LABELS = {
  course: 'Course',
  ebook: 'E-book',
  consultation: 'Consultation',
  membership: 'Membership',
  mentor: 'Mentor',
};
const LEVEL_LABELS = {
  beginner: 'Beginner',
  intermediate: 'Intermediate',
  advanced: 'Advanced',
  all: 'All levels',
};
// Price units per kind (see CatalogItem.price in pathlight.d.ts).
const PRICE_SUFFIX = { consultation: ' / hour', mentor: ' / hour', membership: ' / month' };

const $ = (id) => document.getElementById(id);
const el = {
  banner: $('dataset-banner'),
  loading: $('loading'),
  progress: $('progress'),
  progressText: $('progress-text'),
  error: $('error'),
  errorMessage: $('error-message'),
  reload: $('reload'),
  app: $('app'),
  search: $('search'),
  searchStatus: $('search-status'),
  results: $('search-results'),
  picked: $('picked'),
  pickedEmpty: $('picked-empty'),
  recs: $('recommendations'),
  recsStatus: $('recs-status'),
  recsEmpty: $('recs-empty'),
  recsError: $('recs-error'),
  recsList: $('recs-list'),
};

const state = {
  engine: null,
  items: [],
  byId: new Map(),
  searchKeys: [], // normalized titles, parallel to `items`
  picked: [], // item ids in pick order (memory only)
  recommendSeq: 0,
};

// ---------- formatting ----------

const numberFormat = new Intl.NumberFormat(undefined, { maximumFractionDigits: 1 });
const currencyFormats = new Map();

function formatPrice(item) {
  if (item.price === null || item.price === undefined || !Number.isFinite(item.price)) {
    return 'price unknown';
  }
  if (item.price === 0) return 'Free';
  let format = currencyFormats.get(item.currency);
  if (!format) {
    try {
      format = new Intl.NumberFormat(undefined, { style: 'currency', currency: item.currency });
    } catch {
      format = null; // not an ISO 4217 code this browser knows
    }
    currencyFormats.set(item.currency, format);
  }
  const amount = format ? format.format(item.price) : `${item.price} ${item.currency}`;
  return amount + (PRICE_SUFFIX[item.kind] ?? '');
}

function formatHours(item) {
  if (!Number.isFinite(item.hours) || item.hours <= 0) return 'hours unknown';
  const hours = `${numberFormat.format(item.hours)} h`;
  if (item.kind === 'mentor' || item.kind === 'consultation') return `${hours} session`;
  if (item.kind === 'membership') return `${hours} / month`;
  return hours;
}

function formatBytes(bytes) {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${numberFormat.format(bytes / 1024)} KB`;
  return `${numberFormat.format(bytes / (1024 * 1024))} MB`;
}

// Lower-case and strip accents so "Análisis" matches "analisis".
function normalize(text) {
  return text.normalize('NFD').replace(/\p{M}/gu, '').toLocaleLowerCase();
}

function make(tag, props = {}, children = []) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(props)) {
    if (key === 'text') node.textContent = value;
    else if (key === 'className') node.className = value;
    else if (key === 'dataset') Object.assign(node.dataset, value);
    else node.setAttribute(key, value);
  }
  for (const child of children) node.append(child);
  return node;
}

// ---------- loading ----------

function datasetFromUrl() {
  const value = new URLSearchParams(window.location.search).get('dataset');
  return value === null || value === '' ? DEFAULT_DATASET : value;
}

function onProgress(loaded, total) {
  if (total > 0) {
    el.progress.max = total;
    el.progress.value = Math.min(loaded, total);
    el.progressText.textContent = `${formatBytes(loaded)} of ${formatBytes(total)}`;
  } else {
    el.progress.removeAttribute('value'); // indeterminate
    el.progressText.textContent = `${formatBytes(loaded)} downloaded`;
  }
}

class LoadError extends Error {
  constructor(code, message, cause) {
    super(message, { cause });
    this.code = code;
  }
}

async function loadEngine() {
  const url = new URL('engine/pathlight.js', document.baseURI).href;
  try {
    return await import(/* @vite-ignore */ url);
  } catch (cause) {
    throw new LoadError('engine_load_failed', `the engine module ${url} did not load`, cause);
  }
}

function showError(error) {
  console.error('Pathlight: the model bundle could not be loaded', error);
  const code = error?.code ?? 'unknown_error';
  const message = error?.message || String(error);
  el.errorMessage.textContent = `The model bundle could not be loaded: ${message} (${code})`;
  el.error.dataset.code = code;
  el.loading.hidden = true;
  el.app.hidden = true;
  el.error.hidden = false;
}

function showBanner(dataset) {
  if (dataset === 'demo') {
    el.banner.textContent = 'Demo data — fictional catalog';
    el.banner.dataset.testid = 'demo-banner';
    el.banner.classList.add('dataset-banner--demo');
  } else {
    el.banner.textContent = `Dataset: ${dataset}`;
    el.banner.dataset.testid = 'dataset-banner';
  }
  el.banner.hidden = false;
}

async function start() {
  el.reload.addEventListener('click', () => window.location.reload());
  const dataset = datasetFromUrl();
  try {
    if (!DATASET_PATTERN.test(dataset)) {
      throw new LoadError('invalid_argument', `"${dataset}" is not a dataset name`);
    }
    const { createPathlight } = await loadEngine();
    const engine = await createPathlight({
      bundleUrl: `bundles/${dataset}/manifest.json`,
      onProgress,
    });
    state.engine = engine;
    setCatalog(await engine.items());
    window.addEventListener('pagehide', (event) => {
      if (!event.persisted) engine.delete();
    });
    showBanner(engine.info.dataset);
  } catch (error) {
    showError(error);
    return;
  }
  el.loading.hidden = true;
  el.app.hidden = false;
  document.documentElement.dataset.ready = 'true';
  renderResults();
  renderPicked();
  updateRecommendations();
}

function setCatalog(items) {
  state.items = items;
  state.byId = new Map(items.map((item) => [item.id, item]));
  state.searchKeys = items.map((item) => normalize(item.title));
  el.search.placeholder = `Search ${items.length.toLocaleString()} titles, e.g. python`;
}

// ---------- search ----------

function search(query) {
  const terms = normalize(query).split(/\s+/).filter(Boolean);
  if (terms.length === 0) return { matches: [], total: 0 };
  const prefixed = [];
  const other = [];
  state.items.forEach((item, i) => {
    const key = state.searchKeys[i];
    if (!terms.every((term) => key.includes(term))) return;
    // Titles with a word starting with the first term come first.
    const wordStart = key.startsWith(terms[0]) || key.includes(` ${terms[0]}`);
    (wordStart ? prefixed : other).push(item);
  });
  const all = prefixed.concat(other);
  return { matches: all.slice(0, MAX_RESULTS), total: all.length };
}

function renderResults() {
  const query = el.search.value.trim();
  const { matches, total } = search(query);
  const pickedSet = new Set(state.picked);
  el.results.replaceChildren(
    ...matches.map((item) => {
      const picked = pickedSet.has(item.id);
      const button = make(
        'button',
        {
          type: 'button',
          className: 'result',
          'aria-pressed': String(picked),
          'data-testid': 'search-result',
          dataset: { id: item.id },
        },
        [
          make('span', { className: 'result__check', 'aria-hidden': 'true', text: picked ? '✓' : '+' }),
          make('span', { className: 'result__title', text: item.title }),
          make('span', { className: `kind kind--${item.kind}`, text: KIND_LABELS[item.kind] ?? item.kind }),
        ],
      );
      button.addEventListener('click', () => togglePick(item.id));
      return make('li', {}, [button]);
    }),
  );
  if (!query) {
    el.searchStatus.textContent = 'Type a word from a title to search.';
  } else if (total === 0) {
    el.searchStatus.textContent = `No titles match “${query}”.`;
  } else if (total > matches.length) {
    el.searchStatus.textContent = `Showing ${matches.length} of ${total} matches — type more to narrow down.`;
  } else {
    el.searchStatus.textContent = `${total} ${total === 1 ? 'match' : 'matches'}. Press a result to pick or unpick it.`;
  }
}

function resultButtons() {
  return [...el.results.querySelectorAll('button.result')];
}

// Arrow keys move between the search box and its results; Escape clears the search.
function onSearchKeydown(event) {
  if (event.key === 'ArrowDown') {
    const first = resultButtons()[0];
    if (first) {
      event.preventDefault();
      first.focus();
    }
  } else if (event.key === 'Escape' && el.search.value) {
    event.preventDefault();
    el.search.value = '';
    renderResults();
  }
}

function onResultsKeydown(event) {
  const buttons = resultButtons();
  const index = buttons.indexOf(document.activeElement);
  if (index < 0) return;
  let next = null;
  if (event.key === 'ArrowDown') next = buttons[Math.min(index + 1, buttons.length - 1)];
  else if (event.key === 'ArrowUp') next = index === 0 ? el.search : buttons[index - 1];
  else if (event.key === 'Home') next = buttons[0];
  else if (event.key === 'End') next = buttons[buttons.length - 1];
  else if (event.key === 'Escape') next = el.search;
  if (next) {
    event.preventDefault();
    next.focus();
  }
}

// ---------- picks ----------

function togglePick(id) {
  if (state.picked.includes(id)) unpick(id);
  else {
    state.picked.push(id);
    afterPicksChanged(id);
  }
}

function unpick(id) {
  state.picked = state.picked.filter((picked) => picked !== id);
  afterPicksChanged(id);
}

// Re-renders while keeping keyboard focus on the control the learner was using.
function afterPicksChanged(id) {
  const focusedResult = document.activeElement?.closest?.('#search-results button.result');
  renderResults();
  renderPicked();
  if (focusedResult) {
    const again = el.results.querySelector(`button.result[data-id="${CSS.escape(id)}"]`);
    (again ?? el.search).focus();
  }
  updateRecommendations();
}

function renderPicked() {
  el.picked.replaceChildren(
    ...state.picked.map((id) => {
      const item = state.byId.get(id);
      const remove = make('button', {
        type: 'button',
        className: 'chip__remove',
        'aria-label': `Remove ${item.title}`,
        title: 'Remove',
        text: '×',
      });
      remove.addEventListener('click', () => {
        const chips = [...el.picked.children];
        const position = chips.findIndex((chip) => chip.dataset.id === id);
        unpick(id);
        // Focus the next chip's remove button, or the search box when none is left.
        const remaining = el.picked.querySelectorAll('.chip__remove');
        (remaining[Math.min(position, remaining.length - 1)] ?? el.search).focus();
      });
      return make('li', { className: 'chip', 'data-testid': 'picked', dataset: { id } }, [
        make('span', { className: 'chip__title', title: item.title, text: item.title }),
        remove,
      ]);
    }),
  );
  el.pickedEmpty.hidden = state.picked.length > 0;
}

// ---------- recommendations ----------

async function updateRecommendations() {
  const seq = ++state.recommendSeq;
  const history = state.picked.map((id) => ({ id }));
  el.recsError.hidden = true;
  if (history.length === 0) {
    el.recsList.replaceChildren();
    el.recsEmpty.hidden = false;
    el.recsStatus.textContent = '';
    el.recs.dataset.basedOn = '0';
    el.recs.setAttribute('aria-busy', 'false');
    return;
  }
  el.recs.setAttribute('aria-busy', 'true');
  let recommendations;
  try {
    recommendations = await state.engine.recommend({ history, k: TOP_K });
  } catch (error) {
    if (seq !== state.recommendSeq) return;
    console.error('Pathlight: recommend() failed', error);
    el.recsList.replaceChildren();
    el.recsEmpty.hidden = true;
    el.recsError.textContent = `Could not compute recommendations: ${error?.message ?? error} (${error?.code ?? 'unknown_error'})`;
    el.recsError.hidden = false;
    el.recs.setAttribute('aria-busy', 'false');
    return;
  }
  if (seq !== state.recommendSeq) return; // a newer pick is being computed
  renderRecommendations(recommendations);
  el.recs.dataset.basedOn = String(history.length);
  el.recs.setAttribute('aria-busy', 'false');
  const n = history.length;
  el.recsStatus.textContent = `Based on your ${n} ${n === 1 ? 'pick' : 'picks'}.`;
}

function renderRecommendations(recommendations) {
  el.recsEmpty.hidden = true;
  el.recsList.replaceChildren(
    ...recommendations.map((rec) => {
      const item = state.byId.get(rec.id) ?? state.items[rec.index];
      const kind = KIND_LABELS[item.kind] ?? item.kind;
      return make('li', { className: 'rec', 'data-testid': 'rec-item', dataset: { id: rec.id } }, [
        make('h3', { className: 'rec__title', text: item.title }),
        make('p', { className: 'rec__meta' }, [
          make('span', { className: `kind kind--${item.kind}`, text: kind }),
          make('span', { className: 'rec__price', text: formatPrice(item) }),
          make('span', { className: 'rec__level', text: LEVEL_LABELS[item.level] ?? item.level }),
          make('span', { className: 'rec__hours', text: formatHours(item) }),
        ]),
      ]);
    }),
  );
}

// ---------- wiring ----------

el.search.addEventListener('input', renderResults);
el.search.addEventListener('keydown', onSearchKeydown);
el.results.addEventListener('keydown', onResultsKeydown);

start();
