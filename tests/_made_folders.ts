/**
 * Folders a test makes in the checkout (under `results/`, the only place the `reproduce` task's
 * permissions let a probe write, or `build/`), removed after it with the parents it made: tests
 * that removed only their own folder left an empty `results/` (or `build/`) in a checkout that had
 * none. A folder that was there before the test is never removed, nor one holding files another
 * test put there meanwhile (test files run side by side with `--parallel`).
 *
 * A folder a test made but had to leave (another test's folder was in it) is claimed: noted, with
 * its inode, under the system's temporary folder, so that the test that empties it later removes
 * it, although that test found it there. Without the claim, test A made build/, test B found it
 * there and wrote build/b, A could not remove build/ (B's was in it), B removed build/b only, and
 * an empty build/ stayed after a large parallel run (session 45). The inode tells a claimed folder
 * from one of the same name made since by someone else (a stale claim of a killed run).
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

/** Where claims are kept: one file per claimed folder, named by its absolute path. */
const CLAIMS = `${Deno.env.get("TMPDIR") || "/tmp"}/demure-tests-made-folders`;

function absolute(path: string): string {
  return path.startsWith("/") ? path : `${Deno.cwd()}/${path}`;
}

function claimFile(folder: string): string {
  return `${CLAIMS}/${encodeURIComponent(absolute(folder))}`;
}

/** The folder's inode, or undefined when it is missing (or the system has none). */
function inodeOf(folder: string): number | undefined {
  try {
    return Deno.statSync(folder).ino ?? undefined;
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return undefined;
    throw error;
  }
}

/** Notes that tests made `folder` (as it is now) and left it, for the test that empties it. */
function claim(folder: string): void {
  const inode = inodeOf(folder);
  if (inode === undefined) return;
  Deno.mkdirSync(CLAIMS, { recursive: true });
  Deno.writeTextFileSync(claimFile(folder), String(inode));
}

/** Whether a test made `folder` (this one, same inode) and had to leave it. Drops a stale claim. */
function isClaimed(folder: string): boolean {
  let claimed: string;
  try {
    claimed = Deno.readTextFileSync(claimFile(folder));
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return false;
    throw error;
  }
  if (claimed === String(inodeOf(folder))) return true;
  dropClaim(folder);
  return false;
}

function dropClaim(folder: string): void {
  try {
    Deno.removeSync(claimFile(folder));
  } catch (error) {
    if (!(error instanceof Deno.errors.NotFound)) throw error;
  }
}

/** Drops the claims of the folders under `dir` (a test's temporary folder, removed by hand). */
export function forgetClaimsUnder(dir: string): void {
  const prefix = encodeURIComponent(`${absolute(dir).replace(/\/+$/, "")}/`);
  try {
    for (const entry of Deno.readDirSync(CLAIMS)) {
      if (entry.name.startsWith(prefix)) Deno.removeSync(`${CLAIMS}/${entry.name}`);
    }
  } catch (error) {
    if (!(error instanceof Deno.errors.NotFound)) throw error;
  }
}

/** Removes `folder` if it is empty; whether it is gone. */
function removeIfEmpty(folder: string): boolean {
  try {
    Deno.removeSync(folder);
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return true;
    // Not empty (the error's kind differs between systems): it is still there.
    if (inodeOf(folder) === undefined) throw error;
    return false;
  }
  dropClaim(folder);
  return true;
}

/**
 * Removes each folder this test made, innermost first, while they are empty. One that holds
 * something (another test's folder) stays, and so do its parents: they are claimed, for the test
 * that empties them. Then the claimed folders above are removed while empty.
 */
function removeEmptyFolders(folders: readonly string[], below: string): void {
  const left = folders.findIndex((folder) => !removeIfEmpty(folder));
  if (left !== -1) {
    const kept = folders.slice(left);
    kept.forEach(claim);
    // The test whose folder was in it may have removed it, and looked for a claim, in between.
    if (!kept.every(removeIfEmpty)) return;
  }
  removeClaimedAbove(folders.at(-1) ?? below);
}

/** Removes the claimed folders above `path`, innermost first, while they are empty. */
function removeClaimedAbove(path: string): void {
  for (let folder = parentOf(path); folder !== "" && isClaimed(folder); folder = parentOf(folder)) {
    if (!removeIfEmpty(folder)) return;
  }
}

function parentOf(path: string): string {
  const trimmed = path.replace(/\/+$/, "");
  return trimmed.slice(0, Math.max(0, trimmed.lastIndexOf("/")));
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
    removeEmptyFolders(parents, made);
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
          removeEmptyFolders(parents, path);
        },
      };
    } catch (error) {
      // A test beside this one removed `parent`, which it had made, empty, in between.
      if (!(error instanceof Deno.errors.NotFound) || attempt === 3) throw error;
    }
  }
}
