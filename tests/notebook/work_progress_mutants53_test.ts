/**
 * Behaviour of the notebook's work progress (lib/notebook/work_progress.ts) that a hand mutation
 * round (session 53, mu53a) changed without any test noticing. Each test names the mutant it kills.
 */
import { assertEquals } from "@std/assert";
import { workProgress, workProgressEvent } from "../../lib/notebook/work_progress.ts";
import { MEBIBYTES, USERS } from "../../lib/util/work_progress.ts";
import { settingError } from "../_setting_error.ts";

// Mutant: `toFixed(1)` -> `toFixed(0)` in the scaled parts (MiB read whole: 1.5 of 2.3 said "2/2").
Deno.test("workProgressEvent: scaled parts keep one decimal", () => {
  const event = workProgressEvent(
    { done: 1.5 * 2 ** 20, total: 2.3 * 2 ** 20, seconds: 1 },
    MEBIBYTES,
  );
  assertEquals([event.step, event.total], [1.5, 2.3]);
});

// Mutants: `!(every >= 0)` -> `every < 0` (NaN let through, then refused by throttledWorkProgress
// under its own name, or in a kernel not at all) and -> `!(every > 0)` (0, documented as allowed,
// refused).
Deno.test("workProgress: everySeconds NaN is a SettingError naming it; 0 is allowed", async () => {
  for (const everySeconds of [NaN, -1]) {
    const error = settingError(() => workProgress("reading", USERS, { everySeconds }));
    assertEquals([error.setting, error.allowed], [
      "WorkProgressOptions.everySeconds",
      "a number >= 0",
    ]);
    assertEquals(Object.is(error.value, everySeconds), true);
  }
  const lines: string[] = [];
  const progress = workProgress("reading", USERS, {
    everySeconds: 0,
    print: (line) => lines.push(line),
  });
  progress.onProgress({ done: 1, total: 2, seconds: 0.5 });
  await progress.done();
  assertEquals(lines.length, 1, "every event is due at an interval of 0 s");
});

// Mutant: checkSettingNames left out (a misspelt option was dropped without a word).
Deno.test("workProgress: a misspelt option is a SettingError naming it and the one it meant", () => {
  const error = settingError(() => workProgress("reading", USERS, { everySecond: 1 } as never));
  assertEquals(error.setting, "WorkProgressOptions.everySecond");
  assertEquals(error.message.includes("everySeconds"), true, error.message);
});
