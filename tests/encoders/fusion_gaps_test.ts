/**
 * Gaps found by mutation round MH: ModalityFusion.apply leaves only its result on the device, on
 * every path (mean, sum, gated, projection, layer norm): it runs once per step and per view, so a
 * leaked intermediate would grow the device memory at every step.
 */
import { assertEquals, assertThrows } from "@std/assert";
import { tf } from "../../lib/backend/tf.ts";
import { initBackend } from "../../lib/backend/init_backend.ts";
import {
  type FusionConfig,
  ModalityFusion,
  validateFusionConfig,
} from "../../lib/encoders/fusion.ts";
import { SettingError } from "../../lib/util/settings.ts";
import { ParameterStore } from "../../lib/nn/parameter_store.ts";

await initBackend({ verbose: false });

Deno.test("fusion.apply: adds exactly one tensor (its result), whatever the kind and layers (MH20)", () => {
  const configs: FusionConfig[] = [
    { kind: "mean" },
    { kind: "sum" },
    { kind: "gated", projection: true, layerNorm: true },
  ];
  for (const config of configs) {
    const store = new ParameterStore(0);
    const fusion = new ModalityFusion(config, 2, store);
    const e = tf.tensor4d([[[[1, 2], [3, 4]]]]);
    const w = tf.tensor3d([[[1, 0.5]]]);
    const presence = tf.tensor3d([[[1, 1]]]);
    const before = tf.memory().numTensors;
    const fused = fusion.apply(e, w, presence);
    assertEquals(tf.memory().numTensors - before, 1, JSON.stringify(config));
    tf.dispose([fused, e, w, presence]);
    store.dispose();
  }
});

Deno.test('validateFusionConfig: a falsy flag that is not a boolean (0, "", null) is refused, not read as false (MH41, MH42)', () => {
  for (const field of ["projection", "layerNorm"] as const) {
    for (const value of [0, "", null]) {
      const config = { kind: "mean", [field]: value } as unknown as FusionConfig;
      const error = assertThrows(
        () => validateFusionConfig(config, "ModelConfig.fusion"),
        SettingError,
      );
      assertEquals(
        error.message.startsWith(`ModelConfig.fusion.${field} is `),
        true,
        error.message,
      );
    }
  }
});
