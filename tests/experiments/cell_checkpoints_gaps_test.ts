/**
 * lib/experiments/cell_checkpoints.ts on its own: the checkpoint folder's name (a run resumes a
 * cell only from a folder of exactly that name, so a changed hash would strand every checkpoint
 * of the runs in progress), what the orphan report counts and in which order, and the leftover
 * removal when the process storing the cell removed them meanwhile. Found by mutation round AC
 * (AC22, AC23, AC24, AC25, AC29, AC30, AC31). Mutation round JD (session 45) added: a batch task
 * removes leftovers under its own earlier attempt's claim, not another job's; the claim is given
 * back when the removal fails; a cell stored with other settings keeps its checkpoints; a held or
 * bare cell does not stop the removal of later cells' leftovers; the kept model holds the best
 * sidecar and the last checkpoint's training; and the orphan report is silent with no orphan.
 */
import { assert, assertEquals, assertStringIncludes, assertThrows } from "@std/assert";
import {
  cellCheckpointDir,
  removeCellCheckpoints,
  removeCheckpointsOfStoredCells,
  reportOrphanCheckpoints,
} from "../../lib/experiments/cell_checkpoints.ts";
import { planExperiments } from "../../lib/experiments/plan.ts";
import { cellModelDir, KEPT_TRAINING_FILE } from "../../lib/experiments/cell_model.ts";
import { ResultStore } from "../../lib/experiments/result_store.ts";
import type { CellClaim } from "../../lib/experiments/cell_claim.ts";
import { cellsDirectory, settingsOf } from "../../lib/experiments/stored_cells.ts";
import { pathExists } from "../../lib/util/path_exists.ts";
import { resumableCellPlan, storedCellPlan } from "./_resumable_cell.ts";
import { storedCellResult } from "./_cell_result.ts";
import { withDenoStandIns } from "../_deno_stand_ins.ts";

/** 32-bit FNV-1a of `text`'s UTF-16 code units, as 8 hex digits (the test's own). */
function fnv1a(text: string): string {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash.toString(16).padStart(8, "0");
}

Deno.test("a cell's checkpoint folder is named by its key and the FNV-1a of its settings", () => {
  // The published FNV-1a test vectors: the test's own hash is the real one.
  assertEquals([fnv1a(""), fnv1a("a"), fnv1a("foobar")], ["811c9dc5", "e40c292c", "bf9cf968"]);
  const { plan, cell } = resumableCellPlan();
  // The key is not part of the settings: only the name changes with it.
  const keyed = {
    ...cell,
    key: "quick/Synthetic(numItems=120,numUsers=160)/Demure-SASRec[rho=0.5]/seed=0",
  };
  assertEquals(
    cellCheckpointDir("results", plan, keyed),
    "results/checkpoints/quick__Synthetic__numItems=120__numUsers=160__Demure-SASRec__rho=0.5__" +
      `seed=0-${fnv1a(JSON.stringify(settingsOf(plan, cell)))}`,
  );
  // Every cell of a plan, hashes with the high bit set among them (a signed hash would differ).
  const hashes = planExperiments("quick").cells.map((c) => {
    const dir = cellCheckpointDir("results", plan, c);
    return dir.slice(dir.lastIndexOf("-") + 1);
  });
  const expected = planExperiments("quick").cells.map((c) =>
    fnv1a(JSON.stringify(settingsOf(plan, c)))
  );
  assertEquals(hashes, expected);
  assert(hashes.some((hash) => parseInt(hash[0], 16) >= 8), hashes.join(" "));
});

Deno.test("the orphan report counts nested files, skips plain files, and lists the folders by name", () => {
  const resultsDir = Deno.makeTempDirSync();
  try {
    const { plan } = resumableCellPlan();
    const folder = `${resultsDir}/checkpoints`;
    // Six names: the chance that the directory listing is already in order is 1 in 720.
    const names = ["f-old", "c-old", "a-old", "e-old", "b-old", "d-old"];
    for (const name of names) {
      Deno.mkdirSync(`${folder}/${name}/nested`, { recursive: true });
      Deno.writeFileSync(`${folder}/${name}/last.w.bin`, new Uint8Array(100_000));
      Deno.writeFileSync(`${folder}/${name}/nested/best.w.bin`, new Uint8Array(200_000));
    }
    Deno.writeFileSync(`${folder}/stray.bin`, new Uint8Array(10));
    const lines: string[] = [];
    reportOrphanCheckpoints(resultsDir, plan, (line) => lines.push(line));
    assertEquals(lines.length, 1, lines.join("\n"));
    const each = [...names].sort().map((name) => `${name} (0.3 MB)`).join(", ");
    assertStringIncludes(
      lines[0],
      `6 checkpoint folder(s) under ${folder} belong to no cell of this plan`,
    );
    assertStringIncludes(lines[0], `, 1.8 MB: ${each}; kept`);
    assert(!lines[0].includes("stray"), lines[0]);
  } finally {
    Deno.removeSync(resultsDir, { recursive: true });
  }
});

