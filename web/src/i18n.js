// English and Simplified Chinese. t('key', {name}) fills {name} placeholders; numbers, prices,
// dates and language names are formatted per locale with Intl. Static page text carries
// data-i18n="key" and is refreshed by applyStatic().
import { MESSAGES } from './messages.js';

export const LOCALES = ['en', 'zh-CN'];
let locale = 'en';

export function pickLocale(preferred) {
  if (LOCALES.includes(preferred)) return preferred;
  const nav = (preferred || globalThis.navigator?.language || 'en').toLowerCase();
  return nav.startsWith('zh') ? 'zh-CN' : 'en';
}

export function setLocale(next) {
  locale = LOCALES.includes(next) ? next : 'en';
  numberFormat = new Intl.NumberFormat(locale, { maximumFractionDigits: 1 });
  currencyFormats.clear();
  document.documentElement.lang = locale;
}

export function getLocale() {
  return locale;
}

export const isZh = () => locale === 'zh-CN';

/** The message for `key` in the current locale (English when missing), placeholders filled. */
export function t(key, params = {}) {
  const table = MESSAGES[locale] ?? MESSAGES.en;
  let text = table[key] ?? MESSAGES.en[key];
  if (text === undefined) {
    console.warn(`Pathlight: no message "${key}"`);
    return key;
  }
  if (typeof text === 'function') return text(params);
  return text.replace(/\{(\w+)\}/g, (_, name) => (params[name] === undefined ? `{${name}}` : String(params[name])));
}

/** Refreshes every element with data-i18n (text) / data-i18n-label (aria-label). */
export function applyStatic(root = document) {
  for (const node of root.querySelectorAll('[data-i18n]')) node.textContent = t(node.dataset.i18n);
  for (const node of root.querySelectorAll('[data-i18n-label]')) node.setAttribute('aria-label', t(node.dataset.i18nLabel));
  document.title = t('title');
}

// ---------- formatting ----------

let numberFormat = new Intl.NumberFormat('en', { maximumFractionDigits: 1 });
const currencyFormats = new Map();

export function formatNumber(n) {
  return numberFormat.format(n);
}

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

/** Price of a catalog item with its unit (per hour for mentors and consultations, per month for memberships). */
export function formatPrice(item) {
  if (item.price === null || item.price === undefined || !Number.isFinite(item.price)) return t('price.unknown');
  if (item.price === 0) return t('price.free');
  const amount = formatMoney(item.price, item.currency);
  if (item.kind === 'consultation' || item.kind === 'mentor') return t('price.perHour', { amount });
  if (item.kind === 'membership') return t('price.perMonth', { amount });
  return amount;
}

export function formatHours(item) {
  if (!Number.isFinite(item.hours) || item.hours <= 0) return t('hours.unknown');
  const hours = numberFormat.format(item.hours);
  if (item.kind === 'mentor' || item.kind === 'consultation') return t('hours.session', { hours });
  if (item.kind === 'membership') return t('hours.perMonth', { hours });
  return t('hours.total', { hours });
}

export function formatBytes(bytes) {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${numberFormat.format(bytes / 1024)} KB`;
  return `${numberFormat.format(bytes / (1024 * 1024))} MB`;
}

export function formatDateTime(unixSeconds) {
  return new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeStyle: 'short' }).format(new Date(unixSeconds * 1000));
}

/** "English", "中文", … for a BCP-47 code, in the UI language. */
export function languageName(code) {
  if (!code) return t('language.any');
  try {
    return new Intl.DisplayNames([locale], { type: 'language' }).of(code) ?? code;
  } catch {
    return code;
  }
}

/** Joins a list the way the locale does ("A, B and C" / "A、B和C"). */
export function formatList(parts) {
  try {
    return new Intl.ListFormat(locale, { style: 'long', type: 'conjunction' }).format(parts);
  } catch {
    return parts.join(', ');
  }
}

export function kindLabel(kind) {
  return t(`kind.${kind}`);
}

export function levelLabel(level) {
  return t(`level.${level}`);
}
