/**
 * The named systems (lib/experiments/systems.ts) where mutation round MD found behaviour no test
 * pinned: withDemure lays a sweep's change over the system's own Demure settings, which it keeps,
 * and a Demure system names its variant only.
 */
import { assertEquals } from "@std/assert";
import { SYSTEMS, type SystemSpec, withDemure } from "../../lib/experiments/systems.ts";

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

Deno.test("SYSTEMS: a Demure system states its variant alone, no hyper-parameter of its own", () => {
  // Found by mutation round MD (MD46): lambda, rho, tau and the warm-up come from the selection
  // and the plan (one home each); a value in one system's spec (even the default's) would set
  // it apart from the others, and would be caught only where that system has a record.
  for (const [name, spec] of Object.entries(SYSTEMS) as [string, SystemSpec][]) {
    if (spec.kind !== "neural" || spec.demure === undefined) continue;
    assertEquals(Object.keys(spec.demure), ["variant"], name);
  }
});