Deno.test("a leftover folder the storing process removed while the claim was awaited is not reported removed", () => {
  const resultsDir = Deno.makeTempDirSync();
  try {
    const { plan, cell } = storedCellPlan(resultsDir);
    const checkpoints = cellCheckpointDir(resultsDir, plan, cell);
    Deno.mkdirSync(checkpoints, { recursive: true });
    // The process that stored the cell removes the folder and gives up its claim just before
    // this one takes it.
    class Racing extends ResultStore {
      override claim(key: string, job?: string): CellClaim | undefined {
        Deno.removeSync(checkpoints, { recursive: true });
        return super.claim(key, job);
      }
    }
    const store = new Racing(cellsDirectory(resultsDir));
    const lines: string[] = [];
    removeCheckpointsOfStoredCells(resultsDir, plan, [cell], {
      store,
      log: (line) => lines.push(line),
    });
    assertEquals(lines, []);
    assertEquals(pathExists(checkpoints), false);
    assertEquals(store.claimOf(cell.key), undefined, "the claim is given back");
  } finally {
    Deno.removeSync(resultsDir, { recursive: true });
  }
});

Deno.test("a finished cell keeps its best model only at the plan's first seed", () => {
  const resultsDir = Deno.makeTempDirSync();
  try {
    const { plan, cell } = resumableCellPlan();
    const checkpoints = cellCheckpointDir(resultsDir, plan, cell);
    const leaveCheckpoints = () => {
      // A best checkpoint as the trainer leaves it: its sidecar names its weights file.
      Deno.mkdirSync(checkpoints, { recursive: true });
      Deno.writeTextFileSync(`${checkpoints}/best.json`, JSON.stringify({ weightsFile: "b.bin" }));
      Deno.writeFileSync(`${checkpoints}/b.bin`, new Uint8Array(8));
      Deno.writeTextFileSync(`${checkpoints}/last.json`, "{}");
    };
    // Another seed first (the cell's settings, and so its folder, are the same).
    leaveCheckpoints();
    removeCellCheckpoints(resultsDir, { ...plan, seeds: [cell.seed + 1, cell.seed] }, cell);
    assertEquals(pathExists(checkpoints), false);
    assertEquals(pathExists(cellModelDir(resultsDir, cell)), false, "kept at a later seed");
    leaveCheckpoints();
    removeCellCheckpoints(resultsDir, plan, cell);
    assertEquals(pathExists(checkpoints), false);
    assert(pathExists(`${cellModelDir(resultsDir, cell)}/b.bin`), "not kept at the first seed");
    // A sidecar whose weights are gone (removed by hand) is no checkpoint: nothing to keep, and
    // the folder goes all the same (the kept model above stays).
    leaveCheckpoints();
    Deno.removeSync(`${checkpoints}/b.bin`);
    removeCellCheckpoints(resultsDir, plan, cell);
    assertEquals(pathExists(checkpoints), false);
  } finally {
    Deno.removeSync(resultsDir, { recursive: true });
  }
});

/** Under `resultsDir`: the stored one-cell plan, its store, and a leftover checkpoint folder. */
function storedWithLeftover(resultsDir: string) {
  const { plan, cell } = storedCellPlan(resultsDir);
  const checkpoints = cellCheckpointDir(resultsDir, plan, cell);
  Deno.mkdirSync(checkpoints, { recursive: true });
  Deno.writeTextFileSync(`${checkpoints}/last.json`, "{}");
  return { plan, cell, checkpoints, store: new ResultStore(cellsDirectory(resultsDir)) };
}

