/**
 * Results of record: the committed result file of every finished cell (`results-of-record/<mode>`:
 * settings, metrics, per-user test NDCG@10, best epoch, timings; no weights) and the check that a
 * rerun of a cell reproduces its record.
 *
 * Training is deterministic for a seed on one backend and one BLAS thread count, so a rerun in the
 * same environment must give bit-identical metrics. Elsewhere (another thread count changes the
 * order of floating-point sums, which training amplifies) a rerun counts as reproduced when every
 * metric is within {@linkcode RERUN_TOLERANCE} of the record.
 *
 * @example
 * ```ts
 * const plan = planOfResults("full", RECORDS_DIR.full);
 * const cells = verificationSubset(plan);
 * const check = compareWithRecord(recorded, rerun);
 * console.log(check.status); // "identical"
 * ```
 */
import { cellsOf } from "./plan.ts";
import type { ExperimentPlan, PlannedCell } from "./plan_types.ts";
import type { CellEnvironment, CellResult } from "./run_cell.ts";

// Its own module (no code imports), for `deno task reproduce --help`; exported here as before.
export { RECORDS_DIR } from "./records_dir.ts";

/** Largest absolute difference of a metric between a rerun and its record in another environment. */
export const RERUN_TOLERANCE = 0.005;

/**
 * The default verification subset: every system of the main table on every dataset at the first
 * seed (the cheapest set that reruns each system's training on both datasets once).
 */
export function verificationSubset(plan: ExperimentPlan): PlannedCell[] {
  return cellsOf(plan, "main").filter((cell) =>
    !cell.waitsFor && cell.seed === plan.datasets[cell.dataset.kind].seeds[0]
  );
}

/** How a rerun compares with its record. */
export interface RerunCheck {
  /** The cell's key. */
  key: string;
  /** How the rerun compares with the record. */
  status: "identical" | "within tolerance" | "differs" | "no record";
  /** Same backend, BLAS thread count and kernel set as the record. */
  sameEnvironment: boolean;
  /** Largest absolute difference over the validation and test metrics. */
  maxDifference: number;
  /** The record's test NDCG@10 (undefined without a record). */
  recorded?: number;
  /** The rerun's test NDCG@10. */
  rerun: number;
}

/**
 * Same backend, BLAS thread count, architecture and, where the record names it, OpenBLAS kernel
 * set (the records made before the kernel set was recorded do not: results-of-record/README.md).
 * A rerun always names it when OpenBLAS ran its products, so a rerun without one ran tfjs's own
 * kernels: another environment than a record made with OpenBLAS.
 */
function sameEnvironment(recorded: CellEnvironment | undefined, rerun: CellEnvironment): boolean {
  return recorded !== undefined && recorded.backend === rerun.backend &&
    recorded.blasThreads === rerun.blasThreads && recorded.arch === rerun.arch &&
    (recorded.blasKernels === undefined || recorded.blasKernels === rerun.blasKernels);
}

/** Compares the metrics of a rerun with the record of the same cell. */
export function compareWithRecord(
  key: string,
  recorded: CellResult | undefined,
  rerun: CellResult,
): RerunCheck {
  const rerunNdcg = rerun.test["NDCG@10"];
  const same = sameEnvironment(recorded?.environment, rerun.environment);
  if (recorded === undefined) {
    return {
      key,
      status: "no record",
      sameEnvironment: false,
      maxDifference: NaN,
      rerun: rerunNdcg,
    };
  }
  let maxDifference = 0;
  for (const stage of ["valid", "test"] as const) {
    for (const [metric, value] of Object.entries(recorded[stage])) {
      // A metric the rerun lacks or that is NaN (a diverged run) is as far as can be: Infinity,
      // as printed by scripts/reproduce.ts. Before, a missing metric reported NaN.
      const difference = Math.abs(value - (rerun[stage][metric] ?? NaN));
      maxDifference = Number.isNaN(difference) ? Infinity : Math.max(maxDifference, difference);
    }
  }
  const status = maxDifference === 0
    ? "identical"
    : !same && maxDifference <= RERUN_TOLERANCE
    ? "within tolerance"
    : "differs";
  return {
    key,
    status,
    sameEnvironment: same,
    maxDifference,
    recorded: recorded.test["NDCG@10"],
    rerun: rerunNdcg,
  };
}
