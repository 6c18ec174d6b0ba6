/**
 * The importer gaps of issue 12 (item 6): each case is rejected with file, line and field, and
 * k-core filtering that removes every user is a clear error rather than an empty dataset.
 */
import { assert, assertEquals, assertThrows } from "@std/assert";
import { readDenseFeatures } from "../../lib/data/import/dense_features.ts";
import { assertDataError, importFixtures } from "./_import_fixtures.ts";
import { readRecBoleAtomic } from "../../lib/data/import/recbole.ts";
import { readSequenceFile } from "../../lib/data/import/sequence_file.ts";
import { kCoreFilter } from "../../lib/data/protocol/k_core.ts";
import { SettingError } from "../../lib/util/settings.ts";
import { tinyDataset } from "./_tiny_dataset.ts";

const { write: fixture } = importFixtures("import_gaps_");

const INTER = "user_id:token\titem_id:token\ttimestamp:float\nu1\ta\t1\nu1\tb\t2\nu2\ta\t3\n";

Deno.test(".item: an all-empty token column is rejected (no 0-wide modality)", () => {
  const base = fixture({ ".inter": INTER, ".item": "item_id:token\tgenre:token\na\t\nb\t\n" });
  assertDataError(() => readRecBoleAtomic(base), `${base}.item`, 1, "genre:token", "0-wide");
});

Deno.test(".item: an all-empty float_seq column is rejected (no 0-wide modality)", () => {
  const base = fixture({ ".inter": INTER, ".item": "item_id:token\tvec:float_seq\na\t\nb\t \n" });
  assertDataError(() => readRecBoleAtomic(base), `${base}.item`, 1, "vec:float_seq", "0-wide");
});

Deno.test(".item: 1e39 (beyond float32) is rejected, not stored as Infinity", () => {
  const base = fixture({ ".inter": INTER, ".item": "item_id:token\tprice:float\na\t1\nb\t1e39\n" });
  assertDataError(() => readRecBoleAtomic(base), `${base}.item`, 3, "price:float", "float32");
  const seq = fixture({
    ".inter": INTER,
    ".item": "item_id:token\tv:float_seq\na\t1 -2e39\nb\t1 2\n",
  });
  assertDataError(() => readRecBoleAtomic(seq), `${seq}.item`, 2, "v:float_seq[1]", "float32");
});

Deno.test("dense features: 1e39 is rejected with the line and the value index", () => {
  const base = fixture({ ".txt": "a 1 2\nb 3 1e39\n" });
  assertDataError(
    () =>
      readDenseFeatures(`${base}.txt`, ["a", "b"], {
        name: "img",
        provenance: { source: "t", normalisation: "none" },
      }),
    `${base}.txt`,
    2,
    "value[1]",
    "float32",
  );
});

Deno.test("numbers: hexadecimal, binary, octal literals are not numbers", () => {
  for (const literal of ["0x10", "0b1", "0o7", "1_000", "12abc"]) {
    const base = fixture({
      ".inter": `user_id:token\titem_id:token\ttimestamp:float\nu1\ta\t${literal}\n`,
    });
    assertDataError(
      () => readRecBoleAtomic(base),
      `${base}.inter`,
      2,
      "timestamp:float",
      "not a number",
    );
  }
  // Decimal forms stay accepted.
  const ok = fixture({
    ".inter":
      "user_id:token\titem_id:token\ttimestamp:float\nu1\ta\t-1.5e3\nu1\tb\t.5\nu1\tc\t+7\n",
  });
  assertEquals(readRecBoleAtomic(ok).sequences[0].length, 3);
});

Deno.test("a directory named x.item is an error, not ignored", () => {
  const base = fixture({ ".inter": INTER });
  Deno.mkdirSync(`${base}.item`);
  assertDataError(() => readRecBoleAtomic(base), `${base}.item`, 0, "file", "not a file");
});

Deno.test("a unit in the header (timestamp:float:ms) is an error, not ignored", () => {
  const base = fixture({
    ".inter": "user_id:token\titem_id:token\ttimestamp:float:ms\nu1\ta\t1\n",
  });
  assertDataError(() => readRecBoleAtomic(base), `${base}.inter`, 1, "timestamp:float:ms", ":ms");
});

Deno.test("sequence file: binary content (NUL bytes) is rejected with the line", () => {
  const base = fixture({
    ".txt": Uint8Array.from([...new TextEncoder().encode("u1 a b\nu2 "), 0, 1, 2, 10]),
  });
  assertDataError(() => readSequenceFile(`${base}.txt`), `${base}.txt`, 2, "file", "NUL");
});

Deno.test("sequence file: bytes that are not UTF-8 are rejected", () => {
  const base = fixture({ ".txt": Uint8Array.from([0x75, 0x31, 0x20, 0xff, 0xfe, 0x0a]) });
  assertDataError(() => readSequenceFile(`${base}.txt`), `${base}.txt`, 1, "file", "UTF-8");
});

Deno.test("sequence file: a header line is rejected", () => {
  for (
    const header of [
      "user_id item_ids",
      "user items",
      "user_id:token item_id:token_seq",
      "uid item",
    ]
  ) {
    const base = fixture({ ".txt": `${header}\nu1 a b\nu2 b c\n` });
    assertDataError(() => readSequenceFile(`${base}.txt`), `${base}.txt`, 1, "user", "header");
  }
  // Ordinary ids on the first line are not mistaken for a header.
  const ok = fixture({ ".txt": "17 a b\nu2 b c\n" });
  assertEquals(readSequenceFile(`${ok}.txt`).numUsers, 2);
});

Deno.test("sequence file: a directory is rejected", () => {
  const path = `${fixture({})}.folder.txt`;
  Deno.mkdirSync(path);
  assertDataError(() => readSequenceFile(path), path, 0, "file", "directory");
});

Deno.test("k-core filtering that removes every user is an error naming k", () => {
  const dataset = tinyDataset([[0, 1], [1, 2], [2, 3]], 4);
  const error = assertThrows(() => kCoreFilter(dataset, { k: 5 }));
  assert(error instanceof SettingError, `${error}`);
  assertEquals(error.setting, "KCoreConfig.k");
  assert(error.message.includes("removes every user"), error.message);
});
