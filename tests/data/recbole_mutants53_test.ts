/**
 * readRecBoleAtomic behaviour that mutation round 53 found unpinned: a .item that is a folder is
 * refused as not a file, at the .item, rather than with the system's read error; a quoted value
 * after a space, holding a tab, is named as a quoted cell, not counted as an extra field.
 */
import { readRecBoleAtomic } from "../../lib/data/import/recbole.ts";
import { assertDataError, importFixtures } from "./_import_fixtures.ts";

const { write: fixture } = importFixtures("recbole_mutants53_test_");

Deno.test("readRecBoleAtomic: a .item that is a folder is no file, named at the .item", () => {
  const base = fixture({ ".inter": "user_id:token\titem_id:token\nu1\ta\n" });
  Deno.mkdirSync(`${base}.item`);
  assertDataError(
    () => readRecBoleAtomic(base),
    `${base}.item`,
    0,
    "file",
    "exists but is not a file (a directory?)",
  );
});

Deno.test("readRecBoleAtomic: a quoted value after a space, holding a tab, is a quoted cell", () => {
  const base = fixture({ ".inter": 'user_id:token\titem_id:token\nu1\t "a\tb"\n' });
  assertDataError(
    () => readRecBoleAtomic(base),
    `${base}.inter`,
    2,
    "item_id:token",
    "starts with a double quote",
  );
});
