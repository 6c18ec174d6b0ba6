/**
 * scripts/cluster/shell.ts, mutation pass 54 (mu54a): a program whose name bash takes for an
 * assignment because it starts with "_" (a name may start with one) is run, not taken for one.
 */
import { assertEquals } from "@std/assert";
import { runCaptured } from "../slurm/_run.ts";
import { commandWordQuote } from "../../scripts/cluster/shell.ts";

Deno.test("commandWordQuote: a program named _X=1 is run, not taken for an assignment", () => {
  // Mutant mu54a S4 (the pattern's first letter without "_") left `_X=1` bare: bash set _X and
  // ran the next word instead.
  const bin = Deno.makeTempDirSync({ prefix: "shell_mutants54_" });
  try {
    for (const name of ["_X=1", "_=1"]) {
      Deno.writeTextFileSync(`${bin}/${name}`, '#!/bin/bash\nprintf "ran %s" "$1"\n');
      Deno.chmodSync(`${bin}/${name}`, 0o755);
      const script = `${commandWordQuote(name)} run`;
      const run = runCaptured("bash", ["-c", script], { PATH: `${bin}:/usr/bin:/bin` });
      assertEquals([run.code, run.stdout], [0, "ran run"], script);
    }
  } finally {
    Deno.removeSync(bin, { recursive: true });
  }
});
