/**
 * The cluster routes' words after `--` go to `reproduce --list-cells --json`: `--help` or `-h`
 * there printed reproduce's usage where the listing's JSON was read, and `deno task slurm` and
 * `deno task kubernetes` ended in an uncaught SyntaxError's stack (status 1). Each is now one line
 * naming it, status 2, before reproduce runs and before anything is written.
 */
import { assertEquals, assertThrows } from "@std/assert";
import { planArgsOf } from "../../scripts/cluster/submission.ts";
import { UsageError } from "../../scripts/cli/options.ts";
import { removalOfMade } from "../_made_folders.ts";
import { runScript } from "./_run_script.ts";

const root = new URL("../../", import.meta.url).pathname;

/** The one line a route prints for `word` after `--` (runScript adds "; see --help"). */
const refusal = (route: string, word: string) =>
  `${route}: ${word} after -- goes to reproduce, which only lists the cells here: deno task ` +
  "reproduce --help describes its flags (--help before -- describes this command's); see --help\n";

Deno.test("planArgsOf: --help or -h among the words for reproduce is a UsageError naming it", () => {
  for (const word of ["--help", "-h"]) {
    assertThrows(
      () => planArgsOf({ quick: true }, ["--seeds=0", word]),
      UsageError,
      `${word} after -- goes to reproduce`,
    );
  }
  // Other words pass on unchanged, after the route's own plan flags; "--helpful" is not --help.
  assertEquals(planArgsOf({ quick: true, seeds: "1" }, ["--ranking", "history_kept"]), [
    "--quick",
    "--seeds=1",
    "--ranking",
    "history_kept",
  ]);
  assertEquals(planArgsOf({ quick: false }, ["--helpful"]), ["--helpful"]);
});

Deno.test("deno task slurm / kubernetes: --help after -- is one line, status 2, nothing written", async () => {
  const out = `build/pass-on-help-audit-${crypto.randomUUID().slice(0, 8)}`;
  // Nothing is written when all is well; a regression that writes leaves nothing behind.
  const removeMade = removalOfMade(`${root}${out}`);
  const cases: [string, string[], string][] = [
    ["scripts/slurm/submit.ts", ["--dry-run", "--", "--help"], "slurm"],
    ["scripts/slurm/submit.ts", ["--quick", "--", "--seeds=0", "-h"], "slurm"],
    [
      "scripts/kubernetes/generate.ts",
      ["--image", "i", "--out", out, "--", "--help"],
      "kubernetes",
    ],
    ["scripts/kubernetes/generate.ts", ["--image", "i", "--out", out, "--", "-h"], "kubernetes"],
  ];
  try {
    for (const [script, args, route] of cases) {
      const run = await runScript(script, args);
      const word = args.at(-1)!;
      assertEquals(
        [run.code, run.stdout, run.stderr],
        [2, "", refusal(route, word)],
        args.join(" "),
      );
      let made = true;
      try {
        Deno.statSync(`${root}/${out}`);
      } catch (error) {
        if (!(error instanceof Deno.errors.NotFound)) throw error;
        made = false;
      }
      assertEquals(made, false, `${args.join(" ")} made ${out}`);
    }
  } finally {
    removeMade();
  }
});
