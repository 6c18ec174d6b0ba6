/**
 * The doc comments a researcher reads in the editor (what `deno doc` shows of the root `mod.ts`
 * and of each folder's `mod.ts`) against the code: a default a field's comment states as a value
 * ("Default 128", "(default `"all"`)", "Default {@linkcode DEFAULT_EVAL_CHUNK_SIZE} (256)") is the
 * `DEFAULT_X` constant's, and a range it states ("integer >= 1", "In [0, 1)", "> 0 and <= 10") is
 * the one of docs/configuration.md's Ranges table for that field, whose every end the settings
 * audits (tests/train/settings_audit_test.ts) run through the validators. The comments are read
 * from `deno doc --json`, so a comment or a constant that changes later fails here. A default
 * stated in words ("Default: dim") is listed below, so that a new one is seen.
 */
import { assert, assertEquals } from "@std/assert";
import { type Allowed, documentedSettings } from "../_configuration_ranges.ts";
import { docJson, folderExports, folderModules, root } from "./_doc_examples.ts";

/** Every export of every folder's `mod.ts`, by name (the constants a comment links to). */
const exported = await folderExports();
const modules = ["mod.ts", ...folderModules()];
const constant = (name: string): unknown => {
  assert(name in exported, `${name}: no folder's mod.ts exports it`);
  return exported[name];
};

/** The configuration objects whose defaults a constant holds, by interface name. */
const DEFAULTS: Readonly<Record<string, object>> = {
  TrainerConfig: constant("DEFAULT_TRAINER_CONFIG") as object,
  AdamConfig: constant("DEFAULT_ADAM_CONFIG") as object,
  RecommendationLossConfig: constant("DEFAULT_RECOMMENDATION_LOSS") as object,
  ModelConfig: constant("DEFAULT_MODEL_CONFIG") as object,
  SasRecConfig: constant("DEFAULT_SASREC_CONFIG") as object,
  Gru4RecConfig: constant("DEFAULT_GRU4REC_CONFIG") as object,
  FusionConfig: constant("DEFAULT_FUSION_CONFIG") as object,
  EncoderConfig: constant("DEFAULT_ENCODER_CONFIG") as object,
  InfoNceConfig: constant("DEFAULT_INFO_NCE_CONFIG") as object,
  DemureConfig: constant("DEFAULT_DEMURE_CONFIG") as object,
  AttributionConfig: constant("DEFAULT_ATTRIBUTION_CONFIG") as object,
  ContrastiveViewConfig: constant("DEFAULT_CONTRASTIVE_VIEW_CONFIG") as object,
  Cl4SRecConfig: constant("DEFAULT_CL4SREC_CONFIG") as object,
  ItemKnnConfig: constant("DEFAULT_ITEM_KNN_CONFIG") as object,
  // No one constant: `stage` is read as "test" when absent (validateEvaluationConfig says so).
  EvaluationConfig: {
    stage: "test",
    cutoffs: constant("DEFAULT_CUTOFFS"),
    ranking: constant("DEFAULT_RANKING_PROTOCOL"),
    chunkSize: constant("DEFAULT_EVAL_CHUNK_SIZE"),
  },
  SampledNegativesConfig: constant("DEFAULT_SAMPLED_NEGATIVES") as object,
  SyntheticConfig: constant("DEFAULT_SYNTHETIC") as object,
  WorkloadShapeConfig: constant("BEAUTY_SHAPE") as object,
  KCoreConfig: constant("DEFAULT_K_CORE") as object,
  SplitConfig: constant("DEFAULT_SPLIT") as object,
  BatcherConfig: constant("DEFAULT_BATCHER") as object,
  TruthScoreConfig: constant("DEFAULT_TRUTH_SCORE_CONFIG") as object,
  ExplainOptions: constant("DEFAULT_EXPLAIN_OPTIONS") as object,
  // Less the machine's: `executable` ($DEMURE_CHROMIUM) and, of the lab, port, token and Python.
  ChromiumConfig: constant("DEFAULT_CHROMIUM_CONFIG") as object,
  LabServerConfig: constant("DEFAULT_LAB_SERVER_CONFIG") as object,
  FigurePngOptions: constant("DEFAULT_FIGURE_PNG_OPTIONS") as object,
};

/**
 * Fields whose comment states the default in words (or points to where it is described), which
 * this test does not read: each is held by its object's own tests or by the Ranges table.
 */
