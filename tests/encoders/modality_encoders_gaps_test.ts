/**
 * ModalityEncoders' edge cases the main tests leave open: which rows and modalities the feature
 * checks cover (dense rows may sum to 0 or less; absent rows must still be finite), what the errors
 * name, that both dense encoders add their bias, and that encoding leaves no tensor behind.
 * Found by mutation round KE (session 46).
 */
import { assertAlmostEquals, assertEquals, assertThrows } from "@std/assert";
import { tf } from "../../lib/backend/tf.ts";
import { initBackend } from "../../lib/backend/init_backend.ts";
import { ModalityEncoders } from "../../lib/encoders/modality_encoders.ts";
import { ParameterStore } from "../../lib/nn/parameter_store.ts";
import { SettingError } from "../../lib/util/settings.ts";
import { SequentialRecommender } from "../../lib/models/sequential_recommender.ts";
import { tinyDataset } from "../models/_fixtures.ts";
import { pricedItems } from "./_priced.ts";

await initBackend({ verbose: false });

Deno.test("a dense row that sums to 0 or less is a value, not an empty bag: it is encoded", () => {
  // KE16: only a present multi-hot row must hold a tag; a dense feature (an embedding, a centred
  // score) may sum to 0 or below.
  const dataset = tinyDataset();
  dataset.modalities[1].values.set([-1, 0, 0], 0); // item 0's text row sums to -1
  dataset.modalities[1].values.set([0, 0, 0], 3); // item 1's to 0
  const store = new ParameterStore(1);
  const encoders = new ModalityEncoders(dataset, { dim: 4 }, store);
  assertEquals(encoders.names, ["id", "text", "genre"]);
  encoders.dispose();
  store.dispose();
});

Deno.test("a non-finite value is refused in an absent item's row too, naming its row and column", () => {
  // KE18: the message names the item row, then the column (row 2 != column 0 here, so a swap shows).
  // KE19: an absent item's row is encoded too (then masked): NaN x a presence of 0 is still NaN.
  const present = tinyDataset();
  present.modalities[1].values[2 * 3] = Number.NaN; // item 2, column 0
  assertThrows(
    () => new ModalityEncoders(present, { dim: 4 }, new ParameterStore(1)),
    Error,
    'dataset "tiny", modality "text": item row 2, column 0 is NaN (not finite)',
  );
  const absent = tinyDataset();
  absent.modalities[1].values[5 * 3 + 1] = Number.NaN; // item 5 has no text
  assertThrows(
    () => new ModalityEncoders(absent, { dim: 4 }, new ParameterStore(1)),
    Error,
    'modality "text": item row 5, column 1 is NaN (not finite)',
  );
});

Deno.test("an unknown modality's error lists the dataset's modalities, under the setting given", () => {
  // KE21: the allowed range names every modality of the dataset; KE22: the model's check names
  // ModelConfig.modalities, the encoders' EncoderConfig.modalities.
  assertThrows(
    () =>
      new ModalityEncoders(tinyDataset(), { dim: 4, modalities: ["audio"] }, new ParameterStore(1)),
    SettingError,
    `EncoderConfig.modalities is ["audio"]; allowed: a non-empty list of dataset "tiny"'s ` +
      `modalities ("id", "text", "genre")`,
  );
  const before = tf.memory().numTensors;
  assertThrows(
    () => new SequentialRecommender(tinyDataset(), { dim: 4, maxLength: 4, modalities: ["audio"] }),
    SettingError,
    'ModelConfig.modalities is ["audio"]; allowed: a non-empty list of dataset "tiny"\'s modalities',
  );
  assertEquals(tf.memory().numTensors, before);
});

/** LN over the last axis with gain 1, bias 0 and epsilon 1e-6, by hand. */
function normed(row: number[]): number[] {
  const mean = row.reduce((s, v) => s + v, 0) / row.length;
  const variance = row.reduce((s, v) => s + (v - mean) ** 2, 0) / row.length;
  return row.map((v) => (v - mean) / Math.sqrt(variance + 1e-6));
}

