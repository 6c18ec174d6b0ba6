/**
 * The device check's options (scripts/cli/gpu_check_options.ts) where mutation round mu54d found
 * no test: the users `--profile` trains when `--users` is not given. The usage test compares the
 * usage with the function, both made from the one constant, so a changed default passed it
 * (GO2: 512 -> 256); docs/gpu.md's profile figures are of the 512-user set.
 */
import { assertEquals, assertStringIncludes } from "@std/assert";
import { gpuCheckOptions, USAGE, workloadUsers } from "../../scripts/cli/gpu_check_options.ts";

Deno.test("workloadUsers: --profile without --users trains the 512-user set, as --help and docs/gpu.md say", () => {
  assertEquals(workloadUsers(gpuCheckOptions(["--profile"])), 512);
  assertStringIncludes(USAGE.replace(/\s+/g, " "), "; 512 with --profile)");
  // An epoch without --users is the whole Beauty-shaped set, with --profile or not given.
  assertEquals(workloadUsers(gpuCheckOptions([])), 22_363);
});
