/**
 * Every TypeScript example a reader copies type-checks against today's API: the ```ts blocks of
 * README.md and docs/*.md, as written, the `@example` blocks of the root mod.ts's symbols (what
 * `deno doc mod.ts` shows), the module examples of the mod.ts files, and the `@example` blocks of
 * the symbols that only a lib/<folder>/mod.ts exports (what `deno doc lib/<folder>/mod.ts` shows
 * beyond the root), completed by the names they assume (`dataset`, `model`, ...).
 * doc_examples_test.ts runs the markdown examples, but `deno run` does not type-check, and the root's
 * examples are fragments that nothing ran: a renamed function, option or field in them reached the
 * reader, not the suite. All of them are checked by one `deno check` over files written into the
 * project folder (where "./mod.ts" and deno.json resolve, as for a reader's script there).
 *
 * A block marked ```ts ignore is a fragment that cannot stand alone (neither run nor checked); none
 * is marked so today.
 */
import { assert, assertEquals, assertThrows } from "@std/assert";
import {
  docJson,
  documents,
  examplesOf,
  exportedNames,
  fencedBlocks,
  folderModules,
  type MarkdownBlock,
  namesDeclared,
  namesRead,
  root,
  type SymbolExample,
  typeScriptBlocks,
} from "./_doc_examples.ts";
import * as root_ from "../../mod.ts";
import * as attribution from "../../lib/attribution/mod.ts";
import * as backend from "../../lib/backend/mod.ts";
import * as data from "../../lib/data/mod.ts";
import * as experiments from "../../lib/experiments/mod.ts";
import * as nn from "../../lib/nn/mod.ts";
import * as notebook from "../../lib/notebook/mod.ts";
import * as prepare from "../../lib/prepare/mod.ts";
import * as train from "../../lib/train/mod.ts";
import * as util from "../../lib/util/mod.ts";
import * as viz from "../../lib/viz/mod.ts";
import { hasDslabs } from "../_dslabs.ts";

/**
 * What the root's examples assume without declaring (a reader has made it in an earlier cell),
 * and its type, a root export. A name an example reads that is neither here nor the root's nor
 * declared by the example fails the check ("Cannot find name"): add it here, or declare it there.
 */
const CONTEXT: Record<string, string> = {
  dataset: "InteractionDataset",
  movielens: "InteractionDataset",
  raw: "InteractionDataset",
  core: "InteractionDataset",
  split: "LeaveOneOutSplit",
  stats: "DatasetStatistics",
  truth: "PlantedTruth",
  model: "SequentialRecommender",
  batch: "SequenceBatch",
  result: "AttributionResult",
  rows: "AttributionSummary[]",
  data: "PreparedDataset",
  plan: "ExperimentPlan",
  resultsDir: "string",
  found: "FinishedCell[]",
  results: "CellResult[]",
  summary: "ReproductionSummary",
  recommendation: "Recommendation",
  histories: "AttributedHistories",
  values: "number[]",
  modalityNames: "string[]",
};

/**
 * Names of {@linkcode CONTEXT} that one example means otherwise, or assumes besides, by the
 * symbol whose documentation holds it or the lib/<folder>/mod.ts that exports it (a symbol's own
 * meaning wins). A type's names are the root's, or else that lib/<folder>/mod.ts's.
 */
const CONTEXT_OF: Record<string, Record<string, string>> = {
  epochNoiseRates: { result: "CellResult" }, // a cell's result, not an attribution's
  "lib/attribution/mod.ts": {
    lossOf: "Parameters<typeof attributeModalities>[0]",
    E: "Tensor4D",
    w: "Tensor3D",
    gradient: "Tensor4D",
    embeddings: "Tensor4D",
    contributions: "Float32Array",
    lossChange: "Float32Array",
    userScores: "Float32Array",
    validMask: "Uint8Array",
    shape: "PairShape",
    presence: "Tensor3D",
    itemTable: "Tensor2D",
    config: "AttributionConfig",
  },
  // The lengths of a [batch, position, modality] array, not a batch of histories.
  attributionOfContributions: { batch: "number", positions: "number", modalities: "number" },
  "lib/data/mod.ts": { image: "ModalityFeatures" },
  "lib/demure/mod.ts": {
    validMask: "Uint8Array",
    shape: "PairShape",
    seed: "number",
    runSeed: "number",
    views: "ContrastiveViews",
  },
  randomNoiseMask: { batch: "number", positions: "number", modalities: "number" },
  "lib/losses/mod.ts": { rows: "Tensor2D", itemTable: "Tensor2D", targetIds: "Tensor1D" },
  "lib/nn/mod.ts": {
    x: "Tensor",
    stepSeed: "number",
    p: "PackedRows",
    packed: "Tensor2D",
    dim: "number",
  },
  "lib/notebook/mod.ts": { figure: "Figure", progress: "EpochProgress" },
  "lib/prepare/mod.ts": {
    bytes: "Uint8Array",
    db: "ReturnType<typeof openLazyLoadDatabase>",
    frame: "ReturnType<typeof asRDataFrame>",
    raw: "RawMovieLens",
    vectors: "Parameters<typeof movieLensFileSet>[1]",
    production: "Parameters<typeof movieLensFileSet>[2]",
    labels: "Parameters<typeof movieLensFileSet>[3]",
  },
  "lib/util/mod.ts": { runSeed: "number" },
  hashSeeds: { step: "number" }, // a training step's index
  EventLoopTurns: { batches: "SequenceBatch[]", step: "(batch: SequenceBatch) => void" },
  workProgressReporter: {
    users: "number[]",
    onProgress: "WorkProgressListener",
    chunks: "number[][]",
    rank: "(chunk: number[]) => void",
    ranked: "number",
  },
};

/**
 * Diagnostics of an unused name. deno.json sets `noUnusedLocals`, which a reader's own script
 * need not: an example ends in `const section = f(...)` to show what a call gives, and the imports
 * and declarations this test adds to a fragment are not all read.
 */
const UNUSED = new Set(["TS6133", "TS6138", "TS6192", "TS6196", "TS6198", "TS6205"]);

/** One file given to `deno check`, and where its code came from. */
interface CheckedFile {
  /** Its name in the project folder. */
  name: string;
  /** What a failure names: `docs/data.md, the block at line 221`, `mod.ts: loadMovieLens's @example`. */
  origin: string;
  /** Lines the test put before the example's first line. */
  preludeLines: number;
  source: string;
}

