/**
 * An atomic write reaches the disk before it is switched into place: each temporary is synced
 * before its rename and the folder after, so a power loss leaves the old file or the whole new
 * one, never a renamed empty one. The order is read through the calls the write makes (nothing is
 * timed); the file a sync is of is told by its inode.
 */
import { assert, assertEquals, assertThrows } from "@std/assert";
import {
  folderOf,
  removeStaleTemporaries,
  STALE_TEMPORARY_SECONDS,
  syncFolder,
  temporaryPathOf,
  writeFilesAtomically,
  writeSyncedFile,
} from "../../lib/data/atomic_write.ts";

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

Deno.test("a failure at a later file removes the earlier files' temporaries and renames none", () => {
  const dir = Deno.makeTempDirSync();
  const write = Deno.FsFile.prototype.writeSync;
  let calls = 0;
  // a.json is written whole (its two halves), b.json's first half fails as a full disk does.
  Deno.FsFile.prototype.writeSync = function (this: Deno.FsFile, data: Uint8Array) {
    if (++calls === 3) throw new Error("No space left on device (os error 28)");
    return write.call(this, data);
  };
  try {
    Deno.writeTextFileSync(`${dir}/a.json`, "old");
    assertThrows(
      () =>
        writeFilesAtomically([
          { path: `${dir}/a.json`, data: '{"a":1}' },
          { path: `${dir}/b.json`, data: '{"b":2}' },
        ]),
      Error,
      "No space left",
    );
    assertEquals(calls, 3);
    // Neither a.json's whole temporary nor a switched a.json: all of them or none.
    assertEquals([...Deno.readDirSync(dir)].map((entry) => entry.name), ["a.json"]);
    assertEquals(Deno.readTextFileSync(`${dir}/a.json`), "old");
  } finally {
    Deno.FsFile.prototype.writeSync = write;
    Deno.removeSync(dir, { recursive: true });
  }
});

Deno.test("writeFilesAtomically syncs every folder it renamed into, each once", () => {
  const dir = Deno.makeTempDirSync();
  try {
    Deno.mkdirSync(`${dir}/sub`);
    const events = recorded(() =>
      writeFilesAtomically([
        { path: `${dir}/a.json`, data: "1" },
        { path: `${dir}/sub/b.json`, data: "2" },
        { path: `${dir}/sub/c.json`, data: "3" },
      ])
    );
    const folders = events.filter((event) => event.kind === "sync" && event.folder);
    assertEquals(
      folders.map((event) => event.kind === "sync" && event.ino),
      [Deno.statSync(dir).ino, Deno.statSync(`${dir}/sub`).ino],
    );
  } finally {
    Deno.removeSync(dir, { recursive: true });
  }
});

Deno.test("writeSyncedFile: afterHalf runs once, when the file holds the first half", () => {
  const dir = Deno.makeTempDirSync();
  try {
    const path = `${dir}/w.bin`;
    const seen: number[][] = [];
    const afterHalf = () => seen.push([...Deno.readFileSync(path)]);
    writeSyncedFile(path, new Uint8Array([1, 2, 3, 4, 5]), { afterHalf });
    assertEquals(seen, [[1, 2]]);
    assertEquals(Deno.readFileSync(path), new Uint8Array([1, 2, 3, 4, 5]));
    // Shorter than 2 bytes: the first half is empty, and still it runs once (before, twice: both
    // halves began at the data's first byte, which was how the first one was told).
    for (const [i, bytes] of [[7], []].entries()) {
      seen.length = 0;
      writeSyncedFile(`${dir}/${i}.bin`, new Uint8Array(bytes), {
        afterHalf: () => seen.push([...Deno.readFileSync(`${dir}/${i}.bin`)]),
      });
      assertEquals(seen, [[]], `${bytes.length} bytes`);
      assertEquals([...Deno.readFileSync(`${dir}/${i}.bin`)], bytes);
    }
  } finally {
    Deno.removeSync(dir, { recursive: true });
  }
});

Deno.test("writeSyncedFile writes on after a short write (the system may take fewer bytes)", () => {
  const dir = Deno.makeTempDirSync();
  const write = Deno.FsFile.prototype.writeSync;
  // A system that takes at most 2 bytes a call, as a pipe or a signal-interrupted write may.
  Deno.FsFile.prototype.writeSync = function (this: Deno.FsFile, data: Uint8Array) {
    return write.call(this, data.subarray(0, 2));
  };
  try {
    const bytes = new Uint8Array([1, 2, 3, 4, 5, 6, 7]);
    writeSyncedFile(`${dir}/w.bin`, bytes);
    Deno.FsFile.prototype.writeSync = write;
    assertEquals(Deno.readFileSync(`${dir}/w.bin`), bytes);
  } finally {
    Deno.FsFile.prototype.writeSync = write;
    Deno.removeSync(dir, { recursive: true });
  }
});

