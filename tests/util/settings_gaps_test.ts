/**
 * The checks of lib/util/settings.ts taken alone, where a mutation round (ED) found behaviour no
 * test pinned: how a value is shown, the exclusive and non-finite edges of a range, what passes as
 * one of a list, the seed range, and which unknown setting name is reported with which guess.
 */
import { assertEquals } from "@std/assert";
import {
  checkInteger,
  checkNumber,
  checkOneOf,
  checkOptionalFunction,
  checkSettingNames,
  closestSettingName,
  SEED_RANGE,
  SettingError,
} from "../../lib/util/settings.ts";
import { settingError } from "../_setting_error.ts";

Deno.test("SettingError: a numeric text is marked as a string, an empty or blank one is not", () => {
  assertEquals(
    new SettingError("X.n", "1", "a number").message,
    'X.n is "1" (a string); allowed: a number',
  );
  // Number("") and Number(" ") are 0, but no one reads "" as a number typed as text.
  assertEquals(new SettingError("X.name", "", "a name").message, 'X.name is ""; allowed: a name');
  assertEquals(new SettingError("X.name", " ", "a name").message, 'X.name is " "; allowed: a name');
});

Deno.test("checkNumber: an exclusive upper bound refuses the bound itself", () => {
  checkNumber("AdamConfig.beta1", 0.999, { min: 0, below: 1 });
  const error = settingError(() => checkNumber("AdamConfig.beta1", 1, { min: 0, below: 1 }));
  assertEquals(error.message, "AdamConfig.beta1 is 1; allowed: a finite number >= 0 and < 1");
});

Deno.test("checkNumber: NaN and the infinities are refused even where the range has no bound to fail", () => {
  for (
    const [value, range] of [[NaN, {}], [Infinity, { min: 0 }], [-Infinity, { max: 0 }]] as const
  ) {
    settingError(() => checkNumber("X.rate", value, range));
  }
});

Deno.test("checkInteger: a fraction inside the range is still refused", () => {
  const error = settingError(() => checkInteger("TrainerConfig.batchSize", 1.5, { min: 1 }));
  assertEquals(error.allowed, "an integer >= 1");
});

Deno.test("checkOneOf: only the very string passes, not a value whose text reads as one", () => {
  checkOneOf("ModelConfig.backbone", "sasrec", ["sasrec", "gru4rec"]);
  // String(["sasrec"]) is "sasrec" and String(1) is "1".
  settingError(() => checkOneOf("ModelConfig.backbone", ["sasrec"], ["sasrec", "gru4rec"]));
  settingError(() => checkOneOf("X.level", 1, ["1", "2"]));
});

Deno.test("SEED_RANGE: every seed is an integer in [0, 2^31 - 1]", () => {
  checkInteger("seed", 2 ** 31 - 1, SEED_RANGE);
  const error = settingError(() => checkInteger("seed", 2 ** 31, SEED_RANGE));
  assertEquals(error.allowed, "an integer >= 0 and <= 2147483647");
});

Deno.test("checkSettingNames: the first unknown key is named, with its own value", () => {
  const known = { maxEpochs: true, batchSize: true };
  const error = settingError(() =>
    checkSettingNames("TrainerConfig", { maxEpoch: 2, batchSize: 8, bachSize: 9 }, known)
  );
  assertEquals([error.setting, error.value], ["TrainerConfig.maxEpoch", 2]);
});

Deno.test("checkSettingNames: a key only the prototype of `replaced` has is no retired setting", () => {
  // `constructor` is "in" every object; read as retired, its allowed text was a function's source.
  const error = settingError(() =>
    checkSettingNames("TrainerConfig", { constructor: 1 }, { maxEpochs: true }, { epochs: "x" })
  );
  assertEquals(error.allowed, "one of the settings maxEpochs");
});

Deno.test("closestSettingName: the edits are counted regardless of case", () => {
  // "Maxepoch" differs from "maxEpochs" in case and by one letter.
  assertEquals(closestSettingName("Maxepoch", ["maxEpochs", "batchSize"]), "maxEpochs");
  assertEquals(closestSettingName("BATCHSIZ", ["maxEpochs", "batchSize"]), "batchSize");
});

Deno.test("closestSettingName: a short name is no guess for a much longer setting", () => {
  // "x" is a letter changed and three added away from "seed"; alone among the names, it was guessed.
  assertEquals(closestSettingName("x", ["seed"]), null);
  assertEquals(closestSettingName("sd", ["seed"]), null);
  assertEquals(closestSettingName("batch", ["batchSizeLimit"]), null);
});

Deno.test("checkOptionalFunction: a function or undefined passes; null and other kinds are refused, naming what is allowed", () => {
  checkOptionalFunction("X.log", undefined);
  checkOptionalFunction("X.log", () => {});
  for (const value of [null, 1, "log", {}, false]) {
    const error = settingError(() => checkOptionalFunction("X.log", value, "a function of a line"));
    assertEquals([error.setting, error.value, error.allowed], [
      "X.log",
      value,
      "a function of a line",
    ]);
  }
  assertEquals(settingError(() => checkOptionalFunction("X.log", null)).allowed, "a function");
});
