/**
 * A researcher's own files, hostile or sloppy, read by `recbole.ts`, `sequence_file.ts` and
 * `dense_features.ts` (audit of session 48): timestamps a float64 cannot hold (refused: distinct
 * times read as equal lost their order), quoted values in a sequence file (refused: a quoted id
 * with a space was split into two), and what is accepted as documented in docs/data.md (negative
 * and fractional times, ties, mixed line ends, huge lines, values below float32's smallest).
 */
import { assertEquals } from "@std/assert";
import { readDenseFeatures } from "../../lib/data/import/dense_features.ts";
import { readRecBoleAtomic } from "../../lib/data/import/recbole.ts";
import { readSequenceFile } from "../../lib/data/import/sequence_file.ts";
import { writeRecBoleAtomic } from "../../lib/data/import/write_recbole.ts";
import { assertDataError, importFixtures } from "./_import_fixtures.ts";

const { write: fixture } = importFixtures("byod_bad_input_");
const HEADER = "user_id:token\titem_id:token\ttimestamp:float\n";
const provenance = { source: "test", normalisation: "none" };

/** The items of each user's history, by id. */
function histories(dataset: { sequences: Int32Array[]; itemIds: string[] }): string[][] {
  return dataset.sequences.map((sequence) => [...sequence].map((item) => dataset.itemIds[item]));
}

Deno.test("recbole: a 19-digit (nanosecond) timestamp a float64 cannot hold is refused at its line", () => {
  // Both read as 1700000000000000000: the order of i1 and i2 became the rows' order.
  const base = fixture({
    ".inter": HEADER + "u1\ti2\t1700000000000000000\nu1\ti1\t1700000000000000001\n",
  });
  assertDataError(
    () => readRecBoleAtomic(base),
    `${base}.inter`,
    3,
    "timestamp:float",
    "1700000000000000001 has more digits than a float64 holds (it reads as 1700000000000000000)",
  );
  const exported = fixture({ ".inter": HEADER + "u1\ti1\t1\nu1\ti1\t1700000000000000001.00\n" });
  assertDataError(
    () => readRecBoleAtomic(exported),
    `${exported}.inter`,
    3,
    "timestamp:float",
    "1700000000000000001 has more digits",
  );
  const negative = fixture({ ".inter": HEADER + "u1\ti1\t-9007199254740993\n" });
  assertDataError(
    () => readRecBoleAtomic(negative),
    `${negative}.inter`,
    2,
    "timestamp:float",
    "(it reads as -9007199254740992)",
  );
});

Deno.test("recbole: large timestamps a float64 holds exactly, or written with an exponent, are read", () => {
  const base = fixture({
    ".inter": HEADER + "u1\ti1\t1700000000000000000\nu1\ti2\t1.7e18\nu1\ti3\t9007199254740992\n",
  });
  const dataset = readRecBoleAtomic(base);
  assertEquals([...dataset.timestamps![0]], [9007199254740992, 1.7e18, 1.7e18]);
  assertEquals(histories(dataset), [["i3", "i1", "i2"]]);
});

Deno.test("recbole: timestamps past 2^53 written by writeRecBoleAtomic read back as they were", () => {
  // String(1700000000000000256) is "1700000000000000300": read back, it was refused as a
  // timestamp a float64 cannot hold.
  const times = "u1\ti1\t1700000000000000256\nu1\ti2\t-9007199254740994\nu1\ti3\t2e21\n";
  const source = readRecBoleAtomic(fixture({ ".inter": HEADER + times }));
  const out = fixture({});
  writeRecBoleAtomic(source, out);
  assertEquals(
    Deno.readTextFileSync(`${out}.inter`).split("\n").slice(1, 4).map((row) => row.split("\t")[2]),
    ["-9007199254740994", "1700000000000000256", "2e+21"],
  );
  const again = readRecBoleAtomic(out);
  assertEquals([...again.timestamps![0]], [...source.timestamps![0]]);
  assertEquals(again.metadata.fingerprint, source.metadata.fingerprint);
});

Deno.test("recbole: negative and fractional timestamps order a history as numbers; ties keep line order", () => {
  const base = fixture({
    ".inter": HEADER + "u1\ti1\t-5\nu1\ti2\t-7.5\nu1\ti3\t0.25\nu1\ti4\t-5\nu1\ti5\t-1e3\n",
  });
  const dataset = readRecBoleAtomic(base);
  assertEquals(histories(dataset), [["i5", "i2", "i1", "i4", "i3"]]);
  assertEquals([...dataset.timestamps![0]], [-1000, -7.5, -5, -5, 0.25]);
});

Deno.test("recbole: LF and CRLF line ends mixed in one file read as LF alone (same fingerprint)", () => {
  const rows = ["u1\ti1\t1", "u1\ti2\t2", "u2\ti1\t3"];
  const plain = readRecBoleAtomic(fixture({ ".inter": HEADER + rows.join("\n") + "\n" }));
  const mixed = readRecBoleAtomic(
    fixture({ ".inter": HEADER.replace("\n", "\r\n") + rows.join("\n") + "\r\n\r\n" }),
  );
  assertEquals(mixed.metadata.fingerprint, plain.metadata.fingerprint);
});

