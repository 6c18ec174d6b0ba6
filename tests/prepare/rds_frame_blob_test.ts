/**
 * asRDataFrame and factorLabels refuse a frame or factor they cannot read right, naming the
 * column or row, and openLazyLoadDatabase refuses a blob that does not hold what its index says.
 */
import { assertEquals, assertThrows } from "@std/assert";
import { deflateSync, gzipSync } from "node:zlib";
import {
  asRDataFrame,
  factorLabels,
  openLazyLoadDatabase,
  R_NA_INTEGER,
  type RValue,
} from "../../lib/prepare/rds/mod.ts";
import { lazyLoadIndex, RFixtureWriter } from "./_r_fixture_writer.ts";

const none = () => new Map<string, RValue>();
const strings = (values: (string | null)[]): RValue => ({
  type: "character",
  values,
  attributes: none(),
});
const integers = (values: number[], attributes = none()): RValue => ({
  type: "integer",
  values: Int32Array.from(values),
  attributes,
});

function frame(columns: RValue[], names: (string | null)[]): RValue {
  const attributes = new Map([["names", strings(names)], ["class", strings(["data.frame"])]]);
  return { type: "list", values: columns, attributes };
}

Deno.test("asRDataFrame refuses unnamed, NA-named and short columns, naming them", () => {
  const two = integers([1, 2]);
  assertEquals(asRDataFrame(frame([two, two], ["a", "b"]), "f").numRows, 2);
  assertThrows(
    () => asRDataFrame(frame([two, two], ["a"]), "f"),
    Error,
    "f: data.frame columns are not all named",
  );
  assertThrows(
    () => asRDataFrame(frame([two, two], ["a", null]), "f"),
    Error,
    "f: column 2 has an NA name",
  );
  assertThrows(
    () => asRDataFrame(frame([two, integers([1])], ["a", "b"]), "f"),
    Error,
    'f: column "b" has 1 rows, expected 2',
  );
});

Deno.test("asRDataFrame refuses a list that is no data.frame; factorLabels a factor without levels", () => {
  const list: RValue = { type: "list", values: [integers([1])], attributes: none() };
  assertThrows(() => asRDataFrame(list, "l"), Error, "l: not a data.frame (got list)");
  assertThrows(() => factorLabels(integers([1, 2]), "codes"), Error, "codes: factor has no levels");
});

Deno.test("openLazyLoadDatabase refuses an index without its compressed element, naming it", () => {
  const dir = Deno.makeTempDirSync();
  try {
    // list(variables = list(x = c(0, 4))): no "compressed".
    const index = new RFixtureWriter().header(2).vecsxp(1, true);
    index.vecsxp(1, true).intsxp([0, 4]);
    index.pairlistCell().symbol("names").strsxp(["x"]).nil();
    index.pairlistCell().reference(1).strsxp(["variables"]).nil();
    Deno.writeFileSync(`${dir}/Rdata.rdx`, gzipSync(index.bytes()));
    assertThrows(
      () => openLazyLoadDatabase(`${dir}/Rdata`),
      Error,
      `${dir}/Rdata.rdx: index has no "compressed" element`,
    );
  } finally {
    Deno.removeSync(dir, { recursive: true });
  }
});

Deno.test("factorLabels: an NA code is null; a code outside the levels is refused, naming the row", () => {
  const levels = new Map([["levels", strings(["x", "y"])]]);
  assertEquals(factorLabels(integers([2, R_NA_INTEGER, 1], levels), "g"), ["y", null, "x"]);
  for (const [code, row] of [[0, 2], [3, 2], [-1, 2]]) {
    assertThrows(
      () => factorLabels(integers([1, code], levels), "g"),
      Error,
      `g: row ${row} has code ${code} outside 2 levels`,
    );
  }
});

/** Writes `<dir>/Rdata.rdb` (the blob at offset 0) and its index; returns the base path. */
function database(dir: string, blob: Uint8Array, location: number[], compressed: number): string {
  Deno.writeFileSync(`${dir}/Rdata.rdb`, blob);
  Deno.writeFileSync(`${dir}/Rdata.rdx`, gzipSync(lazyLoadIndex("x", location, compressed)));
  return `${dir}/Rdata`;
}

