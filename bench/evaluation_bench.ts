/**
 * `deno bench -A bench/evaluation_bench.ts`: one full-ranking evaluation pass (every MovieLens
 * user, all items, history excluded) and one gradient x input attribution pass (256 users) of a
 * SASRec model, on each available host backend with the workspace kernels.
 */
import { initBackend, registerBlasKernels, registerHostKernels, tf } from "../lib/backend/mod.ts";
import {
  attributionPass,
  evaluationPass,
  type LibraryStep,
  libraryTrainingStep,
  movieLensWorkloadData,
} from "./_workloads.ts";

await initBackend({ verbose: false });
const backends = (Deno.env.get("DEMURE_BENCH_BACKENDS") ?? "wasm,cpu").split(",") as (
  | "wasm"
  | "cpu"
)[];
const data = await movieLensWorkloadData();

for (const backend of backends) {
  let trained: LibraryStep | undefined;
  const model = async () => {
    if (trained === undefined) {
      await tf.setBackend(backend);
      registerBlasKernels(backend);
      registerHostKernels(backend);
      trained = libraryTrainingStep(data, 256);
      await trained.run(); // one step so the weights are not at their initial values
    }
    return trained.model;
  };
  Deno.bench({
    name:
      `full-ranking evaluation, ${data.dataset.numUsers} users x ${data.dataset.numItems} items, ${backend}`,
    group: `eval-${backend}`,
    n: 5,
    warmup: 1,
    async fn(b) {
      const m = await model();
      b.start();
      await evaluationPass(m, data);
      b.end();
    },
  });
  Deno.bench({
    name: `attribution pass (gradient x input), 256 users, ${backend}`,
    group: `attribution-${backend}`,
    n: 5,
    warmup: 1,
    async fn(b) {
      const m = await model();
      b.start();
      await attributionPass(m, data, 256);
      b.end();
    },
  });
}
