/**
 * `deno task bench:demure`: the cost of Demure over a plain run, on whole epochs of what the grid
 * trains. SASRec with all modalities on MovieLens (5-core, leave-one-out, L=50), the grid's
 * training settings (batch 128, lr 2e-3), is trained for `--epochs` epochs plain and, in the same
 * process, with Demure's hooks (`SYSTEMS["Demure-SASRec"]` at the selected configuration of the
 * results of record, `results-of-record/full/selected.json`: lambda 0.02, rho 0.3, tau 0.1 there),
 * once per route ({@linkcode DEMURE_RUNS}):
 * - `default`: the selected configuration (the full history in L_rec) at the library's defaults,
 *   `attributionSource: "auto"`, which there is the training pass's own gradient;
 * - `denoised`: the same with `denoiseInput: true` (the library's default `DemureConfig`, and every
 *   variant that reads a denoised L_rec), which only the separate pass can attribute: at the
 *   default `everyVisits` 2 a window is attributed every second epoch;
 * - `records`: the separate pass at every visit (`everyVisits: 1`), the route of the MovieLens
 *   results of record.
 * The runs take turns epoch by epoch (plain 1, default 1, denoised 1, records 1, plain 2, ...), so
 * load changes on a shared machine hit all alike. The warm-up is 30 plain steps (`--warmup-steps`;
 * the bench's validation is a stub, so a plateau warm-up cannot end); only the epochs after it, and
 * never the process's first ({@linkcode comparedEpochs}), are compared, for the training pass only
 * the epochs after its first Demure epoch (whose windows are attributed by the separate pass on
 * their first visit), and for a mask schedule of k visits a whole number of k-epoch cycles (the
 * last compared epochs).
 *
 * Prints per-epoch training seconds (validation excluded), the ratio of each compared Demure epoch
 * to the plain epoch of the same turn, and one line per run
 * `demure / plain epoch time = X (run: route)`: the compared Demure epochs' summed time over the
 * summed time of the plain epochs of the same turns. Run `--epochs=6 --warmup-steps=17` for four
 * compared epochs of every run (two cycles of the every-second-visit schedule).
 *
 * Run: `deno run -A bench/demure_bench.ts [--epochs=6] [--warmup-steps=30]`
 * (`DEMURE_BLAS_THREADS` sets BLAS threads; `--epochs` 2..1000, `--warmup-steps` 0..100000;
 * `--help` prints the options).
 */
import { integerOption, parseOptions, runScript } from "../scripts/cli/options.ts";
import {
  type BackendChoice,
  type DemureConfig,
  demureHooks,
  type DemureStats,
  type EpochProgress,
  initBackend,
  prepareDataset,
  type PreparedDataset,
  SequentialRecommender,
  type TrainerConfig,
  trainModel,
} from "../mod.ts";
import { DEFAULT_DEMURE_CONFIG } from "../lib/demure/mod.ts";
import type { PlannedCell } from "../lib/experiments/mod.ts";
import { selectedMovieLensDemureCell, timingConditions } from "./_workloads.ts";

