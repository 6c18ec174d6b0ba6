/** Views an unserialised R `data.frame` (or factor) as typed columns. */
import { R_NA_INTEGER, type RValue } from "./r_value.ts";

/** A data frame's columns by name, each checked to have `numRows` elements. */
export interface RDataFrame {
  /** Rows of every column. */
  numRows: number;
  /** Column names, in order. */
  columnNames: string[];
  /** The columns by name. */
  columns: Map<string, RValue>;
}

function classOf(value: RValue): (string | null)[] {
  if (value.type === "null" || value.type === "symbol") return [];
  const cls = value.attributes.get("class");
  return cls?.type === "character" ? cls.values : [];
}

function columnLength(value: RValue): number {
  if (value.type === "null" || value.type === "symbol") return 0;
  if (value.type === "pairlist") return value.entries.length;
  return value.values.length;
}

/**
 * Checks that `value` is a data frame with named, equal-length columns and returns them.
 *
 * @example
 * ```ts
 * const frame = asRDataFrame(db.read("movielens"), "movielens");
 * frame.columns.get("rating"); // { type: "double", values: Float64Array [...] }
 * ```
 */
export function asRDataFrame(value: RValue, source: string): RDataFrame {
  if (value.type !== "list" || !classOf(value).includes("data.frame")) {
    throw new Error(`${source}: not a data.frame (got ${value.type})`);
  }
  const names = value.attributes.get("names");
  if (names?.type !== "character" || names.values.length !== value.values.length) {
    throw new Error(`${source}: data.frame columns are not all named`);
  }
  const numRows = value.values.length === 0 ? 0 : columnLength(value.values[0]);
  const columns = new Map<string, RValue>();
  names.values.forEach((name, i) => {
    if (name === null) throw new Error(`${source}: column ${i + 1} has an NA name`);
    // A second column of one name would replace the first in the map, dropped without a word.
    const first = names.values.indexOf(name);
    if (first !== i) {
      throw new Error(`${source}: columns ${first + 1} and ${i + 1} are both named "${name}"`);
    }
    const column = value.values[i];
    if (columnLength(column) !== numRows) {
      throw new Error(
        `${source}: column "${name}" has ${columnLength(column)} rows, expected ${numRows}`,
      );
    }
    columns.set(name, column);
  });
  return { numRows, columnNames: [...columns.keys()], columns };
}

/**
 * Turns a factor (integer codes with a `levels` attribute) into its labels; `NA` codes give
 * `null`. A character vector is returned unchanged.
 *
 * @example
 * ```ts
 * factorLabels(frame.columns.get("genres")!, "genres");
 * // ["Drama", "Animation|Children|Drama|Musical", ...] (dslabs' movielens)
 * ```
 */
export function factorLabels(value: RValue, source: string): (string | null)[] {
  if (value.type === "character") return value.values;
  if (value.type !== "integer") throw new Error(`${source}: not a factor (got ${value.type})`);
  const levels = value.attributes.get("levels");
  if (levels?.type !== "character") throw new Error(`${source}: factor has no levels`);
  return Array.from(value.values, (code, row) => {
    if (code === R_NA_INTEGER) return null;
    const label = levels.values[code - 1];
    if (label === undefined) {
      throw new Error(
        `${source}: row ${row + 1} has code ${code} outside ${levels.values.length} levels`,
      );
    }
    return label;
  });
}
