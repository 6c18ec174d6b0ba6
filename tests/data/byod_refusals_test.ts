/**
 * What a new user's hand-made atomic files get wrong (from a bring-your-own-data walk-through,
 * session 44): each refusal says where and what the likely cause is, not a cause that the file
 * rules out.
 */
import { readRecBoleAtomic, readRecBoleAtomicInChunks } from "../../lib/data/import/recbole.ts";
import { readLines } from "../../lib/data/import/_fields.ts";
import { assertDataError, importFixtures } from "./_import_fixtures.ts";

const { write: fixture } = importFixtures("byod_refusals_test_");

const ROWS = "u1\ta\t4\t10\nu1\tb\t5\t20\nu2\ta\t3\t5\n";

Deno.test("a header that lacks a column: the first row's error names the header's columns", () => {
  // Every row has 4 cells under a 3-cell header (the rating column's header cell left out). It
  // was said to be "a tab inside a value?" alone, which no value of the file holds.
  const base = fixture({ ".inter": `user_id:token\titem_id:token\ttimestamp:float\n${ROWS}` });
  assertDataError(
    () => readRecBoleAtomic(base),
    `${base}.inter`,
    2,
    "timestamp:float",
    "4 fields, header has 3 (the first row: the header's columns are user_id:token, " +
      "item_id:token, timestamp:float; a column missing from the header",
  );
});

Deno.test("a header with a column too many: the first row's error says so", () => {
  const base = fixture({
    ".inter": `user_id:token\titem_id:token\trating:float\ttimestamp:float\tsession:token\n${ROWS}`,
  });
  assertDataError(
    () => readRecBoleAtomic(base),
    `${base}.inter`,
    2,
    "session:token",
    "4 fields, header has 5 (the first row: the header's columns are user_id:token, " +
      "item_id:token, rating:float, timestamp:float, session:token; a column too many in the header?)",
  );
});

Deno.test("an extra cell on a later row still points at a tab inside a value", () => {
  const base = fixture({
    ".inter": `user_id:token\titem_id:token\trating:float\ttimestamp:float\n` +
      ROWS.replace("u1\tb\t5\t20", "u1\tb\t5\t20\tx"),
  });
  const detail = "5 fields, header has 4 (a tab inside a value?";
  assertDataError(() => readRecBoleAtomic(base), `${base}.inter`, 3, "timestamp:float", detail);
});

Deno.test("an .item header that lacks a column: the same hint, in the .item", () => {
  const base = fixture({
    ".inter": `user_id:token\titem_id:token\trating:float\ttimestamp:float\n${ROWS}`,
    ".item": "item_id:token\tgenre:token_seq\na\tdrama comedy\t9.5\nb\thorror\t3\n",
  });
  assertDataError(
    () => readRecBoleAtomic(base),
    `${base}.item`,
    2,
    "genre:token_seq",
    "a column missing from the header",
  );
});

/** Chunk sizes in bytes (1 to 7 cut characters and lines apart); undefined: the default. */
const CHUNKS = [1, 2, 3, 4, 5, 7, undefined];

const encode = (text: string) => new TextEncoder().encode(text);

Deno.test("a Latin-1 byte: the error names the byte, the text before it, its column and iconv", () => {
  // "u\u00e9" saved as Latin-1 (E9 then an ASCII digit) on line 3, after UTF-8 "\u00e9" and a
  // euro sign earlier on that line, which chunks cut apart. It said only "bytes that are not
  // UTF-8 text: not a text file (binary or wrong encoding)".
  const inter = Uint8Array.from([
    ...encode("user_id:token\titem_id:token\ttimestamp:float\nu1\ta\t1\n\u00e9\u20ac\tb\tx"),
    0xe9,
    ...encode("0\t2\n"),
  ]);
  const base = fixture({ ".inter": inter });
  for (const chunkBytes of CHUNKS) {
    assertDataError(
      () => readRecBoleAtomicInChunks(base, {}, { chunkBytes }),
      `${base}.inter`,
      3,
      "timestamp:float",
      'bytes that are not UTF-8 text (byte E9 after "\u00e9\u20ac\\tb\\tx", column 3): not a ' +
        "text file (binary or wrong encoding); text saved as Latin-1 or Windows-1252",
    );
  }
});

