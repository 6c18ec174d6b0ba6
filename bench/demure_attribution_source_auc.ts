/**
 * Attribution quality of Demure's two attribution sources, measured the same way from the same
 * model (a cheap stand-in for full training runs on a loaded machine): the synthetic benchmark's
 * recorded Demure-SASRec cell (settings read from `results-of-record/full/cells/`, never written)
 * is built as `runCell` builds it and trained plain for `--epochs` epochs; then, from those same
 * weights, one epoch of Demure (its selected configuration, no warm-up) runs once per source:
 * - `separate_pass` with `everyVisits: 1`: each window's mask is attributed at its visit;
 * - `training_pass`: each window's first visit is attributed apart, then replaced by the mask from
 *   that step's own dL_rec/dE (what every later visit would be served).
 * Each run's mask cache after the epoch is scored against the planted truth (user x modality
 * ROC-AUC, each user's most recent window; `_cached_mask_auc.ts`), next to the trained model's
 * post-hoc attribution (`attributionQuality`, gradient x input: the README's 0.990 column).
 *
 * `--routeEpochs=N` runs N Demure epochs instead of one (each window's mask then comes from N
 * visits), `--smoothing=w` sets the training pass's `trainingPassSmoothing` (in (0, 1]; default 1,
 * the newest visit alone). `--variants=` picks the runs (default `separate_pass,training_pass`);
 * `training_pass_without_dropout` runs the training pass on a copy of the model with SASRec's
 * dropout at 0 (same weights), to see how much of a gap the training-mode dropout explains.
 *
 * Prints one JSON line. Run: `DEMURE_BLAS_THREADS=1 deno run -A
 * bench/demure_attribution_source_auc.ts [--epochs=15] [--seed=0] [--variants=...]
 * [--routeEpochs=1] [--smoothing=1]` (`--help` lists the options). A bad option is one line and
 * exit 2 before anything is trained: `--epochs` or `--routeEpochs` not an integer in 1..1000, a
 * seed without a recorded cell (the message lists the recorded ones), a smoothing outside (0, 1],
 * a variant other than the three above.
 */
import {
  integerOption,
  listOption,
  numberOption,
  parseOptions,
  runScript,
} from "../scripts/cli/options.ts";
import {
  demureHooks,
  initBackend,
  noiseAttributionConfig,
  prepareDataset,
  resolveTrainerConfig,
  type SequentialRecommender,
  trainingBatches,
  trainModel,
} from "../mod.ts";
import type { DemureAttributionSource } from "../lib/demure/mod.ts";
import {
  attributionQuality,
  buildCellModel,
  type PreparedDataset,
  type SystemSpec,
} from "../lib/experiments/mod.ts";
import { Adam, trainStep } from "../lib/train/mod.ts";
import { cachedMaskAuc, type RecordedCell, recordedDemureSasrecCells } from "./_cached_mask_auc.ts";
import { SEED_RANGE } from "../lib/util/mod.ts";

/** The runs `--variants` picks from (see the module documentation). */
const VARIANTS = ["separate_pass", "training_pass", "training_pass_without_dropout"] as const;

/** The options' defaults: the parser's and those --help states (one home). */
const DEFAULTS = {
  epochs: 15,
  seed: 0,
  variants: "separate_pass,training_pass",
  routeEpochs: 1,
  smoothing: 1,
} as const;

const USAGE = `usage: deno run -A bench/demure_attribution_source_auc.ts [--epochs=N] [--seed=S]
                  [--variants=LIST] [--routeEpochs=N] [--smoothing=W]
  --epochs N        plain epochs before the Demure runs (default ${DEFAULTS.epochs}; 1..1000)
  --seed S          seed of the recorded synthetic Demure-SASRec cell (default ${DEFAULTS.seed})
  --variants LIST   runs among ${VARIANTS.join(", ")}
                    (default ${DEFAULTS.variants})
  --routeEpochs N   Demure epochs of each run (default ${DEFAULTS.routeEpochs}; 1..1000)
  --smoothing W     the training pass's trainingPassSmoothing in (0, 1] (default ${DEFAULTS.smoothing})
  -h, --help        print this text`;

/** The checked options, or a {@linkcode UsageError}; undefined after `--help`. */
function checkedOptions(args: readonly string[]) {
  const { values } = parseOptions(args, {
    epochs: { type: "string", default: String(DEFAULTS.epochs) },
    seed: { type: "string", default: String(DEFAULTS.seed) },
    variants: { type: "string", default: DEFAULTS.variants },
    routeEpochs: { type: "string", default: String(DEFAULTS.routeEpochs) },
    smoothing: { type: "string", default: String(DEFAULTS.smoothing) },
    help: { type: "boolean", short: "h", default: false },
  });
  if (values.help) return undefined;
  // Larger values are typos: each epoch is tens of seconds, and the record converges in about 100.
  const epochs = integerOption("epochs", values.epochs, 1, 1000);
  const seed = integerOption("seed", values.seed, SEED_RANGE.min!, SEED_RANGE.max!);
  const [path] = recordedDemureSasrecCells("Synthetic", [seed], "dataset", "seed");
  return {
    epochs,
    seed,
    path,
    variants: listOption("variants", values.variants, VARIANTS),
    routeEpochs: integerOption("routeEpochs", values.routeEpochs, 1, 1000),
    smoothing: numberOption("smoothing", values.smoothing, { above: 0, max: 1 }),
  };
}