const IN_WORDS: readonly string[] = [
  "AttributionConfig.selection", // "bottom fraction `rho` = {@linkcode DEFAULT_NOISE_FRACTION}"
  "DemureConfig.attribution", // "gradient x input, z-score, noise chosen per (user, modality)"
  "EncoderConfig.embeddingStd", // "default 1/sqrt(dim)"
  "EncoderConfig.modalities", // "default all of the dataset's"
  "EvaluationConfig.loss", // "Default unstated"
  "EvaluationConfig.seed", // "Default unstated"
  "EvaluationConfig.users", // "Default all."
  "ModelConfig.modalities", // "default undefined = all of the dataset's"
  "SasRecConfig.feedForwardDim", // "Default: dim."
  "SyntheticConfig.modalities", // "default image/text/audio/tags, dim 16 each"
  "TrainerConfig.loss", // "Default cross-entropy over all items, all positions."
  "TrainerConfig.maxBatchesPerEpoch", // "default undefined = all"
  "WorkloadShapeConfig.modalities", // "Default image, text 64-d."
  "Cl4SRecConfig.augmentations", // "Default all three (CL4SRec's)"
  "ChromiumConfig.executable", // "Default: `$DEMURE_CHROMIUM`, else `/usr/bin/chromium`"
  "LabServerConfig.port", // "Default: the first free port of `portRange`"
  "LabServerConfig.python", // "Default: `$DEMURE_JUPYTER_PYTHON` or `/usr/bin/python3`"
  "FigurePngOptions.chromium", // "Default: the defaults of {@linkcode ChromiumConfig}."
];

interface Property {
  name: string;
  doc: string;
}

/** Each interface the modules export, by name: its properties and their comments. */
async function documentedInterfaces(): Promise<Map<string, Property[]>> {
  const nodes = await docJson(modules);
  const interfaces = new Map<string, Property[]>();
  for (const module of Object.values(nodes)) {
    for (const symbol of (module as { symbols: DocSymbol[] }).symbols) {
      for (const declaration of symbol.declarations) {
        if (declaration.kind !== "interface" || interfaces.has(symbol.name)) continue;
        interfaces.set(
          symbol.name,
          (declaration.def?.properties ?? []).map((p) => ({
            name: p.name,
            doc: p.jsDoc?.doc ?? "",
          })),
        );
      }
    }
  }
  return interfaces;
}

interface DocSymbol {
  name: string;
  declarations: {
    kind: string;
    def?: { properties?: { name: string; jsDoc?: { doc?: string } }[] };
  }[];
}

const interfaces = await documentedInterfaces();

/** What a comment says of its field's default. */
type StatedDefault =
  | { kind: "value"; value: unknown; text: string }
  | { kind: "absent"; text: string }
  | { kind: "words"; text: string }
  | { kind: "none" };

const NUMBER = String.raw`-?\d[\d,]*(?:\.\d+)?(?:e-?\d+)?`;

/**
 * The default a comment states: the text after its first "default" (any case, an optional
 * colon), read as a number (`22,363`, `2e-3`), true or false, a quoted or backticked string, a
 * list, "undefined", or a `{@linkcode X}` (X's value; a number in parentheses after it must be X
 * too). Anything else is words.
 */
