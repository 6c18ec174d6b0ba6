/**
 * scripts/run_notebooks.ts leaves nothing behind when it refuses to run after checking that
 * `--out` can be written: a bad kernel flag (exit 2) or no Jupyter (exit 1) leaves no `--out`
 * folder, where the probe's folder used to stay, empty.
 */
import { assertEquals, assertStringIncludes } from "@std/assert";
import { removalOfMade } from "../_made_folders.ts";
import { pathExists } from "../../lib/util/path_exists.ts";

const root = new URL("../../", import.meta.url).pathname.replace(/\/$/, "");
const decode = (bytes: Uint8Array) => new TextDecoder().decode(bytes);

/** The notebooks task's command line (deno.json) with `args`, its environment `env`. */
async function notebooks(env: Record<string, string>, ...args: string[]) {
  const task = (JSON.parse(Deno.readTextFileSync(`${root}/deno.json`)) as {
    tasks: Record<string, string>;
  }).tasks.notebooks;
  const words = task.split(/\s+/);
  const output = await new Deno.Command(Deno.execPath(), {
    args: [...words.slice(words.indexOf("run")), ...args],
    cwd: root,
    env: { DEMURE_JUPYTER_PYTHON: "/nonexistent/python3", ...env },
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
  }).output();
  return { code: output.code, stdout: decode(output.stdout), stderr: decode(output.stderr) };
}

const refusals: [string, Record<string, string>, number, string][] = [
  ["a bad DEMURE_QUICK", { DEMURE_QUICK: "yes" }, 2, 'DEMURE_QUICK="yes"'],
  ["no Jupyter", {}, 1, "/nonexistent/python3"],
];

for (const [what, env, status, line] of refusals) {
  Deno.test(`notebooks: a run refused for ${what} leaves no --out folder`, async () => {
    const top = `build/notebooks/half-written-${crypto.randomUUID().slice(0, 8)}`;
    const removeMade = removalOfMade(`${root}/${top}`);
    try {
      const { code, stderr } = await notebooks(
        env,
        "--out",
        `${top}/deep`,
        "tests/notebook_runner/fixtures/outputs.ipynb",
      );
      assertEquals(code, status, stderr);
      assertStringIncludes(stderr, line);
      // Before: build/notebooks/half-written-*/deep stayed, empty.
      assertEquals(pathExists(`${root}/${top}`), false);
    } finally {
      removeMade();
    }
  });
}
