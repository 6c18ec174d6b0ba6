/**
 * Where two JSON values differ, as readable paths: what a rerun changed in a results folder
 * (scripts/slurm/compare_results.ts), which setting a kept model was trained under that the cell no
 * longer has (lib/experiments/cell_model.ts).
 *
 * @example
 * ```ts
 * jsonDifferences({ training: { maxEpochs: 30 } }, { training: { maxEpochs: 200 } });
 * // ["training.maxEpochs: 30 vs 200"]
 * ```
 *
 * @module
 */

/**
 * JSON paths where `a` and `b` differ (at most `limit`, an integer >= 0), e.g.
 * `result.test.NDCG@10: 0.1 vs 0.2`.
 */
export function jsonDifferences(a: unknown, b: unknown, path = "", limit = 10): string[] {
  // A NaN limit would stop nothing (`found.length >= NaN` is false), and a limit of 0 must hold
  // for two different plain values too, not only between the keys of two objects.
  if (!Number.isInteger(limit) || limit < 0) {
    throw new RangeError(`jsonDifferences: limit must be an integer >= 0, got ${limit}`);
  }
  if (Object.is(a, b) || limit === 0) return [];
  const bothObjects = a !== null && b !== null && typeof a === "object" && typeof b === "object" &&
    Array.isArray(a) === Array.isArray(b);
  if (!bothObjects) {
    // A number as it is: JSON writes NaN and the infinities as null and -0 as 0, so the line
    // would read "null vs null" or "0 vs 0", a difference between what look like equal values.
    const show = (v: unknown) =>
      typeof v === "number"
        ? Object.is(v, -0) ? "-0" : String(v)
        : JSON.stringify(v)?.slice(0, 120) ?? "absent";
    return [`${path || "(root)"}: ${show(a)} vs ${show(b)}`];
  }
  const keys = new Set([...Object.keys(a as object), ...Object.keys(b as object)]);
  const found: string[] = [];
  for (const key of keys) {
    if (found.length >= limit) break;
    const inner = jsonDifferences(
      (a as Record<string, unknown>)[key],
      (b as Record<string, unknown>)[key],
      path ? `${path}.${key}` : key,
      limit - found.length,
    );
    found.push(...inner);
  }
  return found;
}

/**
 * `value` as JSON with the keys of every object sorted (arrays keep their order): settings that
 * are equal compare equal whatever order their keys were written in (by hand, or by another
 * writer).
 */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(
    value,
    (_, v) =>
      v && typeof v === "object" && !Array.isArray(v)
        ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => a.localeCompare(b)))
        : v,
  );
}
