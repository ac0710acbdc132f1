// What web/plugins/service-worker.js writes in front of web/src/sw.js when it builds dist/sw.js.
/** Every file of the build to precache (paths relative to the scope), the bundles excepted. */
declare const PRECACHE: string[];
/** A hash of the build's files: one app cache per build. */
declare const VERSION: string;
/** The engine's download rule (wasm/bundle-plan.js), inlined as text. */
declare const planDownloads: typeof import('../../wasm/bundle-plan.js').planDownloads;
declare const assemble: typeof import('../../wasm/bundle-plan.js').assemble;
