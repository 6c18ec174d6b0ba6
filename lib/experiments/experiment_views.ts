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
import { resolveDemureConfig } from "../demure/config.ts";
import { type MeanStd, meanStd } from "./analyse.ts";
import type { FinishedCell } from "./ensure_cells.ts";
import type { PlannedCell, SweepParameter, Sweeps } from "./plan_types.ts";
import type { CellResult } from "./run_cell.ts";
import { NOISE_LEVEL_SYSTEMS } from "./systems.ts";
import { checkSettingNames, SettingError, type SettingNames } from "../util/settings.ts";

/** One seed's run in a sensitivity sweep. */
export interface SeedRun {
  /** The run's seed. */
  seed: number;
  /** The run's result. */
  result: CellResult;
}

/**
 * One value of a dataset's sensitivity sweep: Demure-SASRec with `parameter` at `value`, the rest
 * at the dataset's selected configuration, one run per seed that finished.
 */
export interface SweepValueRuns {
  /** Label of the dataset, e.g. "MovieLens". */
  dataset: string;
  /** The parameter varied. */
  parameter: SweepParameter;
  /** Its value in these runs. */
  value: number;
  /** `value` is the selected configuration's own (then `runs` are `selectedRuns`). */
  selected: boolean;
  /** One run per seed, seeds ascending. */
  runs: SeedRun[];
  /** The selected configuration's run at each seed of the dataset's sweep, seeds ascending. */
  selectedRuns: SeedRun[];
}

/**
 * One run per seed of `runs`, seeds ascending: the first of each seed in `runs`' order (put the
 * preferred run of a seed first), so that no seed weighs twice in a mean or a pairing.
 */
export function seedRuns(runs: readonly FinishedCell[]): SeedRun[] {
  const seen = new Map<number, SeedRun>();
  for (const { cell, result } of runs) {
    if (!seen.has(cell.seed)) seen.set(cell.seed, { seed: cell.seed, result });
  }
  return [...seen.values()].sort((a, b) => a.seed - b.seed);
}

/**
 * The finished runs of each dataset's sensitivity sweep by (dataset, parameter, value), one run
 * per seed: the cells tagged `sensitivity`, that is the sweep's cells (with `cell.sweep`) and the
 * reference cells (without: the main table's Demure-SASRec at the sweep's seeds).
 *
 * The selected configuration is one run per seed, whichever parameter's table shows it: at a seed
 * the reference cell and the sweep's cells at the selected values may all be finished, and have
 * the same settings (on MovieLens the sweep cell is the main cell's record reused; on the
 * synthetic data it is a separate run, since the main cell also scores the attribution, with
 * identical numbers in the records). Counting more than one of them would weigh that seed twice.
 * The reference cell represents the seed (it is the number the main table reports); a sweep cell
 * at the selected value stands in only where the reference cell has not finished.
 *
 * Datasets in the order first seen, then parameters in the order first seen, values ascending.
 * `declared` (the plan's `sweeps`) adds, for a dataset with a finished selected run, the rows of
 * declared parameters no swept cell has reached yet (the selected value's row); without it a
 * parameter appears once one of its swept cells has finished.
 */
export function sweepValueRuns(
  found: readonly FinishedCell[],
  declared: Readonly<Record<string, Sweeps>> = {},
): SweepValueRuns[] {
  const tagged = found.filter(({ cell }) => cell.experiments.includes("sensitivity"));
  const demureOf = (cell: PlannedCell) =>
    resolveDemureConfig(cell.system.kind === "neural" ? cell.system.demure ?? {} : {});
  const byDataset = new Map<string, FinishedCell[]>();
  for (const finished of tagged) {
    byDataset.set(finished.cell.datasetLabel, [
      ...byDataset.get(finished.cell.datasetLabel) ?? [],
      finished,
    ]);
  }
  return [...byDataset].flatMap(([dataset, cells]) => {
    const references = cells.filter(({ cell }) => cell.sweep === undefined);
    const swept = cells.filter(({ cell }) => cell.sweep !== undefined);
    // A parameter's selected value: the reference's, or any cell sweeping another parameter's.
    const selectedValue = (parameter: SweepParameter): number | undefined => {
      const source = references[0] ??
        swept.find(({ cell }) => cell.sweep!.parameter !== parameter);
      return source && demureOf(source.cell)[parameter];
    };
    const atSelected = swept.filter(({ cell }) =>
      cell.sweep!.value === selectedValue(cell.sweep!.parameter)
    );
    // The reference cell of a seed first: it represents the seed.
    const selectedRuns = seedRuns([...references, ...atSelected]);
    const parameters = [
      ...new Set([
        ...swept.map(({ cell }) => cell.sweep!.parameter),
        ...(selectedRuns.length > 0
          ? Object.keys(declared[dataset] ?? {}) as SweepParameter[]
          : []),
      ]),
    ];
    return parameters.flatMap((parameter) => {
      const selected = selectedValue(parameter);
      const own = swept.filter(({ cell }) => cell.sweep!.parameter === parameter);
      const values = [...new Set([...own.map(({ cell }) => cell.sweep!.value), selected])]
        .filter((value): value is number => value !== undefined)
        .sort((a, b) => a - b);
      return values.map((value): SweepValueRuns => ({
        dataset,
        parameter,
        value,
        selected: value === selected,
        runs: value === selected
          ? selectedRuns
          : seedRuns(own.filter(({ cell }) => cell.sweep!.value === value)),
        selectedRuns,
      })).filter((point) => point.runs.length > 0);
    });
  });
}

