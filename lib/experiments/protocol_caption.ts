/**
 * The one home of a result's protocol as caption text: every figure and table caption the library
 * builds ends with {@linkcode protocolCaption}, which names the six parts a reader needs to judge a
 * number: the data, the split, the loss (the whole training objective), the ranking (full or
 * sampled, and the candidate set), the seeds, and that each number is a mean ± std over them (or
 * one run, with no spread). {@linkcode captionProtocolOf} reads those parts from the records a
 * figure draws; stored cards whose lines use older wording are read through one function,
 * {@linkcode storedCardParts}, so the records of record are never edited.
 *
 * @example
 * ```ts
 * const protocol = captionProtocolOf(found, "systemsBarsCaption");
 * console.log(protocolCaption(protocol));
 * // Protocol. Data: MovieLens (...). Split: leave-one-out by time: ... Loss: ... Ranking: full
 * // ranking over all items of the dataset, ... Seeds 0, 1, 2: each number a mean ± std over them.
 * ```
 */
import type { LeaveOneOutSplit } from "../data/types.ts";
import type { EvaluationProtocol } from "../eval/protocol.ts";
import { describeLoss } from "../losses/recommendation.ts";
import { resolveTrainerConfig, type TrainerConfig } from "../train/config.ts";
import type { FinishedCell } from "./ensure_cells.ts";
import type { CellResult } from "./run_cell.ts";
import { SYSTEMS, type SystemSpec } from "./systems.ts";
import { objectiveAdditionText, recommendationLossText } from "./training_objective.ts";

/** A record a caption reads: a finished cell (its system's settings known) or a bare result. */
export type ResultSource = CellResult | FinishedCell;

/** The six parts of a caption's protocol, in words. */
export interface CaptionProtocol {
  /** Each dataset the numbers rest on: label, statistics, fingerprint and filtering. */
  data: string[];
  /** How the interactions were split into training, validation and test, and what a model reads. */
  split: string;
  /** The training objective of each system (L_rec and what a system adds). */
  loss: string;
  /** "full ranking over all items of the dataset, ..." or "SAMPLED ranking: ...": the candidates. */
  ranking: string;
  /** The seeds of the runs, ascending. */
  seeds: number[];
  /**
   * What each number is over the seeds: a mean ± std, one run (no spread), or a mean with no std
   * (per-user values averaged over the seeds first, as the popularity buckets are).
   */
  aggregate: "mean ± std" | "one run" | "mean";
}

/** The parts of one stored protocol card, in the wording the library prints today. */
export interface StoredCardParts {
  /** "movielens-latest-small-2016: 671 users, ..., fingerprint ...; 5-core filtering (...)". */
  data: string;
  /** The leave-one-out line and the model-input line. */
  split: string;
  /** The ranking line with the candidate set, its item count left to the data part. */
  ranking: string;
}

/**
 * The one reader of a stored card's lines, translating older wording at read time. Records stored
 * before 2026-12-06 (every record of record) have a k-core line without the kept/of counts
 * ("5-core filtering (iterated to a fixed point: 2 rounds)") and no "source:" line; the library
 * now writes "5-core filtering (...): kept 671 of 671 users, ...". The caption states what both
 * wordings hold (the filter and its rounds: the counts after filtering are on the dataset line),
 * so a caption of an old record reads as one of a new record. The ranking line's item count
 * ("over all 3496 items") is left to the data part: the noise levels' datasets differ in items,
 * and one ranking is stated for all of them. A card without a leave-one-out line or a ranking line
 * is an error naming `where`.
 */
export function storedCardParts(
  card: EvaluationProtocol | undefined,
  where: string,
): StoredCardParts {
  const lines = card?.split ?? [];
  const leaveOneOut = lines.find((line) => line.startsWith("leave-one-out"));
  if (card === undefined || leaveOneOut === undefined || typeof card.ranking !== "string") {
    throw new Error(
      `captionProtocolOf: the record of ${where} names no ` +
        (leaveOneOut === undefined
          ? "leave-one-out split line (protocol.split)"
          : "ranking (protocol.ranking)"),
    );
  }
  const modelInput = lines.find((line) => line.startsWith("model input:"));
  // Old and new k-core lines share their start; the counts after ": kept" are new.
  const kCore = lines.find((line) => /^\d+-core filtering/.test(line))?.replace(/: kept .*$/, "");
  return {
    data: kCore === undefined ? card.dataset : `${card.dataset}; ${kCore}`,
    split: modelInput === undefined ? leaveOneOut : `${leaveOneOut}; ${modelInput}`,
    ranking: card.ranking.replace(/over all \d+ items/, "over all items of the dataset"),
  };
}

/** Whether a card's loss line already names a system's addition to L_rec (cards since 2026-12-07). */
function namesAddition(loss: string): boolean {
  return loss.includes("× L_cl") || loss.includes("masked after the warm-up");
}

