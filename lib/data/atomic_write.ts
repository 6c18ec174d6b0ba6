/**
 * Writes a set of files so that either all of them appear or none does: each is written to a
 * temporary sibling (`<file>.tmp-<pid>-<ms>`) and renamed only after every write succeeded. The one
 * home of the mechanism: the fsync of a file before its rename and of the folder after it (also
 * for the checkpoints, lib/checkpoint/checkpoint.ts), and the sweep of the temporaries that killed
 * writers leave behind.
 *
 * Why the fsyncs: a rename can reach the disk before the data it points at, so after a power loss
 * (not a kill: the kernel still holds the data) an unsynced write left the target renamed but
 * empty, which a store then reads as an unreadable result. The temporary is synced before its
 * rename, so the target is the old file or the whole new one; the folder is synced after, so the
 * rename itself survives too.
 */

/** One file to write: text or bytes. */
export interface FileToWrite {
  /** Target path. */
  path: string;
  /** Content: text (UTF-8) or bytes. */
  data: string | Uint8Array;
  /**
   * The folder of its temporary, when not the target's (default): for a writer allowed to write
   * the target alone (`deno task report` may write ./README.md, not a sibling of it). On the
   * target's filesystem, since the temporary is renamed onto the target.
   */
  temporaryFolder?: string;
}

/** The temporary a write of `path` goes to first: `<path>.tmp-<pid>-<ms>` (see the sweep). */
export function temporaryPathOf(path: string): string {
  return `${path}.tmp-${Deno.pid}-${Date.now()}`;
}

/**
 * Writes all files atomically (temporary path, fsync, then rename; the folders synced after);
 * on failure removes the temporaries and throws the system's error, leaving earlier versions of
 * the targets untouched. A write cut short (a full disk) throws an error of the system's class
 * whose message starts with the target's path (the system's names none), the system's as cause.
 * A folder where a file is to go, or a missing folder of a target whose temporary is elsewhere
 * (`temporaryFolder`), is found before any rename, so none switches; a rename that fails
 * otherwise leaves those renamed before it switched, the rest keep their earlier versions.
 *
 * @example
 * ```ts
 * writeFilesAtomically([{ path: "out/items.csv", data: "movieId\n1\n" }]);
 * ```
 */
export function writeFilesAtomically(files: FileToWrite[]): void {
  const temporaries = files.map((file) =>
    file.temporaryFolder === undefined ? temporaryPathOf(file.path) : temporaryPathOf(
      `${file.temporaryFolder}/${file.path.slice(file.path.lastIndexOf("/") + 1)}`,
    )
  );
  const encoder = new TextEncoder();
  const written: string[] = [];
  try {
    files.forEach((file, i) => {
      const data = typeof file.data === "string" ? encoder.encode(file.data) : file.data;
      writeSyncedFile(temporaries[i], data);
      written.push(temporaries[i]);
    });
  } catch (error) {
    // The failed one removed its own partial file (writeSyncedFile).
    removeTemporaries(written);
    throw namingTarget(error, files[written.length].path);
  }
  // Checked before the first rename: a folder where a later file goes failed its rename after
  // the earlier files had switched, a new file beside an old one of the same set (a .inter
  // without its .item). The error is the rename's own, so callers tell it by its class.
  const inTheWay = files.findIndex((file) => isFolder(file.path));
  if (inTheWay >= 0) {
    removeTemporaries(temporaries);
    throw new Deno.errors.IsADirectory(
      `Is a directory (os error 21): rename '${temporaries[inTheWay]}' -> ` +
        `'${files[inTheWay].path}'`,
    );
  }
  // The same for a temporary written elsewhere (temporaryFolder): its write did not need the
  // target's folder, so a missing one failed its rename after the earlier files had switched.
  const homeless = files.findIndex((file) =>
    file.temporaryFolder !== undefined && !folderExists(folderOf(file.path))
  );
  if (homeless >= 0) {
    removeTemporaries(temporaries);
    throw new Deno.errors.NotFound(
      `No such file or directory (os error 2): rename '${temporaries[homeless]}' -> ` +
        `'${files[homeless].path}'`,
    );
  }
  let renamed = 0;
  try {
    for (; renamed < files.length; renamed++) {
      Deno.renameSync(temporaries[renamed], files[renamed].path);
    }
  } catch (error) {
    // Else those not switched in stay until another process's sweep, minutes on.
    removeTemporaries(temporaries.slice(renamed));
    throw error;
  }
  for (const folder of new Set(files.map((file) => folderOf(file.path)))) syncFolder(folder);
}

/**
 * `error` with a message that starts with `path`, the target whose write failed: the system's
 * message of a write cut short (a full disk: "File too large (os error 27)") names no file. Of
 * the same class and `code` (callers tell a folder that cannot be written by
 * `Deno.errors.PermissionDenied`), the system's error as its cause. One whose message names the
 * file already (an open's names the temporary, `<path>.tmp-...`) is returned as it is.
 */
function namingTarget(error: unknown, path: string): unknown {
  if (!(error instanceof Error) || error.message.includes(path)) return error;
  const Class = error.constructor as new (message: string, options?: ErrorOptions) => Error;
  const named = new Class(`${path}: ${error.message}`, { cause: error });
  if ("code" in error) Object.assign(named, { code: error.code });
  return named;
}

/** True when `path` is a folder (not followed through a link: a rename replaces the link). */
function isFolder(path: string): boolean {
  try {
    return Deno.lstatSync(path).isDirectory;
  } catch {
    // Missing, or not to be read here: the rename tells.
    return false;
  }
}

