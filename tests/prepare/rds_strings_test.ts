/**
 * unserializeR: a CHARSXP flagged latin-1 is decoded as latin-1 (a UTF-8 decoder would turn the
 * byte 0xE9 into U+FFFD), and a long-vector length word is read as unsigned 32-bit parts.
 */
import { assertEquals, assertThrows } from "@std/assert";
import { unserializeR } from "../../lib/prepare/rds/mod.ts";
import { RFixtureWriter } from "./_r_fixture_writer.ts";

const LATIN1 = 1 << 2;
const UTF8 = 1 << 3;

Deno.test("unserializeR decodes latin-1 and UTF-8 flagged strings each by its own encoding", () => {
  const w = new RFixtureWriter().header(3);
  w.flags(16).int(2);
  w.flags(9, { levels: LATIN1 }).int(4).rawBytes([0x43, 0x61, 0x66, 0xe9]); // "Café" in latin-1
  w.flags(9, { levels: UTF8 }).int(5).rawBytes([0x43, 0x61, 0x66, 0xc3, 0xa9]); // in UTF-8
  assertEquals(unserializeR(w.bytes()), {
    type: "character",
    values: ["Café", "Café"],
    attributes: new Map(),
  });
});

Deno.test("unserializeR: a long vector's length is upper * 2^32 + the unsigned lower word", () => {
  const w = new RFixtureWriter().header(3);
  w.flags(13).int(-1).int(0).int(-1); // INTSXP, long length (0, 0xFFFFFFFF)
  assertThrows(() => unserializeR(w.bytes()), Error, "long vector length 4294967295 exceeds data");
});

Deno.test("unserializeR refuses a string that is not UTF-8 and not latin-1, rather than reading U+FFFD", () => {
  // Version 2 writes no native encoding: an unflagged string is read as UTF-8, and 0xE9 alone is
  // not UTF-8 (a latin-1 "é" from a latin-1 session).
  const w = new RFixtureWriter().header(2);
  w.flags(16).int(1).flags(9).int(4).rawBytes([0x43, 0x61, 0x66, 0xe9]);
  assertThrows(
    () => unserializeR(w.bytes(), "v2.rds"),
    Error,
    "v2.rds: byte 34: string at byte 30 is not valid UTF-8",
  );
  // Flagged UTF-8 but not UTF-8.
  const flagged = new RFixtureWriter().header(3);
  flagged.flags(16).int(1).flags(9, { levels: UTF8 }).int(1).rawBytes([0xff]);
  assertThrows(() => unserializeR(flagged.bytes(), "u.rds"), Error, "is not valid UTF-8");
});
