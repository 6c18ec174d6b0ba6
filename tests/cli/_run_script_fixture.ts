/**
 * A script that ends the way its first argument says, through `runScript`: "usage" (a
 * UsageError), "failure" (a ScriptFailure), "status" (main returns 3), "bug" (a TypeError) or
 * "done" (main returns nothing). tests/cli/options_test.ts runs it to see what a user sees and
 * which status they get.
 */
import { runScript, ScriptFailure, UsageError } from "../../scripts/cli/options.ts";

await runScript("fixture", () => {
  const ending = Deno.args[0];
  if (ending === "usage") throw new UsageError("--out: an empty value");
  if (ending === "failure") throw new ScriptFailure("sbatch: not found");
  if (ending === "bug") throw new TypeError("cells is undefined");
  return ending === "status" ? 3 : undefined;
});
