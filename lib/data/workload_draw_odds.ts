/**
 * The odds of the workload generator's draws (lib/data/workload_shape.ts), which take items
 * without repeats by drawing again while the item is taken. With a steep popularity
 * (`popularitySkew` of 10 at the Beauty shape) the cumulative weights of all but the top few items
 * fall below one of the draw's 2^32 points of the total, or below the total's float resolution:
 * once those few are taken, no draw ever succeeded, and generation hung. This tracks, without
 * reading a draw, how many of the draw's values still land on an untaken item, and refuses a step
 * that none reaches, an item that expects more than {@linkcode MAX_EXPECTED_DRAWS_PER_ITEM} draws,
 * or a dataset whose rejected draws would pass {@linkcode MAX_EXPECTED_REJECTIONS}, with a
 * SettingError that says what would finish.
 *
 * @example
 * ```ts
 * const odds = new DrawOdds(settings, global, byCluster);
 * odds.startHistory(cluster);
 * odds.checkStep(user, length); // throws if no draw can finish this step
 * odds.take(item);
 * ```
 */
import { SettingError } from "../util/settings.ts";
import { DRAW_POINTS, drawPointsOf } from "./cumulative_draw.ts";

/**
 * The most draws one item of a history may expect: 2^26 (about 3 s at about 50 ns a draw here).
 * At the Beauty shape popularitySkew 4 finishes (in 37 s) with at most 3.6e6 for an item, and
 * popularitySkew 10 came to items expecting 9e7 and 6e8, and then to a user whose draws reach
 * fewer items than its history holds.
 */
export const MAX_EXPECTED_DRAWS_PER_ITEM = 2 ** 26;

/**
 * The most rejected draws a dataset may expect in all: 2^32, as many as the draw has values
 * (about 3.5 minutes at 50 ns a draw). At the Beauty shape popularitySkew 4 expects 6.9e8 and the
 * default 0.8 about 3e4.
 */
export const MAX_EXPECTED_REJECTIONS = 2 ** 32;

/** The most draws an item, and the most rejected draws a dataset, may expect. */
export interface DrawOddsLimits {
  /** Default {@linkcode MAX_EXPECTED_DRAWS_PER_ITEM}. */
  drawsPerItem: number;
  /** Default {@linkcode MAX_EXPECTED_REJECTIONS}. */
  rejections: number;
}

/** The library's limits. */
export const DRAW_ODDS_LIMITS: Readonly<DrawOddsLimits> = Object.freeze({
  drawsPerItem: MAX_EXPECTED_DRAWS_PER_ITEM,
  rejections: MAX_EXPECTED_REJECTIONS,
});

/** One cluster's items (item `i` is in cluster `i % clusters`, at index `floor(i / clusters)`). */
export interface ClusterDraw {
  /** The cluster's items, increasing. */
  items: number[];
  /** Cumulative popularity weights of `items`. */
  cumulative: Float64Array;
}

/** The settings the odds depend on or that their errors name. */
export interface DrawOddsSettings {
  /** Zipf exponent of popularity. */
  popularitySkew: number;
  /** Probability that a draw is from the user's cluster. */
  clusterAffinity: number;
  /** Most interactions per user. */
  maxHistory: number;
}

/** The draw's chances of an untaken item, user by user and step by step. */
export class DrawOdds {
  /** Values of `rng.next()` below `clusterAffinity`: the draws from the user's cluster. */
  readonly #clusterPoints: number;
  #cluster = 0;
  /** Values of a draw from all items that land on an untaken item. */
  #globalLeft = DRAW_POINTS;
  /** Values of a draw from the user's cluster that land on an untaken item. */
  #clusterLeft = DRAW_POINTS;
  /** Rejected draws expected so far, over the whole dataset. */
  #rejections = 0;

  /**
   * Odds over `global` (all items' cumulative weights) and `byCluster`; `limits` other than
   * the library's are for tests, which cannot spend 2^32 draws.
   */
  constructor(
    readonly settings: DrawOddsSettings,
    readonly global: Float64Array,
    readonly byCluster: readonly ClusterDraw[],
    readonly limits: DrawOddsLimits = DRAW_ODDS_LIMITS,
  ) {
    // j / 2^32 < affinity for the integers j below affinity * 2^32 (exact: a power of two).
    this.#clusterPoints = Math.min(DRAW_POINTS, Math.ceil(settings.clusterAffinity * DRAW_POINTS));
  }

  /** A new history, of a user who prefers cluster `cluster`; nothing taken yet. */
  startHistory(cluster: number): void {
    this.#cluster = cluster;
    this.#globalLeft = DRAW_POINTS;
    this.#clusterLeft = DRAW_POINTS;
  }

