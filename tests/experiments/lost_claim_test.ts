/**
 * A live process whose claim another process took over (its heartbeat had gone stale: SIGSTOP, a
 * laptop asleep, a stalled folder) hands the cell over. Before, it trained on silently (the
 * heartbeat did nothing then): both processes trained the cell, and the first one stored its
 * result, kept its model and removed the checkpoints the second was writing. The takeover is a
 * real second process (tests/experiments/_takeover_probe.ts) after the test made the first
 * process's heartbeat stale by editing its claim, as the takeover tests do; it happens at the
 * progress line of epoch 1 of 3, so the first process finds out at epoch 2's end.
 */
import { assert, assertEquals, assertRejects, assertStringIncludes } from "@std/assert";
import { initBackend } from "../../lib/backend/init_backend.ts";
import { cellCheckpointDir } from "../../lib/experiments/cell_checkpoints.ts";
import { runOneCell } from "../../lib/experiments/cell_command.ts";
import { cellModelDir } from "../../lib/experiments/cell_model.ts";
import { prepareDataset } from "../../lib/experiments/datasets.ts";
import { ClaimLostError, HeldClaim } from "../../lib/experiments/held_claim.ts";
import { planExperiments } from "../../lib/experiments/plan.ts";
import type { ExperimentPlan, PlannedCell } from "../../lib/experiments/plan_types.ts";
import type { CellClaim } from "../../lib/experiments/cell_claim.ts";
import { ResultStore } from "../../lib/experiments/result_store.ts";
import { runCell } from "../../lib/experiments/run_cell.ts";
import { type CellOutcome, runPlan } from "../../lib/experiments/run_plan.ts";
import { cellStoreOf } from "../../lib/experiments/stored_cells.ts";
import { pathExists } from "../../lib/util/path_exists.ts";

await initBackend({ verbose: false });

const probe = new URL("./_takeover_probe.ts", import.meta.url).pathname;
const hoursAgo = (hours: number) => new Date(Date.now() - hours * 3600_000).toISOString();

/** A neural cell of the quick grid on MovieLens: three epochs of about 0.7 s, checkpointed. */
function oneCellPlan(): { plan: ExperimentPlan; cell: PlannedCell } {
  const quick = planExperiments("quick");
  const cell = quick.cells.find((c) => c.key === "quick/MovieLens/SASRec-MM/seed=0")!;
  assert(cell && !cell.waitsFor && cell.training.maxEpochs === 3);
  return { plan: { ...quick, cells: [cell] }, cell };
}

/**
 * Makes this process's claim on `key` stale (heartbeat hours old) and lets a second process take
 * it over; returns that process's claim.
 */
function takeOverFromThisProcess(store: ResultStore, key: string): CellClaim {
  const mine = store.claimOf(key)!;
  assertEquals(mine.pid, Deno.pid);
  Deno.writeTextFileSync(
    store.claimPathOf(key),
    JSON.stringify({ ...mine, heartbeat: hoursAgo(2) }),
  );
  const output = new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", probe, store.directory, key],
    stdout: "piped",
    stderr: "piped",
  }).outputSync();
  const text = new TextDecoder().decode(output.stdout);
  assert(output.success, text + new TextDecoder().decode(output.stderr));
  const taken = JSON.parse(text) as CellClaim;
  assert(taken.pid !== Deno.pid, `not taken over: ${text}`);
  return taken;
}

/** Every file under `folder` with its size and modification time (what a writer changes). */
function filesOf(folder: string): Record<string, string> {
  const files: Record<string, string> = {};
  const walk = (dir: string) => {
    for (const entry of Deno.readDirSync(dir)) {
      const path = `${dir}/${entry.name}`;
      if (entry.isDirectory) walk(path);
      else {
        const info = Deno.statSync(path);
        files[path] = `${info.size} ${info.mtime?.getTime()}`;
      }
    }
  };
  if (pathExists(folder)) walk(folder);
  return files;
}

/** A test of the one-cell plan in a results folder of its own (removed afterwards) and a log. */
function withOneCell(
  body: (
    plan: ExperimentPlan,
    cell: PlannedCell,
    resultsDir: string,
    lines: string[],
  ) => Promise<void>,
): () => Promise<void> {
  return async () => {
    const { plan, cell } = oneCellPlan();
    const resultsDir = Deno.makeTempDirSync();
    try {
      await body(plan, cell, resultsDir, []);
    } finally {
      Deno.removeSync(resultsDir, { recursive: true });
    }
  };
}

