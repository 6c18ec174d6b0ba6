import { assert, assertAlmostEquals, assertEquals, assertThrows } from "@std/assert";
import { tf } from "../../lib/backend/tf.ts";
import { initBackend } from "../../lib/backend/init_backend.ts";
import { readAndDispose } from "../../lib/backend/read_values.ts";
import type { SequenceBatch } from "../../lib/data/types.ts";
import { attributeBatch, attributionInputs } from "../../lib/attribution/attribute_batch.ts";
import { sequenceLossOf, withNextItemTargets } from "../../lib/attribution/sequence_loss.ts";
import { SequentialRecommender } from "../../lib/models/sequential_recommender.ts";
import { tinyDataset, TWO_PADDED_HISTORIES } from "../models/_fixtures.ts";

await initBackend({ verbose: false });

const batch = TWO_PADDED_HISTORIES;

/** The tiny model and what `sequenceLossOf` reads of `batch`, with final targets 3 and 0. */
function lossInputs() {
  const model = new SequentialRecommender(tinyDataset(), { dim: 8, maxLength: 3, seed: 2 });
  const items = tf.tensor2d(batch.items, [2, 3], "int32");
  return {
    model,
    withTargets: withNextItemTargets(batch, Int32Array.of(3, 0)),
    items,
    presence: model.presence(items),
    embeddings: model.embedModalities(items),
    itemTable: model.itemTable(),
  };
}

Deno.test("withNextItemTargets shifts the history and appends the final target", () => {
  const withTargets = withNextItemTargets(batch, Int32Array.of(7, 8));
  assertEquals(Array.from(withTargets.targets ?? []), [1, 2, 7, 4, 5, 8]);
  assertEquals(withTargets.items, batch.items, "the items are shared, not changed");
});

Deno.test("withNextItemTargets refuses final targets of another length than the batch, naming it", () => {
  // A short array read undefined, stored as item 0: the last row's loss was that of item 0,
  // silently; extra targets were ignored (found by mutation round FB).
  for (const finalTargets of [Int32Array.of(7), Int32Array.of(7, 8, 9)]) {
    assertThrows(
      () => withNextItemTargets(batch, finalTargets),
      Error,
      `withNextItemTargets: finalTargets has ${finalTargets.length} entries, expected 2`,
    );
  }
});

Deno.test("sequenceLossOf is the mean next-item cross-entropy over real positions", () => {
  const { model, withTargets, items, presence, embeddings, itemTable } = lossInputs();
  const weights = tf.onesLike(presence) as tf.Tensor3D;
  const loss = sequenceLossOf(model, withTargets, presence, itemTable)(embeddings, weights);

  // By hand from the states: log-sum-exp minus the target logit, averaged over valid positions.
  const valid = tf.tensor2d(batch.valid, [2, 3]);
  const states = model.userStates(model.fuse(embeddings, weights, presence), valid, false);
  const stateRows = states.arraySync() as number[][][];
  const tableRows = itemTable.arraySync() as number[][];
  const logits = stateRows.map((positions) =>
    positions.map((h) => tableRows.map((v) => v.reduce((s, x, k) => s + x * h[k], 0)))
  );
  const targets = withTargets.targets ?? new Int32Array();
  const expected = [0, 1].map((b) => {
    let sum = 0;
    let count = 0;
    for (let p = 0; p < 3; p++) {
      if (batch.valid[b * 3 + p] === 0) continue;
      const row = logits[b][p];
      const max = Math.max(...row);
      const lse = max + Math.log(row.reduce((s, v) => s + Math.exp(v - max), 0));
      sum += lse - row[targets[b * 3 + p]];
      count++;
    }
    return sum / count;
  });
  const actual = loss.arraySync();
  expected.forEach((value, b) => assertAlmostEquals(actual[b], value, 1e-4, `user row ${b}`));
  tf.dispose([items, presence, embeddings, itemTable, weights, loss, valid, states]);
  model.dispose();
});

