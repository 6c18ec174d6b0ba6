/**
 * A small seeded pseudo-random generator (mulberry32) so that every random choice in the workspace
 * is reproducible from a seed. `Math.random` is never used.
 *
 * @example
 * ```ts
 * import { createRng } from "./random.ts";
 * const rng = createRng(42);
 * rng.next(); // same value for seed 42 on every machine
 * ```
 */

/** A seeded stream of pseudo-random numbers. */
export interface Rng {
  /** Uniform in [0, 1). */
  next(): number;
  /** Uniform integer in [0, n); throws unless n is a positive integer <= 2^32. */
  int(n: number): number;
  /** Standard normal (Box-Muller). */
  normal(): number;
  /** Shuffles `values` in place (Fisher-Yates) and returns it. */
  shuffle<T>(values: T[]): T[];
  /** An independent 32-bit seed drawn from this stream (to seed a child generator). */
  seed(): number;
}

/**
 * Creates a mulberry32 generator. Any finite number is accepted as a seed (it is folded to 32 bits).
 *
 * @example
 * ```ts
 * const rng = createRng(7);
 * const order = rng.shuffle([0, 1, 2, 3]);
 * const k = rng.int(10); // 0..9
 * ```
 */
export function createRng(seed: number): Rng {
  if (!Number.isFinite(seed)) {
    throw new Error(`createRng: seed must be a finite number, got ${seed}`);
  }
  // Fold the seed (which may be fractional or larger than 32 bits) into a 32-bit state.
  let state = (Math.floor(seed) ^ Math.floor(seed / 4294967296) ^ 0x9e3779b9) >>> 0;
  const nextUint32 = (): number => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return (t ^ (t >>> 14)) >>> 0;
  };
  const next = (): number => nextUint32() / 4294967296;
  let spareNormal: number | undefined;
  return {
    next,
    int(n: number): number {
      if (!Number.isInteger(n) || n <= 0) {
        throw new Error(`Rng.int: n must be a positive integer, got ${n}`);
      }
      // One draw holds 32 bits: above 2^32 some integers of [0, n) could never be drawn.
      if (n > 4294967296) {
        throw new Error(`Rng.int: n must be at most 2^32 (one draw's 32 bits), got ${n}`);
      }
      return Math.floor(next() * n);
    },
    normal(): number {
      if (spareNormal !== undefined) {
        const value = spareNormal;
        spareNormal = undefined;
        return value;
      }
      // 1 - next() lies in (0, 1], so the logarithm is finite.
      const radius = Math.sqrt(-2 * Math.log(1 - next()));
      const angle = 2 * Math.PI * next();
      spareNormal = radius * Math.sin(angle);
      return radius * Math.cos(angle);
    },
    shuffle<T>(values: T[]): T[] {
      for (let i = values.length - 1; i > 0; i--) {
        const j = Math.floor(next() * (i + 1));
        const held = values[i];
        values[i] = values[j];
        values[j] = held;
      }
      return values;
    },
    seed: nextUint32,
  };
}

/**
 * A 32-bit seed derived from several integers by hashing them (murmur3's finaliser over a
 * running state), so nearby inputs give unrelated seeds: (run, step, layer) and (run, step + 1,
 * layer - 1) do not collide the way `run + step + layer` would. Each value is folded to 32 bits
 * as {@linkcode createRng} folds its seed.
 *
 * @example
 * ```ts
 * hashSeeds(0, 12, 3) !== hashSeeds(0, 13, 2); // true
 * createRng(hashSeeds(runSeed, step)); // one stream per (run, step)
 * ```
 */
export function hashSeeds(...values: number[]): number {
  let state = 0x9e3779b9;
  for (const value of values) {
    if (!Number.isFinite(value)) throw new Error(`hashSeeds: ${value} is not a finite number`);
    const folded = (Math.floor(value) ^ Math.floor(value / 4294967296)) >>> 0;
    state = Math.imul(state ^ folded, 0xcc9e2d51);
    state = (state << 15) | (state >>> 17);
    state = Math.imul(state, 0x1b873593);
    state ^= state >>> 16;
    state = Math.imul(state, 0x85ebca6b);
    state ^= state >>> 13;
    state = Math.imul(state, 0xc2b2ae35);
    state ^= state >>> 16;
  }
  return state >>> 0;
}