/** What `action` throws; undefined when it returns. */
function thrownBy(action: () => void): unknown {
  try {
    action();
  } catch (error) {
    return error;
  }
  return undefined;
}

/** What the test checks once the first process is done: nothing written after the takeover. */
interface AtTakeover {
  taken: CellClaim;
  checkpoints: Record<string, string>;
}

/** Another process takes the cell over now: its claim, and the checkpoints at that moment. */
function takeOverAt(resultsDir: string, plan: ExperimentPlan, cell: PlannedCell): AtTakeover {
  const taken = takeOverFromThisProcess(cellStoreOf(resultsDir), cell.key);
  return { taken, checkpoints: filesOf(cellCheckpointDir(resultsDir, plan, cell)) };
}

function assertHandedOver(
  resultsDir: string,
  plan: ExperimentPlan,
  cell: PlannedCell,
  at: AtTakeover,
  lines: string[],
): void {
  const store = cellStoreOf(resultsDir);
  assertEquals(store.has(cell.key), false, "the first process stored the cell it had lost");
  assertEquals(store.claimOf(cell.key), at.taken, "the new holder's claim was touched");
  const checkpoints = cellCheckpointDir(resultsDir, plan, cell);
  assertEquals(filesOf(checkpoints), at.checkpoints, "checkpoints written after the takeover");
  assertEquals(
    pathExists(cellModelDir(resultsDir, cell)),
    false,
    "a model kept after the takeover",
  );
  assertEquals(lines.filter((line) => line.includes("epoch 2/")), [], "epoch 2 went on");
  const said = lines.filter((line) => line.includes("its claim was taken over"));
  assertEquals(said.length, 1, lines.join("\n"));
  assertStringIncludes(said[0], cell.key);
  assertStringIncludes(said[0], `process ${at.taken.pid} on ${at.taken.hostname}`);
}

Deno.test(
  "runPlan: a cell whose claim another process took over stops at its next epoch end, writes " +
    "nothing more and is counted as handed over",
  withOneCell(async (plan, cell, resultsDir, lines) => {
    let at: AtTakeover | undefined;
    const outcomes: Array<[string, CellOutcome]> = [];
    const outcome = await runPlan(plan, {
      resultsDir,
      log: (line) => lines.push(line),
      continueOnFailure: true,
      onEpoch: (_, progress) => {
        lines.push(`epoch ${progress.epoch}/${progress.maxEpochs}`);
        if (progress.epoch !== 1) return;
        at = takeOverAt(resultsDir, plan, cell);
      },
      onCellDone: (done, cellOutcome) => outcomes.push([done.key, cellOutcome]),
    });
    assert(at !== undefined && Object.keys(at.checkpoints).length > 0);
    assertEquals(outcome.handedOver, [cell.key]);
    // Reported as handed over with the line its claim's heartbeat logged (a notebook keeps it).
    const said = lines.filter((line) => line.includes("its claim was taken over"));
    assertEquals(outcomes, [[cell.key, { kind: "handedOver", line: said[0] }]]);
    assertEquals(outcome.failed, []);
    assertEquals(outcome.cells, []);
    assertEquals(outcome.pending, [cell.key]);
    assertHandedOver(resultsDir, plan, cell, at, lines);
    assertStringIncludes(lines.at(-1)!, "ran 0 cells, 0 failed, 1 handed over");
  }),
);

Deno.test(
  "runPlan with waitForOthers: a handed-over cell is waited for like a held one, and run here " +
    "once its new holder is gone; handed over twice, it is listed once",
  withOneCell(async (plan, cell, resultsDir, lines) => {
    let handovers = 0;
    let armed = true;
    const outcome = await runPlan(plan, {
      resultsDir,
      log: (line) => lines.push(line),
      waitForOthers: true,
      waitSeconds: 0.1,
      onEpoch: () => {
        // At the first epoch of the first two tries (the second resumes from the first's
        // checkpoint): the process that takes over exits, so its claim is stale at once here (this
        // test runs with -A, /proc readable) and this process takes the cell back.
        if (!armed || handovers === 2) return;
        armed = false;
        takeOverAt(resultsDir, plan, cell);
      },
      onCellDone: (_, done) => {
        if (done.kind === "handedOver") [handovers, armed] = [handovers + 1, true];
      },
    });
    assertEquals(handovers, 2);
    assertEquals(outcome.handedOver, [cell.key]);
    assertEquals(outcome.cells.length, 1, lines.join("\n"));
    assertStringIncludes(lines.at(-1)!, "ran 1 cells, 0 failed, 1 handed over");
  }),
);

