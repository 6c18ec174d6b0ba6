/**
 * A Demure step by attribution source, against a plain step, interleaved step by step (so that
 * machine load hits all three alike): three copies of the same model (same seed) train on the same
 * batch of MovieLens, SASRec with all modalities, B = 128, Demure at the selected configuration of
 * the results of record (`results-of-record/full/selected.json`: lambda 0.02, rho 0.3, tau 0.1,
 * the full history in L_rec there) with no warm-up:
 * - `plain`: `trainStep` without hooks;
 * - `separate_pass`: `everyVisits: 1`, so every step runs the attribution pass (as on MovieLens,
 *   where a window comes back once per epoch of 17 steps and the records attribute every visit);
 * - `training_pass`: every step after the first is served the mask captured at the previous visit
 *   (the same batch comes back at every step) and captures the next one.
 * The first step is not timed (kernel set-up, optimiser slots, the training pass's first visit).
 *
 * Prints median milliseconds per step and `demure / plain step = X (source)` for both sources.
 * Run: `DEMURE_BLAS_THREADS=1 deno run -A bench/demure_source_step_probe.ts [--steps=5]`
 * (`--steps` timed steps, 1..10000; `--help` prints the options).
 */
import { integerOption, parseOptions, runScript } from "../scripts/cli/options.ts";
import {
  demureHooks,
  initBackend,
  prepareDataset,
  resolveTrainerConfig,
  SequentialRecommender,
  trainingBatches,
} from "../mod.ts";
import type { DemureAttributionSource } from "../lib/demure/mod.ts";
import { Adam, type TrainerHooks, trainStep } from "../lib/train/mod.ts";
import { median } from "./demure_bench.ts";
import { selectedMovieLensDemureCell, timingConditions } from "./_workloads.ts";

/** Timed steps without `--steps` (the parser's default and the one --help states). */
const DEFAULT_STEPS = 5;

const USAGE = `usage: deno run -A bench/demure_source_step_probe.ts [--steps=N]
  --steps N     timed steps after the untimed first (default ${DEFAULT_STEPS}; 1..10000)
  -h, --help    print this text`;

async function main(): Promise<number> {
  const { values } = parseOptions(Deno.args, {
    steps: { type: "string", default: String(DEFAULT_STEPS) },
    help: { type: "boolean", short: "h", default: false },
  });
  if (values.help) {
    console.log(USAGE);
    return 0;
  }
  // A larger value is a typo: each step is seconds.
  const steps = integerOption("steps", values.steps, 1, 10_000);
  const choice = await initBackend({ verbose: false });
  const data = await prepareDataset({ kind: "movielens" });
  const cell = selectedMovieLensDemureCell();
  if (cell.system.kind !== "neural") throw new Error("Demure-SASRec is not neural");
  const selected = cell.system.demure;
  const config = resolveTrainerConfig({ ...cell.training, seed: 0 });
  const [batch] = trainingBatches(data.split, 0, {
    batchSize: config.batchSize,
    seed: 0,
    shuffle: true,
  });
  const make = () =>
    new SequentialRecommender(data.split.dataset, {
      ...cell.model,
      backbone: "sasrec",
      maxLength: data.split.maxLength,
      seed: 0,
    });
  const runs = [undefined, "separate_pass", "training_pass"].map((source) => {
    const model = make();
    const hooks: TrainerHooks = source === undefined ? {} : demureHooks(model, {
      ...selected,
      warmupBy: "steps",
      warmupSteps: 0,
      everyVisits: 1,
      attributionSource: source as DemureAttributionSource,
    }).hooks;
    return { name: source ?? "plain", model, optimizer: new Adam(config.optimizer), hooks };
  });
  const times: number[][] = runs.map(() => []);
  for (let step = 0; step <= steps; step++) {
    for (const [r, run] of runs.entries()) {
      const start = performance.now();
      await trainStep({ ...run, batch, step, config });
      if (step > 0) times[r].push(performance.now() - start);
    }
    console.error(`step ${step}: ${times.map((t) => t.at(-1)?.toFixed(0)).join(" / ")} ms`);
  }
  const medians = times.map(median);
  console.log(
    `MovieLens, B=128, ${steps} interleaved steps; median ms per step: ` +
      runs.map((run, r) => `${run.name} ${medians[r].toFixed(0)}`).join(", ") +
      `; ${choice.backend}, ${timingConditions(choice)}`,
  );
  for (const r of [1, 2]) {
    const perStep = times[r].map((t, k) => (t / times[0][k]).toFixed(2)).join(", ");
    console.log(
      `demure / plain step = ${(medians[r] / medians[0]).toFixed(2)} (${runs[r].name}; ` +
        `per step ${perStep})`,
    );
  }
  return 0;
}

if (import.meta.main) await runScript("demure_source_step_probe", main);
