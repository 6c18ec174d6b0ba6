/**
 * Turns finished cells into the paper's tables: mean and standard deviation over seeds, a paired
 * significance test against the strongest baseline (chosen on validation, never on test), the
 * ablation, the sensitivity and noise-level curves, cold-start buckets and attribution quality.
 *
 * @example
 * ```ts
 * const table = summariseSystems(cells, "MovieLens", ["Pop", "SASRec-MM", "Demure-SASRec"]);
 * console.log(table[2].test["NDCG@10"]); // { mean, std, n }
 * ```
 */
import { trainingItemCounts } from "../baselines/popularity.ts";
import type { LeaveOneOutSplit } from "../data/types.ts";
import { type PairedTestResult, pairedTTest, wilcoxonSignedRank } from "../eval/significance.ts";
import type { AttributionQuality } from "./attribution_quality.ts";
import type { CellResult } from "./run_cell.ts";
import { PER_USER_METRIC_STEPS } from "./_per_user_grid.ts";

/** Mean, sample standard deviation (n - 1; 0 for one seed) and count. */
export interface MeanStd {
  /** Mean of the values. */
  mean: number;
  /** Sample standard deviation (n - 1); 0 for one value. */
  std: number;
  /** Number of values (seeds). */
  n: number;
}

/**
 * The spread a table shows for `m`: its sample standard deviation, or NaN for a single value (one
 * run has no spread; a table prints NaN as "–", where a 0 would read as "no variation").
 *
 * @example
 * ```ts
 * spreadOf({ mean: 0.1, std: 0, n: 1 }); // NaN
 * ```
 */
export function spreadOf(m: MeanStd): number {
  return m.n > 1 ? m.std : Number.NaN;
}

/**
 * The error bar of `m` in a figure: its {@linkcode spreadOf}, or null (no error bar, as plotly and
 * `groupedBars` read it) for a single run, whose std of 0 drew a flat whisker.
 */
export function errorBarOf(m: MeanStd): number | null {
  const spread = spreadOf(m);
  return Number.isNaN(spread) ? null : spread;
}

/** One system's row: each metric over seeds. */
export interface SystemSummary {
  /** System name (table row). */
  system: string;
  /** Dataset label. */
  dataset: string;
  /** Seeds of the cells summarised. */
  seeds: number[];
  /** Test metrics (e.g. "NDCG@10") over seeds. */
  test: Record<string, MeanStd>;
  /** Validation metrics over seeds. */
  valid: Record<string, MeanStd>;
  /** Mean training wall time of a cell, in seconds. */
  meanTrainSeconds: number;
}

/** Mean and standard deviation of `values`. */
export function meanStd(values: readonly number[]): MeanStd {
  const n = values.length;
  if (n === 0) return { mean: NaN, std: NaN, n: 0 };
  const mean = values.reduce((s, v) => s + v, 0) / n;
  const variance = n > 1 ? values.reduce((s, v) => s + (v - mean) ** 2, 0) / (n - 1) : 0;
  return { mean, std: Math.sqrt(variance), n };
}

function cellsOf(cells: readonly CellResult[], dataset: string, system: string): CellResult[] {
  return cells.filter((c) => c.dataset === dataset && c.system === system);
}

/** Summaries of `systems` on `dataset`, in the given order (systems without cells are skipped). */
export function summariseSystems(
  cells: readonly CellResult[],
  dataset: string,
  systems: readonly string[],
): SystemSummary[] {
  return systems.flatMap((system) => {
    const runs = cellsOf(cells, dataset, system);
    if (runs.length === 0) return [];
    const over = (pick: (c: CellResult) => Record<string, number>) => {
      const metrics: Record<string, MeanStd> = {};
      for (const name of Object.keys(pick(runs[0]))) {
        metrics[name] = meanStd(runs.map((c) => pick(c)[name]));
      }
      return metrics;
    };
    return [{
      system,
      dataset,
      seeds: runs.map((c) => c.seed),
      test: over((c) => c.test),
      valid: over((c) => c.valid),
      meanTrainSeconds: meanStd(runs.map((c) => c.trainSeconds)).mean,
    }];
  });
}

/**
 * Per-user metric averaged over the seeds of a system (users aligned by internal id). Every run
 * must score the same users: a user missing from one seed's run would otherwise be averaged as if
 * that run had scored 0, and the paired tests built on these means would read it so.
 */
