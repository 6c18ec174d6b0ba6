/**
 * A researcher's own RecBole files with the mistakes a hand-edited export makes (session 51, a
 * first hour through notebook 08): a misspelled header cell, a timestamp written as a local date. Each must stop the read with the file, the line and the field,
 * and say what to change; a near-miss of `timestamp` must not be read as "no timestamp column"
 * (each user's history then silently became the file's row order).
 */
import { assertEquals } from "@std/assert";
import { readRecBoleAtomic } from "../../lib/data/import/recbole.ts";
import { assertDataError, importFixtures } from "./_import_fixtures.ts";

const { write: fixture } = importFixtures("byo_header_mistakes51_");

/** Two users whose rows are written newest first: only the timestamps give the time order. */
const ROWS = ["u1\tb\t20", "u1\ta\t10", "u2\tb\t5", "u2\ta\t1"];

function inter(header: string, rows: readonly string[] = ROWS): string {
  return [header, ...rows].join("\n") + "\n";
}

for (
  const misspelled of ["timestmap:float", "Timestamp:float", "timestamps:float", "tiemstamp:float"]
) {
  Deno.test(`readRecBoleAtomic: a .inter header cell ${misspelled} is refused as a misspelled timestamp`, () => {
    const base = fixture({ ".inter": inter(`user_id:token\titem_id:token\t${misspelled}`) });
    assertDataError(
      () => readRecBoleAtomic(base),
      `${base}.inter`,
      1,
      misspelled,
      "a misspelled timestamp? the header has no timestamp:float column",
    );
  });
}

Deno.test("readRecBoleAtomic: a column named unlike timestamp still reads as an unused column, in row order", () => {
  // Neither refused nor read as the time: `time` and `rating` are 5 and more edits away.
  const base = fixture({ ".inter": inter("user_id:token\titem_id:token\ttime:float") });
  const dataset = readRecBoleAtomic(base);
  assertEquals(dataset.itemIds, ["b", "a"]);
  assertEquals(dataset.sequences.map((sequence) => Array.from(sequence)), [[0, 1], [0, 1]]);
});

Deno.test("readRecBoleAtomic: with timestamp:float the rows are put in time order (the control)", () => {
  const base = fixture({ ".inter": inter("user_id:token\titem_id:token\ttimestamp:float") });
  const dataset = readRecBoleAtomic(base);
  assertEquals(dataset.sequences.map((sequence) => Array.from(sequence)), [[1, 0], [1, 0]]);
});

Deno.test("readRecBoleAtomic: a misspelled user_id header cell is named as the likely one", () => {
  const base = fixture({ ".inter": inter("usr_id:token\titem_id:token\ttimestamp:float") });
  assertDataError(
    () => readRecBoleAtomic(base),
    `${base}.inter`,
    1,
    "user_id:token",
    "(the header has usr_id:token, item_id:token, timestamp:float); is usr_id:token a " +
      "misspelled user_id:token?: this reader",
  );
});

Deno.test("readRecBoleAtomic: a missing user_id with no near header cell names no likely one", () => {
  const base = fixture({ ".inter": inter("session_id:token\titem_id:token\ttimestamp:float") });
  assertDataError(
    () => readRecBoleAtomic(base),
    `${base}.inter`,
    1,
    "user_id:token",
    "(the header has session_id:token, item_id:token, timestamp:float): this reader",
  );
});

for (const date of ["17/09/2020 08:49", "9/17/20", "17.09.2020", "17-09-2020"]) {
  Deno.test(`readRecBoleAtomic: a timestamp written ${date} is called a date`, () => {
    const base = fixture({
      ".inter": inter("user_id:token\titem_id:token\ttimestamp:float", [
        "u1\ta\t1600000000",
        `u1\tb\t${date}`,
      ]),
    });
    assertDataError(
      () => readRecBoleAtomic(base),
      `${base}.inter`,
      3,
      "timestamp:float",
      `not a number: "${date}" (decimal notation expected, e.g. 12, -0.5, 1e-3; a date? ` +
        "timestamps are numbers here (such as Unix seconds)",
    );
  });
}

Deno.test("readRecBoleAtomic: a value that is no date gets no date hint", () => {
  const base = fixture({
    ".inter": inter("user_id:token\titem_id:token\ttimestamp:float", ["u1\ta\t17/09"]),
  });
  assertDataError(
    () => readRecBoleAtomic(base),
    `${base}.inter`,
    2,
    "timestamp:float",
    'not a number: "17/09" (decimal notation expected, e.g. 12, -0.5, 1e-3)',
  );
});
