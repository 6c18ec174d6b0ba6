/**
 * writeRecBoleAtomic behaviour that mutation round 53 found unpinned: a timestamp past 2^53 is
 * written with its exact digits and reads back as itself (the shortest digits of String, e.g.
 * 1700000000000000300 for 1700000000000000256, are refused by readRecBoleAtomic); a modality name
 * holding a carriage return, or with whitespace at an end, is refused, naming why, with nothing
 * written (the header would read back split, or as another name); a modality named item_id is
 * refused as the id column's name; every modality but the learned id is exported, wherever the
 * id modality stands in the list.
 */
import { assertEquals, assertStringIncludes, assertThrows } from "@std/assert";
import { readRecBoleAtomic } from "../../lib/data/import/recbole.ts";
import { readSequenceFile } from "../../lib/data/import/sequence_file.ts";
import { writeRecBoleAtomic } from "../../lib/data/import/write_recbole.ts";
import type { InteractionDataset, ModalityFeatures } from "../../lib/data/types.ts";
import { importFixtures } from "./_import_fixtures.ts";

const { dir, write: fixture } = importFixtures("write_recbole_mutants53_test_");

/** Two users over the items a and b. */
function twoUsers(): InteractionDataset {
  return readSequenceFile(`${fixture({ ".txt": "u1 a b\nu2 b\n" })}.txt`);
}

/** `dataset` with a one-wide dense modality called `name` that both items hold. */
function withDense(dataset: InteractionDataset, name: string): InteractionDataset {
  const modality: ModalityFeatures = {
    name,
    kind: "dense",
    dim: 1,
    values: Float32Array.of(0.5, 1.5),
    present: Uint8Array.of(1, 1),
    provenance: { source: "test", normalisation: "none" },
  };
  return { ...dataset, modalities: [...dataset.modalities, modality] };
}

Deno.test("writeRecBoleAtomic writes a timestamp past 2^53 with its exact digits, read back as itself", () => {
  const big = 1700000000000000256;
  const times = [Float64Array.of(big, big + 1024), Float64Array.of(2 ** 66)];
  const out = `${Deno.makeTempDirSync({ dir })}/export`;
  writeRecBoleAtomic({ ...twoUsers(), timestamps: times }, out);
  const inter = Deno.readTextFileSync(`${out}.inter`);
  assertStringIncludes(inter, "u1\ta\t1700000000000000256\n");
  assertStringIncludes(inter, "u2\tb\t73786976294838206464\n");
  assertEquals(readRecBoleAtomic(out).timestamps?.map((t) => [...t]), times.map((t) => [...t]));
});

Deno.test("writeRecBoleAtomic refuses a modality name with a carriage return or whitespace at an end", () => {
  const cases: [string, string][] = [
    ["im\rage", "holds a tab or line break"],
    [" image", "is empty or has whitespace at either end"],
    ["item_id", "is the name of the id column (item_id:token)"],
    ["image\t", "holds a tab or line break"],
  ];
  for (const [name, reason] of cases) {
    const folder = Deno.makeTempDirSync({ dir });
    const error = assertThrows(() =>
      writeRecBoleAtomic(withDense(twoUsers(), name), `${folder}/x`)
    );
    assertStringIncludes(error.message, `${folder}/x.item:1: field "`);
    assertStringIncludes(error.message, reason);
    assertEquals([...Deno.readDirSync(folder)], []);
  }
});

Deno.test("writeRecBoleAtomic exports a feature modality listed before the id modality", () => {
  const dataset = withDense(twoUsers(), "image");
  const reordered = { ...dataset, modalities: [...dataset.modalities].reverse() };
  const out = `${Deno.makeTempDirSync({ dir })}/export`;
  writeRecBoleAtomic(reordered, out);
  assertEquals(
    Deno.readTextFileSync(`${out}.item`),
    "item_id:token\timage:float_seq\na\t0.5\nb\t1.5\n",
  );
});
