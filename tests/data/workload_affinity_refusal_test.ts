/**
 * `clusterAffinity: 1` with histories longer than the smallest cluster: every item of a history
 * comes from its user's cluster without repeats, so such a history never finished (found by the
 * settings audit of session 48: numItems 10, clusters 2, maxHistory 8 hung). Now a SettingError
 * naming maxHistory and the bound; at the bound it still finishes.
 */
import { assertEquals, assertStringIncludes } from "@std/assert";
import { generateWorkloadDataset } from "../../lib/data/workload_shape.ts";
import { settingError } from "../_setting_error.ts";

const tiny = {
  numUsers: 20,
  numItems: 11, // clusters of 6 ([0, 2, ..., 10]) and 5 ([1, 3, ..., 9])
  clusters: 2,
  clusterAffinity: 1,
  minHistory: 1,
  medianHistory: 3,
  modalities: [],
};

Deno.test("workload: clusterAffinity 1 refuses a maxHistory above the smallest cluster", () => {
  const error = settingError(() => generateWorkloadDataset({ ...tiny, maxHistory: 6 }));
  assertEquals(error.setting, "workload.maxHistory");
  assertEquals(error.value, 6);
  assertStringIncludes(error.message, "an integer <= 5 (the smallest cluster's items");
});

Deno.test("workload: clusterAffinity 1 at the smallest cluster's size, or below 1 above it, finishes", () => {
  const atBound = generateWorkloadDataset({ ...tiny, maxHistory: 5, historySpread: 3 });
  assertEquals(atBound.sequences.length, 20);
  // Below affinity 1 an item may come from anywhere: a history longer than a cluster can finish.
  const mixed = generateWorkloadDataset({ ...tiny, clusterAffinity: 0.9, maxHistory: 8 });
  assertEquals(mixed.sequences.length, 20);
});
