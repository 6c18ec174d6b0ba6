/**
 * The figures of the noise-level experiment, with captions that say what they show and how many
 * seeds each point rests on: the gain of one system over another per planted noise share (paired by
 * seed), and both systems' own curves (the scale the gain is read against); and one system's
 * curve as a table.
 *
 * @example
 * ```ts
 * const gain = noiseLevelGainFigure(noiseLevelGains(found));
 * if (gain) await display(gain.figure, { caption: gain.caption });
 * ```
 */
import type { FigureSection } from "../viz/html_report.ts";
import { MISSING_CELL, type TableSection } from "../viz/table_html.ts";
import { differencePlot } from "../viz/difference_plot.ts";
import { lineWithBands, symmetricBand } from "../viz/line_bands.ts";
import type { NoiseLevelCurve, NoiseLevelGain } from "./experiment_views.ts";
import { NOISE_LEVEL_SYSTEMS } from "./systems.ts";
import { checkSettingNames, SettingError, type SettingNames } from "../util/settings.ts";
import { allOneSeed, captionProtocolOf, oneSeedNote, protocolCaption } from "./protocol_caption.ts";

/**
 * Options of {@linkcode noiseLevelGainFigure}. The labels come from the gains, which record what
 * they are; an option only restates one (a check), and one that contradicts the gains is refused.
 */
export interface NoiseLevelGainFigureOptions {
  /** The system whose gain the differences are: the gains' `system`. */
  system?: string;
  /** The system it is measured against: the gains' `baseline`. */
  baseline?: string;
  /** The metric's name: the gains' `metric`. */
  metric?: string;
}

/** Every option of {@linkcode noiseLevelGainFigure}: a misspelt one would mislabel the figure. */
const NOISE_LEVEL_GAIN_FIGURE_SETTINGS: SettingNames<NoiseLevelGainFigureOptions> = Object
  .freeze({ system: true, baseline: true, metric: true });

/** "3 at 0.25, 5 at 0.5": how many seeds each fraction has. */
function seedsPerFraction(counts: { fraction: number; n: number }[]): string {
  return counts.map(({ fraction, n }) => `${n} at ${fraction}`).join(", ");
}

/** "seed 4" or "seeds 3 and 4". */
function seedList(seeds: number[]): string {
  if (seeds.length === 1) return `seed ${seeds[0]}`;
  return `seeds ${seeds.slice(0, -1).join(", ")} and ${seeds[seeds.length - 1]}`;
}

/** What the gains are: the labels every one of them records. */
type GainLabels = Pick<NoiseLevelGain, "system" | "baseline" | "metric">;

/**
 * The one system, baseline and metric of `gains` (undefined without a gain). Gains of different
 * systems or metrics (two calls of noiseLevelGains joined) are an error: one figure has one label.
 */
function gainLabels(gains: readonly NoiseLevelGain[]): GainLabels | undefined {
  if (gains.length === 0) return undefined;
  const { system, baseline, metric } = gains[0];
  for (const gain of gains) {
    if (gain.system !== system || gain.baseline !== baseline || gain.metric !== metric) {
      throw new Error(
        `noiseLevelGainFigure: the gains are of ${JSON.stringify(system)} minus ` +
          `${JSON.stringify(baseline)} in ${JSON.stringify(metric)} at planted noise share ` +
          `${gains[0].fraction}, but of ${JSON.stringify(gain.system)} minus ` +
          `${JSON.stringify(gain.baseline)} in ${
            JSON.stringify(gain.metric)
          } at ${gain.fraction}: ` +
          "draw the gains of one noiseLevelGains call",
      );
    }
  }
  return { system, baseline, metric };
}

/**
 * The gain per planted noise share (from {@linkcode noiseLevelGains}), labelled with the systems
 * and metric the gains record:
 * a dot per seed, the mean over seeds as a line, ± 1 sample standard deviation of the paired
 * differences as a band (0 wide at a fraction with one seed), a dashed line at 0, and the seed
 * count under each fraction. The caption says what the figure shows and how to read it; it also
 * names every fraction without a pair (left out of the figure) and every seed at which only one
 * system finished (not compared). Undefined when no fraction has a pair: there is nothing to draw.
 * An unknown option, a label that is not a non-empty string, a `baseline` the same as `system`, or
 * an option that contradicts the gains' own label is a `SettingError` naming the option.
 *
 * @example
 * ```ts
 * const section = noiseLevelGainFigure(noiseLevelGains(found));
 * ```
 */
