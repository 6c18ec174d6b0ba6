/**
 * The RecBole reader reads the `.inter` a chunk at a time: the dataset and every error are those of
 * the reader that held the whole file (the expectations below are what it returned), whatever the
 * chunk size. Chunks of 1 to 7 bytes cut lines, line ends (CR | LF), the byte-order mark and
 * multi-byte characters (é, ç, 😀) apart.
 */
import { assertEquals } from "@std/assert";
import { readRecBoleAtomic, readRecBoleAtomicInChunks } from "../../lib/data/import/recbole.ts";
import { readLines } from "../../lib/data/import/_fields.ts";
import type { InteractionDataset } from "../../lib/data/types.ts";
import { assertDataError, importFixtures } from "./_import_fixtures.ts";

const { write: fixture } = importFixtures("recbole_stream_test_");

/** Chunk sizes in bytes; undefined is the default (1 MiB: the whole fixture in one chunk). */
const CHUNKS = [1, 2, 3, 7, 64, undefined];

/** `base` read with each chunk size, and through `readRecBoleAtomic`. */
function readAll(
  base: string,
  options: { requireItemFile?: boolean } = {},
): [string, InteractionDataset][] {
  return [
    ...CHUNKS.map((chunkBytes): [string, InteractionDataset] => [
      `chunks of ${chunkBytes ?? "1 MiB"}`,
      readRecBoleAtomicInChunks(base, options, { chunkBytes }),
    ]),
    ["readRecBoleAtomic", readRecBoleAtomic(base, options)],
  ];
}

/** Asserts the same DataError for every chunk size. */
function assertErrorInChunks(
  base: string,
  file: string,
  line: number,
  field: string,
  detail: string,
  options: { requireItemFile?: boolean } = {},
): void {
  for (const chunkBytes of CHUNKS) {
    assertDataError(
      () => readRecBoleAtomicInChunks(base, options, { chunkBytes }),
      file,
      line,
      field,
      detail,
    );
  }
}

/** A byte-order mark, CRLF and LF lines, blank lines, ties, -0, a repeated row, no final LF. */
const INTER = "\uFEFFuser_id:token\titem_id:token\trating:float\ttimestamp:float\r\n" +
  "u1\tb\t4\t20\r\n" +
  "\r\n" +
  "u1\ta\t3\t10\n" +
  "AMÉLIE😀\tç\t5\t-0\n" +
  "u2\tb\t1\t5\n" +
  "u1\tc\t2\t20\n" +
  "   \n" +
  "u1\tb\t4\t20\n" +
  "AMÉLIE😀\ta\t5\t0";

const ITEM = "item_id:token\tgenre:token_seq\tprice:float\tvec:float_seq\n" +
  "a\tx y\t1.5\t1 2\n" +
  "b\ty\t\t3 4\n" +
  "c\t\t2\t\n" +
  "ç\tcomédie x\t9.5\t5 6\n" +
  "d\tkids\t3\t7 8\n";

Deno.test("RecBole files read in chunks of any size: the whole-file reader's dataset", () => {
  const base = fixture({ ".inter": INTER, ".item": ITEM });
  for (const [how, dataset] of readAll(base)) {
    assertEquals(dataset.userIds, ["u1", "AMÉLIE😀", "u2"], how);
    assertEquals(dataset.itemIds, ["a", "b", "c", "ç", "d"], how);
    // u1: a@10, then b, c and b again at 20 in line order; AMÉLIE😀: ç@-0 and a@0 tie.
    assertEquals(dataset.sequences, [[0, 1, 2, 1], [3, 0], [1]].map((s) => Int32Array.from(s)));
    assertEquals(
      dataset.timestamps,
      [[10, 20, 20, 20], [-0, 0], [5]].map((t) => Float64Array.from(t)),
      how,
    );
    assertEquals(Object.is(dataset.timestamps![1][0], -0), true, how);
    assertEquals(
      dataset.modalities.map((m) => [m.name, m.kind, m.dim, Array.from(m.present), m.vocabulary]),
      [
        ["id", "id", 0, [1, 1, 1, 1, 1], undefined],
        ["genre", "multi_hot", 4, [1, 1, 0, 1, 1], ["comédie", "kids", "x", "y"]],
        ["price", "dense", 1, [1, 0, 1, 1, 1], undefined],
        ["vec", "dense", 2, [1, 1, 0, 1, 1], undefined],
      ],
      how,
    );
    assertEquals(
      Array.from(dataset.modalities[1].values),
      [0, 0, 1, 1, 0, 0, 0, 1, 0, 0, 0, 0, 1, 0, 1, 0, 0, 1, 0, 0],
    );
    assertEquals(Array.from(dataset.modalities[3].values), [1, 2, 3, 4, 0, 0, 5, 6, 7, 8]);
    assertEquals(dataset.metadata, {
      source: `RecBole atomic files ${base}.inter + ${base}.item`,
      preprocessing: [
        "every interaction kept as implicit feedback",
        `column of ${base}.inter not used: rating:float (checked to be numbers)`,
        "1 row repeats an earlier row's user, item and timestamp (first: line 9 repeats line 2 " +
        `of ${base}.inter): kept as repeated interactions`,
      ],
      tieBreak: "by timestamp, then by line order of the .inter file",
      fingerprint: "b76dcb1fda5adc7d",
    }, how);
  }
});

