// English and Simplified Chinese. t('key', {name}) fills {name} placeholders; numbers, prices,
// dates and language names are formatted per locale with Intl. Static page text carries
// data-i18n="key" and is refreshed by applyStatic().
import { MESSAGES } from './messages.js';
import { formatList as formatListIn } from '../shared/lists.js';

/** @typedef {import('../../wasm/pathlight').CatalogItem} CatalogItem */

export const LOCALES = ['en', 'zh-CN'];
/** @type {'en' | 'zh-CN'} */
let locale = 'en';

/** @param {unknown} preferred */
export function pickLocale(preferred) {
  if (typeof preferred === 'string' && LOCALES.includes(preferred)) return preferred;
  const nav = (typeof preferred === 'string' && preferred ? preferred : globalThis.navigator?.language || 'en').toLowerCase();
  return nav.startsWith('zh') ? 'zh-CN' : 'en';
}

/** @param {string} next */
export function setLocale(next) {
  locale = next === 'zh-CN' ? 'zh-CN' : 'en';
  numberFormat = new Intl.NumberFormat(locale, { maximumFractionDigits: 1 });
  currencyFormats.clear();
  document.documentElement.lang = locale;
}

export function getLocale() {
  return locale;
}

export const isZh = () => locale === 'zh-CN';

/**
 * The message for `key` in the current locale (English when missing), placeholders filled.
 * @param {string} key
 * @param {Record<string, unknown>} [params]
 * @returns {string}
 */
export function t(key, params = {}) {
  /** @type {Record<string, import('./messages.js').Message>} */
  const table = MESSAGES[locale] ?? MESSAGES.en;
  /** @type {Record<string, import('./messages.js').Message>} */
  const en = MESSAGES.en;
  const text = table[key] ?? en[key];
  if (text === undefined) {
    console.warn(`Pathlight: no message "${key}"`);
    return key;
  }
  if (typeof text === 'function') return text(params);
  return text.replace(/\{(\w+)\}/g, (_, name) => (params[name] === undefined ? `{${name}}` : String(params[name])));
}

/** Refreshes every element with data-i18n (text) / data-i18n-label (aria-label). */
/** @param {ParentNode} [root] */
export function applyStatic(root = document) {
  for (const node of root.querySelectorAll('[data-i18n]')) node.textContent = t(/** @type {HTMLElement} */ (node).dataset.i18n ?? '');
  for (const node of root.querySelectorAll('[data-i18n-label]')) node.setAttribute('aria-label', t(/** @type {HTMLElement} */ (node).dataset.i18nLabel ?? ''));
  document.title = t('title');
}

// ---------- formatting ----------

let numberFormat = new Intl.NumberFormat('en', { maximumFractionDigits: 1 });
/** @type {Map<string, Intl.NumberFormat | null>} */
const currencyFormats = new Map();

/** @param {number} n */
export function formatNumber(n) {
  return numberFormat.format(n);
}

/** @param {number} amount @param {string} currency */
export function formatMoney(amount, currency) {
  let format = currencyFormats.get(currency);
  if (format === undefined) {
    try {
      format = new Intl.NumberFormat(locale, { style: 'currency', currency });
    } catch {
      format = null; // not an ISO 4217 code this browser knows
    }
    currencyFormats.set(currency, format);
  }
  return format ? format.format(amount) : `${numberFormat.format(amount)} ${currency}`;
}

/**
 * Price of a catalog item with its unit: `unit` is what the engine says its price is per
 * (info.priceUnits[item.kind]: "once", "hour" or "month").
 * @param {CatalogItem} item @param {import('../../wasm/pathlight').PriceUnit | undefined} unit
 */
export function formatPrice(item, unit) {
  if (item.price === null || item.price === undefined || !Number.isFinite(item.price)) return t('price.unknown');
  if (item.price === 0) return t('price.free');
  const amount = formatMoney(item.price, item.currency);
  if (unit === 'hour') return t('price.perHour', { amount });
  if (unit === 'month') return t('price.perMonth', { amount });
  return amount;
}

/**
 * An item's hours in words: with a price per hour (`unit`, the engine's info.priceUnits[kind])
 * they are one session's length, with a price per month hours per month, else the total.
 * @param {CatalogItem} item @param {import('../../wasm/pathlight').PriceUnit | undefined} unit
 */
export function formatHours(item, unit) {
  const session = unit === 'hour';
  if (item.hours === null || !Number.isFinite(item.hours) || item.hours <= 0) return t(session ? 'hours.sessionUnknown' : 'hours.unknown');
  const hours = numberFormat.format(item.hours);
  if (session) return t('hours.session', { hours });
  if (unit === 'month') return t('hours.perMonth', { hours });
  return t('hours.total', { hours });
}

/** @param {number} bytes */
export function formatBytes(bytes) {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${numberFormat.format(bytes / 1024)} KB`;
  return `${numberFormat.format(bytes / (1024 * 1024))} MB`;
}

/** @param {number} unixSeconds */
export function formatDateTime(unixSeconds) {
  return new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeStyle: 'short' }).format(new Date(unixSeconds * 1000));
}

/** "English", "中文", … for a BCP-47 code, in the UI language. @param {string} code */
export function languageName(code) {
  if (!code) return t('language.any');
  try {
    return new Intl.DisplayNames([locale], { type: 'language' }).of(code) ?? code;
  } catch {
    return code;
  }
}

/**
 * Joins names the way the interface language does ("A, B, and C" / "A、B和C"; unambiguous when a
 * name contains "and": see web/shared/lists.js). @param {readonly string[]} parts
 */
export function formatList(parts) {
  return formatListIn(locale, parts);
}

/**
 * Joins clauses of one sentence ("3 are shown, 2 are of other kinds, and 1 …"): a list in English;
 * with "，" in Chinese, where 和 joins nouns, not clauses. @param {readonly string[]} clauses
 */
export function joinClauses(clauses) {
  return locale.startsWith('zh') ? clauses.join('，') : formatList(clauses);
}

/**
 * Joins whole sentences: with a space in English, directly in Chinese (a sentence there ends in
 * a full-width "。", which needs no space after it). @param {readonly string[]} sentences
 */
export function joinSentences(sentences) {
  return sentences.join(locale.startsWith('zh') ? '' : ' ');
}

/** @param {string} kind */
export function kindLabel(kind) {
  return t(`kind.${kind}`);
}

/** @param {string} level */
export function levelLabel(level) {
  return t(`level.${level}`);
}
