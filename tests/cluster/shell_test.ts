/** The shell text both cluster routes write (scripts/cluster/shell.ts), run through bash. */
import { assertEquals } from "@std/assert";
import { runCaptured } from "../slurm/_run.ts";
import { cellsArray, reproduceCommand, shellQuote } from "../../scripts/cluster/shell.ts";

const KEYS = [
  "quick/Synthetic(numUsers=160)/Pop/seed=0",
  "quick/Synthetic(numUsers=160)/Demure-SASRec[rho=0.5]/seed=0",
  "quick/MovieLens/it's/seed=1",
];

function bash(script: string) {
  return runCaptured("bash", ["-c", script], {});
}

Deno.test("shellQuote leaves plain words and quotes everything else for bash", () => {
  assertEquals(shellQuote("quick/MovieLens/Pop/seed=0"), "quick/MovieLens/Pop/seed=0");
  for (const value of KEYS) {
    assertEquals(bash(`printf %s ${shellQuote(value)}`).stdout, value);
  }
  // An empty value stays one (empty) word: unquoted, it would vanish from the command line.
  assertEquals(shellQuote(""), "''");
  assertEquals(bash(`count() { printf %s $#; }; count ${shellQuote("")}`).stdout, "1");
});

Deno.test("cellsArray and reproduceCommand: bash sees each key and argument as one word", () => {
  const call = {
    deno: "/opt/my deno/deno",
    permissions: ["--allow-read=.,/r"],
    resultsDir: "/r/full",
    planArgs: ["--quick"],
  };
  const script = [
    cellsArray(KEYS),
    "cell=${cells[2]}",
    `args() { printf '%s\\n' "$@"; }`,
    `args ${reproduceCommand(call, ["--cell", '"$cell"'])}`,
  ].join("\n");
  assertEquals(bash(script).stdout.trimEnd().split("\n"), [
    "/opt/my deno/deno",
    "run",
    "--allow-read=.,/r",
    "scripts/reproduce.ts",
    "--cell",
    KEYS[2],
    "--results",
    "/r/full",
    "--quick",
  ]);
});

Deno.test("shellQuote: every single quote of a value is escaped, not only the first", () => {
  // Found by mutation round GB (GB10): `replace` instead of `replaceAll` broke the second quote.
  const value = "it's Bob's 'cell'";
  assertEquals(bash(`printf %s ${shellQuote(value)}`).stdout, value);
});

Deno.test("shellQuote and cellsArray: $, ~, *, backquote and double quote reach bash as written", () => {
  // Found by mutation round JK (JK10, JK11, JK13, JK33): a `$` or `~` left bare is expanded, a
  // `*` is a glob, a leading `#` starts a comment, and keys in double quotes still expand `$` and
  // backquotes.
  for (const value of ["$HOME/r", "~/results", "*", "#7", "a`id`b", 'say "hi" $x']) {
    assertEquals(bash(`printf %s ${shellQuote(value)}`).stdout, value);
    assertEquals(bash(`${cellsArray([value])}\nprintf %s "\${cells[0]}"`).stdout, value);
  }
});

Deno.test('reproduceCommand leaves only the word "$cell" unquoted, not any word in double quotes', () => {
  // Found by mutation round JK (JK12): a deno path or plan flag starting with `"` must stay literal.
  const call = { deno: '"d"', permissions: [], resultsDir: "/r", planArgs: ['"$HOME"'] };
  const script = `cell=k\nargs() { printf '%s\\n' "$@"; }\nargs ${
    reproduceCommand(call, ["--cell", '"$cell"'])
  }`;
  assertEquals(bash(script).stdout.trimEnd().split("\n"), [
    '"d"',
    "run",
    "scripts/reproduce.ts",
    "--cell",
    "k",
    "--results",
    "/r",
    '"$HOME"',
  ]);
});
