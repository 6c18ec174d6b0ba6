/**
 * Reader for R's serialisation format (XDR binary, versions 2 and 3), following the layout
 * described in "R Internals", section "Serialization Formats". Only the SEXP types that data
 * frames, factors and lazy-load indexes use are understood; anything else is an error that names
 * the type and byte offset, never a silent skip.
 */
import { XdrCursor } from "./_xdr_cursor.ts";
import {
  R_NULL,
  type RAttributes,
  type RCharacter,
  type RPairlist,
  type RPairlistEntry,
  type RValue,
} from "./r_value.ts";

// SEXP type codes from R's Rinternals.h and serialize.c.
const NILSXP = 0;
const SYMSXP = 1;
const LISTSXP = 2;
const CHARSXP = 9;
const LGLSXP = 10;
const INTSXP = 13;
const REALSXP = 14;
const STRSXP = 16;
const VECSXP = 19;
const ALTREP_SXP = 238;
const REFSXP = 255;
const NILVALUE_SXP = 254;

/** R's largest integer; -2^31 is its NA. */
const R_INT_MAX = 2147483647;

const SPECIAL_NAMES: Record<number, string> = {
  253: "GLOBALENV_SXP",
  252: "UNBOUNDVALUE_SXP",
  251: "MISSINGARG_SXP",
  250: "BASENAMESPACE_SXP",
  249: "NAMESPACESXP",
  248: "PACKAGESXP",
  247: "PERSISTSXP",
  246: "CLASSREFSXP",
  245: "GENERICREFSXP",
  244: "BCREPDEF",
  242: "EMPTYENV_SXP",
  241: "BASEENV_SXP",
  240: "ATTRLANGSXP",
  239: "ATTRLISTSXP",
  3: "CLOSXP",
  4: "ENVSXP",
  5: "PROMSXP",
  6: "LANGSXP",
  15: "CPLXSXP",
  20: "EXPRSXP",
  24: "RAWSXP",
  25: "S4SXP",
};

// Bits of the CHARSXP "levels" field that give the string's encoding.
const LATIN1_MASK = 1 << 2;
const UTF8_MASK = 1 << 3;
const ASCII_MASK = 1 << 6;

interface ItemFlags {
  type: number;
  levels: number;
  hasAttributes: boolean;
  hasTag: boolean;
  /** For REFSXP: the packed reference index (0 means the index follows as an integer). */
  packedRef: number;
}

function decodeFlags(flags: number): ItemFlags {
  return {
    type: flags & 0xff,
    levels: flags >>> 12,
    hasAttributes: (flags & (1 << 9)) !== 0,
    hasTag: (flags & (1 << 10)) !== 0,
    packedRef: flags >>> 8,
  };
}

// Fatal: bytes that are not UTF-8 are an error naming their offset, not U+FFFD in their place.
const utf8 = new TextDecoder("utf-8", { fatal: true });
const latin1 = new TextDecoder("latin1");

class RUnserializer {
  private readonly references: RValue[] = [];
  private nativeIsLatin1 = false;

  constructor(private readonly cursor: XdrCursor) {}

  readHeader(): void {
    const format = this.cursor.raw(2, "format marker");
    if (format[0] !== 0x58 || format[1] !== 0x0a) {
      const shown = String.fromCharCode(format[0], format[1]).replace("\n", "\\n");
      this.cursor.fail(
        `format "${shown}" is not XDR binary ("X\\n"); ASCII and native formats are not supported`,
      );
    }
    const version = this.cursor.int32("serialisation version");
    if (version !== 2 && version !== 3) {
      this.cursor.fail(`serialisation version ${version} is not supported (2 or 3 expected)`);
    }
    this.cursor.int32("writer R version");
    this.cursor.int32("minimal reader R version");
    if (version === 3) {
      const length = this.cursor.int32("native encoding length");
      const encoding = this.decodeUtf8(
        this.cursor.raw(length, "native encoding"),
        "native encoding",
      );
      this.nativeIsLatin1 = /latin.?1|iso.?8859.?1/i.test(encoding);
    }
  }

