/**
 * A real kill (SIGKILL: no `finally`, no cleanup) of `reproduce --cell` right after an epoch loses
 * at most that one epoch: the next run takes over the dead process's claim, resumes the cell from
 * its checkpoint and stores the numbers of an uninterrupted run.
 */
import { assert, assertEquals } from "@std/assert";

const script = new URL("../../scripts/reproduce.ts", import.meta.url).pathname;
const env = { DEMURE_BLAS_THREADS: "1" };
// A neural cell of the quick grid on the synthetic data (a few seconds per epoch).
const cell = "3";

async function runToEnd(resultsDir: string): Promise<string> {
  const output = await new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", script, "--quick", "--cell", cell, "--results", resultsDir],
    env,
    stdout: "piped",
    stderr: "piped",
  }).output();
  const text = new TextDecoder().decode(output.stdout) + new TextDecoder().decode(output.stderr);
  assert(output.success, text);
  return text;
}

/** Starts the cell and SIGKILLs the process once it printed the line of epoch `epoch`. */
async function killAfterEpoch(resultsDir: string, epoch: number): Promise<void> {
  const child = new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", script, "--quick", "--cell", cell, "--results", resultsDir],
    env,
    stdout: "piped",
    stderr: "null",
  }).spawn();
  const reader = child.stdout.pipeThrough(new TextDecoderStream()).getReader();
  let seen = "";
  const deadline = Date.now() + 120_000;
  try {
    while (!seen.includes(`epoch ${epoch}/`)) {
      if (Date.now() > deadline) throw new Error(`no epoch ${epoch} line within 120 s:\n${seen}`);
      const { value, done } = await reader.read();
      if (done) throw new Error(`the run ended before epoch ${epoch}:\n${seen}`);
      seen += value;
    }
  } finally {
    child.kill("SIGKILL");
    await reader.cancel().catch(() => {});
    await child.status;
  }
}

function storedResult(resultsDir: string) {
  const cells = `${resultsDir}/cells`;
  const [file] = [...Deno.readDirSync(cells)].filter((e) => e.name.endsWith(".json"));
  return JSON.parse(Deno.readTextFileSync(`${cells}/${file.name}`)).result;
}

Deno.test("reproduce --cell killed with SIGKILL after epoch 2 resumes there and matches an uninterrupted run", async () => {
  const straight = Deno.makeTempDirSync({ prefix: "kill_resume_straight_" });
  const killed = Deno.makeTempDirSync({ prefix: "kill_resume_killed_" });
  try {
    await runToEnd(straight);
    await killAfterEpoch(killed, 2);
    const claims = [...Deno.readDirSync(`${killed}/cells`)].filter((e) =>
      e.name.endsWith(".claim")
    );
    assertEquals(claims.length, 1, "the killed process left its claim behind");
    const log = await runToEnd(killed);
    assert(log.includes("after epoch 2"), `did not resume from epoch 2:\n${log}`);
    const a = storedResult(straight);
    const b = storedResult(killed);
    assertEquals(b.test, a.test);
    assertEquals(b.valid, a.valid);
    assertEquals(
      b.history.map((h: { loss: number }) => h.loss),
      a.history.map((h: { loss: number }) => h.loss),
    );
    assertEquals([...Deno.readDirSync(`${killed}/checkpoints`)].length, 0);
  } finally {
    Deno.removeSync(straight, { recursive: true });
    Deno.removeSync(killed, { recursive: true });
  }
});
