/**
 * lib/experiments/cell_checkpoints.ts on its own: the checkpoint folder's name (a run resumes a
 * cell only from a folder of exactly that name, so a changed hash would strand every checkpoint
 * of the runs in progress), what the orphan report counts and in which order, and the leftover
 * removal when the process storing the cell removed them meanwhile. Found by mutation round AC
 * (AC22, AC23, AC24, AC25, AC29, AC30, AC31).
 */
import { assert, assertEquals, assertStringIncludes } from "@std/assert";
import {
  cellCheckpointDir,
  removeCellCheckpoints,
  removeCheckpointsOfStoredCells,
  reportOrphanCheckpoints,
} from "../../lib/experiments/cell_checkpoints.ts";
import { planExperiments } from "../../lib/experiments/plan.ts";
import { cellModelDir } from "../../lib/experiments/cell_model.ts";
import { ResultStore } from "../../lib/experiments/result_store.ts";
import type { CellClaim } from "../../lib/experiments/cell_claim.ts";
import { cellsDirectory, settingsOf } from "../../lib/experiments/stored_cells.ts";
import { pathExists } from "../../lib/util/path_exists.ts";
import { resumableCellPlan, storedCellPlan } from "./_resumable_cell.ts";

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
