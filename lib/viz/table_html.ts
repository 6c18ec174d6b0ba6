import { checkInteger, type SettingNames } from "../util/settings.ts";
import { escapeHtml } from "./_escape.ts";
import { assertKnownFields } from "./_validate.ts";
import { bestColumnsOf, bestNote, columnPosition, markBestCells } from "./_best_cells.ts";

/**
 * What a table cell may hold: text, a number, a yes/no, or nothing. `null` (what a result file
 * holds for a NaN: JSON has none), `undefined` (an optional field left out) and NaN are a missing
 * value and print as {@linkcode MISSING_CELL}; a boolean prints as "yes" or "no".
 */
export type TableCell = string | number | boolean | null | undefined;

/**
 * A table; numbers are printed with `digits` decimals, except in a column whose numbers are all
 * integers (counts, epochs), which prints them as they are. A missing value (NaN, `null`,
 * `undefined`) prints as "–".
 */
export interface TableSection {
  /** Section kind (in an HTML report). */
  kind: "table";
  /** Column headers. */
  columns: string[];
  /** Rows, one cell per column. */
  rows: Array<Array<TableCell>>;
  /** Caption above the table. Default: none. */
  caption?: string;
  /**
   * Decimals for non-integer numbers, a whole number from 0 to 100. Default:
   * {@linkcode DEFAULT_TABLE_DIGITS} (4).
   */
  digits?: number;
  /**
   * Headings of the columns that hold differences: their numbers print with a sign, "+0.0075"
   * and "-0.0282" (zero as "+0.0000"), as the reports print paired differences. Default: none.
   */
  signed?: string[];
  /**
   * Decimals of single columns, by heading, overriding `digits` there, e.g. `{ seconds: 2 }`;
   * whole numbers from 0 to 100. Default: none.
   */
  columnDigits?: Record<string, number>;
  /**
   * The columns a reader compares rows by, each with which end is best, e.g.
   * `{ "NDCG@10": "higher", seconds: "lower" }` (given, never guessed). The best value of each is
   * bold on a page and ends with "*" in plain text, with a line saying so; values that print the
   * same are all marked, a missing one ("–", or a "-" text) never, and a "mean ± std" text compares its mean. Default:
   * none.
   */
  best?: Record<string, "higher" | "lower">;
}

/** Decimals of a table's numbers, and of {@linkcode reportNumber}'s, when none are given. */
export const DEFAULT_TABLE_DIGITS = 4;

const TABLE_SECTION_FIELDS: SettingNames<TableSection> = {
  kind: true,
  columns: true,
  rows: true,
  caption: true,
  digits: true,
  signed: true,
  columnDigits: true,
  best: true,
};

/** What a table shows for a value that is missing (NaN, `null` or `undefined`). */
export const MISSING_CELL = "–";

/**
 * `value` with `digits` decimals, as the reports print numbers: `toFixed`, except that a value
 * which rounds to zero prints without a minus. `toFixed` keeps the sign of a tiny negative value,
 * and a gain or mean difference that is zero in exact arithmetic comes out as -1e-17 from the
 * order of a sum, which printed "-0.0000".
 *
 * @example
 * ```ts
 * reportNumber(0.12345); // "0.1235"
 * reportNumber(-1e-17); // "0.0000", not "-0.0000"
 * reportNumber(Number.NaN); // "–", as a missing table cell
 * ```
 */
export function reportNumber(value: number, digits = DEFAULT_TABLE_DIGITS): string {
  // As a table cell prints them: `toFixed` gave "NaN" and "Infinity" in the reports' prose.
  if (Number.isNaN(value)) return MISSING_CELL;
  if (!Number.isFinite(value)) return value > 0 ? "∞" : "-∞";
  const text = value.toFixed(digits);
  return /^-0(\.0+)?$/.test(text) ? text.slice(1) : text;
}

/**
 * A difference with its sign and 4 decimals, as the reports print paired differences; one that
 * rounds to zero reads "+0.0000", whichever side of zero it lies ({@linkcode reportNumber}); a
 * missing one (NaN) reads {@linkcode MISSING_CELL}.
 *
 * @example
 * ```ts
 * signedDifference(0.0082); // "+0.0082"
 * signedDifference(-0.0057); // "-0.0057"
 * signedDifference(-1e-17); // "+0.0000"
 * signedDifference(Number.NaN); // "–"
 * ```
 */
