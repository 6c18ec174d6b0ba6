/**
 * The named systems' look-ups and checks at their edges: a name only an object's prototype has is
 * no system, withDemure takes only a Demure system and its changes win over the system's own, and
 * a hand-written spec holding another setting's name (a seed, the training) is refused.
 */
import { assert, assertEquals, assertStringIncludes, assertThrows } from "@std/assert";
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

Deno.test("SYSTEMS: each neural system's name says its backbone, modalities and Demure variant", () => {
  // Found by mutation round JG (JG28, JG30): GRU4Rec-ID is in no plan, so a slip in its spec (or
  // in any system's the records do not hold) trained another model under the name. The names are
  // the specs' labels: "-ID" learned ids only, "GRU4Rec" the recurrent backbone, and the prefix
  // Demure's variant (none for a plain baseline).
  const variants: Record<string, string> = {
    "Demure-SASRec": "full",
    "Demure-GRU4Rec": "full",
    "AttributionOnly-SASRec": "attribution_only",
    "ContrastiveOnly-SASRec": "contrastive_only",
    "RandomInputMasks-SASRec": "random_input",
  };
  const neural = Object.entries(SYSTEMS).filter(([, spec]) => spec.kind === "neural");
  assertEquals(neural.length, 10);
  for (const [name, spec] of neural as [string, SystemSpec][]) {
    assert(spec.kind === "neural");
    assertEquals(spec.backbone, name.includes("GRU4Rec") ? "gru4rec" : "sasrec", name);
    assertEquals(spec.modalities, name.endsWith("-ID") ? "id" : "all", name);
    assertEquals(spec.demure?.variant, variants[name], name);
    assertEquals(spec.cl4srec, name === "CL4SRec-MM" ? { loss: "nt_xent" } : undefined, name);
  }
  // An unknown name is refused listing every known one.
  const error = assertThrows(() => systemByName("SASRec"), SettingError);
  assertStringIncludes(error.message, `one of ${Object.keys(SYSTEMS).join(", ")}`);
});

Deno.test("checkSystemSpec: no spec at all is a SettingError naming the kind, not a TypeError", () => {
  // Found by mutation round JG (JG25): a null or missing entry of a hand-written list read `.kind`
  // of null and failed without naming the setting.
  for (const spec of [null, undefined]) {
    const error = assertThrows(() => checkSystemSpec(spec as unknown as SystemSpec));
    assert(error instanceof SettingError, `${spec}: ${error}`);
    assertEquals(error.setting, "SystemSpec.kind");
  }
});

Deno.test("checkSystemSpec: a non-neural system holding a neural setting is refused naming it", () => {
  // Found by mutation round JG (JG24): only the neural branch's names were pinned; Pop with a
  // `demure` or a `backbone` would be reported as if it had denoised or trained anything.
  for (const system of [SYSTEMS.Pop, SYSTEMS.ItemKNN]) {
    for (const name of ["demure", "backbone", "modalities", "cl4srec"]) {
      const error = assertThrows(() => checkSystemSpec({ ...system, [name]: {} } as SystemSpec));
      assert(error instanceof SettingError, `${system.kind}.${name}: ${error}`);
      assertEquals(error.setting, `SystemSpec.${name}`);
    }
  }
});

Deno.test("checkSystemSpec: modalities other than id or all are refused, naming the allowed ones", () => {
  // Found by mutation round JG (JG27): any third value would reach the model's input builder,
  // which knows only these two.
  for (const modalities of ["mm", "text", "ID"]) {
    const spec = { ...SYSTEMS["SASRec-MM"], modalities } as unknown as SystemSpec;
    const error = assertThrows(() => checkSystemSpec(spec), SettingError) as SettingError;
    assertEquals(error.setting, "SystemSpec.modalities");
    assertStringIncludes(error.message, `"${modalities}"`);
  }
  checkSystemSpec({ ...SYSTEMS["SASRec-MM"], modalities: "id" });
});
