// Downloading a bundle's files: one way for the page (pathlight.js starts a first load's
// downloads while the Worker starts) and for the engine (engine.js). Only GET requests for static
// files, without credentials; nothing about the learner is sent.

import { PathlightError } from './errors.js';

/**
 * At most `size` of the calls given to the returned function run at once; the others wait their
 * turn, in order. An update may fetch many shards (a bundle of 100,000 items × 64 f32 factors has
 * 2,600), and Chromium fails requests beyond a few hundred in flight (ERR_INSUFFICIENT_RESOURCES).
 * @param {number} size
 * @returns {<T>(fn: () => Promise<T>) => Promise<T>}
 */
export function limitConcurrency(size) {
  let active = 0;
  /** @type {Array<() => void>} */
  const waiting = [];
  return async (fn) => {
    if (active < size) active++;
    else await new Promise((resolve) => waiting.push(() => resolve(undefined)));  // the slot is handed over
    try {
      return await fn();
    } finally {
      const next = waiting.shift();
      if (next) next();
      else active--;
    }
  };
}

/** Files of a bundle fetched at once: enough to keep HTTP/2 and 6 HTTP/1.1 connections busy. */
export const PARALLEL_DOWNLOADS = 16;

/** @param {Uint8Array} bytes */
export async function sha256(bytes) {
  // WebCrypto takes the bytes as they are (a view of an ArrayBuffer).
  const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', /** @type {Uint8Array<ArrayBuffer>} */ (bytes)));
  let s = '';
  for (const b of digest) s += String.fromCharCode(b);
  return { base64: btoa(s), hex: Array.from(digest, (b) => b.toString(16).padStart(2, '0')).join('') };
}

/** @param {string} url @param {(n: number) => void} onChunk @param {RequestCache} [cache] @returns {Promise<Uint8Array>} */
export async function fetchBytes(url, onChunk, cache = 'default') {
  let res;
  try {
    res = await fetch(url, { credentials: 'omit', cache });
  } catch (e) {
    throw new PathlightError('network_error', `Could not download ${url}: ${/** @type {Error} */ (e).message}`, { cause: e });
  }
  if (!res.ok) throw new PathlightError('network_error', `Could not download ${url}: HTTP ${res.status}`, { status: res.status });
  if (!res.body) {
    const buf = new Uint8Array(await res.arrayBuffer());
    onChunk(buf.length);
    return buf;
  }
  const reader = res.body.getReader();
  const chunks = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    chunks.push(value);
    size += value.length;
    onChunk(value.length);
  }
  const out = new Uint8Array(size);
  let off = 0;
  for (const c of chunks) {
    out.set(c, off);
    off += c.length;
  }
  return out;
}

/** @param {string} bundleUrl @param {string} base */
export function manifestUrlOf(bundleUrl, base) {
  const u = bundleUrl.endsWith('.json') ? bundleUrl : bundleUrl.replace(/\/?$/, '/manifest.json');
  return new URL(u, base).href;
}

/**
 * The URL of a bundle file named in the manifest: beside manifest.json, percent-encoded, so that
 * "?", "#" or ":" stay in the name.
 * @param {string} name @param {string} manifestUrl
 */
export function fileUrl(name, manifestUrl) {
  return new URL(encodeURIComponent(name), manifestUrl).href;
}