Deno.test('sequenceLossOf "last" is the cross-entropy of the final target at the last position', async () => {
  const { model, withTargets, items, presence, embeddings, itemTable } = lossInputs();
  const weights = tf.tidy(() =>
    tf.mul(presence, tf.expandDims(tf.tensor2d(batch.valid, [2, 3]), 2)) as tf.Tensor3D
  );
  const loss = sequenceLossOf(model, withTargets, presence, itemTable, "last")(embeddings, weights);
  // By another route: the model's own scores of the last position (what the evaluation ranks).
  const scores = await readAndDispose(model.scoreLast(batch));
  const expected = [3, 0].map((target, b) => {
    const row = Array.from(scores.subarray(b * model.numItems, (b + 1) * model.numItems));
    const max = Math.max(...row);
    return max + Math.log(row.reduce((s, v) => s + Math.exp(v - max), 0)) - row[target];
  });
  const actual = loss.arraySync();
  expected.forEach((value, b) => assertAlmostEquals(actual[b], value, 1e-4, `user row ${b}`));
  tf.dispose([items, presence, embeddings, itemTable, weights, loss]);
  model.dispose();
});

Deno.test("attributeBatch: a padding position is never a valid pair, even when its item id has modalities", async () => {
  // The padding of user 0 holds item 0, whose text is present: only the padding mask makes it
  // invalid (presence alone would let it be scored and picked as noise).
  const model = new SequentialRecommender(tinyDataset(), { dim: 8, maxLength: 3, seed: 2 });
  const presence = model.presenceOf(batch.items);
  assertEquals(presence[0], 1, "item 0 has its first modality");
  const modalities = model.numModalities;
  const result = await attributeBatch(model, withNextItemTargets(batch, Int32Array.of(3, 0)), {
    method: "occlusion",
  });
  for (let m = 0; m < modalities; m++) {
    assertEquals(result.validMask[m], 0, `padding pair (0, 0, ${m}) is not valid`);
    assertEquals(result.noiseMask[m], 0, `padding pair (0, 0, ${m}) is not noise`);
  }
  // Every other pair is valid exactly where its item has the modality.
  for (let i = modalities; i < presence.length; i++) {
    assertEquals(result.validMask[i], presence[i] > 0 ? 1 : 0, `pair ${i}`);
  }
  assert(result.noiseMask.some((v) => v === 1), "some valid pair is noise");
  model.dispose();
});

Deno.test("sequenceLossOf: a batch without targets is refused by name", () => {
  const { model, items, presence, embeddings, itemTable } = lossInputs();
  assertThrows(
    () => sequenceLossOf(model, batch, presence, itemTable),
    Error,
    "sequenceLossOf: the batch carries no targets",
  );
  tf.dispose([items, presence, embeddings, itemTable]);
  model.dispose();
});

Deno.test("sequenceLossOf: a row without a real position has loss 0, not NaN", () => {
  // Row 1 is all padding: no position enters its mean, which is then 0 / 1, not 0 / 0.
  const padded: SequenceBatch = { ...batch, valid: Float32Array.of(0, 1, 1, 0, 0, 0) };
  const { model, items, presence, embeddings, itemTable } = lossInputs();
  const weights = tf.onesLike(presence) as tf.Tensor3D;
  const withTargets = withNextItemTargets(padded, Int32Array.of(3, 0));
  const loss = sequenceLossOf(model, withTargets, presence, itemTable)(embeddings, weights);
  const [first, second] = loss.arraySync();
  assert(Number.isFinite(first) && first > 0, `row 0: ${first}`);
  assertEquals(second, 0);
  tf.dispose([items, presence, embeddings, itemTable, weights, loss]);
  model.dispose();
});

Deno.test("attributeBatch and attributionInputs leave no tensor behind", async () => {
  const model = new SequentialRecommender(tinyDataset(), { dim: 8, maxLength: 3, seed: 2 });
  const withTargets = withNextItemTargets(batch, Int32Array.of(3, 0));
  // The first call may build what the model keeps (its item encoder's caches); count from there.
  await attributeBatch(model, withTargets, { method: "occlusion" });
  const before = tf.memory().numTensors;
  for (const method of ["occlusion", "gradient_x_input", "mask_gradient"] as const) {
    await attributeBatch(model, withTargets, { method });
    assertEquals(tf.memory().numTensors, before, `${method}: tensors leaked`);
  }
  // The inputs are the caller's four tensors and nothing else (the tidy frees the rest).
  const inputs = attributionInputs(model, withTargets);
  assertEquals(tf.memory().numTensors, before + 4);
  tf.dispose(Object.values(inputs));
  assertEquals(tf.memory().numTensors, before);
  model.dispose();
});
