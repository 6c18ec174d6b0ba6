/**
 * Edges of the bring-your-own-data readers that no other importer test reached (found by the
 * mutation round N): a file without a row, a 0-wide feature file, rows shorter than the first, a
 * too-short .inter row's field, more rows than the reader's first column allocation, and what the
 * RecBole writer must keep (timestamps, multi-word tokens). Each refusal names file, line, field.
 */
import { assert, assertEquals, assertThrows } from "@std/assert";
import { forEachLine, readLines } from "../../lib/data/import/_fields.ts";
import { attachModality, readDenseFeatures } from "../../lib/data/import/dense_features.ts";
import { readRecBoleAtomic, readRecBoleAtomicInChunks } from "../../lib/data/import/recbole.ts";
import { readSequenceFile } from "../../lib/data/import/sequence_file.ts";
import { writeRecBoleAtomic } from "../../lib/data/import/write_recbole.ts";
import type { InteractionDataset, ModalityFeatures } from "../../lib/data/types.ts";
import { assertDataError, importFixtures } from "./_import_fixtures.ts";

const { write: fixture } = importFixtures("import_refusals_test_");

const INTER_HEADER = "user_id:token\titem_id:token\ttimestamp:float";
const provenance = { source: "test", normalisation: "none" };

/** No file of the atomic-file base `out` (`out.inter`, `out.item`, ...) is next to it. */
function assertNoFilesOf(out: string): void {
  const base = out.slice(out.lastIndexOf("/") + 1);
  const left = [...Deno.readDirSync(out.slice(0, out.lastIndexOf("/")))]
    .filter((entry) => entry.name.startsWith(`${base}.`));
  assertEquals(left, []);
}

Deno.test("a sequence file without a user (empty, or blank lines only) is refused, not 0 users", () => {
  for (const text of ["", "\n  \n\t\n"]) {
    const path = `${fixture({ ".txt": text })}.txt`;
    assertDataError(() => readSequenceFile(path), path, 1, "user", "no users in file");
  }
});

Deno.test("a dense feature file whose first row holds only an id is refused: width 0", () => {
  const path = `${fixture({ ".feat": "\na\nb 1\n" })}.feat`;
  assertDataError(
    () => readDenseFeatures(path, ["a", "b"], { name: "image", provenance }),
    path,
    2,
    "value",
    "feature width 0 is not positive",
  );
});

Deno.test("attachModality refuses more values than items x dim, not only fewer", () => {
  const dataset = readSequenceFile(`${fixture({ ".txt": "u1 a b c\n" })}.txt`);
  const image = readDenseFeatures(
    `${fixture({ ".feat": "a 1\nb 2\nc 3\n" })}.feat`,
    dataset.itemIds,
    { name: "image", provenance },
  );
  const long = { ...image, values: new Float32Array(4) };
  assertDataError(
    () => attachModality(dataset, long, "img.feat"),
    "img.feat",
    0,
    "values",
    "4 values, expected 3 x 1",
  );
  const wide = { ...image, present: new Uint8Array(4) };
  assertDataError(
    () => attachModality(dataset, wide, "img.feat"),
    "img.feat",
    0,
    "present",
    "4 items, dataset has 3",
  );
});

Deno.test("a .inter row with too few fields names the first missing column", () => {
  const base = fixture({
    ".inter": "user_id:token\titem_id:token\ttimestamp:float\trating:float\nu1\ta\n",
  });
  assertDataError(
    () => readRecBoleAtomic(base),
    `${base}.inter`,
    2,
    "timestamp:float",
    "2 fields, header has 4",
  );
});

Deno.test("a token starting with a vertical tab says that tokens hold no line or page breaks", () => {
  const base = fixture({ ".inter": `${INTER_HEADER}\n\vu1\ta\t1\n` });
  assertDataError(
    () => readRecBoleAtomic(base),
    `${base}.inter`,
    2,
    "user_id:token",
    'whitespace U+000B (vertical tab) in "u1": a token may hold spaces, not line or page breaks',
  );
});

Deno.test(".item: a float_seq value shorter than the first is refused, not padded with zeros", () => {
  const base = fixture({
    ".inter": `${INTER_HEADER}\nu1\ta\t1\n`,
    ".item": "item_id:token\tvec:float_seq\na\t1 2\nb\t3\n",
  });
  assertDataError(
    () => readRecBoleAtomic(base),
    `${base}.item`,
    3,
    "vec:float_seq",
    "1 values, but line 2 (the first with a value, which sets the width) has 2",
  );
});

