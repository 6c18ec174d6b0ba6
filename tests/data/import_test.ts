import { assert, assertEquals, assertThrows } from "@std/assert";
import { writeFilesAtomically } from "../../lib/data/atomic_write.ts";
import { attachModality, readDenseFeatures } from "../../lib/data/import/dense_features.ts";
import { assertDataError, importFixtures } from "./_import_fixtures.ts";
import { readRecBoleAtomic } from "../../lib/data/import/recbole.ts";
import { readSequenceFile } from "../../lib/data/import/sequence_file.ts";
import { writeRecBoleAtomic } from "../../lib/data/import/write_recbole.ts";

const { dir, write: fixture } = importFixtures("import_test_");

const INTER_HEADER = "user_id:token\titem_id:token\ttimestamp:float";
const ITEM_OK = "item_id:token\tgenre:token_seq\tprice:float\tvec:float_seq\n" +
  "a\tx y\t1.5\t1 2\n" +
  "b\ty\t\t3 4\n" +
  "c\t\t2\t\n";

Deno.test("readRecBoleAtomic: timestamp order with file-order tie-break, features, cold items", () => {
  const base = fixture({
    ".inter": `${INTER_HEADER}\nu1\tb\t20\nu1\ta\t10\nu2\tb\t5\nu1\tc\t20\n`,
    ".item": ITEM_OK,
  });
  const dataset = readRecBoleAtomic(base);
  assertEquals(dataset.userIds, ["u1", "u2"]);
  assertEquals(dataset.itemIds, ["a", "b", "c"]);
  // u1: a@10, then b@20 and c@20 in file order
  assertEquals(dataset.sequences.map((s) => Array.from(s)), [[0, 1, 2], [1]]);
  const [, genre, price, vec] = dataset.modalities;
  assertEquals(genre.vocabulary, ["x", "y"]);
  assertEquals(Array.from(genre.values), [1, 1, 0, 1, 0, 0]);
  assertEquals(Array.from(genre.present), [1, 1, 0]);
  assertEquals([price.kind, price.dim, Array.from(price.present)], ["dense", 1, [1, 0, 1]]);
  assertEquals(Array.from(vec.values), [1, 2, 3, 4, 0, 0]);
});

Deno.test("writeRecBoleAtomic round-trips through readRecBoleAtomic", () => {
  const source = readRecBoleAtomic(fixture({
    ".inter": `${INTER_HEADER}\nu1\ta\t1\nu1\tb\t2\nu2\tc\t3\n`,
    ".item": ITEM_OK,
  }));
  const out = `${dir}/roundtrip`;
  writeRecBoleAtomic(source, out);
  const again = readRecBoleAtomic(out);
  assertEquals(again.sequences, source.sequences);
  assertEquals(
    again.modalities.map((m) => [m.name, m.dim, Array.from(m.present)]),
    source.modalities.map((m) => [m.name, m.dim, Array.from(m.present)]),
  );
  assertEquals(again.metadata.fingerprint, source.metadata.fingerprint);
});

Deno.test("writeFilesAtomically leaves no file behind when one write fails", () => {
  const good = `${dir}/atomic_good.txt`;
  assertThrows(() =>
    writeFilesAtomically([
      { path: good, data: "x" },
      { path: `${dir}/no/such/dir/file.txt`, data: "y" },
    ])
  );
  assertEquals([...Deno.readDirSync(dir)].filter((e) => e.name.startsWith("atomic_good")), []);
});

Deno.test("malformed .inter: missing column", () => {
  const base = fixture({ ".inter": "user_id:token\ttimestamp:float\nu1\t3\n" });
  assertDataError(
    () => readRecBoleAtomic(base),
    `${base}.inter`,
    1,
    "item_id:token",
    "missing column",
  );
});

Deno.test("malformed .inter: unknown field type in header", () => {
  const base = fixture({ ".inter": "user_id:str\titem_id:token\nu1\ta\n" });
  assertDataError(() => readRecBoleAtomic(base), `${base}.inter`, 1, "user_id:str", "name:type");
});

Deno.test("malformed .inter: wrong number of fields", () => {
  const base = fixture({ ".inter": `${INTER_HEADER}\nu1\ta\t1\nu1\ta\n` });
  assertDataError(() => readRecBoleAtomic(base), `${base}.inter`, 3, "timestamp:float", "2 fields");
});

Deno.test("malformed .inter: non-numeric timestamp", () => {
  const base = fixture({ ".inter": `${INTER_HEADER}\nu1\ta\t1\nu2\ta\tyesterday\n` });
  assertDataError(
    () => readRecBoleAtomic(base),
    `${base}.inter`,
    3,
    "timestamp:float",
    "not a number",
  );
});

Deno.test("malformed .inter: infinite and NaN timestamps", () => {
  const inf = fixture({ ".inter": `${INTER_HEADER}\nu1\ta\tInfinity\n` });
  assertDataError(() => readRecBoleAtomic(inf), `${inf}.inter`, 2, "timestamp:float", "not finite");
  const nan = fixture({ ".inter": `${INTER_HEADER}\nu1\ta\t1\n\nu1\tb\tNaN\n` });
  assertDataError(
    () => readRecBoleAtomic(nan),
    `${nan}.inter`,
    4,
    "timestamp:float",
    "not a number",
  );
});

Deno.test("malformed .inter: empty user id", () => {
  const base = fixture({ ".inter": `${INTER_HEADER}\n\ta\t1\n` });
  assertDataError(() => readRecBoleAtomic(base), `${base}.inter`, 2, "user_id:token", "empty id");
});

