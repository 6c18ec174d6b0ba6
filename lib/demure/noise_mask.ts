/**
 * When to (re)compute the attribution noise mask, and a per-user cache so that a mask computed on
 * one batch is reused whenever the same user's history comes back in a later batch.
 *
 * Schedule: no mask during the first `warmupSteps` training steps (plain training, so the
 * gradients mean something); afterwards a user's mask is recomputed when it is missing, when it
 * has served `everyVisits` visits (the visit that computed it included), or when the user's
 * history changed (the item ids at the stored positions differ). A batch is recomputed as a whole
 * if any of its users needs it.
 *
 * Why visits and not steps: a user's window comes back once per epoch, so an age in steps means
 * a different schedule on every dataset. The schedule was `everySteps` (default 10) until
 * 2026-12-02: on the synthetic benchmark (5 steps an epoch) that was every second visit, on
 * MovieLens (17 steps an epoch) every visit; `everyVisits` 2 and 1 are those schedules
 * (docs/performance.md, "the mask schedule in visits").
 *
 * The cache stores, per internal user id, the item id, noise flags and scores of every history
 * position (padded position index, as in `SequenceBatch`).
 *
 * @example
 * ```ts
 * const cache = new NoiseMaskCache(maxLength, numModalities, { warmupSteps: 30, everyVisits: 2 });
 * // The attribution reads from the device (asynchronously), so it runs before the cache call.
 * const fresh = cache.needsRefresh(step, batch.users, batch.items)
 *   ? await attributeModalities(lossOf, E, w, attributionConfig)
 *   : undefined;
 * const noise = cache.noiseMaskFor(step, batch.users, batch.items, () => fresh!);
 * if (noise) { const views = buildContrastiveViews(validMask, noise.noiseMask, shape, { scores: noise.scores }); }
 * ```
 *
 * @module
 */

/**
 * The schedule of a {@linkcode NoiseMaskCache}. No defaults here: the cache is Demure's mechanism,
 * and the defaults live in Demure's configuration (`DEFAULT_DEMURE_CONFIG.warmupSteps`,
 * `.everyVisits`).
 */
export interface NoiseMaskSchedule {
  /** Training steps before the first mask; a non-negative integer. */
  warmupSteps: number;
  /**
   * Visits a computed mask serves, the one that computed it included, before it is recomputed; a
   * positive integer (1 = every visit).
   */
  everyVisits: number;
}

/** A computed mask for one batch: `[batch, position, modality]` each. */
export interface BatchNoiseMask {
  /** 1 = noise. */
  noiseMask: Uint8Array;
  /** Importance of each pair (higher = more important; e.g. normalised contributions); optional. */
  scores?: Float32Array;
}

/** Counters for the run log. */
export interface NoiseMaskCacheStats {
  /** Batches whose mask was computed. */
  computed: number;
  /** Batches served from the cache. */
  reused: number;
  /** Users in the cache. */
  users: number;
}

/** One user's stored mask. */
interface UserEntry {
  /** Visits served since it was computed (the computing one included): decides the refresh. */
  uses: number;
  /** `[positions]` the history it was computed for: a changed history makes the mask stale. */
  items: Int32Array;
  /** `[positions * modalities]` noise flags (1 = noise). */
  noise: Uint8Array;
  /** `[positions * modalities]` scores; NaN when the mask came without scores. */
  scores: Float32Array;
}

/**
 * Everything a {@linkcode NoiseMaskCache} holds, as plain arrays (float32 holds the item ids,
 * visit counts and flags exactly: all are integers below 2^24), for checkpoints.
 */
export interface NoiseMaskCacheState {
  /**
   * {@linkcode NoiseMaskCacheStats.computed} at export: kept so that a resumed run's counters (in
   * the run log and the cell result) equal those of a run that was never interrupted.
   */
  computed: number;
  /** {@linkcode NoiseMaskCacheStats.reused} at export; kept for the same reason as `computed`. */
  reused: number;
  /**
   * `[users]` cache keys = keysHigh * 65536 + keysLow. A user id may exceed 2^24, above which
   * float32 (the checkpoint's storage type) no longer holds every integer, so the key is split.
   */
  keysHigh: Float32Array;
  /** `[users]` the low 16 bits of each key (see `keysHigh`); below 65536, so exact in float32. */
  keysLow: Float32Array;
  /** `[users]` visits each mask has served ({@linkcode NoiseMaskSchedule.everyVisits}). */
  uses: Float32Array;
  /** `[users, positions]` item ids the mask was computed for. */
  items: Float32Array;
  /** `[users, positions * modalities]` noise flags. */
  noise: Float32Array;
  /** `[users, positions * modalities]` scores. */
  scores: Float32Array;
}

