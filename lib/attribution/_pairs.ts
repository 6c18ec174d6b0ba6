/**
 * Shape checks and per-user indexing shared by the attribution modules. Private helper.
 */
import type { PairShape } from "./types.ts";

/** Number of cells of a `[batch, position, modality]` array. */
export function pairCount(shape: PairShape): number {
  return shape[0] * shape[1] * shape[2];
}

/** Number of cells of one user's `[position, modality]` block. */
export function pairsPerUser(shape: PairShape): number {
  return shape[1] * shape[2];
}

/** Throws (naming `where` and `field`) unless `values` has exactly one cell per pair of `shape`. */
export function checkPairArray(
  where: string,
  field: string,
  values: ArrayLike<number>,
  shape: PairShape,
): void {
  for (const [axis, size] of shape.entries()) {
    if (!Number.isInteger(size) || size < 0) {
      throw new Error(`${where}: shape[${axis}] must be a non-negative integer, got ${size}`);
    }
  }
  if (values.length !== pairCount(shape)) {
    throw new Error(
      `${where}: ${field} has ${values.length} entries, expected ${pairCount(shape)} for ` +
        `[batch, position, modality] = [${shape.join(", ")}]`,
    );
  }
}

/**
 * {@linkcode checkPairArray} for a valid-pair mask (as {@linkcode validPairs} makes it), whose
 * entries must each be 0 or 1: a NaN compared false with `> 0`, and the pair was dropped from the
 * normalisation, the selection or the aggregate without an error.
 */
export function checkValidMask(
  where: string,
  validMask: ArrayLike<number>,
  shape: PairShape,
): void {
  checkZeroOneMask(where, "validMask", validMask, shape);
}

/** {@linkcode checkPairArray} for a 0/1 mask (`field`: its name in errors), each entry 0 or 1. */
export function checkZeroOneMask(
  where: string,
  field: string,
  mask: ArrayLike<number>,
  shape: PairShape,
): void {
  checkPairArray(where, field, mask, shape);
  for (let i = 0; i < mask.length; i++) {
    if (mask[i] !== 0 && mask[i] !== 1) {
      throw new Error(`${where}: ${field} at flat index ${i} is ${mask[i]}; allowed: 0 or 1`);
    }
  }
}

/**
 * 1 where `mask > 0` (a valid pair: real position, modality present), else 0. `mask` holds fusion
 * weights: presence times the padding mask (0/1), or a fraction in [0, 1]. Any other value (NaN, a
 * negative or infinite weight, one above 1) can only be a bug upstream and is refused, naming
 * `where` (the caller), the flat index and the value.
 */
export function validPairs(mask: ArrayLike<number>, where = "validPairs"): Uint8Array {
  const valid = new Uint8Array(mask.length);
  for (let i = 0; i < mask.length; i++) {
    const weight = mask[i];
    // A NaN compared false with `> 0`: the pair was read as padding and its contribution zeroed.
    if (!(weight >= 0 && weight <= 1)) {
      throw new Error(
        `${where}: mask value at flat index ${i} is ${weight}; allowed: a number in [0, 1] ` +
          `(0 = padding or missing modality)`,
      );
    }
    valid[i] = weight > 0 ? 1 : 0;
  }
  return valid;
}

/** Flat indices of the valid pairs of `user`. */
export function validIndicesOfUser(
  validMask: ArrayLike<number>,
  shape: PairShape,
  user: number,
): number[] {
  const size = pairsPerUser(shape);
  const indices: number[] = [];
  for (let i = user * size; i < (user + 1) * size; i++) if (validMask[i] > 0) indices.push(i);
  return indices;
}