function statedDefault(doc: string): StatedDefault {
  // `"all"` (default: ...): the value named before the word.
  const before = /`"([^"`]*)"` \(default\b/.exec(doc);
  if (before) return { kind: "value", value: before[1], text: before[0] };
  const match = /\bdefault\b:?\s*([^\n]*(?:\n[^\n]*)?)/i.exec(doc);
  if (match === null) return { kind: "none" };
  const text = match[1].replace(/\s+/g, " ").trim();
  const link = /^\{@linkcode (\w+)\}(?: \((NUMBER)\))?/.source.replace("NUMBER", NUMBER);
  const linked = new RegExp(link).exec(text);
  if (linked) {
    const value = constant(linked[1]);
    if (linked[2] !== undefined) {
      assertEquals(value, Number(linked[2].replaceAll(",", "")), `"${text}": the link's value`);
    }
    return { kind: "value", value, text };
  }
  const end = String.raw`(?=$|[\s.;:,)])`;
  const number = new RegExp(`^(${NUMBER})${end}`).exec(text);
  if (number) return { kind: "value", value: Number(number[1].replaceAll(",", "")), text };
  const plain = text.replace(/^`([^`]*)`/, "$1");
  const flag = new RegExp(`^(true|false)${end}`).exec(plain);
  if (flag) return { kind: "value", value: flag[1] === "true", text };
  if (new RegExp(`^undefined${end}`).test(plain) && !/^undefined =/.test(plain)) {
    return { kind: "absent", text };
  }
  const quoted = /^"([^"]*)"/.exec(plain) ?? /^`([a-z_]+)`/.exec(text);
  if (quoted) return { kind: "value", value: quoted[1], text };
  const list = /^\[[^\]]*\]/.exec(plain);
  if (list) return { kind: "value", value: JSON.parse(list[0]), text };
  return { kind: "words", text };
}

Deno.test("statedDefault reads the forms the comments use, and only those", () => {
  const value = (doc: string) => {
    const stated = statedDefault(doc);
    return stated.kind === "value" ? stated.value : stated.kind;
  };
  assertEquals(value("Rows per batch (default 128), an integer >= 1."), 128);
  assertEquals(value("Default 22,363 (Amazon Beauty, 5-core)."), 22363);
  assertEquals(value("> 0 and <= 10. Default 2e-3."), 2e-3);
  assertEquals(value("Default 1.0 (CL4SRec)."), 1);
  assertEquals(value("Shuffle users each epoch (default true); false keeps user order."), true);
  assertEquals(value('Which parts (default `"all"`): ...'), "all");
  assertEquals(value("Attribution method (default `gradient_x_input`)."), "gradient_x_input");
  assertEquals(value('`"valid"` or `"test"`. Default "test".'), "test");
  assertEquals(value("Distinct integers K >= 1. Default [5, 10, 20]."), [5, 10, 20]);
  assertEquals(value('`"auto"` (default: the training pass where supported)'), "auto");
  assertEquals(value("Default undefined (none)."), "absent");
  assertEquals(value("Cap, integer >= 1; default undefined = all."), "words");
  assertEquals(value("Default: dim."), "words");
  assertEquals(value("Seed of the draw."), "none");
  assertEquals(value("Users per chunk. Default {@linkcode DEFAULT_EVAL_CHUNK_SIZE}."), 256);
  let thrown = false;
  try {
    statedDefault("Users per chunk. Default {@linkcode DEFAULT_EVAL_CHUNK_SIZE} (512).");
  } catch {
    thrown = true;
  }
  assert(thrown, "a linked constant whose value the comment misstates is refused");
});

function lookUp(defaults: object, field: string): unknown {
  return (defaults as Record<string, unknown>)[field];
}

Deno.test("every configuration object's fields are documented, and a default stated as a value is the code's", () => {
  const wrong: string[] = [];
  const words: string[] = [];
  let compared = 0;
  for (const [name, defaults] of Object.entries(DEFAULTS)) {
    const properties = interfaces.get(name);
    assert(properties !== undefined, `${name}: no folder's mod.ts exports the interface`);
    // Each field of the defaults (every setting with a default) has its comment.
    for (const field of Object.keys(defaults)) {
      const property = properties.find((p) => p.name === field);
      assert(property !== undefined && property.doc !== "", `${name}.${field}: no doc comment`);
    }
    for (const { name: field, doc } of properties) {
      const stated = statedDefault(doc);
      const code = lookUp(defaults, field);
      if (stated.kind === "words") words.push(`${name}.${field}`);
      // A setting with a default says what it is (BatcherConfig.seed did not).
      if (stated.kind === "none" && field in defaults) {
        wrong.push(`${name}.${field}: the comment states no default (the code's: ${code})`);
      }
      if (stated.kind === "absent" && code !== undefined) {
        wrong.push(`${name}.${field}: the comment says "${stated.text}", the code ${code}`);
      }
      if (stated.kind !== "value") continue;
      compared++;
      if (JSON.stringify(code) !== JSON.stringify(stated.value)) {
        wrong.push(
          `${name}.${field}: the comment says "${stated.text}", the code ${JSON.stringify(code)}`,
        );
      }
    }
  }
  assertEquals(wrong, []);
  assertEquals(words.sort(), [...IN_WORDS].sort(), "defaults stated in words");
  assert(compared >= 90, `only ${compared} documented defaults compared`);
});

