/**
 * readDenseFeatures behaviour that mutation round 53 found unpinned: a provenance given as a
 * list is refused as a setting, like null (the dataset card would show no source); the "quoted?"
 * hint on an unknown item id is for an id in quotes at both ends, not one that only starts with one.
 */
import { assert, assertEquals, assertThrows } from "@std/assert";
import { DataError } from "../../lib/data/errors.ts";
import { readDenseFeatures } from "../../lib/data/import/dense_features.ts";
import { SettingError } from "../../lib/util/settings.ts";
import type { FeatureProvenance } from "../../lib/data/types.ts";
import { importFixtures } from "./_import_fixtures.ts";

const { write: fixture } = importFixtures("dense_features_mutants53_test_");

Deno.test("readDenseFeatures refuses a provenance that is a list, naming the setting", () => {
  const path = `${fixture({ ".vec": "a 0.5\nb 1.5\n" })}.vec`;
  const provenance = ["test", "none"] as unknown as FeatureProvenance;
  const error = assertThrows(
    () => readDenseFeatures(path, ["a", "b"], { name: "image", provenance }),
    SettingError,
  );
  assertEquals((error as SettingError).setting, "DenseFeatureConfig.provenance");
});

Deno.test("readDenseFeatures: an unknown id that only starts with a quote gets no quoted-id hint", () => {
  const provenance = { source: "test", normalisation: "none" };
  for (const id of ['"a', '"']) {
    const path = `${fixture({ ".vec": `a 0.5\n${id} 1.5\n` })}.vec`;
    const error = assertThrows(() =>
      readDenseFeatures(path, ["a", "b"], { name: "image", provenance })
    );
    assert(error instanceof DataError, `${error}`);
    assertEquals([error.line, error.field], [2, "item_id"]);
    assert(error.detail.startsWith(`unknown item id "${id}" (not in the dataset's interactions)`));
  }
});
