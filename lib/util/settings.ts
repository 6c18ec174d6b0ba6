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
 * checkSettingNames("TrainerConfig", input, TRAINER_CONFIG_SETTINGS); // no unknown key
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

/** Range of every seed the library takes: an integer in [0, 2^31 - 1]. */
export const SEED_RANGE: Readonly<NumberRange> = Object.freeze({ min: 0, max: 2 ** 31 - 1 });

/**
 * The value as a message shows it. Never throws: the error about a setting must not become a
 * TypeError about the value (a circular object, such as a model given under a misspelt name, and
 * a BigInt inside an object made JSON.stringify throw; a circular list recursed without end).
 */
function show(value: unknown, lists: ReadonlySet<unknown> = new Set()): string {
  if (typeof value === "string") {
    // "1" and 1 read alike in a message; say which it is (a notebook or env value passed as text).
    const numeric = value.trim() !== "" && Number.isFinite(Number(value));
    return numeric ? `${JSON.stringify(value)} (a string)` : JSON.stringify(value);
  }
  // 5n read as 5, and a function as its whole source text.
  if (typeof value === "bigint") return `${value}n`;
  if (typeof value === "function") return value.name ? `a function (${value.name})` : "a function";
  if (Array.isArray(value)) {
    if (lists.has(value)) return "[...]";
    const inside = new Set([...lists, value]);
    return `[${value.map((item) => show(item, inside)).join(", ")}]`;
  }
  if (value !== null && typeof value === "object") return showObject(value);
  return String(value);
}

