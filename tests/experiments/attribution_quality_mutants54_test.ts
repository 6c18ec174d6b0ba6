/**
 * `attributionQuality` (lib/experiments/attribution_quality.ts), pinned where mutation round 54
 * found no test: its default chunk of 128 users, which decides both the progress reports and, for a
 * `maxUsers` that is no multiple of it, which users are scored (whole chunks).
 */
import { assert, assertEquals } from "@std/assert";
import { initBackend } from "../../lib/backend/init_backend.ts";
import {
  type AttributionProgress,
  attributionQuality,
} from "../../lib/experiments/attribution_quality.ts";
import { prepareDataset } from "../../lib/experiments/datasets.ts";
import { SequentialRecommender } from "../../lib/models/sequential_recommender.ts";

await initBackend({ verbose: false });

Deno.test("attributionQuality: by default it attributes whole chunks of 128 users, reporting each", async () => {
  const { split, truth } = await prepareDataset({
    kind: "synthetic",
    config: { numUsers: 300, numItems: 30, historyLength: 5 },
  });
  assert(truth !== undefined);
  const model = new SequentialRecommender(split.dataset, { dim: 4, maxLength: split.maxLength });
  try {
    const heard: AttributionProgress[] = [];
    const unitsOf = async (maxUsers?: number, chunkSize?: number) =>
      (await attributionQuality(
        model,
        split,
        truth,
        ["gradient_x_input"],
        maxUsers,
        chunkSize,
        (progress) => heard.push(progress),
      ))[0].units;
    // 150 users take two chunks of 128: the first 256 users are scored (in chunks of 64, 192).
    const defaultChunks = await unitsOf(150);
    assertEquals(heard.map((p) => [p.usersDone, p.users]), [[128, 256], [256, 256]]);
    assertEquals(defaultChunks, await unitsOf(256, 128));
    // Every user's history has the same length here: units grow with the users scored.
    assert(defaultChunks > await unitsOf(192, 64), "fewer users in chunks of 64");
    heard.length = 0;
    // The defaults: 256 users in two chunks.
    await unitsOf();
    assertEquals(heard.map((p) => p.usersDone), [128, 256]);
  } finally {
    model.dispose();
  }
});