/** A blob: 4-byte big-endian length `declared`, then `body` (method byte and payload). */
function blob(declared: number, body: Uint8Array): Uint8Array {
  const bytes = new Uint8Array(4 + body.length);
  new DataView(bytes.buffer).setUint32(0, declared, false);
  bytes.set(body, 4);
  return bytes;
}

Deno.test("openLazyLoadDatabase: blobs of compression scheme 3 by method byte; what does not fit is refused", () => {
  const dir = Deno.makeTempDirSync();
  try {
    const object = new RFixtureWriter().header(2).intsxp([4, 5]).bytes();
    const zlib = new Uint8Array(deflateSync(object));
    const expectInts = (base: string) => {
      const value = openLazyLoadDatabase(base).read("x");
      assertEquals(value.type === "integer" && Array.from(value.values), [4, 5]);
    };
    // Scheme 3: a method byte ("Z" zlib, "0" stored) follows the length.
    const z = blob(object.length, Uint8Array.of(0x5a, ...zlib));
    expectInts(database(dir, z, [0, z.length], 3));
    const stored = blob(object.length, Uint8Array.of(0x30, ...object));
    expectInts(database(dir, stored, [0, stored.length], 3));
    const bzip2 = blob(object.length, Uint8Array.of(0x32, ...zlib));
    assertThrows(
      () => openLazyLoadDatabase(database(dir, bzip2, [0, bzip2.length], 3)).read("x"),
      Error,
      'Rdata.rdb ("x"): bzip2-compressed blobs are not supported',
    );
    // The length word says one byte more than the blob inflates to.
    const long = blob(object.length + 1, zlib);
    assertThrows(
      () => openLazyLoadDatabase(database(dir, long, [0, long.length], 1)).read("x"),
      Error,
      `blob inflated to ${object.length} bytes, header says ${object.length + 1}`,
    );
    // The index places the object past the end of the file.
    const whole = blob(object.length, zlib);
    assertThrows(
      () => openLazyLoadDatabase(database(dir, whole, [0, whole.length + 1], 1)).read("x"),
      Error,
      `Rdata.rdb: "x" at 0+${whole.length + 1} is outside the file`,
    );
    assertThrows(
      () => openLazyLoadDatabase(database(dir, whole, [-1, whole.length], 1)).read("x"),
      Error,
      `Rdata.rdb: "x" at -1+${whole.length} is outside the file`,
    );
    const four = blob(0, new Uint8Array(0));
    assertThrows(
      () => openLazyLoadDatabase(database(dir, four, [0, 4], 1)).read("x"),
      Error,
      'Rdata.rdb ("x"): blob of 4 bytes is too short',
    );
  } finally {
    Deno.removeSync(dir, { recursive: true });
  }
});

Deno.test("asRDataFrame: no columns is 0 rows; a tibble's class is a data.frame; a pairlist column counts its cells", () => {
  const none0 = asRDataFrame(frame([], []), "empty");
  assertEquals([none0.numRows, none0.columnNames], [0, []]);
  const tibble: RValue = {
    type: "list",
    values: [integers([1, 2])],
    attributes: new Map([
      ["names", strings(["a"])],
      ["class", strings(["tbl_df", "tbl", "data.frame"])],
    ]),
  };
  assertEquals(asRDataFrame(tibble, "tibble").numRows, 2);
  const cells: RValue = {
    type: "pairlist",
    entries: [{ tag: null, value: integers([1]) }, { tag: null, value: integers([2]) }],
    attributes: none(),
  };
  assertEquals(asRDataFrame(frame([integers([1, 2]), cells], ["a", "b"]), "p").numRows, 2);
  assertThrows(
    () => asRDataFrame(frame([integers([1])], ["a", "b"]), "f"),
    Error,
    "f: data.frame columns are not all named",
  );
});

Deno.test("factorLabels returns a character column as it is", () => {
  assertEquals(factorLabels(strings(["Drama", null]), "title"), ["Drama", null]);
});

