/**
 * The dependency graph of the folders of `lib/`, derived from the import and export specifiers of
 * their files, and the layout rules it must follow: no cycle between folders (imports only go
 * down), no file starting with `_` imported from another folder, a `mod.ts` in every folder that
 * only re-exports, and no import of the top folders ({@linkcode TOP_FOLDERS}) from another folder.
 *
 * Inside `lib/`, an import from another folder names the public file it needs rather than the
 * folder's `mod.ts`: a `mod.ts` loads its whole folder, and some folders are heavy to load
 * (`lib/data/mod.ts` pulls in danfo.js and tfjs: importing it took 4.7-5.0 s against 0.4 s for
 * `lib/data/protocol/batcher.ts`, `deno run`, warm cache, loaded 2-core machine). Notebooks and
 * scripts import the root `mod.ts` (or a folder's `mod.ts` for what the root leaves out), except
 * the few listed in {@linkcode DIRECT_LIB_IMPORTS}.
 *
 *   deno run --allow-read scripts/folder_graph.ts    prints the graph; exits 1 on a broken rule
 *
 * `tests/layout/folder_graph_test.ts` runs the same checks (once the encoders -> models back-edge
 * is gone).
 *
 * @module
 */
import { dirname, join, normalize, relative } from "node:path";
import { fileURLToPath } from "node:url";

/** One import of a file in another folder of `lib/`. */
export interface FolderImport {
  /** Importing file, relative to the repository root. */
  from: string;
  /** Imported file, relative to the repository root. */
  to: string;
}

/** The folders of `lib/` and the imports between them. */
export interface FolderGraph {
  /** Folder name (first path segment under `lib/`) to the folders it imports. */
  edges: Map<string, Set<string>>;
  /** Every cross-folder import, for error messages. */
  imports: FolderImport[];
  /** Folders of `lib/`. */
  folders: string[];
}

