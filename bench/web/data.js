// Deterministic benchmark data, identical to bench/synthetic.h (the native benchmark's data):
// mulberry32, mapped to floats uniform in [-1, 1) that are exact in f32 (multiples of 2⁻²³).
export function mulberry32(seed) {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return (t ^ (t >>> 14)) >>> 0;
  };
}

function signed(rng) {
  return (rng() >>> 8) / 8388608 - 1;
}

/** n × k row-major item factors (seed 1). */
export function itemFactors(n, k) {
  const rng = mulberry32(1);
  const y = new Float32Array(n * k);
  for (let j = 0; j < y.length; j++) y[j] = signed(rng);
  return y;
}

/** The learner vector (seed 2), length k. */
export function learnerVector(k) {
  const rng = mulberry32(2);
  const u = new Float32Array(k);
  for (let j = 0; j < k; j++) u[j] = signed(rng);
  return u;
}