/** Writes `<dir>/Rdata.rdb` and an `.rdx` of the given bytes; returns the base path. */
function rawDatabase(dir: string, blob: Uint8Array, index: Uint8Array): string {
  Deno.writeFileSync(`${dir}/Rdata.rdb`, blob);
  Deno.writeFileSync(`${dir}/Rdata.rdx`, gzipSync(index));
  return `${dir}/Rdata`;
}

Deno.test("openLazyLoadDatabase: scheme 2 blobs by method byte; xz, corrupt zlib and unknown schemes are refused", () => {
  const dir = Deno.makeTempDirSync();
  try {
    const object = new RFixtureWriter().header(2).intsxp([4, 5]).bytes();
    const stored = blob(object.length, Uint8Array.of(0x30, ...object));
    const value = openLazyLoadDatabase(database(dir, stored, [0, stored.length], 2)).read("x");
    assertEquals(value.type === "integer" && Array.from(value.values), [4, 5]);
    const xz = blob(object.length, Uint8Array.of(0x58, 1, 2, 3));
    assertThrows(
      () => openLazyLoadDatabase(database(dir, xz, [0, xz.length], 3)).read("x"),
      Error,
      'Rdata.rdb ("x"): xz-compressed blobs are not supported',
    );
    const zlib = new Uint8Array(deflateSync(object));
    const corrupt = blob(object.length, zlib.subarray(0, zlib.length - 6));
    assertThrows(
      () => openLazyLoadDatabase(database(dir, corrupt, [0, corrupt.length], 1)).read("x"),
      Error,
      'Rdata.rdb ("x"): corrupt zlib blob',
    );
    const whole = blob(object.length, zlib);
    assertThrows(
      () => openLazyLoadDatabase(database(dir, whole, [0, whole.length], 4)).read("x"),
      Error,
      'Rdata.rdb ("x"): unknown lazy-load compression scheme 4',
    );
    // A location of three numbers is not c(offset, length).
    assertThrows(
      () => openLazyLoadDatabase(database(dir, whole, [0, whole.length, 9], 1)).read("x"),
      Error,
      'location of "x" is not c(offset, length)',
    );
  } finally {
    Deno.removeSync(dir, { recursive: true });
  }
});

Deno.test("openLazyLoadDatabase refuses an index that is no list, unnamed variables and a non-scalar scheme", () => {
  const dir = Deno.makeTempDirSync();
  const object = new RFixtureWriter().header(2).intsxp([4, 5]).bytes();
  const whole = blob(object.length, new Uint8Array(deflateSync(object)));
  const at = [0, whole.length];
  try {
    const notList = new RFixtureWriter().header(2).intsxp([1]).bytes();
    assertThrows(
      () => openLazyLoadDatabase(rawDatabase(dir, whole, notList)),
      Error,
      "Rdata.rdx: index is a integer, not a list",
    );
    // list(variables = list(c(0, n)), compressed = TRUE): the variables carry no names.
    const unnamed = new RFixtureWriter().header(2).vecsxp(2, true);
    unnamed.vecsxp(1).intsxp(at).intsxp([1], false, 10);
    unnamed.pairlistCell().symbol("names").strsxp(["variables", "compressed"]).nil();
    assertThrows(
      () => openLazyLoadDatabase(rawDatabase(dir, whole, unnamed.bytes())),
      Error,
      'Rdata.rdx: "variables" has no names',
    );
    // compressed = c(3, 3).
    const pair = new RFixtureWriter().header(2).vecsxp(2, true);
    pair.vecsxp(1, true).intsxp(at).pairlistCell().symbol("names").strsxp(["x"]).nil();
    pair.realsxp([3, 3]);
    pair.pairlistCell().reference(1).strsxp(["variables", "compressed"]).nil();
    assertThrows(
      () => openLazyLoadDatabase(rawDatabase(dir, whole, pair.bytes())),
      Error,
      'Rdata.rdx: "compressed" element is not a scalar',
    );
    // Two elements named "variables": the first is read, as R's `index$variables` does.
    const twice = new RFixtureWriter().header(2).vecsxp(3, true);
    twice.vecsxp(1, true).intsxp(at).pairlistCell().symbol("names").strsxp(["x"]).nil();
    twice.vecsxp(0).intsxp([1], false, 10);
    twice.pairlistCell().reference(1).strsxp(["variables", "variables", "compressed"]).nil();
    const value = openLazyLoadDatabase(rawDatabase(dir, whole, twice.bytes())).read("x");
    assertEquals(value.type === "integer" && Array.from(value.values), [4, 5]);
  } finally {
    Deno.removeSync(dir, { recursive: true });
  }
});

