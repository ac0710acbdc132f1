// The sentences that say why something is shown: one per reason kind the engine gives
// (core/include/pathlight/reasons.h; `describe().reasonKinds`), in English and Simplified Chinese,
// used by the app and the widget alike. The engine decides that a reason is true; a sentence only
// says it, from the reason's own fields (names looked up in the catalog). tests/node/wording.test.mjs
// checks that every kind and every `via` has a sentence in both languages, and no sentence is left
// over for a kind the engine does not have.

/**
 * @typedef {import('../../wasm/pathlight').Reason} Reason
 * @typedef {import('../../wasm/pathlight').ReasonKind} ReasonKind
 * @typedef {import('../../wasm/pathlight').ItemRelation} ItemRelation
 * @typedef {import('../../wasm/pathlight').Level} Level
 * @typedef {'en' | 'zh'} WordingLanguage
 * @typedef {object} Names  how the sentences name things, in the page's language
 * @property {(id: string) => string} concept  a concept's name
 * @property {(id: string) => string} title    an item's title
 * @property {(level: Level) => string} level  "Beginner", …
 * @property {(code: string) => string} language  a language's name ("English", "中文")
 * @property {(parts: string[]) => string} list  "A, B and C"
 * @property {number} ratingMax  the top of the bundle's rating scale (info.ratingScale[1])
 * @property {(n: number) => string} number
 * @property {boolean} goalsChosen  true where the goals are the ones the learner picked (the app);
 *   false in the widget, whose goals are the page topic's next steps and the reader's history's —
 *   never "your goal" there
 * @typedef {(r: Reason, n: Names) => string} Sentence
 * @typedef {import('../../wasm/pathlight').Offering} Offering
 * @typedef {import('../../wasm/pathlight').OfferingFormat} OfferingFormat
 * @typedef {import('../../wasm/pathlight').OfferingStatus} OfferingStatus
 * @typedef {(o: Offering, price: string) => string} OfferingPhrase  `price`: the price per seat, formatted ('' when unknown)
 * @typedef {{reasons: Record<ReasonKind, Sentence>, because: Record<ItemRelation, Sentence>,
 *   shared: Partial<Record<ReasonKind, Sentence>>, offering: Record<OfferingFormat, OfferingPhrase>,
 *   offeringStatus: Record<OfferingStatus, string>}} Table
 */

const names = (/** @type {Names} */ n, /** @type {string[] | undefined} */ ids) => n.list((ids ?? []).map(n.concept));
const rating = (/** @type {Names} */ n, /** @type {number | undefined} */ value) => n.number(value ?? 0);

/** @type {Record<WordingLanguage, Table>} */
export const WORDING = {
  en: {
    reasons: {
      teaches_goal: (r, n) => `${n.goalsChosen ? 'Teaches your goal' : 'Teaches a next step'}: ${n.concept(r.goal ?? '')}`,
      prerequisite_for_goal: (r, n) => `Covers ${names(n, r.concepts)} on the way to ${n.concept(r.goal ?? '')}`,
      you_know: (r, n) => `Builds on ${n.concept(r.concept ?? '')}, which you know`,
      ready: () => 'You know everything it requires',
      level_fit: (r, n) => `Made for your level: ${n.level(r.level ?? 'all')}`,
      because_item: (r, n) => WORDING.en.because[r.via ?? 'viewed'](r, n),
      peers_of_goal: (r, n) => `Learners aiming for ${n.concept(r.goal ?? '')} also take this`,
      peers_of_known: (r, n) => `Learners who know ${n.concept(r.concept ?? '')} also take this`,
      popular: () => 'Popular with other learners — pick goals or act on items to make it personal',
      covers_gap: (r, n) => (r.of === 1 ? `Knows the step you need: ${names(n, r.concepts)}`
        : `Knows ${r.concepts?.length ?? 0} of the ${r.of ?? 0} steps you need: ${names(n, r.concepts)}`),
      speaks: (r, n) => `Works in ${n.language(r.language ?? '')}`,
      within_budget: () => 'Within your budget',
      top_rated: (r, n) => `Highly rated (${rating(n, r.rating)} of 5)`,
    },
    because: {
      completed: (r, n) => `Because you completed “${n.title(r.item ?? '')}”`,
      enrolled: (r, n) => `Because you enrolled in “${n.title(r.item ?? '')}”`,
      booked: (r, n) => `Because you booked ${n.title(r.item ?? '')}`,
      rated: (r, n) => `Because you rated “${n.title(r.item ?? '')}” ${rating(n, r.rating)} of ${n.ratingMax}`,
      saved: (r, n) => `Because you saved “${n.title(r.item ?? '')}”`,
      viewed: (r, n) => `Because you looked at “${n.title(r.item ?? '')}”`,
      dismissed: (r, n) => `Linked to “${n.title(r.item ?? '')}”, which you hid`,
    },
    shared: {
      you_know: (r, n) => `${r.items?.length ?? 0} of these build on ${n.concept(r.concept ?? '')}, which you know`,
    },
    offering: {
      one_to_one: (o, price) => `One-to-one · ${price ? `${price} per session` : 'price not listed'}`,
      group: (o, price) => `Group · ${o.openSeats} of ${o.seats} seats open · ${price ? `${price} per seat` : 'price not listed'}`,
    },
    offeringStatus: { available: '', full: 'Full', over_budget: 'Over your budget' },
  },
  zh: {
    reasons: {
      teaches_goal: (r, n) => `${n.goalsChosen ? '直接教授你的目标' : '直接教授下一步'}：${n.concept(r.goal ?? '')}`,
      prerequisite_for_goal: (r, n) => `涵盖${names(n, r.concepts)}，是通往${n.concept(r.goal ?? '')}的一步`,
      you_know: (r, n) => `建立在你已掌握的${n.concept(r.concept ?? '')}之上`,
      ready: () => '你已具备全部先修知识',
      level_fit: (r, n) => `适合你的水平：${n.level(r.level ?? 'all')}`,
      because_item: (r, n) => WORDING.zh.because[r.via ?? 'viewed'](r, n),
      peers_of_goal: (r, n) => `以${n.concept(r.goal ?? '')}为目标的学员也学这个`,
      peers_of_known: (r, n) => `掌握${n.concept(r.concept ?? '')}的学员也学这个`,
      popular: () => '其他学员常选——选择目标或对内容操作后会变得个性化',
      covers_gap: (r, n) => `擅长你需要的 ${r.of ?? 0} 个步骤中的 ${r.concepts?.length ?? 0} 个：${names(n, r.concepts)}`,
      speaks: (r, n) => `使用${n.language(r.language ?? '')}`,
      within_budget: () => '在你的预算之内',
      top_rated: (r, n) => `评分很高（${rating(n, r.rating)} 分，满分 5 分）`,
    },
    because: {
      completed: (r, n) => `因为你学完了“${n.title(r.item ?? '')}”`,
      enrolled: (r, n) => `因为你报名了“${n.title(r.item ?? '')}”`,
      booked: (r, n) => `因为你预约了 ${n.title(r.item ?? '')}`,
      rated: (r, n) => `因为你给“${n.title(r.item ?? '')}”打了 ${rating(n, r.rating)} 分（满分 ${n.ratingMax} 分）`,
      saved: (r, n) => `因为你收藏了“${n.title(r.item ?? '')}”`,
      viewed: (r, n) => `因为你看过“${n.title(r.item ?? '')}”`,
      dismissed: (r, n) => `与你隐藏的“${n.title(r.item ?? '')}”有关`,
    },
    shared: {
      you_know: (r, n) => `其中 ${r.items?.length ?? 0} 项建立在你已掌握的${n.concept(r.concept ?? '')}之上`,
    },
    offering: {
      one_to_one: (o, price) => `一对一 · ${price ? `每次 ${price}` : '价格未公布'}`,
      group: (o, price) => `小组辅导 · ${o.seats} 个席位中 ${o.openSeats} 个空余 · ${price ? `每席位 ${price}` : '价格未公布'}`,
    },
    offeringStatus: { available: '', full: '已满', over_budget: '超出你的预算' },
  },
};

