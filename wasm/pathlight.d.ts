// Pathlight JS API — the contract between the web app / widget and the WASM engine.
// Every result is a plain object (no delete() needed); lists come as {items, …}. Parameter
// interfaces mirror the engine's parameter table (core/src/api_params.cpp; `describe()` returns
// it): tests/node/contract.test.mjs checks every `…Params` interface here against it, and
// `npm run typecheck` checks wasm/ and web/ against this file. Unknown parameters and wrong types
// reject with PathlightError('invalid_argument') naming the parameter.

export type ItemKind = 'course' | 'ebook' | 'consultation' | 'membership' | 'mentor';
/** What a price is per (BundleInfo.priceUnits). */
export type PriceUnit = 'once' | 'hour' | 'month';
export type Level = 'beginner' | 'intermediate' | 'advanced' | 'all';
export type StatedLevel = 'beginner' | 'intermediate' | 'advanced';

/** Stable error codes (same names as the C++ core's ErrorCodeName). */
export type PathlightErrorCode =
  | 'io_error' | 'parse_error' | 'invalid_argument' | 'checksum_mismatch' | 'unsupported_version'
  | 'corrupt_bundle' | 'prerequisite_cycle' | 'unknown_id' | 'not_finite' | 'limit_exceeded'
  | 'diverged' | 'network_error' | 'integrity_mismatch' | 'engine_load_failed' | 'load_in_progress';

export class PathlightError extends Error {
  constructor(code: PathlightErrorCode, message: string, options?: { cause?: unknown; status?: number });
  readonly code: PathlightErrorCode;
  /** network_error from an HTTP response: its status (404: nothing is published at that URL). */
  readonly status?: number;
}

export interface CreateOptions {
  /** URL of the bundle folder or its manifest.json (e.g. "bundles/demo/manifest.json"). */
  bundleUrl: string;
  /** Optional pin: SRI string "sha256-<base64>" of manifest.json bytes; a mismatch rejects. */
  integrity?: string;
  /** Download progress in bytes (total is 0 when unknown). */
  onProgress?: (loaded: number, total: number) => void;
  /** Decode the catalog for items() / concepts() during the load (an app that lists the catalog
   *  at once, like the learner app); default false: on the first call. On a first load in a Worker
   *  the page decodes its own copy of a binary catalog's file while the engine verifies the bundle,
   *  and keeps it only if the engine then reports that same file, verified, as its catalog. */
  prefetchCatalog?: boolean;
  /** Run the engine in a Web Worker (default where Worker exists). */
  worker?: boolean;
  /** Node only: the .wasm bytes (Emscripten 3.1.6 cannot fetch them there). */
  wasmBinary?: Uint8Array;
}

export interface Concept {
  id: string;
  name: string;
  nameZh: string;
  prerequisites: string[];
}

export interface CatalogItem {
  index: number;           // dense position in the bundle, 0..items-1
  id: string;
  kind: ItemKind;
  title: string;
  price: number | null;    // null when unknown; per hour for mentor/consultation, per month for membership
  currency: string;        // ISO 4217
  level: Level;
  language: string;        // BCP-47
  hours: number | null;    // null when unknown
  teaches: string[];       // concept ids
  requires: string[];      // concept ids
  // Mentors only (kind === 'mentor'):
  languages?: string[];    // BCP-47 codes the mentor works in
  rating?: number;         // 0 (unrated) or 1..5
  capacity?: number;       // open slots
  expertise?: Record<string, number>;  // concept id → weight in (0, 1]
}

