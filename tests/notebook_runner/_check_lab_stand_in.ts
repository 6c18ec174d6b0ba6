/**
 * `deno task check-lab` (scripts/check_lab.ts) with the server on the ports
 * `$CHECK_LAB_TEST_PORTS` names (`FIRST:COUNT`, a test's own range: tests/notebook_runner/
 * _lab_test_ports.ts) and its log and screenshot in `$CHECK_LAB_TEST_BUILD`, so that a run on a
 * stand-in Jupyter and Chromium neither takes the lab's ports nor writes over `build/lab`. Run by
 * tests/notebook_runner/check_lab_stop_test.ts.
 */
import { main } from "../../scripts/check_lab.ts";
import { runScript } from "../../scripts/cli/options.ts";

const [first, count] = (Deno.env.get("CHECK_LAB_TEST_PORTS") ?? "").split(":").map(Number);
const buildDir = Deno.env.get("CHECK_LAB_TEST_BUILD");
if (!(first > 0 && count > 0) || !buildDir) {
  throw new Error("set CHECK_LAB_TEST_PORTS=FIRST:COUNT and CHECK_LAB_TEST_BUILD=DIR");
}
await runScript("check_lab", () => main({ portRange: { first, count }, buildDir }));
