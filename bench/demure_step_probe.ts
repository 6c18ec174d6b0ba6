/**
 * Step-level split of Demure's cost on MovieLens (interleaved with plain steps so that machine
 * load hits both alike): a plain SASRec training step, the attribution of one batch, and a
 * Demure training step (attribution + views + contrastive passes), on the same batches.
 *
 * Run: `deno run -A bench/demure_step_probe.ts [--steps=6]`.
 */
import {
  attributeBatch,
  DEFAULT_ADAM_CONFIG,
  demureHooks,
  initBackend,
  prepareDataset,
  resolveTrainerConfig,
  SequentialRecommender,
  trainingBatches,
} from "../mod.ts";
import { Adam, trainStep } from "../lib/train/mod.ts";
import { median } from "./demure_bench.ts";

const stepsArg = Deno.args.find((a) => a.startsWith("--steps="));
const steps = stepsArg ? Number(stepsArg.slice("--steps=".length)) : 6;
await initBackend({ verbose: false });
const data = await prepareDataset(
  Deno.args.includes("--synthetic") ? { kind: "synthetic", config: {} } : { kind: "movielens" },
);
const config = resolveTrainerConfig({
  batchSize: 128,
  optimizer: { ...DEFAULT_ADAM_CONFIG, learningRate: 2e-3 },
});
const batches = trainingBatches(data.split, 0, { batchSize: 128, seed: 0, shuffle: true });
const make = () =>
  new SequentialRecommender(data.split.dataset, { backbone: "sasrec", maxLength: 50, seed: 0 });
const plain = make(), demured = make(), attributed = make();
const plainAdam = new Adam(config.optimizer), demureAdam = new Adam(config.optimizer);
const demure = demureHooks(demured, { warmupSteps: 0 });
const time = async (f: () => unknown) => {
  const start = performance.now();
  await f();
  return (performance.now() - start) / 1000;
};
const t = { plain: [] as number[], attribution: [] as number[], demure: [] as number[] };
for (let i = 0; i <= steps; i++) {
  const batch = batches[i % batches.length];
  const p = await time(() => trainStep(plain, plainAdam, batch, i, 0, config));
  const a = await time(() => attributeBatch(attributed, batch, demure.config.attribution));
  const d = await time(() => trainStep(demured, demureAdam, batch, i, 0, config, demure.hooks));
  if (i === 0) continue; // warm-up
  t.plain.push(p);
  t.attribution.push(a);
  t.demure.push(d);
}
const low = (v: number[]) => Math.min(...v);
console.log(
  `minima: plain ${low(t.plain).toFixed(3)} s, attribution ${low(t.attribution).toFixed(3)} s, ` +
    `demure ${low(t.demure).toFixed(3)} s; demure / plain = ${
      (low(t.demure) / low(t.plain)).toFixed(2)
    }`,
);
const m = { plain: median(t.plain), attribution: median(t.attribution), demure: median(t.demure) };
console.log(
  `MovieLens B=128, ${data.split.dataset.numItems} items, medians over ${steps} steps: plain ` +
    `${m.plain.toFixed(3)} s, attribution ${m.attribution.toFixed(3)} s, demure ${
      m.demure.toFixed(3)
    } s; demure / plain step = ${(m.demure / m.plain).toFixed(2)}, attribution / plain = ${
      (m.attribution / m.plain).toFixed(2)
    }`,
);
