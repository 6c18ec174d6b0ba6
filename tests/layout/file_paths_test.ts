/**
 * No module of lib/, scripts/ or bench/ takes a file's path as the `pathname` of a `file:` URL:
 * that path stays percent-encoded, so in a checkout under a folder whose name has a space
 * (`~/My Projects/demure`) it reads `My%20Projects`, and the data folder, the workspace a Slurm
 * job runs in or a script started again were "not found" (session 46). `fileURLToPath` of
 * `node:url` decodes it. Comments and the text of literals are not code, and are not flagged.
 */
import { assertEquals } from "@std/assert";
import { codeOnly } from "./_code_only.ts";

const ROOT = new URL("../../", import.meta.url);

/** Every .ts module under `dir` (a folder of the checkout): paths from the checkout's root. */
function modulesUnder(dir: string): string[] {
  return [...Deno.readDirSync(new URL(dir, ROOT))].flatMap((entry) => {
    const path = `${dir}${entry.name}`;
    if (entry.isDirectory) return modulesUnder(`${path}/`);
    return entry.name.endsWith(".ts") ? [path] : [];
  });
}

/** Where `source` reads `.pathname` of a URL made from `import.meta.url`: "line" for each. */
function encodedModulePaths(source: string): number[] {
  const code = codeOnly(source);
  return [...code.matchAll(/import\.meta\.url\s*\)\s*\.\s*pathname\b/g)].map((match) =>
    code.slice(0, match.index).split("\n").length
  );
}

Deno.test("the check finds a module path read as a URL's pathname, not one decoded or in a comment", () => {
  assertEquals(encodedModulePaths('const a = new URL("..", import.meta.url).pathname;'), [1]);
  assertEquals(encodedModulePaths("\nconst b = new URL(import.meta.url)\n  .pathname;"), [2]);
  assertEquals(encodedModulePaths('const c = fileURLToPath(new URL("..", import.meta.url));'), []);
  assertEquals(encodedModulePaths('// new URL("..", import.meta.url).pathname'), []);
});

Deno.test("no module of lib/, scripts/ or bench/ reads its own path as a URL's pathname", () => {
  const found = ["lib/", "scripts/", "bench/"].flatMap(modulesUnder).flatMap((path) =>
    encodedModulePaths(Deno.readTextFileSync(new URL(path, ROOT))).map((line) => `${path}:${line}`)
  );
  assertEquals(found, []);
});
