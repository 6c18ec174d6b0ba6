/**
 * The text readers decode UTF-8 with a fatal decoder: a U+FFFD written in the file (EF BF BD, as
 * in scraped titles) is text and is read as it is, while bytes that are not UTF-8 are refused at
 * their line, whatever the chunk size (chunks of 1 to 7 bytes cut multi-byte characters apart).
 */
import { assertEquals } from "@std/assert";
import { readLines } from "../../lib/data/import/_fields.ts";
import { readSequenceFile } from "../../lib/data/import/sequence_file.ts";
import { assertDataError, importFixtures } from "./_import_fixtures.ts";

const { write: fixture } = importFixtures("text_decoding_test_");

/** Chunk sizes in bytes; undefined is the default (the whole fixture in one chunk). */
const CHUNKS = [1, 2, 3, 4, 5, 7, undefined];

const encode = (text: string) => new TextEncoder().encode(text);

Deno.test("a U+FFFD written in the file is read as it is, in any chunk size", () => {
  const text = "u1 Caf\uFFFD a\n\uFFFD\uFFFD b\u00e9 \uFFFD\nu3 \u{1F600}\uFFFD\n";
  const path = `${fixture({ ".txt": text })}.txt`;
  const expected = [
    { line: 1, content: "u1 Caf\uFFFD a" },
    { line: 2, content: "\uFFFD\uFFFD b\u00e9 \uFFFD" },
    { line: 3, content: "u3 \u{1F600}\uFFFD" },
  ];
  for (const chunkBytes of CHUNKS) {
    assertEquals(readLines(path, { chunkBytes }), expected, `chunks of ${chunkBytes}`);
  }
  // And through a reader: the item token keeps its character.
  const dataset = readSequenceFile(`${fixture({ ".txt": "u1 t\uFFFDtle b\n" })}.txt`);
  assertEquals(dataset.itemIds, ["t\uFFFDtle", "b"]);
});

Deno.test("bytes that are not UTF-8 are refused at their line, after a U+FFFD line", () => {
  // Line 1 holds a real U+FFFD; the bad bytes come later, after characters of 2, 3 and 4 bytes
  // that chunks of 2 to 7 bytes cut apart.
  const before = encode("\uFFFD a\nu\u00e9 \u20ac\n\n\u{1F600} b\nx ");
  const cases: [number[], number][] = [
    // a lone 0xFF
    [[0xff], 5],
    // a lead byte then ASCII
    [[0xc3, 0x28], 5],
    // a cut 3-byte character before a line feed
    [[0xe2, 0x82, 0x0a], 5],
    // an overlong encoding
    [[0xc0, 0xaf], 5],
    // an encoded surrogate
    [[0xed, 0xa0, 0x80], 5],
    // a stray continuation byte after the line feed
    [[0x0a, 0x80], 6],
  ];
  for (const [bad, line] of cases) {
    const path = `${
      fixture({ ".txt": Uint8Array.from([...before, ...bad, ...encode(" c\ny\n")]) })
    }.txt`;
    for (const chunkBytes of CHUNKS) {
      assertDataError(
        () => readLines(path, { chunkBytes }),
        path,
        line,
        "file",
        "bytes that are not UTF-8 text",
      );
    }
  }
});

Deno.test("bad bytes in a chunk just after a character's last bytes: their line", () => {
  // Chunks of 4 (after the 2 bytes read first) end at byte 9: the bytes before the bad chunk end
  // with the last 2 bytes of a euro sign then "a", which a fresh decoder must not be fed.
  const path = `${
    fixture({ ".txt": Uint8Array.from([...encode("\u20ac\u20ac\u20aca\n\nz"), 0xff]) })
  }.txt`;
  for (const chunkBytes of CHUNKS) {
    assertDataError(() => readLines(path, { chunkBytes }), path, 3, "file", "not UTF-8");
  }
});

Deno.test("a character cut short by the end of the file is refused at the last line", () => {
  for (const tail of [[0xc3], [0xe2, 0x82], [0xf0, 0x9f, 0x98]]) {
    const path = `${
      fixture({ ".txt": Uint8Array.from([...encode("\uFFFD\nu \u00e9"), ...tail]) })
    }.txt`;
    for (const chunkBytes of CHUNKS) {
      assertDataError(() => readLines(path, { chunkBytes }), path, 2, "file", "not UTF-8");
    }
  }
});

Deno.test("a NUL byte before bad bytes in one chunk is named first, at its line", () => {
  const path = `${
    fixture({ ".txt": Uint8Array.from([...encode("\u00e9\nu"), 0, ...encode("\n\n"), 0xff]) })
  }.txt`;
  for (const chunkBytes of CHUNKS) {
    assertDataError(() => readLines(path, { chunkBytes }), path, 2, "file", "a NUL byte");
  }
});
