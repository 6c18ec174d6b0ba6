/** Mutation round MG: CSV reading edges the earlier rounds left open. */
import { assertEquals, assertThrows } from "@std/assert";
import { parseCsv } from "../../lib/data/csv.ts";
import { DataError } from "../../lib/data/errors.ts";

Deno.test("parseCsv: a space after a closing quote is text after the quote, at its line and column (MG49)", () => {
  const error = assertThrows(
    () => parseCsv('id,title\n1,"Heat" \n', "items.csv"),
    DataError,
  ) as DataError;
  assertEquals(
    [error.file, error.line, error.field, error.detail],
    ["items.csv", 2, "column 2", "text after closing quote"],
  );
});