/** The mask schedule and per-user store; see the module documentation. */
export class NoiseMaskCache {
  /** The schedule this cache follows. */
  readonly config: Readonly<NoiseMaskSchedule>;
  /** Padded history length of the batches. */
  readonly positions: number;
  /** Size of the modality axis. */
  readonly modalities: number;
  readonly #entries = new Map<number, UserEntry>();
  #computed = 0;
  #reused = 0;

  /** `positions`: padded history length; `modalities`: size of the modality axis. */
  constructor(positions: number, modalities: number, config: NoiseMaskSchedule) {
    this.config = { warmupSteps: config.warmupSteps, everyVisits: config.everyVisits };
    for (const [field, value] of Object.entries({ positions, modalities })) {
      if (!Number.isInteger(value) || value < 1) {
        throw new Error(`NoiseMaskCache: ${field} must be a positive integer, got ${value}`);
      }
    }
    const { warmupSteps, everyVisits } = this.config;
    if (!Number.isInteger(warmupSteps) || warmupSteps < 0) {
      throw new Error(
        `NoiseMaskCache: warmupSteps must be a non-negative integer, got ${warmupSteps}`,
      );
    }
    if (!Number.isInteger(everyVisits) || everyVisits < 1) {
      throw new Error(`NoiseMaskCache: everyVisits must be a positive integer, got ${everyVisits}`);
    }
    this.positions = positions;
    this.modalities = modalities;
  }

  /** True once the warm-up is over (`step` counts from 0). */
  isActive(step: number): boolean {
    return step >= this.config.warmupSteps;
  }

