/**
 * The refusal table of `checkDatasetSpec` (lib/experiments/dataset_spec.ts): each spec is refused
 * with a `SettingError` naming its field and value, the spec named on failure. Shared by
 * dataset_spec_test.ts and dataset_spec_mutants54_test.ts.
 */
import { assertEquals, assertThrows } from "@std/assert";
import { checkDatasetSpec, type DatasetSpec } from "../../lib/experiments/dataset_spec.ts";
import { SettingError } from "../../lib/util/settings.ts";

/** One case: a spec as a caller may pass it, the setting the refusal names, and its value. */
export type SpecRefusal = [Record<string, unknown>, string, unknown];

/** Asserts that every spec of `cases` is refused naming its setting and value. */
export function assertSpecRefusals(cases: readonly SpecRefusal[]): void {
  for (const [spec, setting, value] of cases) {
    const error = assertThrows(
      () => checkDatasetSpec(spec as unknown as DatasetSpec),
      SettingError,
    ) as SettingError;
    assertEquals([error.setting, error.value], [setting, value], JSON.stringify(spec));
  }
}
