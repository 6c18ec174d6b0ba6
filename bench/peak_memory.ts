/**
 * Peak memory of a training run of the library's SASRec (grid settings, B=128) on MovieLens
 * (all modalities) or on the Beauty-shaped set (12,101 items): `--epochs` epochs with a
 * full-ranking evaluation after each; prints the process's peak resident set size (VmHWM), the
 * wasm heap (grows, never shrinks) and the live tfjs tensors after the first step, each epoch and
 * each evaluation.
 *
 * Run: `deno run -A bench/peak_memory.ts [--workload=movielens|beauty] [--epochs=3]`
 */
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

if (import.meta.main) {
  const epochsArg = Deno.args.find((a) => a.startsWith("--epochs="));
  const epochs = epochsArg ? Number(epochsArg.slice("--epochs=".length)) : 3;
  const beauty = Deno.args.includes("--workload=beauty");
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
}
