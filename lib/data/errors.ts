/**
 * The one error type of the data layer: every problem with input data names the file, the 1-based
 * line and the field, so that a researcher can open the file at the right place.
 */
export class DataError extends Error {
  override name = "DataError";

  /**
   * @example
   * ```ts
   * throw new DataError("ml.inter", 12, "timestamp:float", 'not a number: "abc"');
   * // DataError: ml.inter:12: field "timestamp:float": not a number: "abc"
   * ```
   */
  constructor(
    readonly file: string,
    /** 1-based line number; 0 when the problem concerns the whole file. */
    readonly line: number,
    readonly field: string,
    readonly detail: string,
  ) {
    super(`${file}:${line}: field "${field}": ${detail}`);
  }
}