export function signedDifference(value: number): string {
  // A difference with a missing side (a bucket one system lacks) printed "+NaN".
  if (Number.isNaN(value)) return MISSING_CELL;
  const text = reportNumber(value);
  return text.startsWith("-") ? text : `+${text}`;
}

/**
 * The text of every cell, unescaped: a column with any non-integer number prints all its numbers
 * with `digits` decimals (so 1 and 0.9840 in one column read 1.0000 and 0.9840), a column of
 * integers prints them as they are; a missing value (NaN, `null`, `undefined`) prints as
 * {@linkcode MISSING_CELL}, infinities as ∞, booleans as "yes" or "no". Any other value (an
 * object, a bigint: a cell the caller forgot to format) is an error naming its row and column,
 * not "[object Object]". The numbers of `signedColumns` (positions) print with their sign, and a
 * column in `columnDigits` (position to decimals) with its own decimals instead of `digits`.
 *
 * @example
 * ```ts
 * formatTableCells([["a", 1, 3], ["b", 0.98401, Number.NaN], ["c", null, undefined]], 4);
 * // [["a", "1.0000", "3"], ["b", "0.9840", "–"], ["c", "–", "–"]]
 * formatTableCells([["x", 0.0075], ["y", -0.0282]], 4, [1]); // [["x", "+0.0075"], ["y", "-0.0282"]]
 * ```
 */
export function formatTableCells(
  rows: ReadonlyArray<ReadonlyArray<TableCell>>,
  digits: number,
  signedColumns: readonly number[] = [],
  columnDigits: ReadonlyMap<number, number> = new Map(),
): string[][] {
  const fractional = new Set<number>();
  for (const row of rows) {
    row.forEach((cell, column) => {
      if (typeof cell === "number" && Number.isFinite(cell) && !Number.isInteger(cell)) {
        fractional.add(column);
      }
    });
  }
  return rows.map((row, rowIndex) =>
    row.map((cell, column) => {
      // A value read from JSON or a cast can be anything: `typeof null` is "object", and
      // `null > 0` is false, so a null once printed as "-∞".
      if (cell === null || cell === undefined) return MISSING_CELL;
      if (typeof cell === "string") return cell;
      if (typeof cell === "boolean") return cell ? "yes" : "no";
      if (typeof cell !== "number") {
        throw new Error(
          `formatTableCells: row ${rowIndex}, column ${column} holds a ${typeof cell} ` +
            `(${String(cell)}); a cell is a string, a number, a boolean, null or undefined`,
        );
      }
      if (Number.isNaN(cell)) return MISSING_CELL;
      if (!Number.isFinite(cell)) return cell > 0 ? "∞" : "-∞";
      const text = fractional.has(column)
        ? reportNumber(cell, columnDigits.get(column) ?? digits)
        : String(cell);
      return signedColumns.includes(column) && !text.startsWith("-") ? `+${text}` : text;
    })
  );
}

/** A table's cells as printed, with the marks of its best values. */
export interface FormattedTable {
  /** Each cell's text, unescaped ({@linkcode formatTableCells}). */
  cells: string[][];
  /** Per cell, whether it is the best of a `best` column. */
  best: boolean[][];
  /**
   * What a mark means, without its marker ("best NDCG@10 (higher is better)"), naming the columns
   * marked; none without `best`, or where no column had two values to compare.
   */
  bestNote?: (marker: string) => string;
}

/**
 * A table's cells as printed, after checking its fields: the text of every cell and which are the
 * best of their column. Shared by the page (bold) and the plain text ("*"), so both mark the same
 * cells. `context` prefixes error messages (e.g. "displayTable").
 *
 * @example
 * ```ts
 * formatTable({
 *   kind: "table",
 *   columns: ["system", "NDCG@10", "seconds"],
 *   rows: [["Pop", 0.0123, 1.25], ["SASRec", 0.0456, 19.42131]],
 *   columnDigits: { seconds: 2 },
 *   best: { "NDCG@10": "higher" },
 * }, "demo").cells; // [["Pop", "0.0123", "1.25"], ["SASRec", "0.0456", "19.42"]]
 * ```
 */
