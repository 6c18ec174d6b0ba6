/**
 * A malformed JSON file is a failure of the file (status 1), not a mistake in the command line:
 * readJsonFile's error for it is a ScriptFailure that is no UsageError, which runScript would
 * print with "; see --help" and status 2. Found by mutation round mu53c (J4).
 */
import { assert, assertThrows } from "@std/assert";
import { readJsonFile } from "../../scripts/cli/json_file.ts";
import { ScriptFailure, UsageError } from "../../scripts/cli/options.ts";

Deno.test("readJsonFile: malformed JSON is a ScriptFailure, not a usage mistake", () => {
  const folder = Deno.makeTempDirSync({ prefix: "json_file_mutants53_" });
  try {
    const bad = `${folder}/bad.json`;
    Deno.writeTextFileSync(bad, "{not json");
    const error = assertThrows(() => readJsonFile(bad), ScriptFailure);
    assert(!(error instanceof UsageError), "malformed JSON is not a usage mistake");
  } finally {
    Deno.removeSync(folder, { recursive: true });
  }
});
