/**
 * unserializeR refuses what it cannot read right, naming the byte offset, and expands the ALTREP
 * forms R writes for compact sequences, wrappers and deferred strings as R would read them.
 */
import { assertEquals, assertThrows } from "@std/assert";
import { deflateSync, gzipSync } from "node:zlib";
import {
  decompressRData,
  detectRCompression,
  R_NA_INTEGER,
  unserializeR,
} from "../../lib/prepare/rds/mod.ts";
import { ALTREP, altrep, LISTSXP, RFixtureWriter } from "./_r_fixture_writer.ts";

Deno.test("unserializeR refuses a serialisation version other than 2 or 3", () => {
  for (const version of [0, 1, 4]) {
    const bytes = new RFixtureWriter().rawBytes([0x58, 0x0a]).int(version).int(0).int(0).nil();
    assertThrows(
      () => unserializeR(bytes.bytes(), "v.rds"),
      Error,
      `v.rds: byte 6: serialisation version ${version} is not supported (2 or 3 expected)`,
    );
  }
});

Deno.test("unserializeR refuses negative lengths, a string element that is no string, a dotted pair", () => {
  // A string length below -1 (NA) must not move the reader backwards.
  const string = new RFixtureWriter().header(3).flags(16).int(1).flags(9).int(-5);
  assertThrows(() => unserializeR(string.bytes(), "s.rds"), Error, "s.rds: byte");
  assertThrows(
    () => unserializeR(string.bytes(), "s.rds"),
    Error,
    "string bytes (-5 bytes needed)",
  );
  // A vector length below -1 (the long-vector marker) is corrupt, not a long vector.
  const vector = new RFixtureWriter().header(3).flags(13).int(-2);
  assertThrows(() => unserializeR(vector.bytes(), "v.rds"), Error, "invalid vector length -2");
  const element = new RFixtureWriter().header(3).flags(16).int(1).intsxp([1]);
  assertThrows(
    () => unserializeR(element.bytes(), "e.rds"),
    Error,
    "string element 0 has SEXP type 13, not CHARSXP",
  );
  // pairlist(1L) whose tail is an integer vector instead of another cell or NULL.
  const dotted = new RFixtureWriter().header(3).flags(LISTSXP).intsxp([1]).intsxp([2]);
  assertThrows(
    () => unserializeR(dotted.bytes(), "d.rds"),
    Error,
    "pairlist tail has SEXP type 13; dotted pairs are unsupported",
  );
});

Deno.test("unserializeR refuses an attribute without a name rather than dropping it", () => {
  const bytes = new RFixtureWriter().header(3).intsxp([1], true)
    .flags(LISTSXP).strsxp(["untagged"]).nil();
  assertThrows(() => unserializeR(bytes.bytes(), "a.rds"), Error, "attribute without a name");
});

Deno.test("unserializeR decodes strings without an encoding flag by a latin-1 native encoding", () => {
  for (const encoding of ["latin1", "ISO-8859-1", "ISO8859-1"]) {
    const w = new RFixtureWriter().rawBytes([0x58, 0x0a]).int(3).int(0x040300).int(0x030500);
    const name = new TextEncoder().encode(encoding);
    w.int(name.length).rawBytes(name);
    w.flags(16).int(2);
    w.flags(9).int(4).rawBytes([0x43, 0x61, 0x66, 0xe9]); // native (latin-1) "Café"
    w.flags(9, { levels: 1 << 3 }).int(5).rawBytes([0x43, 0x61, 0x66, 0xc3, 0xa9]); // UTF-8 flagged
    const value = unserializeR(w.bytes(), encoding);
    assertEquals(value.type === "character" && value.values, ["Café", "Café"], encoding);
  }
});

