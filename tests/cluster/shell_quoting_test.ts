/**
 * Quoting audit of the cluster routes' shell text (scripts/cluster/shell.ts): the `reproduce` call
 * passes every setting as itself, the route's own cell word aside, and its first word runs the
 * program it names, even one bash would take for a variable assignment.
 */
import { assertEquals } from "@std/assert";
import { runCaptured } from "../slurm/_run.ts";
import {
  CELL_WORD,
  commandWordQuote,
  reproduceCommand,
  shellQuote,
} from "../../scripts/cluster/shell.ts";

/** bash's words for `script` after `cell=k`: printed one per NUL-ended entry. */
function wordsOf(command: string): string[] {
  const script = `cell=k\nargs() { printf '%s\\0' "$@"; }\nargs ${command}`;
  return runCaptured("bash", ["-c", script], {}).stdout.split("\0").slice(0, -1);
}

Deno.test('reproduceCommand: a setting that reads "$cell" is passed as itself; only the route\'s cell word expands', () => {
  // Before, any word equal to "$cell" was left bare: a plan flag, a results folder or a deno path
  // that read so passed the cell's key (or nothing) instead of itself.
  const call = {
    deno: CELL_WORD,
    permissions: [CELL_WORD],
    resultsDir: CELL_WORD,
    planArgs: [CELL_WORD, "", "-x"],
  };
  assertEquals(wordsOf(reproduceCommand(call, ["--cell", CELL_WORD])), [
    CELL_WORD,
    "run",
    CELL_WORD,
    "scripts/reproduce.ts",
    "--cell",
    "k",
    "--results",
    CELL_WORD,
    CELL_WORD,
    "",
    "-x",
  ]);
});

Deno.test("commandWordQuote: a program named like an assignment is run, not taken for one", () => {
  // Bare, `X=1 run ...` set X and ran `run`: a --deno (Slurm) named so ran something else.
  const bin = Deno.makeTempDirSync({ prefix: "shell_quoting_" });
  try {
    Deno.writeTextFileSync(`${bin}/X=1`, '#!/bin/bash\nprintf "ran %s" "$1"\n');
    Deno.chmodSync(`${bin}/X=1`, 0o755);
    const env = { PATH: `${bin}:/usr/bin:/bin` };
    assertEquals(shellQuote("X=1"), "X=1", "an argument keeps its plain form");
    const call = { deno: "X=1", permissions: [], resultsDir: "/r", planArgs: [] };
    for (const script of [`${commandWordQuote("X=1")} run`, reproduceCommand(call, [])]) {
      const run = runCaptured("bash", ["-c", script], env);
      assertEquals([run.code, run.stdout], [0, "ran run"], script);
    }
    // A path is no assignment, and stays as it was written.
    assertEquals(commandWordQuote("/opt/a=b/deno"), "/opt/a=b/deno");
    assertEquals(commandWordQuote("tools/node_modules/.bin/deno"), "tools/node_modules/.bin/deno");
  } finally {
    Deno.removeSync(bin, { recursive: true });
  }
});
