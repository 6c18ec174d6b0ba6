/**
 * When Demure's warm-up ends, for a warm-up by epochs or by a validation plateau: the trainer's
 * progress at each epoch's end decides it (a warm-up by steps is the mask schedule's, and is over
 * here from the start). Travels with the `last` checkpoint.
 */
import type { EpochProgress } from "../train/progress.ts";
import type { DemureConfig } from "./config.ts";

/** The warm-up as a checkpoint holds it (JSON). */
export type SavedWarmup = {
  endedAfterEpoch: number | null;
  epochsWithoutGain: number;
};

/** A run's warm-up: over, or counting epochs (or epochs without a validation gain). */
export class Warmup {
  readonly #config: Pick<DemureConfig, "warmupBy" | "warmupEpochs">;
  #endedAfterEpoch: number | undefined;
  #epochsWithoutGain = 0;

  constructor(config: Pick<DemureConfig, "warmupBy" | "warmupEpochs">) {
    this.#config = config;
    if (config.warmupBy === "epochs" && config.warmupEpochs === 0) this.#endedAfterEpoch = 0;
  }

  /** Whether Demure is on (a warm-up by steps: the mask schedule decides, so always). */
  get over(): boolean {
    return this.#config.warmupBy === "steps" || this.#endedAfterEpoch !== undefined;
  }

  /** The 1-based epoch after which the warm-up ended (0: before the first); undefined if not. */
  get endedAfterEpoch(): number | undefined {
    return this.#endedAfterEpoch;
  }

  /** Counts an ended epoch; ends the warm-up after `warmupEpochs` epochs (or without a gain). */
  afterEpoch(progress: EpochProgress): void {
    if (this.over) return;
    if (progress.validation !== undefined) {
      this.#epochsWithoutGain = progress.improved ? 0 : this.#epochsWithoutGain + 1;
    }
    const over = this.#config.warmupBy === "epochs"
      ? progress.epoch >= this.#config.warmupEpochs
      : this.#epochsWithoutGain >= this.#config.warmupEpochs;
    if (over) this.#endedAfterEpoch = progress.epoch;
  }

  /** The warm-up for a checkpoint. */
  saved(): SavedWarmup {
    return {
      endedAfterEpoch: this.#endedAfterEpoch ?? null,
      epochsWithoutGain: this.#epochsWithoutGain,
    };
  }

  /**
   * Whether the warm-up is over once `saved` is restored, changing nothing; refuses a checkpoint
   * without the warm-up state that a warm-up by epochs or plateau needs, and a state whose field
   * is missing or not a count (read before as 0, or as a warm-up not over). A checkpoint's other
   * checks call it before they change anything, so that a refused one leaves the run as it was.
   */
  overWith(saved: SavedWarmup | undefined): boolean {
    if (saved === undefined && this.#config.warmupBy !== "steps") {
      throw new Error(
        "Demure checkpoint state: no warm-up state for warmupBy " + this.#config.warmupBy,
      );
    }
    if (saved !== undefined) checkSavedWarmup(saved);
    return this.#config.warmupBy === "steps" || (saved?.endedAfterEpoch ?? null) !== null;
  }

  /** The warm-up of a checkpoint; refused ({@linkcode overWith}) before anything is set. */
  restore(saved: SavedWarmup | undefined): void {
    // Checked first: the refusal used to come after both fields were set, half-restoring them.
    this.overWith(saved);
    this.#endedAfterEpoch = saved?.endedAfterEpoch ?? undefined;
    this.#epochsWithoutGain = saved?.epochsWithoutGain ?? 0;
  }
}

/**
 * Refuses a saved warm-up whose `endedAfterEpoch` is neither null nor a count, or whose
 * `epochsWithoutGain` is not a count, naming the field: `restore` would read a missing count as 0
 * (a plateau resumed mid-count then ends late) and a missing end as a warm-up not over.
 */
function checkSavedWarmup(saved: SavedWarmup): void {
  const { endedAfterEpoch, epochsWithoutGain }: Record<string, unknown> = saved;
  const isCount = (value: unknown) => Number.isInteger(value) && (value as number) >= 0;
  const refusal = (name: string, value: unknown, expected: string) =>
    new Error(
      `Demure checkpoint state: field warmup.${name} is ${JSON.stringify(value) ?? "missing"}, ` +
        `not ${expected}`,
    );
  if (endedAfterEpoch !== null && !isCount(endedAfterEpoch)) {
    throw refusal("endedAfterEpoch", endedAfterEpoch, "null or a count");
  }
  if (!isCount(epochsWithoutGain)) throw refusal("epochsWithoutGain", epochsWithoutGain, "a count");
}