Deno.test("without a timestamp or an .item: file order, items by first appearance", () => {
  const base = fixture({
    ".inter": "user_id:token\titem_id:token\tsession:token_seq\n" +
      "7\t01\ts1 s2\n\n8\t02\t\n7\t02\ts3\n007\t01\ts4\n",
  });
  for (const [how, dataset] of readAll(base)) {
    assertEquals(
      [dataset.userIds, dataset.itemIds, dataset.sequences.map((s) => Array.from(s))],
      [["7", "8", "007"], ["01", "02"], [[0, 1], [1], [0]]],
      how,
    );
    assertEquals([dataset.timestamps, dataset.modalities.length], [undefined, 1], how);
    assertEquals(
      [dataset.metadata.tieBreak, dataset.metadata.preprocessing, dataset.metadata.fingerprint],
      [
        "line order of the .inter file",
        [
          "every interaction kept as implicit feedback",
          `each user's history is in the row order of ${base}.inter, which has no timestamp column`,
          `column of ${base}.inter not used: session:token_seq (not read)`,
        ],
        "712801c3ed5da8a7",
      ],
      how,
    );
  }
});

const HEADER = "user_id:token\titem_id:token\ttimestamp:float";
const encode = (text: string) => new TextEncoder().encode(text);

Deno.test("bytes that are not text are found in any chunk, at their line", () => {
  // 0xFF on line 3; before it, "é" (2 bytes) is cut by chunks of 1, 2 and 7 bytes.
  const latin1 = fixture({
    ".inter": Uint8Array.from([...encode(`${HEADER}\nué\ta\t1\nu`), 0xff, ...encode("\tb\t2\n")]),
  });
  assertErrorInChunks(latin1, `${latin1}.inter`, 3, "user_id:token", "not UTF-8");
  // A character cut short by the end of the file (the first 2 of 4 bytes of 😀).
  const cut = fixture({
    ".inter": Uint8Array.from([...encode(`${HEADER}\nu1\ta\t1\nu1\tb\t2`), 0xf0, 0x9f]),
  });
  assertErrorInChunks(cut, `${cut}.inter`, 3, "timestamp:float", "not UTF-8");
  // A NUL byte on line 3 outranks the malformed header of line 1: the text is checked first.
  const nul = fixture({
    ".inter": Uint8Array.from([...encode("user_id:str\titem_id:token\nu1\ta\nu"), 0, 10]),
  });
  assertErrorInChunks(nul, `${nul}.inter`, 3, "file", "a NUL byte");
});

Deno.test("line ends across chunks: a CR is bare unless a LF follows it", () => {
  const CR = "a carriage return without a line feed";
  // The empty id of line 2 gives way to the bare CR of line 3.
  const bare = fixture({ ".inter": `${HEADER}\n\ta\t1\r\nu1\tb\t2\rx\nu1\tc\t3\n` });
  assertErrorInChunks(bare, `${bare}.inter`, 3, "file", CR);
  // A CR at the very end, and a CR-only file (no LF at all).
  const last = fixture({ ".inter": `${HEADER}\r\nu1\ta\t1\r\nu1\tb\t2\r` });
  assertErrorInChunks(last, `${last}.inter`, 3, "file", CR);
  const mac = fixture({ ".inter": `${HEADER}\ru1\ta\t1\ru1\tb\t2\r` });
  assertErrorInChunks(mac, `${mac}.inter`, 1, "file", CR);
  // Only a byte-order mark and blank lines: empty.
  const empty = fixture({ ".inter": "\uFEFF\r\n  \n\n" });
  assertErrorInChunks(empty, `${empty}.inter`, 1, "header", "empty file");
  // No row: the line after the header, where the first row goes (not line 2, a blank line when
  // blank lines precede the header).
  const headerOnly = fixture({ ".inter": `\n${HEADER}\r\n` });
  assertErrorInChunks(headerOnly, `${headerOnly}.inter`, 3, "user_id:token", "no interactions");
  const late = fixture({ ".inter": `\n\n\n${HEADER}\n\n` });
  assertErrorInChunks(late, `${late}.inter`, 5, "user_id:token", "no interactions");
});

