/**
 * A save killed at any step leaves a loadable checkpoint: the old one before the switch, the new
 * one from the switch on; the next save sweeps what the killed one left behind.
 */
import { assert, assertEquals } from "@std/assert";
import { initBackend } from "../../lib/backend/init_backend.ts";
import {
  checkpointExists,
  loadModelCheckpoint,
  removeStaleCheckpointFiles,
  SAVE_STEPS,
  saveModelCheckpoint,
  type SaveStep,
} from "../../lib/checkpoint/checkpoint.ts";
import { SequentialRecommender } from "../../lib/models/sequential_recommender.ts";
import { leaveOneOut, tinyDataset } from "../models/_fixtures.ts";

await initBackend({ verbose: false });

class SimulatedKill extends Error {}

const split = leaveOneOut(tinyDataset(), 10);
const config = { dim: 8, maxLength: 10 };
const fingerprint = "tiny-v1";

/** A model of the one config whose id table is scaled by `factor` (distinct weights per factor). */
function modelScaled(factor: number): SequentialRecommender {
  const model = new SequentialRecommender(split.dataset, { ...config, seed: 1 });
  const table = model.parameters.get("encoder/id/table");
  table.assign(table.mul(factor));
  return model;
}

function weightsOf(model: SequentialRecommender): Float32Array {
  return Float32Array.from(model.parameters.get("encoder/id/table").dataSync());
}

function files(dir: string): string[] {
  return [...Deno.readDirSync(dir)].map((entry) => entry.name).sort();
}

for (const killedAt of SAVE_STEPS) {
  Deno.test(`checkpoint save killed after "${killedAt}": loads the old or the new, never neither`, async () => {
    const dir = Deno.makeTempDirSync();
    const base = `${dir}/last`;
    const old = modelScaled(1);
    const next = modelScaled(2);
    const probe = modelScaled(3);
    try {
      await saveModelCheckpoint(base, old, {
        datasetFingerprint: fingerprint,
        metrics: { version: 1 },
      });
      let threw = false;
      try {
        await saveModelCheckpoint(base, next, {
          datasetFingerprint: fingerprint,
          metrics: { version: 2 },
        }, {
          afterStep: (step: SaveStep) => {
            if (step === killedAt) throw new SimulatedKill(step);
          },
        });
      } catch (error) {
        assert(error instanceof SimulatedKill, `unexpected ${error}`);
        threw = true;
      }
      assert(threw);
      assert(checkpointExists(base));
      const loaded = loadModelCheckpoint(base, probe, { datasetFingerprint: fingerprint });
      const switched = SAVE_STEPS.indexOf(killedAt) >= SAVE_STEPS.indexOf("switched");
      assertEquals(loaded.sidecar.metrics.version, switched ? 2 : 1);
      assertEquals(weightsOf(probe), weightsOf(switched ? next : old));
      // The next save (or a sweep) leaves exactly one pair: the sidecar and the weights it names.
      await saveModelCheckpoint(base, old, {
        datasetFingerprint: fingerprint,
        metrics: { version: 3 },
      });
      const after = loadModelCheckpoint(base, probe, { datasetFingerprint: fingerprint });
      assertEquals(files(dir), ["last.json", after.sidecar.weightsFile].sort());
      assertEquals(removeStaleCheckpointFiles(base), []);
    } finally {
      for (const model of [old, next, probe]) model.dispose();
      Deno.removeSync(dir, { recursive: true });
    }
  });
}

Deno.test("checkpoint: a first save killed before the switch leaves no checkpoint (not a broken one)", async () => {
  const dir = Deno.makeTempDirSync();
  const model = new SequentialRecommender(split.dataset, { ...config, seed: 1 });
  try {
    try {
      await saveModelCheckpoint(`${dir}/best`, model, { datasetFingerprint: fingerprint }, {
        afterStep: (step) => {
          if (step === "sidecar_written") throw new SimulatedKill(step);
        },
      });
    } catch (error) {
      assert(error instanceof SimulatedKill);
    }
    assert(!checkpointExists(`${dir}/best`));
    assertEquals(removeStaleCheckpointFiles(`${dir}/best`).length, 2);
    assertEquals(files(dir), []);
  } finally {
    model.dispose();
    Deno.removeSync(dir, { recursive: true });
  }
});

