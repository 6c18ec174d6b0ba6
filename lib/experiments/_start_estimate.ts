/**
 * The time left of a run of a plan: the cells pending at its start, each with its estimated cost
 * (`cell_seconds.ts`), corrected by the time the finished ones really took. Private to the plan
 * runner (`run_plan.ts`).
 */
import { type EpochSize, estimatedCellSeconds } from "./cell_seconds.ts";
import type { ExperimentPlan, PlannedCell } from "./plan_types.ts";
import type { ResultStore } from "./result_store.ts";
import { isFinished, isReusable } from "./stored_cells.ts";

/** The cells pending when the run starts, with their estimated cost: the time left's basis. */
export class StartEstimate {
  /** The cells of the plan not finished at the start. */
  readonly pending: PlannedCell[];
  /** The estimated seconds of each pending cell (0: reused from the same run). */
  readonly #cost: Map<string, number>;
  /** The estimated seconds of all pending cells. */
  readonly expectedSeconds: number;

  /**
   * `sizes`: the epoch size of an imported dataset's cells by key, read from their prepared data,
   * which scales their estimate (`estimatedCellSeconds`); a cell without one is estimated unscaled.
   */
  constructor(
    current: ExperimentPlan,
    store: ResultStore,
    sizes: ReadonlyMap<string, EpochSize> = new Map(),
  ) {
    this.pending = current.cells.filter((cell) => !isFinished(store, current, cell));
    this.#cost = new Map(this.pending.map((cell) => [
      cell.key,
      isReusable(store, current, cell)
        ? 0
        : estimatedCellSeconds(current, cell, sizes.get(cell.key)),
    ]));
    this.expectedSeconds = [...this.#cost.values()].reduce((s, seconds) => s + seconds, 0);
  }

  /** The seconds left, extrapolated from `elapsedSeconds` and the estimated cost finished. */
  secondsLeft(current: ExperimentPlan, store: ResultStore, elapsedSeconds: number): number {
    // The planned cells finished by any process sharing the store, not only this one's: with
    // several processes this one's own share would overstate the time left by their number.
    const finishedByAll = this.pending.filter((planned) => {
      const now = current.cells.find((c) => c.key === planned.key);
      return now !== undefined && !now.waitsFor && isFinished(store, current, now);
    });
    const expectedDone = finishedByAll.reduce((s, c) => s + this.#cost.get(c.key)!, 0);
    // No estimated cost has finished yet (none of the cells, or only reused ones, which cost
    // nothing): no rate to extrapolate from, so the estimate stands as it was.
    if (expectedDone === 0) return this.expectedSeconds;
    return Math.max(0, elapsedSeconds / expectedDone * (this.expectedSeconds - expectedDone));
  }
}
