/**
 * The frame every generator's dataset shares (lib/data/generated.ts): ids u<n> and i<n>, one time
 * step per interaction, the id modality first, the content fingerprint.
 */
import { assertEquals } from "@std/assert";
import { datasetFingerprint } from "../../lib/data/fingerprint.ts";
import { generatedDataset } from "../../lib/data/generated.ts";

Deno.test("generatedDataset: ids, one time step per interaction, id modality first, fingerprint", () => {
  const dataset = generatedDataset({
    name: "toy",
    numItems: 3,
    sequences: [Int32Array.of(0, 1, 2), Int32Array.of(2, 0)],
    contentModalities: [],
    source: "a test",
    preprocessing: ["none"],
  });
  assertEquals([dataset.numUsers, dataset.userIds, dataset.itemIds], [2, ["u0", "u1"], [
    "i0",
    "i1",
    "i2",
  ]]);
  assertEquals(dataset.timestamps, [Float64Array.of(0, 1, 2), Float64Array.of(0, 1)]);
  assertEquals(dataset.modalities.map((m) => [m.name, Array.from(m.present)]), [["id", [1, 1, 1]]]);
  assertEquals(dataset.metadata.fingerprint, datasetFingerprint(dataset));
});
