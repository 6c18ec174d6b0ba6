/**
 * Peak memory of a training run as users run it: `trainModel` (the library's training loop,
 * through mod.ts) training the library's SASRec at the grid's settings (d=64, 2 blocks, B=128,
 * Adam lr 2e-3; all modalities) for `--epochs` epochs, each with the loop's own full-ranking
 * validation of every user, the best-weights copy and the default progress line (checkpoints off,
 * the default), then the test evaluation a cell runs after training. Workloads: MovieLens (all
 * modalities) or the Beauty-shaped set (12,101 items). Prints the process's peak resident set size
 * (VmHWM), the wasm heap (grows, never shrinks) and the live tfjs tensors after the first step, at
 * the end of each epoch's steps, after each epoch's validation and after the test evaluation; then
 * whether the live tensors stayed flat across epochs (a leak grows them every epoch; the run then
 * exits 1).
 *
 * (Until 2026-12-05 it drove `trainStep` over the first epoch's batches again each epoch: no
 * reshuffle, no validation inside the loop, no best-weights copy. docs/performance.md keeps those
 * numbers, labelled as the step-only measurement.)
 *
 * Run: `deno run -A bench/peak_memory.ts [--workload=movielens|beauty] [--epochs=3]`
 * (default movielens; `--epochs` 1..1000; `--help` prints the options).
 */
import { choiceOption, integerOption, parseOptions, runScript } from "../scripts/cli/options.ts";
import { initBackend, tf } from "../lib/backend/mod.ts";
import { trainModel } from "../mod.ts";
import { resolveTrainerConfig, trainingStepsPerEpoch } from "../lib/train/mod.ts";
import { planExperiments } from "../lib/experiments/mod.ts";
import {
  beautyShapedWorkloadData,
  evaluationPass,
  librarySasrec,
  movieLensWorkloadData,
} from "./_workloads.ts";
import { peakResidentMiB } from "./_peak_resident.ts";

// The tests read it from here (bench/recbole_import_memory.ts imports it from its own file, which
// loads no tfjs: its peak is that of the import alone).
export { peakResidentMiB };

/** Bytes of the wasm backend's heap (it grows and never shrinks), or NaN on other backends. */
function wasmHeapMiB(): number {
  const backend = tf.backend() as unknown as { wasm?: { HEAPU8?: Uint8Array } };
  const heap = backend.wasm?.HEAPU8;
  return heap ? heap.buffer.byteLength / 2 ** 20 : NaN;
}

/** One line of the measurement at a point of the run. */
function memoryLine(what: string): string {
  const { numTensors, numBytes } = tf.memory();
  return `${what}: peak RSS ${peakResidentMiB().toFixed(0)} MiB, wasm heap ${
    wasmHeapMiB().toFixed(0)
  } MiB, live tensors ${numTensors} (${(numBytes / 2 ** 20).toFixed(1)} MiB)`;
}

/**
 * Whether every epoch ended with the same live tensors as the first (a leak grows them every
 * epoch), and the words for it.
 *
 * @example
 * ```ts
 * tensorTrend([109, 109, 109]); // { flat: true, text: "flat (109 after every epoch)" }
 * ```
 */
export function tensorTrend(afterEpochs: number[]): { flat: boolean; text: string } {
  const first = afterEpochs[0];
  const flat = afterEpochs.every((n) => n === first);
  return {
    flat,
    text: flat
      ? `flat (${first} after every epoch)`
      : `NOT FLAT (${afterEpochs.join(", ")} after epochs 1..${afterEpochs.length})`,
  };
}

const WORKLOADS = ["movielens", "beauty"] as const;

/** The options' defaults: the parser's and those --help states (one home). */
const DEFAULTS = { workload: "movielens", epochs: 3 } as const;

const USAGE = `usage: deno run -A bench/peak_memory.ts [--workload=movielens|beauty] [--epochs=N]
  --workload W  ${WORKLOADS.join(" or ")} (default ${DEFAULTS.workload})
  --epochs N    epochs of trainModel, each validated (default ${DEFAULTS.epochs}; 1..1000)
  -h, --help    print this text`;

async function main(): Promise<number> {
  const { values } = parseOptions(Deno.args, {
    workload: { type: "string", default: DEFAULTS.workload },
    epochs: { type: "string", default: String(DEFAULTS.epochs) },
    help: { type: "boolean", short: "h", default: false },
  });
  if (values.help) {
    console.log(USAGE);
    return 0;
  }
  const beauty = choiceOption("workload", values.workload, WORKLOADS) === "beauty";
  // A larger value is a typo: each epoch is a minute or more.
  const epochs = integerOption("epochs", values.epochs, 1, 1000);
  const choice = await initBackend({ verbose: false });
  const data = beauty ? beautyShapedWorkloadData() : await movieLensWorkloadData();
  const model = librarySasrec(data);
  // The grid's training settings; patience = epochs so that every asked epoch runs.
  const training = resolveTrainerConfig({
    ...planExperiments("full").training,
    maxEpochs: epochs,
    patience: epochs,
    seed: 0,
  });
  const stepsPerEpoch = trainingStepsPerEpoch(data.split, training);
  const started = performance.now();
  console.log(memoryLine(
    `${data.dataset.name}, ${data.dataset.numItems} items, ${data.dataset.numUsers} users, ` +
      `model built, before training`,
  ));
  const tensorsAfterEpochs: number[] = [];
  const result = await trainModel(model, data.split, training, {
    // Observers only: they read the memory and change nothing of the run.
    afterStep: (step) => {
      if (step === 0) console.log(memoryLine("after the first step"));
      if ((step + 1) % stepsPerEpoch === 0) {
        console.log(
          memoryLine(`epoch ${(step + 1) / stepsPerEpoch}, after ${stepsPerEpoch} steps`),
        );
      }
    },
    afterEpoch: (progress) => {
      tensorsAfterEpochs.push(tf.memory().numTensors);
      console.log(memoryLine(
        `epoch ${progress.epoch}, after validating ${data.split.train.length} users ` +
          `(NDCG@10 ${progress.validation?.["NDCG@10"].toFixed(4)})`,
      ));
    },
  });
  console.log(memoryLine(`trainModel returned (best epoch ${result.bestEpoch} restored)`));
  const test = await evaluationPass(model, data);
  console.log(
    memoryLine(`after the test evaluation (NDCG@10 ${test.metrics["NDCG@10"].toFixed(4)})`),
  );
  const trend = tensorTrend(tensorsAfterEpochs);
  console.log(
    `${choice.backend}: trainModel, ${epochs} epochs of ${stepsPerEpoch} steps (B=` +
      `${training.batchSize}) in ${((performance.now() - started) / 1000).toFixed(1)} s; ` +
      `live tensors ${trend.text}; ${memoryLine("end")}`,
  );
  model.dispose();
  // A leak is a failed run, not only a line to read.
  return trend.flat ? 0 : 1;
}

if (import.meta.main) await runScript("peak_memory", main);
