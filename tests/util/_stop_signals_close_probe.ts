/**
 * Run by stop_signals_test.ts: listens for the stop signals and closes the listener before any
 * arrives; prints what `stoppedBy` and the signal say then, and "ready". A stop signal sent after
 * that ends the process as it would without a listener.
 */
import { listenForStopSignals } from "../../lib/util/stop_signals.ts";

const stop = listenForStopSignals();
stop.close();
console.log(`closed: stoppedBy ${stop.stoppedBy()}, aborted ${stop.signal.aborted}`);
console.log("ready");
// Only reached while a listener is left (close() failed): exit by itself, which the test refuses.
await new Promise((resolve) => setTimeout(resolve, 5000));
console.log("still running");
