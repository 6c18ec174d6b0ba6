import { assert, assertAlmostEquals, assertEquals, assertThrows } from "@std/assert";
import { tf } from "../../lib/backend/tf.ts";
import { initBackend } from "../../lib/backend/init_backend.ts";
import {
  type EncoderConfig,
  type EncoderInput,
  ModalityEncoders,
} from "../../lib/encoders/modality_encoders.ts";
import { idModality } from "../../lib/data/id_modality.ts";
import { ParameterStore } from "../../lib/nn/parameter_store.ts";
import { SettingError } from "../../lib/util/settings.ts";
import { SequentialRecommender } from "../../lib/models/sequential_recommender.ts";
import { tinyDataset } from "../models/_fixtures.ts";
import { pricedItems } from "./_priced.ts";

await initBackend({ verbose: false });

Deno.test("encoders: id = table row, multi_hot = mean of genre rows, dense = layer-normed linear", () => {
  const store = new ParameterStore(1);
  const encoders = new ModalityEncoders(tinyDataset(), { dim: 4 }, store);
  assertEquals(encoders.names, ["id", "text", "genre"]);
  const all = encoders.encodeAllItems();
  assertEquals(all.shape, [6, 3, 4]);
  const values = all.arraySync();
  // The handles are the store's variables under the checkpoint names.
  assert(encoders.parameters.get("id")?.table === store.get("encoder/id/table"));
  assert(encoders.parameters.get("text")?.norm?.gain === store.get("encoder/text/norm_gain"));
  assert(encoders.parameters.get("text")?.dense?.kernel === store.get("encoder/text/kernel"));
  const idTable = encoders.parameters.get("id")!.table!.arraySync() as number[][];
  assertEquals(values[2][0], idTable[2]);
  const genres = encoders.parameters.get("genre")!.table!.arraySync() as number[][];
  // item 3 has genres 0 and 1: the bag is their mean.
  for (let c = 0; c < 4; c++) {
    assertAlmostEquals(values[3][2][c], (genres[0][c] + genres[1][c]) / 2, 1e-6);
  }
  // dense rows are layer-normed: mean 0 per item (gain 1, bias 0 at init).
  const textRow = values[1][1];
  assertAlmostEquals(textRow.reduce((a, b) => a + b, 0), 0, 1e-5);
  assertEquals(Array.from(encoders.presenceTable.dataSync()).slice(0, 3), [1, 1, 0]);
  tf.dispose(all);
  encoders.dispose();
  store.dispose();
});

Deno.test("encoders: a subset of modalities, and clear errors on unknown names or bad rows", () => {
  const store = new ParameterStore(1);
  const idOnly = new ModalityEncoders(tinyDataset(), { dim: 4, modalities: ["id"] }, store);
  assertEquals(idOnly.names, ["id"]);
  assertThrows(
    () =>
      new ModalityEncoders(tinyDataset(), { dim: 4, modalities: ["audio"] }, new ParameterStore(1)),
    SettingError,
    'EncoderConfig.modalities is ["audio"]; allowed: a non-empty list of dataset "tiny"\'s modalities',
  );
  const broken = tinyDataset();
  broken.modalities[1].values[4] = Number.NaN; // item 1, column 1
  assertThrows(
    () => new ModalityEncoders(broken, { dim: 4 }, new ParameterStore(1)),
    Error,
    'modality "text": item row 1, column 1 is NaN',
  );
  const emptyBag = tinyDataset();
  emptyBag.modalities[2].values.fill(0, 4 * 5, 4 * 6); // item 5 present, no genre
  assertThrows(
    () => new ModalityEncoders(emptyBag, { dim: 4 }, new ParameterStore(1)),
    Error,
    "item row 5 is marked present but its multi-hot row is empty",
  );
});

Deno.test("encoders refuse an empty modality list, an infinite value, a presence mask too long", () => {
  assertThrows(
    () => new ModalityEncoders(tinyDataset(), { dim: 4, modalities: [] }, new ParameterStore(1)),
    SettingError,
    "EncoderConfig.modalities is []; allowed: a non-empty list",
  );
  const infinite = tinyDataset();
  infinite.modalities[1].values[0] = Number.POSITIVE_INFINITY;
  assertThrows(
    () => new ModalityEncoders(infinite, { dim: 4 }, new ParameterStore(1)),
    Error,
    'modality "text": item row 0, column 0 is Infinity (not finite)',
  );
  const longMask = tinyDataset();
  const genre = longMask.modalities[2];
  genre.present = Uint8Array.from([...genre.present, 1]);
  assertThrows(
    () => new ModalityEncoders(longMask, { dim: 4 }, new ParameterStore(1)),
    Error,
    `modality "genre": present has ${longMask.numItems + 1} entries, expected ${longMask.numItems}`,
  );
});

