/**
 * Captions for the notebooks' figures, worded from the records they draw: on which data and split,
 * which metric under which ranking protocol, and over which seeds a mean and its error bars were
 * taken. A caption built here never states a number the records do not hold, so a rerun with other
 * seeds or another ranking protocol rewords it; notebooks add only the prose of what the figure
 * shows.
 *
 * @example
 * ```ts
 * const rows = summariseSystems(results, "MovieLens", ["Pop", "SASRec-MM"]);
 * await display(systemsBars(rows, { metrics: ["NDCG@10"] }), {
 *   caption: systemsBarsCaption(rows, results, ["NDCG@10"]),
 * });
 * ```
 */
import type { AttributionSummary, SystemSummary } from "../experiments/analyse.ts";
import type { SensitivityCurve } from "../experiments/experiment_views.ts";
import {
  allOneSeed,
  type CaptionProtocol,
  captionProtocolOf,
  oneSeedNote,
  protocolCaption,
  resultOfSource,
  type ResultSource,
  splitCaptionProtocol,
} from "../experiments/protocol_caption.ts";
import type { LeaveOneOutSplit } from "../data/types.ts";
import type { TrainerConfig } from "../train/config.ts";
import { attributionMethodName } from "../attribution/method_names.ts";
import type { TrainedCellModel } from "../experiments/cell_model.ts";
import type { Explanations } from "../explain/explain.ts";

/** "seed 0" or "seeds 0, 1, 2". */
export function seedsText(seeds: readonly number[]): string {
  return seeds.length === 1 ? `seed ${seeds[0]}` : `seeds ${seeds.join(", ")}`;
}

/**
 * " (none for a single run)" where one of `seedCounts` is 1, else "": only a mean of one seed draws
 * no error bar, and saying so under bars that all have one reads as if some lacked it.
 */
function singleRunNote(seedCounts: readonly number[], what: string): string {
  return seedCounts.some((n) => n === 1) ? ` (none for ${what})` : "";
}

/**
 * The one value `values` share (a caption's rows must be of one dataset, or of one system), or an
 * error naming `caption`, the `kind` of value and those found.
 */
function onlyValue(caption: string, kind: string, values: readonly string[]): string {
  const distinct = [...new Set(values)];
  if (distinct.length !== 1) {
    throw new Error(
      `${caption}: the rows must be of one ${kind}, got ${distinct.length} (${
        distinct.join(", ")
      })`,
    );
  }
  return distinct[0];
}

/** "NDCG@10", "NDCG@10 and HR@10", "NDCG@10, HR@10 and MRR". */
function listText(names: readonly string[]): string {
  return names.length <= 1
    ? names.join("")
    : `${names.slice(0, -1).join(", ")} and ${names[names.length - 1]}`;
}

/**
 * The protocol of `results` as a caption's closing sentences ({@linkcode protocolCaption}, the one
 * home of that wording): data, split, loss, ranking, seeds and mean ± std over them. Results of
 * one figure share one split and ranking: no result, a record that names no split or ranking, or
 * results under different ones, is an error naming the results (a caption must not state one
 * protocol for numbers of two). Pass finished cells (`{ cell, result }`) for systems that add to
 * L_rec: the records of record name L_rec alone, and the caption names the whole objective.
 * `aggregate` says what each number is over the seeds (default: a mean ± std; "one run").
 */
export function evaluationProtocolText(
  results: readonly ResultSource[],
  aggregate: CaptionProtocol["aggregate"] = "mean ± std",
): string {
  return protocolCaption(captionProtocolOf(results, "evaluationProtocolText", aggregate));
}

/**
 * The caption of `systemsBars(rows, { metrics })`: the test metrics on the rows' dataset, each bar
 * the mean over a system's seeds (named per system) with one standard deviation as its error bar
 * (said only where a system has a single run), and the protocol of the `results` those rows summarise (those of the
 * rows' dataset and systems are used; the others are ignored). No rows, or rows of two datasets,
 * is an error.
 */
export function systemsBarsCaption(
  rows: readonly SystemSummary[],
  results: readonly ResultSource[],
  metrics: readonly string[],
): string {
  const dataset = onlyValue("systemsBarsCaption", "dataset", rows.map((row) => row.dataset));
  const systems = new Set(rows.map((row) => row.system));
  const drawn = results.filter((source) => {
    const result = resultOfSource(source);
    return result.dataset === dataset && systems.has(result.system);
  });
  const seeds = rows.map((row) => `${row.system} ${seedsText(row.seeds)}`).join("; ");
  const counts = rows.map((row) => row.seeds.length);
  const bars = allOneSeed(counts)
    ? `each bar is a system's one run ${oneSeedNote(seeds, "error bar")}`
    : `each bar is a system's mean over its seeds (${seeds}), its error bar one standard ` +
      `deviation over them${singleRunNote(counts, "a single run")}`;
  return `Test ${listText(metrics)} on ${dataset}: ${bars}. ` +
    protocolCaption(captionProtocolOf(drawn, "systemsBarsCaption"));
}