/** A diagnostic of `deno check`: its code, message, file name and line. */
interface Diagnostic {
  code: string;
  message: string;
  file: string;
  line: number;
}

/**
 * The diagnostics of `deno check` output (without colours): each `TSnnnn [ERROR]: message` block
 * and its `at file:///...:line:column` line.
 */
function diagnosticsOf(output: string): Diagnostic[] {
  return [
    ...output.matchAll(
      /^(TS\d+) \[ERROR\]: ([^\n]*)(?:\n(?!TS\d+ \[ERROR\])[^\n]*)*?\n\s+at file:\/\/(\S+?):(\d+):\d+/gm,
    ),
  ].map(([, code, message, file, line]) => ({ code, message, file, line: Number(line) }));
}

Deno.test("diagnosticsOf: code, message, file and line of each error of deno check", () => {
  const output = [
    "Check /p/a.ts",
    "TS2304 [ERROR]: Cannot find name 'x'.",
    "x.y;",
    "^",
    "    at file:///p/a.ts:3:1",
    "",
    "TS6133 [ERROR]: 'z' is declared but its value is never read.",
    "    at file:///p/b.ts:1:7",
    "",
    "error: Type checking failed.",
  ].join("\n");
  assertEquals(diagnosticsOf(output), [
    { code: "TS2304", message: "Cannot find name 'x'.", file: "/p/a.ts", line: 3 },
    {
      code: "TS6133",
      message: "'z' is declared but its value is never read.",
      file: "/p/b.ts",
      line: 1,
    },
  ]);
});

/** The names `code` mentions and does not declare: not a property (`a.b`'s `b`); `...b` reads `b`. */
function namesMentioned(code: string): Set<string> {
  const declared = namesDeclared(code);
  return new Set(
    [...code.matchAll(/(?<![\w$]|(?<!\.\.)\.)[A-Za-z_$][\w$]*/g)].map(([name]) => name)
      .filter((name) => !declared.has(name)),
  );
}

/** A lib/<folder>/mod.ts an example belongs to: its path and the names it exports. */
interface LibModule {
  file: string;
  names: Set<string>;
}

/**
 * Declarations of the {@linkcode CONTEXT} names (with those of each key of `where` in
 * {@linkcode CONTEXT_OF}: the symbol, the lib/<folder>/mod.ts) that `code` mentions without
 * declaring. A type's names are the root's, read through a namespace (`Root.InteractionDataset`),
 * or else those of `here`, the lib/<folder>/mod.ts of the example (`Here.PackedRows`), so that they
 * clash with no name the example imports itself.
 */
function contextDeclarations(
  code: string,
  where: string[],
  rootNames: Set<string>,
  here?: LibModule,
): string[] {
  const mentioned = namesMentioned(code);
  const context = Object.assign({}, CONTEXT, ...where.map((key) => CONTEXT_OF[key] ?? {}));
  const assumed = Object.keys(context).filter((name) => mentioned.has(name));
  if (assumed.length === 0) return [];
  const spaces = new Set<string>();
  const typeOf = (name: string) =>
    context[name].replace(/(?<![\w$.])[A-Za-z_$][\w$]*/g, (type: string) => {
      const space = rootNames.has(type) ? "Root" : here?.names.has(type) ? "Here" : undefined;
      if (space === undefined) return type;
      spaces.add(space);
      return `${space}.${type}`;
    });
  const declarations = assumed.map((name) => `declare const ${name}: ${typeOf(name)};`);
  return [
    ...(spaces.has("Root") ? ['import type * as Root from "./mod.ts";'] : []),
    ...(spaces.has("Here") ? [`import type * as Here from "./${here!.file}";`] : []),
    ...declarations,
  ];
}

/**
 * The root example `example` as a module: imports of the root names it mentions, declarations of
 * the context it reads without declaring, then its code.
 */
function rootExampleModule(example: SymbolExample, rootNames: Set<string>): string[] {
  const mentioned = namesMentioned(example.code);
  const imported = [...rootNames].filter((name) => mentioned.has(name));
  return [
    `// ${example.symbol}'s @example in the root mod.ts's docs (tests/layout/doc_examples49_test.ts)`,
    ...(imported.length > 0 ? [`import { ${imported.join(", ")} } from "./mod.ts";`] : []),
    ...contextDeclarations(example.code, [example.symbol], rootNames),
    example.code,
  ];
}

/** An `@example` of a symbol that a lib/<folder>/mod.ts exports and the root does not. */
interface LibExample extends SymbolExample {
  /** The lib/<folder>/mod.ts that exports the symbol. */
  module: string;
  /** The file that declares the symbol (relative to the project folder): its imports are from there. */
  declaredIn: string;
}

/**
 * The lib/<folder>/mod.ts files with the names each exports, and the examples of their symbols that
 * the root does not export (those are the root's examples): what `deno doc lib/<folder>/mod.ts`
 * shows a reader of the library beyond the root's API.
 */
async function libExamples(
  rootNames: Set<string>,
): Promise<{ modules: LibModule[]; examples: LibExample[] }> {
  const files = folderModules();
  const nodes = await docJson(files);
  const modules: LibModule[] = [];
  const examples: LibExample[] = [];
  for (const file of files) {
    const module = nodes[`file://${root}${file}`] as {
      symbols: { name: string; declarations: { location: { filename: string } }[] }[];
    };
    assert(module !== undefined, `deno doc gave nothing for ${file}`);
    modules.push({ file, names: new Set(exportedNames(module)) });
    for (const symbol of module.symbols) {
      if (rootNames.has(symbol.name)) continue;
      const found: SymbolExample[] = [];
      examplesOf(symbol, symbol.name, found);
      const declaredIn = symbol.declarations[0].location.filename.replace(`file://${root}`, "");
      for (const example of found) examples.push({ ...example, module: file, declaredIn });
    }
  }
  return { modules, examples };
}

/**
 * The lib example `example` as a module of the project folder. The names it reads are imported
 * from its lib/<folder>/mod.ts, else the root's, else the first other lib/<folder>/mod.ts that
 * exports them (`hashSeeds`, `USERS`): `deno doc` shows the example with its module's names in
 * scope, and a reader finds the others there. The imports it has itself are from the file that
 * declares the symbol (`./tf.ts`): they are rewritten to the project folder. Then the context it
 * assumes, then its code.
 */