/** One point of a sensitivity curve: the runs at one value, over seeds. */
export interface SensitivityPoint {
  /** The swept parameter's value. */
  value: number;
  /** The seeds run at that value, ascending. */
  seeds: number[];
  /** The picked metric over those seeds: mean, sample std (0 for one seed) and n. */
  stats: MeanStd;
  /** The runs at that value, one per seed (in `seeds`' order). */
  results: CellResult[];
  /** The same runs with their cells (the settings a caption names the training objective from). */
  finished: FinishedCell[];
  /** Whether this is the dataset's selected value (the main table's configuration). */
  selected: boolean;
}

/** How Demure-SASRec's metric moves with one parameter on one dataset, over seeds. */
export interface SensitivityCurve {
  /** Label of the dataset, e.g. "MovieLens". */
  dataset: string;
  /** The parameter varied. */
  parameter: SweepParameter;
  /** The points, by value ascending. */
  points: SensitivityPoint[];
}

/**
 * One curve per (dataset, swept parameter), datasets and parameters in the order first seen, a
 * point per value with `pick(result)` (default: test NDCG@10) over its seeds. The selected value's
 * point counts each seed once (see {@linkcode sweepValueRuns}). A curve never mixes datasets;
 * parameters without a finished swept cell are left out.
 */
export function sensitivityCurves(
  found: readonly FinishedCell[],
  pick: (result: CellResult) => number = (result) => result.test["NDCG@10"],
): SensitivityCurve[] {
  const curves = new Map<string, SensitivityCurve>();
  const cellOf = new Map(found.map((finished) => [finished.result, finished]));
  for (const { dataset, parameter, value, selected, runs } of sweepValueRuns(found)) {
    const id = `${dataset}\n${parameter}`;
    const curve = curves.get(id) ?? { dataset, parameter, points: [] };
    curve.points.push({
      value,
      seeds: runs.map((run) => run.seed),
      stats: meanStd(runs.map((run) => pick(run.result))),
      results: runs.map((run) => run.result),
      finished: runs.map((run) => cellOf.get(run.result)!),
      selected,
    });
    curves.set(id, curve);
  }
  return [...curves.values()];
}

/** One system's curve over the planted noise shares: mean ± std over seeds at each share. */
export interface NoiseLevelCurve {
  /** System name. */
  system: string;
  /** Planted noise shares (`SyntheticConfig.noiseFraction`), ascending. */
  fractions: number[];
  /** The picked metric over seeds at each fraction. */
  stats: MeanStd[];
  /**
   * The name of the picked metric (`noiseLevelCurves`' `metric`): the label its figure and table
   * take, so that no label can disagree with the numbers. Absent when the curves were made
   * without a name.
   */
  metric?: string;
  /** The runs counted, one per seed and fraction (their cards state the protocol in a caption). */
  runs: FinishedCell[];
}

/**
 * The noise-level experiment: for each system, `pick(result)` (a metric; undefined skips the
 * cell) at each planted noise share, mean ± std over seeds, one run per seed ({@linkcode seedRuns}: the
 * first cell of a seed with the metric, as {@linkcode noiseLevelGains} pairs them, so that a cell
 * found twice does not weigh its seed twice). Fractions ascending, every fraction for every system
 * (n = 0 where a system has no run there), systems in the order first seen. `metric` names what
 * `pick` returns (e.g. `"test HR@10"`): every curve records it, and `noiseLevelCurvesFigure` and
 * `noiseLevelTable` label with it and refuse a label that contradicts it. A `metric` that is not a
 * non-empty text is a `SettingError`.
 */