/**
 * The caption of `systemsTable(rows, ...)`: `shows` (what the table is, in the notebook's words;
 * optional), then the test metrics (and the `validation` ones the table shows, its `validation`
 * option) on the rows' dataset, each a system's mean ± std over its seeds
 * (named per system; said where a system has a single run), and the protocol of the `results`
 * those rows summarise (those of the rows' dataset and systems; others are ignored). No rows, or
 * rows of two datasets, is an error.
 */
export function systemsTableCaption(
  rows: readonly SystemSummary[],
  results: readonly ResultSource[],
  shows?: string,
  validation: readonly string[] = [],
): string {
  const dataset = onlyValue("systemsTableCaption", "dataset", rows.map((row) => row.dataset));
  const systems = new Set(rows.map((row) => row.system));
  const drawn = results.filter((source) => {
    const result = resultOfSource(source);
    return result.dataset === dataset && systems.has(result.system);
  });
  const seeds = rows.map((row) => `${row.system} ${seedsText(row.seeds)}`).join("; ");
  const counts = rows.map((row) => row.seeds.length);
  const each = allOneSeed(counts)
    ? `each a system's one run ${oneSeedNote(seeds)}`
    : `each a system's mean ± std over its seeds (${seeds})` +
      singleRunNote(counts, "a single run: no std");
  const metrics = validation.length === 0
    ? "Test metrics"
    : `Test metrics and validation ${listText(validation)} (the "valid" columns)`;
  return (shows === undefined ? "" : `${shows}. `) + `${metrics} on ${dataset}, ${each}. ` +
    protocolCaption(captionProtocolOf(drawn, "systemsTableCaption"));
}

/**
 * The protocol of one training run's curves, after `shows` (what the figure draws, in the
 * notebook's words): "<shows> SASRec-ID on MovieLens, seed 0: 44 epochs trained (at most 200);
 * the test uses the weights of epoch 34, the best by validation NDCG@10 (<split and ranking>)."
 */
export function trainingRunCaption(source: ResultSource, shows: string): string {
  const result = resultOfSource(source);
  return `${shows} ${result.system} on ${result.dataset}, seed ${result.seed}: ` +
    `${result.epochsRun} epochs trained (at most ${result.maxEpochs}); the test uses the weights ` +
    `of epoch ${result.bestEpoch}, the best by validation NDCG@10. ` +
    protocolCaption(captionProtocolOf([source], "trainingRunCaption", "one run"));
}

/**
 * The caption of a sensitivity curve (`sensitivityCurves`' entry): the metric of Demure-SASRec on
 * the curve's dataset at each value of its parameter, each point the mean over the seeds run at
 * that value (named per value) with one standard deviation as its error bar (none for one seed, said
 * only where a value has one),
 * the ring at the selected value, and the protocol of the runs. A curve without points is an
 * error.
 */
export function sensitivityCaption(curve: SensitivityCurve, metric = "test NDCG@10"): string {
  if (curve.points.length === 0) {
    throw new Error(
      `sensitivityCaption: the ${curve.dataset} curve of ${curve.parameter} has no points`,
    );
  }
  const seeds = curve.points.map((point) => `${point.value}: ${seedsText(point.seeds)}`);
  const selected = curve.points.filter((point) => point.selected).map((point) => point.value);
  const ring = selected.length === 0
    ? "No point is the selected value."
    : `The ring marks the selected value (${selected.join(", ")}), the main table's ` +
      "configuration, chosen on validation; the curve selects nothing.";
  const counts = curve.points.map((point) => point.seeds.length);
  const points = allOneSeed(counts)
    ? `each point is the one run at that value ${oneSeedNote(seeds.join("; "), "error bar")}`
    : `each point is the mean over the seeds run at that value (${seeds.join("; ")}), its ` +
      `error bar one standard deviation${singleRunNote(counts, "one seed")}`;
  return `Demure-SASRec's ${metric} on ${curve.dataset} at each value of ${curve.parameter}, the ` +
    `other settings at the selected configuration: ${points}. ${ring} ` +
    protocolCaption(
      captionProtocolOf(curve.points.flatMap((point) => point.finished), "sensitivityCaption"),
    );
}

/**
 * The caption of the bars of `summariseAttribution`'s rows (one system's methods): each bar the
 * mean over the seeds whose runs were attributed (named per method where they differ), its error
 * bar one standard deviation (none for one seed, said only where a method has one), and the
 * protocol of the attributed runs among `results` (the system's runs on `dataset` at those seeds).
 */