function libExampleModule(
  example: LibExample,
  modules: LibModule[],
  rootNames: Set<string>,
): { lines: string[] } {
  const folder = example.declaredIn.replace(/[^/]*$/, "");
  const ownImports = new Set<string>();
  const code = example.code.replace(
    /^(import\s+(?:type\s+)?\{([^}]*)\}\s+from\s+")(\.\.?\/[^"]*)"/gm,
    (_, head: string, names: string, specifier: string) => {
      for (const [name] of names.matchAll(/[A-Za-z_$][\w$]*/g)) ownImports.add(name);
      const path = new URL(specifier, `file:///${folder}`).pathname.slice(1);
      return `${head}./${path}"`;
    },
  );
  const here = modules.find((module) => module.file === example.module)!;
  const others = modules.filter((module) => module !== here);
  const bySpecifier = new Map<string, string[]>();
  for (const name of namesRead(code)) {
    if (ownImports.has(name)) continue;
    const from = here.names.has(name)
      ? here.file
      : rootNames.has(name)
      ? "mod.ts"
      : others.find((module) => module.names.has(name))?.file;
    if (from === undefined) continue;
    bySpecifier.set(from, [...bySpecifier.get(from) ?? [], name]);
  }
  const lines = [
    `// ${example.module}: ${example.symbol}'s @example (tests/layout/doc_examples49_test.ts)`,
    ...[...bySpecifier].map(([from, names]) => `import { ${names.join(", ")} } from "./${from}";`),
    ...contextDeclarations(code, [example.module, example.symbol], rootNames, here),
  ];
  return { lines: [...lines, code] };
}

/**
 * The ```ts blocks of the module documentation of the root mod.ts and of each lib/<folder>/mod.ts
 * (what `deno doc` opens with), with the file. Their imports name a mod.ts from the project folder
 * ("./mod.ts", "./lib/train/mod.ts"), where notebooks and scripts import it.
 */
function moduleExamples(): { file: string; block: MarkdownBlock }[] {
  const folders = folderModules();
  const found: { file: string; block: MarkdownBlock }[] = [];
  for (const file of ["mod.ts", ...folders]) {
    const opening = /^\/\*\*\n([\s\S]*?)\*\//.exec(Deno.readTextFileSync(`${root}${file}`));
    if (!opening) continue;
    const text = opening[1].split("\n").map((line) => line.replace(/^ \* ?/, "")).join("\n");
    for (const block of typeScriptBlocks(text)) found.push({ file, block });
  }
  return found;
}

Deno.test("every TypeScript example of README.md, docs/*.md, the mod.ts files' docs type-checks", async () => {
  const files: CheckedFile[] = [];
  const stem = `.doc-check-${crypto.randomUUID().slice(0, 8)}`;
  const add = (origin: string, lines: string[]) =>
    files.push({
      name: `${stem}-${files.length}.ts`,
      origin,
      preludeLines: lines.length - 1,
      source: `${lines.join("\n")}\n`,
    });

  // A file that must fail: a change of deno check's output that this test no longer parses would
  // otherwise let every example pass.
  add("the canary", [
    "// tests/layout/doc_examples49_test.ts: a type error on purpose",
    'const n: number = "one";\nconsole.log(n);',
  ]);
  let markdownBlocks = 0;
  for (const document of documents) {
    for (const block of typeScriptBlocks(Deno.readTextFileSync(`${root}${document}`))) {
      if (block.ignore) continue;
      add(`${document}, the block at line ${block.line}`, [
        `// ${document}:${block.line} (doc_examples49_test)`,
        block.code,
      ]);
      markdownBlocks += 1;
    }
  }
  const rootModule = Object.values(await docJson(["mod.ts"]))[0] as {
    symbols: { name: string }[];
  };
  const rootNames = new Set(exportedNames(rootModule));
  const examples: SymbolExample[] = [];
  for (const symbol of rootModule.symbols) examplesOf(symbol, symbol.name, examples);
  for (const example of examples) {
    if (example.ignore) continue;
    add(`mod.ts: ${example.symbol}'s @example`, rootExampleModule(example, rootNames));
  }
  let moduleBlocks = 0;
  for (const { file, block } of moduleExamples()) {
    if (block.ignore) continue;
    add(`${file}'s module example (the block at its line ${block.line + 1})`, [
      `// ${file}'s module example (tests/layout/doc_examples49_test.ts)`,
      ...contextDeclarations(block.code, [file], rootNames),
      block.code,
    ]);
    moduleBlocks += 1;
  }
  const lib = await libExamples(rootNames);
  let libBlocks = 0;
  for (const example of lib.examples) {
    if (example.ignore) continue;
    add(
      `${example.module}: ${example.symbol}'s @example (in ${example.declaredIn})`,
      libExampleModule(example, lib.modules, rootNames).lines,
    );
    libBlocks += 1;
  }
  // What the docs hold today (docs/data.md's two examples; the root's 63), so that a parse that
  // found nothing cannot pass vacuously.
  assert(markdownBlocks >= 2, `only ${markdownBlocks} TypeScript blocks found in the docs`);
  assert(examples.length >= 60, `only ${examples.length} examples found in the root's docs`);
  assert(moduleBlocks >= 18, `only ${moduleBlocks} module examples found in the mod.ts files`);
  assert(libBlocks >= 120, `only ${libBlocks} examples found in the lib/<folder>/mod.ts docs`);

  let output: Deno.CommandOutput;
  try {
    for (const file of files) Deno.writeTextFileSync(`${root}${file.name}`, file.source);
    output = await new Deno.Command(Deno.execPath(), {
      args: ["check", "--quiet", ...files.map((file) => file.name)],
      cwd: root,
      env: { NO_COLOR: "1" },
      stdin: "null",
      stdout: "piped",
      stderr: "piped",
    }).output();
  } finally {
    for (const file of files) Deno.removeSync(`${root}${file.name}`);
  }
  const text = new TextDecoder().decode(output.stdout) + new TextDecoder().decode(output.stderr);
  const diagnostics = diagnosticsOf(text);
  // Every error of the output is one parsed here: none is lost to a format this parse misses.
  assertEquals(diagnostics.length, text.match(/\[ERROR\]/g)?.length ?? 0, text);
  const byName = new Map(files.map((file) => [`${root}${file.name}`, file]));
  const canary = files[0];
  assert(
    diagnostics.some((d) => d.file === `${root}${canary.name}` && d.code === "TS2322"),
    `deno check did not report the canary's type error:\n${text}`,
  );
  const wrong = diagnostics
    .filter((d) => d.file !== `${root}${canary.name}` && !UNUSED.has(d.code))
    .map((d) => {
      const file = byName.get(d.file);
      if (file === undefined) return `${d.file}:${d.line}: ${d.code} ${d.message}`;
      const line = d.line - file.preludeLines;
      return `${file.origin}, its line ${line}: ${d.code} ${d.message}`;
    });
  assertEquals(wrong, []);
  // Nothing else stopped the check (a module that does not resolve, a crash).
  assert(output.code === 0 || diagnostics.length > 0, text);
});