  readItem(): RValue {
    const flags = decodeFlags(this.cursor.int32("item flags"));
    return this.readItemWithFlags(flags);
  }

  private readItemWithFlags(flags: ItemFlags): RValue {
    switch (flags.type) {
      case NILVALUE_SXP:
      case NILSXP:
        return R_NULL;
      case REFSXP:
        return this.readReference(flags);
      case SYMSXP:
        return this.readSymbol();
      case LISTSXP:
        return this.readPairlist(flags);
      case CHARSXP:
        // A bare CHARSXP outside a STRSXP only occurs inside symbols; expose it as a string.
        return { type: "character", values: [this.readCharBody(flags)], attributes: new Map() };
      case LGLSXP:
      case INTSXP: {
        const length = this.readLength();
        const values = new Int32Array(length);
        for (let i = 0; i < length; i++) values[i] = this.cursor.int32("integer element");
        const attributes = this.readAttributesIf(flags);
        return { type: flags.type === LGLSXP ? "logical" : "integer", values, attributes };
      }
      case REALSXP: {
        const length = this.readLength();
        const values = new Float64Array(length);
        for (let i = 0; i < length; i++) values[i] = this.cursor.float64("double element");
        return { type: "double", values, attributes: this.readAttributesIf(flags) };
      }
      case STRSXP: {
        const length = this.readLength();
        const values: (string | null)[] = new Array(length);
        for (let i = 0; i < length; i++) {
          const elementFlags = decodeFlags(this.cursor.int32("string element flags"));
          if (elementFlags.type !== CHARSXP) {
            this.cursor.fail(`string element ${i} has SEXP type ${elementFlags.type}, not CHARSXP`);
          }
          values[i] = this.readCharBody(elementFlags);
        }
        return { type: "character", values, attributes: this.readAttributesIf(flags) };
      }
      case VECSXP: {
        const length = this.readLength();
        const values: RValue[] = new Array(length);
        for (let i = 0; i < length; i++) values[i] = this.readItem();
        return { type: "list", values, attributes: this.readAttributesIf(flags) };
      }
      case ALTREP_SXP:
        return this.readAltrep();
      default: {
        const name = SPECIAL_NAMES[flags.type] ?? "unknown";
        return this.cursor.fail(`unsupported SEXP type ${flags.type} (${name})`);
      }
    }
  }

  private readLength(): number {
    const length = this.cursor.int32("vector length");
    if (length >= 0) return length;
    if (length !== -1) this.cursor.fail(`invalid vector length ${length}`);
    const upper = this.cursor.int32("long vector length (upper)");
    const lower = this.cursor.int32("long vector length (lower)");
    const long = upper * 2 ** 32 + (lower >>> 0);
    // A negative upper word passed the bound below and reached new Int32Array as a RangeError.
    if (long < 0) this.cursor.fail(`long vector length ${long} is negative`);
    if (long > this.cursor.remaining) this.cursor.fail(`long vector length ${long} exceeds data`);
    return long;
  }

  private readReference(flags: ItemFlags): RValue {
    const index = flags.packedRef === 0 ? this.cursor.int32("reference index") : flags.packedRef;
    const value = this.references[index - 1];
    if (value === undefined) {
      this.cursor.fail(`reference ${index} not in table of ${this.references.length}`);
    }
    return value;
  }

  private readSymbol(): RValue {
    const printName = this.readItem();
    if (printName.type !== "character" || printName.values[0] === null) {
      this.cursor.fail("symbol name is not a string");
    }
    const symbol: RValue = { type: "symbol", name: printName.values[0] };
    this.references.push(symbol);
    return symbol;
  }