Deno.test("unserializeR: a decreasing compact_intseq (5:2) and a compact_realseq", () => {
  const down = altrep("compact_intseq", 13).realsxp([4, 5, -1]).nil();
  const value = unserializeR(down.bytes(), "down");
  assertEquals(value.type === "integer" && Array.from(value.values), [5, 4, 3, 2]);
  const real = altrep("compact_realseq", 14).realsxp([3, 1.5, 2]).nil();
  const reals = unserializeR(real.bytes(), "real");
  assertEquals(reals.type === "double" && Array.from(reals.values), [1.5, 3.5, 5.5]);
  // A state of two numbers has no step: refused, not read as NaN steps.
  const short = altrep("compact_intseq", 13).realsxp([4, 5]).nil();
  assertThrows(
    () => unserializeR(short.bytes(), "short"),
    Error,
    "compact_intseq state is not a length-3 double vector",
  );
});

Deno.test("unserializeR: a wrap_ ALTREP keeps its attributes; a deferred_string keeps NA as NA", () => {
  // wrap_integer: state list(x, meta), attributes pairlist(names = c("a", "b")).
  const wrapped = altrep("wrap_integer", 13).vecsxp(2).intsxp([1, 2]).intsxp([0, 0])
    .pairlistCell().symbol("names").strsxp(["a", "b"]).nil();
  const value = unserializeR(wrapped.bytes(), "wrap");
  assertEquals(value.type === "integer" && Array.from(value.values), [1, 2]);
  const names = value.type === "integer" ? value.attributes.get("names") : undefined;
  assertEquals(names?.type === "character" && names.values, ["a", "b"]);
  // wrap_string (and wrap_real, wrap_logical ...) the same way.
  const wrappedStrings = altrep("wrap_string", 16).vecsxp(2).strsxp(["x"]).intsxp([0, 0]).nil();
  const text = unserializeR(wrappedStrings.bytes(), "wrap_string");
  assertEquals(text.type === "character" && text.values, ["x"]);
  // deferred_string over as.character(c(7L, NA)): the NA integer is NA_character_, not "NA...".
  const deferred = altrep("deferred_string", 16).flags(LISTSXP).intsxp([7, R_NA_INTEGER]).nil()
    .nil();
  const strings = unserializeR(deferred.bytes(), "deferred");
  assertEquals(strings.type === "character" && strings.values, ["7", null]);
});

Deno.test("unserializeR refuses bytes after the object; decompressRData names corrupt and unsupported data", () => {
  const trailing = new RFixtureWriter().header(3).nil().int(0);
  assertThrows(
    () => unserializeR(trailing.bytes(), "t.rds"),
    Error,
    "t.rds: byte 27: 4 trailing bytes after the serialised object",
  );
  const packed = new Uint8Array(gzipSync(new RFixtureWriter().header(3).nil().bytes()));
  assertThrows(
    () => decompressRData(packed.subarray(0, packed.length - 6), "cut.rds"),
    Error,
    "cut.rds: corrupt gzip data",
  );
  const bzip2 = Uint8Array.of(0x42, 0x5a, 0x68, 0x39, 0x31, 0x41);
  assertEquals(detectRCompression(bzip2), "bzip2");
  assertThrows(
    () => decompressRData(bzip2, "b.rds"),
    Error,
    "b.rds: bzip2-compressed R data is not supported",
  );
  const xz = Uint8Array.of(0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00);
  assertThrows(() => decompressRData(xz, "x.rds"), Error, "x.rds: xz-compressed R data");
});

Deno.test("unserializeR reads a reference whose index follows the flags, and a pairlist's own attributes", () => {
  // pairlist(a = 1L, a = 2L) with attribute class "x": the second tag refers back to symbol "a"
  // by a REFSXP whose packed index is 0, so the index follows as an integer.
  const w = new RFixtureWriter().header(3);
  w.flags(LISTSXP, { attr: true, tag: true });
  w.pairlistCell().symbol("class").strsxp(["x"]).nil();
  w.symbol("a").intsxp([1]);
  w.pairlistCell().int(255).int(2).intsxp([2]).nil();
  const value = unserializeR(w.bytes(), "refs");
  assertEquals(value.type === "pairlist" && value.entries.map((entry) => entry.tag), ["a", "a"]);
  const cls = value.type === "pairlist" ? value.attributes.get("class") : undefined;
  assertEquals(cls?.type === "character" && cls.values, ["x"]);
});

