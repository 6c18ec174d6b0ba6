/**
 * The named systems' look-ups and checks at their edges: a name only an object's prototype has is
 * no system, withDemure takes only a Demure system and its changes win over the system's own, and
 * a hand-written spec holding another setting's name (a seed, the training) is refused.
 */
import { assert, assertEquals, assertThrows } from "@std/assert";
import {
  checkSystemSpec,
  NOISE_LEVEL_SYSTEMS,
  systemByName,
  SYSTEMS,
  type SystemSpec,
  withDemure,
} from "../../lib/experiments/systems.ts";
import { SettingError } from "../../lib/util/settings.ts";

Deno.test("systemByName: a name of Object's prototype is no system", () => {
  for (const name of ["toString", "constructor", "__proto__", "hasOwnProperty"]) {
    const error = assertThrows(() => systemByName(name));
    assert(error instanceof SettingError, `${name}: ${error}`);
    assertEquals(error.setting, "system name");
  }
});

Deno.test("withDemure: only a Demure system; the given settings win and the named system is unchanged", () => {
  for (const name of ["SASRec-MM", "CL4SRec-MM", "Pop"] as const) {
    assertEquals(
      assertThrows(() => withDemure(name, { lambda: 0.3 })).message,
      `withDemure: ${name} is not a Demure system`,
    );
  }
  const swept = withDemure("Demure-SASRec", { variant: "attribution_only", lambda: 0.3 });
  assertEquals(swept.kind === "neural" ? swept.demure : undefined, {
    variant: "attribution_only",
    lambda: 0.3,
  });
  assertEquals(SYSTEMS["Demure-SASRec"].demure, { variant: "full" });
});

Deno.test("checkSystemSpec: a setting that belongs to the cell or the training is refused in a system", () => {
  const sasrec = SYSTEMS["SASRec-MM"];
  for (const name of ["seed", "training", "model", "name", "variant", "lambda"]) {
    const error = assertThrows(() => checkSystemSpec({ ...sasrec, [name]: 1 } as SystemSpec));
    assert(error instanceof SettingError, `${name}: ${error}`);
    assertEquals(error.setting, `SystemSpec.${name}`);
  }
  for (const system of Object.values(SYSTEMS)) checkSystemSpec(system);
});

Deno.test("NOISE_LEVEL_SYSTEMS: the plain baseline first, then Demure on the same backbone", () => {
  // noiseLevelGains and the noise-level figures take the first as the baseline by default.
  const [baseline, system] = NOISE_LEVEL_SYSTEMS.map((name): SystemSpec => SYSTEMS[name]);
  assert(baseline.kind === "neural" && baseline.demure === undefined, NOISE_LEVEL_SYSTEMS[0]);
  assert(system.kind === "neural" && system.demure !== undefined, NOISE_LEVEL_SYSTEMS[1]);
  assertEquals(baseline.backbone, system.backbone);
  assertEquals(NOISE_LEVEL_SYSTEMS.length, 2);
});
