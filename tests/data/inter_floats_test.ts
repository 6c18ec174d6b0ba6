import { assertEquals } from "@std/assert";
import { readRecBoleAtomic } from "../../lib/data/import/recbole.ts";
import { assertDataError, importFixtures } from "./_import_fixtures.ts";

const { write: fixture } = importFixtures("inter_floats_test_");

const HEADER = "user_id:token\titem_id:token\ttimestamp:float\trating:float";

Deno.test(".inter: an extra float column is read as a number too (a DataError at file, line, field)", () => {
  // The rating column is not used, but a malformed value in it says the file is not what it
  // claims to be: it is refused like a malformed timestamp.
  const good = fixture({ ".inter": `${HEADER}\nu1\ta\t1\t4.5\nu1\tb\t2\t3\n` });
  assertEquals(readRecBoleAtomic(good).sequences.map((s) => Array.from(s)), [[0, 1]]);
  const bad = fixture({ ".inter": `${HEADER}\nu1\ta\t1\t4.5\nu1\tb\t2\tabc\n` });
  assertDataError(
    () => readRecBoleAtomic(bad),
    `${bad}.inter`,
    3,
    "rating:float",
    'not a number: "abc"',
  );
  // Without a timestamp column the extra float is checked all the same.
  const untimed = fixture({ ".inter": "user_id:token\titem_id:token\trating:float\nu1\ta\tinf\n" });
  assertDataError(
    () => readRecBoleAtomic(untimed),
    `${untimed}.inter`,
    2,
    "rating:float",
    "not finite",
  );
});