Deno.test(".inter of more rows than the columns' first allocation (1024) keeps every row", () => {
  // 300 users x 10 items = 3000 rows: the user, item, time and line columns grow twice. Each
  // user's rows come in reverse time order, so the sort reads the grown time column too.
  const rows: string[] = [];
  const expected: string[][] = [];
  for (let u = 0; u < 300; u++) {
    const history = Array.from({ length: 10 }, (_, k) => `i${(u * 7 + k * 13) % 500}`);
    expected.push(history);
    for (let k = 9; k >= 0; k--) rows.push(`u${u}\t${history[k]}\t${1000 * u + k}`);
  }
  const data = readRecBoleAtomic(fixture({ ".inter": `${INTER_HEADER}\n${rows.join("\n")}\n` }));
  assertEquals(data.userIds, expected.map((_, u) => `u${u}`));
  assertEquals(
    data.sequences.map((sequence) => Array.from(sequence, (item) => data.itemIds[item])),
    expected,
  );
  assertEquals(data.timestamps![299][9], 299009);
});

Deno.test("repeated rows: the note names the first repeat in file order, whichever user", () => {
  // u1 comes first, but u2's repeat (line 4) comes before u1's (line 5).
  const base = fixture({ ".inter": `${INTER_HEADER}\nu1\ta\t1\nu2\tb\t5\nu2\tb\t5\nu1\ta\t1\n` });
  const data = readRecBoleAtomic(base);
  assert(
    data.metadata.preprocessing.includes(
      "2 rows repeat an earlier row's user, item and timestamp (first: line 4 repeats line 3 " +
        `of ${base}.inter): kept as repeated interactions`,
    ),
    data.metadata.preprocessing.join("\n"),
  );
});

Deno.test("a RecBole dataset is named by the base path's last part unless a name is given", () => {
  const base = fixture({ ".inter": `${INTER_HEADER}\nu1\ta\t1\n` });
  assertEquals(readRecBoleAtomic(base).name, base.slice(base.lastIndexOf("/") + 1));
  assertEquals(readRecBoleAtomic(base, { name: "shop" }).name, "shop");
});

Deno.test("writeRecBoleAtomic writes the dataset's timestamps, and positions only without them", () => {
  const source = readRecBoleAtomic(
    fixture({ ".inter": `${INTER_HEADER}\nu1\ta\t100\nu1\tb\t250.5\nu2\ta\t7\n` }),
  );
  const out = fixture({});
  writeRecBoleAtomic(source, out);
  const again = readRecBoleAtomic(out);
  assertEquals(again.timestamps, source.timestamps);
  const sequences = readSequenceFile(`${fixture({ ".txt": "u1 a b\n" })}.txt`);
  const positions = fixture({});
  writeRecBoleAtomic(sequences, positions);
  assertEquals(
    Deno.readTextFileSync(`${positions}.inter`),
    `${INTER_HEADER}\nu1\ta\t0\nu1\tb\t1\n`,
  );
});

Deno.test("writeRecBoleAtomic refuses a modality name the .item header cannot hold, writing nothing", () => {
  const dataset = readSequenceFile(`${fixture({ ".txt": "u1 a b\n" })}.txt`);
  const named = (name: string): InteractionDataset => ({
    ...dataset,
    modalities: [...dataset.modalities, {
      name,
      kind: "dense",
      dim: 1,
      values: Float32Array.of(1, 2),
      present: Uint8Array.of(1, 1),
      provenance: { source: "test", normalisation: "none" },
    }],
  });
  const refusedAt = (name: string, field: string, detail: string) => {
    const out = fixture({});
    const error = assertThrows(() => writeRecBoleAtomic(named(name), out));
    assert(error instanceof Error, `${error}`);
    assert(error.message.includes(`${out}.item:1: field "${field}"`), error.message);
    assert(error.message.includes(detail), error.message);
    assert(error.message.endsWith("nothing was written"), error.message);
    assertNoFilesOf(out);
  };
  // Written as they were, each header was refused by readRecBoleAtomic (and RecBole, which splits
  // a header cell at its colons): the files were written, and failed only when read back.
  refusedAt("clip:vit", "clip:vit:float_seq", "holds a colon");
  refusedAt("item_id", "item_id:float_seq", "the id column");
  refusedAt("img\tx", "img\tx:float_seq", "holds a tab or line break");
  // Read back trimmed, " image" was another modality's name ("image").
  refusedAt(" image", " image:float_seq", "whitespace at either end");
  refusedAt("", ":float_seq", "is empty");
  // A name with a space inside reads back as written.
  const out = fixture({});
  writeRecBoleAtomic(named("image emb"), out);
  assertEquals(readRecBoleAtomic(out).modalities.map((m) => m.name), ["id", "image emb"]);
});

