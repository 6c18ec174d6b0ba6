/**
 * `deno bench -A bench/evaluation_bench.ts`: one full-ranking evaluation pass (every MovieLens
 * user, all items, history excluded) and one gradient x input attribution pass (256 users) of a
 * SASRec model, on each available host backend with the workspace kernels. Both are the library's
 * own passes (`evaluateRanking`, `attributeBatch`; bench/_workloads.ts).
 *
 * `DEMURE_BENCH_BACKENDS=wasm,cpu` picks backends (default both; another name is refused).
 */
import { initBackend, registerWorkspaceKernels, tf } from "../lib/backend/mod.ts";
import {
  attributionPass,
  benchBackends,
  evaluationPass,
  type LibraryStep,
  libraryTrainingStep,
  movieLensWorkloadData,
} from "./_workloads.ts";

// Checked first: a misspelt backend is refused before anything loads.
const backends = benchBackends("wasm,cpu");
await initBackend({ verbose: false });
const data = await movieLensWorkloadData();

for (const backend of backends) {
  let trained: LibraryStep | undefined;
  const model = async () => {
    if (trained === undefined) {
      await tf.setBackend(backend);
      registerWorkspaceKernels(backend);
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
