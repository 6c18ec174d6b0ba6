/**
 * `deno bench -A bench/sasrec_step_bench.ts`: one training step of the library's SASRec
 * (`SequentialRecommender` + `trainStep`, the grid's settings; bench/_workloads.ts) on MovieLens
 * with all modalities and on the Beauty-shaped ID-only set, on each available host backend with
 * the workspace kernels. There is no separate copy of the model: what is timed is what
 * `trainModel` runs. The numbers and the machine go to docs/performance.md.
 *
 * `DEMURE_BENCH_BACKENDS=wasm,cpu` picks backends (default wasm; another name is refused).
 */
import { initBackend, registerWorkspaceKernels, tf } from "../lib/backend/mod.ts";
import {
  beautyShapedWorkloadData,
  benchBackends,
  libraryTrainingStep,
  movieLensWorkloadData,
  type WorkloadData,
} from "./_workloads.ts";

// Checked first: a misspelt backend is refused before anything loads.
const backends = benchBackends("wasm");
await initBackend({ verbose: false });
const workloads: [string, WorkloadData][] = [
  ["MovieLens, all modalities", await movieLensWorkloadData()],
  ["Beauty-shaped, ID only", beautyShapedWorkloadData()],
];

for (const backend of backends) {
  for (const [label, data] of workloads) {
    Deno.bench({
      name: `SASRec training step (library model, ${label}, B=128) ${backend}`,
      group: label,
      n: 5,
      warmup: 1,
      async fn(b) {
        await tf.setBackend(backend);
        registerWorkspaceKernels(backend);
        const step = libraryTrainingStep(data, 128);
        await step.run(); // optimizer slots and kernel set-up outside the timed part
        b.start();
        await step.run();
        b.end();
        step.dispose();
      },
    });
  }
}
