/**
 * A gap a hand-run mutation pass (session 52) found in `Adam.loadState`: a moment of its
 * parameter's rank but other dimensions ([1, 2] for a [2, 2] weight) broadcasts over the gradient
 * like a moment of shape [1] does, so it is refused too; comparing ranks alone let it through.
 */
import { assertEquals, assertThrows } from "@std/assert";
import { initBackend } from "../../lib/backend/init_backend.ts";
import { DEFAULT_ADAM_CONFIG } from "../../lib/train/adam.ts";
import { adamAfterOneStep, hostTensor } from "./_adam_after_one_step.ts";

await initBackend({ verbose: false });

Deno.test("Adam.loadState refuses a moment of its parameter's rank but other dimensions", () => {
  const { store, adam } = adamAfterOneStep([2, 2], DEFAULT_ADAM_CONFIG);
  for (const [key, shape] of [["optimizer/m/w", [1, 2]], ["optimizer/v/w", [2, 1]]] as const) {
    const state = new Map([["optimizer/m/w", hostTensor([2, 2])], [key, hostTensor([...shape])]]);
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