export function attributionBarsCaption(
  rows: readonly AttributionSummary[],
  dataset: string,
  results: readonly ResultSource[],
): string {
  const { system, seeds, protocol } = attributionParts(
    "attributionBarsCaption",
    rows,
    dataset,
    results,
  );
  const counts = rows.map((row) => row.seeds.length);
  const bars = allOneSeed(counts)
    ? `Each bar is the one run whose attribution was scored ${oneSeedNote(seeds, "error bar")}`
    : `Each bar is the mean over the seeds whose runs were attributed (${seeds}), its error bar ` +
      `one standard deviation over them${singleRunNote(counts, "one seed")}`;
  return `${system} on ${dataset}: each method's ROC-AUC against the planted truth on the ` +
    `test histories, per (user, position, modality) pair and per (user, modality). ${bars}; ` +
    `0.5 is chance. ${protocol}`;
}

/**
 * The caption of a table of `summariseAttribution`'s rows (one system's methods): what each
 * column is, the seeds each mean is over (named per method where they differ), and the protocol
 * of the attributed runs among `results`, as {@linkcode attributionBarsCaption} states it.
 */
export function attributionTableCaption(
  rows: readonly AttributionSummary[],
  dataset: string,
  results: readonly ResultSource[],
): string {
  const { system, seeds, protocol } = attributionParts(
    "attributionTableCaption",
    rows,
    dataset,
    results,
  );
  const each = allOneSeed(rows.map((row) => row.seeds.length))
    ? `each from the one run whose attribution was scored ${oneSeedNote(seeds)}; ` +
      "seconds: the wall time of attributing"
    : `each the mean over the seeds whose runs were attributed (${seeds}); seconds: the mean ` +
      "wall time of attributing";
  return `${system} on ${dataset}: each attribution method against the planted truth on the ` +
    "test histories: ROC-AUC per (user, position, modality) pair and per (user, modality), and " +
    `the precision and recall of the pairs it selects as noise, ${each}. ${protocol}`;
}

/** The system, seeds and protocol sentence of an attribution caption. */
function attributionParts(
  caller: string,
  rows: readonly AttributionSummary[],
  dataset: string,
  results: readonly ResultSource[],
): { system: string; seeds: string; protocol: string } {
  const system = onlyValue(caller, "system", rows.map((row) => row.system));
  const attributedSeeds = new Set(rows.flatMap((row) => row.seeds));
  const attributed = results.filter((source) => {
    const result = resultOfSource(source);
    return result.system === system && result.dataset === dataset &&
      attributedSeeds.has(result.seed);
  });
  const distinct = [...new Set(rows.map((row) => row.seeds.join(", ")))];
  const seeds = distinct.length === 1
    ? seedsText(rows[0].seeds)
    : rows.map((row) => `${attributionMethodName(row.method)} ${seedsText(row.seeds)}`).join("; ");
  return { system, seeds, protocol: protocolCaption(captionProtocolOf(attributed, caller)) };
}

/** "gradient × input of the recommended item's loss": how an explanation was attributed. */
function explanationText(method: string, explain: Explanations["explain"]): string {
  const target = explain === "recommendation"
    ? "the recommended item's loss at the last position"
    : "the history's next-item loss over every position";
  return `${attributionMethodName(method)} of ${target}`;
}

/**
 * What an explanation figure of notebook 05 rests on: the model (its cell's system, dataset and
 * seed, the weights of its best validation epoch, the epochs it trained), how the contributions
 * were attributed and normalised, and which users: "Demure-SASRec on MovieLens, seed 0: the
 * weights of its best validation epoch (44 epochs trained, at most 200); gradient × input of the
 * recommended item's loss at the last position, normalised per user; the first 64 users of the test
 * split, one model and one seed (no spread over seeds)."
 */
export function explainedModelCaption(
  trained: TrainedCellModel,
  explanations: Pick<Explanations, "method" | "explain" | "recommendations">,
): string {
  const { cell } = trained;
  const users = explanations.recommendations.length;
  const protocol = splitCaptionProtocol({
    label: cell.datasetLabel,
    split: trained.data.split,
    system: cell.system,
    training: cell.training,
    ranking: "full ranking over all items, the user's history items excluded: the top item is " +
      "the recommendation explained",
    seeds: [cell.seed],
    aggregate: "one run",
  });
  return `${cell.systemName} on ${cell.datasetLabel}, seed ${cell.seed}: the weights of its best ` +
    `validation epoch (${trained.epochs} epochs trained, at most ${trained.maxEpochs}); ` +
    `${explanationText(explanations.method, explanations.explain)}, normalised per user; the ` +
    `first ${users} user${users === 1 ? "" : "s"} of the test split, one model and one seed ` +
    `(no spread over seeds). ${protocolCaption(protocol)}`;
}

