/**
 * readDatasetFile (lib/experiments/datasets.ts) where mutation round JE found behaviour no test
 * pinned: the dataset read is named by the spec's label (the statistics card's "dataset" row),
 * whatever the format, and a sequence file without feature files says so in its preprocessing.
 */
import { assertEquals } from "@std/assert";
import { readDatasetFile } from "../../lib/experiments/datasets.ts";

const FIXTURES = new URL("../fixtures/byo/", import.meta.url).pathname;

Deno.test("readDatasetFile names the dataset by the spec's label, for a sequence file and RecBole files", () => {
  const sequence = `${FIXTURES}tiny.txt`;
  assertEquals(readDatasetFile({ kind: "file", path: sequence, format: "sequence" }).name, "tiny");
  assertEquals(
    readDatasetFile({ kind: "file", path: sequence, format: "sequence", label: "Mine" }).name,
    "Mine",
  );
  const recbole = `${FIXTURES}tiny.inter`;
  assertEquals(
    readDatasetFile({ kind: "file", path: recbole, format: "recbole", label: "Mine" }).name,
    "Mine",
  );
});

Deno.test("a sequence file read without feature files says it has no content modality", () => {
  const dataset = readDatasetFile({
    kind: "file",
    path: `${FIXTURES}tiny.txt`,
    format: "sequence",
  });
  assertEquals(
    dataset.metadata.preprocessing.at(-1),
    "no feature file: no content modality, only the learned item id (every multi-modal system " +
      "sees the id alone)",
  );
});