export interface BundleInfo {
  dataset: string;         // "demo" | "coco" | ...
  formatVersion: number;
  algorithm: string;       // e.g. "implicit-als"
  factors: number;         // k
  items: number;
  concepts: number;
  regularization: number;
  alpha: number;
  metrics: Record<string, unknown>;
  factorEncoding: 'f32' | 'f16' | 'i8';
  /**
   * Why the factors have that encoding, as `pathlight train` measured it, e.g. "int8: its top-100
   * lists overlap the f32 model's by 0.995 (≥ 0.99) on 1000 training learners" ("" when the
   * bundle does not say: written by hand or before format version 2).
   */
  encodingReason: string;
  /** The measured mean top-100 overlap of int8 scoring with f32 scoring, in [0, 1]; null when not recorded. */
  int8Overlap: number | null;
  /** SHA-256 (hex) of the manifest this bundle was updated from (`pathlight bundle update`); null for a trained bundle. */
  parent: string | null;
  /** The scale of rate / mentor_rated events this bundle accepts: [min, max]. */
  ratingScale: [number, number];
  /** The grid of ratingScale a rate control offers: 1 whole stars, 0.5 half stars; 0 any value. */
  ratingStep: number;
  /** The ratings a rate control offers, ascending: the grid of ratingScale by ratingStep (at most
   *  21; a finer grid is thinned, min and max always among them). */
  ratingChoices: number[];
  /** True for explicit-rating bundles: results carry predictedRating on ratingScale. */
  predictsRatings: boolean;
  /**
   * What each kind's `price` is per, the engine's one rule (docs/csv-schema.md): "once" (courses,
   * e-books), "hour" (consultations, mentors: a session costs price × its `hours`, which budgets
   * and path totals use), "month" (memberships). Views print the unit from here.
   */
  priceUnits: Record<ItemKind, PriceUnit>;
  manifestSha256: string;  // hex of manifest.json bytes
}

// ---- reasons -----------------------------------------------------------------------------

export type ReasonKind =
  | 'teaches_goal' | 'prerequisite_for_goal' | 'you_know' | 'ready' | 'level_fit' | 'because_item'
  | 'peers_of_goal' | 'peers_of_known' | 'popular' | 'covers_gap' | 'speaks' | 'within_budget' | 'top_rated';
export type ItemRelation = 'completed' | 'enrolled' | 'booked' | 'rated' | 'saved' | 'viewed' | 'dismissed';

/** A claim the engine decided is true (docs/API.md, "Reasons"); render `reason.<kind>`. */
export interface Reason {
  kind: ReasonKind;
  concept?: string;        // you_know, peers_of_known
  goal?: string;           // teaches_goal, prerequisite_for_goal, peers_of_goal
  concepts?: string[];     // prerequisite_for_goal, covers_gap
  item?: string;           // because_item: the learner's item
  via?: ItemRelation;      // because_item: what the learner did with it
  rating?: number;         // because_item (via rated), top_rated
  of?: number;             // covers_gap: concepts in the learner's gap
  level?: Level;           // level_fit: the item's level, the one the learner stated
  language?: string;       // speaks
  items?: string[];        // a shared reason: the results it is about
}

export interface GoalState {
  id: string;
  reached: boolean;        // the learner knows it
}

// ---- parameters (one interface per method; checked against the engine's table) ------------

/** Item filters of recommend, similar and path. */
export interface FilterParams {
  kinds?: ItemKind[];
  maxPrice?: number;       // 0..1e9; items with an unknown price pass
  levels?: Level[];
  languages?: string[];    // BCP-47, at most 64; matched by primary subtag ("zh-CN" keeps "zh"); "" = any
}

export interface RecommendParams extends FilterParams {
  now?: number;
  k?: number;              // 1..1000, default 10
  pure?: boolean;          // plain MF ranking instead of the product defaults
  excludeConsumed?: boolean;
  excludeDismissed?: boolean;
  hideKnown?: boolean;     // leave out items all of whose taught concepts the learner knows
  matchMentors?: boolean;  // list a mentor only when mentor matching would
  minReadiness?: number;   // 0..1
  readinessWeight?: number;  // ranking terms, 0..100
  goalWeight?: number;
  knownPenalty?: number;
  levelWeight?: number;
  mmrLambda?: number;      // 0..1; 1 = no diversity
  maxMentors?: number;     // 0..1000
  maxMemberships?: number; // 0..1000
  candidatePool?: number;  // 1..100000
  pageLanguage?: string;   // BCP-47 language of the page; an item not in it carries otherLanguage
}