export function noiseLevelGainFigure(
  gains: readonly NoiseLevelGain[],
  options: NoiseLevelGainFigureOptions = {},
): FigureSection | undefined {
  checkSettingNames("NoiseLevelGainFigureOptions", options, NOISE_LEVEL_GAIN_FIGURE_SETTINGS);
  const recorded = gainLabels(gains);
  // The defaults of noiseLevelGains, from their one home, where no gain says otherwise.
  const [defaultBaseline, defaultSystem] = NOISE_LEVEL_SYSTEMS;
  // Left out or undefined is the gains' label; null is a value, refused below.
  const system = options.system === undefined ? recorded?.system ?? defaultSystem : options.system;
  const baseline = options.baseline === undefined
    ? recorded?.baseline ?? defaultBaseline
    : options.baseline;
  const metric = options.metric === undefined ? recorded?.metric ?? "test NDCG@10" : options.metric;
  // They are the figure's only labels: "SASRec-MM minus SASRec-MM", a blank name or a number drew
  // a figure of other systems' gains under them.
  for (const [field, label] of [["system", system], ["baseline", baseline], ["metric", metric]]) {
    if (typeof label !== "string" || label.trim() === "") {
      throw new SettingError(`NoiseLevelGainFigureOptions.${field}`, label, "a non-empty name");
    }
  }
  if (baseline === system) {
    throw new SettingError(
      "NoiseLevelGainFigureOptions.baseline",
      baseline,
      `a system other than NoiseLevelGainFigureOptions.system (${JSON.stringify(system)}), as ` +
        "in noiseLevelGains",
    );
  }
  // An option that names other systems or another metric than the gains' would label their
  // numbers with what they are not (HR@10 gains drawn as "test NDCG@10").
  if (recorded !== undefined) {
    for (const [field, label] of [["system", system], ["baseline", baseline], ["metric", metric]]) {
      const theirs = recorded[field as keyof GainLabels];
      if (label !== theirs) {
        throw new SettingError(
          `NoiseLevelGainFigureOptions.${field}`,
          label,
          `${JSON.stringify(theirs)}, the ${field} of the gains (from noiseLevelGains; leave ` +
            "the option out: the figure takes its labels from the gains)",
        );
      }
    }
  }
  const paired = gains.filter((gain) => gain.seeds.length > 0);
  if (paired.length === 0) return undefined;
  const x = paired.map((gain) => gain.fraction);
  const mean = paired.map((gain) => gain.stats.mean);
  // One seed at every level: the line joins the dots and there is no band (its width is 0); a
  // mean and a ± std band over one seed described what the figure does not draw.
  const oneSeed = allOneSeed(paired.map((gain) => gain.seeds.length));
  const figure = differencePlot({
    name: oneSeed ? "one run per level" : "mean over seeds",
    x,
    mean,
    ...(oneSeed ? {} : {
      band: {
        ...symmetricBand(mean, paired.map((gain) => gain.stats.std)),
        name: "± 1 std over seeds",
      },
    }),
    points: {
      x: paired.flatMap((gain) => gain.differences.map(() => gain.fraction)),
      y: paired.flatMap((gain) => gain.differences),
      name: "one seed",
    },
    xTickLabels: paired.map((gain) =>
      `${gain.fraction}<br>${gain.seeds.length} seed${gain.seeds.length === 1 ? "" : "s"}`
    ),
    title: `${system} minus ${baseline} by noise level (synthetic)`,
    xTitle: "share of noise modalities per user",
    yTitle: `difference in ${metric}`,
  });
  const spread = oneSeed
    ? `The line joins them, one run per noise level ${
      oneSeedNote(
        paired.map((gain) => `${gain.fraction}: ${seedList(gain.seeds)}`).join("; "),
        "band",
      )
    }.`
    : `The line is the mean over seeds and the band ± 1 standard deviation ` +
      `of the differences (their spread, not a confidence interval); seeds per noise level: ` +
      `${
        seedsPerFraction(paired.map((gain) => ({ fraction: gain.fraction, n: gain.seeds.length })))
      }.`;
  const sign = oneSeed
    ? "with one seed per level, nothing shows whether other seeds agree on the sign."
    : "a band that straddles the line means the seeds disagree on the sign.";
  const caption = [
    `Each dot is one seed: ${system}'s ${metric} minus ${baseline}'s, both trained with that ` +
    `seed on the same data. ${spread}`,
    `Above the dashed line ${system} is ahead. A gain that grows with the noise would rise from ` +
    `left to right; ${sign}`,
    ...gains.filter((gain) => gain.seeds.length === 0).map((gain) =>
      `Not drawn: noise level ${gain.fraction}, no seed at which both finished.`
    ),
    ...gains.flatMap((gain) =>
      ([[system, gain.unpaired.system], [baseline, gain.unpaired.baseline]] as const)
        .filter(([, seeds]) => seeds.length > 0)
        .map(([name, seeds]) =>
          `At ${gain.fraction} only ${name} finished ${seedList(seeds)}, not compared.`
        )
    ),
    protocolCaption(
      captionProtocolOf(paired.flatMap((gain) => gain.runs), "noiseLevelGainFigure"),
    ),
  ].join(" ");
  return { kind: "figure", figure, caption };
}

