/**
 * lib/train/adam.ts: what tests/train/loop_parts_test.ts and settings_test.ts left open (mutation
 * round LD). No model is built: Adam over a ParameterStore of one or two weights.
 */
import { assert, assertEquals, assertThrows } from "@std/assert";
import { initBackend } from "../../lib/backend/init_backend.ts";
import { ParameterStore } from "../../lib/nn/parameter_store.ts";
import { Adam, DEFAULT_ADAM_CONFIG } from "../../lib/train/adam.ts";
import { DEFAULT_TRAINER_CONFIG } from "../../lib/train/config.ts";
import { SettingError } from "../../lib/util/settings.ts";

await initBackend({ verbose: false });

Deno.test("Adam: a clipNorm of null is refused by name, not taken as no clipping (it scaled every gradient to 0)", () => {
  const error = assertThrows(
    () => new Adam({ ...DEFAULT_ADAM_CONFIG, clipNorm: null as unknown as number }),
    SettingError,
  ) as SettingError;
  assertEquals([error.setting, error.value], ["AdamConfig.clipNorm", null]);
});

Deno.test("Adam.loadState with the parameters passes over a key that only contains optimizer/m/", () => {
  // As the loader does: a hook's tensor "hooks/optimizer/m/x" is no moment, so it is neither
  // refused as a moment of no parameter nor loaded.
  const store = new ParameterStore(0);
  store.constant("w", [2], 1);
  const adam = new Adam();
  const host = (n: number) => ({ shape: [n], data: new Float32Array(n).fill(0.1) });
  adam.loadState(
    2,
    new Map([
      ["optimizer/m/w", host(2)],
      ["optimizer/v/w", host(2)],
      ["hooks/optimizer/m/gone", host(3)],
      ["hooks/optimizer/v/w", host(5)],
    ]),
    store,
  );
  assertEquals([...adam.stateTensors().keys()], ["optimizer/m/w", "optimizer/v/w"]);
  assertEquals(adam.stateTensors().get("optimizer/m/w")!.shape, [2]);
  adam.dispose();
  store.dispose();
});

Deno.test("DEFAULT_ADAM_CONFIG and DEFAULT_TRAINER_CONFIG are frozen, so no caller can change them for every later run", () => {
  // new Adam() keeps DEFAULT_ADAM_CONFIG itself as its config; a write through adam.config
  // changed the learning rate of every later default optimizer.
  assert(Object.isFrozen(DEFAULT_ADAM_CONFIG));
  assert(Object.isFrozen(DEFAULT_TRAINER_CONFIG));
  const adam = new Adam();
  assertThrows(() => (adam.config as { learningRate: number }).learningRate = 1, TypeError);
  assertEquals(DEFAULT_ADAM_CONFIG.learningRate, 2e-3);
});

Deno.test("Adam: clipNorm has no upper bound (documented > 0): any positive norm, however large, is taken", () => {
  for (const clipNorm of [1e-6, 1e6]) {
    assertEquals(new Adam({ ...DEFAULT_ADAM_CONFIG, clipNorm }).config.clipNorm, clipNorm);
  }
});
