/**
 * The data layer's one error (lib/data/errors.ts): its name, its fields, and a message that names
 * the file, the line and the field, in that order, so that an editor can jump to the place.
 */
import { assertEquals } from "@std/assert";
import { DataError } from "../../lib/data/errors.ts";

Deno.test("DataError is named DataError and says file:line, the field in quotes, then the detail", () => {
  const error = new DataError("ml.inter", 12, "timestamp:float", 'not a number: "abc"');
  assertEquals(error.name, "DataError");
  assertEquals(error.message, 'ml.inter:12: field "timestamp:float": not a number: "abc"');
  assertEquals(
    String(error),
    'DataError: ml.inter:12: field "timestamp:float": not a number: "abc"',
  );
  assertEquals(
    [error.file, error.line, error.field, error.detail],
    ["ml.inter", 12, "timestamp:float", 'not a number: "abc"'],
  );
});