export function formatTable(section: TableSection, context: string): FormattedTable {
  // `captoin` or `digit` in a notebook's displayTable showed the table without them.
  assertKnownFields(context, "the table", section, TABLE_SECTION_FIELDS);
  // `toFixed` cut 2.5 to 2 decimals in silence and threw a RangeError naming no table for -1.
  if (section.digits !== undefined) {
    checkInteger(`${context} table digits`, section.digits, { min: 0, max: 100 });
  }
  section.rows.forEach((row, rowIndex) => {
    if (row.length !== section.columns.length) {
      throw new Error(
        `${context} table row ${rowIndex} has ${row.length} cells, ` +
          `expected ${section.columns.length} (${section.columns.join(", ")})`,
      );
    }
  });
  const directions = bestColumnsOf(section.best, section.columns, context);
  const cells = formatTableCells(
    section.rows,
    section.digits ?? DEFAULT_TABLE_DIGITS,
    signedColumnsOf(section, context),
    columnDigitsOf(section, context),
  );
  const best = markBestCells(cells, directions, {
    columns: section.columns,
    // "-" as well: notebook 07 writes a missing p-value or difference as "-", the report's way.
    missing: [MISSING_CELL, "-"],
    context,
  });
  // The note names the columns that were compared (a mark in them): a one-row table has none, and
  // until 2026-12-07 it marked its only row and said "best" under it.
  const compared = new Map(
    [...directions].filter(([column]) => best.some((row) => row[column])),
  );
  if (compared.size === 0) return { cells, best };
  return { cells, best, bestNote: (marker) => bestNote(compared, section.columns, marker) };
}

/**
 * An HTML table; `context` prefixes error messages (e.g. "renderHtmlReport: section 2"). The
 * best values of `best` columns are bold, and a line under the caption says so.
 *
 * @example
 * ```ts
 * tableHtml({ kind: "table", columns: ["model", "NDCG@10"], rows: [["Pop", 0.01234]] }, "demo");
 * // "<table><thead><tr><th>model</th><th>NDCG@10</th></tr></thead><tbody>\n<tr><td>Pop</td><td>0.0123</td></tr>\n</tbody></table>"
 * ```
 */
export function tableHtml(section: TableSection, context: string): string {
  const { cells, best, bestNote } = formatTable(section, context);
  const body = cells.map((row, rowIndex) =>
    `<tr>${
      row.map((cell, column) =>
        best[rowIndex][column]
          ? `<td><strong>${escapeHtml(cell)}</strong></td>`
          : `<td>${escapeHtml(cell)}</td>`
      ).join("")
    }</tr>`
  ).join("\n");
  const captionLines = [
    ...(section.caption ? [escapeHtml(section.caption)] : []),
    ...(bestNote ? [escapeHtml(bestNote("Bold"))] : []),
  ];
  const caption = captionLines.length === 0
    ? ""
    : `<caption>${captionLines.join("<br>")}</caption>`;
  const head = section.columns.map((column) => `<th>${escapeHtml(column)}</th>`).join("");
  return `<table>${caption}<thead><tr>${head}</tr></thead><tbody>\n${body}\n</tbody></table>`;
}

/**
 * The decimals of `section.columnDigits` by column position. A heading that is not a column, or
 * decimals that are not a whole number from 0 to 100, is an error naming them: the column would
 * have printed with the table's decimals, in silence.
 */
function columnDigitsOf(section: TableSection, context: string): Map<number, number> {
  const byHeading: unknown = section.columnDigits;
  const positions = new Map<number, number>();
  if (byHeading === undefined) return positions;
  if (typeof byHeading !== "object" || byHeading === null || Array.isArray(byHeading)) {
    throw new Error(
      `${context} table columnDigits is ${JSON.stringify(byHeading)}, expected an object of ` +
        `column headings to decimals, e.g. { seconds: 2 }`,
    );
  }
  for (const [heading, digits] of Object.entries(byHeading)) {
    checkInteger(`${context} table columnDigits["${heading}"]`, digits, { min: 0, max: 100 });
    positions.set(
      columnPosition(heading, section.columns, `${context} table columnDigits`),
      digits as number,
    );
  }
  return positions;
}

/**
 * The positions of `section.signed`'s columns. A heading that is not one of the columns (a typo,
 * a column renamed) is an error naming it and the columns: the differences would have printed
 * without their sign, in silence.
 */
export function signedColumnsOf(section: TableSection, context: string): number[] {
  const signed: unknown = section.signed;
  if (signed === undefined) return [];
  if (!Array.isArray(signed) || !signed.every((heading) => typeof heading === "string")) {
    throw new Error(
      `${context} table signed is ${JSON.stringify(signed)}, expected a list of column headings`,
    );
  }
  return signed.map((heading) => {
    const column = section.columns.indexOf(heading);
    if (column < 0) {
      throw new Error(
        `${context} table signed names "${heading}", not a column ` +
          `(${section.columns.join(", ")})`,
      );
    }
    return column;
  });
}
