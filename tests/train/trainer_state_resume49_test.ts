/**
 * A run checkpoint whose stored loop state lacks a field a resume reads, or holds one of another
 * kind (a sidecar edited or damaged by hand: the weights' hash does not cover it), is refused
 * naming the file and the field, before any weight changes. (A missing `epochsDone` had ended
 * the run at once with no epoch trained and `epochsRun` NaN; a step of -1 had seeded the
 * dropout of other steps than the uninterrupted run's.)
 */
import { assertEquals, assertRejects, assertStringIncludes } from "@std/assert";
import { SequentialRecommender } from "../../lib/models/sequential_recommender.ts";
import { trainModel } from "../../lib/train/trainer.ts";
import { SEEDED_SPLIT, weightsOf } from "./_seeded_run.ts";
import { assertBitIdentical } from "../_bit_identical.ts";

const MODEL = { dim: 8, maxLength: 6, seed: 1 };
const TRAINER = { batchSize: 2, seed: 2 };
const quiet = { onProgress: () => {} };

function train(dir: string, maxEpochs: number) {
  const model = new SequentialRecommender(SEEDED_SPLIT.dataset, MODEL);
  return {
    model,
    run: () =>
      trainModel(model, SEEDED_SPLIT, { ...TRAINER, maxEpochs, checkpointDir: dir }, quiet),
  };
}

/** A copy of the files of `from` in a new folder. */
function copyOf(from: string): string {
  const to = Deno.makeTempDirSync();
  for (const entry of Deno.readDirSync(from)) {
    Deno.copyFileSync(`${from}/${entry.name}`, `${to}/${entry.name}`);
  }
  return to;
}

Deno.test("resume refused: a stored loop state with a field missing or of another kind names it", async () => {
  const saved = Deno.makeTempDirSync();
  const first = train(saved, 2);
  try {
    await first.run();
  } finally {
    first.model.dispose();
  }
  const cases: [string, unknown, string][] = [
    ["epochsDone", undefined, "missing, expected a whole number >= 0"],
    ["epochsDone", "2", '"2", expected a whole number >= 0'],
    ["step", -1, "-1, expected a whole number >= 0"],
    ["sinceBest", 0.5, "0.5, expected a whole number >= 0"],
    ["bestEpoch", null, "null, expected a whole number >= 0"],
    ["bestValidation", "0.1", '"0.1", expected a number or null'],
    ["history", undefined, "missing, expected a list"],
  ];
  try {
    for (const [name, value, expected] of cases) {
      const dir = copyOf(saved);
      const path = `${dir}/last.json`;
      const sidecar = JSON.parse(Deno.readTextFileSync(path));
      sidecar.trainerState[name] = value;
      Deno.writeTextFileSync(path, JSON.stringify(sidecar));
      const resumed = train(dir, 3);
      try {
        const before = weightsOf(resumed.model);
        const error = await assertRejects(resumed.run);
        assertStringIncludes(error.message, `${path}: field "trainerState.${name}" is ${expected}`);
        assertBitIdentical(weightsOf(resumed.model), before, `${name}: no weight changed`);
      } finally {
        resumed.model.dispose();
        Deno.removeSync(dir, { recursive: true });
      }
    }
    // A trainer state that is no object.
    const dir = copyOf(saved);
    const path = `${dir}/last.json`;
    const sidecar = JSON.parse(Deno.readTextFileSync(path));
    sidecar.trainerState = [1];
    Deno.writeTextFileSync(path, JSON.stringify(sidecar));
    const resumed = train(dir, 3);
    try {
      const error = await assertRejects(resumed.run);
      assertStringIncludes(
        error.message,
        `${path}: field "trainerState" is [1], expected an object`,
      );
    } finally {
      resumed.model.dispose();
      Deno.removeSync(dir, { recursive: true });
    }
    // The copy as saved resumes: only the third epoch is trained.
    const intact = copyOf(saved);
    const again = train(intact, 3);
    try {
      const result = await again.run();
      assertEquals([result.resumedFromEpoch, result.epochsRun], [2, 1]);
    } finally {
      again.model.dispose();
      Deno.removeSync(intact, { recursive: true });
    }
  } finally {
    Deno.removeSync(saved, { recursive: true });
  }
});

Deno.test("resume refused: a last.json whose weights file is gone names it; the record is kept", async () => {
  const dir = Deno.makeTempDirSync();
  const first = train(dir, 2);
  try {
    await first.run();
  } finally {
    first.model.dispose();
  }
  try {
    const sidecar = Deno.readTextFileSync(`${dir}/last.json`);
    const { weightsFile } = JSON.parse(sidecar);
    Deno.removeSync(`${dir}/${weightsFile}`);
    const resumed = train(dir, 3);
    try {
      const error = await assertRejects(resumed.run);
      assertStringIncludes(
        error.message,
        `${dir}/${weightsFile}: missing, but ${dir}/last.json names it`,
      );
    } finally {
      resumed.model.dispose();
    }
    // Started afresh, the run had overwritten the record of its 2 epochs.
    assertEquals(Deno.readTextFileSync(`${dir}/last.json`), sidecar);
  } finally {
    Deno.removeSync(dir, { recursive: true });
  }
});
