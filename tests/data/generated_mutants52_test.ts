/**
 * Gaps found by hand mutation testing (session 52) of lib/data/generated.ts: the bounds of a
 * generated dataset's user and item counts and of its feature size, at both ends.
 */
import { assertEquals } from "@std/assert";
import {
  checkGeneratedCount,
  checkGeneratedFeatureDim,
  checkGeneratedModalityName,
  MAX_GENERATED_LIST_LENGTH,
} from "../../lib/data/generated.ts";
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

Deno.test("checkGeneratedFeatureDim: numItems * dim may reach 2^31 - 1, never pass it", () => {
  // 3 * 715827882 = 2^31 - 2 fits; 3 * 715827883 = 2^31 + 1 does not (the bound rounds down).
  checkGeneratedFeatureDim("SyntheticConfig.modalities[0].dim", 715827882, 3);
  const error = settingError(() =>
    checkGeneratedFeatureDim("SyntheticConfig.modalities[0].dim", 715827883, 3)
  );
  assertEquals([error.setting, error.value], ["SyntheticConfig.modalities[0].dim", 715827883]);
});

Deno.test('checkGeneratedModalityName: "id", an empty name and a repeat are refused; a new name is kept', () => {
  // "id" is the learned item embedding every dataset gets first: a second "id" would be two.
  const taken = new Set<string>();
  for (const name of ["id", ""]) {
    const error = settingError(() => checkGeneratedModalityName("m[0].name", name, taken));
    assertEquals([error.setting, error.value], ["m[0].name", name]);
  }
  checkGeneratedModalityName("m[0].name", "text", taken);
  assertEquals([...taken], ["text"]);
  const error = settingError(() => checkGeneratedModalityName("m[1].name", "text", taken));
  assertEquals([error.setting, error.value], ["m[1].name", "text"]);
});
