/**
 * The interactive notebook server (`./run.sh lab`): Jupyter Notebook on 127.0.0.1 with token
 * authentication, the project's Deno kernel, `notebooks/` as its root. Prints the URL with the
 * token; Ctrl-C stops the server and every kernel it started.
 *
 *   deno run -A scripts/lab.ts              # port 8888, or the next free one
 *   deno run -A scripts/lab.ts --port 9000  # exactly this port (fails if it is in use)
 */
import { parseArgs } from "node:util";
import { startLabServer } from "../lib/notebook_runner/mod.ts";

const projectRoot = new URL("..", import.meta.url).pathname.replace(/\/$/, "");

async function main(): Promise<number> {
  const { values, tokens } = parseArgs({
    args: Deno.args,
    options: { port: { type: "string" }, help: { type: "boolean", short: "h" } },
    tokens: true,
  });
  // node:util keeps the last of a repeated option: `--port 1 --port 2` served on 2.
  const ports = tokens.filter((token) => token.kind === "option" && token.name === "port");
  if (ports.length > 1) throw new Error("lab: --port given twice: give it once");
  if (values.help) {
    console.log("usage: ./run.sh lab [--port N]");
    return 0;
  }
  if (values.port !== undefined && !/^\d+$/.test(values.port)) {
    throw new Error(`lab: --port "${values.port}" is not a port number (1-65535)`);
  }
  const port = values.port === undefined ? undefined : Number(values.port);
  const server = await startLabServer({ projectRoot, port });
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

if (import.meta.main) {
  try {
    Deno.exit(await main());
  } catch (error) {
    console.error((error as Error).message);
    Deno.exit(1);
  }
}
