/**
 * scripts/cluster/submission.ts, mutation pass 54 (mu54a), called directly: `-h` after `--` is
 * refused as `--help` is (reproduce only lists the cells there: its usage was read as the JSON).
 */
import { assertEquals, assertThrows } from "@std/assert";
import { planArgsOf } from "../../scripts/cluster/submission.ts";
import { UsageError } from "../../scripts/cli/options.ts";

Deno.test("planArgsOf: -h after -- is refused by name, as --help is; other flags pass on in order", () => {
  // Mutant mu54a U4 (only "--help" looked for) passed -h to the listing's reproduce call.
  for (const help of ["-h", "--help"]) {
    const error = assertThrows(() => planArgsOf({ quick: true }, ["--x", help]), UsageError);
    assertEquals(error.message.startsWith(`${help} after -- `), true, error.message);
  }
  assertEquals(planArgsOf({ quick: true }, ["--x", "-y"]), ["--quick", "--x", "-y"]);
});
