/**
 * Edges of the dense feature reader, the RecBole atomic-file reader and the RecBole writer that
 * mutation round KC found no test pinned: which first row is a header, what a duplicate or
 * wrong-width row is named, a blank token cell, the joined-token note's list, the field-count
 * hints, and the lines and fields the errors name.
 */
import { assert, assertEquals, assertThrows } from "@std/assert";
import { DataError } from "../../lib/data/errors.ts";
import { attachModality, readDenseFeatures } from "../../lib/data/import/dense_features.ts";
import type { ModalityFeatures } from "../../lib/data/types.ts";
import { readRecBoleAtomic } from "../../lib/data/import/recbole.ts";
import { readSequenceFile } from "../../lib/data/import/sequence_file.ts";
import { writeRecBoleAtomic } from "../../lib/data/import/write_recbole.ts";
import { assertDataError, importFixtures } from "./_import_fixtures.ts";

const { write: fixture } = importFixtures("recbole_import_export_gaps_");
const provenance = { source: "test", normalisation: "none" };

/** The refusal of a timestamp column declared `declared` (not float): what, why and the fix. */
function timestampTypeDetail(declared: string): string {
  return `the header declares timestamp:${declared}, expected timestamp:float: the timestamp ` +
    "orders each user's history (its last item is the test item, the one before it the " +
    "validation item), so it must be one number per row; write timestamp:float in the header, " +
    "with numbers in its cells (dates such as 2024-01-31 converted to Unix seconds), or, if the " +
    "column is not the time of the interactions, give it another name";
}

/** The DataError `fn` throws, as [file, line, field, detail]. */
function refusal(fn: () => unknown): [string, number, string, string] {
  const error = assertThrows(fn);
  assert(error instanceof DataError, `expected DataError, got ${error}`);
  return [error.file, error.line, error.field, error.detail];
}

Deno.test("dense features: a first row of an unknown id and 'inf' is an unknown id, not a header", () => {
  // `inf` is a value the row's own check refuses, not a word: the row is a row.
  const path = `${fixture({ ".txt": "x inf 1\na 1 2\n" })}.txt`;
  assertDataError(
    () => readDenseFeatures(path, ["a"], { name: "image", provenance }),
    path,
    1,
    "item_id",
    'unknown item id "x"',
  );
});

Deno.test("dense features: a header line is shown cut at 60 characters", () => {
  const header = "item_id " + Array.from({ length: 20 }, (_, k) => `dim${k}`).join(" ");
  const path = `${fixture({ ".txt": `${header}\na 1 2\n` })}.txt`;
  assertEquals(refusal(() => readDenseFeatures(path, ["a"], { name: "image", provenance })), [
    path,
    1,
    "item_id",
    `"${
      header.slice(0, 60)
    }" looks like a header line; a feature file has no header (remove the line)`,
  ]);
});

Deno.test("dense features: a repeated id is a duplicate even when its second row has another width", () => {
  const path = `${fixture({ ".txt": "a 1 2\na 1\n" })}.txt`;
  assertDataError(
    () => readDenseFeatures(path, ["a"], { name: "image", provenance }),
    path,
    2,
    "item_id",
    'duplicate item id "a"',
  );
});

Deno.test("dense features: with a configured width, a row of another width says the width expected", () => {
  const path = `${fixture({ ".txt": "a 1 2 3\n" })}.txt`;
  assertEquals(
    refusal(() => readDenseFeatures(path, ["a"], { name: "image", dim: 2, provenance })),
    [path, 1, "value[2]", "3 values, expected 2"],
  );
});

const INTER = "user_id:token\titem_id:token\nu1\ta\nu1\tb\nu1\tc\nu1\td\n";

Deno.test(".item: a token cell of spaces only is an empty cell (the item lacks the modality)", () => {
  const base = fixture({
    ".inter": INTER,
    ".item": "item_id:token\tcolour:token\na\tred\nb\t  \nc\tblue\nd\tred\n",
  });
  const colour = readRecBoleAtomic(base).modalities.find((m) => m.name === "colour")!;
  assertEquals(colour.vocabulary, ["blue", "red"]);
  assertEquals(Array.from(colour.present), [1, 0, 1, 1]);
});

