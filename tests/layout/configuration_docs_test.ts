/**
 * The Ranges tables of docs/configuration.md against the code, so that the page users rely on
 * cannot drift silently: each table lists exactly the settings of its object (a setting added to
 * the code and not to the page, or a row whose setting is gone, fails), and a Default written as a
 * plain value (a number, true or false, a quoted string, a list) is the `DEFAULT_X` constant's;
 * "undefined (...)" says that the constant leaves the field out. A default in words ("cross-
 * entropy, all positions", "bottom fraction") is not read: its object's own tests hold it. The
 * allowed ranges are the validators' tests' to check (tests/train/settings_test.ts and the tests of
 * each folder), not this file's.
 */
import { assert, assertEquals } from "@std/assert";
import { DEFAULT_ATTRIBUTION_CONFIG } from "../../lib/attribution/mod.ts";
import { DEFAULT_CL4SREC_CONFIG, DEFAULT_ITEM_KNN_CONFIG } from "../../lib/baselines/mod.ts";
import {
  BEAUTY_SHAPE,
  DEFAULT_BATCHER,
  DEFAULT_K_CORE,
  DEFAULT_SPLIT,
  DEFAULT_SYNTHETIC,
  DENSE_FEATURE_CONFIG_SETTINGS,
  RECBOLE_READ_OPTION_SETTINGS,
} from "../../lib/data/mod.ts";
import { DEFAULT_CONTRASTIVE_VIEW_CONFIG, DEFAULT_DEMURE_CONFIG } from "../../lib/demure/mod.ts";
import {
  DEFAULT_ENCODER_CONFIG,
  ENCODER_CONFIG_SETTINGS,
  FUSION_CONFIG_SETTINGS,
} from "../../lib/encoders/mod.ts";
import {
  DEFAULT_CUTOFFS,
  DEFAULT_EVAL_CHUNK_SIZE,
  DEFAULT_RANKING_PROTOCOL,
  DEFAULT_SAMPLED_NEGATIVES,
  EVALUATION_CONFIG_SETTINGS,
} from "../../lib/eval/mod.ts";
import {
  DEFAULT_INFO_NCE_CONFIG,
  DEFAULT_RECOMMENDATION_LOSS,
  RECOMMENDATION_LOSS_SETTINGS,
} from "../../lib/losses/mod.ts";
import {
  DEFAULT_MODEL_CONFIG,
  GRU4REC_CONFIG_SETTINGS,
  MODEL_CONFIG_SETTINGS,
  SASREC_CONFIG_SETTINGS,
} from "../../lib/models/mod.ts";
import {
  ADAM_CONFIG_SETTINGS,
  DEFAULT_ADAM_CONFIG,
  DEFAULT_TRAINER_CONFIG,
  TRAINER_CONFIG_SETTINGS,
} from "../../lib/train/mod.ts";

/** What the code says of one documented object. */
interface Documented {
  /** Its defaults; a documented field `a.b` is looked up as `defaults.a.b`. */
  defaults: object;
  /** Every setting the table must list, nested ones as `a.b`. */
  settings: readonly string[];
  /** Fields with a plain documented default that no constant holds (the code writes it inline). */
  inline?: readonly string[];
}

const keys = (settings: object, prefix = "") => Object.keys(settings).map((k) => prefix + k);
const everyKey = (defaults: object) => ({ defaults, settings: keys(defaults) });

/** The objects whose table the page has, by the name in its heading. */
const DOCUMENTED: Readonly<Record<string, Documented>> = {
  TrainerConfig: { defaults: DEFAULT_TRAINER_CONFIG, settings: keys(TRAINER_CONFIG_SETTINGS) },
  AdamConfig: { defaults: DEFAULT_ADAM_CONFIG, settings: keys(ADAM_CONFIG_SETTINGS) },
  RecommendationLossConfig: {
    defaults: DEFAULT_RECOMMENDATION_LOSS,
    settings: keys(RECOMMENDATION_LOSS_SETTINGS),
  },
  ModelConfig: {
    defaults: DEFAULT_MODEL_CONFIG,
    settings: [
      ...keys(MODEL_CONFIG_SETTINGS).filter((k) => !["fusion", "sasrec", "gru4rec"].includes(k)),
      ...keys(FUSION_CONFIG_SETTINGS, "fusion."),
      ...keys(SASREC_CONFIG_SETTINGS, "sasrec."),
      ...keys(GRU4REC_CONFIG_SETTINGS, "gru4rec."),
    ],
  },
  EncoderConfig: { defaults: DEFAULT_ENCODER_CONFIG, settings: keys(ENCODER_CONFIG_SETTINGS) },
  InfoNceConfig: everyKey(DEFAULT_INFO_NCE_CONFIG),
  // `attribution` has a paragraph of its own below the AttributionConfig table.
  DemureConfig: {
    defaults: DEFAULT_DEMURE_CONFIG,
    settings: keys(DEFAULT_DEMURE_CONFIG).filter((k) => k !== "attribution"),
  },
  AttributionConfig: everyKey(DEFAULT_ATTRIBUTION_CONFIG),
  ContrastiveViewConfig: everyKey(DEFAULT_CONTRASTIVE_VIEW_CONFIG),
  Cl4SRecConfig: everyKey(DEFAULT_CL4SREC_CONFIG),
  ItemKnnConfig: everyKey(DEFAULT_ITEM_KNN_CONFIG),
  EvaluationConfig: {
    defaults: {
      cutoffs: DEFAULT_CUTOFFS,
      ranking: DEFAULT_RANKING_PROTOCOL,
      chunkSize: DEFAULT_EVAL_CHUNK_SIZE,
    },
    settings: keys(EVALUATION_CONFIG_SETTINGS),
    inline: ["stage"],
  },
  SampledNegativesConfig: everyKey(DEFAULT_SAMPLED_NEGATIVES),
  SyntheticConfig: everyKey(DEFAULT_SYNTHETIC),
  WorkloadShapeConfig: everyKey(BEAUTY_SHAPE),
  KCoreConfig: everyKey(DEFAULT_K_CORE),
  SplitConfig: everyKey(DEFAULT_SPLIT),
  BatcherConfig: everyKey(DEFAULT_BATCHER),
  // No constant: `requireAllItems` is read as false when absent, `dim` from the file.
  DenseFeatureConfig: {
    defaults: { requireAllItems: false },
    settings: keys(DENSE_FEATURE_CONFIG_SETTINGS),
  },
  // No constant: `requireItemFile` is read as false when absent, `name` from the path.
  RecBoleReadOptions: {
    defaults: { requireItemFile: false },
    settings: keys(RECBOLE_READ_OPTION_SETTINGS),
  },
};