Deno.test("writeRecBoleAtomic writes dense values exactly: each reads back as the same float32", () => {
  // Written with fewer digits (toFixed, toPrecision), a value read back as a neighbouring float32.
  const source = readRecBoleAtomic(fixture({
    ".inter": `${INTER_HEADER}\nu1\ta\t1\nu1\tb\t2\n`,
    ".item": "item_id:token\tvec:float_seq\tprice:float\n" +
      "a\t0.123456789 -1e-7\t3.4028234663852886e38\nb\t1e-30 2.5\t-0.3333\n",
  }));
  const out = fixture({});
  writeRecBoleAtomic(source, out);
  const again = readRecBoleAtomic(out);
  const values = (dataset: InteractionDataset) =>
    dataset.modalities.map((m) => [m.name, Array.from(m.values)]);
  assertEquals(values(again), values(source));
});

Deno.test("writeRecBoleAtomic keeps a multi-word vocabulary entry one token (spaces -> _)", () => {
  const dataset = readSequenceFile(`${fixture({ ".txt": "u1 a b\n" })}.txt`);
  const genre: ModalityFeatures = {
    name: "genre",
    kind: "multi_hot",
    dim: 2,
    values: Float32Array.of(1, 1, 0, 1),
    present: Uint8Array.of(1, 1),
    vocabulary: ["science fiction", "drama"],
    provenance,
  };
  const out = fixture({});
  writeRecBoleAtomic(attachModality(dataset, genre, "genre"), out);
  const again = readRecBoleAtomic(out).modalities[1];
  // Split on the space, "science fiction" read back as two tokens: a 3-wide modality.
  assertEquals(again.vocabulary, ["drama", "science_fiction"]);
  assertEquals(Array.from(again.values), [1, 1, 1, 0]);
});

Deno.test({
  name: "forEachLine closes the file it reads, also when the visitor throws",
  ignore: Deno.build.os !== "linux", // looks through the process's open files in /proc/self/fd
  fn: () => {
    const path = `${fixture({ ".txt": "u1 a\nu2 b\n" })}.txt`;
    // The descriptors open on this test's own file: a count of all of them would also count the
    // files that tests running alongside (--parallel, one process) happen to hold.
    const openOnPath = () =>
      [...Deno.readDirSync("/proc/self/fd")].filter(({ name }) => {
        try {
          return Deno.readLinkSync(`/proc/self/fd/${name}`) === path;
        } catch {
          return false; // closed since the listing
        }
      }).length;
    assertEquals(readLines(path).length, 2);
    assertEquals(openOnPath(), 0);
    const visitor = () => {
      throw new Error("visitor failed");
    };
    assertThrows(() => forEachLine(path, visitor), Error, "visitor failed");
    assertEquals(openOnPath(), 0);
  },
});

Deno.test("a NUL byte and bytes that are not UTF-8 in one read: the first is named", () => {
  const encode = (text: string) => new TextEncoder().encode(text);
  const latin1First = `${
    fixture({ ".txt": Uint8Array.from([...encode("u1 a\nu2 "), 0xff, ...encode("\nu3 "), 0, 10]) })
  }.txt`;
  assertDataError(() => readSequenceFile(latin1First), latin1First, 2, "file", "not UTF-8");
  const nulFirst = `${
    fixture({ ".txt": Uint8Array.from([...encode("u1 a\nu2 "), 0, ...encode("\nu3 "), 0xff, 10]) })
  }.txt`;
  assertDataError(() => readSequenceFile(nulFirst), nulFirst, 2, "file", "a NUL byte");
});

