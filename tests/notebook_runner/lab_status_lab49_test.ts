/**
 * The lab's status check (startLabServer asks `/api/status` until the server answers), with a
 * stand-in server (lab_status_stand_in_lab49.py): a server that takes the connection and never
 * answers is given up after `startTimeoutSeconds` like one that never listens (the request waited for
 * ever, and the start with it); the body of every status response, refused or not, is let go once
 * the start is done, so that no connection of it stays open in this process.
 */
import { assertEquals } from "@std/assert";
import { startLabServer } from "../../lib/notebook_runner/lab_server.ts";
import { fakePython, freePort, inTempDir, running, startError } from "./_lab_stand_ins.ts";
import { within } from "../../lib/util/within.ts";

const projectRoot = new URL("../../", import.meta.url).pathname.replace(/\/$/, "");
const standIn = new URL("./lab_status_stand_in_lab49.py", import.meta.url).pathname;

/** A Python whose server is the stand-in, its pid written to `dir/pid`. */
const standInPython = (dir: string) =>
  fakePython(dir, `echo $$ > ${dir}/pid\nexec /usr/bin/python3 ${standIn} "$@"`);

/** The lines of `path`, none when it is not there (yet). */
async function lines(path: string): Promise<string[]> {
  const text = await Deno.readTextFile(path).catch(() => "");
  return text.split("\n").filter(Boolean);
}

Deno.test("lab status check: a server that takes the connection and never answers is given up after startTimeoutSeconds, and stopped", () =>
  inTempDir(async (dir) => {
    const python = await standInPython(dir);
    const config = { projectRoot, python, port: freePort(), startTimeoutSeconds: 1 };
    const pid = async () => Number((await Deno.readTextFile(`${dir}/pid`)).trim());
    try {
      // The cap only keeps a regression from hanging the suite: it waited on the request for ever.
      const message = await within(
        startError({ ...config, env: { FAKE_STATUS: "silent" } }),
        60_000,
      );
      assertEquals(message, "the server did not answer within 1 s");
      assertEquals(running(await pid()), false, `the server ${await pid()} still runs`);
    } finally {
      // A regression's server, still waited on: not left behind.
      const server = await pid().catch(() => 0);
      if (server > 0 && running(server)) {
        Deno.kill(server, "SIGKILL");
        await Deno.remove(`${projectRoot}/.jupyter/runtime/nbserver-${server}.json`);
      }
    }
  }));

Deno.test("lab status check: each status response's body is let go, its connection closed, a refused one's too", () =>
  inTempDir(async (dir) => {
    const python = await standInPython(dir);
    const env = {
      FAKE_STATUS: "held",
      FAKE_ASKED_FILE: `${dir}/asked`,
      FAKE_CLOSED_FILE: `${dir}/closed`,
    };
    const server = await startLabServer({ projectRoot, python, port: freePort(), env });
    try {
      // 403 first (asked again), then 200: two requests, each body unfinished by the server.
      const asked = await lines(`${dir}/asked`);
      assertEquals(asked, ["asked 1", "asked 2"]);
      // Each connection is closed by this process once its body is cancelled; an unread body
      // would hold it open until garbage collection (the wait is capped, not timed).
      let closed = await lines(`${dir}/closed`);
      for (let wait = 0; wait < 100 && closed.length < asked.length; wait++) {
        await new Promise((resolve) => setTimeout(resolve, 100));
        closed = await lines(`${dir}/closed`);
      }
      assertEquals(closed.sort(), ["closed 1", "closed 2"]);
    } finally {
      await server.stop();
    }
  }));
