import { assert, assertEquals, assertRejects, assertThrows } from "@std/assert";
import { initBackend } from "../../lib/backend/init_backend.ts";
import { tf } from "../../lib/backend/tf.ts";
import { decodeSafetensors, encodeSafetensors } from "../../lib/checkpoint/safetensors.ts";
import {
  assignCheckpoint,
  checkCheckpointFits,
  checkpointExists,
  loadModelCheckpoint,
  readCheckpoint,
  removeStaleCheckpointFiles,
  saveModelCheckpoint,
} from "../../lib/checkpoint/checkpoint.ts";
import { SequentialRecommender } from "../../lib/models/sequential_recommender.ts";
import { modelScorer } from "../../lib/eval/scorer.ts";
import { trainingBatches } from "../../lib/data/protocol/batcher.ts";
import { leaveOneOut, tinyDataset } from "../models/_fixtures.ts";

await initBackend({ verbose: false });

Deno.test("safetensors: byte layout by hand (LE header length, JSON header, LE f32 data)", () => {
  const bytes = encodeSafetensors(new Map([["w", { shape: [2], data: Float32Array.of(1, -2) }]]));
  const headerLength = Number(new DataView(bytes.buffer).getBigUint64(0, true));
  assertEquals(headerLength % 8, 0);
  const header = JSON.parse(new TextDecoder().decode(bytes.subarray(8, 8 + headerLength)));
  assertEquals(header.w, { dtype: "F32", shape: [2], data_offsets: [0, 8] });
  // No metadata given: no "__metadata__" entry (an empty one would change every file's bytes).
  assertEquals(Object.keys(header), ["w"]);
  assertEquals(Array.from(bytes.subarray(8 + headerLength)), [0, 0, 128, 63, 0, 0, 0, 192]);
  const decoded = decodeSafetensors(bytes, "w.safetensors");
  assertEquals(Array.from(decoded.tensors.get("w")!.data), [1, -2]);
  assertThrows(
    () => decodeSafetensors(bytes.subarray(0, bytes.length - 4), "cut.safetensors"),
    Error,
    'cut.safetensors: tensor "w"',
  );
  assertThrows(
    () => decodeSafetensors(Uint8Array.of(1, 2, 3), "tiny.safetensors"),
    Error,
    "too short",
  );
});

Deno.test("safetensors: header length and padding count UTF-8 bytes, not characters", () => {
  // A name of multi-byte characters ("é" is 2 bytes, "𝑤" 4) makes the header longer in bytes
  // than in UTF-16 units: a length or pad counted in characters cuts the header or misaligns it.
  for (const name of ["é", "éé", "ééé", "𝑤", "a𝑤é"]) {
    const bytes = encodeSafetensors(new Map([[name, { shape: [1], data: Float32Array.of(5) }]]));
    const headerLength = Number(new DataView(bytes.buffer).getBigUint64(0, true));
    assertEquals(headerLength % 8, 0, name);
    assertEquals(bytes.length, 8 + headerLength + 4, name);
    assertEquals(decodeSafetensors(bytes, "utf8.safetensors").tensors.get(name)!.data[0], 5);
  }
});

Deno.test("safetensors: a file read into a view that starts inside a larger buffer decodes from its own start", () => {
  // A Uint8Array from a read can be a view at an offset into a shared buffer (odd, so unaligned too).
  const bytes = encodeSafetensors(new Map([["w", { shape: [2], data: Float32Array.of(1, -2) }]]));
  const larger = new Uint8Array(bytes.length + 5).fill(255);
  larger.set(bytes, 3);
  const view = larger.subarray(3, 3 + bytes.length);
  assertEquals(Array.from(decodeSafetensors(view, "view.safetensors").tensors.get("w")!.data), [
    1,
    -2,
  ]);
});

Deno.test("model checkpoint round trip gives identical predictions; bad files give clear errors", async () => {
  const split = leaveOneOut(tinyDataset(), 10);
  const batch = trainingBatches(split, 0)[0];
  const config = { dim: 8, maxLength: 10 };
  const source = new SequentialRecommender(split.dataset, { ...config, seed: 1 });
  const dir = Deno.makeTempDirSync();
  const base = `${dir}/model`;
  await saveModelCheckpoint(base, source, {
    datasetFingerprint: "tiny-v1",
    metrics: { "NDCG@10": 0.5 },
  });
  const target = new SequentialRecommender(split.dataset, { ...config, seed: 1 });
  // a different initialisation would give other scores: overwrite it from the file
  const other = new SequentialRecommender(split.dataset, { ...config, seed: 1 });
  other.parameters.get("encoder/id/table").assign(other.parameters.get("encoder/id/table").mul(2));
  const loaded = loadModelCheckpoint(base, other, { datasetFingerprint: "tiny-v1" });
  assertEquals(loaded.sidecar.metrics["NDCG@10"], 0.5);
  assertEquals(await modelScorer(other).score(batch), await modelScorer(source).score(batch));
  assertThrows(
    () => loadModelCheckpoint(base, target, { datasetFingerprint: "other" }),
    Error,
    'field "datasetFingerprint"',
  );
  const gru = new SequentialRecommender(split.dataset, { ...config, backbone: "gru4rec" });
  assertThrows(
    () => loadModelCheckpoint(base, gru, { datasetFingerprint: "tiny-v1" }),
    Error,
    'field "modelConfig"',
  );
  const weightsPath = `${dir}/${loaded.sidecar.weightsFile}`;
  const bytes = Deno.readFileSync(weightsPath);
  bytes[bytes.length - 1] ^= 0xff;
  Deno.writeFileSync(weightsPath, bytes);
  assertThrows(
    () => loadModelCheckpoint(base, target, { datasetFingerprint: "tiny-v1" }),
    Error,
    "corrupt",
  );
  for (const m of [source, target, other, gru]) m.dispose();
  Deno.removeSync(dir, { recursive: true });
});