Deno.test("a byte-order mark inside the file is refused at its line in every chunk size", () => {
  // Only a leading one marks the encoding; one that a read happens to start with is a value's.
  const base = fixture({ ".inter": `${INTER_HEADER}\nu1\ta\t1\n\uFEFFu2\tb\t2\n` });
  for (const chunkBytes of [1, 2, 3, 5, undefined]) {
    assertDataError(
      () => readRecBoleAtomicInChunks(base, {}, { chunkBytes }),
      `${base}.inter`,
      3,
      "user_id:token",
      "starts with whitespace U+FEFF (byte-order mark)",
    );
  }
});

Deno.test("sequence file: a header after blank lines, or of one RecBole cell, is refused", () => {
  const late = `${fixture({ ".txt": "\n\nuser_id item_ids\nu1 a\n" })}.txt`;
  assertDataError(() => readSequenceFile(late), late, 3, "user", "looks like a header line");
  // One typed cell, the user's or an item's among plain words, is RecBole's header all the same.
  const cell = `${fixture({ ".txt": "user_id:token\nu1 a\n" })}.txt`;
  const mixed = `${fixture({ ".txt": "user_id item_id:token_seq\nu1 a\n" })}.txt`;
  for (const path of [cell, mixed]) {
    assertDataError(
      () => readSequenceFile(path),
      path,
      1,
      "user",
      "looks like a header line; RecBole's typed columns (name:type): a .inter file has format",
    );
  }
  // Removing the line, the plain advice, would read each interaction as a user with two items.
  const inter = `${fixture({ ".inter": `${INTER_HEADER}\nu1\ta\t1\n` })}.inter`;
  assertDataError(
    () => readSequenceFile(inter),
    inter,
    1,
    "user",
    "looks like a header line; RecBole's typed columns (name:type): a .inter file has format " +
      '"recbole"',
  );
});

Deno.test("dense features: an empty file without dim, and one unknown row, are said exactly", () => {
  const empty = `${fixture({ ".feat": "\n" })}.feat`;
  // Said also on the command line (--features), which cannot give a dim: the file is empty, what
  // fills it, and the API's setting by its name.
  assertDataError(
    () => readDenseFeatures(empty, ["a"], { name: "image", provenance }),
    empty,
    1,
    "value",
    "the feature file is empty (no rows, or blank lines only): write one row per item, " +
      '"item_id v1 v2 ...", the first of which sets the width (only readDenseFeatures can be ' +
      "given a width instead, as its DenseFeatureConfig.dim setting)",
  );
  const unknown = `${fixture({ ".feat": "a 1\nz 2\n" })}.feat`;
  assertDataError(
    () => readDenseFeatures(unknown, ["a"], { name: "image", provenance }),
    unknown,
    2,
    "item_id",
    'unknown item id "z" (not in the dataset\'s interactions); 1 row names an item the',
  );
});

Deno.test("RecBole: an id column of another type and an empty .item are refused", () => {
  const floatIds = fixture({ ".inter": "user_id:token\titem_id:float\nu1\t1\n" });
  assertDataError(
    () => readRecBoleAtomic(floatIds),
    `${floatIds}.inter`,
    1,
    "item_id:float",
    "the header declares item_id:float, expected item_id:token: user and item ids are tokens",
  );
  const emptyItem = fixture({ ".inter": `${INTER_HEADER}\nu1\ta\t1\n`, ".item": "\n" });
  assertDataError(
    () => readRecBoleAtomic(emptyItem),
    `${emptyItem}.item`,
    1,
    "header",
    "empty file",
  );
});

Deno.test("unknown .item ids are counted as written: an id with stray whitespace is not one", () => {
  const base = fixture({
    ".inter": `${INTER_HEADER}\nu1\tx\t1\nu1\t a\t2\n`,
    ".item": "item_id:token\na\n",
  });
  assertDataError(
    () => readRecBoleAtomic(base),
    `${base}.inter`,
    2,
    "item_id:token",
    'unknown item id "x" (not in ' + `${base}.item); 1 line names 1 item without a row there`,
  );
});

Deno.test("every user's history is sorted by time, the last user's too", () => {
  const base = fixture({ ".inter": `${INTER_HEADER}\nu1\ta\t1\nu2\tb\t9\nu2\tc\t3\n` });
  const data = readRecBoleAtomic(base);
  assertEquals(
    data.sequences.map((sequence) => Array.from(sequence, (item) => data.itemIds[item])),
    [["a"], ["c", "b"]],
  );
});