/** The result of a source: a bare result, or a finished cell's. */
export function resultOfSource(source: ResultSource): CellResult {
  return unpack(source).result;
}

/** The record's result and, where known, the system it ran (its settings). */
function unpack(source: ResultSource): { result: CellResult; system?: SystemSpec } {
  if ("cell" in source && "result" in source) {
    return { result: source.result, system: source.cell.system };
  }
  return { result: source as CellResult };
}

/**
 * L_rec of one record and, for a system that adds to it, its whole objective ("L_rec + lambda
 * ..."). A bare result of a system that adds a term, whose card names L_rec alone (every record of
 * record), is an error: its settings (lambda, rho) are in its cell, and a caption must not guess
 * them. A bare result whose card names the whole objective (cards since 2026-12-07) is stated as
 * stored, L_rec not split from it.
 */
function lossParts(
  source: ResultSource,
  where: string,
  caller: string,
): { recommendation?: string; objective?: string } {
  const { result, system } = unpack(source);
  const loss = result.protocol.loss ?? "unstated";
  if (system !== undefined) {
    const addition = objectiveAdditionText(system);
    const recommendation = recommendationLossText(system, loss) ?? loss;
    return addition === "" ? { recommendation } : { recommendation, objective: `L_rec${addition}` };
  }
  const known = (SYSTEMS as Record<string, SystemSpec | undefined>)[result.system];
  if (known !== undefined && objectiveAdditionText(known) !== "") {
    if (namesAddition(loss)) return { objective: loss };
    throw new Error(
      `${caller}: the record of ${where} names L_rec alone (protocol.loss "${loss}"); pass its ` +
        "finished cell ({ cell, result }) so that the caption names its whole training objective",
    );
  }
  return { recommendation: loss };
}

/**
 * The six protocol parts of the numbers drawn from `sources`, read from their stored cards
 * ({@linkcode storedCardParts}). The split and ranking must be one for all (a caption states one
 * protocol; two are an error naming them); the data lists each dataset; the loss names L_rec and,
 * per system that adds to it, the addition (one per setting where a sweep varies it). No source
 * is an error naming `caller`.
 */
export function captionProtocolOf(
  sources: readonly ResultSource[],
  caller: string,
  aggregate: CaptionProtocol["aggregate"] = "mean ± std",
): CaptionProtocol {
  if (sources.length === 0) throw new Error(`${caller}: no results to state the protocol of`);
  const data = new Map<string, string>();
  const splits = new Set<string>();
  const rankings = new Set<string>();
  const recommendationLosses = new Set<string>();
  const objectives = new Map<string, Set<string>>();
  const untrained = new Set<string>();
  const seeds = new Set<number>();
  for (const source of sources) {
    const { result } = unpack(source);
    const where = `${result.system} on ${result.dataset}, seed ${result.seed}`;
    const parts = storedCardParts(result.protocol, where);
    data.set(`${result.dataset}\n${parts.data}`, `${result.dataset} (${parts.data})`);
    splits.add(parts.split);
    rankings.add(parts.ranking);
    seeds.add(result.seed);
    const { recommendation, objective } = lossParts(source, where, caller);
    if (recommendation === "none") {
      untrained.add(result.system);
      continue;
    }
    if (recommendation !== undefined) recommendationLosses.add(recommendation);
    if (objective !== undefined) {
      objectives.set(result.system, (objectives.get(result.system) ?? new Set()).add(objective));
    }
  }
  if (splits.size > 1 || rankings.size > 1) {
    throw new Error(
      `${caller}: the results were evaluated under different protocols (splits: ` +
        `${[...splits].join(" | ")}; rankings: ${[...rankings].join(" | ")}), one caption ` +
        "cannot state them",
    );
  }
  return {
    data: [...data.values()],
    split: [...splits][0],
    loss: lossText([...recommendationLosses], objectives, [...untrained]),
    ranking: [...rankings][0],
    seeds: [...seeds].sort((a, b) => a - b),
    aggregate,
  };
}

/** "L_rec = ...; Demure-SASRec: L_rec + lambda 0.02 × L_cl, ...; Pop is not trained (no loss)". */
function lossText(
  recommendationLosses: string[],
  objectives: Map<string, Set<string>>,
  untrained: string[],
): string {
  const parts = recommendationLosses.length === 0
    ? []
    : [`L_rec = ${recommendationLosses.join(" or ")}`];
  for (const [system, objective] of objectives) {
    parts.push(`${system}: ${[...objective].join(" or ")}`);
  }
  if (untrained.length > 0) {
    parts.push(
      `${untrained.join(", ")} ${untrained.length === 1 ? "is" : "are"} not trained (no loss)`,
    );
  }
  return parts.join("; ");
}

/** "seed 0" or "seeds 0, 1, 2". */
function seedsText(seeds: readonly number[]): string {
  return seeds.length === 1 ? `seed ${seeds[0]}` : `seeds ${seeds.join(", ")}`;
}

