/**
 * A run's noise-mask cache in the `last` checkpoint: its per-user arrays as tensors named
 * `demure/<field>`, its size and counters as JSON. A resumed run serves the masks the
 * uninterrupted one would have.
 */
import type { HostTensor } from "../checkpoint/safetensors.ts";
import { NoiseMaskCache, type NoiseMaskSchedule } from "./noise_mask.ts";

/** The cache's JSON part in a checkpoint. */
export type SavedMaskCache = {
  positions: number;
  computed: number;
  reused: number;
};

const CACHE_FIELDS = ["keysHigh", "keysLow", "uses", "items", "noise", "scores"] as const;

/** Writes `cache`'s arrays into `tensors`; returns its JSON part (null: no cache yet). */
export function saveMaskCache(
  cache: NoiseMaskCache | undefined,
  tensors: Map<string, HostTensor>,
): SavedMaskCache | null {
  if (!cache) return null;
  const state = cache.exportState();
  const perUser = cache.positions * cache.modalities;
  const widths = { keysHigh: 1, keysLow: 1, uses: 1, items: cache.positions };
  for (const field of CACHE_FIELDS) {
    const width = field === "noise" || field === "scores" ? perUser : widths[field];
    tensors.set(`demure/${field}`, {
      shape: [state.keysHigh.length, width],
      data: state[field],
    });
  }
  return { positions: cache.positions, computed: state.computed, reused: state.reused };
}

/**
 * The cache a checkpoint saved (undefined when it had none); refused, naming it, when the field
 * is missing or no object, a tensor is missing, or its size or a counter is not a count (a
 * missing `computed` used to be restored as NaN, and the resumed run's `attributed` reported NaN).
 */
export function restoreMaskCache(
  saved: SavedMaskCache | null,
  tensors: ReadonlyMap<string, HostTensor>,
  modalities: number,
  schedule: NoiseMaskSchedule,
): NoiseMaskCache | undefined {
  if (saved === null) return undefined;
  // A checkpoint without the field (or with another value) is no checkpoint this code wrote:
  // refused by name, not read as "no cache yet" (a fresh cache would silently change the masks
  // the resumed run serves) nor left to a TypeError that names no field.
  if (typeof saved !== "object" || Array.isArray(saved)) {
    throw new Error(
      `Demure checkpoint state: field cache is ${JSON.stringify(saved) ?? "missing"}, ` +
        "not null or an object",
    );
  }
  for (const name of ["positions", "computed", "reused"] as const) {
    const value: unknown = saved[name];
    if (!Number.isInteger(value) || (value as number) < 0) {
      throw new Error(
        `Demure checkpoint state: field cache.${name} is ${JSON.stringify(value) ?? "missing"}, ` +
          "not a count",
      );
    }
  }
  const restored = new NoiseMaskCache(saved.positions, modalities, schedule);
  const field = (name: string) => {
    const tensor = tensors.get(`demure/${name}`);
    if (tensor === undefined) {
      throw new Error(
        `Demure checkpoint state: no tensor demure/${name}` +
          (name === "uses" && tensors.has("demure/steps")
            ? " (the checkpoint was saved when masks aged in steps, before 2026-12-02: " +
              "delete it to start the cell afresh)"
            : ""),
      );
    }
    return tensor.data;
  };
  restored.importState({
    computed: saved.computed,
    reused: saved.reused,
    keysHigh: field("keysHigh"),
    keysLow: field("keysLow"),
    uses: field("uses"),
    items: field("items"),
    noise: field("noise"),
    scores: field("scores"),
  });
  return restored;
}
