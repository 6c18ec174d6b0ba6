/**
 * `readJsonFile` (scripts/cli/json_file.ts) directly: a missing file is a UsageError (with or
 * without its hint), an unreadable one a ScriptFailure naming the file, and malformed JSON one
 * line even when the text spans several. Found by mutation round GB (GB39, GB40, GB41).
 */
import { assert, assertEquals, assertStringIncludes, assertThrows } from "@std/assert";
import { readJsonFile } from "../../scripts/cli/json_file.ts";
import { ScriptFailure, UsageError } from "../../scripts/cli/options.ts";

Deno.test("readJsonFile: parsed contents; missing, unreadable and malformed files each in one line", () => {
  const folder = Deno.makeTempDirSync({ prefix: "json_file_" });
  try {
    const good = `${folder}/good.json`;
    Deno.writeTextFileSync(good, '{"a": [1, 2]}');
    assertEquals(readJsonFile(good), { a: [1, 2] });
    const missing = `${folder}/missing.json`;
    const bare = assertThrows(() => readJsonFile(missing), UsageError);
    assertEquals(bare.message, `${missing}: no such file`);
    const hinted = assertThrows(() => readJsonFile(missing, "a stored cell"), UsageError);
    assertEquals(hinted.message, `${missing}: no such file (a stored cell)`);
    // A folder exists but cannot be read as text: not "no such file", and not a usage mistake.
    const unreadable = assertThrows(() => readJsonFile(folder), ScriptFailure);
    assertStringIncludes(unreadable.message, `${folder}: cannot read (`);
    assert(!(unreadable instanceof UsageError), "an unreadable file is not a usage mistake");
    const bad = `${folder}/bad.json`;
    Deno.writeTextFileSync(bad, "[1,\n2,\nx]\n");
    const malformed = assertThrows(() => readJsonFile(bad), ScriptFailure);
    assertStringIncludes(malformed.message, `${bad}: not JSON (`);
    assert(!/\n/.test(malformed.message), `one line: ${JSON.stringify(malformed.message)}`);
  } finally {
    Deno.removeSync(folder, { recursive: true });
  }
});
