/**
 * The command lines of the two scripts run by hand or by a check that read their arguments by
 * position: `scripts/slurm/compare_results.ts` took `--help` for a missing folder (status 2, on
 * stderr), a flag for a folder, and dropped a third folder unsaid; `scripts/folder_graph.ts`
 * ignored every argument, so `--help` or a typo ran the whole check. `--help`/`-h` now print the
 * usage on stdout with status 0; anything else they do not take is one line naming it, ending in
 * "see --help", and status 2, before any folder is read.
 */
import { assertEquals, assertStringIncludes } from "@std/assert";
import { runScript } from "./_run_script.ts";

const COMPARE = "scripts/slurm/compare_results.ts";
const GRAPH = "scripts/folder_graph.ts";
const COMPARE_USAGE = "usage: compare_results.ts REFERENCE_DIR OTHER_DIR\n";

Deno.test("compare_results and folder_graph: --help and -h print the usage and do no work", async () => {
  for (const flag of ["--help", "-h"]) {
    const compare = await runScript(COMPARE, [flag]);
    assertEquals([compare.code, compare.stdout, compare.stderr], [0, COMPARE_USAGE, ""], flag);
    const graph = await runScript(GRAPH, [flag], ["--allow-read"]);
    assertEquals([graph.code, graph.stderr], [0, ""], flag);
    assertStringIncludes(graph.stdout, "usage: deno run --allow-read scripts/folder_graph.ts");
    // The graph's lines ("attribution  -> ...") are the work --help must not do.
    assertEquals(graph.stdout.includes("->"), false, graph.stdout);
  }
});

Deno.test("compare_results: a flag, a third folder or a repeated --help is one line and status 2", async () => {
  // The folders need not exist: the command line is refused before any is read.
  const cases: [string[], string][] = [
    [["--bogus", "a", "b"], "Unknown option '--bogus' (options: --help/-h)"],
    [["a", "b", "c"], 'unexpected argument "c" (give two folders)'],
    [["--reference=a", "b"], "Unknown option '--reference' (options: --help/-h)"],
    [["-h", "-h"], "--help given twice: give it once"],
  ];
  for (const [args, message] of cases) {
    const run = await runScript(COMPARE, args);
    assertEquals(
      [run.code, run.stdout, run.stderr],
      [2, "", `compare_results: ${message}; see --help\n`],
      args.join(" "),
    );
  }
  // Too few folders is still the usage line (tests/slurm/compare_results_gaps_test.ts).
  const none = await runScript(COMPARE, []);
  assertEquals([none.code, none.stderr], [2, COMPARE_USAGE]);
});

Deno.test("folder_graph: any argument but a lone --help is one line naming it and status 2", async () => {
  const cases: [string[], string][] = [
    [["--bogus"], "--bogus"],
    [["lib"], "lib"],
    [["--help", "x"], "x"],
    [["-h", "-h"], "-h"],
  ];
  for (const [args, named] of cases) {
    const run = await runScript(GRAPH, args, ["--allow-read"]);
    assertEquals(
      [run.code, run.stdout, run.stderr],
      [2, "", `folder_graph: unexpected argument "${named}" (the script takes none); see --help\n`],
      args.join(" "),
    );
  }
});