Deno.test("a model whose last modality has a bad row is refused without leaving a tensor behind", () => {
  const broken = tinyDataset();
  broken.modalities[2].values.fill(0, 4 * 5, 4 * 6); // genre (built last): item 5 has no genre
  const before = tf.memory().numTensors;
  for (let attempt = 0; attempt < 3; attempt++) {
    // The id and text encoders were built (parameters and constants) before the genre check.
    assertThrows(
      () => new SequentialRecommender(broken, { dim: 4, maxLength: 4 }),
      Error,
      "item row 5 is marked present but its multi-hot row is empty",
    );
  }
  assertEquals(tf.memory().numTensors, before);
});

/** Five items with one scalar feature (item 2 lacks it), beside an id modality. */
function priced(values: number[]): EncoderInput {
  return pricedItems(values, [1, 1, 0, 1, 1]);
}

Deno.test("a one-column dense feature is standardised over the items that have it, then affine", () => {
  const store = new ParameterStore(1);
  // Item 2 lacks the price; its placeholder 500 must be neither counted nor encoded.
  const encoders = new ModalityEncoders(priced([3, 3000, 500, 30, 3]), { dim: 4 }, store);
  const all = encoders.encodeAllItems();
  const encoded = all.arraySync().map((item) => item[1]);
  // No layer norm: it would map every positive price to one vector (LN(x w) = LN(w) for x > 0).
  assertEquals(encoders.parameters.get("price")?.norm, undefined);
  assert(!store.names().includes("encoder/price/norm_gain"));
  const w = (store.get("encoder/price/kernel").arraySync() as number[][])[0];
  const b = store.get("encoder/price/bias").arraySync() as number[];
  const mean = (3 + 3000 + 30 + 3) / 4;
  const std = Math.sqrt([3, 3000, 30, 3].reduce((s, x) => s + (x - mean) ** 2, 0) / 4);
  for (const [item, price] of [[0, 3], [1, 3000], [3, 30], [4, 3]]) {
    const z = (price - mean) / std;
    for (let c = 0; c < 4; c++) assertAlmostEquals(encoded[item][c], z * w[c] + b[c], 1e-5);
  }
  // Prices 3 and 30 (both positive, both below the mean) are told apart; the absent item reads 0.
  assert(Math.abs(encoded[0][0] - encoded[3][0]) > 1e-3);
  assertEquals(encoded[2], b);
  tf.dispose(all);
  encoders.dispose();
  store.dispose();
});

Deno.test("a one-column dense feature with one value throughout encodes as its bias, not NaN", () => {
  const store = new ParameterStore(1);
  const encoders = new ModalityEncoders(priced([7, 7, 0, 7, 7]), { dim: 4 }, store);
  const all = encoders.encodeAllItems();
  const b = store.get("encoder/price/bias").arraySync() as number[];
  for (const item of all.arraySync()) assertEquals(item[1], b);
  tf.dispose(all);
  encoders.dispose();
  store.dispose();
});

Deno.test("id and multi_hot tables start at N(0, 1/dim) unless embeddingStd says otherwise", () => {
  for (
    const [config, std] of [[{ dim: 16 }, 0.25], [{ dim: 16, embeddingStd: 0.5 }, 0.5]] as const
  ) {
    const store = new ParameterStore(2);
    const encoders = new ModalityEncoders(tinyDataset(), config, store);
    for (const name of ["encoder/id/table", "encoder/genre/table"]) {
      const values = Array.from(store.get(name).dataSync());
      const sample = Math.sqrt(values.reduce((a, v) => a + v * v, 0) / values.length);
      // 96 or 64 draws: the sample std is within about 20 % of std (not 4x off, as std 1 would be).
      assert(Math.abs(sample - std) < 0.3 * std, `${name}: std ${sample}, expected ${std}`);
    }
    encoders.dispose();
    store.dispose();
  }
});

Deno.test("encoders: a setting out of range or unknown is a SettingError before any parameter", () => {
  // Each used to build: a width of 0 empty embeddings, a NaN std NaN tables, -1 sign-flipped
  // ones, and a misspelt name ran at the default width.
  const refused: [Record<string, unknown>, string][] = [
    [{ dim: 0 }, "EncoderConfig.dim is 0; allowed: an integer >= 1"],
    [{ dim: 2.5 }, "EncoderConfig.dim is 2.5"],
    [{ dim: 4, embeddingStd: Number.NaN }, "EncoderConfig.embeddingStd is NaN"],
    [{ dim: 4, embeddingStd: -1 }, "EncoderConfig.embeddingStd is -1"],
    [{ dim: 4, embeddingStd: 0 }, "EncoderConfig.embeddingStd is 0; allowed: a finite number > 0"],
    [{ dim: 4, dimension: 8 }, "EncoderConfig.dimension is 8"],
  ];
  for (const [config, message] of refused) {
    const store = new ParameterStore(1);
    assertThrows(
      () => new ModalityEncoders(tinyDataset(), config as unknown as EncoderConfig, store),
      SettingError,
      message,
    );
    assertEquals(store.names(), [], message);
  }
  const store = new ParameterStore(1);
  const smallest = new ModalityEncoders(tinyDataset(), { dim: 1, embeddingStd: 1e-6 }, store);
  assertEquals(smallest.dim, 1);
  smallest.dispose();
  store.dispose();
});

