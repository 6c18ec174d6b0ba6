/**
 * Every TypeScript example in README.md and docs/*.md runs as written: a reader copies them into a
 * script in the project folder (their imports name "./mod.ts"), so each is run exactly so.
 * (docs/data.md's example once lacked `initBackend()` and named a feature file that does not exist:
 * copied verbatim, it stopped at its first tensor.)
 */
import { assert, assertEquals } from "@std/assert";
import { removalOfMade } from "../_made_folders.ts";
import {
  docJson,
  documents,
  examplesOf,
  exportedNames,
  folderModules,
  namesRead,
  root,
  type SymbolExample,
  typeScriptBlocks,
} from "./_doc_examples.ts";

/**
 * The folders under `results/` that `code` names (`"results/tiny-recbole/quick"`: `tiny-recbole`),
 * where an example may train and keep a model.
 */
function resultsFoldersNamed(code: string): string[] {
  return [...code.matchAll(/["'`](?:\.\/)?results\/([^"'`/]+)/g)].map((match) => match[1]);
}

Deno.test("resultsFoldersNamed: the folders under results/ an example names", () => {
  assertEquals(
    resultsFoldersNamed('x({ resultsDir: "results/tiny-recbole/quick" }); y("./results/a");'),
    ["tiny-recbole", "a"],
  );
  assertEquals(resultsFoldersNamed('const results = "data/results/x";'), []);
});

Deno.test("the ```ts examples of README.md and docs/ run as written from the project folder", async () => {
  let ran = 0;
  // docs/data.md's explanation example trains into results/tiny-recbole/quick/models/: a folder an
  // example names under results/ that was not there before is removed after (no other test uses
  // results/tiny-recbole). It used to stay in the checkout after every test run, and then
  // results/ itself, empty, in a checkout that had none.
  const removals = new Map<string, () => void>();
  try {
    await runExamples();
  } finally {
    for (const remove of removals.values()) remove();
  }
  // docs/data.md's example at least: a parser that found none would pass vacuously.
  assert(ran >= 1, "no ```ts example found");

  async function runExamples() {
    for (const document of documents) {
      for (
        const { line, code, ignore } of typeScriptBlocks(
          Deno.readTextFileSync(`${root}${document}`),
        )
      ) {
        if (ignore) continue; // a fragment (```ts ignore): it does not run alone
        for (const folder of resultsFoldersNamed(code)) {
          // Noted before the first example that names it: one there before is kept.
          if (!removals.has(folder)) {
            removals.set(folder, removalOfMade(`${root}results/${folder}`));
          }
        }
        const script = `${root}.doc-example-${crypto.randomUUID().slice(0, 8)}.ts`;
        Deno.writeTextFileSync(script, code);
        try {
          const output = await new Deno.Command(Deno.execPath(), {
            args: ["run", "-A", script],
            cwd: root,
            env: { DEMURE_BLAS_THREADS: "1" },
            stdin: "null",
            stdout: "piped",
            stderr: "piped",
          }).output();
          const stderr = new TextDecoder().decode(output.stderr);
          assertEquals(output.code, 0, `${document}:${line}: the example failed\n${stderr}`);
        } finally {
          Deno.removeSync(script);
        }
        ran += 1;
      }
    }
  }
});

Deno.test("the examples in the root mod.ts's docs name only what the root exports", async () => {
  // `deno doc mod.ts` is the researcher's reference, and a notebook imports the root alone; its
  // examples once named `DEFAULT_SYNTHETIC` (generateSynthetic) and `ensureCells` (the design
  // choices' and the sensitivity's rows), which only lib/<folder>/mod.ts exports: copied into a
  // notebook, each stopped at "is not defined" or "has no exported member".
  const rootModule = Object.values(await docJson(["mod.ts"]))[0] as {
    symbols: { name: string }[];
  };
  const rootNames = new Set(exportedNames(rootModule));
  const folders = folderModules();
  const libraryOnly = new Set(
    Object.values(await docJson(folders)).flatMap(exportedNames)
      .filter((name) => !rootNames.has(name)),
  );
  const examples: SymbolExample[] = [];
  for (const symbol of rootModule.symbols) examplesOf(symbol, symbol.name, examples);
  assert(examples.length >= 40, `only ${examples.length} examples found in the root's docs`);
  const wrong = examples.flatMap(({ symbol, code }) =>
    [...namesRead(code)].filter((name) => libraryOnly.has(name))
      .map((name) => `${symbol}'s example names ${name}, which mod.ts does not export`)
  );
  assertEquals(wrong, []);
});

Deno.test("namesRead: what an example reads, not properties, keys, strings or declarations", () => {
  assertEquals(
    [...namesRead('const { a } = f({ ...B, k: "x // y" }); a.c; // D\nlet e = g(e, C ? 1 : 2);')]
      .sort(),
    ["B", "C", "f", "g"],
  );
});

Deno.test("the root mod.ts exports what the docs tell a researcher to call or catch", async () => {
  // A notebook imports the root alone. Before, it exported `PairedTestResult` but neither test
  // that makes one (CellResult.perUserTest is kept "for paired tests"), the report sections but not
  // `writeHtmlReport` that takes them (docs/notebooks.md lists it with `display` and
  // `figureToPng`), and none of the errors its docs name (`SettingError`, `DataError`,
  // `TrainingDivergedError`), so an `instanceof` check needed a second import from lib/.
  const rootExports: Record<string, unknown> = await import("../../mod.ts");
  const named = [
    "pairedTTest",
    "wilcoxonSignedRank",
    "writeHtmlReport",
    "SettingError",
    "DataError",
    "TrainingDivergedError",
  ];
  assertEquals(named.filter((name) => typeof rootExports[name] !== "function"), []);
});

Deno.test("docs/notebooks.md calls, and the docs' errors, are the root's", async () => {
  // A notebook imports the root alone: a function docs/notebooks.md tells it to call
  // (`pairedTTest(...)`, `writeHtmlReport(path, ...)`) or an error any doc says is thrown
  // (`SettingError`, `DataError`) that the root does not export stops at "is not defined", or
  // needs a second import from lib/ for an `instanceof`. A call may be a method of a root class
  // (`strongest(user, k)` of AttributedHistories); a property call (`plan.cells.find(...)`) is not
  // a name.
  const rootExports: Record<string, unknown> = await import("../../mod.ts");
  const classes = Object.values(rootExports).filter((value) => typeof value === "function");
  const isRootName = (name: string) =>
    name in rootExports ||
    classes.some((value) => name in ((value as { prototype?: object }).prototype ?? {}));
  const spans = (document: string) =>
    [...Deno.readTextFileSync(`${root}${document}`).matchAll(/`([^`\n]+)`/g)].map((m) => m[1]);
  const calls = new Set(
    spans("docs/notebooks.md").flatMap((span) =>
      [...span.matchAll(/(?<![.\w$])([A-Za-z_$][\w$]*)\(/g)].map((match) => match[1])
    ),
  );
  const errors = new Set(
    documents.flatMap(spans).flatMap((span) =>
      [...span.matchAll(/(?<![.\w$])[A-Z]\w*Error(?![\w$])/g)].map((match) => match[0])
    ),
  );
  // What the docs name today, so that a parser that found nothing cannot pass vacuously.
  for (const name of ["pairedTTest", "wilcoxonSignedRank", "writeHtmlReport"]) {
    assert(calls.has(name), `docs/notebooks.md no longer calls ${name}`);
  }
  for (const name of ["SettingError", "DataError", "TrainingDivergedError", "InterruptedError"]) {
    assert(errors.has(name), `no doc names ${name}`);
  }
  assertEquals([...calls].filter((name) => !isRootName(name)), []);
  assertEquals([...errors].filter((name) => typeof rootExports[name] !== "function"), []);
});