/** Stateless: rank for an explicit history (fold-in + top-k, no knowledge-graph terms). Ids
 *  listed more than once are merged: their weights add up. */
export interface HistoryParams {
  history: HistoryEntry[];
  k?: number;              // 1..1000, default 10
}
export interface HistoryEntry {
  id: string;              // item id
  weight?: number;         // w > 0, default 1 (confidence c = 1 + α·w)
}

export interface SimilarParams extends FilterParams {
  now?: number;
  id: string;
  k?: number;
}
export interface ExplainParams {
  now?: number;
  id: string;
}
export interface PathParams extends FilterParams {
  now?: number;
  goals?: string[];        // default: the learner's goals
}
export interface MentorsParams {
  now?: number;
  gap?: string[];          // default: the learner's gap
  k?: number;              // 1..1000, default 5
  format?: 'any' | 'one_to_one' | 'group';  // only mentors with an offering in this format; default 'any'
  pageLanguage?: string;   // BCP-47 language of the page; a mentor who does not speak it carries otherLanguage
}
export interface SetProfileParams {
  now?: number;
  profile: ProfileDocument | string;
  lenient?: boolean;
}
export interface AddEventParams {
  now?: number;
  event: LearnerEvent;
}
export interface SetPreferencesParams {
  now?: number;
  goals?: string[];
  known?: string[];
  budget?: number | null;  // null: no limit
  currency?: string;
  language?: string;       // "" = any
  weeklyHours?: number;    // 0..168
  level?: StatedLevel | null;
}
export interface ForgetConceptParams {
  now?: number;
  concept: string;
}
export interface NextConceptsParams {
  now?: number;
  concepts: string[];
}
export interface RefineParams {
  now?: number;
  epochs?: number;         // 1..1000
}
export interface NoParams {
  now?: number;
}

// ---- events and profiles -----------------------------------------------------------------

export type EventType = 'view' | 'bookmark' | 'enroll' | 'complete' | 'rate' | 'dismiss'
  | 'know_concept' | 'mentor_booked' | 'mentor_rated';

export interface LearnerEvent {
  type: EventType;
  id?: string;             // the caller's id for this event (≤ 128 bytes)
  item?: string;           // item id (all but know_concept)
  concept?: string;        // concept id (know_concept)
  t?: number;              // unix seconds; default now
  rating?: number;         // rate / mentor_rated: on the bundle's ratingScale
}

/** The learner's profile as exported (docs/API.md, "Profiles"). */
export interface ProfileDocument {
  format: 'pathlight-profile';
  version: number;
  events?: Array<LearnerEvent | CompactedEvent>;
  goals?: string[];
  known?: string[];
  budget?: number;
  currency?: string;
  language?: string;
  weeklyHours?: number;
  level?: StatedLevel;
}
/** The engine's own summary of older events on one item (never sent by a caller). */
export interface CompactedEvent {
  type: 'compacted';
  item: string;
  t: number;
  weight: number;
  preference: number;
  rating?: number;
  dismissed?: boolean;
  enrolled?: boolean;
  completed?: boolean;
  bookmarked?: boolean;
  booked?: boolean;
}

// ---- results -----------------------------------------------------------------------------

