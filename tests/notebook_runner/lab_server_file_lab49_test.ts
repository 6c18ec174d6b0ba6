/**
 * stop() removes the server file Jupyter writes to the project's `.jupyter/runtime`
 * (`nbserver-<pid>.json`, and Notebook 6.4's `nbserver-<pid>-open.html`) when the server could not: killed outright (SIGKILL, the OOM killer), it
 * left the file behind, naming a dead server (`jupyter notebook list`), and every lab test that
 * kills its stand-in so left one in the checkout. A server that exits as usual removes it itself.
 */
import { assert, assertEquals } from "@std/assert";
import { startLabServer } from "../../lib/notebook_runner/lab_server.ts";
import { pathExists } from "../../lib/util/path_exists.ts";
import { fakeJupyter, freePort, inTempDir } from "./_lab_stand_ins.ts";

const projectRoot = new URL("../../", import.meta.url).pathname.replace(/\/$/, "");

Deno.test("lab server: stop() removes the server file of a server killed outright", () =>
  inTempDir(async (dir) => {
    // FAKE_END_CHILDREN: the stand-in's children end with it, as Jupyter's kernels do.
    const { python, env } = await fakeJupyter(dir, { FAKE_END_CHILDREN: "1" });
    const server = await startLabServer({ projectRoot, python, port: freePort(), env });
    const serverFile = `${projectRoot}/.jupyter/runtime/nbserver-${server.pid}.json`;
    // Notebook 6.4's page that opens the browser, written here as it does (the stand-in does not).
    const openPage = serverFile.replace(/\.json$/, "-open.html");
    await Deno.writeTextFile(openPage, "<html></html>\n");
    let stopped = false;
    try {
      assert(pathExists(serverFile), `${serverFile} was not written`);
      Deno.kill(server.pid, "SIGKILL");
      assertEquals(await server.exited, 137);
      assert(pathExists(serverFile), "the killed server removed its file itself");
      await server.stop();
      stopped = true;
      for (const file of [serverFile, openPage]) {
        assertEquals(pathExists(file), false, `${file} left behind`);
      }
    } finally {
      if (!stopped) await server.stop();
    }
  }));

Deno.test("lab server: stop() of a server that removed its file itself is no error", () =>
  inTempDir(async (dir) => {
    const { python, env } = await fakeJupyter(dir, { FAKE_END_CHILDREN: "1" });
    const server = await startLabServer({ projectRoot, python, port: freePort(), env });
    const serverFile = `${projectRoot}/.jupyter/runtime/nbserver-${server.pid}.json`;
    const report = await server.stop();
    assertEquals(report, { exitCode: 0, signalledAfterServer: 0, leftRunning: [] });
    assertEquals(pathExists(serverFile), false);
  }));