  /** `item` is taken: the values that land on it now draw again. */
  take(item: number): void {
    this.#globalLeft -= drawPointsOf(this.global, item);
    const clusters = this.byCluster.length;
    if (item % clusters === this.#cluster) {
      const { cumulative } = this.byCluster[this.#cluster];
      this.#clusterLeft -= drawPointsOf(cumulative, Math.floor(item / clusters));
    }
  }

  /**
   * Throws a SettingError if the next draw of `user`'s history of `length` items can never
   * succeed, expects more than {@linkcode MAX_EXPECTED_DRAWS_PER_ITEM} draws, or brings the
   * dataset's expected rejected draws past {@linkcode MAX_EXPECTED_REJECTIONS}.
   */
  checkStep(user: number, length: number): void {
    const a = this.#clusterPoints;
    const success = (a * this.#clusterLeft + (DRAW_POINTS - a) * this.#globalLeft) /
      DRAW_POINTS ** 2;
    if (success === 0) throw this.#neverFinishes(user, length);
    this.#rejections += 1 / success - 1;
    const { drawsPerItem, rejections } = this.limits;
    if (1 / success > drawsPerItem || this.#rejections > rejections) {
      throw this.#tooSlow(user, length, success);
    }
  }

  /** Per cluster, how many distinct items a user preferring it can draw at all. */
  reachPerCluster(): number[] {
    const clusters = this.byCluster.length;
    const fromCluster = this.#clusterPoints > 0;
    const fromAll = this.#clusterPoints < DRAW_POINTS;
    let globalReach = 0;
    const onlyInCluster = new Array<number>(clusters).fill(0);
    for (let item = 0; item < this.global.length; item++) {
      const reached = fromAll && drawPointsOf(this.global, item) > 0;
      if (reached) globalReach++;
      const c = item % clusters;
      const inCluster = fromCluster &&
        drawPointsOf(this.byCluster[c].cumulative, Math.floor(item / clusters)) > 0;
      if (inCluster && !reached) onlyInCluster[c]++;
    }
    return onlyInCluster.map((extra) => globalReach + extra);
  }

  /** The setting to blame: the skew, unless every item the draws could take is reached. */
  #blame(reach: number): { setting: string; value: number } {
    const domain = this.#clusterPoints < DRAW_POINTS
      ? this.global.length
      : this.byCluster[this.#cluster].items.length;
    const { popularitySkew, clusterAffinity } = this.settings;
    return reach < domain
      ? { setting: "workload.popularitySkew", value: popularitySkew }
      : { setting: "workload.clusterAffinity", value: clusterAffinity };
  }

  #neverFinishes(user: number, length: number): SettingError {
    const reaches = this.reachPerCluster();
    const reach = reaches[this.#cluster];
    const { setting, value } = this.#blame(reach);
    const { popularitySkew, clusterAffinity, maxHistory } = this.settings;
    return new SettingError(
      setting,
      value,
      `a value at which every history can finish: at popularitySkew ${popularitySkew} and ` +
        `clusterAffinity ${clusterAffinity} user ${user}'s draws reach only ${reach} distinct ` +
        `items (an item whose share of the popularity total is below one of the draw's 2^32 ` +
        `values is never drawn), and its history has ${length}, so its draw never finished. ` +
        `Histories of at most ${Math.min(...reaches)} items always finish at these settings ` +
        `(workload.maxHistory, now ${maxHistory}, with minHistory and medianHistory within it); ` +
        "a smaller popularitySkew, or a clusterAffinity below 1, reaches more items",
    );
  }

  #tooSlow(user: number, length: number, success: number): SettingError {
    const { popularitySkew, clusterAffinity, maxHistory } = this.settings;
    // Without skew every item holds an equal share: only an affinity within 2^-32 of 1 (or of
    // 0) leaves an untaken item few of the draws.
    const { setting, value } = popularitySkew > 0
      ? { setting: "workload.popularitySkew", value: popularitySkew }
      : { setting: "workload.clusterAffinity", value: clusterAffinity };
    return new SettingError(
      setting,
      value,
      `a value whose draws finish in bounded time: at popularitySkew ${popularitySkew} and ` +
        `clusterAffinity ${clusterAffinity} the untaken items of user ${user}'s history of ` +
        `${length} hold ${success.toPrecision(3)} of its draws (about ` +
        `${(1 / success).toPrecision(3)} draws for its next item): more than 2^26 draws for ` +
        "an item, or 2^32 rejected draws for the dataset, is refused (at about 50 ns a draw: " +
        "seconds per item, minutes in all, and more beyond). A smaller " +
        `popularitySkew, or a smaller workload.maxHistory (now ${maxHistory}), finishes sooner`,
    );
  }
}
