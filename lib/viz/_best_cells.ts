/**
 * Which printed cells of a table are the best of their column, for the columns a reader compares
 * systems by (a table's `best`). The printed text is compared, not the raw number: two values that
 * print the same read as a tie and are both marked, and a "mean ± std" text compares its mean.
 */

/** Which end of a column is its best value. */
export type BestDirection = "higher" | "lower";

const DIRECTIONS: readonly BestDirection[] = ["higher", "lower"];

// A printed number ("0.1234", "+0.0075", "-3", "1e-7", "∞"), optionally followed by "± spread".
const NUMBER_TEXT = /^([+-]?(?:\d+\.?\d*|\.\d+)(?:e[+-]?\d+)?|[+-]?∞)(?:\s*±\s*\S.*)?$/i;

/**
 * The value a printed cell compares by: its number, or the mean of a "mean ± std" text; `null`
 * for a missing value (one of `missing`). Any other text (a name, "yes") is an error naming the
 * column and row: it cannot be ranked, and skipping it would mark a best that is not one.
 */
function comparedValue(
  text: string,
  missing: readonly string[],
  where: string,
): number | null {
  if (missing.includes(text)) return null;
  const match = NUMBER_TEXT.exec(text.trim());
  if (match === null) {
    throw new Error(
      `${where} is ${JSON.stringify(text)}, not a number; a best column holds numbers or ` +
        `"mean ± std" texts`,
    );
  }
  const number = match[1];
  if (number.endsWith("∞")) return number.startsWith("-") ? -Infinity : Infinity;
  return Number(number);
}

/**
 * The directions of `best` by column position. `best` must map column headings to "higher" or
 * "lower"; a heading that is not a column, or that heads more than one column (the "± std"
 * columns), is an error naming it: the direction is given, never guessed, and a mark that silently
 * went missing would read as "no best".
 */
export function bestColumnsOf(
  best: unknown,
  columns: readonly string[],
  context: string,
): Map<number, BestDirection> {
  const positions = new Map<number, BestDirection>();
  if (best === undefined) return positions;
  if (typeof best !== "object" || best === null || Array.isArray(best)) {
    throw new Error(
      `${context} table best is ${JSON.stringify(best)}, expected an object of column ` +
        `headings to "higher" or "lower", e.g. { "NDCG@10": "higher" }`,
    );
  }
  for (const [heading, direction] of Object.entries(best)) {
    if (!DIRECTIONS.includes(direction)) {
      throw new Error(
        `${context} table best["${heading}"] is ${JSON.stringify(direction)}, ` +
          `expected "higher" or "lower"`,
      );
    }
    positions.set(columnPosition(heading, columns, `${context} table best`), direction);
  }
  return positions;
}

/**
 * The one position of `heading` in `columns`; `setting` names the table field in the error for a
 * heading that is missing or repeated.
 */
export function columnPosition(heading: string, columns: readonly string[], setting: string) {
  const first = columns.indexOf(heading);
  if (first < 0) {
    throw new Error(`${setting} names "${heading}", not a column (${columns.join(", ")})`);
  }
  if (columns.indexOf(heading, first + 1) >= 0) {
    throw new Error(`${setting} names "${heading}", which heads more than one column`);
  }
  return first;
}

/**
 * For each printed cell, whether it is the best of its column: the highest (or lowest) value of a
 * column in `directions`; every cell with that value is marked (ties), a missing one never, and
 * none in a column with fewer than two values (nothing to compare).
 *
 * @example
 * ```ts
 * markBestCells([["a", "0.20"], ["b", "0.30 ± 0.01"], ["c", "0.30"]], new Map([[1, "higher"]]), {
 *   columns: ["system", "NDCG@10"], missing: ["–"], context: "demo",
 * }); // [[false, false], [false, true], [false, true]]
 * ```
 */
export function markBestCells(
  cells: readonly (readonly string[])[],
  directions: ReadonlyMap<number, BestDirection>,
  { columns, missing, context }: {
    columns: readonly string[];
    missing: readonly string[];
    context: string;
  },
): boolean[][] {
  const marks = cells.map((row) => row.map(() => false));
  for (const [column, direction] of directions) {
    const values = cells.map((row, rowIndex) =>
      comparedValue(
        row[column],
        missing,
        `${context} table best column "${columns[column]}", row ${rowIndex}`,
      )
    );
    const present = values.filter((value): value is number => value !== null);
    // One value (a one-row table, or one row with a number) is the best of nothing: marking it,
    // with a line saying "best", read as a comparison that was never made.
    if (present.length < 2) continue;
    const target = direction === "higher" ? Math.max(...present) : Math.min(...present);
    values.forEach((value, rowIndex) => {
      if (value === target) marks[rowIndex][column] = true;
    });
  }
  return marks;
}

/**
 * The line that says what a mark means, e.g. "Bold: best NDCG@10, HR@10 (higher is better); best
 * seconds (lower is better)". `marker` is "Bold" on a page and "*" in plain text.
 */
export function bestNote(
  directions: ReadonlyMap<number, BestDirection>,
  columns: readonly string[],
  marker: string,
): string {
  const part = (direction: BestDirection) => {
    const headings = [...directions].filter(([, wanted]) => wanted === direction)
      .sort(([left], [right]) => left - right)
      .map(([column]) => columns[column]);
    return headings.length === 0 ? [] : [`best ${headings.join(", ")} (${direction} is better)`];
  };
  return `${marker}: ${[...part("higher"), ...part("lower")].join("; ")}`;
}
