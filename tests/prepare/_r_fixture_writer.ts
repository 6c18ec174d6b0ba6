import { deflateSync } from "node:zlib";

/**
 * Builds R XDR serialisation bytes by hand, byte for byte as "R Internals" lays them out, so the
 * reader can be tested without R. Each helper appends one item to the stream.
 */
export class RFixtureWriter {
  private readonly chunks: number[] = [];

  int(value: number): this {
    const bytes = new Uint8Array(4);
    new DataView(bytes.buffer).setInt32(0, value, false);
    this.chunks.push(...bytes);
    return this;
  }

  double(value: number): this {
    const bytes = new Uint8Array(8);
    new DataView(bytes.buffer).setFloat64(0, value, false);
    this.chunks.push(...bytes);
    return this;
  }

  rawBytes(bytes: ArrayLike<number>): this {
    this.chunks.push(...Array.from(bytes));
    return this;
  }

  /** "X\n", version, writer version, reader version (+ native encoding for version 3). */
  header(version: 2 | 3 = 3): this {
    this.rawBytes([0x58, 0x0a]).int(version).int(0x040300).int(version === 3 ? 0x030500 : 0x020300);
    if (version === 3) {
      const encoding = new TextEncoder().encode("UTF-8");
      this.int(encoding.length).rawBytes(encoding);
    }
    return this;
  }

  /** Packs SEXP type and the object/attribute/tag bits into the flags word. */
  flags(type: number, options: { attr?: boolean; tag?: boolean; levels?: number } = {}): this {
    let flags = type;
    if (options.attr) flags |= 1 << 9;
    if (options.tag) flags |= 1 << 10;
    flags |= (options.levels ?? 0) << 12;
    return this.int(flags);
  }

  /** A CHARSXP (UTF-8 flagged), or NA_STRING when `value` is null. */
  charsxp(value: string | null): this {
    if (value === null) return this.flags(9).int(-1);
    const bytes = new TextEncoder().encode(value);
    return this.flags(9, { levels: 1 << 3 }).int(bytes.length).rawBytes(bytes);
  }

  symbol(name: string): this {
    return this.flags(1).charsxp(name);
  }

  /** A reference to the `index`-th (1-based) entry of the reference table, packed in the flags. */
  reference(index: number): this {
    return this.int((index << 8) | 255);
  }

  nil(): this {
    return this.int(254);
  }

  strsxp(values: (string | null)[], attr = false): this {
    this.flags(16, { attr }).int(values.length);
    for (const value of values) this.charsxp(value);
    return this;
  }

  intsxp(values: number[], attr = false, type = 13): this {
    this.flags(type, { attr }).int(values.length);
    for (const value of values) this.int(value);
    return this;
  }

  realsxp(values: number[], attr = false): this {
    this.flags(14, { attr }).int(values.length);
    for (const value of values) this.double(value);
    return this;
  }

  /** Opens a VECSXP of `length` elements; the caller writes the elements (then attributes). */
  vecsxp(length: number, attr = false): this {
    return this.flags(19, { attr }).int(length);
  }

  /** One tagged pairlist cell header; the caller then writes the tag and the value. */
  pairlistCell(): this {
    return this.flags(2, { tag: true });
  }

  bytes(): Uint8Array {
    return new Uint8Array(this.chunks);
  }
}

/** R's SEXPTYPE of a pairlist (LISTSXP). */
export const LISTSXP = 2;

/** The serialisation code of an ALTREP object (ALTREP_SXP in R's serialize.c). */
export const ALTREP = 238;

/**
 * A stream (version 3) that opens with an ALTREP object's class info, pairlist(class symbol,
 * package symbol, type) of R's serialize.c; the caller writes its state and attributes.
 */
export function altrep(className: string, type: number): RFixtureWriter {
  return new RFixtureWriter().header(3).int(ALTREP)
    .flags(LISTSXP).symbol(className).flags(LISTSXP).symbol("base").flags(LISTSXP).intsxp([type])
    .nil();
}

/** A lazy-load blob of scheme 1: the big-endian length of `object`, then `object` zlib-compressed. */
export function lazyLoadBlob(object: Uint8Array): Uint8Array {
  const compressed = deflateSync(object);
  const blob = new Uint8Array(4 + compressed.length);
  new DataView(blob.buffer).setUint32(0, object.length, false);
  blob.set(compressed, 4);
  return blob;
}

/**
 * The serialised `.rdx` index of a lazy-load database holding one object `name` at
 * `location` = c(offset, length): list(variables = list(name = location), references = list(),
 * compressed = scheme), with scheme 1 written as logical TRUE and 2 or 3 as doubles, as R does.
 */
export function lazyLoadIndex(name: string, location: number[], scheme: number): Uint8Array {
  const index = new RFixtureWriter().header(2).vecsxp(3, true);
  index.vecsxp(1, true).intsxp(location);
  index.pairlistCell().symbol("names").strsxp([name]).nil();
  index.vecsxp(0);
  if (scheme === 1) index.intsxp([1], false, 10);
  else index.realsxp([scheme]);
  index.pairlistCell().reference(1).strsxp(["variables", "references", "compressed"]).nil();
  return index.bytes();
}
