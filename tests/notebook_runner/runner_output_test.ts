/**
 * How executeNotebook reads the runner's output (lib/notebook_runner/execute_notebook.ts), with a
 * stand-in for Python that prints as scripts/notebook_runner.py does: each "cell N done" line
 * reaches `onCell` as it comes, every other line (the last one too, even without a newline) and
 * stderr make the message, and the exit status is the result's.
 */
import { assertEquals } from "@std/assert";
import { type CellProgress, executeNotebook } from "../../lib/notebook_runner/execute_notebook.ts";

Deno.test("executeNotebook: progress lines go to onCell; the rest, unfinished last line included, is the message", async () => {
  const root = Deno.makeTempDirSync({ prefix: "runner-output-test-" });
  try {
    const python = `${root}/python`;
    Deno.writeTextFileSync(
      python,
      [
        "#!/bin/bash",
        'echo "cell 1 done in 0.5 s (1/3)"',
        'echo "kernel output"',
        'echo "cell 3 done in 12.0 s (2/3)"',
        "echo to stderr >&2",
        "printf 'cell 4 raised Error: planted'",
        "exit 1",
      ].join("\n") + "\n",
    );
    Deno.chmodSync(python, 0o755);
    const cells: CellProgress[] = [];
    const result = await executeNotebook("in.ipynb", "out.ipynb", { projectRoot: root, python }, {
      onCell: (cell) => cells.push(cell),
    });
    assertEquals(cells, [
      { index: 1, position: 1, count: 3, seconds: 0.5 },
      { index: 3, position: 2, count: 3, seconds: 12 },
    ]);
    assertEquals(result, {
      ok: false,
      exitCode: 1,
      message: "kernel output\ncell 4 raised Error: planted\nto stderr",
    });
  } finally {
    Deno.removeSync(root, { recursive: true });
  }
});
