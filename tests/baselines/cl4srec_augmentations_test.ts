/**
 * `Cl4SRecConfig.augmentations` and `.similarity` (the options of `bench/cl4srec_diagnosis.ts`): a
 * view drawn from one augmentation alone is always that augmentation; the default draws among all
 * three exactly as before the option existed (one `rng.int(3)` a view, in the order crop, mask,
 * reorder); a bad list or similarity is refused naming the setting.
 */
import { assert, assertEquals, assertThrows } from "@std/assert";
import {
  augmentView,
  cl4srecAuxiliaryLoss,
  type Cl4SRecConfig,
  cropView,
  DEFAULT_CL4SREC_CONFIG,
  maskView,
  reorderView,
} from "../../lib/baselines/cl4srec.ts";
import { createRng } from "../../lib/util/random.ts";
import { SettingError } from "../../lib/util/settings.ts";

const HISTORY = Int32Array.from({ length: 20 }, (_, i) => 100 + i);
const only = (augmentation: "crop" | "mask" | "reorder"): Cl4SRecConfig => ({
  ...DEFAULT_CL4SREC_CONFIG,
  augmentations: [augmentation],
});

Deno.test("CL4SRec augmentations: one alone is the only one drawn", () => {
  const rng = createRng(5);
  for (let k = 0; k < 30; k++) {
    const crop = augmentView(HISTORY, only("crop"), rng);
    assertEquals(crop.items.length, Math.floor(0.6 * HISTORY.length));
    assert(crop.masked.every((m) => m === 0));
    const mask = augmentView(HISTORY, only("mask"), rng);
    assertEquals(mask.items, HISTORY);
    assertEquals(mask.masked.reduce((s, m) => s + m, 0), Math.floor(0.3 * HISTORY.length));
    const reorder = augmentView(HISTORY, only("reorder"), rng);
    assertEquals(reorder.items.length, HISTORY.length);
    assertEquals([...reorder.items].sort(), [...HISTORY].sort());
    assert(reorder.masked.every((m) => m === 0));
  }
});

Deno.test("CL4SRec augmentations: the default draws crop, mask, reorder as rng.int(3) picks them", () => {
  const drawn = createRng(11);
  const expected = createRng(11);
  for (let k = 0; k < 60; k++) {
    const view = augmentView(HISTORY, DEFAULT_CL4SREC_CONFIG, drawn);
    const choice = expected.int(3);
    const by = choice === 0
      ? cropView(HISTORY, DEFAULT_CL4SREC_CONFIG.cropRatio, expected)
      : choice === 1
      ? maskView(HISTORY, DEFAULT_CL4SREC_CONFIG.maskRatio, expected)
      : reorderView(HISTORY, DEFAULT_CL4SREC_CONFIG.reorderRatio, expected);
    assertEquals(view, by);
  }
});

Deno.test("CL4SRec augmentations and similarity: bad values are refused, naming the setting", () => {
  const bad: [Partial<Cl4SRecConfig>, string][] = [
    [{ augmentations: [] }, "Cl4SRecConfig.augmentations"],
    [{ augmentations: ["crop", "crop"] }, "Cl4SRecConfig.augmentations"],
    [
      { augmentations: ["shuffle"] as unknown as Cl4SRecConfig["augmentations"] },
      "Cl4SRecConfig.augmentations",
    ],
    [
      { similarity: "euclid" as unknown as Cl4SRecConfig["similarity"] },
      "Cl4SRecConfig.similarity",
    ],
  ];
  for (const [config, setting] of bad) {
    assertThrows(() => cl4srecAuxiliaryLoss(config), SettingError, setting);
  }
});
