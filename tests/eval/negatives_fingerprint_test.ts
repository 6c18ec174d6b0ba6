import { assertEquals, assertNotEquals, assertThrows } from "@std/assert";
import {
  DEFAULT_SAMPLED_NEGATIVES,
  loadOrCreateSampledNegatives,
  sampleEvaluationNegatives,
} from "../../lib/eval/sampled_negatives.ts";
import { datasetFingerprint } from "../../lib/data/fingerprint.ts";
import type { InteractionDataset } from "../../lib/data/types.ts";
import { cycleDataset, leaveOneOut } from "../models/_fixtures.ts";
import { SettingError } from "../../lib/util/settings.ts";

/** A dataset with its content fingerprint, as the importers stamp it. */
function fingerprinted(dataset: InteractionDataset): InteractionDataset {
  const copy = { ...dataset, metadata: { ...dataset.metadata } };
  copy.metadata.fingerprint = datasetFingerprint(copy);
  return copy;
}

Deno.test("persisted negatives of one dataset are refused for another (same users, count, seed)", () => {
  const a = fingerprinted(cycleDataset(3, 12, 5));
  // Same users and items, other histories: user u walks u+4..u+8 instead of u..u+4.
  const b = fingerprinted({
    ...cycleDataset(3, 12, 5),
    sequences: a.sequences.map((s) => s.map((item) => (item + 4) % 12)),
  });
  assertNotEquals(a.metadata.fingerprint, b.metadata.fingerprint);
  const splitA = leaveOneOut(a);
  const splitB = leaveOneOut(b);
  const config = { count: 3, seed: 7 };
  const path = Deno.makeTempFileSync({ suffix: ".json" });
  Deno.removeSync(path);
  try {
    const written = loadOrCreateSampledNegatives(path, splitA, config);
    assertEquals(written, sampleEvaluationNegatives(splitA, config));
    assertEquals(loadOrCreateSampledNegatives(path, splitA, config), written);
    assertThrows(
      () => loadOrCreateSampledNegatives(path, splitB, config),
      Error,
      `dataset fingerprint ${a.metadata.fingerprint} != ${b.metadata.fingerprint}`,
    );
  } finally {
    Deno.removeSync(path);
  }
});

Deno.test("SampledNegativesConfig: a bad count, seed or name is a SettingError naming it, before any draw", () => {
  const split = leaveOneOut(fingerprinted(cycleDataset(3, 12, 5)));
  const cases: [Record<string, unknown>, string][] = [
    [{ count: 0, seed: 0 }, "SampledNegativesConfig.count is 0"],
    [{ count: 2.5, seed: 0 }, "SampledNegativesConfig.count is 2.5"],
    [{ count: 3, seed: -1 }, "SampledNegativesConfig.seed is -1"],
    [{ count: 3, seed: 2 ** 31 }, "SampledNegativesConfig.seed is 2147483648"],
    [{ count: 3, seed: 0, negatives: 5 }, "SampledNegativesConfig.negatives is 5"],
  ];
  for (const [config, message] of cases) {
    const bad = config as unknown as { count: number; seed: number };
    assertThrows(() => sampleEvaluationNegatives(split, bad), SettingError, message);
    // Checked before the file is looked at: nothing is read or written.
    assertThrows(
      () => loadOrCreateSampledNegatives("/nonexistent/negatives.json", split, bad),
      SettingError,
      message,
    );
  }
});

Deno.test("persisted negatives drawn with another count are refused (same dataset and seed)", () => {
  // 3 users over 12 items, 5 interactions each: 7 unseen items per user, so 2 and 3 negatives can
  // both be drawn. A file of 2 negatives per user read back for a 3-negative run would rank every
  // target among 1 + 2 candidates while the card says 1 + 3: it must be refused, naming the count.
  const split = leaveOneOut(fingerprinted(cycleDataset(3, 12, 5)));
  const path = Deno.makeTempFileSync({ suffix: ".json" });
  Deno.removeSync(path);
  try {
    const written = loadOrCreateSampledNegatives(path, split, { count: 2, seed: 7 });
    assertEquals(written.negatives.map((row) => row.length), [2, 2, 2]);
    assertThrows(
      () => loadOrCreateSampledNegatives(path, split, { count: 3, seed: 7 }),
      Error,
      "count 2 != 3",
    );
  } finally {
    Deno.removeSync(path);
  }
});

Deno.test("SampledNegativesConfig: a bad setting is refused even when a file that matches it exists", () => {
  // Found by mutation round JG (JG47): the other test's file is missing, so the sampler's own check
  // refused the config too. With a stored file of the same count and seed, a misspelt name (or a
  // bad count) must still be a SettingError, not a file read back for settings nobody checked.
  const split = leaveOneOut(fingerprinted(cycleDataset(3, 12, 5)));
  const path = Deno.makeTempFileSync({ suffix: ".json" });
  try {
    Deno.writeTextFileSync(
      path,
      JSON.stringify(sampleEvaluationNegatives(split, { count: 3, seed: 0 })),
    );
    const misspelt = { count: 3, seed: 0, sed: 1 } as unknown as { count: number; seed: number };
    assertThrows(
      () => loadOrCreateSampledNegatives(path, split, misspelt),
      SettingError,
      "SampledNegativesConfig.sed",
    );
    assertThrows(
      () => loadOrCreateSampledNegatives(path, split, { count: 3, seed: 0.5 }),
      SettingError,
      "SampledNegativesConfig.seed is 0.5",
    );
  } finally {
    Deno.removeSync(path);
  }
});

Deno.test("DEFAULT_SAMPLED_NEGATIVES: 100 negatives drawn with seed 0, the draw of a call without config", () => {
  // Found by mutation round JG (JG43): the defaults were unpinned; every persisted negatives file
  // made without a config was drawn with them.
  assertEquals(DEFAULT_SAMPLED_NEGATIVES, { count: 100, seed: 0 });
  const split = leaveOneOut(fingerprinted(cycleDataset(3, 120, 5)));
  const drawn = sampleEvaluationNegatives(split);
  assertEquals([drawn.count, drawn.seed], [100, 0]);
  assertEquals(drawn, sampleEvaluationNegatives(split, { count: 100, seed: 0 }));
});
