/**
 * What writeRecBoleAtomic refuses because readRecBoleAtomic would read the files back as other
 * data: a user without interactions (gone), an id the reader refuses, two users or items of one
 * id, multi-hot vocabulary entries that the written files cannot keep apart (two written as one
 * token, or an empty one), and a timestamp or feature value that is not finite.
 * Only a dataset built in code can hold these (every reader refuses them). Each refusal names the
 * file, line, field and value, and leaves the folder as it was.
 */
import { assert, assertEquals, assertThrows } from "@std/assert";
import { attachModality } from "../../lib/data/import/dense_features.ts";
import { readRecBoleAtomic } from "../../lib/data/import/recbole.ts";
import { readSequenceFile } from "../../lib/data/import/sequence_file.ts";
import { writeRecBoleAtomic } from "../../lib/data/import/write_recbole.ts";
import type { InteractionDataset, ModalityFeatures } from "../../lib/data/types.ts";
import { importFixtures } from "./_import_fixtures.ts";

const { dir, write: fixture } = importFixtures("write_recbole_refusals_test_");

/** Three users (u2 in the middle) and three items; c is in no history. */
function threeUsers(): InteractionDataset {
  const dataset = readSequenceFile(`${fixture({ ".txt": "u1 a b\nu2 b\nu3 a\n" })}.txt`);
  return { ...dataset, itemIds: [...dataset.itemIds, "c"], numItems: dataset.numItems + 1 };
}

/** Every entry of `folder` with its content: what a refusal must leave as it was. */
function snapshot(folder: string): [string, string][] {
  return [...Deno.readDirSync(folder)]
    .map((
      entry,
    ): [string, string] => [entry.name, Deno.readTextFileSync(`${folder}/${entry.name}`)])
    .sort(([a], [b]) => a.localeCompare(b));
}

/**
 * Asserts that writing `dataset` over an earlier export is refused at `where` (`.inter:4: field
 * "user_id:token"`), with each of `details` in the message, and that the folder is unchanged:
 * the earlier files kept, no new file and no temporary left.
 */
function refusedAt(dataset: InteractionDataset, where: string, details: string[]): void {
  const folder = Deno.makeTempDirSync({ dir, prefix: "refusal_" });
  const out = `${folder}/export`;
  writeRecBoleAtomic(threeUsers(), out);
  const before = snapshot(folder);
  const error = assertThrows(() => writeRecBoleAtomic(dataset, out));
  assert(error instanceof Error, `${error}`);
  assert(error.message.includes(`${out}${where}`), error.message);
  for (const detail of details) assert(error.message.includes(detail), error.message);
  assert(error.message.endsWith("nothing was written"), error.message);
  assertEquals(snapshot(folder), before);
}

/** `dataset` with a multi-hot modality "genre" over `vocabulary`: `rows[item]` its columns. */
function withGenre(vocabulary: string[], rows: number[][]): InteractionDataset {
  const dataset = threeUsers();
  const dim = vocabulary.length;
  const values = new Float32Array(rows.length * dim);
  rows.forEach((columns, item) => columns.forEach((column) => values[item * dim + column] = 1));
  const genre: ModalityFeatures = {
    name: "genre",
    kind: "multi_hot",
    dim,
    values,
    present: Uint8Array.from(rows, (columns) => columns.length > 0 ? 1 : 0),
    vocabulary,
    provenance: { source: "test", normalisation: "none" },
  };
  return attachModality(dataset, genre, "genre");
}

Deno.test("writeRecBoleAtomic refuses a user without interactions, who would be gone when read back", () => {
  const dataset = threeUsers();
  const empty = { ...dataset, sequences: dataset.sequences.with(1, new Int32Array(0)) };
  // u1's rows are lines 2 and 3: u2's would start at line 4. Written, the files held u1 and u3.
  refusedAt(empty, '.inter:4: field "user_id:token"', ['"u2" has no interactions', "2 users"]);
});

Deno.test("writeRecBoleAtomic refuses an id that readRecBoleAtomic refuses, with the reader's reason", () => {
  const users = (id: string) => ({ ...threeUsers(), userIds: ["u1", id, "u3"] });
  // Each was written without a word and refused (or read as another id) by readRecBoleAtomic.
  refusedAt(users(""), '.inter:4: field "user_id:token"', ['""', "empty id"]);
  refusedAt(users("u2 "), '.inter:4: field "user_id:token"', [
    '"u2 "',
    '"u2" ends with whitespace U+0020',
  ]);
  refusedAt(users("\tu2"), '.inter:4: field "user_id:token"', ["holds a tab or line break"]);
  refusedAt(users("u\v2"), '.inter:4: field "user_id:token"', ["U+000B (vertical tab)"]);
  refusedAt(users("u\f2"), '.inter:4: field "user_id:token"', ["U+000C (form feed)"]);
  // An item id in a history is refused at its first .inter row; one in no history at its .item row.
  const items = (ids: string[]) => ({ ...threeUsers(), itemIds: ids });
  refusedAt(items([" a", "b", "c"]), '.inter:2: field "item_id:token"', [
    '" a"',
    '"a" starts with whitespace U+0020',
  ]);
  refusedAt(items(["a", "b", " "]), '.item:4: field "item_id:token"', ['" "', "empty id"]);
});

