/**
 * shellQuote and cellsArray (scripts/cluster/shell.ts), third mutation pass (round OF): the bash
 * characters the earlier passes did not try (newline, braces, backslash, `;`, `?`) reach bash as
 * written, in a folder where a glob would match.
 */
import { assertEquals } from "@std/assert";
import { runCaptured } from "../slurm/_run.ts";
import { cellsArray, shellQuote } from "../../scripts/cluster/shell.ts";

Deno.test("shellQuote and cellsArray: a newline, braces, a backslash, ; and ? reach bash as written", () => {
  // Found by mutation round OF (OF12-OF16): with these counted as safe (or the pattern matched
  // line by line), a newline or `;` ran the rest as a command, `{a,b}` became two words, `\`
  // vanished, and `?` matched a file of the folder.
  const dir = Deno.makeTempDirSync({ prefix: "shell_gaps_" });
  try {
    Deno.writeTextFileSync(`${dir}/ab`, "");
    for (const value of ["a\nb", "seed\n", "x{0,1}", "a\\b", "a;b", "a?", "a&b", "a|b"]) {
      const cd = `cd ${shellQuote(dir)}\n`;
      const quoted = runCaptured("bash", ["-c", `${cd}printf %s ${shellQuote(value)}`], {});
      assertEquals([quoted.code, quoted.stdout], [0, value], JSON.stringify(value));
      const inArray = runCaptured("bash", [
        "-c",
        `${cd}${cellsArray([value])}\nprintf '%s|' "\${cells[@]}"`,
      ], {});
      assertEquals([inArray.code, inArray.stdout], [0, `${value}|`], JSON.stringify(value));
    }
  } finally {
    Deno.removeSync(dir, { recursive: true });
  }
});
