/**
 * Warm-up checkpoint edges the other Warmup tests leave open. Found by mutation round OC (OC25).
 */
import { assertEquals, assertThrows } from "@std/assert";
import { type SavedWarmup, Warmup } from "../../lib/demure/_warmup.ts";

Deno.test("Warmup by steps: a saved warm-up with a field that is not a count is still refused", () => {
  // By steps no state is needed (undefined passes), but a state that is there and broken says
  // the checkpoint is damaged: it is refused by name as for the other warm-ups, never ignored.
  const bySteps = new Warmup({ warmupBy: "steps", warmupEpochs: 2 });
  const broken = { endedAfterEpoch: null, epochsWithoutGain: "1" } as unknown as SavedWarmup;
  for (const call of [() => bySteps.overWith(broken), () => bySteps.restore(broken)]) {
    const error = assertThrows(call, Error);
    assertEquals(
      error.message,
      'Demure checkpoint state: field warmup.epochsWithoutGain is "1", not a count',
    );
  }
  assertEquals(bySteps.saved(), { endedAfterEpoch: null, epochsWithoutGain: 0 });
  // A sound state by steps reads as over whatever its end says.
  assertEquals(bySteps.overWith({ endedAfterEpoch: null, epochsWithoutGain: 0 }), true);
});
