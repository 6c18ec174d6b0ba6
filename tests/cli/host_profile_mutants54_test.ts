/**
 * The wall time `sampleHost` reports is the work's own duration, not a clock reading: it is at
 * least the time the work itself measured and at most the time around the whole call. Found by
 * mutation round mu54d (HP4: the wall time without its start subtracted passed every test; the
 * header line would have said the time since the process started).
 */
import { assert } from "@std/assert";
import { sampleHost } from "../../scripts/cli/host_profile.ts";

Deno.test("sampleHost: the wall time is the work's duration, within the time around the call", async () => {
  let [workStart, workEnd] = [0, 0];
  const before = performance.now();
  const { wallMs } = await sampleHost(() => {
    workStart = performance.now();
    let x = 0;
    for (let i = 0; i < 1_000_000; i++) x = (x + i) % 7;
    workEnd = performance.now();
    return Promise.resolve(x);
  });
  const after = performance.now();
  // Both bounds hold on any machine, however loaded: they read the same monotonic clock.
  assert(wallMs >= workEnd - workStart, `${wallMs} ms < the work's ${workEnd - workStart} ms`);
  assert(wallMs <= after - before, `${wallMs} ms > the call's ${after - before} ms`);
});
