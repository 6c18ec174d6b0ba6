/**
 * Typed values produced by the R serialisation reader: only the SEXP types that data frames,
 * factors and lazy-load indexes use.
 */

/** Attributes of an R object, in serialisation order (e.g. `names`, `class`, `levels`). */
export type RAttributes = Map<string, RValue>;

/** R's `NULL`. */
export interface RNull {
  /** The SEXP type. */
  type: "null";
}

/** A symbol (SYMSXP): a name, used as pairlist tags and attribute names. */
export interface RSymbol {
  /** The SEXP type. */
  type: "symbol";
  /** The symbol's name. */
  name: string;
}

/** A logical vector; `NA` is `R_NA_INTEGER`, TRUE is 1, FALSE is 0. */
export interface RLogical {
  /** The SEXP type. */
  type: "logical";
  /** The elements, in order. */
  values: Int32Array;
  /** The object's attributes. */
  attributes: RAttributes;
}

/** An integer vector; `NA` is `R_NA_INTEGER`. */
export interface RInteger {
  /** The SEXP type. */
  type: "integer";
  /** The elements, in order. */
  values: Int32Array;
  /** The object's attributes. */
  attributes: RAttributes;
}

/** A double vector; `NA_real_` and `NaN` both read as NaN (R tells them apart by payload only). */
export interface RDouble {
  /** The SEXP type. */
  type: "double";
  /** The elements, in order. */
  values: Float64Array;
  /** The object's attributes. */
  attributes: RAttributes;
}

/** A character vector; `NA_character_` is `null`. */
export interface RCharacter {
  /** The SEXP type. */
  type: "character";
  /** The elements, in order. */
  values: (string | null)[];
  /** The object's attributes. */
  attributes: RAttributes;
}

/** A generic vector (VECSXP), e.g. a list or a data frame. */
export interface RList {
  /** The SEXP type. */
  type: "list";
  /** The elements, in order. */
  values: RValue[];
  /** The object's attributes. */
  attributes: RAttributes;
}

/** One cell of a pairlist. */
export interface RPairlistEntry {
  /** The cell's tag (a name), if any. */
  tag: string | null;
  /** The cell's value. */
  value: RValue;
}

/** A pairlist (LISTSXP), flattened from its cons cells. */
export interface RPairlist {
  /** The SEXP type. */
  type: "pairlist";
  /** The cells, in order. */
  entries: RPairlistEntry[];
  /** The object's attributes. */
  attributes: RAttributes;
}

/** Any value the reader understands. */
export type RValue =
  | RNull
  | RSymbol
  | RLogical
  | RInteger
  | RDouble
  | RCharacter
  | RList
  | RPairlist;

/** R's integer (and logical) NA: the most negative 32-bit integer. */
export const R_NA_INTEGER: number = -2147483648;

/** The shared `NULL` value. */
export const R_NULL: RNull = { type: "null" };
