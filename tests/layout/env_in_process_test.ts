/**
 * No test sets or deletes an environment variable in the suite's own process. `deno test
 * --parallel` runs every test module in one process: a `Deno.env.set` there changes what every
 * other test running at that moment reads, and what every program they start inherits. A test
 * that needs a variable gives it to a process of its own (`env:` of `Deno.Command`, or the code
 * that process runs: tests/_eval_in_subprocess.ts). Code inside a string or template literal is
 * such code, and is not flagged; comments are not code.
 */
import { assertEquals } from "@std/assert";
import { codeOnly } from "./_code_only.ts";

const TESTS = new URL("../", import.meta.url).pathname;

/** Where `source` calls `Deno.env.set` or `Deno.env.delete` itself: "line: call" for each. */
function inProcessEnvWrites(source: string): string[] {
  const code = codeOnly(source);
  return [...code.matchAll(/\bDeno\s*\.\s*env\s*\.\s*(set|delete)\b/g)].map((match) =>
    `${code.slice(0, match.index).split("\n").length}: Deno.env.${match[1]}`
  );
}

/** Every module under tests/ (test files and the helpers they import): paths from tests/. */
function testModules(dir = TESTS, prefix = ""): string[] {
  return [...Deno.readDirSync(dir)].flatMap((entry) => {
    const path = `${prefix}${entry.name}`;
    if (entry.isDirectory) return testModules(`${dir}${entry.name}/`, `${path}/`);
    return /\.(ts|tsx|mts|js|mjs)$/.test(entry.name) ? [path] : [];
  });
}

/**
 * Modules under tests/ that a test runs as a child's program (`deno run`), never imports: their
 * own code is the child's, and may set its environment. Each is checked to be imported by no
 * module under tests/.
 */
const CHILD_PROGRAMS = [
  // Deletes DEMURE_BENCH_BACKENDS, then imports the benchmark (evaluation_bench_test.ts).
  "bench/_evaluation_bench_registrations.ts",
  // Probe and activate WebGPU (ENV_SETTING_EXPORTS), run by `deno test` from webgpu*_test.ts.
  "backend/_webgpu_cases.ts",
  "backend/_webgpu_ordered_sums_cases.ts",
  "backend/_webgpu_uploads_cases.ts",
];

/**
 * Library functions that set environment variables in their own process and keep them, for a
 * native library that reads them when it loads (lib/backend/webgpu.ts: DENO_WEBGPU_BACKEND and
 * XDG_RUNTIME_DIR, for wgpu), by path from the project root. A module in the suite's process that
 * imports one changes the suite's environment through it. Only imports are seen: library code that
 * calls one of them (`initBackend` with a forced webgpu) is out of this check's reach.
 */
const ENV_SETTING_EXPORTS: Record<string, string[]> = {
  "lib/backend/webgpu.ts": ["probeWebgpu", "activateWebgpu"],
};

const ROOT = new URL("../../", import.meta.url).href;

/**
 * Where `source` (the module `path`, from tests/) imports or re-exports one of
 * {@linkcode ENV_SETTING_EXPORTS} itself, statically or with `import()`: "line: name" for each.
 * Imports written inside a literal (a child's code) are not its own.
 */
function envSettingImports(source: string, path: string): string[] {
  const code = codeOnly(source);
  const base = `${ROOT}tests/${path}`;
  /** The names `file` (a specifier at `at` in the raw source) would bring that set the env. */
  const setters = (at: number): string[] => {
    const specifier = source.slice(at).match(/^\s*["']([^"']+)["']/)?.[1];
    if (specifier === undefined || !specifier.startsWith(".")) return [];
    return ENV_SETTING_EXPORTS[new URL(specifier, base).href.slice(ROOT.length)] ?? [];
  };
  const lineOf = (index: number) => code.slice(0, index).split("\n").length;
  const found: string[] = [];
  const statics = /\b(?:import|export)\s+(type\s+)?(\{[^}]*\}|\*\s*as\s+\w+|\*)\s*from\b/g;
  for (const match of code.matchAll(statics)) {
    const names = setters(match.index + match[0].length);
    if (match[1] !== undefined || names.length === 0) continue;
    const taken = match[2].startsWith("*") ? names : match[2].slice(1, -1).split(",")
      .map((part) => part.trim().split(/\s+as\s+/)[0])
      .filter((name) => names.includes(name));
    for (const name of taken) found.push(`${lineOf(match.index)}: ${name}`);
  }
  for (const match of code.matchAll(/\bimport\s*\(/g)) {
    for (const name of setters(match.index + match[0].length)) {
      found.push(`${lineOf(match.index)}: ${name}`);
    }
  }
  return found;
}

Deno.test("no test sets or deletes an environment variable in the suite's own process", () => {
  const modules = testModules();
  for (const program of CHILD_PROGRAMS) {
    const name = program.split("/").at(-1)!;
    const importers = modules.filter((path) =>
      new RegExp(`\\b(from|import)\\s*\\(?\\s*["'][^"']*/${name.replace(".", "\\.")}["']`)
        .test(Deno.readTextFileSync(`${TESTS}${path}`))
    );
    assertEquals([modules.includes(program), importers], [true, []], `${program}: a child's only`);
  }
  const found = modules.filter((path) => !CHILD_PROGRAMS.includes(path)).flatMap((path) =>
    inProcessEnvWrites(Deno.readTextFileSync(`${TESTS}${path}`)).map((at) => `tests/${path}:${at}`)
  );
  assertEquals(
    found,
    [],
    "set it for a process of its own instead (tests/_eval_in_subprocess.ts, or env: of " +
      "Deno.Command): deno test --parallel runs every test module in this one process",
  );
});

