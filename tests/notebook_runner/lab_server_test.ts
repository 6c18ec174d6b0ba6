// The live notebook server: bound to 127.0.0.1, refuses requests without the token, offers only
// the Deno kernel, and stop() leaves no kernel running. Skips when Jupyter Notebook is missing.
import { assert, assertEquals, assertRejects } from "@std/assert";
import { labProblem, startLabServer } from "../../lib/notebook_runner/lab_server.ts";

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
      assert(server.url.startsWith(`http://127.0.0.1:${server.port}/?token=`), server.url);
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
