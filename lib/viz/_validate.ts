/** Input checks shared by the figure builders: bad input fails loudly, naming the field. */

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
