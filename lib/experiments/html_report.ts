/**
 * The HTML report of a reproduction (`report.html`, self-contained: plotly.js inlined once): the
 * markdown report's tables plus figures (main tables, noise level, attribution quality, and the
 * diagnosis curves of Demure against its backbone). {@linkcode writeReport} writes it with
 * `summary.json` and `summary.md`.
 *
 * @example
 * ```ts
 * const paths = await writeReport(summarise(outcome), "results/full");
 * console.log(paths.html);
 * ```
 */
import { makeFolders, removeStaleTemporaries, writeFilesAtomically } from "../data/atomic_write.ts";
import { groupedBars } from "../viz/grouped_bars.ts";
import { type FigureSection, renderHtmlReport, type ReportSection } from "../viz/html_report.ts";
import { lineWithBands, symmetricBand } from "../viz/line_bands.ts";
import { summaryMarkdown } from "./markdown_report.ts";
import { type ColdStartBucket, coldStartGap, errorBarOf, type SystemSummary } from "./analyse.ts";
import { MISSING_CELL, reportNumber, signedDifference } from "../viz/table_html.ts";
import type { Diagnosis, ReproductionSummary, RunCurves } from "./summary_types.ts";
import { type CaptionProtocol, protocolCaption } from "./protocol_caption.ts";

/** A finite series only (plotly figures refuse NaN): epochs without a value are dropped. */
function finitePoints(x: number[], y: number[]): { x: number[]; y: number[] } {
  const keep = y.map((v, i) => Number.isFinite(v) && Number.isFinite(x[i]));
  return { x: x.filter((_, i) => keep[i]), y: y.filter((_, i) => keep[i]) };
}

/** A run's value at its best epoch (the model that is kept and tested). */
function atBestEpoch(c: RunCurves, values: number[]): number {
  const index = c.epochs.indexOf(c.bestEpoch);
  if (index < 0) {
    throw new Error(`diagnosisFigures: ${c.system}'s best epoch ${c.bestEpoch} has no curve point`);
  }
  return values[index];
}

/**
 * Both runs' values at the same epochs: Demure's best epoch and the last epoch both ran. Each
 * run's own best epoch would compare a loss taken epochs apart (L_rec falls all along), which says
 * nothing about how fast either fits.
 */
function sameEpochComparison(curves: RunCurves[], pick: (c: RunCurves) => number[]): string {
  const demure = curves[curves.length - 1];
  const lastBoth = Math.min(...curves.map((c) => c.epochs[c.epochs.length - 1]));
  const at = (epoch: number) =>
    curves.map((c) => {
      const index = c.epochs.indexOf(epoch);
      return index < 0 ? undefined : `${c.system} ${reportNumber(pick(c)[index])}`;
    });
  const points =
    (demure.bestEpoch === lastBoth
      ? [{ epoch: lastBoth, what: `${demure.system}'s best, the last both ran` }]
      : [
        { epoch: demure.bestEpoch, what: `${demure.system}'s best` },
        { epoch: lastBoth, what: "the last both ran" },
      ])
      .flatMap(({ epoch, what }) => {
        const values = at(epoch);
        return values.every((v) => v !== undefined)
          ? [`at epoch ${epoch} (${what}) ${values.join(", ")}`]
          : [];
      });
  return points.length === 0
    ? "The two runs share no epoch to compare."
    : `Compared at the same epoch: ${points.join("; ")}.`;
}

/**
 * The figures of one diagnosis: validation NDCG@10, L_rec and lambda L_cl per epoch for the
 * backbone and Demure, Demure's noise rate per modality per epoch, and the gain by item popularity.
 * Each figure's title names it; its caption says, once, what it shows, the numbers to read off it
 * and what would show in it if Demure's loss came from there (no caption repeats the title).
 *
 * @example
 * ```ts
 * for (const section of diagnosisFigures(summary.diagnosis[0])) {
 *   await display(section.figure, { caption: section.caption });
 * }
 * ```
 */
