/**
 * readRecBoleAtomic behaviour that mutation round 53 found unpinned: a .item that is a folder is
 * refused as not a file, at the .item, rather than with the system's read error.
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