export interface Recommendation {
  index: number;
  id: string;
  score: number;           // final ranking score
  personal?: number;       // x_uᵀ y_i + b_i (session recommendations)
  readiness?: number;      // share of required concepts known, 0..1
  goalRelevance?: number;  // 1 next step to a goal, 0.5 later step, 0 off path
  reasons?: Reason[];
  predictedRating?: number;  // explicit-rating bundles, on info.ratingScale
  otherLanguage?: string;  // with pageLanguage: the item's language when it is not the page's (its card marks it)
  /** Mentors only: the offering the learner would book (mentors()' rule: the cheapest open one within
   *  the list's budget); null when none is. What the mentor costs the learner, shown on its card. */
  booking?: Offering | null;
}
export interface RecommendResult {
  items: Recommendation[];
  fallback: 'popular' | null;   // a popularity list: the learner has nothing to personalize on
  sharedReasons: Reason[];      // said once above the list (each with `items`)
  goals: GoalState[];
  /**
   * The goals the list serves, for its heading ("Next steps: …"): concept ids of the open goals
   * that a shown reason (an item's, or a shared one) names in its `goal`, in the order of `goals`.
   * Empty when no shown reason names one, when every goal is reached, or when none is set.
   */
  goalsServed: string[];
  /** The open goals that no shown reason names (concept ids, in the order of `goals`): the list
   *  does not lead toward them (with a budget or a kind filter, often nothing within it does). */
  goalsUnserved: string[];
  /** With a budget (maxPrice): how many listed items have no known price — a mentor: its booking's — and
   *  so pass it (an unknown price is not over any budget); 0 without one. */
  unpriced: number;
  /** Null for a list of `k` items. For a shorter one, why: how many catalog items each filter left
   *  out, each counted at the first filter that removed it (in this order); the counts add up to
   *  the catalog's items. */
  excluded: Exclusions | null;
}
export interface Exclusions {
  kinds: number;      // of a kind not asked for
  consumed: number;   // taken: enrolled, completed, booked or rated
  dismissed: number;  // "not interested"
  levels: number;
  budget: number;     // priced above maxPrice (a mentor: no offering within it)
  language: number;   // in none of the languages asked for
  known: number;      // teaches only concepts the learner knows (hideKnown)
  mentors: number;    // mentor matching would not list them (matchMentors)
  readiness: number;  // below minReadiness
  eligible: number;   // passed every filter (a shorter list was cut by maxMentors / maxMemberships)
}
export interface HistoryResult {
  items: { index: number; id: string; score: number }[];
}
export interface SimilarResult {
  items: { index: number; id: string; score: number }[];
}
export interface ExplainResult {
  score: number;
  contributions: { id?: string; concept?: string; value: number; goal?: boolean }[];
  reasons: Reason[];
  predictedRating?: number;
  prior?: number;
}

export interface PathStep {
  concept: string;
  state: 'known' | 'taking' | 'next' | 'later';
  item: string | null;     // next / later: the best item to take (never one the learner took)
  taking: string | null;   // taking: the item the learner holds that teaches it
  depth: number;
  /** When no eligible item can be taken at this step yet: the concepts `item` requires that the
   *  learner does not know (else empty). */
  itemAlsoNeeds: string[];
}
export interface MentorDiagnostics {
  mentors: number;         // mentors in the catalog
  experts: number;         // with expertise in the gap
  budget: number;          // experts left out by each filter (a mentor may count under several)
  language: number;
  capacity: number;
  dismissed: number;
  format: number;          // experts with no offering in the requested format
}
/** How a mentor is booked: alone, or in a group where each learner pays for a seat. */
export type OfferingFormat = 'one_to_one' | 'group';
/** 'available': an open seat within the budget; 'full': no open seat (never offered as
 * available); 'over_budget': open, but the price per seat is above the learner's budget. */
