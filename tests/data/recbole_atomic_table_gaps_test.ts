/**
 * The RecBole atomic-file format as `_recbole_atomic_table.ts` reads it, where mutation round AD
 * found behaviour no test pinned: which header is another export's, how header cells and a
 * repeated header are trimmed, which rows read as a header, and the column a quoted extra cell or
 * a blank cell is named at.
 */
import { assertEquals } from "@std/assert";
import { readRecBoleAtomic } from "../../lib/data/import/recbole.ts";
import { assertDataError, importFixtures } from "./_import_fixtures.ts";

const { write: fixture } = importFixtures("recbole_atomic_table_gaps_");

const INTER = "user_id:token\titem_id:token\ttimestamp:float\nu1\ta\t1\nu1\tb\t2\nu2\ta\t3\n";

Deno.test("a one-cell header holding a space is one column name, not a space-separated header", () => {
  // RecBole splits a header on tabs only: "item id:token" is one (misnamed) column, and the
  // refusal names it as the header's column rather than calling the file space-separated.
  const base = fixture({ ".inter": INTER, ".item": "item id:token\na\n" });
  assertDataError(
    () => readRecBoleAtomic(base),
    `${base}.item`,
    1,
    "item_id:token",
    "missing column (the header has item id:token)",
  );
});

Deno.test("a tab-separated header's column name may hold a comma or a pipe (RecBole's name)", () => {
  // The foreign-separator check is for a header without tabs; under tabs a comma is in a name.
  const base = fixture({
    ".inter": INTER,
    ".item": "item_id:token\tsize,cm:float\tx|y:float\na\t1\t2\nb\t3\t4\n",
  });
  assertEquals(readRecBoleAtomic(base).modalities.map((m) => m.name), ["id", "size,cm", "x|y"]);
});

Deno.test("a header cell's stray spaces are not part of the field errors name", () => {
  const base = fixture({ ".inter": "user_id:token\titem_id:token \ttimestamp:float\nu1\t\t1\n" });
  assertDataError(() => readRecBoleAtomic(base), `${base}.inter`, 2, "item_id:token", "empty id");
});

Deno.test("a repeated header with the header's trailing spaces is named a repeat of it", () => {
  const header = "user_id:token\titem_id:token ";
  const base = fixture({ ".inter": `${header}\nu1\ta\n${header}\n` });
  assertDataError(
    () => readRecBoleAtomic(base),
    `${base}.inter`,
    3,
    "user_id:token",
    "repeats the header of line 1 (remove it)",
  );
});

Deno.test("in a one-column .item an id written like a typed cell is an id, as RecBole reads it", () => {
  // Only a row of several name:type cells reads as a header; one such cell is a value.
  const base = fixture({
    ".inter": "user_id:token\titem_id:token\nu1\ta:token\nu1\tb:float\n",
    ".item": "item_id:token\na:token\nb:float\n",
  });
  assertEquals(readRecBoleAtomic(base).itemIds, ["a:token", "b:float"]);
});

Deno.test("a quoted value in a cell past the header's columns is named at the last column", () => {
  const base = fixture({ ".inter": 'user_id:token\titem_id:token\nu1\ta\t"x"\n' });
  assertDataError(
    () => readRecBoleAtomic(base),
    `${base}.inter`,
    2,
    "item_id:token",
    "starts with a double quote",
  );
});

Deno.test("a token cell of spaces alone is an empty id, not a token with stray whitespace", () => {
  const base = fixture({ ".inter": "user_id:token\titem_id:token\n  \ta\n" });
  assertDataError(() => readRecBoleAtomic(base), `${base}.inter`, 2, "user_id:token", "empty id");
});

Deno.test("a space-separated header is named as such when a cell lacks its type", () => {
  // Was refused as one cell with a unit ":token timestamp" after its type.
  const headers = [
    "user_id:token item_id:token timestamp",
    "user_id:token item_id timestamp", // only the first cell typed
    "user id:token item id:token", // names holding spaces, two typed cells
  ];
  for (const header of headers) {
    const base = fixture({ ".inter": `${header}\nu1 a 1\n` });
    assertDataError(
      () => readRecBoleAtomic(base),
      `${base}.inter`,
      1,
      "header",
      "RecBole atomic files are tab-separated; this header is separated by spaces",
    );
  }
});

Deno.test("a header cell of two cells joined by a space or a comma names that separator", () => {
  // Was refused as a unit after the type: ":float" after "item_id:token timestamp".
  const cases = [
    ["item_id:token timestamp:float", "spaces"],
    ["item_id:token,timestamp:float", "commas"],
  ];
  for (const [cell, separator] of cases) {
    const base = fixture({ ".inter": `user_id:token\t${cell}\nu1\ta 1\n` });
    assertDataError(
      () => readRecBoleAtomic(base),
      `${base}.inter`,
      1,
      cell,
      `header cell holds name:type cells separated by ${separator}: RecBole atomic files ` +
        "separate header cells by tabs",
    );
  }
  // A unit after the type is still said to be one.
  const unit = fixture({
    ".inter": "user_id:token\titem_id:token\ttimestamp:float:ms\nu1\ta\t1\n",
  });
  assertDataError(() => readRecBoleAtomic(unit), `${unit}.inter`, 1, "timestamp:float:ms", "unit");
});
