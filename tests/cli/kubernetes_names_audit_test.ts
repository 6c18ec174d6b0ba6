/**
 * `deno task kubernetes`'s names and paths are refused by rules their messages did not state:
 * `--name -x` was told "must be lower-case letters, digits and "-"", which "-x" is, and
 * `--mount /data/` "must be an absolute path without white space or commas", which it is. The
 * messages now state the rules the checks apply (a name neither starts nor ends with "-"; a path
 * is not / and has no trailing /), and each value is still refused with status 2, nothing written.
 */
import { assertEquals } from "@std/assert";
import { removalOfMade } from "../_made_folders.ts";
import { runScript } from "./_run_script.ts";

const root = new URL("../../", import.meta.url).pathname;

const NAME_RULE = 'must be lower-case letters, digits and "-" (not first or last), at most 40';
const PATH_RULE = "must be an absolute path other than /, without a trailing /, white space or " +
  "commas";

Deno.test("deno task kubernetes: a name or path the checks refuse is refused by the rule it breaks", async () => {
  const out = `build/kubernetes-names-audit-${crypto.randomUUID().slice(0, 8)}`;
  // Nothing is written when all is well; a regression that writes leaves nothing behind.
  const removeMade = removalOfMade(`${root}${out}`);
  const cases: [string, string, string][] = [
    ["name", "-x", NAME_RULE],
    ["name", "x-", NAME_RULE],
    ["claim", "-shared", NAME_RULE],
    ["claim", "a".repeat(41), NAME_RULE],
    ["mount", "/", PATH_RULE],
    ["mount", "/data/", PATH_RULE],
    ["workspace", "/", PATH_RULE],
    ["workspace", "relative/ws", PATH_RULE],
  ];
  try {
    for (const [option, value, rule] of cases) {
      const run = await runScript("scripts/kubernetes/generate.ts", [
        "--image",
        "i",
        "--out",
        out,
        `--${option}=${value}`,
      ]);
      assertEquals(
        [run.code, run.stdout, run.stderr],
        [2, "", `kubernetes: --${option} ${value}: ${rule}; see --help\n`],
        `--${option}=${value}`,
      );
    }
  } finally {
    removeMade();
  }
});
