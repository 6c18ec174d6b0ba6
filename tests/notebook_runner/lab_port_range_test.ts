/** startLabServer refuses a port outside 1-65535 (0 would let the OS pick one) before starting. */
import { assertRejects } from "@std/assert";
import { labProblem, startLabServer } from "../../lib/notebook_runner/lab_server.ts";

const projectRoot = new URL("../../", import.meta.url).pathname.replace(/\/$/, "");
const problem = await labProblem();

Deno.test({
  name: "lab server: a port outside 1-65535 or not an integer is an error",
  ignore: problem !== null,
  async fn() {
    for (const port of [0, -1, 65536, 8888.5]) {
      await assertRejects(
        () => startLabServer({ projectRoot, port }),
        Error,
        `port ${port} is not an integer in 1-65535`,
      );
    }
  },
});
