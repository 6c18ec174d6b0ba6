/**
 * `TruthScoreConfig` fills its defaults by the rule of every configuration object
 * (docs/configuration.md): a setting left out or given as `undefined` takes
 * `DEFAULT_TRUTH_SCORE_CONFIG`'s value, and `null` is a value, refused with a `SettingError` naming
 * the setting, the value and what is allowed. `{ level: null }` scored at "pair" and
 * `{ resultModalityNames: null }` read the truth's modalities, silently.
 */
import { assertEquals, assertStringIncludes } from "@std/assert";
import { DEFAULT_TRUTH_SCORE_CONFIG, scoreAgainstTruth } from "../../lib/attribution/mod.ts";
import type { PairShape } from "../../lib/attribution/types.ts";
import type { PlantedTruth } from "../../lib/data/types.ts";
import { settingError } from "../_setting_error.ts";
import { resultOfValues } from "./_toy_results.ts";

// [batch 2, position 2, modality 2], every pair valid; user 1's scores rank otherwise per pair.
const SHAPE: PairShape = [2, 2, 2];
const SCORES = Float32Array.of(1, -1, 2, -2, 0.5, -0.5, -1.5, 1.5);
const VALID = new Uint8Array(8).fill(1);
const result = resultOfValues(SCORES, SCORES, VALID, Uint8Array.of(0, 1, 0, 1, 0, 1, 1, 0), SHAPE);
const batches = [{ result, users: [0, 1] }];
const TRUTH: PlantedTruth = {
  modalityNames: ["a", "b"],
  pointsOfInterest: Uint8Array.of(1, 0, 1, 0),
};

Deno.test("TruthScoreConfig: null is refused for every setting, naming it, the value and the choices", () => {
  const cases: [string, string][] = [
    ["scoreBy", 'one of "normalised", "contributions"'],
    ["level", 'one of "pair", "user_modality"'],
    ["resultModalityNames", "a list of modality names"],
  ];
  for (const [field, allowed] of cases) {
    const error = settingError(() => scoreAgainstTruth(batches, TRUTH, { [field]: null } as never));
    assertEquals(error.setting, `TruthScoreConfig.${field}`);
    assertEquals(error.value, null);
    assertEquals(error.allowed, allowed);
    assertStringIncludes(error.message, `TruthScoreConfig.${field} is null; allowed: ${allowed}`);
  }
});

Deno.test("TruthScoreConfig: left out or undefined is the default, DEFAULT_TRUTH_SCORE_CONFIG", () => {
  assertEquals(DEFAULT_TRUTH_SCORE_CONFIG, { scoreBy: "normalised", level: "pair" });
  const explicit = scoreAgainstTruth(batches, TRUTH, {
    ...DEFAULT_TRUTH_SCORE_CONFIG,
    resultModalityNames: TRUTH.modalityNames,
  });
  assertEquals(explicit.level, "pair");
  assertEquals(explicit.units, 8);
  assertEquals(scoreAgainstTruth(batches, TRUTH), explicit);
  assertEquals(
    scoreAgainstTruth(batches, TRUTH, {
      scoreBy: undefined,
      level: undefined,
      resultModalityNames: undefined,
    }),
    explicit,
  );
  // The other level differs, so that the default above is seen to be taken.
  assertEquals(scoreAgainstTruth(batches, TRUTH, { level: "user_modality" }).units, 4);
});
