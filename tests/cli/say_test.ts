/**
 * `say` (scripts/cli/say.ts): a line to stdout by default, to stderr when asked, and no throw when
 * the terminal is gone (after a hangup every write fails; the stopping script must go on).
 * Found by mutation round KG (KG60-KG62). console.log/error are swapped for stand-ins inside each
 * test and put back in `finally`.
 */
import { assertEquals } from "@std/assert";
import { say } from "../../scripts/cli/say.ts";

function captured(run: () => void, fail = false): { out: string[]; err: string[] } {
  const [log, error] = [console.log, console.error];
  const out: string[] = [];
  const err: string[] = [];
  console.log = (text: string) => {
    if (fail) throw new Deno.errors.Interrupted("EIO: the terminal is gone");
    out.push(text);
  };
  console.error = (text: string) => {
    if (fail) throw new Deno.errors.Interrupted("EIO: the terminal is gone");
    err.push(text);
  };
  try {
    run();
  } finally {
    [console.log, console.error] = [log, error];
  }
  return { out, err };
}

Deno.test("say: stdout by default, stderr when asked", () => {
  assertEquals(captured(() => say("to out")), { out: ["to out"], err: [] });
  assertEquals(captured(() => say("to err", "stderr")), { out: [], err: ["to err"] });
  assertEquals(captured(() => say("to out again", "stdout")), { out: ["to out again"], err: [] });
});

Deno.test("say: a write that fails (the terminal gone) does not throw", () => {
  assertEquals(captured(() => say("lost"), true), { out: [], err: [] });
  assertEquals(captured(() => say("lost too", "stderr"), true), { out: [], err: [] });
});
