// Lists of names joined for display — one helper for the app (web/src/i18n.js formatList) and the
// widget (web/widget/view.js, runner.js), so a list reads the same everywhere.

/** @type {Map<string, {format: Intl.ListFormat | null, conjunction: RegExp | null, separator: string}>} */
const cache = new Map();

/** @param {string} locale */
function formatterFor(locale) {
  let f = cache.get(locale);
  if (!f) {
    const separator = /^zh\b/i.test(locale) ? '、' : '; ';
    try {
      const format = new Intl.ListFormat(locale, { style: 'long', type: 'conjunction' });
      // The conjunction as the locale writes it between two names (" and " → "and", "和").
      const word = format.formatToParts(['A', 'B']).filter((p) => p.type === 'literal').map((p) => p.value).join('').trim();
      const escaped = word.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
      // A word of letters must stand alone ("Docker and containers", not "Android"); a CJK
      // conjunction is a character of its own ("Docker和容器").
      const conjunction = !word ? null : /^\p{L}+$/u.test(word) && !/\p{Script=Han}/u.test(word)
        ? new RegExp(`(^|[^\\p{L}\\p{N}])${escaped}($|[^\\p{L}\\p{N}])`, 'iu')
        : new RegExp(escaped, 'u');
      // Other words that join names in the language ("HTML 与 CSS", "R&D") read as a join too.
      const others = /^zh\b/i.test(locale) ? '与及跟' : '&';
      const conjunctionOrOther = conjunction ? new RegExp(`${conjunction.source}|[${others}]`, 'iu') : null;
      f = { format, conjunction: conjunctionOrOther, separator };
    } catch {
      f = { format: null, conjunction: null, separator };
    }
    cache.set(locale, f);
  }
  return f;
}

/**
 * Joins names the way the locale does, with Intl.ListFormat ("Linux, Git, and Docker",
 * "Linux、Git和Docker"). When a name itself contains the locale's conjunction ("Docker and
 * containers", "HTML 与 CSS"; also "&", and 与/及/跟 in Chinese), the conjoined form would read as more names than there are ("Linux and Docker and
 * containers"), so the names are separated by a mark that never joins words instead: "; " in
 * English ("Linux; Docker and containers"), "、" in Chinese ("Linux、Docker和容器").
 * Where Intl.ListFormat is missing, the names are joined with that mark too.
 * @param {string} locale  BCP-47 tag of the interface language ('en', 'zh-CN')
 * @param {readonly string[]} parts  the names, in display order (0 names → '')
 * @returns {string}
 */
export function formatList(locale, parts) {
  const { format, conjunction, separator } = formatterFor(locale);
  if (!format || (parts.length > 1 && conjunction && parts.some((p) => conjunction.test(p)))) return parts.join(separator);
  return format.format(parts);
}