Deno.test("a batch task removes a stored cell's leftover under the claim its own earlier attempt left, not another job's", () => {
  const resultsDir = Deno.makeTempDirSync();
  try {
    const { plan, cell, checkpoints, store } = storedWithLeftover(resultsDir);
    // The task's earlier attempt, on another host, was requeued while it stored the cell.
    const now = new Date().toISOString();
    const earlier: CellClaim = { pid: 4242, hostname: "host-b", since: now, heartbeat: now };
    Deno.writeTextFileSync(store.claimPathOf(cell.key), JSON.stringify({ ...earlier, job: "7_1" }));
    const lines: string[] = [];
    const log = (line: string) => lines.push(line);
    removeCheckpointsOfStoredCells(resultsDir, plan, [cell], { store, log, job: "7_2" });
    assert(pathExists(checkpoints), "removed under another job's live claim");
    assertEquals(store.claimOf(cell.key)?.job, "7_1");
    removeCheckpointsOfStoredCells(resultsDir, plan, [cell], { store, log, job: "7_1" });
    assertEquals(pathExists(checkpoints), false, "left under its own earlier attempt's claim");
    assertEquals(store.claimOf(cell.key), undefined, "the claim is given back");
    assertEquals(lines.length, 1, lines.join("\n"));
  } finally {
    Deno.removeSync(resultsDir, { recursive: true });
  }
});

Deno.test("a leftover whose removal fails gives the cell's claim back", () => {
  const resultsDir = Deno.makeTempDirSync();
  try {
    const { plan, cell, checkpoints, store } = storedWithLeftover(resultsDir);
    // A best checkpoint beside a last one cut short (a disk that filled): keeping the model fails.
    Deno.writeTextFileSync(`${checkpoints}/best.json`, JSON.stringify({ weightsFile: "b.bin" }));
    Deno.writeFileSync(`${checkpoints}/b.bin`, new Uint8Array(8));
    Deno.writeTextFileSync(`${checkpoints}/last.json`, "{cut short");
    assertEquals(cell.seed, plan.seeds[0], "a first-seed cell: its model is kept first");
    assertThrows(
      () => removeCheckpointsOfStoredCells(resultsDir, plan, [cell], { store, log: () => {} }),
      SyntaxError,
    );
    assertEquals(store.claimOf(cell.key), undefined, "the claim is left behind");
  } finally {
    Deno.removeSync(resultsDir, { recursive: true });
  }
});

Deno.test("a cell stored with other settings (stale) keeps its checkpoints: it runs again from them", () => {
  const resultsDir = Deno.makeTempDirSync();
  try {
    const { plan, cell, checkpoints, store } = storedWithLeftover(resultsDir);
    store.put(cell.key, { changed: true }, storedCellResult());
    const lines: string[] = [];
    removeCheckpointsOfStoredCells(resultsDir, plan, [cell], {
      store,
      log: (line) => lines.push(line),
    });
    assert(pathExists(`${checkpoints}/last.json`), "a stale record's cell lost its checkpoints");
    assertEquals(lines, []);
  } finally {
    Deno.removeSync(resultsDir, { recursive: true });
  }
});

Deno.test("a kept model holds the best checkpoint's sidecar and how long the last checkpoint trained", () => {
  const resultsDir = Deno.makeTempDirSync();
  try {
    const { plan, cell } = resumableCellPlan();
    const checkpoints = cellCheckpointDir(resultsDir, plan, cell);
    Deno.mkdirSync(checkpoints, { recursive: true });
    const best = JSON.stringify({
      weightsFile: "b.bin",
      trainerState: { epochsDone: 3, bestEpoch: 3 },
    });
    Deno.writeTextFileSync(`${checkpoints}/best.json`, best);
    Deno.writeFileSync(`${checkpoints}/b.bin`, new Uint8Array(8));
    Deno.writeTextFileSync(
      `${checkpoints}/last.json`,
      JSON.stringify({ weightsFile: "l.bin", trainerState: { epochsDone: 5, bestEpoch: 3 } }),
    );
    removeCellCheckpoints(resultsDir, plan, cell);
    const kept = cellModelDir(resultsDir, cell);
    assertEquals(Deno.readTextFileSync(`${kept}/best.json`), best);
    assertEquals(JSON.parse(Deno.readTextFileSync(`${kept}/${KEPT_TRAINING_FILE}`)), {
      epochsDone: 5,
      bestEpoch: 3,
      settings: JSON.parse(JSON.stringify(settingsOf(plan, cell))),
    });
  } finally {
    Deno.removeSync(resultsDir, { recursive: true });
  }
});

