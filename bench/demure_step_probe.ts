/**
 * Where a Demure step's time goes, component by component, on MovieLens (or `--synthetic`).
 * Three copies of the same model (same seed) step through the same batches, interleaved so that
 * machine load hits every component alike:
 * - a plain SASRec training step (`trainStep`, no hooks);
 * - a Demure training step (`trainStep` with `demureHooks`, attribution at every step: warm-up 0,
 *   and on MovieLens a user's windows come back once per epoch, so the grid's schedule attributes
 *   every batch too), split into the `inputMask` hook (attribution + views) and the training pass
 *   (recommendation + contrastive views, forward and backward, Adam);
 * - the attribution of the batch (`attributeBatch`) split into its phases: the inputs (item
 *   encoders, item table, E), the gradient pass (forward and backward of the per-user sequence
 *   loss, gradient x input, one read) and the host work (normalisation, selection, aggregates).
 *
 * Prints a table of median milliseconds per step and the share of each component in the Demure
 * step, and `demure / plain step = X`.
 *
 * Run: `deno run -A bench/demure_step_probe.ts [--steps=6] [--synthetic]`
 * (`DEMURE_BLAS_THREADS=1` on a shared machine; `--steps` timed steps, 1..10000; `--help` prints
 * the options).
 */
import { integerOption, parseOptions, runScript } from "../scripts/cli/options.ts";
import {
  demureHooks,
  initBackend,
  type LeaveOneOutSplit,
  noiseAttributionConfig,
  prepareDataset,
  resolveTrainerConfig,
  type SequenceBatch,
  SequentialRecommender,
  trainingBatches,
} from "../mod.ts";
import { tf } from "../lib/backend/mod.ts";
import {
  type AttributionConfig,
  attributionInputs,
  attributionOfContributions,
  computeContributions,
  sequenceLossOf,
} from "../lib/attribution/mod.ts";
import { Adam, DEFAULT_ADAM_CONFIG, type TrainerHooks, trainStep } from "../lib/train/mod.ts";
import { median } from "./demure_bench.ts";
import { timingConditions } from "./_workloads.ts";

/**
 * Milliseconds of each phase of `attributeBatch` under Demure's attribution settings `config`
 * (`noiseAttributionConfig` of the hook's configuration), run phase by phase with the library's
 * own pieces: `attributionInputs`, `computeContributions` on `sequenceLossOf`, and the host part
 * `attributionOfContributions` (normalisation, selection, aggregates).
 */
async function attributionPhases(
  model: SequentialRecommender,
  batch: SequenceBatch,
  config: AttributionConfig,
): Promise<{ inputs: number; gradient: number; host: number }> {
  let t = performance.now();
  const inputs = attributionInputs(model, batch);
  await inputs.itemTable.data(); // the phase ends when its kernels have run
  const inputsMs = performance.now() - t;
  t = performance.now();
  const lossOf = sequenceLossOf(model, batch, inputs.presence, inputs.itemTable);
  const contributions = await computeContributions(
    lossOf,
    inputs.embeddings,
    inputs.weights,
    config,
  );
  const gradientMs = performance.now() - t;
  const weights = await inputs.weights.data();
  tf.dispose(Object.values(inputs));
  t = performance.now();
  const shape = [batch.batchSize, batch.length, model.numModalities] as const;
  attributionOfContributions(contributions, weights, [...shape], config);
  return { inputs: inputsMs, gradient: gradientMs, host: performance.now() - t };
}

/** Timed steps without `--steps` (the parser's default and the one --help states). */
const DEFAULT_STEPS = 6;

const USAGE = `usage: deno run -A bench/demure_step_probe.ts [--steps=N] [--synthetic]
  --steps N     timed steps after the untimed first (default ${DEFAULT_STEPS}; 1..10000)
  --synthetic   the synthetic benchmark instead of MovieLens
  -h, --help    print this text`;

