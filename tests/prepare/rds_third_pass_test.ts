/**
 * Third-pass gaps of the R reader (mutation round LH): what a compact sequence's state must be
 * (three doubles, a start, a step and an end that are R integers other than NA), the attributes
 * an expanded ALTREP keeps, the deferred_string state R writes (an untagged cons without
 * attributes), a huge sequence and a negative long length named rather than a RangeError, and a
 * native encoding that is not UTF-8 named as such.
 */
import { assertEquals, assertThrows } from "@std/assert";
import { type RValue, unserializeR } from "../../lib/prepare/rds/mod.ts";
import { altrep, LISTSXP, RFixtureWriter } from "./_r_fixture_writer.ts";

/** The strings of the `names` attribute of `value`, if any. */
function namesOf(value: RValue): (string | null)[] | undefined {
  const names = "attributes" in value ? value.attributes.get("names") : undefined;
  return names?.type === "character" ? names.values : undefined;
}

Deno.test("unserializeR refuses a compact sequence state of more than three doubles (LH23)", () => {
  const w = altrep("compact_realseq", 14).realsxp([2, 1, 1, 9]).nil();
  assertThrows(
    () => unserializeR(w.bytes(), "seq"),
    Error,
    "compact_realseq state is not a length-3 double vector",
  );
});

Deno.test("unserializeR refuses a compact_intseq reaching NA, a fractional step or a start beyond R's range (LH24-LH26)", () => {
  const refused: [number[], string][] = [
    // -2147483647:-2147483648 ends on -2^31, R's NA_integer_: no R integer sequence holds it.
    [[2, -2147483647, -1], "compact_intseq from -2147483647 by -1 leaves R's integer range"],
    // 1, 1.5, 2 would be stored as 1, 1, 2.
    [[3, 1, 0.5], "compact_intseq from 1 by 0.5 leaves R's integer range"],
    // 2147483648:2147483647 ends inside the range but starts outside it (wrapped to NA).
    [[2, 2147483648, -1], "compact_intseq from 2147483648 by -1 leaves R's integer range"],
  ];
  for (const [state, message] of refused) {
    const w = altrep("compact_intseq", 13).realsxp(state).nil();
    assertThrows(() => unserializeR(w.bytes(), "seq"), Error, message);
  }
  const lowest = altrep("compact_intseq", 13).realsxp([2, -2147483646, -1]).nil();
  const value = unserializeR(lowest.bytes(), "seq");
  assertEquals(value.type === "integer" && Array.from(value.values), [-2147483646, -2147483647]);
});

Deno.test("unserializeR keeps the attributes of a compact sequence and of a deferred_string (LH27, LH28)", () => {
  const names = (...values: string[]) => (w: RFixtureWriter) =>
    w.pairlistCell().symbol("names").strsxp(values).nil();
  const sequence = names("a", "b")(altrep("compact_intseq", 13).realsxp([2, 1, 1]));
  const seq = unserializeR(sequence.bytes(), "seq");
  assertEquals(seq.type === "integer" && Array.from(seq.values), [1, 2]);
  assertEquals(namesOf(seq), ["a", "b"]);
  const deferred = names("x")(
    altrep("deferred_string", 16).flags(LISTSXP).intsxp([7]).intsxp([0]),
  );
  const strings = unserializeR(deferred.bytes(), "deferred");
  assertEquals(strings.type === "character" && strings.values, ["7"]);
  assertEquals(namesOf(strings), ["x"]);
});

Deno.test("unserializeR refuses a deferred_string state that is a tagged cons or has attributes (LH29, LH30)", () => {
  for (const options of [{ tag: true }, { attr: true }]) {
    const w = altrep("deferred_string", 16).flags(LISTSXP, options).intsxp([7]).intsxp([0]).nil();
    assertThrows(
      () => unserializeR(w.bytes(), "deferred"),
      Error,
      "deferred_string state has SEXP type 2, not an untagged cons",
    );
  }
});

Deno.test("unserializeR names a compact sequence too long for memory, not a bare RangeError (LH32)", () => {
  const w = altrep("compact_realseq", 14).realsxp([Number.MAX_SAFE_INTEGER, 1, 1]).nil();
  assertThrows(
    () => unserializeR(w.bytes(), "huge"),
    Error,
    `huge: byte 134: compact_realseq of length ${Number.MAX_SAFE_INTEGER}: `,
  );
});

Deno.test("unserializeR names a native encoding that is not UTF-8 as the native encoding (LH35)", () => {
  const w = new RFixtureWriter().rawBytes([0x58, 0x0a]).int(3).int(0).int(0).int(1)
    .rawBytes([0xff]).nil();
  assertThrows(
    () => unserializeR(w.bytes(), "enc"),
    Error,
    "enc: byte 19: native encoding at byte 18 is not valid UTF-8",
  );
});

Deno.test("unserializeR refuses a long vector length whose upper word is negative, naming it", () => {
  // Found by reading readLength in mutation round LH: upper word -1 made the length -2^32, which
  // passed the "exceeds data" check and reached new Int32Array / new Array as a bare RangeError.
  for (const type of [13, 14, 16, 19]) {
    const w = new RFixtureWriter().header(3).flags(type).int(-1).int(-1).int(0);
    assertThrows(
      () => unserializeR(w.bytes(), "neg.rds"),
      Error,
      "neg.rds: byte 39: long vector length -4294967296 is negative",
    );
  }
});

Deno.test("unserializeR refuses a wrap_ ALTREP of NULL that carries attributes, rather than drop them (LH31)", () => {
  // Found following LH31: the attributes of a wrapper around NULL were silently dropped.
  const bare = altrep("wrap_integer", 13).vecsxp(2).nil().intsxp([0, 0]).nil();
  assertEquals(unserializeR(bare.bytes(), "wrap").type, "null");
  const named = altrep("wrap_integer", 13).vecsxp(2).nil().intsxp([0, 0])
    .pairlistCell().symbol("names").strsxp(["a"]).nil();
  assertThrows(
    () => unserializeR(named.bytes(), "wrap"),
    Error,
    "wrap_integer wraps null, which cannot hold the attributes names",
  );
});

Deno.test("unserializeR reads a reference packed above 255 as that entry, not its low byte's (LH38)", () => {
  // pairlist(s1 = 1L, ..., s257 = 257L, <ref 257> = 0L): R packs the index in the flags' upper
  // 24 bits, so entry 257 is not entry 1.
  const w = new RFixtureWriter().header(3);
  for (let i = 1; i <= 257; i++) w.pairlistCell().symbol(`s${i}`).intsxp([i]);
  w.pairlistCell().reference(257).intsxp([0]).nil();
  const value = unserializeR(w.bytes(), "refs");
  assertEquals(value.type === "pairlist" && value.entries.at(-1)?.tag, "s257");
});