  private readCharBody(flags: ItemFlags): string | null {
    const length = this.cursor.int32("string length");
    if (length === -1) return null;
    const bytes = this.cursor.raw(length, "string bytes");
    const isLatin1 = (flags.levels & LATIN1_MASK) !== 0 ||
      (this.nativeIsLatin1 && (flags.levels & (UTF8_MASK | ASCII_MASK)) === 0);
    return isLatin1 ? latin1.decode(bytes) : this.decodeUtf8(bytes, "string");
  }

  /** Decodes the bytes just read as UTF-8; bytes that are not UTF-8 are an error. */
  private decodeUtf8(bytes: Uint8Array, what: string): string {
    try {
      return utf8.decode(bytes);
    } catch {
      const start = this.cursor.offset - bytes.length;
      return this.cursor.fail(
        `${what} at byte ${start} is not valid UTF-8 (nor flagged latin-1, nor in a latin-1 file)`,
      );
    }
  }

  private readTag(): string {
    const tag = this.readItem();
    if (tag.type === "symbol") return tag.name;
    if (tag.type === "character" && tag.values[0] !== null) return tag.values[0];
    return this.cursor.fail(`pairlist tag has type ${tag.type}, expected a symbol`);
  }

  /** Pairlists are cons cells; reading the CDR iteratively keeps long lists off the JS stack. */
  private readPairlist(first: ItemFlags): RPairlist {
    const entries: RPairlistEntry[] = [];
    let attributes: RAttributes = new Map();
    let flags = first;
    while (true) {
      // A later cell's attributes belong to a sub-list this reader does not keep; letting them
      // replace the first cell's would silently change the list's own attributes.
      if (flags.hasAttributes && entries.length > 0) {
        this.cursor.fail(
          `pairlist cell ${entries.length + 1} has attributes; only a pairlist's first cell may`,
        );
      }
      if (flags.hasAttributes) attributes = this.readAttributeList();
      const tag = flags.hasTag ? this.readTag() : null;
      entries.push({ tag, value: this.readItem() });
      const next = decodeFlags(this.cursor.int32("pairlist tail flags"));
      if (next.type === NILVALUE_SXP || next.type === NILSXP) break;
      if (next.type !== LISTSXP) {
        this.cursor.fail(`pairlist tail has SEXP type ${next.type}; dotted pairs are unsupported`);
      }
      flags = next;
    }
    return { type: "pairlist", entries, attributes };
  }

  private readAttributesIf(flags: ItemFlags): RAttributes {
    return flags.hasAttributes ? this.readAttributeList() : new Map();
  }

  private readAttributeList(): RAttributes {
    return this.attributesOf(this.readItem());
  }

  /** An attribute pairlist (or NULL) as a map; an untagged attribute is corrupt, not dropped. */
  private attributesOf(list: RValue): RAttributes {
    if (list.type === "null") return new Map();
    if (list.type !== "pairlist") this.cursor.fail(`attributes have type ${list.type}`);
    const attributes: RAttributes = new Map();
    for (const entry of list.entries) {
      if (entry.tag === null) this.cursor.fail("attribute without a name");
      attributes.set(entry.tag, entry.value);
    }
    return attributes;
  }