Deno.test("recbole: a header alone, or a duplicated header field, is refused with line and field", () => {
  const headerOnly = fixture({ ".inter": HEADER });
  assertDataError(
    () => readRecBoleAtomic(headerOnly),
    `${headerOnly}.inter`,
    2,
    "user_id:token",
    "no interactions",
  );
  const duplicated = fixture({
    ".inter": "user_id:token\titem_id:token\ttimestamp:float\ttimestamp:float\nu1\ti1\t1\t2\n",
  });
  assertDataError(
    () => readRecBoleAtomic(duplicated),
    `${duplicated}.inter`,
    1,
    "timestamp:float",
    "duplicate column",
  );
});

Deno.test("recbole: a line of several megabytes is read whole", () => {
  const longId = "i".repeat(3_000_000);
  const dataset = readRecBoleAtomic(
    fixture({ ".inter": HEADER + `u1\t${longId}\t1\nu1\ti2\t2\n` }),
  );
  assertEquals(dataset.itemIds.map((id) => id.length), [3_000_000, 2]);
});

Deno.test("recbole: an .item value nearer 0 than float32's smallest is stored as 0, its nearest float32", () => {
  const base = fixture({
    ".inter": HEADER + "u1\ti1\t1\n",
    ".item": "item_id:token\tv:float_seq\ni1\t1e-50 -1e-46 2\n",
  });
  const vector = readRecBoleAtomic(base).modalities.find((m) => m.name === "v")!;
  assertEquals([...vector.values], [0, -0, 2]);
});

Deno.test("sequence file: a quoted user or item is refused at its line, not split at its space", () => {
  // Read as the user '"u' with the items '1"' and 'i1' before.
  const user = `${fixture({ ".txt": '"u 1" i1 i2\n' })}.txt`;
  assertDataError(
    () => readSequenceFile(user),
    user,
    1,
    "user",
    `value '"u' starts with a double quote`,
  );
  const item = `${fixture({ ".txt": 'u1 i1 i2\nu2 "i1" i3\n' })}.txt`;
  assertDataError(
    () => readSequenceFile(item),
    item,
    2,
    "items",
    "a sequence file has no quoting",
  );
});

Deno.test("sequence file: a double quote inside an id is an ordinary character", () => {
  const path = `${fixture({ ".txt": 'u1 i"1 i2"\n' })}.txt`;
  assertEquals(histories(readSequenceFile(path)), [['i"1', 'i2"']]);
});

Deno.test("sequence file: a line of 200,000 items is read whole", () => {
  const items = Array.from({ length: 200_000 }, (_, i) => `i${i}`);
  const path = `${fixture({ ".txt": `u1 ${items.join(" ")}\n` })}.txt`;
  const dataset = readSequenceFile(path);
  assertEquals([dataset.numItems, dataset.sequences[0].length], [200_000, 200_000]);
  assertEquals(dataset.itemIds[199_999], "i199999");
});

Deno.test("dense features: a value nearer 0 than float32's smallest is stored as 0", () => {
  const path = `${fixture({ ".txt": "a 1e-50 3\nb 2 1e-400\n" })}.txt`;
  const modality = readDenseFeatures(path, ["a", "b"], { name: "image", provenance });
  assertEquals([...modality.values], [0, 3, 2, 0]);
});

Deno.test("recbole: a required .item that is missing names the option that requires it", () => {
  const base = fixture({ ".inter": HEADER + "u1\ti1\t1\n" });
  assertDataError(
    () => readRecBoleAtomic(base, { requireItemFile: true }),
    `${base}.item`,
    0,
    "file",
    "missing (no such file), and RecBoleReadOptions.requireItemFile is true",
  );
});

Deno.test("dense features: a row of an id alone, a quoted id, a missing row: the error says which", () => {
  const read = (text: string, requireAllItems = false) => {
    const path = `${fixture({ ".txt": text })}.txt`;
    const run = () =>
      readDenseFeatures(path, ["a", "b"], { name: "image", provenance, requireAllItems });
    return { path, run };
  };
  const idAlone = read("a\nb 1\n");
  assertDataError(idAlone.run, idAlone.path, 1, "value", 'holds the item id "a" and no values');
  const quoted = read('a 1\n"b" 2\n');
  assertDataError(quoted.run, quoted.path, 2, "item_id", 'unknown item id ""b"" (not in the');
  assertDataError(quoted.run, quoted.path, 2, "item_id", "quoted? a feature file has no quoting");
  const missing = read("a 1\n", true);
  assertDataError(missing.run, missing.path, 0, "item_id", '(the first without a row: "b";');
});

Deno.test("recbole: an empty timestamp or rating cell says it is empty, at its line and column", () => {
  const time = fixture({ ".inter": HEADER + "u1\ti1\t1\nu1\ti2\t \n" });
  assertDataError(
    () => readRecBoleAtomic(time),
    `${time}.inter`,
    3,
    "timestamp:float",
    'not a number: " " (decimal notation expected, e.g. 12, -0.5, 1e-3; an empty cell: every row',
  );
  const rating = fixture({
    ".inter": "user_id:token\titem_id:token\trating:float\nu1\ti1\t\n",
  });
  assertDataError(
    () => readRecBoleAtomic(rating),
    `${rating}.inter`,
    2,
    "rating:float",
    "an empty cell",
  );
});