export function perUserOverSeeds(
  cells: readonly CellResult[],
  dataset: string,
  system: string,
  metric: "NDCG@10" | "HR@10",
): Map<number, number> {
  const sums = new Map<number, number>();
  const counts = new Map<number, number>();
  const runs = cellsOf(cells, dataset, system);
  for (const cell of runs) {
    cell.users.forEach((user, i) => {
      sums.set(user, (sums.get(user) ?? 0) + cell.perUserTest[metric][i] / runs.length);
      counts.set(user, (counts.get(user) ?? 0) + 1);
    });
  }
  const empty = runs.filter((cell) => cell.users.length === 0);
  if (empty.length > 0 && empty.length < runs.length) {
    throw new Error(
      `perUserOverSeeds: ${dataset}/${system}: the runs of seeds ` +
        `${empty.map((cell) => cell.seed).join(", ")} scored no user (diverged), the others did: ` +
        "a per-user mean over the seeds would read those runs as 0",
    );
  }
  for (const [user, count] of counts) {
    if (count === runs.length) continue;
    const seeds = runs.filter((cell) => cell.users.includes(user)).map((cell) => cell.seed);
    throw new Error(
      `perUserOverSeeds: ${dataset}/${system}: user ${user} is scored by the runs of seeds ` +
        `${seeds.join(", ")} only, of ${runs.map((cell) => cell.seed).join(", ")}: the runs must ` +
        "score the same users (same split and evaluation users) to be averaged per user",
    );
  }
  return sums;
}

/** A paired comparison of two systems on the same test users. */
export interface SignificanceResult {
  /** The system compared. */
  system: string;
  /** The baseline it is compared with. */
  baseline: string;
  /** The per-user metric compared. */
  metric: "NDCG@10";
  /** Paired t-test over users. */
  tTest: PairedTestResult;
  /** Wilcoxon signed-rank test over users. */
  wilcoxon: PairedTestResult;
  /**
   * Paired t-test over the seeds both systems finished (each seed's test NDCG@10), which, unlike
   * the tests over users, counts the variation between training runs; undefined below two seeds.
   */
  bySeed?: PairedTestResult & {
    /** Seeds at which `system` scored above `baseline`. */
    ahead: number;
    /**
     * Seeds at which both scored exactly the same test NDCG@10: the same run, as when a Demure
     * run's early stopping restored its backbone's weights from the warm-up. Said beside `ahead`,
     * since "ahead in 1 of 5" read as four losses where three were such ties.
     */
    tied: number;
  };
}

/**
 * Paired tests of `system` against `baseline` on per-user test NDCG@10 averaged over the seeds
 * both finished (a seed that only one of them finished would make the two means average over
 * different training runs); undefined when they share no seed or fewer than two users.
 */
export function comparePaired(
  cells: readonly CellResult[],
  dataset: string,
  system: string,
  baseline: string,
): SignificanceResult | undefined {
  const seedsOf = (name: string) => new Set(cellsOf(cells, dataset, name).map((c) => c.seed));
  const ourSeeds = seedsOf(system);
  const theirSeeds = seedsOf(baseline);
  const shared = cells.filter((c) =>
    (c.system === system && theirSeeds.has(c.seed)) ||
    (c.system === baseline && ourSeeds.has(c.seed))
  );
  const ours = perUserOverSeeds(shared, dataset, system, "NDCG@10");
  const theirs = perUserOverSeeds(shared, dataset, baseline, "NDCG@10");
  const users = [...ours.keys()].filter((u) => theirs.has(u)).sort((a, b) => a - b);
  if (users.length < 2) return undefined;
  const a = users.map((u) => ours.get(u) ?? NaN);
  const b = users.map((u) => theirs.get(u) ?? NaN);
  const bySeed = seedPairedTest(cells, dataset, system, baseline);
  // Each mean is a whole number of 1 / STEPS over its k seeds, so a - b is a whole multiple of
  // 1 / (STEPS * k_ours * k_theirs); its float value is that up to ~1e-16 of summing noise, which
  // neither test may read as a difference (the Wilcoxon test nor split a tie over; the t-test nor
  // take for spread: the same means summed in another seed order gave p = 0.256, not 1).
  const runs = (name: string) => cellsOf(shared, dataset, name).length;
  const resolution = 1 / (PER_USER_METRIC_STEPS * runs(system) * runs(baseline));
  return {
    system,
    baseline,
    metric: "NDCG@10",
    tTest: pairedTTest(a, b, { resolution }),
    wilcoxon: wilcoxonSignedRank(a, b, { resolution }),
    ...(bySeed ? { bySeed } : {}),
  };
}

