/**
 * What loadOrCreateSampledNegatives checks of a persisted file before any row: that it can be read
 * (an existing path that cannot be read is an error, never redrawn over), that it is JSON (named
 * by its path), its format tag and that it holds a list of one row per user of the split.
 */
import { assertEquals, assertThrows } from "@std/assert";
import {
  loadOrCreateSampledNegatives,
  sampleEvaluationNegatives,
} from "../../lib/eval/sampled_negatives.ts";
import { cycleDataset, leaveOneOut } from "../models/_fixtures.ts";

// 3 users over 8 items, 5 interactions each: 3 unseen items per user.
const split = leaveOneOut(cycleDataset(3, 8, 5));
const config = { count: 2, seed: 0 };
const good = sampleEvaluationNegatives(split, config);

/** Runs `check` with a temporary folder, removed afterwards. */
function inFolder(check: (folder: string) => void): void {
  const folder = Deno.makeTempDirSync();
  try {
    check(folder);
  } finally {
    Deno.removeSync(folder, { recursive: true });
  }
}

Deno.test("negatives file: a path that exists but cannot be read is its read error, nothing drawn or written", () => {
  inFolder((folder) => {
    // A folder where the file should be: only a missing file means "draw and write them".
    const path = `${folder}/negatives.json`;
    Deno.mkdirSync(path);
    assertThrows(() => loadOrCreateSampledNegatives(path, split, config), Deno.errors.IsADirectory);
    assertEquals([...Deno.readDirSync(folder)].map((entry) => entry.name), ["negatives.json"]);
  });
});

Deno.test("negatives file: text that is not JSON is refused naming the file", () => {
  inFolder((folder) => {
    const path = `${folder}/negatives.json`;
    Deno.writeTextFileSync(path, '{"format": "demure-sampled-negatives/1", ');
    assertThrows(
      () => loadOrCreateSampledNegatives(path, split, config),
      Error,
      `${path}: not valid JSON (`,
    );
  });
});

Deno.test("negatives file: another format tag, or rows for fewer or more users, is refused naming it", () => {
  inFolder((folder) => {
    const path = `${folder}/negatives.json`;
    const cases: Array<[Record<string, unknown>, string]> = [
      [{ ...good, format: "demure-sampled-negatives/0" }, 'format "demure-sampled-negatives/0"'],
      [{ ...good, negatives: good.negatives.slice(0, 2) }, "negatives for 2 users, expected 3"],
      [{ ...good, negatives: [...good.negatives, good.negatives[0]] }, "negatives for 4 users"],
      // Not a list: said as such, not by its length ("for 3 users, expected 3" for a string).
      [{ ...good, negatives: "abc" }, 'negatives is "abc", not a list of one row per user'],
      [{ ...good, negatives: null }, "negatives is null, not a list of one row per user"],
      [{ ...good, negatives: undefined }, "negatives is undefined, not a list of one row per user"],
    ];
    for (const [stored, says] of cases) {
      Deno.writeTextFileSync(path, JSON.stringify(stored));
      assertThrows(
        () => loadOrCreateSampledNegatives(path, split, config),
        Error,
        `${path}: does not match this split: ${says}`,
      );
    }
  });
});

Deno.test("negatives file: a long value that is no list is quoted by its first 40 characters only", () => {
  // Found by mutation round JG (JG42): the cut was unpinned, so a stray rows file pasted as one
  // string could fill the error with all of it.
  inFolder((folder) => {
    const path = `${folder}/negatives.json`;
    const long = "0123456789".repeat(10);
    Deno.writeTextFileSync(path, JSON.stringify({ ...good, negatives: long }));
    const error = assertThrows(() => loadOrCreateSampledNegatives(path, split, config), Error);
    assertEquals(
      error.message,
      `${path}: does not match this split: negatives is ${
        JSON.stringify(long).slice(0, 40)
      }, not a list of one row per user`,
    );
  });
});
