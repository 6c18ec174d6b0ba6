/**
 * The Ranges tables of docs/configuration.md that the settings audits
 * (tests/train/settings_audit_test.ts) do not run, for the pure functions behind them:
 * `ContrastiveViewConfig` (`buildContrastiveViews`) and `TruthScoreConfig` (`scoreAgainstTruth`).
 * Every documented choice is accepted and every boundary case just outside (a capitalised, padded,
 * empty or plural choice, a number, null, a list) is refused with a `SettingError` naming the
 * setting, the value and every documented choice, read from the page as the audits do.
 */
import { assert, assertEquals, assertThrows } from "@std/assert";
import { scoreAgainstTruth } from "../../lib/attribution/mod.ts";
import { buildContrastiveViews } from "../../lib/demure/mod.ts";
import {
  assertRefusedAsDocumented,
  boundaryCases,
  documentedSettings,
} from "../_configuration_ranges.ts";

/** One user, one position, modalities (id, text), text the noise: the example of the comment. */
const views = (options: Record<string, unknown>) =>
  buildContrastiveViews([1, 1], Uint8Array.of(0, 1), [1, 1, 2], options as never);

const TRUTH = { modalityNames: ["text"], pointsOfInterest: Uint8Array.of(1) };

Deno.test("ContrastiveViewConfig: every documented choice is taken, the rest refused as documented", () => {
  const rows = documentedSettings("ContrastiveViewConfig");
  assertEquals(rows.map((r) => r.field), ["emptyPosition"]);
  for (const { field, allowed } of rows) {
    assert(allowed.kind === "oneOf", `${field}: ${allowed.kind}`);
    const cases = boundaryCases(allowed);
    for (const value of cases.accepted) views({ [field]: value });
    for (const value of cases.refused) {
      const error = assertThrows(() => views({ [field]: value }));
      assertRefusedAsDocumented(error, `ContrastiveViewConfig.${field}`, value, allowed);
    }
  }
  // The documented default is the one taken when the setting is left out or undefined.
  assertEquals(views({ emptyPosition: undefined }), views({ emptyPosition: "keep_one" }));
});

Deno.test("TruthScoreConfig: values outside the documented choices are refused as documented", () => {
  const rows = documentedSettings("TruthScoreConfig");
  let refusals = 0;
  for (const { field, allowed } of rows) {
    if (allowed.kind !== "oneOf") continue; // resultModalityNames: names of the result
    // null included: it was read as the default until session 50 (cf50 made it refused).
    for (const value of boundaryCases(allowed).refused) {
      const error = assertThrows(() => scoreAgainstTruth([], TRUTH, { [field]: value } as never));
      assertRefusedAsDocumented(error, `TruthScoreConfig.${field}`, value, allowed);
      refusals++;
    }
  }
  assert(refusals >= 2 * 8, `${refusals} refusals: scoreBy and level each`);
});