async function main(): Promise<number> {
  const { values } = parseOptions(Deno.args, {
    steps: { type: "string", default: String(DEFAULT_STEPS) },
    synthetic: { type: "boolean", default: false },
    help: { type: "boolean", short: "h", default: false },
  });
  if (values.help) {
    console.log(USAGE);
    return 0;
  }
  // A larger value is a typo: each step is seconds.
  const steps = integerOption("steps", values.steps, 1, 10_000);
  const synthetic = values.synthetic;
  const choice = await initBackend({ verbose: false });
  const data = await prepareDataset(
    synthetic ? { kind: "synthetic", config: {} } : { kind: "movielens" },
  );
  const medians = await stepMedians(data.split, steps);
  console.log(
    `${synthetic ? "synthetic" : "MovieLens"} B=128, ${data.split.dataset.numItems} items, ` +
      `medians over ${steps} steps; ${choice.backend}, ${timingConditions(choice)}`,
  );
  printBreakdown(medians);
  return 0;
}

/** A step's components (see the module's header), timed in milliseconds. */
const COMPONENTS = [
  "plain",
  "demure",
  "mask",
  "training",
  "inputs",
  "gradient",
  "host",
] as const;
type StepComponents = Record<typeof COMPONENTS[number], number>;

/**
 * The median of each component over `steps` timed steps, after one untimed step (kernel set-up,
 * optimizer slots): a plain, a Demure and an attributed copy of one model (seed 0), step by step on
 * the same batches.
 */
async function stepMedians(split: LeaveOneOutSplit, steps: number): Promise<StepComponents> {
  const config = resolveTrainerConfig({
    batchSize: 128,
    optimizer: { ...DEFAULT_ADAM_CONFIG, learningRate: 2e-3 },
  });
  const batches = trainingBatches(split, 0, { batchSize: 128, seed: 0, shuffle: true });
  const make = () =>
    new SequentialRecommender(split.dataset, { backbone: "sasrec", maxLength: 50, seed: 0 });
  const plain = make(), demured = make(), attributed = make();
  const plainAdam = new Adam(config.optimizer), demureAdam = new Adam(config.optimizer);
  const demure = demureHooks(demured, { warmupSteps: 0, everyVisits: 1 });
  const attribution = noiseAttributionConfig(demure.config);
  let maskMs = 0;
  const hooks: TrainerHooks = {
    ...demure.hooks,
    inputMask: async (batch, step) => {
      const start = performance.now();
      const mask = await demure.hooks.inputMask!(batch, step);
      maskMs = performance.now() - start;
      return mask;
    },
  };
  const rows = Object.fromEntries(COMPONENTS.map((key) => [key, [] as number[]])) as Record<
    keyof StepComponents,
    number[]
  >;
  for (let i = 0; i <= steps; i++) {
    const batch = batches[i % batches.length];
    const p = await millisecondsOf(() =>
      trainStep({ model: plain, optimizer: plainAdam, batch, step: i, config })
    );
    const d = await millisecondsOf(() =>
      trainStep({ model: demured, optimizer: demureAdam, batch, step: i, config, hooks })
    );
    const phases = await attributionPhases(attributed, batch, attribution);
    if (i === 0) continue; // warm-up: kernel set-up, optimizer slots
    rows.plain.push(p);
    rows.demure.push(d);
    rows.mask.push(maskMs);
    rows.training.push(d - maskMs);
    rows.inputs.push(phases.inputs);
    rows.gradient.push(phases.gradient);
    rows.host.push(phases.host);
  }
  const medians = {} as StepComponents;
  for (const key of COMPONENTS) medians[key] = median(rows[key]);
  return medians;
}

/** Milliseconds until `f` has finished. */
async function millisecondsOf(f: () => unknown): Promise<number> {
  const start = performance.now();
  await f();
  return performance.now() - start;
}

/** The table of components (ms and share of the Demure step) and the two ratios. */
function printBreakdown(m: StepComponents): void {
  const line = (name: string, ms: number) =>
    console.log(
      `${name.padEnd(62)} ${ms.toFixed(0).padStart(6)} ms ${
        (100 * ms / m.demure).toFixed(0).padStart(4)
      }%`,
    );
  line("Demure step", m.demure);
  line("  inputMask hook (attribution, cache, views)", m.mask);
  line("    attribution inputs (encoders, item table, E)", m.inputs);
  line("    attribution gradient pass (fwd + bwd, grad x input, read)", m.gradient);
  line("    attribution host work (normalise, select, aggregates)", m.host);
  line("  training pass (rec + views, fwd + bwd, Adam)", m.training);
  line("plain step", m.plain);
  line("  training pass minus plain step (the views' passes)", m.training - m.plain);
  console.log(`demure / plain step = ${(m.demure / m.plain).toFixed(2)}`);
}

if (import.meta.main) await runScript("demure_step_probe", main);