/** 'zh' for Chinese language tags (zh, zh-CN, zh-Hans, …), 'en' for every other. @param {string | undefined} tag @returns {WordingLanguage} */
export function wordingLanguage(tag) {
  return /^zh\b/i.test(tag || '') ? 'zh' : 'en';
}

/**
 * The sentence for one reason, in `lang`. A kind this table does not know (a newer engine) says
 * nothing rather than something untrue: ''.
 * @param {Reason} reason
 * @param {string} lang
 * @param {Names} n
 */
export function reasonSentence(reason, lang, n) {
  const table = WORDING[wordingLanguage(lang)];
  const say = table.reasons[reason.kind];
  return say ? say(reason, n) : '';
}

/**
 * The sentence for a reason said once above a list (`sharedReasons`, with `items`).
 * @param {Reason} reason
 * @param {string} lang
 * @param {Names} n
 */
export function sharedSentence(reason, lang, n) {
  const table = WORDING[wordingLanguage(lang)];
  const say = table.shared[reason.kind] ?? table.reasons[reason.kind];
  return say ? say(reason, n) : '';
}

/**
 * One mentor offering as the engine returned it (mentors(): `offerings[]`, `booking`), in `lang`:
 * "Group · 3 of 6 seats open · $25 per seat", "One-to-one · $80 per session", with the engine's
 * status when it is not available ("… · Full"). The engine decides seats, status and price.
 * @param {Offering & {status?: OfferingStatus}} offering
 * @param {string} lang
 * @param {(amount: number, currency: string) => string} money  formats a price in the page's locale
 */
export function offeringSentence(offering, lang, money) {
  const table = WORDING[wordingLanguage(lang)];
  const say = table.offering[offering.format];
  if (!say) return '';
  const price = offering.pricePerSeat === null ? '' : money(offering.pricePerSeat, offering.currency);
  const status = offering.status ? table.offeringStatus[offering.status] : '';
  return say(offering, price) + (status ? ` · ${status}` : '');
}

/**
 * The reason's fields as data attributes (dataset keys), so every rendered claim carries its data:
 * data-reason-kind, data-concept, data-goal, data-concepts (space-separated ids), data-item,
 * data-via, data-rating, data-of, data-level, data-language, data-items, and data-reason (the
 * whole reason as JSON, for the truth audit).
 * @param {Reason} r
 * @returns {Record<string, string>}
 */
export function reasonData(r) {
  /** @type {Record<string, string>} */
  const d = { reasonKind: r.kind, reason: JSON.stringify(r) };
  if (r.concept !== undefined) d.concept = r.concept;
  if (r.goal !== undefined) d.goal = r.goal;
  if (r.concepts !== undefined) d.concepts = r.concepts.join(' ');
  if (r.item !== undefined) d.item = r.item;
  if (r.via !== undefined) d.via = r.via;
  if (r.rating !== undefined) d.rating = String(r.rating);
  if (r.of !== undefined) d.of = String(r.of);
  if (r.level !== undefined) d.level = r.level;
  if (r.language !== undefined) d.language = r.language;
  if (r.items !== undefined) d.items = r.items.join(' ');
  return d;
}
