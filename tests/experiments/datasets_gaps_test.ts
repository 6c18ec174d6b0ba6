/**
 * readDatasetFile (lib/experiments/datasets.ts) where mutation round JE found behaviour no test
 * pinned: the dataset read is named by the spec's label (the statistics card's "dataset" row),
 * whatever the format, and a sequence file without feature files says so in its preprocessing.
 */
import { assert, assertEquals } from "@std/assert";
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

Deno.test("readDatasetFile attaches feature files as modalities in the spec's order", () => {
  const image = `${FIXTURES}tiny_image.txt`;
  const dataset = readDatasetFile({
    kind: "file",
    path: `${FIXTURES}tiny.txt`,
    format: "sequence",
    features: [{ name: "image", path: image }, { name: "text", path: image }],
  });
  assertEquals(dataset.modalities.map((modality) => modality.name), ["id", "image", "text"]);
});

Deno.test("RecBole files named by their .inter without an .item: the note names the base's .item", () => {
  const dir = Deno.makeTempDirSync({ prefix: "datasets_gaps_" });
  try {
    Deno.copyFileSync(`${FIXTURES}tiny.inter`, `${dir}/tiny.inter`);
    const dataset = readDatasetFile({ kind: "file", path: `${dir}/tiny.inter`, format: "recbole" });
    const note = dataset.metadata.preprocessing.at(-1)!;
    assert(note.startsWith(`no ${dir}/tiny.item file and no feature file: `), note);
  } finally {
    Deno.removeSync(dir, { recursive: true });
  }
});