Deno.test("checkpoint: the earlier layout (<base>.safetensors) loads, and the next save replaces it", async () => {
  const dir = Deno.makeTempDirSync();
  const base = `${dir}/model`;
  const model = modelScaled(1);
  const probe = modelScaled(5);
  try {
    await saveModelCheckpoint(base, model, { datasetFingerprint: fingerprint });
    const sidecar = JSON.parse(Deno.readTextFileSync(`${base}.json`));
    Deno.renameSync(`${dir}/${sidecar.weightsFile}`, `${base}.safetensors`);
    sidecar.weightsFile = "model.safetensors";
    Deno.writeTextFileSync(`${base}.json`, JSON.stringify(sidecar));
    loadModelCheckpoint(base, probe, { datasetFingerprint: fingerprint });
    assertEquals(weightsOf(probe), weightsOf(model));
    await saveModelCheckpoint(base, model, { datasetFingerprint: fingerprint });
    assert(!files(dir).includes("model.safetensors"), files(dir).join(", "));
    assertEquals(files(dir).length, 2);
  } finally {
    model.dispose();
    probe.dispose();
    Deno.removeSync(dir, { recursive: true });
  }
});

Deno.test("checkpoint: the sweep leaves an earlier-layout weights file alone when no sidecar names a newer one", () => {
  // Without a readable <base>.json the lone <base>.safetensors may be all that is left of a
  // checkpoint: only a save (whose sidecar names its own weights) may replace it.
  const dir = Deno.makeTempDirSync();
  try {
    Deno.writeFileSync(`${dir}/best.safetensors`, Uint8Array.of(1, 2, 3));
    assertEquals(removeStaleCheckpointFiles(`${dir}/best`), []);
    assertEquals(files(dir), ["best.safetensors"]);
  } finally {
    Deno.removeSync(dir, { recursive: true });
  }
});

Deno.test("checkpoint: two bases in one folder do not sweep each other's files", async () => {
  const dir = Deno.makeTempDirSync();
  const model = new SequentialRecommender(split.dataset, { ...config, seed: 1 });
  // "mXv2" matches "m.v2" read as a regular expression: the sweep must take the name literally.
  const names = ["m", "m.v2", "mXv2", "last", "best"];
  try {
    for (const name of names) {
      await saveModelCheckpoint(`${dir}/${name}`, model, { datasetFingerprint: fingerprint });
    }
    for (const name of names) {
      await saveModelCheckpoint(`${dir}/${name}`, model, { datasetFingerprint: fingerprint });
      for (const other of names) {
        assert(checkpointExists(`${dir}/${other}`), `${other} after saving ${name}`);
      }
    }
    assertEquals(files(dir).length, 2 * names.length);
  } finally {
    model.dispose();
    Deno.removeSync(dir, { recursive: true });
  }
});

/** Mounts a 64 KiB tmpfs on a new folder (root on Linux only); undefined where that fails. */
function mountTinyDisk(): string | undefined {
  if (Deno.build.os !== "linux") return undefined;
  const dir = Deno.makeTempDirSync();
  try {
    const args = ["-t", "tmpfs", "-o", "size=64k", "tmpfs", dir];
    if (new Deno.Command("mount", { args, stderr: "null" }).outputSync().success) return dir;
  } catch {
    // No mount command.
  }
  Deno.removeSync(dir);
  return undefined;
}

function unmount(dir: string): void {
  new Deno.Command("umount", { args: [dir] }).outputSync();
  Deno.removeSync(dir, { recursive: true });
}

/** Whether this test run can mount a small disk (probed once, then unmounted). */
const canMountDisk = (() => {
  const dir = mountTinyDisk();
  if (dir !== undefined) unmount(dir);
  return dir !== undefined;
})();

Deno.test(
  "checkpoint: a full disk while saving: the error names the file, and no partial file is left",
  { ignore: !canMountDisk },
  async () => {
    const dir = mountTinyDisk()!;
    const model = new SequentialRecommender(split.dataset, { ...config, seed: 1 });
    try {
      // Fill the disk but for a few KiB: less than the weights file needs.
      const free = Deno.openSync(`${dir}/filler`, { write: true, create: true });
      const block = new Uint8Array(4096);
      try {
        while (true) free.writeSync(block);
      } catch {
        // Full.
      } finally {
        free.close();
      }
      Deno.truncateSync(`${dir}/filler`, Deno.statSync(`${dir}/filler`).size - 4096);
      let error: Error | undefined;
      try {
        await saveModelCheckpoint(`${dir}/best`, model, { datasetFingerprint: fingerprint });
      } catch (caught) {
        error = caught as Error;
      }
      // Before: "No space left on device (os error 28)", and a partial weights file stayed.
      assert(error !== undefined, "the save failed");
      assert(error.message.startsWith(`${dir}/best.`), error.message);
      assert(error.message.includes("No space left on device"), error.message);
      assertEquals((error.cause as { code?: string }).code, "ENOSPC");
      assertEquals(files(dir), ["filler"]);
    } finally {
      model.dispose();
      unmount(dir);
    }
  },
);
