/**
 * `deno task bench:demure`: the cost of Demure over a plain run, on whole epochs of what the grid
 * trains. SASRec with all modalities on MovieLens (5-core, leave-one-out, L=50), the grid's
 * training settings (batch 128, lr 2e-3), is trained for `--epochs` epochs plain and, as a second
 * run in the same process, with Demure's hooks (`SYSTEMS["Demure-SASRec"]`); the runs alternate
 * epoch by epoch, so load changes on a shared machine hit both. Demure's warm-up steps run plain,
 * so only the epochs after the first noise mask are compared.
 *
 * Prints per-epoch training seconds (validation excluded), the ratio of each compared Demure epoch
 * to the plain epoch just before it, and one line `demure / plain epoch time = X` (median over the
 * compared epochs against median of the plain epochs after the first).
 * A plain epoch's line prints once the Demure epoch after it has run (the hand-over happens
 * before the trainer reports progress).
 *
 * Run: `deno run -A bench/demure_bench.ts [--epochs=5]` (`DEMURE_BLAS_THREADS` sets BLAS threads).
 */
import {
  demureHooks,
  type EpochProgress,
  initBackend,
  planExperiments,
  prepareDataset,
  SequentialRecommender,
  trainModel,
} from "../mod.ts";

/** Median of `values` (NaN when empty). */
export function median(values: readonly number[]): number {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

if (import.meta.main) {
  const epochsArg = Deno.args.find((a) => a.startsWith("--epochs="));
  const epochs = epochsArg ? Number(epochsArg.slice("--epochs=".length)) : 5;
  const choice = await initBackend({ verbose: false });
  const data = await prepareDataset({ kind: "movielens" });
  const plan = planExperiments("full");
  const cell = plan.cells.find((c) =>
    c.dataset.kind === "movielens" && c.systemName === "Demure-SASRec"
  );
  if (cell === undefined) throw new Error("the full plan has no Demure-SASRec cell on MovieLens");
  const training = {
    ...cell.training,
    maxEpochs: epochs,
    patience: epochs,
    seed: 0,
  };
  const system = cell.system;
  if (system.kind !== "neural" || !system.demure) throw new Error("Demure-SASRec is not neural");
  // The two runs alternate whole epochs (plain 1, demure 1, plain 2, ...) so that a change of
  // machine load hits both alike: each run's validation hook, which the trainer awaits after
  // every epoch, hands over to the other run and waits for its next epoch to end.
  const turn = { plain: 0, demure: 0 };
  const waiters: (() => void)[] = [];
  const wake = () => waiters.splice(0).forEach((resolve) => resolve());
  const until = async (ready: () => boolean) => {
    while (!ready()) await new Promise<void>((resolve) => waiters.push(resolve));
  };
  const run = async (withDemure: boolean) => {
    const me = withDemure ? "demure" : "plain";
    // Demure's epoch k starts after plain's epoch k; plain's epoch k + 1 after demure's epoch k.
    if (withDemure) await until(() => turn.plain >= 1);
    const model = new SequentialRecommender(data.split.dataset, {
      ...plan.model,
      backbone: "sasrec",
      maxLength: data.split.maxLength,
      seed: 0,
    });
    const demure = withDemure ? demureHooks(model, system.demure) : undefined;
    const epochsSeen: EpochProgress[] = [];
    await trainModel(model, data.split, { ...training, evalEvery: 1 }, {
      ...(demure?.hooks ?? {}),
      validate: async () => {
        turn[me]++;
        wake();
        if (turn[me] < epochs) {
          await until(() => withDemure ? turn.plain >= turn.demure + 1 : turn.demure >= turn.plain);
        }
        return { "NDCG@10": 0 };
      },
      onProgress: (p) => {
        epochsSeen.push(p);
        console.log(
          `${withDemure ? "demure" : "plain "} epoch ${p.epoch}: ${p.steps} steps, ` +
            `${(p.stepSeconds * p.steps).toFixed(1)} s training`,
        );
      },
    });
    model.dispose();
    return { epochs: epochsSeen, demure: demure?.config };
  };
  const [plain, withDemure] = await Promise.all([run(false), run(true)]);
  const stepsPerEpoch = plain.epochs[0].steps;
  const warmup = withDemure.demure?.warmupSteps ?? 0;
  // Epochs whose first step is past the warm-up (the first noise masks are in).
  const compared = withDemure.epochs.filter((p) => (p.epoch - 1) * stepsPerEpoch >= warmup);
  const seconds = (p: EpochProgress) => p.stepSeconds * p.steps;
  const plainMedian = median(plain.epochs.slice(1).map(seconds));
  const demureMedian = median(compared.map(seconds));
  // Each compared demure epoch against the plain epoch run just before it (same load).
  const pairRatios = compared.map((p) => seconds(p) / seconds(plain.epochs[p.epoch - 1]));
  const load = Deno.loadavg().map((v) => v.toFixed(2)).join(" ");
  console.log(
    `${choice.backend} (${choice.kernels.join(", ") || "stock"}), MovieLens all modalities, ` +
      `B=${training.batchSize}, ${stepsPerEpoch} steps/epoch, epochs alternating; plain median ` +
      `${plainMedian.toFixed(1)} s (epochs 2..${epochs}), demure median ${
        demureMedian.toFixed(1)
      } s (${compared.length} epochs after the ${warmup}-step warm-up); per epoch pair ` +
      `${pairRatios.map((r) => r.toFixed(2)).join(", ")}; load average ${load}`,
  );
  console.log(`demure / plain epoch time = ${(demureMedian / plainMedian).toFixed(2)}`);
}