Deno.test("unserializeR refuses an ALTREP's untagged attribute or non-pairlist attributes, as any other's", () => {
  // wrap_integer whose attributes pairlist holds an untagged cell: corrupt, not silently dropped.
  const untagged = altrep("wrap_integer", 13).vecsxp(2).intsxp([1, 2]).intsxp([0, 0])
    .flags(LISTSXP).strsxp(["a", "b"]).nil();
  assertThrows(
    () => unserializeR(untagged.bytes(), "untagged"),
    Error,
    "attribute without a name",
  );
  // Attributes written as an integer vector instead of a pairlist (or NULL).
  const vector = altrep("wrap_integer", 13).vecsxp(2).intsxp([1, 2]).intsxp([0, 0]).intsxp([7]);
  assertThrows(() => unserializeR(vector.bytes(), "vector"), Error, "attributes have type integer");
});

Deno.test("unserializeR refuses a format marker of X and another byte; reads a logical as logical", () => {
  const marker = new RFixtureWriter().rawBytes([0x58, 0x0d]).int(3).int(0).int(0).nil();
  assertThrows(() => unserializeR(marker.bytes(), "m.rds"), Error, "m.rds: byte 2: format");
  // LGLSXP (10) c(TRUE, NA): a logical, not an integer vector.
  const logical = unserializeR(
    new RFixtureWriter().header(3).intsxp([1, R_NA_INTEGER], false, 10).bytes(),
  );
  assertEquals(logical.type, "logical");
  assertEquals(logical.type === "logical" && Array.from(logical.values), [1, R_NA_INTEGER]);
});

Deno.test("unserializeR reads NILSXP (0) as NULL, also as a pairlist's end, and a NULL attribute list", () => {
  assertEquals(unserializeR(new RFixtureWriter().header(3).int(0).bytes()), { type: "null" });
  // pairlist(a = 1L) ended by NILSXP rather than NILVALUE_SXP.
  const w = new RFixtureWriter().header(3).pairlistCell().symbol("a").intsxp([1]).int(0);
  const value = unserializeR(w.bytes(), "nil");
  assertEquals(value.type === "pairlist" && value.entries.map((entry) => entry.tag), ["a"]);
  // An integer flagged as having attributes whose attribute list is NULL: no attributes.
  const bare = unserializeR(new RFixtureWriter().header(3).intsxp([3], true).nil().bytes());
  assertEquals(bare.type === "integer" && bare.attributes.size, 0);
});

Deno.test("unserializeR takes a pairlist tag written as a string; refuses a symbol named NA", () => {
  const w = new RFixtureWriter().header(3).pairlistCell().charsxp("b").intsxp([2]).nil();
  const value = unserializeR(w.bytes(), "tag");
  assertEquals(value.type === "pairlist" && value.entries.map((entry) => entry.tag), ["b"]);
  const na = new RFixtureWriter().header(3).flags(1).charsxp(null);
  assertThrows(() => unserializeR(na.bytes(), "na"), Error, "symbol name is not a string");
});

Deno.test("unserializeR refuses a wrap_ ALTREP of an empty state and a deferred_string over doubles or logicals", () => {
  const empty = altrep("wrap_integer", 13).vecsxp(0).nil();
  assertThrows(
    () => unserializeR(empty.bytes(), "wrap"),
    Error,
    "wrap_integer state is not a list(x, meta)",
  );
  const doubles = altrep("deferred_string", 16).flags(LISTSXP).realsxp([1.5]).nil().nil();
  assertThrows(
    () => unserializeR(doubles.bytes(), "deferred"),
    Error,
    "deferred_string over non-integer data is not supported",
  );
  // Over a logical, 1 would read as "1" where R says "TRUE".
  const logicals = altrep("deferred_string", 16).flags(LISTSXP).intsxp([1], false, 10).nil().nil();
  assertThrows(
    () => unserializeR(logicals.bytes(), "deferred"),
    Error,
    "deferred_string over non-integer data is not supported",
  );
});

