import { assertEquals, assertThrows } from "@std/assert";
import { initBackend } from "../../lib/backend/init_backend.ts";
import { decodeSafetensors, encodeSafetensors } from "../../lib/checkpoint/safetensors.ts";
import { loadModelCheckpoint, saveModelCheckpoint } from "../../lib/checkpoint/checkpoint.ts";
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
