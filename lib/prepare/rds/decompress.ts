/**
 * Recognises how an R data file is compressed from its first bytes and inflates it. R writes
 * `saveRDS` files gzip-compressed by default and lazy-load blobs zlib-compressed; bzip2 and xz
 * (the other `compress=` choices) have no decoder in `node:zlib` and are reported as such.
 */
import { gunzipSync, inflateSync } from "node:zlib";

/** The compression a byte stream starts with. */
export type RCompression = "gzip" | "zlib" | "none" | "bzip2" | "xz";

/**
 * Detects the compression of R data from magic bytes.
 *
 * @example
 * ```ts
 * detectRCompression(new Uint8Array([0x1f, 0x8b, 8])); // "gzip"
 * ```
 */
export function detectRCompression(bytes: Uint8Array): RCompression {
  if (bytes[0] === 0x1f && bytes[1] === 0x8b) return "gzip";
  if (bytes[0] === 0x42 && bytes[1] === 0x5a && bytes[2] === 0x68) return "bzip2";
  if (bytes[0] === 0xfd && bytes[1] === 0x37 && bytes[2] === 0x7a && bytes[3] === 0x58) {
    return "xz";
  }
  // A zlib stream: deflate method (low nibble 8) and a header checksum divisible by 31.
  if (bytes.length >= 2 && (bytes[0] & 0x0f) === 8 && ((bytes[0] << 8) | bytes[1]) % 31 === 0) {
    return "zlib";
  }
  return "none";
}

/**
 * Returns the uncompressed bytes of gzip-, zlib- or un-compressed R data.
 *
 * @example
 * ```ts
 * const raw = decompressRData(Deno.readFileSync("x.rds"), "x.rds");
 * ```
 */
export function decompressRData(bytes: Uint8Array, source: string): Uint8Array {
  const compression = detectRCompression(bytes);
  try {
    if (compression === "gzip") return new Uint8Array(gunzipSync(bytes));
    if (compression === "zlib") return new Uint8Array(inflateSync(bytes));
  } catch (error) {
    throw new Error(`${source}: corrupt ${compression} data: ${(error as Error).message}`);
  }
  if (compression === "none") return bytes;
  throw new Error(
    `${source}: ${compression}-compressed R data is not supported (node:zlib has no ${compression}` +
      ` decoder); re-save it with compress = "gzip"`,
  );
}
