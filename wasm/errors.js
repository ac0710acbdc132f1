// PathlightError: the one error class of the JS API (pathlight.d.ts), shared by the page's side
// (pathlight.js) and the engine's (engine.js, in the Worker or in-process). A module of its own so
// that the page starts the Worker without first loading the engine's code.

export class PathlightError extends Error {
  /**
   * @param {import('./pathlight').PathlightErrorCode} code  stable, machine-readable (pathlight.d.ts)
   * @param {string} message  for people: what failed and what was expected
   * @param {{cause?: unknown, status?: number}} [options]  status: the HTTP status of a failed download
   */
  constructor(code, message, options) {
    super(message, options);
    this.name = 'PathlightError';
    this.code = code;
    /** @type {number | undefined} */
    this.status = options?.status;
  }
}