Deno.test("namesDeclared: a for-of loop declares its variable, not what it iterates", () => {
  assertEquals(
    [...namesDeclared(
      "for (const { a, b } of f(x)) g(a);\nconst [c] = h();\nlet d;\nfunction e() {}",
    )]
      .sort(),
    ["a", "b", "c", "d", "e"],
  );
});

Deno.test("rootExampleModule: imports the root names it mentions, declares the context it reads", () => {
  const module = rootExampleModule(
    {
      symbol: "x",
      code: "const plan = f(dataset);\nfor (const c of g(...h(plan))) c;",
      ignore: false,
    },
    new Set(["f", "g", "h", "InteractionDataset", "unused"]),
  );
  assertEquals(module.slice(1), [
    'import { f, g, h } from "./mod.ts";',
    'import type * as Root from "./mod.ts";',
    "declare const dataset: Root.InteractionDataset;",
    "const plan = f(dataset);\nfor (const c of g(...h(plan))) c;",
  ]);
  // A symbol's own meaning of a name; a type that is not the root's stays as written.
  assertEquals(
    contextDeclarations(
      "epochNoiseRates(result); rows;",
      ["epochNoiseRates"],
      new Set(["CellResult"]),
    ),
    [
      'import type * as Root from "./mod.ts";',
      "declare const result: Root.CellResult;",
      "declare const rows: AttributionSummary[];",
    ],
  );
  assertEquals(contextDeclarations("const dataset = load(); dataset;", ["x"], new Set()), []);
});

Deno.test("libExampleModule: names from its module, the root, other lib modules; its own imports from its file", () => {
  const modules: LibModule[] = [
    { file: "lib/a/mod.ts", names: new Set(["f", "Shape", "g"]) },
    { file: "lib/b/mod.ts", names: new Set(["g", "h"]) },
  ];
  const example: LibExample = {
    symbol: "f",
    module: "lib/a/mod.ts",
    declaredIn: "lib/a/deep/f.ts",
    code: 'import { t } from "../t.ts";\nf(g(h(r(t, "k"))), dataset); // f(unknown)',
    ignore: false,
  };
  const { lines } = libExampleModule(example, modules, new Set(["r", "Tensor"]));
  assertEquals(lines.slice(1), [
    'import { f, g } from "./lib/a/mod.ts";',
    'import { h } from "./lib/b/mod.ts";',
    'import { r } from "./mod.ts";',
    "declare const dataset: InteractionDataset;",
    'import { t } from "./lib/a/t.ts";\nf(g(h(r(t, "k"))), dataset); // f(unknown)',
  ]);
  // A context type of the example's own lib module is read through its namespace, Here.
  assertEquals(
    contextDeclarations("p.slots; x;", ["lib/nn/mod.ts"], new Set(["Tensor"]), {
      file: "lib/nn/mod.ts",
      names: new Set(["PackedRows"]),
    }),
    [
      'import type * as Root from "./mod.ts";',
      'import type * as Here from "./lib/nn/mod.ts";',
      "declare const x: Root.Tensor;",
      "declare const p: Here.PackedRows;",
    ],
  );
});

Deno.test("typeScriptBlocks: ts and typescript blocks, `ignore` marks a fragment, other words are refused", () => {
  const markdown = [
    "```sh",
    "```ts", // inside a shell block: not a block of its own
    "```",
    "```ts",
    "a();",
    "```",
    "```typescript ignore",
    "b(",
    "```",
  ].join("\n");
  assertEquals(typeScriptBlocks(markdown), [
    { line: 4, code: "a();", ignore: false },
    { line: 7, code: "b(", ignore: true },
  ]);
  assertThrows(() => typeScriptBlocks("```ts ignroe\nc();\n```"), Error, '"ignore"');
});

/** Each symbol with an example, and the text of its examples (comments unwrapped). */
function exampleTexts(examples: SymbolExample[]): Map<string, string> {
  const texts = new Map<string, string>();
  for (const { symbol, code } of examples) {
    // A comment wrapped over lines reads as one: "3,496 of\n// 9,066 items" is "3,496 of 9,066".
    texts.set(symbol, `${texts.get(symbol) ?? ""}${code.replace(/\n\/\/ /g, " ")}\n`);
  }
  return texts;
}

/** Each symbol of the root with an example, and the text of its examples (comments unwrapped). */
async function rootExampleTexts(): Promise<Map<string, string>> {
  const rootModule = Object.values(await docJson(["mod.ts"]))[0] as {
    symbols: { name: string }[];
  };
  const examples: SymbolExample[] = [];
  for (const symbol of rootModule.symbols) examplesOf(symbol, symbol.name, examples);
  return exampleTexts(examples);
}

/**
 * Each symbol that only a lib/<folder>/mod.ts exports, and the text of its examples, without the
 * comments' `//`: `f(1); // 2` and `f(1);\n// 2` both read `f(1); 2`, as {@linkcode uncommented}
 * makes the values looked for.
 */
function libExampleTexts(): Promise<Map<string, string>> {
  libTexts ??= (async () => {
    const rootModule = Object.values(await docJson(["mod.ts"]))[0];
    const texts = exampleTexts((await libExamples(new Set(exportedNames(rootModule)))).examples);
    return new Map([...texts].map(([symbol, text]) => [symbol, text.replace(/ ?\/\/ /g, " ")]));
  })();
  return libTexts;
}

/** {@linkcode libExampleTexts}'s answer, asked once: each `deno doc` of the library takes seconds. */
let libTexts: Promise<Map<string, string>> | undefined;

/** `shown` without the `// ` of comments, as {@linkcode libExampleTexts} reads the examples. */
function uncommented(shown: [string, string][]): [string, string][] {
  return shown.map(([symbol, text]) => [symbol, text.replace(/ ?\/\/ /g, " ")]);
}

