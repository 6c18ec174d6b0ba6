/** The label and canonical path of an imported dataset: its cells' keys and its data files. */
import { assertEquals } from "@std/assert";
import {
  canonicalDatasetSpec,
  datasetLabel,
  type FileDatasetSpec,
  recboleBasePath,
} from "../../lib/experiments/dataset_spec.ts";

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