Deno.test("syncFolder skips a folder this process may not read (allowed to write there only)", () => {
  const dir = Deno.makeTempDirSync();
  const query = Deno.permissions.querySync;
  try {
    // With read access, the folder is synced.
    assertEquals(recorded(() => syncFolder(dir)).length, 1);
    Deno.permissions.querySync = (descriptor: Deno.PermissionDescriptor) =>
      descriptor.name === "read" && descriptor.path === dir
        ? { state: "prompt" } as Deno.PermissionStatus
        : query.call(Deno.permissions, descriptor);
    // Before the check, opening it threw NotCapable after the files were renamed.
    assertEquals(recorded(() => syncFolder(dir)), []);
  } finally {
    Deno.permissions.querySync = query;
    Deno.removeSync(dir, { recursive: true });
  }
});

Deno.test("syncFolder closes the folder it opened, also when its sync fails", () => {
  const dir = Deno.makeTempDirSync();
  const openSync = Deno.openSync;
  const sync = Deno.FsFile.prototype.syncSync;
  let opened = 0;
  let closed = 0;
  // Deno's resource sanitizer does not see a leaked handle here: the calls are counted.
  Deno.openSync = (path, options) => {
    const file = openSync(path, options);
    opened += 1;
    const close = file.close.bind(file);
    file.close = () => {
      closed += 1;
      close();
    };
    return file;
  };
  try {
    syncFolder(dir);
    assertEquals([opened, closed], [1, 1]);
    Deno.FsFile.prototype.syncSync = () => {
      throw new Error("Input/output error (os error 5)");
    };
    assertThrows(() => syncFolder(dir), Error, "Input/output error");
    assertEquals([opened, closed], [2, 2]);
  } finally {
    Deno.openSync = openSync;
    Deno.FsFile.prototype.syncSync = sync;
    Deno.removeSync(dir, { recursive: true });
  }
});

/** Runs `action` with `Date.now` at `now`. */
function at<T>(now: number, action: () => T): T {
  const clock = Date.now;
  Date.now = () => now;
  try {
    return action();
  } finally {
    Date.now = clock;
  }
}

/** A process id that is not this one's (ids stay below 2^22 on Linux). */
const OTHER_PID = Deno.pid === 9_999_999 ? 9_999_998 : 9_999_999;

Deno.test("removeStaleTemporaries: only other processes' <file>.tmp-<pid>-<ms> files older than the limit", () => {
  const dir = Deno.makeTempDirSync();
  try {
    const now = Math.floor(Date.now() / 1000) * 1000;
    const limit = STALE_TEMPORARY_SECONDS * 1000;
    const leave = (name: string, ageMs: number, folder = false) => {
      if (folder) Deno.mkdirSync(`${dir}/${name}`);
      else Deno.writeTextFileSync(`${dir}/${name}`, "{");
      const when = (now - ageMs) / 1000;
      Deno.utimeSync(`${dir}/${name}`, when, when);
    };
    leave(`stale.json.tmp-${OTHER_PID}-1`, limit + 1000);
    leave(`limit.json.tmp-${OTHER_PID}-1`, limit); // exactly the limit: not older
    leave(`minute.json.tmp-${OTHER_PID}-1`, 60_000);
    leave(`mine.json.tmp-${Deno.pid}-1`, 2 * limit);
    leave(`inner.tmp-${OTHER_PID}-1.json`, 2 * limit); // a file of its own, not a temporary
    leave(`folder.tmp-${OTHER_PID}-1`, 2 * limit, true);
    // What this process's writes name their temporaries: its own, for the sweep.
    const own = temporaryPathOf(`${dir}/own.json`).slice(dir.length + 1);
    leave(own, 2 * limit);
    at(now, () => removeStaleTemporaries(dir));
    assertEquals([...Deno.readDirSync(dir)].map((entry) => entry.name).sort(), [
      `folder.tmp-${OTHER_PID}-1`,
      `inner.tmp-${OTHER_PID}-1.json`,
      `limit.json.tmp-${OTHER_PID}-1`,
      `mine.json.tmp-${Deno.pid}-1`,
      `minute.json.tmp-${OTHER_PID}-1`,
      own,
    ]);
  } finally {
    Deno.removeSync(dir, { recursive: true });
  }
});

