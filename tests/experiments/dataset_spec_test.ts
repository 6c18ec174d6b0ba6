/** The label and canonical path of an imported dataset: its cells' keys and its data files. */
import { assertEquals, assertThrows } from "@std/assert";
import {
  canonicalDatasetSpec,
  checkDatasetSpec,
  datasetLabel,
  type DatasetSpec,
  type FileDatasetSpec,
  recboleBasePath,
} from "../../lib/experiments/dataset_spec.ts";
import { SettingError } from "../../lib/util/settings.ts";
import { assertSpecRefusals, type SpecRefusal } from "./_dataset_spec_refusals.ts";

Deno.test("datasetLabel: an imported dataset's own label, else its file name without extension", () => {
  const spec: FileDatasetSpec = { kind: "file", path: "data/tiny.inter", format: "recbole" };
  assertEquals(datasetLabel(spec), "tiny");
  assertEquals(datasetLabel({ ...spec, label: "mine" }), "mine");
  // A folder named with a trailing "/" (RecBole's data/ml-100k/) is labelled by its name: the
  // empty label stopped the run with "RecBoleReadOptions.name is \"\"", a setting nobody set,
  // before the reader could say that the path is a folder.
  assertEquals(datasetLabel({ ...spec, path: "data/ml-100k/" }), "ml-100k");
  assertEquals(datasetLabel({ ...spec, path: "data/ml-100k//", format: "sequence" }), "ml-100k");
});

Deno.test("canonicalDatasetSpec: only a RecBole path loses its .inter, and only at its end", () => {
  const recbole: FileDatasetSpec = { kind: "file", path: "a/tiny.inter", format: "recbole" };
  assertEquals(canonicalDatasetSpec(recbole).path, "a/tiny");
  // A sequence file's name is its own, whatever it ends in.
  const sequence: FileDatasetSpec = { kind: "file", path: "a/tiny.inter", format: "sequence" };
  assertEquals(canonicalDatasetSpec(sequence), sequence);
  // A folder whose name holds ".inter" keeps it.
  assertEquals(recboleBasePath("runs/my.internal/tiny.inter"), "runs/my.internal/tiny");
});

Deno.test("datasetLabel: a .csv or .tsv file's label drops its extension too", () => {
  for (const path of ["data/mine.csv", "data/mine.tsv", "data/mine.txt", "data/mine"]) {
    assertEquals(datasetLabel({ kind: "file", path, format: "sequence" }), "mine", path);
  }
});

Deno.test("checkDatasetSpec: a field of the wrong type, or a bad later feature file, names its field", () => {
  // A path, label or feature given as a number (a JSON spec, a notebook's object) passed, to fail
  // later naming nothing; a bad second feature file was named as the first.
  const base: FileDatasetSpec = { kind: "file", path: "mine.txt", format: "sequence" };
  const image = { name: "image", path: "img.txt" };
  const cases: SpecRefusal[] = [
    [{ ...base, path: 3 }, "FileDatasetSpec.path", 3],
    [{ kind: "file", format: "sequence" }, "FileDatasetSpec.path", undefined],
    [{ ...base, label: 5 }, "FileDatasetSpec.label", 5],
    // null (a JSON spec's "no value") is no label and no list of feature files.
    [{ ...base, label: null }, "FileDatasetSpec.label", null],
    [{ ...base, features: null }, "FileDatasetSpec.features", null],
    [
      { ...base, features: [image, { name: 7, path: "t.txt" }] },
      "FileDatasetSpec.features[1].name",
      7,
    ],
    [
      { ...base, features: [image, { name: "a=b", path: "t.txt" }] },
      "FileDatasetSpec.features[1].name",
      "a=b",
    ],
    [
      { ...base, features: [image, { name: "text" }] },
      "FileDatasetSpec.features[1].path",
      undefined,
    ],
    [
      { ...base, features: [image, { name: "text", path: "" }] },
      "FileDatasetSpec.features[1].path",
      "",
    ],
  ];
  assertSpecRefusals(cases);
  checkDatasetSpec({ ...base, features: [image, { name: "text", path: "t.txt" }], label: "m" });
});

Deno.test("datasetLabel drops only a final extension: an inner one is part of the name", () => {
  for (
    const [path, label] of [["data/mine.txt.gz", "mine.txt.gz"], ["data/v2.csv.bak", "v2.csv.bak"]]
  ) {
    assertEquals(datasetLabel({ kind: "file", path, format: "sequence" }), label, path);
  }
});

Deno.test("datasetLabel: a synthetic setting's value is written as JSON, a list of modalities too", () => {
  // The label is part of each result's key: "[object Object]" would give every choice of
  // modalities one key.
  const label = datasetLabel({
    kind: "synthetic",
    config: { seed: 3, modalities: [{ name: "image", dim: 4 }] },
  });
  assertEquals(label, 'Synthetic(modalities=[{"name":"image","dim":4}],seed=3)');
});

Deno.test("checkDatasetSpec: a synthetic spec's config must be an object of settings", () => {
  // Without one, the label (and so the plan) failed on a TypeError naming nothing; a string or a
  // list was labelled by its characters or entries ("Synthetic(0=\"a\",...)").
  for (const config of [undefined, null, "abc", [1], 5]) {
    const spec = { kind: "synthetic", ...(config === undefined ? {} : { config }) };
    const error = assertThrows(
      () => checkDatasetSpec(spec as unknown as DatasetSpec),
      SettingError,
    ) as SettingError;
    assertEquals(
      [error.setting, error.value],
      ["DatasetSpec.config", config],
      JSON.stringify(spec),
    );
  }
  checkDatasetSpec({ kind: "synthetic", config: {} });
  checkDatasetSpec({ kind: "synthetic", config: { noiseFraction: 0.25 } });
});

Deno.test("checkDatasetSpec: no spec at all is a SettingError naming the kind", () => {
  for (const spec of [null, undefined]) {
    const error = assertThrows(
      () => checkDatasetSpec(spec as unknown as DatasetSpec),
      SettingError,
    ) as SettingError;
    assertEquals([error.setting, error.value], ["DatasetSpec.kind", undefined]);
  }
});
