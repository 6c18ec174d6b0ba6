/**
 * Checks of settings where they enter (one validator per config object). Every failure is a
 * {@linkcode SettingError} whose message names the setting, the value and the allowed range, e.g.
 * `TrainerConfig.batchSize is 0; allowed: an integer >= 1`.
 *
 * @example
 * ```ts
 * checkInteger("TrainerConfig.batchSize", config.batchSize, { min: 1 });
 * checkNumber("AdamConfig.beta1", config.beta1, { min: 0, below: 1 });
 * checkOneOf("ModelConfig.backbone", config.backbone, ["sasrec", "gru4rec"]);
 * ```
 */

/** A setting outside its allowed range. */
export class SettingError extends RangeError {
  /** Always `"SettingError"`. */
  override name = "SettingError";
  /** The message reads `<setting> is <value>; allowed: <allowed>`. */
  constructor(
    /** Qualified name, e.g. `TrainerConfig.batchSize`. */
    readonly setting: string,
    /** The offending value. */
    readonly value: unknown,
    /** The allowed range in words. */
    readonly allowed: string,
  ) {
    super(`${setting} is ${show(value)}; allowed: ${allowed}`);
  }
}

/** Bounds of a numeric setting: `min`/`max` inclusive, `above`/`below` exclusive. */
export interface NumberRange {
  /** Smallest allowed value (inclusive). */
  min?: number;
  /** Largest allowed value (inclusive). */
  max?: number;
  /** Values must be greater than this (exclusive). */
  above?: number;
  /** Values must be less than this (exclusive). */
  below?: number;
}

function show(value: unknown): string {
  if (typeof value === "string") return JSON.stringify(value);
  if (Array.isArray(value)) return `[${value.map(show).join(", ")}]`;
  if (value !== null && typeof value === "object") return JSON.stringify(value);
  return String(value);
}

/** The range in words, e.g. "a finite number > 0 and < 1". */
export function describeRange(range: NumberRange, integer = false): string {
  const parts: string[] = [];
  if (range.min !== undefined) parts.push(`>= ${range.min}`);
  if (range.above !== undefined) parts.push(`> ${range.above}`);
  if (range.max !== undefined) parts.push(`<= ${range.max}`);
  if (range.below !== undefined) parts.push(`< ${range.below}`);
  const kind = integer ? "an integer" : "a finite number";
  return parts.length === 0 ? kind : `${kind} ${parts.join(" and ")}`;
}

function inRange(value: number, range: NumberRange): boolean {
  return (range.min === undefined || value >= range.min) &&
    (range.max === undefined || value <= range.max) &&
    (range.above === undefined || value > range.above) &&
    (range.below === undefined || value < range.below);
}

/** Throws unless `value` is a finite number within `range`. */
export function checkNumber(setting: string, value: unknown, range: NumberRange = {}): void {
  if (typeof value !== "number" || !Number.isFinite(value) || !inRange(value, range)) {
    throw new SettingError(setting, value, describeRange(range));
  }
}

/** Throws unless `value` is an integer within `range`. */
export function checkInteger(setting: string, value: unknown, range: NumberRange = {}): void {
  if (typeof value !== "number" || !Number.isInteger(value) || !inRange(value, range)) {
    throw new SettingError(setting, value, describeRange(range, true));
  }
}

/** Throws unless `value` is one of `allowed`. */
export function checkOneOf<T extends string>(
  setting: string,
  value: unknown,
  allowed: readonly T[],
): asserts value is T {
  if (!allowed.includes(value as T)) {
    throw new SettingError(setting, value, `one of ${allowed.map((a) => `"${a}"`).join(", ")}`);
  }
}

/** Throws unless `value` is a boolean. */
export function checkBoolean(setting: string, value: unknown): void {
  if (typeof value !== "boolean") throw new SettingError(setting, value, "true or false");
}
