/**
 * Edges of the selection's records and settings that the main selection tests do not reach.
 * Found by mutation round LF.
 */
import { assertEquals, assertThrows } from "@std/assert";
import {
  inheritedConfig,
  maxTrialsOf,
  readSelected,
  trialConfigOf,
  trialsOf,
} from "../../lib/experiments/selection.ts";

Deno.test("readSelected: a trial count that is no whole number names the field", () => {
  // Found by mutation round LF (LF03): only trials = 0 was refused in a test, so a count of 1.5
  // or "2" (a string: "2" < 1 is false) passed the range check alone.
  const dir = Deno.makeTempDirSync();
  const path = `${dir}/selected.json`;
  try {
    for (const [trials, shown] of [["1.5", "1.5"], ['"2"', '"2"'], ["null", "null"]]) {
      Deno.writeTextFileSync(
        path,
        `{"MovieLens": {"SASRec-MM": {"trial": 0, "config": {}, "valid": 0.1, "trials": ${trials}}}}`,
      );
      assertThrows(
        () => readSelected(path),
        Error,
        `${path}: field "MovieLens"."SASRec-MM".trials is ${shown}, expected an integer >= 1`,
      );
    }
  } finally {
    Deno.removeSync(dir, { recursive: true });
  }
});

Deno.test("readSelected: only a missing file reads as no selection; another read error names the path", () => {
  // Found by mutation round LF (LF08): a path that exists but cannot be read as a file (here a
  // folder) must not read as "nothing selected yet", which would rerun every selection.
  const dir = Deno.makeTempDirSync();
  try {
    assertThrows(
      () => readSelected(dir),
      Error,
      `${dir}: unreadable selected configurations (`,
    );
    assertEquals(readSelected(`${dir}/absent.json`), {});
  } finally {
    Deno.removeSync(dir, { recursive: true });
  }
});

Deno.test("inheritedConfig: a selected dropout of 0 is passed on, not taken for no setting", () => {
  // Found by mutation round LF (LF04): a truthiness test would drop dropout 0 (a valid setting)
  // and the method would run at its backbone's default dropout instead.
  const backbone = { trial: 3, config: { learningRate: 0.001, dropout: 0 }, valid: 0.1, trials: 4 };
  assertEquals(inheritedConfig(backbone), { learningRate: 0.001, dropout: 0 });
});

Deno.test("trialConfigOf: a warm-up's length is read as written, 0 included", () => {
  // Found by mutation round LF (LF11): the spaces' warm-ups are all >= 1, so a length read with a
  // fallback for 0 passed every test.
  assertEquals(trialConfigOf({ warmup: "epochs:0" }), {
    demure: { warmupBy: "epochs", warmupEpochs: 0 },
  });
  assertEquals(trialConfigOf({ warmup: "plateau:4" }), {
    demure: { warmupBy: "plateau", warmupEpochs: 4 },
  });
});

Deno.test("trialsOf and maxTrialsOf: a system without a search space is named", () => {
  // Found by mutation round LF (LF47): the tests matched "no search space" alone.
  assertThrows(() => trialsOf("Pop", 2), Error, "selection: Pop has no search space");
  assertThrows(() => maxTrialsOf("ItemKNN"), Error, "selection: ItemKNN has no search space");
});
