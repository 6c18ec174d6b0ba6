/**
 * One concept, one spelling, across every settings object a researcher passes (the interfaces
 * named `...Config`, `...Options`, `...Settings` that the root and the folders' `mod.ts` export):
 * a seed is `seed` (a list of them `seeds`), an epoch cap `maxEpochs`, rows per batch
 * `batchSize`, a contrastive term's weight `lambda`, a temperature `temperature`, the processes
 * sharing a run `workers`, a duration ends in its unit, `Seconds` or `Ms`. A
 * notebook that passes `{ epochs: 5 }` or `{ tau: 0.1 }` is refused as an unknown name, so a
 * second spelling of a concept would only trip readers who learnt the first. The names that
 * break a rule and are kept (renaming them would break callers) are listed, each with its
 * reason; a new one fails here.
 */
import { assertEquals } from "@std/assert";
import { settingsInterfaces } from "./_settings_interfaces.ts";

/** Each exported settings interface's field names, by interface. */
const settingsFields = await settingsInterfaces();

/** A concept: the names that denote it, and the one spelling allowed. */
interface NameRule {
  concept: string;
  matches: RegExp;
  allowed: RegExp;
}

const RULES: readonly NameRule[] = [
  { concept: "a seed", matches: /seed/i, allowed: /^seeds?$/ },
  { concept: "an epoch cap", matches: /^(num|n|max|total)?epochs$/i, allowed: /^maxEpochs$/ },
  { concept: "rows per batch", matches: /batch.?(size|rows)$/i, allowed: /^batchSize$/ },
  { concept: "a contrastive term's weight", matches: /^(lambda|weight)$/, allowed: /^lambda$/ },
  { concept: "a temperature", matches: /^(tau|temp|temperature)$/i, allowed: /^temperature$/ },
  // As `reproduce --workers N` (session 51 renamed the plan runner's `processes`).
  {
    concept: "how many processes share the work",
    matches: /^(num|n)?(processes|procs|workers|jobs)$/i,
    allowed: /^workers$/,
  },
  {
    concept: "a duration",
    // Case matters: `numItems` ends in "ms", a `timeoutS` in a capital S.
    matches: /(seconds?|Seconds?|Secs?|Ms|Millis|Minutes|Timeout|[a-z]S)$/,
    allowed: /(Seconds|Ms)$/,
  },
];

/**
 * Names that break a rule, kept: renaming a public setting breaks every notebook and script that
 * passes it. Each is reported to the integrator (session 50).
 */
const KEPT: Readonly<Record<string, string>> = {
  "Cl4SRecConfig.weight": "the contrastive weight, `lambda` in DemureConfig; results-of-record " +
    "stores it as `weight` (the cells' settings, selected.json)",
  "ForwardOptions.dropoutSeed": "a second seed of one forward pass, beside the model's `seed`",
};

Deno.test("a concept has one spelling across the settings objects, or its exception is listed", () => {
  const broken: string[] = [];
  for (const [object, fields] of settingsFields) {
    for (const field of fields) {
      for (const { concept, matches, allowed } of RULES) {
        if (matches.test(field) && !allowed.test(field) && !(`${object}.${field}` in KEPT)) {
          broken.push(`${object}.${field}: ${concept}, spelt ${allowed}`);
        }
      }
    }
  }
  assertEquals(broken, []);
  // A listed exception that is gone (renamed, removed) is taken off the list.
  const gone = Object.keys(KEPT).filter((path) => {
    const [object, field] = path.split(".");
    return !(settingsFields.get(object) ?? []).includes(field);
  });
  assertEquals(gone, []);
});

Deno.test("the settings objects the rules read are there (a changed doc output would check none)", () => {
  for (const object of ["TrainerConfig", "BatcherConfig", "DemureConfig", "ChromiumConfig"]) {
    assertEquals(settingsFields.has(object), true, object);
  }
  assertEquals(settingsFields.get("TrainerConfig")?.includes("maxWallSeconds"), true);
});