/** True when `path` is a folder, or a link to one (a rename into it goes through the link). */
function folderExists(path: string): boolean {
  try {
    return Deno.statSync(path).isDirectory;
  } catch {
    // Missing, or not to be read here: either way no rename into it can succeed.
    return false;
  }
}

/** Removes the temporaries `paths` of a write that failed. */
function removeTemporaries(paths: string[]): void {
  for (const temporary of paths) {
    try {
      Deno.removeSync(temporary);
    } catch {
      // Gone already (another sweeper): nothing to clean.
    }
  }
}

/** Options of {@linkcode writeSyncedFile}. */
export interface SyncedWriteOptions {
  /**
   * Runs between the two halves of the write (tests throw there as a kill would: the partial file
   * stays, for the writer's own sweep).
   */
  afterHalf?: () => void;
  /**
   * A failure throws `<path>: <the system's message>` with the system's error as `cause` (the
   * system's message names no file). Default false: the system's error itself, whose class
   * (`Deno.errors.PermissionDenied`) callers tell a folder that cannot be written by.
   */
  nameFile?: boolean;
}

/**
 * Writes `data` to the new file `path` (which must not exist), in two halves, and fsyncs it. A
 * write that fails (a full disk) removes the partial file and throws (see
 * {@linkcode SyncedWriteOptions.nameFile}).
 */
export function writeSyncedFile(
  path: string,
  data: Uint8Array,
  options: SyncedWriteOptions = {},
): void {
  const failure = (error: unknown) =>
    options.nameFile ? new Error(`${path}: ${(error as Error).message}`, { cause: error }) : error;
  let file: Deno.FsFile;
  try {
    file = Deno.openSync(path, { write: true, createNew: true });
  } catch (error) {
    throw failure(error);
  }
  let open = true;
  const failed = (error: unknown): never => {
    file.close();
    open = false;
    try {
      Deno.removeSync(path);
    } catch {
      // Already gone: nothing to remove.
    }
    throw failure(error);
  };
  try {
    const half = data.length >> 1;
    // The first half is told by its index: by its byteOffset, data shorter than 2 bytes (an
    // empty first half at the same offset) ran afterHalf twice.
    for (const [index, part] of [data.subarray(0, half), data.subarray(half)].entries()) {
      try {
        let offset = 0;
        while (offset < part.length) offset += file.writeSync(part.subarray(offset));
      } catch (error) {
        failed(error);
      }
      if (index === 0) options.afterHalf?.();
    }
    try {
      file.syncSync();
    } catch (error) {
      failed(error);
    }
  } finally {
    if (open) file.close();
  }
}

/**
 * Fsyncs `folder`, so that the renames made in it survive a power loss. Skipped where Deno cannot
 * open a folder (Windows) or may not read it (a process allowed to write there only): the files
 * renamed are synced already, so what a power loss could then undo is the rename (the old file
 * comes back, whole), never the content.
 */
export function syncFolder(folder: string): void {
  if (Deno.build.os === "windows") return;
  if (Deno.permissions.querySync({ name: "read", path: folder }).state !== "granted") return;
  const handle = Deno.openSync(folder, { read: true });
  try {
    handle.syncSync();
  } finally {
    handle.close();
  }
}

/**
 * Makes `folder` and those above it that are missing (`mkdir -p`), and returns what removes
 * those again, deepest first, each only while empty: for a writer whose write then fails, so that
 * it leaves no empty folder behind either (the one home of this, for the library and the scripts).
 * A `mkdir` that fails part way (`new/<a name too long>` makes `new/` first) removes what it made
 * before its error is thrown.
 */
export function makeFolders(folder: string): () => void {
  const missing: string[] = [];
  for (let path = folder; path !== "." && path !== "/"; path = folderOf(path)) {
    try {
      Deno.statSync(path);
      break;
    } catch (error) {
      if (!(error instanceof Deno.errors.NotFound)) break; // mkdir tells.
    }
    missing.push(path);
  }
  const removeMade = () => {
    for (const made of missing) {
      try {
        Deno.removeSync(made);
      } catch {
        // Another writer's files are in it now, or it is gone: it stays as it is.
      }
    }
  };
  try {
    Deno.mkdirSync(folder, { recursive: true });
  } catch (error) {
    removeMade();
    throw error;
  }
  return removeMade;
}

/** The folder of `path` (`.` for a bare name). */
export function folderOf(path: string): string {
  const slash = path.lastIndexOf("/");
  return slash < 0 ? "." : slash === 0 ? "/" : path.slice(0, slash);
}

/**
 * Age after which a temporary of an atomic write ({@linkcode temporaryPathOf}: this module, and
 * the claims of lib/experiments/_claim_files.ts) is a killed writer's: a write takes seconds at
 * most, so a live one is never this old.
 */
export const STALE_TEMPORARY_SECONDS = 10 * 60;

/**
 * Removes what writers killed mid-write left in `directory` (not in its subfolders): temporaries
 * ({@linkcode temporaryPathOf}) of other processes older than
 * {@linkcode STALE_TEMPORARY_SECONDS} (the targets are whole: the rename never came). Another
 * process sweeping at once is no error.
 */
export function removeStaleTemporaries(directory: string): void {
  const now = Date.now();
  for (const entry of Deno.readDirSync(directory)) {
    const match = /\.tmp-(\d+)-\d+$/.exec(entry.name);
    if (!entry.isFile || !match || Number(match[1]) === Deno.pid) continue;
    const path = `${directory}/${entry.name}`;
    try {
      const written = Deno.statSync(path).mtime?.getTime() ?? now;
      if (now - written > STALE_TEMPORARY_SECONDS * 1000) Deno.removeSync(path);
    } catch (error) {
      if (!(error instanceof Deno.errors.NotFound)) throw error; // Another sweeper's.
    }
  }
}