Deno.test("writeRecBoleAtomic refuses a value RecBole would read as other data, writing nothing", () => {
  const refusedAt = (dataset: InteractionDataset, file: string, detail: string) => {
    const out = fixture({});
    const error = assertThrows(() => writeRecBoleAtomic(dataset, out));
    assert(error instanceof Error && error.message.includes(`${out}${file}`), `${error}`);
    assert(error.message.includes(detail), error.message);
    assert(error.message.endsWith("nothing was written"), error.message);
    assertNoFilesOf(out);
  };
  // A user id "u1 (built in code: readSequenceFile refuses it since 2026-12-07); written as is,
  // pandas read "u1\ta\t0\n"u1 as one quoted value up to the next quote, joining fields and rows.
  const plain = readSequenceFile(`${fixture({ ".txt": "u1 a b\nu2 a\n" })}.txt`);
  const quotedUser = { ...plain, userIds: ['"u1', "u2"] };
  refusedAt(quotedUser, '.inter:2: field "user_id:token"', '"\\"u1" starts with a double quote');
  // A token_seq cell `x "y"` is read (the quote is inside); the writer's sorted vocabulary put
  // "y" first, so the written cell started with the quote.
  const tags = readRecBoleAtomic(fixture({
    ".inter": `${INTER_HEADER}\nu1\ta\t1\n`,
    ".item": 'item_id:token\ttags:token_seq\na\tx "y"\n',
  }));
  refusedAt(tags, '.item:2: field "tags:token_seq"', "starts with a double quote");
  // An id built in code may hold a tab: it would become two fields.
  const tabbed = { ...quotedUser, userIds: ["u1", "u\t2"] };
  refusedAt(tabbed, '.inter:4: field "user_id:token"', "holds a tab or line break");
  const broken = { ...quotedUser, userIds: ["u1", "u\n2"] };
  refusedAt(broken, '.inter:4: field "user_id:token"', "holds a tab or line break");
  // A bare CR ends a line for pandas (and readRecBoleAtomic refuses it at its line).
  const returned = { ...quotedUser, userIds: ["u1", "u\r2"] };
  refusedAt(returned, '.inter:4: field "user_id:token"', "holds a tab or line break");
  // After a space, as readRecBoleAtomic checks it (a cell's leading space is trimmed there).
  const spaced = { ...quotedUser, userIds: ["u1", ' "u2'] };
  refusedAt(spaced, '.inter:4: field "user_id:token"', "starts with a double quote");
});

Deno.test("dense features: the largest float32, as numpy prints it, is kept; the next float32 up is refused", () => {
  // "3.4028235e+38" is numpy's repr of the largest float32: a little above it as a double, it is
  // stored as it. 3.4028236e38 rounds to Infinity in float32 storage.
  const path = `${fixture({ ".feat": "a 3.4028235e+38 -3.4028234663852886e38\n" })}.feat`;
  const image = readDenseFeatures(path, ["a"], { name: "image", provenance });
  assertEquals(Array.from(image.values), [3.4028234663852886e38, -3.4028234663852886e38]);
  const over = `${fixture({ ".feat": "a 1 3.4028236e38\n" })}.feat`;
  assertDataError(
    () => readDenseFeatures(over, ["a"], { name: "image", provenance }),
    over,
    1,
    "value[1]",
    "outside the float32 range",
  );
});

Deno.test("attachModality names the modality and its file in the dataset's source (the card's)", () => {
  const path = `${fixture({ ".txt": "u1 a b\n" })}.txt`;
  const dataset = readSequenceFile(path);
  const image = readDenseFeatures(`${fixture({ ".feat": "a 1\nb 2\n" })}.feat`, dataset.itemIds, {
    name: "image",
    provenance,
  });
  const withImage = attachModality(dataset, image, "img.feat");
  assertEquals(withImage.metadata.source, `${dataset.metadata.source} + image from img.feat`);
});

Deno.test("dense features: a comma value of 40 characters is shown whole, of 41 cut", () => {
  const forty = `a,${"1".repeat(38)}`;
  const path = `${fixture({ ".feat": `${forty}\n` })}.feat`;
  assertDataError(
    () => readDenseFeatures(path, ["a"], { name: "image", dim: 1, provenance }),
    path,
    1,
    "item_id",
    `one value "${forty}" and no numbers`,
  );
  const longer = `${fixture({ ".feat": `${forty}2\n` })}.feat`;
  assertDataError(
    () => readDenseFeatures(longer, ["a"], { name: "image", dim: 1, provenance }),
    longer,
    1,
    "item_id",
    `one value "${forty}..." and no numbers`,
  );
});