export function noiseLevelCurves(
  found: readonly FinishedCell[],
  pick: (result: CellResult) => number | undefined,
  metric?: string,
): NoiseLevelCurve[] {
  if (metric !== undefined && (typeof metric !== "string" || metric.trim() === "")) {
    throw new SettingError("noiseLevelCurves metric", metric, "a non-empty name, or left out");
  }
  const tagged = found.filter(({ cell }) =>
    cell.experiments.includes("noise_level") && cell.noiseFraction !== undefined
  );
  const fractions = [...new Set(tagged.map(({ cell }) => cell.noiseFraction!))].sort((a, b) =>
    a - b
  );
  const systems = [...new Set(tagged.map(({ cell }) => cell.systemName))];
  const cellOf = new Map(tagged.map((finished) => [finished.result, finished]));
  return systems.map((system) => {
    const counted = fractions.map((fraction) =>
      seedRuns(
        tagged.filter(({ cell, result }) =>
          cell.systemName === system && cell.noiseFraction === fraction &&
          pick(result) !== undefined
        ),
      )
    );
    return {
      system,
      fractions,
      stats: counted.map((runs) => meanStd(runs.map(({ result }) => pick(result)!))),
      runs: counted.flat().map(({ result }) => cellOf.get(result)!),
      ...(metric === undefined ? {} : { metric }),
    };
  });
}

/** One system's difference from another at one planted noise share, paired by seed. */
export interface NoiseLevelGain {
  /** The system whose gain it is (`NoiseLevelGainOptions.system`): the figure's label. */
  system: string;
  /** The system it is measured against (`NoiseLevelGainOptions.baseline`): the figure's label. */
  baseline: string;
  /** The name of the metric the differences are in (`NoiseLevelGainOptions.metric`). */
  metric: string;
  /** The planted noise share (`SyntheticConfig.noiseFraction`). */
  fraction: number;
  /** The seeds at which both systems finished, ascending. */
  seeds: number[];
  /** `system` minus `baseline` at each of `seeds` (the picked metric). */
  differences: number[];
  /** Mean, sample std (0 for one pair) and n of `differences`; mean and std NaN without a pair. */
  stats: MeanStd;
  /** Seeds at which only one of the two finished, ascending: not in the pairing. */
  unpaired: { system: number[]; baseline: number[] };
  /** Both systems' runs at `seeds` (their cards state the protocol in a caption). */
  runs: FinishedCell[];
}

/** Options of {@linkcode noiseLevelGains}. */
export interface NoiseLevelGainOptions {
  /** The system whose gain is measured. Default `"Demure-SASRec"`. */
  system?: string;
  /** The system it is measured against. Default `"SASRec-MM"`. */
  baseline?: string;
  /**
   * The metric's name, which the gains carry and their figure is labelled with. Without `pick`
   * it also chooses the number: `"test <name>"` or `"validation <name>"`, `<name>` a metric of
   * the results (e.g. `"test HR@10"` picks `result.test["HR@10"]`). Default `"test NDCG@10"`.
   */
  metric?: string;
  /**
   * A metric the name cannot say (any function of a `CellResult`); then `metric` is required and
   * names it, so that no label can disagree with the numbers. Default: picked by `metric`.
   */
  pick?: (result: CellResult) => number;
}

const NOISE_LEVEL_GAIN_SETTINGS: SettingNames<NoiseLevelGainOptions> = Object.freeze({
  system: true,
  baseline: true,
  metric: true,
  pick: true,
});

/** The metric of the noise-level gains when none is named. */
const DEFAULT_NOISE_LEVEL_METRIC = "test NDCG@10";

/** `"test HR@10"` → `result.test["HR@10"]`; undefined for a name of another form. */
function pickOfMetricName(metric: string): ((result: CellResult) => number) | undefined {
  const named = /^(test|validation) (\S+)$/.exec(metric);
  if (named === null) return undefined;
  const [, split, name] = named;
  return split === "test" ? (result) => result.test[name] : (result) => result.valid[name];
}

/** The metric's name and how to pick it, from `NoiseLevelGainOptions` (checked). */
function noiseLevelGainMetric(
  options: NoiseLevelGainOptions,
): { metric: string; pick: (result: CellResult) => number } {
  const metric = options.metric === undefined ? DEFAULT_NOISE_LEVEL_METRIC : options.metric;
  if (typeof metric !== "string" || metric.trim() === "") {
    throw new SettingError("NoiseLevelGainOptions.metric", metric, "a non-empty name");
  }
  if (options.pick !== undefined) {
    if (typeof options.pick !== "function") {
      throw new SettingError(
        "NoiseLevelGainOptions.pick",
        options.pick,
        "a function of a CellResult",
      );
    }
    // A custom pick under the default name labelled HR@10 gains "test NDCG@10".
    if (options.metric === undefined) {
      throw new SettingError(
        "NoiseLevelGainOptions.metric",
        options.metric,
        'the name of the metric that NoiseLevelGainOptions.pick returns (e.g. "test HR@10"): ' +
          "the gains and their figure are labelled with it",
      );
    }
    return { metric, pick: options.pick };
  }
  const pick = pickOfMetricName(metric);
  if (pick === undefined) {
    throw new SettingError(
      "NoiseLevelGainOptions.metric",
      metric,
      '"test <name>" or "validation <name>", <name> a metric of the results (e.g. ' +
        '"test HR@10"), or any name beside a NoiseLevelGainOptions.pick',
    );
  }
  return { metric, pick };
}

