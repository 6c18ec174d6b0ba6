/**
 * Both ends of every documented range of SyntheticConfig, WorkloadShapeConfig, KCoreConfig and
 * SampledNegativesConfig are accepted (left by the session-48 audit, which tried their refusals
 * only, since accepting a size builds data of that size). A value that is not a size is accepted
 * by building tiny data with it. A size's large end (2^27 users or items) is accepted by its
 * check without building anything: the sizes are checked first, so with a setting checked last
 * made bad, the refusal names that setting, not the size. An end that another setting or the data
 * bounds (a k that keeps some users, a count of negatives every user has) is tried at that bound,
 * and one past it is refused.
 */
import { assertEquals } from "@std/assert";
import { kCoreFilter } from "../../lib/data/protocol/k_core.ts";
import { leaveOneOutSplit } from "../../lib/data/protocol/leave_one_out.ts";
import { generateSynthetic } from "../../lib/data/synthetic.ts";
import { generateWorkloadDataset } from "../../lib/data/workload_shape.ts";
import { sampleEvaluationNegatives } from "../../lib/eval/sampled_negatives.ts";
import { boundaryCases, documentedSettings } from "../_configuration_ranges.ts";
import { settingError } from "../_setting_error.ts";
import { tinyDataset } from "./_tiny_dataset.ts";

/** The most users or items a generated dataset may have (docs: `<= 2^27`). */
const MAX_COUNT = 2 ** 27;

/** The documented accepted ends of `object`'s parsed rows, by field. */
function acceptedEnds(object: string): [string, unknown[]][] {
  return documentedSettings(object)
    .filter((row) => row.allowed.kind !== "unparsed")
    .map((row) => [row.field, boundaryCases(row.allowed).accepted]);
}

Deno.test("SyntheticConfig: both ends of every parsed range are accepted", () => {
  const tiny = { numUsers: 4, numItems: 6, historyLength: 3, modalities: [{ name: "a", dim: 2 }] };
  const ends = acceptedEnds("SyntheticConfig");
  assertEquals(ends.map(([field]) => field), [
    "seed",
    "numUsers",
    "numItems",
    "noiseFraction",
    "drift",
    "missingRate",
  ]);
  for (const [field, values] of ends) {
    for (const value of values) {
      if (value === MAX_COUNT) {
        // historyLength 1 and dim 1 keep the products within 2^31 - 1; noiseFraction is checked
        // after both sizes, so its refusal means 2^27 passed.
        const error = settingError(() =>
          generateSynthetic({
            ...tiny,
            historyLength: 1,
            modalities: [{ name: "a", dim: 1 }],
            [field]: value,
            noiseFraction: -1,
          })
        );
        assertEquals(error.setting, "SyntheticConfig.noiseFraction", `${field} = ${value}`);
      } else {
        // numItems 1 holds one item per history.
        const history = field === "numItems" ? { historyLength: 1 } : {};
        const data = generateSynthetic({ ...tiny, ...history, [field]: value }).dataset;
        assertEquals(data.numUsers, field === "numUsers" ? value : tiny.numUsers);
      }
    }
  }
});