Deno.test(".item: the joined-token note lists 3 tokens, with '...' only when there are more", () => {
  const note = (cells: string[]) => {
    const item = "item_id:token\tgenre:token_seq\n" +
      ["a", "b", "c", "d"].map((id, k) => `${id}\t${cells[k]}\n`).join("");
    const base = fixture({ ".inter": INTER, ".item": item });
    return readRecBoleAtomic(base).metadata.preprocessing.filter((n) => n.includes("genre"))
      .map((n) => n.slice(n.indexOf("tokens hold"), n.indexOf(", each")));
  };
  assertEquals(note(["A|B", "C|D", "E,F", "G"]), [
    'tokens hold "|" or "," ("A|B", "C|D", "E,F")',
  ]);
  assertEquals(note(["A|B", "C|D", "E,F", "G|H"]), [
    'tokens hold "|" or "," ("A|B", "C|D", "E,F", ...)',
  ]);
});

Deno.test(".inter: a one-field row ending in a space is not called space-separated", () => {
  const base = fixture({ ".inter": "user_id:token\titem_id:token\nu1\ta\nu1 \n" });
  assertEquals(refusal(() => readRecBoleAtomic(base)), [
    `${base}.inter`,
    3,
    "item_id:token",
    "1 fields, header has 2",
  ]);
});

Deno.test(".inter: extra fields not all empty get no trailing-tab hint", () => {
  const base = fixture({ ".inter": "user_id:token\titem_id:token\nu1\ta\nu1\tb\tx\t\n" });
  assertEquals(refusal(() => readRecBoleAtomic(base)), [
    `${base}.inter`,
    3,
    "item_id:token",
    "4 fields, header has 2 (a tab inside a value? atomic files have no quoting: every tab " +
    "separates fields)",
  ]);
});

Deno.test(".inter: the first row under a header after blank lines gets the first row's hint", () => {
  const base = fixture({ ".inter": "\n\nuser_id:token\titem_id:token\nu1\ta\tx\n" });
  const [file, line, field, detail] = refusal(() => readRecBoleAtomic(base));
  assertEquals([file, line, field], [`${base}.inter`, 4, "item_id:token"]);
  assert(detail.startsWith("3 fields, header has 2 (the first row: "), detail);
});

Deno.test(".inter: a column of the wrong type is refused at the header's own line", () => {
  const base = fixture({ ".inter": "\nuser_id:token\titem_id:float\nu1\t1\n" });
  assertEquals(refusal(() => readRecBoleAtomic(base)), [
    `${base}.inter`,
    2,
    "item_id:float",
    "the header declares item_id:float, expected item_id:token: user and item ids are tokens " +
    "(RecBole's USER_ID_FIELD and ITEM_ID_FIELD: each id is kept as written and indexed, never " +
    "read as a number); write item_id:token in the header (the rows need no change)",
  ]);
});

Deno.test(".inter: a later header line whose cells have stray spaces is named a header line", () => {
  const base = fixture({
    ".inter": "user_id:token\titem_id:token\nu1\ta\nitem_id:token \t user_id:token\n",
  });
  const [file, line, field, detail] = refusal(() => readRecBoleAtomic(base));
  assertEquals([file, line, field], [`${base}.inter`, 3, "user_id:token"]);
  assert(detail.includes("is a header line (name:type cells), not a row"), detail);
});

Deno.test(".inter: a timestamp column of another type is refused at the header's own line", () => {
  const base = fixture({ ".inter": "\nuser_id:token\titem_id:token\ttimestamp:token\nu1\ta\t1\n" });
  assertEquals(refusal(() => readRecBoleAtomic(base)), [
    `${base}.inter`,
    2,
    "timestamp:token",
    timestampTypeDetail("token"),
  ]);
});

Deno.test(".inter: a header without user_id and item_id names user_id first", () => {
  const base = fixture({ ".inter": "session:token\tproduct:token\nu1\ta\n" });
  const [file, line, field] = refusal(() => readRecBoleAtomic(base));
  assertEquals([file, line, field], [`${base}.inter`, 1, "user_id:token"]);
});

