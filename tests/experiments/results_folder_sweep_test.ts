/**
 * What writers killed mid-write leave in a results folder is swept wherever it was written: the
 * temporaries of selected.json and plan.json (the folder itself) when a run opens the folder's
 * cells, and those of the report's files when the report is written again. The rule is the cells
 * folder's: only other processes' temporaries older than STALE_TEMPORARY_SECONDS.
 */
import { assertEquals } from "@std/assert";
import { writeReport } from "../../lib/experiments/html_report.ts";
import { planExperiments } from "../../lib/experiments/plan.ts";
import { writeSelection } from "../../lib/experiments/selection_record.ts";
import { cellsDirectory } from "../../lib/experiments/stored_cells.ts";
import { recordsSummary } from "./_records_summary.ts";

/** Leaves temporaries of `targets` in `directory` as killed writers would; returns the kept. */
function leaveTemporaries(directory: string, targets: string[]): string[] {
  const old = new Date(Date.now() - 3600_000);
  const kept: string[] = [];
  targets.forEach((target, i) => {
    const killed = `${target}.tmp-${999_900 + i}-1700000000000`;
    const recent = `${target}.tmp-${999_800 + i}-1700000000001`;
    const mine = `${target}.tmp-${Deno.pid}-1700000000002`;
    for (const name of [killed, recent, mine]) Deno.writeTextFileSync(`${directory}/${name}`, "{");
    for (const name of [killed, mine]) Deno.utimeSync(`${directory}/${name}`, old, old);
    kept.push(recent, mine);
  });
  return kept;
}

function names(directory: string): string[] {
  return [...Deno.readDirSync(directory)].filter((e) => e.isFile).map((e) => e.name).sort();
}

Deno.test("a run sweeps stale temporaries of selected.json and plan.json, not only the cells'", () => {
  const resultsDir = Deno.makeTempDirSync();
  try {
    Deno.mkdirSync(cellsDirectory(resultsDir));
    const top = leaveTemporaries(resultsDir, ["selected.json", "plan.json"]);
    const cells = leaveTemporaries(cellsDirectory(resultsDir), ["quick__cell.json"]);
    // What every run (runPlan, a batch task's cell) does first: settle the selection here.
    writeSelection(planExperiments("quick"), resultsDir, () => {});
    // Before, the folder's own temporaries stayed for good.
    assertEquals(names(resultsDir), top.sort());
    assertEquals(names(cellsDirectory(resultsDir)), cells.sort());
  } finally {
    Deno.removeSync(resultsDir, { recursive: true });
  }
});

Deno.test("writing the report sweeps stale temporaries of the report's files", async () => {
  const summary = await recordsSummary();
  const reportDir = Deno.makeTempDirSync();
  try {
    const files = ["summary.json", "summary.md", "report.html"];
    const kept = leaveTemporaries(reportDir, files);
    await writeReport(summary, reportDir);
    assertEquals(names(reportDir), [...files, ...kept].sort());
  } finally {
    Deno.removeSync(reportDir, { recursive: true });
  }
});