/**
 * The metric the curves are of: the name they record (`noiseLevelCurves`' `metric`), else `label`.
 * A `label` that contradicts the recorded name, or curves of two metrics, is an error: one figure
 * or table has one label, and it must be what the numbers are.
 */
function curvesMetric(
  curves: readonly NoiseLevelCurve[],
  label: string | undefined,
  where: string,
): string | undefined {
  const recorded = [...new Set(curves.flatMap((curve) => curve.metric ?? []))];
  if (recorded.length > 1) {
    throw new Error(
      `${where}: the curves are of ${
        recorded.map((name) => JSON.stringify(name)).join(" and ")
      }: ` +
        "draw the curves of one noiseLevelCurves call",
    );
  }
  if (label !== undefined && (typeof label !== "string" || label.trim() === "")) {
    throw new SettingError(`${where} metric`, label, "a non-empty name, or left out");
  }
  if (label !== undefined && recorded.length === 1 && label !== recorded[0]) {
    throw new SettingError(
      `${where} metric`,
      label,
      `${JSON.stringify(recorded[0])}, the metric the curves record (noiseLevelCurves' metric), ` +
        "or left out",
    );
  }
  return recorded[0] ?? label;
}

/**
 * Each system's own metric per planted noise share (from {@linkcode noiseLevelCurves}): mean over seeds
 * as a line, ± 1 std as a band. A fraction at which a system has no finished run is left out of
 * its line and named in the caption. Undefined when no system has a run: there is nothing to draw.
 * Labelled with the metric the curves record; else with `label` (default `"test NDCG@10"`). A
 * `label` that contradicts the curves' own, or curves of two metrics, is refused.
 *
 * @example
 * ```ts
 * const section = noiseLevelCurvesFigure(
 *   noiseLevelCurves(found, (r) => r.test["NDCG@10"], "test NDCG@10"),
 * );
 * ```
 */