Deno.test("unserializeR refuses a long vector longer than the bytes left, however little longer", () => {
  // INTSXP of long length 5 followed by 4 bytes: 5 elements cannot fit.
  const w = new RFixtureWriter().header(3).flags(13).int(-1).int(0).int(5).int(9);
  assertThrows(() => unserializeR(w.bytes(), "long"), Error, "long vector length 5 exceeds data");
});

Deno.test("decompressRData names a corrupt zlib stream as zlib; an xz magic needs all four bytes", () => {
  const packed = new Uint8Array(deflateSync(new RFixtureWriter().header(3).nil().bytes()));
  assertEquals(detectRCompression(packed), "zlib");
  assertThrows(
    () => decompressRData(packed.subarray(0, packed.length - 6), "cut.rdx"),
    Error,
    "cut.rdx: corrupt zlib data",
  );
  assertEquals(detectRCompression(Uint8Array.of(0xfd, 0x37, 0x7a, 0x00, 0x5a, 0x00)), "none");
});

Deno.test("unserializeR keeps the attributes of a character and of a double vector", () => {
  // c(a = "x") and structure(1.5, class = "Date").
  const named = new RFixtureWriter().header(3).strsxp(["x"], true)
    .pairlistCell().symbol("names").strsxp(["a"]).nil();
  const text = unserializeR(named.bytes(), "named");
  const names = text.type === "character" ? text.attributes.get("names") : undefined;
  assertEquals(names?.type === "character" && names.values, ["a"]);
  const date = new RFixtureWriter().header(3).realsxp([1.5], true)
    .pairlistCell().symbol("class").strsxp(["Date"]).nil();
  const day = unserializeR(date.bytes(), "date");
  const cls = day.type === "double" ? day.attributes.get("class") : undefined;
  assertEquals(cls?.type === "character" && cls.values, ["Date"]);
});

Deno.test("unserializeR refuses an ALTREP whose class info is no pairlist of a symbol", () => {
  // info = NULL, state = c(4, 10, 1) as a compact_intseq's would be.
  const w = new RFixtureWriter().header(3).int(ALTREP).nil().realsxp([4, 10, 1]).nil();
  assertThrows(() => unserializeR(w.bytes(), "info"), Error, 'unsupported ALTREP class "?"');
});

Deno.test("detectRCompression: gzip needs both magic bytes, zlib the deflate method", () => {
  assertEquals(detectRCompression(Uint8Array.of(0x1f, 0x00, 0x58, 0x0a)), "none");
  // 0x001f is divisible by 31 but names no deflate method.
  assertEquals(detectRCompression(Uint8Array.of(0x00, 0x1f, 0x58, 0x0a)), "none");
});

Deno.test("unserializeR refuses a compact sequence no R vector has: a fractional or NaN length, ints beyond R's range", () => {
  for (const length of [2.5, NaN, -1]) {
    const w = altrep("compact_realseq", 14).realsxp([length, 1, 1]).nil();
    assertThrows(
      () => unserializeR(w.bytes(), "seq"),
      Error,
      `compact_realseq length ${length} is not a count`,
    );
  }
  // 2147483646:2147483648 would wrap to -2147483648 (NA) in Int32Array storage.
  const wide = altrep("compact_intseq", 13).realsxp([3, 2147483646, 1]).nil();
  assertThrows(
    () => unserializeR(wide.bytes(), "wide"),
    Error,
    "compact_intseq from 2147483646 by 1 leaves R's integer range",
  );
  // The range's own ends are R integers.
  const ends = altrep("compact_intseq", 13).realsxp([2, 2147483646, 1]).nil();
  const value = unserializeR(ends.bytes(), "ends");
  assertEquals(value.type === "integer" && Array.from(value.values), [2147483646, 2147483647]);
  const empty = unserializeR(altrep("compact_intseq", 13).realsxp([0, 1, 1]).nil().bytes());
  assertEquals(empty.type === "integer" && empty.values.length, 0);
});