/** Median of `values` (NaN when empty). */
export function median(values: readonly number[]): number {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/** One run of the benchmark: a label and its Demure settings over the selected configuration. */
export interface BenchRun {
  label: string;
  /** Undefined: the plain run. */
  demure?: Partial<DemureConfig>;
}

/** The runs, in their turn order; the first is the plain run the others are set against. */
export const DEMURE_RUNS: readonly BenchRun[] = [
  { label: "plain" },
  { label: "default", demure: {} },
  { label: "denoised", demure: { denoiseInput: true } },
  { label: "records", demure: { attributionSource: "separate_pass", everyVisits: 1 } },
];
/**
 * Plain steps before the first noise mask (a step warm-up: the bench validates nothing); default
 * 30, `--warmup-steps=N` to compare more epochs in a short run.
 */
const DEFAULT_WARMUP_STEPS = 30;
/** Epochs of every run: `--epochs=6 --warmup-steps=17` compares four of every run. */
const DEFAULT_EPOCHS = 6;

const USAGE = `usage: deno task bench:demure [--epochs=N] [--warmup-steps=N]
  --epochs N        epochs of every run (default ${DEFAULT_EPOCHS}; 2..1000)
  --warmup-steps N  plain steps before the first noise mask (default ${DEFAULT_WARMUP_STEPS}; 0..100000)
  -h, --help        print this text`;

/**
 * The checked options: the epochs of every run and the mask warm-up's steps; undefined after
 * `--help`.
 *
 * @example
 * ```ts
 * benchOptions(["--epochs=6", "--warmup-steps=17"]); // { epochs: 6, warmupSteps: 17 }
 * ```
 */
export function benchOptions(
  args: readonly string[],
): { epochs: number; warmupSteps: number } | undefined {
  const { values } = parseOptions(args, {
    epochs: { type: "string", default: String(DEFAULT_EPOCHS) },
    "warmup-steps": { type: "string", default: String(DEFAULT_WARMUP_STEPS) },
    help: { type: "boolean", short: "h", default: false },
  });
  if (values.help) return undefined;
  // A larger value is a typo: a MovieLens epoch is 17 steps, and each epoch is seconds per run.
  const epochs = integerOption("epochs", values.epochs, 2, 1000);
  const warmupSteps = integerOption("warmup-steps", values["warmup-steps"], 0, 100_000);
  return { epochs, warmupSteps };
}

async function main(): Promise<number> {
  const options = benchOptions(Deno.args);
  if (options === undefined) {
    console.log(USAGE);
    return 0;
  }
  const { epochs, warmupSteps } = options;
  const choice = await initBackend({ verbose: false });
  const data = await prepareDataset({ kind: "movielens" });
  const cell = selectedMovieLensDemureCell();
  const system = cell.system;
  if (system.kind !== "neural" || !system.demure) throw new Error("Demure-SASRec is not neural");
  const bench: BenchSettings = {
    data,
    model: cell.model,
    training: benchTraining(cell, epochs),
    demure: system.demure,
    warmupSteps,
  };
  const turns = new EpochTurns(DEMURE_RUNS.length, epochs);
  const [plain, ...withDemure] = await Promise.all(
    DEMURE_RUNS.map((run, r) => benchRun(run, r, turns, bench)),
  );
  console.log(plainLine(choice, plain.epochs, bench.training.batchSize));
  withDemure.forEach((result, k) => {
    for (const line of routeLines(DEMURE_RUNS[k + 1].label, result, plain, bench)) {
      console.log(line);
    }
  });
  return 0;
}

/**
 * The training settings of every run: the records' cell's (batch 128, lr 2e-3), `epochs` epochs
 * with patience `epochs` (the stub validation never improves after the first epoch: a shorter
 * patience would stop every run early), seed 0.
 *
 * @example
 * ```ts
 * benchTraining(selectedMovieLensDemureCell(), 6); // { ..., maxEpochs: 6, patience: 6, seed: 0 }
 * ```
 */
export function benchTraining(cell: PlannedCell, epochs: number): Partial<TrainerConfig> {
  return { ...cell.training, maxEpochs: epochs, patience: epochs, seed: 0 };
}

/**
 * The first line: the backend, the batch, the steps per epoch, the plain run's median epoch (never
 * its first, which pays the process's set-up) and the conditions of {@linkcode timingConditions}.
 *
 * @example
 * ```ts
 * plainLine(choice, plain.epochs, 128); // "wasm (...), ...; plain median 4.3 s (epochs 2..6); ..."
 * ```
 */
export function plainLine(
  choice: BackendChoice,
  plain: readonly EpochProgress[],
  batchSize: number | undefined,
): string {
  const plainMedian = median(plain.slice(1).map(trainingSeconds));
  return `${choice.backend} (${choice.kernels.join(", ") || "stock"}), MovieLens all modalities, ` +
    `B=${batchSize}, ${plain[0].steps} steps/epoch, runs taking turns by epoch; ` +
    `plain median ${plainMedian.toFixed(1)} s (epochs 2..${plain.length}); ` +
    timingConditions(choice);
}

/** What every run of the benchmark shares: the data, the grid's model and training, the warm-up. */
interface BenchSettings {
  data: PreparedDataset;
  model: PlannedCell["model"];
  training: Partial<TrainerConfig>;
  /** Demure-SASRec's settings in the full plan, with the records' selection. */
  demure: Partial<DemureConfig>;
  warmupSteps: number;
}

/** One run's epochs, and its Demure counters and configuration (none for the plain run). */
export interface BenchResult {
  epochs: EpochProgress[];
  stats?: DemureStats;
  config?: DemureConfig;
}

/** An epoch's training seconds (validation excluded). */
function trainingSeconds(p: EpochProgress): number {
  return p.stepSeconds * p.steps;
}

/**
 * The runs take turns by whole epochs: run r's epoch k starts after run r-1's epoch k (run 0's
 * epoch k + 1 after the last run's epoch k); each run's validation hook, which the trainer awaits
 * after every epoch, hands over to the next run ({@linkcode endEpoch}) and waits for its own turn.
 *
 * @example
 * ```ts
 * const turns = new EpochTurns(2, 3); // run 0 awaits turnOf(0), trains, awaits endEpoch(0), ...
 * ```
 */
export class EpochTurns {
  readonly #done: number[];
  readonly #epochs: number;
  #waiters: (() => void)[] = [];

  constructor(runs: number, epochs: number) {
    this.#done = new Array(runs).fill(0);
    this.#epochs = epochs;
  }

  /** Resolves when run `r` may train its next epoch. */
  async turnOf(r: number): Promise<void> {
    while (!this.#isTurnOf(r)) await new Promise<void>((resolve) => this.#waiters.push(resolve));
  }

  /** Run `r` ended an epoch: the next run goes on; `r` waits for its turn unless it is done. */
  async endEpoch(r: number): Promise<void> {
    this.#done[r]++;
    this.#waiters.splice(0).forEach((resolve) => resolve());
    if (this.#done[r] < this.#epochs) await this.turnOf(r);
  }

  #isTurnOf(r: number): boolean {
    const done = this.#done;
    return r === 0 ? done[done.length - 1] >= done[0] : done[r - 1] > done[r];
  }
}

/** Trains run `r` of the benchmark in its turns; its epochs and Demure counters. */
async function benchRun(
  run: BenchRun,
  r: number,
  turns: EpochTurns,
  bench: BenchSettings,
): Promise<BenchResult> {
  await turns.turnOf(r);
  const { data } = bench;
  const model = new SequentialRecommender(data.split.dataset, {
    ...bench.model,
    backbone: "sasrec",
    maxLength: data.split.maxLength,
    seed: 0,
  });
  const settings = demureSettingsOf(run, bench);
  const demure = settings === undefined ? undefined : demureHooks(model, settings);
  const epochsSeen: EpochProgress[] = [];
  await trainModel(model, data.split, { ...bench.training, evalEvery: 1 }, {
    ...(demure?.hooks ?? {}),
    validate: async () => {
      await turns.endEpoch(r);
      return { "NDCG@10": 0 };
    },
    onProgress: (p) => {
      epochsSeen.push(p);
      console.log(
        `${run.label} epoch ${p.epoch}: ${p.steps} steps, ${
          trainingSeconds(p).toFixed(1)
        } s training`,
      );
    },
  });
  model.dispose();
  return { epochs: epochsSeen, stats: demure?.stats(), config: demure?.config };
}

/**
 * The Demure settings of `run` (none for the plain run): the selected configuration at the
 * library's routes and schedule, not the records' pins, with the bench's step warm-up; the run's
 * own settings over those.
 *
 * @example
 * ```ts
 * demureSettingsOf(DEMURE_RUNS[3], bench); // { ..., attributionSource: "separate_pass", ... }
 * ```
 */
export function demureSettingsOf(
  run: BenchRun,
  bench: Pick<BenchSettings, "demure" | "warmupSteps">,
): Partial<DemureConfig> | undefined {
  if (run.demure === undefined) return undefined;
  return {
    ...bench.demure,
    attributionSource: "auto",
    everyVisits: DEFAULT_DEMURE_CONFIG.everyVisits,
    warmupBy: "steps",
    warmupSteps: bench.warmupSteps,
    ...run.demure,
  };
}

/**
 * The epochs of a Demure run that are set against the plain run's: never the first (the process's
 * first epoch pays its one-time set-up, which is why the plain median leaves it out too: with
 * `--warmup-steps=0` the separate pass's first epoch was compared, and its plain partner ran
 * about 1.8x its later epochs); of the others, those past the mask warm-up of `warmupSteps` steps
 * (the training pass one epoch later: its windows' first visits are attributed by the separate
 * pass), then the last whole `cycle`-epoch mask cycles (an every-second-visit schedule alternates
 * attributed and reused epochs).
 *
 * @example
 * ```ts
 * comparedEpochs(epochs, { stepsPerEpoch: 17, warmupSteps: 30, trainingPass: false, cycle: 1 });
 * // epochs 3.. (epoch 3 starts at step 34)
 * ```
 */
export function comparedEpochs<T extends { epoch: number }>(
  epochs: readonly T[],
  { stepsPerEpoch, warmupSteps, trainingPass, cycle }: {
    stepsPerEpoch: number;
    warmupSteps: number;
    trainingPass: boolean;
    cycle: number;
  },
): T[] {
  const delay = trainingPass ? 1 : 0;
  const afterWarmup = epochs.filter((p) =>
    p.epoch >= 2 && (p.epoch - 1 - delay) * stepsPerEpoch >= warmupSteps
  );
  return afterWarmup.slice(afterWarmup.length % cycle);
}

/**
 * The lines of one Demure run: its compared epochs against the plain epochs of the same turns, and
 * `demure / plain epoch time`, their summed training seconds over the plain epochs'.
 *
 * @example
 * ```ts
 * routeLines("records", result, plain, { warmupSteps: 30 })[1]; // "demure / plain epoch time = 2.29 (...)"
 * ```
 */
export function routeLines(
  label: string,
  result: BenchResult,
  plain: BenchResult,
  bench: Pick<BenchSettings, "warmupSteps">,
): string[] {
  const stepsPerEpoch = plain.epochs[0].steps;
  const route = result.stats?.attributionSource ?? "separate_pass";
  const trainingPass = route === "training_pass";
  const cycle = trainingPass ? 1 : result.config!.everyVisits;
  const source = `${label}: ${route}` + (trainingPass ? "" : `, everyVisits ${cycle}`);
  const compared = comparedEpochs(result.epochs, {
    stepsPerEpoch,
    warmupSteps: bench.warmupSteps,
    trainingPass,
    cycle,
  });
  if (compared.length === 0) {
    return [`${source}: no whole mask cycle after the warm-up; run more --epochs`];
  }
  const plainOf = (p: EpochProgress) => plain.epochs[p.epoch - 1];
  const sum = (values: number[]) => values.reduce((a, b) => a + b, 0);
  // Each compared Demure epoch against the plain epoch of the same turn (same load).
  const pairRatios = compared.map((p) => trainingSeconds(p) / trainingSeconds(plainOf(p)));
  const ratio = sum(compared.map(trainingSeconds)) /
    sum(compared.map((p) => trainingSeconds(plainOf(p))));
  return [
    `${source}: demure median ${median(compared.map(trainingSeconds)).toFixed(1)} s over epochs ` +
    `${compared.map((p) => p.epoch).join(", ")}; per epoch pair ` +
    `${pairRatios.map((x) => x.toFixed(2)).join(", ")}; counters ${JSON.stringify(result.stats)}`,
    `demure / plain epoch time = ${ratio.toFixed(2)} (${source})`,
  ];
}

if (import.meta.main) await runScript("bench:demure", main);