/** The shown values of `shown` that the examples' `texts` do not hold, with the example's text. */
function notShown(texts: Map<string, string>, shown: [string, string][]): string[] {
  return shown.filter(([symbol, text]) => !(texts.get(symbol) ?? "").includes(text))
    .map(([symbol, text]) => `${symbol}'s example does not show ${text}:\n${texts.get(symbol)}`);
}

/** `values` as an example writes an array: `[0.9, 1.8]`. */
function listed<T>(values: ArrayLike<T>, format: (value: T) => string = String): string {
  return `[${Array.from(values, format).join(", ")}]`;
}

Deno.test("the values the root's examples show are what the code gives today", async () => {
  // A reader takes `// 0.47` after a call as what it returns. popularityRanking's, itemLabels's
  // and topItemsInteractionShare's examples showed values of no dataset here (item 42 with 329
  // interactions; ["Comedy", "Romance"]; 0.47, where MovieLens gives 0.60 and, 5-core filtered,
  // 0.42). Each example's inputs are repeated here: a change of them, or of what the code gives,
  // fails until the other follows.
  const texts = await rootExampleTexts();
  const movielens = await root_.loadMovieLens();
  const core = root_.kCoreFilter(movielens, { k: 5 });
  const first = root_.popularityRanking(core)[0];
  const band = root_.symmetricBand([1, 2], [0.1, 0.2]);
  const heatmap = root_.contributionHeatmap({
    values: [0.1, -0.2, 0.3, 0.0, 0.5, 0.4],
    numPositions: 3,
    modalityNames: ["id", "text"],
  }).data[0] as { z: number[][] };
  const views = root_.buildContrastiveViews([1, 1], Uint8Array.of(0, 1), [1, 1, 2]);
  const rates = root_.modalityNoiseRates({
    pairsByModality: { id: { valid: 10, noise: 1 }, text: { valid: 0, noise: 0 } },
  });
  const rate = rates.measured[0];
  const shown: [string, string][] = [
    ["loadMovieLens", `dataset.numUsers; // ${movielens.numUsers}`],
    ["kCoreFilter", JSON.stringify(core.metadata.preprocessing.at(-1))],
    [
      "popularityRanking",
      `{ rank: ${first.rank}, item: ${first.item}, interactions: ${first.interactions} } ` +
      "(MovieLens after the 5-core filter)",
    ],
    [
      "topItemsInteractionShare",
      `${root_.topItemsInteractionShare(core, 10).toFixed(2)} (MovieLens after the 5-core filter)`,
    ],
    [
      "itemLabels",
      `// ${listed(root_.itemLabels(movielens, "genre", 12), (label) => `"${label}"`)}`,
    ],
    [
      "describeTraining",
      JSON.stringify(root_.describeTraining({ maxEpochs: 3, patience: 3, batchSize: 64 })),
    ],
    [
      "occlusionLine",
      JSON.stringify(root_.occlusionLine({ columnsDone: 20, columns: 200, seconds: 3 })),
    ],
    [
      "evaluationLine",
      JSON.stringify(root_.evaluationLine({
        stage: "valid",
        ranking: "history_excluded",
        index: 1,
        evaluations: 3,
        users: 671,
        seconds: 5.62,
      })),
    ],
    [
      "resolveDemureConfig",
      `resolveDemureConfig().attributionSource; // "${root_.resolveDemureConfig().attributionSource}"`,
    ],
    [
      "resolveDemureConfig",
      `attributionSource; // "${
        root_.resolveDemureConfig({ denoiseInput: false }).attributionSource
      }"`,
    ],
    ["spreadOf", `// ${root_.spreadOf({ mean: 0.1, std: 0, n: 1 })}`],
    ["symmetricBand", `{ lower: ${listed(band.lower)}, upper: ${listed(band.upper)} }`],
    [
      "histogram",
      `// ${
        listed(
          (root_.histogram({ values: [1, 2, 2, 9], edges: [0, 5, 10] }).data[0] as { y: number[] })
            .y,
        )
      }`,
    ],
    [
      "contributionHeatmap",
      `z = ${listed(heatmap.z, (row) => listed(row, (v) => v.toFixed(1)))}`,
    ],
    [
      "buildContrastiveViews",
      `v.anchor = ${listed(views.anchor)}, v.positive = ${listed(views.positive)}, ` +
      `v.negative = ${listed(views.negative)}`,
    ],
    [
      "modalityNoiseRates",
      `measured: [{ modality: "${rate.modality}", rate: ${rate.rate}, pairs: ${rate.pairs}, ` +
      `noise: ${rate.noise} }]`,
    ],
    [
      "DataError",
      `${new root_.DataError("ml.inter", 12, "timestamp:float", 'not a number: "abc"')}`,
    ],
  ];
  assertEquals(notShown(texts, shown), []);
});

/** `value` as an example writes it in a comment: strings quoted, arrays and objects spaced. */
function shownAs(value: unknown): string {
  if (typeof value === "string") return JSON.stringify(value);
  if (Array.isArray(value) || ArrayBuffer.isView(value)) {
    return listed(value as ArrayLike<unknown>, shownAs);
  }
  if (value !== null && typeof value === "object") {
    const entries = Object.entries(value).map(([key, item]) =>
      `${/^[A-Za-z_$][\w$]*$/.test(key) ? key : JSON.stringify(key)}: ${shownAs(item)}`
    );
    return `{ ${entries.join(", ")} }`;
  }
  return String(value);
}

Deno.test("shownAs: a value as an example's comment writes it", () => {
  assertEquals(shownAs([["a", 1], Uint8Array.of(1, 0)]), '[["a", 1], [1, 0]]');
  assertEquals(
    shownAs({ key: "m", "users/s": 128, nan: NaN }),
    '{ key: "m", "users/s": 128, nan: NaN }',
  );
  assertEquals(shownAs(undefined), "undefined");
});

