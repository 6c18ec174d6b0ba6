/**
 * The notebook runner keeps every output: the fixture notebook (streams on stdout and stderr,
 * HTML display, a display updated in place, a print after an await, many lines, an expression
 * value) executes 10 times with identical, hand-checked outputs; a raising cell fails the run
 * naming the cell index; a quiet time or cell timeout out of range is refused before it starts.
 */
import { assert, assertEquals, assertRejects, assertStringIncludes } from "@std/assert";
import { executeNotebook, jupyterProblem } from "../../lib/notebook_runner/execute_notebook.ts";
import { pathExists } from "../../lib/util/path_exists.ts";
import { SettingError } from "../../lib/util/settings.ts";

const projectRoot = new URL("../..", import.meta.url).pathname.replace(/\/$/, "");
const fixtures = `${projectRoot}/tests/notebook_runner/fixtures`;
const problem = await jupyterProblem({ projectRoot });
const ignore = problem !== null;
if (ignore) console.warn(`notebook runner tests skipped: ${problem}`);

interface Output {
  output_type: string;
  name?: string;
  text?: string | string[];
  data?: Record<string, string | string[]>;
}

interface CellJson {
  cell_type: string;
  outputs?: Output[];
}

function joined(value: string | string[] | undefined): string {
  return Array.isArray(value) ? value.join("") : value ?? "";
}

/** Code-cell outputs with multi-line strings joined, so equal content compares equal. */
async function readOutputs(path: string): Promise<Output[][]> {
  const notebook = JSON.parse(await Deno.readTextFile(path)) as { cells: CellJson[] };
  return notebook.cells.filter((cell) => cell.cell_type === "code").map((cell) =>
    (cell.outputs ?? []).map((output) => ({
      ...output,
      ...(output.text !== undefined ? { text: joined(output.text) } : {}),
      ...(output.data !== undefined
        ? {
          data: Object.fromEntries(
            Object.entries(output.data).map(([mime, value]) => [mime, joined(value)]),
          ),
        }
        : {}),
    }))
  );
}

// deno-lint-ignore no-control-regex
const stripAnsi = (text: string) => text.replace(/\x1b\[[0-9;]*m/g, "");

Deno.test({
  name: "runner: 10 executions of the fixture give identical, complete outputs",
  ignore,
  async fn() {
    const workDir = await Deno.makeTempDir({ prefix: "runner-test-" });
    try {
      let first: Output[][] | null = null;
      for (let run = 0; run < 10; run++) {
        const output = `${workDir}/run_${run}.ipynb`;
        const result = await executeNotebook(`${fixtures}/outputs.ipynb`, output, { projectRoot });
        assert(result.ok, `run ${run} failed: ${result.message}`);
        const outputs = await readOutputs(output);
        if (first === null) first = outputs;
        else assertEquals(outputs, first, `run ${run} differs from run 0`);
      }
      const cells = first!;
      assertEquals(cells[0], [
        { output_type: "stream", name: "stdout", text: "first line\n" },
        { output_type: "stream", name: "stderr", text: "to stderr\n" },
        { output_type: "stream", name: "stdout", text: "third line\n" },
      ]);
      assertEquals(cells[1].length, 1);
      assertEquals(cells[1][0].data?.["text/html"], "<b>bold</b>");
      // The display updated in place holds the last update, and the print after it survives.
      assertEquals(cells[2].length, 2);
      assertEquals(cells[2][0].data?.["text/plain"], "step 5");
      assertEquals(cells[2][1].text, "updated in place\n");
      assertEquals(cells[3], [{ output_type: "stream", name: "stdout", text: "after await\n" }]);
      const expectedLines = Array.from({ length: 40 }, (_, line) => `line ${line}\n`).join("");
      assertEquals(cells[4], [{ output_type: "stream", name: "stdout", text: expectedLines }]);
      assertEquals(cells[5].length, 1);
      assertEquals(cells[5][0].output_type, "execute_result");
      assertEquals(stripAnsi(joined(cells[5][0].data?.["text/plain"])), "42");
    } finally {
      await Deno.remove(workDir, { recursive: true });
    }
  },
});

Deno.test("runner: a quiet time or cell timeout out of range is a SettingError before the runner starts", async () => {
  // The runner compares times with them: a quiet time of NaN never ended a cell (each one ran to
  // its timeout, an hour by default: 16.5 s for a 4 s notebook at a 15 s timeout), a timeout of
  // NaN never stopped a hung cell, and one of -1 failed every cell ("timed out after -1.0 s").
  const bad: [Record<string, number>, string, string][] = [
    [{ quietMs: NaN }, "NotebookRunnerConfig.quietMs", "a finite number >= 0"],
    [{ quietMs: -5 }, "NotebookRunnerConfig.quietMs", "a finite number >= 0"],
    [{ cellTimeoutSeconds: NaN }, "NotebookRunnerConfig.cellTimeoutSeconds", "a finite number > 0"],
    [{ cellTimeoutSeconds: -1 }, "NotebookRunnerConfig.cellTimeoutSeconds", "a finite number > 0"],
    [
      { cellTimeoutSeconds: Infinity },
      "NotebookRunnerConfig.cellTimeoutSeconds",
      "a finite number > 0",
    ],
  ];
  const workDir = await Deno.makeTempDir({ prefix: "runner-test-" });
  try {
    for (const [config, setting, allowed] of bad) {
      const output = `${workDir}/never.ipynb`;
      // A source that does not exist: a runner started anyway fails at once, not in an hour.
      const run = executeNotebook(`${workDir}/missing.ipynb`, output, { projectRoot, ...config });
      const error = await assertRejects(() => run, SettingError) as SettingError;
      assertEquals([error.setting, error.allowed], [setting, allowed]);
      assertEquals(pathExists(output), false);
    }
  } finally {
    await Deno.remove(workDir, { recursive: true });
  }
});

Deno.test({
  name: "runner: a raising cell fails the run and names the cell index",
  ignore,
  async fn() {
    const workDir = await Deno.makeTempDir({ prefix: "runner-test-" });
    try {
      const output = `${workDir}/raises.ipynb`;
      const result = await executeNotebook(`${fixtures}/raises.ipynb`, output, { projectRoot });
      assertEquals(result.ok, false);
      assertEquals(result.exitCode, 1);
      assertStringIncludes(result.message, "cell 1 raised Error: planted failure");
      // The partial notebook is kept for diagnosis and the cell after the failure never ran.
      const outputs = await readOutputs(output);
      assertEquals(outputs[0], [{ output_type: "stream", name: "stdout", text: "before\n" }]);
      assertEquals(outputs[1][0].output_type, "error");
      assertEquals(outputs[2], []);
    } finally {
      await Deno.remove(workDir, { recursive: true });
    }
  },
});