Deno.test("writeRecBoleAtomic refuses vocabulary entries written as one token, which would merge", () => {
  // Items a and b; c has no genre. "a b" is written a_b (spaces become _), as is "a_b".
  refusedAt(withGenre(["a b", "a_b"], [[0], [1], []]), '.item:3: field "genre:token_seq"', [
    '"a_b"',
    '"a b"',
    'modality "genre"',
    'item "b"',
    "one entry",
  ]);
  // An entry that no item holds is not written, so it cannot merge: written and read back.
  const out = fixture({});
  writeRecBoleAtomic(withGenre(["a b", "a_b", "x"], [[0], [0, 2], []]), out);
  assertEquals(readRecBoleAtomic(out).modalities[1].vocabulary, ["a_b", "x"]);
});

Deno.test("writeRecBoleAtomic refuses an empty vocabulary entry, which would disappear", () => {
  // Item a's cell was written "x", item b's "" (read back as b without the modality).
  refusedAt(withGenre(["", "x"], [[0, 1], [0], []]), '.item:2: field "genre:token_seq"', [
    'modality "genre"',
    'item "a"',
    "empty",
  ]);
});

Deno.test("writeRecBoleAtomic refuses a repeated user or item id, which would merge or be refused", () => {
  // Read back, the two u1's rows were one history (readRecBoleAtomic groups rows by user id).
  refusedAt({ ...threeUsers(), userIds: ["u1", "u2", "u1"] }, '.inter:5: field "user_id:token"', [
    '"u1" is also the id of user 0',
    "one user",
  ]);
  // Read back, the .item was refused (duplicate item id); an .inter alone merged the two items.
  refusedAt({ ...threeUsers(), itemIds: ["a", "b", "a"] }, '.item:4: field "item_id:token"', [
    '"a" is also the id of item 0',
    "duplicate item id",
  ]);
});

Deno.test("writeRecBoleAtomic refuses a timestamp or feature value that is not finite", () => {
  const dataset = threeUsers();
  // Written "NaN" or "Infinity", each was refused by readRecBoleAtomic (not a finite number).
  const times = [Float64Array.of(1, 2), Float64Array.of(NaN), Float64Array.of(3)];
  refusedAt({ ...dataset, timestamps: times }, '.inter:4: field "timestamp:float"', [
    '"NaN"',
    "not a finite number",
  ]);
  const image: ModalityFeatures = {
    name: "image",
    kind: "dense",
    dim: 2,
    values: Float32Array.of(1, 2, 3, -Infinity, 0, 0),
    present: Uint8Array.of(1, 1, 0),
    provenance: { source: "test", normalisation: "none" },
  };
  refusedAt(attachModality(dataset, image, "image"), '.item:3: field "image:float_seq[1]"', [
    '"-Infinity"',
    "not a finite number",
  ]);
});

Deno.test("writeRecBoleAtomic refuses timestamps missing or not one per interaction", () => {
  const dataset = threeUsers();
  // The sequence position stood in for the missing times, mixed with u1's and u3's real times.
  const short = [Float64Array.of(1, 2), new Float64Array(0), Float64Array.of(3)];
  refusedAt({ ...dataset, timestamps: short }, '.inter:4: field "timestamp:float"', [
    '"u2"',
    "0 timestamps for 1 interactions",
  ]);
  const missing = [Float64Array.of(1, 2)];
  refusedAt({ ...dataset, timestamps: missing }, '.inter:4: field "timestamp:float"', [
    '"u2"',
    "no timestamps for 1 interactions",
  ]);
  const long = [Float64Array.of(1, 2, 5), Float64Array.of(4), Float64Array.of(3)];
  refusedAt({ ...dataset, timestamps: long }, '.inter:2: field "timestamp:float"', [
    '"u1"',
    "3 timestamps for 2 interactions",
  ]);
});

Deno.test("writeRecBoleAtomic refuses an item index outside the dataset's item ids", () => {
  const dataset = threeUsers();
  for (const bad of [3, -1]) {
    const sequences = [dataset.sequences[0], Int32Array.of(bad), dataset.sequences[2]];
    refusedAt({ ...dataset, sequences }, '.inter:4: field "item_id:token"', [
      `"${bad}"`,
      "item index outside the dataset's 3 item ids (0 .. 2)",
    ]);
  }
});