/** Tables of settings whose defaults no `DEFAULT_X` constant holds (read from the environment,
 * or written where the options are read). */
const WITHOUT_CONSTANT = [
  "BackendConfig",
  "ExplainOptions",
  "AttributedHistories",
  "TruthScoreConfig",
  "RunPlanOptions",
  "CellSettings",
  "EnsureCellsOptions",
];

const page = Deno.readTextFileSync(new URL("../../docs/configuration.md", import.meta.url));
const ranges = page.slice(page.indexOf("\n## Ranges"));

/** Each `### \`Name\` ...` section of the Ranges: its table's rows as [field, default] cells. */
function documentedTables(): Map<string, [string, string][]> {
  const tables = new Map<string, [string, string][]>();
  for (const section of ranges.split(/^### /m).slice(1)) {
    const name = section.match(/^`(\w+)`/)?.[1];
    if (name === undefined) continue; // "Experiment plan": settings of the plan, not an object
    const rows = section.split("\n")
      .filter((line) => line.startsWith("| `"))
      .map((line) => line.split("|").slice(1, 3).map((cell) => cell.trim()))
      .map(([field, value]): [string, string] => [field.replaceAll("`", ""), value]);
    tables.set(name, rows);
  }
  return tables;
}

/** A plain documented default as a value, "absent" for "undefined (...)", or undefined (words). */
function plainDefault(cell: string): { value: unknown } | "absent" | undefined {
  if (/^undefined\b/.test(cell)) return "absent";
  const text = cell.replace(/^`(.*)`$/, "$1");
  if (text === "true" || text === "false") return { value: text === "true" };
  if (/^-?[0-9.]+(e-?[0-9]+)?$/.test(text)) return { value: Number(text) };
  if (/^".*"$/.test(text) || /^\[.*\]$/.test(text)) return { value: JSON.parse(text) };
  return undefined;
}

function lookUp(defaults: object, path: string): unknown {
  return path.split(".").reduce<unknown>(
    (value, key) => value === undefined ? undefined : (value as Record<string, unknown>)[key],
    defaults,
  );
}

Deno.test("every table of the Ranges is known here, so a new object's table is checked too", () => {
  const names = [...documentedTables().keys()];
  assertEquals(
    names.filter((name) => !(name in DOCUMENTED) && !WITHOUT_CONSTANT.includes(name)),
    [],
  );
  assertEquals(Object.keys(DOCUMENTED).filter((name) => !names.includes(name)), [], "no table");
});

Deno.test("each Ranges table lists exactly its object's settings", () => {
  const tables = documentedTables();
  for (const [name, { settings }] of Object.entries(DOCUMENTED)) {
    const fields = (tables.get(name) ?? []).map(([field]) => field);
    assertEquals([...fields].sort(), [...settings].sort(), `${name}: documented rows`);
  }
});

Deno.test("each plain Default of the Ranges is the code's default", () => {
  const tables = documentedTables();
  for (const [name, { defaults, inline = [] }] of Object.entries(DOCUMENTED)) {
    let compared = 0;
    for (const [field, cell] of tables.get(name) ?? []) {
      const documented = plainDefault(cell);
      if (documented === undefined || inline.includes(field)) continue;
      const code = lookUp(defaults, field);
      if (documented === "absent") {
        assertEquals(code, undefined, `${name}.${field}: documented "${cell}"`);
      } else {
        assertEquals(code, documented.value, `${name}.${field}: documented ${cell}`);
      }
      compared++;
    }
    // A table whose Default column no longer parses must not pass by checking nothing.
    assert(compared > 0, `${name}: no plain default read from its table`);
  }
});
