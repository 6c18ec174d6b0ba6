/**
 * lib/tables/_quiet_punycode.ts drops Node's `punycode` deprecation (DEP0040) only, in either form
 * `process.emitWarning` takes its code, and only until `restoreDeprecationWarnings`. The start-up
 * test (tests/backend/startup_test.ts) sees only that no warning is printed; here, in a process of
 * its own (the filter replaces a global of the process), every other warning still shows with its
 * code, and the restore puts the original function back.
 */
import { assertEquals } from "@std/assert";

const module = new URL("../../lib/tables/_quiet_punycode.ts", import.meta.url).href;

const PROGRAM = `
import process from "node:process";
const original = process.emitWarning;
const { restoreDeprecationWarnings } = await import("${module}");
process.emitWarning("positional", "DeprecationWarning", "DEP0040");
process.emitWarning("options", { type: "DeprecationWarning", code: "DEP0040" });
process.emitWarning("other positional", "DeprecationWarning", "DEP0005");
process.emitWarning("other options", { type: "DeprecationWarning", code: "DEP0005" });
process.emitWarning("next code", "DeprecationWarning", "DEP0041");
process.emitWarning("longer code", { type: "DeprecationWarning", code: "DEP00400" });
restoreDeprecationWarnings();
console.log(process.emitWarning === original ? "restored" : "still filtered");
process.emitWarning("after restore", "DeprecationWarning", "DEP0040");
`;

Deno.test("quiet punycode: only DEP0040 is dropped, in either form, and only until the restore", async () => {
  const output = await new Deno.Command(Deno.execPath(), {
    args: ["eval", "--ext=ts", PROGRAM],
    stdin: "null",
  }).output();
  const stderr = new TextDecoder().decode(output.stderr);
  assertEquals([output.code, new TextDecoder().decode(output.stdout)], [0, "restored\n"], stderr);
  assertEquals(
    stderr.replace(/^\(node:\d+\) /gm, ""),
    [
      "[DEP0005] DeprecationWarning: other positional",
      "[DEP0005] DeprecationWarning: other options",
      // The code itself, not a prefix of it: DEP0041 is another deprecation.
      "[DEP0041] DeprecationWarning: next code",
      "[DEP00400] DeprecationWarning: longer code",
      "[DEP0040] DeprecationWarning: after restore",
      "",
    ].join("\n"),
  );
});
