/**
 * Reader for R lazy-load databases (the `Rdata.rdx` / `Rdata.rdb` pair that packages use for
 * `data()` sets). The `.rdx` index is a compressed serialised list whose `variables` element maps
 * each object name to `c(offset, length)` in the `.rdb` file; each `.rdb` blob is a 4-byte
 * big-endian uncompressed length followed by the compressed serialisation.
 */
import { inflateSync } from "node:zlib";
import { decompressRData } from "./decompress.ts";
import type { RList, RValue } from "./r_value.ts";
import { unserializeR } from "./unserialize.ts";

/** An opened lazy-load database: object names and a reader for each. */
export interface LazyLoadDatabase {
  /** Names of the objects stored, in index order. */
  names: string[];
  /** Reads and unserialises one object; throws naming the file when it is absent or corrupt. */
  read(name: string): RValue;
}

function namedElement(list: RList, name: string, source: string): RValue {
  const names = list.attributes.get("names");
  if (names?.type !== "character") throw new Error(`${source}: index list has no names`);
  const index = names.values.indexOf(name);
  if (index < 0) throw new Error(`${source}: index has no "${name}" element`);
  return list.values[index];
}

/** The `compressed` flag of the index: TRUE (zlib), 2 (bzip2 or none), 3 (zlib, bzip2, xz or none). */
function compressionScheme(value: RValue, source: string): number {
  if ((value.type === "logical" || value.type === "integer") && value.values.length === 1) {
    return value.values[0];
  }
  if (value.type === "double" && value.values.length === 1) return value.values[0];
  throw new Error(`${source}: "compressed" element is not a scalar`);
}

function inflateBlob(blob: Uint8Array, scheme: number, source: string): Uint8Array {
  if (blob.length < 5) throw new Error(`${source}: blob of ${blob.length} bytes is too short`);
  const expected = new DataView(blob.buffer, blob.byteOffset, 4).getUint32(0, false);
  let payload = blob.subarray(4);
  let method = "Z";
  if (scheme === 2 || scheme === 3) {
    method = String.fromCharCode(blob[4]);
    payload = blob.subarray(5);
  } else if (scheme !== 1) {
    throw new Error(`${source}: unknown lazy-load compression scheme ${scheme}`);
  }
  let raw: Uint8Array;
  if (method === "Z") {
    try {
      raw = new Uint8Array(inflateSync(payload));
    } catch (error) {
      throw new Error(`${source}: corrupt zlib blob: ${(error as Error).message}`);
    }
  } else if (method === "0") {
    raw = payload;
  } else {
    const name = method === "2" ? "bzip2" : method === "X" ? "xz" : `type "${method}"`;
    throw new Error(`${source}: ${name}-compressed blobs are not supported (node:zlib lacks it)`);
  }
  if (raw.length !== expected) {
    throw new Error(`${source}: blob inflated to ${raw.length} bytes, header says ${expected}`);
  }
  return raw;
}

/**
 * Opens `<base>.rdx` and `<base>.rdb` (e.g. `/usr/lib/R/site-library/dslabs/data/Rdata`).
 *
 * @example
 * ```ts
 * const db = openLazyLoadDatabase("/usr/lib/R/site-library/dslabs/data/Rdata");
 * const movielens = db.read("movielens"); // a data.frame as an RList
 * ```
 */
export function openLazyLoadDatabase(basePath: string): LazyLoadDatabase {
  const indexPath = `${basePath}.rdx`;
  const blobPath = `${basePath}.rdb`;
  const index = unserializeR(decompressRData(Deno.readFileSync(indexPath), indexPath), indexPath);
  if (index.type !== "list") throw new Error(`${indexPath}: index is a ${index.type}, not a list`);
  const variables = namedElement(index, "variables", indexPath);
  if (variables.type !== "list") throw new Error(`${indexPath}: "variables" is not a list`);
  const variableNames = variables.attributes.get("names");
  if (variableNames?.type !== "character") {
    throw new Error(`${indexPath}: "variables" has no names`);
  }
  const scheme = compressionScheme(namedElement(index, "compressed", indexPath), indexPath);
  const names = variableNames.values.map((name, i) => {
    if (name === null) throw new Error(`${indexPath}: variable ${i + 1} has an NA name`);
    return name;
  });
  let blobs: Uint8Array | undefined;

  return {
    names,
    read(name: string): RValue {
      const position = names.indexOf(name);
      if (position < 0) throw new Error(`${indexPath}: no object named "${name}"`);
      const location = variables.values[position];
      if (
        (location.type !== "integer" && location.type !== "double") || location.values.length !== 2
      ) {
        throw new Error(`${indexPath}: location of "${name}" is not c(offset, length)`);
      }
      const [offset, length] = location.values;
      // A fractional or NA (NaN) double would be truncated or read as an empty blob by subarray.
      if (!Number.isInteger(offset) || !Number.isInteger(length) || length < 0) {
        throw new Error(
          `${indexPath}: location of "${name}" is ${offset}+${length}, not two counts`,
        );
      }
      blobs ??= Deno.readFileSync(blobPath);
      if (offset < 0 || offset + length > blobs.length) {
        throw new Error(`${blobPath}: "${name}" at ${offset}+${length} is outside the file`);
      }
      const source = `${blobPath} ("${name}")`;
      const raw = inflateBlob(blobs.subarray(offset, offset + length), scheme, source);
      return unserializeR(raw, source);
    },
  };
}
