/**
 * Quick mode in notebooks: DEMURE_QUICK read as every on/off flag ("true" counts), and
 * notebookPlan() following it: the quick plan with the flag, the full plan (whose results are
 * the committed records) without it.
 */
import { assert, assertEquals, assertStringIncludes, assertThrows } from "@std/assert";
import {
  isQuickMode,
  QUICK_PAGE_NOTICE,
  showQuickModeNotice,
} from "../../lib/notebook/quick_mode.ts";
import { notebookPlan, notebookResultsDir, planLine } from "../../lib/notebook/plan_cells.ts";
import { RECORDS_DIR } from "../../lib/experiments/verify.ts";

function withQuick<T>(value: string | undefined, body: () => T): T {
  const saved = Deno.env.get("DEMURE_QUICK");
  if (value === undefined) Deno.env.delete("DEMURE_QUICK");
  else Deno.env.set("DEMURE_QUICK", value);
  try {
    return body();
  } finally {
    if (saved === undefined) Deno.env.delete("DEMURE_QUICK");
    else Deno.env.set("DEMURE_QUICK", saved);
  }
}

Deno.test("isQuickMode: 1 and true are on; unset, 0 and false are off; others throw", () => {
  for (const value of ["1", "true"]) assertEquals(withQuick(value, isQuickMode), true, value);
  for (const value of [undefined, "", "0", "false"]) {
    assertEquals(withQuick(value, isQuickMode), false, String(value));
  }
  assertThrows(() => withQuick("yes", isQuickMode), Error, "DEMURE_QUICK");
});

// Before any other test of this module asks for a quick plan: the notice is printed once per kernel.
Deno.test("the first quick plan or quick notebook prints, once, that the page's numbers are the quick runs'", () => {
  // Notebooks 00 and 08 take no plan through notebookPlan: they printed "quick mode: true" only.
  const printed: string[] = [];
  const log = console.log;
  console.log = (...args: unknown[]) => printed.push(args.join(" "));
  try {
    notebookPlan("full");
    withQuick(undefined, showQuickModeNotice);
    assertEquals(printed, [], "the full plan's pages show the records: no notice");
    withQuick("1", showQuickModeNotice);
    assertEquals(printed, [QUICK_PAGE_NOTICE]);
    notebookPlan("quick");
    withQuick("1", showQuickModeNotice);
  } finally {
    console.log = log;
  }
  assertEquals(printed, [QUICK_PAGE_NOTICE], "one notice per page");
  assertStringIncludes(QUICK_PAGE_NOTICE, "quick plan's small runs");
  // True on every page that prints it: notebooks 00 and 08 describe no results of record (08's
  // full page trains its own grid on the test fixture), so the notice says "full-mode runs" and
  // names the records only where the text describes them.
  assertStringIncludes(QUICK_PAGE_NOTICE, "not from full-mode runs");
  assertStringIncludes(QUICK_PAGE_NOTICE, "the results of record where the text describes them");
  assert(!QUICK_PAGE_NOTICE.includes("the results of record that the text describes"));
});

Deno.test("notebookPlan follows DEMURE_QUICK; the full plan reads the committed records", () => {
  const quick = withQuick("true", () => notebookPlan());
  assertEquals(quick.mode, "quick");
  assertEquals(notebookResultsDir(quick).endsWith("/results/quick"), true);
  const full = withQuick(undefined, () => notebookPlan());
  assertEquals(full.mode, "full");
  assertEquals(notebookResultsDir(full).endsWith(`/${RECORDS_DIR.full}`), true);
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
  // The test above asks for the quick plan after the notice was printed, so it never saw
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
