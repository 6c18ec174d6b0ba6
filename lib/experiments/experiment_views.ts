/**
 * The experiments' views of finished cells, selected by the cells' tags (never by parsing their
 * names): the sensitivity curves and the noise-level curves that notebooks and reports draw.
 *
 * @example
 * ```ts
 * const plan = planExperiments("quick");
 * const { found } = await ensureCells(plan, cellsOf(plan, "sensitivity"), { resultsDir });
 * for (const [parameter, points] of sensitivityCurves(found)) console.log(parameter, points.length);
 * ```
 */
import { resolveDemureConfig } from "../demure/objective.ts";
import { type MeanStd, meanStd } from "./analyse.ts";
import type { FinishedCell } from "./ensure_cells.ts";
import type { SweepParameter } from "./plan.ts";
import type { CellResult } from "./run_cell.ts";

/** One point of a sensitivity curve. */
export interface SensitivityPoint {
  /** The swept parameter's value. */
  value: number;
  /** The cell run at that value. */
  result: CellResult;
}

/**
 * For each swept parameter, its points sorted by value: the sweep's cells plus the reference
 * cell (tagged `sensitivity` without a sweep: the default configuration) at its default value.
 * Parameters without a swept cell are left out.
 */
export function sensitivityCurves(
  found: readonly FinishedCell[],
): Map<SweepParameter, SensitivityPoint[]> {
  const tagged = found.filter(({ cell }) => cell.experiments.includes("sensitivity"));
  const reference = tagged.find(({ cell }) => cell.sweep === undefined);
  const defaults = reference && reference.cell.system.kind === "neural"
    ? resolveDemureConfig(reference.cell.system.demure ?? {})
    : undefined;
  const curves = new Map<SweepParameter, SensitivityPoint[]>();
  for (const { cell, result } of tagged) {
    if (cell.sweep === undefined) continue;
    const points = curves.get(cell.sweep.parameter) ?? [];
    points.push({ value: cell.sweep.value, result });
    curves.set(cell.sweep.parameter, points);
  }
  for (const [parameter, points] of curves) {
    if (reference && defaults) {
      points.push({ value: defaults[parameter], result: reference.result });
    }
    points.sort((a, b) => a.value - b.value);
  }
  return curves;
}

/** One system's curve over the noise fractions: mean ± std over seeds at each fraction. */
export interface NoiseLevelCurve {
  /** System name. */
  system: string;
  /** Noise fractions, ascending. */
  fractions: number[];
  /** Test NDCG@10 over seeds at each fraction. */
  stats: MeanStd[];
}

/**
 * The noise-level experiment: for each system, `pick(result)` (a metric; undefined skips the
 * cell) at each noise fraction, mean ± std over seeds. Fractions ascending, systems in the order
 * first seen.
 */
export function noiseLevelCurves(
  found: readonly FinishedCell[],
  pick: (result: CellResult) => number | undefined,
): NoiseLevelCurve[] {
  const tagged = found.filter(({ cell }) =>
    cell.experiments.includes("noise_level") && cell.noiseFraction !== undefined
  );
  const fractions = [...new Set(tagged.map(({ cell }) => cell.noiseFraction!))].sort((a, b) =>
    a - b
  );
  const systems = [...new Set(tagged.map(({ cell }) => cell.systemName))];
  return systems.map((system) => ({
    system,
    fractions,
    stats: fractions.map((fraction) =>
      meanStd(
        tagged
          .filter(({ cell }) => cell.systemName === system && cell.noiseFraction === fraction)
          .map(({ result }) => pick(result))
          .filter((value): value is number => value !== undefined),
      )
    ),
  }));
}
