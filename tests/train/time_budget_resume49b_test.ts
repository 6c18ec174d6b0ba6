/**
 * The time budget (`TrainerConfig.maxWallSeconds`) over a preempted run: the training time of the
 * processes before a resume is saved with the `last` checkpoint (`trainerState.trainingSeconds`)
 * and counted on resume, so a run killed and resumed trains the epochs an uninterrupted one does
 * under the same budget, with its weights. (The budget restarted with each process: a preempted
 * run trained as many more epochs as it was restarted.) A checkpoint saved before the field
 * resumes as before and says so once. The clock is a fake one that only the validations advance
 * (1 s each), so no test depends on how fast the machine trains.
 */
import { assert, assertEquals, assertRejects, assertStringIncludes } from "@std/assert";
import { SequentialRecommender } from "../../lib/models/sequential_recommender.ts";
import type { TrainerConfig, TrainingResult } from "../../lib/train/config.ts";
import { trainModel } from "../../lib/train/trainer.ts";
import type { EpochProgress } from "../../lib/train/progress.ts";
import { RunClock } from "../../lib/train/_run_clock.ts";
import { SEEDED_SPLIT, weightsOf } from "./_seeded_run.ts";
import { assertBitIdentical } from "../_bit_identical.ts";
import { fakeClock } from "../_fake_clock.ts";

const MODEL = { dim: 8, maxLength: 6, seed: 1 };
/** Every epoch validates (and improves: the best weights are the last epoch's). */
const TRAINER = { batchSize: 2, seed: 2, maxEpochs: 10, patience: 100, maxWallSeconds: 3.5 };

/** Thrown by `onProgress` to kill a run after an epoch's checkpoint is saved. */
class Killed extends Error {}

interface Trained {
  result?: TrainingResult;
  epochs: number[];
  weights: Record<string, Float32Array>;
}

/**
 * Trains a fresh model with `trainer`, each validation taking 1 s of the fake clock; killed after
 * epoch `killAfter` when given. The epochs this call trained and the weights it left.
 */
async function train(
  clock: { advance: (ms: number) => number },
  trainer: Partial<TrainerConfig>,
  killAfter?: number,
): Promise<Trained> {
  const model = new SequentialRecommender(SEEDED_SPLIT.dataset, MODEL);
  const epochs: number[] = [];
  try {
    const result = await trainModel(model, SEEDED_SPLIT, { ...TRAINER, ...trainer }, {
      // Later is better: every validation improves, in every process.
      validate: () => ({ "NDCG@10": clock.advance(1_000) / 1e9 }),
      onProgress: (progress: EpochProgress) => {
        epochs.push(progress.epoch);
        if (progress.epoch === killAfter) throw new Killed(`killed after epoch ${killAfter}`);
      },
    });
    return { result, epochs, weights: weightsOf(model) };
  } catch (error) {
    if (!(error instanceof Killed)) throw error;
    return { epochs, weights: weightsOf(model) };
  } finally {
    model.dispose();
  }
}

/** The stored loop state of `<dir>/last`. */
function trainerStateOf(dir: string): Record<string, unknown> {
  return JSON.parse(Deno.readTextFileSync(`${dir}/last.json`)).trainerState;
}

/** Runs `body` with `console.warn` collected (and silenced). */
async function withWarnings<T>(body: () => Promise<T>): Promise<{ value: T; warnings: string[] }> {
  const realWarn = console.warn;
  const warnings: string[] = [];
  console.warn = (...args: unknown[]) => void warnings.push(args.join(" "));
  try {
    return { value: await body(), warnings };
  } finally {
    console.warn = realWarn;
  }
}

Deno.test("time budget: a run killed and resumed trains the uninterrupted run's epochs and weights", async () => {
  const clock = fakeClock();
  const dir = Deno.makeTempDirSync();
  try {
    // 3.5 s at 1 s an epoch: the budget is spent in epoch 4, the run stops after it.
    const whole = await train(clock, {});
    assertEquals(whole.epochs, [1, 2, 3, 4]);
    assertEquals(whole.result?.stoppedBy, "time_budget");
    const killed = await train(clock, { checkpointDir: dir }, 2);
    assertEquals(killed.epochs, [1, 2]);
    assertEquals(trainerStateOf(dir).trainingSeconds, 2, "2 epochs of 1 s saved with epoch 2");
    // Killed for a while (the fake clock moves on): the time between processes is not training.
    clock.advance(60_000);
    const resumed = await train(clock, { checkpointDir: dir });
    // A fresh budget here trained epochs 3..6, 4 more than the uninterrupted run's.
    assertEquals(resumed.epochs, [3, 4], "the 2 s trained before count");
    assertEquals(resumed.result?.stoppedBy, "time_budget");
    assertEquals(resumed.result?.resumedFromEpoch, 2);
    assertEquals(trainerStateOf(dir).trainingSeconds, 4, "the time of all 4 epochs, saved");
    assertBitIdentical(resumed.weights, whole.weights, "the uninterrupted run's weights");
  } finally {
    clock.restore();
    Deno.removeSync(dir, { recursive: true });
  }
});

