/**
 * Quick mode in notebooks: DEMURE_QUICK read as every on/off flag ("true" counts), and
 * notebookPlan() following it: the quick plan with the flag, the full plan (whose results are
 * the committed records) without it.
 */
import { assert, assertEquals, assertStringIncludes } from "@std/assert";
import { QUICK_PAGE_NOTICE } from "../../lib/notebook/quick_mode.ts";
import { notebookPlan, planLine } from "../../lib/notebook/plan_cells.ts";
import { evalInSubprocess, projectModule } from "../_eval_in_subprocess.ts";
import { RECORDS_DIR } from "../../lib/experiments/verify.ts";

// DEMURE_QUICK is set in processes of their own: the parallel suite's files share this one's
// environment, and a quick plan asked for meanwhile by another test would be the wrong one.
const quickModule = projectModule("lib/notebook/quick_mode.ts");
const planModule = projectModule("lib/notebook/plan_cells.ts");

/** Child code: `setQuick(value)` sets DEMURE_QUICK to `value`, or unsets it for null. */
const SET_QUICK = `const setQuick = (value) => {
  if (value === null) Deno.env.delete("DEMURE_QUICK");
  else Deno.env.set("DEMURE_QUICK", value);
};`;

Deno.test("isQuickMode: 1 and true are on; unset, 0 and false are off; others throw", async () => {
  const values = ["1", "true", null, "", "0", "false", "yes"];
  const modes = await evalInSubprocess<(boolean | string)[]>(
    `import { isQuickMode } from ${quickModule};
${SET_QUICK}
const mode = (value) => {
  setQuick(value);
  try {
    return isQuickMode();
  } catch (error) {
    return error.message;
  }
};
console.log(JSON.stringify(${JSON.stringify(values)}.map(mode)));`,
  );
  assertEquals(modes.slice(0, 6), [true, true, false, false, false, false]);
  assertEquals(typeof modes[6], "string", "yes");
  assertStringIncludes(String(modes[6]), "DEMURE_QUICK");
});

Deno.test("the first quick plan or quick notebook prints, once, that the page's numbers are the quick runs'", async () => {
  // Notebooks 00 and 08 take no plan through notebookPlan: they printed "quick mode: true" only.
  // In a kernel of its own (a process), so that the once-flag starts unset.
  const printed = await evalInSubprocess<string[][]>(
    `import { showQuickModeNotice } from ${quickModule};
import { notebookPlan } from ${planModule};
${SET_QUICK}
const log = console.log;
const printed = [];
const seen = [];
console.log = (...args) => printed.push(args.join(" "));
notebookPlan("full");
setQuick(null);
showQuickModeNotice();
seen.push([...printed]);
setQuick("1");
showQuickModeNotice();
seen.push([...printed]);
notebookPlan("quick");
showQuickModeNotice();
seen.push([...printed]);
log(JSON.stringify(seen));`,
  );
  assertEquals(printed[0], [], "the full plan's pages show the records: no notice");
  assertEquals(printed[1], [QUICK_PAGE_NOTICE]);
  assertEquals(printed[2], [QUICK_PAGE_NOTICE], "one notice per page");
  assertStringIncludes(QUICK_PAGE_NOTICE, "quick plan's small runs");
  // True on every page that prints it: notebooks 00 and 08 describe no results of record (08's
  // full page trains its own grid on the test fixture), so the notice says "full-mode runs" and
  // names the records only where the text describes them.
  assertStringIncludes(QUICK_PAGE_NOTICE, "not from full-mode runs");
  assertStringIncludes(QUICK_PAGE_NOTICE, "the results of record where the text describes them");
  assert(!QUICK_PAGE_NOTICE.includes("the results of record that the text describes"));
});

Deno.test("notebookPlan follows DEMURE_QUICK; the full plan reads the committed records", async () => {
  const plans = await evalInSubprocess<{ mode: string; dir: string }[]>(
    `import { notebookPlan, notebookResultsDir } from ${planModule};
${SET_QUICK}
const planOf = (value) => {
  setQuick(value);
  const plan = notebookPlan();
  return { mode: plan.mode, dir: notebookResultsDir(plan) };
};
console.log(JSON.stringify(["true", null].map(planOf)));`,
  );
  const [quick, full] = plans;
  assertEquals(quick.mode, "quick");
  assertEquals(quick.dir.endsWith("/results/quick"), true);
  assertEquals(full.mode, "full");
  assertEquals(full.dir.endsWith(`/${RECORDS_DIR.full}`), true);
});

Deno.test("planLine: each embedded dataset's own seeds (quick MovieLens runs fewer)", () => {
  const quick = notebookPlan("quick");
  const line = planLine(quick);
  assertEquals(
    line,
    `quick plan, seeds: Synthetic ${quick.datasets.synthetic.seeds.join(", ")}; MovieLens ${
      quick.datasets.movielens.seeds.join(", ")
    }`,
  );
  assertEquals(quick.datasets.movielens.seeds.length < quick.datasets.synthetic.seeds.length, true);
});

Deno.test("notebookPlan('quick') prints the quick notice itself, once per kernel", async () => {
  // The notice test above prints it through showQuickModeNotice first, so it never sees
  // notebookPlan print it. A kernel is a process of its own: the notice's once-flag starts unset.
  const module = JSON.stringify(new URL("../../lib/notebook/plan_cells.ts", import.meta.url).href);
  const script = `import { notebookPlan } from ${module};\n` +
    'notebookPlan("full");\nnotebookPlan("quick");\nnotebookPlan("quick");';
  const run = await new Deno.Command(Deno.execPath(), {
    args: ["eval", script],
    stdout: "piped",
    stderr: "piped",
  }).output();
  const stderr = new TextDecoder().decode(run.stderr);
  assertEquals(run.code, 0, stderr);
  assertEquals(new TextDecoder().decode(run.stdout), `${QUICK_PAGE_NOTICE}\n`);
});

Deno.test("isQuickMode reads DEMURE_QUICK only: DEMURE_RERUN=1 leaves a page in full mode", async () => {
  // The two flags are read the same way (envFlag) and often set together; a rerun of the full
  // plan must not turn into the quick plan. Found by mutation round JN (JN20).
  const modes = await evalInSubprocess<boolean[]>(
    `import { isQuickMode } from ${quickModule};
${SET_QUICK}
Deno.env.set("DEMURE_RERUN", "1");
const modes = [];
setQuick(null);
modes.push(isQuickMode());
setQuick("0");
modes.push(isQuickMode());
setQuick("1");
modes.push(isQuickMode());
console.log(JSON.stringify(modes));`,
  );
  assertEquals(modes, [false, false, true]);
});