/** The documented objects whose fields another object's Ranges table lists, under a prefix. */
const RANGES_TABLE: Readonly<Record<string, [table: string, prefix: string]>> = {
  SasRecConfig: ["ModelConfig", "sasrec."],
  Gru4RecConfig: ["ModelConfig", "gru4rec."],
  FusionConfig: ["ModelConfig", "fusion."],
  // One table of several objects, whose heading names none: its rows are qualified.
  ChromiumConfig: ["### Runners and the browser", "ChromiumConfig."],
  LabServerConfig: ["### Runners and the browser", "LabServerConfig."],
  FigurePngOptions: ["### Runners and the browser", "FigurePngOptions."],
};

/** A range a comment states, as its ends. */
interface StatedRange {
  text: string;
  integer: boolean;
  low?: { value: number; inclusive: boolean };
  high?: { value: number; inclusive: boolean };
}

const END = String.raw`(2\^\d+ - 1|2\^\d+|-?\d+(?:\.\d+)?(?:e-?\d+)?)`;

function endValue(text: string): number {
  const power = /^2\^(\d+)( - 1)?$/.exec(text);
  return power ? 2 ** Number(power[1]) - (power[2] ? 1 : 0) : Number(text);
}

/**
 * The range a comment states: `>= a`, `> a`, `>= a and <= b` (after "integer" or not), or an
 * interval `in [a, b)`, `in (a, b]`. Undefined when it states none.
 */
function statedRange(doc: string): StatedRange | undefined {
  const text = doc.replace(/\s+/g, " ");
  const interval = new RegExp(String.raw`\b[Ii]n ([\[(])${END}, ${END}([\])])`).exec(text);
  if (interval) {
    return {
      text: interval[0],
      integer: /\binteger\b/.test(text),
      low: { value: endValue(interval[2]), inclusive: interval[1] === "[" },
      high: { value: endValue(interval[3]), inclusive: interval[4] === "]" },
    };
  }
  const bounds = new RegExp(`(>=|>) ${END}(?: and (<=|<) ${END})?`).exec(text);
  if (!bounds) return undefined;
  return {
    text: bounds[0],
    integer: /\b[Ii]ntegers?\b/.test(text),
    low: { value: endValue(bounds[2]), inclusive: bounds[1] === ">=" },
    ...(bounds[3] ? { high: { value: endValue(bounds[4]), inclusive: bounds[3] === "<=" } } : {}),
  };
}

Deno.test("statedRange reads the ranges the comments state", () => {
  assertEquals(statedRange("In [0, 1). Default 0.9."), {
    text: "In [0, 1)",
    integer: false,
    low: { value: 0, inclusive: true },
    high: { value: 1, inclusive: false },
  });
  assertEquals(statedRange("Seed, an integer >= 0 and <= 2^31 - 1; each epoch"), {
    text: ">= 0 and <= 2^31 - 1",
    integer: true,
    low: { value: 0, inclusive: true },
    high: { value: 2 ** 31 - 1, inclusive: true },
  });
  assertEquals(statedRange("Clip to this norm (> 0); default undefined")?.low, {
    value: 0,
    inclusive: false,
  });
  assertEquals(statedRange("Weight of the contrastive loss. Default 0.1."), undefined);
});

Deno.test("a range a configuration field's comment states is the one of its Ranges table", () => {
  const wrong: string[] = [];
  let compared = 0;
  for (const name of Object.keys(DEFAULTS)) {
    const [table, prefix] = RANGES_TABLE[name] ?? [name, ""];
    const rows = documentedSettings(table);
    for (const { name: field, doc } of interfaces.get(name) ?? []) {
      const stated = statedRange(doc);
      if (stated === undefined) continue;
      const row = rows.find((r) => r.field === prefix + field);
      assert(row !== undefined, `${name}.${field}: states ${stated.text}, but has no Ranges row`);
      const allowed: Allowed = row.allowed;
      // A list's or a data-bound range ("distinct integers >= 1 and <= the items ..."): the page
      // states at least what the comment does.
      if (allowed.kind === "unparsed" && row.text.includes(stated.text)) continue;
      if (allowed.kind !== "number") {
        wrong.push(`${name}.${field}: the comment states ${stated.text}, the page "${row.text}"`);
        continue;
      }
      compared++;
      const same = stated.integer === allowed.integer &&
        JSON.stringify(stated.low) === JSON.stringify(allowed.low) &&
        JSON.stringify(stated.high) === JSON.stringify(allowed.high);
      if (!same) {
        wrong.push(
          `${name}.${field}: the comment states "${stated.text}"${
            stated.integer ? " (an integer)" : ""
          }, the page "${row.text}"`,
        );
      }
    }
  }
  assertEquals(wrong, []);
  assert(compared >= 15, `only ${compared} stated ranges compared`);
});