export type OfferingStatus = 'available' | 'full' | 'over_budget';
export interface Offering {
  format: OfferingFormat;
  seats: number;                // group size (1 for one_to_one)
  openSeats: number;            // 0..seats
  pricePerSeat: number | null;  // what the learner pays: per session one-to-one, per seat in a group; null: unknown
  currency: string;             // ISO 4217, the mentor's
}
export interface MentorOffering extends Offering {
  status: OfferingStatus;
  booked: boolean;              // the offering whose price the learner pays (= booking)
}
export interface MentorMatch {
  id: string;
  score: number;
  coverage: number;
  personal: number;
  covers: string[];
  withinBudget: boolean;
  hasCapacity: boolean;
  speaksLanguage: boolean;
  offerings: MentorOffering[];  // in the requested format, as listed in the catalog
  booking: Offering | null;     // the cheapest open offering within budget, the one the learner would book
  reasons: Reason[];
  otherLanguage?: string;  // with pageLanguage: the mentor's first language when they do not speak the page's
}
export interface PathTotals {
  items: number;                                   // distinct items to take (memberships included)
  price: { currency: string; amount: number }[];   // one-off items' known prices, per currency
  unpricedItems: number;                           // items whose price is unknown (in neither list)
  hours: number | null;                            // one-off items' known hours; null when none is known
  untimedItems: number;                            // one-off items whose duration is unknown
  monthly: { currency: string; amount: number }[]; // memberships' known prices per month, per currency
  memberships: number;                             // memberships among items (per month: not in price or hours)
  uncoveredSteps: number;                          // missing steps no item covers (see unreachable)
  weeks: number | null;                            // at the learner's weekly hours, when every step has a
                                                   // one-off item of known duration
  /** Why `weeks` is null although the learner stated weekly hours (empty otherwise): a membership's time
   *  is by the month, an item's duration is unknown, a missing step has no item. */
  weeksUnknown: ('membership' | 'untimed' | 'uncovered')[];
  mentorBooking: Offering | null;                  // the path's mentor, as the learner would book it
  priceWithMentor: { currency: string; amount: number }[];  // price plus the mentor booking's known price
}
export interface LearningPath {
  goals: GoalState[];
  steps: PathStep[];
  hardest: string | null;
  mentor: MentorMatch | null;
  mentorDiagnostics: MentorDiagnostics;
  memberships: { id: string; covers: string[]; held: boolean }[];
  totals: PathTotals;
  unreachable: string[];
}
export interface MentorsResult {
  items: MentorMatch[];
  gap: string[];
  diagnostics: MentorDiagnostics;
  /** The goals this list serves, for its heading: the open goals (in goal order) whose way — the goal
   *  or its prerequisite closure — a listed mentor's `covers` is on. */
  goalsServed: string[];
}
export interface KnownConcept {
  id: string;
  via: 'stated' | 'event' | 'completed' | 'prerequisite';
  stated: boolean;
  events: string[];        // ids of know_concept events stating it
  completed: string[];     // completed items teaching it
  rated: string[];         // items rated without enrolling (done) teaching it
  impliedBy: string[];     // known concepts it is a prerequisite of
  forgettable: boolean;    // forgetConcept removes what states it
}
export interface LearnerSummary {
  goals: GoalState[];
  known: KnownConcept[];
  /** booking: mentors only, not in group 'booked' — the offering the learner would book now, within
   *  their budget (as recommend's). A booked session has none: which offering was booked is not recorded. */
  items: { id: string; group: 'completed' | 'enrolled' | 'booked' | 'saved' | 'dismissed'; rating?: number; booking?: Offering | null }[];
  events: number;
  unknownIds: string[];
  outOfScale: { index: number; id?: string }[];
  /** What personalization starts from: catalog items with any event (views included) and concepts
   *  the learner stated known or marked "I know this". */
  basis: { items: number; skills: number };
}
export interface SetProfileResult {
  unknownIds: string[];
  events: number;
  rejected: { index: number; id?: string; code: PathlightErrorCode; message: string }[];
}
export interface ForgetConceptResult {
  removedEvents: string[];
  known: string[];
  stillKnown: { via: KnownConcept['via'] } | null;
}

/**
 * One learner session. Its session calls (recommend through describe, and recommendHistory) run in
 * the order they are made, each on the engine state the earlier ones left: a page need not wait
 * for addEvent's answer before asking for the list — `Promise.all([pl.addEvent(e), pl.recommend()])`
 * costs one round trip to the Worker instead of two, and the list already counts the event. A call
 * that fails rejects its own promise and leaves the session unchanged; the calls after it still run.
 */
