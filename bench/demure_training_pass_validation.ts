/**
 * Validation of Demure's `attributionSource: "training_pass"` against the results of record: a
 * recorded Demure-SASRec cell (its dataset, system, model and trainer settings, read from
 * `results-of-record/full/cells/`, never written) is retrained with the chosen attribution source,
 * built and evaluated as `runCell` does (`buildCellModel`, `trainModel` with Demure's epoch hook,
 * full-ranking test), and scored two ways against the synthetic benchmark's planted truth:
 * - `posthoc`: the trained model's attribution of the test histories (`attributionQuality`,
 *   gradient x input, user x modality ROC-AUC: the README's 0.990 column);
 * - `masks`: the noise masks training itself ended with (the mask cache at the end of training,
 *   each user's most recent window), user x modality ROC-AUC of their normalised contributions.
 *
 * Prints one JSON line per seed. Writes nothing.
 *
 * Run: `DEMURE_BLAS_THREADS=1 deno run -A bench/demure_training_pass_validation.ts
 * --dataset=Synthetic --source=training_pass --seeds=0,1,2 [--smoothing=0.3]`
 * (`--source=auto` is the library's default route; `--smoothing` unset, its default 0.3). The
 * defaults: `--dataset=Synthetic --source=training_pass --seeds=0`. `--maxEpochs=N` (3 batches an
 * epoch, a 2-step warm-up; default 0, off) only smoke-tests this script; `--help` lists the
 * options. A bad option is one line and exit 2 before anything is trained: a dataset or seed
 * without a recorded Demure-SASRec cell (the message lists the recorded ones), a source other
 * than auto, separate_pass, training_pass, a smoothing outside (0, 1], `--maxEpochs` not an
 * integer in 0..1000.
 */
import {
  choiceOption,
  integerOption,
  numberOption,
  parseOptions,
  runScript,
} from "../scripts/cli/options.ts";
import {
  type EpochProgress,
  evaluateRanking,
  initBackend,
  modelScorer,
  noiseAttributionConfig,
  prepareDataset,
  type PreparedDataset,
  type SystemSpec,
  trainModel,
} from "../mod.ts";
import { DEFAULT_DEMURE_CONFIG, DEMURE_ATTRIBUTION_SOURCES } from "../lib/demure/mod.ts";
import { seedsOption } from "../scripts/cli/seeds_option.ts";
import { DEFAULT_RANKING_PROTOCOL } from "../lib/eval/mod.ts";
import { describeLoss } from "../lib/losses/mod.ts";
import { attributionQuality, buildCellModel } from "../lib/experiments/mod.ts";
import { cachedMaskAuc, type RecordedCell, recordedDemureSasrecCells } from "./_cached_mask_auc.ts";

/** The options' defaults: the parser's and those --help states (one home). */
const DEFAULTS = {
  dataset: "Synthetic",
  source: "training_pass",
  seeds: "0",
  maxEpochs: 0,
} as const;

const USAGE = `usage: deno run -A bench/demure_training_pass_validation.ts [--dataset=D]
                  [--source=S] [--seeds=LIST] [--smoothing=W] [--maxEpochs=N]
  --dataset D       dataset of the recorded Demure-SASRec cells (default ${DEFAULTS.dataset})
  --source S        ${DEMURE_ATTRIBUTION_SOURCES.join(", ")} (default ${DEFAULTS.source})
  --seeds LIST      recorded seeds, comma-separated (default ${DEFAULTS.seeds})
  --smoothing W     trainingPassSmoothing in (0, 1] (default: the library's, ${DEFAULT_DEMURE_CONFIG.trainingPassSmoothing})
  --maxEpochs N     smoke test: N epochs of 3 batches, a 2-step warm-up (default ${DEFAULTS.maxEpochs}: off)
  -h, --help        print this text`;

/** The checked options, or a `UsageError`; undefined after `--help`. */
function checkedOptions(args: readonly string[]) {
  const { values } = parseOptions(args, {
    dataset: { type: "string", default: DEFAULTS.dataset },
    source: { type: "string", default: DEFAULTS.source },
    seeds: { type: "string", default: DEFAULTS.seeds },
    // Unset: the library's default smoothing.
    smoothing: { type: "string" },
    maxEpochs: { type: "string", default: String(DEFAULTS.maxEpochs) },
    help: { type: "boolean", short: "h", default: false },
  });
  if (values.help) return undefined;
  const source = choiceOption("source", values.source, DEMURE_ATTRIBUTION_SOURCES);
  const seeds = seedsOption(values.seeds);
  const smoothing = values.smoothing === undefined
    ? undefined
    : numberOption("smoothing", values.smoothing, { above: 0, max: 1 });
  // A larger value is a typo: the recorded cells converge in about 100 epochs.
  const smoke = integerOption("maxEpochs", values.maxEpochs, 0, 1000);
  const paths = recordedDemureSasrecCells(values.dataset, seeds, "dataset", "seeds");
  return { datasetLabel: values.dataset, source, seeds, paths, smoothing, smoke };
}

