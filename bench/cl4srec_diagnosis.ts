/**
 * Why CL4SRec-MM is below its backbone: a recorded CL4SRec-MM cell (its dataset, system, model and
 * trainer settings, read from `results-of-record/full/cells/`, never written) is retrained by
 * `runCell`, exactly as the plan runs it, once per variant of its contrastive term, and compared
 * with the record and with the backbone's record (SASRec-MM, same dataset and seed):
 * - `recorded`: the cell as recorded (must reproduce the record bit for bit: the check that the
 *   variants below differ from it only where they say);
 * - `crop`, `mask`, `reorder`: views drawn from that augmentation alone (CL4SRec draws among all
 *   three);
 * - `cosine-0.5`, `cosine-0.1`: cosine similarity at tau 0.5 or 0.1 instead of the dot product at
 *   tau 1, which takes the states' scale out of the contrastive term;
 * - `weight-0.01`: the recorded configuration at lambda 0.01 (the selection's grid never went below
 *   0.05).
 *
 * A diagnosis, not a selection: nothing here changes a record or the plan, and the README reports
 * validation first. Prints one JSON line per (variant, seed) on stdout, progress on stderr.
 *
 * Run: `DEMURE_BLAS_THREADS=1 deno run -A bench/cl4srec_diagnosis.ts --dataset=Synthetic
 * --seeds=0 --variants=recorded,crop,mask,reorder,cosine-0.5,cosine-0.1,weight-0.01` (these are
 * the defaults). `--maxEpochs=N` (3 batches an epoch; default 0, off) only smoke-tests the script.
 * A bad option is one line and exit 2 before anything is trained: a dataset or seed without a
 * recorded CL4SRec-MM or SASRec-MM cell (the message lists the recorded ones), an unknown variant.
 */
import {
  integerOption,
  listOption,
  parseOptions,
  runScript,
  UsageError,
} from "../scripts/cli/options.ts";
import { type Cl4SRecConfig, initBackend, prepareDataset, type SystemSpec } from "../mod.ts";
import { runCell } from "../lib/experiments/mod.ts";
import { seedsOption } from "../scripts/cli/seeds_option.ts";
import { RECORDED_CELLS, type RecordedCell as RecordedCellBase } from "./_cached_mask_auc.ts";

/** Each variant's change to the recorded contrastive configuration. */
const VARIANTS = {
  recorded: {},
  crop: { augmentations: ["crop"] },
  mask: { augmentations: ["mask"] },
  reorder: { augmentations: ["reorder"] },
  "cosine-0.5": { similarity: "cosine", temperature: 0.5 },
  "cosine-0.1": { similarity: "cosine", temperature: 0.1 },
  "weight-0.01": { weight: 0.01 },
} as const satisfies Record<string, Partial<Cl4SRecConfig>>;

type Variant = keyof typeof VARIANTS;
const VARIANT_NAMES = Object.keys(VARIANTS) as Variant[];

/** The options' defaults: the parser's and those --help states (one home). */
const DEFAULTS = { dataset: "Synthetic", seeds: "0", maxEpochs: 0 } as const;

const USAGE = `usage: deno run -A bench/cl4srec_diagnosis.ts [--dataset=D] [--seeds=LIST]
                  [--variants=LIST] [--maxEpochs=N]
  --dataset D       dataset of the recorded CL4SRec-MM cells (default ${DEFAULTS.dataset})
  --seeds LIST      recorded seeds, comma-separated (default ${DEFAULTS.seeds})
  --variants LIST   of ${VARIANT_NAMES.join(", ")} (default all)
  --maxEpochs N     smoke test: N epochs of 3 batches (default ${DEFAULTS.maxEpochs}: off)
  -h, --help        print this text`;

/** A recorded cell with the fields compared here. */
type RecordedCell = RecordedCellBase & {
  result: { valid: Record<string, number>; bestEpoch: number };
};

/** The path of a recorded seed cell, or a {@linkcode UsageError} naming what is recorded. */
function recordedCell(dataset: string, system: string, seed: number): string {
  const path = `${RECORDED_CELLS}/full__${dataset}__${system}__seed=${seed}.json`;
  try {
    Deno.statSync(path);
    return path;
  } catch {
    const recorded = [...Deno.readDirSync(RECORDED_CELLS)]
      .map((entry) => new RegExp(`^full__(.+)__${system}__seed=([0-9]+)\\.json$`).exec(entry.name))
      .filter((match) => match !== null)
      .map((match) => `${match![1]} seed ${match![2]}`)
      .sort();
    throw new UsageError(
      `no recorded ${system} cell for --dataset ${dataset} --seeds ${seed}; recorded: ` +
        recorded.join(", "),
    );
  }
}

