import { assertEquals, assertThrows } from "@std/assert";
import { pathExists, readTextIfExists } from "../../lib/util/path_exists.ts";

Deno.test("pathExists and readTextIfExists: only 'not found' answers no; other failures are thrown", () => {
  const folder = Deno.makeTempDirSync();
  try {
    const file = `${folder}/a.json`;
    assertEquals([pathExists(file), readTextIfExists(file)], [false, undefined]);
    Deno.writeTextFileSync(file, "{}");
    assertEquals([pathExists(file), readTextIfExists(file)], [true, "{}"]);
    // A folder where a file is expected cannot be read: an error, not "none".
    assertThrows(() => readTextIfExists(folder));
    // A path through a file is not "not found" (ENOTDIR): answering no would hide the mistake.
    assertThrows(() => pathExists(`${file}/b.json`));
  } finally {
    Deno.removeSync(folder, { recursive: true });
  }
});
