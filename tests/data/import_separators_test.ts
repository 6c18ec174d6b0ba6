/**
 * Files whose separators are not the format's: each is refused at its line, naming the separator,
 * instead of being read as other data (a comma kept inside the ids), skipped (a row of empty tab-
 * separated cells) or described as something else (a space-separated header as a "unit").
 * And a `.item` file that is there but cannot be checked is an error, not "no features".
 */
import { assert, assertEquals, assertThrows } from "@std/assert";
import { DataError } from "../../lib/data/errors.ts";
import { assertDataError, importFixtures } from "./_import_fixtures.ts";
import { readRecBoleAtomic } from "../../lib/data/import/recbole.ts";
import { readSequenceFile } from "../../lib/data/import/sequence_file.ts";
import { readDenseFeatures } from "../../lib/data/import/dense_features.ts";

const { write: fixture } = importFixtures("import_separators_");

const INTER = "user_id:token\titem_id:token\ttimestamp:float\nu1\ta\t1\nu1\tb\t2\nu2\ta\t3\n";

Deno.test("sequence files: a value holding a comma is refused at its line and field", () => {
  // "u2, a, b": split on spaces, "a," and "a" would be two items and the last one a third.
  const listed = fixture({ ".txt": "u1 a b\nu2, a, b\n" });
  assertDataError(
    () => readSequenceFile(`${listed}.txt`),
    `${listed}.txt`,
    2,
    "user",
    'value "u2," holds a comma: fields are separated by spaces or tabs, not commas',
  );
  // A user, a tab, then the items joined by commas: one item per user before.
  const joined = fixture({ ".txt": "u1\ta b\nu2\ta,b,c\n" });
  assertDataError(
    () => readSequenceFile(`${joined}.txt`),
    `${joined}.txt`,
    2,
    "items",
    'value "a,b,c" holds a comma',
  );
  // Without commas the same histories read as before.
  const plain = fixture({ ".txt": "u1 a b\nu2 a b c\n" });
  assertEquals(readSequenceFile(`${plain}.txt`).itemIds, ["a", "b", "c"]);
});

/**
 * Asserts that a RecBole header whose cells are separated by `separator` (called `name`), first an
 * .inter's and then an .item's, is refused at its line 1, saying that atomic files are
 * tab-separated and naming the separator it has.
 */
function assertHeaderSeparatorRefused(separator: string, name: string): void {
  // The separator is named on failure: the fixtures' paths do not say which case failed.
  try {
    const inter = fixture({ ".inter": INTER.replaceAll("\t", separator) });
    assertDataError(
      () => readRecBoleAtomic(inter),
      `${inter}.inter`,
      1,
      "header",
      `RecBole atomic files are tab-separated; this header is separated by ${name}`,
    );
    const item = fixture({
      ".inter": INTER,
      ".item": `item_id:token${separator}genre:token\na${separator}x\nb${separator}y\n`,
    });
    assertDataError(
      () => readRecBoleAtomic(item),
      `${item}.item`,
      1,
      "header",
      `this header is separated by ${name}`,
    );
  } catch (error) {
    (error as Error).message = `header separated by ${name}: ${(error as Error).message}`;
    throw error;
  }
}

Deno.test("RecBole: a header separated by spaces says that atomic files are tab-separated", () => {
  assertHeaderSeparatorRefused(" ", "spaces");
  // One column (an .item with only its ids) has no separator to get wrong.
  const ids = fixture({ ".inter": INTER, ".item": "item_id:token\na\nb\n" });
  assertEquals(readRecBoleAtomic(ids).numItems, 2);
});

Deno.test("RecBole: a row of empty tab-separated cells is a row (empty id), not a blank line", () => {
  const inter = fixture({ ".inter": INTER.replace("u1\tb\t2\n", "u1\tb\t2\n\t\t\n") });
  assertDataError(() => readRecBoleAtomic(inter), `${inter}.inter`, 4, "user_id:token", "empty");
  const item = fixture({
    ".inter": INTER,
    ".item": "item_id:token\tgenre:token\na\tx\n\t\nb\ty\n",
  });
  assertDataError(() => readRecBoleAtomic(item), `${item}.item`, 3, "item_id:token", "empty");
  // Lines of spaces alone stay blank lines: skipped and counted.
  const spaces = fixture({ ".inter": INTER.replace("u1\tb\t2\n", "u1\tb\t2\n   \n") });
  assertEquals(readRecBoleAtomic(spaces).sequences.map((s) => s.length), [2, 1]);
});