/** A model trained here on a prepared split (not a stored record): what its caption states. */
export interface SplitRun {
  /** The dataset's label, e.g. "MovieLens". */
  label: string;
  /** The split it trained on (its protocol lines are the library's current wording). */
  split: LeaveOneOutSplit;
  /** The system it ran, for the whole training objective; absent: L_rec alone. */
  system?: SystemSpec;
  /** The training settings (their loss, with the defaults filled in). */
  training: Partial<TrainerConfig>;
  /** What is ranked and among which candidates, or "none (...)" where nothing is ranked. */
  ranking: string;
  /** The seeds of the runs. */
  seeds: number[];
  /** What each number is over the seeds. */
  aggregate: CaptionProtocol["aggregate"];
}

/**
 * The six parts for a model trained on a prepared split (an explanation, a short run of a
 * notebook), read through {@linkcode storedCardParts} like a record's card, so both word alike.
 */
export function splitCaptionProtocol(run: SplitRun): CaptionProtocol {
  const d = run.split.dataset;
  const interactions = d.sequences.reduce((total, sequence) => total + sequence.length, 0);
  const recommendation = describeLoss(resolveTrainerConfig(run.training).loss);
  const addition = run.system === undefined ? "" : objectiveAdditionText(run.system);
  const parts = storedCardParts({
    model: "",
    dataset: `${d.name}: ${d.numUsers} users, ${d.numItems} items, ${interactions} ` +
      `interactions, fingerprint ${d.metadata.fingerprint}`,
    split: run.split.protocol,
    ranking: run.ranking,
    stage: "test",
  }, run.label);
  return {
    data: [`${run.label} (${parts.data})`],
    split: parts.split,
    loss: `L_rec = ${recommendation}` +
      (addition === "" ? "" : `; the system's objective: L_rec${addition}`),
    ranking: parts.ranking,
    seeds: [...run.seeds],
    aggregate: run.aggregate,
  };
}

/** How a caption says what each number is over its seeds. */
export const AGGREGATE_WORDS: Readonly<Record<CaptionProtocol["aggregate"], string>> = {
  "mean ± std": "each number a mean ± std over them (sample std; none for a single run)",
  "one run": "one run per number, no mean ± std (no spread over seeds)",
  "mean": "each number a mean over them, no ± std (per-user values averaged over the seeds)",
};

/**
 * Whether every count of `seedCounts` is one seed (and there is a count): a caption then says its
 * numbers are each one run ({@linkcode oneSeedNote}) instead of a mean ± std over seeds. Quick
 * mode's pages read "a mean ± std over its seeds (seed 0) (none for a single run: no std)" and the
 * noise-level figures "the line is the mean over seeds and the band ± 1 standard deviation" until
 * 2026-12-07.
 */
export function allOneSeed(seedCounts: readonly number[]): boolean {
  return seedCounts.length > 0 && seedCounts.every((n) => n === 1);
}

/**
 * The one wording of "each number is one run": "(one seed, no spread, no error bar: Pop seed 0;
 * SASRec-MM seed 0)". `undrawn` names what a figure of a spread would draw and this one has none
 * of ("error bar", "band"; left out for a table); `seeds` says which seeds (left out: the protocol
 * sentence names them).
 */
export function oneSeedNote(seeds?: string, undrawn?: string): string {
  return `(one seed, no spread${undrawn === undefined ? "" : `, no ${undrawn}`}` +
    `${seeds === undefined ? "" : `: ${seeds}`})`;
}

/** How a caption of a mean ± std says it rests on one seed. */
const ONE_SEED_WORDS = `one run per number, no mean ± std ${oneSeedNote()}`;

/**
 * The protocol as the closing sentences of a caption: "Protocol. Data: .... Split: .... Loss:
 * .... Ranking: .... Seeds 0, 1, 2: each number a mean ± std over them." (or "Seed 0: one run
 * per number, no mean ± std (one seed, no spread).", also for a mean ± std of one seed). A protocol without seeds is an error: a number must name its runs.
 */
export function protocolCaption(protocol: CaptionProtocol): string {
  if (protocol.seeds.length === 0) {
    throw new Error("protocolCaption: the protocol names no seed");
  }
  const seeds = seedsText(protocol.seeds);
  // A mean ± std over one seed is its one run: say so (quick mode's pages read "Seed 0: each
  // number a mean ± std over them" until 2026-12-07).
  const words = protocol.seeds.length === 1 && protocol.aggregate === "mean ± std"
    ? ONE_SEED_WORDS
    : AGGREGATE_WORDS[protocol.aggregate];
  const runs = `${seeds[0].toUpperCase()}${seeds.slice(1)}: ${words}.`;
  return `Protocol. Data: ${protocol.data.join("; ")}. Split: ${protocol.split}. ` +
    `Loss: ${protocol.loss}. Ranking: ${protocol.ranking}. ${runs}`;
}
