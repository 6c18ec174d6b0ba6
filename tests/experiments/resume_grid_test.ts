/**
 * Kill and resume is bit-identical for every neural system of the grid (plain, CL4SRec, each
 * Demure variant): a run killed right after an epoch's checkpoint and resumed gives the losses,
 * validation and test metrics, Demure counters and per-epoch noise rates of the uninterrupted run.
 * Demure's noise-mask refresh interval (5 steps) exceeds the steps per epoch (3), so a resume that
 * lost the mask cache would recompute masks the uninterrupted run reuses, and differ. Demure's
 * warm-ups by epochs and by plateau end at the epoch of the kill: a checkpoint saved before the
 * epoch's end reached the warm-up (as until 2026-12-04) would resume it an epoch too long.
 */
import { assert, assertEquals, assertRejects } from "@std/assert";
import { initBackend } from "../../lib/backend/init_backend.ts";
import { prepareDataset } from "../../lib/experiments/datasets.ts";
import { runCell } from "../../lib/experiments/run_cell.ts";
import {
  type SystemName,
  SYSTEMS,
  type SystemSpec,
  withDemure,
} from "../../lib/experiments/systems.ts";
import type { EpochProgress } from "../../lib/train/progress.ts";
import { type DemureConfig, masksAreRandom } from "../../lib/demure/config.ts";

await initBackend({ verbose: false });

class SimulatedKill extends Error {}

const data = await prepareDataset({
  kind: "synthetic",
  config: { numUsers: 48, numItems: 40, historyLength: 8 },
});
const training = { maxEpochs: 3, batchSize: 16, patience: 10 };
// 3 steps an epoch: every second visit attributes, so a resume restores masks mid-schedule.
const demure = { warmupSteps: 2, everyVisits: 2 };
const neural = (Object.keys(SYSTEMS) as SystemName[]).filter((name) =>
  SYSTEMS[name].kind === "neural"
);

// Warm-ups that end after epoch 2, the epoch of the kill (epoch 2 does not improve on epoch 1
// at this seed, checked below, so one evaluation without a gain ends the plateau).
const epochWarmups: { label: string; demure: Partial<DemureConfig>; endsAfter: number }[] = [
  { label: "warm-up by epochs", demure: { warmupBy: "epochs", warmupEpochs: 2 }, endsAfter: 2 },
  { label: "warm-up by plateau", demure: { warmupBy: "plateau", warmupEpochs: 1 }, endsAfter: 2 },
];
const cases: {
  name: SystemName;
  label: string;
  demure: Partial<DemureConfig>;
  endsAfter?: number;
}[] = [
  ...neural.map((name) => ({ name, label: name, demure })),
  ...epochWarmups.map(({ label, demure: warmup, endsAfter }) => ({
    name: "Demure-SASRec" as const,
    label: `Demure-SASRec, ${label}`,
    demure: { ...demure, ...warmup },
    endsAfter,
  })),
];

for (const { name, label, demure, endsAfter } of cases) {
  Deno.test(`kill after epoch 2 and resume = uninterrupted run: ${label}`, async () => {
    const base: SystemSpec = SYSTEMS[name];
    const demureVariant = base.kind === "neural" ? base.demure?.variant : undefined;
    const system = demureVariant ? withDemure(name, demure) : base;
    const settings = { seed: 7, model: { dim: 8, sasrec: { blocks: 1 } } };
    const quiet = (_: EpochProgress) => {};
    const straight = await runCell(data, system, name, {
      ...settings,
      training,
      onProgress: quiet,
    });
    const checkpointDir = Deno.makeTempDirSync();
    try {
      await assertRejects(() =>
        runCell(data, system, name, {
          ...settings,
          training: { ...training, checkpointDir },
          onProgress: (progress) => {
            if (progress.epoch === 2) throw new SimulatedKill("killed after epoch 2");
          },
        }), SimulatedKill);
      const trainedAgain: number[] = [];
      const resumed = await runCell(data, system, name, {
        ...settings,
        training: { ...training, checkpointDir },
        onProgress: (progress) => trainedAgain.push(progress.epoch),
      });
      assertEquals(trainedAgain, [3], "the resumed run trains epoch 3 only");
      assertEquals(resumed.epochsRun, straight.epochsRun, "the record counts every epoch");
      assertEquals(resumed.history.map((h) => h.loss), straight.history.map((h) => h.loss));
      assertEquals(resumed.valid, straight.valid);
      assertEquals(resumed.test, straight.test);
      assertEquals(resumed.demure, straight.demure);
      assertEquals(resumed.noiseRateByEpoch, straight.noiseRateByEpoch);
      if (endsAfter !== undefined) {
        assertEquals(straight.demure?.warmupEndedAfterEpoch, endsAfter);
        assertEquals(straight.history[1].improved, false, "epoch 2 ends the plateau");
      }
      if (demureVariant !== undefined) {
        assertEquals(straight.noiseRateByEpoch?.length, straight.history.length);
      }
      // Random masks are drawn afresh at every step: no cache to exercise; after a warm-up that
      // ends with epoch 2, only epoch 3 is masked.
      if (demureVariant !== undefined && !masksAreRandom(demureVariant) && !endsAfter) {
        assert((straight.demure?.reused ?? 0) > 0, "the mask cache is exercised across epochs");
      }
    } finally {
      Deno.removeSync(checkpointDir, { recursive: true });
    }
  });
}
