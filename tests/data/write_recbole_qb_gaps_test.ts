/**
 * Edges of writeRecBoleAtomic that mutation round QB found no test pinned: an earlier export is
 * replaced, not overwritten in place (a reader holding it open keeps the whole old file); a
 * timestamp keeps its full (float64) precision through a write and a read; a value that is only a
 * double quote is refused; and only the items that hold a multi-hot modality have their
 * vocabulary entries checked (values of an item without it are not written).
 */
import { assertEquals, assertStringIncludes, assertThrows } from "@std/assert";
import { attachModality } from "../../lib/data/import/dense_features.ts";
import { readRecBoleAtomic } from "../../lib/data/import/recbole.ts";
import { readSequenceFile } from "../../lib/data/import/sequence_file.ts";
import { writeRecBoleAtomic } from "../../lib/data/import/write_recbole.ts";
import type { InteractionDataset, ModalityFeatures } from "../../lib/data/types.ts";
import { importFixtures } from "./_import_fixtures.ts";

const { dir, write: fixture } = importFixtures("write_recbole_qb_gaps_");

/** Users u1 (a b) and u2 (b); items a, b. */
function twoUsers(): InteractionDataset {
  return readSequenceFile(`${fixture({ ".txt": "u1 a b\nu2 b\n" })}.txt`);
}

Deno.test("writeRecBoleAtomic replaces an earlier export: a reader holding it open reads the old file whole", () => {
  const out = `${Deno.makeTempDirSync({ dir })}/export`;
  writeRecBoleAtomic(twoUsers(), out);
  const before = Deno.readTextFileSync(`${out}.inter`);
  const held = Deno.openSync(`${out}.inter`, { read: true });
  try {
    const other = { ...twoUsers(), userIds: ["longer_user_1", "longer_user_2"] };
    writeRecBoleAtomic(other, out);
    // Written in place, the open file would now hold the new rows (or a truncated mix).
    const buffer = new Uint8Array(4096);
    const n = held.readSync(buffer) ?? 0;
    assertEquals(new TextDecoder().decode(buffer.subarray(0, n)), before);
  } finally {
    held.close();
  }
  assertStringIncludes(Deno.readTextFileSync(`${out}.inter`), "longer_user_1\ta\t0\n");
});

Deno.test("writeRecBoleAtomic keeps a timestamp's full precision through a write and a read", () => {
  const dataset = twoUsers();
  const times = [Float64Array.of(1700000000.123456, 1700000001.654321), Float64Array.of(0.1)];
  const out = `${Deno.makeTempDirSync({ dir })}/export`;
  writeRecBoleAtomic({ ...dataset, timestamps: times }, out);
  const back = readRecBoleAtomic(out);
  assertEquals(back.timestamps?.map((t) => [...t]), times.map((t) => [...t]));
});

Deno.test("writeRecBoleAtomic refuses an id that is only a double quote", () => {
  const out = `${Deno.makeTempDirSync({ dir })}/export`;
  const dataset = { ...twoUsers(), itemIds: ["a", '"'] };
  const error = assertThrows(() => writeRecBoleAtomic(dataset, out));
  assertStringIncludes(
    error.message,
    `${out}.inter:3: field "item_id:token": "\\"" starts with a double quote`,
  );
  // Nothing written, no temporary left.
  assertEquals([...Deno.readDirSync(out.slice(0, out.lastIndexOf("/")))], []);
});

Deno.test("writeRecBoleAtomic checks the vocabulary only of items that hold the modality", () => {
  const dataset = twoUsers();
  // Item b lacks "genre" but its row holds stale values on entries "x y" and "x_y" (one token
  // when written): they are not written, so they are not refused.
  const genre: ModalityFeatures = {
    name: "genre",
    kind: "multi_hot",
    dim: 3,
    values: Float32Array.of(0, 0, 1, 1, 1, 0),
    present: Uint8Array.of(1, 0),
    vocabulary: ["x y", "x_y", "z"],
    provenance: { source: "test", normalisation: "none" },
  };
  const out = `${Deno.makeTempDirSync({ dir })}/export`;
  writeRecBoleAtomic(attachModality(dataset, genre, "genre"), out);
  assertEquals(Deno.readTextFileSync(`${out}.item`), "item_id:token\tgenre:token_seq\na\tz\nb\t\n");
});
