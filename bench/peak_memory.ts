/**
 * Peak memory of a training run of the library's SASRec (grid settings, B=128) on MovieLens
 * (all modalities) or on the Beauty-shaped set (12,101 items): `--epochs` epochs with a
 * full-ranking evaluation after each; prints the process's peak resident set size (VmHWM), the
 * wasm heap (grows, never shrinks) and the live tfjs tensors after the first step, each epoch and
 * each evaluation.
 *
 * Run: `deno run -A bench/peak_memory.ts [--workload=movielens|beauty] [--epochs=3]`
 * (default movielens; `--epochs` 1..1000; `--help` prints the options).
 */
import { choiceOption, integerOption, parseOptions, runScript } from "../scripts/cli/options.ts";
import { initBackend, tf } from "../lib/backend/mod.ts";
import {
  beautyShapedWorkloadData,
  evaluationPass,
  libraryTrainingStep,
  movieLensWorkloadData,
} from "./_workloads.ts";

/**
 * Peak resident set size of this process in MiB (Linux `VmHWM`), or NaN elsewhere.
 *
 * @example
 * ```ts
 * peakResidentMiB(); // e.g. 612.4
 * ```
 */
export function peakResidentMiB(): number {
  try {
    const status = Deno.readTextFileSync("/proc/self/status");
    const match = /VmHWM:\s+(\d+) kB/.exec(status);
    return match ? Number(match[1]) / 1024 : NaN;
  } catch {
    return NaN;
  }
}

/** Bytes of the wasm backend's heap (it grows and never shrinks), or NaN on other backends. */
function wasmHeapMiB(): number {
  const backend = tf.backend() as unknown as { wasm?: { HEAPU8?: Uint8Array } };
  const heap = backend.wasm?.HEAPU8;
  return heap ? heap.buffer.byteLength / 2 ** 20 : NaN;
}

const WORKLOADS = ["movielens", "beauty"] as const;

const USAGE = `usage: deno run -A bench/peak_memory.ts [--workload=movielens|beauty] [--epochs=N]
  --workload W  ${WORKLOADS.join(" or ")} (default movielens)
  --epochs N    epochs, each followed by an evaluation (default 3; 1..1000)
  -h, --help    print this text`;

async function main(): Promise<number> {
  const { values } = parseOptions(Deno.args, {
    workload: { type: "string", default: "movielens" },
    epochs: { type: "string", default: "3" },
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
  const step = libraryTrainingStep(data, 128);
  const started = performance.now();
  const line = (what: string) =>
    `${what}: peak RSS ${peakResidentMiB().toFixed(0)} MiB, wasm heap ${
      wasmHeapMiB().toFixed(0)
    } MiB, live tensors ${tf.memory().numTensors} (${
      (tf.memory().numBytes / 2 ** 20).toFixed(1)
    } MiB)`;
  console.log(line(`${data.dataset.name}, ${data.dataset.numItems} items, before training`));
  for (let epoch = 0; epoch < epochs; epoch++) {
    for (let b = 0; b < step.batches.length; b++) {
      await step.run();
      if (epoch === 0 && b === 0) console.log(line("after the first step"));
    }
    console.log(line(`epoch ${epoch + 1}, after ${step.batches.length} steps`));
    const result = await evaluationPass(step.model, data);
    console.log(
      line(
        `epoch ${epoch + 1}, after evaluation (test NDCG@10 ${
          result.metrics["NDCG@10"].toFixed(4)
        })`,
      ),
    );
  }
  console.log(
    `${choice.backend}: ${epochs} epochs of ${step.batches.length} steps (B=128) in ` +
      `${((performance.now() - started) / 1000).toFixed(1)} s; ${line("end")}`,
  );
  step.dispose();
  return 0;
}

if (import.meta.main) await runScript("peak_memory", main);
