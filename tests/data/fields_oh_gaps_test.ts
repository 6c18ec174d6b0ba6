/**
 * Edges of the import field parser (lib/data/import/_fields.ts) that no other test pinned, found
 * by mutation round OH: numbers at the edges of decimal notation, what each refusal names (line,
 * field, the text as given), value splitting and the refused-byte field of a tab-separated file.
 */
import { assert, assertEquals, assertThrows } from "@std/assert";
import { DataError } from "../../lib/data/errors.ts";
import {
  finiteNumber,
  forEachLine,
  foreignSeparator,
  oneValueRefusal,
  pathKind,
  readLines,
  splitValues,
} from "../../lib/data/import/_fields.ts";
import { importFixtures } from "./_import_fixtures.ts";

const { write: fixture } = importFixtures("fields_oh_gaps_test_");

const SITE = { file: "f.inter", line: 7, field: "timestamp:float" };

/** The DataError `fn` throws. */
function dataError(fn: () => unknown): DataError {
  const error = assertThrows(fn);
  assert(error instanceof DataError, `expected DataError, got ${error}`);
  return error;
}

Deno.test("finiteNumber: signs, leading zeros and exponents of decimal notation are read", () => {
  const cases: [string, number][] = [
    ["+5", 5],
    ["007", 7],
    ["-00.50", -0.5],
    ["1E+2", 100],
    ["-2.5e-3", -0.0025],
    ["+.5E1", 5],
    ["0e0", 0],
    [" 3 ", 3],
    ["\t4.5  ", 4.5],
  ];
  for (const [text, value] of cases) assertEquals(finiteNumber(text, SITE), value, text);
});

Deno.test("finiteNumber: text around or inside a number, or a bare exponent, is not a number", () => {
  for (const text of ["1e", "1e+", "e5", "1e5x", "x1", "12 3", "+-1", "1.2.3", "", "  "]) {
    const error = dataError(() => finiteNumber(text, SITE));
    assertEquals([error.file, error.line, error.field], [SITE.file, SITE.line, SITE.field]);
    assert(error.detail.startsWith(`not a number: "${text}"`), error.detail);
  }
});

Deno.test("finiteNumber: infinity and overflow are 'not finite', showing the text as given", () => {
  for (const text of [" inf ", "-INF", "+Infinity", "infinity"]) {
    const error = dataError(() => finiteNumber(text, SITE));
    assertEquals(error.detail, `not finite: "${text}"`);
  }
  const error = dataError(() => finiteNumber("-1e400", SITE));
  assertEquals([error.file, error.line, error.field], [SITE.file, SITE.line, SITE.field]);
  assertEquals(error.detail, 'not finite: "-1e400"');
});

Deno.test("finiteNumber: the float32 bound holds only where float32 is asked, and shows the text", () => {
  // Timestamps and .inter floats are doubles: 1e39 is a number there.
  assertEquals(finiteNumber("1e39", SITE), 1e39);
  assertEquals(finiteNumber("-35e37", SITE), -3.5e38);
  const error = dataError(() => finiteNumber("-35e37", SITE, { float32: true }));
  assertEquals([error.line, error.field], [SITE.line, SITE.field]);
  assert(error.detail.startsWith("-35e37 is outside the float32 range"), error.detail);
});

Deno.test("finiteNumber: the date and comma hints take signs, decimals and padding, nothing more", () => {
  const detail = (text: string) => dataError(() => finiteNumber(text, SITE)).detail;
  const comma = "a decimal comma or a thousands separator?";
  for (const text of ["-1,5", "+4,5", "1,600.5", " 4,5 ", "1,600,000.25"]) {
    assert(detail(text).includes(comma), text);
  }
  for (const text of ["1,5,x", "1,", ",5", "1.5,2"]) assert(!detail(text).includes(comma), text);
  assert(detail(" 2020-01-01 ").includes("a date?"));
  assert(!detail("x2020-01-01").includes("a date?"));
  assert(!detail("id-2020-01-01").includes("a date?"));
});

