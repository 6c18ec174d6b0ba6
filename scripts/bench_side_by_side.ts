/**
 * `deno task bench:pytorch`: whole training epochs of the library's SASRec (`trainModel`, exactly
 * as the grid trains it) and of a PyTorch twin (scripts/bench_pytorch.py: same architecture,
 * initialisation scheme, batches, loss, optimiser and evaluation), one after the other in one run,
 * on two workloads:
 * - `movielens`: the embedded MovieLens data with all modalities (5-core, leave-one-out, L=50);
 * - `beauty`: a seeded ID-only set shaped like Amazon Beauty (22,363 users, 12,101 items, median
 *   history 6; bench/_workloads.ts).
 * The settings are the grid's (batch 128, Adam lr 2e-3, d=64, 2 blocks, 1 head, dropout 0.2,
 * cross-entropy over all items at every real position). The batches of every epoch, the item
 * features and the validation histories are written to a temporary folder that the twin reads, so
 * both train on the same batches in the same order.
 *
 * Prints per workload one line `epoch ratio tfjs / PyTorch = X` (median seconds of training per
 * epoch over the epochs after the first, validation excluded) and the validation NDCG@10 (full
 * ranking, history excluded) of both after the same number of epochs.
 *
 * PyTorch comes from Debian (`python3-torch`): when `/usr/bin/python3` cannot import torch, this
 * script installs it with `apt-get` (root only; never run in CI).
 *
 * Run: `deno task bench:pytorch [--epochs 4] [--threads N]
 * [--workloads movielens,beauty]` (`--help` prints the options). Both frameworks run at one thread
 * count, the point of the comparison: `--threads` sets both OpenBLAS's and torch's; without it,
 * `DEMURE_BLAS_THREADS` when set, else the core count. `--threads` and a `DEMURE_BLAS_THREADS` of
 * another value are refused (the variable used to be overwritten silently), and so is a bad value
 * of the variable, as everywhere.
 */
import { fileURLToPath } from "node:url";
import { evaluationBatches } from "../lib/data/mod.ts";
import { regularizedIncompleteBeta } from "../lib/eval/mod.ts";
import {
  initBackend,
  type LeaveOneOutSplit,
  planExperiments,
  prepareDataset,
  resolveTrainerConfig,
  SequentialRecommender,
  type TrainerConfig,
  trainingBatches,
  trainModel,
} from "../mod.ts";
import { beautyShapedWorkloadData } from "../bench/_workloads.ts";
import { blasThreads, MAX_BLAS_THREADS } from "../lib/backend/mod.ts";
import {
  integerOption,
  listOption,
  parseOptions,
  runScript,
  ScriptFailure,
  UsageError,
} from "./cli/options.ts";

const PYTHON = "/usr/bin/python3";
const WORKLOADS = ["movielens", "beauty"] as const;
/** A workload of the side-by-side run. */
export type Workload = typeof WORKLOADS[number];

/** Command-line options of the side-by-side run. */
export interface SideBySideOptions {
  /** Epochs per framework (the first is the warm-up). */
  epochs: number;
  /** The threads of both frameworks: OpenBLAS's (`DEMURE_BLAS_THREADS`) and torch's. */
  threads: number;
  /** The workloads, in their order, each once. */
  workloads: Workload[];
  /** Seeds of the library's model (0..seeds-1) whose spread the twin must fall within. */
  seeds: number;
}

/** The most epochs a run may ask for (a larger value is a typo: each one is minutes). */
const MAX_EPOCHS = 1000;

/** The most seeds of the library's model a run may ask for (each is a whole training). */
const MAX_SEEDS = 20;

/** Epochs per framework when `--epochs` is not given: a warm-up and 3 timed. */
const DEFAULT_EPOCHS = 4;

/** Seeds of the library's model when `--seeds` is not given (0..2: a spread of three). */
const DEFAULT_SEEDS = 3;