Deno.test("RecBole: a .item that is there but cannot be checked is an error, not a file without features", () => {
  const base = fixture({ ".inter": INTER });
  // A symbolic link to itself: stat fails with "too many levels of symbolic links", which the
  // reader used to take for "no .item file" and read the interactions without features.
  Deno.symlinkSync(`${base}.item`, `${base}.item`);
  assertDataError(() => readRecBoleAtomic(base), `${base}.item`, 0, "file", "cannot read");
});

Deno.test("semicolon- and pipe-separated files are refused as such, in every reader", () => {
  // A spreadsheet's CSV in a locale with decimal commas uses semicolons; dumps such as
  // MovieLens 100K's u.item use pipes. Before, the .inter header was said to carry "a unit after
  // the type", a sequence line "an empty history" and a feature file "feature width 0".
  for (const [separator, name] of [[";", "semicolons"], ["|", "pipes"]] as const) {
    assertHeaderSeparatorRefused(separator, name);
    const sequence = fixture({ ".txt": `u1 a b\nu2${separator}a${separator}b\n` });
    assertDataError(
      () => readSequenceFile(`${sequence}.txt`),
      `${sequence}.txt`,
      2,
      "user",
      `one value "u2${separator}a${separator}b" and no items: fields are separated by spaces or ` +
        `tabs, not ${name}`,
    );
    const features = `${fixture({ ".feat": `a${separator}1${separator}2\nb 3 4\n` })}.feat`;
    assertDataError(
      () =>
        readDenseFeatures(features, ["a", "b"], {
          name: "image",
          provenance: { source: "test", normalisation: "none" },
        }),
      features,
      1,
      "item_id",
      `one value "a${separator}1${separator}2" and no numbers: fields are separated by spaces or ` +
        `tabs, not ${name}`,
    );
  }
  // A separator character inside an id on a line that has items is an id like any other.
  const inside = fixture({ ".txt": "u;1 a|b c\n" });
  assertEquals(readSequenceFile(`${inside}.txt`).itemIds, ["a|b", "c"]);
  // A user alone on its line, without such a character, still has an empty history.
  const alone = fixture({ ".txt": "u1 a b\nu2\n" });
  assertDataError(
    () => readSequenceFile(`${alone}.txt`),
    `${alone}.txt`,
    2,
    "items",
    'user "u2" has an empty history',
  );
});

Deno.test("RecBole: a row without a tab under a tab-separated header names its separator", () => {
  // A header typed by hand over rows exported as CSV (or with spaces): before, only
  // "1 fields, header has 3", which does not say why.
  for (
    const [separator, name] of [[",", "commas"], [";", "semicolons"], [" ", "spaces"]] as const
  ) {
    const rows = INTER.split("\n").map((row, k) => k === 0 ? row : row.replaceAll("\t", separator));
    const inter = fixture({ ".inter": rows.join("\n") });
    assertDataError(
      () => readRecBoleAtomic(inter),
      `${inter}.inter`,
      2,
      "item_id:token",
      `1 fields, header has 3 (the row has no tab and is separated by ${name}: atomic files ` +
        "separate fields by tabs)",
    );
    const item = fixture({
      ".inter": INTER,
      ".item": `item_id:token\tgenre:token\na${separator}x\nb\ty\n`,
    });
    assertDataError(
      () => readRecBoleAtomic(item),
      `${item}.item`,
      2,
      "genre:token",
      `is separated by ${name}`,
    );
  }
  // A row that has its tabs but lacks a cell says the count alone.
  const short = fixture({ ".inter": INTER.replace("u1\tb\t2", "u1 x\tb") });
  const error = assertThrows(() => readRecBoleAtomic(short));
  assert(error instanceof DataError);
  assertEquals([error.line, error.field, error.detail], [
    3,
    "timestamp:float",
    "2 fields, header has 3",
  ]);
});
