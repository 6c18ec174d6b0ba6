/**
 * The baselines' settings are checked as every config of the library is: a name the baseline does
 * not read, or a value out of range, is a SettingError naming the setting, before any scoring or
 * training (a typo used to run the default, silently).
 */
import { assert, assertEquals, assertThrows } from "@std/assert";
import { cl4srecAuxiliaryLoss } from "../../lib/baselines/cl4srec.ts";
import { itemKnnScorer } from "../../lib/baselines/item_knn.ts";
import { SettingError } from "../../lib/util/settings.ts";
import { cycleDataset, leaveOneOut } from "../models/_fixtures.ts";

const split = leaveOneOut(cycleDataset(4, 8, 6), 6);

function assertRefused(run: () => unknown, setting: string, value: string): void {
  const error = assertThrows(run, SettingError) as SettingError;
  assertEquals(error.setting, setting);
  assert(error.message.startsWith(`${setting} is ${value}; allowed: `), error.message);
}

Deno.test("item-kNN: an unknown setting is refused with the closest name", () => {
  assertRefused(() => itemKnnScorer(split, { windw: 2 } as never), "ItemKnnConfig.windw", "2");
  const error = assertThrows(() => itemKnnScorer(split, { windw: 2 } as never), SettingError);
  assert(error.message.endsWith("did you mean window?"), error.message);
});

Deno.test("item-kNN: values out of range are refused, naming the setting", () => {
  const cases: [Record<string, unknown>, string, string][] = [
    [{ window: 0 }, "ItemKnnConfig.window", "0"],
    [{ window: 1.5 }, "ItemKnnConfig.window", "1.5"],
    [{ historyItems: 0 }, "ItemKnnConfig.historyItems", "0"],
    [{ decay: -0.5 }, "ItemKnnConfig.decay", "-0.5"],
    [{ decay: NaN }, "ItemKnnConfig.decay", "NaN"],
    [{ shrink: -1 }, "ItemKnnConfig.shrink", "-1"],
    [{ popularityTieBreak: "false" }, "ItemKnnConfig.popularityTieBreak", '"false"'],
  ];
  for (const [input, setting, value] of cases) {
    assertRefused(() => itemKnnScorer(split, input), setting, value);
  }
  // The boundaries are allowed: one step of window, the last item alone, no decay, no shrink.
  const knn = itemKnnScorer(split, { window: 1, historyItems: 1, decay: 0, shrink: 0 });
  assertEquals(knn.numItems, 8);
});

Deno.test("CL4SRec: an unknown setting is refused with the closest name", () => {
  assertRefused(
    () => cl4srecAuxiliaryLoss({ wieght: 0.5 } as never),
    "Cl4SRecConfig.wieght",
    "0.5",
  );
  const error = assertThrows(() => cl4srecAuxiliaryLoss({ wieght: 0.5 } as never), SettingError);
  assert(error.message.endsWith("did you mean weight?"), error.message);
});

Deno.test("CL4SRec: values out of range are refused, naming the setting; the ends are allowed", () => {
  const cases: [Record<string, unknown>, string, string][] = [
    [{ cropRatio: 1.5 }, "Cl4SRecConfig.cropRatio", "1.5"],
    [{ maskRatio: -0.1 }, "Cl4SRecConfig.maskRatio", "-0.1"],
    [{ reorderRatio: 2 }, "Cl4SRecConfig.reorderRatio", "2"],
    [{ weight: -0.5 }, "Cl4SRecConfig.weight", "-0.5"],
    [{ weight: NaN }, "Cl4SRecConfig.weight", "NaN"],
  ];
  for (const [input, setting, value] of cases) {
    assertRefused(() => cl4srecAuxiliaryLoss(input), setting, value);
  }
  // Ratios of 0 and 1 (nothing cropped, masked or reordered; the whole history) and weight 0.
  for (const ratio of [0, 1]) {
    cl4srecAuxiliaryLoss({ cropRatio: ratio, maskRatio: ratio, reorderRatio: ratio, weight: 0 });
  }
});