Deno.test("the values the lib/<folder>/mod.ts examples show are what the code gives today", async () => {
  // As for the root's: each example's call is repeated here and what it gives is looked for, as
  // the example writes it, in the example's text. recordsKernelNotice's example showed its reason
  // in brackets where the notice says "(Haswell): <reason>." Values that depend on the machine or
  // the environment (blasThreads(), envFlag, the kernels OpenBLAS picks) are left out.
  await backend.initBackend({ verbose: false });
  const texts = await libExampleTexts();
  const { tf } = backend;
  const calls: [string, string, unknown][] = [
    [
      "normaliseContributions",
      "z = ",
      attribution.normaliseContributions(
        Float32Array.of(1, 2, 3, 9),
        Uint8Array.of(1, 1, 1, 0),
        [1, 2, 2],
        "rank",
      ),
    ],
    [
      "bottomFractionCount",
      "bottomFractionCount(0.3, 10); // ",
      attribution.bottomFractionCount(0.3, 10),
    ],
    [
      "bottomFractionCount",
      "bottomFractionCount(0.3, 5); // ",
      attribution.bottomFractionCount(0.3, 5),
    ],
    [
      "bottomFractionCount",
      "bottomFractionCount(0.1, 5); // ",
      attribution.bottomFractionCount(0.1, 5),
    ],
    [
      "bottomFractionCount",
      "bottomFractionCount(0.3, 1); // ",
      attribution.bottomFractionCount(0.3, 1),
    ],
    [
      "selectNoise",
      "}); // ",
      attribution.selectNoise(Float32Array.of(-1, 0, 1, 2), Uint8Array.of(1, 1, 1, 1), [1, 2, 2], {
        kind: "bottom_fraction",
        rho: 0.5,
      }),
    ],
    [
      "userModalityScores",
      "// ",
      attribution.userModalityScores(Float32Array.of(1, 2, 3, NaN), Uint8Array.of(1, 1, 1, 0), [
        1,
        2,
        2,
      ]),
    ],
    ["rocAuc", "= ", attribution.rocAuc([0.9, 0.5, 0.5, 0.1], [1, 1, 0, 0])],
    [
      "layerNorm",
      "// ",
      tf.tidy(() =>
        backend.layerNorm(tf.tensor2d([[1, 3]]), tf.ones([2]), tf.zeros([2]))
          .arraySync() as number[][]
      ).map((row) => row.map(Math.round)),
    ],
    [
      "layerNorm",
      "// ",
      tf.tidy(() =>
        nn.layerNorm(tf.tensor2d([[1, 3]]), tf.ones([2]), tf.zeros([2])).arraySync() as number[][]
      )
        .map((row) => row.map(Math.round)),
    ],
    ["blasKernelSetting", 'blasKernelSetting("native"); // ', backend.blasKernelSetting("native")],
    [
      "chooseBlasCore",
      "// ",
      backend.chooseBlasCore({
        setting: "records",
        supportsAvx2: true,
        openBlasCoreType: undefined,
      }),
    ],
    [
      "recordsKernelNotice",
      "// ",
      backend.recordsKernelNotice("031787c5", {
        setting: "records",
        reason: "OPENBLAS_CORETYPE is SkylakeX",
      })!.replace(/ which[^]*$/, ""),
    ],
    ["describeBlasKernels", "// ", backend.describeBlasKernels("9b2841e5")],
    [
      "webgpuBackendRequest",
      '"linux", undefined); // ',
      backend.webgpuBackendRequest("linux", undefined),
    ],
    ["webgpuBackendRequest", '"linux", "gl"); // ', backend.webgpuBackendRequest("linux", "gl")],
    [
      "webgpuBackendRequest",
      '"darwin", undefined); // ',
      backend.webgpuBackendRequest("darwin", undefined),
    ],
    ["idModality", "// Uint8Array ", data.idModality(3).present],
    ["readableTitle", "// ", data.readableTitle("Killer, The (Die xue shuang xiong)")],
    ["readableTitle", "// ", data.readableTitle("Good, the Bad and the Ugly, The")],
    [
      "titleTokens",
      "// ",
      data.titleTokens("The Lord of the Rings: The Two Towers").slice(0, 5),
    ],
    ["padLeft", "// Int32Array ", data.padLeft([0], [Int32Array.of(4, 5)], 3).items],
  ];
  const shown: [string, string][] = calls.map(([symbol, before, value]) => {
    let text = shownAs(value);
    // A list the example cuts short: `["the", "lord", ...]`.
    if (symbol === "titleTokens") text = `${text.slice(0, -1)}, ...]`;
    if (symbol === "recordsKernelNotice") text = `${text.slice(0, -1)} ..."`;
    return [symbol, `${before}${text}`];
  });
  const source = { kind: "file", path: "data/beauty/beauty", format: "recbole" } as const;
  const work = { done: 512, total: 2048, seconds: 4 };
  const lines: [string, unknown][] = [
    ["readingDatasetLine", experiments.readingDatasetLine(source)],
    [
      "readingProgressLine",
      experiments.readingProgressLine(source, { done: 2 ** 23, total: 2 ** 25, seconds: 5 }),
    ],
    [
      "coldStartGap",
      experiments.coldStartGap(
        { label: "0-5", min: 0, max: 5, users: 0, bySystem: {} },
        "SASRec-MM",
      ),
    ],
    [
      "attributionLine",
      experiments.attributionLine({
        method: "occlusion",
        methodIndex: 5,
        methods: 5,
        usersDone: 128,
        users: 256,
        seconds: 20,
      }),
    ],
    [
      "slowEvaluationLine",
      experiments.slowEvaluationLine({
        stage: "test",
        ranking: "history_excluded",
        index: 2,
        evaluations: 3,
        users: 40,
        seconds: 0.01,
      }),
    ],
    [
      "runningEvaluationLine",
      experiments.runningEvaluationLine(
        { stage: "test", ranking: "history_excluded", index: 2, evaluations: 3 },
        work,
      ),
    ],
    [
      "dropoutSeed",
      nn.dropoutSeed(util.hashSeeds(0, 12), 3) !== nn.dropoutSeed(util.hashSeeds(0, 13), 2),
    ],
    [
      "formatProgressLine",
      notebook.formatProgressLine("SASRec", { step: 5, total: 10, metrics: { loss: 0.123456 } }),
    ],
    ["workProgressEvent", notebook.workProgressEvent(work, util.USERS)],
    ["detectRCompression", prepare.detectRCompression(new Uint8Array([0x1f, 0x8b, 8]))],
    ["validationProgressLine", train.validationProgressLine({ epoch: 3, maxEpochs: 20 }, work)],
    ["hashSeeds", util.hashSeeds(0, 12, 3) !== util.hashSeeds(0, 13, 2)],
    [
      "withDefaults",
      util.withDefaults({ maxEpochs: 30, seed: 0 }, { seed: undefined, maxEpochs: 3 }),
    ],
    ["unknownSettingName", util.unknownSettingName({ maxEpoch: 2 }, { maxEpochs: true })],
    ["closestSettingName", util.closestSettingName("maxEpoch", ["maxEpochs", "batchSize"])],
    ["closestSettingName", util.closestSettingName("epochs", ["maxEpochs", "batchSize"])],
    ["formatPercent", util.formatPercent(0.5, 1)],
    ["formatPercent", util.formatPercent(9_062 / 9_066, 1)],
    ["timeLeftPhrase", util.timeLeftPhrase(128, 256, 20)],
    ["timeLeftPhrase", util.timeLeftPhrase(256, 256, 40)],
    ["workRate", util.workRate({ done: 3 * 2 ** 20, total: 2 ** 24, seconds: 2 }, util.MEBIBYTES)],
    ["workProgressLine", util.workProgressLine("evaluation (test)", util.USERS, work)],
    ["seriesColor", viz.seriesColor(0)],
    ["seriesColors", viz.seriesColors(["Pop (1 seed)", "SASRec-MM (5 seeds)"])],
    ["seriesColors", viz.seriesColors(["loss", "valid NDCG@10"])],
    ["withAlpha", viz.withAlpha("#ff0000", 0.2)],
    [
      "formatTable",
      viz.formatTable({
        kind: "table",
        columns: ["system", "NDCG@10", "seconds"],
        rows: [["Pop", 0.0123, 1.25], ["SASRec", 0.0456, 19.42131]],
        columnDigits: { seconds: 2 },
        best: { "NDCG@10": "higher" },
      }, "demo").cells,
    ],
    [
      "formatTableCells",
      viz.formatTableCells([["a", 1, 3], ["b", 0.98401, Number.NaN], ["c", null, undefined]], 4),
    ],
    ["formatTableCells", viz.formatTableCells([["x", 0.0075], ["y", -0.0282]], 4, [1])],
    [
      "tableHtml",
      viz.tableHtml(
        { kind: "table", columns: ["model", "NDCG@10"], rows: [["Pop", 0.01234]] },
        "demo",
      ),
    ],
    [
      "tracesOutsideDefaultBundle",
      viz.tracesOutsideDefaultBundle({ data: [{ type: "bar", x: ["a"], y: [1] }], layout: {} }),
    ],
  ];
  for (const [symbol, value] of lines) shown.push([symbol, `; // ${shownAs(value)}`]);
  const settingErrors = [{ epochs: 2 }, { maxEpoch: 2 }].map((settings) =>
    assertThrows(() =>
      util.checkSettingNames("TrainerConfig", settings, train.TRAINER_CONFIG_SETTINGS)
    )
  );
  // The example cuts the list of settings short: its start and its guess are compared.
  shown.push(["checkSettingNames", `// ${String(settingErrors[0]).split(", optimizer")[0]}, ...`]);
  shown.push(["checkSettingNames", `// ${String(settingErrors[1]).split(": one of")[0]}`]);
  shown.push(["checkSettingNames", `; ${String(settingErrors[1]).split("; ").at(-1)}`]);
  // The drop mask of a seed: kept entries scaled by 1 / (1 - 0.5), the same mask each call.
  const dropped = [0, 1].map(() =>
    tf.tidy(() => Array.from(backend.seededDropout(tf.ones([2, 3]), 0.5, 7).dataSync()))
  );
  assertEquals(dropped[0], dropped[1]);
  assert(dropped[0].every((value) => value === 0 || value === 2), `${dropped[0]}`);
  shown.push(["seededDropout", "entries 0 or 2, same for seed 7 every run"]);
  const packed = nn.packRows(Float32Array.of(0, 1, 1, 0, 0, 1), 2, 3);
  shown.push([
    "packRows",
    `// p.rows = ${listed(packed.rows)}, p.window = ${packed.window}, ` +
    `p.windowSlots = ${listed(packed.windowSlots)}, p.slots = ${listed(packed.slots)}`,
  ]);
  // initBackend registered the workspace's reduction gradients (registerWorkspaceKernels).
  const gradient = tf.tidy(() =>
    Array.from(tf.grad((x) => tf.mean(x, -1).sum())(tf.ones([2, 4])).dataSync())
  );
  assertEquals(gradient, new Array(8).fill(0.25));
  shown.push(["registerReductionGradients", "// 0.25 everywhere"]);
  assertEquals(notShown(texts, uncommented(shown)), []);
});

