/**
 * The `.inter` file of a RecBole dataset read a line at a time into columns (user index, item
 * index, timestamp), never held as lines or cells: millions of lines in ml-20m or an Amazon set.
 *
 * @module
 */
import { DataError } from "../errors.ts";
import { type FieldSite, finiteNumber, type LineReadOptions, type LineVisitor } from "./_fields.ts";
import {
  type AtomicHeader,
  type Column,
  declaredTypeProblem,
  parseHeader,
  requireColumn,
  rowCells,
  tokenCell,
  tokenProblem,
} from "./_recbole_atomic_table.ts";
import { type ItemCatalogue, readItemCatalogue } from "./_recbole_item_features.ts";
import { closestSettingName } from "../../util/settings.ts";

/**
 * A column of numbers appended one row at a time, for a file of unknown length: the typed array
 * doubles when full, so appending stays cheap and a row costs 4 or 8 bytes, not an object.
 */
class GrowingColumn<T extends Int32Array<ArrayBuffer> | Float64Array<ArrayBuffer>> {
  #values: T;
  #length = 0;

  constructor(private readonly allocate: (length: number) => T) {
    this.#values = allocate(1024);
  }

  get length(): number {
    return this.#length;
  }

  push(value: number): void {
    if (this.#length === this.#values.length) {
      const larger = this.allocate(2 * this.#length);
      larger.set(this.#values);
      this.#values = larger;
    }
    this.#values[this.#length++] = value;
  }

  /** The values appended so far (a view, not a copy). */
  values(): T {
    return this.#values.subarray(0, this.#length) as T;
  }
}

/**
 * An integer written with its digits and no exponent, as Unix times are: `123`, or `123.0` as a
 * float column's export writes it. The first group is the integer.
 */
const INTEGER_TEXT = /^([+-]?\d+)(\.0*)?$/;

/**
 * A timestamp as a finite number that is the integer the file writes. Past 2^53 a float64 holds
 * only some integers: nanoseconds since 1970 (19 digits, such as 1700000000000000001) read as the
 * nearest one, so two distinct times of a user could read as equal and their order became the
 * rows' order without a word. Fractions are rounded as written (0.1 is no float64 either), and an
 * integer a float64 holds (1700000000000000000) is read as before.
 */
function exactTimestamp(text: string, site: FieldSite): number {
  const value = finiteNumber(text, site);
  if (Math.abs(value) <= Number.MAX_SAFE_INTEGER) return value;
  const digits = INTEGER_TEXT.exec(text.trim())?.[1];
  if (digits !== undefined && BigInt(digits) !== BigInt(value)) {
    throw new DataError(
      site.file,
      site.line,
      site.field,
      `${digits} has more digits than a float64 holds (it reads as ${BigInt(value)}), so ` +
        "distinct times could read as equal and lose their order: nanoseconds? write the " +
        "timestamps in seconds or milliseconds (below 2^53 = 9007199254740992)",
    );
  }
  return value;
}

/** The most `.inter` rows: rows are indexed by 32-bit integers (2^31 - 1, a 50 GB file). */
const MAX_INTERACTIONS = 2 ** 31 - 1;

/** The `.inter` columns the reader uses; `time` is -1 without a timestamp column. */
interface InterLayout {
  user: number;
  item: number;
  time: number;
  /** Float columns other than the timestamp (a rating): unused, but checked to be numbers. */
  checkedFloats: number[];
  /** Every column the dataset does not use (the checked floats too), for the dataset's card. */
  unused: Column[];
}

/** Finds user_id:token, item_id:token and timestamp:float (optional) in the `.inter` header. */
function interLayout(inter: AtomicHeader): InterLayout {
  const user = requireColumn(inter, "user_id", "token");
  const item = requireColumn(inter, "item_id", "token");
  const time = inter.columns.findIndex((column) => column.name === "timestamp");
  if (time >= 0 && inter.columns[time].type !== "float") {
    // "expected type float" alone did not say why a token or a list is refused, nor what to do.
    throw new DataError(
      inter.file,
      inter.headerLine,
      inter.columns[time].label,
      `${declaredTypeProblem(inter.columns[time], "float")}: the timestamp orders each user's ` +
        "history (its last item is the test item, the one before it the validation item), so " +
        "it must be one number per row; write timestamp:float in the header, with numbers in " +
        "its cells (dates such as 2024-01-31 converted to Unix seconds), or, if the column is " +
        "not the time of the interactions, give it another name",
    );
  }
  if (time < 0) refuseMisspelledTimestamp(inter);
  const checkedFloats = inter.columns.flatMap((column, c) =>
    column.type === "float" && c !== time ? [c] : []
  );
  const used = [user, item, time];
  const unused = inter.columns.filter((_, c) => !used.includes(c));
  return { user, item, time, checkedFloats, unused };
}

/**
 * Refuses a `.inter` whose header has no `timestamp` column but one named like it (`timestmap`,
 * `Timestamp`, `timestamps`: case, or at most two edits). Read as an unused column, it made each
 * user's history the file's row order, which the card said in a line of its own while the run
 * trained on it: a file exported in another row order (shuffled, or sorted by item) trained and
 * evaluated on histories out of time order.
 */
function refuseMisspelledTimestamp(inter: AtomicHeader): void {
  const near = inter.columns.find((column) =>
    closestSettingName(column.name, ["timestamp"]) === "timestamp"
  );
  if (near === undefined) return;
  throw new DataError(
    inter.file,
    inter.headerLine,
    near.label,
    `a misspelled timestamp? the header has no timestamp:float column, and without one each ` +
      `user's history is the file's row order; rename this column timestamp:float, or, if it ` +
      `is not the time of the interactions, give it a name not this close to "timestamp"`,
  );
}

/**
 * The card's note on a `.inter` without a timestamp column, or none: each user's history is then
 * the file's row order, which the card said only as a tie-break "for equal timestamps" that the
 * file does not have, and the last row of a user is the test item.
 */
export function rowOrderNote(interFile: string, timestamps: boolean): string[] {
  return timestamps
    ? []
    : [`each user's history is in the row order of ${interFile}, which has no timestamp column`];
}

/**
 * The card's note on the `.inter` columns the dataset does not use (a rating, a session id), or
 * none: without it a column the user meant to matter would be dropped without a word.
 */
export function unusedColumnsNote(interFile: string, unused: readonly Column[]): string[] {
  if (unused.length === 0) return [];
  const described = unused.map((column) =>
    `${column.label} (${column.type === "float" ? "checked to be numbers" : "not read"})`
  );
  return [
    `${unused.length === 1 ? "column" : "columns"} of ${interFile} not used: ` +
    `${described.join(", ")}`,
  ];
}

/**
 * `.inter` lines whose item has no `.item` row, from the first on: counted so that one error says
 * how many lines and items there are. RecBole accepts them (filling in default features), so a
 * RecBole dataset may have many, and one error per rerun would not say how many.
 */
class UnknownItems {
  readonly #ids = new Set<string>();
  #lines = 0;

  /** `line`: the first `.inter` line whose item has no `.item` row. */
  constructor(private readonly line: number) {}

  note(id: string): void {
    this.#ids.add(id);
    this.#lines++;
  }

  error(interFile: string, field: string, itemFile: string): DataError {
    const [first] = this.#ids;
    const lines = this.#lines;
    const items = this.#ids.size;
    return new DataError(
      interFile,
      this.line,
      field,
      `unknown item id "${first}" (not in ${itemFile}); ${lines} ${
        lines === 1 ? "line names" : "lines name"
      } ${items} ${items === 1 ? "item" : "items"} without a row there: give each ` +
        "a row (empty feature cells mark its features missing)",
    );
  }
}

/** The `.inter` rows as columns, in file order. */
interface InterColumns {
  catalogue: ItemCatalogue | undefined;
  /** Item id to index: the `.item` rows' order, else first appearance in the `.inter`. */
  itemIndex: Map<string, number>;
  /** User id to index, by first appearance. */
  userIndex: Map<string, number>;
  user: Int32Array;
  item: Int32Array;
  /**
   * With a timestamp column: each row's timestamp and its line (for the duplicate rows; a
   * Float64Array: an Int32Array would wrap past 2^31 lines).
   */
  time?: Float64Array;
  line?: Float64Array;
  /** The columns the dataset does not use. */
  unused: Column[];
}

/**
 * Reads the `.inter` a line at a time into {@linkcode InterColumns}, reading the `.item` once the
 * header has said which columns there are. Errors are those of a reader that held every line: it
 * checked the text of the whole file ({@linkcode forEachLine}), then the header, then every row's
 * shape (quoting, field count, a repeated header), then the columns the reader needs and the
 * `.item`, and only then each row's values, in file order. So a row's shape error is thrown as it
 * is met, while an error of a later step is held (the rest of the file only has its shape checked)
 * and thrown at the end, when no shape error has come after it.
 */
export class InterReader {
  #header: AtomicHeader | undefined;
  #layout: InterLayout | undefined;
  #catalogue: ItemCatalogue | undefined;
  readonly #itemIndex = new Map<string, number>();
  readonly #userIndex = new Map<string, number>();
  readonly #user = new GrowingColumn((length) => new Int32Array(length));
  readonly #item = new GrowingColumn((length) => new Int32Array(length));
  #time: GrowingColumn<Float64Array<ArrayBuffer>> | undefined;
  #line: GrowingColumn<Float64Array<ArrayBuffer>> | undefined;
  /** The first error of a step after the rows' shape, thrown when every shape has passed. */
  #held: DataError | undefined;
  #unknownItems: UnknownItems | undefined;

  constructor(
    private readonly interFile: string,
    private readonly itemFile: string,
    private readonly requireItemFile: boolean,
    private readonly reading: LineReadOptions,
  ) {}

  readonly visit: LineVisitor = (line, content) => {
    if (this.#header === undefined) this.#readHeader(line, content);
    else this.#readRow(this.#header, line, content);
  };

  /** The columns, once every line has been visited; or the first error held back. */
  finish(): InterColumns {
    const header = this.#header;
    if (header === undefined) throw new DataError(this.interFile, 1, "header", "empty file");
    if (this.#held) throw this.#held;
    if (this.#unknownItems) {
      const field = header.columns[this.#layout!.item].label;
      throw this.#unknownItems.error(this.interFile, field, this.itemFile);
    }
    if (this.#user.length === 0) {
      // The line after the header, where the first row goes: line 2 was a blank line before a
      // header that blank lines precede.
      throw new DataError(
        this.interFile,
        header.headerLine + 1,
        "user_id:token",
        "no interactions",
      );
    }
    return {
      catalogue: this.#catalogue,
      itemIndex: this.#catalogue?.index ?? this.#itemIndex,
      userIndex: this.#userIndex,
      user: this.#user.values(),
      item: this.#item.values(),
      time: this.#time?.values(),
      line: this.#line?.values(),
      unused: this.#layout!.unused,
    };
  }

  #readHeader(line: number, content: string): void {
    const header = parseHeader(this.interFile, line, content);
    this.#header = header;
    this.#holdDataError(() => {
      const layout = interLayout(header);
      this.#layout = layout;
      if (layout.time >= 0) {
        this.#time = new GrowingColumn((length) => new Float64Array(length));
        this.#line = new GrowingColumn((length) => new Float64Array(length));
      }
      this.#catalogue = readItemCatalogue(this.itemFile, this.requireItemFile, this.reading);
    });
  }

  #readRow(header: AtomicHeader, line: number, content: string): void {
    const cells = rowCells(header, line, content);
    if (this.#held) return;
    if (this.#unknownItems) {
      // Counted as written; an id with stray whitespace is said once the unknown ones are fixed.
      const id = cells[this.#layout!.item];
      if (tokenProblem(id) === undefined && !this.#catalogue!.index.has(id)) {
        this.#unknownItems.note(id);
      }
      return;
    }
    this.#holdDataError(() => this.#addRow(header, this.#layout!, line, cells));
  }

  /** Checks a row's values and appends it to the columns. */
  #addRow(header: AtomicHeader, layout: InterLayout, line: number, cells: string[]): void {
    const file = this.interFile;
    const label = (column: number) => header.columns[column].label;
    const user = tokenCell(cells[layout.user], file, line, label(layout.user));
    const itemId = tokenCell(cells[layout.item], file, line, label(layout.item));
    let item = (this.#catalogue?.index ?? this.#itemIndex).get(itemId);
    if (item === undefined) {
      if (this.#catalogue) {
        this.#unknownItems = new UnknownItems(line);
        this.#unknownItems.note(itemId);
        return;
      }
      item = this.#itemIndex.size;
      this.#itemIndex.set(itemId, item);
    }
    const time = layout.time >= 0
      ? exactTimestamp(cells[layout.time], { file, line, field: label(layout.time) })
      : 0;
    for (const column of layout.checkedFloats) {
      finiteNumber(cells[column], { file, line, field: label(column) });
    }
    if (this.#user.length === MAX_INTERACTIONS) {
      throw new DataError(
        file,
        line,
        "file",
        `more than ${MAX_INTERACTIONS} interactions: more than this reader indexes`,
      );
    }
    let userIndex = this.#userIndex.get(user);
    if (userIndex === undefined) {
      userIndex = this.#userIndex.size;
      this.#userIndex.set(user, userIndex);
    }
    this.#user.push(userIndex);
    this.#item.push(item);
    this.#time?.push(time);
    this.#line?.push(line);
  }

  /** Runs `step`, holding a DataError it throws (the first one) for {@linkcode finish}. */
  #holdDataError(step: () => void): void {
    try {
      step();
    } catch (error) {
      if (!(error instanceof DataError)) throw error;
      this.#held = error;
    }
  }
}
