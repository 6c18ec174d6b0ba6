/**
 * An atomic write reaches the disk before it is switched into place: each temporary is synced
 * before its rename and the folder after, so a power loss leaves the old file or the whole new
 * one, never a renamed empty one. The order is read through the calls the write makes (nothing is
 * timed); the file a sync is of is told by its inode.
 */
import { assert, assertEquals, assertThrows } from "@std/assert";
import { folderOf, writeFilesAtomically, writeSyncedFile } from "../../lib/data/atomic_write.ts";

/** What the file system saw, in order: syncs (of which inode, how large) and renames. */
type Event =
  | { kind: "sync"; ino: number | null; size: number; folder: boolean }
  | { kind: "rename"; ino: number | null; to: string };

/** Runs `action` with `Deno.FsFile.prototype.syncSync` and `Deno.renameSync` recorded. */
function recorded(action: () => void): Event[] {
  const events: Event[] = [];
  const sync = Deno.FsFile.prototype.syncSync;
  const rename = Deno.renameSync;
  Deno.FsFile.prototype.syncSync = function (this: Deno.FsFile) {
    const stat = this.statSync();
    events.push({ kind: "sync", ino: stat.ino, size: stat.size, folder: stat.isDirectory });
    return sync.call(this);
  };
  Deno.renameSync = (from, to) => {
    events.push({ kind: "rename", ino: Deno.statSync(from).ino, to: String(to) });
    rename(from, to);
  };
  try {
    action();
  } finally {
    Deno.FsFile.prototype.syncSync = sync;
    Deno.renameSync = rename;
  }
  return events;
}

Deno.test("writeFilesAtomically syncs each whole temporary before its rename, and the folder after", () => {
  const dir = Deno.makeTempDirSync();
  try {
    const files = [
      { path: `${dir}/a.json`, data: '{"a":1}' },
      { path: `${dir}/b.bin`, data: new Uint8Array([1, 2, 3, 4, 5]) },
    ];
    Deno.writeTextFileSync(`${dir}/a.json`, "old");
    const events = recorded(() => writeFilesAtomically(files));
    const renames = events.filter((event) => event.kind === "rename");
    assertEquals(renames.map((event) => event.to), files.map((file) => file.path));
    for (const [i, file] of files.entries()) {
      const rename = events.indexOf(renames[i]);
      const size = file.data.length; // ASCII text: a byte a character
      // Before, the temporaries were written unsynced (Deno.writeTextFileSync): no sync at all.
      const synced = events.findIndex((event) =>
        event.kind === "sync" && !event.folder && event.ino === renames[i].ino &&
        event.size === size
      );
      assert(synced >= 0 && synced < rename, `${file.path}: ${JSON.stringify(events)}`);
    }
    const folder = events.findIndex((event) =>
      event.kind === "sync" && event.folder && event.ino === Deno.statSync(dir).ino
    );
    assert(folder > events.indexOf(renames[1]), `folder synced after: ${JSON.stringify(events)}`);
    assertEquals(Deno.readTextFileSync(`${dir}/a.json`), '{"a":1}');
    assertEquals(Deno.readFileSync(`${dir}/b.bin`), new Uint8Array([1, 2, 3, 4, 5]));
    assertEquals([...Deno.readDirSync(dir)].map((entry) => entry.name).sort(), ["a.json", "b.bin"]);
  } finally {
    Deno.removeSync(dir, { recursive: true });
  }
});

Deno.test("a write that fails midway (a full disk) removes its partial temporary", () => {
  const dir = Deno.makeTempDirSync();
  const write = Deno.FsFile.prototype.writeSync;
  let calls = 0;
  // The first half is written, the second fails as a full disk does.
  Deno.FsFile.prototype.writeSync = function (this: Deno.FsFile, data: Uint8Array) {
    if (++calls === 2) throw new Error("No space left on device (os error 28)");
    return write.call(this, data);
  };
  try {
    Deno.writeTextFileSync(`${dir}/a.json`, "old");
    assertThrows(
      () => writeFilesAtomically([{ path: `${dir}/a.json`, data: '{"a":12345}' }]),
      Error,
      "No space left",
    );
    assertEquals(calls, 2);
    assertEquals([...Deno.readDirSync(dir)].map((entry) => entry.name), ["a.json"]);
    assertEquals(Deno.readTextFileSync(`${dir}/a.json`), "old");
  } finally {
    Deno.FsFile.prototype.writeSync = write;
    Deno.removeSync(dir, { recursive: true });
  }
});

Deno.test("folderOf: the folder synced after a rename, the root included", () => {
  assertEquals(folderOf("/a.json"), "/");
  assertEquals(folderOf("a.json"), ".");
  assertEquals(folderOf("out/run/a.json"), "out/run");
});

Deno.test("writeSyncedFile with nameFile names the file, the system's error its cause", () => {
  const dir = Deno.makeTempDirSync();
  try {
    Deno.writeTextFileSync(`${dir}/taken`, "x");
    const error = assertThrows(() =>
      writeSyncedFile(`${dir}/taken`, new Uint8Array([1]), { nameFile: true })
    );
    assert(error instanceof Error && error.message.startsWith(`${dir}/taken: `), `${error}`);
    assert(error.cause instanceof Deno.errors.AlreadyExists, `${error.cause}`);
    // Without nameFile, the system's error itself (callers tell its class).
    assertThrows(
      () => writeSyncedFile(`${dir}/taken`, new Uint8Array([1])),
      Deno.errors.AlreadyExists,
    );
  } finally {
    Deno.removeSync(dir, { recursive: true });
  }
});
