// Pathlight JS API — the contract between the web app / widget and the WASM engine.
// Every result is a plain object or array (no delete() needed). Arrays of numbers are plain
// arrays; dense factor data never crosses per item.

export type ItemKind = 'course' | 'ebook' | 'consultation' | 'membership' | 'mentor';

/** Stable error codes (same names as the C++ core's ErrorCodeName). */
export type PathlightErrorCode =
  | 'io_error' | 'parse_error' | 'invalid_argument' | 'checksum_mismatch' | 'unsupported_version'
  | 'corrupt_bundle' | 'prerequisite_cycle' | 'unknown_id' | 'not_finite' | 'limit_exceeded'
  | 'diverged' | 'network_error' | 'integrity_mismatch' | 'engine_load_failed' | 'load_in_progress';

export class PathlightError extends Error {
  readonly code: PathlightErrorCode;
}

export interface CreateOptions {
  /** URL of the bundle folder or its manifest.json (e.g. "bundles/demo/manifest.json"). */
  bundleUrl: string;
  /** Optional pin: SRI string "sha256-<base64>" of manifest.json bytes; a mismatch rejects. */
  integrity?: string;
  /** Download progress in bytes (total is 0 when unknown). */
  onProgress?: (loaded: number, total: number) => void;
  /** Decode the catalog for items() / concepts() while the rest of the bundle downloads (an app
   *  that lists the catalog at once, like the learner app); default false: on the first call. */
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
  level: 'beginner' | 'intermediate' | 'advanced' | 'all';
  language: string;        // BCP-47
  hours: number;
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
  metrics: Record<string, number>;
  manifestSha256: string;  // hex of manifest.json bytes
}

export interface HistoryEntry {
  id: string;              // item id
  weight?: number;         // w > 0, default 1 (confidence c = 1 + α·w)
}

export interface Reason {
  kind: 'teaches_goal' | 'prerequisite_for_goal' | 'you_know' | 'ready' | 'popular';
  concept?: string;
  goal?: string;
}

export interface Recommendation {
  index: number;
  id: string;
  score: number;           // final ranking score
  personal?: number;       // x_uᵀ y_i + b_i (session recommendations)
  readiness?: number;      // share of required concepts known, 0..1
  goalRelevance?: number;  // 1 next step to a goal, 0.5 later step, 0 off path
  reasons?: Reason[];
  because?: { id?: string; concept?: string; value: number }[];  // the learner's items behind it
}

export interface RankOptions {
  k?: number;              // default 10, 1..1000
  kinds?: ItemKind[];
  maxPrice?: number;
  levels?: Array<'beginner' | 'intermediate' | 'advanced' | 'all'>;
  languages?: string[];
  minReadiness?: number;
  readinessWeight?: number;
  goalWeight?: number;
  knownPenalty?: number;   // demotes items teaching concepts the learner knows
  mmrLambda?: number;      // 1 = no diversity
  maxMentors?: number;
  maxMemberships?: number;
  excludeConsumed?: boolean;
  excludeDismissed?: boolean;
  pure?: boolean;          // plain MF ranking instead of the product defaults
}

/** Stateless: rank for an explicit history (fold-in + top-k, no knowledge-graph terms). */
export interface RecommendRequest {
  history: HistoryEntry[];
  k?: number;
}

export type EventType = 'view' | 'bookmark' | 'enroll' | 'complete' | 'rate' | 'dismiss'
  | 'know_concept' | 'mentor_booked' | 'mentor_rated';

export interface LearnerEvent {
  type: EventType;
  item?: string;           // item id (all but know_concept)
  concept?: string;        // concept id (know_concept)
  t?: number;              // unix seconds; default now
  rating?: number;         // 1..5 for rate / mentor_rated
}

export interface Preferences {
  goals?: string[];
  known?: string[];
  budget?: number;         // max price per item; omit for no limit
  currency?: string;
  language?: string;
  weekly_hours?: number;
}

/** The learner's profile as exported (versioned; see docs/API.md). */
export interface ProfileDocument extends Preferences {
  format: 'pathlight-profile';
  version: number;
  events: LearnerEvent[];
}

export interface PathStep {
  concept: string;
  state: 'known' | 'next' | 'later';
  item: string | null;     // best personal item teaching it
  depth: number;
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
}

export interface LearningPath {
  goals: string[];
  steps: PathStep[];
  hardest: string | null;
  mentor: MentorMatch | null;
  totalPrice: number;
  totalHours: number;
  unpricedItems: number;
  unreachable: string[];
}

export interface Pathlight {
  readonly info: BundleInfo;
  /** The whole catalog as plain objects (fresh copies on every call). Not part of loading: the
   *  first call after a load takes the verified catalog.json from the engine once and parses it
   *  in the page (for 100,000 items, a few hundred milliseconds); an app that shows only
   *  recommendations never pays for it. */
  items(): Promise<CatalogItem[]>;
  concepts(): Promise<Concept[]>;
  /** With `history`: stateless fold-in of that history then top-k. Otherwise: the session
   *  learner's list with knowledge-graph terms, diversity and reasons. */
  recommend(request: RecommendRequest | RankOptions): Promise<Recommendation[]>;
  setProfile(profile: ProfileDocument | string, now?: number): Promise<{ unknownIds: string[]; events: number }>;
  exportProfile(): Promise<ProfileDocument>;
  addEvent(event: LearnerEvent): Promise<{ events: number }>;
  setPreferences(prefs: Preferences): Promise<{ unknownIds: string[] }>;
  path(params?: { goals?: string[] } & RankOptions): Promise<LearningPath>;
  mentors(params?: { gap?: string[]; k?: number }): Promise<{ mentors: MentorMatch[] }>;
  explain(id: string): Promise<{ score: number; contributions: { id?: string; concept?: string; value: number }[]; reasons: Reason[] }>;
  similar(id: string, params?: RankOptions): Promise<{ items: { id: string; score: number }[] }>;
  /** The learner's factors x_u (length k). */
  foldIn(): Promise<Float32Array>;
  refine(params?: { epochs?: number }): Promise<{ offsets: number }>;
  resetPersonalization(): Promise<{}>;
  /** Loads another bundle into the same engine; on failure the current one stays in use. */
  reload(options: CreateOptions): Promise<BundleInfo>;
  /** Stops the engine (terminates its Worker) and frees its memory. */
  delete(): void;
}

/** Worker protocol (wasm/worker.js). */
export type WorkerRequest =
  | { id: number; op: 'load'; bundleUrl: string; integrity?: string; base?: string; prefetchCatalog?: boolean }
  | { id: number; op: 'call'; method: string; params: object }
  | { id: number; op: 'recommendHistory'; history: HistoryEntry[]; k?: number }
  | { id: number; op: 'catalog' };  // → {dtype, bytes}: the verified catalog part (bytes transferred)
export type WorkerResponse =
  | { id: number; ok: true; result: unknown }
  | { id: number; ok: false; error: { code: PathlightErrorCode; message: string } }
  | { id: number; progress: { loaded: number; total: number } }
  | { id: number; catalog: { dtype: 'catalog-v1' | 'json'; bytes: Uint8Array } };  // during a load with prefetchCatalog

/** Loads the engine (memoized) and the bundle; verifies the manifest pin and every part's SHA-256. */
export function createPathlight(options: CreateOptions): Promise<Pathlight>;
