/**
 * `--seeds` has one reading and one refusal (scripts/cli/seeds_option.ts), shared by reproduce and
 * the benchmark scripts that take a list of seeds. Until session 54 each bench kept its own copy:
 * "--seeds: 0 given twice" without the range, "--seeds -1: must be an integer in 0..2147483647",
 * where reproduce said "--seeds 5,5: 5 given twice; allowed: ...".
 */
import { assertEquals, assertStringIncludes, assertThrows } from "@std/assert";
import { UsageError } from "../../scripts/cli/options.ts";
import { SEEDS_ALLOWED, seedsOption } from "../../scripts/cli/seeds_option.ts";
import { USAGE } from "../../scripts/reproduce_options.ts";
import { runScript } from "./_run_script.ts";

const ALLOWED = "allowed: distinct integers in 0..2^31-1, comma-separated";

Deno.test("seedsOption: the seeds in order, both ends of the range taken", () => {
  assertEquals(seedsOption("0"), [0]);
  assertEquals(seedsOption("3,1,2"), [3, 1, 2]);
  assertEquals(seedsOption("0,2147483647"), [0, 2147483647]);
  assertEquals(SEEDS_ALLOWED, ALLOWED.slice("allowed: ".length));
  // reproduce's usage states the same words (one home).
  assertStringIncludes(USAGE, `other seeds: ${SEEDS_ALLOWED}`);
});

Deno.test("seedsOption: every refusal names the flag, the value, what is wrong and the range", () => {
  const cases: [string, string][] = [
    ["5,5", "5 given twice"],
    ["0,1,0", "0 given twice"],
    ["-1", "-1 is outside 0..2147483647"],
    ["0,2147483648", "2147483648 is outside 0..2147483647"],
    // Too large to hold exactly: outside the range too, not rounded to 1e20.
    ["99999999999999999999", "99999999999999999999 is outside 0..2147483647"],
    // An empty entry is no seed (Number("") is 0), nor are other notations Number reads.
    ["0,,1", '"" is not an integer'],
    ["0x10", '"0x10" is not an integer'],
    ["1e3", '"1e3" is not an integer'],
    [" 5", '" 5" is not an integer'],
    ["1.5", '"1.5" is not an integer'],
    ["a", '"a" is not an integer'],
  ];
  for (const [text, why] of cases) {
    const error = assertThrows(() => seedsOption(text), UsageError);
    assertEquals(error.message, `--seeds ${text}: ${why}; ${ALLOWED}`, text);
  }
});

Deno.test("--seeds: reproduce and the benchmark scripts refuse a list in the same words", async () => {
  const scripts: [string, string][] = [
    ["scripts/reproduce.ts", "reproduce"],
    ["bench/cl4srec_diagnosis.ts", "cl4srec_diagnosis"],
    ["bench/demure_training_pass_validation.ts", "demure_training_pass_validation"],
  ];
  const refusals: [string, string][] = [
    ["2,2", "2 given twice"],
    ["0,-1", "-1 is outside 0..2147483647"],
    ["0,x", '"x" is not an integer'],
  ];
  for (const [script, name] of scripts) {
    for (const [text, why] of refusals) {
      // --list-cells: were one let through, reproduce would list, not train.
      const args = script.startsWith("scripts/") ? ["--list-cells", `--seeds=${text}`] : [
        `--seeds=${text}`,
      ];
      const { code, stderr } = await runScript(script, args);
      assertEquals(
        [code, stderr],
        [2, `${name}: --seeds ${text}: ${why}; ${ALLOWED}; see --help\n`],
        `${script} ${text}`,
      );
    }
  }
});