Deno.test("factorLabels refuses levels that are no strings", () => {
  const codes = integers([1], new Map([["levels", integers([5])]]));
  assertThrows(() => factorLabels(codes, "g"), Error, "g: factor has no levels");
});

Deno.test("openLazyLoadDatabase: a double location reads, a fractional or NA one is refused; a corrupt object names its blob", () => {
  const dir = Deno.makeTempDirSync();
  try {
    const object = new RFixtureWriter().header(2).intsxp([4, 5]).bytes();
    const whole = blob(object.length, new Uint8Array(deflateSync(object)));
    // list(variables = list(x = c(0, n) as doubles), compressed = TRUE).
    const doubles = new RFixtureWriter().header(2).vecsxp(2, true);
    doubles.vecsxp(1, true).realsxp([0, whole.length]);
    doubles.pairlistCell().symbol("names").strsxp(["x"]).nil().intsxp([1], false, 10);
    doubles.pairlistCell().reference(1).strsxp(["variables", "compressed"]).nil();
    const value = openLazyLoadDatabase(rawDatabase(dir, whole, doubles.bytes())).read("x");
    assertEquals(value.type === "integer" && Array.from(value.values), [4, 5]);
    // A fractional or NA offset, or a negative length, is no location (subarray would truncate).
    for (const [offset, length] of [[0.5, whole.length], [NaN, whole.length], [0, -1]]) {
      const bad = new RFixtureWriter().header(2).vecsxp(2, true);
      bad.vecsxp(1, true).realsxp([offset, length]);
      bad.pairlistCell().symbol("names").strsxp(["x"]).nil().intsxp([1], false, 10);
      bad.pairlistCell().reference(1).strsxp(["variables", "compressed"]).nil();
      assertThrows(
        () => openLazyLoadDatabase(rawDatabase(dir, whole, bad.bytes())).read("x"),
        Error,
        `Rdata.rdx: location of "x" is ${offset}+${length}, not two counts`,
      );
    }
    // An object cut short inside a sound blob: the error names the blob file and the object.
    const cut = object.subarray(0, object.length - 4);
    const short = blob(cut.length, new Uint8Array(deflateSync(cut)));
    assertThrows(
      () => openLazyLoadDatabase(database(dir, short, [0, short.length], 1)).read("x"),
      Error,
      'Rdata.rdb ("x"): byte',
    );
  } finally {
    Deno.removeSync(dir, { recursive: true });
  }
});

Deno.test("openLazyLoadDatabase reads the first of two objects of one name", () => {
  const dir = Deno.makeTempDirSync();
  try {
    const objectOf = (n: number) => new RFixtureWriter().header(2).intsxp([n]).bytes();
    const a = blob(objectOf(1).length, new Uint8Array(deflateSync(objectOf(1))));
    const b = blob(objectOf(2).length, new Uint8Array(deflateSync(objectOf(2))));
    const index = new RFixtureWriter().header(2).vecsxp(2, true);
    index.vecsxp(2, true).intsxp([0, a.length]).intsxp([a.length, b.length]);
    index.pairlistCell().symbol("names").strsxp(["x", "x"]).nil().intsxp([1], false, 10);
    index.pairlistCell().reference(1).strsxp(["variables", "compressed"]).nil();
    const db = openLazyLoadDatabase(rawDatabase(dir, Uint8Array.of(...a, ...b), index.bytes()));
    const value = db.read("x");
    assertEquals(value.type === "integer" && Array.from(value.values), [1]);
  } finally {
    Deno.removeSync(dir, { recursive: true });
  }
});

