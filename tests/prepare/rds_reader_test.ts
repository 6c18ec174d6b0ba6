import { assert, assertEquals, assertStringIncludes, assertThrows } from "@std/assert";
import { deflateSync, gzipSync } from "node:zlib";
import {
  asRDataFrame,
  decompressRData,
  factorLabels,
  openLazyLoadDatabase,
  R_NA_INTEGER,
  unserializeR,
} from "../../lib/prepare/rds/mod.ts";
import { lazyLoadBlob, lazyLoadIndex, RFixtureWriter } from "./_r_fixture_writer.ts";
import { hasDslabs } from "../_dslabs.ts";
import { DSLABS_RDATA } from "../../lib/prepare/movielens/source.ts";

/**
 * data.frame(id = c(7L, NA), title = c("Heat", NA), genre = factor(c("b", "a")), score = c(1.5, 2))
 * with the attribute symbol "class" written once and then referenced (REFSXP).
 * Reference table order: levels(1), class(2), names(3), row.names(4).
 */
function dataFrameBytes(version: 2 | 3): Uint8Array {
  const w = new RFixtureWriter().header(version);
  w.vecsxp(4, true);
  w.intsxp([7, R_NA_INTEGER]);
  w.strsxp(["Heat", null]);
  // factor: integer codes + attributes (levels, class)
  w.intsxp([2, 1], true);
  w.pairlistCell().symbol("levels").strsxp(["a", "b"]);
  w.pairlistCell().symbol("class").strsxp(["factor"]);
  w.nil();
  w.realsxp([1.5, 2]);
  // data.frame attributes: names, class, row.names (compact form c(NA, -2))
  w.pairlistCell().symbol("names").strsxp(["id", "title", "genre", "score"]);
  w.pairlistCell().reference(2).strsxp(["data.frame"]);
  w.pairlistCell().symbol("row.names").intsxp([R_NA_INTEGER, -2]);
  w.nil();
  return w.bytes();
}

Deno.test("unserializeR reads a hand-made data.frame with factor, NA string and symbol references", () => {
  for (const version of [2, 3] as const) {
    const frame = asRDataFrame(unserializeR(dataFrameBytes(version), "fixture"), "fixture");
    assertEquals(frame.numRows, 2);
    assertEquals(frame.columnNames, ["id", "title", "genre", "score"]);
    const id = frame.columns.get("id");
    assert(id?.type === "integer");
    assertEquals(Array.from(id.values), [7, R_NA_INTEGER]);
    const title = frame.columns.get("title");
    assert(title?.type === "character");
    assertEquals(title.values, ["Heat", null]);
    assertEquals(factorLabels(frame.columns.get("genre")!, "genre"), ["b", "a"]);
    const score = frame.columns.get("score");
    assert(score?.type === "double");
    assertEquals(Array.from(score.values), [1.5, 2]);
  }
});

Deno.test("decompressRData handles gzip and zlib wrappers around the same serialisation", () => {
  const raw = dataFrameBytes(3);
  for (const packed of [gzipSync(raw), deflateSync(raw)]) {
    const value = unserializeR(decompressRData(new Uint8Array(packed), "packed"), "packed");
    assertEquals(asRDataFrame(value, "packed").numRows, 2);
  }
  assertEquals(decompressRData(raw, "raw"), raw);
});

Deno.test("unserializeR expands a compact_intseq ALTREP vector", () => {
  // ALTREP_SXP (238), then info = pairlist(class symbol, package symbol, type), state, attributes.
  const bytes = new RFixtureWriter().header(3).int(238)
    .flags(2).symbol("compact_intseq").flags(2).symbol("base").flags(2).intsxp([13]).nil()
    .realsxp([4, 10, 1]) // length 4, start 10, step 1
    .nil()
    .bytes();
  const value = unserializeR(bytes, "altrep");
  assert(value.type === "integer");
  assertEquals(Array.from(value.values), [10, 11, 12, 13]);
});

Deno.test("unserializeR errors name the problem and byte offset", () => {
  const truncated = dataFrameBytes(3).subarray(0, 40);
  const error = assertThrows(() => unserializeR(truncated, "cut.rds"));
  assertStringIncludes((error as Error).message, "cut.rds: byte");
  assertStringIncludes((error as Error).message, "unexpected end of data");
  const ascii = new TextEncoder().encode("A\n3\n");
  assertThrows(() => unserializeR(ascii, "ascii.rds"), Error, "not XDR binary");
  const closure = new RFixtureWriter().header(3).flags(3).bytes();
  assertThrows(() => unserializeR(closure, "fn.rds"), Error, "unsupported SEXP type 3 (CLOSXP)");
  const dangling = new RFixtureWriter().header(3).reference(5).bytes();
  assertThrows(() => unserializeR(dangling, "ref.rds"), Error, "reference 5 not in table of 0");
});

Deno.test("openLazyLoadDatabase reads a hand-made .rdx/.rdb pair", () => {
  const dir = Deno.makeTempDirSync();
  try {
    const object = dataFrameBytes(2);
    const blob = lazyLoadBlob(object);
    const padding = 3; // the object does not start at offset 0
    Deno.writeFileSync(`${dir}/Rdata.rdb`, new Uint8Array([...new Uint8Array(padding), ...blob]));
    const index = lazyLoadIndex("frame", [padding, blob.length], 1);
    Deno.writeFileSync(`${dir}/Rdata.rdx`, gzipSync(index));
    const db = openLazyLoadDatabase(`${dir}/Rdata`);
    assertEquals(db.names, ["frame"]);
    assertEquals(asRDataFrame(db.read("frame"), "frame").columnNames, [
      "id",
      "title",
      "genre",
      "score",
    ]);
    assertThrows(() => db.read("nope"), Error, 'no object named "nope"');
  } finally {
    Deno.removeSync(dir, { recursive: true });
  }
});

Deno.test({
  name:
    "dslabs movielens: reader reproduces the raw counts (100,004 ratings, 671 users, 9,066 movies)",
  ignore: !hasDslabs,
  fn() {
    const frame = asRDataFrame(openLazyLoadDatabase(DSLABS_RDATA).read("movielens"), "movielens");
    assertEquals(frame.numRows, 100004);
    assertEquals(frame.columnNames, [
      "movieId",
      "title",
      "year",
      "genres",
      "userId",
      "rating",
      "timestamp",
    ]);
    const users = frame.columns.get("userId");
    const movies = frame.columns.get("movieId");
    assert(users?.type === "integer" && movies?.type === "integer");
    assertEquals(new Set(users.values).size, 671);
    assertEquals(new Set(movies.values).size, 9066);
    assertEquals(factorLabels(frame.columns.get("genres")!, "genres").length, 100004);
  },
});
if (!hasDslabs) {
  console.warn(
    `skipped the dslabs test: ${DSLABS_RDATA}.rdx not found (apt package r-cran-dslabs)`,
  );
}
