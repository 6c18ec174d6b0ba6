/**
 * The progress of a run of several processes (`reproduce --workers 2`): each finished cell's line
 * carries its place in the whole plan and the plan's size. Each process used to number its own
 * cells, so the terminal showed `[worker 2] [1] ...` next to `[3] ...` and no line said how far
 * the plan was.
 */
import { assert, assertEquals, assertStringIncludes } from "@std/assert";
import { taskPermissions } from "../../scripts/task_permissions.ts";
import { denoTask } from "../_deno_task.ts";

const root = new URL("../../", import.meta.url).pathname;

/** A finished cell's line: its process (1: the first one), place, plan size, key, and the rest. */
const FINISHED = /^(?:\[worker (\d+)\] )?\[(\d+)\/(\d+)\] (\S+): (.*)$/;

Deno.test("reproduce --workers 2: each finished cell's line says its place in the whole plan, of its size", async () => {
  const folder = await Deno.makeTempDir({ prefix: "reproduce_workers_progress_" });
  try {
    const output = await new Deno.Command(Deno.execPath(), {
      args: [
        "run",
        ...taskPermissions(denoTask("reproduce"), [folder]),
        `${root}scripts/reproduce.ts`,
        ...["--quick", "--seeds=0", "--workers=2", "--max-epochs=3", "--results", folder],
        ...[`--dataset=${root}tests/fixtures/byo/tiny.txt`, "--format=sequence"],
      ],
      cwd: root,
      env: { DEMURE_BLAS_THREADS: "1" },
      stdin: "null",
      signal: AbortSignal.timeout(180_000),
    }).output();
    const decode = (bytes: Uint8Array) => new TextDecoder().decode(bytes);
    const [stdout, stderr] = [decode(output.stdout), decode(output.stderr)];
    assertEquals(output.code, 0, stdout + stderr);
    assertStringIncludes(stdout, "quick reproduction: 9 cells planned, 0 already finished");
    const finished = stdout.split("\n").flatMap((line) => {
      const match = FINISHED.exec(line);
      if (!match) return [];
      const [, worker, place, planned, key, rest] = match;
      return [{ process: Number(worker ?? 1), place: Number(place), planned: +planned, key, rest }];
    });
    // Every cell once, each line out of the whole plan's 9 cells.
    assertEquals(finished.length, 9, stdout);
    assertEquals(new Set(finished.map((line) => line.key)).size, 9, stdout);
    assertEquals(finished.map((line) => line.planned), Array(9).fill(9), stdout);
    // Both processes ran cells (the worker starts in seconds; the run's cells take about 20 s) ...
    assert(finished.some((line) => line.process === 2), stdout);
    assert(finished.some((line) => line.process === 1), stdout);
    // ... and each one's places go up through the whole plan's: the worker's do not start again
    // at 1, as its own count did. The cell stored last is the plan's 9th (a count of each
    // process's own cells reaches 9 only when one process ran them all), with nothing left.
    for (const process of [1, 2]) {
      const places = finished.filter((line) => line.process === process).map((l) => l.place);
      assert(places.every((place, i) => i === 0 || place > places[i - 1]), stdout);
    }
    const last = finished.filter((line) => line.place === 9);
    assert(last.length >= 1, stdout);
    assertStringIncludes(last[0].rest, "; about 0 s of the planned cells left)");
  } finally {
    await Deno.remove(folder, { recursive: true });
  }
});