Deno.test({
  name: "the values the lib/prepare examples show of dslabs' MovieLens are what the code gives",
  ignore: !hasDslabs, // r-cran-dslabs, as tests/prepare/rds_reader_test.ts
  fn: async () => {
    // factorLabels's example showed ["Comedy|Drama", ...], not the genres' first labels.
    const texts = await libExampleTexts();
    const db = prepare.openLazyLoadDatabase(prepare.DSLABS_RDATA);
    const frame = prepare.asRDataFrame(db.read("movielens"), "movielens");
    const genres = prepare.factorLabels(frame.columns.get("genres")!, "genres");
    const rating = frame.columns.get("rating")!;
    assertEquals(rating.type, "double");
    assert((rating as { values: unknown }).values instanceof Float64Array);
    const shown: [string, string][] = [
      ["factorLabels", `// ${shownAs(genres.slice(0, 2)).slice(0, -1)}, ...]`],
      ["asRDataFrame", '// { type: "double", values: Float64Array [...] }'],
      [
        "readDslabsMovieLens",
        `raw.userId.length; // ${prepare.readDslabsMovieLens().userId.length}`,
      ],
    ];
    assertEquals(notShown(texts, uncommented(shown)), []);
  },
});

/**
 * Whether `code` reads as TypeScript or JavaScript rather than shell or output: an import from a
 * module, or a line that opens with a declaration or an `await`.
 */