export function diagnosisFigures(d: Diagnosis): FigureSection[] {
  const sections: FigureSection[] = [];
  const [backbone, demure] = d.curves;
  const seed = `seed ${backbone.seed}`;
  // Plain training before the first noise mask; by steps (no epoch recorded) it is short. A
  // warm-up of 0 epochs (warmupEpochs: 0) or of one read "epochs 1-0" and "epochs 1-1".
  const warmupEnd = demure.warmupEndedAfterEpoch;
  const warmup = warmupEnd === undefined
    ? "its first training steps"
    : warmupEnd === 0
    ? "no epoch"
    : warmupEnd === 1
    ? "epoch 1"
    : `epochs 1-${warmupEnd}`;
  const curve = (
    title: string,
    yTitle: string,
    pick: (c: RunCurves) => number[],
    caption: string,
  ): FigureSection => ({
    kind: "figure",
    caption: `${caption} ${protocolCaption(d.curvesProtocol)}`,
    figure: lineWithBands({
      title: `${title} per epoch (${d.dataset}, ${seed})`,
      xTitle: "epoch",
      yTitle,
      series: d.curves.map((c) => ({ name: c.system, ...finitePoints(c.epochs, pick(c)) })),
    }),
  });
  sections.push(curve(
    "Validation NDCG@10",
    "validation NDCG@10",
    (c) => c.validNdcg,
    "How well each model ranks the validation users' held-out item after each epoch of " +
      "training (NDCG@10: 1 when that item comes first, 0 when it is not in the top 10). The " +
      "model kept for testing is the one at the best epoch: " +
      d.curves.map((c) =>
        `${c.system} ${reportNumber(atBestEpoch(c, c.validNdcg))} at epoch ${c.bestEpoch}`
      ).join(", ") +
      `. Demure's warm-up (plain training without noise masks) takes ${warmup}; a Demure curve ` +
      "below its backbone's after it would mean that Demure learns slower or levels off lower.",
  ));
  sections.push(curve(
    "Recommendation loss L_rec",
    "L_rec",
    (c) => c.recommendationLoss,
    "L_rec is the training loss of predicting each history's next item: lower means the " +
      "training data are fitted better. A Demure curve above its backbone's would mean that the " +
      "noise masks and the contrastive term slow that fit. " +
      sameEpochComparison(d.curves, (c) => c.recommendationLoss),
  ));
  if (demure.auxiliaryLoss.some((v) => v !== 0)) {
    sections.push(curve(
      "Weighted contrastive loss lambda·L_cl",
      "lambda·L_cl",
      (c) => c.auxiliaryLoss,
      "Demure's second training loss. L_cl (InfoNCE) pulls the representation of a history " +
        "with its noise masked towards that of the full history and away from that of its " +
        "noise alone; lambda weighs it against L_rec. It is 0 for SASRec-MM, which has no such " +
        `term, and for Demure during its warm-up (${warmup}). Compare its size with L_rec's: at ` +
        "Demure's best epoch lambda·L_cl is " +
        `${reportNumber(atBestEpoch(demure, demure.auxiliaryLoss))} against L_rec ` +
        `${reportNumber(atBestEpoch(demure, demure.recommendationLoss))}.`,
    ));
  }
  const noiseSection = noiseRateSection(d);
  if (noiseSection) sections.push(noiseSection);
  if (d.popularity.length > 0) sections.push(popularitySection(d));
  return sections;
}

/**
 * The share of each modality's pairs that Demure's masks hid, per epoch; undefined when no epoch
 * has a measured rate.
 */
function noiseRateSection(d: Diagnosis): FigureSection | undefined {
  const [backbone, demure] = d.curves;
  const seed = `seed ${backbone.seed}`;
  const noise = demure.noiseRate;
  if (noise?.firstMeasuredEpoch === undefined) return undefined;
  // Each modality's last measured rate, highest first: "year 0.38".
  const lastRates = Object.entries(noise.rates)
    .flatMap(([modality, rates]) => {
      const rate = rates.findLast((value) => Number.isFinite(value));
      return rate === undefined ? [] : [{ modality, rate }];
    })
    .sort((a, b) => b.rate - a.rate)
    .map(({ modality, rate }) => `${modality} ${rate.toFixed(2)}`);
  const gaps = noise.gaps.map(({ first, last, reason }) =>
    `${first === last ? `epoch ${first}` : `epochs ${first}-${last}`} (${reason})`
  );
  const unmeasured = noise.unmeasured.map(({ modality, reason }) =>
    `${modality} has no rate (${reason})`
  );
  return {
    kind: "figure",
    caption: "For each modality, the share of its (history position, modality) pairs that the " +
      "attribution marked as noise in that epoch: what Demure's masks hide from training. " +
      `The curves start at epoch ${noise.firstMeasuredEpoch}, the first with a measured rate` +
      (gaps.length > 0 ? `; no rate at ${gaps.join("; ")}` : "") + ". " +
      (unmeasured.length > 0 ? `${unmeasured.join("; ")}. ` : "") +
      "One modality near 1 would mean that a whole signal is removed; at the last epoch with " +
      `a rate they run from ${lastRates[0]} down to ${lastRates[lastRates.length - 1]}. ` +
      protocolCaption({ ...d.curvesProtocol, seeds: [demure.seed] }),
    figure: lineWithBands({
      title: `Share masked as noise per modality (${d.dataset}, ${demure.system}, ${seed})`,
      xTitle: "epoch",
      yTitle: "share masked as noise",
      series: Object.entries(noise.rates)
        .filter(([, rates]) => rates.some((value) => Number.isFinite(value)))
        .map(([modality, rates]) => ({ name: modality, ...finitePoints(noise.epochs, rates) })),
    }),
  };
}

