/**
 * removeIfPresent (lib/util/remove_if_present.ts), the one home of "remove this tree if it is
 * there" (lib/experiments/cell_model.ts, cell_checkpoints.ts and scripts/kubernetes/generate.ts had
 * copies).
 */
import { assertEquals, assertThrows } from "@std/assert";
import { pathExists, removeIfPresent } from "../../lib/util/mod.ts";

Deno.test("removeIfPresent: removes a folder with what it holds, and a gone one is no error", () => {
  const dir = Deno.makeTempDirSync({ prefix: "remove_if_present_test_" });
  try {
    Deno.mkdirSync(`${dir}/tree/sub`, { recursive: true });
    Deno.writeTextFileSync(`${dir}/tree/sub/f`, "x");
    Deno.writeTextFileSync(`${dir}/kept`, "");
    removeIfPresent(`${dir}/tree`);
    assertEquals(pathExists(`${dir}/tree`), false);
    assertEquals(pathExists(`${dir}/kept`), true);
    removeIfPresent(`${dir}/tree`);
    removeIfPresent(`${dir}/kept`);
    assertEquals([...Deno.readDirSync(dir)], []);
  } finally {
    Deno.removeSync(dir, { recursive: true });
  }
});

Deno.test("removeIfPresent: a failure other than not found is thrown, never taken as done", () => {
  const dir = Deno.makeTempDirSync({ prefix: "remove_if_present_test_" });
  try {
    Deno.writeTextFileSync(`${dir}/file`, "");
    // A file on the path: "not a directory", which says nothing of whether the target is gone.
    assertThrows(() => removeIfPresent(`${dir}/file/below`), Deno.errors.NotADirectory);
  } finally {
    Deno.removeSync(dir, { recursive: true });
  }
});
