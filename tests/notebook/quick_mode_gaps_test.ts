/**
 * Quick mode's setting and notice, past what quick_mode_test.ts pins (found by mutation round
 * NC): a DEMURE_QUICK that is no flag is refused naming its value and the values allowed;
 * DEMURE_QUICK=true shows the notice as 1 does; the notice names the variable and how to get the
 * full page. DEMURE_QUICK is set only in processes of their own.
 */
import { assertEquals, assertStringIncludes } from "@std/assert";
import { QUICK_PAGE_NOTICE } from "../../lib/notebook/quick_mode.ts";
import { evalInSubprocess, projectModule } from "../_eval_in_subprocess.ts";

const quickModule = projectModule("lib/notebook/quick_mode.ts");

Deno.test("isQuickMode: a DEMURE_QUICK that is no flag names its value and the values allowed", async () => {
  // " 1" and "TRUE" look on but are not: the error must say what was read and what would do.
  // Found by mutation round NC (NC35: the error named the variable only).
  const messages = await evalInSubprocess<string[]>(
    `import { isQuickMode } from ${quickModule};
const messages = [];
for (const value of ["TRUE", " 1"]) {
  Deno.env.set("DEMURE_QUICK", value);
  try {
    messages.push(String(isQuickMode()));
  } catch (error) {
    messages.push(error.message);
  }
}
console.log(JSON.stringify(messages));`,
  );
  assertEquals(messages, [
    'DEMURE_QUICK="TRUE": must be 1 or true (on), 0 or false (off)',
    'DEMURE_QUICK=" 1": must be 1 or true (on), 0 or false (off)',
  ]);
});

Deno.test("showQuickModeNotice: DEMURE_QUICK=true shows the notice, as 1 does", async () => {
  // Found by mutation round NC (NC38: only "1" counted for the notice).
  const printed = await evalInSubprocess<string[]>(
    `import { showQuickModeNotice } from ${quickModule};
const printed = [];
const log = console.log;
console.log = (...args) => printed.push(args.join(" "));
showQuickModeNotice();
log(JSON.stringify(printed));`,
    { DEMURE_QUICK: "true" },
  );
  assertEquals(printed, [QUICK_PAGE_NOTICE]);
});

Deno.test("the quick notice names DEMURE_QUICK=1 and how to render the full page", () => {
  // A reader of a quick page learns which switch made it and how to get the real one.
  // Found by mutation round NC (NC36: another variable named; NC37: the way back dropped).
  assertStringIncludes(QUICK_PAGE_NOTICE, "Quick mode (DEMURE_QUICK=1,");
  assertStringIncludes(
    QUICK_PAGE_NOTICE,
    "`deno task notebooks` without --quick renders the full page",
  );
});
