/**
 * Batcher settings the other batcher tests leave open. Found by mutation round OC (OC42).
 */
import { assertEquals, assertThrows } from "@std/assert";
import {
  type BatcherConfig,
  trainingBatchCount,
  trainingBatches,
} from "../../lib/data/protocol/batcher.ts";
import { SettingError } from "../../lib/util/settings.ts";
import { cycleDataset, leaveOneOut } from "../models/_fixtures.ts";

const split = leaveOneOut(cycleDataset(4, 30, 9), 3);

Deno.test("BatcherConfig.windows: an empty string is refused by name, not read as every window", () => {
  // Only undefined means the default: "" (e.g. an empty field of a settings file) was skipped by
  // a truthiness test and trained on every window.
  const config = { batchSize: 2, seed: 0, shuffle: true, windows: "" } as unknown as BatcherConfig;
  for (
    const call of [() => trainingBatches(split, 0, config), () => trainingBatchCount(split, config)]
  ) {
    const error = assertThrows(call, SettingError, '""') as SettingError;
    assertEquals(error.setting, "BatcherConfig.windows");
  }
});
