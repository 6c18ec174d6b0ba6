/**
 * The interactive notebook server (`./run.sh lab`): Jupyter Notebook on 127.0.0.1 with token
 * authentication, the project's Deno kernel, `notebooks/` as its root. Prints the URL with the
 * token; Ctrl-C stops the server and every kernel it started.
 *
 *   deno run -A scripts/lab.ts              # port 8888, or the next free one
 *   deno run -A scripts/lab.ts --port 9000  # exactly this port (fails if it is in use)
 */
import { integerOption, parseOptions, runScript, ScriptFailure } from "./cli/options.ts";
import { startLabServer } from "../lib/notebook_runner/mod.ts";

const projectRoot = new URL("..", import.meta.url).pathname.replace(/\/$/, "");

async function main(): Promise<number> {
  const { values } = parseOptions(Deno.args, {
    port: { type: "string" },
    help: { type: "boolean", short: "h", default: false },
  });
  if (values.help) {
    console.log(
      "usage: ./run.sh lab [--port N]   (N: exactly this port; default 8888 or the next free one)",
    );
    return 0;
  }
  const port = values.port === undefined ? undefined : integerOption("port", values.port, 1, 65535);
  let server;
  try {
    server = await startLabServer({ projectRoot, port });
  } catch (error) {
    // Jupyter missing, the port taken: one line (startLabServer's message says which).
    throw new ScriptFailure((error as Error).message);
  }
  console.log(
    [
      "",
      "Notebook server (Deno kernel) serving notebooks/ on 127.0.0.1 only. Open:",
      "",
      `    ${server.url}`,
      "",
      "Ctrl-C stops the server and every kernel it started.",
      "",
    ].join("\n"),
  );
  const stopped = new Promise<string>((resolve) => {
    for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"] as const) {
      Deno.addSignalListener(signal, () => resolve(signal));
    }
    server.exited.then((code) => resolve(`the server exited (status ${code})`));
  });
  const reason = await stopped;
  console.log(`\nlab: stopping (${reason})`);
  const report = await server.stop();
  if (report.leftRunning.length > 0) {
    console.error(`lab: processes still running: ${report.leftRunning.join(", ")}`);
    return 1;
  }
  console.log(
    `lab: server and kernels stopped${
      report.signalledAfterServer > 0
        ? ` (${report.signalledAfterServer} processes needed a signal after the server)`
        : ""
    }`,
  );
  return 0;
}

if (import.meta.main) await runScript("lab", main);
