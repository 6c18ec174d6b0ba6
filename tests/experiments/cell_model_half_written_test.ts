/**
 * replaceKeptModel (lib/experiments/cell_model.ts) leaves nothing half-written when its copy
 * fails: the old kept model stays whole and no staging folder is left, cut short, for the sweep.
 */
import { assertEquals, assertThrows } from "@std/assert";
import { replaceKeptModel } from "../../lib/experiments/cell_model.ts";
import { pathExists } from "../../lib/util/path_exists.ts";

Deno.test("replaceKeptModel: a copy that fails midway keeps the old model, leaves no staging", () => {
  const dir = Deno.makeTempDirSync();
  try {
    const modelDir = `${dir}/models/cell`;
    Deno.mkdirSync(modelDir, { recursive: true });
    Deno.writeTextFileSync(`${modelDir}/best.json`, "old");
    const error = assertThrows(() =>
      replaceKeptModel(modelDir, (staging) => {
        Deno.writeTextFileSync(`${staging}/best.json`, "new");
        // The second file's source is gone: the copy stops after the first.
        Deno.copyFileSync(`${dir}/missing.safetensors`, `${staging}/best.safetensors`);
      })
    );
    assertEquals(error instanceof Deno.errors.NotFound, true);
    assertEquals([...Deno.readDirSync(modelDir)].map((entry) => entry.name), ["best.json"]);
    assertEquals(Deno.readTextFileSync(`${modelDir}/best.json`), "old");
    // Before: models/cell.staging stayed, holding the new best.json alone.
    assertEquals(pathExists(`${modelDir}.staging`), false);
    assertEquals([...Deno.readDirSync(`${dir}/models`)].map((entry) => entry.name), ["cell"]);
  } finally {
    Deno.removeSync(dir, { recursive: true });
  }
});