/** The usage of `deno task bench:pytorch` (printed by `--help`; its defaults are the parser's). */
export const USAGE =
  `usage: deno task bench:pytorch [--epochs=N] [--threads=N] [--workloads=a,b] [--seeds=N]
  --epochs N       epochs per framework, the first a warm-up (default ${DEFAULT_EPOCHS}; 4..${MAX_EPOCHS})
  --threads N      OpenBLAS and torch threads, one count for both (1..${MAX_BLAS_THREADS}; default:
                   DEMURE_BLAS_THREADS when set, else the core count; a DEMURE_BLAS_THREADS of
                   another value is refused)
  --workloads a,b  of ${WORKLOADS.join(", ")}, each once (default ${WORKLOADS.join(",")})
  --seeds N        the library's model also trains at seeds 1..N-1 (untimed): the twin's
                   validation NDCG@10 must lie within their seed spread (default ${DEFAULT_SEEDS}; 2..${MAX_SEEDS})
  -h, --help       print this text
Installs Debian's python3-torch with apt-get when ${PYTHON} cannot import torch (root only).`;

/**
 * The options `--epochs N` (4 or more: a warm-up and 3 timed), `--threads N`, `--workloads a,b`
 * and `--seeds N` (2 or more: a spread needs two), or "help" for `--help`; a bad one is a {@linkcode UsageError} naming it. The
 * thread count is the one both frameworks run at: `--threads`, else a set `DEMURE_BLAS_THREADS`,
 * else the core count; `--threads` and a `DEMURE_BLAS_THREADS` of another value are refused, as is
 * a bad value of the variable.
 *
 * @example
 * ```ts
 * sideBySideOptions(["--epochs=5"]); // { epochs: 5, threads: <cores>, workloads: [...], seeds: 3 }
 * ```
 */