Deno.test("safetensors: the header is padded to 8 bytes whatever its length", () => {
  // One header length being a multiple of 8 can be luck (a pad to 4 passes it half the time): the
  // names of lengths 1 to 8 give headers of every length modulo 8 before padding.
  for (let length = 1; length <= 8; length++) {
    const name = "x".repeat(length);
    const bytes = encodeSafetensors(new Map([[name, { shape: [1], data: Float32Array.of(3) }]]));
    const headerLength = Number(new DataView(bytes.buffer).getBigUint64(0, true));
    assertEquals(headerLength % 8, 0, `name of ${length} characters: header ${headerLength}`);
    assertEquals(decodeSafetensors(bytes, "x.safetensors").tensors.get(name)!.data[0], 3);
  }
});

/** A safetensors file from a header written by hand (to make the bad files a writer never makes). */
function rawSafetensors(header: unknown, data: Uint8Array, headerLength?: number): Uint8Array {
  const json = new TextEncoder().encode(JSON.stringify(header));
  const bytes = new Uint8Array(8 + json.length + data.length);
  new DataView(bytes.buffer).setBigUint64(0, BigInt(headerLength ?? json.length), true);
  bytes.set(json, 8);
  bytes.set(data, 8 + json.length);
  return bytes;
}

Deno.test("safetensors: a file it cannot read right is refused, naming the problem", () => {
  const four = new Uint8Array(new Float32Array([1.5]).buffer);
  const good = rawSafetensors({ w: { dtype: "F32", shape: [1], data_offsets: [0, 4] } }, four);
  assertEquals(decodeSafetensors(good, "good.safetensors").tensors.get("w")!.data[0], 1.5);
  // Another dtype's bytes read as F32 would be silent garbage.
  assertThrows(
    () =>
      decodeSafetensors(
        rawSafetensors({ w: { dtype: "F16", shape: [2], data_offsets: [0, 4] } }, four),
        "half.safetensors",
      ),
    Error,
    'half.safetensors: tensor "w" has dtype F16; only F32 is supported',
  );
  // Offsets before the data would read the header's own bytes as values.
  assertThrows(
    () =>
      decodeSafetensors(
        rawSafetensors({ w: { dtype: "F32", shape: [1], data_offsets: [-4, 0] } }, four),
        "before.safetensors",
      ),
    Error,
    // Refused as offsets that do not fit, not later as "an overlap" with a tensor before it.
    'before.safetensors: tensor "w" data_offsets [-4, 0] do not fit shape [1] in 4 data bytes',
  );
  // Three offsets are no [begin, end] pair.
  assertThrows(
    () =>
      decodeSafetensors(
        rawSafetensors({ w: { dtype: "F32", shape: [1], data_offsets: [0, 4, 8] } }, four),
        "three.safetensors",
      ),
    Error,
    'three.safetensors: tensor "w" lacks a valid shape or data_offsets',
  );
  // A header length past the end of the file (by less than the 8 length bytes) is named as such,
  // not reported as a JSON error of the cut header.
  assertThrows(
    () => decodeSafetensors(rawSafetensors({}, four, 2 + 4 + 4), "long.safetensors"),
    Error,
    "long.safetensors: header length 10 exceeds the file size 14",
  );
});

Deno.test("safetensors: tensors whose data overlap, leave a gap or stop short of the file's end are refused", () => {
  // Python's safetensors refuses these files; this reader read one tensor's bytes as another's.
  const eight = new Uint8Array(new Float32Array([1.5, 2.5]).buffer);
  const entry = (begin: number) => ({ dtype: "F32", shape: [1], data_offsets: [begin, begin + 4] });
  // Written out of offset order, tiled exactly: read as written.
  const swapped = decodeSafetensors(rawSafetensors({ b: entry(4), a: entry(0) }, eight), "ok");
  assertEquals([swapped.tensors.get("a")!.data[0], swapped.tensors.get("b")!.data[0]], [1.5, 2.5]);
  const cases: [Record<string, unknown>, Uint8Array, string][] = [
    [
      { a: entry(0), b: entry(0) },
      eight,
      'tensor "b" data_offsets [0, 4] start at byte 0, but the tensors before it end at byte 4 (an overlap',
    ],
    [
      { a: entry(4) },
      eight,
      'tensor "a" data_offsets [4, 8] start at byte 4, but the tensors before it end at byte 0 (a gap',
    ],
    [{ a: entry(0) }, eight, "the tensors' data ends at byte 4, the file holds 8 data bytes"],
  ];
  for (const [header, data, message] of cases) {
    assertThrows(
      () => decodeSafetensors(rawSafetensors(header, data), "bad.safetensors"),
      Error,
      `bad.safetensors: ${message}`,
    );
  }
});

