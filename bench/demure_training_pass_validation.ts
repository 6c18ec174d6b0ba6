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
 * (`--source=auto` is the library's default route; `--smoothing` unset, its default 0.3)
 */
import { arg } from "./_args.ts";
import {
  evaluateRanking,
  initBackend,
  modelScorer,
  noiseAttributionConfig,
  prepareDataset,
  type SystemSpec,
  trainModel,
} from "../mod.ts";
import type { DemureAttributionSource } from "../lib/demure/mod.ts";
import { DEFAULT_RANKING_PROTOCOL } from "../lib/eval/mod.ts";
import { describeLoss } from "../lib/losses/mod.ts";
import { attributionQuality, buildCellModel } from "../lib/experiments/mod.ts";
import { cachedMaskAuc, type RecordedCell } from "./_cached_mask_auc.ts";

if (import.meta.main) {
  const datasetLabel = arg("dataset", "Synthetic");
  const source = arg("source", "training_pass") as DemureAttributionSource;
  const seeds = arg("seeds", "0").split(",").map(Number);
  // Unset: the library's default smoothing.
  const smoothingArg = arg("smoothing", "");
  await initBackend({ verbose: false });
  let data: Awaited<ReturnType<typeof prepareDataset>> | undefined;
  for (const seed of seeds) {
    const path =
      `results-of-record/full/cells/full__${datasetLabel}__Demure-SASRec__seed=${seed}.json`;
    const recorded = JSON.parse(await Deno.readTextFile(path)) as RecordedCell;
    const { dataset, system, ...settings } = recorded.settings;
    if (system.kind !== "neural" || !system.demure) throw new Error(`${path}: not a Demure cell`);
    // `--maxEpochs=N` (3 batches an epoch, a 2-step warm-up) only smoke-tests this script.
    const smoke = Number(arg("maxEpochs", "0"));
    const withSource: SystemSpec = {
      ...system,
      demure: {
        ...system.demure,
        attributionSource: source,
        ...(smoothingArg ? { trainingPassSmoothing: Number(smoothingArg) } : {}),
        ...(smoke > 0 ? { warmupBy: "steps" as const, warmupSteps: 2 } : {}),
      },
    };
    data ??= await prepareDataset(dataset);
    const started = performance.now();
    const parts = buildCellModel(data, withSource, {
      seed,
      ...(settings.model ? { model: settings.model } : {}),
    });
    const { model, demure } = parts;
    const trainerSettings = {
      ...settings.training,
      seed,
      ...(smoke > 0 ? { maxEpochs: smoke, maxBatchesPerEpoch: 3 } : {}),
    };
    const training = await trainModel(model, data.split, trainerSettings, {
      ...parts.hooks,
      onProgress: (progress) => {
        demure!.onEpochEnd(progress);
        if (progress.epoch % 10 === 0 || progress.improved === false) {
          console.error(
            `seed ${seed} epoch ${progress.epoch}: loss ${progress.loss.toFixed(4)}, valid ` +
              `${progress.validation?.["NDCG@10"]?.toFixed(4)}, best ${progress.bestEpoch}`,
          );
        }
      },
    });
    const loss = describeLoss(training.config.loss);
    const ranking = settings.training?.ranking ?? DEFAULT_RANKING_PROTOCOL;
    const scorer = modelScorer(model, "Demure-SASRec");
    const test = await evaluateRanking(scorer, data.split, { stage: "test", loss, seed, ranking });
    const line: Record<string, unknown> = {
      dataset: datasetLabel,
      source: demure!.config.attributionSource,
      ...(demure!.config.attributionSource === "training_pass"
        ? { trainingPassSmoothing: demure!.config.trainingPassSmoothing }
        : {}),
      seed,
      testNdcg10: test.metrics["NDCG@10"],
      recordedTestNdcg10: recorded.result.test["NDCG@10"],
      bestEpoch: training.bestEpoch,
      epochsRun: training.epochsRun,
      trainSeconds: Math.round((performance.now() - started) / 1000),
      meanStepSeconds: training.meanStepSeconds,
      demure: demure!.stats(),
    };
    if (data.truth) {
      const state = demure!.hooks.checkpointState!.save();
      const config = noiseAttributionConfig(demure!.config);
      line.masks = cachedMaskAuc(state, data.truth, model.modalityNames, config);
      line.masksFirst256 = cachedMaskAuc(state, data.truth, model.modalityNames, config, 256);
      const [posthoc] = await attributionQuality(model, data.split, data.truth, [
        "gradient_x_input",
      ]);
      line.posthocUserModalityRocAuc = posthoc.userModalityRocAuc;
    }
    console.log(JSON.stringify(line));
    model.dispose();
  }
}