function showObject(value: object): string {
  try {
    const text = JSON.stringify(value, (_, v) => typeof v === "bigint" ? `${v}n` : v);
    // undefined: a toJSON that returns nothing.
    if (text !== undefined) return text;
  } catch {
    // Circular, or a toJSON that throws: its keys say what it is.
  }
  return `an object with the keys ${Object.keys(value).join(", ")}`;
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

/**
 * Throws unless `value` is a function, or undefined (left out: the default). A null callback
 * meant "the default" to some callers and failed later, where it was called, to others.
 */
export function checkOptionalFunction(
  setting: string,
  value: unknown,
  allowed = "a function",
): void {
  if (value !== undefined && typeof value !== "function") {
    throw new SettingError(setting, value, allowed);
  }
}

/**
 * Throws unless `value` is a text, or undefined (left out: the default). A null caption or title
 * was read as none, and a number shown as its digits; `allowed` says what the text is, e.g.
 * `"a folder (a string)"`.
 */
export function checkOptionalText(
  setting: string,
  value: unknown,
  allowed = "a text",
): asserts value is string | undefined {
  if (value !== undefined && typeof value !== "string") {
    throw new SettingError(setting, value, allowed);
  }
}

/** Throws unless `value` is a boolean. */
export function checkBoolean(setting: string, value: unknown): void {
  if (typeof value !== "boolean") throw new SettingError(setting, value, "true or false");
}

/**
 * `defaults` with the settings of `input` laid over them, where a setting given as `undefined`
 * keeps its default, as if left out. A `Partial<T>` allows `{ seed: undefined }`, and a caller
 * passing on an optional value (`{ seed: options.seed }`) means "not given"; a plain spread
 * replaced the default with undefined, which the validator then refused. Every `resolveX` that
 * takes partial settings fills its defaults through this one rule (docs/configuration.md).
 *
 * @example
 * ```ts
 * withDefaults({ maxEpochs: 30, seed: 0 }, { seed: undefined, maxEpochs: 3 });
 * // { maxEpochs: 3, seed: 0 }
 * ```
 */
export function withDefaults<T extends object>(defaults: T, input: Partial<T> | undefined): T {
  const given = Object.entries(input ?? {}).filter(([, value]) => value !== undefined);
  return { ...defaults, ...Object.fromEntries(given) } as T;
}

/**
 * The settings of a config type `T`, by name: a record over every key of `T`, optional ones
 * included, so the compiler flags a field added to `T` and missing here.
 */
export type SettingNames<T> = { readonly [K in keyof T]-?: true };

/**
 * Throws unless `input` is a plain object whose every key is a setting of `known` (a defaults
 * object or a {@linkcode SettingNames} record). A key the library does not read must not pass
 * silently as its default (a notebook typo such as `epochs` for `maxEpochs` trained 30 epochs).
 * `replaced` gives the allowed text for a setting that was renamed or retired.
 *
 * @example
 * ```ts
 * checkSettingNames("TrainerConfig", { epochs: 2 }, TRAINER_CONFIG_SETTINGS);
 * // SettingError: TrainerConfig.epochs is 2; allowed: one of the settings maxEpochs, batchSize, ...
 * checkSettingNames("TrainerConfig", { maxEpoch: 2 }, TRAINER_CONFIG_SETTINGS);
 * // SettingError: TrainerConfig.maxEpoch is 2; allowed: one of the settings ...; did you mean maxEpochs?
 * ```
 */
export function checkSettingNames(
  where: string,
  input: unknown,
  known: object,
  replaced: Readonly<Record<string, string>> = {},
): void {
  const names = Object.keys(known).join(", ");
  if (input === null || typeof input !== "object" || Array.isArray(input)) {
    throw new SettingError(where, input, `an object with some of the settings ${names}`);
  }
  const unknown = unknownSettingName(input, known);
  if (unknown === undefined) return;
  const { key, guess } = unknown;
  const value = (input as Record<string, unknown>)[key];
  if (Object.hasOwn(replaced, key)) throw new SettingError(`${where}.${key}`, value, replaced[key]);
  throw new SettingError(
    `${where}.${key}`,
    value,
    `one of the settings ${names}${guess === null ? "" : `; did you mean ${guess}?`}`,
  );
}

/**
 * The first key of `input` that is not one of `known`'s own (a name only its prototype has, such as
 * `constructor`, is not one), with the name it most likely meant ({@linkcode closestSettingName});
 * undefined when every key is known. The one test of names behind {@linkcode checkSettingNames}
 * and the figure builders' check of their fields (lib/viz/_validate.ts), whose errors differ.
 *
 * @example
 * ```ts
 * unknownSettingName({ maxEpoch: 2 }, { maxEpochs: true });
 * // { key: "maxEpoch", guess: "maxEpochs" }
 * ```
 */
export function unknownSettingName(
  input: object,
  known: object,
): { key: string; guess: string | null } | undefined {
  const key = Object.keys(input).find((name) => !Object.hasOwn(known, name));
  return key === undefined
    ? undefined
    : { key, guess: closestSettingName(key, Object.keys(known)) };
}

/**
 * The setting a mistyped `name` most likely meant: one that differs only in case, or by at most two
 * edits (insert, delete, replace, swap two neighbours; one edit for names under 5 characters);
 * `null` when none or several are that close.
 *
 * @example
 * ```ts
 * closestSettingName("maxEpoch", ["maxEpochs", "batchSize"]); // "maxEpochs"
 * closestSettingName("epochs", ["maxEpochs", "batchSize"]); // null (3 edits)
 * ```
 */
export function closestSettingName(name: string, names: readonly string[]): string | null {
  const sameCase = names.filter((known) => known.toLowerCase() === name.toLowerCase());
  if (sameCase.length === 1) return sameCase[0];
  const limit = name.length < 5 ? 1 : 2;
  let best: string[] = [];
  let bestDistance = limit + 1;
  for (const known of names) {
    const distance = editDistance(name.toLowerCase(), known.toLowerCase());
    if (distance > limit) continue;
    if (distance < bestDistance) [best, bestDistance] = [[known], distance];
    else if (distance === bestDistance) best.push(known);
  }
  return best.length === 1 ? best[0] : null;
}

/** Optimal string alignment distance (Levenshtein plus swaps of two neighbouring letters). */
function editDistance(a: string, b: string): number {
  const rows = Array.from({ length: a.length + 1 }, (_, i) => [i, ...new Array(b.length).fill(0)]);
  for (let j = 1; j <= b.length; j++) rows[0][j] = j;
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      rows[i][j] = Math.min(rows[i - 1][j] + 1, rows[i][j - 1] + 1, rows[i - 1][j - 1] + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) {
        rows[i][j] = Math.min(rows[i][j], rows[i - 2][j - 2] + 1);
      }
    }
  }
  return rows[a.length][b.length];
}