Deno.test("safetensors: a tensor whose values do not fill its shape, or overflow it, is not written", () => {
  // Its data_offsets would not match the bytes written: every later tensor would read wrong.
  for (const shape of [[3], [1]]) {
    assertThrows(
      () => encodeSafetensors(new Map([["w", { shape, data: Float32Array.of(1, 2) }]])),
      Error,
      `safetensors: tensor "w" has 2 values for shape [${shape}]`,
    );
  }
});

Deno.test("safetensors: a tensor named __metadata__ or of a shape no reader takes is not written", () => {
  // Before: "__metadata__" was written as a tensor and read back as the metadata (the tensor
  // lost); shape [-2, -1] holds 2 values by its product, and made a file the reader refuses.
  assertThrows(
    () => encodeSafetensors(new Map([["__metadata__", { shape: [1], data: Float32Array.of(1) }]])),
    Error,
    'safetensors: tensor name "__metadata__" is the format\'s metadata key',
  );
  for (const shape of [[-2, -1], [0.5, 4]]) {
    assertThrows(
      () => encodeSafetensors(new Map([["w", { shape, data: Float32Array.of(1, 2) }]])),
      Error,
      `safetensors: tensor "w" has shape [${shape}]; dimensions are whole numbers >= 0`,
    );
  }
});

Deno.test("safetensors: a __metadata__ that is no object of strings is refused, naming the file", () => {
  // Before: it came back typed as strings (a number, a list, a nested object), failing far away.
  const four = new Uint8Array(4);
  for (const metadata of [5, null, ["a"], { n: 1 }, { nested: { a: "b" } }]) {
    assertRefusedHeader(
      { __metadata__: metadata, w: { dtype: "F32", shape: [1], data_offsets: [0, 4] } },
      four,
      `"__metadata__" is ${JSON.stringify(metadata)}, not an object of strings`,
    );
  }
});

Deno.test("safetensors: the string metadata comes back as written", () => {
  const tensors = new Map([["w", { shape: [1], data: Float32Array.of(0) }]]);
  const metadata = { format: "demure-checkpoint/1", note: "a b" };
  assertEquals(decodeSafetensors(encodeSafetensors(tensors, metadata), "m.safetensors").metadata, {
    ...metadata,
  });
});

Deno.test("checkpoint sidecar: the weights file's size and FNV-1a hash (all 8 bits of each byte)", async () => {
  // The hash must see every bit: a corruption flipping only a byte's top bit is caught too.
  const split = leaveOneOut(tinyDataset(), 10);
  const model = new SequentialRecommender(split.dataset, { dim: 8, maxLength: 10, seed: 1 });
  const dir = Deno.makeTempDirSync();
  const base = `${dir}/model`;
  await saveModelCheckpoint(base, model, { datasetFingerprint: "tiny-v1" });
  const sidecar = JSON.parse(Deno.readTextFileSync(`${base}.json`));
  const weightsPath = `${dir}/${sidecar.weightsFile}`;
  const bytes = Deno.readFileSync(weightsPath);
  let hash = 0x811c9dc5; // FNV-1a, 32 bits, written out here independently of the module
  for (const byte of bytes) hash = Math.imul(hash ^ byte, 0x01000193) >>> 0;
  assertEquals(sidecar.weightsBytes, bytes.length);
  assertEquals(sidecar.weightsFnv1a, hash.toString(16).padStart(8, "0"));
  bytes[bytes.length - 1] ^= 0x80;
  Deno.writeFileSync(weightsPath, bytes);
  assertThrows(
    () => loadModelCheckpoint(base, model, { datasetFingerprint: "tiny-v1" }),
    Error,
    "corrupt",
  );
  model.dispose();
  Deno.removeSync(dir, { recursive: true });
});

Deno.test("checkpoint round trip: trainer state, extra tensors and tensor names come back; a lacking parameter is named", async () => {
  const split = leaveOneOut(tinyDataset(), 10);
  const model = new SequentialRecommender(split.dataset, { dim: 8, maxLength: 10, seed: 1 });
  const dir = Deno.makeTempDirSync();
  const base = `${dir}/model`;
  const trainerState = { epoch: 3, best: 0.25, history: [0.1, 0.25], note: null };
  const extra = { shape: [2], data: Float32Array.of(0.5, -1) };
  await saveModelCheckpoint(base, model, {
    datasetFingerprint: "tiny-v1",
    trainerState,
    extraHostTensors: new Map([["hook/state", extra]]),
  });
  // Loading makes a tensor per parameter to assign from: none may be left behind.
  const before = tf.memory().numTensors;
  const loaded = loadModelCheckpoint(base, model, { datasetFingerprint: "tiny-v1" });
  assertEquals(tf.memory().numTensors, before);
  assertEquals(loaded.sidecar.trainerState, trainerState);
  assertEquals(loaded.tensors.get("hook/state"), extra);
  assertEquals(loaded.sidecar.tensorNames, [...model.parameters.names(), "hook/state"]);
  // The check a caller runs before the weights are replaced names the parameter that is missing.
  const [missing] = model.parameters.names();
  const read = readCheckpoint(base);
  read.tensors.delete(missing);
  assertThrows(
    () => checkCheckpointFits(base, read, model, { datasetFingerprint: "tiny-v1" }),
    Error,
    `lacks parameter "${missing}"`,
  );
  // ... and the parameter whose stored shape is not the model's (a file edited or mixed up by
  // hand: the model config alone matches).
  const reshaped = readCheckpoint(base);
  const stored = reshaped.tensors.get(missing)!;
  reshaped.tensors.set(missing, { shape: [stored.data.length], data: stored.data });
  const wanted = model.parameters.get(missing).shape;
  assertThrows(
    () => checkCheckpointFits(base, reshaped, model, { datasetFingerprint: "tiny-v1" }),
    Error,
    `parameter "${missing}": shape [${stored.data.length}] does not match the model's [${wanted}]`,
  );
  model.dispose();
  Deno.removeSync(dir, { recursive: true });
});

