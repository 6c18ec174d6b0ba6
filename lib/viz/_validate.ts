/** Input checks shared by the figure builders: bad input fails loudly, naming the field. */

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
