/**
 * asRDataFrame and factorLabels (lib/prepare/rds/data_frame.ts) on a corrupt or unexpected frame:
 * what each refusal names. Found by mutation round OD.
 */
import { assertEquals, assertThrows } from "@std/assert";
import { asRDataFrame, factorLabels, type RValue } from "../../lib/prepare/rds/mod.ts";

const none = () => new Map<string, RValue>();
const strings = (values: (string | null)[]): RValue => ({
  type: "character",
  values,
  attributes: none(),
});
const integers = (values: number[]): RValue => ({
  type: "integer",
  values: Int32Array.from(values),
  attributes: none(),
});

function frame(columns: RValue[], names: RValue): RValue {
  const attributes = new Map([["names", names], ["class", strings(["data.frame"])]]);
  return { type: "list", values: columns, attributes };
}

Deno.test("asRDataFrame: names that are no strings are no column names (OD06)", () => {
  assertThrows(
    () => asRDataFrame(frame([integers([1]), integers([2])], integers([1, 2])), "f.rdb"),
    Error,
    "f.rdb: data.frame columns are not all named",
  );
});

Deno.test("asRDataFrame: a later column longer than the first is refused too, named against the first's rows (OD07 OD08)", () => {
  assertThrows(
    () => asRDataFrame(frame([integers([1]), integers([1, 2, 3])], strings(["a", "b"])), "f.rdb"),
    Error,
    'f.rdb: column "b" has 3 rows, expected 1',
  );
});

Deno.test("factorLabels refuses a column that is neither factor nor strings, naming its type (OD09)", () => {
  const doubles: RValue = { type: "double", values: Float64Array.from([1]), attributes: none() };
  assertThrows(() => factorLabels(doubles, "genres"), Error, "genres: not a factor (got double)");
  assertEquals(factorLabels(strings(["x"]), "genres"), ["x"]);
});

Deno.test("asRDataFrame refuses two columns of one name, naming both, rather than keep the last", () => {
  // Found by mutation round OD: the second "rating" replaced the first in the map, and the frame
  // had one column fewer than the file.
  const columns = [integers([1]), integers([2]), integers([3])];
  assertThrows(
    () => asRDataFrame(frame(columns, strings(["rating", "userId", "rating"])), "f.rdb"),
    Error,
    'f.rdb: columns 1 and 3 are both named "rating"',
  );
});
