/**
 * A user's own RecBole files as `_recbole_atomic_table.ts` and `_recbole_inter_reader.ts` read
 * them, where mutation round QA (a third pass) found behaviour no test pinned: which refusal a
 * header cell gets, which file, line and field each error names, and which of two errors on one
 * row or file comes first.
 */
import { assertEquals } from "@std/assert";
import { readRecBoleAtomic } from "../../lib/data/import/recbole.ts";
import { assertDataError, importFixtures } from "./_import_fixtures.ts";

const { write: fixture } = importFixtures("recbole_readers_qa_gaps_");

Deno.test("a tab-separated header's last cell of a typed cell and an untyped one joined by a space is named space-joined", () => {
  // "token timestamp" is not a type: the cell is two cells joined by a space, not a bad type.
  const base = fixture({ ".inter": "user_id:token\titem_id:token timestamp\nu1\ta 1\n" });
  assertDataError(
    () => readRecBoleAtomic(base),
    `${base}.inter`,
    1,
    "item_id:token timestamp",
    "header cell holds name:type cells separated by spaces",
  );
});

Deno.test("a header cell's stray spaces are not in the field of its joined-cells or unit refusal", () => {
  const joined = fixture({ ".inter": "user_id:token\t item_id:token timestamp:float\nu1\ta\n" });
  assertDataError(
    () => readRecBoleAtomic(joined),
    `${joined}.inter`,
    1,
    "item_id:token timestamp:float",
    "separated by spaces",
  );
  const unit = fixture({
    ".inter": "user_id:token\titem_id:token\t timestamp:float:ms\nu1\ta\t1\n",
  });
  assertDataError(
    () => readRecBoleAtomic(unit),
    `${unit}.inter`,
    1,
    "timestamp:float:ms",
    '":ms" after the type is not read',
  );
});

Deno.test("a column name given twice with two types is a duplicate, named at its second cell and the header's own line", () => {
  const base = fixture({
    ".inter": "\n\nuser_id:token\titem_id:token\titem_id:float\nu1\ta\t1\n",
  });
  assertDataError(
    () => readRecBoleAtomic(base),
    `${base}.inter`,
    3,
    "item_id:float",
    "duplicate column",
  );
});

Deno.test("a repeated header, or one with its columns in another order, names the header's own line after blank lines", () => {
  const header = "user_id:token\titem_id:token";
  const repeated = fixture({ ".inter": `\n${header}\nu1\ta\n${header}\n` });
  assertDataError(
    () => readRecBoleAtomic(repeated),
    `${repeated}.inter`,
    4,
    "user_id:token",
    "repeats the header of line 2 (remove it)",
  );
  const reordered = fixture({ ".inter": `\n\n${header}\nu1\ta\nitem_id:token\tuser_id:token\n` });
  assertDataError(
    () => readRecBoleAtomic(reordered),
    `${reordered}.inter`,
    5,
    "user_id:token",
    `is a header line (name:type cells), not a row: the header is line 3's "${header}"`,
  );
});

Deno.test("a row whose cells only look like name:type (a space in the name, more after the type) is a row", () => {
  // RecBole reads such a row as values: ids may hold spaces and colons.
  const base = fixture({
    ".inter": "user_id:token\titem_id:token\nu 1:token\ta b:float\nu2:tokens\tc:floaty\n",
  });
  const dataset = readRecBoleAtomic(base);
  assertEquals(dataset.itemIds, ["a b:float", "c:floaty"]);
  assertEquals(dataset.numUsers, 2);
});

Deno.test("a missing column is named at the header's own line after blank lines", () => {
  const base = fixture({ ".inter": "\n\nuser_id:token\titem:token\nu1\ta\n" });
  assertDataError(
    () => readRecBoleAtomic(base),
    `${base}.inter`,
    3,
    "item_id:token",
    "missing column (the header has user_id:token, item:token)",
  );
});

Deno.test("a token's stray or control whitespace is named by the character itself", () => {
  const cases: [string, string][] = [
    ["u\v1", "whitespace U+000B"],
    ["\u00a0u1", '"u1" starts with whitespace U+00A0'],
    ["u1\u00a0", '"u1" ends with whitespace U+00A0'],
    [" u1", '"u1" starts with whitespace U+0020'],
  ];
  for (const [user, detail] of cases) {
    const base = fixture({ ".inter": `user_id:token\titem_id:token\n${user}\ta\n` });
    assertDataError(() => readRecBoleAtomic(base), `${base}.inter`, 2, "user_id:token", detail);
  }
});