/**
 * The noise-level experiment as a gain: at each planted noise share, `system` minus `baseline` in the
 * picked metric, paired by seed (a seed where only one of them finished is named in `unpaired`,
 * never compared against the other system's seeds), one run per seed ({@linkcode seedRuns}).
 * Fractions ascending, every fraction at which either system finished (with no pair there, `seeds`
 * is empty). A picked value that is not finite is an error naming the cell. A `system` or
 * `baseline` that is not a system of the noise-level experiment (`NOISE_LEVEL_SYSTEMS`,
 * or another that a noise-level cell of `found` ran), the two the same, or an option name the
 * options do not have is a `SettingError` (a mistyped name gave NaN at every fraction). Each gain
 * records its `system`, `baseline` and `metric` name, so that `noiseLevelGainFigure`
 * labels the numbers with what they are: the metric is named by `metric` (which picks it, e.g.
 * `"test HR@10"`), and a custom `pick` without a `metric` naming it is a `SettingError`.
 *
 * @example
 * ```ts
 * for (const { fraction, stats } of noiseLevelGains(found)) console.log(fraction, stats.mean);
 * ```
 */
export function noiseLevelGains(
  found: readonly FinishedCell[],
  options: NoiseLevelGainOptions = {},
): NoiseLevelGain[] {
  checkSettingNames("NoiseLevelGainOptions", options, NOISE_LEVEL_GAIN_SETTINGS);
  const [defaultBaseline, defaultSystem] = NOISE_LEVEL_SYSTEMS;
  // Left out or undefined is the default; null is a value, refused below (it ran the default).
  const system = options.system === undefined ? defaultSystem : options.system;
  const baseline = options.baseline === undefined ? defaultBaseline : options.baseline;
  const { metric, pick } = noiseLevelGainMetric(options);
  const noiseLevel = found.filter(({ cell }) =>
    cell.experiments.includes("noise_level") && cell.noiseFraction !== undefined
  );
  // The experiment's systems, even where one has no finished cell yet (its seeds are then
  // `unpaired`), and any other system a noise-level cell of `found` ran.
  const systems = [
    ...new Set([...NOISE_LEVEL_SYSTEMS, ...noiseLevel.map(({ cell }) => cell.systemName)]),
  ];
  const allowed = `one of ${systems.map((name) => JSON.stringify(name)).join(", ")} (the ` +
    "systems of the noise-level cells)";
  for (const [field, name] of [["system", system], ["baseline", baseline]]) {
    if (!systems.includes(name)) {
      throw new SettingError(`NoiseLevelGainOptions.${field}`, name, allowed);
    }
  }
  if (baseline === system) {
    throw new SettingError(
      "NoiseLevelGainOptions.baseline",
      baseline,
      `a system other than NoiseLevelGainOptions.system (${JSON.stringify(system)})`,
    );
  }
  const tagged = noiseLevel.filter(({ cell }) =>
    cell.systemName === system || cell.systemName === baseline
  );
  const fractions = [...new Set(tagged.map(({ cell }) => cell.noiseFraction!))]
    .sort((a, b) => a - b);
  const cellOf = new Map(tagged.map((finished) => [finished.result, finished]));
  return fractions.map((fraction) => {
    const runsOf = (name: string) =>
      seedRuns(
        tagged.filter(({ cell }) => cell.noiseFraction === fraction && cell.systemName === name),
      );
    const valuesBySeed = (name: string) =>
      new Map(
        runsOf(name).map(({ seed, result }) => {
          const value = pick(result);
          if (!Number.isFinite(value)) {
            throw new Error(
              `noiseLevelGains: ${name} at planted noise share ${fraction}, seed ${seed}: the picked ` +
                `metric is ${value}, expected a finite number (${metric})`,
            );
          }
          return [seed, value];
        }),
      );
    const ours = valuesBySeed(system);
    const theirs = valuesBySeed(baseline);
    const seeds = [...ours.keys()].filter((seed) => theirs.has(seed));
    const differences = seeds.map((seed) => ours.get(seed)! - theirs.get(seed)!);
    const paired = [...runsOf(system), ...runsOf(baseline)].filter(({ seed }) =>
      seeds.includes(seed)
    );
    return {
      system,
      baseline,
      metric,
      fraction,
      seeds,
      differences,
      stats: meanStd(differences),
      unpaired: {
        system: [...ours.keys()].filter((seed) => !theirs.has(seed)),
        baseline: [...theirs.keys()].filter((seed) => !ours.has(seed)),
      },
      runs: paired.map(({ result }) => cellOf.get(result)!),
    };
  });
}
