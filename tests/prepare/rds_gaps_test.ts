/**
 * Second-pass gaps of the R reader (mutation round JL): a truncated double is refused by name, a
 * "BZ" without bzip2's "h" is no bzip2, a data.frame class need not come last, an empty
 * compact_intseq has no range to check, a reference past the table and an NA tag are refused.
 */
import { assertEquals, assertThrows } from "@std/assert";
import {
  asRDataFrame,
  decompressRData,
  detectRCompression,
  type RValue,
  unserializeR,
} from "../../lib/prepare/rds/mod.ts";
import { altrep, LISTSXP, RFixtureWriter } from "./_r_fixture_writer.ts";

Deno.test("unserializeR names a double cut short, not a DataView RangeError (JL02)", () => {
  // c(x) with 4 of its 8 bytes: the header (23 bytes), flags and length put it at byte 31.
  const cut = new RFixtureWriter().header(3).flags(14).int(1).int(0);
  assertThrows(
    () => unserializeR(cut.bytes(), "cut.rds"),
    Error,
    "cut.rds: byte 31: unexpected end of data while reading double element (8 bytes needed)",
  );
});

Deno.test("detectRCompression: bzip2 needs all of 'BZh' (JL04)", () => {
  assertEquals(detectRCompression(Uint8Array.of(0x42, 0x5a, 0x68, 0x39)), "bzip2");
  const notBzip2 = Uint8Array.of(0x42, 0x5a, 0x30, 0x39);
  assertEquals(detectRCompression(notBzip2), "none");
  assertEquals(decompressRData(notBzip2, "b"), notBzip2);
});

Deno.test("asRDataFrame takes a frame whose data.frame class is not the last (JL09)", () => {
  const column: RValue = { type: "integer", values: Int32Array.of(1, 2), attributes: new Map() };
  const text = (values: string[]): RValue => ({ type: "character", values, attributes: new Map() });
  const value: RValue = {
    type: "list",
    values: [column],
    attributes: new Map([["names", text(["a"])], ["class", text(["data.frame", "extra"])]]),
  };
  assertEquals(asRDataFrame(value, "f").numRows, 2);
});

Deno.test("unserializeR: an empty compact_intseq is read whatever its start (JL17)", () => {
  const empty = altrep("compact_intseq", 13).realsxp([0, 2 ** 40, 1]).nil();
  const value = unserializeR(empty.bytes(), "e");
  assertEquals(value.type, "integer");
  assertEquals(value.type === "integer" && value.values.length, 0);
});

Deno.test("unserializeR refuses a reference past its table, naming it, never another entry (JL32)", () => {
  // pairlist(a = 1L, <ref 2> = 2L): only symbol "a" is in the reference table.
  const w = new RFixtureWriter().header(3).pairlistCell().symbol("a").intsxp([1])
    .pairlistCell().reference(2).intsxp([2]).nil();
  assertThrows(() => unserializeR(w.bytes(), "r"), Error, "reference 2 not in table of 1");
});

Deno.test("unserializeR refuses a pairlist tag that is an NA string (JL35)", () => {
  const w = new RFixtureWriter().header(3).pairlistCell().charsxp(null).intsxp([1]).nil();
  assertThrows(
    () => unserializeR(w.bytes(), "t"),
    Error,
    "pairlist tag has type character, expected a symbol",
  );
});

/** Bytes as R 4 wrote them: `serialize(x, NULL, xdr = TRUE, version = 3)`. */
const hex = (text: string) => Uint8Array.from(text.match(/../g)!, (pair) => parseInt(pair, 16));

Deno.test("unserializeR reads a deferred_string as R writes it, CONS(integers, scipen) (JL57)", () => {
  // as.character(c(1L, NA)): R's state is the dotted pair CONS(c(1L, NA), 0L), whose tail is the
  // scipen integer, not NULL; it was refused as "dotted pairs are unsupported".
  const deferred = hex(
    "580a000000030004020200030500000000055554462d38000000ee000000020000000100040009" +
      "0000000f64656665727265645f737472696e67000000020000000100040009000000046261736500" +
      "0000020000000d0000000100000010000000fe000000020000000d0000000200000001800000000000" +
      "000d0000000100000000000000fe",
  );
  const strings = unserializeR(deferred, "deferred");
  assertEquals(strings.type === "character" && strings.values, ["1", null]);
});

Deno.test("detectRCompression: gzip needs both magic bytes, 1f 8b (JL59)", () => {
  assertEquals(detectRCompression(Uint8Array.of(0x1f, 0x8b, 8)), "gzip");
  assertEquals(detectRCompression(Uint8Array.of(0x00, 0x8b, 8)), "none");
  assertEquals(detectRCompression(Uint8Array.of(0x1f, 0x00, 8)), "none");
});

Deno.test("asRDataFrame refuses a vector that is no list, even with class data.frame (JL60)", () => {
  const text = (values: string[]): RValue => ({ type: "character", values, attributes: new Map() });
  const value: RValue = {
    type: "character",
    values: ["x", "y"],
    attributes: new Map([["names", text(["a", "b"])], ["class", text(["data.frame"])]]),
  };
  assertThrows(() => asRDataFrame(value, "f"), Error, "f: not a data.frame (got character)");
});

Deno.test("unserializeR refuses attributes on a pairlist's second cell rather than let them replace the first's (JL39)", () => {
  // pairlist(a = 1L, b = 2L) whose head carries class "x" and whose second cell carries class "y".
  const w = new RFixtureWriter().header(3);
  w.flags(LISTSXP, { attr: true, tag: true }).pairlistCell().symbol("class").strsxp(["x"]).nil();
  w.symbol("a").intsxp([1]);
  w.flags(LISTSXP, { attr: true, tag: true }).pairlistCell().symbol("class").strsxp(["y"]).nil();
  w.symbol("b").intsxp([2]).nil();
  assertThrows(
    () => unserializeR(w.bytes(), "p"),
    Error,
    "pairlist cell 2 has attributes; only a pairlist's first cell may",
  );
});
