/**
 * A launcher to be killed outright, run by lab_launcher_killed_test.ts: starts a lab server
 * (`python`, `port` and `logFile` from its arguments; the server inherits this process's
 * environment), with `kernel` as a fourth argument also a kernel through Jupyter's REST API, waits
 * until the server has started `children` processes, prints
 * `{"server": pid, "children": [pid, ...]}` on one line, then waits to be killed.
 */
import { startLabServer } from "../../lib/notebook_runner/lab_server.ts";

const [python, port, logFile, children, kernel] = Deno.args;
const projectRoot = new URL("../../", import.meta.url).pathname.replace(/\/$/, "");
const server = await startLabServer({ projectRoot, python, port: Number(port), logFile });
if (kernel === "kernel") {
  const response = await fetch(`${server.baseUrl}/api/kernels`, {
    method: "POST",
    headers: { Authorization: `token ${server.token}` },
    body: "{}",
  });
  await response.body?.cancel();
  if (!response.ok) throw new Error(`starting a kernel: HTTP ${response.status}`);
}
let started = server.children();
while (started.length < Number(children)) {
  await new Promise((resolve) => setTimeout(resolve, 100));
  started = server.children();
}
console.log(JSON.stringify({ server: server.pid, children: started.map((id) => id.pid) }));
// Kept alive (the server's own timers would do it too) until the test kills it.
setInterval(() => {}, 60_000);
