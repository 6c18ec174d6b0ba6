// The live notebook server: bound to 127.0.0.1, refuses requests without the token, offers only
// the Deno kernel, stop() leaves no kernel running, and two servers started at once do not both
// take one port. Skips when Jupyter Notebook is missing.
import { assert, assertEquals, assertMatch, assertRejects } from "@std/assert";
import {
  labProblem,
  type LabServer,
  startLabServer,
} from "../../lib/notebook_runner/lab_server.ts";
import { labTestPorts } from "./_lab_test_ports.ts";

const projectRoot = new URL("../..", import.meta.url).pathname.replace(/\/$/, "");
const problem = await labProblem();

Deno.test({
  name: "lab server: token required, Deno kernel only, stop() ends its kernels",
  ignore: problem !== null,
  async fn() {
    const logFile = await Deno.makeTempFile({ suffix: ".log" });
    // A port above the default range, so a user's own `./run.sh lab` is never in the way.
    const server = await startLabServer({ projectRoot, port: 18_000 + (Deno.pid % 1000), logFile });
    let stopped = false;
    try {
      assertEquals(server.url, `http://127.0.0.1:${server.port}/?token=${server.token}`);
      // 16 random bytes, two hex digits each.
      assertMatch(server.token, /^[0-9a-f]{32}$/);
      const api = (path: string, init: RequestInit = {}, token = server.token) =>
        fetch(`${server.baseUrl}${path}`, {
          ...init,
          headers: token ? { Authorization: `token ${token}` } : {},
        });
      for (const token of ["", "wrong"]) {
        const refused = await api("/api/contents", {}, token);
        await refused.body?.cancel();
        assertEquals(refused.status, 403, `token "${token}"`);
      }
      const specs = await (await api("/api/kernelspecs")).json();
      assertEquals(Object.keys(specs.kernelspecs), ["deno"]);
      assertEquals(specs.default, "deno");
      const kernel = await api("/api/kernels", { method: "POST", body: '{"name":"deno"}' });
      assertEquals(kernel.status, 201);
      await kernel.body?.cancel();
      let kernels = server.children();
      for (let wait = 0; wait < 50 && kernels.length === 0; wait++) {
        await new Promise((resolve) => setTimeout(resolve, 100));
        kernels = server.children();
      }
      assert(kernels.length > 0, "the kernel process was started");
      const report = await server.stop();
      stopped = true;
      assertEquals(report.leftRunning, []);
      assertEquals(report.exitCode, 0);
      for (const { pid } of kernels) {
        let alive = true;
        try {
          const state = Deno.readTextFileSync(`/proc/${pid}/stat`);
          alive = !/\) Z /.test(state);
        } catch {
          alive = false;
        }
        assert(!alive, `kernel process ${pid} still running`);
      }
      await assertRejects(() => fetch(server.baseUrl), TypeError);
    } finally {
      if (!stopped) await server.stop();
      await Deno.remove(logFile);
    }
  },
});

Deno.test({
  name: "lab server: an explicit port that is in use is an error, not silently replaced",
  ignore: problem !== null,
  async fn() {
    const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
    const port = (listener.addr as Deno.NetAddr).port;
    try {
      await assertRejects(
        () => startLabServer({ projectRoot, port }),
        Error,
        `port ${port} on 127.0.0.1 is in use`,
      );
    } finally {
      listener.close();
    }
  },
});

/**
 * Stops every server in `results` that started, then asserts none left a process running; the
 * reasons of those that did not start. Every one is stopped before any assertion: one failing
 * first left the next server running after the test (a Jupyter in a session of its own).
 */
async function stopStarted(results: PromiseSettledResult<LabServer>[]): Promise<string[]> {
  const started = results.flatMap((result) => result.status === "fulfilled" ? [result.value] : []);
  const reports = await Promise.all(started.map((server) => server.stop()));
  for (const report of reports) assertEquals(report.leftRunning, []);
  return results.flatMap((result) =>
    result.status === "rejected" ? [(result.reason as Error).message] : []
  );
}

Deno.test({
  name: "lab server: two started at once without a port both run, on different ports",
  ignore: problem !== null,
  async fn() {
    // Both find the same port free; the second Jupyter to bind it fails and is restarted above it.
    // A range of their own: the default one's 8888 may be a user's own `./run.sh lab`.
    const portRange = labTestPorts("live: two started at once without a port");
    const results = await Promise.allSettled([
      startLabServer({ projectRoot, portRange }),
      startLabServer({ projectRoot, portRange }),
    ]);
    const ports = results.map((result) => result.status === "fulfilled" && result.value.port);
    const reasons = await stopStarted(results);
    assertEquals(reasons, []);
    assert(ports[0] !== ports[1], `both on port ${ports[0]}`);
  },
});

Deno.test({
  name: "lab server: two started at once on one explicit port: the second says the port is in use",
  ignore: problem !== null,
  async fn() {
    const port = 20_000 + (Deno.pid % 1000);
    const results = await Promise.allSettled([
      startLabServer({ projectRoot, port }),
      startLabServer({ projectRoot, port }),
    ]);
    const started = results.filter((result) => result.status === "fulfilled").length;
    const reasons = await stopStarted(results);
    assertEquals([started, reasons], [1, [`port ${port} on 127.0.0.1 is in use`]]);
  },
});
