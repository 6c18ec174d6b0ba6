/**
 * A RecBole header cell of the wrong or an unknown type: each refusal names the file, the header's
 * line and the cell (DataError), and says what it found, what it expects, why, and the fix. A
 * `timestamp:token` column used to be refused with only "expected type float", an id column of
 * another type with "expected type token", and `timestamp:int` with the list of the four types.
 */
import { assertEquals, assertThrows } from "@std/assert";
import { readRecBoleAtomic } from "../../lib/data/import/recbole.ts";
import { assertDataError, importFixtures } from "./_import_fixtures.ts";

const { write: fixture } = importFixtures("recbole_header_types_");

/** The start of every refusal of an unknown type word. */
const TYPES = "header cell must be name:type with type in token/token_seq/float/float_seq";

Deno.test(".inter: timestamp:token names the file, line 1, the cell, the type expected, why, and the fix", () => {
  const base = fixture({ ".inter": "user_id:token\titem_id:token\ttimestamp:token\nu1\ta\t5\n" });
  assertDataError(
    () => readRecBoleAtomic(base),
    `${base}.inter`,
    1,
    "timestamp:token",
    "the header declares timestamp:token, expected timestamp:float: the timestamp orders each " +
      "user's history",
  );
  // The message a user reads (`reproduce --dataset` prints it as its one line) starts with where.
  const { message } = assertThrows(() => readRecBoleAtomic(base));
  assertEquals(message.startsWith(`${base}.inter:1: field "timestamp:token": `), true, message);
  for (
    const part of [
      "so it must be one number per row",
      "write timestamp:float in the header",
      "converted to Unix seconds",
    ]
  ) {
    assertEquals(message.includes(part), true, `${message} lacks ${part}`);
  }
});

Deno.test(".inter and .item: an id column of another type says what it found, why ids are tokens, and the fix", () => {
  const users = fixture({ ".inter": "user_id:float\titem_id:token\nu1\ta\n" });
  assertDataError(
    () => readRecBoleAtomic(users),
    `${users}.inter`,
    1,
    "user_id:float",
    "the header declares user_id:float, expected user_id:token: user and item ids are tokens " +
      "(RecBole's USER_ID_FIELD and ITEM_ID_FIELD: each id is kept as written and indexed, " +
      "never read as a number); write user_id:token in the header (the rows need no change)",
  );
  const items = fixture({
    ".inter": "user_id:token\titem_id:token\nu1\ta\n",
    ".item": "item_id:token_seq\tprice:float\na\t1\n",
  });
  assertDataError(
    () => readRecBoleAtomic(items),
    `${items}.item`,
    1,
    "item_id:token_seq",
    "the header declares item_id:token_seq, expected item_id:token: user and item ids are tokens",
  );
});

Deno.test("RecBole header: another tool's type word is named with the RecBole type it means", () => {
  const cases: [string, string][] = [
    [
      "timestamp:int",
      '; found "int": RecBole\'s number type is float (it has no integer type), ' +
      "write timestamp:float",
    ],
    [
      "timestamp:double",
      '; found "double": RecBole\'s number type is float (it has no integer ' +
      "type), write timestamp:float",
    ],
    [
      "user_id:string",
      '; found "string": ids and categories are tokens, kept as written; write ' +
      "user_id:token",
    ],
    ["timestamp:Float", '; found "Float": the types are lower case, write timestamp:float'],
    [
      "timestamp",
      '; "timestamp" has no type (write timestamp:float for numbers, ' +
      "timestamp:token else)",
    ],
    ["timestamp:when", '; found "when"'],
  ];
  for (const [cell, hint] of cases) {
    const header = cell.startsWith("user_id")
      ? `${cell}\titem_id:token`
      : `user_id:token\titem_id:token\t${cell}`;
    const base = fixture({ ".inter": `${header}\nu1\ta\t1\n` });
    assertDataError(() => readRecBoleAtomic(base), `${base}.inter`, 1, cell, `${TYPES}${hint}`);
  }
});
