/**
 * withDemure (lib/experiments/systems.ts) where mutation round MD found behaviour no test pinned:
 * a sweep's change is laid over the system's own Demure settings, which it keeps.
 */
import { assertEquals } from "@std/assert";
import { withDemure } from "../../lib/experiments/systems.ts";

Deno.test("withDemure: a sweep's setting keeps the system's own Demure variant", () => {
  // Found by mutation round MD (MD42): the sensitivity sweeps give lambda, rho or tau only; a
  // swept Demure-GRU4Rec or an ablation that lost its variant would train the library's default.
  for (
    const [name, variant] of [
      ["Demure-GRU4Rec", "full"],
      ["AttributionOnly-SASRec", "attribution_only"],
      ["RandomInputMasks-SASRec", "random_input"],
    ] as const
  ) {
    const swept = withDemure(name, { lambda: 0.3 });
    assertEquals(swept.kind === "neural" ? swept.demure : undefined, { variant, lambda: 0.3 });
  }
});