/** Test NDCG@10 of Demure and its backbone by the test item's popularity. */
function popularitySection(d: Diagnosis): FigureSection {
  const [backbone, demure] = d.curves;
  const ndcgOf = (bucket: ColdStartBucket, system: string) => {
    const value = bucket.bySystem[system]?.["NDCG@10"];
    if (value === undefined) {
      throw new Error(
        `diagnosisFigures: ${system} has no test NDCG@10 in bucket ${bucket.label}`,
      );
    }
    return value;
  };
  const systems = d.curves.map(({ system }) => system);
  // A bucket without a value (no users, or users a system did not score) keeps its category
  // with no bar, and the label and the caption say why.
  const gapOf = (bucket: ColdStartBucket) =>
    systems.map((system) => coldStartGap(bucket, system)).find((gap) => gap !== undefined);
  const difference = (bucket: ColdStartBucket) => {
    const gap = gapOf(bucket);
    return gap === undefined
      ? signedDifference(ndcgOf(bucket, demure.system) - ndcgOf(bucket, backbone.system))
      : `${MISSING_CELL} (${gap})`;
  };
  return {
    kind: "figure",
    caption: "Test users grouped by how many training interactions their test item has (its " +
      "popularity); each user's test NDCG@10 is averaged over the main table's seeds, then " +
      "over the group. Where Demure's bar is lower, it loses on those items, and the larger " +
      `the group, the more it weighs in the overall result. ${demure.system} minus ` +
      `${backbone.system}: ` +
      d.popularity.map((b) => `${b.label} interactions (${b.users} users) ${difference(b)}`)
        .join(", ") +
      `. ${protocolCaption(d.popularityProtocol)}`,
    figure: groupedBars({
      categories: d.popularity.map((b) =>
        `${b.label} (${b.users} users${gapOf(b) === undefined ? "" : ": no value"})`
      ),
      series: systems.map((system) => ({
        name: system,
        // A system without cells in the bucket has no bar, as in summary.md's "–": the caption
        // says why. It used to throw, and one system whose runs all diverged lost the whole report.
        values: d.popularity.map((b) => {
          const value = b.bySystem[system]?.["NDCG@10"];
          return value === undefined || Number.isNaN(value) ? null : value;
        }),
      })),
      title: `Test NDCG@10 by the test item's popularity (${d.dataset})`,
      xTitle: "training interactions of the test item",
      yTitle: "test NDCG@10",
    }),
  };
}

/** "5 seeds", or "2-5 seeds" when the counts differ: how many runs each mean ± std is over. */
function seedCount(counts: readonly number[]): string {
  const least = Math.min(...counts);
  const most = Math.max(...counts);
  return least === most ? `${most} seed${most === 1 ? "" : "s"}` : `${least}-${most} seeds`;
}

/**
 * A main table as grouped bars: test NDCG@10 and HR@10 of each system, mean over seeds with the
 * sample standard deviation as error bar. A system run with one seed (Pop, item-kNN) has no error
 * bar, as the tables print no spread for it ({@linkcode errorBarOf}): its std of 0 drew a flat
 * whisker, read as "no variation over seeds". The caption names those systems, and ends with the
 * `protocol` of the table's runs (`ReproductionSummary.figureProtocols.main`).
 */
export function mainTableFigure(
  label: string,
  rows: readonly SystemSummary[],
  protocol: CaptionProtocol,
): FigureSection {
  const metrics = ["NDCG@10", "HR@10"];
  const single = rows.filter((r) => metrics.some((metric) => r.test[metric].n === 1));
  const spread = rows.flatMap((r) => metrics.map((metric) => r.test[metric].n))
    .filter((n) => n > 1);
  return {
    kind: "figure",
    caption: `${label}: test NDCG@10 and HR@10, mean ± std over ` +
      (spread.length > 0 ? seedCount(spread) : "seeds") +
      (single.length > 0
        ? `; no error bar for ${single.map((r) => r.system).join(", ")} (one seed: no spread)`
        : "") +
      `. ${protocolCaption(protocol)}`,
    figure: groupedBars({
      categories: rows.map((r) => r.system),
      series: metrics.map((metric) => ({
        name: metric,
        values: rows.map((r) => r.test[metric].mean),
        errors: rows.map((r) => errorBarOf(r.test[metric])),
      })),
      title: `Main table: ${label}`,
      xTitle: "system",
      yTitle: "test value (mean ± std)",
    }),
  };
}

/**
 * The protocol a report figure states: the main table's of `label`, the noise-level figure's or
 * the attribution figure's. A summary without it (one not made by `summarise`) is an error naming
 * the figure: a figure is not drawn without its protocol.
 */