/** A Default cell of the page as a value, "absent" for "undefined (...)", or undefined (words). */
function pageDefault(cell: string): { value: unknown } | "absent" | undefined {
  if (/^undefined\b/.test(cell)) return "absent";
  // The value, then at most a parenthesis: "120000 (`DEFAULT_CHROMIUM_TIMEOUT_MS`)", "true (on)".
  const text = cell.replace(/\s*\([^)]*\)$/, "").replace(/^`(.*)`$/, "$1");
  if (text === "true" || text === "false") return { value: text === "true" };
  if (new RegExp(`^${NUMBER}$`).test(text)) return { value: Number(text.replaceAll(",", "")) };
  if (/^".*"$/.test(text) || /^\[.*\]$/.test(text)) return { value: JSON.parse(text) };
  return undefined;
}

/**
 * Every row of the page's Ranges tables as (interface, field, Default cell): a row names its
 * field plainly under a `### \`Interface\`` heading, or qualified (`NotebookRunnerConfig.quietMs`)
 * in a table of several objects; a row of several fields (`runPending`, `waitForOthers`) has one
 * default each, in order.
 */
function pageDefaults(): { object: string; field: string; cell: string }[] {
  const page = Deno.readTextFileSync(`${root}docs/configuration.md`);
  const found: { object: string; field: string; cell: string }[] = [];
  let heading = "";
  for (const line of page.slice(page.indexOf("\n## Ranges")).split("\n")) {
    if (line.startsWith("### ")) heading = /^### `(\w+)`/.exec(line)?.[1] ?? "";
    if (!line.startsWith("| `")) continue;
    const [fieldCell, cell] = line.split("|").slice(1, 3).map((c) => c.trim());
    const fields = fieldCell.split(",").map((f) => f.trim());
    if (!fields.every((f) => /^`[\w.]+`$/.test(f))) continue; // "`strongest(user, k)`: `k`"
    const cells = fields.length > 1 ? cell.split(",").map((c) => c.trim()) : [cell];
    if (cells.length !== fields.length) continue;
    fields.forEach((f, i) => {
      const path = f.replaceAll("`", "");
      const qualified = /^([A-Z]\w+)\.(\w+)$/.exec(path);
      if (qualified && interfaces.has(qualified[1])) {
        found.push({ object: qualified[1], field: qualified[2], cell: cells[i] });
      } else if (heading !== "" && !path.includes(".")) {
        found.push({ object: heading, field: path, cell: cells[i] });
      }
    });
  }
  return found;
}

Deno.test("a default the page's Ranges and the field's comment both state as a value is the same", () => {
  const wrong: string[] = [];
  let compared = 0;
  for (const { object, field, cell } of pageDefaults()) {
    const property = interfaces.get(object)?.find((p) => p.name === field);
    if (property === undefined) continue;
    const page = pageDefault(cell);
    const stated = statedDefault(property.doc);
    if (page === undefined || stated.kind === "words" || stated.kind === "none") continue;
    compared++;
    const same = page === "absent"
      ? stated.kind === "absent"
      : stated.kind === "value" && JSON.stringify(stated.value) === JSON.stringify(page.value);
    if (!same) {
      wrong.push(
        `${object}.${field}: the page says "${cell}", the comment "${
          "text" in stated ? stated.text : ""
        }"`,
      );
    }
  }
  assertEquals(wrong, []);
  // The objects without a DEFAULT_X constant are among them (ExplainOptions, the runners', ...).
  assert(compared >= 110, `only ${compared} defaults compared`);
});

/** Every number under `value` (a list's length included: "4 content modalities"). */
function numbersIn(value: unknown): number[] {
  if (typeof value === "number") return [value];
  if (value === null || typeof value !== "object") return [];
  const own = Array.isArray(value) ? [value.length] : [];
  return [...own, ...Object.values(value).flatMap(numbersIn)];
}