Deno.test("time budget: killed after the epoch that spent it, a resumed run trains no further epoch", async () => {
  const clock = fakeClock();
  const dir = Deno.makeTempDirSync();
  try {
    const whole = await train(clock, {});
    // Epoch 4's checkpoint is saved, the process is killed before it returned its result: the
    // run is over, as a run that ran out of patience (a fresh budget trained epochs 5..8).
    const killed = await train(clock, { checkpointDir: dir }, 4);
    assertEquals(killed.epochs, [1, 2, 3, 4]);
    const resumed = await train(clock, { checkpointDir: dir });
    assertEquals(resumed.epochs, []);
    assertEquals(resumed.result?.epochsRun, 0);
    assertEquals(resumed.result?.stoppedBy, "time_budget");
    assert(resumed.result?.stoppedEarly);
    assertEquals(resumed.result?.bestEpoch, 4);
    assertBitIdentical(resumed.weights, whole.weights, "the best (epoch 4's) weights");
    // A larger budget on resume is the whole run's: 5.5 s trains epochs 5 and 6.
    const extended = await train(clock, { checkpointDir: dir, maxWallSeconds: 5.5 });
    assertEquals(extended.epochs, [5, 6]);
    assertEquals(extended.result?.stoppedBy, "time_budget");
  } finally {
    clock.restore();
    Deno.removeSync(dir, { recursive: true });
  }
});

Deno.test("time budget: a checkpoint saved before trainingSeconds resumes as before and says so once", async () => {
  const clock = fakeClock();
  const dir = Deno.makeTempDirSync();
  try {
    await train(clock, { checkpointDir: dir }, 2);
    const path = `${dir}/last.json`;
    const sidecar = JSON.parse(Deno.readTextFileSync(path));
    delete sidecar.trainerState.trainingSeconds;
    Deno.writeTextFileSync(path, JSON.stringify(sidecar));
    const untouched = `${dir}/untouched`;
    Deno.mkdirSync(untouched);
    for (const { name, isFile } of Deno.readDirSync(dir)) {
      if (isFile) Deno.copyFileSync(`${dir}/${name}`, `${untouched}/${name}`);
    }
    // No budget: nothing to say.
    const { warnings: none } = await withWarnings(() =>
      train(clock, { checkpointDir: untouched, maxWallSeconds: undefined, maxEpochs: 3 })
    );
    assertEquals(none, []);
    const { value: resumed, warnings } = await withWarnings(() =>
      train(clock, { checkpointDir: dir })
    );
    // The budget counts from this start, as it did: epochs 3..6.
    assertEquals(resumed.epochs, [3, 4, 5, 6]);
    assertEquals(resumed.result?.stoppedBy, "time_budget");
    assertEquals(warnings.length, 1, warnings.join("\n"));
    assertStringIncludes(
      warnings[0],
      `${path}: no field "trainerState.trainingSeconds" (saved before 2026-12-07)`,
    );
    assertStringIncludes(warnings[0], "maxWallSeconds 3.5 counts from this start only");
    // Its saves do not claim a time they do not know (the epochs before the resume are missing).
    assertEquals("trainingSeconds" in trainerStateOf(dir), false);
  } finally {
    clock.restore();
    Deno.removeSync(dir, { recursive: true });
  }
});

Deno.test("time budget: a stored trainingSeconds that is no number >= 0 is refused, naming it", async () => {
  const clock = fakeClock();
  const dir = Deno.makeTempDirSync();
  try {
    await train(clock, { checkpointDir: dir }, 1);
    const path = `${dir}/last.json`;
    const saved = Deno.readTextFileSync(path);
    for (const [value, shown] of [[-1, "-1"], ["2", '"2"'], [null, "null"]] as const) {
      const sidecar = JSON.parse(saved);
      sidecar.trainerState.trainingSeconds = value;
      Deno.writeTextFileSync(path, JSON.stringify(sidecar));
      const error = await assertRejects(() => train(clock, { checkpointDir: dir }));
      assertStringIncludes(
        error.message,
        `${path}: field "trainerState.trainingSeconds" is ${shown}, expected a number >= 0`,
      );
    }
  } finally {
    clock.restore();
    Deno.removeSync(dir, { recursive: true });
  }
});

Deno.test("run clock: the training time adds the earlier processes' to this call's", () => {
  const clock = fakeClock();
  try {
    const resumed = new RunClock(2, 7.5);
    const fresh = new RunClock(0);
    clock.advance(2_000);
    assertEquals(resumed.trainingSeconds(), 9.5);
    assertEquals(resumed.elapsedSeconds(), 2, "this call's time alone");
    assertEquals(fresh.trainingSeconds(), fresh.elapsedSeconds());
  } finally {
    clock.restore();
  }
});
