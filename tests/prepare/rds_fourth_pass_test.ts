/**
 * Third-pass gaps of the R reader (mutation round ND): an empty string is a zero-byte read that
 * must succeed, even as the stream's last bytes; each magic byte of xz and bzip2 counts; a lone
 * byte is never a zlib header; corrupt data names zlib's own reason; a lazy-load error names the
 * right file and the 1-based place of an NA name; a 5-byte blob is long enough to be read.
 */
import { assertEquals, assertThrows } from "@std/assert";
import { deflateSync, gzipSync } from "node:zlib";
import {
  decompressRData,
  detectRCompression,
  openLazyLoadDatabase,
  unserializeR,
} from "../../lib/prepare/rds/mod.ts";
import { lazyLoadIndex, RFixtureWriter } from "./_r_fixture_writer.ts";

Deno.test("unserializeR reads an empty string, also as the last bytes of the stream (ND03)", () => {
  const w = new RFixtureWriter().header(3).strsxp(["", "a", ""]);
  assertEquals(unserializeR(w.bytes(), "e.rds"), {
    type: "character",
    values: ["", "a", ""],
    attributes: new Map(),
  });
});

Deno.test("detectRCompression: a single byte is no zlib stream, even one whose header check fits (ND05)", () => {
  // 0xf8: deflate method nibble 8, and 0xf800 % 31 === 0, so only the length rules it out.
  const lone = Uint8Array.of(0xf8);
  assertEquals(detectRCompression(lone), "none");
  assertEquals(decompressRData(lone, "one"), lone);
  assertEquals(detectRCompression(Uint8Array.of(0xf8, 0x00)), "zlib");
});

Deno.test("detectRCompression: xz needs every byte of fd 37 7a 58, bzip2 every byte of 'BZh' (ND06-ND08)", () => {
  assertEquals(detectRCompression(Uint8Array.of(0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00)), "xz");
  for (const notXz of [[0xfd, 0x37, 0x00, 0x58], [0xfd, 0x00, 0x7a, 0x58]]) {
    const bytes = Uint8Array.of(...notXz, 0x5a, 0x00);
    assertEquals(detectRCompression(bytes), "none");
    assertEquals(decompressRData(bytes, "n"), bytes);
  }
  const notBzip2 = Uint8Array.of(0x00, 0x5a, 0x68, 0x39);
  assertEquals(detectRCompression(notBzip2), "none");
  assertEquals(decompressRData(notBzip2, "n"), notBzip2);
});

Deno.test("decompressRData passes on zlib's reason for corrupt gzip and zlib data (ND09)", () => {
  const object = new RFixtureWriter().header(3).intsxp([4, 5]).bytes();
  const gzip = new Uint8Array(gzipSync(object));
  assertThrows(
    () => decompressRData(gzip.subarray(0, gzip.length - 6), "cut.rds"),
    Error,
    "cut.rds: corrupt gzip data: unexpected end of file",
  );
  assertThrows(
    () => decompressRData(Uint8Array.of(0x78, 0x9c, 0xff, 0xff, 0xff), "bad.rdx"),
    Error,
    "bad.rdx: corrupt zlib data: invalid block type",
  );
});

/** Writes `<dir>/Rdata.rdb` (the blob at offset 0) and its index; returns the base path. */
function database(dir: string, blob: Uint8Array, scheme: number): string {
  Deno.writeFileSync(`${dir}/Rdata.rdb`, blob);
  Deno.writeFileSync(`${dir}/Rdata.rdx`, gzipSync(lazyLoadIndex("x", [0, blob.length], scheme)));
  return `${dir}/Rdata`;
}

Deno.test("openLazyLoadDatabase: a corrupt zlib blob names zlib's reason; a 5-byte blob is long enough to be read (ND10, ND13)", () => {
  const dir = Deno.makeTempDirSync();
  try {
    const object = new RFixtureWriter().header(2).intsxp([4, 5]).bytes();
    const zlib = new Uint8Array(deflateSync(object));
    const cut = new Uint8Array(4 + zlib.length - 6);
    new DataView(cut.buffer).setUint32(0, object.length, false);
    cut.set(zlib.subarray(0, zlib.length - 6), 4);
    assertThrows(
      () => openLazyLoadDatabase(database(dir, cut, 1)).read("x"),
      Error,
      'Rdata.rdb ("x"): corrupt zlib blob: unexpected end of file',
    );
    // Length word 0 and method byte "0": a stored, empty serialisation. The 5 bytes pass the
    // length check; the empty object is refused where it ends, at its byte 0.
    const empty = Uint8Array.of(0, 0, 0, 0, 0x30);
    assertThrows(
      () => openLazyLoadDatabase(database(dir, empty, 3)).read("x"),
      Error,
      'Rdata.rdb ("x"): byte 0: unexpected end of data while reading format marker',
    );
  } finally {
    Deno.removeSync(dir, { recursive: true });
  }
});

Deno.test("openLazyLoadDatabase names an NA variable name by its 1-based place (ND15)", () => {
  const dir = Deno.makeTempDirSync();
  try {
    const object = new RFixtureWriter().header(2).intsxp([4]).bytes();
    const blob = new Uint8Array(4 + object.length);
    new DataView(blob.buffer).setUint32(0, object.length, false);
    blob.set(object, 4);
    Deno.writeFileSync(`${dir}/Rdata.rdb`, blob);
    // list(variables = list(x = c(0, n), NA = c(0, n)), compressed = TRUE).
    const index = new RFixtureWriter().header(2).vecsxp(2, true);
    index.vecsxp(2, true).intsxp([0, blob.length]).intsxp([0, blob.length]);
    index.pairlistCell().symbol("names").strsxp(["x", null]).nil().intsxp([1], false, 10);
    index.pairlistCell().reference(1).strsxp(["variables", "compressed"]).nil();
    Deno.writeFileSync(`${dir}/Rdata.rdx`, gzipSync(index.bytes()));
    assertThrows(
      () => openLazyLoadDatabase(`${dir}/Rdata`),
      Error,
      `${dir}/Rdata.rdx: variable 2 has an NA name`,
    );
  } finally {
    Deno.removeSync(dir, { recursive: true });
  }
});

Deno.test("openLazyLoadDatabase: an absent object is named against the index, not the blob file (ND16)", () => {
  const dir = Deno.makeTempDirSync();
  try {
    const object = new RFixtureWriter().header(2).intsxp([4]).bytes();
    const zlib = new Uint8Array(deflateSync(object));
    const blob = new Uint8Array(4 + zlib.length);
    new DataView(blob.buffer).setUint32(0, object.length, false);
    blob.set(zlib, 4);
    const db = openLazyLoadDatabase(database(dir, blob, 1));
    assertEquals(db.names, ["x"]);
    assertThrows(() => db.read("y"), Error, `${dir}/Rdata.rdx: no object named "y"`);
  } finally {
    Deno.removeSync(dir, { recursive: true });
  }
});

Deno.test("unserializeR names an integer cut to 3 of its 4 bytes, not a DataView RangeError (ND48)", () => {
  // The header (23 bytes), flags and length put the element at byte 31.
  const cut = new RFixtureWriter().header(3).flags(13).int(1).rawBytes([0, 0, 7]);
  assertThrows(
    () => unserializeR(cut.bytes(), "cut.rds"),
    Error,
    "cut.rds: byte 31: unexpected end of data while reading integer element (4 bytes needed)",
  );
});
