/** Gaps in the tests of lib/experiments/summary.ts found by mutation (round AM). */
import { assertEquals } from "@std/assert";
import { describeConfig } from "../../lib/experiments/summary.ts";
import { DEFAULT_DEMURE_CONFIG } from "../../lib/demure/config.ts";

Deno.test("describeConfig: each warm-up rule in its own words, its own length", () => {
  assertEquals(
    describeConfig({ demure: { warmupBy: "steps" } }),
    `warm-up ${DEFAULT_DEMURE_CONFIG.warmupSteps} steps`,
  );
  assertEquals(
    describeConfig({ demure: { warmupBy: "steps", warmupSteps: 7 } }),
    "warm-up 7 steps",
  );
  assertEquals(
    describeConfig({ demure: { warmupBy: "epochs", warmupEpochs: 3 } }),
    "warm-up 3 epochs",
  );
  assertEquals(
    describeConfig({ demure: { warmupBy: "plateau", warmupEpochs: 2 } }),
    "warm-up until 2 epochs without gain",
  );
});

Deno.test("describeConfig: settings in order, CL4SRec's lambda and Demure's named alike, none is 'defaults'", () => {
  assertEquals(describeConfig({}), "defaults");
  assertEquals(
    describeConfig({ learningRate: 0.005, dropout: 0.3, cl4srec: { weight: 0.1, maskRatio: 0.2 } }),
    "lr 0.005, dropout 0.3, lambda 0.1, augmentation 0.2",
  );
  assertEquals(
    describeConfig({ demure: { lambda: 0.02, rho: 0.3, temperature: 0.1, denoiseInput: false } }),
    "lambda 0.02, rho 0.3, tau 0.1, L_rec on full history",
  );
  assertEquals(describeConfig({ demure: { denoiseInput: true } }), "L_rec on denoised history");
});
