/**
 * `checkDatasetSpec`, `canonicalDatasetSpec` and `datasetLabel` (lib/experiments/dataset_spec.ts),
 * pinned where mutation round 54 found no test: each refusal of a spec the library would misread
 * (a name the kind does not have, an empty path, feature name or label, an unknown format), the
 * RecBole format accepted, a base path returned as the same object, and the default synthetic
 * label.
 */
import { assert, assertEquals } from "@std/assert";
import {
  canonicalDatasetSpec,
  checkDatasetSpec,
  datasetLabel,
  type FileDatasetSpec,
} from "../../lib/experiments/dataset_spec.ts";
import { assertSpecRefusals, type SpecRefusal } from "./_dataset_spec_refusals.ts";

Deno.test("checkDatasetSpec refuses a name the kind does not have, an empty field and an unknown format, by field", () => {
  const base: FileDatasetSpec = { kind: "file", path: "mine.txt", format: "sequence" };
  const cases: SpecRefusal[] = [
    [{ kind: "movielens", config: {} }, "DatasetSpec.config", {}],
    [{ kind: "synthetic", config: {}, path: "x" }, "DatasetSpec.path", "x"],
    [{ ...base, featurs: [] }, "FileDatasetSpec.featurs", []],
    [{ ...base, path: "" }, "FileDatasetSpec.path", ""],
    [{ ...base, format: "csv" }, "FileDatasetSpec.format", "csv"],
    [{ ...base, label: "" }, "FileDatasetSpec.label", ""],
    [{ ...base, features: [{ name: "", path: "t.txt" }] }, "FileDatasetSpec.features[0].name", ""],
    [
      { ...base, features: [{ name: "text", path: "t.txt", dim: 4 }] },
      "FileDatasetSpec.features[0].dim",
      4,
    ],
  ];
  assertSpecRefusals(cases);
});

Deno.test("checkDatasetSpec accepts both file formats, and the other kinds as given", () => {
  for (const format of ["sequence", "recbole"] as const) {
    checkDatasetSpec({ kind: "file", path: "data/mine", format });
  }
  checkDatasetSpec({ kind: "movielens" });
  checkDatasetSpec({ kind: "synthetic", config: { numUsers: 40 } });
});

Deno.test("canonicalDatasetSpec returns a RecBole base path's spec as the same object", () => {
  const spec: FileDatasetSpec = { kind: "file", path: "data/tiny", format: "recbole" };
  assert(canonicalDatasetSpec(spec) === spec);
});

Deno.test("datasetLabel: the synthetic benchmark with its default settings is 'Synthetic'", () => {
  assertEquals(datasetLabel({ kind: "synthetic", config: {} }), "Synthetic");
  assertEquals(datasetLabel({ kind: "movielens" }), "MovieLens");
});
