/**
 * The runner's line about a run as a whole (lib/experiments/_run_plan_lines.ts): a finished run's
 * last line (its report's) said "16 cells planned, 16 already finished ...; the planned ones take
 * about 0 s of training" when nothing was left to train.
 */
import { assertEquals } from "@std/assert";
import { formatMinutes, openingLine, progressLine } from "../../lib/experiments/_run_plan_lines.ts";
import { planExperiments } from "../../lib/experiments/plan.ts";

const plan = planExperiments("quick");
const cells = plan.cells.length;

Deno.test("openingLine: every cell finished says that nothing is left to train", () => {
  assertEquals(
    openingLine(plan, 0, 0, { resultsDir: "results/quick", workers: 2 }),
    `quick reproduction: ${cells} cells planned, all ${cells} finished (stored in ` +
      "results/quick): nothing left to train",
  );
  // A plan of no cells (a stage whose cells all wait): "0 cells planned, all 0 finished" is odd.
  assertEquals(
    openingLine({ ...plan, cells: [] }, 0, 0, { resultsDir: "results/x" }),
    "quick reproduction: 0 cells planned: nothing left to train",
  );
});

Deno.test("openingLine: cells left keep the count resumed and the training they take", () => {
  // The selection's configurations wait for their trials in the quick plan: said too.
  assertEquals(
    openingLine(plan, 3, 120, { resultsDir: "results/quick", workers: 2 }),
    `quick reproduction: ${cells} cells planned, ${cells - 3} already finished (resumed from ` +
      "results/quick); the planned ones take about 2.0 min of training on this machine kind, " +
      "about 60 s of wall time in 2 processes (" +
      (plan.cells.some((cell) => cell.waitsFor) ? "more cells appear as selections finish; " : "") +
      "processes started on the same results share the cells)",
  );
  // Cells left whose training is reused from the same run: 0 s, but not "nothing left".
  assertEquals(
    openingLine(plan, 1, 0, { resultsDir: "results/quick" }).includes("take about 0 s"),
    true,
  );
});

Deno.test("formatMinutes: whole seconds rounded below 90, minutes to a tenth from 90 on", () => {
  assertEquals(
    [formatMinutes(0.4), formatMinutes(59.6), formatMinutes(89.4), formatMinutes(90)],
    ["0 s", "60 s", "89 s", "1.5 min"],
  );
});

Deno.test("openingLine: one process (said or by default) has no wall-time clause", () => {
  const waiting = plan.cells.some((cell) => cell.waitsFor)
    ? "more cells appear as selections finish; "
    : "";
  const expected = `quick reproduction: ${cells} cells planned, ${cells - 3} already finished ` +
    "(resumed from results/quick); the planned ones take about 2.0 min of training on this " +
    `machine kind (${waiting}processes started on the same results share the cells)`;
  assertEquals(openingLine(plan, 3, 120, { resultsDir: "results/quick" }), expected);
  assertEquals(openingLine(plan, 3, 120, { resultsDir: "results/quick", workers: 1 }), expected);
});

Deno.test("openingLine: one imported dataset's cell among synthetic ones adds the estimate's caveat", () => {
  const imported = {
    ...plan.cells[0],
    dataset: { kind: "file" as const, path: "data/x/x", format: "recbole" as const },
  };
  const line = openingLine(
    { ...plan, cells: [...plan.cells, imported] as typeof plan.cells },
    1,
    60,
    { resultsDir: "results/quick" },
  );
  assertEquals(line.endsWith("the time left is corrected as cells finish"), true, line);
  assertEquals(
    openingLine(plan, 1, 60, { resultsDir: "results/quick" }).includes("imported"),
    false,
  );
});

Deno.test("openingLine: a plan with no waiting cell says nothing of selections; an imported cell anywhere adds the caveat", () => {
  // Found by mutation round NF (NF24, NF25): the quick plan always waits on selections, so the
  // tests above could not tell the clause from a constant; and the imported cell was always last.
  const settled = { ...plan, cells: plan.cells.filter((cell) => !cell.waitsFor) };
  const line = openingLine(settled, 1, 60, { resultsDir: "results/quick" });
  assertEquals(line.includes("more cells appear"), false, line);
  assertEquals(line.endsWith("(processes started on the same results share the cells)"), true);
  const imported = {
    ...settled.cells[0],
    dataset: { kind: "file" as const, path: "data/x/x", format: "recbole" as const },
  };
  const first = openingLine(
    { ...settled, cells: [imported, ...settled.cells] as typeof plan.cells },
    1,
    60,
    { resultsDir: "results/quick" },
  );
  assertEquals(first.endsWith("the time left is corrected as cells finish"), true, first);
});

Deno.test("formatMinutes: the 90 s threshold applies to the seconds, not to their rounding", () => {
  // Found by mutation round NF (NF37): whole seconds under 90 (89.6 s reads "90 s"), minutes from
  // 90 s on; a threshold on the rounded seconds moved 89.5-89.99 s to "1.5 min".
  assertEquals([formatMinutes(89.6), formatMinutes(89.99)], ["90 s", "90 s"]);
});

Deno.test("progressLine: the cell's place in the whole plan and the plan's size, then its result and times", () => {
  assertEquals(
    progressLine(
      { finished: 5, planned: 16 },
      "quick/Synthetic/Pop/seed=0",
      "valid NDCG@10 0.1000, best epoch 0/0",
      "",
      2,
      150,
    ),
    "[5/16] quick/Synthetic/Pop/seed=0: valid NDCG@10 0.1000, best epoch 0/0 (2 s; about 2.5 min " +
      "of the planned cells left)",
  );
  // A Demure-family cell's note follows the times, as before.
  assertEquals(
    progressLine({ finished: 1, planned: 1 }, "k", "r", "; so this run is its backbone's", 0, 0),
    "[1/1] k: r (0 s; about 0 s of the planned cells left); so this run is its backbone's",
  );
});