async function main(): Promise<number> {
  const options = checkedOptions(Deno.args);
  if (options === undefined) {
    console.log(USAGE);
    return 0;
  }
  const { epochs, seed, path, variants, routeEpochs, smoothing } = options;
  await initBackend({ verbose: false });
  const { settings } = JSON.parse(await Deno.readTextFile(path)) as RecordedCell;
  const { dataset, system } = settings;
  if (system.kind !== "neural" || !system.demure) throw new Error(`${path}: not a Demure cell`);
  const data = await prepareDataset(dataset);
  if (!data.truth) throw new Error("the synthetic benchmark has no planted truth");
  const { model: trained } = buildCellModel(data, system, {
    seed,
    ...(settings.model ? { model: settings.model } : {}),
  });
  const started = performance.now();
  const plain = await trainModel(
    trained,
    data.split,
    { ...settings.training, seed, maxEpochs: epochs, patience: epochs, evalEvery: epochs },
    { onProgress: (p) => console.error(`plain epoch ${p.epoch}: loss ${p.loss.toFixed(4)}`) },
  );
  const [posthoc] = await attributionQuality(trained, data.split, data.truth, ["gradient_x_input"]);
  const line: Record<string, unknown> = {
    seed,
    plainEpochs: epochs,
    routeEpochs,
    trainingPassSmoothing: smoothing,
    validNdcg10AfterPlain: plain.bestValidation,
    posthocUserModalityRocAuc: posthoc.userModalityRocAuc,
  };
  const from: RouteStart = {
    data,
    settings,
    system,
    trained,
    weights: trained.parameters.snapshot(),
  };
  for (const variant of variants) {
    line[variant] = await routeRun(variant, from, { seed, epochs, routeEpochs, smoothing });
  }
  line.seconds = Math.round((performance.now() - started) / 1000);
  console.log(JSON.stringify(line));
  trained.dispose();
  return 0;
}

/** What every route's run starts from: the recorded cell, its data and the plainly trained model. */
interface RouteStart {
  data: PreparedDataset;
  settings: RecordedCell["settings"];
  /** The recorded cell's system: neural, with Demure. */
  system: Extract<SystemSpec, { kind: "neural" }>;
  /** The model after the plain epochs (the separate pass and the training pass run on it). */
  trained: SequentialRecommender;
  /** Its weights after the plain epochs, restored before each run. */
  weights: ReturnType<SequentialRecommender["parameters"]["snapshot"]>;
}

/**
 * One variant's Demure epochs from the plainly trained weights, and its mask cache scored against
 * the planted truth (all users, and the first 256).
 */
async function routeRun(
  variant: typeof VARIANTS[number],
  from: RouteStart,
  { seed, epochs, routeEpochs, smoothing }: {
    seed: number;
    epochs: number;
    routeEpochs: number;
    smoothing: number;
  },
): Promise<Record<string, unknown>> {
  const { data, settings, system, trained } = from;
  const truth = data.truth!;
  const config = resolveTrainerConfig({ ...settings.training, seed });
  // `training_pass_without_dropout`: the training pass on a copy of the model with SASRec's
  // dropout at 0 (same weights): how much of a gap to the separate pass the dropout explains.
  const withoutDropout = variant === "training_pass_without_dropout";
  const source: DemureAttributionSource = variant === "separate_pass"
    ? "separate_pass"
    : "training_pass";
  const model = withoutDropout
    ? buildCellModel(data, system, {
      seed,
      model: { ...settings.model, sasrec: { ...settings.model?.sasrec, dropout: 0 } },
    }).model
    : trained;
  model.parameters.assign(from.weights);
  const demure = demureHooks(model, {
    ...system.demure,
    warmupBy: "steps",
    warmupSteps: 0,
    everyVisits: 1,
    attributionSource: source,
    ...(source === "training_pass" ? { trainingPassSmoothing: smoothing } : {}),
  });
  const optimizer = new Adam(config.optimizer);
  let step = 0;
  for (let e = 0; e < routeEpochs; e++) {
    const batches = trainingBatches(data.split, epochs + e, {
      batchSize: config.batchSize,
      seed: config.seed,
      shuffle: true,
      windows: config.windows,
    });
    for (const batch of batches) {
      await trainStep({ model, optimizer, batch, step: step++, config, hooks: demure.hooks });
    }
  }
  const state = demure.hooks.checkpointState!.save();
  const attribution = noiseAttributionConfig(demure.config);
  const entry = {
    masks: cachedMaskAuc(state, truth, model.modalityNames, attribution),
    masksFirst256: cachedMaskAuc(state, truth, model.modalityNames, attribution, 256),
    stats: { attributed: demure.stats().attributed, captured: demure.stats().captured },
  };
  optimizer.dispose();
  if (model !== trained) model.dispose();
  return entry;
}

if (import.meta.main) await runScript("demure_attribution_source_auc", main);
