import { assert, assertEquals, assertThrows } from "@std/assert";
import {
  removeStaleTemporaries,
  writeFilesAtomically,
  writeSyncedFile,
} from "../../lib/data/atomic_write.ts";

/** A pid that is not this process's (the sweep keeps this process's own temporaries). */
const OTHER_PID = Deno.pid + 1;

Deno.test("the sweep removes another process's temporary 11 minutes old, and keeps names that are no temporary", () => {
  const dir = Deno.makeTempDirSync();
  try {
    // 10 minutes is the age after which a temporary is a killed writer's (the doc's promise).
    const eleven = new Date(Date.now() - 11 * 60 * 1000);
    const stale = `${dir}/a.json.tmp-${OTHER_PID}-1`;
    const noTime = `${dir}/b.json.tmp-${OTHER_PID}-`;
    for (const path of [stale, noTime]) {
      Deno.writeTextFileSync(path, "x");
      Deno.utimeSync(path, eleven, eleven);
    }
    removeStaleTemporaries(dir);
    assertEquals([...Deno.readDirSync(dir)].map((entry) => entry.name), [
      "b.json.tmp-" + OTHER_PID + "-",
    ]);
  } finally {
    Deno.removeSync(dir, { recursive: true });
  }
});

Deno.test("writeFilesAtomically writes text byte for byte, trailing blanks and line ends included", () => {
  const dir = Deno.makeTempDirSync();
  try {
    const text = "movieId \n1\t\n\n";
    writeFilesAtomically([{ path: `${dir}/items.csv`, data: text }]);
    assertEquals(Deno.readTextFileSync(`${dir}/items.csv`), text);
  } finally {
    Deno.removeSync(dir, { recursive: true });
  }
});

Deno.test("a rename that fails throws the system's own error, its class kept", () => {
  const dir = Deno.makeTempDirSync();
  try {
    Deno.mkdirSync(`${dir}/taken/inner`, { recursive: true });
    const error = assertThrows(() => writeFilesAtomically([{ path: `${dir}/taken`, data: "x" }]));
    // Callers tell the failure by its class (a folder in the way is no full disk).
    let system: unknown;
    const probe = `${dir}/probe`;
    Deno.writeTextFileSync(probe, "x");
    try {
      Deno.renameSync(probe, `${dir}/taken`);
    } catch (caught) {
      system = caught;
    }
    assert(system instanceof Error, "the probe rename failed too");
    assertEquals((error as Error).constructor, system.constructor);
    assertEquals((error as Error).name, system.name);
    assertEquals([...Deno.readDirSync(dir)].map((entry) => entry.name).sort(), ["probe", "taken"]);
  } finally {
    Deno.removeSync(dir, { recursive: true });
  }
});

Deno.test("writeSyncedFile with nameFile: a write that fails (a full disk) names the file, keeps the system's error as cause, leaves nothing", () => {
  // Found by mutation round MB (MB59): only a failed open was tested with nameFile.
  const dir = Deno.makeTempDirSync();
  const writeSync = Deno.FsFile.prototype.writeSync;
  const full = new Error("No space left on device (os error 28)");
  Deno.FsFile.prototype.writeSync = () => {
    throw full;
  };
  try {
    const path = `${dir}/w.safetensors.tmp-1-2`;
    const error = assertThrows(() =>
      writeSyncedFile(path, new Uint8Array(4), { nameFile: true })
    ) as Error;
    assertEquals([error.message, error.cause], [`${path}: ${full.message}`, full]);
    assertEquals([...Deno.readDirSync(dir)], []);
  } finally {
    Deno.FsFile.prototype.writeSync = writeSync;
    Deno.removeSync(dir, { recursive: true });
  }
});
