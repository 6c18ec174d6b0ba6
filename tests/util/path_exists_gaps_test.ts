/**
 * pathExists and readTextIfExists beyond tests/util/path_exists_test.ts: a link is followed (a
 * broken one is "not found", a link to a file is that file), and a path through a file is an error
 * for readTextIfExists too, not "no file".
 */
import { assertEquals, assertThrows } from "@std/assert";
import { pathExists, readTextIfExists } from "../../lib/util/path_exists.ts";

Deno.test("pathExists and readTextIfExists follow a link: a broken one is not found", () => {
  const folder = Deno.makeTempDirSync();
  try {
    Deno.writeTextFileSync(`${folder}/plan.json`, "{}");
    Deno.symlinkSync(`${folder}/plan.json`, `${folder}/linked.json`);
    Deno.symlinkSync(`${folder}/gone.json`, `${folder}/broken.json`);
    assertEquals([pathExists(`${folder}/linked.json`), readTextIfExists(`${folder}/linked.json`)], [
      true,
      "{}",
    ]);
    // What the link names is not there: nothing to read, as for readTextIfExists.
    assertEquals(
      [pathExists(`${folder}/broken.json`), readTextIfExists(`${folder}/broken.json`)],
      [false, undefined],
    );
  } finally {
    Deno.removeSync(folder, { recursive: true });
  }
});

Deno.test("readTextIfExists: a path through a file is an error (ENOTDIR), not 'no file'", () => {
  const folder = Deno.makeTempDirSync();
  try {
    Deno.writeTextFileSync(`${folder}/results`, "a file where a folder belongs");
    // Answering none here would start afresh although the path itself is wrong.
    assertThrows(() => readTextIfExists(`${folder}/results/plan.json`));
  } finally {
    Deno.removeSync(folder, { recursive: true });
  }
});