Deno.test(
  "runOneCell (reproduce --cell): a cell whose claim another process took over stops with " +
    "ClaimLostError at its next epoch end and writes nothing more",
  withOneCell(async (plan, cell, resultsDir, lines) => {
    let at: AtTakeover | undefined;
    await assertRejects(
      () =>
        runOneCell(plan, cell, {
          resultsDir,
          log: (line) => {
            lines.push(line);
            if (!line.includes("epoch 1/")) return;
            at = takeOverAt(resultsDir, plan, cell);
          },
        }),
      ClaimLostError,
      "this process hands the cell over",
    );
    assert(at !== undefined);
    assertHandedOver(resultsDir, plan, cell, at, lines);
  }),
);

Deno.test(
  "HeldClaim: the heartbeat timer finds the claim lost, says so once, and every check throws",
  async () => {
    const directory = Deno.makeTempDirSync();
    try {
      const store = new ResultStore(directory);
      assertEquals(store.claim("k"), undefined);
      const lines: string[] = [];
      const held = new HeldClaim(store, "k", (line) => lines.push(line), 0.05);
      try {
        held.check();
        assertEquals(store.heartbeat("k"), true);
        const now = new Date().toISOString();
        // Another host's process took it over (as the takeover tests write a live claim).
        const other: CellClaim = { pid: 4242, hostname: "host-b", since: now, heartbeat: now };
        Deno.writeTextFileSync(store.claimPathOf("k"), JSON.stringify(other));
        assertEquals(store.heartbeat("k"), false);
        await new Promise((resolve) => setTimeout(resolve, 300));
        assertEquals(lines.length, 1, lines.join("\n"));
        assertStringIncludes(
          lines[0],
          "k: its claim was taken over, held by process 4242 on host-b",
        );
        for (let i = 0; i < 2; i++) {
          const error = thrownBy(() => held.check());
          assert(error instanceof ClaimLostError && error.holder?.pid === 4242, String(error));
        }
        assertEquals(lines.length, 1, "said once");
        assertEquals(store.claimOf("k"), other, "the new holder's claim is left alone");
        Deno.removeSync(store.claimPathOf("k"));
      } finally {
        held.stop();
      }
      // A claim that is gone is lost too: another process may claim the cell at any time.
      assertEquals(store.claim("g"), undefined);
      const gone = new HeldClaim(store, "g", (line) => lines.push(line));
      try {
        Deno.removeSync(store.claimPathOf("g"));
        const error = thrownBy(() => gone.check());
        assert(error instanceof ClaimLostError && error.holder === undefined);
        assertStringIncludes(error.message, `${store.claimPathOf("g")} is gone`);
      } finally {
        gone.stop();
      }
    } finally {
      Deno.removeSync(directory, { recursive: true });
    }
  },
);

Deno.test(
  "runPlan: a cell whose claim stays held trains to the numbers of the trainer without the check",
  withOneCell(async (plan, cell, resultsDir) => {
    const outcome = await runPlan(plan, { resultsDir, log: () => {}, onEpoch: () => {} });
    const planned = outcome.byKey.get(cell.key)!;
    const direct = await runCell(
      await prepareDataset(cell.dataset),
      cell.system,
      cell.systemName,
      {
        seed: cell.seed,
        model: cell.model,
        training: cell.training,
        scoreAttribution: cell.scoreAttribution,
        onProgress: () => {},
      },
    );
    assertEquals(planned.valid, direct.valid);
    assertEquals(planned.test, direct.test);
    assertEquals(planned.perUserTest, direct.perUserTest);
    assertEquals(planned.bestEpoch, direct.bestEpoch);
    const losses = (r: typeof direct) => r.history.map((p) => [p.loss, p.validation]);
    assertEquals(losses(planned), losses(direct));
  }),
);
