/**
 * A user's own files read by `dense_features.ts`, `sequence_file.ts` and `recbole.ts`, where
 * mutation round RD found behaviour no test pinned: which first lines are headers (and what the
 * refusal advises and shows), which header words a sequence file knows, a repeated user without
 * items, and a RecBole base given as a folder with more than one trailing slash.
 */
import { assertEquals, assertThrows } from "@std/assert";
import type { DataError } from "../../lib/data/errors.ts";
import { readDenseFeatures } from "../../lib/data/import/dense_features.ts";
import { readSequenceFile } from "../../lib/data/import/sequence_file.ts";
import { readRecBoleAtomic } from "../../lib/data/import/recbole.ts";
import { assertDataError, importFixtures } from "./_import_fixtures.ts";

const { dir, write: fixture } = importFixtures("byod_readers_rd_gaps_");
const provenance = { source: "test", normalisation: "none" };
const dense = (text: string) => {
  const path = `${fixture({ ".txt": text })}.txt`;
  return { path, read: () => readDenseFeatures(path, ["a", "b"], { name: "image", provenance }) };
};

Deno.test("dense features: a header with one typed cell among plain ones gets RecBole's advice", () => {
  const { path, read } = dense("item_id:token price:float notes\na 1 2\n");
  assertDataError(read, path, 1, "item_id", "looks like a header line; RecBole's typed columns");
});

Deno.test("dense features: a signed infinity after an unknown id is no header word", () => {
  const { path, read } = dense("zz -inf 1\na 1 2\n");
  assertDataError(read, path, 1, "item_id", 'unknown item id "zz"');
  const plus = dense("zz +Infinity 1\na 1 2\n");
  assertDataError(plus.read, plus.path, 1, "item_id", 'unknown item id "zz"');
});

Deno.test("dense features: one word among numbers after an unknown id makes a header", () => {
  const { path, read } = dense("item_id v1 0\na 1 2\n");
  assertDataError(
    read,
    path,
    1,
    "item_id",
    "looks like a header line; a feature file has no header",
  );
});

Deno.test("dense features: the header shown is trimmed of leading spaces", () => {
  const { path, read } = dense("   item_id v1 v2\na 1 2\n");
  assertDataError(read, path, 1, "item_id", '"item_id v1 v2" looks like a header line');
});

Deno.test("sequence file: 'users' and 'UserID' start a header", () => {
  for (const header of ["users history", "UserID history"]) {
    const path = `${fixture({ ".txt": `${header}\nu1 a b\n` })}.txt`;
    assertDataError(() => readSequenceFile(path), path, 1, "user", "looks like a header line");
  }
});

Deno.test("sequence file: an item column 'item_id' makes a header, whatever the user column", () => {
  const path = `${fixture({ ".txt": "visitor item_id\nu1 a b\n" })}.txt`;
  assertDataError(() => readSequenceFile(path), path, 1, "user", "a sequence file has no header");
});

Deno.test("sequence file: items merely ending in 'item' on the first line are items", () => {
  const path = `${fixture({ ".txt": "u1 sword_item shield_items\nu2 sword_item\n" })}.txt`;
  const dataset = readSequenceFile(path);
  assertEquals(dataset.userIds, ["u1", "u2"]);
  assertEquals(dataset.itemIds, ["sword_item", "shield_items"]);
});

Deno.test("sequence file: a repeated user on a line without items is a duplicate user", () => {
  const path = `${fixture({ ".txt": "u1 a b c d e\nu1\n" })}.txt`;
  assertDataError(
    () => readSequenceFile(path),
    path,
    2,
    "user",
    'duplicate user "u1" (first on line 1)',
  );
});

Deno.test("recbole: a folder base with several trailing slashes names the base inside it", () => {
  Deno.mkdirSync(`${dir}/ml`);
  Deno.writeTextFileSync(`${dir}/ml/ml.inter`, "user_id:token\titem_id:token\nu1\ta\n");
  const base = `${dir}/ml//`;
  assertDataError(
    () => readRecBoleAtomic(base),
    `${base}.inter`,
    0,
    "file",
    `"${base}" is a folder: the base of its ${dir}/ml/ml.inter is "${dir}/ml/ml"`,
  );
});

Deno.test("dense features: an empty file with a width given is every item missing, not an error", () => {
  const path = `${fixture({ ".txt": "\n\n" })}.txt`;
  const modality = readDenseFeatures(path, ["a", "b"], { name: "image", dim: 2, provenance });
  assertEquals([modality.dim, [...modality.present], [...modality.values]], [2, [0, 0], [
    0,
    0,
    0,
    0,
  ]]);
});

Deno.test("sequence file: the interaction-file hint follows the first line of the repeated user only", () => {
  const path = `${fixture({ ".txt": "u1 a b c d e\nu2 a\nu1 b\n" })}.txt`;
  const error = assertThrows(() => readSequenceFile(path)) as DataError;
  assertEquals(error.detail, 'duplicate user "u1" (first on line 1)');
});

Deno.test("dense features: only the first row can be a header; a later wordy row is an unknown id", () => {
  const { path, read } = dense("a 1 2\nitem_id v1 v2\n");
  assertDataError(read, path, 2, "item_id", 'unknown item id "item_id"');
});
