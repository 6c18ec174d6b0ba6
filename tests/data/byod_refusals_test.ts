/**
 * What a new user's hand-made atomic files get wrong (from a bring-your-own-data walk-through,
 * session 44): each refusal says where and what the likely cause is, not a cause that the file
 * rules out.
 */
import { readRecBoleAtomic } from "../../lib/data/import/recbole.ts";
import { assertDataError, importFixtures } from "./_import_fixtures.ts";

const { write: fixture } = importFixtures("byod_refusals_test_");

const ROWS = "u1\ta\t4\t10\nu1\tb\t5\t20\nu2\ta\t3\t5\n";

Deno.test("a header that lacks a column: the first row's error names the header's columns", () => {
  // Every row has 4 cells under a 3-cell header (the rating column's header cell left out). It
  // was said to be "a tab inside a value?" alone, which no value of the file holds.
  const base = fixture({ ".inter": `user_id:token\titem_id:token\ttimestamp:float\n${ROWS}` });
  assertDataError(
    () => readRecBoleAtomic(base),
    `${base}.inter`,
    2,
    "timestamp:float",
    "4 fields, header has 3 (the first row: the header's columns are user_id:token, " +
      "item_id:token, timestamp:float; a column missing from the header",
  );
});

Deno.test("a header with a column too many: the first row's error says so", () => {
  const base = fixture({
    ".inter": `user_id:token\titem_id:token\trating:float\ttimestamp:float\tsession:token\n${ROWS}`,
  });
  assertDataError(
    () => readRecBoleAtomic(base),
    `${base}.inter`,
    2,
    "session:token",
    "4 fields, header has 5 (the first row: the header's columns are user_id:token, " +
      "item_id:token, rating:float, timestamp:float, session:token; a column too many in the header?)",
  );
});

Deno.test("an extra cell on a later row still points at a tab inside a value", () => {
  const base = fixture({
    ".inter": `user_id:token\titem_id:token\trating:float\ttimestamp:float\n` +
      ROWS.replace("u1\tb\t5\t20", "u1\tb\t5\t20\tx"),
  });
  const detail = "5 fields, header has 4 (a tab inside a value?";
  assertDataError(() => readRecBoleAtomic(base), `${base}.inter`, 3, "timestamp:float", detail);
});

Deno.test("an .item header that lacks a column: the same hint, in the .item", () => {
  const base = fixture({
    ".inter": `user_id:token\titem_id:token\trating:float\ttimestamp:float\n${ROWS}`,
    ".item": "item_id:token\tgenre:token_seq\na\tdrama comedy\t9.5\nb\thorror\t3\n",
  });
  assertDataError(
    () => readRecBoleAtomic(base),
    `${base}.item`,
    2,
    "genre:token_seq",
    "a column missing from the header",
  );
});
