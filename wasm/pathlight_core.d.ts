// Types of the Emscripten module pathlight_core.js (a build output: build-wasm/, staged into
// web/public/engine/), as the Embind bindings define it (wasm/bindings.cpp, wasm/adapters.h).
// Only wasm/engine.js uses it; the public contract is pathlight.d.ts.
import type { PathlightErrorCode } from './pathlight';

/** An error the core returns as a value. */
export interface CoreError {
  code: PathlightErrorCode;
  message: string;
}

/** One learner session over one bundle (pathlight::wasm::Engine). Owns WASM memory: delete() it. */
export interface CoreEngine {
  /** Starts loading a bundle from its manifest text: null, or an error (the old bundle stays). */
  begin(manifestText: string): CoreError | null;
  /** Verifies (SHA-256: `sha256Hex` when the host computed it, else "") and decodes one part. */
  addPart(file: string, bytes: Uint8Array, sha256Hex: string): void;
  /** Ends a load: null, or an error (the old bundle stays). */
  finish(): CoreError | null;
  /** During a load: true once the catalog part is verified and decoded. */
  catalogReady(): boolean;
  /** During a load: the files the core uses (format v2: shards), as JSON array text. */
  files(): string;
  /** During a load: the catalog part's files in order and whether catalog changes apply, as JSON
   * text {"files": [names], "changes": boolean}. */
  catalogFiles(): string;
  /** After finish: the loaded catalog in the compact layout (catalog-v1), a fresh copy. */
  catalogBytes(): Uint8Array;
  /** Item ids (a JSON array of strings) → dense indices, -1 for an id the catalog lacks. */
  itemIndices(idsJson: string): Int32Array | CoreError;
  /** Dense indices → their ids, as JSON array text. */
  itemIds(indices: Int32Array): string;
  /** One session request {"method", "params"} as JSON text → {"result"} or {"error"} as JSON text. */
  call(requestJson: string): string;
  /** Stateless fold-in of (indices, weights w > 0), then top-k excluding the history. */
  recommend(items: Int32Array, weights: Float32Array, k: number): { indices: Int32Array; scores: Float32Array } | CoreError;
  /** Fold-in only: the factors (length k). */
  foldIn(items: Int32Array, weights: Float32Array): Float32Array | CoreError;
  /** Memory figures for the stability tests. */
  memory(): { heapBytes: number; allocatedBytes: number; stackPointer: number };
  delete(): void;
}

export interface PathlightCore {
  Engine: new () => CoreEngine;
}

export interface CoreOptions {
  /** Node: the .wasm bytes (Emscripten 3.1.6 cannot fetch them there). */
  wasmBinary?: Uint8Array;
  /** Browsers: where pathlight_core.wasm is, for a file name. */
  locateFile?: (file: string) => string;
  /** Emscripten's hook: instantiate the module with the glue's `imports` and hand the instance to
   *  `done` (the engine compiled elsewhere: the page compiles it while the Worker starts). */
  instantiateWasm?: (imports: WebAssembly.Imports, done: (instance: WebAssembly.Instance, module: WebAssembly.Module) => void) => object;
}

export default function createPathlightCore(options: CoreOptions): Promise<PathlightCore>;
