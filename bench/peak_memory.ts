/**
 * Peak memory of a MovieLens training run: trains the library SASRec for `--epochs` epochs
 * (B=256) with a full-ranking evaluation after each, then prints the process's peak resident
 * set size (VmHWM), the wasm/tfjs memory and the tensor count.
 *
 * Run: `deno run -A bench/peak_memory.ts [--epochs=3]`
 */
import { tf } from "../lib/backend/tf.ts";
import { initBackend } from "../lib/backend/init_backend.ts";
import { evaluationPass, libraryTrainingStep, movieLensWorkloadData } from "./_workloads.ts";

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

if (import.meta.main) {
  const epochsArg = Deno.args.find((a) => a.startsWith("--epochs="));
  const epochs = epochsArg ? Number(epochsArg.slice("--epochs=".length)) : 3;
  const choice = await initBackend({ verbose: false });
  const data = await movieLensWorkloadData();
  const step = libraryTrainingStep(data, 256);
  const batchesPerEpoch = Math.ceil(data.dataset.numUsers / 256);
  const started = performance.now();
  for (let epoch = 0; epoch < epochs; epoch++) {
    for (let b = 0; b < batchesPerEpoch; b++) await step.run();
    const result = await evaluationPass(step.model, data);
    console.log(
      `epoch ${epoch + 1}: test NDCG@10 ${result.metrics["NDCG@10"].toFixed(4)}, ` +
        `peak RSS ${peakResidentMiB().toFixed(0)} MiB, tensors ${tf.memory().numTensors}`,
    );
  }
  console.log(
    `${choice.backend}: ${epochs} epochs of ${batchesPerEpoch} steps in ` +
      `${((performance.now() - started) / 1000).toFixed(1)} s; peak RSS ` +
      `${peakResidentMiB().toFixed(0)} MiB; tfjs bytes ${
        (tf.memory().numBytes / 2 ** 20).toFixed(1)
      } MiB`,
  );
  step.dispose();
}
