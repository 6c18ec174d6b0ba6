/**
 * lib/util/stop_signals.ts, in a subprocess (a signal sent to the test process would reach every
 * test): each stop signal is heard and named, close() gives the signal back to the process, and
 * the table of exit statuses is what the system reports for a process that signal ended.
 * Found by mutation round IL (IL06-IL09).
 */
import { assertEquals, assertStringIncludes } from "@std/assert";
import { STOP_SIGNAL_STATUS } from "../../lib/util/stop_signals.ts";
import { readUntil } from "../_read_until.ts";

/**
 * The probe `file` (a module next to this one) started with its stdout read here: it prints "ready"
 * once it listens, then what it heard.
 */
function startProbe(file: string): {
  child: Deno.ChildProcess;
  reader: ReadableStreamDefaultReader<Uint8Array>;
} {
  const child = new Deno.Command(Deno.execPath(), {
    args: ["run", "--no-check", new URL(file, import.meta.url).pathname],
    stdin: "null",
    stdout: "piped",
    stderr: "null",
  }).spawn();
  return { child, reader: child.stdout.getReader() };
}

// Literal names, not STOP_SIGNALS: a signal left out of that list is then caught here.
for (const name of ["SIGINT", "SIGTERM", "SIGHUP"] as const) {
  Deno.test(`listenForStopSignals: ${name} is heard and named; after close() it ends the process with ${STOP_SIGNAL_STATUS[name]}`, async () => {
    const { child, reader } = startProbe("./_stop_signals_probe.ts");
    assertStringIncludes(await readUntil(reader, "ready"), "ready");
    child.kill(name);
    const rest = await readUntil(reader, "\u0000"); // to the end of its output
    reader.releaseLock();
    const status = await child.status;
    assertStringIncludes(rest, `stopped by ${name} (reason ${name})`);
    assertEquals(rest.includes("still running"), false, rest);
    assertEquals({ signal: status.signal, code: status.code }, {
      signal: name,
      code: STOP_SIGNAL_STATUS[name],
    });
  });
}

Deno.test("listenForStopSignals: a second stop signal changes nothing; the first is still the one named", async () => {
  // Found by mutation round JK (JK28): a listener that started over at each signal named the last.
  const { child, reader } = startProbe("./_stop_signals_twice_probe.ts");
  assertStringIncludes(await readUntil(reader, "ready"), "ready");
  child.kill("SIGINT");
  assertStringIncludes(await readUntil(reader, "heard"), "heard");
  child.kill("SIGTERM");
  const rest = await readUntil(reader, "\u0000");
  reader.releaseLock();
  assertEquals((await child.status).code, 0, rest);
  assertStringIncludes(rest, "after the second: stoppedBy SIGINT, reason SIGINT");
});

Deno.test("STOP_SIGNAL_STATUS is frozen: the one table of these statuses cannot be changed by a caller", () => {
  // Found by mutation round JK (JK27).
  assertEquals(Object.isFrozen(STOP_SIGNAL_STATUS), true);
});

Deno.test("listenForStopSignals: close() before any signal gives the signals back and stops nothing", async () => {
  // Found by mutation round OD (OD23, OD24): a close() that removed the listeners only once a
  // signal had come, or that aborted the signal itself, passed every test that closed after one.
  const { child, reader } = startProbe("./_stop_signals_close_probe.ts");
  const head = await readUntil(reader, "ready");
  assertStringIncludes(head, "closed: stoppedBy undefined, aborted false");
  child.kill("SIGTERM");
  const rest = await readUntil(reader, "\u0000");
  reader.releaseLock();
  const status = await child.status;
  assertEquals(rest.includes("still running"), false, rest);
  assertEquals({ signal: status.signal, code: status.code }, {
    signal: "SIGTERM",
    code: STOP_SIGNAL_STATUS.SIGTERM,
  });
});