const SPECIFIER = /(?:^|\n)\s*(?:import|export)\b[^;'"]*?(?:from\s*)?["']([^"']+)["']/g;
const DYNAMIC = /\bimport\(\s*["']([^"']+)["']\s*\)/g;

function walk(dir: string, out: string[] = []): string[] {
  for (const entry of Deno.readDirSync(dir)) {
    const path = join(dir, entry.name);
    if (entry.isDirectory) walk(path, out);
    else if (entry.isFile && entry.name.endsWith(".ts")) out.push(path);
  }
  return out;
}

/** Relative specifiers (`./x.ts`, `../y/z.ts`) imported or re-exported by `source`. */
export function relativeSpecifiers(source: string): string[] {
  const found: string[] = [];
  for (const pattern of [SPECIFIER, DYNAMIC]) {
    for (const match of source.matchAll(pattern)) {
      if (match[1].startsWith(".")) found.push(match[1]);
    }
  }
  return found;
}

/** Builds the folder graph of `<root>/lib`. */
export function folderGraph(root: string): FolderGraph {
  const lib = join(root, "lib");
  const folders = [...Deno.readDirSync(lib)].filter((e) => e.isDirectory).map((e) => e.name)
    .sort();
  const edges = new Map(folders.map((f) => [f, new Set<string>()]));
  const imports: FolderImport[] = [];
  for (const file of walk(lib).sort()) {
    const from = relative(root, file);
    const folder = from.split("/")[1];
    for (const specifier of relativeSpecifiers(Deno.readTextFileSync(file))) {
      const to = normalize(join(dirname(from), specifier));
      const target = to.split("/");
      if (target[0] !== "lib" || target.length < 3 || target[1] === folder) continue;
      edges.get(folder)?.add(target[1]);
      imports.push({ from, to });
    }
  }
  return { edges, imports, folders };
}

/**
 * The cycles of the graph, one path `[a, b, ..., a]` per back edge of a depth-first search (a
 * component with several cycles can give several).
 */
export function folderCycles(graph: FolderGraph): string[][] {
  const cycles: string[][] = [];
  const state = new Map<string, "open" | "done">();
  const stack: string[] = [];
  const visit = (folder: string) => {
    state.set(folder, "open");
    stack.push(folder);
    for (const next of [...(graph.edges.get(folder) ?? [])].sort()) {
      if (state.get(next) === "open") {
        cycles.push([...stack.slice(stack.indexOf(next)), next]);
      } else if (!state.has(next)) {
        visit(next);
      }
    }
    stack.pop();
    state.set(folder, "done");
  };
  for (const folder of graph.folders) if (!state.has(folder)) visit(folder);
  return cycles;
}

/** Imports of a private file (name starting with `_`) from another folder. */
export function privateImports(graph: FolderGraph): FolderImport[] {
  return graph.imports.filter(({ to }) => to.split("/").at(-1)!.startsWith("_"));
}

/**
 * Folders of `<root>/lib` without a `mod.ts`, or whose `mod.ts` does more than re-export
 * (anything besides comments and `export ... from "..."` statements).
 */
export function modFileProblems(root: string, graph: FolderGraph): string[] {
  const problems: string[] = [];
  for (const folder of graph.folders) {
    const path = join(root, "lib", folder, "mod.ts");
    let source: string;
    try {
      source = Deno.readTextFileSync(path);
    } catch {
      problems.push(`lib/${folder} has no mod.ts`);
      continue;
    }
    const code = source
      .replace(/\/\*[\s\S]*?\*\//g, "")
      .replace(/\/\/.*$/gm, "")
      .replace(
        /export\s+(?:type\s+)?(?:\*(?:\s+as\s+\w+)?|\{[^}]*\})\s+from\s+["'][^"']+["'];?/g,
        "",
      )
      .trim();
    if (code !== "") {
      problems.push(`lib/${folder}/mod.ts does more than re-export: ${code.slice(0, 80)}`);
    }
  }
  return problems;
}

/**
 * Folders at the top of the graph, which no other folder of `lib/` may import: what runs inside a
 * notebook kernel (`notebook`), the tools that run notebooks (`notebook_runner`) and the one-off
 * data preparation (`prepare`) are used by notebooks and scripts, never by the library.
 */
export const TOP_FOLDERS: readonly string[] = ["notebook", "notebook_runner", "prepare"];

/** Imports of a {@linkcode TOP_FOLDERS} folder from another folder of `lib/`. */
export function topFolderImports(
  graph: FolderGraph,
  top: readonly string[] = TOP_FOLDERS,
): FolderImport[] {
  return graph.imports.filter(({ to }) => top.includes(to.split("/")[1]));
}

/** Every broken layout rule of `<root>/lib`, one line each (empty when the layout is sound). */
export function layoutProblems(root: string, top: readonly string[] = TOP_FOLDERS): string[] {
  const graph = folderGraph(root);
  const problems = folderCycles(graph).map((cycle) => {
    const witnesses = cycle.slice(0, -1).map((folder, i) => {
      const next = cycle[i + 1];
      const example = graph.imports.find(({ from, to }) =>
        from.split("/")[1] === folder && to.split("/")[1] === next
      );
      return `${example?.from} imports ${example?.to}`;
    });
    return `folder cycle ${cycle.join(" -> ")} (${witnesses.join("; ")})`;
  });
  for (const { from, to } of privateImports(graph)) {
    problems.push(`${from} imports the private file ${to} of another folder`);
  }
  problems.push(...modFileProblems(root, graph));
  for (const { from, to } of topFolderImports(graph, top)) {
    problems.push(
      `${from} imports ${to}: ${
        to.split("/")[1]
      } is a top folder (only notebooks and scripts use it)`,
    );
  }
  return problems;
}

/** Folders whose files use the library from outside, as notebooks do: scripts and benchmarks. */
export const CONSUMER_FOLDERS: readonly string[] = ["scripts", "bench"];

/**
 * The exceptions to "consumers import only `mod.ts` files": a consumer file and the `lib/` files it
 * may import directly. Only for a script that must answer before the library loads, and only files
 * its folder's `mod.ts` re-exports (public) that import no package.
 * - `scripts/reproduce_options.ts`: `deno task reproduce --help` and its option errors. Through the
 *   barrels they loaded tfjs first: 1.19 s against 0.13 s (median of 5, idle 2-core machine).
 *   (cell_claim.ts, file_stopping.ts, records_dir.ts: what its usage states; no code imports;
 *   plan_warmup.ts too, which imports lib/demure/warmup_steps.ts alone.)
 * - `scripts/cli/seeds_option.ts`, which reproduce_options.ts loads: settings.ts, for SEED_RANGE,
 *   the range `--seeds` is checked against and the usages state.
 * - `scripts/cluster/submission.ts`: the cluster routes check `--backend` under the `kubernetes`
 *   task's narrow permissions, which loading tfjs would exceed.
 */
export const DIRECT_LIB_IMPORTS: Readonly<Record<string, readonly string[]>> = {
  "scripts/reproduce_options.ts": [
    "lib/eval/protocol.ts",
    "lib/experiments/dataset_spec.ts",
    "lib/backend/blas_threads.ts",
    "lib/backend/blas_kernels.ts",
    "lib/experiments/cell_claim.ts",
    "lib/experiments/file_stopping.ts",
    "lib/experiments/records_dir.ts",
    "lib/experiments/plan_warmup.ts",
  ],
  "scripts/cli/seeds_option.ts": ["lib/util/settings.ts"],
  "scripts/cluster/submission.ts": ["lib/backend/backend_names.ts"],
};

/** The code of a notebook's cells (an `.ipynb` file), one cell after another. */
function notebookCode(path: string): string {
  const notebook = JSON.parse(Deno.readTextFileSync(path)) as {
    cells: { cell_type: string; source: string | string[] }[];
  };
  return notebook.cells
    .filter((cell) => cell.cell_type === "code")
    .map((cell) => typeof cell.source === "string" ? cell.source : cell.source.join(""))
    .join("\n");
}

/**
 * Imports of a file of `lib/` other than a folder's `mod.ts` by a script, a benchmark
 * ({@linkcode CONSUMER_FOLDERS}) or a notebook (`notebooks/*.ipynb`): they use the library as a
 * researcher does, through the root `mod.ts` or, for what it leaves out, `lib/<folder>/mod.ts`.
 * The imports listed in `allowed` ({@linkcode DIRECT_LIB_IMPORTS}) are not reported.
 */
export function consumerImports(
  root: string,
  consumers: readonly string[] = CONSUMER_FOLDERS,
  allowed: Readonly<Record<string, readonly string[]>> = DIRECT_LIB_IMPORTS,
): FolderImport[] {
  const sources: [string, string][] = [];
  for (const folder of consumers) {
    const dir = join(root, folder);
    try {
      if (!Deno.statSync(dir).isDirectory) continue;
    } catch {
      continue;
    }
    for (const file of walk(dir).sort()) sources.push([file, Deno.readTextFileSync(file)]);
  }
  const notebooks = join(root, "notebooks");
  try {
    for (const entry of [...Deno.readDirSync(notebooks)].sort((a, b) => a.name < b.name ? -1 : 1)) {
      if (!entry.isFile || !entry.name.endsWith(".ipynb")) continue;
      const file = join(notebooks, entry.name);
      sources.push([file, notebookCode(file)]);
    }
  } catch (error) {
    if (!(error instanceof Deno.errors.NotFound)) throw error;
  }
  const found: FolderImport[] = [];
  for (const [file, source] of sources) {
    const from = relative(root, file);
    for (const specifier of relativeSpecifiers(source)) {
      const to = normalize(join(dirname(from), specifier));
      const target = to.split("/");
      const isFolderMod = target.length === 3 && target[2] === "mod.ts";
      if (target[0] === "lib" && !isFolderMod && !allowed[from]?.includes(to)) {
        found.push({ from, to });
      }
    }
  }
  return found;
}

/** Every import of a private `lib/` file by a script, benchmark or notebook, one line each. */
export function consumerProblems(
  root: string,
  consumers: readonly string[] = CONSUMER_FOLDERS,
  allowed: Readonly<Record<string, readonly string[]>> = DIRECT_LIB_IMPORTS,
): string[] {
  return consumerImports(root, consumers, allowed).map(({ from, to }) =>
    `${from} imports ${to}: import the root mod.ts or lib/${to.split("/")[1]}/mod.ts`
  );
}

/**
 * The command line, which takes no argument but `--help`: arguments were ignored, so `--help` or a
 * typo ran the whole check. Read here, not by scripts/cli/options.ts: tests run a lone copy of this
 * file in a fixture tree.
 */
function checkArguments(args: readonly string[]): void {
  if (args.length === 1 && (args[0] === "--help" || args[0] === "-h")) {
    console.log(
      "usage: deno run --allow-read scripts/folder_graph.ts   prints the graph of lib/'s " +
        "folders; exits 1 on a broken layout rule",
    );
    Deno.exit(0);
  }
  if (args.length > 0) {
    // `--help x`: name the word that does not belong, not the help asked for beside it.
    const stray = args.find((word) => word !== "--help" && word !== "-h") ?? args[1];
    console.error(
      `folder_graph: unexpected argument "${stray}" (the script takes none); see --help`,
    );
    Deno.exit(2);
  }
}

if (import.meta.main) {
  checkArguments(Deno.args);
  const root = fileURLToPath(new URL("..", import.meta.url));
  const graph = folderGraph(root);
  for (const [folder, targets] of graph.edges) {
    console.log(`${folder.padEnd(12)} -> ${[...targets].sort().join(", ")}`);
  }
  const problems = [...layoutProblems(root), ...consumerProblems(root)];
  for (const problem of problems) console.error(problem);
  if (problems.length > 0) Deno.exit(1);
}