Deno.test("encoders.dispose frees every constant it made (feature matrices, bags, presence)", () => {
  // Found by mutation round AL (AL06, AL07): a dispose that kept the presence table or the
  // feature constants leaked them once per model built, and no test counted them.
  const before = tf.memory().numTensors;
  for (const dataset of [tinyDataset(), priced([3, 3000, 500, 30, 3])]) {
    const store = new ParameterStore(1);
    const encoders = new ModalityEncoders(dataset, { dim: 4 }, store);
    encoders.dispose();
    store.dispose();
  }
  assertEquals(tf.memory().numTensors, before);
});

Deno.test("an absent item's multi-hot row encodes as zeros, not NaN (0 / 0)", () => {
  // Found by mutation round AL (AL09): dividing an all-zero row by its sum gave NaN, and a NaN
  // times the presence mask's 0 is still NaN.
  const store = new ParameterStore(1);
  const encoders = new ModalityEncoders(tinyDataset(), { dim: 4 }, store);
  const all = encoders.encodeAllItems();
  assertEquals(all.arraySync()[0][2], [0, 0, 0, 0]); // item 0 has no genre
  tf.dispose(all);
  encoders.dispose();
  store.dispose();
});

Deno.test("a one-column multi_hot feature is a bag of its one tag, not a standardised column", () => {
  // Found by mutation round AL (AL08): only a one-column DENSE feature is standardised; a tag
  // vocabulary of one is still a table row (standardising its 1s would encode every item as 0).
  const store = new ParameterStore(1);
  const dataset: EncoderInput = {
    name: "one-tag",
    numItems: 3,
    modalities: [
      idModality(3),
      {
        name: "tag",
        kind: "multi_hot",
        dim: 1,
        values: Float32Array.from([1, 0, 1]),
        present: Uint8Array.from([1, 0, 1]),
        provenance: { source: "test", normalisation: "none" },
      },
    ],
  };
  const encoders = new ModalityEncoders(dataset, { dim: 4 }, store);
  const table = encoders.parameters.get("tag")?.table;
  assert(table !== undefined);
  assertEquals(encoders.parameters.get("tag")?.dense, undefined);
  const row = (table.arraySync() as number[][])[0];
  const all = encoders.encodeAllItems();
  const encoded = all.arraySync().map((item) => item[1]);
  assertEquals([encoded[0], encoded[1], encoded[2]], [row, [0, 0, 0, 0], row]);
  tf.dispose(all);
  encoders.dispose();
  store.dispose();
});

Deno.test("modalities are encoded in the order the config names them, not the dataset's", () => {
  // Found by mutation round AL (AL10): the modality axis (and the presence table) follows
  // EncoderConfig.modalities; a model built with ["genre", "id"] reads genre at index 0.
  const store = new ParameterStore(1);
  const encoders = new ModalityEncoders(
    tinyDataset(),
    { dim: 4, modalities: ["genre", "id"] },
    store,
  );
  assertEquals(encoders.names, ["genre", "id"]);
  assertEquals(encoders.kinds, ["multi_hot", "id"]);
  // Item 0 has no genre but has its id.
  assertEquals(Array.from(encoders.presenceValues.slice(0, 2)), [0, 1]);
  const all = encoders.encodeAllItems();
  const idTable = encoders.parameters.get("id")!.table!.arraySync() as number[][];
  assertEquals(all.arraySync()[2][1], idTable[2]);
  tf.dispose(all);
  encoders.dispose();
  store.dispose();
});

Deno.test("encoders refuse a values array or a presence mask too short, naming the counts", () => {
  // Found by mutation round AL (AL14, AL15): only too-long arrays were tested; a short one must be
  // refused too, not read past its end as undefined.
  const shortValues = tinyDataset();
  shortValues.modalities[1].values = shortValues.modalities[1].values.slice(0, 15);
  assertThrows(
    () => new ModalityEncoders(shortValues, { dim: 4 }, new ParameterStore(1)),
    Error,
    'modality "text": values has 15 entries, expected numItems*dim = 6*3',
  );
  const shortMask = tinyDataset();
  shortMask.modalities[2].present = shortMask.modalities[2].present.slice(0, 5);
  assertThrows(
    () => new ModalityEncoders(shortMask, { dim: 4 }, new ParameterStore(1)),
    Error,
    'modality "genre": present has 5 entries, expected 6',
  );
});
