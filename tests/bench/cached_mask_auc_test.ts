/**
 * bench/_cached_mask_auc.ts, shared by the Demure attribution-source checks (mutation round ID; it
 * had no test): which recorded Demure-SASRec cells there are, and the ROC-AUC of the masks in a
 * Demure mask cache (each user's most recent window only, users below `maxUser`, a NaN score an
 * invalid pair rather than a zero).
 */
import { assertEquals, assertThrows } from "@std/assert";
import {
  cachedMaskAuc,
  RECORDED_CELLS,
  recordedDemureSasrecCells,
} from "../../bench/_cached_mask_auc.ts";
import { UsageError } from "../../scripts/cli/options.ts";
import { type HookState, noiseAttributionConfig, resolveDemureConfig } from "../../mod.ts";

Deno.test("recordedDemureSasrecCells: the recorded cells' paths, in the order of the seeds asked", () => {
  assertEquals(recordedDemureSasrecCells("Synthetic", [2, 0], "dataset", "seeds"), [
    `${RECORDED_CELLS}/full__Synthetic__Demure-SASRec__seed=2.json`,
    `${RECORDED_CELLS}/full__Synthetic__Demure-SASRec__seed=0.json`,
  ]);
  // A dataset variant's cells (the file name's dataset part has `__` in it) under that whole part.
  assertEquals(
    recordedDemureSasrecCells("Synthetic__noiseFraction=0.25", [1], "dataset", "seeds"),
    [`${RECORDED_CELLS}/full__Synthetic__noiseFraction=0.25__Demure-SASRec__seed=1.json`],
  );
});

Deno.test("recordedDemureSasrecCells: a dataset or seed without a record is a UsageError naming the option", () => {
  assertThrows(
    () => recordedDemureSasrecCells("Beauty", [0], "data", "seed"),
    UsageError,
    `--data Beauty: no recorded Demure-SASRec cell in ${RECORDED_CELLS} (recorded: MovieLens, ` +
      "Synthetic, Synthetic__noiseFraction=0.25, Synthetic__noiseFraction=0.75)",
  );
  // A seed the variant lacks, though the plain dataset has it; the message names the seed option.
  assertThrows(
    () => recordedDemureSasrecCells("Synthetic__noiseFraction=0.75", [0, 3], "data", "seed"),
    UsageError,
    "--seed 3: no recorded Demure-SASRec cell of Synthetic__noiseFraction=0.75 at that seed " +
      "(recorded: 0, 1, 2)",
  );
});

const names = ["image", "text"];
const config = noiseAttributionConfig(resolveDemureConfig({}));

/** User `u`'s interest is image for an even `u`, text for an odd one (the other is noise). */
const truth = {
  modalityNames: names,
  pointsOfInterest: Uint8Array.from(
    { length: 2 * 101 },
    (_, i) => (i % 2) === (i >> 1) % 2 ? 1 : 0,
  ),
};

/**
 * A mask cache of `rows`: each a user's window and its z-scores `[position, modality]` (two
 * positions, image and text), keyed as Demure keys them (user * 1024 + window, in two halves).
 */
function cache(rows: { user: number; window: number; z: number[] }[]): HookState {
  const keys = rows.map((r) => r.user * 1024 + r.window);
  const tensor = (shape: number[], values: number[]) => ({
    shape,
    data: Float32Array.from(values),
  });
  return {
    json: {},
    tensors: new Map([
      ["demure/keysHigh", tensor([rows.length], keys.map((k) => Math.floor(k / 65536)))],
      ["demure/keysLow", tensor([rows.length], keys.map((k) => k % 65536))],
      ["demure/scores", tensor([rows.length, 4], rows.flatMap((r) => r.z))],
    ]),
  };
}

/** The interest modality scored above the noise one: even users favour image, odd ones text. */
const right = (user: number) => user % 2 === 0 ? [1, -1, 0.5, -0.2] : [-1, 1, -0.3, 0.1];

Deno.test("cachedMaskAuc: each user's window 0 only, users below maxUser, keys of both halves", () => {
  const state = cache([
    { user: 0, window: 0, z: right(0) },
    { user: 1, window: 0, z: right(1) },
    { user: 3, window: 0, z: right(3) },
    // An older window of user 3, scored the wrong way round: not read.
    { user: 3, window: 1, z: right(0) },
    // User 100's key (102,400) has a high half: read as user 100, window 0.
    { user: 100, window: 0, z: right(100) },
  ]);
  assertEquals(cachedMaskAuc(state, truth, names, config), { rocAuc: 1, users: 4, precision: 1 });
  assertEquals(cachedMaskAuc(state, truth, names, config, 100).users, 3);
  assertEquals(cachedMaskAuc(state, truth, names, config, 101).users, 4);
});

Deno.test("cachedMaskAuc: a NaN score is an invalid pair, not a zero", () => {
  // User 5 (interest text) has no valid text position: only its image (noise) counts, scored 0,
  // between the other users' noise and interest. Read as zeros, its text would be a unit too and
  // its image would score above the other users' interest.
  const state = cache([
    { user: 0, window: 0, z: right(0) },
    { user: 1, window: 0, z: right(1) },
    { user: 3, window: 0, z: right(3) },
    { user: 5, window: 0, z: [1, NaN, 2, NaN] },
  ]);
  assertEquals(cachedMaskAuc(state, truth, names, config), { rocAuc: 1, users: 4, precision: 1 });
});