Deno.test("checkpointExists: a sidecar whose weights file is gone is no checkpoint", async () => {
  const split = leaveOneOut(tinyDataset(), 10);
  const model = new SequentialRecommender(split.dataset, { dim: 8, maxLength: 10, seed: 1 });
  const dir = Deno.makeTempDirSync();
  const base = `${dir}/model`;
  assertEquals(checkpointExists(base), false);
  await saveModelCheckpoint(base, model, { datasetFingerprint: "tiny-v1" });
  assertEquals(checkpointExists(base), true);
  Deno.removeSync(`${dir}/${readCheckpoint(base).sidecar.weightsFile}`);
  assertEquals(checkpointExists(base), false);
  model.dispose();
  Deno.removeSync(dir, { recursive: true });
});

Deno.test("checkpointExists: a sidecar that is there but cannot be read is an error, not no checkpoint", () => {
  // "No checkpoint" would start a resumed run afresh over its saved epochs.
  const dir = Deno.makeTempDirSync();
  try {
    Deno.writeTextFileSync(`${dir}/garbled.json`, "{ not json");
    assertThrows(() => checkpointExists(`${dir}/garbled`), Error, "not a checkpoint sidecar");
    // A sidecar that is a symbolic link to itself: reading it fails, but not with "not found".
    Deno.symlinkSync(`${dir}/loop.json`, `${dir}/loop.json`);
    assertThrows(() => checkpointExists(`${dir}/loop`));
  } finally {
    Deno.removeSync(dir, { recursive: true });
  }
});

/**
 * Runs `check` on a fresh checkpoint of a tiny model saved at `<dir>/<name>` (and on the model);
 * the model and the folder are removed afterwards.
 */
async function withSavedCheckpoint(
  name: string,
  check: (base: string, dir: string, model: SequentialRecommender) => void,
): Promise<void> {
  const split = leaveOneOut(tinyDataset(), 10);
  const model = new SequentialRecommender(split.dataset, { dim: 8, maxLength: 10, seed: 1 });
  const dir = Deno.makeTempDirSync();
  try {
    await saveModelCheckpoint(`${dir}/${name}`, model, { datasetFingerprint: "tiny-v1" });
    check(`${dir}/${name}`, dir, model);
  } finally {
    model.dispose();
    Deno.removeSync(dir, { recursive: true });
  }
}

Deno.test("a sidecar that is JSON but names no weights file is an error, and the sweep keeps the weights", async () => {
  // Before: it answered "no checkpoint" and removeStaleCheckpointFiles (the first thing a resume
  // does) deleted the weights file, so the run started afresh over its saved epochs; null was a
  // TypeError naming no file.
  await withSavedCheckpoint("last", (base, dir) => {
    const { weightsFile } = readCheckpoint(base).sidecar;
    for (
      const [text, found] of [["{}", "missing"], ["null", "missing"], ['{"weightsFile":5}', "5"]]
    ) {
      Deno.writeTextFileSync(`${base}.json`, text);
      const message = `${base}.json: not a checkpoint sidecar (field "weightsFile" is ${found}`;
      assertThrows(() => checkpointExists(base), Error, message);
      assertThrows(() => removeStaleCheckpointFiles(base), Error, message);
      assertEquals(Deno.statSync(`${dir}/${weightsFile}`).isFile, true, text);
    }
  });
});

Deno.test("safetensors: a file of 7 bytes is too short, named; one with no data bytes reads", () => {
  assertThrows(
    () => decodeSafetensors(new Uint8Array(7), "seven.safetensors"),
    Error,
    "seven.safetensors: 7 bytes, too short for a safetensors header",
  );
  // A header length one byte past the end is refused as such (the cut header may parse).
  const past = rawSafetensors({}, new Uint8Array(0), "{}".length + 1);
  assertThrows(
    () => decodeSafetensors(past, "past.safetensors"),
    Error,
    "past.safetensors: header length 3 exceeds the file size 10",
  );
  // A header that ends the file exactly (no tensor, or only empty ones) is a valid file.
  const empty = encodeSafetensors(new Map(), { note: "no tensors" });
  const decoded = decodeSafetensors(empty, "empty.safetensors");
  assertEquals([decoded.tensors.size, decoded.metadata], [0, { note: "no tensors" }]);
  const none = encodeSafetensors(new Map([["z", { shape: [0], data: new Float32Array(0) }]]));
  assertEquals(decodeSafetensors(none, "zero.safetensors").tensors.get("z")!.shape, [0]);
});

/** Asserts that a file of `header` and `data` is refused with `message` (after "bad.safetensors: "). */
function assertRefusedHeader(header: unknown, data: Uint8Array, message: string): void {
  const bytes = rawSafetensors(header, data);
  assertThrows(
    () => decodeSafetensors(bytes, "bad.safetensors"),
    Error,
    `bad.safetensors: ${message}`,
  );
}

