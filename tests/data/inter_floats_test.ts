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

Deno.test(".inter and .item: a date, a decimal comma or a thousands separator is named", () => {
  // Said only "not a number: ... (decimal notation expected, e.g. 12, -0.5, 1e-3)": a timestamp
  // exported as a date, or a number from a spreadsheet in a locale with a decimal comma.
  const cases = [
    ["2020-01-01", "a date? timestamps are numbers here (such as Unix seconds)"],
    ["2020-01-01T10:00:00Z", "a date?"],
    ["4,5", "a decimal comma or a thousands separator? the decimal mark is a point, with no"],
    ["1,600,000", "a decimal comma or a thousands separator?"],
  ] as const;
  for (const [value, hint] of cases) {
    const bad = fixture({ ".inter": `${HEADER}\nu1\ta\t1\t4\nu1\tb\t${value}\t3\n` });
    assertDataError(
      () => readRecBoleAtomic(bad),
      `${bad}.inter`,
      3,
      "timestamp:float",
      `not a number: "${value}" (decimal notation expected, e.g. 12, -0.5, 1e-3; ${hint}`,
    );
  }
  const item = fixture({
    ".inter": `${HEADER}\nu1\ta\t1\t4\n`,
    ".item": "item_id:token\tprice:float\na\t9,99\n",
  });
  assertDataError(
    () => readRecBoleAtomic(item),
    `${item}.item`,
    2,
    "price:float",
    "a decimal comma or a thousands separator?",
  );
});