Deno.test("the orphan report says nothing when every checkpoint folder belongs to a cell of the plan", () => {
  const resultsDir = Deno.makeTempDirSync();
  try {
    const { plan, cell } = resumableCellPlan();
    Deno.mkdirSync(cellCheckpointDir(resultsDir, plan, cell), { recursive: true });
    const lines: string[] = [];
    reportOrphanCheckpoints(resultsDir, plan, (line) => lines.push(line));
    assertEquals(lines, []);
  } finally {
    Deno.removeSync(resultsDir, { recursive: true });
  }
});

Deno.test("a stored cell's leftovers are removed after a cell held by a live process and one with none", () => {
  const resultsDir = Deno.makeTempDirSync();
  try {
    const plan = planExperiments("quick");
    const [held, bare, left] = plan.cells.filter((c) => c.system.kind === "neural" && !c.waitsFor);
    const store = new ResultStore(cellsDirectory(resultsDir));
    for (const cell of [held, bare, left]) {
      store.put(cell.key, settingsOf(plan, cell), storedCellResult());
    }
    for (const cell of [held, left]) {
      Deno.mkdirSync(cellCheckpointDir(resultsDir, plan, cell), { recursive: true });
    }
    // Another host's process storing `held` right now.
    const now = new Date().toISOString();
    const live: CellClaim = { pid: 4242, hostname: "host-b", since: now, heartbeat: now };
    Deno.writeTextFileSync(store.claimPathOf(held.key), JSON.stringify(live));
    removeCheckpointsOfStoredCells(resultsDir, plan, [held, bare, left], {
      store,
      log: () => {},
    });
    assert(pathExists(cellCheckpointDir(resultsDir, plan, held)), "removed under a live claim");
    assertEquals(pathExists(cellCheckpointDir(resultsDir, plan, left)), false, "left for good");
    assertEquals(store.claimOf(held.key), live);
  } finally {
    Deno.removeSync(resultsDir, { recursive: true });
  }
});

Deno.test("a kept model holds the best weights, their sidecar and the training file, nothing of the last checkpoint", () => {
  // Found by mutation round MB (MB48): the last checkpoint's files are no part of the kept model.
  const resultsDir = Deno.makeTempDirSync();
  try {
    const { plan, cell } = resumableCellPlan();
    const checkpoints = cellCheckpointDir(resultsDir, plan, cell);
    Deno.mkdirSync(checkpoints, { recursive: true });
    Deno.writeTextFileSync(`${checkpoints}/best.json`, JSON.stringify({ weightsFile: "b.bin" }));
    Deno.writeFileSync(`${checkpoints}/b.bin`, new Uint8Array(8));
    Deno.writeTextFileSync(`${checkpoints}/last.json`, JSON.stringify({ weightsFile: "l.bin" }));
    Deno.writeFileSync(`${checkpoints}/l.bin`, new Uint8Array(8));
    removeCellCheckpoints(resultsDir, plan, cell);
    const kept = [...Deno.readDirSync(cellModelDir(resultsDir, cell))].map((entry) => entry.name);
    assertEquals(kept.sort(), ["b.bin", "best.json", KEPT_TRAINING_FILE].sort());
    assert(!pathExists(checkpoints), "the epoch checkpoints are removed");
  } finally {
    Deno.removeSync(resultsDir, { recursive: true });
  }
});

Deno.test("the orphan report throws an orphan folder it cannot measure, other than one removed meanwhile", () => {
  // Found by mutation round MB (MB42): only a folder gone meanwhile is left out; another error
  // (here a file it may not read) is not read as "removed".
  const resultsDir = Deno.makeTempDirSync();
  const lstatSync = Deno.lstatSync;
  try {
    const { plan } = resumableCellPlan();
    const orphan = `${resultsDir}/checkpoints/old-cell-00000000`;
    Deno.mkdirSync(orphan, { recursive: true });
    Deno.writeFileSync(`${orphan}/last.w.bin`, new Uint8Array(10));
    // A stand-in: as root (CI's containers) no permission bit makes a real one fail.
    const refused = (path: string | URL) => {
      if (String(path).endsWith("/last.w.bin")) throw new Deno.errors.PermissionDenied("stand-in");
      return lstatSync(path);
    };
    const lines: string[] = [];
    withDenoStandIns({ lstatSync: refused }, () =>
      assertThrows(
        () => reportOrphanCheckpoints(resultsDir, plan, (line) => lines.push(line)),
        Deno.errors.PermissionDenied,
      ));
    assertEquals(lines, []);
  } finally {
    Deno.removeSync(resultsDir, { recursive: true });
  }
});