/** The model and batch of an attribution figure of a briefly trained model (notebook 03). */
export interface AttributedBatchProtocol {
  /** The system trained, e.g. "SASRec-MM". */
  system: string;
  /** The dataset's label. */
  dataset: string;
  /** The training seed (also the batch's shuffle seed). */
  seed: number;
  /** Epochs trained before the attribution. */
  epochs: number;
  /** Histories in the batch attributed. */
  batchSize: number;
  /** The attribution method's name (`AttributionConfig["method"]`). */
  method: string;
  /** The split it trained on (the caption's data and split). */
  split: LeaveOneOutSplit;
  /** The training settings it ran with (the caption's loss). */
  training: Partial<TrainerConfig>;
}

/**
 * What an attribution figure of one training batch rests on: "SASRec-MM on Synthetic, trained 10
 * epochs at seed 0 (not a model of the results); gradient × input on the training loss of a batch
 * of 16 training histories, shuffled with seed 0; one model and one batch (no spread over seeds)."
 */
export function attributedBatchCaption(protocol: AttributedBatchProtocol): string {
  const { system, dataset, seed, epochs, batchSize, method, split, training } = protocol;
  const parts = splitCaptionProtocol({
    label: dataset,
    split,
    training,
    ranking: "none (nothing is ranked: the training loss of a batch is attributed)",
    seeds: [seed],
    aggregate: "one run",
  });
  return `${system} on ${dataset}, trained ${epochs} epoch${epochs === 1 ? "" : "s"} at seed ` +
    `${seed} (briefly, not a model of the results); ${attributionMethodName(method)} on the ` +
    `training loss of a batch of ${batchSize} training histories, shuffled with seed ${seed}; one ` +
    `model and one batch (no spread over seeds). ${protocolCaption(parts)}`;
}

/**
 * The caption of a figure or table of one attributed batch on a page that states the batch's
 * model, batch and protocol once ({@linkcode attributedBatchCaption}, printed at `where`): `shows`
 * (what the result is, in the notebook's words), then a pointer to that line and what the numbers
 * rest on. Notebook 03 repeated that long protocol under its heatmap, its table of noise calls
 * and above its three views (until 2026-12-07). A `shows` or `where` that is not a non-empty text
 * is an error naming it.
 *
 * @example
 * ```ts
 * attributedBatchPartCaption("Planted role against the call", "the line above the heatmap");
 * // "Planted role against the call. Model, batch and protocol: the line above the heatmap (one
 * // model and one batch, no spread over seeds)."
 * ```
 */
export function attributedBatchPartCaption(shows: string, where: string): string {
  for (const [name, text] of [["shows", shows], ["where", where]]) {
    if (typeof text !== "string" || text.trim() === "") {
      throw new Error(
        `attributedBatchPartCaption: ${name} ${JSON.stringify(text)} is not a non-empty text`,
      );
    }
  }
  const said = shows.trimEnd();
  return `${said}${said.endsWith(".") ? "" : "."} Model, batch and protocol: ${where} (one ` +
    "model and one batch, no spread over seeds).";
}

/** The views `buildContrastiveViews` makes of an attributed batch. */
export type ContrastiveViewName = "anchor" | "positive" | "negative";

/**
 * The caption of one of the three views' figures of an attributed batch, drawn one under the
 * other: what differs between them (which view, what 1 and 0 mean, the noise share), and a pointer
 * to `where` the page states the run, batch and protocol once
 * ({@linkcode attributedBatchPartCaption}). Notebook 03 repeated that long protocol under each of
 * the three figures (until 2026-12-07). A view name that is not one of the three, or a `rho`
 * outside (0, 1), is an error naming it.
 *
 * @example
 * ```ts
 * contrastiveViewCaption("positive", 0.3, "the line above the heatmap of section 1");
 * // "The positive view: 1 = the modality is fed to the fusion, 0 = hidden; ..."
 * ```
 */
export function contrastiveViewCaption(
  view: ContrastiveViewName,
  rho: number,
  where: string,
): string {
  const views: readonly string[] = ["anchor", "positive", "negative"];
  if (!views.includes(view)) {
    throw new Error(
      `contrastiveViewCaption: view ${JSON.stringify(view)} is not one of ${views.join(", ")}`,
    );
  }
  if (typeof rho !== "number" || !(rho > 0 && rho < 1)) {
    throw new Error(`contrastiveViewCaption: rho ${String(rho)} is not in (0, 1)`);
  }
  return attributedBatchPartCaption(
    `The ${view} view: 1 = the modality is fed to the fusion, 0 = hidden; the noise is the ` +
      `bottom ρ = ${rho} of the user's (user, modality) scores`,
    where,
  );
}
