/**
 * The CSV of the committed dataset files (lib/data/csv.ts): what `formatCsv` writes `parseCsv`
 * reads back, quoted fields may hold commas, quotes and line breaks (and the records' lines count
 * them), and malformed text is an error naming the file, the line and the column.
 */
import { assertEquals, assertThrows } from "@std/assert";
import { formatCsv, parseCsv } from "../../lib/data/csv.ts";
import { DataError } from "../../lib/data/errors.ts";

Deno.test("parseCsv reads back what formatCsv writes, quotes, commas and line breaks included", () => {
  const rows = [
    ["id", "title"],
    ["1", 'Heat, "The"'],
    ["2", "two\nlines"],
    ["3", ""],
    ["4", '"'],
  ];
  const table = parseCsv(formatCsv(rows), "movies.csv");
  assertEquals(table.header, rows[0]);
  assertEquals(table.rows, rows.slice(1));
  // Record 3 starts on line 5: record 2's field spans lines 3 and 4.
  assertEquals(table.lines, [2, 3, 5, 6]);
});

Deno.test("formatCsv quotes a field holding a lone carriage return, which reads back whole", () => {
  // Unquoted, "a\rb" ended its record at the \r, and "b" began a record of one field.
  const rows = [["id", "title"], ["1", "a\rb"], ["2", "c"]];
  assertEquals(formatCsv(rows), 'id,title\n1,"a\rb"\n2,c\n');
  assertEquals(parseCsv(formatCsv(rows), "movies.csv").rows, rows.slice(1));
});

Deno.test("parseCsv ends a record at a lone \\r as at \\n, losing no character", () => {
  const table = parseCsv("a,b\r12,34\n5,6\n", "f.csv");
  assertEquals(table.rows, [["12", "34"], ["5", "6"]]);
  assertEquals(table.lines, [2, 3]);
});

Deno.test("parseCsv takes \\r\\n line ends and a last record without one", () => {
  const table = parseCsv('a,b\r\n1,"x\r\ny"\r\n3,4', "f.csv");
  assertEquals(table.rows, [["1", "x\r\ny"], ["3", "4"]]);
  assertEquals(table.lines, [2, 4]);
});

Deno.test("parseCsv: malformed text is an error naming the file, line and column", () => {
  const cases: [string, number, string, string][] = [
    ["", 1, "header", "empty file"],
    ['a,b\n1,"unclosed\n', 2, "column 2", "unclosed quote"],
    // A record that spans lines is named by its first line and the column, as a short one is.
    ['a,b\n"x\ny","unclosed\n', 2, "column 2", "unclosed quote"],
    ['a,b\n"x\ny"z,2\n', 3, "column 1", "text after closing quote"],
    ['a,b\n1,x"y\n', 2, "column 2", "stray quote"],
    ["a,b\n1,2\n1\n", 3, "column 2", "1 fields, header has 2"],
    ['a,b\n"p\nq",2,3\n', 2, "column 3", "3 fields, header has 2"],
  ];
  for (const [text, line, field, detail] of cases) {
    const error = assertThrows(() => parseCsv(text, "f.csv"), DataError) as DataError;
    assertEquals([error.file, error.line, error.field, error.detail], [
      "f.csv",
      line,
      field,
      detail,
    ]);
  }
});

Deno.test("parseCsv takes a quoted field as the file's last, with no line end after it", () => {
  // The check for text after a closing quote must not read the end of the text as such text.
  const table = parseCsv('a,b\n1,"x, y"', "f.csv");
  assertEquals(table.rows, [["1", "x, y"]]);
  assertEquals(table.lines, [2]);
});

Deno.test("parseCsv counts every line break of a quoted field, around its doubled quotes too", () => {
  const table = parseCsv('a,b\n1,"x\ny\n""z""\nw"\n2,3\n', "f.csv");
  assertEquals(table.rows, [["1", 'x\ny\n"z"\nw'], ["2", "3"]]);
  // Record 2 starts on line 6: record 1's field holds three line breaks.
  assertEquals(table.lines, [2, 6]);
});

Deno.test("parseCsv reads a blank line as a record of one empty field, never skips it", () => {
  // Under a header of two columns it is refused, naming its line.
  const error = assertThrows(() => parseCsv("a,b\n1,2\n\n3,4\n", "f.csv"), DataError) as DataError;
  assertEquals([error.line, error.field, error.detail], [3, "column 2", "1 fields, header has 2"]);
  // Under one column it is that column's empty value, kept in its place.
  const table = parseCsv("id\n1\n\n2\n", "f.csv");
  assertEquals(table.rows, [["1"], [""], ["2"]]);
  assertEquals(table.lines, [2, 3, 4]);
});

Deno.test("parseCsv counts a lone \\r inside a quoted field as a line, as it does between records", () => {
  // Records end at a lone \r (classic Mac line ends); a quoted field's own \r counted no line, so
  // every later record (and its errors) was named a line too early.
  const table = parseCsv('a,b\r1,"x\ry"\r2,3\r', "f.csv");
  assertEquals(table.rows, [["1", "x\ry"], ["2", "3"]]);
  assertEquals(table.lines, [2, 4]);
  // A \r\n in the field is one line, and a \r before a doubled quote a lone one: two lines.
  assertEquals(parseCsv('a,b\n1,"x\r\ny\r""z"\n2,3\n', "f.csv").lines, [2, 5]);
  const error = assertThrows(() => parseCsv('a,b\r1,"x\ry"\r2\r', "f.csv"), DataError) as DataError;
  assertEquals([error.line, error.field], [4, "column 2"]);
});
