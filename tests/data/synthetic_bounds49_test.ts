/**
 * The synthetic benchmark at its settings' extremes (session 49). A temperature near 0, or a huge
 * noiseStrength or popularitySkew, made a draw's logits infinite and its weights NaN; every history
 * then silently took the items from the last down (499, 498, 497, ...). Now refused with a
 * SettingError, and every dataset that was drawn with finite logits is drawn as before: the
 * fingerprints below were taken before the change.
 */
import { assertEquals, assertNotEquals, assertStringIncludes } from "@std/assert";
import { generateSynthetic, type SyntheticConfig } from "../../lib/data/synthetic.ts";
import { settingError } from "../_setting_error.ts";

Deno.test("synthetic: the datasets drawn with finite logits are drawn as before", () => {
  // Fingerprints of int49 (before the check).
  const before: [Partial<SyntheticConfig>, string][] = [
    [{}, "ccc4c46b1804a8c9"],
    [{ numUsers: 50, numItems: 60, historyLength: 60 }, "5847e6234df06d1e"],
    [{ numUsers: 40, popularitySkew: 0, noiseStrength: 0 }, "d59aea001ff7f0f8"],
    [{ numUsers: 40, popularitySkew: 50, temperature: 10 }, "5a91263ffdb73c7d"],
    [{ numUsers: 40, temperature: 1e-3 }, "c8dd66dc0a559cd3"],
    [{ numUsers: 40, drift: 1, missingRate: 1 }, "fac4fe02a5a3a487"],
    [{ numUsers: 40, drift: 0, missingRate: 0, noiseFraction: 1 }, "57b9ebf872b207e6"],
  ];
  for (const [config, fingerprint] of before) {
    assertEquals(generateSynthetic(config).dataset.metadata.fingerprint, fingerprint);
  }
});

/** The descending run every history took when the weights were NaN. */
const lastDown = Int32Array.of(499, 498, 497, 496, 495);

Deno.test("synthetic: logits past the largest double are refused, naming the setting out of scale", () => {
  const cases: [Partial<SyntheticConfig>, string, number][] = [
    [{ temperature: 1e-310 }, "SyntheticConfig.temperature", 1e-310],
    [{ temperature: 5e-324 }, "SyntheticConfig.temperature", 5e-324],
    [{ noiseStrength: 1e308 }, "SyntheticConfig.noiseStrength", 1e308],
    [{ popularitySkew: 1e308 }, "SyntheticConfig.popularitySkew", 1e308],
  ];
  for (const [config, setting, value] of cases) {
    const error = settingError(() => generateSynthetic({ numUsers: 3, ...config }));
    assertEquals([error.setting, error.value], [setting, value]);
    assertStringIncludes(error.message, "/ temperature + popularitySkew * ln(numItems 500)");
    assertStringIncludes(error.message, "at most 8.99e+307 (the largest logit of a draw");
  }
});

Deno.test("synthetic: extreme settings whose logits stay finite draw real histories", () => {
  const extremes: Partial<SyntheticConfig>[] = [
    { temperature: 1e-300 },
    // Without noise modalities the noise strength weighs nothing.
    { noiseStrength: 1e308, noiseFraction: 0 },
    { popularitySkew: 1e306 },
  ];
  for (const config of extremes) {
    const { dataset } = generateSynthetic({ numUsers: 3, ...config });
    assertEquals(dataset.sequences.length, 3);
    assertNotEquals(dataset.sequences[0].slice(0, 5), lastDown);
    assertEquals(new Set(dataset.sequences[0]).size, 30);
  }
});

Deno.test("synthetic: the logit bound's settings refuse what is no finite number in range", () => {
  // These rows of docs/configuration.md are no longer parsed (the bound is shared), so the
  // settings audit no longer walks their refusals: they are checked here.
  const below: Record<string, number> = { noiseStrength: -1, temperature: 0, popularitySkew: -1 };
  for (const field of ["noiseStrength", "temperature", "popularitySkew"]) {
    for (const value of [NaN, Infinity, -Infinity, "0.5", null, below[field]]) {
      const error = settingError(() => generateSynthetic({ numUsers: 3, [field]: value }));
      assertEquals([error.setting, error.value], [`SyntheticConfig.${field}`, value]);
    }
  }
  // The lower ends are accepted.
  generateSynthetic({ numUsers: 3, noiseStrength: 0, popularitySkew: 0 });
});

Deno.test("synthetic: the logit bound is half the largest double, not less", () => {
  // ln(500) = 6.21: popularitySkew 1.4e307 brings the largest logit to 8.7e307, 1.5e307 to 9.3e307.
  generateSynthetic({ numUsers: 3, popularitySkew: 1.4e307 });
  const error = settingError(() => generateSynthetic({ numUsers: 3, popularitySkew: 1.5e307 }));
  assertStringIncludes(error.message, "here 9.32e+307");
});