Deno.test("removeStaleTemporaries: another sweeper's removal is no error, any other error is thrown", () => {
  const dir = Deno.makeTempDirSync();
  const remove = Deno.removeSync;
  const stat = Deno.statSync;
  try {
    const name = `a.json.tmp-${OTHER_PID}-1`;
    Deno.writeTextFileSync(`${dir}/${name}`, "{");
    const old = new Date(Date.now() - 2 * STALE_TEMPORARY_SECONDS * 1000);
    Deno.utimeSync(`${dir}/${name}`, old, old);
    // A file system that keeps no modification time: its age is unknown, so it is kept.
    Deno.statSync = (path) => ({ ...stat(path), mtime: null });
    removeStaleTemporaries(dir);
    Deno.statSync = stat;
    assertEquals([...Deno.readDirSync(dir)].map((entry) => entry.name), [name]);
    Deno.removeSync = () => {
      throw new Deno.errors.NotFound("gone");
    };
    removeStaleTemporaries(dir);
    Deno.removeSync = () => {
      throw new Deno.errors.PermissionDenied("Permission denied (os error 13)");
    };
    assertThrows(() => removeStaleTemporaries(dir), Deno.errors.PermissionDenied);
  } finally {
    Deno.removeSync = remove;
    Deno.statSync = stat;
    Deno.removeSync(dir, { recursive: true });
  }
});

Deno.test("a rename that fails removes the temporaries not switched in", () => {
  const dir = Deno.makeTempDirSync();
  try {
    // A folder where a file is to go: its rename fails (EISDIR), before a.json's.
    Deno.mkdirSync(`${dir}/b.json/inner`, { recursive: true });
    Deno.writeTextFileSync(`${dir}/a.json`, "old");
    assertThrows(() =>
      writeFilesAtomically([
        { path: `${dir}/b.json`, data: "{}" },
        { path: `${dir}/a.json`, data: '{"a":1}' },
      ])
    );
    // Before, both temporaries stayed (until another process swept them, 10 min on).
    assertEquals([...Deno.readDirSync(dir)].map((entry) => entry.name).sort(), [
      "a.json",
      "b.json",
    ]);
    assertEquals(Deno.readTextFileSync(`${dir}/a.json`), "old");
  } finally {
    Deno.removeSync(dir, { recursive: true });
  }
});

Deno.test("a temporary whose sync fails is removed, and the target keeps its old content", () => {
  const dir = Deno.makeTempDirSync();
  const sync = Deno.FsFile.prototype.syncSync;
  // The data is written, but the disk reports an error at the fsync (a failing device).
  Deno.FsFile.prototype.syncSync = () => {
    throw new Error("Input/output error (os error 5)");
  };
  try {
    Deno.writeTextFileSync(`${dir}/a.json`, "old");
    assertThrows(
      () => writeFilesAtomically([{ path: `${dir}/a.json`, data: '{"a":1}' }]),
      Error,
      "Input/output error",
    );
    assertEquals([...Deno.readDirSync(dir)].map((entry) => entry.name), ["a.json"]);
    assertEquals(Deno.readTextFileSync(`${dir}/a.json`), "old");
  } finally {
    Deno.FsFile.prototype.syncSync = sync;
    Deno.removeSync(dir, { recursive: true });
  }
});

Deno.test("a failed write throws its own error, also when a temporary to clean is gone already", () => {
  const dir = Deno.makeTempDirSync();
  const write = Deno.FsFile.prototype.writeSync;
  const remove = Deno.removeSync;
  let calls = 0;
  // The second file's first write fails; a sweeper has removed the first file's temporary.
  Deno.FsFile.prototype.writeSync = function (this: Deno.FsFile, data: Uint8Array) {
    if (++calls === 3) throw new Error("No space left on device (os error 28)");
    return write.call(this, data);
  };
  Deno.removeSync = (path, options) => {
    if (String(path).includes("/a.json.tmp-")) {
      remove(path, options);
      throw new Deno.errors.NotFound(`No such file or directory (os error 2): ${path}`);
    }
    remove(path, options);
  };
  try {
    assertThrows(
      () =>
        writeFilesAtomically([
          { path: `${dir}/a.json`, data: "aa" },
          { path: `${dir}/b.json`, data: "bb" },
        ]),
      Error,
      "No space left",
    );
    assertEquals([...Deno.readDirSync(dir)], []);
  } finally {
    Deno.FsFile.prototype.writeSync = write;
    Deno.removeSync = remove;
    Deno.removeSync(dir, { recursive: true });
  }
});

Deno.test("writeFilesAtomically writes a byte view as itself, not the buffer under it", () => {
  const dir = Deno.makeTempDirSync();
  try {
    const view = new Uint8Array([1, 2, 3, 4, 5]).subarray(1, 3);
    writeFilesAtomically([{ path: `${dir}/a.bin`, data: view }]);
    assertEquals(Deno.readFileSync(`${dir}/a.bin`), new Uint8Array([2, 3]));
  } finally {
    Deno.removeSync(dir, { recursive: true });
  }
});
