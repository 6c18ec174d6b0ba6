/**
 * Folders a test makes in the checkout (under `results/`, the only place the `reproduce` task's
 * permissions let a probe write, or `build/`), removed after it with the parents it made: tests
 * that removed only their own folder left an empty `results/` (or `build/`) in a checkout that had
 * none. A folder that was there before the test is never removed, nor one holding files another
 * test put there meanwhile (test files run side by side with `--parallel`).
 */

/** The results of record are committed: no test's cleanup may remove anything there. */
const RECORDS = /(^|\/)results-of-record(\/|$)/;

/** `path` and those of its parents that are missing now, innermost first. */
function missingFolders(path: string): string[] {
  if (RECORDS.test(path)) throw new Error(`${path}: under results-of-record, which tests keep`);
  const missing: string[] = [];
  for (let folder = path.replace(/\/+$/, ""); folder !== "" && folder !== "/";) {
    try {
      Deno.statSync(folder);
      break;
    } catch (error) {
      if (!(error instanceof Deno.errors.NotFound)) throw error;
    }
    missing.push(folder);
    folder = folder.slice(0, Math.max(0, folder.lastIndexOf("/")));
  }
  return missing;
}

/** Removes `path` with everything in it, if it is there. */
function removeTree(path: string): void {
  try {
    Deno.removeSync(path, { recursive: true });
  } catch (error) {
    if (!(error instanceof Deno.errors.NotFound)) throw error;
  }
}

/**
 * Removes each folder, innermost first, while they are empty: one that holds something (another
 * test's folder) stays, and so do its parents.
 */
function removeEmptyFolders(folders: readonly string[]): void {
  for (const folder of folders) {
    try {
      Deno.removeSync(folder);
    } catch (error) {
      if (error instanceof Deno.errors.NotFound) continue;
      // Not empty (the error's kind differs between systems): it is still there.
      try {
        Deno.statSync(folder);
      } catch {
        throw error;
      }
      return;
    }
  }
}

/**
 * Notes, before a test whose command makes `path` (a results folder a subprocess writes), which of
 * `path` and its parents are missing, and returns what removes them after the test: `path` with
 * everything in it, then each parent that was missing, if empty. Nothing, when `path` was there.
 */
export function removalOfMade(path: string): () => void {
  const [made, ...parents] = missingFolders(path);
  return () => {
    if (made === undefined) return;
    removeTree(made);
    removeEmptyFolders(parents);
  };
}

/** A new folder of a test's own, and what removes it after the test. */
export interface ScratchFolder {
  /** The folder, `<parent>/<prefix><random>`. */
  path: string;
  /** Removes the folder with everything in it, then each parent it made, if empty. */
  remove: () => void;
}

/**
 * Makes a new folder `<parent>/<prefix><random>`, and `parent` with its parents where missing.
 *
 * @example
 * ```ts
 * const scratch = scratchFolder(`${root}results`, "claims-test-");
 * try {
 *   // ... write under scratch.path
 * } finally {
 *   scratch.remove();
 * }
 * ```
 */
export function scratchFolder(parent: string, prefix: string): ScratchFolder {
  const parents = missingFolders(parent);
  for (let attempt = 1;; attempt++) {
    Deno.mkdirSync(parent, { recursive: true });
    try {
      const path = Deno.makeTempDirSync({ dir: parent, prefix });
      return {
        path,
        remove: () => {
          removeTree(path);
          removeEmptyFolders(parents);
        },
      };
    } catch (error) {
      // A test beside this one removed `parent`, which it had made, empty, in between.
      if (!(error instanceof Deno.errors.NotFound) || attempt === 3) throw error;
    }
  }
}