Deno.test("a refused byte's field is its column's header cell, as a row's other errors give", () => {
  // The field was "file" while the message named the column (session 45).
  const header = "user_id:token\titem_id:token\ttimestamp:float";
  const bytes = (...parts: (string | number)[]) =>
    Uint8Array.from(parts.flatMap((part) => typeof part === "string" ? [...encode(part)] : [part]));
  const cases: {
    files: Record<string, Uint8Array>;
    read: string;
    line: number;
    field: string;
    column: number;
  }[] = [
    // An id on a row.
    {
      files: { ".inter": bytes(`${header}\nu1\ta\t1\nu2\tb`, 0xe9, "\t2\n") },
      read: ".inter",
      line: 3,
      field: "item_id:token",
      column: 2,
    },
    // The header itself: the field a header's errors give.
    {
      files: { ".inter": bytes("user_id:token\titem", 0xe9, "_id:token\nu1\ta\n") },
      read: ".inter",
      line: 1,
      field: "header",
      column: 2,
    },
    // Blank lines before the header, CRLF line ends.
    {
      files: { ".inter": bytes(`\n\r\n${header}\r\nu1\ta\t`, 0xff, "\r\n") },
      read: ".inter",
      line: 4,
      field: "timestamp:float",
      column: 3,
    },
    // A column past the header's last: named by the last, as the field count error names it.
    {
      files: { ".inter": bytes(`${header}\nu1\ta\t1\t`, 0xe9, "\n") },
      read: ".inter",
      line: 2,
      field: "timestamp:float",
      column: 4,
    },
    // An empty header cell (a trailing tab): named by its number, as the header's error names it.
    {
      files: { ".inter": bytes(`${header}\t\nu1\ta\t1\t`, 0xe9, "\n") },
      read: ".inter",
      line: 2,
      field: "column 4",
      column: 4,
    },
    // The .item.
    {
      files: {
        ".inter": bytes(`${header}\nu1\ta\t1\n`),
        ".item": bytes("item_id:token\tgenre:token_seq\na\td", 0xe9, "\n"),
      },
      read: ".item",
      line: 2,
      field: "genre:token_seq",
      column: 2,
    },
  ];
  for (const { files, read, line, field, column } of cases) {
    const base = fixture(files);
    for (const chunkBytes of CHUNKS) {
      assertDataError(
        () => readRecBoleAtomicInChunks(base, {}, { chunkBytes }),
        `${base}${read}`,
        line,
        field,
        `, column ${column}): not a text file`,
      );
    }
  }
});

Deno.test("a refused byte at a line's start, and one cut short by the end of the file", () => {
  const lineStart = `${fixture({ ".txt": Uint8Array.from([...encode("u1 a\n"), 0x80]) })}.txt`;
  const ended = `${fixture({ ".txt": Uint8Array.from([...encode("u1 a\nu2 b"), 0xc3]) })}.txt`;
  for (const chunkBytes of CHUNKS) {
    assertDataError(
      () => readLines(lineStart, { chunkBytes }),
      lineStart,
      2,
      "file",
      "(byte 80 at the line's start)",
    );
    // A space-separated file: no column.
    assertDataError(
      () => readLines(ended, { chunkBytes }),
      ended,
      2,
      "file",
      '(byte C3 after "u2 b")',
    );
  }
});

Deno.test("rows or a header ending with a tab: the error says so", () => {
  const header = "user_id:token\titem_id:token\trating:float\ttimestamp:float";
  // Every row, so the first row's error names the trailing tab, not a missing header column.
  const rows = fixture({ ".inter": `${header}\n${ROWS.replaceAll("\n", "\t\n")}` });
  assertDataError(
    () => readRecBoleAtomic(rows),
    `${rows}.inter`,
    2,
    "timestamp:float",
    "every tab separates fields; the extra fields are empty: a tab at the end of the row?)",
  );
  const head = fixture({ ".inter": `${header}\t\n${ROWS}` });
  assertDataError(
    () => readRecBoleAtomic(head),
    `${head}.inter`,
    1,
    "column 5",
    "(an empty header cell: a trailing tab?)",
  );
});

Deno.test("a refused byte after a whole character names that byte; a long line shows its last 24 characters", () => {
  // "\u00e9" (C3 A9) is whole: FF is refused, not C3 (mutation round IL, IL33).
  const afterWhole = `${
    fixture({ ".txt": Uint8Array.from([...encode("u1 a\nu2 \u00e9"), 0xff, ...encode("\n")]) })
  }.txt`;
  // 26 characters before the byte: "..." then the last 24 (mutation round IL, IL31).
  const long = `${
    fixture({
      ".txt": Uint8Array.from([...encode("u1 abcdefghijklmnopqrstuvw"), 0xe9, ...encode("\n")]),
    })
  }.txt`;
  for (const chunkBytes of CHUNKS) {
    assertDataError(
      () => readLines(afterWhole, { chunkBytes }),
      afterWhole,
      2,
      "file",
      '(byte FF after "u2 \u00e9")',
    );
    assertDataError(
      () => readLines(long, { chunkBytes }),
      long,
      1,
      "file",
      '(byte E9 after "... abcdefghijklmnopqrstuvw")',
    );
  }
});
