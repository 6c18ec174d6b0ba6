/**
 * The one error type of the data layer: every problem with input data names the file, the 1-based
 * line and the field, so that a researcher can open the file at the right place.
 */
export class DataError extends Error {
  /** Always `"DataError"`. */
  override name = "DataError";

  /**
   * A problem in `file` at 1-based `line`, in `field`, described by `detail`.
   *
   * @example
   * ```ts
   * throw new DataError("ml.inter", 12, "timestamp:float", 'not a number: "abc"');
   * // DataError: ml.inter:12: field "timestamp:float": not a number: "abc"
   * ```
   */
  constructor(
    /** The input file (path as given). */
    readonly file: string,
    /** 1-based line number; 0 when the problem concerns the whole file. */
    readonly line: number,
    /** The field (column) at fault, e.g. `"timestamp:float"`. */
    readonly field: string,
    /** What is wrong, e.g. `not a number: "abc"`. */
    readonly detail: string,
  ) {
    super(`${file}:${line}: field "${field}": ${detail}`);
  }
}
