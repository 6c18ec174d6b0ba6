/**
 * Lazy-load reads that mutation round 53 found unpinned: an index location whose length is
 * fractional or NA is refused as no count (subarray would truncate it, or read an empty blob, and
 * the error would name something else); an object is read from its own bytes only, so a location
 * shorter than the blob it names is a cut blob, even when more data follows in the file.
 */
import { assertThrows } from "@std/assert";
import { gzipSync } from "node:zlib";
import { openLazyLoadDatabase } from "../../lib/prepare/rds/mod.ts";
import { lazyLoadBlob, lazyLoadIndex, RFixtureWriter } from "./_r_fixture_writer.ts";
import { inTempDir } from "../experiments/_in_temp_dir.ts";

/** list(variables = list(x = c(offset, length) as doubles), compressed = TRUE), serialised. */
function doubleLocationIndex(offset: number, length: number): Uint8Array {
  const index = new RFixtureWriter().header(2).vecsxp(2, true);
  index.vecsxp(1, true).realsxp([offset, length]);
  index.pairlistCell().symbol("names").strsxp(["x"]).nil().intsxp([1], false, 10);
  index.pairlistCell().reference(1).strsxp(["variables", "compressed"]).nil();
  return index.bytes();
}

Deno.test(
  "openLazyLoadDatabase: a fractional or NA length in a location is refused, naming it",
  inTempDir((dir) => {
    const blob = lazyLoadBlob(new RFixtureWriter().header(2).intsxp([4, 5]).bytes());
    Deno.writeFileSync(`${dir}/Rdata.rdb`, blob);
    for (const length of [blob.length - 0.5, NaN]) {
      Deno.writeFileSync(`${dir}/Rdata.rdx`, gzipSync(doubleLocationIndex(0, length)));
      assertThrows(
        () => openLazyLoadDatabase(`${dir}/Rdata`).read("x"),
        Error,
        `Rdata.rdx: location of "x" is 0+${length}, not two counts`,
      );
    }
  }),
);

Deno.test(
  "openLazyLoadDatabase: a location shorter than its blob is a cut blob, though more data follows",
  inTempDir((dir) => {
    const blob = lazyLoadBlob(new RFixtureWriter().header(2).intsxp([4, 5]).bytes());
    const next = lazyLoadBlob(new RFixtureWriter().header(2).intsxp([6]).bytes());
    const file = new Uint8Array(blob.length + next.length);
    file.set(blob);
    file.set(next, blob.length);
    Deno.writeFileSync(`${dir}/Rdata.rdb`, file);
    Deno.writeFileSync(`${dir}/Rdata.rdx`, gzipSync(lazyLoadIndex("x", [0, blob.length - 6], 1)));
    assertThrows(
      () => openLazyLoadDatabase(`${dir}/Rdata`).read("x"),
      Error,
      'Rdata.rdb ("x"): corrupt zlib blob: unexpected end of file',
    );
  }),
);