Deno.test("every row's shape is checked before any value, as by the whole-file reader", () => {
  // Line 2's timestamp is not a number, line 4 has 2 fields: the field count is said.
  const shape = fixture({ ".inter": `${HEADER}\nu1\ta\tabc\nu1\tb\t2\nu2\tc\n` });
  assertErrorInChunks(shape, `${shape}.inter`, 4, "timestamp:float", "2 fields, header has 3");
  // A required .item that is missing gives way to a later quoted cell in the .inter...
  const quoted = fixture({ ".inter": `${HEADER}\nu1\ta\t1\n"u2"\tb\t2\n` });
  const required = { requireItemFile: true };
  assertErrorInChunks(quoted, `${quoted}.inter`, 3, "user_id:token", "double quote", required);
  // ...and is said when the .inter's rows are well formed.
  const missing = fixture({ ".inter": `${HEADER}\nu1\ta\t1\nu2\tb\t2\n` });
  assertErrorInChunks(missing, `${missing}.item`, 0, "file", "missing", required);
  // Items without an .item row: one error at the first, counting the lines and items after it.
  const unknown = fixture({
    ".inter": `${HEADER}\nu1\ta\t1\nu1\tq\t\nu2\tr\t3\n\tq\t4\nu3\ta\tbad\n`,
    ".item": "item_id:token\na\n",
  });
  assertErrorInChunks(
    unknown,
    `${unknown}.inter`,
    3,
    "item_id:token",
    'unknown item id "q" (not in ' + `${unknown}.item); 3 lines name 2 items without a row there`,
  );
});

Deno.test("readLines: the lines and their numbers do not depend on the chunk size", () => {
  const path = `${fixture({ ".txt": "\uFEFFu1 é b\r\n\n  \nu2 😀 c\r\nu3 a" })}.txt`;
  for (const chunkBytes of CHUNKS) {
    assertEquals(readLines(path, { chunkBytes }), [
      { line: 1, content: "u1 é b" },
      { line: 4, content: "u2 😀 c" },
      { line: 5, content: "u3 a" },
    ]);
  }
});

Deno.test("UTF-16 text (Excel's 'Unicode Text') is named as such in any chunk", () => {
  // Said "bytes that are not UTF-8 text: not a text file (binary or wrong encoding)" before.
  const utf16 = (text: string, bigEndian: boolean) => {
    const bytes = [bigEndian ? 0xfe : 0xff, bigEndian ? 0xff : 0xfe];
    for (const unit of text) {
      const code = unit.charCodeAt(0);
      bytes.push(...(bigEndian ? [code >> 8, code & 0xff] : [code & 0xff, code >> 8]));
    }
    return Uint8Array.from(bytes);
  };
  for (const [bigEndian, mark] of [[false, "FF FE"], [true, "FE FF"]] as const) {
    const base = fixture({ ".inter": utf16(`${HEADER}\nu1\ta\t1\n`, bigEndian) });
    assertErrorInChunks(
      base,
      `${base}.inter`,
      1,
      "file",
      `UTF-16 text (byte-order mark ${mark}, as Excel's "Unicode Text" saves): save it as UTF-8`,
    );
    const sequence = `${fixture({ ".txt": utf16("u1 a b c\n", bigEndian) })}.txt`;
    assertDataError(() => readLines(sequence), sequence, 1, "file", `byte-order mark ${mark}`);
  }
  // A file of one byte that starts like one is not UTF-16: the usual refusal, on the header line.
  const one = fixture({ ".inter": Uint8Array.from([0xff]) });
  assertErrorInChunks(one, `${one}.inter`, 1, "header", "not UTF-8");
});

Deno.test("readRecBoleAtomicInChunks reads both the .inter and the .item with the chunk size given", () => {
  // Otherwise the chunk sizes above would cut neither file, or only one, and pass all the same.
  const base = fixture({
    ".inter": "user_id:token\titem_id:token\nu1\ta\n",
    ".item": "item_id:token\tgenre:token\na\tx\n",
  });
  let asked = 0;
  const reading = {
    get chunkBytes(): number {
      asked++;
      return 2;
    },
  };
  assertEquals(readRecBoleAtomicInChunks(base, {}, reading).numItems, 1);
  assertEquals(asked >= 2, true, `chunkBytes asked ${asked} times, expected once per file`);
});