Deno.test(".inter: a float_seq timestamp is refused; another float_seq column is not read", () => {
  const timed = fixture({
    ".inter": "user_id:token\titem_id:token\ttimestamp:float_seq\nu1\ta\t1\n",
  });
  assertEquals(refusal(() => readRecBoleAtomic(timed)), [
    `${timed}.inter`,
    1,
    "timestamp:float_seq",
    timestampTypeDetail("float_seq"),
  ]);
  const base = fixture({
    ".inter": "user_id:token\titem_id:token\tscores:float_seq\nu1\ta\t1 x\n",
  });
  const dataset = readRecBoleAtomic(base);
  assertEquals(dataset.itemIds, ["a"]);
  assert(
    dataset.metadata.preprocessing.includes(
      `column of ${base}.inter not used: scores:float_seq (not read)`,
    ),
    dataset.metadata.preprocessing.join("\n"),
  );
});

Deno.test(".inter: an unused first column is named on the card", () => {
  const base = fixture({ ".inter": "rating:float\tuser_id:token\titem_id:token\n5\tu1\ta\n" });
  assert(
    readRecBoleAtomic(base).metadata.preprocessing.includes(
      `column of ${base}.inter not used: rating:float (checked to be numbers)`,
    ),
  );
});

Deno.test("writeRecBoleAtomic ends both files with a line end, and they read back", () => {
  const source = readSequenceFile(`${fixture({ ".txt": "u1 a b\nu2 b\n" })}.txt`);
  const out = fixture({});
  writeRecBoleAtomic(source, out);
  assertEquals(Deno.readTextFileSync(`${out}.item`), "item_id:token\na\nb\n");
  assert(Deno.readTextFileSync(`${out}.inter`).endsWith("\tb\t0\n"));
  assertEquals(readRecBoleAtomic(out).itemIds, ["a", "b"]);
});

Deno.test(".inter: a header cell of spaces is named by its column, with the empty-cell hint", () => {
  // Its label is " ": the field was named " ", which says nothing about where it is.
  const base = fixture({ ".inter": "user_id:token\t \titem_id:token\nu1\tx\ta\n" });
  assertEquals(refusal(() => readRecBoleAtomic(base)), [
    `${base}.inter`,
    1,
    "column 2",
    "header cell must be name:type with type in token/token_seq/float/float_seq (an empty " +
    "header cell: a trailing tab?)",
  ]);
});

Deno.test("dense features: an item id may hold a comma when its row has values after it", () => {
  // Only a row of one value is another export's row ("a,0.1,0.2"); "b,3" is an id here.
  const path = `${fixture({ ".txt": "a 1 2\nb,3 4 5\n" })}.txt`;
  const image = readDenseFeatures(path, ["a", "b,3"], { name: "image", provenance });
  assertEquals(Array.from(image.values), [1, 2, 4, 5]);
});

Deno.test(".item: a feature column's provenance is its file and column, unnormalised", () => {
  const base = fixture({
    ".inter": INTER,
    ".item": "item_id:token\tsize:float\na\t1\nb\t2\nc\t3\nd\t4\n",
  });
  const size = readRecBoleAtomic(base).modalities.find((m) => m.name === "size")!;
  assertEquals(size.provenance, {
    source: `${base}.item column size:float`,
    normalisation: "none",
  });
});

Deno.test(".inter: a cell of spaces then a double quote is refused as quoted", () => {
  // The quote is what makes RecBole read another value: it is named, not the leading space.
  const base = fixture({ ".inter": 'user_id:token\titem_id:token\nu1\t "a"\n' });
  const [file, line, field, detail] = refusal(() => readRecBoleAtomic(base));
  assertEquals([file, line, field], [`${base}.inter`, 2, "item_id:token"]);
  assert(detail.startsWith("starts with a double quote"), detail);
});

Deno.test("writeRecBoleAtomic writes a run of whitespace in a vocabulary entry as one _", () => {
  const source = readSequenceFile(`${fixture({ ".txt": "u1 a b\n" })}.txt`);
  const genre: ModalityFeatures = {
    name: "genre",
    kind: "multi_hot",
    dim: 2,
    values: Float32Array.of(1, 0, 0, 1),
    present: Uint8Array.of(1, 1),
    vocabulary: ["science  fiction", "film\u00a0noir"],
    provenance,
  };
  const out = fixture({});
  writeRecBoleAtomic(attachModality(source, genre, "genre"), out);
  assertEquals(readRecBoleAtomic(out).modalities[1].vocabulary, ["film_noir", "science_fiction"]);
});