  /**
   * ALTREP objects (R >= 3.5) are written as (class info, state, attributes). Only the classes
   * base R uses for compact sequences and wrappers are expanded; others are an error.
   */
  private readAltrep(): RValue {
    const info = this.readItem();
    const className = info.type === "pairlist" && info.entries[0]?.value.type === "symbol"
      ? info.entries[0].value.name
      : "?";
    const state = className === "deferred_string"
      ? this.readDeferredStringSource()
      : this.readItem();
    const attributesItem = this.readItem();
    // Checked as any other object's attributes: skipping an untagged entry, or attributes that
    // are no pairlist, would silently drop what R would keep or refuse.
    const attributes = this.attributesOf(attributesItem);
    if (className === "compact_intseq" || className === "compact_realseq") {
      return this.expandCompactSequence(className, state, attributes);
    }
    if (className.startsWith("wrap_")) {
      if (state.type !== "list" || state.values.length < 1) {
        this.cursor.fail(`${className} state is not a list(x, meta)`);
      }
      const wrapped = state.values[0];
      if (wrapped.type === "null" || wrapped.type === "symbol") {
        // NULL and a symbol hold no attributes: dropping the wrapper's would be silent.
        if (attributes.size > 0) {
          this.cursor.fail(
            `${className} wraps ${wrapped.type}, which cannot hold the attributes ` +
              [...attributes.keys()].join(", "),
          );
        }
        return wrapped;
      }
      for (const [key, value] of attributes) wrapped.attributes.set(key, value);
      return wrapped;
    }
    if (className === "deferred_string") {
      if (state.type !== "integer") {
        this.cursor.fail("deferred_string over non-integer data is not supported");
      }
      const strings: RCharacter = {
        type: "character",
        values: Array.from(state.values, (v) => (v === -2147483648 ? null : String(v))),
        attributes,
      };
      return strings;
    }
    return this.cursor.fail(`unsupported ALTREP class "${className}"`);
  }

  /**
   * A deferred_string's state is the cons cell CONS(source vector, scipen), a dotted pair whose
   * tail is an integer (serialize.c writes CAR then CDR), so it is not read as a pairlist. The
   * scipen setting only formats doubles, which are not supported here, so the tail is read past.
   */
  private readDeferredStringSource(): RValue {
    const flags = decodeFlags(this.cursor.int32("deferred_string state flags"));
    if (flags.type !== LISTSXP || flags.hasAttributes || flags.hasTag) {
      this.cursor.fail(`deferred_string state has SEXP type ${flags.type}, not an untagged cons`);
    }
    const source = this.readItem();
    this.readItem();
    return source;
  }

  /**
   * Expands a compact sequence from its state c(length, start, step). A state no R vector has is
   * refused: a fractional or NaN length would make a shorter vector or an unnamed RangeError, and
   * Int32Array storage would wrap an integer beyond R's range.
   */
  private expandCompactSequence(
    className: "compact_intseq" | "compact_realseq",
    state: RValue,
    attributes: RAttributes,
  ): RValue {
    if (state.type !== "double" || state.values.length !== 3) {
      this.cursor.fail(`${className} state is not a length-3 double vector`);
    }
    const [length, start, step] = state.values;
    if (!Number.isSafeInteger(length) || length < 0) {
      this.cursor.fail(`${className} length ${length} is not a count`);
    }
    if (className === "compact_intseq") {
      const last = start + (length - 1) * step;
      const inRange = (x: number) => Number.isInteger(x) && Math.abs(x) <= R_INT_MAX;
      if (length > 0 && !(inRange(start) && inRange(step) && inRange(last))) {
        this.cursor.fail(`compact_intseq from ${start} by ${step} leaves R's integer range`);
      }
    }
    let values: Int32Array | Float64Array;
    try {
      values = className === "compact_intseq" ? new Int32Array(length) : new Float64Array(length);
    } catch (error) {
      return this.cursor.fail(`${className} of length ${length}: ${(error as Error).message}`);
    }
    for (let i = 0; i < length; i++) values[i] = start + i * step;
    return values instanceof Int32Array
      ? { type: "integer", values, attributes }
      : { type: "double", values, attributes };
  }
}

/**
 * Parses one R-serialised object (uncompressed XDR bytes, as written by `serialize()` or inside
 * `saveRDS`/lazy-load files after decompression).
 *
 * @example
 * ```ts
 * const value = unserializeR(bytes, "movielens blob");
 * if (value.type === "list") console.log(value.values.length); // number of columns
 * ```
 */
export function unserializeR(bytes: Uint8Array, source = "R data"): RValue {
  const cursor = new XdrCursor(bytes, source);
  const reader = new RUnserializer(cursor);
  reader.readHeader();
  const value = reader.readItem();
  if (cursor.remaining !== 0) {
    cursor.fail(`${cursor.remaining} trailing bytes after the serialised object`);
  }
  return value;
}