function checkedOptions(args: readonly string[]) {
  const { values } = parseOptions(args, {
    dataset: { type: "string", default: DEFAULTS.dataset },
    seeds: { type: "string", default: DEFAULTS.seeds },
    variants: { type: "string", default: VARIANT_NAMES.join(",") },
    maxEpochs: { type: "string", default: String(DEFAULTS.maxEpochs) },
    help: { type: "boolean", short: "h", default: false },
  });
  if (values.help) return undefined;
  const seeds = seedsOption(values.seeds);
  const variants = listOption("variants", values.variants, VARIANT_NAMES);
  const smoke = integerOption("maxEpochs", values.maxEpochs, 0, 1000);
  const paths = seeds.map((seed) => ({
    cell: recordedCell(values.dataset, "CL4SRec-MM", seed),
    backbone: recordedCell(values.dataset, "SASRec-MM", seed),
  }));
  return { dataset: values.dataset, seeds, variants, smoke, paths };
}

const round = (value: number) => Math.round(value * 1e4) / 1e4;

async function main(): Promise<number> {
  const options = checkedOptions(Deno.args);
  if (options === undefined) {
    console.log(USAGE);
    return 0;
  }
  await initBackend({ verbose: false });
  let data: Awaited<ReturnType<typeof prepareDataset>> | undefined;
  for (const [k, seed] of options.seeds.entries()) {
    const recorded = JSON.parse(await Deno.readTextFile(options.paths[k].cell)) as RecordedCell;
    const backbone = JSON.parse(
      await Deno.readTextFile(options.paths[k].backbone),
    ) as RecordedCell;
    const { dataset, system, ...settings } = recorded.settings;
    if (system.kind !== "neural" || !system.cl4srec) {
      throw new Error(`${options.paths[k].cell}: not a CL4SRec cell`);
    }
    data ??= await prepareDataset(dataset);
    for (const variant of options.variants) {
      const changed: SystemSpec = {
        ...system,
        cl4srec: { ...system.cl4srec, ...VARIANTS[variant] },
      };
      const training = {
        ...settings.training,
        ...(options.smoke > 0 ? { maxEpochs: options.smoke, maxBatchesPerEpoch: 3 } : {}),
      };
      const result = await runCell(data, changed, "CL4SRec-MM", {
        seed,
        ...(settings.model ? { model: settings.model } : {}),
        training,
        onProgress: (progress) => {
          if (progress.epoch % 10 !== 0) return;
          console.error(
            `${variant} seed ${seed} epoch ${progress.epoch}: loss ${progress.loss.toFixed(4)}, ` +
              `best valid NDCG@10 ${progress.bestValidation.toFixed(4)} at ${progress.bestEpoch}`,
          );
        },
      });
      const best = result.history[result.bestEpoch - 1];
      console.log(JSON.stringify({
        dataset: options.dataset,
        seed,
        variant,
        cl4srec: changed.cl4srec,
        validNdcg10: round(result.valid["NDCG@10"]),
        testNdcg10: round(result.test["NDCG@10"]),
        bestEpoch: result.bestEpoch,
        epochsRun: result.epochsRun,
        recommendationLossAtBest: best ? round(best.recommendationLoss) : undefined,
        auxiliaryLossAtBest: best ? round(best.auxiliaryLoss) : undefined,
        trainSeconds: Math.round(result.trainSeconds),
        recorded: {
          validNdcg10: round(recorded.result.valid["NDCG@10"]),
          testNdcg10: round(recorded.result.test["NDCG@10"]),
          bestEpoch: recorded.result.bestEpoch,
          bitIdentical: variant === "recorded" && options.smoke === 0
            ? result.valid["NDCG@10"] === recorded.result.valid["NDCG@10"] &&
              result.test["NDCG@10"] === recorded.result.test["NDCG@10"]
            : undefined,
        },
        backbone: {
          validNdcg10: round(backbone.result.valid["NDCG@10"]),
          testNdcg10: round(backbone.result.test["NDCG@10"]),
        },
      }));
    }
  }
  return 0;
}

if (import.meta.main) await runScript("cl4srec_diagnosis", main);