Deno.test("splitValues: the refused whitespace names the value it touches, counted past leading spaces", () => {
  const field = (text: string) =>
    dataError(() => splitValues(text, "f.txt", 3, (k) => `items[${k}]`)).field;
  assertEquals(field("   a\u00A0b"), "items[0]");
  assertEquals(field(" \t a b\u00A0c"), "items[1]");
  assertEquals(field("\u00A0a"), "items[0]");
  assertEquals(field("a  b \t c\u2003"), "items[2]");
  const error = dataError(() => splitValues("a b\uFEFF", "f.txt", 3, () => "x"));
  assertEquals([error.file, error.line], ["f.txt", 3]);
  assert(error.detail.startsWith("whitespace U+FEFF (byte-order mark) in or between values"));
  const nbsp = dataError(() => splitValues("a\u00a0", "f.txt", 3, () => "x")).detail;
  assert(nbsp.startsWith("whitespace U+00A0 (no-break space) in"), nbsp);
  const emSpace = dataError(() => splitValues("a\u2003", "f.txt", 3, () => "x")).detail;
  assert(emSpace.startsWith("whitespace U+2003 in"), emSpace);
});

Deno.test("splitValues: empty and all-blank text is no values, not one empty value", () => {
  assertEquals(splitValues("", "f.txt", 1, () => "x"), []);
  assertEquals(splitValues(" \t  ", "f.txt", 1, () => "x"), []);
  assertEquals(splitValues(" \t  ", "f.txt", 1, () => "x", { tokens: true }), []);
});

Deno.test("oneValueRefusal: a value of exactly 40 characters is shown whole; 41 are cut", () => {
  const site = { path: "s.txt", line: 2, field: "user" };
  const forty = "u".repeat(39) + ",";
  assertEquals(
    oneValueRefusal(site, forty, "items", "commas").detail,
    `one value "${forty}" and no items: fields are separated by spaces or tabs, not commas`,
  );
  const fortyOne = forty + "i";
  assertEquals(
    oneValueRefusal(site, fortyOne, "items", "commas").detail,
    `one value "${forty}..." and no items: fields are separated by spaces or tabs, not commas`,
  );
});

Deno.test("foreignSeparator: commas, then semicolons, then pipes, whatever their order in the value", () => {
  assertEquals(foreignSeparator("a;b,c"), "commas");
  assertEquals(foreignSeparator("a|b;c"), "semicolons");
  assertEquals(foreignSeparator("a|b"), "pipes");
  assertEquals(foreignSeparator("a b\tc"), undefined);
});

Deno.test("readLines: tabSeparated keeps a line of tabs as a row", () => {
  const path = `${fixture({ ".tsv": "a\tb\n\t\n\nc\td\n" })}.tsv`;
  assertEquals(readLines(path, { tabSeparated: true }), [
    { line: 1, content: "a\tb" },
    { line: 2, content: "\t" },
    { line: 4, content: "c\td" },
  ]);
  assertEquals(readLines(path).map(({ line }) => line), [1, 4]);
});

/** The DataError of reading `bytes` as a tab-separated file. */
function tabRefusal(bytes: Uint8Array, chunkBytes?: number): DataError {
  const path = `${fixture({ ".tsv": bytes })}.tsv`;
  return dataError(() => forEachLine(path, () => {}, { tabSeparated: true, chunkBytes }));
}

const encode = (text: string) => new TextEncoder().encode(text);
const withByte = (before: string, byte: number, after: string) =>
  Uint8Array.from([...encode(before), byte, ...encode(after)]);

Deno.test("forEachLine: a refused byte's field is the header cell, found past blank lines", () => {
  for (const chunkBytes of [undefined, 4]) {
    const error = tabRefusal(
      withByte("\n  \nuser_id:token\titem_id:token\nu1\t", 0xe9, "\n"),
      chunkBytes,
    );
    assertEquals([error.line, error.field], [4, "item_id:token"], String(chunkBytes));
    assert(error.detail.includes('(byte E9 after "u1\\t", column 2)'), error.detail);
  }
});

Deno.test("forEachLine: a refused byte on the header, past its last cell or under an empty cell", () => {
  const header = tabRefusal(withByte("a\tb", 0xe9, "\nx\ty\n"));
  assertEquals([header.line, header.field], [1, "header"]);
  const past = tabRefusal(withByte("a\tb\nx\ty\t", 0xe9, "\n"));
  assertEquals([past.line, past.field], [2, "b"]);
  assert(past.detail.includes("column 3)"), past.detail);
  const empty = tabRefusal(withByte("a\t \tc\nx\t", 0xe9, "\tz\n"));
  assertEquals([empty.line, empty.field], [2, "column 2"]);
});

Deno.test("forEachLine: a NUL byte before a refused byte in one chunk is named on its own line", () => {
  const path = `${fixture({ ".txt": withByte("a\n\u0000\nb", 0xe9, "\n") })}.txt`;
  const error = dataError(() => forEachLine(path, () => {}));
  assertEquals([error.line, error.field], [2, "file"]);
  assert(error.detail.startsWith("a NUL byte: not a text file"), error.detail);
  const late = `${fixture({ ".txt": "a\nb\nc\u0000\n" })}.txt`;
  assertEquals(dataError(() => forEachLine(late, () => {})).line, 3);
});