Deno.test("no test module imports a library function that sets the environment and keeps it", () => {
  for (const [lib, names] of Object.entries(ENV_SETTING_EXPORTS)) {
    // The list is not stale: the module sets a variable, and exports each function named.
    const source = Deno.readTextFileSync(new URL(lib, ROOT));
    assertEquals(inProcessEnvWrites(source).length > 0, true, `${lib}: sets no variable`);
    for (const name of names) {
      assertEquals(new RegExp(`export (async )?function ${name}\\b`).test(source), true, name);
    }
  }
  const found = testModules().filter((path) => !CHILD_PROGRAMS.includes(path)).flatMap((path) =>
    envSettingImports(Deno.readTextFileSync(`${TESTS}${path}`), path).map((at) =>
      `tests/${path}:${at}`
    )
  );
  assertEquals(
    found,
    [],
    "run it in a process of its own (tests/_eval_in_subprocess.ts: evalInSubprocess, or " +
      "testInSubprocess for a whole module listed in CHILD_PROGRAMS)",
  );
});

Deno.test("the import check: static, namespace and dynamic imports of the setters; not in a literal", () => {
  const at = "backend/some_test.ts";
  const source =
    `import { activateWebgpu, probeWebgpu as probe } from "../../lib/backend/webgpu.ts";
import { webgpuBackendRequest } from "../../lib/backend/webgpu.ts";
import type { WebgpuProbe } from "../../lib/backend/webgpu.ts";
import * as webgpu from "../../lib/backend/webgpu.ts";
export { probeWebgpu } from "../../lib/backend/webgpu.ts";
const late = await import("../../lib/backend/webgpu.ts");
const child = \`import { probeWebgpu } from "./lib/backend/webgpu.ts";\`;
// import { probeWebgpu } from "../../lib/backend/webgpu.ts";
import { probeWebgpu as elsewhere } from "../lib/backend/webgpu.ts";`;
  assertEquals(envSettingImports(source, at), [
    "1: activateWebgpu",
    "1: probeWebgpu",
    "4: probeWebgpu",
    "4: activateWebgpu",
    "5: probeWebgpu",
    "6: probeWebgpu",
    "6: activateWebgpu",
  ]);
});

Deno.test("the env check: calls in code are found; in a literal or a comment they are not", () => {
  // As tests/util/env_flag_test.ts and lab_stand_in_test.ts had them (before envtests44).
  const inProcess = `const read = (value: string | undefined) => {
  if (value === undefined) Deno.env.delete(name);
  else Deno.env.set(name, value);
};
Deno . env
  .set("JUPYTER_PATH", "/elsewhere/jupyter"); // split over lines
const x = \`\${Deno.env.set("IN_AN_INTERPOLATION", "1")}\`;`;
  assertEquals(inProcessEnvWrites(inProcess), [
    "2: Deno.env.delete",
    "3: Deno.env.set",
    "5: Deno.env.set",
    "7: Deno.env.set",
  ]);
  // As tests/backend/require_backend_test.ts and openblas_path_test.ts have them: the code of a
  // subprocess, in a template literal, with interpolations of the test's own.
  const inAChild = `const code = \`import { loadOpenBlas } from "\${module}";
Deno.env.delete("DEMURE_OPENBLAS");
Deno.env.set("DEMURE_OPENBLAS", \${JSON.stringify(\`\${dir}/lib\`)});\`;
const line = 'Deno.env.set("A", "1")' + "Deno.env.delete('B')";
// Deno.env.set("IN_A_COMMENT", "1")
/* Deno.env.delete("IN_A_BLOCK_COMMENT") */
const quote = /["'\`]/g; Deno.env.get("ONLY_READ"); const half = 1 / 2;
const after = /\\/\`/.test(line) ? "Deno.env.set(" : \`\`;`;
  assertEquals(inProcessEnvWrites(inAChild), []);
  // A regular expression with a quote or a backtick, then code: still code.
  assertEquals(inProcessEnvWrites('const q = /["`]/;\nDeno.env.set("A", "1");'), [
    "2: Deno.env.set",
  ]);
  // A division is not a regular expression: the call after it is found.
  assertEquals(
    inProcessEnvWrites('const h = a / 2; const i = b / 3; Deno.env.set("A", "1");'),
    ["1: Deno.env.set"],
  );
});

Deno.test("the env check: the files that give a variable to a child only are not flagged", () => {
  for (const path of ["backend/require_backend_test.ts", "backend/openblas_path_test.ts"]) {
    const source = Deno.readTextFileSync(`${TESTS}${path}`);
    // They do write Deno.env.set/delete, inside the code their children run.
    assertEquals(/Deno\.env\.(set|delete)/.test(source), true, path);
    assertEquals(inProcessEnvWrites(source), [], path);
  }
});