function figureProtocol(
  summary: ReproductionSummary,
  figure: "main" | "noiseLevel" | "attribution",
  label = "",
): CaptionProtocol {
  const protocol = figure === "main"
    ? summary.figureProtocols?.main[label]
    : summary.figureProtocols?.[figure];
  if (protocol === undefined) {
    throw new Error(
      `reportSections: the summary has no figureProtocols.${figure}` +
        `${figure === "main" ? `["${label}"]` : ""}: the figure would not state its protocol`,
    );
  }
  return protocol;
}

/** The HTML report's sections: the markdown report plus figures. */
export function reportSections(summary: ReproductionSummary): ReportSection[] {
  const sections: ReportSection[] = [{ kind: "text", markdown: summaryMarkdown(summary) }];
  for (const [label, { rows }] of Object.entries(summary.main)) {
    if (rows.length > 0) {
      sections.push(mainTableFigure(label, rows, figureProtocol(summary, "main", label)));
    }
  }
  for (const d of summary.diagnosis) sections.push(...diagnosisFigures(d));
  const noise = summary.noiseLevel.filter((n) =>
    Number.isFinite(n.multiModal.mean + n.demure.mean + n.multiModal.std + n.demure.std)
  );
  if (noise.length > 1) {
    const x = noise.map((n) => n.noiseFraction);
    sections.push({
      kind: "figure",
      caption: "Test NDCG@10 as the planted noise share (of each user's modalities) grows: " +
        "lines are the means, bands ± one standard deviation over " +
        `${seedCount(noise.flatMap((n) => [n.multiModal.n, n.demure.n]))}. ` +
        protocolCaption(figureProtocol(summary, "noiseLevel")),
      figure: lineWithBands({
        title: "Noise level (synthetic)",
        xTitle: "planted noise share",
        yTitle: "test NDCG@10",
        series: (["multiModal", "demure"] as const).map((key) => ({
          name: key === "demure" ? "Demure-SASRec" : "SASRec-MM",
          x,
          y: noise.map((n) => n[key].mean),
          band: symmetricBand(noise.map((n) => n[key].mean), noise.map((n) => n[key].std)),
        })),
      }),
    });
  }
  if (summary.attribution.length > 0) {
    const methods = [...new Set(summary.attribution.map((a) => a.method))];
    const systems = [...new Set(summary.attribution.map((a) => a.system))];
    const rocAucOf = (system: string, method: string) =>
      summary.attribution.find((a) => a.system === system && a.method === method)?.rocAuc;
    sections.push({
      kind: "figure",
      caption: "ROC-AUC of the noise scores against the planted truth, per attribution method " +
        "(over (user, position, modality) pairs; 0.5 is chance): mean, error bars ± one " +
        "standard deviation over " +
        `${seedCount(summary.attribution.map((a) => a.rocAuc.n))} ` +
        `(seeds ${[...new Set(summary.attribution.flatMap((a) => a.seeds))].join(", ")}). ` +
        protocolCaption(figureProtocol(summary, "attribution")),
      figure: groupedBars({
        categories: methods,
        series: systems.map((system) => ({
          name: system,
          // A method not scored for a system has no bar (null), never a ROC-AUC of 0.
          values: methods.map((m) => rocAucOf(system, m)?.mean ?? null),
          errors: methods.map((m) => {
            const rocAuc = rocAucOf(system, m);
            return rocAuc === undefined ? null : errorBarOf(rocAuc);
          }),
        })),
        title: "Attribution quality (synthetic)",
        xTitle: "attribution method",
        yTitle: "ROC-AUC (pairs)",
      }),
    });
  }
  return sections;
}

/**
 * Writes summary.json, summary.md and report.html under `directory` (atomically), after sweeping
 * the temporaries that a report writer killed mid-write left there (lib/data/atomic_write.ts: the
 * report folder of the records, `results/full`, holds no cells store that would sweep it).
 */
export async function writeReport(
  summary: ReproductionSummary,
  directory: string,
): Promise<{ json: string; markdown: string; html: string }> {
  const removeMade = makeFolders(directory);
  removeStaleTemporaries(directory);
  const paths = {
    json: `${directory}/summary.json`,
    markdown: `${directory}/summary.md`,
    html: `${directory}/report.html`,
  };
  try {
    const html = await renderHtmlReport(reportSections(summary), {
      title: `Demure reproduction (${summary.mode})`,
    });
    writeFilesAtomically([
      { path: paths.json, data: JSON.stringify(summary, null, 1) },
      { path: paths.markdown, data: summaryMarkdown(summary) },
      { path: paths.html, data: html },
    ]);
  } catch (error) {
    // A report that failed (a full disk, a summary it cannot render) left its folder, empty.
    removeMade();
    throw error;
  }
  return paths;
}