async function main(): Promise<number> {
  const options = checkedOptions(Deno.args);
  if (options === undefined) {
    console.log(USAGE);
    return 0;
  }
  await initBackend({ verbose: false });
  let data: PreparedDataset | undefined;
  for (const [k, seed] of options.seeds.entries()) {
    const path = options.paths[k];
    const recorded = JSON.parse(await Deno.readTextFile(path)) as RecordedCell;
    data ??= await prepareDataset(recorded.settings.dataset);
    console.log(JSON.stringify(await seedLine(recorded, path, seed, data, options)));
  }
  return 0;
}

/** The checked options: {@linkcode checkedOptions} but after `--help`. */
type ValidationOptions = NonNullable<ReturnType<typeof checkedOptions>>;

/**
 * The recorded cell retrained at `seed` with the chosen attribution source, evaluated on test as
 * `runCell` does, and (on the synthetic benchmark) scored against the planted truth: one line.
 */
async function seedLine(
  recorded: RecordedCell,
  path: string,
  seed: number,
  data: PreparedDataset,
  options: ValidationOptions,
): Promise<Record<string, unknown>> {
  const { system, ...settings } = recorded.settings;
  const started = performance.now();
  const parts = buildCellModel(data, withSource(system, path, options), {
    seed,
    ...(settings.model ? { model: settings.model } : {}),
  });
  const { model } = parts;
  const demure = parts.demure!;
  const training = await trainModel(model, data.split, {
    ...settings.training,
    seed,
    ...(options.smoke > 0 ? { maxEpochs: options.smoke, maxBatchesPerEpoch: 3 } : {}),
  }, { ...parts.hooks, onProgress: (progress) => printProgressOf(seed, progress) });
  const loss = describeLoss(training.config.loss);
  const ranking = settings.training?.ranking ?? DEFAULT_RANKING_PROTOCOL;
  const scorer = modelScorer(model, "Demure-SASRec");
  const test = await evaluateRanking(scorer, data.split, { stage: "test", loss, seed, ranking });
  const line: Record<string, unknown> = {
    dataset: options.datasetLabel,
    source: demure.config.attributionSource,
    ...(demure.config.attributionSource === "training_pass"
      ? { trainingPassSmoothing: demure.config.trainingPassSmoothing }
      : {}),
    seed,
    testNdcg10: test.metrics["NDCG@10"],
    recordedTestNdcg10: recorded.result.test["NDCG@10"],
    bestEpoch: training.bestEpoch,
    epochsRun: training.epochsRun,
    trainSeconds: Math.round((performance.now() - started) / 1000),
    meanStepSeconds: training.meanStepSeconds,
    demure: demure.stats(),
  };
  if (data.truth) {
    const state = demure.hooks.checkpointState!.save();
    const config = noiseAttributionConfig(demure.config);
    line.masks = cachedMaskAuc(state, data.truth, model.modalityNames, config);
    line.masksFirst256 = cachedMaskAuc(state, data.truth, model.modalityNames, config, 256);
    const [posthoc] = await attributionQuality(model, data.split, data.truth, [
      "gradient_x_input",
    ]);
    line.posthocUserModalityRocAuc = posthoc.userModalityRocAuc;
  }
  model.dispose();
  return line;
}

/** The recorded Demure system with the chosen attribution source (and smoothing, smoke warm-up). */
function withSource(system: SystemSpec, path: string, options: ValidationOptions): SystemSpec {
  if (system.kind !== "neural" || !system.demure) throw new Error(`${path}: not a Demure cell`);
  // `--maxEpochs=N` (3 batches an epoch, a 2-step warm-up) only smoke-tests this script.
  return {
    ...system,
    demure: {
      ...system.demure,
      attributionSource: options.source,
      ...(options.smoothing !== undefined ? { trainingPassSmoothing: options.smoothing } : {}),
      ...(options.smoke > 0 ? { warmupBy: "steps" as const, warmupSteps: 2 } : {}),
    },
  };
}

/** Every tenth epoch's line, and each epoch that did not improve, on stderr. */
function printProgressOf(seed: number, progress: EpochProgress): void {
  if (progress.epoch % 10 === 0 || progress.improved === false) {
    console.error(
      `seed ${seed} epoch ${progress.epoch}: loss ${progress.loss.toFixed(4)}, valid ` +
        `${progress.validation?.["NDCG@10"]?.toFixed(4)}, best ${progress.bestEpoch}`,
    );
  }
}

if (import.meta.main) await runScript("demure_training_pass_validation", main);
