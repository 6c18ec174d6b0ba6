/**
 * A gap a hand-run mutation pass (session 52) found in `Adam.loadState`: a moment of its
 * parameter's rank but other dimensions ([1, 2] for a [2, 2] weight) broadcasts over the gradient
 * like a moment of shape [1] does, so it is refused too; comparing ranks alone let it through.
 */
import { assertEquals, assertThrows } from "@std/assert";
import { tf } from "../../lib/backend/tf.ts";
import { initBackend } from "../../lib/backend/init_backend.ts";
import { ParameterStore } from "../../lib/nn/parameter_store.ts";
import { Adam, DEFAULT_ADAM_CONFIG } from "../../lib/train/adam.ts";

await initBackend({ verbose: false });

Deno.test("Adam.loadState refuses a moment of its parameter's rank but other dimensions", () => {
  const store = new ParameterStore(0);
  store.constant("w", [2, 2], 1);
  const adam = new Adam(DEFAULT_ADAM_CONFIG);
  const gradient = tf.tensor2d([[0.5, 0.5], [0.5, 0.5]]);
  adam.apply(store, new Map([["w", gradient]]), 1);
  gradient.dispose();
  const host = (shape: number[]) => ({
    shape,
    data: new Float32Array(shape.reduce((a, b) => a * b, 1)).fill(0.1),
  });
  for (const [key, shape] of [["optimizer/m/w", [1, 2]], ["optimizer/v/w", [2, 1]]] as const) {
    const state = new Map([["optimizer/m/w", host([2, 2])], [key, host([...shape])]]);
    assertThrows(
      () => adam.loadState(3, state, store),
      Error,
      `Adam.loadState: moment "${key}" has shape [${shape}], its parameter [2,2]`,
    );
    // Refused before anything changed.
    assertEquals([adam.step, adam.stateTensors().size], [1, 2]);
  }
  adam.dispose();
  store.dispose();
});
