// Pathlight JS API — the contract between the web app / widget and the WASM engine.
// Every result is a plain object or array (no delete() needed). Arrays of numbers are plain
// arrays; dense factor data never crosses per item.

export type ItemKind = 'course' | 'ebook' | 'consultation' | 'membership' | 'mentor';

/** Stable error codes (same names as the C++ core's ErrorCodeName). */
export type PathlightErrorCode =
  | 'io_error' | 'parse_error' | 'invalid_argument' | 'checksum_mismatch' | 'unsupported_version'
  | 'corrupt_bundle' | 'prerequisite_cycle' | 'unknown_id' | 'not_finite' | 'limit_exceeded'
  | 'diverged' | 'network_error' | 'integrity_mismatch' | 'engine_load_failed';

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

export interface Recommendation {
  index: number;
  id: string;
  score: number;           // x_uᵀ y_i + b_i
}

export interface RecommendRequest {
  history: HistoryEntry[];
  k?: number;              // default 10, 1..1000
}

export interface Pathlight {
  readonly info: BundleInfo;
  /** The whole catalog (copied once; plain objects). */
  items(): Promise<CatalogItem[]>;
  concepts(): Promise<Concept[]>;
  /** Fold-in of `history` against the bundle's item factors, then top-k excluding the history.
   *  An empty history folds in to the zero vector, so every score is the item bias (0 for
   *  implicit ALS) and the list is the first k items; callers should ask for picks first.
   *  Rejects with PathlightError('unknown_id') naming an id not in the catalog. */
  recommend(request: RecommendRequest): Promise<Recommendation[]>;
  /** Fold-in only: the learner's factors x_u (length k). Empty history → zeros. */
  foldIn(request: { history: HistoryEntry[] }): Promise<Float32Array>;
  /** Releases the engine's WASM memory. */
  delete(): void;
}

/** Loads the engine (memoized) and the bundle; verifies the manifest pin and every part's SHA-256. */
export function createPathlight(options: CreateOptions): Promise<Pathlight>;
