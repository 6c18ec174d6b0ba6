/**
 * EventLoopTurns.yieldIfDue stops at once on an interrupt requested after the loop began, even
 * when no turn is due yet (a long interval), and not on one requested before it began.
 */
import { assertEquals, assertRejects, assertThrows } from "@std/assert";
import { EventLoopTurns } from "../../lib/util/event_loop.ts";
import { InterruptedError, requestInterrupt } from "../../lib/util/interrupt.ts";
import { fakeClock } from "../_fake_clock.ts";

Deno.test("yieldIfDue: an interrupt stops a loop whose next turn is not due yet", async () => {
  requestInterrupt();
  const loop = new EventLoopTurns(3_600_000); // no turn due for an hour
  await loop.yieldIfDue(); // the request before the loop began does not stop it
  requestInterrupt();
  await assertRejects(() => loop.yieldIfDue(), InterruptedError);
});

Deno.test("yieldIfDue: an interrupt requested during its turn stops the loop after that turn", async () => {
  const loop = new EventLoopTurns(0); // a turn at every call
  // Queued before the turn's own timer: it runs inside the turn.
  setTimeout(requestInterrupt, 0);
  await assertRejects(() => loop.yieldIfDue(), InterruptedError);
});

/**
 * Whether a timer queued before `loop.yieldIfDue()` ran during it (the call gave the loop a turn);
 * the timer also runs `duringTurn` (to move a stubbed clock on while the turn runs).
 */
async function turned(loop: EventLoopTurns, duringTurn: () => void = () => {}): Promise<boolean> {
  let ran = false;
  const timer = setTimeout(() => {
    ran = true;
    duringTurn();
  }, 0);
  await loop.yieldIfDue();
  clearTimeout(timer);
  return ran;
}

Deno.test("yieldIfDue: after a turn the next one waits a full interval again", async () => {
  // Found by mutation round GB (GB17): without restarting the clock at a turn, every call after
  // the first due one turned. The clock is stubbed, so nothing here depends on real time.
  const clock = fakeClock();
  try {
    const loop = new EventLoopTurns(1000);
    assertEquals(await turned(loop), false, "not due yet");
    clock.advance(1000);
    assertEquals(await turned(loop), true, "due: a turn");
    assertEquals(await turned(loop), false, "just turned: not due again");
    clock.advance(999);
    assertEquals(await turned(loop), false, "999 ms after the turn");
    clock.advance(1);
    assertEquals(await turned(loop), true, "a full interval after the turn");
  } finally {
    clock.restore();
  }
});

Deno.test("yieldIfDue: the first turn is a full interval after the loop began, by default 1000 ms", async () => {
  // Found by mutation round JK (JK29, JK30): the clock starts when the loop is made, not at the
  // process's start, and the default interval is the documented 1000 ms. The clock is stubbed.
  const clock = fakeClock();
  try {
    clock.advance(50_000);
    const loop = new EventLoopTurns();
    assertEquals(loop.intervalMs, 1000);
    assertEquals(await turned(loop), false, "just began");
    clock.advance(999);
    assertEquals(await turned(loop), false, "999 ms after it began");
    clock.advance(1);
    assertEquals(await turned(loop), true, "a full interval after it began");
  } finally {
    clock.restore();
  }
});

Deno.test("EventLoopTurns refuses an interval that is NaN or negative, naming it", () => {
  // Found by mutation round NA (NA33, NA34): either turned at every call, silently, like 0.
  for (const intervalMs of [Number.NaN, -1, -Infinity]) {
    const error = assertThrows(() => new EventLoopTurns(intervalMs), RangeError);
    assertEquals(
      error.message,
      `EventLoopTurns: intervalMs must be a number >= 0, got ${intervalMs}`,
    );
  }
  assertEquals(new EventLoopTurns(0).intervalMs, 0);
});

Deno.test("yieldIfDue: the next interval counts from the end of a turn, not its start", async () => {
  // Found by mutation round NA (NA32): timers that run in the turn (a claim's heartbeat) may take
  // a while; the next turn is a full interval after them. The clock is stubbed: a timer queued
  // before the turn moves it on by 600 ms while the turn runs.
  const clock = fakeClock();
  try {
    clock.advance(10_000);
    const loop = new EventLoopTurns(1000);
    clock.advance(1000);
    assertEquals(
      await turned(loop, () => clock.advance(600)),
      true,
      "due at 11 000 ms: a turn, which ends at 11 600 ms",
    );
    clock.advance(400);
    assertEquals(await turned(loop), false, "400 ms after the turn ended");
    clock.advance(600);
    assertEquals(await turned(loop), true, "a full interval after the turn ended");
  } finally {
    clock.restore();
  }
});