Deno.test("a header without tabs after leading spaces, only its first cell typed, is named space-separated", () => {
  const base = fixture({ ".inter": "  user_id:token item_id timestamp\nu1 a 1\n" });
  assertDataError(
    () => readRecBoleAtomic(base),
    `${base}.inter`,
    1,
    "header",
    "this header is separated by spaces",
  );
});

Deno.test(".inter row with an empty user and an empty item: the user is named first", () => {
  const base = fixture({ ".inter": "user_id:token\titem_id:token\nu1\ta\n\t\n" });
  assertDataError(() => readRecBoleAtomic(base), `${base}.inter`, 3, "user_id:token", "empty id");
});

Deno.test(".inter row naming an unknown item and a bad timestamp: the unknown item is the error", () => {
  // An unknown item's row is counted, not read: its other values are not checked.
  const base = fixture({
    ".inter": "user_id:token\titem_id:token\ttimestamp:float\nu1\ta\t1\nu1\tzz\tnot-a-time\n",
    ".item": "item_id:token\na\n",
  });
  assertDataError(
    () => readRecBoleAtomic(base),
    `${base}.inter`,
    3,
    "item_id:token",
    'unknown item id "zz"',
  );
});

Deno.test(".inter: every extra float column is checked to be numbers, the second too", () => {
  const base = fixture({
    ".inter": "user_id:token\titem_id:token\trating:float\tscore:float\nu1\ta\t1\tx\n",
  });
  assertDataError(() => readRecBoleAtomic(base), `${base}.inter`, 2, "score:float", "");
});

Deno.test("an .inter header error comes before an .item error: the .item is not read", () => {
  const base = fixture({
    ".inter": "user_id:token\titem:token\nu1\ta\n",
    ".item": "item_id:tokn\na\n",
  });
  assertDataError(
    () => readRecBoleAtomic(base),
    `${base}.inter`,
    1,
    "item_id:token",
    "missing column",
  );
});

Deno.test("a later row ending in a tab gets the trailing-tab hint too, not only the first row", () => {
  const base = fixture({ ".inter": "user_id:token\titem_id:token\nu1\ta\nu1\tb\t\n" });
  assertDataError(
    () => readRecBoleAtomic(base),
    `${base}.inter`,
    3,
    "item_id:token",
    "3 fields, header has 2 (a tab inside a value? atomic files have no quoting: every tab " +
      "separates fields; the extra fields are empty: a tab at the end of the row?)",
  );
});

Deno.test("after an unknown item, an unknown id with stray whitespace is not counted among them", () => {
  // It is its own error (stray whitespace), said once the unknown items are given rows.
  const base = fixture({
    ".inter": "user_id:token\titem_id:token\nu1\ta\nu1\tx\nu1\t y\n",
    ".item": "item_id:token\na\n",
  });
  assertDataError(
    () => readRecBoleAtomic(base),
    `${base}.inter`,
    3,
    "item_id:token",
    'unknown item id "x" (not in',
  );
  assertDataError(
    () => readRecBoleAtomic(base),
    `${base}.inter`,
    3,
    "item_id:token",
    "; 1 line names 1 item without a row there",
  );
});

Deno.test("a column whose name only starts with item_id or user_id is not taken for it", () => {
  const base = fixture({
    ".inter": "user_id_raw:token\tuser_id:token\titem_id_raw:token\titem_id:token\n" +
      "r1\tu1\traw1\ta\nr2\tu2\traw2\tb\n",
  });
  const dataset = readRecBoleAtomic(base);
  assertEquals(dataset.itemIds, ["a", "b"]);
  assertEquals(dataset.userIds, ["u1", "u2"]);
});

Deno.test("an .inter of a header alone has no interactions with an .item too", () => {
  const base = fixture({
    ".inter": "\nuser_id:token\titem_id:token\n",
    ".item": "item_id:token\na\n",
  });
  assertDataError(
    () => readRecBoleAtomic(base),
    `${base}.inter`,
    3,
    "user_id:token",
    "no interactions",
  );
});
