/**
 * Pieces of `deno task notebooks` (scripts/run_notebooks.ts) that its command-line and run tests
 * reach only through a kernel run, or not at all: which earlier outputs a notebook's run removes,
 * the line of a stopped run, and the one home of the default quiet time. Found by mutation round CF
 * (CF22, CF37, CF40, CF45).
 */
import { assertEquals, assertMatch, assertStringIncludes } from "@std/assert";
import { DEFAULT_QUIET_MS } from "../../lib/notebook_runner/mod.ts";
import { removeEarlierOutputs, stoppedLine, USAGE } from "../../scripts/run_notebooks.ts";

Deno.test("removeEarlierOutputs: a notebook's earlier outputs go; another notebook's stay", () => {
  const out = Deno.makeTempDirSync();
  try {
    for (const name of ["a.ipynb", "a.html", "a.report.html"]) {
      Deno.writeTextFileSync(`${out}/${name}`, "an earlier run");
    }
    // Without --no-input, a.report.ipynb's page is a.report.html, a file a.ipynb would also leave
    // with --no-input: a.ipynb's run must not remove the page a.report.ipynb just rendered.
    const writers = new Map([
      [`${out}/a.ipynb`, "x/a.ipynb"],
      [`${out}/a.html`, "x/a.ipynb"],
      [`${out}/a.report.ipynb`, "y/a.report.ipynb"],
      [`${out}/a.report.html`, "y/a.report.ipynb"],
    ]);
    assertEquals(removeEarlierOutputs("x/a.ipynb", out, writers), undefined);
    assertEquals([...Deno.readDirSync(out)].map((entry) => entry.name), ["a.report.html"]);
    // Nothing left of its own to remove is no failure.
    assertEquals(removeEarlierOutputs("x/a.ipynb", out, writers), undefined);
    // A file no notebook of the run writes is the notebook's own (its report of an earlier run).
    Deno.writeTextFileSync(`${out}/b.report.html`, "an earlier run, with --no-input");
    assertEquals(removeEarlierOutputs("z/b.ipynb", out, new Map()), undefined);
    assertEquals([...Deno.readDirSync(out)].map((entry) => entry.name), ["a.report.html"]);
  } finally {
    Deno.removeSync(out, { recursive: true });
  }
});

Deno.test("removeEarlierOutputs: an output that cannot be removed is named, with the reason", () => {
  const out = Deno.makeTempDirSync();
  try {
    // A folder that is not empty where the page goes cannot be removed.
    Deno.mkdirSync(`${out}/a.html/inside`, { recursive: true });
    const reason = removeEarlierOutputs("x/a.ipynb", out, new Map());
    assertMatch(reason ?? "", new RegExp(`^cannot remove the earlier ${out}/a\\.html \\(.+\\)$`));
  } finally {
    Deno.removeSync(out, { recursive: true });
  }
});

Deno.test("stoppedLine: names the signal and the notebook, and the later notebooks only if any", () => {
  assertEquals(
    stoppedLine("SIGTERM", "notebooks/a.ipynb", 2),
    "run_notebooks: stopped by SIGTERM at notebooks/a.ipynb; 2 later notebooks not run",
  );
  // Stopped at the last notebook: none is left out.
  assertEquals(
    stoppedLine("SIGINT", "notebooks/b.ipynb", 0),
    "run_notebooks: stopped by SIGINT at notebooks/b.ipynb",
  );
});

Deno.test("the notebooks' quiet time has one default: the runner's, which --help states", () => {
  // It was written three times (the runner, the command's value and its --help): a change to one
  // left the others saying 300. The runs and their timings were made with 300 ms.
  assertEquals(DEFAULT_QUIET_MS, 300);
  assertStringIncludes(USAGE, `(default ${DEFAULT_QUIET_MS})`);
});