Deno.test("the Configuration objects table: each number of a Defaults cell is one of its constant's", () => {
  const page = Deno.readTextFileSync(`${root}docs/configuration.md`);
  const section = page.slice(page.indexOf("## Configuration objects"), page.indexOf("\n## Order"));
  const wrong: string[] = [];
  let rows = 0;
  for (const line of section.split("\n").filter((l) => l.startsWith("| `"))) {
    const [objectCell, , cell] = line.split("|").slice(1, 4).map((c) => c.trim());
    const object = objectCell.replaceAll("`", "");
    const defaults = DEFAULTS[object];
    if (defaults === undefined) continue; // BackendConfig, ExperimentPlan: no constant
    rows++;
    // The constants the cell names are the object's defaults (or, for EvaluationConfig, a part).
    for (const [, name] of cell.matchAll(/`(DEFAULT_\w+|[A-Z_]+_SHAPE)`/g)) {
      const named = constant(name);
      const parts = [defaults, ...Object.values(defaults)];
      const isPart = parts.some((part) => JSON.stringify(part) === JSON.stringify(named)) ||
        numbersIn(defaults).includes(named as number);
      if (!isPart) wrong.push(`${object}: the cell names ${name}, which is not its defaults`);
    }
    const words = cell.replace(/`[^`]*`/g, "").replace("1/sqrt(dim)", "");
    const known = numbersIn(defaults);
    for (const [text] of words.matchAll(new RegExp(NUMBER, "g"))) {
      const number = Number(text.replaceAll(",", ""));
      if (!known.includes(number)) wrong.push(`${object}: the cell says ${text}, "${cell}"`);
    }
  }
  assertEquals(wrong, []);
  assertEquals(rows, Object.keys(DEFAULTS).length, "a row for every object with a constant");
});

/** Every `export const NAME = <a number literal>` of lib/, by name (exported by a folder or not). */
function numericConstants(): Map<string, number> {
  const found = new Map<string, number>();
  const walk = (dir: string) => {
    for (const entry of Deno.readDirSync(dir)) {
      const path = `${dir}/${entry.name}`;
      if (entry.isDirectory) walk(path);
      else if (entry.name.endsWith(".ts")) {
        const text = Deno.readTextFileSync(path);
        const literal = /^export const ([A-Z][A-Z0-9_]+)(?:: number)? = ([0-9][0-9_.e-]*);/gm;
        for (const [, name, value] of text.matchAll(literal)) {
          found.set(name, Number(value.replaceAll("_", "")));
        }
      }
    }
  };
  walk(`${root}lib`);
  return found;
}

Deno.test("a constant named with its value beside it, in a comment or a page, holds that value", () => {
  const constants = numericConstants();
  const texts: [string, string][] = [
    ["README.md", Deno.readTextFileSync(`${root}README.md`)],
    ...[...Deno.readDirSync(`${root}docs`)].filter((e) => e.name.endsWith(".md")).map((
      e,
    ): [string, string] => [`docs/${e.name}`, Deno.readTextFileSync(`${root}docs/${e.name}`)]),
  ];
  const walk = (dir: string) => {
    for (const entry of Deno.readDirSync(dir)) {
      const path = `${dir}/${entry.name}`;
      if (entry.isDirectory) walk(path);
      else if (entry.name.endsWith(".ts")) {
        texts.push([path.slice(root.length), Deno.readTextFileSync(path)]);
      }
    }
  };
  walk(`${root}lib`);
  // `X` (N), `X` = N, {@linkcode X} (N): the value a reader takes for the constant's.
  const mention = new RegExp(
    String
      .raw`(?:\{@linkcode ([A-Z][A-Z0-9_]+)\}|\x60([A-Z][A-Z0-9_]+)\x60)(?: \(| = )(${NUMBER})(?=[),;\s]|$)`,
    "g",
  );
  const wrong: string[] = [];
  let compared = 0;
  for (const [file, text] of texts) {
    for (const match of text.replace(/\n\s*\*?\s*/g, " ").matchAll(mention)) {
      const name = match[1] ?? match[2];
      const value = constants.get(name);
      if (value === undefined) continue; // an object or a list: its own tests
      compared++;
      const written = Number(match[3].replaceAll(",", ""));
      if (written !== value) wrong.push(`${file}: ${match[0]}, but ${name} is ${value}`);
    }
  }
  assertEquals(wrong, []);
  assert(compared >= 5, `only ${compared} mentions compared`);
});
