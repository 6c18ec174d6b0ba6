/**
 * How complete are integrated gradients at 20, 50 and 100 steps on a trained model? The plan's
 * SASRec-MM cell on the embedded MovieLens set is trained plain for `--epochs` epochs (seed 0);
 * then the test-stage loss of the first 256 users is attributed, as `attributionQuality` does it
 * (zero-embedding baseline, user x modality noise at the scored rho), once per step count. For
 * each: the largest and the median relative convergence delta over users (`completeness`,
 * `|sum of contributions - (L(baseline) - L(full))| / |L(baseline) - L(full)|`), and the share of
 * valid pairs whose noise mark differs from the 100-step attribution's (rankings are all that the
 * AUC records read).
 *
 * Prints one JSON line. Run: `DEMURE_BLAS_THREADS=1 deno run -A bench/ig_completeness_check.ts
 * [--epochs=10]`. A bad option is one line and exit 2 before anything is trained: `--epochs` not
 * an integer in 1..1000.
 */
import { integerOption, parseOptions, runScript } from "../scripts/cli/options.ts";
import {
  attributeBatch,
  initBackend,
  planExperiments,
  prepareDataset,
  trainModel,
} from "../mod.ts";
import { type AttributionResult, withNextItemTargets } from "../lib/attribution/mod.ts";
import { evaluationBatches } from "../lib/data/mod.ts";
import { buildCellModel, SCORED_NOISE_FRACTION } from "../lib/experiments/mod.ts";

/** Plain epochs without `--epochs` (the parser's default and the one --help states). */
const DEFAULT_EPOCHS = 10;

const USAGE = `usage: deno run -A bench/ig_completeness_check.ts [--epochs=N]
  --epochs N   plain training epochs before the attribution (default ${DEFAULT_EPOCHS}; 1..1000)
  -h, --help   print this text`;

/** The step counts compared; the last is the reference of the noise marks. */
const STEPS = [20, 50, 100] as const;

/** Users attributed (as `attributionQuality`), in chunks of 128. */
const USERS = 256;

async function main(): Promise<number> {
  const { values } = parseOptions(Deno.args, {
    epochs: { type: "string", default: String(DEFAULT_EPOCHS) },
    help: { type: "boolean", short: "h", default: false },
  });
  if (values.help) {
    console.log(USAGE);
    return 0;
  }
  const epochs = integerOption("epochs", values.epochs, 1, 1000);
  await initBackend({ verbose: false });
  const data = await prepareDataset({ kind: "movielens" });
  const plan = planExperiments("full");
  const cell = plan.cells.find((c) =>
    c.dataset.kind === "movielens" && c.systemName === "SASRec-MM"
  );
  if (cell === undefined) throw new Error("the full plan has no SASRec-MM cell on MovieLens");
  const { model } = buildCellModel(data, cell.system, { seed: 0, model: plan.model });
  await trainModel(model, data.split, {
    ...cell.training,
    seed: 0,
    maxEpochs: epochs,
    patience: epochs,
    evalEvery: epochs,
  });
  const chunks = evaluationBatches(data.split, "test", 128).slice(0, USERS / 128);
  const runs = new Map<number, AttributionResult[]>();
  for (const steps of STEPS) {
    const results: AttributionResult[] = [];
    for (const { batch, targets } of chunks) {
      results.push(
        await attributeBatch(model, withNextItemTargets(batch, targets), {
          method: "integrated_gradients",
          integratedGradientsSteps: steps,
          selection: { kind: "bottom_fraction", rho: SCORED_NOISE_FRACTION },
          granularity: "user_modality",
        }),
      );
    }
    runs.set(steps, results);
  }
  const reference = runs.get(STEPS[STEPS.length - 1])!;
  const line: Record<string, unknown> = { epochs, users: USERS, baseline: "zero_embedding" };
  for (const [steps, results] of runs) {
    const relative = results.flatMap(({ completeness }) =>
      Array.from(completeness!.delta, (d, b) => Math.abs(d / completeness!.lossChange[b]))
    ).filter(Number.isFinite).sort((a, b) => a - b);
    let valid = 0;
    let differing = 0;
    results.forEach((result, chunk) =>
      result.validMask.forEach((isValid, i) => {
        valid += isValid;
        if (isValid && result.noiseMask[i] !== reference[chunk].noiseMask[i]) differing++;
      })
    );
    line[`steps${steps}`] = {
      maxRelativeDelta: relative[relative.length - 1],
      medianRelativeDelta: relative[Math.floor(relative.length / 2)],
      noiseMarksDifferingFrom100Steps: differing / valid,
    };
  }
  console.log(JSON.stringify(line));
  return 0;
}

if (import.meta.main) await runScript("ig_completeness_check", main);
