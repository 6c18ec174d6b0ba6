/**
 * Warm-up checkpoint edges the other Warmup tests leave open. Found by mutation round OC (OC25, OC44, OC45).
 */
import { assertEquals, assertThrows } from "@std/assert";
import { type SavedWarmup, Warmup } from "../../lib/demure/_warmup.ts";
import { epochProgress as progress } from "./_epoch_progress.ts";

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

Deno.test("Warmup by plateau: an epoch without validation keeps the count of epochs without a gain", () => {
  // Plateau of 2, validated every other epoch: epochs 2 and 4 are validated without a gain, so
  // the warm-up ends after epoch 4; an unvalidated epoch between them must not reset the count
  // (it would end after epoch 6 at the earliest, or never with evalEvery >= 2 and a plateau >= 2).
  const plateau = new Warmup({ warmupBy: "plateau", warmupEpochs: 2 });
  const unvalidated = (epoch: number) => ({ ...progress(epoch, false), validation: undefined });
  plateau.afterEpoch(unvalidated(1));
  plateau.afterEpoch(progress(2, false));
  plateau.afterEpoch(unvalidated(3));
  assertEquals(plateau.saved(), { endedAfterEpoch: null, epochsWithoutGain: 1 });
  plateau.afterEpoch(progress(4, false));
  assertEquals([plateau.over, plateau.endedAfterEpoch], [true, 4]);
});

Deno.test("Warmup: a saved warm-up with both fields broken is refused naming endedAfterEpoch first", () => {
  // The fields are checked in the order SavedWarmup lists them, so the refusal of an empty
  // object always names the same field.
  const warmup = new Warmup({ warmupBy: "plateau", warmupEpochs: 2 });
  const error = assertThrows(() => warmup.overWith({} as SavedWarmup), Error);
  assertEquals(
    error.message,
    "Demure checkpoint state: field warmup.endedAfterEpoch is missing, not null or a count",
  );
});