Deno.test("safetensors: offsets that cover more or fewer bytes than the shape, or another dtype, are refused", () => {
  const eight = new Uint8Array(new Float32Array([1.5, 2.5]).buffer);
  // Eight bytes for one value: reading the first four would silently drop the rest.
  assertRefusedHeader(
    { w: { dtype: "F32", shape: [1], data_offsets: [0, 8] } },
    eight,
    'tensor "w" data_offsets [0, 8] do not fit shape [1]',
  );
  // A shape that is no list (a number) would fail inside the count, naming no file.
  assertRefusedHeader(
    { w: { dtype: "F32", shape: 2, data_offsets: [0, 8] } },
    eight,
    'tensor "w" lacks a valid shape or data_offsets',
  );
  for (const dtype of ["I32", "F64", undefined]) {
    assertRefusedHeader(
      { w: { dtype, shape: [2], data_offsets: [0, 8] } },
      eight,
      `tensor "w" has dtype ${dtype}; only F32 is supported`,
    );
  }
});

Deno.test("readCheckpoint refuses a sidecar of another format, weights outside its folder, a size it does not record", async () => {
  await withSavedCheckpoint("model", (base, dir) => {
    const saved = JSON.parse(Deno.readTextFileSync(`${base}.json`));
    const refused = (change: Record<string, unknown>, message: string) => {
      Deno.writeTextFileSync(`${base}.json`, JSON.stringify({ ...saved, ...change }));
      assertThrows(() => readCheckpoint(base), Error, message);
    };
    refused(
      { format: "demure-checkpoint/2" },
      `${base}.json: field "format" is "demure-checkpoint/2", expected "demure-checkpoint/1"`,
    );
    // A sidecar names a file next to it only, even where the path it names holds the same bytes.
    Deno.mkdirSync(`${dir}/sub`);
    Deno.copyFileSync(`${dir}/${saved.weightsFile}`, `${dir}/sub/${saved.weightsFile}`);
    refused(
      { weightsFile: `sub/${saved.weightsFile}` },
      `${base}.json: field "weightsFile" is sub/${saved.weightsFile}, expected a file name`,
    );
    // An empty name would read the folder itself; so would "." (and ".." the folder above).
    refused({ weightsFile: "" }, `${base}.json: field "weightsFile" is , expected a file name`);
    for (const weightsFile of [".", ".."]) {
      refused(
        { weightsFile },
        `${base}.json: field "weightsFile" is ${weightsFile}, expected a file name`,
      );
    }
    // The hash alone would pass: the size the sidecar records must be the file's too.
    refused({ weightsBytes: saved.weightsBytes + 1 }, "(corrupt, or from another save)");
  });
});

Deno.test("saveModelCheckpoint refuses an extra tensor named like a parameter, and writes nothing", async () => {
  // The extra would replace the parameter's weights in the file.
  const split = leaveOneOut(tinyDataset(), 10);
  const model = new SequentialRecommender(split.dataset, { dim: 8, maxLength: 10, seed: 1 });
  const [name] = model.parameters.names();
  const onDevice = tf.zeros([1]);
  const dir = Deno.makeTempDirSync();
  try {
    for (
      const extras of [
        { extraTensors: new Map([[name, onDevice]]) },
        { extraHostTensors: new Map([[name, { shape: [1], data: Float32Array.of(0) }]]) },
      ]
    ) {
      await assertRejects(
        () => saveModelCheckpoint(`${dir}/model`, model, { datasetFingerprint: "x", ...extras }),
        Error,
        `checkpoint: tensor name "${name}" used twice`,
      );
    }
    assertEquals([...Deno.readDirSync(dir)], []);
  } finally {
    onDevice.dispose();
    model.dispose();
    Deno.removeSync(dir, { recursive: true });
  }
});

Deno.test("safetensors: dimensions or offsets that are no whole numbers >= 0, a header that is no object, are refused", () => {
  // Before: [-2, -1] and ["2"] were read as tensors of that shape, [-1] failed as a RangeError
  // and a null header as a TypeError, neither naming the file.
  const eight = new Uint8Array(8);
  const cases: [unknown, unknown][] = [
    [[-1], [4, 0]],
    [[-2, -1], [0, 8]],
    [[1.5], [0, 6]],
    [["2"], [0, 8]],
    [[null], [0, 0]],
    [[2], [0.5, 8.5]],
  ];
  for (const [shape, offsets] of cases) {
    assertRefusedHeader(
      { w: { dtype: "F32", shape, data_offsets: offsets } },
      eight,
      'tensor "w" lacks a valid shape or data_offsets',
    );
  }
  assertRefusedHeader({ w: null }, eight, 'tensor "w" has dtype undefined');
  for (const header of [null, [], 5]) {
    assertRefusedHeader(header, eight, "header is ");
  }
});

Deno.test("assignCheckpoint: a stored tensor of another shape is refused naming the pair, and assigns nothing", async () => {
  await withSavedCheckpoint("model", (base, _dir, model) => {
    const loaded = readCheckpoint(base);
    const [name] = model.parameters.names();
    const host = loaded.tensors.get(name)!;
    loaded.tensors.set(name, { shape: [host.data.length], data: host.data.map((v) => v + 1) });
    const before = model.parameters.get(name).dataSync().slice();
    const tensors = tf.memory().numTensors;
    assertThrows(
      () => assignCheckpoint(base, loaded, model, { datasetFingerprint: "tiny-v1" }),
      Error,
      `${base}.json -> ${loaded.sidecar.weightsFile}: parameter "${name}": shape [${host.data.length}]`,
    );
    assertEquals(model.parameters.get(name).dataSync(), before);
    assertEquals(tf.memory().numTensors, tensors);
  });
});

