/**
 * `deno bench -A bench/sasrec_step_bench.ts`: one SASRec training step (issue 7's workload:
 * 2 blocks, 1 head, d=64, L=50, B=256, 5,000 items, CE over all items at the last position,
 * Adam) on each available host backend, with and without the workspace kernels (the Sum/Mean
 * gradient overrides stay registered once loaded: tfjs cannot unregister a gradient), plus the same
 * step of the library model on MovieLens. The numbers and the machine go to docs/performance.md.
 *
 * `DEMURE_BENCH_BACKENDS=wasm,cpu` picks backends (default wasm,cpu; the stock cpu step takes
 * about 17 s, so its stock variant is skipped unless `DEMURE_BENCH_STOCK_CPU=1`).
 */
import { tf } from "../lib/backend/tf.ts";
import { initBackend } from "../lib/backend/init_backend.ts";
import { registerBlasKernels, unregisterBlasKernels } from "../lib/backend/kernels/blas_matmul.ts";
import { registerHostKernels, unregisterHostKernels } from "../lib/backend/kernels/host_kernels.ts";
import { createSasRecStep, DEFAULT_SASREC_STEP_CONFIG, type SasRecStep } from "./_sasrec_step.ts";
import { libraryTrainingStep, movieLensWorkloadData } from "./_workloads.ts";

await initBackend({ verbose: false });
const backends = (Deno.env.get("DEMURE_BENCH_BACKENDS") ?? "wasm,cpu").split(",") as (
  | "wasm"
  | "cpu"
)[];
const data = await movieLensWorkloadData();

/** Switches backend and kernel set; the step is built lazily so weights live on that backend. */
async function use(backend: "wasm" | "cpu", accelerated: boolean): Promise<void> {
  await tf.setBackend(backend);
  if (accelerated) {
    registerBlasKernels(backend);
    registerHostKernels(backend);
  } else {
    unregisterBlasKernels(backend);
    unregisterHostKernels(backend);
  }
}

for (const backend of backends) {
  for (const accelerated of [true, false]) {
    const slowStock = backend === "cpu" && !accelerated &&
      Deno.env.get("DEMURE_BENCH_STOCK_CPU") !== "1";
    let step: SasRecStep | undefined;
    Deno.bench({
      name: `sasrec step (plain ops) ${backend} ${accelerated ? "+blas+host" : "stock"}`,
      group: `plain-${backend}`,
      baseline: accelerated,
      ignore: slowStock,
      n: 5,
      warmup: 1,
      async fn(b) {
        if (step === undefined) {
          await use(backend, accelerated);
          // "stock" also means tfjs's own layer norm (as tf ops) and dropout masks.
          step = createSasRecStep(
            accelerated
              ? DEFAULT_SASREC_STEP_CONFIG
              : { ...DEFAULT_SASREC_STEP_CONFIG, layerNorm: "composite", dropoutMask: "tfjs" },
          );
        }
        b.start();
        step.run();
        b.end();
      },
    });
  }
  Deno.bench({
    name: `sasrec step (library model, MovieLens, B=256) ${backend} +blas+host`,
    group: `library-${backend}`,
    n: 5,
    warmup: 1,
    async fn(b) {
      await use(backend, true);
      const step = libraryTrainingStep(data, 256);
      await step.run(); // builds optimizer slots outside the timed part
      b.start();
      await step.run();
      b.end();
      step.dispose();
    },
  });
}