Deno.test("removeCellCheckpoints throws a removal that fails for another reason than a folder gone", () => {
  // Found by mutation round MB (MB44): a checkpoint folder it could not remove was said gone.
  const resultsDir = Deno.makeTempDirSync();
  const removeSync = Deno.removeSync;
  try {
    const { plan, cell } = resumableCellPlan();
    const checkpoints = cellCheckpointDir(resultsDir, plan, cell);
    Deno.mkdirSync(checkpoints, { recursive: true });
    const denied = (path: string | URL, options?: Deno.RemoveOptions) => {
      if (String(path) === checkpoints) throw new Deno.errors.PermissionDenied("denied");
      removeSync(path, options);
    };
    withDenoStandIns({ removeSync: denied }, () =>
      assertThrows(
        () => removeCellCheckpoints(resultsDir, plan, cell),
        Deno.errors.PermissionDenied,
      ));
    assert(pathExists(checkpoints), "the folder it could not remove is still there");
    // A folder gone already is no error.
    removeSync(checkpoints, { recursive: true });
    removeCellCheckpoints(resultsDir, plan, cell);
  } finally {
    Deno.removeSync(resultsDir, { recursive: true });
  }
});

Deno.test("the orphan report judges a subset with no cell against the whole plan", () => {
  // Found by mutation round MB (MB47): a run asked for no cell still reports the orphans.
  const resultsDir = Deno.makeTempDirSync();
  try {
    const { plan, cell } = resumableCellPlan();
    Deno.mkdirSync(cellCheckpointDir(resultsDir, plan, cell), { recursive: true });
    Deno.mkdirSync(`${resultsDir}/checkpoints/gone-00000000`, { recursive: true });
    const lines: string[] = [];
    reportOrphanCheckpoints(resultsDir, { ...plan, cells: [] }, (line) => lines.push(line));
    assertEquals(lines.length, 1);
    assertStringIncludes(lines[0], "1 checkpoint folder(s) under ");
    assertStringIncludes(lines[0], ": gone-00000000 (0.0 MB);");
  } finally {
    Deno.removeSync(resultsDir, { recursive: true });
  }
});

Deno.test("the orphan report counts a link as itself: a dangling link or a loop still reports the folder", () => {
  // A checkpoint folder holding a dangling link went unreported (its NotFound read as the folder
  // removed meanwhile), and one holding a link to a folder above it recursed until the stack ran out.
  const resultsDir = Deno.makeTempDirSync();
  try {
    const { plan } = resumableCellPlan();
    const folder = `${resultsDir}/checkpoints`;
    Deno.mkdirSync(`${folder}/linked-00000000`, { recursive: true });
    Deno.writeFileSync(`${folder}/linked-00000000/last.w.bin`, new Uint8Array(300_000));
    Deno.writeFileSync(`${resultsDir}/big.bin`, new Uint8Array(5_000_000));
    Deno.symlinkSync(`${resultsDir}/big.bin`, `${folder}/linked-00000000/outside.bin`);
    Deno.symlinkSync(`${resultsDir}/missing.bin`, `${folder}/linked-00000000/dangling.bin`);
    Deno.symlinkSync(folder, `${folder}/linked-00000000/loop`);
    const lines: string[] = [];
    reportOrphanCheckpoints(resultsDir, plan, (line) => lines.push(line));
    assertEquals(lines.length, 1, lines.join("\n"));
    // 300 kB of its own file; the links' own few bytes; not the 5 MB file outside.
    assertStringIncludes(lines[0], "1 checkpoint folder(s) under ");
    assertStringIncludes(lines[0], ", 0.3 MB: linked-00000000 (0.3 MB);");
  } finally {
    Deno.removeSync(resultsDir, { recursive: true });
  }
});