Deno.test("WorkloadShapeConfig: both ends of every parsed range are accepted", () => {
  // Clusters of 5 items and histories of at most 5: clusterAffinity 1 can fill every history.
  const tiny = {
    numUsers: 6,
    numItems: 10,
    clusters: 2,
    minHistory: 2,
    medianHistory: 3,
    maxHistory: 5,
    modalities: [{ name: "a", dim: 2 }],
  };
  const ends = acceptedEnds("WorkloadShapeConfig");
  assertEquals(ends.map(([field]) => field), [
    "seed",
    "numUsers",
    "numItems",
    "minHistory",
    "historySpread",
    "clusterAffinity",
    "popularitySkew",
  ]);
  // At the largest sizes nothing is built: popularitySkew, checked last, is made bad.
  const checkedOnly = (input: Record<string, unknown>) => {
    const error = settingError(() => generateWorkloadDataset({ ...input, popularitySkew: -1 }));
    assertEquals(error.setting, "workload.popularitySkew", JSON.stringify(input));
  };
  for (const [field, values] of ends) {
    for (const value of values) {
      if (field === "numUsers" && value === MAX_COUNT) {
        checkedOnly({ ...tiny, numUsers: value });
      } else if (field === "numItems" && value === MAX_COUNT) {
        checkedOnly({ ...tiny, numItems: value, modalities: [] });
      } else if (field === "minHistory" && value !== 1) {
        // No upper end of its own: maxHistory <= numItems <= 2^27 bounds it, so 2^27 is its top.
        checkedOnly({
          ...tiny,
          numItems: MAX_COUNT,
          modalities: [],
          minHistory: MAX_COUNT,
          medianHistory: MAX_COUNT,
          maxHistory: MAX_COUNT,
        });
      } else if (field === "popularitySkew" && value !== 0) {
        // Number.MAX_VALUE leaves every item but the most popular a weight of 0: one history
        // of one item is what such a shape can draw (see the report: larger ones never finish).
        const one = { ...tiny, minHistory: 1, medianHistory: 1, maxHistory: 1 };
        const data = generateWorkloadDataset({ ...one, popularitySkew: value as number });
        assertEquals(data.sequences.map((s) => s.length), [1, 1, 1, 1, 1, 1]);
      } else {
        // numItems 1 holds one cluster and histories of one item.
        const one = { clusters: 1, minHistory: 1, medianHistory: 1, maxHistory: 1 };
        const shape = field === "numItems" ? { ...tiny, ...one } : tiny;
        const data = generateWorkloadDataset({ ...shape, [field]: value });
        assertEquals(data.sequences.length, field === "numUsers" ? value : tiny.numUsers);
      }
    }
  }
});

Deno.test("KCoreConfig: k = 1 and the largest k that keeps some users are accepted, one more is not", () => {
  assertEquals(acceptedEnds("KCoreConfig").map(([field]) => field), ["k"]);
  // Three users over three items, each user every item: a 3-core keeps all of it.
  const dataset = tinyDataset([[0, 1, 2], [1, 2, 0], [2, 0, 1]], 3);
  assertEquals(kCoreFilter(dataset, { k: 1 }).numUsers, 3);
  assertEquals(kCoreFilter(dataset, { k: 3 }).numUsers, 3);
  const error = settingError(() => kCoreFilter(dataset, { k: 4 }));
  assertEquals([error.setting, error.value], ["KCoreConfig.k", 4]);
});

Deno.test("SampledNegativesConfig: count 1 and every user's unseen items, seed 0 and 2^31 - 1 are accepted", () => {
  const ends = new Map(acceptedEnds("SampledNegativesConfig"));
  assertEquals([...ends.keys()], ["count", "seed"]);
  // Each user has 4 distinct items of 9: 5 unseen.
  const split = leaveOneOutSplit(tinyDataset([[3, 1, 4, 1, 5], [2, 6, 5, 8]], 9), { maxLength: 3 });
  for (const count of [1, 5]) {
    const drawn = sampleEvaluationNegatives(split, { count, seed: 0 });
    assertEquals(drawn.negatives.map((row) => row.length), [count, count]);
  }
  // One more is refused before the draw: a SettingError naming the setting, the value, the range
  // up to the fewest unseen items, and the user who has them.
  const error = settingError(() => sampleEvaluationNegatives(split, { count: 6, seed: 0 }));
  assertEquals([error.setting, error.value], ["SampledNegativesConfig.count", 6]);
  assertEquals(
    error.message,
    "SampledNegativesConfig.count is 6; allowed: an integer >= 1 and <= 5 (sampled ranking: " +
      "user u0 (index 0) has only 5 unseen items, fewer than 6 negatives)",
  );
  for (const seed of ends.get("seed")!) {
    sampleEvaluationNegatives(split, { count: 1, seed: seed as number });
  }
  assertEquals(ends.get("seed"), [0, 2 ** 31 - 1]);
});
