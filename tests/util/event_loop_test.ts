/**
 * EventLoopTurns.yieldIfDue stops at once on an interrupt requested after the loop began, even
 * when no turn is due yet (a long interval), and not on one requested before it began.
 */
import { assertRejects } from "@std/assert";
import { EventLoopTurns } from "../../lib/util/event_loop.ts";
import { InterruptedError, requestInterrupt } from "../../lib/util/interrupt.ts";

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
