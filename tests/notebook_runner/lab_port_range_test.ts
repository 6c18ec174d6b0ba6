/**
 * startLabServer refuses a port outside 1-65535 (0 would let the OS pick one) and a start timeout
 * that is not a number > 0 before starting.
 */
import { assertEquals, assertRejects } from "@std/assert";
import { labProblem, startLabServer } from "../../lib/notebook_runner/lab_server.ts";
import { SettingError } from "../../lib/util/settings.ts";

const projectRoot = new URL("../../", import.meta.url).pathname.replace(/\/$/, "");
const problem = await labProblem();

Deno.test({
  name: "lab server: a port outside 1-65535 or not an integer is a SettingError naming it",
  ignore: problem !== null,
  async fn() {
    for (const port of [0, -1, 65536, 8888.5, NaN]) {
      const error = await assertRejects(
        () => startLabServer({ projectRoot, port }),
        SettingError,
        `LabServerConfig.port is ${port}; allowed: an integer >= 1 and <= 65535`,
      ) as SettingError;
      assertEquals(error.setting, "LabServerConfig.port");
    }
  },
});

Deno.test("lab server: a start timeout that is not a number > 0 is a SettingError before anything starts", async () => {
  // NaN and -1 started a server and gave up on it at once ("did not answer within NaN s").
  for (const startTimeoutS of [NaN, -1, 0, Infinity]) {
    const error = await assertRejects(
      () => startLabServer({ projectRoot, startTimeoutS }),
      SettingError,
      `LabServerConfig.startTimeoutS is ${startTimeoutS}; allowed: a finite number > 0`,
    ) as SettingError;
    assertEquals(error.setting, "LabServerConfig.startTimeoutS");
  }
});
