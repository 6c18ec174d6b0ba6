/**
 * Gaps found by hand mutation testing (session 52) of lib/data/generated.ts: the bounds of a
 * generated dataset's user and item counts, at both ends.
 */
import { assertEquals } from "@std/assert";
import { checkGeneratedCount, MAX_GENERATED_LIST_LENGTH } from "../../lib/data/generated.ts";
import { settingError } from "../_setting_error.ts";

Deno.test("checkGeneratedCount: 1 to 2^27 are taken; 0 and 2^27 + 1 are refused, naming the range", () => {
  assertEquals(MAX_GENERATED_LIST_LENGTH, 2 ** 27);
  checkGeneratedCount("WorkloadConfig.numUsers", 1, "user");
  checkGeneratedCount("WorkloadConfig.numUsers", 2 ** 27, "user");
  for (const value of [0, 2 ** 27 + 1]) {
    const error = settingError(() => checkGeneratedCount("WorkloadConfig.numUsers", value, "user"));
    assertEquals(error.setting, "WorkloadConfig.numUsers");
    assertEquals(error.value, value);
  }
});