export function sideBySideOptions(args: readonly string[]): SideBySideOptions | "help" {
  const { values } = parseOptions(args, {
    epochs: { type: "string", default: String(DEFAULT_EPOCHS) },
    threads: { type: "string" },
    workloads: { type: "string", default: WORKLOADS.join(",") },
    seeds: { type: "string", default: String(DEFAULT_SEEDS) },
    help: { type: "boolean", short: "h", default: false },
  });
  if (values.help) return "help";
  const workloads = listOption("workloads", values.workloads, WORKLOADS);
  const epochs = integerOption("epochs", values.epochs, 4, MAX_EPOCHS);
  const seeds = integerOption("seeds", values.seeds, 2, MAX_SEEDS);
  const threads = values.threads === undefined
    ? undefined
    : integerOption("threads", values.threads, 1, MAX_BLAS_THREADS);
  const variable = Deno.env.get("DEMURE_BLAS_THREADS");
  if (variable === undefined) {
    return { epochs, threads: threads ?? navigator.hardwareConcurrency, workloads, seeds };
  }
  let blas: number;
  try {
    blas = blasThreads(); // the variable's one reading (lib/backend/blas_threads.ts)
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  if (threads !== undefined && threads !== blas) {
    throw new UsageError(
      `--threads ${threads} with DEMURE_BLAS_THREADS=${variable}: both frameworks run at one ` +
        "thread count; give --threads alone, DEMURE_BLAS_THREADS alone, or the same value",
    );
  }
  return { epochs, threads: blas, workloads, seeds };
}

async function run(command: string, args: string[]): Promise<{ code: number; out: string }> {
  const output = await new Deno.Command(command, { args, stdout: "piped", stderr: "piped" })
    .output();
  const decode = (bytes: Uint8Array) => new TextDecoder().decode(bytes);
  return { code: output.code, out: decode(output.stdout) + decode(output.stderr) };
}

async function ensureTorch(): Promise<string> {
  const probe = await run(PYTHON, ["-c", "import torch; print(torch.__version__)"]);
  if (probe.code === 0) return probe.out.trim();
  if (Deno.uid() !== 0) {
    throw new Error(
      `${PYTHON} cannot import torch and this is not root: run ` +
        "`apt-get install -y python3-torch` as root, then rerun",
    );
  }
  console.log("installing Debian's python3-torch with apt-get (one time) ...");
  const install = await run("apt-get", [
    "install",
    "-y",
    "--no-install-recommends",
    "python3-torch",
  ]);
  if (install.code !== 0) throw new Error(`apt-get install python3-torch failed:\n${install.out}`);
  const again = await run(PYTHON, ["-c", "import torch; print(torch.__version__)"]);
  if (again.code !== 0) throw new Error(`torch still not importable:\n${again.out}`);
  return again.out.trim();
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/** Below this p-value the twin's validation NDCG@10 lies outside the library's seed spread. */
export const AGREEMENT_P_VALUE = 0.01;

/**
 * Whether the twin's validation NDCG@10 after the last epoch agrees with the library's model
 * within seed noise: `tfjsBySeed` holds the library's values at seeds 0..k-1 (same data, epochs
 * and settings), and the twin's value is tested as one more draw from their spread (a Student-t
 * prediction interval, t = (torch - mean) / (sd * sqrt(1 + 1/k)), k - 1 degrees of freedom);
 * agreement when its two-sided p-value is at least {@linkcode AGREEMENT_P_VALUE}. The docs quote
 * the epoch ratio as the cost of one model; a twin outside that spread trains another model.
 *
 * Not a paired test over users: that asks whether two trained models differ, and at 22,363 users
 * (the Beauty-shaped set) it found a difference of 0.0038 (p < 0.005) that no run compared with
 * the difference between two seeds of one framework; the question is whether the twin differs
 * more than another seed of the library's model does.
 *
 * @example
 * ```ts
 * seedSpreadAgreement([0.0181, 0.0255, 0.0210], 0.0215).agree; // true
 * ```
 */
export function seedSpreadAgreement(
  tfjsBySeed: readonly number[],
  torch: number,
): { agree: boolean; line: string } {
  const k = tfjsBySeed.length;
  if (k < 2) throw new Error(`seedSpreadAgreement: needs the library's model at 2 or more seeds`);
  if (![...tfjsBySeed, torch].every(Number.isFinite)) {
    throw new Error(`seedSpreadAgreement: a value is not finite: ${[...tfjsBySeed, torch]}`);
  }
  const mean = tfjsBySeed.reduce((sum, x) => sum + x, 0) / k;
  const sd = Math.sqrt(tfjsBySeed.reduce((sum, x) => sum + (x - mean) ** 2, 0) / (k - 1));
  const df = k - 1;
  const t = (torch - mean) / (sd * Math.sqrt(1 + 1 / k));
  // Two-sided p = I_{df/(df+t^2)}(df/2, 1/2); with no spread at all only an equal value agrees.
  const pValue = sd === 0 ? (torch === mean ? 1 : 0) : regularizedIncompleteBeta(
    df / (df + t * t),
    df / 2,
    0.5,
  );
  const agree = pValue >= AGREEMENT_P_VALUE;
  return {
    agree,
    line: `the library's model over seeds 0..${k - 1}: ${mean.toFixed(4)} ± ${sd.toFixed(4)}; ` +
      `PyTorch as one more seed: p = ${pValue.toFixed(2)}: ${
        agree ? "agree" : "DISAGREE (outside the seed spread: the twin is not the same model)"
      } (p >= ${AGREEMENT_P_VALUE} agrees)`,
  };
}

function write(dir: string, name: string, values: ArrayBufferView): void {
  Deno.writeFileSync(
    `${dir}/${name}`,
    new Uint8Array(values.buffer, values.byteOffset, values.byteLength),
  );
}

function concat<T extends Int32Array | Float32Array>(parts: T[], make: (n: number) => T): T {
  const out = make(parts.reduce((n, p) => n + p.length, 0));
  let offset = 0;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.length;
  }
  return out;
}

/** Writes everything the twin needs: settings, features, every epoch's batches, validation. */
function exportWorkload(
  dir: string,
  split: LeaveOneOutSplit,
  model: SequentialRecommender,
  settings: Record<string, number>,
  training: TrainerConfig,
): void {
  const epochs = training.maxEpochs;
  const { dataset } = split;
  const modalities = dataset.modalities.filter((m) => model.modalityNames.includes(m.name));
  modalities.forEach((m, k) => {
    write(dir, `modality${k}_values.f32`, m.values);
    write(dir, `modality${k}_present.u8`, m.present);
  });
  for (let epoch = 0; epoch < epochs; epoch++) {
    // The batches trainModel draws (its seed, shuffle and windows of long histories).
    const batches = trainingBatches(split, epoch, {
      batchSize: training.batchSize,
      seed: training.seed,
      shuffle: true,
      windows: training.windows,
    });
    write(dir, `epoch${epoch}_sizes.i32`, Int32Array.from(batches, (b) => b.batchSize));
    write(
      dir,
      `epoch${epoch}_items.i32`,
      concat(batches.map((b) => b.items), (n) => new Int32Array(n)),
    );
    write(
      dir,
      `epoch${epoch}_valid.f32`,
      concat(batches.map((b) => b.valid), (n) => new Float32Array(n)),
    );
    write(
      dir,
      `epoch${epoch}_targets.i32`,
      concat(batches.map((b) => b.targets!), (n) => new Int32Array(n)),
    );
  }
  const [evaluation] = evaluationBatches(split, "valid", split.train.length);
  write(dir, "valid_items.i32", evaluation.batch.items);
  write(dir, "valid_valid.f32", evaluation.batch.valid);
  write(dir, "valid_targets.i32", evaluation.targets);
  const offsets = new Int32Array(split.train.length + 1);
  split.train.forEach((items, u) => offsets[u + 1] = offsets[u] + items.length);
  write(dir, "history_offsets.i32", offsets);
  write(dir, "history_items.i32", concat(split.train, (n) => new Int32Array(n)));
  Deno.writeTextFileSync(
    `${dir}/meta.json`,
    JSON.stringify({
      ...settings,
      epochs,
      numItems: dataset.numItems,
      numUsers: split.train.length,
      modalities: modalities.map((m) => ({ name: m.name, kind: m.kind, dim: m.dim })),
    }),
  );
}

interface SideResult {
  epochSeconds: number[];
  ndcg: number;
}

/**
 * Trains the library's SASRec on `split` at `seed` (model and trainer) exactly as the timed run
 * does at seed 0, untimed, and returns its validation NDCG@10 after the last epoch: one point of
 * the seed spread the twin is checked against.
 */
async function libraryNdcgAtSeed(
  split: LeaveOneOutSplit,
  plan: ReturnType<typeof planExperiments>,
  epochs: number,
  seed: number,
): Promise<number> {
  const training = resolveTrainerConfig({
    ...plan.training,
    maxEpochs: epochs,
    patience: epochs,
    seed,
  });
  const model = new SequentialRecommender(split.dataset, {
    ...plan.model,
    backbone: "sasrec",
    maxLength: 50,
    seed,
  });
  let ndcg = NaN;
  try {
    await trainModel(model, split, training, {
      onProgress: (p) => ndcg = p.validation?.["NDCG@10"] ?? NaN,
    });
  } finally {
    model.dispose();
  }
  return ndcg;
}

async function loadWorkload(name: Workload): Promise<LeaveOneOutSplit> {
  if (name === "beauty") return beautyShapedWorkloadData().split;
  return (await prepareDataset({ kind: "movielens" })).split;
}

async function main(): Promise<void> {
  const options = sideBySideOptions(Deno.args);
  if (options === "help") {
    console.log(USAGE);
    return;
  }
  // OpenBLAS reads its thread count when the kernels register; a value the user set is this one.
  Deno.env.set("DEMURE_BLAS_THREADS", String(options.threads));
  const torchVersion = await ensureTorch();
  const choice = await initBackend({ verbose: false });
  const plan = planExperiments("full");
  const lines: string[] = [];
  const disagreements: Workload[] = [];
  for (const workload of options.workloads) {
    const split = await loadWorkload(workload);
    const training = resolveTrainerConfig({
      ...plan.training,
      maxEpochs: options.epochs,
      patience: options.epochs,
      seed: 0,
    });
    const modelConfig = { ...plan.model, backbone: "sasrec" as const, maxLength: 50, seed: 0 };
    const model = new SequentialRecommender(split.dataset, modelConfig);
    const settings = {
      dim: model.config.dim,
      blocks: model.config.sasrec.blocks,
      heads: model.config.sasrec.heads,
      dropout: model.config.sasrec.dropout,
      maxLength: 50,
      batchSize: training.batchSize,
      learningRate: training.optimizer.learningRate,
      beta1: training.optimizer.beta1,
      beta2: training.optimizer.beta2,
      epsilon: training.optimizer.epsilon,
      seed: 0,
    };
    const dir = Deno.makeTempDirSync({ prefix: `side_by_side_${workload}_` });
    try {
      exportWorkload(dir, split, model, settings, training);
      const tfjs: SideResult = { epochSeconds: [], ndcg: NaN };
      await trainModel(model, split, training, {
        onProgress: (p) => {
          tfjs.epochSeconds.push(p.stepSeconds * p.steps);
          tfjs.ndcg = p.validation?.["NDCG@10"] ?? NaN;
          console.log(
            `  tfjs ${workload} epoch ${p.epoch}: ${(p.stepSeconds * p.steps).toFixed(1)} s, ` +
              `valid NDCG@10 ${tfjs.ndcg.toFixed(4)}`,
          );
        },
      });
      model.dispose();
      const script = fileURLToPath(new URL("./bench_pytorch.py", import.meta.url));
      const torch = await run(PYTHON, [script, `--data=${dir}`, `--threads=${options.threads}`]);
      if (torch.code !== 0) throw new Error(`bench_pytorch.py failed:\n${torch.out}`);
      const twin = JSON.parse(torch.out.trim().split("\n").at(-1)!) as {
        epoch_seconds: number[];
        ndcg: number[];
        threads: number;
      };
      for (const [i, s] of twin.epoch_seconds.entries()) {
        console.log(
          `  PyTorch ${workload} epoch ${i + 1}: ${s.toFixed(1)} s, valid NDCG@10 ${
            twin.ndcg[i].toFixed(4)
          }`,
        );
      }
      const tfjsMedian = median(tfjs.epochSeconds.slice(1));
      const torchMedian = median(twin.epoch_seconds.slice(1));
      const load = Deno.loadavg().map((value) => value.toFixed(2)).join(" ");
      const bySeed = [tfjs.ndcg];
      for (let seed = 1; seed < options.seeds; seed++) {
        bySeed.push(await libraryNdcgAtSeed(split, plan, options.epochs, seed));
        console.log(
          `  tfjs ${workload} seed ${seed} (untimed): valid NDCG@10 ${bySeed.at(-1)!.toFixed(4)}`,
        );
      }
      const agreement = seedSpreadAgreement(bySeed, twin.ndcg.at(-1)!);
      if (!agreement.agree) disagreements.push(workload);
      lines.push(
        `${workload}: ${split.dataset.numItems} items, ${split.train.length} users; tfjs ` +
          `${choice.backend} median ${tfjsMedian.toFixed(1)} s/epoch, PyTorch ${torchVersion} ` +
          `(${twin.threads} threads) ${
            torchMedian.toFixed(1)
          } s/epoch (epochs 2..${options.epochs}` +
          `, load average ${load})`,
        `${workload}: validation NDCG@10 after ${options.epochs} epochs: tfjs ${
          tfjs.ndcg.toFixed(4)
        }, PyTorch ${twin.ndcg.at(-1)!.toFixed(4)}; ${agreement.line}`,
        `${workload}: epoch ratio tfjs / PyTorch = ${(tfjsMedian / torchMedian).toFixed(2)}`,
      );
      console.log(lines.slice(-3).join("\n"));
    } finally {
      Deno.removeSync(dir, { recursive: true });
    }
  }
  console.log(`\nsummary (threads ${options.threads}):\n${lines.join("\n")}`);
  if (disagreements.length > 0) {
    throw new ScriptFailure(
      `validation NDCG@10 of tfjs and PyTorch disagree on ${disagreements.join(", ")}: ` +
        "the two do not train the same model, so their epoch ratio is not a comparison",
    );
  }
}

if (import.meta.main) await runScript("bench:pytorch", main);
