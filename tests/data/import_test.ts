import { assert, assertEquals, assertStringIncludes, assertThrows } from "@std/assert";
import { DataError } from "../../lib/data/errors.ts";
import { writeFilesAtomically } from "../../lib/data/atomic_write.ts";
import { attachModality, readDenseFeatures } from "../../lib/data/import/dense_features.ts";
import { assertDataError, importFixtures } from "./_import_fixtures.ts";
import { readRecBoleAtomic } from "../../lib/data/import/recbole.ts";
import { readSequenceFile } from "../../lib/data/import/sequence_file.ts";
import { writeRecBoleAtomic } from "../../lib/data/import/write_recbole.ts";
import { splitValues } from "../../lib/data/import/_fields.ts";
import { SettingError } from "../../lib/util/settings.ts";

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
  // A session dataset as RecBole ships it (diginetica: session_id, its config's USER_ID_FIELD)
  // said only "missing column": the message names the header's columns and the names read here.
  const sessions = fixture({
    ".inter": "session_id:token\titem_id:token\ttimestamp:float\ns1\ta\t1\n",
  });
  assertDataError(
    () => readRecBoleAtomic(sessions),
    `${sessions}.inter`,
    1,
    "user_id:token",
    "missing column (the header has session_id:token, item_id:token, timestamp:float): this " +
      "reader takes RecBole's default field names, user_id:token, item_id:token and an optional " +
      "timestamp:float; rename the columns of a dataset whose RecBole configuration names others " +
      "(USER_ID_FIELD, ITEM_ID_FIELD, TIME_FIELD)",
  );
  const items = fixture({
    ".inter": INTER_HEADER + "\nu1\ta\t1\n",
    ".item": "iid:token\tg:token\na\tx\n",
  });
  assertDataError(
    () => readRecBoleAtomic(items),
    `${items}.item`,
    1,
    "item_id:token",
    "missing column (the header has iid:token, g:token)",
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
    "the header declares timestamp:token, expected timestamp:float: the timestamp orders each " +
      "user's history (its last item is the test item, the one before it the validation item), " +
      "so it must be one number per row; write timestamp:float in the header, with numbers in " +
      "its cells (dates such as 2024-01-31 converted to Unix seconds), or, if the column is not " +
      "the time of the interactions, give it another name",
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

Deno.test("malformed .item: float_seq of the wrong width names its line and the first row's", () => {
  const item = ITEM_OK.replace("b\ty\t\t3 4", "b\ty\t\t3 4 5");
  const base = fixture({ ".inter": `${INTER_HEADER}\nu1\ta\t1\n`, ".item": item });
  assertDataError(
    () => readRecBoleAtomic(base),
    `${base}.item`,
    3,
    "vec:float_seq",
    "3 values, but line 2 (the first with a value, which sets the width) has 2",
  );
  // The first row with a value is the odd one (every later row has 3): the error, at the next
  // row, names the first too. It read "earlier rows have 2", as if line 4 were wrong.
  const first = fixture({
    ".inter": `${INTER_HEADER}\nu1\ta\t1\n`,
    ".item": "item_id:token\tvec:float_seq\na\t\nb\t1 2\nc\t1 2 3\nd\t4 5 6\n",
  });
  assertDataError(
    () => readRecBoleAtomic(first),
    `${first}.item`,
    4,
    "vec:float_seq",
    "3 values, but line 3 (the first with a value, which sets the width) has 2: one of the two",
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

Deno.test("readRecBoleAtomic: an unknown or out-of-range option is a SettingError naming it", () => {
  const base = fixture({ ".inter": `${INTER_HEADER}\nu1\ta\t1\n` }); // no .item
  const bad: [Record<string, unknown>, string][] = [
    // Unread: the missing .item read as a dataset without features.
    [
      { requireItemfile: true },
      "RecBoleReadOptions.requireItemfile is true; allowed: one of the settings requireItemFile",
    ],
    // A string is truthy: "no" required the file.
    [{ requireItemFile: "no" }, 'RecBoleReadOptions.requireItemFile is "no"; allowed: true or'],
    // The tables' and cards' label.
    [{ name: "" }, 'RecBoleReadOptions.name is ""; allowed: a non-empty string'],
    // A number would label the tables and cards with a number, and the fingerprint with it.
    [{ name: 5 }, "RecBoleReadOptions.name is 5; allowed: a non-empty string"],
  ];
  for (const [options, message] of bad) {
    assertThrows(() => readRecBoleAtomic(base, options), SettingError, message);
    // Before any file is read: a missing base is the setting's error too, not the file's.
    assertThrows(() => readRecBoleAtomic(`${dir}/absent`, options), SettingError, message);
  }
  assertEquals(readRecBoleAtomic(base, { requireItemFile: false, name: "mine" }).name, "mine");
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

Deno.test("sequence files: one interaction a line says it is an interaction file, not a history", () => {
  // (user, item[, rating, timestamp]) a line, as ratings exports are: said only "duplicate user".
  for (const rows of ["u1 a\nu1 b\n", "u1\ta\t4\t1600000000\nu1\tb\t5\t1600000100\n"]) {
    const path = `${fixture({ ".txt": rows })}.txt`;
    assertDataError(
      () => readSequenceFile(path),
      path,
      2,
      "user",
      'duplicate user "u1" (first on line 1): one interaction a line (user, item, then perhaps a ' +
        "rating and a time) is an interaction file, RecBole's .inter (tab-separated, under a " +
        'header such as user_id:token item_id:token timestamp:float; format "recbole"); a ' +
        "sequence file holds each user's whole history on one line",
    );
  }
  // A user listed twice with long histories is only a duplicate.
  const long = `${fixture({ ".txt": "u1 a b c d e\nu1 f g h i j\n" })}.txt`;
  const error = assertThrows(() => readSequenceFile(long)) as DataError;
  assertEquals(error.detail, 'duplicate user "u1" (first on line 1)');
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
  // A file for a whole catalogue: the first unknown id's line, and how many rows to remove.
  c = read("a 1 2\nq 3 4\nb 5 6\nr 7 8\nq2 1 1\n");
  assertDataError(c.run, c.path, 2, "item_id", 'unknown item id "q" (not in the dataset');
  assertDataError(c.run, c.path, 2, "item_id", "3 rows name items the interactions do not");
  c = read("a 1 2\na 3 4\n");
  assertDataError(c.run, c.path, 2, "item_id", 'duplicate item id "a"');
  c = read("a 1 2\nb 3\n", 2);
  assertDataError(c.run, c.path, 2, "value[1]", "1 values, expected 2");
  // Without a dim the first row sets the width, and may be the odd one: both lines are named.
  c = read("\na 1\nb 3 4\nc 5 6\n");
  assertDataError(
    c.run,
    c.path,
    3,
    "value[1]",
    "2 values, but line 2 (the first row, which sets the width) has 1: one of the two lines",
  );
  c = read("a 1 NaN\n");
  assertDataError(c.run, c.path, 1, "value[1]", "not a number");
  c = read("a 1 2\nb 3 4\n", 2, true);
  assertDataError(c.run, c.path, 0, "item_id", "rows for 2 items, the dataset has 3");
});

Deno.test("readDenseFeatures: an unknown or out-of-range setting is a SettingError naming it", () => {
  const path = `${fixture({ ".feat": "a 1 2\nb 3 4\n" })}.feat`;
  const provenance = { source: "test", normalisation: "none" };
  const bad: [Record<string, unknown>, string][] = [
    // Unread: the first row set the width, 2.
    [{ dimm: 3 }, "DenseFeatureConfig.dimm is 3; allowed: one of the settings name, dim, "],
    // Reported as the file's "feature width 1.5 is not positive".
    [{ dim: 1.5 }, "DenseFeatureConfig.dim is 1.5; allowed: an integer >= 1"],
    [{ dim: 0 }, "DenseFeatureConfig.dim is 0; allowed: an integer >= 1"],
    // A string is truthy: "no" required a row for every item.
    [{ requireAllItems: "no" }, 'DenseFeatureConfig.requireAllItems is "no"; allowed: true or'],
    // A modality "" that tables and cards show as nothing.
    [{ name: "" }, 'DenseFeatureConfig.name is ""; allowed: a non-empty name'],
  ];
  for (const [setting, message] of bad) {
    const config = { name: "image", provenance, ...setting };
    assertThrows(
      () =>
        readDenseFeatures(path, ["a", "b", "c"], config as Parameters<typeof readDenseFeatures>[2]),
      SettingError,
      message,
    );
  }
  const image = readDenseFeatures(path, ["a", "b", "c"], { name: "image", dim: 2, provenance });
  assertEquals([image.name, image.dim, Array.from(image.present)], ["image", 2, [1, 1, 0]]);
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

const CR_DETAIL = "a carriage return without a line feed";

Deno.test("line ends: a CR-only (old Mac) file is refused at line 1 by every reader", () => {
  // Read with \r as whitespace, this was one user with every item of the file.
  const sequence = `${fixture({ ".txt": "u1 a b\ru2 b c\ru3 c a\r" })}.txt`;
  assertDataError(() => readSequenceFile(sequence), sequence, 1, "file", CR_DETAIL);
  const inter = fixture({ ".inter": `${INTER_HEADER}\ru1\ta\t1\ru2\tb\t2\r` });
  assertDataError(() => readRecBoleAtomic(inter), `${inter}.inter`, 1, "file", CR_DETAIL);
  const item = fixture({
    ".inter": `${INTER_HEADER}\nu1\ta\t1\n`,
    ".item": ITEM_OK.replaceAll("\n", "\r"),
  });
  assertDataError(() => readRecBoleAtomic(item), `${item}.item`, 1, "file", CR_DETAIL);
  const features = `${fixture({ ".feat": "a 1 2\rb 3 4\r" })}.feat`;
  assertDataError(
    () =>
      readDenseFeatures(features, ["a", "b"], {
        name: "image",
        provenance: { source: "test", normalisation: "none" },
      }),
    features,
    1,
    "file",
    CR_DETAIL,
  );
});

Deno.test("line ends: CRLF reads as LF; a bare CR in a CRLF file is refused at its line", () => {
  const lf = "u1 a b\nu2 b c\n\nu3 c a\n";
  const fromLf = readSequenceFile(`${fixture({ ".txt": lf })}.txt`, "seq");
  const fromCrlf = readSequenceFile(
    `${fixture({ ".txt": lf.replaceAll("\n", "\r\n") })}.txt`,
    "seq",
  );
  assertEquals(
    [fromCrlf.userIds, fromCrlf.itemIds, fromCrlf.sequences, fromCrlf.metadata.fingerprint],
    [fromLf.userIds, fromLf.itemIds, fromLf.sequences, fromLf.metadata.fingerprint],
  );
  const inter = `${INTER_HEADER}\nu1\tb\t20\nu1\ta\t10\nu2\tc\t5\n`;
  const recboleLf = readRecBoleAtomic(fixture({ ".inter": inter, ".item": ITEM_OK }));
  const recboleCrlf = readRecBoleAtomic(fixture({
    ".inter": inter.replaceAll("\n", "\r\n"),
    ".item": ITEM_OK.replaceAll("\n", "\r\n"),
  }));
  assertEquals(recboleCrlf.metadata.fingerprint, recboleLf.metadata.fingerprint);
  assertEquals(recboleCrlf.timestamps, recboleLf.timestamps);
  // Read with \r as whitespace, u2 and u3 were one user of 4 items.
  const mixed = `${fixture({ ".txt": "u1 a b\r\nu2 b c\ru3 c a\r\n" })}.txt`;
  assertDataError(() => readSequenceFile(mixed), mixed, 2, "file", CR_DETAIL);
  // A CR at the very end is not followed by a LF either.
  const last = `${fixture({ ".txt": "u1 a b\r\nu2 b c\r" })}.txt`;
  assertDataError(() => readSequenceFile(last), last, 2, "file", CR_DETAIL);
  const item = fixture({
    ".inter": `${INTER_HEADER}\nu1\ta\t1\n`,
    ".item": ITEM_OK.replaceAll("\n", "\r\n").replace("b\ty\t\t3 4\r\n", "b\ty\t\t3 4\r"),
  });
  assertDataError(() => readRecBoleAtomic(item), `${item}.item`, 3, "file", CR_DETAIL);
});

Deno.test("values on a line are separated by spaces and tabs only", () => {
  const ok = readSequenceFile(`${fixture({ ".txt": "\uFEFFu1\ta  b\t c \nu2 c\n" })}.txt`);
  assertEquals([ok.userIds, ok.itemIds], [["u1", "u2"], ["a", "b", "c"]]);
  // Each of these was a separator under \s+, silently cutting or joining ids.
  const nbsp = `${fixture({ ".txt": "u1 a\u00A0b\n" })}.txt`;
  assertDataError(() => readSequenceFile(nbsp), nbsp, 1, "items", "U+00A0 (no-break space)");
  const vt = `${fixture({ ".txt": "u1 a\nu2\vb c\n" })}.txt`;
  assertDataError(() => readSequenceFile(vt), vt, 2, "user", "U+000B (vertical tab)");
  const features = `${fixture({ ".feat": "a 1\f2\n" })}.feat`;
  assertDataError(
    () =>
      readDenseFeatures(features, ["a"], {
        name: "image",
        provenance: { source: "test", normalisation: "none" },
      }),
    features,
    1,
    "value[0]",
    "U+000C (form feed)",
  );
  const item = fixture({
    ".inter": `${INTER_HEADER}\nu1\ta\t1\n`,
    ".item": ITEM_OK.replace("1 2", "1\u20032"),
  });
  assertDataError(() => readRecBoleAtomic(item), `${item}.item`, 2, "vec:float_seq[0]", "U+2003");
  // A token_seq cell keeps a no-break space inside its token, as RecBole (which splits on spaces)
  // does: "x\u00A0z" is one genre.
  const titles = readRecBoleAtomic(fixture({
    ".inter": `${INTER_HEADER}\nu1\ta\t1\n`,
    ".item": ITEM_OK.replace("a\tx y", "a\tx\u00A0z y"),
  }));
  const genre = titles.modalities.find((m) => m.name === "genre")!;
  assertEquals(genre.dim, 2, "the genres are x\u00A0z and y (split at the no-break space: 3)");
  // A vertical tab in a token_seq cell is still refused.
  const broken = fixture({
    ".inter": `${INTER_HEADER}\nu1\ta\t1\n`,
    ".item": ITEM_OK.replace("a\tx y", "a\tx\vy"),
  });
  assertDataError(
    () => readRecBoleAtomic(broken),
    `${broken}.item`,
    2,
    "genre:token_seq",
    "U+000B",
  );
  // The line reader refuses a bare CR before it gets here; the splitter refuses one on its own.
  assertDataError(
    () => splitValues("u1 a\rb", "f.txt", 7, (k) => k === 0 ? "user" : "items"),
    "f.txt",
    7,
    "items",
    "U+000D (carriage return)",
  );
});

Deno.test(".item: a column named like an existing modality (id) is refused at the header", () => {
  const inter = `${INTER_HEADER}\nu1\ta\t1\nu1\tb\t2\n`;
  // Accepted before, this made a second modality "id" next to the learned item-id one.
  for (const label of ["id:float", "id:token", "id:float_seq"]) {
    const base = fixture({ ".inter": inter, ".item": `item_id:token\t${label}\na\t1\nb\t2\n` });
    assertDataError(
      () => readRecBoleAtomic(base),
      `${base}.item`,
      1,
      label,
      'modality "id" already exists',
    );
  }
  // The header's own line, when blank lines come before it.
  const late = fixture({ ".inter": inter, ".item": "\n\nitem_id:token\tid:float\na\t1\nb\t2\n" });
  assertDataError(() => readRecBoleAtomic(late), `${late}.item`, 3, "id:float", "already exists");
  // Two columns of one name (hence one modality name) are refused as duplicate columns.
  const twice = fixture({
    ".inter": inter,
    ".item": "item_id:token\tgenre:token\tgenre:float\na\tx\t1\nb\ty\t2\n",
  });
  assertDataError(() => readRecBoleAtomic(twice), `${twice}.item`, 1, "genre:float", "duplicate");
  // --features id=... goes through attachModality, which applies the same rule.
  const dataset = readRecBoleAtomic(fixture({ ".inter": inter }));
  const image = readDenseFeatures(`${fixture({ ".feat": "a 1\nb 2\n" })}.feat`, dataset.itemIds, {
    name: "id",
    provenance: { source: "test", normalisation: "none" },
  });
  assertDataError(
    () => attachModality(dataset, image, "img.feat"),
    "img.feat",
    0,
    "name",
    'modality "id" already exists',
  );
});

Deno.test("RecBole header errors name the header's line when blank lines precede it", () => {
  const base = fixture({ ".inter": "\nuser_id:token\ttimestamp:float\nu1\t3\n" });
  assertDataError(() => readRecBoleAtomic(base), `${base}.inter`, 2, "item_id:token", "missing");
  const empty = fixture({
    ".inter": `${INTER_HEADER}\nu1\ta\t1\n`,
    ".item": "\nitem_id:token\tgenre:token\na\t\n",
  });
  assertDataError(() => readRecBoleAtomic(empty), `${empty}.item`, 2, "genre:token", "0-wide");
});

Deno.test("comma-separated files and a repeated header say what is wrong", () => {
  // A CSV export: the header is one cell with commas, not a cell that is "not name:type".
  const csv = fixture({ ".inter": "user_id:token,item_id:token\nu1,a\n" });
  assertDataError(() => readRecBoleAtomic(csv), `${csv}.inter`, 1, "header", "tab-separated");
  // Two files concatenated: the second header is not an interaction of user "user_id:token".
  const twice = fixture({ ".inter": `${INTER_HEADER}\nu1\ta\t1\n${INTER_HEADER}\nu1\tb\t2\n` });
  assertDataError(
    () => readRecBoleAtomic(twice),
    `${twice}.inter`,
    3,
    "user_id:token",
    "repeats the header of line 1",
  );
  // Two exports concatenated whose second header has its columns in another order: it was read
  // as an interaction of the user "item_id:token" with the item "user_id:token", without a word.
  const reordered = fixture({
    ".inter": "user_id:token\titem_id:token\nu1\ta\nitem_id:token\tuser_id:token\nb\tu1\n",
  });
  assertDataError(
    () => readRecBoleAtomic(reordered),
    `${reordered}.inter`,
    3,
    "user_id:token",
    "is a header line (name:type cells), not a row: the header is line 1's " +
      '"user_id:token\titem_id:token" (files concatenated? remove it)',
  );
  const itemHeader = fixture({
    ".inter": "user_id:token\titem_id:token\nu1\ta\n",
    ".item": "item_id:token\tg:token\na\tx\ng:token\titem_id:token\n",
  });
  assertDataError(
    () => readRecBoleAtomic(itemHeader),
    `${itemHeader}.item`,
    3,
    "item_id:token",
    "is a header line (name:type cells), not a row",
  );
  // A row with one such cell among values is a row: a token may hold a colon.
  const colon = fixture({ ".inter": "user_id:token\titem_id:token\nu1\tbook:token\n" });
  assertEquals(readRecBoleAtomic(colon).itemIds, ["book:token"]);
  const sequence = fixture({ ".txt": "u1 a b\nu2,a,b\n" });
  assertDataError(
    () => readSequenceFile(`${sequence}.txt`),
    `${sequence}.txt`,
    2,
    "user",
    "separated by spaces or tabs, not commas",
  );
  // A comma-separated feature file: "feature width 0 is not positive" before, with no hint, and
  // with a given width an unknown item id "b,3,4".
  const read = (text: string, dim?: number) => {
    const path = `${fixture({ ".feat": text })}.feat`;
    const run = () =>
      readDenseFeatures(path, ["a", "b"], {
        name: "image",
        dim,
        provenance: { source: "test", normalisation: "none" },
      });
    return { path, run };
  };
  for (
    const [c, line] of [[read("\na,1,2\nb,3,4\n"), 2], [read("a 1 2\nb,3,4\n", 2), 2]] as const
  ) {
    assertDataError(
      c.run,
      c.path,
      line,
      "item_id",
      "and no numbers: fields are separated by spaces or tabs, not commas",
    );
  }
});

Deno.test("readRecBoleAtomic: a missing .inter says the path is a base, and a file there another format", () => {
  const sequence = `${fixture({ ".txt": "u1 i1 i2 i3\n" })}.txt`;
  assertDataError(
    () => readRecBoleAtomic(sequence),
    `${sequence}.inter`,
    0,
    "file",
    `no such file: a RecBole dataset is named by its base, "${sequence}" for ${sequence}.inter ` +
      `(and ${sequence}.item); "${sequence}" is itself a file: a one-user-per-line file has ` +
      `format "sequence"`,
  );
  // A CSV export given as the base was called a one-user-per-line file too: "format sequence"
  // then refused its commas, and neither message said what RecBole files look like.
  for (const extension of [".csv", ".TSV"]) {
    const exported = `${fixture({ [extension]: "user,item,time\nu1,i1,1\n" })}${extension}`;
    const stem = exported.slice(0, -extension.length);
    assertDataError(
      () => readRecBoleAtomic(exported),
      `${exported}.inter`,
      0,
      "file",
      `"${exported}" is itself a file, a ${extension.slice(1).toUpperCase()} export by its ` +
        "name: RecBole atomic files are tab-separated, with a header of name:type cells " +
        "(user_id:token, item_id:token, optional timestamp:float); written so as " +
        `${stem}.inter, they are the base "${stem}"`,
    );
    const error = assertThrows(() => readRecBoleAtomic(exported)) as DataError;
    assert(!error.detail.includes("sequence"), error.detail);
  }
  const nothing = fixture({});
  assertDataError(
    () => readRecBoleAtomic(nothing),
    `${nothing}.inter`,
    0,
    "file",
    `no such file: a RecBole dataset is named by its base, "${nothing}" for ${nothing}.inter ` +
      `(and ${nothing}.item)`,
  );
  // A base that is nothing at all is not said to be a file of another format.
  const absent = assertThrows(() => readRecBoleAtomic(nothing)) as DataError;
  assert(absent.detail.endsWith(`(and ${nothing}.item)`), absent.detail);
  // A base through a file (ENOTDIR) is not "no such file": the reader's cause is said as it is.
  const through = `${sequence}/data`;
  assertDataError(
    () => readRecBoleAtomic(through),
    `${through}.inter`,
    0,
    "file",
    "cannot read: Not a directory",
  );
});

Deno.test("readRecBoleAtomic: a folder or the .item file given as the base says which base to give", () => {
  // RecBole's own layout is <folder>/<name>/<name>.inter, and its users name the dataset's folder:
  // that said only "no such file: ml.inter".
  const folder = `${dir}/ml-walk`;
  Deno.mkdirSync(folder);
  Deno.writeTextFileSync(`${folder}/ml-walk.inter`, `${INTER_HEADER}\nu1\ta\t1\n`);
  for (const given of [folder, `${folder}/`]) {
    const error = assertThrows(() => readRecBoleAtomic(given));
    assert(error instanceof DataError);
    assertEquals([error.line, error.field], [0, "file"]);
    assertStringIncludes(
      error.detail,
      `"${given}" is a folder: the base of its ${folder}/ml-walk.inter is "${folder}/ml-walk"`,
    );
  }
  // A folder without such a file says what a base is.
  const empty = `${dir}/empty-walk`;
  Deno.mkdirSync(empty);
  const bare = assertThrows(() => readRecBoleAtomic(empty));
  assertStringIncludes(
    (bare as DataError).detail,
    `"${empty}" is a folder: the base names the files in it, "${empty}/<name>" for ` +
      `${empty}/<name>.inter`,
  );
  // The .item file given as the base: it was said to be a one-user-per-line file.
  const base = fixture({ ".inter": `${INTER_HEADER}\nu1\ta\t1\n`, ".item": "item_id:token\na\n" });
  const item = assertThrows(() => readRecBoleAtomic(`${base}.item`)) as DataError;
  assertStringIncludes(item.detail, `"${base}.item" is the .item file of the base "${base}"`);
  assert(!item.detail.includes("sequence"), item.detail);
  // A lone .item (no .inter of its base) is no base to point to: it is a file of another format.
  const lone = fixture({ ".item": "item_id:token\na\n" });
  const loneItem = assertThrows(() => readRecBoleAtomic(`${lone}.item`)) as DataError;
  assert(!loneItem.detail.includes("is the .item file"), loneItem.detail);
  assertStringIncludes(loneItem.detail, `"${lone}.item" is itself a file`);
});

Deno.test("readSequenceFile: a missing file whose .inter is there says it names RecBole files", () => {
  // The mirror of the case above: `--dataset data/mine --format sequence` for mine.inter said
  // only "cannot read: No such file or directory".
  const base = fixture({ ".inter": `${INTER_HEADER}\nu1\ta\t1\n` });
  assertDataError(
    () => readSequenceFile(base),
    base,
    0,
    "file",
    `no such file; ${base}.inter is there: RecBole atomic files (.inter, optional .item) have ` +
      `format "recbole" and are named by their base, "${base}"`,
  );
  // Without a .inter next to it, a missing file is the reader's "cannot read", as before.
  const nothing = `${dir}/nothing.txt`;
  assertDataError(() => readSequenceFile(nothing), nothing, 0, "file", "cannot read: No such file");
});

Deno.test("a missing file given by a relative path says the folder it was looked for in", () => {
  // `./run.sh` and the tasks run in the project folder and a notebook's kernel in notebooks/:
  // `--dataset mine` typed in the folder that holds mine.inter said only "no such file: mine.inter"
  // about a file the user could see there.
  const missing = "walk40-no-such-folder/mine";
  const folder = `(a relative path, read from ${Deno.cwd()})`;
  for (
    const [read, file] of [
      [() => readRecBoleAtomic(missing), `${missing}.inter`],
      [() => readSequenceFile(`${missing}.txt`), `${missing}.txt`],
      [
        () =>
          readDenseFeatures(`${missing}.feat`, ["a"], {
            name: "image",
            provenance: { source: "test", normalisation: "none" },
          }),
        `${missing}.feat`,
      ],
    ] as const
  ) {
    assertDataError(read, file, 0, "file", folder);
  }
  // An absolute path names itself.
  const error = assertThrows(() => readRecBoleAtomic(`${dir}/absent`));
  assert(!error.message.includes("a relative path"), error.message);
});

Deno.test("readRecBoleAtomic: an .item whose item_id is not its first column", () => {
  // The id column is found by name: the columns before it are features like those after it.
  const base = fixture({
    ".inter": `${INTER_HEADER}\nu1\ta\t1\nu1\tb\t2\n`,
    ".item": "genre:token\titem_id:token\tprice:float\nx\ta\t1.5\ny\tb\t2\n",
  });
  const dataset = readRecBoleAtomic(base);
  assertEquals(dataset.modalities.map((m) => m.name), ["id", "genre", "price"]);
  assertEquals(dataset.itemIds, ["a", "b"]);
});