Deno.test("forEachLine: a chunk size that is no integer is refused; a directory is named as one", () => {
  const path = `${fixture({ ".txt": "u1 a\n" })}.txt`;
  assertThrows(
    () => forEachLine(path, () => {}, { chunkBytes: 1.5 }),
    RangeError,
    "forEachLine: chunkBytes must be a positive integer, got 1.5",
  );
  const folder = `${fixture({})}.folder`;
  Deno.mkdirSync(folder);
  assertDataError(() => readLines(folder), folder, 0, "file", "is a directory, not a file");
});

Deno.test("forEachLine: a later bare carriage return outranks what the visitor threw earlier", () => {
  const path = `${fixture({ ".txt": "u1 a\nu2 b\nu3\rc\n" })}.txt`;
  const visitor = (line: number) => {
    if (line === 1) throw new Error("visitor failed at line 1");
  };
  for (const chunkBytes of [1, 4, undefined]) {
    assertDataError(
      () => forEachLine(path, visitor, { chunkBytes }),
      path,
      3,
      "file",
      "a carriage return without a line feed",
    );
  }
});

Deno.test("numbers: '1.' and '.5' are decimals; a cell's spaces are trimmed; 1e400 is not finite", () => {
  const path = `${fixture({ ".feat": "a 1. .5 -2.e1\n" })}.feat`;
  const image = readDenseFeatures(path, ["a"], { name: "image", provenance });
  assertEquals(Array.from(image.values), [1, 0.5, -20]);
  // pandas, RecBole's reader, reads " 3 " in a float column as 3.
  const spaced = readRecBoleAtomic(
    fixture({ ".inter": `${INTER_HEADER}\nu1\ta\t 3 \nu1\tb\t4\n` }),
  );
  assertEquals(spaced.timestamps?.map((times) => Array.from(times)), [[3, 4]]);
  // Decimal notation, yet beyond any double: Infinity, refused even where float32 is not asked.
  const huge = fixture({ ".inter": `${INTER_HEADER}\nu1\ta\t1e400\n` });
  assertDataError(
    () => readRecBoleAtomic(huge),
    `${huge}.inter`,
    2,
    "timestamp:float",
    'not finite: "1e400"',
  );
});

Deno.test(".item: a float cell of two numbers is refused, not read as a 2-wide float_seq", () => {
  const base = fixture({
    ".inter": `${INTER_HEADER}\nu1\ta\t1\nu1\tb\t2\n`,
    ".item": "item_id:token\tprice:float\na\t1 2\nb\t3 4\n",
  });
  assertDataError(() => readRecBoleAtomic(base), `${base}.item`, 2, "price:float", "not a number");
});

Deno.test("a dense feature file with a header line is refused at it, as a header", () => {
  // "item_id v1 v2" said "unknown item id \"item_id\"", and a RecBole .item given as a feature
  // file said that its line 2 had "6 values, but line 1 (the first row, which sets the width)
  // has 2": the header set the width.
  const read = (text: string) => {
    const path = `${fixture({ ".feat": text })}.feat`;
    return { path, run: () => readDenseFeatures(path, ["a", "b"], { name: "image", provenance }) };
  };
  const plain = read("\nitem_id v1 v2\na 1 2\nb 3 4\n");
  assertDataError(
    plain.run,
    plain.path,
    2,
    "item_id",
    '"item_id v1 v2" looks like a header line; a feature file has no header (remove the line)',
  );
  const item = read("item_id:token\tgenre:token_seq\tv:float_seq\na\tx y\t1 2\nb\ty\t3 4\n");
  assertDataError(
    item.run,
    item.path,
    1,
    "item_id",
    "looks like a header line; RecBole's typed columns (name:type): a .item file is read with " +
      'its .inter (format "recbole"), and each of its feature columns becomes a modality',
  );
  // A first row naming an item the interactions do not, with numbers, is that row's error.
  for (const first of ["z 1 2", "z nan 2"]) {
    const unknown = read(`${first}\na 1 2\n`);
    assertDataError(unknown.run, unknown.path, 1, "item_id", 'unknown item id "z"');
  }
  // A known item with a word is a value's error, not a header.
  const word = read("a 1 x\nb 3 4\n");
  assertDataError(word.run, word.path, 1, "value[1]", "not a number");
});
