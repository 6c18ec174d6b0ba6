/**
 * Run by stop_signals_test.ts: listens for the stop signals and prints "ready"; after the first
 * prints "heard"; when a SIGTERM arrives after it, prints what `stoppedBy` and the signal's reason
 * say then (the first signal's name, as later ones change nothing), closes and exits 0.
 */
import { listenForStopSignals } from "../../lib/util/stop_signals.ts";

const stop = listenForStopSignals();
console.log("ready");
await new Promise((resolve) => stop.signal.addEventListener("abort", resolve));
// Added after the library's listener, so it runs after it on the second signal.
const second = new Promise<void>((resolve) => Deno.addSignalListener("SIGTERM", () => resolve()));
console.log("heard");
await second;
console.log(`after the second: stoppedBy ${stop.stoppedBy()}, reason ${stop.signal.reason}`);
stop.close();
Deno.exit(0);