export function noiseLevelCurvesFigure(
  curves: readonly NoiseLevelCurve[],
  label?: string,
): FigureSection | undefined {
  const metric = curvesMetric(curves, label, "noiseLevelCurvesFigure") ?? "test NDCG@10";
  const drawn = curves.map(({ system, fractions, stats }) => {
    const kept = fractions.flatMap((fraction, index) =>
      stats[index].n > 0 ? [{ fraction, ...stats[index] }] : []
    );
    return { system, kept, missing: fractions.filter((_, index) => stats[index].n === 0) };
  });
  // One seed at every drawn level: each point is that run, and no band is drawn (0 wide).
  const oneSeed = allOneSeed(drawn.flatMap(({ kept }) => kept.map(({ n }) => n)));
  const series = drawn.filter(({ kept }) => kept.length > 0).map(({ system, kept }) => {
    const y = kept.map((point) => point.mean);
    return {
      name: system,
      x: kept.map((point) => point.fraction),
      y,
      ...(oneSeed ? {} : { band: symmetricBand(y, kept.map((point) => point.std)) }),
    };
  });
  if (series.length === 0) return undefined;
  // Only the drawn systems have seeds to count: one without any run is named under "Not drawn"
  // (it gave an empty count, "SASRec-MM ;").
  const counts = drawn.filter(({ kept }) => kept.length > 0).map(({ system, kept }) =>
    `${system} ${seedsPerFraction(kept.map(({ fraction, n }) => ({ fraction, n })))}`
  );
  const levels = drawn.filter(({ kept }) => kept.length > 0).map(({ system, kept }) =>
    `${system} at ${kept.map(({ fraction }) => fraction).join(", ")}`
  );
  const caption = [
    `Each system's own ${metric} at each share of noise modalities: ` +
    (oneSeed
      ? `the line joins its runs, one per level ${oneSeedNote(levels.join("; "), "band")}.`
      : `the line is the mean over seeds, the band ± 1 standard deviation (seeds per level: ${
        counts.join("; ")
      }).`),
    `It gives the scale for the gain figure: how much harder the task gets as the noise grows, ` +
    `against which a difference between the systems is small or large.`,
    ...drawn.filter(({ missing }) => missing.length > 0).map(({ system, missing }) =>
      `Not drawn: ${system} at ${missing.join(", ")} (no finished run).`
    ),
    protocolCaption(captionProtocolOf(curves.flatMap((c) => c.runs), "noiseLevelCurvesFigure")),
  ].join(" ");
  return {
    kind: "figure",
    caption,
    figure: lineWithBands({
      series,
      title: `Each system's ${metric} by noise level (synthetic)`,
      xTitle: "share of noise modalities per user",
      yTitle: metric,
      xTickValues: [...new Set(series.flatMap((s) => s.x))].sort((a, b) => a - b),
    }),
  };
}

/**
 * One system's curve (from {@linkcode noiseLevelCurves}) as a table for `displayTable`: a row per
 * planted noise share that has runs with the metric (the fraction as written, "0.25", not "0.2500"),
 * its mean, its standard deviation ("–" for one seed, which has none) and its seed count. A
 * fraction without such a run has no number to show: it gets no row, and the caption names it.
 * The caption ends with the protocol of the curve's runs (`protocolCaption`).
 * Undefined when no fraction has one. `label` names the metric; one that contradicts the metric
 * the curve records (`noiseLevelCurves`' `metric`) is refused.
 *
 * @example
 * ```ts
 * const curve = noiseLevelCurves(found, (r) => r.test["NDCG@10"], "test NDCG@10")[0];
 * const table = noiseLevelTable(curve, "test NDCG@10", "SASRec-MM: test NDCG@10 by noise level");
 * if (table) await displayTable(table);
 * ```
 */
export function noiseLevelTable(
  curve: NoiseLevelCurve,
  label: string,
  caption: string,
): Omit<TableSection, "kind"> | undefined {
  const metric = curvesMetric([curve], label, "noiseLevelTable")!;
  const rows = curve.fractions.flatMap((fraction, index) => {
    const { mean, std, n } = curve.stats[index];
    return n > 0 ? [[String(fraction), mean, n > 1 ? std : MISSING_CELL, n]] : [];
  });
  if (rows.length === 0) return undefined;
  const without = curve.fractions.filter((_, index) => curve.stats[index].n === 0);
  return {
    caption: caption +
      (without.length === 0
        ? ""
        : `; no row for planted noise share${without.length === 1 ? "" : "s"} ` +
          `${without.join(", ")}: no finished run of ${curve.system} there has a value for ` +
          metric) +
      `. ${protocolCaption(captionProtocolOf(curve.runs, "noiseLevelTable"))}`,
    columns: ["planted noise share", metric, "± std", "seeds"],
    rows,
  };
}
