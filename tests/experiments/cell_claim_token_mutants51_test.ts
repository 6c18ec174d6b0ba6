/**
 * claimStaleness and isThisProcess (lib/experiments/cell_claim.ts), pinned where mutation round
 * mu51c found no test: this process's own claim made where its start time could not be read (no
 * `processStart`, as under scoped permissions) is not judged an earlier process's claim, and a
 * claim without a token that names this pid but another start time is not this process's.
 */
import { assertEquals } from "@std/assert";
import {
  claimOfThisProcess,
  claimStaleness,
  isThisProcess,
  processStartTime,
} from "../../lib/experiments/cell_claim.ts";

Deno.test({
  name: "claimStaleness: this process's own claim without a start time is not stale",
  ignore: Deno.build.os !== "linux",
  fn() {
    const { processStart: _, ...claim } = claimOfThisProcess();
    assertEquals(claimStaleness(claim), undefined);
    assertEquals(isThisProcess(claim), true);
  },
});

Deno.test({
  name:
    "isThisProcess: a claim without a token naming this pid but another start is not this one's",
  ignore: Deno.build.os !== "linux",
  fn() {
    const { token: _, ...claim } = claimOfThisProcess();
    const start = processStartTime(Deno.pid)!;
    assertEquals(isThisProcess({ ...claim, processStart: start }), true);
    assertEquals(isThisProcess({ ...claim, processStart: start + 1 }), false);
  },
});