Deno.test("forEachLine: a relative folder gets no 'relative path' note; only a missing file does", () => {
  const error = dataError(() => forEachLine(".", () => {}));
  assertEquals([error.file, error.line, error.field], [".", 0, "file"]);
  assert(error.detail.startsWith("cannot read: is a directory, not a file"), error.detail);
  assert(!error.detail.includes("a relative path"), error.detail);
});

Deno.test("forEachLine: chunkBytes 0 is refused before the file is opened", () => {
  // A missing file: were 0 let through, the open would fail instead (a zero-byte read never ends).
  const error = assertThrows(() => forEachLine("/nonexistent/oh.txt", () => {}, { chunkBytes: 0 }));
  assert(error instanceof RangeError, String(error));
  assertEquals(error.message, "forEachLine: chunkBytes must be a positive integer, got 0");
});

Deno.test("pathKind: something that is neither a file nor a folder is neither", () => {
  assertEquals(pathKind("/dev/null"), undefined);
  assertEquals(pathKind("/"), "folder");
});

Deno.test("forEachLine: a header with a bare carriage return names a refused byte's column whatever the chunk size", () => {
  // The refused byte outranks the bare carriage return. Its field used to come from the part
  // of the header after the chunk that held the carriage return: "d" with 2- or 3-byte chunks.
  for (const chunkBytes of [undefined, 1, 2, 3, 5]) {
    const error = tabRefusal(withByte("a\rb\tc\td\nx\t", 0xe9, "\n"), chunkBytes);
    assertEquals([error.line, error.field], [2, "c"], String(chunkBytes));
  }
  // Blank lines (one with a carriage return in it) before the header are passed over.
  for (const chunkBytes of [undefined, 1, 2]) {
    const error = tabRefusal(withByte(" \r \n\nh1\th2\nx\t", 0xe9, "\n"), chunkBytes);
    assertEquals([error.line, error.field], [4, "h2"], String(chunkBytes));
  }
});

Deno.test("forEachLine: a header read back from the refused chunk may lie past 64 KiB of blank lines", () => {
  // Whole in one chunk, the cutter never saw the header: it is read back a piece at a time, and
  // here it straddles the first piece's end.
  const blank = "\n".repeat((1 << 16) - 3);
  const error = tabRefusal(withByte(`${blank}h1\th2\nx\t`, 0xe9, "\n"));
  assertEquals([error.line, error.field], [(1 << 16) - 1, "h2"]);
  // A character of the header cut by the piece's end is read whole.
  const cut = tabRefusal(withByte(`${blank}h1\u00e9\th2\n`, 0xe9, "\n"));
  assertEquals([cut.line, cut.field], [(1 << 16) - 1, "h1\u00e9"]);
});

Deno.test("forEachLine: a line of exactly 24 characters before a refused byte is shown whole", () => {
  const path = `${fixture({ ".txt": withByte("x".repeat(24), 0xe9, "\n") })}.txt`;
  const error = dataError(() => forEachLine(path, () => {}));
  assert(error.detail.includes(`(byte E9 after "${"x".repeat(24)}")`), error.detail);
  const longer = `${fixture({ ".txt": withByte("y" + "x".repeat(24), 0xe9, "\n") })}.txt`;
  const cut = dataError(() => forEachLine(longer, () => {}));
  assert(cut.detail.includes(`(byte E9 after "...${"x".repeat(24)}")`), cut.detail);
});

Deno.test("forEachLine: a refused byte's header cell is trimmed, a CRLF header's last one too", () => {
  const crlf = tabRefusal(withByte("a\tb\r\nx\t", 0xe9, "\r\n"));
  assertEquals([crlf.line, crlf.field], [2, "b"]);
  const padded = tabRefusal(withByte(" a \t b \nx\t", 0xe9, "\n"));
  assertEquals([padded.line, padded.field], [2, "b"]);
});

Deno.test("forEachLine: a leading FF not followed by FE is a refused byte, not a UTF-16 mark", () => {
  const path = `${fixture({ ".txt": Uint8Array.of(0xff, 0x41, 0x0a) })}.txt`;
  const error = dataError(() => forEachLine(path, () => {}));
  assertEquals([error.line, error.field], [1, "file"]);
  assert(error.detail.startsWith("bytes that are not UTF-8 text (byte FF at the line's start)"));
});