/** Paired t-test of the two systems' test NDCG@10 over the seeds both finished (two or more). */
function seedPairedTest(
  cells: readonly CellResult[],
  dataset: string,
  system: string,
  baseline: string,
): SignificanceResult["bySeed"] {
  const theirs = new Map(cellsOf(cells, dataset, baseline).map((c) => [c.seed, c]));
  const pairs = cellsOf(cells, dataset, system).flatMap((c) => {
    const other = theirs.get(c.seed);
    return other ? [[c.test["NDCG@10"], other.test["NDCG@10"]]] : [];
  });
  if (pairs.length < 2) return undefined;
  return {
    ...pairedTTest(pairs.map(([a]) => a), pairs.map(([, b]) => b)),
    ahead: pairs.filter(([a, b]) => a > b).length,
    // Exact equality on purpose: only the same run gives the same bits.
    tied: pairs.filter(([a, b]) => a === b).length,
  };
}

/**
 * The strongest of `baselines` by mean VALIDATION NDCG@10 (test numbers never choose), and the
 * paired tests of `system` against it (see {@linkcode comparePaired}).
 */
export function compareWithStrongestBaseline(
  cells: readonly CellResult[],
  dataset: string,
  system: string,
  baselines: readonly string[],
): SignificanceResult | undefined {
  const summaries = summariseSystems(cells, dataset, baselines);
  if (summaries.length === 0) return undefined;
  const strongest = summaries.reduce((best, s) =>
    s.valid["NDCG@10"].mean > best.valid["NDCG@10"].mean ? s : best
  );
  return comparePaired(cells, dataset, system, strongest.system);
}

/** A bucket of test users by how often their test item occurs in training. */
export interface ColdStartBucket {
  /** Bucket label, e.g. "0-4". */
  label: string;
  /** Inclusive range of training interactions of the test item. */
  min: number;
  /** Upper end of the range (inclusive). */
  max: number;
  /** Test users in the bucket. */
  users: number;
  /**
   * Per system: mean over users of the seed-averaged NDCG@10 and HR@10. NaN (missing, "–" in a
   * table, no bar in a figure) for an empty bucket, and for a system whose cells did not score
   * every user of the bucket (`unscored`): a mean over fewer users, or with 0 for the others,
   * would be another bucket's number.
   */
  bySystem: Record<string, { "NDCG@10": number; "HR@10": number }>;
  /** Per system whose cells did not score some of the bucket's users: how many. Else absent. */
  unscored?: Record<string, number>;
}

/** Default bucket edges: [0, 5], [6, 20], [21, inf) training interactions of the test item. */
export const COLD_START_EDGES: readonly [number, number][] = [[0, 5], [6, 20], [21, Infinity]];

/**
 * Accuracy of `systems` on test items bucketed by their training frequency (see
 * {@linkcode ColdStartBucket}: an empty bucket, or a system that did not score all of a bucket's
 * users, has NaN, never 0).
 *
 * @example
 * ```ts
 * const buckets = coldStartBuckets(results, "MovieLens", data.split, ["SASRec-MM", "Demure-SASRec"]);
 * buckets.filter((bucket) => bucket.users === 0); // each shows "–", not 0
 * ```
 */