Deno.test("openLazyLoadDatabase refuses an unnamed index, variables that are no list, a location of strings, an integer scheme pair", () => {
  const dir = Deno.makeTempDirSync();
  const object = new RFixtureWriter().header(2).intsxp([4, 5]).bytes();
  const whole = blob(object.length, new Uint8Array(deflateSync(object)));
  const at = [0, whole.length];
  const refused = (index: RFixtureWriter, message: string, read = false) =>
    assertThrows(
      () => {
        const db = openLazyLoadDatabase(rawDatabase(dir, whole, index.bytes()));
        if (read) db.read("x");
      },
      Error,
      message,
    );
  try {
    // list(list(x = c(0, n)), TRUE) without names: no element can be found by name.
    const unnamed = new RFixtureWriter().header(2).vecsxp(2);
    unnamed.vecsxp(1, true).intsxp(at).pairlistCell().symbol("names").strsxp(["x"]).nil();
    unnamed.intsxp([1], false, 10);
    refused(unnamed, "Rdata.rdx: index list has no names");
    // Names that are no strings (c(1L, 2L)) are no names either.
    const numbered = new RFixtureWriter().header(2).vecsxp(2, true);
    numbered.vecsxp(1, true).intsxp(at).pairlistCell().symbol("names").strsxp(["x"]).nil();
    numbered.intsxp([1], false, 10);
    numbered.pairlistCell().reference(1).intsxp([1, 2]).nil();
    refused(numbered, "Rdata.rdx: index list has no names");
    // variables = c(x = "0"): named, but no list of locations.
    const strings = new RFixtureWriter().header(2).vecsxp(2, true);
    strings.strsxp(["0"], true).pairlistCell().symbol("names").strsxp(["x"]).nil();
    strings.intsxp([1], false, 10);
    strings.pairlistCell().reference(1).strsxp(["variables", "compressed"]).nil();
    refused(strings, 'Rdata.rdx: "variables" is not a list');
    // x = c("0", "n"): a location of strings is no c(offset, length), whatever the strings say.
    const texts = new RFixtureWriter().header(2).vecsxp(2, true);
    texts.vecsxp(1, true).strsxp(at.map(String));
    texts.pairlistCell().symbol("names").strsxp(["x"]).nil().intsxp([1], false, 10);
    texts.pairlistCell().reference(1).strsxp(["variables", "compressed"]).nil();
    refused(texts, 'Rdata.rdx: location of "x" is not c(offset, length)', true);
    // compressed = c(3L, 3L): an integer pair is no scalar either (the double pair is tested above).
    const pair = new RFixtureWriter().header(2).vecsxp(2, true);
    pair.vecsxp(1, true).intsxp(at).pairlistCell().symbol("names").strsxp(["x"]).nil();
    pair.intsxp([3, 3]);
    pair.pairlistCell().reference(1).strsxp(["variables", "compressed"]).nil();
    refused(pair, 'Rdata.rdx: "compressed" element is not a scalar');
  } finally {
    Deno.removeSync(dir, { recursive: true });
  }
});

Deno.test("openLazyLoadDatabase names an unknown method byte, and refuses a blob that inflates to more than its length word", () => {
  const dir = Deno.makeTempDirSync();
  try {
    const object = new RFixtureWriter().header(2).intsxp([4, 5]).bytes();
    const unknown = blob(object.length, Uint8Array.of(0x51, ...object)); // "Q"
    assertThrows(
      () => openLazyLoadDatabase(database(dir, unknown, [0, unknown.length], 3)).read("x"),
      Error,
      'Rdata.rdb ("x"): type "Q"-compressed blobs are not supported',
    );
    // The length word says one byte less than the blob inflates to (the test above: one more).
    const zlib = new Uint8Array(deflateSync(object));
    const short = blob(object.length - 1, zlib);
    assertThrows(
      () => openLazyLoadDatabase(database(dir, short, [0, short.length], 1)).read("x"),
      Error,
      `blob inflated to ${object.length} bytes, header says ${object.length - 1}`,
    );
  } finally {
    Deno.removeSync(dir, { recursive: true });
  }
});