Deno.test("a multi-column dense encoder adds its bias before the layer norm", () => {
  // KE23: at initialisation the bias is 0, so an encoder that dropped it matched until it trained.
  const store = new ParameterStore(1);
  const encoders = new ModalityEncoders(tinyDataset(), { dim: 4 }, store);
  const b = [0.5, -1, 2, 0];
  tf.tidy(() => store.get("encoder/text/bias").assign(tf.tensor1d(b)));
  const w = store.get("encoder/text/kernel").arraySync() as number[][];
  const all = encoders.encodeAllItems();
  const encoded = all.arraySync();
  const x = [0, 1, 1]; // item 4's text row
  const linear = b.map((bias, c) => bias + x.reduce((s, v, k) => s + v * w[k][c], 0));
  normed(linear).forEach((v, c) => assertAlmostEquals(encoded[4][1][c], v, 1e-4));
  tf.dispose(all);
  encoders.dispose();
  store.dispose();
});

Deno.test("a one-column dense encoder adds its bias: an absent item encodes as the bias", () => {
  // KE25: the same for the standardised column (e = z w + b); the absent item's z is 0.
  const dataset = pricedItems([1, 0, 3], [1, 0, 1]);
  const store = new ParameterStore(1);
  const encoders = new ModalityEncoders(dataset, { dim: 4 }, store);
  const b = [1, 2, -3, 0.25];
  tf.tidy(() => store.get("encoder/price/bias").assign(tf.tensor1d(b)));
  const w = (store.get("encoder/price/kernel").arraySync() as number[][])[0];
  const all = encoders.encodeAllItems();
  const encoded = all.arraySync().map((item) => item[1]);
  // Prices 1 and 3 standardise to -1 and 1.
  for (const [item, z] of [[0, -1], [1, 0], [2, 1]]) {
    for (let c = 0; c < 4; c++) assertAlmostEquals(encoded[item][c], z * w[c] + b[c], 1e-5);
  }
  tf.dispose(all);
  encoders.dispose();
  store.dispose();
});

Deno.test("building and encoding leave no tensor but the result (bags and layers inside tf.tidy)", () => {
  // KE26, KE27: the bag's row sums and each encoder's intermediates (dense, layer norm, matMul)
  // are freed; only the stacked [items, modality, dim] result is the caller's.
  const store = new ParameterStore(1);
  const before = tf.memory().numTensors;
  const encoders = new ModalityEncoders(tinyDataset(), { dim: 4 }, store);
  const built = tf.memory().numTensors;
  // The store's 2 tables + text's kernel, bias, gain and norm bias; 2 features, the bag, presence.
  assertEquals(built - before, 10);
  for (let round = 0; round < 3; round++) {
    const all = encoders.encodeAllItems();
    assertEquals(tf.memory().numTensors, built + 1);
    all.dispose();
  }
  assertEquals(tf.memory().numTensors, built);
  encoders.dispose();
  store.dispose();
});

Deno.test("every column is checked: a non-finite value in a row's last column is refused", () => {
  // KE32b: a loop that stopped one column short let the last column's NaN through.
  const dataset = tinyDataset();
  dataset.modalities[1].values[3 * 3 + 2] = Number.NEGATIVE_INFINITY; // item 3, column 2 (of 3)
  assertThrows(
    () => new ModalityEncoders(dataset, { dim: 4 }, new ParameterStore(1)),
    Error,
    'modality "text": item row 3, column 2 is -Infinity (not finite)',
  );
});

Deno.test("a one-column dense feature is checked like the others before it is standardised", () => {
  // KE35b: the standardised column takes its own branch; a NaN there made the mean and std NaN
  // and every item's encoding NaN, and a short array was read past its end.
  const nan = pricedItems([1, Number.NaN, 3], [1, 1, 1]);
  assertThrows(
    () => new ModalityEncoders(nan, { dim: 4 }, new ParameterStore(1)),
    Error,
    'dataset "priced", modality "price": item row 1, column 0 is NaN (not finite)',
  );
  const price = nan.modalities[1];
  const short = {
    ...nan,
    modalities: [nan.modalities[0], { ...price, values: Float32Array.of(1, 2) }],
  };
  assertThrows(
    () => new ModalityEncoders(short, { dim: 4 }, new ParameterStore(1)),
    Error,
    'modality "price": values has 2 entries, expected numItems*dim = 3*1',
  );
});
