/**
 * The judgement of the live-notebook browser check (scripts/check_lab.ts, test stage
 * `lab-browser`), on fabricated page states: what it accepts and each fault it must name. The
 * check itself needs the server and Chromium (a minute); these need neither.
 */
import { assertEquals } from "@std/assert";
import {
  notebookProblems,
  pageProblems,
  type PageState,
  rerunForSignature,
  shutdownProblems,
} from "../../scripts/check_lab_problems.ts";

/** A cell that ran with one output and no error. */
const ran = (n: number) => ({ prompt: `In [${n}]:`, outputs: 1, errors: 0, text: `out ${n}` });

/** The page of a good run: three cells, two figures drawn, the progress line updated to 100%. */
function goodPage(): PageState {
  return {
    kernelName: "Deno",
    kernelIdle: true,
    cells: [ran(1), ran(2), ran(3)],
    plots: 2,
    plotsDrawn: 2,
    progressOutputs: ["toy fit 10/10 [####################] 100% loss=0.1235"],
    progressSeen: [
      "toy fit 1/10 [##------------------] 10% loss=0.9000",
      "toy fit 10/10 [####################] 100% loss=0.1235",
    ],
    timedOut: false,
    pageErrors: [],
  };
}

Deno.test("pageProblems: a good run is accepted (also without the runner's optional fields)", () => {
  assertEquals(pageProblems(goodPage()), []);
  const { timedOut: _t, pageErrors: _e, ...bare } = goodPage();
  assertEquals(pageProblems(bare), []);
  // A prompt with a wide execution number and the line ending at 100% exactly.
  const page = goodPage();
  page.cells[2] = { ...ran(3), prompt: "In [123]:" };
  page.progressOutputs = ["toy fit 10/10 [####################] 100%"];
  assertEquals(pageProblems(page), []);
});

Deno.test("pageProblems: each cell that did not run, shows an error or has no output is named by its index", () => {
  const page = goodPage();
  page.cells = [
    ran(1),
    { prompt: "In [ ]:", outputs: 0, errors: 0, text: "" },
    { prompt: "In [*]:", outputs: 1, errors: 0, text: "toy" },
    { prompt: "In [4]:", outputs: 2, errors: 1, text: "TypeError: x is not a function" },
    { prompt: "In [5]:", outputs: 0, errors: 0, text: "" },
  ];
  assertEquals(pageProblems(page), [
    "cell 1 did not run (In [ ]:)",
    "cell 1 has no output",
    "cell 2 did not run (In [*]:)",
    "cell 3 shows an error: TypeError: x is not a function",
    "cell 4 has no output",
  ]);
  // The last cell is judged as well as the first.
  const last = goodPage();
  last.cells[2] = { ...ran(3), outputs: 0 };
  assertEquals(pageProblems(last), ["cell 2 has no output"]);
  const first = goodPage();
  first.cells[0] = { ...ran(1), errors: 1, text: "Error: boom" };
  assertEquals(pageProblems(first), ["cell 0 shows an error: Error: boom"]);
  // A prompt without an execution number in brackets did not run.
  for (const prompt of ["In []:", "In [x]:", "", "Out[3]:"]) {
    const unrun = goodPage();
    unrun.cells[1] = { ...ran(2), prompt };
    assertEquals(pageProblems(unrun), [`cell 1 did not run (${prompt})`], prompt);
  }
});

Deno.test("pageProblems: the kernel, a timeout, page errors and an empty page", () => {
  const page = goodPage();
  Object.assign(page, {
    kernelName: "Python 3",
    kernelIdle: false,
    timedOut: true,
    pageErrors: ["ReferenceError: Plotly is not defined", "Error: second"],
  });
  assertEquals(pageProblems(page), [
    "the cells did not all finish in time",
    "page error: ReferenceError: Plotly is not defined",
    "page error: Error: second",
    'kernel shown is "Python 3", not Deno',
    "kernel not idle at the end",
  ]);
  // Only the project's kernel, named exactly: another Deno kernelspec is not it (FE08).
  for (const kernelName of ["Deno 1.x", "deno", ""]) {
    assertEquals(pageProblems({ ...goodPage(), kernelName }), [
      `kernel shown is "${kernelName}", not Deno`,
    ]);
  }
  const empty = goodPage();
  empty.cells = [];
  assertEquals(pageProblems(empty), ["no code cells in the page"]);
});

