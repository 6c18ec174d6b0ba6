/**
 * A run of many processes fails when a cell fails in a worker only: the worker exits 1, and the
 * first process, whose own cells all finished, exits 1 with a line naming the worker.
 */
import { assert, assertEquals, assertStringIncludes } from "@std/assert";
import { taskPermissions } from "../../scripts/task_permissions.ts";
import { denoTask } from "../_deno_task.ts";

const root = new URL("../../", import.meta.url).pathname;

Deno.test("reproduce: a cell that fails in a worker only makes the run exit 1, though the first process finished it", async () => {
  const folder = await Deno.makeTempDir({ prefix: "reproduce_worker_failure_" });
  try {
    const results = `${folder}/results`;
    const output = await new Deno.Command(Deno.execPath(), {
      args: [
        "run",
        ...taskPermissions(denoTask("reproduce"), [folder]),
        `${root}tests/experiments/_worker_only_failure_reproduce.ts`,
        ...["--quick", "--seeds=0", "--workers=2", "--max-epochs=3", "--results", results],
        ...[`--dataset=${root}tests/fixtures/byo/tiny.txt`, "--format=sequence"],
      ],
      cwd: root,
      env: { DEMURE_TEST_WORKER_EXITED: `${results}/worker-exited`, DEMURE_BLAS_THREADS: "1" },
      stdin: "null",
      signal: AbortSignal.timeout(120_000),
    }).output();
    const decode = (bytes: Uint8Array) => new TextDecoder().decode(bytes);
    const [stdout, stderr] = [decode(output.stdout), decode(output.stderr)];
    // The worker failed its trained cells and said so in its exit status ...
    assertEquals(Deno.readTextFileSync(`${results}/worker-exited`), "1\n", stdout + stderr);
    // (the untrained Pop and ItemKNN save no checkpoint: they finished there) ...
    assertStringIncludes(stdout, "[worker 2] FAILED quick/tiny/SASRec-ID/seed=0: ");
    assertStringIncludes(stdout, "[worker 2] this process ran 2 cells, 7 failed");
    // ... the first process ran and finished every cell it failed (none failed there) ...
    assertStringIncludes(stdout, "\nthis process ran 7 cells, 0 failed");
    assert(!stdout.includes("cells are missing"), stdout);
    // ... and the run's status is the worker's failure.
    assertStringIncludes(stdout, "worker 2 exited with status 1\n");
    assertEquals(output.code, 1, stdout + stderr);
  } finally {
    await Deno.remove(folder, { recursive: true });
  }
});
