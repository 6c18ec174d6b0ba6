/** Input checks shared by the figure builders: bad input fails loudly, naming the field. */
import { type SettingNames, unknownSettingName } from "../util/settings.ts";

/**
 * Throws unless every field of `input` is one of `known`'s. A notebook cell is not type-checked,
 * and a misspelt optional field (`error` for a bar series' `errors`, `positionLabel`) was dropped
 * without a word: the figure drew without its error bars or labels.
 */
export function assertKnownFields<T extends object>(
  builder: string,
  field: string,
  input: T,
  known: SettingNames<T>,
): void {
  const unknown = unknownSettingName(input, known);
  if (unknown === undefined) return;
  const { key, guess } = unknown;
  throw new Error(
    `${builder}: ${field} has no field "${key}" (its fields: ${Object.keys(known).join(", ")}` +
      `${guess === null ? "" : `; did you mean ${guess}?`})`,
  );
}

/**
 * Throws unless `value` is absent or one of `allowed`: an unknown axis or scale was drawn as the
 * default one (a curve meant for the right axis on the left, a signed heatmap as magnitudes).
 */
export function assertOneOfOrAbsent(
  builder: string,
  field: string,
  value: unknown,
  allowed: readonly string[],
): void {
  if (value === undefined || allowed.includes(value as string)) return;
  throw new Error(
    `${builder}: ${field} is ${JSON.stringify(value)}, expected one of ` +
      `${allowed.map((name) => JSON.stringify(name)).join(", ")}`,
  );
}

/**
 * Throws unless every value is above 0: a log axis cannot place 0 or a negative value (plotly
 * drops such points without a word, and a band's lower edge with them).
 */
export function assertPositiveOnLogAxis(
  builder: string,
  field: string,
  values: ArrayLike<number>,
): void {
  for (let index = 0; index < values.length; index++) {
    if (!(values[index] > 0)) {
      throw new Error(
        `${builder}: ${field}[${index}] is ${values[index]}, expected above 0 on a log axis`,
      );
    }
  }
}

/** Throws unless every value is finite, naming the builder, field and index. */
export function assertFinite(
  builder: string,
  field: string,
  values: ArrayLike<number>,
): void {
  for (let index = 0; index < values.length; index++) {
    if (!Number.isFinite(values[index])) {
      throw new Error(
        `${builder}: ${field}[${index}] is ${values[index]}, expected a finite number`,
      );
    }
  }
}

/**
 * Throws unless `values` ascend strictly, naming the first position that does not. Out of order,
 * a line doubled back on itself (and a band's polygon crossed itself): a zigzag that looks like
 * data and is not. Check finiteness first: every comparison with NaN is false.
 */
export function assertStrictlyAscending(
  builder: string,
  field: string,
  values: ArrayLike<number>,
): void {
  for (let index = 1; index < values.length; index++) {
    if (!(values[index] > values[index - 1])) {
      throw new Error(
        `${builder}: ${field}[${index}] is ${values[index]}, after ${values[index - 1]}: ` +
          "x must ascend strictly (sort the points by x)",
      );
    }
  }
}

/** Throws unless `values` has exactly `expected` entries. */
export function assertLength(
  builder: string,
  field: string,
  values: ArrayLike<unknown>,
  expected: number,
): void {
  if (values.length !== expected) {
    throw new Error(`${builder}: ${field} has ${values.length} entries, expected ${expected}`);
  }
}
