/**
 * lib/demure/config.ts: what tests/train/settings_test.ts, objective_test.ts and
 * training_pass_test.ts left open (mutation round EA). Pure configuration checks: no model is
 * built, nothing is trained.
 */
import { assert, assertEquals, assertThrows } from "@std/assert";
import {
  DEFAULT_DEMURE_CONFIG,
  type DemureConfig,
  masksAreRandom,
  resolveDemureConfig,
  warmupRefusal,
} from "../../lib/demure/config.ts";
import { SettingError } from "../../lib/util/settings.ts";

/** The SettingError `input` is refused with. */
function refusal(input: Record<string, unknown>): SettingError {
  const error = assertThrows(
    () => resolveDemureConfig(input as Partial<DemureConfig>),
    SettingError,
  ) as SettingError;
  assert(error.message.includes(error.setting), error.message);
  assert(error.message.includes("allowed: " + error.allowed), error.message);
  return error;
}

Deno.test("DemureConfig: a fractional count of epochs or visits is refused with setting, value and range", () => {
  // Each is a count: 2.5 epochs of warm-up or a mask serving 1.5 visits is no schedule.
  for (
    const [setting, value, allowed] of [
      ["warmupEpochs", 2.5, "an integer >= 0"],
      ["everyVisits", 1.5, "an integer >= 1"],
    ] as const
  ) {
    const error = refusal({ [setting]: value });
    assertEquals([error.setting, error.value, error.allowed], [
      `DemureConfig.${setting}`,
      value,
      allowed,
    ]);
  }
});

Deno.test("DemureConfig: the retired everySteps says what replaced it", () => {
  const error = refusal({ everySteps: 10 });
  assertEquals([error.setting, error.value], ["DemureConfig.everySteps", 10]);
  assert(error.allowed.startsWith("none: replaced by everyVisits"), error.allowed);
});

Deno.test("DemureConfig: an attribution selection is refused with the selection as its value", () => {
  const selection = { kind: "threshold", threshold: 0 };
  const error = refusal({ attribution: { selection } });
  assertEquals([error.setting, error.value], ["DemureConfig.attribution.selection", selection]);
});

Deno.test("DemureConfig: random_input cannot take the training pass (its masks are drawn at random)", () => {
  const base = { attributionSource: "training_pass", denoiseInput: false, variant: "random_input" };
  const error = refusal(base);
  assertEquals([error.setting, error.value], ["DemureConfig.variant", "random_input"]);
  assert(error.allowed.startsWith('"full" with DemureConfig.attributionSource'), error.allowed);
  const auto = resolveDemureConfig({ denoiseInput: false, variant: "random_input" });
  assertEquals(auto.attributionSource, "separate_pass");
});

Deno.test("masksAreRandom: the two variants without attribution, not the two with", () => {
  const variants: DemureConfig["variant"][] = [
    "full",
    "attribution_only",
    "contrastive_only",
    "random_input",
  ];
  assertEquals(variants.map(masksAreRandom), [false, false, true, true]);
});

Deno.test("warmupRefusal: the run's step count refuses only a warm-up by steps", () => {
  // 10 epochs of 3 steps: a 30-step warm-up would outlast the run, but a warm-up by epochs or by
  // plateau does not count steps (warmupSteps is not read), so neither is refused for it.
  const trainer = { patience: 4, maxEpochs: 10, evalEvery: 1 };
  for (const warmupBy of ["epochs", "plateau"] as const) {
    assertEquals(
      warmupRefusal({ warmupBy, warmupEpochs: 1, warmupSteps: 30 }, trainer, 3),
      undefined,
    );
  }
  const steps = warmupRefusal({ warmupBy: "steps", warmupEpochs: 1, warmupSteps: 30 }, trainer, 3);
  assertEquals([steps?.setting, steps?.value], ["DemureConfig.warmupSteps", 30]);
});

Deno.test("warmupRefusal: a warm-up by epochs that the cap ends first names warmupEpochs, its value and the cap", () => {
  // warmupSteps is not read by a warm-up by epochs: the refusal names the setting that is in the way.
  const trainer = { patience: 10, maxEpochs: 3, evalEvery: 1 };
  const error = warmupRefusal({ warmupBy: "epochs", warmupEpochs: 3, warmupSteps: 7 }, trainer);
  assertEquals([error?.setting, error?.value], ["DemureConfig.warmupEpochs", 3]);
  assert(error?.allowed.startsWith("an integer below TrainerConfig.maxEpochs (3)"), error?.allowed);
  assertEquals(
    warmupRefusal({ warmupBy: "epochs", warmupEpochs: 2, warmupSteps: 7 }, trainer),
    undefined,
  );
});

Deno.test("DemureConfig: an attribution that is no object is a SettingError naming it, not a TypeError", () => {
  for (const attribution of [null, 5, "gradient_x_input"]) {
    const error = refusal({ attribution });
    assertEquals([error.setting, error.value], ["DemureConfig.attribution", attribution]);
  }
});

Deno.test("DemureConfig: the training pass refuses every method that is no gradient of L_rec, and auto then takes the separate pass", () => {
  const base = { attributionSource: "training_pass", denoiseInput: false };
  for (const method of ["mask_gradient", "integrated_gradients", "occlusion"]) {
    const error = refusal({ ...base, attribution: { method } });
    assertEquals([error.setting, error.value], ["DemureConfig.attribution.method", method]);
    const auto = resolveDemureConfig({ denoiseInput: false, attribution: { method } } as Partial<
      DemureConfig
    >);
    assertEquals(auto.attributionSource, "separate_pass");
  }
});

Deno.test("DemureConfig: the training pass names the variant first when the variant and denoiseInput are both in the way", () => {
  const error = refusal({
    attributionSource: "training_pass",
    variant: "attribution_only",
    denoiseInput: true,
  });
  assertEquals([error.setting, error.value], ["DemureConfig.variant", "attribution_only"]);
});

Deno.test("DEFAULT_DEMURE_CONFIG: its attribution defaults are frozen too, so no caller can change them for every later run", () => {
  assert(Object.isFrozen(DEFAULT_DEMURE_CONFIG));
  assert(Object.isFrozen(DEFAULT_DEMURE_CONFIG.attribution));
});
