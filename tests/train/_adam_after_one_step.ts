/**
 * An Adam that has taken one step on a weight "w" of ones, and the host tensors its `loadState`
 * reads: the setup of the tests of what `loadState` refuses (loop_parts_test.ts and
 * adam_mutants52_test.ts each wrote it out).
 */
import { tf } from "../../lib/backend/tf.ts";
import { ParameterStore } from "../../lib/nn/parameter_store.ts";
import { Adam, type AdamConfig } from "../../lib/train/adam.ts";

/** A store with "w" of `shape` (all ones) and an Adam of `config` after one step on it. */
export interface AdamAfterOneStep {
  /** The parameters: "w" only. */
  store: ParameterStore;
  /** Step 1, its two moments of "w" held. */
  adam: Adam;
}

/**
 * "w" of `shape`, all ones, updated once by an Adam of `config` with a gradient of 0.5 everywhere
 * (its global norm given as it is). Dispose both when done.
 */
export function adamAfterOneStep(shape: number[], config: AdamConfig): AdamAfterOneStep {
  const store = new ParameterStore(0);
  store.constant("w", shape, 1);
  const adam = new Adam(config);
  const size = shape.reduce((a, b) => a * b, 1);
  const gradient = tf.fill(shape, 0.5);
  adam.apply(store, new Map([["w", gradient]]), 0.5 * Math.sqrt(size));
  gradient.dispose();
  return { store, adam };
}

/** A saved moment (or weight) of `shape` as `loadState` reads it: every value `value`. */
export function hostTensor(shape: number[], value = 0.1): { shape: number[]; data: Float32Array } {
  return { shape, data: new Float32Array(shape.reduce((a, b) => a * b, 1)).fill(value) };
}
