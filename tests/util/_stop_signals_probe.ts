/**
 * Run by stop_signals_test.ts: listens for the stop signals, prints "ready", and on the first
 * prints its name (`stoppedBy`), closes the listener and sends itself the same signal, which now
 * ends the process as it would without a listener (the status a shell reports for it).
 */
import { listenForStopSignals, type StopSignalName } from "../../lib/util/stop_signals.ts";

const stop = listenForStopSignals();
console.log("ready");
await new Promise((resolve) => stop.signal.addEventListener("abort", resolve));
const by = stop.stoppedBy() as StopSignalName;
console.log(`stopped by ${by} (reason ${stop.signal.reason})`);
stop.close();
Deno.kill(Deno.pid, by);
// Only reached while a listener is left (close() failed): exit by itself, which the test refuses.
await new Promise((resolve) => setTimeout(resolve, 5000));
console.log("still running");