/** FNV-1a (32 bits) of `bytes` as 8 hex digits, written out independently of the module. */
function fnv1aHex(bytes: Uint8Array): string {
  let hash = 0x811c9dc5;
  for (const byte of bytes) hash = Math.imul(hash ^ byte, 0x01000193) >>> 0;
  return hash.toString(16).padStart(8, "0");
}

Deno.test("checkpoint sidecar: a hash below 0x10000000 is written with its leading zeros", async () => {
  // Eight hex digits always: a hash written short differs from every other FNV-1a tool's (and
  // from a sidecar written before). The file a save writes is the safetensors of the parameters
  // then the extras: pick the extra value that gives it a hash with a leading zero.
  const split = leaveOneOut(tinyDataset(), 10);
  const model = new SequentialRecommender(split.dataset, { dim: 8, maxLength: 10, seed: 1 });
  const dir = Deno.makeTempDirSync();
  const base = `${dir}/model`;
  try {
    const tensors = new Map(
      model.parameters.names().map((name) => {
        const tensor = model.parameters.get(name);
        return [name, { shape: [...tensor.shape], data: Float32Array.from(tensor.dataSync()) }];
      }),
    );
    const metadata = { format: "demure-checkpoint/1" };
    let value = 0;
    const probe = () => ({ shape: [1], data: Float32Array.of(value) });
    while (
      !fnv1aHex(encodeSafetensors(new Map([...tensors, ["probe", probe()]]), metadata)).startsWith(
        "0",
      )
    ) {
      value++;
    }
    await saveModelCheckpoint(base, model, {
      datasetFingerprint: "tiny-v1",
      extraHostTensors: new Map([["probe", probe()]]),
    });
    const sidecar = JSON.parse(Deno.readTextFileSync(`${base}.json`));
    const expected = fnv1aHex(Deno.readFileSync(`${dir}/${sidecar.weightsFile}`));
    assert(expected.startsWith("0"), `${expected} (value ${value})`);
    assertEquals(sidecar.weightsFnv1a, expected);
  } finally {
    model.dispose();
    Deno.removeSync(dir, { recursive: true });
  }
});

Deno.test("removeStaleCheckpointFiles removes exactly its base's stale plain files", () => {
  // Another base's files (one ending in this base's name), a file it did not write (another
  // suffix) and a link are not a killed save's leftovers of this base: the sweep keeps them.
  const dir = Deno.makeTempDirSync();
  try {
    const own = ["best.json.tmp-1a", "best.safetensors.tmp-2b", "best.k1-p2-c3.safetensors"];
    const others = [
      "xbest.json.tmp-1a",
      "xbest.k1-p2-c3.safetensors",
      "best.k1-p2-c3.safetensors.keep",
      "best.k1-p2-c3.safetensors-copy",
      "notes.txt",
    ];
    for (const name of [...own, ...others]) Deno.writeTextFileSync(`${dir}/${name}`, "x");
    Deno.symlinkSync(`${dir}/notes.txt`, `${dir}/best.k4-p5-c6.safetensors`);
    assertEquals(removeStaleCheckpointFiles(`${dir}/best`).sort(), [...own].sort());
    assertEquals(
      [...Deno.readDirSync(dir)].map((entry) => entry.name).sort(),
      [...others, "best.k4-p5-c6.safetensors"].sort(),
    );
    // A base whose folder does not exist (a run not started) has nothing to sweep.
    assertEquals(removeStaleCheckpointFiles(`${dir}/absent/best`), []);
  } finally {
    Deno.removeSync(dir, { recursive: true });
  }
});

Deno.test("a save without metrics records none ({}), and two saves in one millisecond both land", async () => {
  // The weights file's name holds the time in ms; the counter after it tells two saves of one
  // process within a ms apart (the same name would refuse the second save: files are new).
  await withSavedCheckpoint("model", (base) => {
    assertEquals(readCheckpoint(base).sidecar.metrics, {});
  });
  const split = leaveOneOut(tinyDataset(), 10);
  const model = new SequentialRecommender(split.dataset, { dim: 8, maxLength: 10, seed: 1 });
  const dir = Deno.makeTempDirSync();
  const now = Date.now;
  try {
    Date.now = () => 1_000_000;
    const names: string[] = [];
    for (const version of [1, 2]) {
      await saveModelCheckpoint(`${dir}/model`, model, {
        datasetFingerprint: "tiny-v1",
        metrics: { version },
      });
      names.push(readCheckpoint(`${dir}/model`).sidecar.weightsFile);
    }
    assertEquals(new Set(names).size, 2, names.join(", "));
    assertEquals(readCheckpoint(`${dir}/model`).sidecar.metrics, { version: 2 });
  } finally {
    Date.now = now;
    model.dispose();
    Deno.removeSync(dir, { recursive: true });
  }
});

