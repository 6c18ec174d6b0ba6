/**
 * The experiments' views of finished cells, selected by the cells' tags (never by parsing their
 * names): the sensitivity curves and the noise-level curves that notebooks and reports draw.
 *
 * @example
 * ```ts
 * const plan = planExperiments("quick");
 * const { found } = await ensureCells(plan, cellsOf(plan, "sensitivity"), { resultsDir });
 * for (const { dataset, parameter, points } of sensitivityCurves(found)) {
 *   console.log(dataset, parameter, points.length);
 * }
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

/** How Demure-SASRec's metrics move with one parameter on one dataset (first seed). */
export interface SensitivityCurve {
  /** Label of the dataset, e.g. "MovieLens". */
  dataset: string;
  /** The parameter varied. */
  parameter: SweepParameter;
  /** The points, by value ascending. */
  points: SensitivityPoint[];
}

/**
 * One curve per (dataset, swept parameter), datasets and parameters in the order first seen: the
 * sweep's cells of that dataset plus its reference cell (tagged `sensitivity` without a sweep: the
 * selected configuration) at its own value, unless a swept cell has that value (the same run). A
 * curve never mixes datasets; parameters without a swept cell are left out.
 */
export function sensitivityCurves(found: readonly FinishedCell[]): SensitivityCurve[] {
  const tagged = found.filter(({ cell }) => cell.experiments.includes("sensitivity"));
  const curves = new Map<string, SensitivityCurve>();
  for (const { cell, result } of tagged) {
    if (cell.sweep === undefined) continue;
    const id = `${cell.datasetLabel}\n${cell.sweep.parameter}`;
    const curve = curves.get(id) ??
      { dataset: cell.datasetLabel, parameter: cell.sweep.parameter, points: [] };
    curve.points.push({ value: cell.sweep.value, result });
    curves.set(id, curve);
  }
  for (const curve of curves.values()) {
    const reference = tagged.find(({ cell }) =>
      cell.sweep === undefined && cell.datasetLabel === curve.dataset
    );
    if (reference && reference.cell.system.kind === "neural") {
      // The sweep's cell at the selected value is the same run: one point.
      const value = resolveDemureConfig(reference.cell.system.demure ?? {})[curve.parameter];
      if (!curve.points.some((point) => point.value === value)) {
        curve.points.push({ value, result: reference.result });
      }
    }
    curve.points.sort((a, b) => a.value - b.value);
  }
  return [...curves.values()];
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
