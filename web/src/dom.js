// Tiny DOM helpers: the app renders with plain elements (no framework, no innerHTML), so no
// catalog title or imported profile text can ever be interpreted as markup.

/**
 * make('button', {className: 'x', text: 'Go', onClick}, [children]) → HTMLElement.
 * Keys: text, className, dataset (object), on<Event> (listener), hidden/disabled/checked/value
 * (properties); anything else becomes an attribute (skipped when null/undefined/false).
 * @template {keyof HTMLElementTagNameMap} K
 * @param {K} tag
 * @param {Record<string, any>} [props]
 * @param {Child | Child[]} [children]
 * @returns {HTMLElementTagNameMap[K]}
 */
export function make(tag, props = {}, children = []) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(props)) {
    if (value === undefined || value === null || value === false) continue;
    if (key === 'text') node.textContent = value;
    else if (key === 'className') node.className = value;
    else if (key === 'dataset') Object.assign(node.dataset, value);
    else if (key.startsWith('on') && typeof value === 'function') node.addEventListener(key.slice(2).toLowerCase(), value);
    else if (key === 'hidden' || key === 'disabled' || key === 'checked' || key === 'value' || key === 'selected') /** @type {any} */ (node)[key] = value;
    else node.setAttribute(key, value === true ? '' : String(value));
  }
  append(node, children);
  return node;
}

/** @typedef {Node | string | number | null | undefined | false} Child */

/** @param {Element} node @param {Child | Child[]} children */
function append(node, children) {
  for (const child of /** @type {Child[]} */ ([]).concat(children)) {
    if (child === null || child === undefined || child === false) continue;
    node.append(child instanceof Node ? child : String(child));
  }
}

const SVG_NS = 'http://www.w3.org/2000/svg';

/**
 * Same as make() for SVG elements (attributes only, plus text).
 * @param {string} tag @param {Record<string, any>} [attrs] @param {Child | Child[]} [children]
 * @returns {SVGElement}
 */
export function svg(tag, attrs = {}, children = []) {
  const node = document.createElementNS(SVG_NS, tag);
  for (const [key, value] of Object.entries(attrs)) {
    if (value === undefined || value === null || value === false) continue;
    if (key === 'text') node.textContent = value;
    else node.setAttribute(key, String(value));
  }
  append(node, children);
  return node;
}

/** @param {string} id @returns {HTMLElement} an element of the page (index.html has it) */
export const $ = (id) => /** @type {HTMLElement} */ (document.getElementById(id));

let uid = 0;
/** A document-unique id for label/aria wiring. @param {string} [prefix] */
export function nextId(prefix = 'pl') {
  uid += 1;
  return `${prefix}-${uid}`;
}

/** Lower-case and strip accents so "Análisis" matches "analisis". @param {string} text */
export function normalize(text) {
  return String(text).normalize('NFD').replace(/\p{M}/gu, '').toLocaleLowerCase();
}

/** Saves `text` as a file download (no network: a blob URL in this page). @param {string} filename @param {string} text */
export function download(filename, text, type = 'application/json') {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const link = make('a', { href: url, download: filename, hidden: true });
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}