Deno.test("readCheckpoint names the file at fault: sidecar, weights name that is no string, weights", async () => {
  await withSavedCheckpoint("model", (base, dir) => {
    const saved = JSON.parse(Deno.readTextFileSync(`${base}.json`));
    const weightsPath = `${dir}/${saved.weightsFile}`;
    const write = (change: Record<string, unknown>) =>
      Deno.writeTextFileSync(`${base}.json`, JSON.stringify({ ...saved, ...change }));
    for (const weightsFile of [5, null]) {
      write({ weightsFile });
      assertThrows(
        () => readCheckpoint(base),
        Error,
        `${base}.json: field "weightsFile" is ${weightsFile}, expected a file name`,
      );
    }
    // A size mismatch: the weights file first, with what it holds, then what the sidecar expects.
    write({ weightsBytes: saved.weightsBytes + 1 });
    assertThrows(
      () => readCheckpoint(base),
      Error,
      `${weightsPath}: ${saved.weightsBytes} bytes with hash ${saved.weightsFnv1a}, but ` +
        `${base}.json expects ${saved.weightsBytes + 1} bytes with hash ${saved.weightsFnv1a}`,
    );
    // Weights the sidecar vouches for (size and hash) that are no safetensors: the weights named.
    const garbage = Uint8Array.of(1, 2, 3, 4, 5, 6, 7);
    Deno.writeFileSync(weightsPath, garbage);
    write({ weightsBytes: garbage.length, weightsFnv1a: fnv1aHex(garbage) });
    assertThrows(() => readCheckpoint(base), Error, `${weightsPath}: 7 bytes, too short`);
    // No sidecar at all: the sidecar's path is named.
    Deno.removeSync(`${base}.json`);
    assertThrows(
      () => readCheckpoint(base),
      Error,
      `${base}.json: cannot read the checkpoint sidecar`,
    );
  });
});

Deno.test("checkCheckpointFits refuses a stored shape of the model's rank but other dimensions", async () => {
  // A transposed matrix holds as many values: only the dimensions in order tell it apart.
  await withSavedCheckpoint("model", (base, _dir, model) => {
    const loaded = readCheckpoint(base);
    const name = model.parameters.names().find((candidate) => {
      const shape = model.parameters.get(candidate).shape;
      return shape.length === 2 && shape[0] !== shape[1];
    })!;
    const wanted = model.parameters.get(name).shape;
    const transposed = [...wanted].reverse();
    const host = loaded.tensors.get(name)!;
    loaded.tensors.set(name, { shape: transposed, data: host.data });
    assertThrows(
      () => checkCheckpointFits(base, loaded, model, { datasetFingerprint: "tiny-v1" }),
      Error,
      `parameter "${name}": shape [${transposed}] does not match the model's [${wanted}]`,
    );
  });
});

Deno.test("checkCheckpointFits names both fingerprints in order, and refuses a config that differs in a setting only", async () => {
  await withSavedCheckpoint("model", (base, _dir, model) => {
    const loaded = readCheckpoint(base);
    assertThrows(
      () => checkCheckpointFits(base, loaded, model, { datasetFingerprint: "other-v2" }),
      Error,
      `${base}.json: field "datasetFingerprint" is tiny-v1, the dataset's is other-v2`,
    );
    // Same backbone and shapes, another dropout: the weights fit, the model they trained does not.
    const split = leaveOneOut(tinyDataset(), 10);
    const config = { dim: 8, maxLength: 10, seed: 1, sasrec: { dropout: 0.37 } };
    const other = new SequentialRecommender(split.dataset, config);
    try {
      assertThrows(
        () => checkCheckpointFits(base, loaded, other, { datasetFingerprint: "tiny-v1" }),
        Error,
        `${base}.json: field "modelConfig"`,
      );
    } finally {
      other.dispose();
    }
  });
});

Deno.test("a sidecar records when it was written, and a trainer state of 0 or null comes back", async () => {
  const split = leaveOneOut(tinyDataset(), 10);
  const model = new SequentialRecommender(split.dataset, { dim: 8, maxLength: 10, seed: 1 });
  const dir = Deno.makeTempDirSync();
  try {
    for (const trainerState of [0, null, false, ""]) {
      await saveModelCheckpoint(`${dir}/model`, model, { datasetFingerprint: "x", trainerState });
      const { sidecar } = readCheckpoint(`${dir}/model`);
      assertEquals(["trainerState" in sidecar, sidecar.trainerState], [true, trainerState]);
      // An ISO 8601 time.
      assertEquals(new Date(sidecar.created).toISOString(), sidecar.created);
    }
  } finally {
    model.dispose();
    Deno.removeSync(dir, { recursive: true });
  }
});

Deno.test("assignCheckpoint: stored values that do not fill their shape are refused naming the pair", async () => {
  // A map edited by a caller (shape right, values short) fails inside tfjs: the pair is named.
  await withSavedCheckpoint("model", (base, _dir, model) => {
    const loaded = readCheckpoint(base);
    const names = model.parameters.names();
    const last = names[names.length - 1];
    const host = loaded.tensors.get(last)!;
    loaded.tensors.set(last, { shape: host.shape, data: host.data.slice(1) });
    const tensors = tf.memory().numTensors;
    assertThrows(
      () => assignCheckpoint(base, loaded, model, { datasetFingerprint: "tiny-v1" }),
      Error,
      `${base}.json -> ${loaded.sidecar.weightsFile}: `,
    );
    assertEquals(tf.memory().numTensors, tensors);
  });
});

Deno.test("an empty sidecar is an error, not no checkpoint, and the sweep keeps the weights", async () => {
  // A sidecar cut to nothing (a disk filled by another writer) is not "no checkpoint": that
  // answer starts a resumed run afresh, and the sweep would remove the weights.
  await withSavedCheckpoint("last", (base, dir) => {
    const { weightsFile } = readCheckpoint(base).sidecar;
    Deno.writeTextFileSync(`${base}.json`, "");
    assertThrows(() => checkpointExists(base), Error, `${base}.json: not a checkpoint sidecar`);
    assertThrows(() => removeStaleCheckpointFiles(base), Error, "not a checkpoint sidecar");
    assertEquals(Deno.statSync(`${dir}/${weightsFile}`).isFile, true);
  });
});

