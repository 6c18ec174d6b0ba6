/** Rank agreement measures used to compare attribution methods in tests. */

function averageRanks(values: number[]): number[] {
  const order = values.map((_, i) => i).sort((a, b) => values[a] - values[b]);
  const ranks = new Array<number>(values.length);
  let start = 0;
  while (start < order.length) {
    let end = start;
    while (end + 1 < order.length && values[order[end + 1]] === values[order[start]]) end++;
    for (let k = start; k <= end; k++) ranks[order[k]] = (start + end) / 2;
    start = end + 1;
  }
  return ranks;
}

/** Spearman rank correlation (Pearson correlation of average ranks). */
export function spearman(a: number[], b: number[]): number {
  const ra = averageRanks(a);
  const rb = averageRanks(b);
  const mean = (v: number[]) => v.reduce((s, x) => s + x, 0) / v.length;
  const ma = mean(ra);
  const mb = mean(rb);
  let cov = 0;
  let va = 0;
  let vb = 0;
  for (let i = 0; i < ra.length; i++) {
    cov += (ra[i] - ma) * (rb[i] - mb);
    va += (ra[i] - ma) ** 2;
    vb += (rb[i] - mb) ** 2;
  }
  return cov / Math.sqrt(va * vb);
}

/** |top-k of a ∩ top-k of b| / k (indices of the k largest values). */
export function topKOverlap(a: number[], b: number[], k: number): number {
  const top = (v: number[]) => new Set(v.map((_, i) => i).sort((x, y) => v[y] - v[x]).slice(0, k));
  const ta = top(a);
  let shared = 0;
  for (const i of top(b)) if (ta.has(i)) shared++;
  return shared / k;
}