Deno.test("malformed .inter: item not listed in .item", () => {
  const base = fixture({ ".inter": `${INTER_HEADER}\nu1\ta\t1\nu1\tzz\t2\n`, ".item": ITEM_OK });
  assertDataError(
    () => readRecBoleAtomic(base),
    `${base}.inter`,
    3,
    "item_id:token",
    'unknown item id "zz"',
  );
});

Deno.test("malformed .inter: timestamp declared as token", () => {
  const base = fixture({ ".inter": "user_id:token\titem_id:token\ttimestamp:token\nu1\ta\t1\n" });
  assertDataError(
    () => readRecBoleAtomic(base),
    `${base}.inter`,
    1,
    "timestamp:token",
    "expected type float",
  );
});

Deno.test("malformed .item: duplicate item id", () => {
  const base = fixture({
    ".inter": `${INTER_HEADER}\nu1\ta\t1\n`,
    ".item": `${ITEM_OK}a\tx\t1\t5 6\n`,
  });
  assertDataError(
    () => readRecBoleAtomic(base),
    `${base}.item`,
    5,
    "item_id:token",
    'duplicate item id "a"',
  );
});

Deno.test("malformed .item: float_seq of the wrong width", () => {
  const item = ITEM_OK.replace("b\ty\t\t3 4", "b\ty\t\t3 4 5");
  const base = fixture({ ".inter": `${INTER_HEADER}\nu1\ta\t1\n`, ".item": item });
  assertDataError(
    () => readRecBoleAtomic(base),
    `${base}.item`,
    3,
    "vec:float_seq",
    "3 values, earlier rows have 2",
  );
});

Deno.test("malformed .item: infinite float and non-numeric float_seq element", () => {
  const inf = fixture({
    ".inter": `${INTER_HEADER}\nu1\ta\t1\n`,
    ".item": ITEM_OK.replace("1.5", "-Infinity"),
  });
  assertDataError(() => readRecBoleAtomic(inf), `${inf}.item`, 2, "price:float", "not finite");
  const text = fixture({
    ".inter": `${INTER_HEADER}\nu1\ta\t1\n`,
    ".item": ITEM_OK.replace("3 4", "3 four"),
  });
  assertDataError(
    () => readRecBoleAtomic(text),
    `${text}.item`,
    3,
    "vec:float_seq[1]",
    'not a number: "four"',
  );
});

Deno.test("malformed .item: required but absent", () => {
  const base = fixture({ ".inter": `${INTER_HEADER}\nu1\ta\t1\n` });
  assertDataError(
    () => readRecBoleAtomic(base, { requireItemFile: true }),
    `${base}.item`,
    0,
    "file",
    "missing",
  );
});

Deno.test("sequence files: valid file, empty history, duplicate user", () => {
  const ok = fixture({ ".txt": "u1 a b c\nu2 c a\n" });
  const dataset = readSequenceFile(`${ok}.txt`);
  assertEquals(dataset.itemIds, ["a", "b", "c"]);
  assertEquals(dataset.sequences.map((s) => Array.from(s)), [[0, 1, 2], [2, 0]]);
  const empty = fixture({ ".txt": "u1 a b\n\nu2\n" });
  assertDataError(
    () => readSequenceFile(`${empty}.txt`),
    `${empty}.txt`,
    3,
    "items",
    "empty history",
  );
  const twice = fixture({ ".txt": "u1 a b\nu2 a\nu1 c\n" });
  assertDataError(
    () => readSequenceFile(`${twice}.txt`),
    `${twice}.txt`,
    3,
    "user",
    "first on line 1",
  );
});

Deno.test("dense feature files: unknown id, duplicate id, wrong width, NaN, inconsistent count", () => {
  const itemIds = ["a", "b", "c"];
  const provenance = { source: "test", normalisation: "none" };
  const read = (text: string, dim?: number, requireAllItems = false) => {
    const path = `${fixture({ ".feat": text })}.feat`;
    return {
      path,
      run: () =>
        readDenseFeatures(path, itemIds, { name: "image", dim, requireAllItems, provenance }),
    };
  };
  const ok = read("a 1 2\nc 3 4\n").run();
  assertEquals([ok.dim, Array.from(ok.values), Array.from(ok.present)], [2, [1, 2, 0, 0, 3, 4], [
    1,
    0,
    1,
  ]]);
  let c = read("a 1 2\nq 3 4\n");
  assertDataError(c.run, c.path, 2, "item_id", 'unknown item id "q"');
  c = read("a 1 2\na 3 4\n");
  assertDataError(c.run, c.path, 2, "item_id", 'duplicate item id "a"');
  c = read("a 1 2\nb 3\n", 2);
  assertDataError(c.run, c.path, 2, "value[1]", "1 values, expected 2");
  c = read("a 1 NaN\n");
  assertDataError(c.run, c.path, 1, "value[1]", "not a number");
  c = read("a 1 2\nb 3 4\n", 2, true);
  assertDataError(c.run, c.path, 0, "item_id", "rows for 2 items, the dataset has 3");
});

Deno.test("attachModality checks the item count and recomputes the fingerprint", () => {
  const dataset = readSequenceFile(`${fixture({ ".txt": "u1 a b c\n" })}.txt`);
  const provenance = { source: "test", normalisation: "none" };
  const image = readDenseFeatures(
    `${fixture({ ".feat": "a 1\nb 2\nc 3\n" })}.feat`,
    dataset.itemIds,
    { name: "image", provenance },
  );
  const withImage = attachModality(dataset, image, "img.feat");
  assert(withImage.metadata.fingerprint !== dataset.metadata.fingerprint);
  const short = { ...image, present: image.present.subarray(0, 2) };
  assertDataError(
    () => attachModality(dataset, short, "img.feat"),
    "img.feat",
    0,
    "present",
    "2 items, dataset has 3",
  );
});