export function coldStartBuckets(
  cells: readonly CellResult[],
  dataset: string,
  split: LeaveOneOutSplit,
  systems: readonly string[],
  edges: readonly [number, number][] = COLD_START_EDGES,
): ColdStartBucket[] {
  const counts = trainingItemCounts(split);
  // A system with cells is kept even when every run diverged (it scored no user): its buckets say
  // that its cells scored none of their users (`unscored`), not that it has no cells.
  const perSystem = systems.filter((system) => cellsOf(cells, dataset, system).length > 0)
    .map((system) => ({
      system,
      ndcg: perUserOverSeeds(cells, dataset, system, "NDCG@10"),
      hr: perUserOverSeeds(cells, dataset, system, "HR@10"),
    }));
  return edges.map(([min, max]) => {
    const inBucket = (user: number) => {
      const count = counts[split.testTarget[user]];
      return count >= min && count <= max;
    };
    const users = Array.from({ length: split.testTarget.length }, (_, u) => u).filter(inBucket);
    const bySystem: ColdStartBucket["bySystem"] = {};
    const unscored: Record<string, number> = {};
    for (const { system, ndcg, hr } of perSystem) {
      const missing = users.filter((u) => !ndcg.has(u) || !hr.has(u)).length;
      if (missing > 0) unscored[system] = missing;
      // The mean of no users is undefined: NaN, which tables print as "–".
      const mean = (m: Map<number, number>) =>
        users.length === 0 || missing > 0
          ? Number.NaN
          : users.reduce((s, u) => s + m.get(u)!, 0) / users.length;
      bySystem[system] = { "NDCG@10": mean(ndcg), "HR@10": mean(hr) };
    }
    return {
      label: max === Infinity ? `>= ${min}` : `${min}-${max}`,
      min,
      max,
      users: users.length,
      bySystem,
      ...(Object.keys(unscored).length > 0 ? { unscored } : {}),
    };
  });
}

/**
 * Why `system` has no value in `bucket` (see {@linkcode ColdStartBucket}), or undefined when it
 * has one: the words a table's "–" or a figure's missing bar is explained with.
 *
 * @example
 * ```ts
 * coldStartGap({ label: "0-5", min: 0, max: 5, users: 0, bySystem: {} }, "SASRec-MM");
 * // "no test user's item has 0-5 training interactions"
 * ```
 */
export function coldStartGap(bucket: ColdStartBucket, system: string): string | undefined {
  if (bucket.users === 0) {
    return `no test user's item has ${bucket.label} training interactions`;
  }
  const unscored = bucket.unscored?.[system];
  if (unscored !== undefined) {
    return `${system}'s cells did not score ${unscored} of the ${bucket.users} users`;
  }
  if (bucket.bySystem[system] === undefined) return `${system} has no cells`;
  return undefined;
}

/** Attribution quality of one method over seeds. */
export interface AttributionSummary {
  /** The system whose model was attributed. */
  system: string;
  /** The attribution method. */
  method: string;
  /**
   * The seeds whose runs were attributed, ascending: not every seed of the main table (a run
   * reused from its selection trial is not attributed again: in the full plan, the first seed).
   */
  seeds: number[];
  /** (user, position, modality) ROC-AUC over seeds. */
  rocAuc: MeanStd;
  /** (user, modality) ROC-AUC over seeds. */
  userModalityRocAuc: MeanStd;
  /** Precision of the selected noise pairs over seeds. */
  precision: MeanStd;
  /** Recall of the selected noise pairs over seeds. */
  recall: MeanStd;
  /** Mean wall time of attributing the scored users, in seconds. */
  seconds: number;
}

/** Mean and std over seeds of each method's agreement with the planted truth. */
export function summariseAttribution(
  cells: readonly CellResult[],
  dataset: string,
  system: string,
): AttributionSummary[] {
  const runs = cellsOf(cells, dataset, system).filter((c) => c.attribution);
  if (runs.length === 0) return [];
  // Every method any attributed run scored, in the order first stored: the first run's list alone
  // would drop, without a word, a method only a later seed's run was attributed with.
  const methods = [
    ...new Set(runs.flatMap((c) => (c.attribution ?? []).map((q) => q.method))),
  ];
  return methods.map((method) => {
    const scored = runs.flatMap((c) => {
      const quality = (c.attribution ?? []).find((q) => q.method === method);
      return quality ? [{ seed: c.seed, quality }] : [];
    });
    const rows: AttributionQuality[] = scored.map(({ quality }) => quality);
    return {
      system,
      method,
      seeds: scored.map(({ seed }) => seed).sort((a, b) => a - b),
      rocAuc: meanStd(rows.map((q) => q.rocAuc)),
      userModalityRocAuc: meanStd(rows.map((q) => q.userModalityRocAuc)),
      precision: meanStd(rows.map((q) => q.precision)),
      recall: meanStd(rows.map((q) => q.recall)),
      seconds: meanStd(rows.map((q) => q.seconds)).mean,
    };
  });
}