function looksLikeScript(code: string): boolean {
  return /^\s*import\s[^\n]*\sfrom\s*["']|^\s*(?:const|let|await|export)\s/m.test(code);
}

Deno.test("looksLikeScript: imports, declarations and awaits, not shell or output", () => {
  assert(looksLikeScript('import { a } from "./mod.ts";'));
  assert(looksLikeScript("x();\n  const y = 1;"));
  assert(looksLikeScript("await f();"));
  assert(!looksLikeScript("deno task reproduce --all   # const"));
  assert(!looksLikeScript("flags=$(deno run scripts/task_permissions.ts reproduce)"));
  assert(!looksLikeScript("users                671"));
});

Deno.test("no block of README.md or docs/*.md hides code from the check under another fence", () => {
  // A TypeScript example fenced as ``` or ```js would be neither run nor type-checked: it must be
  // ```ts (checked) or ```ts ignore (a fragment, said so).
  const hidden = documents.flatMap((document) =>
    fencedBlocks(Deno.readTextFileSync(`${root}${document}`))
      .filter(({ info, code }) => !/^(?:ts|typescript)\b/.test(info) && looksLikeScript(code))
      .map(({ line, info }) => `${document}:${line}: a \`\`\`${info} block of TypeScript`)
  );
  assertEquals(hidden, []);
});

/** A project command a shell block runs with options, and the options it passes. */
interface ShownCommand {
  /** How its --help is asked for: `deno task <task>` or `deno run -A <script>`. */
  help: string[];
  /** What a failure names: the command as shown. */
  shown: string;
  options: string[];
}

/**
 * The project commands of a shell block and the options each is shown with: `deno task T`,
 * `./run.sh T` (which runs `deno task T`), `deno run ... script.ts`, and the GPU check's archive
 * script (`gpu_check.sh`, the options of `deno task gpu-check`). Options after a bare `--` go to
 * the reproduce calls (`deno task slurm -- --seeds 0,1`). Comments, other programs (`npm`, `tar`)
 * and `--option=value`'s value are left out; `[--opt]` is an option.
 */
function shownCommands(block: string): ShownCommand[] {
  const commands: ShownCommand[] = [];
  const text = block.replace(/\\\n/g, " ").replace(/(^|\s)#.*$/gm, "");
  for (const line of text.split(/\n|&&|;|\|/)) {
    const words = line.trim().split(/\s+/).filter((word) => !/^[A-Z_]+=/.test(word));
    let help: string[] | undefined;
    let rest: string[] = [];
    if (words[0] === "deno" && words[1] === "task" && words[2]) {
      help = ["task", "-q", words[2]];
      rest = words.slice(3);
    } else if (words[0] === "./run.sh" && words[1]) {
      help = ["task", "-q", words[1]];
      rest = words.slice(2);
    } else if (words[0] === "deno" && words[1] === "run") {
      const script = words.findIndex((word) => word.endsWith(".ts"));
      if (script < 0 || words[script].startsWith("$")) continue;
      help = ["run", "-A", words[script]];
      rest = words.slice(script + 1);
    } else if (words[0]?.endsWith("gpu_check.sh")) {
      help = ["task", "-q", "gpu-check"];
      rest = words.slice(1);
    }
    if (help === undefined) continue;
    const split = rest.indexOf("--");
    const options = (list: string[]) =>
      list.map((word) => word.replace(/^\[|\]$/g, "")).filter((word) => word.startsWith("--"))
        .map((word) => word.replace(/=.*$/, ""));
    const own = options(split < 0 ? rest : rest.slice(0, split));
    if (own.length > 0) commands.push({ help, shown: line.trim(), options: own });
    if (split >= 0) {
      commands.push({
        help: ["task", "-q", "reproduce"],
        shown: line.trim(),
        options: options(rest.slice(split + 1)),
      });
    }
  }
  return commands;
}

Deno.test("shownCommands: project commands and their options, not comments or other programs", () => {
  assertEquals(
    shownCommands(
      [
        "npm install --prefix /tmp/x y   # --not-this",
        "./run.sh reproduce --quick --dataset a \\",
        "  --features image=b",
        "DEMURE_BACKEND=webgpu deno task slurm --gpu -- --seeds 0,1",
        "deno run -A bench/x.ts [--steps=10] && tar -xJf a && demure-gpu-check/gpu_check.sh --tests",
        "deno task report",
      ].join("\n"),
    ).map(({ help, options }) => [help.join(" "), options]),
    [
      ["task -q reproduce", ["--quick", "--dataset", "--features"]],
      ["task -q slurm", ["--gpu"]],
      ["task -q reproduce", ["--seeds"]],
      ["run -A bench/x.ts", ["--steps"]],
      ["task -q gpu-check", ["--tests"]],
    ],
  );
});

Deno.test("every option a command of README.md or docs/*.md is shown with is one its --help names", async () => {
  // A reader copies these lines; an option renamed in the code and not in the docs stops their
  // run at "unknown option". Each command's --help is asked once.
  const shown: (ShownCommand & { where: string })[] = documents.flatMap((document) =>
    fencedBlocks(Deno.readTextFileSync(`${root}${document}`))
      .filter(({ info }) => info === "sh" || info === "") // shell, or unlabelled (output, trees, shell)
      .flatMap(({ line, code }) =>
        shownCommands(code).map((command) => ({ ...command, where: `${document}:${line}` }))
      )
  );
  // A command in the prose too: `deno task reproduce --list-cells [--quick]`.
  for (const document of documents) {
    const markdown = Deno.readTextFileSync(`${root}${document}`);
    for (const span of markdown.matchAll(/`((?:deno task|\.\/run\.sh|deno run) [^`\n]*)`/g)) {
      const line = markdown.slice(0, span.index).split("\n").length;
      for (const command of shownCommands(span[1])) {
        shown.push({ ...command, where: `${document}:${line}` });
      }
    }
  }
  // What the docs show today (reproduce, slurm, notebooks, profile, bench scripts, ...).
  assert(shown.length >= 40, `only ${shown.length} commands with options found`);
  const helps = new Map<string, string>();
  const asked = [...new Set(shown.map(({ help }) => help.join(" ")))];
  await Promise.all(asked.map(async (key) => {
    const output = await new Deno.Command(Deno.execPath(), {
      args: [...key.split(" "), "--help"],
      cwd: root,
      env: { NO_COLOR: "1" },
      stdin: "null",
      stdout: "piped",
      stderr: "piped",
    }).output();
    const text = new TextDecoder().decode(output.stdout) + new TextDecoder().decode(output.stderr);
    assertEquals(output.code, 0, `deno ${key} --help failed:\n${text}`);
    helps.set(key, text);
  }));
  const unknown = shown.flatMap(({ help, shown, options, where }) =>
    options.filter((option) => !new RegExp(`${option}(?![\\w-])`).test(helps.get(help.join(" "))!))
      .map((option) => `${where}: ${option} of "${shown}" is not in deno ${help.join(" ")} --help`)
  );
  assertEquals(unknown, []);
});
