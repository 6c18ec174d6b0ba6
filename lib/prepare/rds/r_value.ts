/**
 * Typed values produced by the R serialisation reader: only the SEXP types that data frames,
 * factors and lazy-load indexes use.
 */

/** Attributes of an R object, in serialisation order (e.g. `names`, `class`, `levels`). */
export type RAttributes = Map<string, RValue>;

/** R's `NULL`. */
export interface RNull {
  type: "null";
}

/** A symbol (SYMSXP): a name, used as pairlist tags and attribute names. */
export interface RSymbol {
  type: "symbol";
  name: string;
}

/** A logical vector; `NA` is `R_NA_INTEGER`, TRUE is 1, FALSE is 0. */
export interface RLogical {
  type: "logical";
  values: Int32Array;
  attributes: RAttributes;
}

/** An integer vector; `NA` is `R_NA_INTEGER`. */
export interface RInteger {
  type: "integer";
  values: Int32Array;
  attributes: RAttributes;
}

/** A double vector; `NA_real_` and `NaN` both read as NaN (R tells them apart by payload only). */
export interface RDouble {
  type: "double";
  values: Float64Array;
  attributes: RAttributes;
}

/** A character vector; `NA_character_` is `null`. */
export interface RCharacter {
  type: "character";
  values: (string | null)[];
  attributes: RAttributes;
}

/** A generic vector (VECSXP), e.g. a list or a data frame. */
export interface RList {
  type: "list";
  values: RValue[];
  attributes: RAttributes;
}

/** One cell of a pairlist. */
export interface RPairlistEntry {
  tag: string | null;
  value: RValue;
}

/** A pairlist (LISTSXP), flattened from its cons cells. */
export interface RPairlist {
  type: "pairlist";
  entries: RPairlistEntry[];
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
export const R_NA_INTEGER = -2147483648;

/** The shared `NULL` value. */
export const R_NULL: RNull = { type: "null" };
