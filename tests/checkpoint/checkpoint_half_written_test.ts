/**
 * saveModelCheckpoint (lib/checkpoint/checkpoint.ts) leaves nothing half-written when its sidecar
 * cannot be serialised: the error names the sidecar, no new weights file is written, and the old
 * checkpoint stays the one loaded.
 */
import { assertEquals, assertRejects, assertStringIncludes } from "@std/assert";
import { initBackend } from "../../lib/backend/init_backend.ts";
import { loadModelCheckpoint, saveModelCheckpoint } from "../../lib/checkpoint/checkpoint.ts";
import type { Json } from "../../lib/checkpoint/checkpoint.ts";
import { SequentialRecommender } from "../../lib/models/sequential_recommender.ts";
import { leaveOneOut, tinyDataset } from "../models/_fixtures.ts";

await initBackend({ verbose: false });

const split = leaveOneOut(tinyDataset(), 10);

function files(dir: string): string[] {
  return [...Deno.readDirSync(dir)].map((entry) => entry.name).sort();
}

const unserialisable: [string, () => Json][] = [
  ["a BigInt", () => ({ step: 1n }) as unknown as Json],
  ["a cycle", () => {
    const state: Record<string, unknown> = { step: 1 };
    state.self = state;
    return state as unknown as Json;
  }],
];

for (const [what, trainerState] of unserialisable) {
  Deno.test(`checkpoint: ${what} in trainerState writes no weights, keeps the old checkpoint`, async () => {
    const dir = Deno.makeTempDirSync();
    const base = `${dir}/last`;
    const model = new SequentialRecommender(split.dataset, { dim: 8, maxLength: 10, seed: 1 });
    try {
      await saveModelCheckpoint(base, model, { datasetFingerprint: "tiny", metrics: { v: 1 } });
      const before = files(dir);
      const sidecar = Deno.readTextFileSync(`${base}.json`);
      const error = await assertRejects(() =>
        saveModelCheckpoint(base, model, {
          datasetFingerprint: "tiny",
          metrics: { v: 2 },
          trainerState: trainerState(),
        })
      );
      assertStringIncludes(error.message, `${base}.json`);
      // Before: a second .safetensors stayed, named by no sidecar.
      assertEquals(files(dir), before);
      assertEquals(Deno.readTextFileSync(`${base}.json`), sidecar);
      const loaded = loadModelCheckpoint(base, model, { datasetFingerprint: "tiny" });
      assertEquals(loaded.sidecar.metrics, { v: 1 });
    } finally {
      model.parameters.dispose();
      Deno.removeSync(dir, { recursive: true });
    }
  });
}

Deno.test("checkpoint: a folder at the sidecar's path is refused by its name; nothing is written", async () => {
  const dir = Deno.makeTempDirSync();
  const base = `${dir}/last`;
  const model = new SequentialRecommender(split.dataset, { dim: 8, maxLength: 10, seed: 1 });
  try {
    Deno.mkdirSync(`${base}.json`);
    const error = await assertRejects(() =>
      saveModelCheckpoint(base, model, { datasetFingerprint: "tiny", metrics: { v: 1 } })
    );
    assertStringIncludes(error.message, `${base}.json: a folder`);
    // Before: a .safetensors and a last.json.tmp-* stayed beside the folder.
    assertEquals(files(dir), ["last.json"]);
  } finally {
    model.parameters.dispose();
    Deno.removeSync(dir, { recursive: true });
  }
});