Deno.test("pageProblems: a figure not drawn, and a page without figures", () => {
  const page = goodPage();
  page.plotsDrawn = 1;
  assertEquals(pageProblems(page), ["1 of 2 figures drew an svg.main-svg"]);
  page.plotsDrawn = 0;
  assertEquals(pageProblems(page), ["0 of 2 figures drew an svg.main-svg"]);
  // More drawn than found is a miscount of the page, not a pass (found by mutation round FE, FE03).
  page.plotsDrawn = 3;
  assertEquals(pageProblems(page), ["3 of 2 figures drew an svg.main-svg"]);
  const none = goodPage();
  Object.assign(none, { plots: 0, plotsDrawn: 0 });
  assertEquals(pageProblems(none), ["no Plotly figure in the page"]);
});

Deno.test("pageProblems: the progress line must be one output, updated in place, ending at 100%", () => {
  // A display appended per update: as many outputs as reports.
  const appended = goodPage();
  appended.progressOutputs = [...appended.progressSeen];
  assertEquals(pageProblems(appended), [
    "2 progress outputs (one updated in place expected): " +
    "toy fit 1/10 [##------------------] 10% loss=0.9000 | " +
    "toy fit 10/10 [####################] 100% loss=0.1235",
  ]);
  const missing = goodPage();
  missing.progressOutputs = [];
  assertEquals(pageProblems(missing), [
    "0 progress outputs (one updated in place expected): ",
  ]);
  // Never updated: the only state the page showed is the final one.
  const once = goodPage();
  once.progressSeen = once.progressOutputs;
  assertEquals(pageProblems(once), ["the progress output showed 1 state(s), not updated"]);
  const never = goodPage();
  never.progressSeen = [];
  assertEquals(pageProblems(never), ["the progress output showed 0 state(s), not updated"]);
  // Updated, but stopped short of the end (1100% or 100%x are not 100%).
  for (const last of ["toy fit 9/10 [##################--] 90% loss=0.2", "toy 1100% x", "100%x"]) {
    const short = goodPage();
    short.progressOutputs = [last];
    assertEquals(pageProblems(short), [`the progress output ends at "${last}", not 100%`], last);
  }
});

Deno.test("shutdownProblems: processes left by the server or by the check, and the server's exit status", () => {
  const clean = { exitCode: 0, signalledAfterServer: 2, leftRunning: [] };
  assertEquals(shutdownProblems(clean, []), []);
  assertEquals(shutdownProblems({ ...clean, leftRunning: [101, 102] }, []), [
    "server processes still running: 101, 102",
  ]);
  assertEquals(shutdownProblems({ ...clean, leftRunning: [7] }, []), [
    "server processes still running: 7",
  ]);
  assertEquals(shutdownProblems({ ...clean, exitCode: 1 }, []), ["server exit status 1"]);
  // Killed: no status.
  assertEquals(shutdownProblems({ ...clean, exitCode: null }, []), ["server exit status null"]);
  assertEquals(shutdownProblems(clean, [4242]), ["processes still running: 4242"]);
  assertEquals(
    shutdownProblems({ exitCode: 143, signalledAfterServer: 0, leftRunning: [9] }, [
      9,
      10,
    ]),
    [
      "server processes still running: 9",
      "server exit status 143",
      "processes still running: 9, 10",
    ],
  );
});

Deno.test("notebookProblems: a notebook file whose digest changed is named", () => {
  const path = "/repo/notebooks/00_smoke.ipynb";
  assertEquals(notebookProblems(path, "ab12", "ab12"), []);
  assertEquals(notebookProblems(path, "ab12", "ab13"), [`${path} was modified`]);
});

Deno.test("rerunForSignature: a failed run is rerun only when the log shows an invalid signature", () => {
  const log = "[W 12:00:01 NotebookApp] WARNING | Invalid Signature: 'abc'\n";
  assertEquals(rerunForSignature(["cell 3 has no output"], log), true);
  assertEquals(rerunForSignature([], log), false);
  assertEquals(rerunForSignature(["cell 3 has no output"], "[I 12:00:00 NotebookApp] ok\n"), false);
  // Another complaint that starts the same way is no reason to run again.
  const other = "[W 12:00:02 NotebookApp] Invalid token for /api/kernels\n";
  assertEquals(rerunForSignature(["cell 3 has no output"], other), false);
});
