/**
 * ResultStore.put (lib/experiments/result_store.ts) leaves nothing half-written: a result that
 * cannot be serialised is an error naming the cell's file, and the stored result stays whole; a
 * write that fails on a full disk keeps the old file and leaves no temporary.
 */
import { assertEquals, assertStringIncludes, assertThrows } from "@std/assert";
import { ResultStore } from "../../lib/experiments/result_store.ts";
import { projectModule } from "../_eval_in_subprocess.ts";
import { runOnFullDisk } from "../_full_disk.ts";

function names(dir: string): string[] {
  return [...Deno.readDirSync(dir)].map((entry) => entry.name).sort();
}

const cycle: Record<string, unknown> = { hr: 0.5 };
cycle.self = cycle;

for (const [what, result] of [["a BigInt", { hr: 1n }], ["a cycle", cycle]] as const) {
  Deno.test(`ResultStore.put: ${what} in the result names the file; the old result stays`, () => {
    const dir = Deno.makeTempDirSync();
    try {
      const store = new ResultStore(dir);
      store.put("cell", { seed: 1 }, { hr: 0.25 });
      const path = store.pathOf("cell");
      const before = Deno.readTextFileSync(path);
      const files = names(dir);
      const error = assertThrows(() => store.put("cell", { seed: 1 }, result));
      assertStringIncludes(
        error.message,
        `${path}: the result of "cell" cannot be written as JSON`,
      );
      assertEquals(Deno.readTextFileSync(path), before);
      assertEquals(names(dir), files);
      assertEquals(store.get("cell", { seed: 1 }), { hr: 0.25 });
    } finally {
      Deno.removeSync(dir, { recursive: true });
    }
  });
}

Deno.test("ResultStore.put: a full disk keeps the old result whole, leaves no temporary", async () => {
  const dir = Deno.makeTempDirSync();
  try {
    const store = new ResultStore(dir);
    store.put("cell", { seed: 1 }, { hr: 0.25 });
    const before = names(dir);
    const old = Deno.readTextFileSync(store.pathOf("cell"));
    const run = await runOnFullDisk(
      `import { ResultStore } from ${projectModule("lib/experiments/result_store.ts")};\n` +
        `try {\n` +
        `  new ResultStore(Deno.args[0]).put("cell", { seed: 1 }, { hr: 0.75 });\n` +
        `  console.log("written");\n` +
        `} catch (error) {\n` +
        `  console.log((error as Error).message);\n` +
        `}`,
      [dir],
    );
    assertEquals(run.code, 0, run.stderr);
    assertStringIncludes(run.stdout, "File too large");
    assertEquals(Deno.readTextFileSync(store.pathOf("cell")), old);
    assertEquals(names(dir), before);
  } finally {
    Deno.removeSync(dir, { recursive: true });
  }
});
