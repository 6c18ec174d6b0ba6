/**
 * The dataset specs (lib/experiments/dataset_spec.ts) where mutation round MD found behaviour no
 * test pinned: the order in which a refused kind's error lists the allowed ones.
 */
import { assertEquals, assertThrows } from "@std/assert";
import {
  checkDatasetSpec,
  DATASET_KINDS,
  type DatasetSpec,
} from "../../lib/experiments/dataset_spec.ts";
import { SettingError } from "../../lib/util/settings.ts";

Deno.test("checkDatasetSpec: an unknown kind lists the allowed ones, MovieLens (the default) first", () => {
  // Found by mutation round MD (MD22): the same list names the allowed values of
  // RunPlanOptions.firstDataset and CellSelection.dataset.
  assertEquals(DATASET_KINDS, ["movielens", "synthetic", "file"]);
  const error = assertThrows(
    () => checkDatasetSpec({ kind: "MovieLens" } as unknown as DatasetSpec),
    SettingError,
  ) as SettingError;
  assertEquals([error.setting, error.value], ["DatasetSpec.kind", "MovieLens"]);
  assertEquals(
    error.message,
    'DatasetSpec.kind is "MovieLens"; allowed: one of "movielens", "synthetic", "file"',
  );
});
