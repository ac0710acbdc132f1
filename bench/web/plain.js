// The plain-JavaScript peer: scoring + top-K over a row-major Float32Array, written the way a
// careful JS developer would: typed arrays, four rows per pass over the learner vector (four
// independent accumulators), no allocation per call except the returned top-K indices, and a
// top-K by insertion into a small sorted buffer behind a threshold test.
export class PlainScorer {
  /** `factors`: Float32Array n × k, row-major (kept, not copied). */
  constructor(factors, n, k, maxTop = 100) {
    this.factors = factors;
    this.n = n;
    this.k = k;
    this.user = new Float32Array(k);
    this.scores = new Float32Array(n);
    this.topIndex = new Int32Array(maxTop);
    this.topScore = new Float64Array(maxTop);
  }

  setUser(user) {
    this.user.set(user);
  }

  score() {
    const { factors: f, n, k, user: u, scores } = this;
    let i = 0;
    for (; i + 4 <= n; i += 4) {
      const o0 = i * k;
      const o1 = o0 + k;
      const o2 = o1 + k;
      const o3 = o2 + k;
      let s0 = 0;
      let s1 = 0;
      let s2 = 0;
      let s3 = 0;
      for (let d = 0; d < k; d++) {
        const x = u[d];
        s0 += f[o0 + d] * x;
        s1 += f[o1 + d] * x;
        s2 += f[o2 + d] * x;
        s3 += f[o3 + d] * x;
      }
      scores[i] = s0;
      scores[i + 1] = s1;
      scores[i + 2] = s2;
      scores[i + 3] = s3;
    }
    for (; i < n; i++) {
      const o = i * k;
      let s = 0;
      for (let d = 0; d < k; d++) s += f[o + d] * u[d];
      scores[i] = s;
    }
  }

  /** Indices of the `top` highest scores, best first (ties: lower index first). */
  top(top) {
    const { scores, n, topIndex: idx, topScore: val } = this;
    let size = 0;
    for (let i = 0; i < n; i++) {
      const s = scores[i];
      if (size === top) {
        if (!(s > val[top - 1])) continue;  // also skips NaN
      } else if (s !== s) {
        continue;
      }
      let j = size < top ? size++ : top - 1;
      while (j > 0 && val[j - 1] < s) {
        val[j] = val[j - 1];
        idx[j] = idx[j - 1];
        j--;
      }
      val[j] = s;
      idx[j] = i;
    }
    return idx.slice(0, size);
  }

  scoreTop(top) {
    this.score();
    return this.top(top);
  }
}