export interface Pathlight {
  readonly info: BundleInfo;
  /** The whole catalog as plain objects (fresh copies on every call). Not part of loading: the
   *  first call after a load decodes the verified catalog part in the page. */
  items(): Promise<CatalogItem[]>;
  concepts(): Promise<Concept[]>;
  /** URLs the engine's Worker fetched (its code, and the bundle files of every load after the first);
   *  [] when it runs in the page's thread. The page fetched the rest (the first load's bundle files,
   *  the .wasm): its own Resource Timing lists them. */
  downloads(): Promise<string[]>;
  /** The session learner's list with knowledge-graph terms, diversity and reasons. */
  recommend(params?: RecommendParams): Promise<RecommendResult>;
  /** Stateless fold-in of an explicit history, then top-k. */
  recommendHistory(params: HistoryParams): Promise<HistoryResult>;
  setProfile(profile: ProfileDocument | string, options?: { now?: number; lenient?: boolean }): Promise<SetProfileResult>;
  exportProfile(): Promise<ProfileDocument>;
  addEvent(event: LearnerEvent): Promise<{ events: number }>;
  setPreferences(prefs: SetPreferencesParams): Promise<{ unknownIds: string[] }>;
  forgetConcept(concept: string): Promise<ForgetConceptResult>;
  learner(): Promise<LearnerSummary>;
  path(params?: PathParams): Promise<LearningPath>;
  mentors(params?: MentorsParams): Promise<MentorsResult>;
  nextConcepts(concepts: string[]): Promise<{ concepts: string[] }>;
  explain(id: string): Promise<ExplainResult>;
  similar(id: string, params?: Omit<SimilarParams, 'id'>): Promise<SimilarResult>;
  /** The learner's factors x_u (length k). */
  foldIn(): Promise<Float32Array>;
  refine(params?: RefineParams): Promise<{ offsets: number }>;
  resetPersonalization(): Promise<{}>;
  /** The engine's parameter table, reason kinds and event types. */
  describe(): Promise<Describe>;
  /** Loads another bundle into the same engine; on failure the current one stays in use. */
  reload(options: CreateOptions): Promise<BundleInfo>;
  /** Stops the engine (terminates its Worker) and frees its memory. */
  delete(): void;
}

export interface ParamDescription {
  name: string;
  type: 'boolean' | 'integer' | 'number' | 'string' | 'enum' | 'string[]' | 'enum[]' | 'object' | 'profile';
  required: boolean;
  nullable: boolean;
  default: string;
  doc: string;
  min?: number;
  max?: number;
  maxBytes?: number;
  maxEntries?: number;
  values?: string[];
}
export interface Describe {
  methods: { name: string; params: ParamDescription[]; result: string }[];
  now: ParamDescription;
  reasonKinds: ReasonKind[];
  eventTypes: EventType[];
  rankingTerms: { name: string; option: string; productWeight: number; doc: string }[];
  bundleFormats: number[];  // bundle format versions this engine reads (docs/bundle-format.md)
}

/** Worker protocol (wasm/worker.js). */
export type WorkerRequest =
  // prefetch: the manifest's URL when the page downloads this load's files itself (the first load)
  | { id: number; op: 'load'; bundleUrl: string; integrity?: string; base?: string; prefetchCatalog?: boolean; prefetch?: string }
  | { id: number; op: 'call'; method: string; params: object }
  | { id: number; op: 'recommendHistory'; history: HistoryEntry[]; k: number }
  | { id: number; op: 'catalog' }
  | { id: number; op: 'downloads' }  // → string[]: the URLs the worker fetched
  | { op: 'module'; module: WebAssembly.Module | null }  // the engine compiled by the page (null: compile it here); no answer
  | { op: 'prefetching'; urls: string[] }  // the files the page downloads for the load with `prefetch`; no answer
  | { op: 'prefetched'; url: string; bytes?: Uint8Array; error?: { code: PathlightErrorCode; message: string; status?: number } };  // one of them; no answer
export type WorkerResponse =
  | { id: number; ok: true; result: unknown }
  | { id: number; ok: false; error: { code: PathlightErrorCode; message: string; status?: number } }
  | { id: number; progress: { loaded: number; total: number } }
  | { id: number; catalog: { dtype: 'catalog-v1' | 'catalog-v2' | 'json'; bytes: Uint8Array } };  // during a load with prefetchCatalog

/** Loads the engine (memoized) and the bundle; verifies the manifest pin and every part's SHA-256. */
export function createPathlight(options: CreateOptions): Promise<Pathlight>;
