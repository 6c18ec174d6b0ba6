/**
 * A real kill (SIGKILL: no `finally`, no cleanup) of `reproduce --cell` after an epoch loses only
 * the epoch in progress: the next run takes over the dead process's claim, resumes the cell from
 * its last checkpoint and stores the numbers of an uninterrupted run.
 *
 * The kill cannot be placed exactly. It follows the progress line of epoch 1, which is printed
 * after that epoch's checkpoint is saved, but this test may read the line late: CI runs the test
 * modules in parallel on two cores, and one run of 2026-12-05 read it only after a short cell had
 * saved a later epoch. So the test asks the checkpoint which epoch it holds, and starts again when
 * the run ended before the kill landed.
 */
import { assert, assertEquals } from "@std/assert";

const script = new URL("../../scripts/reproduce.ts", import.meta.url).pathname;
const env = { DEMURE_BLAS_THREADS: "1" };
// A neural cell of the quick grid on MovieLens: three epochs of about 0.7 s each, so about 1.5 s
// lie between epoch 1's line and the run's end.
const cell = "quick/MovieLens/SASRec-MM/seed=0";
const KILL_AFTER_EPOCH = 1;
const ATTEMPTS = 3;

function cellCommand(resultsDir: string, stderr: "piped" | "null") {
  return new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", script, "--quick", "--cell", cell, "--results", resultsDir],
    env,
    stdout: "piped",
    stderr,
  });
}

async function runToEnd(resultsDir: string): Promise<string> {
  const output = await cellCommand(resultsDir, "piped").output();
  const text = new TextDecoder().decode(output.stdout) + new TextDecoder().decode(output.stderr);
  assert(output.success, text);
  return text;
}

/**
 * Starts the cell and SIGKILLs the process once it printed the line of epoch `epoch`; true when
 * the kill landed, false when the run had already ended.
 */
async function killAfterEpoch(resultsDir: string, epoch: number): Promise<boolean> {
  const child = cellCommand(resultsDir, "null").spawn();
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
    try {
      child.kill("SIGKILL");
    } catch {
      // The process has already exited: the status below tells.
    }
    await reader.cancel().catch(() => {});
  }
  return (await child.status).signal === "SIGKILL";
}

/** The epochs done in the one run checkpoint of `resultsDir` (`<cell checkpoints>/last.json`). */
function checkpointedEpochs(resultsDir: string): number {
  const [cellDir] = [...Deno.readDirSync(`${resultsDir}/checkpoints`)];
  const last = `${resultsDir}/checkpoints/${cellDir.name}/last.json`;
  return JSON.parse(Deno.readTextFileSync(last)).trainerState.epochsDone;
}

function storedResult(resultsDir: string) {
  const cells = `${resultsDir}/cells`;
  const [file] = [...Deno.readDirSync(cells)].filter((e) => e.name.endsWith(".json"));
  return JSON.parse(Deno.readTextFileSync(`${cells}/${file.name}`)).result;
}

/** A results folder whose cell was killed mid-run (a fresh attempt each time the kill came late). */
async function killedMidRun(): Promise<string> {
  for (let attempt = 1; attempt <= ATTEMPTS; attempt++) {
    const killed = Deno.makeTempDirSync({ prefix: "kill_resume_killed_" });
    if (await killAfterEpoch(killed, KILL_AFTER_EPOCH)) return killed;
    Deno.removeSync(killed, { recursive: true });
  }
  throw new Error(`in ${ATTEMPTS} attempts the run always ended before the kill landed`);
}

Deno.test("reproduce --cell killed with SIGKILL mid-run resumes from its checkpoint and matches an uninterrupted run", async () => {
  const straight = Deno.makeTempDirSync({ prefix: "kill_resume_straight_" });
  let killed: string | undefined;
  try {
    await runToEnd(straight);
    killed = await killedMidRun();
    const claims = [...Deno.readDirSync(`${killed}/cells`)].filter((e) =>
      e.name.endsWith(".claim")
    );
    assertEquals(claims.length, 1, "the killed process left its claim behind");
    const saved = checkpointedEpochs(killed);
    assert(
      saved >= KILL_AFTER_EPOCH,
      `the checkpoint holds ${saved} epochs, but epoch ${KILL_AFTER_EPOCH}'s line was printed`,
    );
    const log = await runToEnd(killed);
    assert(log.includes(`after epoch ${saved} `), `did not resume from epoch ${saved}:\n${log}`);
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
    if (killed !== undefined) Deno.removeSync(killed, { recursive: true });
  }
});