Deno.test("safetensors: a scalar (shape []) holds one value and comes back as a scalar", () => {
  // The product of no dimensions is 1: a count without that start value fails on [] (a TypeError
  // naming no file) when writing or reading a scalar.
  const bytes = encodeSafetensors(new Map([["s", { shape: [], data: Float32Array.of(7.5) }]]));
  const headerLength = Number(new DataView(bytes.buffer).getBigUint64(0, true));
  const header = JSON.parse(new TextDecoder().decode(bytes.subarray(8, 8 + headerLength)));
  assertEquals(header.s, { dtype: "F32", shape: [], data_offsets: [0, 4] });
  const scalar = decodeSafetensors(bytes, "scalar.safetensors").tensors.get("s")!;
  assertEquals([scalar.shape, Array.from(scalar.data)], [[], [7.5]]);
});

Deno.test("safetensors: an empty tensor listed after a tensor at its own offset reads", () => {
  // Python's safetensors takes it (it orders the spans by begin, then end): [0, 0] is empty and
  // comes before [0, 4] whatever order the header lists them in.
  const four = new Uint8Array(new Float32Array([2.5]).buffer);
  const bytes = rawSafetensors({
    a: { dtype: "F32", shape: [1], data_offsets: [0, 4] },
    z: { dtype: "F32", shape: [0], data_offsets: [0, 0] },
  }, four);
  const decoded = decodeSafetensors(bytes, "empty.safetensors");
  assertEquals([...decoded.tensors.keys()], ["a", "z"]);
  assertEquals([decoded.tensors.get("a")!.data[0], decoded.tensors.get("z")!.shape], [2.5, [0]]);
});

Deno.test("safetensors: a file of exactly 8 bytes is read for its header length, not called too short", () => {
  const eight = new Uint8Array(8);
  new DataView(eight.buffer).setBigUint64(0, 2n, true);
  assertThrows(
    () => decodeSafetensors(eight, "eight.safetensors"),
    Error,
    "eight.safetensors: header length 2 exceeds the file size 8",
  );
  // Header length 0: an empty header is no JSON object.
  assertThrows(
    () => decodeSafetensors(new Uint8Array(8), "zero.safetensors"),
    Error,
    "zero.safetensors: header is not valid JSON",
  );
});

Deno.test("safetensors: a __metadata__ with one value that is no string among strings is refused", () => {
  assertRefusedHeader(
    {
      __metadata__: { format: "demure-checkpoint/1", epochs: 3 },
      w: {
        dtype: "F32",
        shape: [1],
        data_offsets: [0, 4],
      },
    },
    new Uint8Array(4),
    '"__metadata__" is {"format":"demure-checkpoint/1","epochs":3}, not an object of strings',
  );
});

Deno.test("safetensors: the header is padded with spaces, as Python's safetensors pads it", () => {
  // Another filler that JSON allows (a newline) reads back the same but changes every file's bytes.
  const bytes = encodeSafetensors(new Map([["w", { shape: [1], data: Float32Array.of(1) }]]));
  const headerLength = Number(new DataView(bytes.buffer).getBigUint64(0, true));
  const text = new TextDecoder().decode(bytes.subarray(8, 8 + headerLength));
  const json = JSON.stringify({ w: { dtype: "F32", shape: [1], data_offsets: [0, 4] } });
  assertEquals(text, json.padEnd(headerLength, " "));
  assert(json.length < headerLength, "this header needs padding");
});

Deno.test("safetensors: a header whose bytes are no UTF-8 is refused, not read with U+FFFD in a name", () => {
  // Before: the byte 0xFF in a tensor's name was decoded as U+FFFD, so "wX" came back as "w\uFFFD".
  const header = new TextEncoder().encode(
    JSON.stringify({ wX: { dtype: "F32", shape: [1], data_offsets: [0, 4] } }),
  );
  header[header.indexOf(0x58)] = 0xff;
  const bytes = new Uint8Array(8 + header.length + 4);
  new DataView(bytes.buffer).setBigUint64(0, BigInt(header.length), true);
  bytes.set(header, 8);
  assertThrows(
    () => decodeSafetensors(bytes, "latin.safetensors"),
    Error,
    "latin.safetensors: header is not UTF-8 text (corrupt file)",
  );
});

Deno.test("safetensors: every float32 bit pattern of note comes back as written (-0, NaN, infinities, subnormals)", () => {
  // A guard such as `value || 0` on either side would turn -0 and NaN into 0: a checkpoint that
  // loads with other values than it saved.
  const values = Float32Array.of(
    -0,
    NaN,
    Infinity,
    -Infinity,
    1e-45,
    -1.17549435e-38,
    3.4028235e38,
  );
  const bytes = encodeSafetensors(new Map([["w", { shape: [values.length], data: values }]]));
  const back = decodeSafetensors(bytes, "bits.safetensors").tensors.get("w")!.data;
  assertEquals(
    Array.from(new Uint32Array(back.buffer, back.byteOffset, back.length)),
    Array.from(new Uint32Array(values.buffer)),
  );
  assert(Object.is(back[0], -0), "-0 stays -0");
});