  /** True when the batch needs a fresh mask at `step` (see the module documentation). */
  needsRefresh(step: number, users: ArrayLike<number>, items: ArrayLike<number>): boolean {
    if (!this.isActive(step)) return false;
    this.#checkBatch(users, items);
    for (let b = 0; b < users.length; b++) {
      const entry = this.#entries.get(users[b]);
      if (entry === undefined || entry.uses >= this.config.everyVisits) return true;
      if (!this.#sameHistory(entry, items, b)) return true;
    }
    return false;
  }

  /** Stores the freshly computed mask of a batch, one entry per user row (no visit served yet). */
  store(
    users: ArrayLike<number>,
    items: ArrayLike<number>,
    mask: BatchNoiseMask,
  ): void {
    this.#checkBatch(users, items);
    const perUser = this.positions * this.modalities;
    const expected = users.length * perUser;
    if (mask.noiseMask.length !== expected) {
      throw new Error(
        `NoiseMaskCache.store: noiseMask has ${mask.noiseMask.length} entries, expected ${expected}`,
      );
    }
    if (mask.scores !== undefined && mask.scores.length !== expected) {
      throw new Error(
        `NoiseMaskCache.store: scores has ${mask.scores.length} entries, expected ${expected}`,
      );
    }
    for (let b = 0; b < users.length; b++) {
      const from = b * perUser;
      this.#entries.set(users[b], {
        uses: 0,
        items: Int32Array.from({ length: this.positions }, (_, p) => items[b * this.positions + p]),
        noise: mask.noiseMask.slice(from, from + perUser),
        scores: mask.scores?.slice(from, from + perUser) ?? new Float32Array(perUser).fill(NaN),
      });
    }
  }

  /** The stored mask of the batch; throws if a user is missing or its history changed. */
  lookup(users: ArrayLike<number>, items: ArrayLike<number>): Required<BatchNoiseMask> {
    this.#checkBatch(users, items);
    const perUser = this.positions * this.modalities;
    const noiseMask = new Uint8Array(users.length * perUser);
    const scores = new Float32Array(users.length * perUser);
    for (let b = 0; b < users.length; b++) {
      const entry = this.#entries.get(users[b]);
      if (entry === undefined) {
        throw new Error(`NoiseMaskCache.lookup: no mask stored for user ${users[b]} (row ${b})`);
      }
      if (!this.#sameHistory(entry, items, b)) {
        throw new Error(
          `NoiseMaskCache.lookup: user ${users[b]} (row ${b}) has other items than when its mask ` +
            `was stored`,
        );
      }
      noiseMask.set(entry.noise, b * perUser);
      scores.set(entry.scores, b * perUser);
    }
    return { noiseMask, scores };
  }

  /**
   * The batch's mask at `step`: undefined during the warm-up; otherwise computed with `compute`
   * (and stored) when {@linkcode needsRefresh} says so, else served from the cache.
   */
  noiseMaskFor(
    step: number,
    users: ArrayLike<number>,
    items: ArrayLike<number>,
    compute: () => BatchNoiseMask,
  ): Required<BatchNoiseMask> | undefined {
    if (!this.isActive(step)) return undefined;
    if (this.needsRefresh(step, users, items)) {
      this.store(users, items, compute());
      this.#computed++;
    } else {
      this.#reused++;
    }
    const mask = this.lookup(users, items);
    for (let b = 0; b < users.length; b++) this.#entries.get(users[b])!.uses++;
    return mask;
  }

  /** Counters for the run log. */
  stats(): NoiseMaskCacheStats {
    return { computed: this.#computed, reused: this.#reused, users: this.#entries.size };
  }

  /** The whole cache, to store in a checkpoint (entries in insertion order). */
  exportState(): NoiseMaskCacheState {
    const users = this.#entries.size;
    const perUser = this.positions * this.modalities;
    const state: NoiseMaskCacheState = {
      computed: this.#computed,
      reused: this.#reused,
      keysHigh: new Float32Array(users),
      keysLow: new Float32Array(users),
      uses: new Float32Array(users),
      items: new Float32Array(users * this.positions),
      noise: new Float32Array(users * perUser),
      scores: new Float32Array(users * perUser),
    };
    let row = 0;
    for (const [key, entry] of this.#entries) {
      if (!(key >= 0 && key < 2 ** 40) || entry.uses >= 2 ** 24) {
        throw new Error(
          `NoiseMaskCache.exportState: key ${key} outside [0, 2^40) or uses ${entry.uses} >= 2^24`,
        );
      }
      state.keysHigh[row] = Math.floor(key / 65536);
      state.keysLow[row] = key % 65536;
      state.uses[row] = entry.uses;
      state.items.set(entry.items, row * this.positions);
      state.noise.set(entry.noise, row * perUser);
      state.scores.set(entry.scores, row * perUser);
      row++;
    }
    return state;
  }

  /**
   * Replaces the cache's content by an {@linkcode exportState} of a cache of the same shape; a state
   * of other sizes, or with values no export writes, is refused naming the field, changing nothing.
   */
  importState(state: NoiseMaskCacheState): void {
    const users = state.keysHigh.length;
    const perUser = this.positions * this.modalities;
    const sizes = {
      keysLow: [state.keysLow.length, users],
      uses: [state.uses.length, users],
      items: [state.items.length, users * this.positions],
      noise: [state.noise.length, users * perUser],
      scores: [state.scores.length, users * perUser],
    };
    for (const [field, [actual, expected]] of Object.entries(sizes)) {
      if (actual !== expected) {
        throw new Error(
          `NoiseMaskCache.importState: ${field} has ${actual} entries, expected ${expected} ` +
            `(${users} users x ${this.positions} positions x ${this.modalities} modalities)`,
        );
      }
    }
    // The values too: exportState writes integers, and a checkpoint holding anything else was
    // altered. A NaN visit count would never reach everyVisits (that user's mask never refreshed),
    // a negative one served extra visits, and a noise flag of 0.5 became 0: all silently.
    const counts = { keysHigh: 2 ** 24, keysLow: 65536, uses: Infinity, items: Infinity, noise: 2 };
    for (const [field, bound] of Object.entries(counts)) {
      const values = state[field as keyof typeof counts];
      const index = values.findIndex((v) => !Number.isInteger(v) || v < 0 || v >= bound);
      if (index >= 0) {
        const range = bound === Infinity ? "a non-negative integer" : `an integer in [0, ${bound})`;
        throw new Error(
          `NoiseMaskCache.importState: ${field}[${index}] is ${values[index]}, not ${range}`,
        );
      }
    }
    this.#entries.clear();
    for (let row = 0; row < users; row++) {
      this.#entries.set(state.keysHigh[row] * 65536 + state.keysLow[row], {
        uses: state.uses[row],
        items: Int32Array.from(
          state.items.subarray(row * this.positions, (row + 1) * this.positions),
        ),
        noise: Uint8Array.from(state.noise.subarray(row * perUser, (row + 1) * perUser)),
        scores: state.scores.slice(row * perUser, (row + 1) * perUser),
      });
    }
    this.#computed = state.computed;
    this.#reused = state.reused;
  }

  #sameHistory(entry: UserEntry, items: ArrayLike<number>, row: number): boolean {
    for (let p = 0; p < this.positions; p++) {
      if (entry.items[p] !== items[row * this.positions + p]) return false;
    }
    return true;
  }

  #checkBatch(users: ArrayLike<number>, items: ArrayLike<number>): void {
    if (items.length !== users.length * this.positions) {
      throw new Error(
        `NoiseMaskCache: items has ${items.length} entries, expected ${users.length} users x ` +
          `${this.positions} positions`,
      );
    }
  }
}
